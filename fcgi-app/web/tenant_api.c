/*
 * tenant_api.c: the platform's tenant API (tenant_api.h): shops,
 * their configuration and usage, and the tokens of platform accounts.
 */
#include "core/common.h"

#include <time.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "db/db.h"
#include "http/router.h"
#include "platform/account.h"
#include "platform/apitoken.h"
#include "platform/audit.h"
#include "platform/operator.h"
#include "platform/opkey.h"
#include "platform/provision.h"
#include "platform/slug.h"
#include "platform/tenant.h"
#include "platform/usage.h"
#include "shop/api_key.h"
#include "shop/shop.h"
#include "web/json_api.h"
#include "web/tenant_api.h"
#include "web/tenant_api_kit.h"
#include "web/tenant_api_body.h"

#define AUTH		TENANT_API_AUTH
#define OPERATOR	TENANT_API_OPERATOR

/* The message of a body error, for a developer, translated. */
static const char *
field_message(struct web *w, const char *code, const char *field)
{
	if (strcmp(code, "souk_rest_unknown_field") == 0)
		/* TRANSLATORS: %s is a JSON field name, as sent. */
		return arena_printf(w->r->arena, _("Unknown field '%s'."),
		    field);
	if (strcmp(code, "souk_rest_invalid_type") == 0)
		/* TRANSLATORS: %s is a JSON field name. */
		return arena_printf(w->r->arena, _("The field '%s' has the "
		    "wrong type."), field);
	if (strcmp(code, "souk_rest_too_long") == 0)
		return arena_printf(w->r->arena, _("The field '%s' is too "
		    "long."), field);
	if (strcmp(code, "souk_rest_missing_field") == 0)
		return arena_printf(w->r->arena, _("The field '%s' is "
		    "required."), field);
	if (strcmp(code, "souk_rest_invalid_body") == 0)
		return _("The body must be a JSON object.");
	return arena_printf(w->r->arena, _("The field '%s' has a value that "
	    "is not allowed."), field);
}

/* A body error: 400, the field named in data.field too. */
int
tenant_api_field_error(struct web *w, const char *code, const char *field)
{
	json_object *e = json_object_new_object(), *d;

	jset_cstr(e, "code", code);
	jset_cstr(e, "message", field_message(w, code, field));
	d = jset_obj(e, "data");
	jset_i64(d, "status", 400);
	if (*field)
		jset_cstr(d, "field", field);
	return json_api_send(w, 400, e);
}

/* The request's body as an object (-1: answered). */
static int
body_object(struct web *w, json_object **out)
{
	return json_api_body(w, 1, "souk_rest_invalid_body", out);
}

/* The request's body and its fields (tenant_api_body_fields()) into
 * *body and v: 0, or -1 when it answered the error (body released). */
int
tenant_api_read_body(struct web *w, const struct tenant_api_field *f,
    size_t n, json_object **v, json_object **body)
{
	const char *code, *field;

	if (body_object(w, body) == -1)
		return -1;
	if (tenant_api_body_fields(*body, f, n, v, &code, &field) == -1) {
		(void)tenant_api_field_error(w, code, field);
		json_object_put(*body);
		return -1;
	}
	return 0;
}

int
tenant_api_unavailable(struct web *w)
{
	resp_header(w->r, "Retry-After", "5");
	return json_api_error(w, 503, "souk_rest_unavailable",
	    _("The service is busy. Please try again in a moment."));
}

static int
not_found(struct web *w)
{
	return json_api_error(w, 404, "souk_rest_not_found",
	    _("No such shop."));
}

/* --- shops ---------------------------------------------------------------- */

/* "http://acme.localhost:8080/" for a shop's slug. */
static const char *
shop_url(struct web *w, const char *slug)
{
	const char *port = config_get("public_port", "");

	return arena_printf(w->r->arena, "%s://%s.%s%s%s/",
	    config_get("public_scheme", "http"), slug,
	    config_get("platform_domain", "localhost"), *port ? ":" : "", port);
}

static json_object *
shop_json(struct web *w, const struct tenant *t)
{
	json_object	*o = json_object_new_object(), *a;
	size_t		 i;

	jset_i64(o, "id", t->id);
	jset_cstr(o, "slug", t->slug);
	jset_cstr(o, "name", t->name);
	jset_cstr(o, "status", tenant_status_name(t->status));
	jset_cstr(o, "status_reason", t->status_reason);
	jset_i64(o, "owner_id", t->owner_id);
	jset_cstr(o, "url", shop_url(w, t->slug));
	jset_cstr(o, "default_locale", t->default_locale);
	a = jset_arr(o, "locales");
	for (i = 0; i < t->nlocales; i++)
		json_object_array_add(a, json_object_new_string(
		    t->locales[i]));
	jset_cstr(o, "currency", t->currency);
	a = jset_arr(o, "display_currencies");
	for (i = 0; i < t->ndisplay; i++)
		json_object_array_add(a, json_object_new_string(
		    t->display_currencies[i]));
	jset_cstr(o, "theme", t->theme);
	jset_cstr(o, "time_zone", t->time_zone);
	jset_cstr(o, "created_at", t->created_at);
	jset_cstr(o, "plan", t->plan_code);
	if (t->trial_ends_at[0] != '\0')
		jset_cstr(o, "trial_ends_at", t->trial_ends_at);
	else
		json_object_object_add(o, "trial_ends_at", NULL);
	return o;
}

