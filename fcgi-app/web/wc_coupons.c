/*
 * wc_coupons.c: /wp-json/wc/v3/coupons: list, get, create, update,
 * delete and batch, in WooCommerce v3's JSON (its "coupons" schema),
 * through shop/coupon.h, the admin's own functions.
 *
 * Mapping (README, "WooCommerce API"): souk's percent coupon is
 * "percent" (amount "12.50" percent), its fixed one "fixed_cart" (an
 * amount off the eligible lines), its free-shipping one "fixed_cart"
 * with amount "0.00" and free_shipping true. souk has no fixed_product
 * coupon, no exclusions, no maximum spend, no description, no limit
 * of items: a body asking for them is refused (wc_misc_body.h), and
 * they come back empty. A cart takes one coupon, so every coupon is
 * individual_use. Codes are found in any case and shown in lower case,
 * as WooCommerce shows them. An inactive coupon is "draft". The expiry
 * is a day: the coupon works until that day's end, UTC
 * (date_expires_gmt "2026-12-31T23:59:59"); a date sent with a time
 * keeps its day. date_modified is the row's last change (sql/shop/017),
 * a use taken too, as in WooCommerce.
 *
 * DELETE without force=true is WooCommerce's 501
 * woocommerce_rest_trash_not_supported: souk has no trash (the admin
 * turns a coupon off: status draft). With force=true the row goes;
 * orders keep the code they took.
 *
 * used_by lists the standing orders that took the coupon: the customer's
 * id for an account, else the order's e-mail, as WooCommerce keeps it.
 *
 * NEEDSWORK: the list filters the shop's newest 500 coupons (what
 * coupons_list() reads).
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "platform/tenant.h"
#include "shop/coupon.h"
#include "shop/wc_json.h"
#include "shop/wc_misc_body.h"
#include "web/json_api.h"
#include "web/wc_api.h"


static const char invalid_id[] = "woocommerce_rest_shop_coupon_invalid_id";

static int
unavailable(struct web *w)
{
	resp_header(w->r, "Retry-After", "60");
	return json_api_error(w, 503, "souk_unavailable", _("The shop cannot "
	    "answer just now. Try again in a minute."));
}

static void
money(struct web *w, json_object *o, const char *k, int64_t minor)
{
	char buf[MONEY_PLAIN_MAX];

	if (money_format_plain(minor, w->tenant->currency, buf,
	    sizeof(buf)) < 0)
		buf[0] = '\0';
	jset_cstr(o, k, buf);
}

/* "3 17" as [3, 17]. */
static void
id_array(json_object *o, const char *k, struct str list)
{
	json_object	*a = jset_arr(o, k);
	size_t		 i = 0, j;
	int64_t		 id;

	while (i < list.len) {
		for (j = i; j < list.len && list.p[j] != ' '; j++)
			;
		if (str_to_i64((struct str){ list.p + i, j - i }, 1,
		    INT64_MAX, &id) == 0)
			json_object_array_add(a, json_object_new_int64(id));
		i = j + 1;
	}
}

static void
limit(json_object *o, const char *k, int64_t n)
{
	if (n > 0)
		jset_i64(o, k, n);
	else
		json_object_object_add(o, k, NULL);
}

