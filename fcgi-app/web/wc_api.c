/* wc_api.c: /wp-json/ on a shop's host: indexes, routes, paging
 * (wc_api.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "platform/audit.h"
#include "platform/tenant.h"
#include "shop/api_key.h"
#include "web/json_api.h"
#include "web/wc_api.h"
#include "web/wc_auth.h"

struct wc_table {
	const struct route	*v;
	const size_t		*n;
};

/* The resources' tables: each web/ module of the API adds its own.
 * First match wins: products/categories before products/:id. */
static const struct wc_table tables[] = {
	{ wc_taxonomy_routes, &wc_taxonomy_nroutes },
	{ wc_products_routes, &wc_products_nroutes },
	{ wc_coupons_routes, &wc_coupons_nroutes },
	{ wc_webhooks_routes, &wc_webhooks_nroutes },
	{ wc_reports_routes, &wc_reports_nroutes },
	{ wc_orders_routes, &wc_orders_nroutes },
	{ wc_customers_routes, &wc_customers_nroutes },
	{ wc_variations_routes, &wc_variations_nroutes },
};

/* The key of the request a handler answers (a worker answers one
 * request at a time). */
static const struct api_key *current_key;

const struct api_key *
wc_api_key(void)
{
	return current_key;
}

static const char *const method_names[HTTP__MAX] = {
	[HTTP_GET] = "GET", [HTTP_HEAD] = "HEAD", [HTTP_POST] = "POST",
	[HTTP_PUT] = "PUT", [HTTP_PATCH] = "PATCH", [HTTP_DELETE] = "DELETE",
	[HTTP_OPTIONS] = "OPTIONS",
};

int
wc_api_is_path(const struct req *r)
{
	const struct str *rr;

	if (str_eqc(r->path, WC_API_PREFIX) ||
	    str_starts(r->path, STR(WC_API_PREFIX "/")))
		return 1;
	return str_eqc(r->path, "/") &&
	    (rr = req_query(r, "rest_route")) != NULL &&
	    rr->len > 0 && rr->p[0] == '/';
}

static int
no_route(struct web *w)
{
	return json_api_error(w, 404, "rest_no_route", _("No route was found "
	    "matching the URL and request method."));
}

const char *
wc_api_origin(struct web *w)
{
	const char *host = req_env(w->r, "SOUK_HOST");

	if (host == NULL)
		host = req_header(w->r, "Host");

	return arena_printf(w->r->arena, "%.*s://%s", (int)w->r->scheme.len,
	    w->r->scheme.p, host ? host : "");
}

