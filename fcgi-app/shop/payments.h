/*
 * payments.h: money received for an order, and its place in the books.
 *
 * A payment is a row of {p}payments and a "payment" entry in the
 * ledger (ledger.h): Dr the method's account (payment.h), Cr 1100
 * receivable; when a gateway reports a fee, also Dr 6100 fees, Cr 1240
 * the gateway's balance. Recording an order's first payment also posts
 * its sale (revenue is recognised when an order is paid) and sets its
 * paid_at, in the same transaction.
 *
 * Offline payments (bank transfer, cheque, cash) are recorded by the
 * merchant's "mark paid" (order_status.c) for the order's total. A card
 * gateway records its own from its webhook with its name and its
 * payment's id: the pair is unique, so a webhook delivered twice
 * records one payment (PAYMENT_ALREADY). It records the payment first,
 * then moves the order on (order_status_set() to processing), whose
 * "mark paid" then finds nothing more due and records nothing: the
 * other way round, mark paid would record the total as paid by the
 * order's method without the gateway's id, and the webhook's payment
 * would be a second one.
 *
 * Texts in are the caller's; lists out live in ctx->a.
 */
#ifndef SOUK_SHOP_PAYMENTS_H
#define SOUK_SHOP_PAYMENTS_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/order_status.h"

#define PAYMENT_GATEWAY_MAX	20	/* characters, ASCII */
#define PAYMENT_REF_MAX		255

/* payment_record()'s answer when gateway and gateway_ref were recorded
 * already: nothing was written. */
#define PAYMENT_ALREADY		1

struct payment {
	int64_t		 id;
	int64_t		 order_id;
	struct str	 method;	/* "bacs" */
	int64_t		 amount;
	int64_t		 fee;
	struct str	 gateway;	/* "" offline */
	struct str	 gateway_ref;
	struct str	 created_at;	/* "YYYY-MM-DD HH:MM:SS" UTC */
	int64_t		 staff_id;	/* 0: none */
};

/*
 * Records amount (> 0) received for order_id by method (a code of
 * payment.h), with the gateway's fee (>= 0, <= amount), gateway and
 * gateway_ref ("" and "" for an offline payment; printable ASCII up to
 * the limits above), by who (NULL: the system). Runs in the caller's
 * transaction when one is open (order_status.c's), else in its own.
 * Posts the order's sale when not yet posted, sets its paid_at, then
 * the payment and its entry. *payment_id (may be NULL) gets the new
 * row's id. Returns SHOP_OK; PAYMENT_ALREADY (the gateway's id was
 * recorded before: nothing written); SHOP_ENOTFOUND (no such order);
 * SHOP_EINVAL (an argument is bad: logged); SHOP_EDB.
 */
int	payment_record(struct shop_ctx *ctx, int64_t order_id,
	    struct str method, int64_t amount, int64_t fee,
	    struct str gateway, struct str gateway_ref,
	    const struct order_who *who, int64_t *payment_id);

/*
 * "Mark paid" for an order o (order_lock()'s row) in the caller's
 * transaction: posts its sale, and records what is still due of its
 * total as paid by its own (offline) method. An order a gateway paid
 * already gets no second payment. SHOP_OK, SHOP_EDB.
 */
int	payment_mark_paid(struct shop_ctx *ctx, const struct order *o,
	    const struct order_who *who);

/* The payments of order_id, oldest first, in ctx->a: *out, *n.
 * SHOP_OK, SHOP_EDB. */
int	payment_list(struct shop_ctx *ctx, int64_t order_id,
	    struct payment **out, size_t *n);

#endif
