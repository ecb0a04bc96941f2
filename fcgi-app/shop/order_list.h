/*
 * order_list.h: lists of a shop's orders: the admin's (filtered by
 * status and dates on the shop's clock, searched by number, name or
 * e-mail), one customer's (their history, and the admin's customer page), and the
 * figures of the admin's dashboard (today's and this month's orders
 * and revenue, orders waiting for action, products low in stock).
 *
 * Pages are keyset pages, newest first: a page ends with next, the id
 * to pass as before for the following one (0: no more), so a page costs
 * the same however deep, and orders placed meanwhile do not shift it.
 *
 * Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_ORDER_LIST_H
#define SOUK_SHOP_ORDER_LIST_H

#include <stddef.h>
#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/order.h"

#define ORDER_LIST_PAGE		50	/* orders a page */
#define ORDER_LIST_Q_MAX	200	/* characters searched for */
#define ORDER_LOW_STOCK_MAX	20	/* products the dashboard lists */

/* One order in a list. */
struct order_summary {
	int64_t			 id;
	int64_t			 number;
	enum order_status	 status;
	struct str		 email;
	struct str		 name;		/* billing's, else shipping's */
	int64_t			 items;		/* units over every line */
	int64_t			 total;
	struct str		 currency;
	struct str		 created_at;	/* "YYYY-MM-DD HH:MM:SS" UTC */
};

struct order_page {
	struct order_summary	*v;
	size_t			 n;
	int64_t			 next;	/* before= of the next page; 0: last */
};

struct order_filter {
	int			 has_status;
	enum order_status	 status;
	/* Days "YYYY-MM-DD" on the shop's clock (ctx->time_zone), both
	 * included; "" for no bound. */
	struct str		 from;
	struct str		 to;
	/* An order number, or part of a name or e-mail; "" for all. */
	struct str		 q;
	int64_t			 before;	/* 0: the first page */
};

/* 1 when s is a calendar date "YYYY-MM-DD" (years 1970 to 9999). */
int	order_list_date_valid(struct str s);

/*
 * The admin's page of orders matching f, newest first. SHOP_OK;
 * SHOP_EINVAL with errs ("from", "to": not a date, or to before from;
 * "q": too long or not text); SHOP_EDB.
 */
int	order_list(struct shop_ctx *ctx, const struct order_filter *f,
	    struct order_page *out, struct field_errors *errs);

/*
 * The orders of customer_id (shop/customer.h), newest first, a page of
 * ORDER_LIST_PAGE from before (0: the newest). A customer of another
 * shop, or none, has none. SHOP_OK or SHOP_EDB.
 */
int	order_list_customer(struct shop_ctx *ctx, int64_t customer_id,
	    int64_t before, struct order_page *out);

/* A product, or one of its variants, low in stock. */
struct order_low_stock {
	int64_t		 product_id;
	int64_t		 variant_id;	/* 0: the product itself */
	struct str	 name;		/* in ctx->locale, else the shop's */
	struct str	 variant;	/* the variant's name, or "" */
	struct str	 sku;
	int64_t		 stock;
};

struct order_dashboard {
	/* Orders placed and their totals (base currency), in the day and
	 * month of the shop's clock, the cancelled ones left out. */
	int64_t		 today_orders;
	int64_t		 today_revenue;
	int64_t		 month_orders;
	int64_t		 month_revenue;
	/* Waiting for the merchant: payment to check, parcel to send. */
	int64_t		 on_hold;
	int64_t		 processing;
	/* Active products (or their variants; a product with variants
	 * counts by them) with stock at or below low_stock_at, lowest
	 * first, at most ORDER_LOW_STOCK_MAX; low_more when there are
	 * more. */
	int64_t		 low_stock_at;	/* settings low_stock */
	struct order_low_stock *low;
	size_t		 nlow;
	int		 low_more;
};

/* The dashboard's figures. SHOP_OK or SHOP_EDB. */
int	order_dashboard(struct shop_ctx *ctx, struct order_dashboard *out);

#endif
