/*
 * cache.h: a small per-worker cache with per-shop generations.
 *
 * What a worker keeps between requests (a shop's row by host, its
 * categories, the exchange rates) lives in one of these: a fixed number
 * of slots, direct-mapped by (shop, key), each entry with a lifetime.
 * An entry is guarded by the generation of one shop in the memory the
 * pool's processes share (core/shared.h): cache_bump(shop), called by
 * whoever changed that shop's data, makes every worker's entries of
 * that shop stale at their next lookup, and only that shop's (and
 * those of the rare shop sharing its generation slot). Changes made
 * outside the pool (another VM, soukctl) show within the lifetime.
 *
 * Keys: a shop id (0: the platform, or unknown yet) and a short text
 * (a language, a host: fewer than CACHE_KEY_MAX bytes). Values belong
 * to the cache once put and are freed with the cache's free function
 * when replaced, stale, cleared or at cache_free(). A value returned by
 * cache_get() stays valid until the next cache_put(), cache_clear() or
 * cache_free() of the same cache: copy what must live longer. A value
 * may be NULL (a remembered "none").
 *
 * Not thread-safe: one per worker process, as everything of a worker.
 */
#ifndef SOUK_CORE_CACHE_H
#define SOUK_CORE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#define CACHE_KEY_MAX	256

struct cache;

/* A cache of slots entries (at least 1), values freed with vfree (NULL:
 * not freed). Free with cache_free(). */
struct cache	*cache_new(size_t slots, void (*vfree)(void *));
void		 cache_free(struct cache *c);

/*
 * Looks up (shop, key). Returns 1 and sets *v when an entry is there,
 * not expired and its owner's generation unchanged; else 0. An entry
 * whose generation moved is freed; one that merely expired is kept for
 * cache_stale() until the key is put again.
 */
int	cache_get(struct cache *c, int64_t shop, const char *key, void **v);

/*
 * The entry of (shop, key) even when expired, as long as its owner's
 * generation is unchanged: what a caller serves when the database fails
 * while refreshing it. Returns 1 and sets *v, or 0. To keep serving it,
 * put a copy: cache_put() frees the entry's value.
 */
int	cache_stale(struct cache *c, int64_t shop, const char *key, void **v);

/*
 * Stores v under (shop, key) for ttl_ms milliseconds, guarded by the
 * generation of shop owner (usually shop itself; a lookup by host is
 * keyed under shop 0 and owned by the shop it found). The generation
 * is the one read by the cache_get() that missed on the same key just
 * before, so a change committed while the caller read the database
 * still drops the entry. Keyed under another shop than its owner, the
 * entry is dropped at its next lookup when the key's shop's generation
 * moved since the miss. Takes v (freed now when the key is too long).
 */
void	cache_put(struct cache *c, int64_t shop, const char *key,
	    int64_t owner, void *v, int64_t ttl_ms);

/*
 * The generation of owner now. A caller that fills several missed keys
 * from one read of the database reads it before that read and puts each
 * value with cache_put_at(): a change committed meanwhile then drops
 * them all.
 */
uint64_t	cache_gen(int64_t owner);

/* cache_put() with the generation gen read by cache_gen(owner). */
void	cache_put_at(struct cache *c, int64_t shop, const char *key,
	    int64_t owner, uint64_t gen, void *v, int64_t ttl_ms);

/* Drops every entry of this worker's cache c. */
void	cache_clear(struct cache *c);

/* Makes every worker's entries owned by shop, or by
 * cache_sales_owner(shop), stale. */
void	cache_bump(int64_t shop);

/*
 * What orders change in a shop without changing its catalog: stock and
 * units sold. An entry that shows them (a product as the API answers
 * it) is owned by cache_sales_owner(shop), which cache_bump_sales(shop)
 * moves after an order's stock or status changed, and cache_bump(shop)
 * too. Everything else of the shop stays cached while orders come in.
 */
#define cache_sales_owner(shop)	(-(int64_t)(shop))
void	cache_bump_sales(int64_t shop);

#endif