static json_object *
coupon_json(struct web *w, const struct coupon *c)
{
	json_object	*o = json_object_new_object(), *l, *a;
	const char	*tz = w->tenant->time_zone[0] ? w->tenant->time_zone :
			    NULL;
	struct str	*by;
	size_t		 nby;
	char		*code = arena_strndup(w->r->arena, c->code.p,
			    c->code.len);
	const char	*self;
	size_t		 i;

	for (i = 0; code[i] != '\0'; i++)
		if (code[i] >= 'A' && code[i] <= 'Z')
			code[i] = (char)(code[i] + 32);
	jset_i64(o, "id", c->id);
	jset_cstr(o, "code", code);
	if (c->kind == COUPON_PERCENT)
		jset_cstr(o, "amount", arena_printf(w->r->arena, "%lld.%02lld",
		    (long long)(c->amount / 100), (long long)(c->amount % 100)));
	else
		money(w, o, "amount", c->kind == COUPON_FIXED ? c->amount : 0);
	jset_cstr(o, "status", c->active ? "publish" : "draft");
	wc_json_date(o, "date_created", c->created_at, tz);
	wc_json_date(o, "date_modified", c->updated_at, tz);
	jset_cstr(o, "discount_type", c->kind == COUPON_PERCENT ? "percent" :
	    "fixed_cart");
	jset_cstr(o, "description", "");
	wc_json_date(o, "date_expires", c->expires_on.len == 10 ?
	    str_c(arena_printf(w->r->arena, "%.*s 23:59:59", 10,
	    c->expires_on.p)) : STR_NULL, tz);
	jset_i64(o, "usage_count", c->used);
	jset_bool(o, "individual_use", 1);
	id_array(o, "product_ids", c->product_ids);
	(void)jset_arr(o, "excluded_product_ids");
	limit(o, "usage_limit", c->usage_limit);
	limit(o, "usage_limit_per_user", c->per_customer);
	json_object_object_add(o, "limit_usage_to_x_items", NULL);
	jset_bool(o, "free_shipping", c->kind == COUPON_FREE_SHIPPING);
	id_array(o, "product_categories", c->category_ids);
	(void)jset_arr(o, "excluded_product_categories");
	jset_bool(o, "exclude_sale_items", 0);
	money(w, o, "minimum_amount", c->min_spend);
	money(w, o, "maximum_amount", 0);
	(void)jset_arr(o, "email_restrictions");
	a = jset_arr(o, "used_by");
	/* One small indexed statement per coupon; a page has at most 100. */
	if (coupon_used_by(&w->shop, c->id, &by, &nby) == SHOP_OK)
		for (i = 0; i < nby; i++)
			json_object_array_add(a, json_object_new_string_len(
			    by[i].p, (int)by[i].len));
	(void)jset_arr(o, "meta_data");
	self = arena_printf(w->r->arena, "%s" WC_API_NS "/coupons",
	    wc_api_origin(w));
	l = jset_obj(o, "_links");
	jset_cstr(jarr_obj(jset_arr(l, "self")), "href", arena_printf(
	    w->r->arena, "%s/%lld", self, (long long)c->id));
	jset_cstr(jarr_obj(jset_arr(l, "collection")), "href", self);
	return o;
}

/* Case-insensitive substring, ASCII (codes are ASCII). */
static int
contains(struct str hay, struct str needle)
{
	size_t i, j;

	if (needle.len == 0)
		return 1;
	for (i = 0; i + needle.len <= hay.len; i++) {
		for (j = 0; j < needle.len; j++) {
			char a = hay.p[i + j], b = needle.p[j];

			if (a >= 'a' && a <= 'z')
				a = (char)(a - 32);
			if (b >= 'a' && b <= 'z')
				b = (char)(b - 32);
			if (a != b)
				break;
		}
		if (j == needle.len)
			return 1;
	}
	return 0;
}

static int
list(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_paging	 pg;
	struct coupon		*v;
	const struct str	*search = req_query(r, "search");
	const struct str	*code = req_query(r, "code");
	json_object		*a;
	size_t			 n, i;
	int64_t			 total = 0;

	if (wc_api_paging(w, &pg) == -1)
		return 0;
	if (coupons_list(&w->shop, &v, &n) != SHOP_OK)
		return unavailable(w);
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (search != NULL && !contains(v[i].code, *search))
			continue;
		if (code != NULL && !(contains(v[i].code, str_trim(*code)) &&
		    v[i].code.len == str_trim(*code).len))
			continue;
		if (total >= pg.offset && total < pg.offset + pg.per_page)
			json_object_array_add(a, coupon_json(w, &v[i]));
		total++;
	}
	wc_api_page_headers(w, &pg, total);
	return json_api_send(w, 200, a);
}

