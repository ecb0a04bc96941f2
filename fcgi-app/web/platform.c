/*
 * platform.c: the platform's own pages, on the platform host: sign-up
 * (a platform account and its first shop, once the link mailed to its
 * address is opened: platform/signup.h), log in/out, the dashboard of
 * an account's shops, and the operator console.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "http/router.h"
#include "platform/account.h"
#include "platform/audit.h"
#include "platform/operator.h"
#include "platform/opkey.h"
#include "platform/provision.h"
#include "platform/signup.h"
#include "platform/tenant.h"
#include "shop/catalog.h"
#include "web/audit_pages.h"
#include "web/invoice_pages.h"
#include "web/operator_usage.h"
#include "web/operator_metrics.h"
#include "web/operator_plans.h"
#include "web/page.h"
#include "web/tenant_api.h"

#define ACCOUNT_COOKIE	"souk_account"
#define AUTH		PLATFORM_AUTH
#define OPERATOR	PLATFORM_OPERATOR

/* "http://acme.localhost:8080/" for a shop's slug. */
static const char *
shop_url(struct web *w, const char *slug)
{
	const char *port = config_get("public_port", "");

	return arena_printf(w->r->arena, "%s://%s.%s%s%s/",
	    config_get("public_scheme", "http"), slug,
	    config_get("platform_domain", "localhost"), *port ? ":" : "", port);
}

json_object *
platform_model(struct web *w, const char *title)
{
	json_object *m = page_model(w, title);

	if (w->account_id) {
		json_object *a = jset_obj(m, "account");

		jset_str(a, "email", w->account_email);
		jset_bool(m, "operator", w->is_operator);
	}
	return m;
}

static const char *
status_label(enum tenant_status s)
{
	switch (s) {
	case TENANT_PROVISIONING:
		return _("Being set up");
	case TENANT_READY:
		return _("Ready");
	case TENANT_FAILED:
		return _("Failed");
	case TENANT_SUSPENDED:
		return _("Suspended");
	default:
		return "";
	}
}

/* --- sign-up ------------------------------------------------------------ */

static int
signup_form(struct web *w, int status, const char *error)
{
	json_object	*m, *f, *arr;
	struct str	 loc = page_field(w, "locale");
	struct str	 cur = page_field(w, "currency");
	size_t		 i;

	if (!w->account_id)
		page_anon_csrf(w);
	m = platform_model(w, _("Create your shop"));
	jset_cstr(m, "form_title", w->account_id ? _("Create another shop") :
	    _("Create your shop"));
	jset_cstr(m, "domain", config_get("platform_domain", "localhost"));
	if (error != NULL)
		json_object_array_add(jset_arr(m, "errors"),
		    json_object_new_string(error));
	f = jset_obj(m, "f");
	jset_str(f, "name", page_field(w, "name"));
	jset_str(f, "slug", page_field(w, "slug"));
	jset_str(f, "email", page_field(w, "email"));
	if (loc.len == 0)
		loc = str_c(w->lang);
	if (cur.len == 0)
		cur = STR("EUR");
	arr = jset_arr(m, "locale_options");
	for (i = 0; i18n_lang_at(i) != NULL; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "code", i18n_lang_at(i));
		jset_cstr(o, "label", page_lang_label(i18n_lang_at(i)));
		jset_bool(o, "selected", str_eqc(loc, i18n_lang_at(i)));
	}
	arr = jset_arr(m, "currency_options");
	for (i = 0; money_currency_at(i) != NULL; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "code", money_currency_at(i));
		jset_bool(o, "selected", str_eqc(cur, money_currency_at(i)));
	}
	return page_render(w, status, "platform/home");
}

static int
home(struct req *r)
{
	return signup_form(web_of(r), 200, NULL);
}

/* What the shopper or the API client reads when a shop could not be
 * made (web/tenant_api.c shares it). */
const char *
platform_provision_message(int rc)
{
	switch (rc) {
	case PROVISION_EINVAL_SLUG:
		return _("The shop address must have 3 to 40 lower-case "
		    "letters, digits or hyphens, and not start or end with "
		    "a hyphen.");
	case PROVISION_ESLUG_RESERVED:
		return _("This shop address is reserved. Please choose "
		    "another.");
	case PROVISION_ESLUG_TAKEN:
		return _("This shop address is taken. Please choose "
		    "another.");
	case PROVISION_EINVAL_NAME:
		return _("Enter a shop name of at most 200 characters.");
	case PROVISION_EINVAL_EMAIL:
		return _("Enter a valid e-mail address.");
	case PROVISION_EWEAK_PASSWORD:
		return _("The password must have at least 8 characters.");
	case PROVISION_ELONG_PASSWORD:
		return _("The password must have at most 1024 characters.");
	case PROVISION_EINVAL_LOCALE:
		return _("Choose one of the languages offered.");
	case PROVISION_EINVAL_CURRENCY:
		return _("Choose one of the currencies offered.");
	case PROVISION_EOWNER_AUTH:
		return _("The owner's password does not match the account.");
	default:
		return _("Your shop could not be created. Please try again "
		    "in a moment.");
	}
}

