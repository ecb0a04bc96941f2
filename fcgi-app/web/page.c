/* page.c: view models, rendering, errors and CSRF for web/ (page.h). */
#include "core/common.h"
#include "core/config.h"
#include "platform/audit.h"
#include "core/crypto.h"
#include "core/fx.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "core/tmpl.h"
#include "http/csrf.h"
#include "http/router.h"
#include "platform/rates.h"
#include "platform/tenant.h"
#include "web/page.h"
#include "web/worker.h"


size_t
page_enabled_langs(struct web *w, const char **out)
{
	size_t i, n;

	if (w->tenant == NULL) {
		for (i = 0; i < TENANT_MAX_LOCALES && i18n_lang_at(i); i++)
			out[i] = i18n_lang_at(i);
		return i;
	}
	n = w->tenant->nlocales < TENANT_MAX_LOCALES ?
	    w->tenant->nlocales : TENANT_MAX_LOCALES;
	for (i = 0; i < n; i++)
		out[i] = w->tenant->locales[i];
	return n;
}

const char *
page_lang_label(const char *code)
{
	static const struct {
		const char *code, *label;
	} names[] = {
		{ "en", "English" }, { "de", "Deutsch" }, { "fr", "Français" },
		{ "es", "Español" }, { "ja", "日本語" },
	};
	size_t i;

	for (i = 0; i < NELEM(names); i++)
		if (strcmp(names[i].code, code) == 0)
			return names[i].label;
	return code;
}

/* Loads theme into slot i of t. 0, or -1 with the reason in err. */
static int
page_theme_load(struct page_themes *t, size_t i, const char *theme,
    char *err, size_t errlen)
{
	const char	*dir = config_get("themes_dir", "themes");
	char		 path[1024], base[1024];
	int		 n, m;

	n = snprintf(path, sizeof(path), "%s/%s/templates", dir, theme);
	m = snprintf(base, sizeof(base), "%s/default/templates", dir);
	if (n < 0 || (size_t)n >= sizeof(path) || m < 0 ||
	    (size_t)m >= sizeof(base)) {
		str_errf(err, errlen, "themes_dir too long");
		return -1;
	}
	/* Every theme builds on the default one's pages. */
	if (tmpl_set_load_over(&t->set[i], path, strcmp(theme, "default") ?
	    base : NULL, err, errlen) == -1)
		return -1;
	/* theme fits: page_themes_get() checked its length. */
	memcpy(t->name[i], theme, strlen(theme) + 1);
	return 0;
}

/* page_theme() on the slots t; no recursion, at most one load. */
static const struct tmpl_set *
page_themes_get(struct page_themes *t, const char *theme)
{
	char	err[256];
	size_t	i;

	if (t->n == 0) {
		if (page_theme_load(t, 0, "default", err, sizeof(err)) == -1)
			fatal("cannot load the default theme: %s", err);
		t->n = 1;
	}
	if (theme == NULL || *theme == '\0')
		return t->set[0];
	for (i = 0; i < t->n; i++)
		if (strcmp(t->name[i], theme) == 0)
			return t->set[i];
	if (strlen(theme) > PAGE_THEME_NAME) {
		log_err("theme name '%.40s...' too long: using the default",
		    theme);
		return t->set[0];
	}
	if (t->n == PAGE_THEME_SLOTS) {
		if (!t->full_logged)
			log_warn("no free theme slot for '%s' (%d in use): "
			    "using the default", theme, PAGE_THEME_SLOTS);
		t->full_logged = 1;
		return t->set[0];
	}
	if (page_theme_load(t, t->n, theme, err, sizeof(err)) == -1) {
		log_err("cannot load theme '%s': %s", theme, err);
		return t->set[0];
	}
	return t->set[t->n++];
}

const struct tmpl_set *
page_theme(struct web *w, const char *theme)
{
	return page_themes_get(&w->worker->themes, theme);
}

void
page_themes_free(struct page_themes *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		tmpl_set_free(t->set[i]);
	memset(t, 0, sizeof(*t));
}

void
jset_str(json_object *o, const char *k, struct str v)
{
	json_object_object_add(o, k,
	    json_object_new_string_len(v.p ? v.p : "", (int)v.len));
}

