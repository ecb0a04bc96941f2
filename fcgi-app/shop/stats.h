/*
 * stats.h: sales figures over time for the admin's charts (the
 * dashboard now, the reports later): orders and revenue per day of the
 * shop's clock, and the products that sold the most units.
 *
 * Days are the shop's (ctx->time_zone, core/tz.h): a day that summer
 * time makes 23 or 25 hours long counts as it is. Cancelled orders are
 * left out; every other status counts from the moment the order is
 * placed. Revenue is the sum of the orders' totals in minor units of
 * the shop's base currency.
 *
 * Each function runs one statement. Results live in ctx->a.
 */
#ifndef SOUK_SHOP_STATS_H
#define SOUK_SHOP_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "core/str.h"
#include "shop/ctx.h"

#define STATS_DAYS	30	/* the days stats_days() counts */
#define STATS_TOP_MAX	20

struct stats_day {
	time_t		 start;		/* UTC time the local day begins */
	int64_t		 orders;
	int64_t		 revenue;
};

/*
 * The STATS_DAYS local days ending with the one holding now, oldest
 * first, into out (STATS_DAYS elements, the caller's): days without
 * orders are there with zeros. SHOP_OK or SHOP_EDB.
 */
int	stats_days(struct shop_ctx *ctx, time_t now, struct stats_day *out);

struct stats_product {
	int64_t		 product_id;
	int64_t		 units;
	int64_t		 revenue;	/* the lines' totals */
	struct str	 name;	/* in ctx->locale, the shop's language, or
				 * the order line's when it is gone */
};

/*
 * The products (variants counted with their product) that sold the
 * most units in orders placed in [from, to), most first, at most max
 * (capped at STATS_TOP_MAX), into *out (in ctx->a) and *n.
 * SHOP_OK or SHOP_EDB.
 */
int	stats_top_products(struct shop_ctx *ctx, time_t from, time_t to,
	    size_t max, struct stats_product **out, size_t *n);

#endif