static int
start_session(struct web *w, int64_t account_id)
{
	struct account_session s;

	if (account_session_create(w->db, account_id, &s) != ACCOUNT_OK)
		return -1;
	resp_cookie(w->r, ACCOUNT_COOKIE, s.token, -1,
	    COOKIE_HTTPONLY | COOKIE_LAX);
	/* A page rendered now carries the new session's token. */
	w->csrf = arena_strdup(w->r->arena, s.csrf);
	return 0;
}

/* The platform's own address: "http://localhost:8080". */
static const char *
platform_url(struct web *w)
{
	const char *port = config_get("public_port", "");

	return arena_printf(w->r->arena, "%s://%s%s%s",
	    config_get("public_scheme", "http"),
	    config_get("platform_domain", "localhost"), *port ? ":" : "", port);
}

/* A logged-in merchant's next shop: verified already, no mail. */
static int
signup_more(struct web *w)
{
	struct provision_req	 pr;
	int64_t			 tenant_id = 0;
	char			 err[256];
	enum provision_err	 rc;

	memset(&pr, 0, sizeof(pr));
	pr.slug = page_field(w, "slug");
	pr.name = page_field(w, "name");
	pr.locale = page_field(w, "locale");
	pr.currency = page_field(w, "currency");
	pr.owner_id = w->account_id;
	rc = provision_shop(w->db, &pr, &tenant_id, err, sizeof(err));
	if (rc != PROVISION_OK) {
		log_info("new shop refused: %s (%s)", provision_strerror(rc),
		    err);
		return signup_form(w, rc == PROVISION_EDB ||
		    rc == PROVISION_ESCHEMA ? 503 : 422,
		    platform_provision_message(rc));
	}
	log_info("shop %lld created by account %lld", (long long)tenant_id,
	    (long long)w->account_id);
	return page_redirect(w, "/dashboard?created=1");
}

/*
 * Anonymous sign-up: the same page for every well-formed request,
 * whether the address has an account or not (platform/signup.h); only
 * the fields' own errors (the shop address's among them) are told.
 */
static int
signup(struct req *r)
{
	struct web		*w = web_of(r);
	struct signup_req	 sr;
	enum provision_err	 perr;
	enum signup_err		 rc;
	json_object		*m;

	if (w->account_id)
		return signup_more(w);
	page_anon_csrf(w);
	if (!page_csrf_ok(w))
		return signup_form(w, 403, _("Your form expired. "
		    "Please try again."));
	memset(&sr, 0, sizeof(sr));
	sr.email = page_field(w, "email");
	sr.password = page_field(w, "password");
	sr.name = page_field(w, "name");
	sr.slug = page_field(w, "slug");
	sr.locale = page_field(w, "locale");
	sr.currency = page_field(w, "currency");
	sr.lang = w->lang;
	sr.confirm_url = arena_printf(r->arena, "%s/signup/confirm/",
	    platform_url(w));
	sr.login_url = arena_printf(r->arena, "%s/login", platform_url(w));
	rc = signup_start(w->db, &sr, &perr);
	if (rc == SIGNUP_EINVAL)
		return signup_form(w, 422,
		    platform_provision_message(perr));
	if (rc != SIGNUP_OK)
		return signup_form(w, 503,
		    platform_provision_message(PROVISION_EDB));
	m = platform_model(w, _("Check your e-mail"));
	/* TRANSLATORS: %s is the e-mail address the visitor typed. */
	jset_cstr(m, "sent", arena_printf(r->arena, _("We sent a link to %s. "
	    "Open it to confirm your address and open your shop."),
	    arena_strndup(r->arena, str_trim(sr.email).p,
	    str_trim(sr.email).len)));
	return page_render(w, 200, "platform/signup-sent");
}

