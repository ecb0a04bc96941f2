/*
 * admin.c: the merchant's admin of one shop, at /admin on the shop's
 * host: login, products, categories, settings. Every page needs a staff
 * session (cookie souk_admin, scoped to this host) except the login;
 * every form carries the session's CSRF token. Pages are never cached.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "core/richtext.h"
#include "core/tz.h"
#include "http/router.h"
#include "platform/audit.h"
#include "platform/quota.h"
#include "platform/tenant.h"
#include "shop/catalog.h"
#include "shop/gallery.h"
#include "shop/staff.h"
#include "shop/media.h"
#include "shop/rma.h"
#include "shop/sale.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_api_keys.h"
#include "web/admin_customers.h"
#include "web/admin_documents.h"
#include "web/admin_domains.h"
#include "web/credit_notes.h"
#include "web/admin_export.h"
#include "web/admin_images.h"
#include "web/admin_import.h"
#include "web/admin_orders.h"
#include "web/admin_plan.h"
#include "web/admin_returns.h"
#include "web/admin_reports.h"
#include "web/admin_sales.h"
#include "web/audit_pages.h"
#include "web/admin_staff.h"
#include "web/admin_theme.h"
#include "web/admin_webhooks.h"
#include "web/admin_variants.h"
#include "web/page.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define ADMIN_COOKIE	"souk_admin"
#define AUTH		ADMIN_AUTH

/*
 * The fields of each route (web/form.h). Bounds repeat the domain's
 * (shop/catalog.c validates again: it is the authority for every
 * caller); the messages are the domain's too.
 */
static const struct field login_fields[] = {
	{ "email", FIELD_TEXT, 0, 254, 0, N_("Wrong e-mail or password."),
	    NULL },
	{ "password", FIELD_PASSWORD, 0, 1024, 0,
	    N_("Wrong e-mail or password."), NULL },
	{ 0 }
};

static const struct field products_fields[] = {
	{ "q", FIELD_TEXT, 0, 200, FIELD_QUERY,
	    N_("Search for at most 200 characters."), NULL },
	{ "after", FIELD_ID, 0, 0, FIELD_QUERY,
	    N_("This page link is not valid."), NULL },
	{ 0 }
};

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const struct field product_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM, NULL, NULL },
	{ "name_", FIELD_TEXT, 0, 200, FIELD_PREFIX,
	    N_("A name has at most 200 characters."), NULL },
	/* HTML, tags included (core/richtext.h); catalog.c checks its
	 * text against 20000. */
	{ "description_", FIELD_TEXT, 0, RICHTEXT_MAX_CHARS, FIELD_PREFIX,
	    N_("A description has at most 65536 characters, tags included."),
	    NULL },
	{ "slug", FIELD_SLUG, 1, 120, 0,
	    N_("Use 1 to 120 lower-case letters, digits and hyphens."), NULL },
	{ "sku", FIELD_TEXT, 0, 64, 0, N_("A SKU has at most 64 characters."),
	    NULL },
	{ "price", FIELD_MONEY, 0, 64, 0, N_("Enter a price such as 12.50."),
	    NULL },
	{ "stock", FIELD_INT, 0, 1000000000, 0,
	    N_("Enter a whole number of units, 0 or more."), NULL },
	{ "category_id", FIELD_ID, 0, 0, 0,
	    N_("Choose a category of this shop."), NULL },
	{ "sale_price", FIELD_MONEY, 0, 64, 0,
	    N_("Enter a sale price such as 9.90, or nothing."), NULL },
	{ "sale_from", FIELD_TEXT, 0, 19, FIELD_ASCII,
	    N_("Enter a date such as 2026-12-24 or nothing."), NULL },
	{ "sale_to", FIELD_TEXT, 0, 19, FIELD_ASCII,
	    N_("Enter a date such as 2026-12-24 or nothing."), NULL },
	{ "active", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ "featured", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ 0 }
};

static const struct field category_fields[] = {
	{ "name", FIELD_TEXT, 0, 200, 0, N_("A name has 1 to 200 characters."),
	    NULL },
	{ "slug", FIELD_SLUG, 1, 80, 0,
	    N_("Use 1 to 80 lower-case letters, digits and hyphens."), NULL },
	{ "parent_id", FIELD_ID, 0, 0, 0, N_("Choose a category of this shop."),
	    NULL },
	{ 0 }
};

