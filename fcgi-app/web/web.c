/*
 * web.c: one request from the pool to a handler: the tenant from the
 * Host header, the language, then the route table of the host kind
 * (platform pages, a shop's storefront, a shop's admin).
 */
#include "core/common.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "core/money.h"
#include "core/fx.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/domain.h"
#include "platform/jobs.h"
#include "platform/meter.h"
#include "platform/rates.h"
#include "platform/tenant.h"
#include "shop/also_bought.h"
#include "shop/catalog.h"
#include "shop/facet.h"
#include "shop/shop.h"
#include "web/page.h"
#include "web/tenant_api.h"
#include "web/json_api.h"
#include "web/wc_api.h"
#include "web/web.h"
#include "web/webhook.h"
#include "web/worker.h"

int
web_worker_init(void *arg)
{
	struct worker *wk = arg;

	crypto_init();
	i18n_init(config_get("locale_dir", "build/locale"));
	wk->db = db_open();
	tenant_route_install(wk->db);
	if (!db_alive(wk->db, 0))
		log_warn("database not reachable yet: %s", db_error(wk->db));
	return 0;
}

void
web_worker_exit(void *arg)
{
	struct worker *wk = arg;

	tenant_cache_free();
	category_cache_free();
	also_bought_cache_free();
	facet_cache_free();
	rates_cache_free();
	money_free();
	page_themes_free(&wk->themes);
	db_close(wk->db);
	wk->db = NULL;
}

/* The language: ?lang=, then the cookie, then Accept-Language, then the
 * shop's default. A valid ?lang= is remembered in a cookie. */
static void
settle_language(struct web *w)
{
	const struct str	*q = req_query(w->r, "lang");
	const struct str	*c = req_cookie(w->r, "lang");
	const char		*en[TENANT_MAX_LOCALES];
	size_t			 n = page_enabled_langs(w, en);
	char			 ql[9] = "", cl[9] = "";

	if (q != NULL && q->len < sizeof(ql))
		memcpy(ql, q->p, q->len);
	if (c != NULL && c->len < sizeof(cl))
		memcpy(cl, c->p, c->len);
	w->lang = i18n_negotiate(ql[0] ? ql : NULL, cl[0] ? cl : NULL,
	    req_header(w->r, "Accept-Language"), en, n,
	    w->tenant ? w->tenant->default_locale : "en");
	if (ql[0] != '\0' && strcmp(ql, w->lang) == 0 && strcmp(ql, cl) != 0)
		resp_cookie(w->r, "lang", w->lang, 365L * 86400,
		    COOKIE_LAX);
	i18n_set_language(w->lang);
	w->icu_locale = i18n_icu_locale(w->lang);
}

/*
 * GET /_health: 200 when this worker and MariaDB answer. Under "ok",
 * warning lines name what an operator should look at without the
 * platform being down (monitoring may alert on "warning:"): exchange
 * rates older than rates_max_age_days (souk-rates has not run or keeps
 * failing; shops go on converting with them). No rates at all is no
 * warning: an installation that never fetched has nothing stale.
 */
static void
health_rates(struct web *w)
{
	char	date[FX_DATE_LEN + 1], today[FX_DATE_LEN + 1];
	int64_t	max = config_int("rates_max_age_days", 4, 1, 3650);

	if (rates_latest_date(w->db, date) != RATES_OK)
		return;
	rates_today(today);
	if (fx_date_diff(date, today) > max)
		strbuf_addf(w->r->out, "warning: exchange rates from %s are "
		    "older than %lld days\n", date, (long long)max);
}

/*
 * A warning line when the job queue lags (platform/jobs.h): a job due
 * for longer than health_job_lag_secs (default 300) that no souk-worker
 * holds means mail, webhooks and imports wait (souk-worker stopped, or
 * cannot keep up). The answer stays 200: the shops serve. lag is
 * jobs_lag()'s result, waiting and oldest what it read.
 */
