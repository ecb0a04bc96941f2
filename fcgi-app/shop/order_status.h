/*
 * order_status.h: an order's life after it was placed: marked paid,
 * shipped (carrier, tracking number, tracking link), completed,
 * cancelled (its stock and its coupon's use given back), and the notes
 * of its history.
 *
 * The allowed changes are one table (order_status.c), read by
 * order_status_allowed() for the buttons a page shows and by
 * order_status_set() for the change itself:
 *
 *	pending     -> on-hold, processing, cancelled
 *	on-hold     -> processing (marked paid), cancelled
 *	processing  -> shipped, completed, cancelled
 *	shipped     -> completed
 *
 * Staff (and the system: a payment gateway, later) may make every one;
 * the shopper only cancels, while the order is pending or on hold.
 *
 * Each change is one transaction: the order row locked (FOR UPDATE),
 * the change checked against the state found there (not the one the
 * page showed), the row updated, an order_events row with who made it,
 * the stock and coupon given back on cancel, the invoice issued when it
 * is paid (shop/invoice.h), and the mail job
 * (shop.order_paid, shop.order_shipped, shop.order_cancelled, payload
 * {"order": number}) enqueued in the same transaction: no mail for a
 * change that did not happen, no change without its mail. Two cancels
 * at once give the stock back once: the second finds it cancelled.
 *
 * Nothing here keeps memory past the call; texts in are the caller's.
 */
#ifndef SOUK_SHOP_ORDER_STATUS_H
#define SOUK_SHOP_ORDER_STATUS_H

#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/order.h"

/* Limits, in characters (the columns' sizes in sql/shop/003). */
#define ORDER_CARRIER_MAX	100
#define ORDER_TRACKING_MAX	100
#define ORDER_TRACKING_URL_MAX	500
#define ORDER_NOTE_MAX		2000

/* order_status_set()'s answer when the order already is in the state
 * asked for (a second click): nothing was written. */
#define ORDER_SAME		1

/* Who makes a change, as the history keeps it. */
struct order_who {
	enum order_actor actor;
	int64_t		 staff_id;	/* staff: their id; else 0 */
	struct str	 email;		/* staff: their e-mail as it is now */
};

struct order_change {
	enum order_status to;
	/* to ORDER_SHIPPED; each may be empty. */
	struct str	 carrier;
	struct str	 tracking_number;
	struct str	 tracking_url;	/* http:// or https:// only */
	struct str	 note;		/* kept with the change; may be "" */
};

/* Nonzero when who may take an order from from to to (the table). */
int	order_status_allowed(enum order_status from, enum order_status to,
	    enum order_actor who);

/* Nonzero when url is a link souk will put in a page and a mail: an
 * absolute http:// or https:// URL with a host, printable ASCII without
 * spaces, quotes or angle brackets, at most ORDER_TRACKING_URL_MAX. */
int	order_tracking_url_valid(struct str url);

/*
 * Takes order number from the state it is in to c->to, for who, in one
 * transaction (see above). Returns:
 *   SHOP_OK		changed
 *   ORDER_SAME		it already was in c->to: nothing written
 *   SHOP_ENOTFOUND	no such order in this shop
 *   SHOP_EDENIED	the table does not allow it (who, or from where
 *			it is now): errs has "status"
 *   SHOP_EINVAL	a field of c is bad: errs has "carrier",
 *			"tracking_number", "tracking_url" or "note"
 *   SHOP_EDB
 */
int	order_status_set(struct shop_ctx *ctx, int64_t number,
	    const struct order_who *who, const struct order_change *c,
	    struct field_errors *errs);

/*
 * Puts qty units back in stock: on the variant variant_id of
 * product_id, or on the product when variant_id is 0 (a cancel, a
 * refund that restocks). Inside the caller's transaction. SHOP_OK or
 * SHOP_EDB.
 */
int	order_stock_return(struct shop_ctx *ctx, int64_t product_id,
	    int64_t variant_id, int64_t qty);

/*
 * Adds a note to order number's history: private (only the merchant
 * sees it) or to the shopper (shown on their order page). note is 1 to
 * ORDER_NOTE_MAX characters. SHOP_OK, SHOP_ENOTFOUND, SHOP_EINVAL
 * (errs: "note"), SHOP_EDB.
 */
int	order_note_add(struct shop_ctx *ctx, int64_t number,
	    const struct order_who *who, struct str note, int private_note,
	    struct field_errors *errs);

#endif