static const struct field settings_get_fields[] = {
	{ "saved", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

/* Checked loosely: what a browser's form may send wrong is refused by
 * tenant_update_settings() with the form again. */
static const struct field settings_fields[] = {
	{ "name", FIELD_TEXT, 0, 200, 0,
	    N_("Enter a shop name of at most 200 characters."), NULL },
	{ "color_primary", FIELD_TEXT, 0, 16, FIELD_ASCII,
	    N_("Choose colours as #rrggbb."), NULL },
	{ "color_accent", FIELD_TEXT, 0, 16, FIELD_ASCII,
	    N_("Choose colours as #rrggbb."), NULL },
	{ "default_locale", FIELD_LANG, 0, 0, 0, NULL, NULL },
	{ "locales", FIELD_LANG, 0, 0, FIELD_MULTI, NULL, NULL },
	{ "currency", FIELD_CURRENCY, 0, 0, 0, NULL, NULL },
	{ "display_currencies", FIELD_CURRENCY, 0, 0, FIELD_MULTI, NULL,
	    NULL },
	{ "time_zone", FIELD_TEXT, 0, TZ_ID_MAX, FIELD_ASCII,
	    N_("Choose a time zone from the list."), NULL },
	{ 0 }
};

json_object *
admin_model(struct web *w, const char *title, const char *nav)
{
	json_object *m = page_model(w, title);

	if (w->has_staff) {
		json_object	*s = jset_obj(m, "staff"), *can;
		int		 p;

		jset_str(s, "email", w->staff.email);
		jset_cstr(s, "role", admin_role_label(w));
		/* What the menus show: the role's permissions (perm.h). */
		can = jset_obj(m, "can");
		for (p = 0; p < PERM__MAX; p++)
			jset_bool(can, perm_name((enum perm)p),
			    perm_allows(w->staff.role, (enum perm)p));
		/* The menu's count of returns waiting (an index range). */
		jset_i64(m, "returns_waiting", rma_count_requested(&w->shop));
	}
	if (nav != NULL)
		jset_bool(m, nav, 1);
	return m;
}

static int
login_form(struct web *w, int status, const char *error, struct str email)
{
	json_object *m;

	page_anon_csrf(w);
	m = admin_model(w, _("Log in"), NULL);
	jset_cstr(m, "error", error);
	jset_str(m, "email", email);
	return page_render(w, status, "admin/login");
}

static int
login_get(struct req *r)
{
	struct web *w = web_of(r);

	if (w->has_staff)
		return page_redirect(w, "/admin");
	return login_form(w, 200, NULL, STR(""));
}

static int
login_post(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 email = form_text(&w->form, "email");
	struct staff	 s;
	int		 rc;

	/* A route before login (ROUTE_ANON): the token is the anonymous
	 * double-submit cookie's. */
	page_anon_csrf(w);
	if (!page_csrf_ok(w))
		return login_form(w, 403, _("Your form expired. Please try "
		    "again."), email);
	if (w->form.errs.n)
		return login_form(w, 401, _(w->form.errs.v[0].msgid), email);
	rc = staff_login(&w->shop, email, form_text(&w->form, "password"),
	    &s);
	if (rc == SHOP_ELOCKED)
		return login_form(w, 429, _("Too many failed attempts. "
		    "Try again in 15 minutes."), email);
	if (rc == SHOP_EDENIED)
		return login_form(w, 401, _("Wrong e-mail or password."),
		    email);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	if (admin_session_start(w, s.id) != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("staff %lld logged in", (long long)s.id);
	return page_redirect(w, "/admin");
}

int
admin_session_start(struct web *w, int64_t staff_id)
{
	char	token[STAFF_TOKEN_HEX + 1], csrf[33];
	int	rc;

	if ((rc = staff_session_new(&w->shop, staff_id, config_int(
	    "session_ttl", 1209600, 60, 31536000), token, csrf)) != SHOP_OK)
		return rc;
	resp_cookie(w->r, ADMIN_COOKIE, token, -1, COOKIE_HTTPONLY |
	    COOKIE_LAX);
	return SHOP_OK;
}

static int
logout(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*c = req_cookie(r, ADMIN_COOKIE);

	if (c != NULL && staff_session_end(&w->shop, *c) != SHOP_OK)
		return page_error(w, 503, NULL);
	resp_cookie(r, ADMIN_COOKIE, "", 0, COOKIE_HTTPONLY | COOKIE_LAX);
	return page_redirect(w, "/admin/login");
}

/* --- products --------------------------------------------------------- */

static int
products(struct req *r)
{
	struct web		*w = web_of(r);
	struct str		 q = form_text(&w->form, "q");
	struct product_list	 l;
	json_object		*m, *arr;
	size_t			 i;
	int			 rc;

	rc = catalog_admin_list(&w->shop, q, form_i64(&w->form, "after"), &l);
	if (rc != SHOP_OK)
		return page_error(w, rc == SHOP_EINVAL ? 400 : 503, NULL);
	m = admin_model(w, _("Products"), "nav_products");
	jset_str(m, "q", q);
	arr = jset_arr(m, "products");
	for (i = 0; i < l.n; i++) {
		const struct product	*p = &l.v[i];
		json_object		*o = jarr_obj(arr);

		jset_i64(o, "id", p->id);
		jset_str(o, "name", p->name);
		jset_str(o, "sku", p->sku);
		jset_str(o, "image", p->image);
		jset_cstr(o, "price", page_money(w, p->price,
		    w->tenant->currency));
		jset_i64(o, "stock", p->stock);
		jset_bool(o, "in_stock", p->stock > 0);
		jset_cstr(o, "status", p->active ? _("Visible") : _("Draft"));
	}
	if (l.more) {
		struct strbuf next = STRBUF_INIT;

		strbuf_addf(&next, "/admin/products?after=%lld",
		    (long long)l.next.id);
		if (q.len) {
			strbuf_addstr(&next, "&q=");
			url_escape(&next, q);
		}
		jset_cstr(m, "next_url", next.buf);
		strbuf_release(&next);
	}
	return page_render(w, 200, "admin/products");
}

static void
category_options(struct web *w, json_object *m, int64_t selected)
{
	struct category	*cats;
	size_t		 n, i;
	json_object	*arr = jset_arr(m, "category_options");

	if (category_list(&w->shop, &cats, &n) != SHOP_OK)
		return;
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", cats[i].id);
		jset_str(o, "name", cats[i].name);
		jset_bool(o, "selected", cats[i].id == selected);
	}
}

/* The message of field key in e (page_field_errors()), or NULL. */
static const char *
error_of(json_object *e, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(e, key, &v) ?
	    json_object_get_string(v) : NULL;
}

/* The product's sale as saved, into the form's f. */
static void
sale_fields(struct web *w, json_object *f, int64_t id)
{
	struct catalog_sale	s;
	char			buf[MONEY_PLAIN_MAX];

	if (catalog_sale_get(&w->shop, id, &s) != SHOP_OK)
		return;
	if (s.sale_price >= 0 && money_format_plain(s.sale_price,
	    w->tenant->currency, buf, sizeof(buf)) != -1)
		jset_cstr(f, "sale_price", buf);
	sale_format_time((time_t)s.from, buf, sizeof(buf));
	jset_cstr(f, "sale_from", buf);
	sale_format_time((time_t)s.to, buf, sizeof(buf));
	jset_cstr(f, "sale_to", buf);
}

/*
 * The edit form: for a new product (id 0), an existing one, or the
 * values just sent (posted: shown as they came) with their errors.
 */
static int
edit_form(struct web *w, int status, int64_t id, const struct product *p,
    const struct product_text *texts, size_t ntexts, int posted,
    const struct field_errors *errs, const char *alert)
{
	const struct tenant	*t = w->tenant;
	json_object		*m, *f, *e, *arr;
	size_t			 i, j;
	int64_t			 cat = 0;
	char			 price[MONEY_PLAIN_MAX];

	m = admin_model(w, id ? _("Edit product") : _("New product"),
	    "nav_products");
	jset_cstr(m, "action", id ? arena_printf(w->r->arena,
	    "/admin/products/%lld", (long long)id) : "/admin/products");
	if (id)
		jset_i64(m, "id", id);
	jset_cstr(m, "currency", t->currency);
	if (alert != NULL)
		jset_cstr(m, "alert", alert);
	f = jset_obj(m, "f");
	e = jset_obj(m, "e");
	if (posted) {
		jset_str(f, "slug", page_field(w, "slug"));
		jset_str(f, "sku", page_field(w, "sku"));
		jset_str(f, "price", page_field(w, "price"));
		jset_str(f, "stock", page_field(w, "stock"));
		jset_str(f, "sale_price", page_field(w, "sale_price"));
		jset_str(f, "sale_from", page_field(w, "sale_from"));
		jset_str(f, "sale_to", page_field(w, "sale_to"));
		jset_bool(f, "active", form_bool(&w->form, "active"));
		jset_bool(f, "featured", form_bool(&w->form, "featured"));
		cat = form_i64(&w->form, "category_id");
		if (p != NULL)
			jset_str(f, "image", p->image);
	} else if (p != NULL) {
		money_format_plain(p->price, t->currency, price,
		    sizeof(price));
		jset_str(f, "slug", p->slug);
		jset_str(f, "sku", p->sku);
		jset_cstr(f, "price", price);
		jset_i64(f, "stock", p->stock);
		jset_bool(f, "active", p->active);
		jset_bool(f, "featured", p->featured);
		jset_str(f, "image", p->image);
		cat = p->category_id;
		sale_fields(w, f, id);
	} else {
		jset_cstr(f, "stock", "0");
		jset_bool(f, "active", 1);
	}
	if (errs != NULL)
		page_field_errors(e, jset_arr(m, "errors"), errs);
	/* One block of texts per language the shop offers, default first. */
	arr = jset_arr(m, "texts");
	for (i = 0; i < t->nlocales; i++) {
		const char	*code = t->locales[i];
		json_object	*o = jarr_obj(arr);
		int		 def = strcmp(code, t->default_locale) == 0;
		const char	*msg;

		jset_cstr(o, "code", code);
		jset_cstr(o, "label", page_lang_label(code));
		jset_bool(o, "default", def);
		for (j = 0; j < ntexts; j++)
			if (strcmp(texts[j].locale, code) == 0) {
				jset_str(o, "name", texts[j].name);
				/* The merchant edits the HTML when there
				 * is some, as it was sanitised. */
				jset_str(o, "description",
				    texts[j].description_html.p != NULL ?
				    texts[j].description_html :
				    texts[j].description);
			}
		/* The form's errors name the language's field (name_ja);
		 * the domain's say "name", about the default or any. */
		if ((msg = error_of(e, arena_printf(w->r->arena,
		    "description_%s", code))) != NULL)
			jset_cstr(o, "description_error", msg);
		if ((msg = error_of(e, arena_printf(w->r->arena, "name_%s",
		    code))) != NULL)
			jset_cstr(o, "name_error", msg);
		else if (errs != NULL)
			for (j = 0; j < errs->n; j++)
				if (strcmp(errs->v[j].field, "name") == 0 &&
				    (def || strstr(errs->v[j].msgid,
				    "default") == NULL))
					jset_cstr(o, "name_error",
					    _(errs->v[j].msgid));
	}
	category_options(w, m, cat);
	if (id && admin_images_model(w, m, id) == -1)
		return page_error(w, 503, NULL);
	return page_render(w, status, "admin/product_edit");
}

static int
product_new(struct req *r)
{
	return edit_form(web_of(r), 200, 0, NULL, NULL, 0, 0, NULL, NULL);
}

static int
product_edit(struct req *r)
{
	struct web		*w = web_of(r);
	struct product		 p;
	struct product_text	*texts;
	size_t			 ntexts;
	int64_t			 id = form_i64(&w->form, "id");
	int			 rc;

	rc = catalog_product_get(&w->shop, id, &p, &texts, &ntexts);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This product does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return edit_form(w, 200, id, &p, texts, ntexts, 0, NULL, NULL);
}

/*
 * The texts per enabled language into out (CATALOG_MAX_LOCALES), from
 * the validated form (raw: 0) or as they were sent (raw: 1, to show
 * them again). Returns the count.
 */
static size_t
read_texts(struct web *w, struct product_text *out, int raw)
{
	const struct tenant	*t = w->tenant;
	size_t			 i;

	for (i = 0; i < t->nlocales && i < CATALOG_MAX_LOCALES; i++) {
		const char *name = arena_printf(w->r->arena, "name_%s",
		    t->locales[i]);
		const char *desc = arena_printf(w->r->arena,
		    "description_%s", t->locales[i]);

		/* description_html too: NULL, as typed (plain or not). */
		memset(&out[i], 0, sizeof(out[i]));
		str_copy(out[i].locale, sizeof(out[i].locale),
		    str_c(t->locales[i]));
		out[i].name = raw ? page_field(w, name) :
		    form_text(&w->form, name);
		out[i].description = raw ? page_field(w, desc) :
		    form_text(&w->form, desc);
	}
	return i;
}

/* The form's valid fields as a product_input; a field that failed the
 * route's contract is left empty. */
static void
read_input(struct web *w, struct product_input *in)
{
	const struct form *fm = &w->form;

	memset(in, 0, sizeof(*in));
	in->slug = form_text(fm, "slug");
	in->sku = form_text(fm, "sku");
	in->price = form_text(fm, "price");
	in->stock = form_text(fm, "stock");
	in->category_id = form_text(fm, "category_id");
	in->sale_price = form_text(fm, "sale_price");
	in->sale_from = form_text(fm, "sale_from");
	in->sale_to = form_text(fm, "sale_to");
	in->active = form_bool(fm, "active");
	in->featured = form_bool(fm, "featured");
	in->ntexts = read_texts(w, in->texts, 0);
}

/* The form again with what was sent and errs (422). */
static int
product_invalid(struct web *w, int64_t id, const struct field_errors *errs,
    const char *alert)
{
	struct product		 p;
	struct product_text	*texts;
	struct product_text	 sent[CATALOG_MAX_LOCALES];
	size_t			 nt;

	if (id && catalog_product_get(&w->shop, id, &p, &texts, &nt) !=
	    SHOP_OK)
		return page_error(w, 404, NULL);
	nt = read_texts(w, sent, 1);
	return edit_form(w, alert ? 403 : 422, id, id ? &p : NULL, sent, nt, 1,
	    errs, alert);
}

static int
product_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct product_input	 in;
	struct field_errors	 errs, more;
	int64_t			 id = form_i64(&w->form, "id"), saved;
	size_t			 i;
	int			 rc;

	read_input(w, &in);
	if (w->form.errs.n) {
		/* Nothing is saved; the domain's checks of the fields that
		 * passed add their messages, so one round shows them all. */
		errs = w->form.errs;
		if (catalog_product_check(&w->shop, &in, &more) == SHOP_EDB)
			return page_error(w, 503, NULL);
		for (i = 0; i < more.n; i++)
			field_errors_add(&errs, more.v[i].field,
			    more.v[i].msgid);
		return product_invalid(w, id, &errs, NULL);
	}
	rc = catalog_product_save(&w->shop, id, &in, &errs, &saved);
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT)
		return product_invalid(w, id, &errs, NULL);
	/* The form stays filled in, with the plan's message. */
	if (rc == SHOP_EQUOTA)
		return product_invalid(w, 0, &(struct field_errors){ 0 },
		    quota_message(w->db, r->arena, w->shop.tenant,
		    PLAN_PRODUCTS));
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This product does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("product %lld saved", (long long)saved);
	return page_redirect(w, arena_printf(r->arena,
	    "/admin/products/%lld?saved=1", (long long)saved));
}