static void
health_jobs(struct web *w, int lag, int64_t waiting, int64_t oldest)
{
	int64_t max = config_int("health_job_lag_secs", 300, 1, 86400);

	if (lag == -1)
		strbuf_addf(w->r->out, "warning: cannot read the job queue: "
		    "%s\n", db_error(w->db));
	else if (oldest > max)
		strbuf_addf(w->r->out, "warning: %lld jobs waiting, the oldest "
		    "due %lld s ago (is souk-worker running?)\n",
		    (long long)waiting, (long long)oldest);
}

/*
 * The other servers of shops (db.h, "Shops on several servers"): a
 * warning line for each one that does not answer, or whose job queue
 * lags. The answer stays 200: this VM serves the other servers' shops.
 */
static void
health_shards(struct web *w)
{
	int64_t	max = config_int("health_job_lag_secs", 300, 1, 86400);
	int64_t	waiting = 0, oldest = 0;
	int	i;

	for (i = 1; i <= db_shard_count(w->db); i++) {
		struct db *s = db_shard(w->db, i);

		if (!db_alive(s, 1) || jobs_lag(s, &waiting, &oldest) == -1)
			strbuf_addf(w->r->out, "warning: server %s "
			    "unavailable: %s\n", db_shard_name(w->db, i),
			    db_error(s));
		else if (oldest > max)
			strbuf_addf(w->r->out, "warning: server %s: %lld jobs "
			    "waiting, the oldest due %lld s ago\n",
			    db_shard_name(w->db, i), (long long)waiting,
			    (long long)oldest);
	}
}

/* A worker idle this long checks its database connection first. */
#define WEB_DB_IDLE_MS	1000

/*
 * A ping alone is not enough: a Galera node outside the primary
 * component answers it but refuses every statement (1047, DB_ELOST,
 * db.c). So the job queue's read is the check too: the database is
 * unavailable when that read finds it so.
 */
static int
health(struct web *w)
{
	int64_t	waiting = 0, oldest = 0;
	int	lag = -1;

	resp_header(w->r, "Content-Type", "text/plain; charset=utf-8");
	resp_header(w->r, "Cache-Control", "no-store");
	if (db_alive(w->db, 1) && ((lag = jobs_lag(w->db, &waiting,
	    &oldest)) == 0 || db_errclass(w->db) != DB_ELOST)) {
		strbuf_addstr(w->r->out, "ok\n");
		health_rates(w);
		health_jobs(w, lag, waiting, oldest);
		health_shards(w);
		return resp_send(w->r);
	}
	resp_status(w->r, 503);
	strbuf_addf(w->r->out, "database unavailable: %s\n",
	    db_error(w->db));
	return resp_send(w->r);
}

static int
shop_unavailable(struct web *w)
{
	const struct tenant *t = w->tenant;

	/* The API answers JSON: 503 with Retry-After, as the pages, since
	 * a suspension or a set-up ends; a 401 or 403 would tell an
	 * integration its key is bad, and it would drop it. */
	if (wc_api_is_path(w->r)) {
		int s = t->status == TENANT_SUSPENDED;

		resp_header(w->r, "Retry-After", s ? "3600" : "60");
		return json_api_error(w, 503, s ? "souk_shop_suspended" :
		    "souk_shop_unavailable", s ? _("This shop is closed for "
		    "the moment. Please come back later.") : _("This shop is "
		    "being set up. Please come back in a moment."));
	}
	if (t->status == TENANT_SUSPENDED) {
		w->retry_after = 3600;
		return page_error(w, 503, _("This shop is closed for the "
		    "moment. Please come back later."));
	}
	return page_error(w, 503, _("This shop is being set up. "
	    "Please come back in a moment."));
}

/* A write while the shop moves to another server (platform/
 * shop_move.h): refused for the seconds of the switch, with a time to
 * come back; its pages are still served. */
static int
shop_moving(struct web *w)
{
	const char *msg = _("This shop is moving to a new server. Changes "
	    "are paused for a few seconds: please try again in a moment.");

	if (wc_api_is_path(w->r)) {
		resp_header(w->r, "Retry-After", "10");
		return json_api_error(w, 503, "souk_shop_moving", msg);
	}
	w->retry_after = 10;
	return page_error(w, 503, msg);
}

/* At the end of every request (the arena's reset, after the answer was
 * sent): no transaction may outlive it (db.h). */