void
jset_cstr(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

void
jset_i64(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

void
jset_bool(json_object *o, const char *k, int v)
{
	json_object_object_add(o, k, json_object_new_boolean(v != 0));
}

json_object *
jset_obj(json_object *o, const char *k)
{
	json_object *v = json_object_new_object();

	json_object_object_add(o, k, v);
	return v;
}

json_object *
jset_arr(json_object *o, const char *k)
{
	json_object *v = json_object_new_array();

	json_object_object_add(o, k, v);
	return v;
}

json_object *
jarr_obj(json_object *arr)
{
	json_object *v = json_object_new_object();

	json_object_array_add(arr, v);
	return v;
}

void
page_release(void *arg)
{
	struct web *w = arg;

	if (w->m != NULL)
		json_object_put(w->m);
	w->m = NULL;
}

/* A path safe to repeat in a link as it is; others link to "/". */
static int
path_plain(struct str p)
{
	size_t i;

	for (i = 0; i < p.len; i++) {
		char c = p.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '/' || c == '-' ||
		    c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

/* The switcher's links: this path with ?lang=xx (other query fields are
 * dropped: a language change starts the listing over). */
static void
lang_links(struct web *w, json_object *m)
{
	const char		*codes[TENANT_MAX_LOCALES];
	size_t			 n = page_enabled_langs(w, codes), i;
	json_object		*arr = jset_arr(m, "langs");

	struct str		 path = path_plain(w->r->path) ?
				    w->r->path : STR("/");

	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "code", codes[i]);
		jset_cstr(o, "label", page_lang_label(codes[i]));
		jset_cstr(o, "url", arena_printf(w->r->arena, "%.*s?lang=%s",
		    (int)path.len, path.p, codes[i]));
		jset_bool(o, "current", strcmp(codes[i], w->lang) == 0);
	}
}

json_object *
page_model(struct web *w, const char *title)
{
	json_object *m = json_object_new_object();

	page_release(w);
	w->m = m;
	jset_cstr(m, "lang", w->lang ? w->lang : "en");
	jset_cstr(m, "title", title);
	if (w->tenant != NULL) {
		const struct tenant	*t = w->tenant;
		json_object		*s = jset_obj(m, "shop");

		jset_cstr(s, "name", t->name);
		jset_cstr(s, "slug", t->slug);
		jset_cstr(s, "color_primary", t->text_primary);
		jset_cstr(s, "color_accent", t->text_accent);
		jset_cstr(s, "logo", t->logo);
		if (t->custom_css[0] != '\0')
			jset_cstr(s, "custom_css", t->custom_css);
		/* The storefront header's "My account" (web/account.c). */
		if (w->has_customer) {
			json_object *c = jset_obj(m, "customer");

			jset_str(c, "name", w->customer.name);
			jset_str(c, "email", w->customer.email);
		}
	}
	if (w->lang != NULL)
		lang_links(w, m);
	if (w->csrf != NULL)
		jset_cstr(m, "csrf", w->csrf);
	return m;
}

int
page_render(struct web *w, int status, const char *name)
{
	const struct tmpl_set *set = w->tmpl ? w->tmpl : page_theme(w, NULL);

	if (w->m == NULL)
		page_model(w, "");
	resp_status(w->r, status);
	strbuf_reset(w->r->out);
	if (tmpl_render(set, name, w->m, w->r->out) == -1) {
		log_err("cannot render template '%s'", name);
		strbuf_reset(w->r->out);
		resp_status(w->r, 500);
		strbuf_addstr(w->r->out, "<!doctype html><title>500</title>"
		    "<h1>500</h1>\n");
	}
	page_release(w);
	return resp_send(w->r);
}

static const char *
status_title(int status)
{
	switch (status) {
	case 400:
		return _("Bad request");
	case 403:
		return _("Forbidden");
	case 404:
		return _("Page not found");
	case 405:
		return _("Method not allowed");
	case 413:
		return _("Request too large");
	case 415:
		return _("Unsupported content type");
	case 422:
		return _("Invalid input");
	case 429:
		return _("Too many requests");
	case 503:
		return _("Temporarily unavailable");
	default:
		return _("Something went wrong");
	}
}

static const char *
status_message(int status)
{
	switch (status) {
	case 400:
		return _("The request could not be understood.");
	case 403:
		return _("You may not do this. If you sent a form, reload the "
		    "page and try again.");
	case 404:
		return _("The page you asked for does not exist.");
	case 413:
		return _("What you sent is too large.");
	case 503:
		return _("The service is unavailable for a moment. "
		    "Please try again shortly.");
	default:
		return _("We could not answer this request. Please try "
		    "again later.");
	}
}

int
page_error(struct web *w, int status, const char *message)
{
	json_object	*m;

	m = page_model(w, status_title(status));
	jset_cstr(m, "status", arena_printf(w->r->arena, "%d", status));
	jset_cstr(m, "message", message ? message : status_message(status));
	resp_header(w->r, "Cache-Control", "no-store");
	if (status == 503)
		resp_header(w->r, "Retry-After", arena_printf(w->r->arena,
		    "%d", w->retry_after > 0 ? w->retry_after : 5));
	return page_render(w, status, "error");
}

int
page_redirect(struct web *w, const char *location)
{
	resp_redirect(w->r, w->r->method == HTTP_POST ? 303 : 302, location);
	return resp_send(w->r);
}

int
page_route(struct web *w, const struct route *routes, size_t n)
{
	struct route_table t = { routes, n };

	return page_route_tables(w, &t, 1);
}

int
page_route_tables(struct web *w, const struct route_table *t, size_t nt)
{
	const struct route	*rt = NULL;
	enum router_result	 res = ROUTER_NOT_FOUND, r1;
	size_t			 i;
	int			 st;

	for (i = 0; i < nt && res != ROUTER_FOUND; i++) {
		r1 = router_match(t[i].v, t[i].n, w->r, &rt);
		if (r1 == ROUTER_FOUND || r1 == ROUTER_BAD_METHOD)
			res = r1;
	}
	switch (res) {
	case ROUTER_FOUND:
		w->route = rt;
		break;
	case ROUTER_BAD_METHOD:
		return page_error(w, 405, NULL);
	default:
		return page_error(w, 404, NULL);
	}
	/* A link that cannot lead anywhere is answered before a session
	 * or the database is touched. */
	if (form_validate(&w->form, rt->fields, w->r) == -1) {
		if (w->form.bad & FIELD_PARAM)
			return page_error(w, 404, NULL);
		if (w->form.bad & FIELD_QUERY)
			return page_error(w, 400, _(w->form.errs.v[0].msgid));
	}
	if (w->before != NULL && (st = w->before(w, rt)) != 0)
		return st > 0 ? page_error(w, st, NULL) : 0;
	if (w->form.errs.n && !(rt->flags & ROUTE_FORM_ERRORS))
		return page_error(w, 422, _(w->form.errs.v[0].msgid));
	st = rt->handler(w->r);
	return st > 0 ? page_error(w, st, NULL) : st;
}

int
page_csrf_ok(struct web *w)
{
	const struct str *sent = req_form(w->r, "csrf");

	return w->csrf != NULL && sent != NULL &&
	    csrf_check(sent, w->csrf) == 0;
}

void
page_anon_csrf(struct web *w)
{
	const struct str	*c = req_cookie(w->r, "souk_csrf");
	char			*tok;

	if (c != NULL && c->len == 32) {
		w->csrf = arena_strndup(w->r->arena, c->p, c->len);
		return;
	}
	tok = arena_alloc(w->r->arena, 33);
	csrf_token_new(tok);
	resp_cookie(w->r, "souk_csrf", tok, -1, COOKIE_HTTPONLY | COOKIE_LAX);
	w->csrf = tok;
}

const char *
page_money(struct web *w, int64_t minor, const char *currency)
{
	/* The worker's buffer: no malloc once warm. */
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	money_format(&sb, minor, currency, w->icu_locale);
	return arena_strndup(w->r->arena, sb.buf, sb.len);
}

void
page_audit_actor(struct web *w, int by, int64_t id, struct str label)
{
	struct audit_actor	a;
	const char		*ua = req_header(w->r, "User-Agent");

	memset(&a, 0, sizeof(a));
	a.by = (enum audit_by)by;
	a.id = id;
	str_copy(a.label, sizeof(a.label), label);
	str_copy(a.addr, sizeof(a.addr), w->r->remote_addr);
	str_copy(a.agent, sizeof(a.agent), str_c(ua != NULL ? ua : ""));
	audit_begin(&a);
}

const char *
page_shop_link(struct web *w, const char *path)
{
	return tenant_link(w->r->arena, w->tenant->slug, path);
}

const char *
page_count(struct web *w, int64_t n)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	if (money_format_num(&sb, n, w->icu_locale) != 0)
		strbuf_addf(&sb, "%lld", (long long)n);
	return arena_strndup(w->r->arena, sb.buf, sb.len);
}

void
page_form_errors(json_object *m, const struct field_errors *errs,
    const char *error)
{
	if (errs != NULL && errs->n > 0)
		page_field_errors(jset_obj(m, "e"), jset_arr(m, "errors"),
		    errs);
	else
		(void)jset_obj(m, "e");
	if (error != NULL)
		jset_cstr(m, "error", error);
}

void
page_field_errors(json_object *e, json_object *all,
    const struct field_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++) {
		const char *msg = _(errs->v[i].msgid);

		/* The first message of a field is the one beside it. */
		if (e != NULL && !json_object_object_get_ex(e,
		    errs->v[i].field, NULL))
			jset_cstr(e, errs->v[i].field, msg);
		if (all != NULL)
			json_object_array_add(all,
			    json_object_new_string(msg));
	}
}

