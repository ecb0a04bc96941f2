/* wc_product_body.c: a product's or variation's API body checked
 * (wc_product_body.h). */
#include "core/common.h"

#include <time.h>

#include "core/i18n.h"
#include "core/tz.h"
#include "shop/sale.h"
#include "shop/wc_product_body.h"

/* A parse: where errors go and what the body is. */
struct pb {
	struct arena		*a;
	struct field_errors	*errs;
	const char		*tz;
	enum wc_pb_kind		 kind;
};

static void
err(struct pb *p, const char *field, const char *msgid)
{
	field_errors_add(p->errs, field, msgid);
}

/* A string field: 0 with *out, or -1 (error added). */
static int
string(struct pb *p, json_object *v, const char *field, size_t max_chars,
    struct str *out)
{
	if (!json_object_is_type(v, json_type_string)) {
		err(p, field, N_("Not of type string."));
		return -1;
	}
	out->p = json_object_get_string(v);
	out->len = (size_t)json_object_get_string_len(v);
	if (!str_valid_text(*out)) {
		err(p, field, N_("Not valid UTF-8 text (or it has control "
		    "characters)."));
		return -1;
	}
	if (str_chars(*out) > max_chars) {
		err(p, field, max_chars == WC_PB_NAME_MAX ?
		    N_("At most 200 characters.") : max_chars == WC_PB_SKU_MAX ?
		    N_("At most 64 characters.") :
		    N_("Too long."));
		return -1;
	}
	return 0;
}

/* An integer field in [min, max]: an integer, or a string of one. */
static int
integer(struct pb *p, json_object *v, const char *field, int64_t min,
    int64_t max, int64_t *out)
{
	int64_t	n;

	if (json_object_is_type(v, json_type_int)) {
		n = json_object_get_int64(v);
		/* json-c clamps what does not fit; past 2^63 is out of any
		 * range here anyway. */
	} else if (json_object_is_type(v, json_type_string)) {
		struct str s = { json_object_get_string(v),
		    (size_t)json_object_get_string_len(v) };

		if (str_to_i64(s, INT64_MIN, INT64_MAX, &n) == -1) {
			err(p, field, N_("Not of type integer."));
			return -1;
		}
	} else {
		err(p, field, N_("Not of type integer."));
		return -1;
	}
	if (n < min || n > max) {
		err(p, field, min == 0 ? N_("Must be 0 or more (and at most "
		    "1000000000).") : N_("Out of range."));
		return -1;
	}
	*out = n;
	return 0;
}

static int
boolean(struct pb *p, json_object *v, const char *field, int *out)
{
	const char *s;

	if (json_object_is_type(v, json_type_boolean)) {
		*out = json_object_get_boolean(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_int) &&
	    (json_object_get_int64(v) == 0 || json_object_get_int64(v) == 1)) {
		*out = (int)json_object_get_int64(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0) {
			*out = 1;
			return 0;
		}
		if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0) {
			*out = 0;
			return 0;
		}
	}
	err(p, field, N_("Not of type boolean."));
	return -1;
}

/* One of names (their index), else -1 and an error. */
static int
enum_of(struct pb *p, json_object *v, const char *field,
    const char *const *names, size_t n, const char *msgid)
{
	struct str	s;
	int		i;

	if (string(p, v, field, 64, &s) == -1)
		return -1;
	if ((i = str_index(s, names, n)) < 0)
		err(p, field, msgid);
	return i;
}

/* A price: "" or digits with at most two decimals ("12.50"); the
 * currency's own decimals are checked by the catalog's save. */
static int
price(struct pb *p, json_object *v, const char *field, int empty_ok,
    struct str *out)
{
	size_t	i, dot = 0, digits = 0;

