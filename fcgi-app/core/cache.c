/* cache.c: per-worker cache with per-shop generations (see cache.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "core/shared.h"

struct cache_entry {
	int		 used;
	int64_t		 shop;
	int64_t		 owner;
	uint64_t	 gen;		/* owner's generation when put */
	int64_t		 expires_ms;
	void		*v;
	char		 key[CACHE_KEY_MAX];
};

struct cache {
	size_t			 nslots;
	void			(*vfree)(void *);
	struct cache_entry	*slots;
	/* The last miss: its shop's generation, read before the caller
	 * went to the database. */
	int64_t			 miss_shop;
	uint64_t		 miss_gen;
	char			 miss_key[CACHE_KEY_MAX];
};

struct cache *
cache_new(size_t slots, void (*vfree)(void *))
{
	struct cache *c = xcalloc(1, sizeof(*c));

	c->nslots = slots ? slots : 1;
	c->vfree = vfree;
	c->slots = xcalloc(c->nslots, sizeof(*c->slots));
	c->miss_shop = -1;
	return c;
}

static void
entry_clear(struct cache *c, struct cache_entry *e)
{
	if (e->used && c->vfree != NULL && e->v != NULL)
		c->vfree(e->v);
	e->used = 0;
	e->v = NULL;
	e->key[0] = '\0';
}

void
cache_clear(struct cache *c)
{
	size_t i;

	for (i = 0; i < c->nslots; i++)
		entry_clear(c, &c->slots[i]);
}

void
cache_free(struct cache *c)
{
	if (c == NULL)
		return;
	cache_clear(c);
	free(c->slots);
	free(c);
}

static struct cache_entry *
slot_of(struct cache *c, int64_t shop, const char *key)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)shop;	/* FNV-1a */

	h *= 1099511628211ULL;
	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ULL;
	}
	return &c->slots[h % c->nslots];
}

int
cache_get(struct cache *c, int64_t shop, const char *key, void **v)
{
	struct cache_entry *e = slot_of(c, shop, key);

	*v = NULL;
	if (e->used && e->shop == shop && strcmp(e->key, key) == 0) {
		if (shared_shop_gen(e->owner) != e->gen)
			entry_clear(c, e);
		else if (clock_ms() < e->expires_ms) {
			*v = e->v;
			metrics_cache(METRICS_CACHE_WORKER, 1);
			return 1;
		}
		/* Expired only: kept for cache_stale() until replaced. */
	}
	metrics_cache(METRICS_CACHE_WORKER, 0);
	if (strlen(key) < sizeof(c->miss_key)) {
		c->miss_shop = shop;
		c->miss_gen = shared_shop_gen(shop);
		memcpy(c->miss_key, key, strlen(key) + 1);
	}
	return 0;
}

int
cache_stale(struct cache *c, int64_t shop, const char *key, void **v)
{
	struct cache_entry *e = slot_of(c, shop, key);

	*v = NULL;
	if (!e->used || e->shop != shop || strcmp(e->key, key) != 0 ||
	    shared_shop_gen(e->owner) != e->gen)
		return 0;
	*v = e->v;
	return 1;
}

uint64_t
cache_gen(int64_t owner)
{
	return shared_shop_gen(owner);
}

void
cache_put(struct cache *c, int64_t shop, const char *key, int64_t owner,
    void *v, int64_t ttl_ms)
{
	uint64_t	gen;
	int		missed = c->miss_shop == shop &&
			    strcmp(c->miss_key, key) == 0;

	if (owner == shop && missed)
		gen = c->miss_gen;
	else {
		gen = shared_shop_gen(owner);
		/* Keyed under another shop (a host under 0, owned by the
		 * shop found): the owner was unknown before the read, but
		 * a change bumps the key's shop too (tenant_changed()).
		 * One since the miss: the value may predate it, so it is
		 * born stale and serves only this request. */
		if (missed && shared_shop_gen(shop) != c->miss_gen)
			gen--;
	}
	cache_put_at(c, shop, key, owner, gen, v, ttl_ms);
}

void
cache_put_at(struct cache *c, int64_t shop, const char *key, int64_t owner,
    uint64_t gen, void *v, int64_t ttl_ms)
{
	struct cache_entry	*e;
	size_t			 n = strlen(key);

	if (n >= CACHE_KEY_MAX) {
		if (c->vfree != NULL && v != NULL)
			c->vfree(v);
		return;
	}
	e = slot_of(c, shop, key);
	entry_clear(c, e);
	e->used = 1;
	e->shop = shop;
	e->owner = owner;
	e->gen = gen;
	e->expires_ms = clock_ms() + ttl_ms;
	e->v = v;
	memcpy(e->key, key, n + 1);
	c->miss_shop = -1;
}

void
cache_bump(int64_t shop)
{
	(void)shared_shop_bump(shop);
	if (shop != 0)
		cache_bump_sales(shop);
}

void
cache_bump_sales(int64_t shop)
{
	(void)shared_shop_bump(cache_sales_owner(shop));
}
