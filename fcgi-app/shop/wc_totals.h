/*
 * wc_totals.h: the counts of WooCommerce's reports/orders/totals,
 * products/totals and customers/totals (web/wc_reports.c), and the
 * database server's version for system_status: one statement each.
 *
 * Orders are counted by their WooCommerce status as shop/wc_json.h maps
 * it (shipped is completed, an order refunded in full is refunded);
 * products by type (a product with variants is variable, else simple);
 * customers with an account (not erased) by whether they have a paid
 * order, as is_paying_customer.
 */
#ifndef SOUK_SHOP_WC_TOTALS_H
#define SOUK_SHOP_WC_TOTALS_H

#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

enum wc_order_total {
	WC_TOTAL_PENDING,
	WC_TOTAL_PROCESSING,
	WC_TOTAL_ON_HOLD,
	WC_TOTAL_COMPLETED,
	WC_TOTAL_CANCELLED,
	WC_TOTAL_REFUNDED,
	WC_TOTAL_FAILED,	/* souk has none: 0 */
	WC_TOTAL__MAX
};

/* WooCommerce's slug of a status ("on-hold"). Static. */
const char	*wc_total_slug(enum wc_order_total s);

/* SHOP_OK or SHOP_EDB. */
int	wc_totals_orders(struct shop_ctx *ctx, int64_t out[WC_TOTAL__MAX]);
int	wc_totals_products(struct shop_ctx *ctx, int64_t *simple,
	    int64_t *variable);
int	wc_totals_customers(struct shop_ctx *ctx, int64_t *paying,
	    int64_t *non_paying);
/* Coupons by the API's discount_type (souk has no fixed_product). */
int	wc_totals_coupons(struct shop_ctx *ctx, int64_t *percent,
	    int64_t *fixed_cart);

/* "10.11.6-MariaDB-0+deb12u1" into *out (ctx->a), "" when unknown. */
int	wc_totals_db_version(struct shop_ctx *ctx, struct str *out);

#endif
