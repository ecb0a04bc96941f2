/* wc_order_body.c: v3 order, note, refund and customer bodies
 * (wc_order_body.h). */
#include "core/common.h"

#include <time.h>
#include "core/i18n.h"
#include "core/tz.h"
#include "shop/wc_order_body.h"

static const char *const status_names[WC_ST__MAX] = {
	[WC_ST_PENDING] = "pending", [WC_ST_PROCESSING] = "processing",
	[WC_ST_ON_HOLD] = "on-hold", [WC_ST_COMPLETED] = "completed",
	[WC_ST_CANCELLED] = "cancelled", [WC_ST_REFUNDED] = "refunded",
	[WC_ST_FAILED] = "failed", [WC_ST_TRASH] = "trash",
};

const char *
wc_order_status_name(enum wc_status s)
{
	return (unsigned)s < WC_ST__MAX ? status_names[s] : "pending";
}

int
wc_order_status_parse(struct str s)
{
	return str_index(s, status_names, WC_ST__MAX);
}

/* What a reader of one body shares. */
struct rd {
	struct arena		*a;
	struct field_errors	*errs;
};

static const char *
path(struct rd *r, const char *prefix, const char *key)
{
	if (prefix == NULL || prefix[0] == '\0')
		return arena_strdup(r->a, key);
	return arena_printf(r->a, "%s.%s", prefix, key);
}

static void
bad(struct rd *r, const char *field, const char *msgid)
{
	field_errors_add(r->errs, field, msgid);
}

/* The member key of o, or NULL (absent, or JSON null: WordPress reads
 * null as not given). */
static json_object *
member(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

/* Text of at most max characters: 1 read, 0 absent, -1 bad. */
static int
get_text(struct rd *r, json_object *o, const char *prefix, const char *key,
    size_t max, struct str *out)
{
	json_object	*v = member(o, key);
	struct str	 s;

	*out = STR("");
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		bad(r, path(r, prefix, key), N_("This field must be a text "
		    "(a JSON string)."));
		return -1;
	}
	s = (struct str){ json_object_get_string(v),
	    (size_t)json_object_get_string_len(v) };
	if (!str_valid_text(s)) {
		bad(r, path(r, prefix, key), N_("This text holds characters "
		    "souk does not accept (not UTF-8, or control "
		    "characters)."));
		return -1;
	}
	if (str_chars(s) > max) {
		bad(r, path(r, prefix, key), N_("This text is too long."));
		return -1;
	}
	*out = s;
	return 1;
}

/* An integer in [min, max]: 1 read, 0 absent, -1 bad. */
static int
get_int(struct rd *r, json_object *o, const char *prefix, const char *key,
    int64_t min, int64_t max, int64_t *out)
{
	json_object	*v = member(o, key);
	int64_t		 n;

	if (v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_int)) {
		n = json_object_get_int64(v);
		/* json-c clamps what does not fit: never a value here. */
		if (n == INT64_MAX || n == INT64_MIN) {
			bad(r, path(r, prefix, key), N_("This number is out "
			    "of range."));
			return -1;
		}
	} else if (json_object_is_type(v, json_type_string)) {
		struct str s = { json_object_get_string(v),
		    (size_t)json_object_get_string_len(v) };

		if (str_to_i64(s, INT64_MIN, INT64_MAX, &n) == -1) {
			bad(r, path(r, prefix, key), N_("This field must be "
			    "an integer."));
			return -1;
		}
	} else {
		bad(r, path(r, prefix, key), N_("This field must be an "
		    "integer."));
		return -1;
	}
	if (n < min || n > max) {
		bad(r, path(r, prefix, key), min == 0 ? N_("This number must "
		    "not be negative.") : min == 1 ? N_("This number must be "
		    "1 or more.") : N_("This number is out of range."));
		return -1;
	}
	*out = n;
	return 1;
}

/* A boolean: 1 read, 0 absent, -1 bad. */
static int
get_bool(struct rd *r, json_object *o, const char *prefix, const char *key,
    int *out)
{
	json_object *v = member(o, key);

	if (v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_boolean)) {
		*out = json_object_get_boolean(v) != 0;
		return 1;
	}
	if (json_object_is_type(v, json_type_int) &&
	    (json_object_get_int64(v) == 0 || json_object_get_int64(v) == 1)) {
		*out = json_object_get_int64(v) == 1;
		return 1;
	}
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);

		if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0) {
			*out = 1;
			return 1;
		}
		if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0) {
			*out = 0;
			return 1;
		}
	}
	bad(r, path(r, prefix, key), N_("This field must be true or false."));
	return -1;
}

