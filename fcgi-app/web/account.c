/*
 * account.c: the shopper's account on a storefront, /account/...:
 * register, sign in and out, password reset by mailed link, profile,
 * a new e-mail address confirmed by a link mailed to it, address book,
 * deleting the account (shop/customer.h does the work).
 *
 * Every page here answers Cache-Control: no-store (nginx microcaches
 * anonymous storefront pages). Forms before sign-in carry the anonymous
 * double-submit CSRF token (page_anon_csrf()), as the admin login does;
 * the others the session's. A page that needs a session redirects a GET
 * to the sign-in form (which comes back with ?next=) and refuses a POST.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/country.h"
#include "core/i18n.h"
#include "core/log.h"
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/catalog.h"
#include "shop/category.h"
#include "shop/customer.h"
#include "web/account.h"
#include "web/cart.h"
#include "web/page.h"

#define COOKIE_FLAGS	(COOKIE_HTTPONLY | COOKIE_LAX)

static const char *const saved_names[] = {
	"profile", "email", "password", "reset", "address", "email_sent",
	NULL
};

/* The fields of each route (web/form.h); lengths in characters, the
 * messages those of shop/customer.c where it checks again. A reset
 * link's token is checked by shop/customer.c: a malformed one gets the
 * page of a used or expired link, not a bare 404. */
static const struct field login_get_fields[] = {
	{ "next", FIELD_TEXT, 0, 500, FIELD_QUERY | FIELD_ASCII,
	    N_("This page link is not valid."), NULL },
	{ "registered", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ "deleted", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

static const struct field login_fields[] = {
	{ "email", FIELD_TEXT, 0, 254, 0, N_("Wrong e-mail or password."),
	    NULL },
	{ "password", FIELD_PASSWORD, 0, 1024, 0,
	    N_("Wrong e-mail or password."), NULL },
	{ "next", FIELD_TEXT, 0, 500, FIELD_ASCII,
	    N_("This page link is not valid."), NULL },
	{ 0 }
};

static const struct field register_get_fields[] = {
	{ "order", FIELD_ID, 0, 0, FIELD_QUERY, NULL, NULL },
	{ "key", FIELD_TEXT, 0, 64, FIELD_QUERY | FIELD_ASCII, NULL, NULL },
	{ 0 }
};

static const struct field register_fields[] = {
	{ "name", FIELD_TEXT, 0, CUSTOMER_NAME_MAX, 0,
	    N_("A name has at most 200 characters."), NULL },
	{ "email", FIELD_EMAIL, 0, 254, FIELD_REQUIRED,
	    N_("Enter a valid e-mail address."), NULL },
	{ "password", FIELD_PASSWORD, 8, 1024, FIELD_REQUIRED,
	    N_("Use a password of 8 to 1024 characters."), NULL },
	/* From a guest's order confirmation page (hidden fields). */
	{ "order", FIELD_ID, 0, 0, 0, NULL, NULL },
	{ "key", FIELD_TEXT, 0, 64, FIELD_ASCII, NULL, NULL },
	{ 0 }
};

static const struct field reset_fields[] = {
	{ "email", FIELD_EMAIL, 0, 254, FIELD_REQUIRED,
	    N_("Enter a valid e-mail address."), NULL },
	{ 0 }
};

static const struct field token_fields[] = {
	{ "token", FIELD_TEXT, 1, 500, FIELD_PARAM | FIELD_ASCII,
	    N_("This link has been used or has expired. Ask for a new one."),
	    NULL },
	{ 0 }
};

static const struct field reset_new_fields[] = {
	{ "token", FIELD_TEXT, 1, 500, FIELD_PARAM | FIELD_ASCII,
	    N_("This link has been used or has expired. Ask for a new one."),
	    NULL },
	{ "password", FIELD_PASSWORD, 8, 1024, FIELD_REQUIRED,
	    N_("Use a password of 8 to 1024 characters."), NULL },
	{ "confirm", FIELD_PASSWORD, 0, 1024, 0,
	    N_("The two passwords differ."), NULL },
	{ 0 }
};

static const struct field profile_get_fields[] = {
	{ "saved", FIELD_ENUM, 0, 0, FIELD_QUERY, NULL, saved_names },
	{ 0 }
};

static const struct field profile_fields[] = {
	{ "name", FIELD_TEXT, 0, CUSTOMER_NAME_MAX, 0,
	    N_("A name has at most 200 characters."), NULL },
	{ "phone", FIELD_TEXT, 0, CUSTOMER_PHONE_MAX, 0,
	    N_("A phone number has at most 40 digits, spaces and +-()./ "
	    "signs."), NULL },
	{ 0 }
};

static const struct field email_fields[] = {
	{ "email", FIELD_EMAIL, 0, 254, FIELD_REQUIRED,
	    N_("Enter a valid e-mail address."), NULL },
	{ "password", FIELD_PASSWORD, 1, 1024, FIELD_REQUIRED,
	    N_("Enter your password."), NULL },
	{ 0 }
};

static const struct field password_fields[] = {
	{ "current_password", FIELD_PASSWORD, 1, 1024, FIELD_REQUIRED,
	    N_("Enter your password."), NULL },
	{ "password", FIELD_PASSWORD, 8, 1024, FIELD_REQUIRED,
	    N_("Use a password of 8 to 1024 characters."), NULL },
	{ "confirm", FIELD_PASSWORD, 0, 1024, 0,
	    N_("The two passwords differ."), NULL },
	{ 0 }
};

static const struct field addresses_get_fields[] = {
	{ "saved", FIELD_ENUM, 0, 0, FIELD_QUERY, NULL, saved_names },
	{ 0 }
};

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This address does not exist."), NULL },
	{ 0 }
};

static const struct field address_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM,
	    N_("This address does not exist."), NULL },
	{ "name", FIELD_TEXT, 0, ADDRESS_NAME_MAX, 0,
	    N_("Enter a name of at most 200 characters."), NULL },
	{ "company", FIELD_TEXT, 0, ADDRESS_NAME_MAX, 0,
	    N_("A company name has at most 200 characters."), NULL },
	{ "line1", FIELD_TEXT, 0, ADDRESS_LINE_MAX, 0,
	    N_("Enter the street and number, at most 200 characters."), NULL },
	{ "line2", FIELD_TEXT, 0, ADDRESS_LINE_MAX, 0,
	    N_("This line has at most 200 characters."), NULL },
	{ "city", FIELD_TEXT, 0, ADDRESS_CITY_MAX, 0,
	    N_("Enter a town or city of at most 100 characters."), NULL },
	{ "region", FIELD_TEXT, 0, ADDRESS_REGION_MAX, 0,
	    N_("A region has at most 100 characters."), NULL },
	{ "postcode", FIELD_TEXT, 0, ADDRESS_POSTCODE_MAX, 0,
	    N_("A postcode has at most 20 letters, digits, spaces or "
	    "dashes."), NULL },
	{ "country", FIELD_TEXT, 0, 2, FIELD_ASCII,
	    N_("Choose a country from the list."), NULL },
	{ "phone", FIELD_TEXT, 0, ADDRESS_PHONE_MAX, 0,
	    N_("A phone number has at most 40 digits, spaces and +-()./ "
	    "signs."), NULL },
	{ "is_default", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ 0 }
};