static int
product_delete(struct req *r)
{
	struct web		*w = web_of(r);
	struct gallery_image	*imgs;
	size_t			 nimgs;
	int64_t			 id = form_i64(&w->form, "id");
	int			 rc;

	/* Its images' files go after the rows are gone. */
	if (gallery_list(&w->shop, id, &imgs, &nimgs) != SHOP_OK)
		return page_error(w, 503, NULL);
	rc = catalog_product_delete(&w->shop, id);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This product does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	gallery_remove_files(imgs, nimgs);
	log_info("product %lld deleted", (long long)id);
	return page_redirect(w, "/admin/products");
}

/* --- categories -------------------------------------------------------- */

static int
categories_page(struct web *w, int status, const struct field_errors *errs)
{
	struct category	*cats;
	size_t		 n, i, j;
	json_object	*m, *arr, *f, *e;

	if (category_list(&w->shop, &cats, &n) != SHOP_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, _("Categories"), "nav_categories");
	arr = jset_arr(m, "categories");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_str(o, "name", cats[i].name);
		jset_str(o, "slug", cats[i].slug);
		for (j = 0; j < n; j++)
			if (cats[j].id == cats[i].parent_id)
				jset_str(o, "parent", cats[j].name);
	}
	category_options(w, m, 0);
	f = jset_obj(m, "f");
	e = jset_obj(m, "e");
	if (errs != NULL) {
		jset_str(f, "name", page_field(w, "name"));
		jset_str(f, "slug", page_field(w, "slug"));
		page_field_errors(e, NULL, errs);
	}
	return page_render(w, status, "admin/categories");
}

