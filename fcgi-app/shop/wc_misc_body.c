/* wc_misc_body.c: coupons' and webhooks' v3 bodies into souk's structs
 * (wc_misc_body.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "core/money.h"
#include "shop/wc_misc_body.h"

/* The error's member and message; returns -1. */
static int
fail(const char **field, const char **msgid, const char *f, const char *m)
{
	*field = f;
	*msgid = m;
	return -1;
}

static json_object *
member(json_object *body, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(body, k, &v) ? v : NULL;
}

static struct str
jstr_of(json_object *v)
{
	return (struct str){ json_object_get_string(v),
	    (size_t)json_object_get_string_len(v) };
}

/* A string member of at most max characters, valid UTF-8: 1 present,
 * 0 absent, -1 refused. */
static int
text(json_object *body, const char *k, size_t max, struct str *out,
    const char **field, const char **msgid)
{
	json_object *v;

	if (!json_object_object_get_ex(body, k, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return fail(field, msgid, k, N_("This field must be a string."));
	*out = jstr_of(v);
	if (!str_valid_utf8(*out) || memchr(out->p, '\0', out->len) != NULL)
		return fail(field, msgid, k, N_("This field is not valid "
		    "text."));
	if (str_chars(*out) > max)
		return fail(field, msgid, k, N_("This field is too long."));
	return 1;
}

/* A decimal as WooCommerce takes it: a string, or a JSON number. */
static int
decimal_member(json_object *body, const char *k, struct str *out,
    const char **field, const char **msgid)
{
	json_object *v;

	if (!json_object_object_get_ex(body, k, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string) &&
	    !json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return fail(field, msgid, k, N_("This field must be a decimal "
		    "number in a string, such as \"10.00\"."));
	*out = jstr_of(v);
	if (out->len > 64)
		return fail(field, msgid, k, N_("This field is too long."));
	return 1;
}

static int
boolean(json_object *body, const char *k, int *out, const char **field,
    const char **msgid)
{
	json_object *v;

	if (!json_object_object_get_ex(body, k, &v))
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return fail(field, msgid, k, N_("This field must be true or "
		    "false."));
	*out = json_object_get_boolean(v);
	return 1;
}

/* A count: an integer (or a string of one, as WordPress takes it) of
 * 0 or more; null is 0 when null_zero. */
static int
count(json_object *body, const char *k, int null_zero, int64_t *out,
    const char **field, const char **msgid)
{
	json_object	*v;
	int64_t		 n;

	if (!json_object_object_get_ex(body, k, &v))
		return 0;
	if (v == NULL && null_zero) {
		*out = 0;
		return 1;
	}
	if (json_object_is_type(v, json_type_int)) {
		n = json_object_get_int64(v);
	} else if (!json_object_is_type(v, json_type_string) ||
	    str_to_i64(jstr_of(v), INT64_MIN, INT64_MAX, &n) == -1)
		return fail(field, msgid, k, N_("This field must be an "
		    "integer."));
	if (n < 0 || n > 1000000000)
		return fail(field, msgid, k, N_("This field must be a whole "
		    "number of 0 or more."));
	*out = n;
	return 1;
}

/* An array of positive ids as souk's list "3 17", in a. */
static int
ids(json_object *body, const char *k, struct arena *a, struct str *out,
    const char **field, const char **msgid)
{
	json_object	*v, *e;
	size_t		 i, n;
	char		*buf, *p;
	int64_t		 id;

	if (!json_object_object_get_ex(body, k, &v))
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return fail(field, msgid, k, N_("This field must be an array "
		    "of ids."));
	n = json_object_array_length(v);
	if (n > 100)
		return fail(field, msgid, k, N_("This list has too many "
		    "ids."));
	p = buf = arena_alloc(a, n * 21 + 1);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		if (!json_object_is_type(e, json_type_int) ||
		    (id = json_object_get_int64(e)) <= 0 ||
		    id > 999999999999999999LL)
			return fail(field, msgid, k, N_("This field must be "
			    "an array of ids."));
		p += snprintf(p, 21, "%s%lld", i ? " " : "", (long long)id);
	}
	*p = '\0';
	*out = (struct str){ buf, (size_t)(p - buf) };
	return 1;
}

/* A member souk has no room for: it may only hold its empty value. */
static int
empty_only(json_object *body, const char *k, const char **field,
    const char **msgid, const char *why)
{
	json_object *v;

	if (!json_object_object_get_ex(body, k, &v) || v == NULL)
		return 0;
	if ((json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) == 0) ||
	    (json_object_is_type(v, json_type_string) &&
	    (json_object_get_string_len(v) == 0 ||
	    strspn(json_object_get_string(v), "0.") ==
	    (size_t)json_object_get_string_len(v))) ||
	    (json_object_is_type(v, json_type_boolean) &&
	    !json_object_get_boolean(v)) ||
	    (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) == 0))
		return 0;
	return fail(field, msgid, k, why);
}