static const struct field delete_fields[] = {
	{ "password", FIELD_PASSWORD, 1, 1024, FIELD_REQUIRED,
	    N_("Enter your password."), NULL },
	{ 0 }
};

/* --- shared ------------------------------------------------------------ */

int
account_load_session(struct web *w)
{
	const struct str	*c = req_cookie(w->r, CUSTOMER_COOKIE);
	int			 rc;

	if (c == NULL)
		return 0;
	rc = customer_session_get(&w->shop, *c, &w->customer);
	if (rc == SHOP_ENOTFOUND) {
		/* Expired or ended elsewhere: the browser forgets it. */
		resp_cookie(w->r, CUSTOMER_COOKIE, "", 0, COOKIE_FLAGS);
		return 0;
	}
	if (rc != SHOP_OK)
		return 503;
	w->has_customer = 1;
	w->csrf = w->customer.csrf;
	return 0;
}

/* The session's lifetime, also the cookie's: a shopper stays signed in
 * across browser restarts until it ends. */
static long
session_ttl(void)
{
	return (long)config_int("customer_session_ttl", 30 * 86400, 60,
	    31536000);
}

/*
 * The model of an account page: the storefront's header (branding,
 * categories, currencies) and nav (the account navigation entry to
 * highlight; NULL: none). Never cached. NULL when the database failed
 * (the error page is sent).
 */
