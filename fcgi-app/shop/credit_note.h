/*
 * credit_note.h: a shop's credit notes: one per succeeded refund,
 * numbered per shop from 1 without gaps in a series of their own
 * ("CN-1": {p}invoices rows of kind 'credit_note', sql/shop/010, with
 * the refund's id), correcting the order's invoice (invoice.h).
 *
 * credit_note_issue() runs in the transaction that makes a refund
 * succeed (shop/refund.c's post(), for refund_create()'s offline
 * refunds and refund_settle()'s gateway ones): its number comes from a
 * counter row ('credit_note_number' in {p}settings) whose lock is held
 * until that transaction ends, as the invoices' is, so a rollback gives
 * the number back and two refunds at once get two numbers.
 *
 * What the note shows comes from the books: the refund's lines
 * ({p}refund_lines) and its entry's 4020 and 2200 lines per rate
 * (ledger.h), so its tax per rate is the tax the books took back.
 *
 * Texts and lists returned live in ctx->a.
 */
#ifndef SOUK_SHOP_CREDIT_NOTE_H
#define SOUK_SHOP_CREDIT_NOTE_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

#define CREDIT_NOTE_PREFIX	"CN-"	/* before the number, printed */

struct credit_note {
	int64_t		 number;
	int64_t		 order_id;
	int64_t		 refund_id;
	struct str	 issued_at;	/* UTC, "YYYY-MM-DD HH:MM:SS" */
};

/* The credit note of refund_id (of order_id) unless it has one;
 * *number (may be NULL) gets its number either way. Call inside a
 * transaction. SHOP_OK or SHOP_EDB. */
int	credit_note_issue(struct shop_ctx *ctx, int64_t order_id,
	    int64_t refund_id, int64_t *number);

/* The credit note of refund_id if it belongs to order_id: SHOP_OK,
 * SHOP_ENOTFOUND, SHOP_EDB. */
int	credit_note_of_refund(struct shop_ctx *ctx, int64_t order_id,
	    int64_t refund_id, struct credit_note *out);

/* The order's credit notes, oldest first, into *out and *n (at most
 * 200). SHOP_OK or SHOP_EDB. */
int	credit_note_list(struct shop_ctx *ctx, int64_t order_id,
	    struct credit_note **out, size_t *n);

struct credit_note_line {
	int64_t		 order_line_id;
	int64_t		 qty;
	int64_t		 amount;	/* with tax */
	int64_t		 tax;
};

/* The order lines refund_id gave back (none for a refund by amount).
 * SHOP_OK or SHOP_EDB. */
int	credit_note_lines(struct shop_ctx *ctx, int64_t refund_id,
	    struct credit_note_line **out, size_t *n);

struct credit_note_rate {
	int		 has_rate;	/* 0: net the books keep without a
					 * rate (a refund by amount) */
	int32_t		 rate;		/* millionths */
	int64_t		 net;		/* refunded net of tax, >= 0 */
	int64_t		 tax;
};

/* The refund's entry per rate, highest rate first. SHOP_OK or
 * SHOP_EDB. */
int	credit_note_rates(struct shop_ctx *ctx, int64_t refund_id,
	    struct credit_note_rate **out, size_t *n);

#endif
