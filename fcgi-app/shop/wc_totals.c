/* wc_totals.c: counts for the WooCommerce API's reports (wc_totals.h). */
#include "core/common.h"
#include "db/db.h"
#include "shop/shop.h"
#include "shop/wc_totals.h"

enum stmt {
	ST_ORDERS,
	ST_PRODUCTS,
	ST_CUSTOMERS,
	ST_VERSION,
	ST_COUPONS,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_ORDERS] = { "wc_totals.orders",
	    "SELECT CASE WHEN o.total > 0 AND COALESCE(r.amt, 0) >= o.total"
	    " THEN 'refunded' WHEN o.status IN ('shipped', 'completed')"
	    " THEN 'completed' ELSE o.status END AS s, COUNT(*)"
	    " FROM {p}orders o LEFT JOIN (SELECT order_id, SUM(amount) AS amt"
	    " FROM {p}refunds WHERE status = 'succeeded' GROUP BY order_id) r"
	    " ON r.order_id = o.id GROUP BY s" },
	[ST_PRODUCTS] = { "wc_totals.products",
	    "SELECT COUNT(*) - COUNT(v.product_id), COUNT(v.product_id)"
	    " FROM {p}products p LEFT JOIN (SELECT DISTINCT product_id"
	    " FROM {p}variants) v ON v.product_id = p.id" },
	[ST_CUSTOMERS] = { "wc_totals.customers",
	    "SELECT COALESCE(SUM(x.paying), 0), COUNT(*) -"
	    " COALESCE(SUM(x.paying), 0) FROM (SELECT EXISTS (SELECT 1"
	    " FROM {p}orders o WHERE o.customer_id = c.id"
	    " AND o.paid_at IS NOT NULL) AS paying FROM {p}customers c"
	    " WHERE c.email IS NOT NULL) x" },
	[ST_VERSION] = { "wc_totals.version", "SELECT VERSION()" },
	/* As the API shows them: percent, else fixed_cart (free shipping
	 * is a fixed_cart of 0 with free_shipping). */
	[ST_COUPONS] = { "wc_totals.coupons",
	    "SELECT COALESCE(SUM(kind = 'percent'), 0),"
	    " COALESCE(SUM(kind <> 'percent'), 0) FROM {p}coupons" },
};

static const char *const slugs[WC_TOTAL__MAX] = {
	[WC_TOTAL_PENDING] = "pending",
	[WC_TOTAL_PROCESSING] = "processing",
	[WC_TOTAL_ON_HOLD] = "on-hold",
	[WC_TOTAL_COMPLETED] = "completed",
	[WC_TOTAL_CANCELLED] = "cancelled",
	[WC_TOTAL_REFUNDED] = "refunded",
	[WC_TOTAL_FAILED] = "failed",
};

const char *
wc_total_slug(enum wc_order_total s)
{
	return (unsigned)s < WC_TOTAL__MAX ? slugs[s] : "";
}

int
wc_totals_orders(struct shop_ctx *ctx, int64_t out[WC_TOTAL__MAX])
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_ORDERS]);
	int		 rc, i;

	memset(out, 0, WC_TOTAL__MAX * sizeof(*out));
	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		struct str s = db_col_str(st, 0);

		for (i = 0; i < WC_TOTAL__MAX; i++)
			if (str_eqc(s, slugs[i]))
				out[i] += db_col_i64(st, 1);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* A statement of one row of two counts. */
static int
two(struct shop_ctx *ctx, enum stmt q, int64_t *a, int64_t *b)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	int		 rc;

	*a = *b = 0;
	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1) {
		*a = db_col_i64(st, 0);
		*b = db_col_i64(st, 1);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
wc_totals_products(struct shop_ctx *ctx, int64_t *simple, int64_t *variable)
{
	return two(ctx, ST_PRODUCTS, simple, variable);
}

int
wc_totals_coupons(struct shop_ctx *ctx, int64_t *percent, int64_t *fixed_cart)
{
	return two(ctx, ST_COUPONS, percent, fixed_cart);
}

int
wc_totals_customers(struct shop_ctx *ctx, int64_t *paying,
    int64_t *non_paying)
{
	return two(ctx, ST_CUSTOMERS, paying, non_paying);
}

int
wc_totals_db_version(struct shop_ctx *ctx, struct str *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_VERSION]);
	int		 rc;

	*out = str_c("");
	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1)
		*out = db_col_str(st, 0);
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}