static json_object *
account_model(struct web *w, const char *title, const char *nav)
{
	struct category	*cats;
	size_t		 n, i;
	json_object	*m, *arr;

	resp_header(w->r, "Cache-Control", "no-store");
	if (category_list(&w->shop, &cats, &n) != SHOP_OK) {
		page_error(w, 503, NULL);
		return NULL;
	}
	m = page_model(w, title);
	page_currency_model(w, m);
	arr = jset_arr(m, "categories");
	for (i = 0; i < n; i++) {
		json_object *o;

		if (cats[i].parent_id != 0)
			continue;
		o = jarr_obj(arr);
		jset_str(o, "slug", cats[i].slug);
		jset_str(o, "name", cats[i].name);
	}
	if (nav != NULL)
		jset_bool(m, nav, 1);
	/* The header's cart link (web/cart.c); the page stays no-store. */
	(void)cart_header_model(w, m);
	resp_header(w->r, "Cache-Control", "no-store");
	return m;
}

/* Each error of errs beside its field (e), the first of each field. */
static void
errors_into(json_object *e, const struct field_errors *errs)
{
	if (errs != NULL)
		page_field_errors(e, NULL, errs);
}

/* A GET of a page that needs a session goes to the sign-in form and
 * comes back; a POST is refused. Returns 0 when the shopper is in. */
static int
need_customer(struct web *w)
{
	struct strbuf next = STRBUF_INIT;

	if (w->has_customer)
		return 0;
	if (w->r->method == HTTP_POST) {
		(void)page_error(w, 403, _("Please sign in first."));
		return -1;
	}
	strbuf_addstr(&next, "/account/login?next=");
	url_escape(&next, w->r->path);
	(void)page_redirect(w, arena_strndup(w->r->arena, next.buf,
	    next.len));
	strbuf_release(&next);
	return -1;
}

/* A signed-in shopper's form came from this shop's page. */
static int
session_csrf_ok(struct web *w)
{
	if (page_csrf_ok(w))
		return 1;
	(void)page_error(w, 403, _("This form has expired or did not come "
	    "from this shop. Reload the page and try again."));
	return 0;
}

/* A local path to go back to after signing in, or "/account". */
static const char *
next_path(struct web *w, struct str next)
{
	if (next.len < 1 || next.p[0] != '/' || (next.len > 1 &&
	    (next.p[1] == '/' || next.p[1] == '\\')))
		return "/account";
	return arena_strndup(w->r->arena, next.p, next.len);
}

/* Signs the shopper in on this browser: a new session and its cookie. */
static int
sign_in(struct web *w, int64_t id)
{
	char token[CUSTOMER_TOKEN_HEX + 1], csrf[33];
	long ttl = session_ttl();

	if (customer_session_new(&w->shop, id, ttl, token, csrf) != SHOP_OK)
		return -1;
	resp_cookie(w->r, CUSTOMER_COOKIE, token, ttl, COOKIE_FLAGS);
	return 0;
}

static const char *
reset_url(struct web *w)
{
	return page_shop_link(w, "/account/reset/");
}

/* --- sign in and out --------------------------------------------------- */

static int
login_form(struct web *w, int status, const char *error, struct str email,
    struct str next)
{
	json_object *m;

	page_anon_csrf(w);
	if ((m = account_model(w, _("Sign in"), NULL)) == NULL)
		return 0;
	jset_cstr(m, "error", error);
	jset_str(m, "email", email);
	jset_str(m, "next", next);
	if (form_bool(&w->form, "registered"))
		jset_cstr(m, "flash", _("Thank you. We sent you an e-mail. "
		    "Sign in with your e-mail and password."));
	if (form_bool(&w->form, "deleted"))
		jset_cstr(m, "flash", _("Your account was deleted."));
	return page_render(w, status, "account/login");
}

static int
login_get(struct req *r)
{
	struct web *w = web_of(r);

	if (w->has_customer)
		return page_redirect(w, next_path(w,
		    form_text(&w->form, "next")));
	return login_form(w, 200, NULL, STR(""), form_text(&w->form, "next"));
}

static int
login_post(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 email = form_text(&w->form, "email");
	struct str	 next = form_text(&w->form, "next");
	struct customer	 c;
	int		 rc;

	page_anon_csrf(w);
	if (!page_csrf_ok(w))
		return login_form(w, 403, _("Your form expired. Please try "
		    "again."), email, next);
	if (w->form.errs.n)
		return login_form(w, 401, _(w->form.errs.v[0].msgid), email,
		    next);
	rc = customer_login(&w->shop, email, form_text(&w->form, "password"),
	    &c);
	if (rc == SHOP_ELOCKED)
		return login_form(w, 429, _("Too many failed attempts. "
		    "Try again in 15 minutes."), email, next);
	if (rc == SHOP_EDENIED)
		return login_form(w, 401, _("Wrong e-mail or password."),
		    email, next);
	if (rc != SHOP_OK || sign_in(w, c.id) == -1)
		return page_error(w, 503, NULL);
	log_info("customer %lld signed in", (long long)c.id);
	/* The "cart" cookie stays: the cart loading merges it into the
	 * account's on the next request (web/cart.c). */
	return page_redirect(w, next_path(w, next));
}