/* "2026-12-31", "2026-12-31T10:00:00" or "2026-12-31 10:00:00": the
 * day; null or "" never. */
static int
day(json_object *body, const char *k, struct str *out, const char **field,
    const char **msgid)
{
	json_object	*v;
	struct str	 s;

	if (!json_object_object_get_ex(body, k, &v))
		return 0;
	if (v == NULL) {
		*out = STR_NULL;
		return 1;
	}
	if (!json_object_is_type(v, json_type_string))
		return fail(field, msgid, k, N_("Enter a date such as "
		    "2026-12-31, or nothing."));
	s = jstr_of(v);
	if (s.len == 0) {
		*out = s;
		return 1;
	}
	if (s.len != 10 && !(s.len >= 19 && s.len <= 25 && (s.p[10] == 'T' ||
	    s.p[10] == ' ')))
		return fail(field, msgid, k, N_("Enter a date such as "
		    "2026-12-31, or nothing."));
	*out = (struct str){ s.p, 10 };	/* coupon_check() checks the day */
	return 1;
}

int
wc_coupon_body(json_object *body, struct arena *a, const char *currency,
    struct coupon *c, const char **field, const char **msgid)
{
	static const char *const types[] = { "percent", "fixed_cart",
	    "fixed_product" };
	static const char *const statuses[] = { "publish", "draft" };
	struct str	 s, amount = STR_NULL;
	int		 rc, free_ship = c->kind == COUPON_FREE_SHIPPING, t;
	int		 type = c->kind == COUPON_PERCENT ? 0 : 1, st, b;
	json_object	*v;

