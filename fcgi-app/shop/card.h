/*
 * card.h: card payments through the shop's Stripe account (issue 11,
 * part 1): the Checkout Session of a pending "card" order, the webhook
 * that pays or expires it, and the reconciliation job that does what a
 * webhook never delivered would have done.
 *
 * An order paid by card is placed pending and holds its stock
 * (order_place.c takes it). card_checkout() makes a Checkout Session
 * for it and remembers it in {p}card_sessions (sql/shop/011): only a
 * session of that table is this shop's, so an event about another
 * shop's session changes nothing. The order is paid only from a
 * verified webhook or from Stripe's own answer to a GET (the
 * reconciliation's, or the checkout's finding a session paid), never
 * from the shopper's return page, and both go through one function. Paying is one transaction, the order row locked: the payment
 * (payments.h: unique on "stripe" and the payment intent, so a second
 * delivery writes nothing), then order_status_set() to processing,
 * whose "mark paid" posts the sale and issues the invoice and finds
 * nothing more due. The decisions on events out of order:
 *   - completed, order pending (or on hold): paid, processing.
 *   - completed, order cancelled (the hold ran out first) or already
 *     paid otherwise: the payment is recorded all the same (the money
 *     was taken) and a private note on the order asks the merchant to
 *     refund it; the order is not revived.
 *   - expired, order pending and no other session of it open: the
 *     order is cancelled and its stock returns (order_status_set()).
 *   - expired after completed, or for a paid order: nothing (a payment
 *     is never undone).
 * A completed session whose amount or currency is not the order's is
 * logged and not paid.
 *
 * The gateway is called outside every transaction. Results live in
 * ctx->a.
 */
#ifndef SOUK_SHOP_CARD_H
#define SOUK_SHOP_CARD_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

/* card_checkout()'s answer when Stripe failed or refused: the order is
 * still pending, detail says why (English, for the log). */
#define CARD_EGATEWAY		1
/* card_checkout()'s answer when the order needs no session (any more):
 * paid, cancelled, or not a card order. */
#define CARD_ENOTDUE		2

#define CARD_RECONCILE_AFTER	600	/* seconds, config default */

struct card_return {
	const char	*success_url;	/* with {CHECKOUT_SESSION_ID} */
	const char	*cancel_url;
	const char	*locale;	/* the shopper's: "de" */
};

/*
 * The hosted payment page of pending card order number: the open
 * session made before when Stripe says it is still open, else a new
 * one (line items from gateway_stripe_items(), expiring at the order's
 * hold time, Idempotency-Key "order-<id>-session", then "-2", "-3" for
 * later ones). *url (in ctx->a) is where to send the shopper. Returns
 * SHOP_OK; CARD_ENOTDUE (the session was paid meanwhile: the order is
 * paid now; or the order is no longer pending); CARD_EGATEWAY (detail);
 * SHOP_ENOTFOUND; SHOP_EDB.
 */
int	card_checkout(struct shop_ctx *ctx, int64_t number,
	    const struct card_return *ret, const char **url, char *detail,
	    size_t dlen);

/* What card_webhook() answers, as the web layer maps it. */
enum card_webhook_result {
	CARD_WH_OK = 0,		/* 200: handled, or nothing to do */
	CARD_WH_BAD,		/* 400: signature, timestamp or body */
	CARD_WH_RETRY,		/* 503: the database or Stripe failed:
				 * Stripe delivers it again later */
};

/*
 * One webhook delivery: body as received, sig the Stripe-Signature
 * header, now the Unix time. Verified with the shop's webhook secret
 * (no Stripe account connected: CARD_WH_BAD), then acted on as above;
 * refund.* and charge.refunded settle a refund still pending
 * (refund_issue.h). Nothing is written unless the signature verifies.
 */
enum card_webhook_result card_webhook(struct shop_ctx *ctx, struct str body,
	    struct str sig, int64_t now);

struct card_reconcile_stats {
	int64_t	checked;	/* pending card orders looked at */
	int64_t	paid;		/* paid now */
	int64_t	cancelled;	/* past the hold: cancelled */
	int64_t	failed;		/* left for the next run */
};

/*
 * The shop's pending card orders placed at least min_age seconds ago
 * (< 0: config card_reconcile_after, default CARD_RECONCILE_AFTER):
 * each open session is asked of Stripe; a paid one is paid as the
 * webhook would; an order past its hold (settings card_hold_minutes)
 * gets its sessions expired at Stripe (so they cannot be paid) and is
 * cancelled, its stock back, in a transaction that finds it still
 * pending (a webhook that paid it meanwhile wins). Refunds left
 * pending by a gateway that could not be reached are sent again under
 * their idempotency key. SHOP_OK (stats filled; failures are counted
 * and logged), SHOP_EDB when the orders cannot be listed.
 */
int	card_reconcile(struct shop_ctx *ctx, int64_t min_age,
	    struct card_reconcile_stats *st);

#endif