/* An object member: the object, NULL absent; bad types are errors. */
static json_object *
get_obj(struct rd *r, json_object *o, const char *key, int *err)
{
	json_object *v = member(o, key);

	if (v != NULL && !json_object_is_type(v, json_type_object)) {
		bad(r, arena_strdup(r->a, key), N_("This field must be an "
		    "object."));
		*err = 1;
		return NULL;
	}
	return v;
}

/* An array member of at most max elements: the array, NULL absent. */
static json_object *
get_arr(struct rd *r, json_object *o, const char *key, size_t max, int *err)
{
	json_object *v = member(o, key);

	if (v == NULL)
		return NULL;
	if (!json_object_is_type(v, json_type_array)) {
		bad(r, arena_strdup(r->a, key), N_("This field must be a "
		    "list (a JSON array)."));
		*err = 1;
		return NULL;
	}
	if (json_object_array_length(v) > max) {
		bad(r, arena_strdup(r->a, key), N_("This list has too many "
		    "items."));
		*err = 1;
		return NULL;
	}
	return v;
}

struct str
wc_body_name(struct arena *a, struct str first, struct str last)
{
	first = str_trim(first);
	last = str_trim(last);
	if (first.len == 0)
		return last;
	if (last.len == 0)
		return first;
	return str_c(arena_printf(a, "%.*s %.*s", (int)first.len, first.p,
	    (int)last.len, last.p));
}

/* billing or shipping (key): each member as WooCommerce names it. The
 * address itself is checked (address_check()) by the shop function
 * that uses it: here types and lengths. */
static void
address_in(struct rd *r, json_object *body, const char *key,
    struct wc_address_in *ad)
{
	json_object	*o;
	int		 err = 0;
	size_t		 half = ADDRESS_NAME_MAX;

	memset(ad, 0, sizeof(*ad));
	if ((o = get_obj(r, body, key, &err)) == NULL)
		return;
	ad->present = 1;
	/* Both read, whichever is there. */
	ad->has_name = get_text(r, o, key, "first_name", half,
	    &ad->first_name) == 1;
	if (get_text(r, o, key, "last_name", half, &ad->last_name) == 1)
		ad->has_name = 1;
	ad->has_company = get_text(r, o, key, "company", ADDRESS_NAME_MAX,
	    &ad->a.company) == 1;
	ad->has_line1 = get_text(r, o, key, "address_1", ADDRESS_LINE_MAX,
	    &ad->a.line1) == 1;
	ad->has_line2 = get_text(r, o, key, "address_2", ADDRESS_LINE_MAX,
	    &ad->a.line2) == 1;
	ad->has_city = get_text(r, o, key, "city", ADDRESS_CITY_MAX,
	    &ad->a.city) == 1;
	ad->has_region = get_text(r, o, key, "state", ADDRESS_REGION_MAX,
	    &ad->a.region) == 1;
	ad->has_postcode = get_text(r, o, key, "postcode",
	    ADDRESS_POSTCODE_MAX, &ad->a.postcode) == 1;
	ad->has_country = get_text(r, o, key, "country", 2,
	    &ad->a.country) == 1;
	ad->has_phone = get_text(r, o, key, "phone", ADDRESS_PHONE_MAX,
	    &ad->a.phone) == 1;
	if (strcmp(key, "billing") == 0)
		ad->has_email = get_text(r, o, key, "email",
		    WC_BODY_EMAIL_MAX, &ad->email) == 1;
	if (ad->has_name)
		ad->a.name = wc_body_name(r->a, ad->first_name,
		    ad->last_name);
	if (str_chars(ad->a.name) > ADDRESS_NAME_MAX)
		bad(r, path(r, key, "last_name"), N_("This text is too long."));
}

static int
status_in(struct rd *r, json_object *body, int *out)
{
	struct str s;

	*out = -1;
	if (get_text(r, body, NULL, "status", 20, &s) != 1)
		return 0;
	if ((*out = wc_order_status_parse(s)) < 0) {
		bad(r, "status", N_("status is not one of pending, processing, "
		    "on-hold, completed, cancelled, refunded, failed, trash."));
		return -1;
	}
	return 1;
}

int
wc_order_update_parse(json_object *body, struct arena *a,
    struct wc_order_update *out, struct field_errors *errs)
{
	struct rd r = { a, errs };