	if (string(p, v, field, 32, out) == -1)
		return -1;
	*out = str_trim(*out);
	if (out->len == 0) {
		if (!empty_ok) {
			err(p, field, N_("Enter a price such as 12.50."));
			return -1;
		}
		return 0;
	}
	for (i = 0; i < out->len; i++) {
		if (out->p[i] == '.' && !dot && digits > 0)
			dot = i + 1;
		else if (out->p[i] >= '0' && out->p[i] <= '9' &&
		    (!dot || i - dot < 3))
			digits++;
		else {
			err(p, field, N_("Enter a price such as 12.50 (a "
			    "string, 0 or more, at most 3 decimals)."));
			return -1;
		}
	}
	if (digits > 15) {
		err(p, field, N_("Enter a price such as 12.50."));
		return -1;
	}
	return 0;
}

/* "0.25" kg in grams (at most 3 decimals: souk keeps grams). */
static int
weight(struct pb *p, json_object *v, int64_t *grams)
{
	struct str	s;
	int64_t		kg = 0, frac = 0;
	size_t		i, nfrac = 0;
	int		dot = 0;

	if (string(p, v, "weight", 32, &s) == -1)
		return -1;
	s = str_trim(s);
	for (i = 0; i < s.len; i++) {
		if (s.p[i] == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (s.p[i] < '0' || s.p[i] > '9' || (dot && nfrac == 3) ||
		    (!dot && kg > 1000000))
			goto bad;
		if (dot) {
			frac = frac * 10 + (s.p[i] - '0');
			nfrac++;
		} else
			kg = kg * 10 + (s.p[i] - '0');
	}
	while (nfrac++ < 3)
		frac *= 10;
	*grams = kg * 1000 + frac;
	return 0;
bad:
	err(p, "weight", N_("Enter a weight in kg such as 0.25 (a string, at "
	    "most 3 decimals, at most 1000000)."));
	return -1;
}

/* WordPress's date: "YYYY-MM-DDTHH:MM:SS" (or a space, or a date
 * alone; sale_parse_time()'s forms), in tz or UTC (gmt); null or "" is
 * 0. */
static int
date(struct pb *p, json_object *v, const char *field, int gmt, time_t *out)
{
	struct str	 s;
	struct tm	 tm;
	time_t		 t;

	*out = 0;
	if (v == NULL)
		return 0;
	if (string(p, v, field, 32, &s) == -1)
		return -1;
	if (sale_parse_time(s.p, s.len, &t) == -1)
		goto bad;
	if (t != 0 && !gmt && p->tz != NULL && p->tz[0] != '\0') {
		/* The wall clock read as UTC, then in the shop's zone. */
		gmtime_r(&t, &tm);
		t = tz_utc(p->tz, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (t <= 0)
			goto bad;
	}
	*out = t;
	return 0;
bad:
	err(p, field, N_("Enter a date such as 2026-12-24T00:00:00."));
	return -1;
}

static json_object *
key(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

/* A key that is there and not null. */
static json_object *
given(json_object *o, const char *k, int *present)
{
	json_object *v;

	*present = json_object_object_get_ex(o, k, &v);
	return v;
}

/* [{"id": N}]: souk files a product under one category. */
static void
categories(struct pb *p, json_object *v, struct wc_product_body *out)
{
	json_object	*c, *id;
	size_t		 n;

	if (!json_object_is_type(v, json_type_array)) {
		err(p, "categories", N_("Not of type array."));
		return;
	}
	n = json_object_array_length(v);
	if (n > 1) {
		err(p, "categories", N_("A product of this shop has one "
		    "category at most."));
		return;
	}
	out->has |= WC_PB_HAS_CATEGORIES;
	out->category_id = 0;
	if (n == 0)
		return;
	c = json_object_array_get_idx(v, 0);
	if (!json_object_is_type(c, json_type_object) ||
	    (id = key(c, "id")) == NULL) {
		err(p, "categories", N_("Each category is an object with an "
		    "id."));
		return;
	}
	(void)integer(p, id, "categories", 1, INT64_MAX, &out->category_id);
}

static void
images(struct pb *p, json_object *v, struct wc_product_body *out)
{
	json_object	*im, *x;
	size_t		 i, n;

	if (!json_object_is_type(v, json_type_array)) {
		err(p, "images", N_("Not of type array."));
		return;
	}
	n = json_object_array_length(v);
	if (n > WC_PB_IMAGES_MAX || (p->kind == WC_PB_VARIATION && n > 1)) {
		err(p, "images", N_("Too many images."));
		return;
	}
	out->images = arena_calloc(p->a, n + 1, sizeof(*out->images));
	for (i = 0; i < n; i++) {
		struct wc_pb_image *o = &out->images[i];

		im = json_object_array_get_idx(v, i);
		if (!json_object_is_type(im, json_type_object)) {
			err(p, "images", N_("Each image is an object with an "
			    "id or a src."));
			return;
		}
		if ((x = key(im, "id")) != NULL && !(json_object_is_type(x,
		    json_type_int) && json_object_get_int64(x) == 0) &&
		    integer(p, x, "images", 1, INT64_MAX, &o->id) == -1)
			return;
		if (o->id == 0 && (x = key(im, "src")) != NULL &&
		    string(p, x, "images", 1000, &o->src) == -1)
			return;
		if (o->id == 0 && o->src.len == 0) {
			err(p, "images", N_("Each image is an object with an "
			    "id or a src."));
			return;
		}
	}
	out->nimages = n;
	out->has |= WC_PB_HAS_IMAGES;
}

/* A product's [{id or name, options: [..]}], a variation's [{id or
 * name, option}]. */
static void
attributes(struct pb *p, json_object *v, struct wc_product_body *out)
{
	json_object	*at, *x, *opts;
	size_t		 i, k, n;

	if (!json_object_is_type(v, json_type_array)) {
		err(p, "attributes", N_("Not of type array."));
		return;
	}
	if ((n = json_object_array_length(v)) > WC_PB_ATTRS_MAX) {
		err(p, "attributes", N_("Too many attributes."));
		return;
	}
	out->attrs = arena_calloc(p->a, n + 1, sizeof(*out->attrs));
	for (i = 0; i < n; i++) {
		struct wc_pb_attribute *o = &out->attrs[i];

		at = json_object_array_get_idx(v, i);
		if (!json_object_is_type(at, json_type_object)) {
			err(p, "attributes", N_("Each attribute is an object "
			    "with an id or a name."));
			return;
		}
		if ((x = key(at, "id")) != NULL && !(json_object_is_type(x,
		    json_type_int) && json_object_get_int64(x) == 0) &&
		    integer(p, x, "attributes", 1, INT64_MAX, &o->id) == -1)
			return;
		if ((x = key(at, "name")) != NULL &&
		    string(p, x, "attributes", WC_PB_NAME_MAX, &o->name) == -1)
			return;
		if (o->id == 0 && o->name.len == 0) {
			err(p, "attributes", N_("Each attribute is an object "
			    "with an id or a name."));
			return;
		}
		if (p->kind == WC_PB_VARIATION) {
			o->options = arena_calloc(p->a, 1, sizeof(*o->options));
			if ((x = key(at, "option")) == NULL ||
			    string(p, x, "attributes", WC_PB_NAME_MAX,
			    &o->options[0]) == -1 || o->options[0].len == 0) {
				if (x == NULL || p->errs->n == 0)
					err(p, "attributes", N_("Each "
					    "attribute of a variation has an "
					    "option."));
				return;
			}
			o->noptions = 1;
			continue;
		}
		if ((opts = key(at, "options")) == NULL)
			continue;
		if (!json_object_is_type(opts, json_type_array) ||
		    json_object_array_length(opts) > WC_PB_OPTIONS_MAX) {
			err(p, "attributes", N_("options is an array of at "
			    "most 64 strings."));
			return;
		}
		o->noptions = json_object_array_length(opts);
		o->options = arena_calloc(p->a, o->noptions + 1,
		    sizeof(*o->options));
		for (k = 0; k < o->noptions; k++)
			if (string(p, json_object_array_get_idx(opts, k),
			    "attributes", WC_PB_NAME_MAX, &o->options[k]) == -1)
				return;
	}
	out->nattrs = n;
	out->has |= WC_PB_HAS_ATTRIBUTES;
}

/* Fields souk keeps nothing for that take one value only. manage_stock
 * is checked for its type alone: souk counts the stock of a simple
 * product and of each variation, always. */
static void
fixed(struct pb *p, json_object *o)
{
	static const char *const bo[] = { "no", "notify", "yes" };
	json_object	*v;
	int		 b;

	if ((v = key(o, "manage_stock")) != NULL)
		(void)boolean(p, v, "manage_stock", &b);
	if ((v = key(o, "backorders")) != NULL && enum_of(p, v, "backorders",
	    bo, NELEM(bo), N_("backorders is not one of no, notify, yes.")) >
	    0)
		err(p, "backorders", N_("This shop sells no more than it has "
		    "in stock: backorders is \"no\"."));
	if ((v = key(o, "virtual")) != NULL &&
	    boolean(p, v, "virtual", &b) == 0 && b)
		err(p, "virtual", N_("This shop has no virtual products."));
	if ((v = key(o, "downloadable")) != NULL &&
	    boolean(p, v, "downloadable", &b) == 0 && b)
		err(p, "downloadable",
		    N_("This shop has no downloadable products."));
}

static void
texts(struct pb *p, json_object *o, struct wc_product_body *out)
{
	json_object *v;

	if (p->kind == WC_PB_PRODUCT && (v = key(o, "name")) != NULL &&
	    string(p, v, "name", WC_PB_NAME_MAX, &out->name) == 0) {
		out->name = str_trim(out->name);
		out->has |= WC_PB_HAS_NAME;
	}
	if (p->kind == WC_PB_PRODUCT && (v = key(o, "slug")) != NULL &&
	    string(p, v, "slug", 120, &out->slug) == 0)
		out->has |= WC_PB_HAS_SLUG;
	if ((v = key(o, "sku")) != NULL &&
	    string(p, v, "sku", WC_PB_SKU_MAX, &out->sku) == 0)
		out->has |= WC_PB_HAS_SKU;
	if (p->kind == WC_PB_PRODUCT && (v = key(o, "description")) !=
	    NULL && string(p, v, "description", WC_PB_DESC_MAX,
	    &out->description) == 0)
		out->has |= WC_PB_HAS_DESCRIPTION;
	/* Read to be checked, not kept: souk has no short description. */
	if (p->kind == WC_PB_PRODUCT && (v = key(o, "short_description")) !=
	    NULL) {
		struct str s;

		(void)string(p, v, "short_description", WC_PB_DESC_MAX, &s);
	}
}

static void
enums(struct pb *p, json_object *o, struct wc_product_body *out)
{
	static const char *const types[] = { "simple", "variable",
	    "grouped", "external" };
	static const char *const statuses[] = { "draft", "publish",
	    "pending", "private" };
	static const char *const classes[] = { "", "standard",
	    "reduced-rate", "zero-rate" };
	json_object	*v;
	int		 i;

	if (p->kind == WC_PB_PRODUCT && (v = key(o, "type")) != NULL &&
	    (i = enum_of(p, v, "type", types, NELEM(types),
	    N_("type is not one of simple, grouped, external, variable."))) >=
	    0) {
		if (i > 1)
			err(p, "type", N_("This shop has simple and variable "
			    "products only."));
		out->variable = i == 1;
		out->has |= WC_PB_HAS_TYPE;
	}
	if ((v = key(o, "status")) != NULL && (i = enum_of(p, v, "status",
	    statuses, NELEM(statuses), N_("status is not one of draft, "
	    "pending, private, publish."))) >= 0) {
		if (i > 1)
			err(p, "status", N_("This shop's products are "
			    "published or drafts: status is publish or "
			    "draft."));
		out->publish = i == 1;
		out->has |= WC_PB_HAS_STATUS;
	}
	if ((v = key(o, "tax_class")) != NULL && (i = enum_of(p, v,
	    "tax_class", classes, NELEM(classes), N_("tax_class is not one "
	    "of standard, reduced-rate, zero-rate."))) >= 0) {
		out->tax_class = i == 2 ? "reduced" : i == 3 ? "zero" :
		    "standard";
		out->has |= WC_PB_HAS_TAX_CLASS;
	}
}

static void
numbers(struct pb *p, json_object *o, struct wc_product_body *out)
{
	json_object	*v, *g;
	int		 present;

	if (p->kind == WC_PB_PRODUCT && (v = key(o, "featured")) != NULL &&
	    boolean(p, v, "featured", &out->featured) == 0)
		out->has |= WC_PB_HAS_FEATURED;
	if ((v = key(o, "regular_price")) != NULL &&
	    price(p, v, "regular_price", p->kind == WC_PB_VARIATION,
	    &out->regular_price) == 0)
		out->has |= WC_PB_HAS_PRICE;
	if ((v = key(o, "sale_price")) != NULL &&
	    price(p, v, "sale_price", 1, &out->sale_price) == 0)
		out->has |= WC_PB_HAS_SALE_PRICE;
	if ((v = key(o, "stock_quantity")) != NULL &&
	    integer(p, v, "stock_quantity", 0, 1000000000, &out->stock) == 0)
		out->has |= WC_PB_HAS_STOCK;
	if ((v = key(o, "weight")) != NULL &&
	    weight(p, v, &out->weight_g) == 0)
		out->has |= WC_PB_HAS_WEIGHT;
	g = given(o, "date_on_sale_from_gmt", &present);
	if (present ? date(p, g, "date_on_sale_from_gmt", 1,
	    &out->sale_from) == 0 : json_object_object_get_ex(o,
	    "date_on_sale_from", &v) && date(p, v, "date_on_sale_from", 0,
	    &out->sale_from) == 0)
		out->has |= WC_PB_HAS_SALE_FROM;
	g = given(o, "date_on_sale_to_gmt", &present);
	if (present ? date(p, g, "date_on_sale_to_gmt", 1,
	    &out->sale_to) == 0 : json_object_object_get_ex(o,
	    "date_on_sale_to", &v) && date(p, v, "date_on_sale_to", 0,
	    &out->sale_to) == 0)
		out->has |= WC_PB_HAS_SALE_TO;
}

int
wc_product_body_parse(struct arena *a, json_object *o, enum wc_pb_kind kind,
    const char *tz, struct wc_product_body *out, struct field_errors *errs)
{
	struct pb	 p = { a, errs, tz, kind };
	json_object	*v;

	memset(out, 0, sizeof(*out));
	out->publish = 1;
	out->tax_class = "standard";
	errs->n = 0;
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		err(&p, "body", N_("The body is not a JSON object."));
		return -1;
	}
	if ((v = key(o, "id")) != NULL &&
	    integer(&p, v, "id", 1, INT64_MAX, &out->id) == 0)
		out->has |= WC_PB_HAS_ID;
	texts(&p, o, out);
	enums(&p, o, out);
	numbers(&p, o, out);
	fixed(&p, o);
	if (kind == WC_PB_PRODUCT && (v = key(o, "categories")) != NULL)
		categories(&p, v, out);
	if ((v = key(o, kind == WC_PB_PRODUCT ? "images" : "image")) !=
	    NULL) {
		if (kind == WC_PB_VARIATION) {
			/* A variation has one image, an object. */
			json_object *arr = json_object_new_array();

			json_object_array_add(arr, json_object_get(v));
			images(&p, arr, out);
			json_object_put(arr);
		} else
			images(&p, v, out);
	}
	if ((v = key(o, "attributes")) != NULL)
		attributes(&p, v, out);
	return errs->n ? -1 : 0;
}

struct str
wc_product_body_time(struct arena *a, time_t t)
{
	struct tm	tm;
	char		buf[32];

	if (t == 0 || gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return STR("");
	return str_c(arena_strndup(a, buf, strlen(buf)));
}
