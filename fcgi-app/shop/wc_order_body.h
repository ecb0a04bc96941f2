/*
 * wc_order_body.h: the bodies WooCommerce's v3 API sends for orders,
 * their notes and refunds, and customers, read and checked whole
 * before anything is written (issue 12, point 7); no HTTP here
 * (web/wc_orders.c and web/wc_customers.c answer).
 *
 * Types are WordPress's: an integer is a JSON integer or a string of
 * digits, a boolean true/false (or "true", "false", "1", "0", 1, 0),
 * text a JSON string; anything else, an unknown enum value, a negative
 * quantity, text past its limit (in characters) or not valid text is
 * an error naming the field as a client wrote it ("billing.email",
 * "line_items[2].quantity"). Keys souk does not know are ignored, as
 * WordPress ignores them. Errors carry untranslated messages (N_());
 * the names live in the arena given.
 *
 * Strings read point into the body's json objects: the caller keeps
 * the body until it is done with the result.
 */
#ifndef SOUK_SHOP_WC_ORDER_BODY_H
#define SOUK_SHOP_WC_ORDER_BODY_H

#include <stddef.h>
#include <stdint.h>
#include <json.h>

#include "core/arena.h"
#include "core/field.h"
#include "core/str.h"
#include "shop/address.h"

#define WC_BODY_LINES_MAX	100	/* line_items of one order */
#define WC_BODY_NOTE_MAX	2000	/* order_status.h's ORDER_NOTE_MAX */
#define WC_BODY_CUSTOMER_NOTE_MAX 2000
#define WC_BODY_EMAIL_MAX	254
#define WC_BODY_PASSWORD_MAX	200
#define WC_BODY_BATCH_MAX	100	/* create + update + delete */

/* WooCommerce's order statuses (its names: wc_order_status_name()). */
enum wc_status {
	WC_ST_PENDING = 0,
	WC_ST_PROCESSING,
	WC_ST_ON_HOLD,
	WC_ST_COMPLETED,
	WC_ST_CANCELLED,
	WC_ST_REFUNDED,
	WC_ST_FAILED,
	WC_ST_TRASH,
	WC_ST__MAX
};

const char	*wc_order_status_name(enum wc_status s);
/* The status named s, or -1. */
int		 wc_order_status_parse(struct str s);

/* An address as a body gives it: each member given or not. */
struct wc_address_in {
	int		 present;	/* the object was in the body */
	struct address	 a;		/* first_name + " " + last_name */
	int		 has_name, has_company, has_line1, has_line2,
			 has_city, has_region, has_postcode, has_country,
			 has_phone;
	struct str	 first_name, last_name;
	struct str	 email;		/* billing only */
	int		 has_email;
};

/* PUT /orders/{id}. */
struct wc_order_update {
	int		 status;	/* enum wc_status, -1 absent */
	int		 set_paid;	/* -1 absent, 0, 1 */
	int		 has_customer_note;
	struct str	 customer_note;
	struct wc_address_in billing, shipping;
};

int	wc_order_update_parse(json_object *body, struct arena *a,
	    struct wc_order_update *out, struct field_errors *errs);

/* A line of POST /orders. */
struct wc_line_in {
	int64_t		 product_id;
	int64_t		 variation_id;	/* 0 none */
	int64_t		 quantity;	/* >= 1 */
};

/* POST /orders. */
struct wc_order_create {
	struct wc_line_in *lines;
	size_t		 nlines;
	struct wc_address_in billing, shipping;
	int64_t		 customer_id;	/* 0: a guest */
	struct str	 payment_method;	/* "" the shop's first */
	int64_t		 shipping_method_id;	/* 0 none given */
	struct str	 coupon_code;	/* "" none */
	int		 set_paid;	/* 0 or 1 */
	int		 status;	/* enum wc_status, -1 absent */
	struct str	 customer_note;
};

int	wc_order_create_parse(json_object *body, struct arena *a,
	    struct wc_order_create *out, struct field_errors *errs);

/* POST /orders/{id}/notes. */
struct wc_note_in {
	struct str	 note;		/* 1..WC_BODY_NOTE_MAX characters */
	int		 customer_note;	/* to the shopper; else private */
};

int	wc_note_parse(json_object *body, struct arena *a,
	    struct wc_note_in *out, struct field_errors *errs);

/* A line of POST /orders/{id}/refunds. */
struct wc_refund_line_in {
	int64_t		 id;		/* the order line's */
	int64_t		 quantity;	/* >= 0; 0 lines are skipped */
};

/* POST /orders/{id}/refunds. amount is a decimal string in the
 * currency's decimals; money_parse() it with the shop's currency. */
struct wc_refund_body {
	int		 has_amount;
	struct str	 amount;
	struct str	 reason;
	struct wc_refund_line_in *lines;
	size_t		 nlines;
	int		 restock;	/* restock_items */
	int		 api_refund;	/* default 1 */
};

int	wc_refund_parse(json_object *body, struct arena *a,
	    struct wc_refund_body *out, struct field_errors *errs);

/* POST and PUT /customers. */
struct wc_customer_in {
	int		 has_email;
	struct str	 email;
	int		 has_first_name, has_last_name;
	struct str	 first_name, last_name;
	int		 has_password;
	struct str	 password;
	struct wc_address_in billing, shipping;
};

int	wc_customer_parse(json_object *body, struct arena *a,
	    struct wc_customer_in *out, struct field_errors *errs);

/* The name first and last make: "First Last", either alone, or "". */
struct str	wc_body_name(struct arena *a, struct str first,
		    struct str last);

/*
 * A batch body {"create": [...], "update": [...], "delete": [...]}:
 * each an array (absent: empty); create and update of objects, delete
 * of ids; at most WC_BODY_BATCH_MAX items in all. 0, or -1 with errs.
 */
struct wc_batch {
	json_object	**create, **update;
	size_t		  ncreate, nupdate;
	int64_t		 *del;
	size_t		  ndel;
};

int	wc_batch_parse(json_object *body, struct arena *a,
	    struct wc_batch *out, struct field_errors *errs);

/* An id of an update item ("id"): > 0, or 0 with errs. */
int64_t	wc_body_id(json_object *item, struct arena *a, const char *field,
	    struct field_errors *errs);

/*
 * An ISO 8601 date-time as WordPress reads after/before
 * ("2026-01-02T10:00:00", fractional seconds, "Z" or "+01:00"), into
 * "YYYY-MM-DD HH:MM:SS" UTC: without an offset it is the shop's clock
 * (tz; NULL or "" UTC) unless gmt. 0, or -1 when s is not one.
 */
int	wc_body_date(struct str s, const char *tz, int gmt, char out[20]);

#endif