/*
 * The shop of the route's slug into *t when the caller may see it
 * (operators: any; accounts: their own). 0, or -1 when it answered
 * (404 for a shop of another account as for none: 403 would tell).
 */
int
tenant_api_find_shop(struct web *w, struct tenant *t)
{
	const struct str	*slug = req_param(w->r, "slug");
	enum tenant_err		 rc;

	if (slug == NULL || slug_check(*slug) == SLUG_EINVAL) {
		(void)not_found(w);
		return -1;
	}
	rc = tenant_get_by_slug(w->db, *slug, t);
	if (rc == TENANT_ENOTFOUND || (rc == TENANT_OK && !w->is_operator &&
	    t->owner_id != w->account_id)) {
		(void)not_found(w);
		return -1;
	}
	if (rc != TENANT_OK) {
		(void)tenant_api_unavailable(w);
		return -1;
	}
	return 0;
}

/* A query number in [min, max] or def; -1 when malformed (answered). */
static int
query_num(struct web *w, const char *name, int64_t min, int64_t max,
    int64_t def, int64_t *out)
{
	const struct str *v = req_query(w->r, name);

	*out = def;
	if (v == NULL)
		return 0;
	if (str_to_i64(*v, min, max, out) == -1) {
		(void)json_api_error(w, 400, "rest_invalid_param",
		    arena_printf(w->r->arena, _("Invalid parameter: %s."),
		    name));
		return -1;
	}
	return 0;
}

static int
shops_list(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	*ts;
	json_object	*arr;
	int64_t		 page, per_page, total;
	int64_t		 owner = w->is_operator ? 0 : w->account_id;
	size_t		 n, i;

	if (query_num(w, "page", 1, 1000000, 1, &page) == -1 ||
	    query_num(w, "per_page", 1, TENANT_API_PER_PAGE_MAX, 10,
	    &per_page) == -1)
		return 0;
	if (tenant_count(w->db, owner, &total) != TENANT_OK ||
	    tenant_list(w->db, r->arena, owner, (size_t)per_page,
	    (size_t)((page - 1) * per_page), &ts, &n) != TENANT_OK)
		return tenant_api_unavailable(w);
	resp_header(r, "X-WP-Total", arena_printf(r->arena, "%lld",
	    (long long)total));
	resp_header(r, "X-WP-TotalPages", arena_printf(r->arena, "%lld",
	    (long long)((total + per_page - 1) / per_page)));
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, shop_json(w, &ts[i]));
	return json_api_send(w, 200, arr);
}

static int
provision_answer(struct web *w, enum provision_err e)
{
	switch (e) {
	case PROVISION_EDB:
	case PROVISION_ESCHEMA:
		return tenant_api_unavailable(w);
	case PROVISION_ESLUG_TAKEN:
	case PROVISION_ESLUG_RESERVED:
		return json_api_error(w, 409, "souk_rest_slug_taken",
		    platform_provision_message(e));
	default:
		return json_api_error(w, 400, "souk_rest_invalid_value",
		    platform_provision_message(e));
	}
}

/*
 * The owner of a shop an operator creates: the account of owner_email,
 * or (with owner_password) the one provision_shop() creates. An
 * account creates shops it owns; naming another owner is refused.
 */
static int
settle_owner(struct web *w, struct provision_req *pr)
{
	struct account		a;
	enum account_err	rc;

	if (!w->is_operator) {
		if (pr->owner_email.len && !str_casecmp_eq(str_trim(
		    pr->owner_email), w->account_email)) {
			(void)tenant_api_field_error(w, "souk_rest_invalid_value",
			    "owner_email");
			return -1;
		}
		if (pr->owner_password.len) {
			(void)tenant_api_field_error(w, "souk_rest_unknown_field",
			    "owner_password");
			return -1;
		}
		pr->owner_id = w->account_id;
		return 0;
	}
	if (pr->owner_email.len == 0) {
		(void)tenant_api_field_error(w, "souk_rest_missing_field",
		    "owner_email");
		return -1;
	}
	rc = account_get_by_email(w->db, pr->owner_email, &a);
	if (rc == ACCOUNT_OK) {
		pr->owner_id = a.id;
		return 0;
	}
	if (rc != ACCOUNT_ENOTFOUND) {
		(void)tenant_api_unavailable(w);
		return -1;
	}
	if (pr->owner_password.len == 0) {
		(void)json_api_error(w, 400, "souk_rest_no_such_owner",
		    _("No account has this e-mail address: send "
		    "owner_password to create it."));
		return -1;
	}
	return 0;
}