	memset(out, 0, sizeof(*out));
	errs->n = 0;
	out->set_paid = -1;
	(void)status_in(&r, body, &out->status);
	(void)get_bool(&r, body, NULL, "set_paid", &out->set_paid);
	out->has_customer_note = get_text(&r, body, NULL, "customer_note",
	    WC_BODY_CUSTOMER_NOTE_MAX, &out->customer_note) == 1;
	address_in(&r, body, "billing", &out->billing);
	address_in(&r, body, "shipping", &out->shipping);
	return errs->n ? -1 : 0;
}

int
wc_order_create_parse(json_object *body, struct arena *a,
    struct wc_order_create *out, struct field_errors *errs)
{
	struct rd	 r = { a, errs };
	json_object	*arr, *it;
	int		 err = 0;
	size_t		 i, n;

	memset(out, 0, sizeof(*out));
	errs->n = 0;
	(void)status_in(&r, body, &out->status);
	(void)get_bool(&r, body, NULL, "set_paid", &out->set_paid);
	(void)get_int(&r, body, NULL, "customer_id", 0, INT64_MAX,
	    &out->customer_id);
	(void)get_text(&r, body, NULL, "payment_method", 20,
	    &out->payment_method);
	(void)get_text(&r, body, NULL, "customer_note",
	    WC_BODY_CUSTOMER_NOTE_MAX, &out->customer_note);
	address_in(&r, body, "billing", &out->billing);
	address_in(&r, body, "shipping", &out->shipping);
	if ((arr = get_arr(&r, body, "line_items", WC_BODY_LINES_MAX,
	    &err)) != NULL) {
		n = json_object_array_length(arr);
		out->lines = arena_calloc(a, n ? n : 1, sizeof(*out->lines));
		for (i = 0; i < n; i++) {
			const char *p = arena_printf(a, "line_items[%zu]", i);
			struct wc_line_in *l = &out->lines[out->nlines];

			it = json_object_array_get_idx(arr, i);
			if (!json_object_is_type(it, json_type_object)) {
				bad(&r, p, N_("This field must be an "
				    "object."));
				continue;
			}
			if (get_int(&r, it, p, "product_id", 1, INT64_MAX,
			    &l->product_id) == 0)
				bad(&r, path(&r, p, "product_id"),
				    N_("Give the product's id."));
			(void)get_int(&r, it, p, "variation_id", 0, INT64_MAX,
			    &l->variation_id);
			l->quantity = 1;
			(void)get_int(&r, it, p, "quantity", 1, 1000000,
			    &l->quantity);
			out->nlines++;
		}
	}
	if (!err && out->nlines == 0 && errs->n == 0)
		bad(&r, "line_items", N_("An order needs at least one line "
		    "item."));
	if ((arr = get_arr(&r, body, "shipping_lines", 1, &err)) != NULL &&
	    json_object_array_length(arr) == 1) {
		it = json_object_array_get_idx(arr, 0);
		if (!json_object_is_type(it, json_type_object))
			bad(&r, "shipping_lines[0]", N_("This field must be "
			    "an object."));
		else if (get_int(&r, it, "shipping_lines[0]", "instance_id", 1,
		    INT64_MAX, &out->shipping_method_id) == 0) {
			/* WooCommerce's method_id is a kind ("flat_rate");
			 * souk's methods are by id: instance_id, or a
			 * method_id of digits. */
			struct str s;

			if (get_text(&r, it, "shipping_lines[0]", "method_id",
			    40, &s) == 1 && str_to_i64(s, 1, INT64_MAX,
			    &out->shipping_method_id) == -1)
				bad(&r, "shipping_lines[0].method_id",
				    N_("Give the shipping method's id (its "
				    "number in the shop's shipping "
				    "settings)."));
		}
	}
	if ((arr = get_arr(&r, body, "coupon_lines", 1, &err)) != NULL &&
	    json_object_array_length(arr) == 1) {
		it = json_object_array_get_idx(arr, 0);
		if (!json_object_is_type(it, json_type_object))
			bad(&r, "coupon_lines[0]", N_("This field must be an "
			    "object."));
		else
			(void)get_text(&r, it, "coupon_lines[0]", "code", 40,
			    &out->coupon_code);
	}
	return errs->n || err ? -1 : 0;
}

int
wc_note_parse(json_object *body, struct arena *a, struct wc_note_in *out,
    struct field_errors *errs)
{
	struct rd r = { a, errs };

