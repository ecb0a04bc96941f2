/*
 * order.h: a shop's orders: what one holds, and reading one back.
 *
 * An order is a snapshot taken when it was placed (sql/shop/003): its
 * lines with every price, discount and tax, the shipping and its tax,
 * the totals, the currency charged (the shop's base), the currency and
 * exchange rate the shopper was shown, the coupon, the addresses and
 * the methods. Nothing in it follows later changes of prices, rates or
 * coupons. Its number runs per shop from ORDER_FIRST_NUMBER:
 * the id in the shop's orders table plus 1000, with a
 * gap only where a transaction was rolled back after its insert.
 *
 * Placing an order is order_place() (the checkout's, below); its life
 * afterwards (paid, shipped, cancelled, notes) is order_status.h's;
 * lists for the admin and the shopper are order_list.h's.
 *
 * Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_ORDER_H
#define SOUK_SHOP_ORDER_H

#define ORDER_FIRST_NUMBER	1001	/* a shop's first order */

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "shop/address.h"
#include "shop/ctx.h"

enum order_status {
	ORDER_PENDING = 0,	/* waiting for an online payment */
	ORDER_ON_HOLD,		/* offline payment expected */
	ORDER_PROCESSING,	/* paid, to be shipped */
	ORDER_SHIPPED,
	ORDER_COMPLETED,
	ORDER_CANCELLED,
	ORDER__MAX
};

/* The column's value ("on-hold") and back; parse: -1 when unknown. */
const char	*order_status_name(enum order_status s);
int		 order_status_parse(struct str s, enum order_status *out);

/* The shopper's and merchant's word for it, untranslated (N_(): the
 * caller gettexts it): "On hold". */
const char	*order_status_label(enum order_status s);

struct order_line {
	int64_t		 id;
	int64_t		 product_id;
	int64_t		 variant_id;	/* 0: none */
	struct str	 sku;
	struct str	 name;
	struct str	 variant;	/* "M / Blue", or "" */
	int64_t		 qty;
	int64_t		 unit_price;	/* as entered */
	struct str	 tax_class;
	int32_t		 tax_rate;	/* millionths */
	int64_t		 subtotal;
	int64_t		 discount;
	int64_t		 tax;
	int64_t		 total;
};

enum order_actor {
	ORDER_BY_SHOPPER = 0,
	ORDER_BY_STAFF,
	ORDER_BY_SYSTEM,
};

enum order_event_kind {
	ORDER_EV_STATUS = 0,
	ORDER_EV_NOTE,		/* to the shopper too */
	ORDER_EV_PRIVATE,	/* the merchant's only */
};

struct order_event {
	int64_t			 id;
	struct str		 at;		/* "YYYY-MM-DD HH:MM:SS" UTC */
	enum order_actor	 actor;
	int64_t			 staff_id;	/* 0 unless staff */
	struct str		 actor_email;
	enum order_event_kind	 kind;
	struct str		 from_status;	/* "" for the first */
	struct str		 to_status;
	struct str		 note;
};

struct order {
	int64_t		 id;
	int64_t		 number;
	enum order_status status;
	int64_t		 customer_id;	/* 0: a guest, or anonymised */
	struct str	 email;
	struct str	 locale;
	struct str	 access_key;	/* a guest's link to it */
	struct str	 currency;
	int		 prices_include_tax;
	int64_t		 subtotal;
	int64_t		 discount;
	int64_t		 shipping;
	int64_t		 shipping_tax;
	int64_t		 tax;
	int64_t		 total;
	struct str	 display_currency;
	int64_t		 fx_rate;	/* display per base, times 10^8 */
	int64_t		 display_total;
	int64_t		 coupon_id;
	struct str	 coupon_code;
	int64_t		 ship_method_id;
	struct str	 ship_kind;	/* "flat", ... ; "" none */
	struct str	 ship_method;
	struct str	 payment_method;	/* "bacs", "cheque", "cod" */
	struct address	 bill;
	struct address	 ship;
	struct str	 carrier;
	struct str	 tracking_number;
	struct str	 tracking_url;
	struct str	 created_at;	/* "YYYY-MM-DD HH:MM:SS" UTC */
	struct str	 paid_at;	/* "" when not */
	struct str	 shipped_at;
	struct order_line *lines;
	size_t		 nlines;
	struct order_event *events;	/* oldest first; with_events only */
	size_t		 nevents;
};

/*
 * The order with this number, its lines, and (when with_events) its
 * history. SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. by_id: look up by the
 * internal id instead of the number.
 */
int	order_get(struct shop_ctx *ctx, int64_t number, int with_events,
	    struct order *out);
int	order_get_by_id(struct shop_ctx *ctx, int64_t id, int with_events,
	    struct order *out);

/* The same, FOR UPDATE in the caller's transaction (order_status.c):
 * the order row only, no lines or events. */
int	order_lock(struct shop_ctx *ctx, int64_t number, struct order *out);

#endif