	if (!json_object_is_type(body, json_type_object))
		return fail(field, msgid, "", N_("The body must be a JSON "
		    "object."));
	if ((rc = text(body, "code", COUPON_CODE_MAX, &s, field, msgid)) < 0)
		return -1;
	/* Copies: the caller may release body before saving. */
	if (rc)
		c->code = str_c(arena_strndup(a, s.p, s.len));
	if ((rc = text(body, "discount_type", 20, &s, field, msgid)) < 0)
		return -1;
	if (rc) {
		if ((t = str_index(s, types, NELEM(types))) < 0)
			return fail(field, msgid, "discount_type",
			    N_("discount_type is not one of percent, "
			    "fixed_cart, fixed_product."));
		if (t == 2)
			return fail(field, msgid, "discount_type",
			    N_("souk has no fixed_product coupons: use "
			    "fixed_cart with product_ids."));
		type = t;
	}
	if (boolean(body, "free_shipping", &free_ship, field, msgid) < 0 ||
	    (rc = decimal_member(body, "amount", &amount, field, msgid)) < 0)
		return -1;
	if (free_ship) {
		/* souk's free-shipping coupon takes nothing off. */
		if (rc && empty_only(body, "amount", field, msgid,
		    N_("souk's free-shipping coupons take no amount off: "
		    "send amount 0.")) < 0)
			return -1;
		c->kind = COUPON_FREE_SHIPPING;
		c->amount = 0;
	} else {
		enum coupon_kind was = c->kind;

		c->kind = type == 0 ? COUPON_PERCENT : COUPON_FIXED;
		if (!rc && was != c->kind)
			return fail(field, msgid, "amount", N_("Send the "
			    "amount with a new discount_type."));
		if (rc && c->kind == COUPON_PERCENT &&
		    coupon_percent_parse(amount, &c->amount) == -1)
			return fail(field, msgid, "amount", N_("Enter a "
			    "percentage over 0 and at most 100, such as 10 or "
			    "12.5."));
		if (rc && c->kind == COUPON_FIXED &&
		    money_parse(amount, currency, &c->amount) == -1)
			return fail(field, msgid, "amount", N_("Enter an "
			    "amount such as 4.90."));
	}
	if ((rc = decimal_member(body, "minimum_amount", &s, field,
	    msgid)) < 0)
		return -1;
	if (rc && s.len == 0)
		c->min_spend = 0;
	else if (rc && money_parse(s, currency, &c->min_spend) == -1)
		return fail(field, msgid, "minimum_amount", N_("Enter an "
		    "amount such as 4.90."));
	/* The day UTC souk keeps; _gmt wins when both are sent. */
	if (day(body, "date_expires", &c->expires_on, field, msgid) < 0 ||
	    day(body, "date_expires_gmt", &c->expires_on, field, msgid) < 0 ||
	    count(body, "usage_limit", 1, &c->usage_limit, field, msgid) < 0 ||
	    count(body, "usage_limit_per_user", 1, &c->per_customer, field,
	    msgid) < 0 ||
	    ids(body, "product_ids", a, &c->product_ids, field, msgid) < 0 ||
	    ids(body, "product_categories", a, &c->category_ids, field,
	    msgid) < 0)
		return -1;
	c->expires_on = c->expires_on.len == 0 ? str_c("") :
	    str_c(arena_strndup(a, c->expires_on.p, c->expires_on.len));
	if ((rc = text(body, "status", 20, &s, field, msgid)) < 0)
		return -1;
	if (rc) {
		if ((st = str_index(s, statuses, NELEM(statuses))) < 0)
			return fail(field, msgid, "status", N_("status is not "
			    "one of publish, draft."));
		c->active = st == 0;
	}
	if (boolean(body, "individual_use", &b, field, msgid) < 0)
		return -1;
	if (empty_only(body, "maximum_amount", field, msgid,
	    N_("souk's coupons have no maximum spend.")) < 0 ||
	    empty_only(body, "excluded_product_ids", field, msgid,
	    N_("souk's coupons exclude no products: list those they are "
	    "for in product_ids.")) < 0 ||
	    empty_only(body, "excluded_product_categories", field, msgid,
	    N_("souk's coupons exclude no categories: list those they are "
	    "for in product_categories.")) < 0 ||
	    empty_only(body, "exclude_sale_items", field, msgid,
	    N_("souk's coupons apply to items on sale too.")) < 0 ||
	    empty_only(body, "email_restrictions", field, msgid,
	    N_("souk's coupons are not limited to e-mail addresses.")) < 0 ||
	    empty_only(body, "limit_usage_to_x_items", field, msgid,
	    N_("souk's coupons apply to every eligible item.")) < 0 ||
	    empty_only(body, "description", field, msgid,
	    N_("souk's coupons have no description.")) < 0)
		return -1;
	if ((v = member(body, "meta_data")) != NULL &&
	    !json_object_is_type(v, json_type_array))
		return fail(field, msgid, "meta_data", N_("This field must be "
		    "an array."));
	return 0;
}

int
wc_webhook_body(json_object *body, struct wc_webhook_in *in,
    const char **field, const char **msgid)
{
	struct str	s;
	int		rc;

	if (!json_object_is_type(body, json_type_object))
		return fail(field, msgid, "", N_("The body must be a JSON "
		    "object."));
	if ((rc = text(body, "name", WC_WEBHOOK_NAME_MAX, &s, field,
	    msgid)) < 0)
		return -1;
	if (rc)
		in->name = s;
	if ((rc = text(body, "status", 20, &s, field, msgid)) < 0)
		return -1;
	if (rc && wc_webhook_status_parse(s, &in->status) == -1)
		return fail(field, msgid, "status", N_("status is not one of "
		    "active, paused, disabled."));
	if ((rc = text(body, "topic", 100, &s, field, msgid)) < 0)
		return -1;
	if (rc)
		in->topic = s;
	if ((rc = text(body, "delivery_url", WC_WEBHOOK_URL_MAX, &s, field,
	    msgid)) < 0)
		return -1;
	if (rc)
		in->delivery_url = s;
	if ((rc = text(body, "secret", WC_WEBHOOK_SECRET_MAX, &s, field,
	    msgid)) < 0)
		return -1;
	if (rc)
		in->secret = s;
	return 0;
}
