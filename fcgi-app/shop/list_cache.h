/*
 * list_cache.h: lists of products the catalog decides, kept in the
 * memory the pool's workers share (core/shcache.h): what a search
 * found, a category page's products, the home page's featured ones. A
 * list any worker read a moment ago costs no statement that finds or
 * sorts: the page then reads its cards by id (catalog_by_ids(), which
 * finds most of them in shop/card_cache.h), and the facets' counts come
 * as they were.
 *
 * An entry is a list of integers (the page's product ids and its
 * totals, or the facets' value ids and counts), keyed by the shop, a
 * kind and a digest of everything that varies the answer (the words,
 * the languages, the category, the filters, the sort, the page), which
 * the caller writes as a text. It is owned by the shop (cache_bump(),
 * core/cache.h: an edit of the catalog on this VM drops it at once);
 * orders do not change which products a list holds, so they leave it.
 * A change this VM's pool does not see (another VM, an import by
 * soukctl, a sale that starts or ends and so moves a product across a
 * price filter) shows within LIST_CACHE_TTL_MS. A list too long for a
 * shared slot is not kept.
 *
 * When a list many ask for expires, one worker builds it again while
 * the others are served the old one (shcache_put_grace(): at most
 * SHCACHE_REFRESH_MS more, within LIST_CACHE_GRACE_MS): a popular
 * Japanese word (a scan of the shop's texts, ~100 ms) was asked by
 * every worker at once each time it expired, and the bench's p99 went
 * to seconds.
 */
#ifndef SOUK_SHOP_LIST_CACHE_H
#define SOUK_SHOP_LIST_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

#define LIST_CACHE_TTL_MS	10000
#define LIST_CACHE_GRACE_MS	5000
/* Integers an entry holds at most (8 bytes each, in one slot). */
#define LIST_CACHE_MAX	400

/* The generation to pass to list_cache_put(), read before the answer
 * is read from the database. */
uint64_t list_cache_gen(const struct shop_ctx *ctx);

/* The list kept under (kind, params), copied into ctx->a: 1 with *v
 * and *n set, or 0 when none is kept. kind: two letters. */
int	list_cache_get(struct shop_ctx *ctx, const char *kind,
	    struct str params, int64_t **v, size_t *n);

/* Keeps v[0..n) under (kind, params) for LIST_CACHE_TTL_MS, unless
 * the shop's catalog changed since gen was read. */
void	list_cache_put(struct shop_ctx *ctx, const char *kind,
	    struct str params, uint64_t gen, const int64_t *v, size_t n);

#endif