static void
request_end(void *db)
{
	(void)db_request_end(db);
}

/* GET /.well-known/souk-domain/TOKEN: the token, when this host has
 * it; never cached (a check must reach souk). */
static int
domain_answer(struct web *w)
{
	struct str	token = { w->r->path.p + strlen(DOMAIN_WELL_KNOWN),
			    w->r->path.len - strlen(DOMAIN_WELL_KNOWN) };
	int		ok = domain_token_ok(w->db, w->r->host, token);

	resp_header(w->r, "Content-Type", "text/plain; charset=utf-8");
	resp_header(w->r, "Cache-Control", "no-store");
	if (ok == 1) {
		strbuf_add(w->r->out, token.p, token.len);
		return resp_send(w->r);
	}
	resp_status(w->r, ok == 0 ? 404 : 503);
	strbuf_addstr(w->r->out, ok == 0 ? "not found\n" :
	    "database unavailable\n");
	return resp_send(w->r);
}

static const char *
method_name(enum http_method m)
{
	switch (m) {
	case HTTP_POST:
		return "POST";
	case HTTP_PUT:
		return "PUT";
	case HTTP_PATCH:
		return "PATCH";
	case HTTP_DELETE:
		return "DELETE";
	default:
		return "GET";
	}
}

/*
 * After the handler: a change request (not GET or HEAD) made by someone
 * (platform/audit.h's actor) that succeeded and recorded nothing itself
 * gets the audit's entry of its route and fields. The answer is sent
 * already: a failure here is logged, not shown.
 */
static void
audit_after(struct web *w)
{
	struct req		*r = w->r;
	const struct str	*id;
	json_object		*fields = NULL;
	int64_t			 oid = 0;
	size_t			 i;

	if (w->route == NULL || audit_actor()->by == AUDIT_SYSTEM ||
	    audit_logged() || r->method == HTTP_GET ||
	    r->method == HTTP_HEAD || r->status >= 400 || db_tx_open(w->db))
		goto done;
	if (r->nparams > 0 && (id = &r->params[0].val) != NULL &&
	    str_to_i64(*id, 1, INT64_MAX, &oid) == -1)
		oid = 0;
	if (str_eqc(r->content_type, "application/json") && r->body.len > 0) {
		struct json_tokener *tok = json_tokener_new();

		fields = json_tokener_parse_ex(tok, r->body.p,
		    (int)r->body.len);
		json_tokener_free(tok);
	}
	if (fields == NULL || !json_object_is_type(fields,
	    json_type_object)) {
		json_object_put(fields);
		fields = json_object_new_object();
		for (i = 0; i < r->form.n; i++)
			json_object_object_add_ex(fields, arena_strndup(
			    r->arena, r->form.v[i].key.p, r->form.v[i].key.len),
			    json_object_new_string_len(r->form.v[i].val.p,
			    (int)r->form.v[i].val.len), 0);
	}
	(void)audit_request(w->db, w->tenant != NULL ? w->tenant->id : 0,
	    method_name(r->method), w->route->pattern, oid, fields);
	json_object_put(fields);
done:
	audit_end();
}

static int	serve(struct web *, struct req *, int);

int
web_serve(void *worker, struct req *r, int parse_status)
{
	struct web	*w = arena_calloc(r->arena, 1, sizeof(*w));
	int64_t		 t0 = clock_us();
	int		 rc;

	r->app = w;
	w->r = r;
	w->worker = worker;
	w->db = w->worker->db;
	w->kind = METRICS_KIND_OTHER;
	rc = serve(w, r, parse_status);
	if (w->route != NULL)
		r->route = w->route->pattern;
	/* The shopper sees "unavailable"; the sysadmin sees why. */
	if (r->status >= 500 && db_errclass(w->db) != DB_OK)
		log_err("answered %d after a database error: %s", r->status,
		    db_error(w->db));
	if (w->page_view && r->status == 200 && r->method == HTTP_GET &&
	    !r->head) {
		meter_add(w->tenant->id, METER_PAGE_VIEWS, 1);
		/* a page nginx's microcache could have answered, and did
		 * not (a miss, an expired entry or a bypass) */
		metrics_cache(METRICS_CACHE_NGINX, 0);
	}
	/* Answered: the audit's write after it is not the shopper's wait. */
	metrics_request((enum metrics_kind)w->kind, r->status,
	    (uint64_t)(clock_us() - t0));
	audit_after(w);
	return rc;
}

