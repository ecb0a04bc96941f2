/*
 * rma.h: returns (a Return Merchandise Authorization each): a shopper
 * asks to send back units of the lines of a shipped order, with a
 * reason; the merchant approves or refuses, marks the goods received
 * (back in stock, or not) and refunds them.
 *
 * A return's id is its number in the shop ("Return 3"). What may be
 * asked, checked in the transaction with the order row locked (so two
 * requests for the same units at once: the second finds them taken):
 *   - the shop takes returns (setting return_days > 0);
 *   - the order is shipped or completed, and shipped (else completed,
 *     else placed) at most return_days days ago;
 *   - per line, at most what was bought less what refunds gave back
 *     (refund_qty_done()) less what open returns (requested, approved,
 *     received) ask already: a refunded return's units are counted by
 *     its refund;
 *   - a reason of the list below and a note of at most RMA_NOTE_MAX
 *     characters.
 *
 * The changes are one table (rma.c), read by rma_allowed() for the
 * buttons and by rma_set() for the change:
 *
 *	requested -> approved, refused (staff), cancelled (anyone)
 *	approved  -> received, cancelled (staff), refunded (rma_refund())
 *	received  -> refunded (rma_refund())
 *
 * Each change locks the order, then the return, checks the state found
 * there, writes the return, a private order_events row (the history of
 * the order the merchant reads) and the shopper's mail job
 * (shop.return_*, payload {"order": number, "return": id}; a request
 * also mails the merchant, with "merchant": 1) in one transaction.
 * rma_refund() refunds the return's lines through refund_issue(),
 * never restocking (a return puts its goods back at "received" or
 * never); its mail is the refund's own. The refund runs outside the
 * return's transactions (a card refund asks its gateway, which no
 * transaction may wait for or repeat): a first transaction marks the
 * return "refunding" (a second click finds it so), the refund runs, a
 * last one records it refunded with the refund's id, or clears the
 * mark when the refund was refused.
 *
 * Texts in are the caller's; everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_RMA_H
#define SOUK_SHOP_RMA_H

#include <stddef.h>
#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/order.h"
#include "shop/order_status.h"
#include "shop/refund.h"

#define RMA_NOTE_MAX		1000	/* characters, each note */
#define RMA_LIST_PAGE		50
#define RMA_DAYS_MAX		3650	/* the return_days setting */

enum rma_status {
	RMA_REQUESTED = 0,
	RMA_APPROVED,
	RMA_REFUSED,
	RMA_RECEIVED,
	RMA_REFUNDED,
	RMA_CANCELLED,
	RMA__MAX
};

enum rma_reason {
	RMA_DAMAGED = 0,
	RMA_WRONG_ITEM,
	RMA_NOT_AS_DESCRIBED,
	RMA_UNWANTED,
	RMA_OTHER,
	RMA_REASON__MAX
};

/* Why an order takes no return now (rma_open()). */
enum rma_why {
	RMA_OPEN = 0,		/* units are left to return */
	RMA_NO_RETURNS,		/* the shop takes none (return_days 0) */
	RMA_NOT_SHIPPED,	/* not shipped or completed */
	RMA_TOO_LATE,		/* past the window */
	RMA_NOTHING_LEFT,	/* every unit refunded or on a return */
};

struct rma_line {
	int64_t		 order_line_id;
	int64_t		 qty;
	struct str	 name;		/* the order line's */
	struct str	 variant;
	struct str	 sku;
};

struct rma {
	int64_t			 id;
	int64_t			 order_id;
	int64_t			 order_number;
	int64_t			 customer_id;	/* 0: a guest */
	enum rma_status		 status;
	enum rma_reason		 reason;
	struct str		 note;		/* the shopper's */
	struct str		 merchant_note;	/* to the shopper */
	int			 restock;
	int64_t			 refund_id;	/* 0: none */
	int			 refunding;	/* a refund under way */
	struct str		 locale;
	struct str		 created_at;	/* "YYYY-MM-DD HH:MM:SS" UTC */
	struct str		 updated_at;
	struct str		 email;		/* the order's */
	struct rma_line		*lines;
	size_t			 nlines;
};

struct rma_line_in {
	int64_t		order_line_id;
	int64_t		qty;		/* 0 lines are skipped */
};