static int
logout(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*c = req_cookie(r, CUSTOMER_COOKIE);

	if (w->has_customer && !session_csrf_ok(w))
		return 0;
	if (c != NULL && customer_session_end(&w->shop, *c) != SHOP_OK)
		return page_error(w, 503, NULL);
	resp_header(r, "Cache-Control", "no-store");
	resp_cookie(r, CUSTOMER_COOKIE, "", 0, COOKIE_FLAGS);
	return page_redirect(w, "/");
}

/* --- register ---------------------------------------------------------- */

static int
register_form(struct web *w, int status, const struct field_errors *errs,
    const char *error)
{
	json_object *m, *f;

	page_anon_csrf(w);
	if ((m = account_model(w, _("Create an account"), NULL)) == NULL)
		return 0;
	f = jset_obj(m, "f");
	if (status != 200) {
		jset_str(f, "name", page_field(w, "name"));
		jset_str(f, "email", page_field(w, "email"));
	}
	/* A guest's order, carried to the POST as it came. */
	if (form_i64(&w->form, "order") > 0)
		jset_i64(f, "order", form_i64(&w->form, "order"));
	jset_str(f, "key", form_text(&w->form, "key"));
	errors_into(jset_obj(m, "e"), errs);
	jset_cstr(m, "error", error);
	return page_render(w, status, "account/register");
}

static int
register_get(struct req *r)
{
	struct web *w = web_of(r);

	if (w->has_customer)
		return page_redirect(w, "/account");
	return register_form(w, 200, NULL, NULL);
}

/* The errors of the fields a shopper sees (a bad hidden order or key
 * only means no order is attached). */
static void
visible_errors(const struct form *fm, struct field_errors *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < fm->errs.n; i++)
		if (strcmp(fm->errs.v[i].field, "order") != 0 &&
		    strcmp(fm->errs.v[i].field, "key") != 0)
			field_errors_add(out, fm->errs.v[i].field,
			    fm->errs.v[i].msgid);
}

static int
register_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct customer_reg	 in;
	struct field_errors	 errs;
	int			 rc;

	if (w->has_customer)
		return page_redirect(w, "/account");
	page_anon_csrf(w);
	if (!page_csrf_ok(w))
		return register_form(w, 403, NULL, _("Your form expired. "
		    "Please try again."));
	visible_errors(&w->form, &errs);
	if (errs.n)
		return register_form(w, 422, &errs, NULL);
	memset(&in, 0, sizeof(in));
	in.email = form_text(&w->form, "email");
	in.password = form_text(&w->form, "password");
	in.name = form_text(&w->form, "name");
	in.order_number = form_i64(&w->form, "order");
	in.order_key = form_text(&w->form, "key");
	in.reset_url = reset_url(w);
	rc = customer_register(&w->shop, &in, &errs, NULL);
	if (rc == SHOP_EINVAL)
		return register_form(w, 422, &errs, NULL);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	/* The same answer whether the address was new or had an account
	 * (shop/customer.h): nobody is signed in by registering. */
	return page_redirect(w, "/account/login?registered=1");
}

/* --- password reset ---------------------------------------------------- */

static int
reset_form(struct web *w, int status, const struct field_errors *errs,
    const char *error, const char *sent)
{
	json_object *m;

	page_anon_csrf(w);
	if ((m = account_model(w, _("Forgot your password?"), NULL)) == NULL)
		return 0;
	if (status != 200)
		jset_str(jset_obj(m, "f"), "email", page_field(w, "email"));
	errors_into(jset_obj(m, "e"), errs);
	jset_cstr(m, "error", error);
	jset_cstr(m, "sent", sent);
	return page_render(w, status, "account/reset");
}

static int
reset_get(struct req *r)
{
	return reset_form(web_of(r), 200, NULL, NULL, NULL);
}

static int
reset_post(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 email = form_text(&w->form, "email");

	page_anon_csrf(w);
	if (!page_csrf_ok(w))
		return reset_form(w, 403, NULL, _("Your form expired. Please "
		    "try again."), NULL);
	if (w->form.errs.n)
		return reset_form(w, 422, &w->form.errs, NULL, NULL);
	if (customer_reset_request(&w->shop, email, reset_url(w)) != SHOP_OK)
		return page_error(w, 503, NULL);
	/* TRANSLATORS: %s is the e-mail address the shopper typed. */
	return reset_form(w, 200, NULL, NULL, arena_printf(r->arena,
	    _("If an account of this shop uses %s, we sent it a link to "
	    "choose a new password. The link works once, for one hour."),
	    arena_strndup(r->arena, email.p, email.len)));
}

