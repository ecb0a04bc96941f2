/*
 * order_place.h: placing an order from a cart, in one transaction.
 *
 * order_place() reads the cart's lines and today's prices again (the
 * form carries none), prices them with quote_compute() for the address,
 * shipping method and coupon, and compares the total with the one the
 * shopper reviewed. Then, in this order: the stock of each line with
 * one conditional UPDATE (stock never goes below zero, whatever runs at
 * the same time), the coupon's use, the order with every figure as a
 * snapshot, its lines, its first history row, the cart emptied, the
 * jobs shop.order_received and shop.order_new that name it (for an
 * offline payment method: an online one's wait for the payment,
 * order_status.c), and its number. When anything fails nothing is
 * written.
 *
 * The checkout's review form carries an idempotency key (32 random hex
 * digits): the order it placed is found by it, so a double click or a
 * resubmitted form places nothing twice.
 */
#ifndef SOUK_SHOP_ORDER_PLACE_H
#define SOUK_SHOP_ORDER_PLACE_H

#include <stdint.h>
#include "core/field.h"
#include "core/fx.h"
#include "core/str.h"
#include "shop/address.h"
#include "shop/cart.h"
#include "shop/ctx.h"
#include "shop/payment.h"
#include "shop/quote.h"

#define ORDER_KEY_HEX	32	/* idem_key and access_key */

/* A line of an order placed without a cart. */
struct order_place_line {
	int64_t			 product_id;
	int64_t			 variant_id;	/* 0: none */
	int64_t			 qty;		/* >= 1 */
};

struct order_place_in {
	int64_t			 cart_id;	/* 0: lines below */
	int64_t			 customer_id;	/* 0: a guest */
	struct str		 email;
	struct str		 locale;	/* the shopper's: mail in it */
	struct address		 ship;
	struct address		 bill;		/* as ship when the same */
	int64_t			 method_id;	/* shipping */
	const struct payment_method *pay;
	struct str		 idem_key;	/* ORDER_KEY_HEX hex digits */
	int64_t			 reviewed_total; /* what the review showed */
	/* The shopper's display currency (NULL or the base: none) and the
	 * rates it was shown at (may be NULL). */
	const char		*display_currency;
	const struct fx_rates	*rates;
	/* Without a cart (cart_id 0): the lines and coupon code an
	 * integration gives (POST /wp-json/wc/v3/orders), read with
	 * today's prices (cart_line_read()) and priced as a cart's;
	 * reviewed_total is not compared (nobody reviewed: the quote is
	 * the order's). At most CART_LINES_MAX lines. */
	const struct order_place_line *lines;
	size_t			 nlines;
	struct str		 coupon;
	const char		*created_via;	/* NULL: "checkout" */
	/* Who placed it, for the history: "" the shopper; else staff
	 * named so (an API key: "API: its description"). */
	struct str		 placed_by;
	struct str		 customer_note;
};

struct order_place_out {
	int64_t		 number;
	char		 access_key[ORDER_KEY_HEX + 1];
	int		 existing;	/* the key had placed it already */
	/* The figures: the order's, or the new ones when the total
	 * changed (field "total"). */
	struct quote	 quote;
	/* Field "stock": the line that ran short (left: how many are). */
	struct cart_problem short_line;
};

/*
 * Places the order. SHOP_OK: out->number and access_key (existing set
 * when the key's order was there already: it is found by the unique
 * key's refusal, or by the cart being gone, not looked up first). SHOP_EINVAL with errs:
 * "cart" (empty), "stock" (out->short_line), "total" (out->quote holds
 * the new figures), "coupon", "ship_country", "method_id" (from
 * quote_compute() or the coupon's use), "idem_key" (malformed).
 * SHOP_EDB. Nothing is written unless SHOP_OK. Without a cart, "cart" is
 * no lines, and "stock" also a line not sold (out->short_line names
 * it).
 */
int	order_place(struct shop_ctx *ctx, const struct order_place_in *in,
	    struct order_place_out *out, struct field_errors *errs);

/* Queues the "order received" and "new order" mails of order id, in
 * the caller's transaction. SHOP_OK, SHOP_EDB. */
int	order_place_mails(struct shop_ctx *ctx, int64_t id);

/* The number and access key of the order idem_key placed into out;
 * SHOP_ENOTFOUND when none. */
int	order_by_idem_key(struct shop_ctx *ctx, struct str idem_key,
	    struct order_place_out *out);

#endif