static int
get(struct req *r)
{
	struct web	*w = web_of(r);
	struct coupon	 c;
	int64_t		 id = wc_api_id(r, "id");
	int		 rc;

	if (id == 0 || (rc = coupon_get(&w->shop, id, &c)) == SHOP_ENOTFOUND)
		return json_api_error(w, 404, invalid_id, _("Invalid ID."));
	if (rc != SHOP_OK)
		return unavailable(w);
	return json_api_send(w, 200, coupon_json(w, &c));
}

/* souk's field names in coupon_check()'s errors, as the API's. */
static const char *
wc_field(const char *f)
{
	static const char *const map[][2] = {
		{ "kind", "discount_type" },
		{ "min_spend", "minimum_amount" },
		{ "expires_on", "date_expires" },
		{ "category_ids", "product_categories" },
		{ "per_customer", "usage_limit_per_user" },
	};
	size_t i;

	for (i = 0; i < NELEM(map); i++)
		if (strcmp(f, map[i][0]) == 0)
			return map[i][1];
	return f;
}

/* A body applied to *c and checked as coupon_save() will: 0, or -1
 * with *field (prefix, "create[2]", put before it) and *msgid. */
static int
check_body(struct web *w, json_object *body, struct coupon *c,
    const char *prefix, const char **field, const char **msgid)
{
	struct field_errors errs = { .n = 0 };

	if (wc_coupon_body(body, w->r->arena, w->tenant->currency, c, field,
	    msgid) == 0) {
		if (coupon_check(&w->shop, c, &errs) == 0)
			return 0;
		*field = wc_field(errs.v[0].field);
		*msgid = errs.v[0].msgid;
	}
	if (prefix != NULL)
		*field = arena_printf(w->r->arena, "%s[%s]", prefix, *field);
	return -1;
}

static int
invalid(struct web *w, const char *field, const char *msgid)
{
	return wc_api_invalid_param(w, field[0] ? field : "body", _(msgid));
}

/* A coupon souk makes when the body says nothing: WooCommerce's
 * fixed_cart, active. */
static void
defaults(struct coupon *c)
{
	memset(c, 0, sizeof(*c));
	c->kind = COUPON_FIXED;
	c->active = 1;
}

/* coupon_save()'s SHOP_EINVAL after the checks: the code is taken. */
static int
taken(struct web *w)
{
	return json_api_error(w, 400, "woocommerce_rest_coupon_code_already_exists",
	    _("The coupon code already exists"));
}

static int
create(struct req *r)
{
	struct web		*w = web_of(r);
	struct coupon		 c;
	struct field_errors	 errs = { .n = 0 };
	json_object		*body;
	const char		*field, *msgid;
	int			 rc;

	if (json_api_body(w, 1, "rest_invalid_json", &body) == -1)
		return 0;
	defaults(&c);
	if (!json_object_object_get_ex(body, "code", NULL)) {
		json_object_put(body);
		return json_api_error(w, 400, "rest_missing_callback_param",
		    _("Missing parameter(s): code"));
	}
	if (check_body(w, body, &c, NULL, &field, &msgid) == -1) {
		json_object_put(body);
		return invalid(w, field, msgid);
	}
	json_object_put(body);
	if ((rc = coupon_save(&w->shop, &c, &errs)) == SHOP_EINVAL)
		return taken(w);
	if (rc != SHOP_OK || coupon_get(&w->shop, c.id, &c) != SHOP_OK)
		return unavailable(w);
	log_info("coupon %lld created over the API", (long long)c.id);
	return json_api_send(w, 201, coupon_json(w, &c));
}

