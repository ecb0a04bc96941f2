/*
 * page.h: what every handler of web/ shares: the request's state
 * (tenant, language, session), the view model, rendering and errors.
 *
 * One struct web per request, in the request's arena, reached from a
 * handler with web_of(r). The view model is a json-c object owned by the
 * struct web (released by an arena cleanup); handlers add keys with the
 * jset_*() helpers and call page_render(). Every string a shopper or
 * merchant reads is translated with _() before it goes in the model, or
 * by the template's {{_ }} tag.
 */
#ifndef SOUK_WEB_PAGE_H
#define SOUK_WEB_PAGE_H

#include <json.h>
#include <stdint.h>

#include "http/req.h"
#include "shop/ctx.h"
#include "shop/customer.h"
#include "shop/staff.h"
#include "web/form.h"

struct db;
struct route;
struct fx_rates;
struct tenant;
struct tmpl_set;
struct worker;

/*
 * The themes of one worker (a member of struct worker): each theme's
 * templates are parsed once, at first use, into one of a few slots.
 * Slot 0 is always "default", loaded before any other: falling back
 * to it never needs a free slot, so page_theme() needs no recursion.
 */
#define PAGE_THEME_SLOTS	8
#define PAGE_THEME_NAME		40	/* longest theme name, in bytes */
struct page_themes {
	char		 name[PAGE_THEME_SLOTS][PAGE_THEME_NAME + 1];
	struct tmpl_set	*set[PAGE_THEME_SLOTS];
	size_t		 n;		/* slots in use */
	int		 full_logged;	/* "no free slot" said once */
};

struct web {
	struct req		*r;
	struct worker		*worker;	/* web/worker.h */
	struct db		*db;		/* worker->db */
	const struct tenant	*tenant;	/* NULL on the platform host */
	const char		*lang;		/* negotiated: "de" */
	const char		*icu_locale;	/* for money and dates */
	struct shop_ctx		 shop;		/* when tenant */
	json_object		*m;		/* root view model */
	const struct tmpl_set	*tmpl;
	const char		*csrf;		/* token this page's forms carry */
	int			 retry_after;	/* seconds, for a 503; 0: 5 */
	/* storefront: a page a shopper browses (home, category, product,
	 * search): counted as a view when answered 200 to a GET
	 * (platform/meter.h) */
	int			 page_view;
	/* The handler family that answers (core/metrics.h's enum
	 * metrics_kind), set by web.c's serve() as it dispatches. */
	int			 kind;
	/* Run by page_route() between matching and the handler (sessions,
	 * access, CSRF): 0 goes on, a status sends that error page, -1
	 * means it answered itself. */
	int			(*before)(struct web *, const struct route *);
	/* The route matched (page_route(), the APIs' dispatchers): what
	 * the audit's entry of a change request names. */
	const struct route	*route;
	/* The route's fields, validated by page_route() (web/form.h). */
	struct form		 form;
	/* storefront: the shopper's currency (page_settle_currency()) */
	const char		*currency;	/* NULL: the shop's base */
	const struct fx_rates	*rates;		/* worker cache, when needed */

	/* storefront: the signed-in shopper, from the CUSTOMER_COOKIE
	 * session (shop/customer.h), settled before the handler */
	int			 has_customer;
	struct customer		 customer;

	/* shop admin */
	int			 has_staff;
	struct staff		 staff;
	/* platform */
	int64_t			 account_id;	/* 0: not logged in */
	struct str		 account_email;
	int			 is_operator;
	int			 operator_support;	/* looks only */
};

static inline struct web *
web_of(struct req *r)
{
	return r->app;
}

/* Who acts for this request (platform/audit.h): the actor kind, its
 * id and label, with the request's address and user agent. */
void	page_audit_actor(struct web *w, int by, int64_t id, struct str label);

/* Releases w's model; registered as an arena cleanup by web_serve(). */
void	page_release(void *w);

/*
 * The templates of theme (NULL or "": "default") from the worker's
 * slots, loaded from themes_dir at first use. A theme that cannot be
 * loaded (logged each time it is asked for), has a name longer than
 * PAGE_THEME_NAME, or finds every slot taken (logged once) gets the
 * default theme. The default theme not loading is fatal: no page could
 * be rendered. The set is the worker's; valid until page_themes_free().
 */
const struct tmpl_set	*page_theme(struct web *w, const char *theme);

/* Frees every set in t and empties it. */
void	page_themes_free(struct page_themes *t);

/* The root model with the keys every page has: lang, title, shop
 * branding, language links, csrf. title is already translated. */
json_object	*page_model(struct web *w, const char *title);

/* Renders template name with w->m and sends it with status. Returns 0
 * (the handler's "sent"), or -1 when the client has gone. */
int	page_render(struct web *w, int status, const char *name);

