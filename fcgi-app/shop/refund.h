/*
 * refund.h: money given back for a paid order, and its place in the
 * books.
 *
 * A refund is either an amount (1 .. what was paid and not yet
 * refunded) or quantities of the order's lines (each within what was
 * ordered minus what earlier refunds gave back), optionally with the
 * items put back in stock. Its parts:
 *   by lines:  each line's own total and tax for the quantity, taken
 *              cumulatively (what k units of a line refund is the
 *              line's figure for all units refunded so far, less the
 *              figure before), so refunding a line in pieces gives back
 *              exactly its total and its tax;
 *   by amount: pro rata over the order's tax and shipping (tax =
 *              amount * order.tax / order.total, rounded half up), the
 *              tax shared over the sale's tax lines by rate.
 * The "refund" entry: Dr 4020 the amount net of tax, Dr 2200 its tax
 * per (rate, country), Cr the paying method's account (payment.h) the
 * amount.
 *
 * refund_create() writes the refund, its lines, the stock, an
 * order_events row, the shopper's mail job (shop.order_refunded) and,
 * for an offline payment, the entry and the credit note
 * (credit_note.h; "succeeded" at once: the merchant gives the money
 * back by hand), all in one transaction. A refund of a
 * gateway's payment is written "pending" and posts nothing: the card
 * slice asks its gateway, then calls refund_settle() with the answer,
 * which posts the entry and issues the credit note on success (and
 * only then mails).
 *
 * Texts in are the caller's; what comes out lives in ctx->a.
 */
#ifndef SOUK_SHOP_REFUND_H
#define SOUK_SHOP_REFUND_H

#include <stddef.h>
#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/order.h"
#include "shop/order_status.h"

#define REFUND_REASON_MAX	500	/* characters */

enum refund_status {
	REFUND_PENDING = 0,
	REFUND_SUCCEEDED,
	REFUND_FAILED,
};

struct refund_line_in {
	int64_t		order_line_id;
	int64_t		qty;		/* > 0; 0 lines are skipped */
};

struct refund_in {
	/* Exactly one of the two: amount > 0, or lines with a qty. */
	int64_t			 amount;
	const struct refund_line_in *lines;
	size_t			 nlines;
	int			 restock;	/* by lines only */
	struct str		 reason;	/* 0..REFUND_REASON_MAX */
};

struct refund {
	int64_t			 id;
	int64_t			 order_id;
	int64_t			 payment_id;	/* 0: none */
	int64_t			 amount;	/* with tax */
	int64_t			 tax;
	int64_t			 shipping;	/* part of amount */
	struct str		 reason;
	int			 restock;
	enum refund_status	 status;
	struct str		 gateway;	/* "" offline */
	struct str		 gateway_ref;
	struct str		 created_at;	/* "YYYY-MM-DD HH:MM:SS" UTC */
	int64_t			 staff_id;
};

/* The column's value ("pending") of s. */
const char	*refund_status_name(enum refund_status s);

/*
 * Refunds order number as in says, for who, in one transaction (see
 * above); *out gets the refund written. Returns SHOP_OK; SHOP_ENOTFOUND
 * (no such order in this shop); SHOP_EINVAL with errs on "amount" (not
 * paid, zero, more than is left, both or neither of amount and lines),
 * "lines" (a line not of this order), "qty_<line id>" (more than is
 * left of that line; the name lives in ctx->a), "restock" (by amount,
 * or the order was cancelled: its stock came back then),
 * "refund_reason";
 * SHOP_EDB. Nothing is written unless SHOP_OK.
 */
int	refund_create(struct shop_ctx *ctx, int64_t number,
	    const struct refund_in *in, const struct order_who *who,
	    struct refund *out, struct field_errors *errs);

/*
 * The gateway's answer for a pending refund: ok posts its entry and
 * sets it succeeded with gateway_ref (the gateway's id), else it is
 * failed (its amount may be refunded again). SHOP_OK; SHOP_ENOTFOUND;
 * SHOP_ECONFLICT when it is no longer pending; SHOP_EDB.
 */
int	refund_settle(struct shop_ctx *ctx, int64_t refund_id, int ok,
	    struct str gateway_ref);

/* The refunds of order_id, oldest first, in ctx->a. SHOP_OK, SHOP_EDB. */
int	refund_list(struct shop_ctx *ctx, int64_t order_id,
	    struct refund **out, size_t *n);

/*
 * How many units of each of o's lines (o->lines, order_get()) earlier
 * refunds (pending or succeeded) gave back: qty[i] for o->lines[i], an
 * array of o->nlines in ctx->a. SHOP_OK, SHOP_EDB.
 */
int	refund_qty_done(struct shop_ctx *ctx, const struct order *o,
	    int64_t **qty);

#endif