static int
shops_create(struct req *r)
{
	struct web		*w = web_of(r);
	struct provision_req	 pr;
	struct tenant		 t;
	json_object		*body;
	const char		*code, *field;
	enum provision_err	 e;
	int64_t			 id = 0;
	char			 err[256];
	int			 rc;

	if (body_object(w, &body) == -1)
		return 0;
	if (tenant_api_body_shop_create(body, &pr, &code, &field) == -1) {
		rc = tenant_api_field_error(w, code, field);
		goto done;
	}
	if (settle_owner(w, &pr) == -1) {
		rc = 0;
		goto done;
	}
	/* Everything that can be refused is, before a row exists. */
	if ((e = provision_check(w->db, &pr, err, sizeof(err))) ==
	    PROVISION_OK)
		e = provision_shop(w->db, &pr, &id, err, sizeof(err));
	if (e != PROVISION_OK) {
		log_info("api: new shop refused: %s (%s)",
		    provision_strerror(e), err);
		rc = provision_answer(w, e);
		goto done;
	}
	log_info("api: shop %lld created by account %lld%s", (long long)id,
	    (long long)w->account_id, w->is_operator ? " (operator)" : "");
	if (tenant_get_by_id(w->db, id, &t) != TENANT_OK)
		rc = tenant_api_unavailable(w);
	else {
		resp_header(r, "Location", arena_printf(r->arena,
		    TENANT_API_PREFIX "shops/%s", t.slug));
		rc = json_api_send(w, 201, shop_json(w, &t));
	}
done:
	json_object_put(body);
	return rc;
}

static int
shop_get(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	return json_api_send(w, 200, shop_json(w, &t));
}

enum { SP_NAME, SP_DEFAULT_LOCALE, SP_LOCALES, SP_CURRENCY, SP_DISPLAY,
    SP_TIME_ZONE, SP_THEME, SP__MAX };

static const struct tenant_api_field shop_patch_fields[SP__MAX] = {
	[SP_NAME] = { "name", TA_TEXT, 200, 0 },
	[SP_DEFAULT_LOCALE] = { "default_locale", TA_TEXT, 8, 0 },
	[SP_LOCALES] = { "locales", TA_LIST, TENANT_MAX_LOCALES, 0 },
	[SP_CURRENCY] = { "currency", TA_TEXT, 3, 0 },
	[SP_DISPLAY] = { "display_currencies", TA_LIST,
	    TENANT_MAX_CURRENCIES, 0 },
	[SP_TIME_ZONE] = { "time_zone", TA_TEXT, 64, 0 },
	[SP_THEME] = { "theme", TA_TEXT, 40, 0 },
};

/* The shop's settings as they are, for a PATCH to change some. */
static void
settings_of(const struct tenant *t, struct tenant_settings *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->name = str_c(t->name);
	s->color_primary = str_c(t->color_primary);
	s->color_accent = str_c(t->color_accent);
	for (i = 0; i < t->nlocales; i++)
		s->locales[i] = str_c(t->locales[i]);
	s->nlocales = t->nlocales;
	s->default_locale = str_c(t->default_locale);
	s->currency = str_c(t->currency);
	for (i = 0; i < t->ndisplay; i++)
		s->display_currencies[i] = str_c(t->display_currencies[i]);
	s->ndisplay = t->ndisplay;
	s->logo = str_c(t->logo);
	s->time_zone = STR("");
}

static size_t
list_of(json_object *v, struct str *out)
{
	size_t i, n = json_object_array_length(v);

	for (i = 0; i < n; i++)
		out[i] = tenant_api_body_str(json_object_array_get_idx(v, i));
	return n;
}

/* The field a settings error concerns. */
static const char *
settings_field(enum tenant_err e)
{
	switch (e) {
	case TENANT_EINVAL_NAME:
		return "name";
	case TENANT_EINVAL_LOCALE:
		return "locales";
	case TENANT_EINVAL_CURRENCY:
		return "currency";
	case TENANT_EINVAL_TZ:
		return "time_zone";
	case TENANT_EINVAL_THEME:
		return "theme";
	default:
		return "";
	}
}