/* The new password form of a reset link, or (gone) the page saying the
 * link is used or expired. */
static int
reset_new_form(struct web *w, int status, const struct field_errors *errs,
    int gone)
{
	json_object *m;

	page_anon_csrf(w);
	if ((m = account_model(w, _("Choose a new password"), NULL)) == NULL)
		return 0;
	jset_str(m, "token", form_text(&w->form, "token"));
	jset_bool(m, "gone", gone);
	errors_into(jset_obj(m, "e"), errs);
	return page_render(w, status, "account/reset_new");
}

static int
reset_token_get(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id;
	int		 rc;

	rc = customer_reset_check(&w->shop, form_text(&w->form, "token"), &id);
	if (rc == SHOP_ENOTFOUND)
		return reset_new_form(w, 410, NULL, 1);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return reset_new_form(w, 200, NULL, 0);
}

static int
reset_token_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct str		 pw = form_text(&w->form, "password");
	struct field_errors	 errs;
	int64_t			 id;
	int			 rc;

	page_anon_csrf(w);
	if (!page_csrf_ok(w)) {
		memset(&errs, 0, sizeof(errs));
		field_errors_add(&errs, "password", N_("Your form expired. "
		    "Please try again."));
		return reset_new_form(w, 403, &errs, 0);
	}
	if (w->form.errs.n)
		return reset_new_form(w, 422, &w->form.errs, 0);
	if (!str_eq(pw, form_text(&w->form, "confirm"))) {
		memset(&errs, 0, sizeof(errs));
		field_errors_add(&errs, "confirm",
		    N_("The two passwords differ."));
		return reset_new_form(w, 422, &errs, 0);
	}
	rc = customer_reset_finish(&w->shop, form_text(&w->form, "token"), pw,
	    &errs, &id);
	if (rc == SHOP_ENOTFOUND)
		return reset_new_form(w, 410, NULL, 1);
	if (rc == SHOP_EINVAL)
		return reset_new_form(w, 422, &errs, 0);
	if (rc != SHOP_OK || sign_in(w, id) == -1)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/account?saved=reset");
}

/* --- profile ----------------------------------------------------------- */

/*
 * The profile page: details, e-mail and password forms. which names
 * the form errs belong to ("profile", "email", "password"; NULL: none);
 * that form shows what was sent.
 */
static int
profile_page(struct web *w, int status, const char *which,
    const struct field_errors *errs)
{
	struct customer	 c;
	json_object	*m, *f;
	const char	*flash = NULL;
	int		 rc;

	rc = customer_get(&w->shop, w->customer.id, &c);
	if (rc != SHOP_OK)
		return page_error(w, rc == SHOP_ENOTFOUND ? 404 : 503, NULL);
	if ((m = account_model(w, _("My account"), "nav_profile")) == NULL)
		return 0;
	f = jset_obj(m, "f");
	jset_str(m, "email", c.email);
	if (which != NULL && strcmp(which, "profile") == 0) {
		jset_str(f, "name", page_field(w, "name"));
		jset_str(f, "phone", page_field(w, "phone"));
	} else {
		jset_str(f, "name", c.name);
		jset_str(f, "phone", c.phone);
	}
	jset_str(f, "email", which != NULL && strcmp(which, "email") == 0 ?
	    page_field(w, "email") : c.email);
	if (which != NULL)
		errors_into(jset_obj(m, arena_printf(w->r->arena, "e_%s",
		    which)), errs);
	if (form_has(&w->form, "saved"))
		switch (form_i64(&w->form, "saved")) {
		case 0:
			flash = _("Your details were saved.");
			break;
		case 1:
			flash = _("Your e-mail address was changed.");
			break;
		case 2:
			flash = _("Your password was changed.");
			break;
		case 3:
			flash = _("Your new password is set. You are signed "
			    "in; your other sessions were ended.");
			break;
		case 5:
			flash = _("We sent a link to the new address. Open it "
			    "within a day to confirm the change; until then "
			    "your account keeps its address.");
			break;
		}
	jset_cstr(m, "flash", flash);
	return page_render(w, status, "account/profile");
}