/* The page for a link that cannot be used. */
static int
confirm_refused(struct web *w, enum signup_err rc)
{
	switch (rc) {
	case SIGNUP_ENOTFOUND:
		return page_error(w, 400, _("This link is not valid. Check "
		    "that you opened all of it, or sign up again."));
	case SIGNUP_EEXPIRED:
		return page_error(w, 410, _("This link has expired. Please "
		    "sign up again."));
	case SIGNUP_EUSED:
		return page_error(w, 410, _("This link has been used already. "
		    "Log in to see your shops."));
	case SIGNUP_EEXISTS:
		return page_error(w, 409, _("An account with this e-mail "
		    "address exists already. Log in to create another "
		    "shop."));
	default:
		return page_error(w, 503, NULL);
	}
}

/* GET: what the link opens, changing nothing (mail clients' link
 * scanners follow GETs); the button POSTs. */
static int
confirm_get(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*tok = req_param(r, "token");
	struct signup		 s;
	enum signup_err		 rc;
	json_object		*m;

	rc = signup_peek(w->db, tok != NULL ? *tok : STR(""), &s);
	if (rc != SIGNUP_OK)
		return confirm_refused(w, rc);
	if (!w->account_id)
		page_anon_csrf(w);
	m = platform_model(w, _("Open your shop"));
	jset_cstr(m, "token", arena_strndup(r->arena, tok->p, tok->len));
	jset_cstr(m, "email", s.email);
	jset_cstr(m, "shop_name", s.shop_name);
	jset_cstr(m, "host", arena_printf(r->arena, "%s.%s", s.slug,
	    config_get("platform_domain", "localhost")));
	/* The token is in this page's address: nginx's Referrer-Policy
	 * (strict-origin-when-cross-origin) keeps it from other sites,
	 * and the page loads nothing from elsewhere. */
	return page_render(w, 200, "platform/confirm");
}

static int
confirm_post(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*tok = req_param(r, "token");
	int64_t			 account_id, tenant_id;
	enum provision_err	 perr;
	enum signup_err		 rc;

	if (!w->account_id) {
		page_anon_csrf(w);
		if (!page_csrf_ok(w))
			return page_error(w, 403, _("This form has expired. "
			    "Reload the page and try again."));
	}
	rc = signup_confirm(w->db, tok != NULL ? *tok : STR(""), &account_id,
	    &tenant_id, &perr);
	if (rc != SIGNUP_OK && rc != SIGNUP_EPROVISION)
		return confirm_refused(w, rc);
	if (start_session(w, account_id) == -1)
		return page_error(w, 503, NULL);
	/* The account is there and logged in; its shop is not. A shop
	 * whose tables failed is listed, 'failed', on the dashboard;
	 * any other reason (its address taken meanwhile) is said on
	 * the form for another shop. */
	if (rc == SIGNUP_EPROVISION && perr != PROVISION_ESCHEMA) {
		w->account_id = account_id;
		return signup_form(w, perr == PROVISION_EDB ? 503 : 409,
		    platform_provision_message(perr));
	}
	log_info("shop %lld created by account %lld", (long long)tenant_id,
	    (long long)account_id);
	return page_redirect(w, "/dashboard?created=1");
}

/* --- log in / out ------------------------------------------------------- */

static int
login_form(struct web *w, int status, const char *error)
{
	json_object *m;

	page_anon_csrf(w);
	m = platform_model(w, _("Log in"));
	jset_cstr(m, "error", error);
	jset_str(m, "email", page_field(w, "email"));
	return page_render(w, status, "platform/login");
}

static int
login_get(struct req *r)
{
	struct web *w = web_of(r);

	if (w->account_id)
		return page_redirect(w, "/dashboard");
	return login_form(w, 200, NULL);
}

static int
login_post(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id;
	enum account_err rc;

	page_anon_csrf(w);
	if (!page_csrf_ok(w))
		return login_form(w, 403, _("Your form expired. Please try "
		    "again."));
	rc = account_login(w->db, page_field(w, "email"),
	    page_field(w, "password"), &id);
	if (rc == ACCOUNT_ELOCKED)
		return login_form(w, 429, _("Too many failed attempts. "
		    "Try again in 15 minutes."));
	if (rc == ACCOUNT_EBADLOGIN)
		return login_form(w, 401, _("Wrong e-mail or password."));
	if (rc != 0 || start_session(w, id) == -1)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/dashboard");
}

static int
logout(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*c = req_cookie(r, ACCOUNT_COOKIE);

	if (c != NULL)
		(void)account_session_delete(w->db, *c);
	resp_cookie(r, ACCOUNT_COOKIE, "", 0, COOKIE_HTTPONLY | COOKIE_LAX);
	return page_redirect(w, "/");
}

