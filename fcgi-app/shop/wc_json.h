/*
 * wc_json.h: an order and a customer as WooCommerce's REST API v3 shows
 * them (GET /wp-json/wc/v3/orders/<id>, /customers/<id>): what the
 * shop's webhooks deliver (shop/wc_webhook.h) and what the v3 orders
 * and customers endpoints answer.
 *
 * Fields souk has no equivalent for carry WooCommerce's empty default
 * ("", 0, [], null, false), never made-up data. Money is a decimal
 * string in the currency's decimals ("12.50"), as WooCommerce sends it;
 * a line's price is a number, as there. Dates are "YYYY-MM-DDTHH:MM:SS"
 * in the shop's time zone (date_*) and in UTC (date_*_gmt).
 *
 * Mappings souk had to choose (README, "WooCommerce API"):
 * - status: pending, on-hold, processing, cancelled as they are;
 *   shipped and completed are WooCommerce's "completed" (a merchant
 *   marks a WooCommerce order completed when it is sent: an integration
 *   reading "processing" would send it again); an order refunded in
 *   full is "refunded".
 * - names: souk keeps one name; first_name is what comes before its
 *   first space, last_name the rest.
 * - tax classes: standard is "", reduced "reduced-rate", zero
 *   "zero-rate" (WooCommerce's slugs).
 * - amounts without tax: souk keeps a line's subtotal as entered and
 *   its tax after the discount; the tax of the subtotal before the
 *   discount is figured at the line's rate (rounded half away from
 *   zero), and the discount's tax is the difference.
 *
 * Returned objects are the caller's (json_object_put()); strings are
 * copied into them.
 */
#ifndef SOUK_SHOP_WC_JSON_H
#define SOUK_SHOP_WC_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <json.h>

#include "shop/customer.h"
#include "shop/order.h"
#include "shop/refund.h"

/* The WooCommerce status of o, given the sum of its succeeded refunds
 * (static text). */
const char	*wc_json_status(const struct order *o, int64_t refunded);

/*
 * o (read with its events: date_modified and date_completed come from
 * them) and its refunds r[0..nr) as a v3 order; tz is the shop's time
 * zone (NULL: UTC).
 */
json_object	*wc_json_order(const struct order *o, const struct refund *r,
		    size_t nr, const char *tz);

/*
 * c as a v3 customer; bill and ship are its default address (NULL:
 * none: WooCommerce's empty address), paying whether it has a paid
 * order.
 */
json_object	*wc_json_customer(const struct customer *c,
		    const struct address *bill, const struct address *ship,
		    int paying, const char *tz);

/* A note of an order's history (kind note or private_note) as a v3
 * order note. */
json_object	*wc_json_note(const struct order_event *e, const char *tz);

/* What one refund gave back of one line (sql/shop/007's refund_lines). */
struct refund_line_view {
	int64_t		 order_line_id;
	int64_t		 qty;
	int64_t		 amount;	/* with tax */
	int64_t		 tax;
};

/* The lines of refund_id into *out (ctx->a). SHOP_OK, SHOP_EDB. */
int	wc_json_refund_lines(struct shop_ctx *ctx, int64_t refund_id,
	    struct refund_line_view **out, size_t *n);

/* Refund r of order o with its lines as a v3 order refund (amounts
 * positive, its lines' negative, as WooCommerce shows them). */
json_object	*wc_json_refund(const struct order *o, const struct refund *r,
		    const struct refund_line_view *lines, size_t nlines,
		    const char *tz);

/* The order with id (the orders table's, not its number) as a v3 order
 * into *out. SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	wc_json_order_load(struct shop_ctx *ctx, int64_t id, json_object **out);

/* The customer id as a v3 customer into *out. SHOP_OK, SHOP_ENOTFOUND,
 * SHOP_EDB. */
int	wc_json_customer_load(struct shop_ctx *ctx, int64_t id,
	    json_object **out);

/* "YYYY-MM-DD HH:MM:SS" UTC as o's k (the shop's time, tz NULL: UTC)
 * and k_gmt, WooCommerce's pair; null both for "". */
void	wc_json_date(json_object *o, const char *k, struct str utc,
	    const char *tz);

#endif