	memset(out, 0, sizeof(*out));
	errs->n = 0;
	if (get_text(&r, body, NULL, "note", WC_BODY_NOTE_MAX, &out->note) ==
	    0 || (errs->n == 0 && str_trim(out->note).len == 0))
		bad(&r, "note", N_("Write a note of 1 to 2000 characters."));
	(void)get_bool(&r, body, NULL, "customer_note", &out->customer_note);
	return errs->n ? -1 : 0;
}

int
wc_refund_parse(json_object *body, struct arena *a,
    struct wc_refund_body *out, struct field_errors *errs)
{
	struct rd	 r = { a, errs };
	json_object	*arr, *it;
	int		 err = 0;
	size_t		 i, n;

	memset(out, 0, sizeof(*out));
	errs->n = 0;
	out->api_refund = 1;
	out->has_amount = get_text(&r, body, NULL, "amount", 30,
	    &out->amount) == 1;
	(void)get_text(&r, body, NULL, "reason", 500, &out->reason);
	(void)get_bool(&r, body, NULL, "restock_items", &out->restock);
	(void)get_bool(&r, body, NULL, "api_refund", &out->api_refund);
	if ((arr = get_arr(&r, body, "line_items", WC_BODY_LINES_MAX,
	    &err)) != NULL) {
		n = json_object_array_length(arr);
		out->lines = arena_calloc(a, n ? n : 1, sizeof(*out->lines));
		for (i = 0; i < n; i++) {
			const char *p = arena_printf(a, "line_items[%zu]", i);
			struct wc_refund_line_in *l = &out->lines[out->nlines];

			it = json_object_array_get_idx(arr, i);
			if (!json_object_is_type(it, json_type_object)) {
				bad(&r, p, N_("This field must be an "
				    "object."));
				continue;
			}
			if (get_int(&r, it, p, "id", 1, INT64_MAX, &l->id) ==
			    0)
				bad(&r, path(&r, p, "id"), N_("Give the order "
				    "line's id."));
			(void)get_int(&r, it, p, "quantity", 0, 1000000,
			    &l->quantity);
			out->nlines++;
		}
	}
	return errs->n || err ? -1 : 0;
}

int
wc_customer_parse(json_object *body, struct arena *a,
    struct wc_customer_in *out, struct field_errors *errs)
{
	struct rd r = { a, errs };

	memset(out, 0, sizeof(*out));
	errs->n = 0;
	out->has_email = get_text(&r, body, NULL, "email", WC_BODY_EMAIL_MAX,
	    &out->email) == 1;
	out->has_first_name = get_text(&r, body, NULL, "first_name",
	    ADDRESS_NAME_MAX, &out->first_name) == 1;
	out->has_last_name = get_text(&r, body, NULL, "last_name",
	    ADDRESS_NAME_MAX, &out->last_name) == 1;
	out->has_password = get_text(&r, body, NULL, "password",
	    WC_BODY_PASSWORD_MAX, &out->password) == 1;
	address_in(&r, body, "billing", &out->billing);
	address_in(&r, body, "shipping", &out->shipping);
	return errs->n ? -1 : 0;
}

int64_t
wc_body_id(json_object *item, struct arena *a, const char *field,
    struct field_errors *errs)
{
	struct rd	 r = { a, errs };
	int64_t		 id = 0;

	if (!json_object_is_type(item, json_type_object) ||
	    get_int(&r, item, NULL, "id", 1, INT64_MAX, &id) != 1) {
		errs->n = 0;
		field_errors_add(errs, field, N_("Give the id of the item to "
		    "update."));
		id = 0;
	}
	return id;
}

int
wc_batch_parse(json_object *body, struct arena *a, struct wc_batch *out,
    struct field_errors *errs)
{
	struct rd	 r = { a, errs };
	json_object	*c, *u, *d, *v;
	int		 err = 0;
	size_t		 i, nc, nu, nd;