/* An error page in the request's language: status and a translated
 * message (NULL: the status's usual message). Returns 0 or -1. */
int	page_error(struct web *w, int status, const char *message);

/* A redirect after a POST (303) or GET (302). Returns 0 or -1. */
int	page_redirect(struct web *w, const char *location);

/*
 * Finds the route of the request in routes[0..n) and runs it: 404 or 405
 * pages when none fits. Then checks the route's fields (rt->fields,
 * web/form.h) into w->form: a bad route parameter answers 404 and a bad
 * query field 400, with the field's message, before anything else runs
 * (no session, no database). Then w->before, when set. A bad form field
 * answers 422 with its message, unless the route has ROUTE_FORM_ERRORS:
 * then the handler runs and shows w->form.errs beside its fields. A
 * status a handler returns becomes that error page. Returns 0, or -1
 * when the client has gone.
 */
int	page_route(struct web *w, const struct route *routes, size_t n);

/* The same over several tables, searched in order (a host's pages come
 * from several web/ modules: the storefront's, the cart's, the
 * account's...): the first table with a match wins; 405 only when no
 * table has the path for this method. */
struct route_table {
	const struct route	*v;
	size_t			 n;
};
int	page_route_tables(struct web *w, const struct route_table *t,
	    size_t nt);

/* Nonzero when the form's "csrf" field matches w->csrf. */
int	page_csrf_ok(struct web *w);

/* A fresh anonymous CSRF token (double-submit cookie) when the request
 * has no valid one; sets w->csrf. For pages without a session. */
void	page_anon_csrf(struct web *w);

/* money in the shop's currency, formatted for the request's locale;
 * lives in the arena. */
const char *page_money(struct web *w, int64_t minor, const char *currency);

/* The link of a mail to the request's shop, path ("/account/reset/")
 * on the shop's own host from the configuration, never the request's
 * Host header; in the arena. */
const char *page_shop_link(struct web *w, const char *path);

/* n as the request's language writes a count ("12,345", "12.345"), in
 * the request's arena. */
const char *page_count(struct web *w, int64_t n);

/*
 * The shopper's currency on a storefront page, into w->currency: ?cur=
 * (remembered in the cookie "cur"), then the cookie, then the usual
 * currency of the page's language (ja: JPY, de/fr/es: EUR, en: USD),
 * each only when the shop offers it (its base or one of its display
 * currencies) and rates for it are stored; else the base. Call before
 * the handler builds prices.
 */
void	page_settle_currency(struct web *w);

/* Adds the currency switcher ("currencies": code, url, current) and,
 * when prices are converted, the translated "approximate" note
 * ("fx_note") to m. */
void	page_currency_model(struct web *w, json_object *m);

/*
 * minor units of the shop's base currency as the shopper sees them: in
 * w->currency, converted with the newest rates (rounded half up to the
 * target's minor unit, core/fx.h), formatted for the request's locale;
 * in the base when there is nothing to convert. Lives in the arena.
 */
const char *page_price(struct web *w, int64_t minor);

/* Nonzero when page_price() converts (w->currency is not the base). */
int	page_price_converted(struct web *w);

/*
 * Adds errs to the model, translated: each message under its field's
 * name in e (when e is not NULL), and all of them in order in the array
 * all (when not NULL).
 */
/* A form page's errors into its model m: "e" (each field's first
 * message; an empty object when none), "errors" (all of them) and
 * "error" (a message of the whole form, NULL: none). */
void	page_form_errors(json_object *m, const struct field_errors *errs,
	    const char *error);

void	page_field_errors(json_object *e, json_object *all,
	    const struct field_errors *errs);

/* The value of a form field, trimmed of nothing; empty when absent.
 * For routes without a field table (web/form.h has the typed way). */
struct str	page_field(struct web *w, const char *name);

/* Model helpers: set key on o. Strings are copied by json-c. */
void	jset_str(json_object *o, const char *k, struct str v);
void	jset_cstr(json_object *o, const char *k, const char *v);
void	jset_i64(json_object *o, const char *k, int64_t v);
void	jset_bool(json_object *o, const char *k, int v);
json_object *jset_obj(json_object *o, const char *k);
json_object *jset_arr(json_object *o, const char *k);
json_object *jarr_obj(json_object *arr);

/* The languages this request may use: the shop's, or all souk ships on
 * the platform host. out has room for 8; returns the count. */
size_t	page_enabled_langs(struct web *w, const char **out);

/* The language's name in itself ("Deutsch"), for switchers. */
const char	*page_lang_label(const char *code);


/* Route tables and their handlers, per host kind. */
int	store_dispatch(struct web *w);
int	admin_dispatch(struct web *w);
int	platform_dispatch(struct web *w);
/* The message for a provision_err (platform/provision.h), translated. */
const char	*platform_provision_message(int rc);

#endif
