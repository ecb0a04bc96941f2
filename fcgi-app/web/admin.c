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
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/catalog.h"
#include "shop/staff.h"
#include "shop/media.h"
#include "web/page.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define ADMIN_COOKIE	"souk_admin"
#define AUTH		1	/* route flag: needs a staff session */

static json_object *
admin_model(struct web *w, const char *title, const char *nav)
{
	json_object *m = page_model(w, title);

	if (w->has_staff) {
		json_object *s = jset_obj(m, "staff");

		jset_str(s, "email", w->staff.email);
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
		return page_redirect(w, "/admin/products");
	return login_form(w, 200, NULL, STR(""));
}

static int
login_post(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 email = str_trim(page_field(w, "email"));
	struct staff	 s;
	char		 token[STAFF_TOKEN_HEX + 1], csrf[33];
	int		 rc;

	page_anon_csrf(w);
	if (!page_csrf_ok(w))
		return login_form(w, 403, _("Your form expired. Please try "
		    "again."), email);
	rc = staff_login(&w->shop, email, page_field(w, "password"), &s);
	if (rc == SHOP_ELOCKED)
		return login_form(w, 429, _("Too many failed attempts. "
		    "Try again in 15 minutes."), email);
	if (rc == SHOP_EDENIED)
		return login_form(w, 401, _("Wrong e-mail or password."),
		    email);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	if (staff_session_new(&w->shop, s.id, config_int("session_ttl",
	    1209600, 60, 31536000), token, csrf) != SHOP_OK)
		return page_error(w, 503, NULL);
	resp_cookie(r, ADMIN_COOKIE, token, -1, COOKIE_HTTPONLY | COOKIE_LAX);
	log_info("staff %lld logged in", (long long)s.id);
	return page_redirect(w, "/admin/products");
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

static int
root(struct req *r)
{
	return page_redirect(web_of(r), "/admin/products");
}

/* --- products --------------------------------------------------------- */

static int
products(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*q = req_query(r, "q");
	const struct str	*after = req_query(r, "after");
	struct product_list	 l;
	int64_t			 after_id = 0;
	json_object		*m, *arr;
	size_t			 i;

	if (after != NULL && str_to_i64(*after, 1, INT64_MAX, &after_id) == -1)
		return page_error(w, 400, _("This page link is not valid."));
	if (q != NULL && (q->len > 200 || !str_valid_text(*q)))
		return page_error(w, 400, NULL);
	if (catalog_admin_list(&w->shop, q ? *q : STR(""), after_id, &l) !=
	    SHOP_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, _("Products"), "nav_products");
	jset_str(m, "q", q ? *q : STR(""));
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
		if (q != NULL && q->len) {
			strbuf_addstr(&next, "&q=");
			url_escape(&next, *q);
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

	if (catalog_categories(&w->shop, &cats, &n) != SHOP_OK)
		return;
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", cats[i].id);
		jset_str(o, "name", cats[i].name);
		jset_bool(o, "selected", cats[i].id == selected);
	}
}

/*
 * The edit form: for a new product (id 0), an existing one, or the
 * values just sent with their errors (in != NULL).
 */
static int
edit_form(struct web *w, int status, int64_t id, const struct product *p,
    const struct product_text *texts, size_t ntexts,
    const struct product_input *in, const struct field_errors *errs)
{
	const struct tenant	*t = w->tenant;
	json_object		*m, *f, *e, *arr;
	size_t			 i, j;
	int64_t			 cat = 0;
	char			 price[32];

	m = admin_model(w, id ? _("Edit product") : _("New product"),
	    "nav_products");
	jset_cstr(m, "action", id ? arena_printf(w->r->arena,
	    "/admin/products/%lld", (long long)id) : "/admin/products");
	if (id)
		jset_i64(m, "id", id);
	jset_cstr(m, "currency", t->currency);
	f = jset_obj(m, "f");
	e = jset_obj(m, "e");
	if (in != NULL) {
		jset_str(f, "slug", in->slug);
		jset_str(f, "sku", in->sku);
		jset_str(f, "price", in->price);
		jset_str(f, "stock", in->stock);
		jset_bool(f, "active", in->active);
		jset_bool(f, "featured", in->featured);
		(void)str_to_i64(in->category_id, 1, INT64_MAX, &cat);
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
	} else {
		jset_cstr(f, "stock", "0");
		jset_bool(f, "active", 1);
	}
	if (errs != NULL) {
		json_object *all = jset_arr(m, "errors");

		for (i = 0; i < errs->n; i++) {
			json_object_array_add(all, json_object_new_string(
			    _(errs->v[i].msgid)));
			if (strcmp(errs->v[i].field, "name") != 0 &&
			    strcmp(errs->v[i].field, "description") != 0)
				jset_cstr(e, errs->v[i].field,
				    _(errs->v[i].msgid));
		}
	}
	/* One block of texts per language the shop offers, default first. */
	arr = jset_arr(m, "texts");
	for (i = 0; i < t->nlocales; i++) {
		const char	*code = t->locales[i];
		json_object	*o = jarr_obj(arr);
		int		 def = strcmp(code, t->default_locale) == 0;

		jset_cstr(o, "code", code);
		jset_cstr(o, "label", page_lang_label(code));
		jset_bool(o, "default", def);
		for (j = 0; j < ntexts; j++)
			if (strcmp(texts[j].locale, code) == 0) {
				jset_str(o, "name", texts[j].name);
				jset_str(o, "description",
				    texts[j].description);
			}
		if (errs != NULL)
			for (j = 0; j < errs->n; j++)
				if (strcmp(errs->v[j].field, "name") == 0 &&
				    (def || strstr(errs->v[j].msgid,
				    "default") == NULL))
					jset_cstr(o, "name_error",
					    _(errs->v[j].msgid));
	}
	category_options(w, m, cat);
	return page_render(w, status, "admin/product_edit");
}

static int
product_new(struct req *r)
{
	return edit_form(web_of(r), 200, 0, NULL, NULL, 0, NULL, NULL);
}

static int
product_id(struct web *w, int64_t *id)
{
	const struct str *v = req_param(w->r, "id");

	return v != NULL && str_to_i64(*v, 1, INT64_MAX, id) == 0 ? 0 : -1;
}

static int
product_edit(struct req *r)
{
	struct web		*w = web_of(r);
	struct product		 p;
	struct product_text	*texts;
	size_t			 ntexts;
	int64_t			 id;
	int			 rc;

	if (product_id(w, &id) == -1)
		return page_error(w, 404, NULL);
	rc = catalog_product_get(&w->shop, id, &p, &texts, &ntexts);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This product does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return edit_form(w, 200, id, &p, texts, ntexts, NULL, NULL);
}

/* The form's fields as a product_input (texts per enabled language). */
static void
read_input(struct web *w, struct product_input *in)
{
	const struct tenant	*t = w->tenant;
	size_t			 i;

	memset(in, 0, sizeof(*in));
	in->slug = page_field(w, "slug");
	in->sku = page_field(w, "sku");
	in->price = page_field(w, "price");
	in->stock = page_field(w, "stock");
	in->category_id = page_field(w, "category_id");
	in->active = req_form(w->r, "active") != NULL;
	in->featured = req_form(w->r, "featured") != NULL;
	for (i = 0; i < t->nlocales && i < CATALOG_MAX_LOCALES; i++) {
		struct product_text	*tx = &in->texts[in->ntexts++];
		char			 key[32];

		snprintf(tx->locale, sizeof(tx->locale), "%s", t->locales[i]);
		snprintf(key, sizeof(key), "name_%s", t->locales[i]);
		tx->name = page_field(w, key);
		snprintf(key, sizeof(key), "description_%s", t->locales[i]);
		tx->description = page_field(w, key);
	}
}

static int
product_save(struct req *r)
{
	struct web		*w = web_of(r);
	struct product_input	 in;
	struct field_errors	 errs;
	int64_t			 id = 0, saved;
	int			 rc;

	if (req_param(r, "id") != NULL && product_id(w, &id) == -1)
		return page_error(w, 404, NULL);
	read_input(w, &in);
	rc = catalog_product_save(&w->shop, id, &in, &errs, &saved);
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT) {
		struct product		 p;
		struct product_text	*texts;
		size_t			 nt;
		struct product_text	 sent[CATALOG_MAX_LOCALES];

		memcpy(sent, in.texts, sizeof(sent));
		if (id && catalog_product_get(&w->shop, id, &p, &texts,
		    &nt) != SHOP_OK)
			return page_error(w, 404, NULL);
		return edit_form(w, 422, id, id ? &p : NULL, sent, in.ntexts,
		    &in, &errs);
	}
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
	struct web	*w = web_of(r);
	int64_t		 id;
	int		 rc;

	if (product_id(w, &id) == -1)
		return page_error(w, 404, NULL);
	rc = catalog_product_delete(&w->shop, id);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This product does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("product %lld deleted", (long long)id);
	return page_redirect(w, "/admin/products");
}

static int
product_image(struct req *r)
{
	struct web		*w = web_of(r);
	const struct part	*f = req_file(r, "image");
	char			 path[128];
	int64_t			 id;
	int			 rc;

	if (product_id(w, &id) == -1)
		return page_error(w, 404, NULL);
	if (f == NULL || f->data.len == 0)
		return page_error(w, 422, _("Choose an image file to "
		    "upload."));
	if (f->data.len > MEDIA_MAX_IMAGE)
		return page_error(w, 413, _("An image may have at most 5 MB."));
	rc = media_save_image(w->tenant->id, f->data, path, sizeof(path));
	if (rc == MEDIA_ETYPE)
		return page_error(w, 415, _("Upload a PNG, JPEG, GIF or WebP "
		    "image."));
	if (rc != 0)
		return page_error(w, 503, NULL);
	rc = catalog_product_set_image(&w->shop, id, path);
	if (rc == SHOP_ENOTFOUND) {
		media_remove(path);
		return page_error(w, 404, _("This product does not exist."));
	}
	if (rc != SHOP_OK) {
		media_remove(path);
		return page_error(w, 503, NULL);
	}
	return page_redirect(w, arena_printf(r->arena, "/admin/products/%lld",
	    (long long)id));
}

/* --- categories -------------------------------------------------------- */

static int
categories_page(struct web *w, int status, const struct field_errors *errs)
{
	struct category	*cats;
	size_t		 n, i, j;
	json_object	*m, *arr, *f, *e;

	if (catalog_categories(&w->shop, &cats, &n) != SHOP_OK)
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
		for (i = 0; i < errs->n; i++)
			jset_cstr(e, errs->v[i].field, _(errs->v[i].msgid));
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
	struct str		 parent = str_trim(page_field(w, "parent_id"));
	int64_t			 parent_id = 0;
	int			 rc;

	errs.n = 0;
	if (parent.len && str_to_i64(parent, 1, INT64_MAX, &parent_id) == -1) {
		errs.v[0].field = "parent_id";
		errs.v[0].msgid = N_("Choose a category of this shop.");
		errs.n = 1;
		return categories_page(w, 422, &errs);
	}
	rc = catalog_category_create(&w->shop, page_field(w, "slug"),
	    page_field(w, "name"), parent_id, &errs, NULL);
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
	default:
		return _("The settings could not be saved.");
	}
}