/* "/wc/v3/products/(?P<id>[\d]+)" from "/wp-json/wc/v3/products/:id". */
static const char *
wp_route(struct web *w, const char *pattern)
{
	struct strbuf	 sb;
	const char	*p = pattern + strlen(WC_API_PREFIX), *e;
	char		*s;

	strbuf_init(&sb, 64);
	while (*p != '\0') {
		if (*p == ':') {
			e = p + strcspn(p, "/");
			strbuf_addf(&sb, "(?P<%.*s>[\\d]+)", (int)(e - p - 1),
			    p + 1);
			p = e;
		} else
			strbuf_addch(&sb, *p++);
	}
	s = arena_strndup(w->r->arena, sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

/* One route of the index, or the methods added to one already there. */
static void
index_route(struct web *w, json_object *routes, const char *name,
    enum http_method m, int link)
{
	json_object *r, *methods, *ep, *em;

	if (!json_object_object_get_ex(routes, name, &r)) {
		r = jset_obj(routes, name);
		jset_cstr(r, "namespace", "wc/v3");
		(void)jset_arr(r, "methods");
		(void)jset_arr(r, "endpoints");
		if (link) {
			json_object *l = jset_obj(r, "_links");
			json_object *self = jarr_obj(jset_arr(l, "self"));

			jset_cstr(self, "href", arena_printf(w->r->arena,
			    "%s%s%s", wc_api_origin(w), WC_API_PREFIX, name));
		}
	}
	json_object_object_get_ex(r, "methods", &methods);
	json_object_array_add(methods, json_object_new_string(
	    method_names[m]));
	json_object_object_get_ex(r, "endpoints", &ep);
	em = jarr_obj(ep);
	json_object_array_add(jset_arr(em, "methods"),
	    json_object_new_string(method_names[m]));
	(void)jset_obj(em, "args");
}

static json_object *
routes_of(struct web *w)
{
	json_object	*routes = json_object_new_object();
	size_t		 t, i;

	index_route(w, routes, "/wc/v3", HTTP_GET, 1);
	for (t = 0; t < NELEM(tables); t++)
		for (i = 0; i < *tables[t].n; i++)
			index_route(w, routes, wp_route(w,
			    tables[t].v[i].pattern), tables[t].v[i].method,
			    strchr(tables[t].v[i].pattern, ':') == NULL);
	return routes;
}

/* GET /wp-json/wc/v3: the namespace's index. */
static int
ns_index(struct web *w)
{
	json_object *o = json_object_new_object();

	jset_cstr(o, "namespace", "wc/v3");
	json_object_object_add(o, "routes", routes_of(w));
	return json_api_send(w, 200, o);
}

/* GET /wp-json/: the site's index, with the one namespace souk has. */
static int
root_index(struct web *w)
{
	json_object	*o = json_object_new_object(), *a;
	const char	*base = arena_printf(w->r->arena, "%s", wc_api_origin(w));

	jset_cstr(o, "name", w->tenant->name);
	jset_cstr(o, "description", "");
	jset_cstr(o, "url", base);
	jset_cstr(o, "home", base);
	jset_i64(o, "gmt_offset", 0);
	jset_cstr(o, "timezone_string", w->tenant->time_zone[0] ?
	    w->tenant->time_zone : "UTC");
	a = jset_arr(o, "namespaces");
	json_object_array_add(a, json_object_new_string("wc/v3"));
	(void)jset_arr(o, "authentication");
	json_object_object_add(o, "routes", routes_of(w));
	return json_api_send(w, 200, o);
}

int
wc_api_dispatch(struct web *w)
{
	const struct route	*rt = NULL;
	const struct str	*rr;
	enum router_result	 res = ROUTER_NOT_FOUND, r1;
	struct api_key		 key;
	size_t			 t;
	int			 creds, rc;

	/* ?rest_route=/wc/v3/x is /wp-json/wc/v3/x. */
	if (str_eqc(w->r->path, "/") &&
	    (rr = req_query(w->r, "rest_route")) != NULL) {
		char *p = arena_printf(w->r->arena, WC_API_PREFIX "%.*s",
		    (int)rr->len, rr->p);

		w->r->path = str_c(p);
	}
	if (w->r->method == HTTP_GET || w->r->method == HTTP_HEAD) {
		if (str_eqc(w->r->path, WC_API_PREFIX) ||
		    str_eqc(w->r->path, WC_API_PREFIX "/"))
			return root_index(w);
		if (str_eqc(w->r->path, WC_API_NS) ||
		    str_eqc(w->r->path, WC_API_NS "/"))
			return ns_index(w);
	}
	/* WooCommerce checks credentials before the route, when there
	 * are any (wc_auth.h). */
	creds = wc_auth_present(w);
	if (creds && wc_auth_check(w, &key) == -1)
		return 0;
	for (t = 0; t < NELEM(tables) && res != ROUTER_FOUND; t++) {
		r1 = router_match(tables[t].v, *tables[t].n, w->r, &rt);
		if (r1 == ROUTER_FOUND)
			res = r1;
	}
	if (res != ROUTER_FOUND)
		return no_route(w);
	if (!creds)
		return wc_auth_anonymous(w);
	w->route = rt;
	/* Only a write can change anything: a read (the hot path) names
	 * no actor. */
	if (w->r->method != HTTP_GET && w->r->method != HTTP_HEAD)
		page_audit_actor(w, AUDIT_API_KEY, key.id, str_c(arena_printf(
		    w->r->arena, "%.*s (…%.*s)", (int)key.description.len,
		    key.description.p, (int)key.truncated.len,
		    key.truncated.p)));
	current_key = &key;
	rc = rt->handler(w->r);
	current_key = NULL;
	return rc;
}

int64_t
wc_api_id(struct req *r, const char *name)
{
	const struct str	*s = req_param(r, name);
	int64_t			 id;

	if (s == NULL || str_to_i64(*s, 1, INT64_MAX, &id) == -1)
		return 0;
	return id;
}

int
wc_api_invalid_param(struct web *w, const char *name, const char *msg)
{
	json_object *e = json_object_new_object(), *d;

	jset_cstr(e, "code", "rest_invalid_param");
	jset_cstr(e, "message", arena_printf(w->r->arena,
	    _("Invalid parameter(s): %s"), name));
	d = jset_obj(e, "data");
	jset_i64(d, "status", 400);
	jset_cstr(jset_obj(d, "params"), name, msg);
	(void)json_api_send(w, 400, e);
	return -1;
}

/* The query's integer name in [min, max] into *v (def when absent):
 * 0, or -1 answered. */
static int
int_param(struct web *w, const char *name, int64_t min, int64_t max,
    int64_t def, const char *range_msg, int64_t *v)
{
	const struct str *s = req_query(w->r, name);

	*v = def;
	if (s == NULL)
		return 0;
	if (str_to_i64(*s, INT64_MIN, INT64_MAX, v) == -1)
		return wc_api_invalid_param(w, name, arena_printf(w->r->arena,
		    _("%s is not of type integer."), name));
	if (*v < min || *v > max)
		return wc_api_invalid_param(w, name, range_msg);
	return 0;
}

int
wc_api_paging(struct web *w, struct wc_paging *pg)
{
	int64_t off;

	if (int_param(w, "page", 1, INT32_MAX, 1, _("page must be greater "
	    "than or equal to 1"), &pg->page) == -1 ||
	    int_param(w, "per_page", 1, WC_API_PER_PAGE_MAX, WC_API_PER_PAGE,
	    _("per_page must be between 1 (inclusive) and 100 (inclusive)"),
	    &pg->per_page) == -1 ||
	    int_param(w, "offset", 0, INT32_MAX, -1, _("offset must be "
	    "greater than or equal to 0"), &off) == -1)
		return -1;
	pg->offset = off >= 0 ? off : (pg->page - 1) * pg->per_page;
	return 0;
}

/* Credentials and the page itself stay out of links. */
static int
kept(struct str pair)
{
	size_t		 k = 0;
	struct str	 key;

	while (k < pair.len && pair.p[k] != '=')
		k++;
	key = (struct str){ pair.p, k };
	return !(str_eqc(key, "page") || str_eqc(key, "consumer_key") ||
	    str_eqc(key, "consumer_secret") || str_starts(key,
	    STR("oauth_")) || key.len == 0);
}

static void
link(struct web *w, struct strbuf *sb, int64_t page, const char *rel)
{
	const char	*uri = req_env(w->r, "REQUEST_URI");
	struct str	 q = w->r->raw_query, pair;
	size_t		 i, s;

	if (uri == NULL)
		uri = "/";
	if (sb->len > 0)
		strbuf_addstr(sb, ", ");
	strbuf_addf(sb, "<%s%.*s?", wc_api_origin(w), (int)strcspn(uri, "?"), uri);
	for (i = s = 0; i <= q.len; i++) {
		if (i < q.len && q.p[i] != '&')
			continue;
		pair = (struct str){ q.p + s, i - s };
		/* The Link header ends at a bare '>' or a line break:
		 * a raw query holds neither past nginx, but be sure. */
		if (kept(pair) && memchr(pair.p, '>', pair.len) == NULL &&
		    memchr(pair.p, '\n', pair.len) == NULL &&
		    memchr(pair.p, '\r', pair.len) == NULL) {
			strbuf_add(sb, pair.p, pair.len);
			strbuf_addch(sb, '&');
		}
		s = i + 1;
	}
	strbuf_addf(sb, "page=%lld>; rel=\"%s\"", (long long)page, rel);
}

void
wc_api_page_headers(struct web *w, const struct wc_paging *pg, int64_t total)
{
	int64_t		pages = (total + pg->per_page - 1) / pg->per_page;
	struct strbuf	sb;

	resp_header(w->r, "X-WP-Total", arena_printf(w->r->arena, "%lld",
	    (long long)total));
	resp_header(w->r, "X-WP-TotalPages", arena_printf(w->r->arena, "%lld",
	    (long long)pages));
	strbuf_init(&sb, 256);
	if (pg->page > 1 && pages > 0)
		link(w, &sb, pg->page - 1 > pages ? pages : pg->page - 1,
		    "prev");
	if (pg->page < pages)
		link(w, &sb, pg->page + 1, "next");
	if (sb.len > 0)
		resp_header(w->r, "Link", arena_strndup(w->r->arena, sb.buf,
		    sb.len));
	strbuf_release(&sb);
}

json_object *
wc_api_item_error(int64_t id, int status, const char *code,
    const char *message)
{
	json_object *o = json_object_new_object(), *e;

	jset_i64(o, "id", id);
	e = jset_obj(o, "error");
	jset_cstr(e, "code", code);
	jset_cstr(e, "message", message);
	jset_i64(jset_obj(e, "data"), "status", status);
	return o;
}

int64_t
wc_api_item_id(json_object *e)
{
	json_object	*v;
	int64_t		 id;

	if (json_object_is_type(e, json_type_object) &&
	    json_object_object_get_ex(e, "id", &v))
		e = v;
	if (json_object_is_type(e, json_type_int) &&
	    json_object_get_int64(e) > 0)
		return json_object_get_int64(e);
	if (json_object_is_type(e, json_type_string) &&
	    str_to_i64(str_c(json_object_get_string(e)), 1, INT64_MAX,
	    &id) == 0)
		return id;
	return 0;
}

static const char *batch_item;

const char *
wc_api_batch_item(void)
{
	return batch_item;
}

json_object *
wc_api_batch_run(struct web *w, int (*fn)(struct req *), enum http_method m,
    const char *idname, int64_t id, json_object *item, const char *at)
{
	struct req	 sub = *w->r, *saved = w->r;
	struct strbuf	 out;
	json_object	*o, *e;
	const char	*text = "";
	size_t		 i;

	strbuf_init(&out, 4096);
	sub.fcgx = NULL;		/* resp_send() keeps the answer */
	sub.method = m;
	sub.out = &out;
	sub.status = 200;
	sub.hdr = NULL;
	sub.nhdr = sub.hdr_cap = 0;
	sub.sent = sub.streaming = 0;
	for (i = 0; i < sub.nparams && !str_eqc(sub.params[i].key, idname);
	    i++)
		;
	if (id > 0 && i < REQ_MAX_PARAMS) {
		sub.params[i].key = str_c(idname);
		sub.params[i].val = str_c(arena_printf(saved->arena, "%lld",
		    (long long)id));
		if (i == sub.nparams)
			sub.nparams++;
	}
	if (item != NULL)
		text = arena_strdup(saved->arena,
		    json_object_to_json_string_ext(item,
		    JSON_C_TO_STRING_PLAIN));
	sub.body = str_c(text);
	w->r = &sub;
	batch_item = at;
	(void)fn(&sub);
	batch_item = NULL;
	w->r = saved;
	o = json_tokener_parse(out.buf ? out.buf : "");
	strbuf_release(&out);
	if (o == NULL)
		return wc_api_item_error(id, 500, "souk_internal_error",
		    _("This item could not be answered."));
	if (sub.status < 400)
		return o;
	/* {"id", "error": the error answered}. */
	e = json_object_new_object();
	jset_i64(e, "id", id);
	json_object_object_add(e, "error", o);
	return e;
}

const char *const wc_api_batch_keys[3] = { "create", "update", "delete" };

int
wc_api_batch_send(struct web *w, json_object *const arr[3], const size_t n[3],
    int (*const fns[3])(struct req *), const char *idname)
{
	static const enum http_method methods[3] = { HTTP_POST, HTTP_PUT,
	    HTTP_DELETE };
	json_object	*out = json_object_new_object(), *res, *e;
	size_t		 k, i;

	for (k = 0; k < 3; k++) {
		if (arr[k] == NULL)
			continue;
		res = jset_arr(out, wc_api_batch_keys[k]);
		for (i = 0; i < n[k]; i++) {
			e = json_object_array_get_idx(arr[k], i);
			json_object_array_add(res, wc_api_batch_run(w, fns[k],
			    methods[k], idname, k == 0 ? 0 :
			    wc_api_item_id(e), k == 2 ? NULL : e,
			    arena_printf(w->r->arena, "%s[%zu]",
			    wc_api_batch_keys[k], i)));
		}
	}
	return json_api_send(w, 200, out);
}

int
wc_api_batch_arrays(struct web *w, json_object *body, json_object *arr[3],
    size_t n[3])
{
	size_t k, total = 0;

	for (k = 0; k < 3; k++) {
		arr[k] = NULL;
		n[k] = 0;
		if (!json_object_object_get_ex(body, wc_api_batch_keys[k],
		    &arr[k]) || arr[k] == NULL)
			continue;
		if (!json_object_is_type(arr[k], json_type_array)) {
			json_object_put(body);
			return wc_api_invalid_param(w, wc_api_batch_keys[k],
			    arena_printf(w->r->arena, _("%s is not of type "
			    "array."), wc_api_batch_keys[k]));
		}
		n[k] = json_object_array_length(arr[k]);
		total += n[k];
	}
	if (total > WC_API_BATCH_MAX) {
		json_object_put(body);
		(void)json_api_error(w, 413,
		    "woocommerce_rest_request_entity_too_large",
		    _("Unable to accept more than 100 items for this "
		    "request."));
		return -1;
	}
	return 0;
}