static int
categories(struct req *r)
{
	return categories_page(web_of(r), 200, NULL);
}

static int
category_create(struct req *r)
{
	struct web		*w = web_of(r);
	struct field_errors	 errs;
	int			 rc;

	if (w->form.errs.n)
		return categories_page(w, 422, &w->form.errs);
	rc = category_add(&w->shop, form_text(&w->form, "slug"),
	    form_text(&w->form, "name"), form_i64(&w->form, "parent_id"),
	    &errs, NULL);
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT)
		return categories_page(w, 422, &errs);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/admin/categories");
}

/* --- settings ---------------------------------------------------------- */

static void
settings_of(const struct tenant *t, struct tenant_settings *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->name = str_c(t->name);
	s->color_primary = str_c(t->color_primary);
	s->color_accent = str_c(t->color_accent);
	for (i = 0; i < t->nlocales && i < TENANT_MAX_LOCALES; i++)
		s->locales[s->nlocales++] = str_c(t->locales[i]);
	s->default_locale = str_c(t->default_locale);
	s->currency = str_c(t->currency);
	for (i = 0; i < t->ndisplay && i < TENANT_MAX_CURRENCIES; i++)
		s->display_currencies[s->ndisplay++] =
		    str_c(t->display_currencies[i]);
	s->logo = str_c(t->logo);
	s->time_zone = str_c(t->time_zone);
}

