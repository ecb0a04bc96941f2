/*
 * product_page_cache.h: a product page's data kept in the memory the
 * pool's workers share (core/shcache.h), so a page seen a moment ago by
 * any worker costs no round trip to MariaDB.
 *
 * An entry is the whole struct product_page (the product in the
 * request's language, its variants with their stock, images, gallery
 * and category), packed into one text, keyed by the shop, the languages
 * and the slug. It is owned by cache_sales_owner(shop) (core/cache.h):
 * a change of the catalog on this VM drops it at once (cache_bump()),
 * and so does an order or a cancellation that moved stock
 * (cache_bump_sales()). A change this VM's pool does not see (another
 * VM, soukctl, souk-worker) shows within PRODUCT_PAGE_TTL_MS, and a
 * sale that starts or ends does so at its second (the caller's ttl).
 * A page whose packed data does not fit a shared slot (a long
 * description) is not kept: it is read from MariaDB each time.
 */
#ifndef SOUK_SHOP_PRODUCT_PAGE_CACHE_H
#define SOUK_SHOP_PRODUCT_PAGE_CACHE_H

#include <stdint.h>
#include "core/str.h"
#include "shop/catalog.h"
#include "shop/ctx.h"

#define PRODUCT_PAGE_TTL_MS	10000

/* The page of slug, copied into ctx->a: 1, or 0 when it is not kept
 * (or the entry does not read back whole). */
int	product_page_cache_get(struct shop_ctx *ctx, struct str slug,
	    struct product_page *out);

/* Keeps pp for slug for ttl_ms (at most PRODUCT_PAGE_TTL_MS), guarded
 * by gen, cache_gen(cache_sales_owner(ctx->tenant)) read before pp
 * was read from the database. */
void	product_page_cache_put(struct shop_ctx *ctx, struct str slug,
	    const struct product_page *pp, uint64_t gen, int64_t ttl_ms);

#endif