/* --- dashboard ---------------------------------------------------------- */

static int
dashboard(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	*shops;
	size_t		 n, i;
	json_object	*m, *arr;

	if (tenant_list(w->db, r->arena, w->account_id, 200, 0, &shops, &n)
	    != TENANT_OK)
		return page_error(w, 503, NULL);
	m = platform_model(w, _("Your shops"));
	if (req_query(r, "created") != NULL)
		jset_cstr(m, "flash", _("Your shop is live."));
	arr = jset_arr(m, "shops");
	for (i = 0; i < n; i++) {
		const struct tenant	*t = &shops[i];
		json_object		*o = jarr_obj(arr);

		jset_cstr(o, "name", t->name);
		jset_cstr(o, "host", arena_printf(r->arena, "%s.%s", t->slug,
		    config_get("platform_domain", "localhost")));
		jset_cstr(o, "url", shop_url(w, t->slug));
		jset_cstr(o, "status", tenant_status_name(t->status));
		jset_cstr(o, "status_label", status_label(t->status));
		jset_cstr(o, "reason", t->status == TENANT_FAILED ?
		    t->status_reason : "");
		jset_bool(o, "ready", t->status == TENANT_READY);
	}
	return page_render(w, 200, "platform/dashboard");
}

/* --- operator console --------------------------------------------------- */

#define OPERATOR_PAGE	100

static const char *
owner_email(struct web *w, int64_t id)
{
	struct account a;

	if (account_get(w->db, id, &a) != ACCOUNT_OK)
		return "";
	return arena_strdup(w->r->arena, a.email);
}

/* The shop's size for the console: its number of products (-1 when its
 * tables are not there: provisioning failed). */
static int64_t
product_count(struct web *w, const struct tenant *t)
{
	struct shop_ctx	ctx = { w->db, w->r->arena, t->id, "en", "en",
	    t->currency, NULL, NULL, 0 };
	int64_t		n;

	if (t->status == TENANT_PROVISIONING || t->status == TENANT_FAILED)
		return 0;
	return catalog_count(&ctx, &n) == SHOP_OK ? n : -1;
}

static int
operator_page(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	*shops;
	struct plan	*plans;
	size_t		 n, i, nplans;
	json_object	*m, *arr;

	const struct str	*pg = req_query(r, "page");
	int64_t			 page = 0;

	if (pg != NULL && str_to_i64(*pg, 0, 100000, &page) == -1)
		return page_error(w, 400, NULL);
	if (tenant_list(w->db, r->arena, 0, OPERATOR_PAGE + 1,
	    (size_t)page * OPERATOR_PAGE, &shops, &n) != TENANT_OK ||
	    plan_list(w->db, r->arena, &plans, &nplans) != PLAN_OK)
		return page_error(w, 503, NULL);
	m = platform_model(w, _("Operator console"));
	if (n > OPERATOR_PAGE)
		jset_cstr(m, "next_url", arena_printf(r->arena,
		    "/operator?page=%lld", (long long)page + 1));
	if (page > 0)
		jset_cstr(m, "prev_url", arena_printf(r->arena,
		    "/operator?page=%lld", (long long)page - 1));
	n = n > OPERATOR_PAGE ? OPERATOR_PAGE : n;
	jset_cstr(m, "count_text", arena_printf(r->arena,
	    _("Shops %lld to %lld"),
	    (long long)(page * OPERATOR_PAGE + (n ? 1 : 0)),
	    (long long)(page * OPERATOR_PAGE + (int64_t)n)));
	arr = jset_arr(m, "shops");
	for (i = 0; i < n; i++) {
		const struct tenant	*t = &shops[i];
		json_object		*o = jarr_obj(arr);

		jset_i64(o, "id", t->id);
		jset_cstr(o, "name", t->name);
		jset_cstr(o, "slug", t->slug);
		jset_cstr(o, "url", shop_url(w, t->slug));
		jset_cstr(o, "owner", owner_email(w, t->owner_id));
		jset_cstr(o, "status", tenant_status_name(t->status));
		jset_cstr(o, "status_label", status_label(t->status));
		jset_cstr(o, "reason", t->status_reason);
		jset_i64(o, "size", product_count(w, t));
		jset_bool(o, "can_suspend", t->status == TENANT_READY);
		jset_bool(o, "can_resume", t->status == TENANT_SUSPENDED);
		jset_cstr(o, "plan", t->plan_name);
		if (t->trial_ends_at[0] != '\0')
			jset_cstr(o, "trial_ends", t->trial_ends_at);
		operator_plan_options(jset_arr(o, "plan_options"), plans,
		    nplans, t->plan_code);
	}
	return page_render(w, 200, "platform/operator");
}