static const char *
settings_message(enum tenant_err e)
{
	switch (e) {
	case TENANT_EINVAL_NAME:
		return _("Enter a shop name of at most 200 characters.");
	case TENANT_EINVAL_COLOR:
		return _("Choose colours as #rrggbb.");
	case TENANT_EINVAL_LOCALE:
		return _("Offer at least one language, including the default "
		    "language.");
	case TENANT_EINVAL_CURRENCY:
		return _("Choose one of the currencies offered, and at most "
		    "8 display currencies.");
	case TENANT_ECURRENCY_LOCKED:
		return _("The shop has orders: its currency cannot change, "
		    "or their amounts would no longer add up.");
	case TENANT_EINVAL_TZ:
		return _("Choose a time zone from the list.");
	default:
		return _("The settings could not be saved.");
	}
}

static int
settings_page(struct web *w, int status, const struct tenant_settings *s,
    const char *error)
{
	json_object		*m, *f, *arr;
	const char *const	*zones;
	size_t			 i, j, nz;

	m = admin_model(w, _("Shop settings"), "nav_settings");
	f = jset_obj(m, "f");
	jset_str(f, "name", s->name);
	jset_str(f, "color_primary", s->color_primary);
	jset_str(f, "color_accent", s->color_accent);
	jset_str(f, "logo", s->logo);
	if (error != NULL)
		json_object_array_add(jset_arr(m, "errors"),
		    json_object_new_string(error));
	/* The one message that concerns one field goes beside it too. */
	if (error != NULL && strcmp(error,
	    settings_message(TENANT_ECURRENCY_LOCKED)) == 0)
		jset_cstr(jset_obj(m, "e"), "currency", error);
	arr = jset_arr(m, "locale_options");
	for (i = 0; i18n_lang_at(i) != NULL; i++) {
		json_object	*o = jarr_obj(arr);
		int		 on = 0;

		for (j = 0; j < s->nlocales; j++)
			if (str_eqc(s->locales[j], i18n_lang_at(i)))
				on = 1;
		jset_cstr(o, "code", i18n_lang_at(i));
		jset_cstr(o, "label", page_lang_label(i18n_lang_at(i)));
		jset_bool(o, "checked", on);
		jset_bool(o, "default",
		    str_eqc(s->default_locale, i18n_lang_at(i)));
	}
	arr = jset_arr(m, "currency_options");
	for (i = 0; money_currency_at(i) != NULL; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "code", money_currency_at(i));
		jset_bool(o, "selected",
		    str_eqc(s->currency, money_currency_at(i)));
	}
	arr = jset_arr(m, "display_options");
	for (i = 0; money_currency_at(i) != NULL; i++) {
		json_object	*o = jarr_obj(arr);
		int		 on = 0;

		for (j = 0; j < s->ndisplay; j++)
			if (str_eqc(s->display_currencies[j],
			    money_currency_at(i)))
				on = 1;
		jset_cstr(o, "code", money_currency_at(i));
		jset_bool(o, "checked", on);
	}
	arr = jset_arr(m, "tz_options");
	zones = tz_list(&nz);
	for (i = 0; i < nz; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "id", zones[i]);
		jset_bool(o, "selected", str_eqc(s->time_zone, zones[i]));
	}
	if (form_bool(&w->form, "saved"))
		jset_cstr(m, "flash", _("Settings saved."));
	return page_render(w, status, "admin/settings");
}