/* The storefront's handler family, by path (the route tables of
 * store_dispatch()). */
static int
store_kind(struct str path)
{
	if (str_starts(path, STR("/p/")))
		return METRICS_KIND_PRODUCT;
	if (str_eqc(path, "/cart") || str_starts(path, STR("/cart/")))
		return METRICS_KIND_CART;
	if (str_eqc(path, "/checkout") || str_starts(path,
	    STR("/checkout/")))
		return METRICS_KIND_CHECKOUT;
	if (str_eqc(path, "/") || str_eqc(path, "/search") ||
	    str_starts(path, STR("/c/")))
		return METRICS_KIND_STORE;
	return METRICS_KIND_ACCOUNT;
}

/* The platform host's handler family, by path. */
static int
platform_kind(struct str path)
{
	if (str_eqc(path, "/_health"))
		return METRICS_KIND_HEALTH;
	if (str_starts(path, STR(TENANT_API_PREFIX)))
		return METRICS_KIND_TENANT_API;
	if (str_eqc(path, "/operator") || str_starts(path,
	    STR("/operator/")))
		return METRICS_KIND_OPERATOR;
	return METRICS_KIND_PLATFORM;
}

static int
serve(struct web *w, struct req *r, int parse_status)
{
	int rc;

	db_revalidate(w->db, WEB_DB_IDLE_MS);
	arena_cleanup_add(r->arena, page_release, w);
	arena_cleanup_add(r->arena, request_end, w->db);
	if (parse_status != 0) {
		settle_language(w);
		return page_error(w, parse_status, NULL);
	}
	/* A custom domain's check (platform/domain.h): answered for the
	 * name whatever shop it will serve, before it serves one. */
	if (str_starts(r->path, STR(DOMAIN_WELL_KNOWN))) {
		r->route = DOMAIN_WELL_KNOWN;
		return domain_answer(w);
	}
	rc = tenant_resolve(w->db, r->host, &w->tenant);
	if (rc == TENANT_PLATFORM)
		w->kind = platform_kind(r->path);
	if (rc == TENANT_PLATFORM && str_eqc(r->path, "/_health")) {
		r->route = "/_health";
		return health(w);
	}
	if (rc == TENANT_FOUND)
		log_set_request(r->rid, w->tenant->id);
	settle_language(w);
	switch (rc) {
	case TENANT_PLATFORM:
		return platform_dispatch(w);
	case TENANT_UNKNOWN:
		w->tenant = NULL;
		return page_error(w, 404, _("There is no shop at this "
		    "address. Check the spelling of the address."));
	case TENANT_FOUND:
		break;
	default:
		w->tenant = NULL;
		return page_error(w, 503, NULL);
	}
	if (w->tenant->status != TENANT_READY)
		return shop_unavailable(w);
	if (tenant_read_only(w->tenant) && r->method != HTTP_GET &&
	    r->method != HTTP_HEAD)
		return shop_moving(w);
	shop_ctx_of(&w->shop, w->db, r->arena, w->tenant);
	w->shop.locale = w->lang;	/* the request's */
	w->tmpl = page_theme(w, w->tenant->theme);
	/* The gateway's, not a shopper's: no session, no CSRF. */
	if (str_eqc(r->path, WEBHOOK_STRIPE_PATH)) {
		w->kind = METRICS_KIND_WEBHOOK;
		r->route = WEBHOOK_STRIPE_PATH;
		return webhook_stripe(w);
	}
	/* The shop's API: a key per request, no session, no CSRF. */
	if (wc_api_is_path(r)) {
		w->kind = METRICS_KIND_API;
		return wc_api_dispatch(w);
	}
	if (str_eqc(r->path, "/admin") || str_starts(r->path,
	    STR("/admin/"))) {
		w->kind = METRICS_KIND_ADMIN;
		return admin_dispatch(w);
	}
	w->kind = store_kind(r->path);
	return store_dispatch(w);
}