static int
shop_patch(struct req *r)
{
	struct web		*w = web_of(r);
	struct tenant		 t;
	struct tenant_settings	 s;
	json_object		*body, *v[SP__MAX];
	enum tenant_err		 e;
	int			 rc;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	if (tenant_api_read_body(w, shop_patch_fields, SP__MAX, v, &body) == -1)
		return 0;
	settings_of(&t, &s);
	if (v[SP_NAME] != NULL)
		s.name = tenant_api_body_str(v[SP_NAME]);
	if (v[SP_LOCALES] != NULL)
		s.nlocales = list_of(v[SP_LOCALES], s.locales);
	if (v[SP_DEFAULT_LOCALE] != NULL)
		s.default_locale = tenant_api_body_str(v[SP_DEFAULT_LOCALE]);
	if (v[SP_CURRENCY] != NULL)
		s.currency = tenant_api_body_str(v[SP_CURRENCY]);
	if (v[SP_DISPLAY] != NULL)
		s.ndisplay = list_of(v[SP_DISPLAY], s.display_currencies);
	if (v[SP_TIME_ZONE] != NULL) {
		s.time_zone = tenant_api_body_str(v[SP_TIME_ZONE]);
		if (s.time_zone.len == 0) {
			rc = tenant_api_field_error(w, "souk_rest_invalid_value",
			    "time_zone");
			goto done;
		}
	}
	/* Every field is checked before the first write: the theme
	 * here, the rest by tenant_update_settings() before it writes. */
	if (v[SP_THEME] != NULL && !tenant_theme_valid(tenant_api_body_str(
	    v[SP_THEME]))) {
		rc = tenant_api_field_error(w, "souk_rest_invalid_value", "theme");
		goto done;
	}
	e = tenant_update_settings(w->db, t.id, &s);
	if (e == TENANT_OK && v[SP_THEME] != NULL)
		e = tenant_set_theme(w->db, t.id, tenant_api_body_str(
		    v[SP_THEME]));
	if (e == TENANT_ECURRENCY_LOCKED)
		rc = json_api_error(w, 409, "souk_rest_currency_locked",
		    _("The shop has orders: its base currency cannot "
		    "change."));
	else if (e == TENANT_EDB || e == TENANT_ENOTFOUND)
		rc = tenant_api_unavailable(w);
	else if (e != TENANT_OK)
		rc = tenant_api_field_error(w, "souk_rest_invalid_value",
		    settings_field(e));
	else if (tenant_get_by_id(w->db, t.id, &t) != TENANT_OK)
		rc = tenant_api_unavailable(w);
	else
		rc = json_api_send(w, 200, shop_json(w, &t));
done:
	json_object_put(body);
	return rc;
}

static int
shop_delete(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*confirm = req_query(r, "confirm");
	struct tenant		 t;
	json_object		*o;
	char			 err[256];

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	if (confirm == NULL || !str_eqc(*confirm, t.slug))
		return json_api_error(w, 400, "souk_rest_confirm",
		    _("Deleting a shop removes all its data for good: "
		    "repeat its address as ?confirm=SLUG."));
	if (provision_delete(w->db, t.id, err, sizeof(err)) != PROVISION_OK) {
		log_err("api: cannot delete shop %lld: %s", (long long)t.id,
		    err);
		return tenant_api_unavailable(w);
	}
	log_info("api: shop %lld deleted by account %lld", (long long)t.id,
	    (long long)w->account_id);
	o = shop_json(w, &t);
	jset_bool(o, "deleted", 1);
	return json_api_send(w, 200, o);
}

static const struct tenant_api_field suspend_fields[] = {
	{ "reason", TA_TEXT, 120, 0 },	/* bytes fit status_reason */
};

static int
shop_status(struct req *r, int suspend)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	json_object	*body, *v[1];
	const char	*reason;
	enum tenant_err	 e;
	int		 rc;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	if (tenant_api_read_body(w, suspend_fields, suspend ? 1 : 0, v, &body) == -1)
		return 0;
	reason = suspend && v[0] != NULL ? json_object_get_string(v[0]) :
	    NULL;
	e = suspend ? tenant_suspend(w->db, &t, reason) :
	    tenant_resume(w->db, &t);
	if (e == TENANT_ESTATE)
		rc = json_api_error(w, 409, "souk_rest_invalid_state",
		    _("This shop is not in a state that allows this."));
	else if (e != TENANT_OK || tenant_get_by_id(w->db, t.id, &t) !=
	    TENANT_OK)
		rc = tenant_api_unavailable(w);
	else {
		log_info("api: operator %lld %s shop %lld",
		    (long long)w->account_id, suspend ? "suspended" :
		    "resumed", (long long)t.id);
		rc = json_api_send(w, 200, shop_json(w, &t));
	}
	json_object_put(body);
	return rc;
}

static int
shop_suspend(struct req *r)
{
	return shop_status(r, 1);
}

static int
shop_resume(struct req *r)
{
	return shop_status(r, 0);
}