static int
settings_page(struct web *w, int status, const struct tenant_settings *s,
    const char *error)
{
	json_object	*m, *f, *arr;
	size_t		 i, j;

	m = admin_model(w, _("Shop settings"), "nav_settings");
	f = jset_obj(m, "f");
	jset_str(f, "name", s->name);
	jset_str(f, "color_primary", s->color_primary);
	jset_str(f, "color_accent", s->color_accent);
	jset_str(f, "logo", s->logo);
	if (error != NULL)
		json_object_array_add(jset_arr(m, "errors"),
		    json_object_new_string(error));
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
	if (req_query(w->r, "saved") != NULL)
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
	s.name = str_trim(page_field(w, "name"));
	s.color_primary = page_field(w, "color_primary");
	s.color_accent = page_field(w, "color_accent");
	s.default_locale = page_field(w, "default_locale");
	s.currency = page_field(w, "currency");
	n = req_form_all(r, "locales", s.locales, TENANT_MAX_LOCALES);
	s.nlocales = n == -1 ? TENANT_MAX_LOCALES : (size_t)n;
	if (n == -1)
		return settings_page(w, 422, &s,
		    settings_message(TENANT_EINVAL_LOCALE));
	n = req_form_all(r, "display_currencies", s.display_currencies,
	    TENANT_MAX_CURRENCIES);
	s.ndisplay = n == -1 ? TENANT_MAX_CURRENCIES : (size_t)n;
	if (n == -1)
		return settings_page(w, 422, &s,
		    settings_message(TENANT_EINVAL_CURRENCY));
	rc = tenant_update_settings(w->db, w->tenant->id, &s);
	if (rc == TENANT_EDB)
		return page_error(w, 503, NULL);
	if (rc != TENANT_OK)
		return settings_page(w, 422, &s, settings_message(rc));
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
	{ HTTP_GET, "/admin", root, AUTH },
	{ HTTP_GET, "/admin/login", login_get, 0 },
	{ HTTP_POST, "/admin/login", login_post, 0 },
	{ HTTP_POST, "/admin/logout", logout, AUTH },
	{ HTTP_GET, "/admin/products", products, AUTH },
	{ HTTP_POST, "/admin/products", product_save, AUTH },
	{ HTTP_GET, "/admin/products/new", product_new, AUTH },
	{ HTTP_GET, "/admin/products/:id", product_edit, AUTH },
	{ HTTP_POST, "/admin/products/:id", product_save, AUTH },
	{ HTTP_POST, "/admin/products/:id/delete", product_delete, AUTH },
	{ HTTP_POST, "/admin/products/:id/image", product_image, AUTH },
	{ HTTP_GET, "/admin/categories", categories, AUTH },
	{ HTTP_POST, "/admin/categories", category_create, AUTH },
	{ HTTP_GET, "/admin/settings", settings, AUTH },
	{ HTTP_POST, "/admin/settings", settings_save, AUTH },
	{ HTTP_POST, "/admin/settings/logo", settings_logo, AUTH },
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
	if (w->r->method == HTTP_POST && rt->handler != login_post &&
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
	return page_route(w, routes, NELEM(routes));
}
