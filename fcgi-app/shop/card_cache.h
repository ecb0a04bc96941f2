/*
 * card_cache.h: product cards kept in the memory the pool's workers
 * share (core/shcache.h), so the cards of a category page, the home
 * page or a search that any worker showed a moment ago cost no round
 * trip to MariaDB (catalog_by_ids() reads only the ones missing).
 *
 * An entry is one card (a struct product without its description), in
 * the request's language, keyed by the shop, the languages and the
 * product's id. It is owned by cache_sales_owner(shop) (core/cache.h),
 * as a product page is (product_page_cache.h): a change of the catalog
 * on this VM drops it at once (cache_bump()), and so does an order or a
 * cancellation that moved stock (cache_bump_sales()). A change this
 * VM's pool does not see (another VM, soukctl, souk-worker) shows
 * within CARD_CACHE_TTL_MS, and a sale that starts or ends does so at
 * its second (the caller's ttl). Only active products are kept.
 */
#ifndef SOUK_SHOP_CARD_CACHE_H
#define SOUK_SHOP_CARD_CACHE_H

#include <stdint.h>
#include "core/pack.h"
#include "core/strbuf.h"
#include "shop/catalog.h"
#include "shop/ctx.h"

#define CARD_CACHE_TTL_MS	10000

/* The card of product id, copied into ctx->a: 1, or 0 when it is not
 * kept (or does not read back whole). */
int	card_cache_get(struct shop_ctx *ctx, int64_t id,
	    struct product *out);

/* Keeps p's card for ttl_ms (at most CARD_CACHE_TTL_MS), guarded by
 * gen, cache_gen(cache_sales_owner(ctx->tenant)) read before p was
 * read from the database. */
void	card_cache_put(struct shop_ctx *ctx, const struct product *p,
	    uint64_t gen, int64_t ttl_ms);

/* A whole struct product, description included, into sb; and back (its
 * texts point into what u reads). product_page_cache.c packs its
 * product so. */
void	card_pack(struct strbuf *sb, const struct product *p);
void	card_unpack(struct unpack *u, struct product *p);

#endif
