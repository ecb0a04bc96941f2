/*
 * refund_issue.h: a refund as the merchant (or a return) asks for it,
 * carried through to the gateway that took the payment.
 *
 * refund_issue() is refund_create() (refund.h) and, for a refund of a
 * card payment (written pending), the gateway's part, outside the
 * transaction: Stripe's POST /v1/refunds under Idempotency-Key
 * "refund-<id>", then refund_settle() with the answer (succeeded:
 * posted and mailed; refused: failed, its reason kept in
 * {p}card_refunds and shown on the order page; pending at Stripe: its
 * refund.* webhook settles it later). When Stripe cannot be reached
 * the refund stays pending and the reconciliation job
 * (card_reconcile()) sends it again under the same key, so it is never
 * made twice.
 *
 * Results live in ctx->a.
 */
#ifndef SOUK_SHOP_REFUND_ISSUE_H
#define SOUK_SHOP_REFUND_ISSUE_H

#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/refund.h"

struct stripe_refund;

/*
 * As refund_create(), then the gateway's part (above); out->status is
 * the refund's state once the gateway answered (or pending when it did
 * not). Returns refund_create()'s codes: SHOP_OK once the refund is
 * written, whatever the gateway said.
 */
int	refund_issue(struct shop_ctx *ctx, int64_t number,
	    const struct refund_in *in, const struct order_who *who,
	    struct refund *out, struct field_errors *errs);

/*
 * A refund event from the gateway (the webhook): the refund of ours
 * Stripe knows as r->id, when still pending, is settled by r->status
 * ("succeeded"; "failed" or "canceled"; "pending" changes nothing). An
 * id of no refund of this shop changes nothing. SHOP_OK, SHOP_EDB.
 */
int	refund_issue_event(struct shop_ctx *ctx,
	    const struct stripe_refund *r);

/*
 * Sends again every card refund still pending without an answer from
 * the gateway, and asks the gateway about each it answered "pending"
 * more than ten minutes ago whose webhook never came (settled then as
 * by the webhook); *sent gets how many were settled. SHOP_OK,
 * SHOP_EDB.
 */
int	refund_issue_retry(struct shop_ctx *ctx, int64_t *sent);

/* The gateway's reason for failed refund_id, or "" (in ctx->a).
 * SHOP_OK, SHOP_EDB. */
int	refund_issue_error(struct shop_ctx *ctx, int64_t refund_id,
	    struct str *out);

#endif