static int
shop_config(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	json_object	*o;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	o = shop_json(w, &t);
	jset_cstr(o, "color_primary", t.color_primary);
	jset_cstr(o, "color_accent", t.color_accent);
	jset_cstr(o, "logo", t.logo);
	jset_i64(o, "schema_version", t.schema_version);
	if (w->is_operator)
		jset_cstr(o, "shard", t.shard);
	return json_api_send(w, 200, o);
}

static int
shop_usage(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	struct usage	 u;
	struct plan	 p;
	json_object	*o;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	if (t.status != TENANT_READY && t.status != TENANT_SUSPENDED)
		return json_api_error(w, 409, "souk_rest_invalid_state",
		    _("This shop is not set up: it has nothing to count."));
	if (usage_get(w->db, t.id, &u) == -1 ||
	    plan_of_tenant(w->db, t.id, &p, NULL) != PLAN_OK)
		return tenant_api_unavailable(w);
	o = json_object_new_object();
	jset_cstr(o, "slug", t.slug);
	jset_i64(o, "products", u.products);
	jset_i64(o, "variants", u.variants);
	jset_i64(o, "orders", u.orders);
	jset_i64(o, "orders_this_month", u.orders_month);
	jset_i64(o, "customers", u.customers);
	jset_i64(o, "media_bytes", u.media_bytes);
	jset_i64(o, "staff", u.staff);
	jset_i64(o, "domains", u.domains);
	json_object_object_add(o, "plan", tenant_api_plan_json(&p));
	return json_api_send(w, 200, o);
}

/* A date of the query (?from=, ?to=), or def when absent: 0, or -1
 * when it is not a date. */
static int
query_date(struct web *w, const char *name, const char *def, char out[11])
{
	const struct str *q = req_query(w->r, name);

	if (q == NULL || q->len == 0) {
		memcpy(out, def, 11);
		return 0;
	}
	if (q->len != 10)
		return -1;
	memcpy(out, q->p, 10);
	out[10] = '\0';
	return usage_date_valid(out) ? 0 : -1;
}

/* GET /api/v1/shops/{slug}/usage/daily?from=&to=: the daily records
 * (platform/usage.h), default the last 30 days, at most 401. */
static int
shop_usage_daily(struct req *r)
{
	struct web		*w = web_of(r);
	struct tenant		 t;
	struct usage_day	*d;
	char			 from[11], to[11], def_from[11], def_to[11];
	size_t			 n, i;
	json_object		*o, *arr;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	usage_date_ago(29, def_from);
	usage_date_ago(0, def_to);
	if (query_date(w, "from", def_from, from) == -1 ||
	    query_date(w, "to", def_to, to) == -1)
		return json_api_error(w, 400, "souk_rest_invalid_param",
		    _("Enter a date such as 2026-03-31."));
	if (strcmp(from, to) > 0)
		return json_api_error(w, 400, "souk_rest_invalid_param",
		    _("The period ends before it starts."));
	if (usage_span(from, to) > USAGE_KEEP_DAYS + 1)
		return json_api_error(w, 400, "souk_rest_invalid_param",
		    _("Choose a period of at most 400 days."));
	if (usage_days(w->db, r->arena, t.id, from, to, &d, &n) == -1)
		return tenant_api_unavailable(w);
	o = json_object_new_object();
	jset_cstr(o, "slug", t.slug);
	jset_cstr(o, "currency", t.currency);
	arr = jset_arr(o, "days");
	for (i = 0; i < n; i++) {
		json_object *x = jarr_obj(arr);

		jset_cstr(x, "day", d[i].day);
		jset_i64(x, "orders", d[i].orders);
		jset_i64(x, "revenue", d[i].revenue);
		jset_i64(x, "products", d[i].products);
		jset_i64(x, "media_bytes", d[i].media_bytes);
		jset_i64(x, "staff", d[i].staff);
		jset_i64(x, "api_requests", d[i].api_requests);
		jset_i64(x, "page_views", d[i].page_views);
	}
	return json_api_send(w, 200, o);
}

/* --- a shop's API keys (/wp-json/) ---------------------------------------- */

int
tenant_api_ready_shop(struct web *w, struct tenant *t, struct shop_ctx *ctx)
{
	if (tenant_api_find_shop(w, t) == -1)
		return -1;
	if (t->status != TENANT_READY && t->status != TENANT_SUSPENDED) {
		(void)json_api_error(w, 409, "souk_rest_invalid_state",
		    _("This shop is not set up yet."));
		return -1;
	}
	shop_ctx_of(ctx, w->db, w->r->arena, t);
	return 0;
}

