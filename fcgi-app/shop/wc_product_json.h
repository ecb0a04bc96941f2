/*
 * wc_product_json.h: a product as WooCommerce's REST API v3 shows it
 * (GET /wp-json/wc/v3/products/<id>, its "products" schema, view
 * context): what web/wc_products.c answers and what a product.created
 * or product.updated webhook delivers (shop/wc_webhook.c), built from
 * product_query()'s rows.
 *
 * What souk has maps onto WooCommerce's fields: an active product is
 * "publish", a draft "draft"; a product with variants is "variable"
 * (its stock is its variants'), else "simple" with manage_stock true;
 * prices are decimal strings in the shop's currency; tax classes
 * "standard", "reduced", "zero" are WooCommerce's "", "reduced-rate",
 * "zero-rate"; the weight is in kg (souk keeps grams). What souk does
 * not have comes back with WooCommerce's empty default ("", [], false,
 * null, 0 for counts souk does not keep), never made up. Dates are the
 * shop's clock (ctx->time_zone) and UTC (_gmt).
 *
 * Returned objects are the caller's (json_object_put()); texts are
 * copied into them; links start with origin.
 */
#ifndef SOUK_SHOP_WC_PRODUCT_JSON_H
#define SOUK_SHOP_WC_PRODUCT_JSON_H

#include <stdint.h>
#include <json.h>

#include "core/str.h"
#include "shop/category.h"
#include "shop/ctx.h"
#include "shop/product_query.h"

struct wc_pj_view {
	struct shop_ctx		*ctx;		/* currency, zone, languages */
	const char		*origin;	/* "scheme://host" of links */
	struct category		*cats;		/* category_list()'s */
	size_t			 ncats;
};

/* p as a v3 product. */
json_object	*wc_product_json(const struct wc_pj_view *v,
		    const struct pq_product *p);

/* Product id as a v3 product into *out: SHOP_OK, SHOP_ENOTFOUND,
 * SHOP_EDB. */
int	wc_product_json_load(struct shop_ctx *ctx, const char *origin,
	    int64_t id, json_object **out);

/*
 * The text of each product of ids (n <= PRODUCT_QUERY_MAX) as
 * wc_product_json() makes it, in the order of ids, into out[i] (in
 * ctx->a; {NULL, 0}: no such product). SHOP_OK or SHOP_EDB.
 *
 * The worker keeps each text (by shop, product, language, currency and
 * origin) up to 30 s, as the catalog's other caches, and never past
 * the start or end of the product's sale; so do all the pool's workers
 * together (core/shcache.h). Either copy goes when the shop's catalog
 * changes (cache_bump()) or an order changes stock or units sold
 * (cache_bump_sales()): products the pool has are not read again.
 * Changes made outside the pool (soukctl; souk-worker, which cancels
 * unpaid card orders and reconciles refunds; another VM) show within
 * those 30 s.
 */
int	wc_product_json_texts(struct shop_ctx *ctx, const char *origin,
	    const int64_t *ids, size_t n, struct str *out);

/* o[k] = minor units of the shop's currency as a decimal string. */
void	wc_product_json_money(json_object *o, const char *k,
	    const struct wc_pj_view *v, int64_t minor);

/* o[k] (the shop's clock) and o[k_gmt] of a UTC time "YYYY-MM-DD
 * HH:MM:SS"; null both for "". */
void	wc_product_json_dates(json_object *o, const char *k,
	    const struct wc_pj_view *v, struct str s);

/* WooCommerce's tax class of souk's (static text). */
const char	*wc_product_json_tax_class(struct str s);

#endif