struct rma_in {
	const struct rma_line_in *lines;
	size_t			 nlines;
	enum rma_reason		 reason;
	struct str		 note;		/* 0..RMA_NOTE_MAX */
	struct str		 locale;	/* the mails' language */
};

/* What an order may still send back: why, and per line of o (qty[i]
 * for o->lines[i], in ctx->a) the units left. */
struct rma_open {
	enum rma_why	 why;
	int64_t		*left;
	int64_t		 days;		/* the shop's return_days */
};

struct rma_change {
	enum rma_status	 to;		/* approved, refused, received,
					   cancelled */
	struct str	 note;		/* refused, approved: to the shopper */
	int		 restock;	/* received: back in stock */
};

/* The column's value ("not_as_described") and back (-1: unknown), and
 * the words for people, untranslated (N_(): the caller gettexts). */
const char	*rma_status_name(enum rma_status s);
int		 rma_status_parse(struct str s, enum rma_status *out);
const char	*rma_status_label(enum rma_status s);
const char	*rma_reason_name(enum rma_reason r);
int		 rma_reason_parse(struct str s, enum rma_reason *out);
const char	*rma_reason_label(enum rma_reason r);

/* Nonzero when who may take a return from from to to (the table;
 * refunded is rma_refund()'s, staff only). */
int	rma_allowed(enum rma_status from, enum rma_status to,
	    enum order_actor who);

/*
 * Whether o (with its lines, order_get()) takes a return now, and what
 * of each line: out->why and out->left. Read without locks: the page's
 * view; rma_request() checks again under the order's lock. SHOP_OK,
 * SHOP_EDB.
 */
int	rma_open(struct shop_ctx *ctx, const struct order *o,
	    struct rma_open *out);

/*
 * Asks to return in's lines of order number, for who (the order's
 * customer, if any, is the return's). *out gets the return written. SHOP_OK; SHOP_ENOTFOUND;
 * SHOP_EDENIED with errs "lines" when the order takes no return
 * (rma_open()'s why in *why, may be NULL); SHOP_EINVAL with errs on
 * "lines" (none asked, a line not of this order), "qty_<line id>"
 * (more than is left; the name lives in ctx->a), "reason", "note";
 * SHOP_EDB.
 */
int	rma_request(struct shop_ctx *ctx, int64_t number,
	    const struct rma_in *in, const struct order_who *who,
	    struct rma *out, enum rma_why *why, struct field_errors *errs);

/*
 * Takes return id to c->to, for who. SHOP_OK; ORDER_SAME (it was in
 * c->to already: nothing written); SHOP_ENOTFOUND; SHOP_EDENIED (the
 * table says no, errs "status"); SHOP_EINVAL (errs "note"); SHOP_EDB.
 */
int	rma_set(struct shop_ctx *ctx, int64_t id, const struct order_who *who,
	    const struct rma_change *c, struct field_errors *errs);

/*
 * Refunds return id's lines (approved or received) through
 * refund_issue() (the gateway's part included) and marks it refunded
 * with the refund's id (see above). *out gets the refund. SHOP_OK; ORDER_SAME (refunded
 * already); SHOP_ENOTFOUND; SHOP_EDENIED (errs "status");
 * SHOP_ECONFLICT (errs "status": a refund of it is under way);
 * SHOP_EINVAL (refund_create()'s errs: the order is not paid, its
 * lines refunded since by hand); SHOP_EDB (when after the refund, the
 * return stays marked refunding: logged).
 */
int	rma_refund(struct shop_ctx *ctx, int64_t id,
	    const struct order_who *who, struct refund *out,
	    struct field_errors *errs);

/* Return id with its lines. SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	rma_get(struct shop_ctx *ctx, int64_t id, struct rma *out);

/* The returns of order_id, oldest first, with their lines. SHOP_OK,
 * SHOP_EDB. */
int	rma_of_order(struct shop_ctx *ctx, int64_t order_id, struct rma **v,
	    size_t *n);

/*
 * A page of the shop's returns, newest first: of status (-1: all), ids
 * below before (0: from the newest); lines not read. *next is the
 * before of the next page, 0 at the end. SHOP_OK, SHOP_EDB.
 */
int	rma_list(struct shop_ctx *ctx, int status, int64_t before,
	    struct rma **v, size_t *n, int64_t *next);

/* How many returns wait for the merchant (requested). -1 on error. */
int64_t	rma_count_requested(struct shop_ctx *ctx);

#endif