static json_object *
key_json(const struct api_key *k)
{
	json_object *o = json_object_new_object();

	jset_i64(o, "id", k->id);
	jset_str(o, "description", k->description);
	jset_cstr(o, "permission", api_key_perm_name(k->perm));
	jset_str(o, "truncated_key", k->truncated);
	jset_str(o, "created_at", k->created_at);
	if (k->last_access.len > 0)
		jset_str(o, "last_access", k->last_access);
	else
		json_object_object_add(o, "last_access", NULL);
	return o;
}

static int
keys_list(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	struct shop_ctx	 ctx;
	struct api_key	*v;
	json_object	*a;
	size_t		 n, i;

	if (tenant_api_ready_shop(w, &t, &ctx) == -1)
		return 0;
	if (api_key_list(&ctx, &v, &n) != SHOP_OK)
		return tenant_api_unavailable(w);
	a = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(a, key_json(&v[i]));
	return json_api_send(w, 200, a);
}

static const struct tenant_api_field key_fields[] = {
	{ "description", TA_TEXT, API_KEY_DESC_MAX, 1 },
	{ "permission", TA_TEXT, 20, 0 },
};

/* POST: the key and its secret are in this answer only (api_key.h). */
static int
keys_create(struct req *r)
{
	struct web		*w = web_of(r);
	struct tenant		 t;
	struct shop_ctx		 ctx;
	struct api_key_new	 in;
	struct field_errors	 errs = { .n = 0 };
	json_object		*body, *v[2], *o;
	int			 perm = API_KEY_READ, rc;

	if (tenant_api_ready_shop(w, &t, &ctx) == -1)
		return 0;
	if (tenant_api_read_body(w, key_fields, NELEM(key_fields), v, &body) == -1)
		return 0;
	if (v[1] != NULL && (perm = api_key_perm_parse(
	    tenant_api_body_str(v[1]))) < 0) {
		json_object_put(body);
		return tenant_api_field_error(w, "souk_rest_invalid_value", "permission");
	}
	memset(&in, 0, sizeof(in));
	in.description = tenant_api_body_str(v[0]);
	in.perm = (enum api_key_perm)perm;
	rc = api_key_create(&ctx, &in, &errs);
	if (rc != SHOP_OK) {
		json_object_put(body);
		return rc == SHOP_EINVAL ? tenant_api_field_error(w,
		    "souk_rest_invalid_value", errs.n ? errs.v[0].field :
		    "description") : tenant_api_unavailable(w);
	}
	log_info("api: key %lld of shop %lld created by account %lld",
	    (long long)in.id, (long long)t.id, (long long)w->account_id);
	o = json_object_new_object();
	jset_i64(o, "id", in.id);
	jset_str(o, "description", in.description);
	jset_cstr(o, "permission", api_key_perm_name(in.perm));
	jset_cstr(o, "consumer_key", in.consumer_key);
	jset_cstr(o, "consumer_secret", in.consumer_secret);
	jset_cstr(o, "truncated_key", in.consumer_key + API_KEY_LEN -
	    API_KEY_SHOWN);
	json_object_put(body);	/* in.description is a view into it */
	return json_api_send(w, 201, o);
}

static int
keys_revoke(struct req *r)
{
	struct web		*w = web_of(r);
	struct tenant		 t;
	struct shop_ctx		 ctx;
	const struct str	*s = req_param(r, "key_id");
	json_object		*o;
	int64_t			 id;
	int			 rc;

	if (tenant_api_ready_shop(w, &t, &ctx) == -1)
		return 0;
	if (s == NULL || str_to_i64(*s, 1, INT64_MAX, &id) == -1 ||
	    (rc = api_key_revoke(&ctx, id)) == SHOP_ENOTFOUND)
		return json_api_error(w, 404, "souk_rest_not_found",
		    _("No such API key."));
	if (rc != SHOP_OK)
		return tenant_api_unavailable(w);
	log_info("api: key %lld of shop %lld revoked by account %lld",
	    (long long)id, (long long)t.id, (long long)w->account_id);
	o = json_object_new_object();
	jset_i64(o, "id", id);
	jset_bool(o, "deleted", 1);
	return json_api_send(w, 200, o);
}

/* --- tokens --------------------------------------------------------------- */

static int
token_answer(struct web *w, const struct apitoken_pair *p)
{
	json_object *o = json_object_new_object();

	jset_cstr(o, "access_token", p->access);
	jset_cstr(o, "refresh_token", p->refresh);
	jset_cstr(o, "token_type", "Bearer");
	jset_i64(o, "expires_in", APITOKEN_ACCESS_TTL);
	return json_api_send(w, 200, o);
}

