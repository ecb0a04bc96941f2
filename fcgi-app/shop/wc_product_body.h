/*
 * wc_product_body.h: the JSON body of a product or a variation sent to
 * the shop's WooCommerce-compatible API (POST and PUT
 * /wp-json/wc/v3/products[/{id}], products/{id}/variations[/{id}], and
 * the items of their batches), checked whole and turned into typed
 * values, before anything is read or written. No HTTP and no database
 * here: the fuzz target tests/fuzz/wc_product_body.c calls it alone.
 *
 * Types follow WordPress's schema validation (rest_validate_value_
 * from_schema()): a string field takes a JSON string only (a price of
 * 12.5 is refused: WooCommerce's prices are strings); an integer field
 * takes an integer or a string of digits; a boolean true, false, 0, 1
 * or their strings; an enum one of its names. Texts are valid UTF-8
 * without control characters, their limits counted in characters.
 * Fields WooCommerce has and souk does not keep are accepted with their
 * empty value and refused with anything else (a "grouped" type, a
 * second category, backorders allowed), so that nothing a client sends
 * is silently dropped; short_description, tags, meta_data and the
 * other fields souk has nothing for are ignored, as WooCommerce ignores
 * unknown keys. The README lists both.
 *
 * Dates: date_on_sale_from/to are the shop's clock (tz), their _gmt
 * twins UTC; the _gmt one wins when both are sent. null or "" is no
 * date.
 *
 * Errors go into errs as (field, untranslated msgid): the field is the
 * JSON key ("regular_price"), a literal. What is returned lives in a
 * (texts point into the JSON object too: keep it until done).
 */
#ifndef SOUK_SHOP_WC_PRODUCT_BODY_H
#define SOUK_SHOP_WC_PRODUCT_BODY_H

#include <stdint.h>
#include <time.h>
#include <json.h>

#include "core/arena.h"
#include "core/field.h"
#include "core/str.h"

#define WC_PB_NAME_MAX		200	/* characters, product_texts.name */
#define WC_PB_SKU_MAX		64
#define WC_PB_DESC_MAX		65536	/* characters, HTML included */
#define WC_PB_IMAGES_MAX	20
#define WC_PB_ATTRS_MAX		16
#define WC_PB_OPTIONS_MAX	64

/* Which fields the body has: a PUT changes those only. */
enum wc_pb_has {
	WC_PB_HAS_NAME		= 1 << 0,
	WC_PB_HAS_SLUG		= 1 << 1,
	WC_PB_HAS_SKU		= 1 << 2,
	WC_PB_HAS_TYPE		= 1 << 3,
	WC_PB_HAS_STATUS	= 1 << 4,
	WC_PB_HAS_FEATURED	= 1 << 5,
	WC_PB_HAS_PRICE		= 1 << 6,
	WC_PB_HAS_SALE_PRICE	= 1 << 7,
	WC_PB_HAS_SALE_FROM	= 1 << 8,
	WC_PB_HAS_SALE_TO	= 1 << 9,
	WC_PB_HAS_DESCRIPTION	= 1 << 10,
	WC_PB_HAS_STOCK		= 1 << 11,
	WC_PB_HAS_WEIGHT	= 1 << 12,
	WC_PB_HAS_TAX_CLASS	= 1 << 13,
	WC_PB_HAS_CATEGORIES	= 1 << 14,
	WC_PB_HAS_IMAGES	= 1 << 15,
	WC_PB_HAS_ATTRIBUTES	= 1 << 16,
	WC_PB_HAS_ID		= 1 << 17,
};

/* An attribute of the body: a product's {id or name, options[]}, a
 * variation's {id or name, option} (one option). */
struct wc_pb_attribute {
	int64_t		 id;		/* 0: by name */
	struct str	 name;
	struct str	*options;
	size_t		 noptions;
};

struct wc_pb_image {
	int64_t		 id;		/* 0: by src */
	struct str	 src;
};

struct wc_product_body {
	unsigned	 has;		/* enum wc_pb_has */
	int64_t		 id;		/* a batch update's item */
	struct str	 name, slug, sku, description;
	int		 variable;	/* type: 0 simple, 1 variable */
	int		 publish;	/* status: 1 publish, 0 draft */
	int		 featured;
	struct str	 regular_price;	/* decimal as sent, trimmed */
	struct str	 sale_price;	/* "": no sale */
	time_t		 sale_from, sale_to;	/* UTC; 0: open */
	int64_t		 stock;		/* stock_quantity, >= 0 */
	int64_t		 weight_g;	/* weight ("0.250" kg) in grams */
	const char	*tax_class;	/* souk's: "standard", "reduced",
					   "zero" (static) */
	int64_t		 category_id;	/* 0: none (categories []) */
	struct wc_pb_image *images;
	size_t		 nimages;
	struct wc_pb_attribute *attrs;
	size_t		 nattrs;
};

enum wc_pb_kind {
	WC_PB_PRODUCT,
	WC_PB_VARIATION,
};

/*
 * Checks JSON object o as a body of kind, into *out, with the shop's
 * time zone tz (NULL or "": UTC). Returns 0, or -1 with at least one
 * error in errs (o not an object is an error on "body").
 */
int	wc_product_body_parse(struct arena *a, json_object *o,
	    enum wc_pb_kind kind, const char *tz,
	    struct wc_product_body *out, struct field_errors *errs);

/* "YYYY-MM-DD HH:MM:SS" of UTC time t into a (sale_parse_time()'s
 * form); "" for 0. */
struct str	wc_product_body_time(struct arena *a, time_t t);

#endif
