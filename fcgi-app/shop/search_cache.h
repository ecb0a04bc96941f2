/*
 * search_cache.h: what a search found, kept in the memory the pool's
 * workers share (core/shcache.h), so a search any worker answered a
 * moment ago costs no full-text match: the page then reads its cards by
 * id (primary keys), and the facets' counts come as they were.
 *
 * An entry is a list of integers (the page's product ids and its
 * totals, or the facets' value ids and counts), keyed by the shop, a
 * kind and a digest of everything that varies the answer (the words,
 * the languages, the filters, the sort, the page), which the caller
 * writes as a text. It is owned by the shop (cache_bump(), core/cache.h:
 * an edit of the catalog on this VM drops it at once); orders do not
 * change what a search finds, so they leave it. A change this VM's pool
 * does not see (another VM, an import by soukctl, a sale that starts or
 * ends and so moves a product across a price filter) shows within
 * SEARCH_CACHE_TTL_MS. A list too long for a shared slot is not kept.
 *
 * When an answer many ask for expires, one worker builds it again while
 * the others are served the old one (shcache_put_grace(): at most
 * SHCACHE_REFRESH_MS more, within SEARCH_CACHE_GRACE_MS): a popular
 * Japanese word (a scan of the shop's texts, ~100 ms) was asked by
 * every worker at once each time it expired, and the bench's p99 went
 * to seconds.
 */
#ifndef SOUK_SHOP_SEARCH_CACHE_H
#define SOUK_SHOP_SEARCH_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

#define SEARCH_CACHE_TTL_MS	10000
#define SEARCH_CACHE_GRACE_MS	5000
/* Integers an entry holds at most (8 bytes each, in one slot). */
#define SEARCH_CACHE_MAX	400

/* The generation to pass to search_cache_put(), read before the answer
 * is read from the database. */
uint64_t search_cache_gen(const struct shop_ctx *ctx);

/* The list kept under (kind, params), copied into ctx->a: 1 with *v
 * and *n set, or 0 when none is kept. kind: two letters. */
int	search_cache_get(struct shop_ctx *ctx, const char *kind,
	    struct str params, int64_t **v, size_t *n);

/* Keeps v[0..n) under (kind, params) for SEARCH_CACHE_TTL_MS, unless
 * the shop's catalog changed since gen was read. */
void	search_cache_put(struct shop_ctx *ctx, const char *kind,
	    struct str params, uint64_t gen, const int64_t *v, size_t n);

#endif