struct str
page_field(struct web *w, const char *name)
{
	const struct str *v = req_form(w->r, name);

	return v ? *v : STR("");
}

/* --- the shopper's currency -------------------------------------------- */

/* The currency people reading lang usually pay in. */
static const char *
lang_currency(const char *lang)
{
	static const struct {
		const char *lang, *cur;
	} usual[] = {
		{ "en", "USD" }, { "de", "EUR" }, { "fr", "EUR" },
		{ "es", "EUR" }, { "ja", "JPY" },
	};
	size_t i;

	for (i = 0; lang != NULL && i < NELEM(usual); i++)
		if (strcmp(usual[i].lang, lang) == 0)
			return usual[i].cur;
	return NULL;
}

/* The shop's own spelling of code when it may show prices in it (the
 * base, or a display currency with rates for it and the base), else
 * NULL. */
static const char *
offered(struct web *w, struct str code)
{
	const struct tenant	*t = w->tenant;
	size_t			 i;

	if (code.len != 3)
		return NULL;
	if (str_eqc(code, t->currency))
		return t->currency;
	if (w->rates == NULL || fx_rate_of(w->rates, t->currency) == 0)
		return NULL;
	for (i = 0; i < t->ndisplay; i++)
		if (str_eqc(code, t->display_currencies[i]))
			return fx_rate_of(w->rates, t->display_currencies[i]) ?
			    t->display_currencies[i] : NULL;
	return NULL;
}