static int
profile(struct req *r)
{
	struct web *w = web_of(r);

	if (need_customer(w) == -1)
		return 0;
	return profile_page(w, 200, NULL, NULL);
}

static int
profile_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct field_errors	 errs;
	int			 rc;

	if (need_customer(w) == -1 || !session_csrf_ok(w))
		return 0;
	if (w->form.errs.n)
		return profile_page(w, 422, "profile", &w->form.errs);
	rc = customer_set_profile(&w->shop, w->customer.id,
	    form_text(&w->form, "name"), form_text(&w->form, "phone"), &errs);
	if (rc == SHOP_EINVAL)
		return profile_page(w, 422, "profile", &errs);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/account?saved=profile");
}

static int
email_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct field_errors	 errs;
	int			 rc;

	if (need_customer(w) == -1 || !session_csrf_ok(w))
		return 0;
	if (w->form.errs.n)
		return profile_page(w, 422, "email", &w->form.errs);
	rc = customer_set_email(&w->shop, w->customer.id,
	    form_text(&w->form, "password"), form_text(&w->form, "email"),
	    page_shop_link(w, "/account/email/"), &errs);
	if (rc == SHOP_EINVAL || rc == SHOP_EDENIED)
		return profile_page(w, 422, "email", &errs);
	if (rc == SHOP_ELOCKED)
		return profile_page(w, 429, "email", &errs);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	/* The same answer whether or not the address has an account. */
	return page_redirect(w, "/account?saved=email_sent");
}

/* --- an e-mail change, confirmed from the new address ----------------- */

/* The page of a change link: what asks, what went, or why not. */
static int
email_page(struct web *w, int status, const char *state, struct str email)
{
	json_object *m;

	page_anon_csrf(w);
	if ((m = account_model(w, _("Confirm your new e-mail address"),
	    NULL)) == NULL)
		return 0;
	jset_str(m, "token", form_text(&w->form, "token"));
	jset_str(m, "email", email);
	jset_bool(m, state, 1);
	return page_render(w, status, "account/email");
}

static int
email_token_get(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 email;
	int		 rc;

	rc = customer_email_check(&w->shop, form_text(&w->form, "token"),
	    &email);
	if (rc == SHOP_ENOTFOUND)
		return email_page(w, 410, "gone", STR(""));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return email_page(w, 200, "ask", email);
}

static int
email_token_post(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 email;
	int		 rc;

	page_anon_csrf(w);
	if (!page_csrf_ok(w))
		return email_token_get(r);
	rc = customer_email_confirm(&w->shop, form_text(&w->form, "token"),
	    &email);
	if (rc == SHOP_ENOTFOUND)
		return email_page(w, 410, "gone", STR(""));
	if (rc == SHOP_ECONFLICT)
		return email_page(w, 409, "taken", email);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return email_page(w, 200, "done", email);
}

static int
password_save(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*c = req_cookie(r, CUSTOMER_COOKIE);
	struct str		 pw = form_text(&w->form, "password");
	struct field_errors	 errs;
	int			 rc;

	if (need_customer(w) == -1 || !session_csrf_ok(w))
		return 0;
	if (w->form.errs.n)
		return profile_page(w, 422, "password", &w->form.errs);
	if (!str_eq(pw, form_text(&w->form, "confirm"))) {
		memset(&errs, 0, sizeof(errs));
		field_errors_add(&errs, "confirm",
		    N_("The two passwords differ."));
		return profile_page(w, 422, "password", &errs);
	}
	rc = customer_set_password(&w->shop, w->customer.id,
	    form_text(&w->form, "current_password"), pw,
	    c != NULL ? *c : STR(""), &errs);
	if (rc == SHOP_EINVAL || rc == SHOP_EDENIED)
		return profile_page(w, 422, "password", &errs);
	if (rc == SHOP_ELOCKED)
		return profile_page(w, 429, "password", &errs);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/account?saved=password");
}

/* --- address book ------------------------------------------------------ */

/* An address as the templates show it; country by its name. */
static void
address_model(struct web *w, json_object *o, const struct address *a)
{
	jset_str(o, "name", a->name);
	jset_str(o, "company", a->company);
	jset_str(o, "line1", a->line1);
	jset_str(o, "line2", a->line2);
	jset_str(o, "city", a->city);
	jset_str(o, "region", a->region);
	jset_str(o, "postcode", a->postcode);
	jset_str(o, "country", a->country);
	jset_str(o, "phone", a->phone);
	if (a->country.len == 2)
		jset_cstr(o, "country_name", country_name(w->r->arena,
		    a->country.p, w->icu_locale));
}

