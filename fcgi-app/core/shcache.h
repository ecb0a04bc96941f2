/*
 * shcache.h: texts every process of the pool shares.
 *
 * For what every worker reads and any one of them can build, and which
 * is too costly to build in each (the API's product JSON,
 * shop/wc_product_json.c): a worker that misses its own cache
 * (core/cache.h) finds there what another worker made, instead of
 * asking the database again. Eight workers each keeping their own copy
 * read a random product of a big shop from MariaDB nearly every time.
 *
 * The master maps it before forking (shcache_init()): api_cache_mb of
 * the configuration, in slots of SHCACHE_SLOT bytes, two slots a key.
 * An entry is a key and a text that fit in one slot (a larger text is
 * not kept), guarded as core/cache.h's are: by the generation of an
 * owner (shared_shop_gen(), read before the text was built) and a
 * lifetime. A slot is written under a sequence number a writer makes
 * odd while it writes: a reader copies the slot and keeps the copy only
 * if the number was even and did not move meanwhile; a writer that
 * finds a slot being written gives up. No process ever waits for
 * another, and one killed while writing leaves a slot that is skipped
 * until it is written again.
 *
 * A process that never called shcache_init() (soukctl, souk-worker,
 * unit tests), or a size of 0, has none: shcache_get() misses and
 * shcache_put() keeps nothing.
 */
#ifndef SOUK_CORE_SHCACHE_H
#define SOUK_CORE_SHCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"

#define SHCACHE_SLOT	4096

/* Maps bytes (rounded down to whole pairs of slots; 0: none) shared
 * with the processes forked after. Returns 0, or -1 (mmap failed: no
 * cache). */
int	shcache_init(size_t bytes);

/* The text of (shop, key) into *out, copied into a: 1, or 0 when it is
 * not there, expired, or its owner's generation moved. */
int	shcache_get(struct arena *a, int64_t shop, const char *key,
	    struct str *out);

/* Keeps text under (shop, key) for ttl_ms, owned by owner at generation
 * gen (cache_gen(owner) read before the text was built). */
void	shcache_put(int64_t shop, const char *key, int64_t owner,
	    uint64_t gen, struct str text, int64_t ttl_ms);

/*
 * The same, for a text many ask for at once and that costs much to
 * build (a search's answer): for grace_ms after its lifetime, the first
 * process that asks for it misses and builds it again while the others
 * are still served it, for SHCACHE_REFRESH_MS at most (so they do not
 * all build it at the same moment). A bump of the owner's generation
 * ends it at once, as for any entry.
 */
#define SHCACHE_REFRESH_MS	2000
void	shcache_put_grace(int64_t shop, const char *key, int64_t owner,
	    uint64_t gen, struct str text, int64_t ttl_ms, int64_t grace_ms);

#endif