void
page_settle_currency(struct web *w)
{
	const struct str	*q = req_query(w->r, "cur");
	const struct str	*c = req_cookie(w->r, "cur");
	const char		*cur = NULL;

	w->currency = w->tenant->currency;
	if (w->tenant->ndisplay == 0)
		return;		/* no database work for most shops */
	w->rates = rates_cached(w->db);
	if (q != NULL && (cur = offered(w, *q)) != NULL) {
		if (c == NULL || !str_eqc(*c, cur))
			resp_cookie(w->r, "cur", cur, 365L * 86400,
			    COOKIE_LAX);
	} else if (c != NULL)
		cur = offered(w, *c);
	if (cur == NULL && lang_currency(w->lang) != NULL)
		cur = offered(w, str_c(lang_currency(w->lang)));
	if (cur != NULL)
		w->currency = cur;
}

int
page_price_converted(struct web *w)
{
	return w->tenant != NULL && w->currency != NULL &&
	    strcmp(w->currency, w->tenant->currency) != 0;
}

const char *
page_price(struct web *w, int64_t minor)
{
	struct fx_conversion c;

	if (page_price_converted(w) && w->rates != NULL &&
	    fx_convert(w->rates, minor, w->tenant->currency, w->currency,
	    FX_ROUND_HALF_UP, &c) == 0)
		return page_money(w, c.amount, w->currency);
	return page_money(w, minor, w->tenant->currency);
}

void
page_currency_model(struct web *w, json_object *m)
{
	const struct tenant	*t = w->tenant;
	struct str		 path = path_plain(w->r->path) ?
				    w->r->path : STR("/");
	json_object		*arr;
	size_t			 i;

	if (t == NULL || t->ndisplay == 0 || w->currency == NULL)
		return;
	arr = jset_arr(m, "currencies");
	for (i = 0; i <= t->ndisplay; i++) {
		const char	*code = i == 0 ? t->currency :
				    t->display_currencies[i - 1];
		json_object	*o;

		if (i > 0 && offered(w, str_c(code)) == NULL)
			continue;
		o = jarr_obj(arr);
		jset_cstr(o, "code", code);
		jset_cstr(o, "url", arena_printf(w->r->arena, "%.*s?cur=%s",
		    (int)path.len, path.p, code));
		jset_bool(o, "current", strcmp(code, w->currency) == 0);
	}
	if (page_price_converted(w))
		/* TRANSLATORS: %1$s is the currency shown (JPY), %2$s the
		 * one the shop charges (EUR). */
		jset_cstr(m, "fx_note", arena_printf(w->r->arena,
		    _("Prices in %1$s are approximate, converted at the "
		    "European Central Bank's daily rate. Your order will be "
		    "charged in %2$s."), w->currency, t->currency));
}