static int
settings(struct req *r)
{
	struct web		*w = web_of(r);
	struct tenant_settings	 s;

	settings_of(w->tenant, &s);
	return settings_page(w, 200, &s, NULL);
}

static int
settings_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct tenant_settings	 s;
	enum tenant_err		 rc;
	int			 n;

	settings_of(w->tenant, &s);
	s.name = form_text(&w->form, "name");
	s.color_primary = form_text(&w->form, "color_primary");
	s.color_accent = form_text(&w->form, "color_accent");
	s.default_locale = form_text(&w->form, "default_locale");
	s.currency = form_text(&w->form, "currency");
	s.time_zone = form_text(&w->form, "time_zone");
	n = form_all(&w->form, "locales", s.locales, TENANT_MAX_LOCALES);
	s.nlocales = n == -1 ? TENANT_MAX_LOCALES : (size_t)n;
	if (n == -1)
		return settings_page(w, 422, &s,
		    settings_message(TENANT_EINVAL_LOCALE));
	n = form_all(&w->form, "display_currencies", s.display_currencies,
	    TENANT_MAX_CURRENCIES);
	s.ndisplay = n == -1 ? TENANT_MAX_CURRENCIES : (size_t)n;
	if (n == -1)
		return settings_page(w, 422, &s,
		    settings_message(TENANT_EINVAL_CURRENCY));
	rc = tenant_update_settings(w->db, w->tenant->id, &s);
	if (rc == TENANT_EDB)
		return page_error(w, 503, NULL);
	if (rc != TENANT_OK)
		return settings_page(w, rc == TENANT_ECURRENCY_LOCKED ? 409 :
		    422, &s, settings_message(rc));
	log_info("shop settings saved");
	return page_redirect(w, "/admin/settings?saved=1");
}