	memset(out, 0, sizeof(*out));
	errs->n = 0;
	c = get_arr(&r, body, "create", WC_BODY_BATCH_MAX, &err);
	u = get_arr(&r, body, "update", WC_BODY_BATCH_MAX, &err);
	d = get_arr(&r, body, "delete", WC_BODY_BATCH_MAX, &err);
	if (err)
		return -1;
	nc = c ? json_object_array_length(c) : 0;
	nu = u ? json_object_array_length(u) : 0;
	nd = d ? json_object_array_length(d) : 0;
	if (nc + nu + nd > WC_BODY_BATCH_MAX) {
		bad(&r, "create", N_("A batch holds at most 100 items in "
		    "all."));
		return -1;
	}
	out->create = arena_calloc(a, nc + 1, sizeof(*out->create));
	out->update = arena_calloc(a, nu + 1, sizeof(*out->update));
	out->del = arena_calloc(a, nd + 1, sizeof(*out->del));
	for (i = 0; i < nc; i++) {
		v = json_object_array_get_idx(c, i);
		if (!json_object_is_type(v, json_type_object))
			bad(&r, arena_printf(a, "create[%zu]", i),
			    N_("This field must be an object."));
		out->create[out->ncreate++] = v;
	}
	for (i = 0; i < nu; i++) {
		v = json_object_array_get_idx(u, i);
		if (!json_object_is_type(v, json_type_object))
			bad(&r, arena_printf(a, "update[%zu]", i),
			    N_("This field must be an object."));
		out->update[out->nupdate++] = v;
	}
	for (i = 0; i < nd; i++) {
		int64_t id = 0;

		v = json_object_array_get_idx(d, i);
		if (json_object_is_type(v, json_type_int))
			id = json_object_get_int64(v);
		else if (json_object_is_type(v, json_type_string) &&
		    str_to_i64c(json_object_get_string(v), 1, INT64_MAX,
		    &id) == -1)
			id = 0;
		if (id < 1 || id == INT64_MAX) {
			bad(&r, arena_printf(a, "delete[%zu]", i),
			    N_("This field must be an integer."));
			continue;
		}
		out->del[out->ndel++] = id;
	}
	return errs->n ? -1 : 0;
}

static int
digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static int
num(const char *p, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*p++ - '0');
	return v;
}

int
wc_body_date(struct str s, const char *tz, int gmt, char out[20])
{
	const char	*p = s.p;
	size_t		 i = 19;
	int		 Y, M, D, h, m, sec, off = 0, has_off = 0;
	struct tm	 tm;
	time_t		 t;

	/* YYYY-MM-DDTHH:MM:SS */
	if (s.len < 19 || !digits(p, 4) || p[4] != '-' || !digits(p + 5, 2) ||
	    p[7] != '-' || !digits(p + 8, 2) || (p[10] != 'T' &&
	    p[10] != 't' && p[10] != ' ') || !digits(p + 11, 2) ||
	    p[13] != ':' || !digits(p + 14, 2) || p[16] != ':' ||
	    !digits(p + 17, 2))
		return -1;
	Y = num(p, 4);
	M = num(p + 5, 2);
	D = num(p + 8, 2);
	h = num(p + 11, 2);
	m = num(p + 14, 2);
	sec = num(p + 17, 2);
	if (i < s.len && p[i] == '.') {
		for (i++; i < s.len && p[i] >= '0' && p[i] <= '9'; i++)
			;
		if (i == 20)
			return -1;
	}
	if (i < s.len && (p[i] == 'Z' || p[i] == 'z')) {
		has_off = 1;
		i++;
	} else if (i < s.len && (p[i] == '+' || p[i] == '-')) {
		int sign = p[i] == '-' ? -1 : 1, oh, om = 0;

		if (i + 3 > s.len || !digits(p + i + 1, 2))
			return -1;
		oh = num(p + i + 1, 2);
		i += 3;
		if (i < s.len && p[i] == ':')
			i++;
		if (i + 2 <= s.len && digits(p + i, 2)) {
			om = num(p + i, 2);
			i += 2;
		}
		if (oh > 23 || om > 59)
			return -1;
		off = sign * (oh * 3600 + om * 60);
		has_off = 1;
	}
	if (i != s.len || Y < 1970 || Y > 9999 || M < 1 || M > 12 || D < 1 ||
	    D > 31 || h > 23 || m > 59 || sec > 59)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = Y - 1900;
	tm.tm_mon = M - 1;
	tm.tm_mday = D;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec;
	if (has_off || gmt || tz == NULL || tz[0] == '\0')
		t = timegm(&tm) - off;
	else
		t = tz_utc(tz, Y, M, D, h, m, sec);
	if (t == (time_t)-1 || gmtime_r(&t, &tm) == NULL ||
	    tm.tm_year + 1900 < 1970 || tm.tm_year + 1900 > 9999 ||
	    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm) != 19)
		return -1;
	return 0;
}