static int
invalid_token(struct web *w)
{
	resp_header(w->r, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
	return json_api_error(w, 401, "souk_rest_invalid_token",
	    _("The token is not valid or has expired."));
}

static const struct tenant_api_field login_fields[] = {
	{ "email", TA_TEXT, ACCOUNT_EMAIL_MAX, 1 },
	{ "password", TA_TEXT, ACCOUNT_PW_MAX, 1 },
};

static int
auth_token(struct req *r)
{
	struct web		*w = web_of(r);
	struct apitoken_pair	 p;
	json_object		*body, *v[2];
	enum account_err	 e;
	int64_t			 id;
	int			 rc;

	if (tenant_api_read_body(w, login_fields, 2, v, &body) == -1)
		return 0;
	/* Unknown e-mail and wrong password: one answer, one time
	 * (account_login() checks a dummy hash). */
	e = account_login(w->db, tenant_api_body_str(v[0]), tenant_api_body_str(v[1]), &id);
	if (e == ACCOUNT_EBADLOGIN)
		rc = json_api_error(w, 401, "souk_rest_invalid_login",
		    _("Wrong e-mail or password."));
	else if (e == ACCOUNT_ELOCKED) {
		resp_header(r, "Retry-After", "900");
		rc = json_api_error(w, 429, "souk_rest_locked",
		    _("Too many failed attempts. Try again in 15 minutes."));
	} else if (e != ACCOUNT_OK ||
	    apitoken_issue(w->db, id, (int64_t)time(NULL), &p) != APITOKEN_OK)
		rc = tenant_api_unavailable(w);
	else
		rc = token_answer(w, &p);
	json_object_put(body);
	return rc;
}

static const struct tenant_api_field refresh_fields[] = {
	{ "refresh_token", TA_TEXT, APITOKEN_REFRESH_HEX, 1 },
};

static int
auth_refresh(struct req *r)
{
	struct web		*w = web_of(r);
	struct apitoken_pair	 p;
	json_object		*body, *v[1];
	enum apitoken_err	 e;
	int64_t			 id;
	int			 rc;

	if (tenant_api_read_body(w, refresh_fields, 1, v, &body) == -1)
		return 0;
	e = apitoken_refresh(w->db, tenant_api_body_str(v[0]), (int64_t)time(NULL), &id,
	    &p);
	if (e == APITOKEN_EINVALID)
		rc = invalid_token(w);
	else if (e != APITOKEN_OK)
		rc = tenant_api_unavailable(w);
	else
		rc = token_answer(w, &p);
	json_object_put(body);
	return rc;
}

/*
 * Ends every token of the account: of the access token sent (Bearer),
 * or, without one, of the refresh token in the body (a client whose
 * access token expired can still log out everywhere).
 */
static int
auth_revoke(struct req *r)
{
	struct web		*w = web_of(r);
	json_object		*body, *v[1];
	const char		*code, *field;
	enum apitoken_err	 e = APITOKEN_OK;
	int64_t			 id = w->account_id;
	int			 rc;

	if (body_object(w, &body) == -1)
		return 0;
	if (tenant_api_body_fields(body, refresh_fields, 1, v, &code, &field) == -1 &&
	    strcmp(code, "souk_rest_missing_field") != 0) {
		rc = tenant_api_field_error(w, code, field);
		goto done;
	}
	if (w->is_operator) {
		rc = json_api_error(w, 400, "souk_rest_not_a_token",
		    _("Operator keys are revoked in the operator console or "
		    "with soukctl."));
		goto done;
	}
	if (id == 0 && v[0] != NULL)
		e = apitoken_refresh_owner(w->db, tenant_api_body_str(v[0]),
		    (int64_t)time(NULL), &id);
	if (e == APITOKEN_EDB) {
		rc = tenant_api_unavailable(w);
		goto done;
	}
	if (id == 0) {
		rc = invalid_token(w);
		goto done;
	}
	if (apitoken_revoke(w->db, id, (int64_t)time(NULL)) != APITOKEN_OK)
		rc = tenant_api_unavailable(w);
	else {
		json_object *o = json_object_new_object();

		jset_bool(o, "revoked", 1);
		rc = json_api_send(w, 200, o);
	}
done:
	json_object_put(body);
	return rc;
}

/* --- dispatch ------------------------------------------------------------- */

#define REVOKE	4	/* route flag: a token if sent, else the body's */

static const struct route routes[] = {
	{ HTTP_POST, "/api/v1/auth/token", auth_token, 0, NULL },
	{ HTTP_POST, "/api/v1/auth/refresh", auth_refresh, 0, NULL },
	{ HTTP_POST, "/api/v1/auth/revoke", auth_revoke, REVOKE, NULL },
	{ HTTP_GET, "/api/v1/shops", shops_list, AUTH, NULL },
	{ HTTP_POST, "/api/v1/shops", shops_create, AUTH, NULL },
	{ HTTP_GET, "/api/v1/shops/:slug", shop_get, AUTH, NULL },
	{ HTTP_PATCH, "/api/v1/shops/:slug", shop_patch, AUTH, NULL },
	{ HTTP_DELETE, "/api/v1/shops/:slug", shop_delete, AUTH, NULL },
	{ HTTP_POST, "/api/v1/shops/:slug/suspend", shop_suspend,
	    AUTH | OPERATOR, NULL },
	{ HTTP_POST, "/api/v1/shops/:slug/resume", shop_resume,
	    AUTH | OPERATOR, NULL },
	{ HTTP_GET, "/api/v1/shops/:slug/config", shop_config, AUTH, NULL },
	{ HTTP_GET, "/api/v1/shops/:slug/usage", shop_usage, AUTH, NULL },
	{ HTTP_GET, "/api/v1/shops/:slug/usage/daily", shop_usage_daily, AUTH,
	    NULL },
	{ HTTP_GET, "/api/v1/shops/:slug/api-keys", keys_list, AUTH, NULL },
	{ HTTP_POST, "/api/v1/shops/:slug/api-keys", keys_create, AUTH,
	    NULL },
	{ HTTP_DELETE, "/api/v1/shops/:slug/api-keys/:key_id", keys_revoke,
	    AUTH, NULL },
};

/*
 * The caller of "Authorization: Bearer X": an operator's key or an
 * account's access token. 1 known (w->account_id, w->is_operator set),
 * 0 none or not valid, -1 database or key error.
 */
static int
caller(struct web *w)
{
	const char	*h = req_header(w->r, "Authorization");
	struct str	 tok;
	struct account	 a;
	int64_t		 id;
	int		 op;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return 0;
	tok = str_trim(str_c(h + 7));
	if (str_starts(tok, STR(OPKEY_PREFIX))) {
		switch (opkey_check(w->db, tok, &id)) {
		case OPKEY_OK:
			w->is_operator = 1;
			if ((op = account_is_operator(w->db, id)) == -1)
				return -1;
			w->operator_support = op == OPERATOR_SUPPORT;
			break;
		case OPKEY_EINVALID:
			return 0;
		default:
			return -1;
		}
	} else {
		switch (apitoken_verify(w->db, tok, (int64_t)time(NULL),
		    &id)) {
		case APITOKEN_OK:
			break;
		case APITOKEN_EINVALID:
			return 0;
		default:
			return -1;
		}
	}
	switch (account_get(w->db, id, &a)) {
	case ACCOUNT_OK:
		break;
	case ACCOUNT_ENOTFOUND:
		w->is_operator = 0;
		return 0;
	default:
		return -1;
	}
	w->account_id = id;
	w->account_email = str_c(arena_strdup(w->r->arena, a.email));
	return 1;
}

int
tenant_api_dispatch(struct web *w)
{
	const struct route	*rt;
	int			 who = 0;

	enum router_result	 m;

	m = router_match(routes, NELEM(routes), w->r, &rt);
	if (m == ROUTER_NOT_FOUND)
		m = router_match(tenant_api_plan_routes,
		    tenant_api_plan_nroutes, w->r, &rt);
	if (m == ROUTER_NOT_FOUND)
		m = router_match(tenant_api_billing_routes,
		    tenant_api_billing_nroutes, w->r, &rt);
	if (m == ROUTER_NOT_FOUND)
		m = router_match(tenant_api_team_routes,
		    tenant_api_team_nroutes, w->r, &rt);
	switch (m) {
	case ROUTER_FOUND:
		break;
	case ROUTER_BAD_METHOD:
		return json_api_error(w, 405, "rest_no_route",
		    _("This method is not allowed here."));
	default:
		return json_api_error(w, 404, "rest_no_route",
		    _("No route was found matching the URL and request "
		    "method."));
	}
	if ((rt->flags & (AUTH | REVOKE)) && (who = caller(w)) == -1)
		return tenant_api_unavailable(w);
	if ((rt->flags & AUTH) && who == 0) {
		resp_header(w->r, "WWW-Authenticate", "Bearer");
		return json_api_error(w, 401, "souk_rest_unauthorized",
		    _("Send an operator's API key or an access token as "
		    "Authorization: Bearer."));
	}
	w->route = rt;
	if (w->operator_support && w->r->method != HTTP_GET &&
	    w->r->method != HTTP_HEAD)
		return json_api_error(w, 403, "souk_rest_forbidden",
		    _("Support operators may look at everything and change "
		    "nothing."));
	if (who == 1)
		page_audit_actor(w, w->is_operator ? AUDIT_OPERATOR_KEY :
		    AUDIT_ACCOUNT, w->account_id, w->account_email);
	if ((rt->flags & OPERATOR) && !w->is_operator)
		return json_api_error(w, 403, "souk_rest_forbidden",
		    _("Only the platform's operators may do this."));
	return rt->handler(w->r);
}