/* POST /admin/settings/logo: an image file, typed by its content. */
static int
settings_logo(struct req *r)
{
	struct web		*w = web_of(r);
	const struct part	*f = req_file(r, "logo");
	struct tenant_settings	 s;
	char			 path[128];
	int			 rc;

	settings_of(w->tenant, &s);
	if (f == NULL || f->data.len == 0)
		return settings_page(w, 422, &s, _("Choose an image file to "
		    "upload."));
	if (f->data.len > MEDIA_MAX_IMAGE)
		return settings_page(w, 413, &s, _("An image may have at most "
		    "5 MB."));
	rc = media_save_image(w->tenant->id, f->data, path, sizeof(path));
	if (rc == MEDIA_ETYPE)
		return settings_page(w, 415, &s, _("Upload a PNG, JPEG, GIF or "
		    "WebP image."));
	if (rc != 0)
		return page_error(w, 503, NULL);
	s.logo = str_c(path);
	if (tenant_update_settings(w->db, w->tenant->id, &s) != TENANT_OK) {
		media_remove(path);
		return page_error(w, 503, NULL);
	}
	log_info("shop logo set to '%s'", path);
	return page_redirect(w, "/admin/settings?saved=1");
}

static const struct route routes[] = {
	{ HTTP_GET, "/admin/login", login_get, ROUTE_ANON, NULL },
	{ HTTP_POST, "/admin/login", login_post,
	    ROUTE_ANON | ROUTE_FORM_ERRORS, login_fields },
	{ HTTP_POST, "/admin/logout", logout, AUTH | ADMIN_PERM(PERM_DASHBOARD),
	    NULL },
	{ HTTP_GET, "/admin/products", products,
	    AUTH | ADMIN_PERM(PERM_CATALOG),
	    products_fields },
	{ HTTP_POST, "/admin/products", product_save,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_CATALOG),
	    product_fields },
	{ HTTP_GET, "/admin/products/new", product_new,
	    AUTH | ADMIN_PERM(PERM_CATALOG), NULL },
	{ HTTP_GET, "/admin/products/:id", product_edit,
	    AUTH | ADMIN_PERM(PERM_CATALOG), id_fields },
	{ HTTP_POST, "/admin/products/:id", product_save,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_CATALOG),
	    product_fields },
	{ HTTP_POST, "/admin/products/:id/delete", product_delete,
	    AUTH | ADMIN_PERM(PERM_CATALOG),
	    id_fields },
	{ HTTP_GET, "/admin/categories", categories,
	    AUTH | ADMIN_PERM(PERM_CATALOG), NULL },
	{ HTTP_POST, "/admin/categories", category_create,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_CATALOG),
	    category_fields },
	{ HTTP_GET, "/admin/settings", settings,
	    AUTH | ADMIN_PERM(PERM_SETTINGS), settings_get_fields },
	{ HTTP_POST, "/admin/settings", settings_save,
	    AUTH | ADMIN_PERM(PERM_SETTINGS),
	    settings_fields },
	{ HTTP_POST, "/admin/settings/logo", settings_logo,
	    AUTH | ADMIN_PERM(PERM_SETTINGS), NULL },
};

