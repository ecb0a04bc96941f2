/*
 * order_query.h: orders read the way the shop's API lists them
 * (web/wc_orders.c): WooCommerce's filters (its statuses, a time
 * window, a customer, a product, a search), sorts, and offset paging
 * with the total count; and the API's removal of one note from an
 * order's history.
 *
 * A status here is WooCommerce's (shop/wc_json.h maps souk's): an
 * order refunded in full is "refunded" whatever its status, shipped
 * and completed are both "completed". The filter is computed in the
 * statement from the same rule as wc_json_status().
 *
 * The page holds ids only: web/wc_orders.c reads each order with
 * wc_json_order_load() (order, lines, events, refunds). NEEDSWORK:
 * that is four round trips an order, 400 for a page of 100; one
 * statement per part for the whole page (as product_query.c does) if
 * integrations page through many orders.
 *
 * Everything returned lives in ctx->a. Functions return SHOP_OK or a
 * negative enum shop_err (ctx.h).
 */
#ifndef SOUK_SHOP_ORDER_QUERY_H
#define SOUK_SHOP_ORDER_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "shop/address.h"
#include "shop/ctx.h"

#define ORDER_QUERY_MAX		100	/* orders a page */
#define ORDER_QUERY_SEARCH_MAX	200	/* characters searched for */

enum order_query_order {
	OQ_ORDER_DATE,
	OQ_ORDER_ID,
	OQ_ORDER__MAX
};

struct order_query {
	/* WooCommerce's statuses, comma-separated ("pending,on-hold");
	 * "" any. Unknown names match nothing. */
	struct str	 statuses;
	/* Created strictly after and before, "YYYY-MM-DD HH:MM:SS" UTC;
	 * "" for no bound. */
	struct str	 after;
	struct str	 before;
	int64_t		 customer_id;	/* 0: any; -1: guests only */
	int64_t		 product_id;	/* 0: any: else a line of it */
	/* An order number, or part of the e-mail or a name; "" all. */
	struct str	 search;
	enum order_query_order order;
	int		 desc;
	int64_t		 offset;	/* >= 0 */
	int64_t		 limit;		/* 1..ORDER_QUERY_MAX */
};

struct oq_result {
	int64_t		*ids;
	size_t		 n;
	int64_t		 total;		/* orders matching, all pages */
};

/* The page of order ids q asks for, and the total. SHOP_OK, SHOP_EDB. */
int	order_query(struct shop_ctx *ctx, const struct order_query *q,
	    struct oq_result *out);

/*
 * Deletes note event_id (a note, to the shopper or private, never a
 * status change: the history of the order's life stays) of order_id.
 * SHOP_OK, SHOP_ENOTFOUND (no such note of that order), SHOP_EDB.
 */
int	order_query_note_delete(struct shop_ctx *ctx, int64_t order_id,
	    int64_t event_id);

/* An order's edit through the API (PUT /orders/{id}). */
struct order_edit {
	int		 addresses;	/* set email, bill and ship */
	struct str	 email;
	struct address	 bill, ship;	/* checked (address_check()) */
	int		 has_note;
	struct str	 customer_note;
};

/*
 * Writes e to order id in one transaction: the row locked, addresses
 * only while it is pending, on hold or processing (a parcel sent
 * went to the address it had), the order.updated webhook fired.
 * SHOP_OK, SHOP_ENOTFOUND, SHOP_EDENIED (shipped, completed or
 * cancelled: addresses not changed), SHOP_EDB.
 */
int	order_query_edit(struct shop_ctx *ctx, int64_t id,
	    const struct order_edit *e);

#endif