static int
addresses(struct req *r)
{
	struct web		*w = web_of(r);
	struct customer_address	*v;
	size_t			 n, i;
	json_object		*m, *arr;

	if (need_customer(w) == -1)
		return 0;
	if (customer_addresses(&w->shop, w->customer.id, &v, &n) != SHOP_OK)
		return page_error(w, 503, NULL);
	if ((m = account_model(w, _("My addresses"), "nav_addresses")) ==
	    NULL)
		return 0;
	arr = jset_arr(m, "addresses");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", v[i].id);
		jset_bool(o, "is_default", v[i].is_default);
		address_model(w, o, &v[i].a);
	}
	jset_bool(m, "full", n >= CUSTOMER_ADDRESSES_MAX);
	if (form_has(&w->form, "saved"))
		jset_cstr(m, "flash", _("Your address book was saved."));
	return page_render(w, 200, "account/addresses");
}

/* The address form: id 0 for a new one; a (may be NULL) what it shows. */
static int
address_form(struct web *w, int status, int64_t id, const struct address *a,
    int is_default, const struct field_errors *errs)
{
	const struct country	*cs;
	size_t			 n, i;
	json_object		*m, *f, *arr;
	struct str		 cur = a ? a->country : STR("");

	if ((m = account_model(w, id ? _("Edit address") : _("New address"),
	    "nav_addresses")) == NULL)
		return 0;
	jset_cstr(m, "action", id ? arena_printf(w->r->arena,
	    "/account/addresses/%lld", (long long)id) : "/account/addresses");
	f = jset_obj(m, "f");
	if (a != NULL)
		address_model(w, f, a);
	jset_bool(f, "is_default", is_default);
	errors_into(jset_obj(m, "e"), errs);
	cs = country_list(w->r->arena, w->icu_locale, &n);
	arr = jset_arr(m, "countries");
	for (i = 0; cs != NULL && i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "code", cs[i].code);
		jset_cstr(o, "name", cs[i].name);
		jset_bool(o, "selected", str_eqc(cur, cs[i].code));
	}
	return page_render(w, status, "account/address");
}

static int
address_new(struct req *r)
{
	struct web *w = web_of(r);

	if (need_customer(w) == -1)
		return 0;
	return address_form(w, 200, 0, NULL, 0, NULL);
}

static int
address_edit(struct req *r)
{
	struct web		*w = web_of(r);
	struct customer_address	 a;
	int			 rc;

	if (need_customer(w) == -1)
		return 0;
	rc = customer_address_get(&w->shop, w->customer.id,
	    form_i64(&w->form, "id"), &a);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This address does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return address_form(w, 200, a.id, &a.a, a.is_default, NULL);
}

/* The address the form sent: checked (raw 0) or as typed, to show
 * again (raw 1). */
static void
address_sent(struct web *w, struct address *a, int raw)
{
	memset(a, 0, sizeof(*a));
#define GET(k) (raw ? page_field(w, k) : form_text(&w->form, k))
	a->name = GET("name");
	a->company = GET("company");
	a->line1 = GET("line1");
	a->line2 = GET("line2");
	a->city = GET("city");
	a->region = GET("region");
	a->postcode = GET("postcode");
	a->country = GET("country");
	a->phone = GET("phone");
#undef GET
}

static int
address_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct address		 a, shown;
	struct field_errors	 errs, more;
	int64_t			 id = form_i64(&w->form, "id");
	int			 isdef = form_bool(&w->form, "is_default");
	size_t			 i;
	int			 rc;

	if (need_customer(w) == -1 || !session_csrf_ok(w))
		return 0;
	address_sent(w, &shown, 1);
	address_sent(w, &a, 0);
	if (w->form.errs.n) {
		/* The address check adds what the contract let through
		 * (required fields, postcode and phone characters). */
		errs = w->form.errs;
		memset(&more, 0, sizeof(more));
		(void)address_check(&a, ADDRESS_FORM_PLAIN, &more);
		for (i = 0; i < more.n; i++)
			if (!form_failed(&w->form, more.v[i].field))
				field_errors_add(&errs, more.v[i].field,
				    more.v[i].msgid);
		return address_form(w, 422, id, &shown, isdef, &errs);
	}
	rc = customer_address_save(&w->shop, w->customer.id, id, &a, isdef,
	    &errs, NULL);
	if (rc == SHOP_EINVAL)
		return address_form(w, 422, id, &shown, isdef, &errs);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This address does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/account/addresses?saved=address");
}