/* The staff member of the session cookie, if any. */
static int
load_session(struct web *w)
{
	const struct str	*c = req_cookie(w->r, ADMIN_COOKIE);
	int			 rc;

	if (c == NULL)
		return SHOP_OK;
	rc = staff_session_get(&w->shop, *c, &w->staff);
	if (rc == SHOP_OK) {
		w->has_staff = 1;
		w->csrf = w->staff.csrf;
	}
	return rc == SHOP_ENOTFOUND ? SHOP_OK : rc;
}

/* Sessions, access and CSRF, between the route and its handler. */
int
admin_allowed(struct web *w, unsigned flags)
{
	int p = ADMIN_PERM_OF(flags);

	if (p < 0)
		return str_eqc(w->staff.role, "owner");
	return perm_allows(w->staff.role, (enum perm)p);
}

const char *
admin_role_label(struct web *w)
{
	int r = role_parse(w->staff.role);

	return r < 0 ? "" : role_label((enum role)r);
}

static int
admin_before(struct web *w, const struct route *rt)
{
	if (load_session(w) != SHOP_OK)
		return 503;
	if ((rt->flags & AUTH) && !w->has_staff) {
		if (w->r->method == HTTP_POST)
			(void)page_error(w, 403, _("Please log in first."));
		else
			(void)page_redirect(w, "/admin/login");
		return -1;
	}
	if (w->has_staff)
		page_audit_actor(w, AUDIT_STAFF, w->staff.id, w->staff.email);
	if ((rt->flags & AUTH) && !admin_allowed(w, rt->flags)) {
		(void)page_error(w, 403, arena_printf(w->r->arena,
		    _("Your role, %s, does not allow this. Ask the shop's "
		    "owner."), admin_role_label(w)));
		return -1;
	}
	if (w->r->method == HTTP_POST && !(rt->flags & ROUTE_ANON) &&
	    !page_csrf_ok(w)) {
		(void)page_error(w, 403, _("This form has expired or did not "
		    "come from this shop. Reload the page and try again."));
		return -1;
	}
	return 0;
}

int
admin_dispatch(struct web *w)
{
	resp_header(w->r, "Cache-Control", "no-store");
	w->tmpl = page_theme(w, "default");
	w->before = admin_before;
	/* Each web/ module of the admin brings its table (not static: a
	 * module's count is a const object, not a constant). */
	const struct route_table tables[] = {
		{ admin_export_routes, admin_export_nroutes },
		{ admin_documents_routes, admin_documents_nroutes },
		{ admin_credit_notes_routes, admin_credit_notes_nroutes },
		{ routes, NELEM(routes) },
		{ admin_orders_routes, admin_orders_nroutes },
		{ admin_returns_routes, admin_returns_nroutes },
		{ admin_sales_routes, admin_sales_nroutes },
		{ admin_customers_routes, admin_customers_nroutes },
		{ admin_images_routes, admin_images_nroutes },
		{ admin_variants_routes, admin_variants_nroutes },
		{ admin_import_routes, admin_import_nroutes },
		{ admin_reports_routes, admin_reports_nroutes },
		{ admin_webhooks_routes, admin_webhooks_nroutes },
		{ admin_api_keys_routes, admin_api_keys_nroutes },
		{ admin_plan_routes, admin_plan_nroutes },
		{ admin_staff_routes, admin_staff_nroutes },
		{ admin_audit_routes, admin_audit_nroutes },
		{ admin_domains_routes, admin_domains_nroutes },
		{ admin_theme_routes, admin_theme_nroutes },
	};

	return page_route_tables(w, tables, NELEM(tables));
}