/* The console's suspend and resume: the functions soukctl and the
 * tenant API call (tenant_suspend(), tenant_resume()). */
static int
operator_set(struct web *w, int suspend)
{
	const struct str	*v = req_param(w->r, "id");
	struct tenant		 t;
	int64_t			 id;
	enum tenant_err		 rc;

	if (v == NULL || str_to_i64(*v, 1, INT64_MAX, &id) == -1)
		return page_error(w, 404, NULL);
	rc = tenant_get_by_id(w->db, id, &t);
	if (rc == TENANT_ENOTFOUND)
		return page_error(w, 404, NULL);
	if (rc != TENANT_OK)
		return page_error(w, 503, NULL);
	/* A second suspension would only replace the reason: the
	 * console's button is for a shop that is ready. */
	if (suspend && t.status != TENANT_READY)
		rc = TENANT_ESTATE;
	else
		rc = suspend ? tenant_suspend(w->db, &t, NULL) :
		    tenant_resume(w->db, &t);
	if (rc == TENANT_ESTATE)
		return page_error(w, 409, _("This shop is not in a state "
		    "that allows this."));
	if (rc != TENANT_OK)
		return page_error(w, 503, NULL);
	log_info("operator %lld set shop %lld to %s",
	    (long long)w->account_id, (long long)id, suspend ? "suspended" :
	    "ready");
	return page_redirect(w, "/operator");
}

static int
operator_suspend(struct req *r)
{
	return operator_set(web_of(r), 1);
}

static int
operator_resume(struct req *r)
{
	return operator_set(web_of(r), 0);
}

/* --- operators' API keys (platform/opkey.h) ----------------------------- */

/* The list, and the key just made (shown this once) or an error. */
static int
keys_page(struct web *w, int status, const char *new_key, const char *error)
{
	struct opkey	*ks;
	size_t		 n, i;
	json_object	*m, *arr;

	if (opkey_list(w->db, w->r->arena, &ks, &n) != OPKEY_OK)
		return page_error(w, 503, NULL);
	m = platform_model(w, _("API keys"));
	jset_cstr(m, "new_key", new_key);
	jset_cstr(m, "error", error);
	if (error != NULL)
		jset_str(m, "description", page_field(w, "description"));
	arr = jset_arr(m, "keys");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", ks[i].id);
		jset_cstr(o, "last", ks[i].last);
		jset_cstr(o, "description", ks[i].description);
		jset_cstr(o, "owner", owner_email(w, ks[i].account_id));
		jset_cstr(o, "created_at", ks[i].created_at);
		jset_cstr(o, "last_used_at", ks[i].last_used_at);
		jset_bool(o, "revoked", ks[i].revoked);
	}
	return page_render(w, status, "platform/operator-keys");
}

static int
keys_get(struct req *r)
{
	return keys_page(web_of(r), 200, NULL, NULL);
}

static int
keys_create(struct req *r)
{
	struct web	*w = web_of(r);
	char		 key[OPKEY_LEN + 1];
	enum opkey_err	 e;

	e = opkey_create(w->db, w->account_id, page_field(w, "description"),
	    key, NULL);
	if (e == OPKEY_EDESC)
		return keys_page(w, 422, NULL, _("Enter a description of at "
		    "most 200 characters."));
	if (e != OPKEY_OK)
		return page_error(w, 503, NULL);
	log_info("operator %lld created an api key",
	    (long long)w->account_id);
	/* Answered, not redirected: the key is in this page only. */
	return keys_page(w, 200, key, NULL);
}

static int
keys_revoke(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*v = req_param(r, "id");
	int64_t			 id;
	enum opkey_err		 e;

	if (v == NULL || str_to_i64(*v, 1, INT64_MAX, &id) == -1)
		return page_error(w, 404, NULL);
	e = opkey_revoke(w->db, id);
	if (e == OPKEY_ENOTFOUND)
		return page_error(w, 404, NULL);
	if (e != OPKEY_OK)
		return page_error(w, 503, NULL);
	log_info("operator %lld revoked api key %lld",
	    (long long)w->account_id, (long long)id);
	return page_redirect(w, "/operator/api-keys");
}