/* A change of one address of the book by act (delete, make default). */
static int
address_act(struct req *r, int (*act)(struct shop_ctx *, int64_t, int64_t))
{
	struct web	*w = web_of(r);
	int		 rc;

	if (need_customer(w) == -1 || !session_csrf_ok(w))
		return 0;
	rc = act(&w->shop, w->customer.id, form_i64(&w->form, "id"));
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This address does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/account/addresses?saved=address");
}

static int
address_delete(struct req *r)
{
	return address_act(r, customer_address_delete);
}

static int
address_default(struct req *r)
{
	return address_act(r, customer_address_default);
}

/* --- delete the account ------------------------------------------------ */

static int
delete_form(struct web *w, int status, const struct field_errors *errs)
{
	json_object *m;

	if ((m = account_model(w, _("Delete my account"), "nav_delete")) ==
	    NULL)
		return 0;
	errors_into(jset_obj(m, "e"), errs);
	return page_render(w, status, "account/delete");
}

static int
delete_get(struct req *r)
{
	struct web *w = web_of(r);

	if (need_customer(w) == -1)
		return 0;
	return delete_form(w, 200, NULL);
}

static int
delete_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct field_errors	 errs;
	int64_t			 id = w->customer.id;
	int			 rc;

	if (need_customer(w) == -1 || !session_csrf_ok(w))
		return 0;
	if (w->form.errs.n)
		return delete_form(w, 422, &w->form.errs);
	rc = customer_delete(&w->shop, id, form_text(&w->form, "password"));
	memset(&errs, 0, sizeof(errs));
	if (rc == SHOP_EDENIED) {
		field_errors_add(&errs, "password",
		    N_("This is not your password."));
		return delete_form(w, 422, &errs);
	}
	if (rc == SHOP_ELOCKED) {
		field_errors_add(&errs, "password", N_("Too many failed "
		    "attempts. Try again in 15 minutes."));
		return delete_form(w, 429, &errs);
	}
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	resp_header(r, "Cache-Control", "no-store");
	resp_cookie(r, CUSTOMER_COOKIE, "", 0, COOKIE_FLAGS);
	return page_redirect(w, "/account/login?deleted=1");
}

#define ANON	(ROUTE_ANON | ROUTE_FORM_ERRORS)
#define FORM	ROUTE_FORM_ERRORS

const struct route account_routes[] = {
	{ HTTP_GET, "/account", profile, 0, profile_get_fields },
	{ HTTP_POST, "/account", profile_save, FORM, profile_fields },
	{ HTTP_POST, "/account/email", email_save, FORM, email_fields },
	{ HTTP_POST, "/account/password", password_save, FORM,
	    password_fields },
	{ HTTP_GET, "/account/login", login_get, ROUTE_ANON,
	    login_get_fields },
	{ HTTP_POST, "/account/login", login_post, ANON, login_fields },
	{ HTTP_POST, "/account/logout", logout, 0, NULL },
	{ HTTP_GET, "/account/register", register_get, ROUTE_ANON,
	    register_get_fields },
	{ HTTP_POST, "/account/register", register_post, ANON,
	    register_fields },
	{ HTTP_GET, "/account/reset", reset_get, ROUTE_ANON, NULL },
	{ HTTP_POST, "/account/reset", reset_post, ANON, reset_fields },
	{ HTTP_GET, "/account/reset/:token", reset_token_get, ROUTE_ANON,
	    token_fields },
	{ HTTP_POST, "/account/reset/:token", reset_token_post, ANON,
	    reset_new_fields },
	{ HTTP_GET, "/account/email/:token", email_token_get, ROUTE_ANON,
	    token_fields },
	{ HTTP_POST, "/account/email/:token", email_token_post, ROUTE_ANON,
	    token_fields },
	{ HTTP_GET, "/account/addresses", addresses, 0, addresses_get_fields },
	{ HTTP_POST, "/account/addresses", address_save, FORM,
	    address_fields },
	{ HTTP_GET, "/account/addresses/new", address_new, 0, NULL },
	{ HTTP_GET, "/account/addresses/:id", address_edit, 0, id_fields },
	{ HTTP_POST, "/account/addresses/:id", address_save, FORM,
	    address_fields },
	{ HTTP_POST, "/account/addresses/:id/delete", address_delete, 0,
	    id_fields },
	{ HTTP_POST, "/account/addresses/:id/default", address_default, 0,
	    id_fields },
	{ HTTP_GET, "/account/delete", delete_get, 0, NULL },
	{ HTTP_POST, "/account/delete", delete_post, FORM, delete_fields },
};

const size_t account_nroutes = NELEM(account_routes);