static int
update(struct req *r)
{
	struct web		*w = web_of(r);
	struct coupon		 c;
	struct field_errors	 errs = { .n = 0 };
	json_object		*body;
	const char		*field, *msgid;
	int64_t			 id = wc_api_id(r, "id");
	int			 rc;

	if (id == 0 || (rc = coupon_get(&w->shop, id, &c)) == SHOP_ENOTFOUND)
		return json_api_error(w, 404, invalid_id, _("Invalid ID."));
	if (rc != SHOP_OK)
		return unavailable(w);
	if (json_api_body(w, 1, "rest_invalid_json", &body) == -1)
		return 0;
	if (check_body(w, body, &c, NULL, &field, &msgid) == -1) {
		json_object_put(body);
		return invalid(w, field, msgid);
	}
	json_object_put(body);
	rc = coupon_save(&w->shop, &c, &errs);
	if (rc == SHOP_EINVAL)
		return taken(w);
	if (rc == SHOP_ENOTFOUND)
		return json_api_error(w, 404, invalid_id, _("Invalid ID."));
	if (rc != SHOP_OK || coupon_get(&w->shop, id, &c) != SHOP_OK)
		return unavailable(w);
	log_info("coupon %lld updated over the API", (long long)id);
	return json_api_send(w, 200, coupon_json(w, &c));
}

static int
forced(struct web *w)
{
	const struct str *s = req_query(w->r, "force");

	return s != NULL && (str_eqc(*s, "true") || str_eqc(*s, "1") ||
	    str_eqc(*s, "yes"));
}

static int
trash_refused(struct web *w)
{
	return json_api_error(w, 501, "woocommerce_rest_trash_not_supported",
	    _("Coupons cannot be moved to the trash. Set 'force' to true to "
	    "delete them."));
}

static int
del(struct req *r)
{
	struct web	*w = web_of(r);
	struct coupon	 c;
	int64_t		 id = wc_api_id(r, "id");
	int		 rc;

	if (id == 0 || (rc = coupon_get(&w->shop, id, &c)) == SHOP_ENOTFOUND)
		return json_api_error(w, 404, invalid_id, _("Invalid ID."));
	if (rc != SHOP_OK)
		return unavailable(w);
	if (!forced(w))
		return trash_refused(w);
	if ((rc = coupon_delete(&w->shop, id)) == SHOP_ENOTFOUND)
		return json_api_error(w, 404, invalid_id, _("Invalid ID."));
	if (rc != SHOP_OK)
		return unavailable(w);
	log_info("coupon %lld deleted over the API", (long long)id);
	return json_api_send(w, 200, coupon_json(w, &c));
}

/* --- batch ------------------------------------------------------------- */

enum { B_CREATE, B_UPDATE, B_DELETE, B__MAX };

_Static_assert(B__MAX == 3, "wc_api_batch_keys: create, update, delete");

struct item {
	struct coupon	 c;
	int64_t		 id;		/* update, delete */
	int		 missing;	/* no such coupon */
};

