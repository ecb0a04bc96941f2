/*
 * invoice.h: a shop's invoices: one per paid order, numbered per shop
 * from 1 without gaps (sql/shop/010).
 *
 * invoice_issue() runs inside the transaction that marks an order paid
 * (shop/order_status.c): the number comes from a counter row whose lock
 * is held until that transaction ends, so a rollback gives the number
 * back and two orders paid at once get two numbers in the order they
 * commit. Marking paid is rare beside placing orders: the lock costs
 * nothing there (order numbers, which every checkout takes, come from
 * the orders' ids instead: order_place.c).
 *
 * What the invoice shows is the order's snapshot (shop/order.h); the
 * invoice adds its number and date. Texts returned live in ctx->a.
 */
#ifndef SOUK_SHOP_INVOICE_H
#define SOUK_SHOP_INVOICE_H

#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

struct invoice {
	int64_t		 number;
	int64_t		 order_id;
	struct str	 issued_at;	/* UTC, "YYYY-MM-DD HH:MM:SS" */
};

/* Issues the invoice of order_id unless it has one; *number (may be
 * NULL) gets its number either way. Call inside a transaction.
 * SHOP_OK or SHOP_EDB. */
int	invoice_issue(struct shop_ctx *ctx, int64_t order_id,
	    int64_t *number);

/* The invoice of order_id: SHOP_OK, SHOP_ENOTFOUND (not paid yet),
 * SHOP_EDB. */
int	invoice_of_order(struct shop_ctx *ctx, int64_t order_id,
	    struct invoice *out);

#endif