static const struct route routes[] = {
	{ HTTP_GET, "/", home, 0, NULL },
	{ HTTP_POST, "/signup", signup, 0, NULL },
	{ HTTP_GET, "/signup/confirm/:token", confirm_get, 0, NULL },
	{ HTTP_POST, "/signup/confirm/:token", confirm_post, 0, NULL },
	{ HTTP_GET, "/login", login_get, 0, NULL },
	{ HTTP_POST, "/login", login_post, 0, NULL },
	{ HTTP_POST, "/logout", logout, AUTH, NULL },
	{ HTTP_GET, "/dashboard", dashboard, AUTH, NULL },
	{ HTTP_GET, "/operator", operator_page, AUTH | OPERATOR, NULL },
	{ HTTP_POST, "/operator/shops/:id/suspend", operator_suspend,
	    AUTH | OPERATOR, NULL },
	{ HTTP_POST, "/operator/shops/:id/resume", operator_resume,
	    AUTH | OPERATOR, NULL },
	{ HTTP_GET, "/operator/api-keys", keys_get, AUTH | OPERATOR, NULL },
	{ HTTP_POST, "/operator/api-keys", keys_create, AUTH | OPERATOR,
	    NULL },
	{ HTTP_POST, "/operator/api-keys/:id/revoke", keys_revoke,
	    AUTH | OPERATOR, NULL },
};

static int
load_session(struct web *w)
{
	const struct str	*c = req_cookie(w->r, ACCOUNT_COOKIE);
	struct account_session	 s;
	struct account		 a;
	enum account_err	 rc;
	int			 op;

	if (c == NULL)
		return 0;
	rc = account_session_get(w->db, *c, &s);
	if (rc == ACCOUNT_ENOTFOUND)
		return 0;
	if (rc != ACCOUNT_OK)
		return -1;
	rc = account_get(w->db, s.account_id, &a);
	if (rc == ACCOUNT_ENOTFOUND)
		return 0;
	if (rc != ACCOUNT_OK || (op = account_is_operator(w->db,
	    s.account_id)) == -1)
		return -1;
	w->account_id = s.account_id;
	w->account_email = str_c(arena_strdup(w->r->arena, a.email));
	w->is_operator = op != 0;
	w->operator_support = op == OPERATOR_SUPPORT;
	w->csrf = arena_strdup(w->r->arena, s.csrf);
	return 0;
}

/* Sessions, access and CSRF, between the route and its handler. */
static int
platform_before(struct web *w, const struct route *rt)
{
	if (load_session(w) == -1)
		return 503;
	if (w->account_id)
		page_audit_actor(w, w->is_operator ? AUDIT_OPERATOR :
		    AUDIT_ACCOUNT, w->account_id, w->account_email);
	if ((rt->flags & AUTH) && !w->account_id) {
		if (w->r->method == HTTP_POST)
			(void)page_error(w, 403, _("Please log in first."));
		else
			(void)page_redirect(w, "/login");
		return -1;
	}
	if ((rt->flags & OPERATOR) && !w->is_operator) {
		(void)page_error(w, 403, _("This page is for the platform's "
		    "operators."));
		return -1;
	}
	/* Support operators look, they do not change (operator.h). */
	if ((rt->flags & OPERATOR) && w->operator_support &&
	    w->r->method == HTTP_POST) {
		(void)page_error(w, 403, _("Support operators may look at "
		    "everything and change nothing."));
		return -1;
	}
	/* Logged-in forms carry the session's token; the anonymous ones
	 * (sign-up, login) check the double-submit cookie themselves. */
	if (w->r->method == HTTP_POST && w->account_id && !page_csrf_ok(w)) {
		(void)page_error(w, 403, _("This form has expired. Reload "
		    "the page and try again."));
		return -1;
	}
	return 0;
}

int
platform_dispatch(struct web *w)
{
	if (str_starts(w->r->path, STR(TENANT_API_PREFIX)))
		return tenant_api_dispatch(w);
	resp_header(w->r, "Cache-Control", "no-store");
	w->tmpl = page_theme(w, "default");
	w->before = platform_before;
	return page_route_tables(w, (const struct route_table[]){
	    { routes, NELEM(routes) },
	    { operator_plans_routes, operator_plans_nroutes },
	    { operator_audit_routes, operator_audit_nroutes },
	    { operator_usage_routes, operator_usage_nroutes },
	    { operator_metrics_routes, operator_metrics_nroutes },
	    { invoice_page_routes, invoice_page_nroutes } }, 6);
}