static int
batch(struct req *r)
{
	struct web		*w = web_of(r);
	json_object		*body, *arr[B__MAX] = { NULL }, *out, *res, *e;
	struct item		*items[B__MAX] = { NULL };
	size_t			 n[B__MAX] = { 0 }, k, i;
	struct field_errors	 errs;
	const char		*field, *msgid, *prefix;
	int			 rc;

	if (json_api_body(w, 1, "rest_invalid_json", &body) == -1)
		return 0;
	if (wc_api_batch_arrays(w, body, arr, n) == -1)
		return 0;
	/* Every item is checked before the first write. */
	for (k = 0; k < B__MAX; k++) {
		items[k] = arena_alloc(r->arena, (n[k] + 1) * sizeof(struct item));
		memset(items[k], 0, (n[k] + 1) * sizeof(struct item));
		for (i = 0; i < n[k]; i++) {
			struct item *it = &items[k][i];

			e = json_object_array_get_idx(arr[k], i);
			prefix = arena_printf(r->arena, "%s[%zu]",
			    wc_api_batch_keys[k], i);
			if (k != B_CREATE && (it->id = wc_api_item_id(e)) == 0) {
				json_object_put(body);
				return wc_api_invalid_param(w, prefix,
				    _("The item needs the id of a coupon."));
			}
			if (k == B_DELETE)
				continue;
			if (k == B_CREATE)
				defaults(&it->c);
			else if ((rc = coupon_get(&w->shop, it->id, &it->c)) ==
			    SHOP_ENOTFOUND) {
				it->missing = 1;
				continue;
			} else if (rc != SHOP_OK) {
				json_object_put(body);
				return unavailable(w);
			}
			if (k == B_CREATE &&
			    !json_object_object_get_ex(e, "code", NULL)) {
				json_object_put(body);
				return wc_api_invalid_param(w, arena_printf(
				    r->arena, "%s[code]", prefix),
				    _("Missing parameter(s): code"));
			}
			if (check_body(w, e, &it->c, prefix, &field, &msgid) ==
			    -1) {
				json_object_put(body);
				return invalid(w, field, msgid);
			}
		}
	}
	json_object_put(body);
	out = json_object_new_object();
	for (k = 0; k < B__MAX; k++) {
		if (arr[k] == NULL)
			continue;
		res = jset_arr(out, wc_api_batch_keys[k]);
		for (i = 0; i < n[k]; i++) {
			struct item	*it = &items[k][i];
			struct coupon	 old;

			errs.n = 0;
			if (it->missing || (k == B_DELETE &&
			    (rc = coupon_get(&w->shop, it->id, &old)) ==
			    SHOP_ENOTFOUND)) {
				json_object_array_add(res, wc_api_item_error(it->id,
				    404, invalid_id, _("Invalid ID.")));
				continue;
			}
			if (k == B_DELETE)
				rc = rc == SHOP_OK ? coupon_delete(&w->shop,
				    it->id) : rc;
			else
				rc = coupon_save(&w->shop, &it->c, &errs);
			if (rc == SHOP_EINVAL) {
				json_object_array_add(res, wc_api_item_error(it->id,
				    400,
				    "woocommerce_rest_coupon_code_already_exists",
				    _("The coupon code already exists")));
				continue;
			}
			if (rc == SHOP_ENOTFOUND) {
				json_object_array_add(res, wc_api_item_error(it->id,
				    404, invalid_id, _("Invalid ID.")));
				continue;
			}
			if (rc != SHOP_OK || (k != B_DELETE &&
			    coupon_get(&w->shop, it->c.id, &old) != SHOP_OK)) {
				json_object_put(out);
				return unavailable(w);
			}
			json_object_array_add(res, coupon_json(w, &old));
		}
	}
	log_info("coupon batch: %zu created, %zu updated, %zu deleted",
	    n[B_CREATE], n[B_UPDATE], n[B_DELETE]);
	return json_api_send(w, 200, out);
}

const struct route wc_coupons_routes[] = {
	{ HTTP_GET, WC_API_NS "/coupons", list, 0, NULL },
	{ HTTP_POST, WC_API_NS "/coupons", create, 0, NULL },
	{ HTTP_POST, WC_API_NS "/coupons/batch", batch, 0, NULL },
	{ HTTP_PUT, WC_API_NS "/coupons/batch", batch, 0, NULL },
	{ HTTP_PATCH, WC_API_NS "/coupons/batch", batch, 0, NULL },
	{ HTTP_GET, WC_API_NS "/coupons/:id", get, 0, NULL },
	{ HTTP_POST, WC_API_NS "/coupons/:id", update, 0, NULL },
	{ HTTP_PUT, WC_API_NS "/coupons/:id", update, 0, NULL },
	{ HTTP_PATCH, WC_API_NS "/coupons/:id", update, 0, NULL },
	{ HTTP_DELETE, WC_API_NS "/coupons/:id", del, 0, NULL },
};

const size_t wc_coupons_nroutes = NELEM(wc_coupons_routes);
