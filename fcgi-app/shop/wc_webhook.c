/* wc_webhook.c: a shop's WooCommerce webhooks: saving, firing and
 * delivering them (see wc_webhook.h). */
#include "core/common.h"

#include <json.h>
#include <sodium.h>
#include <time.h>
#include "core/cache.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/strbuf.h"
#include "platform/fetch.h"
#include "shop/shop.h"
#include "shop/wc_json.h"
#include "shop/wc_product_json.h"
#include "shop/wc_webhook.h"

/* How long a worker trusts its cached topics of a shop when no change
 * bumped them (a change made outside the pool: soukctl, souk-worker). */
#define TOPICS_TTL_MS		(60 * 1000)
#define ANSWER_MAX		(64 * 1024)
#define DELIVERY_TIMEOUT_MS	15000

enum stmt {
	ST_LIST,
	ST_GET,
	ST_INSERT,
	ST_UPDATE,
	ST_STATUS,
	ST_DELETE,
	ST_COUNT,
	ST_TOPICS,
	ST_FIRE,
	ST_LOCK,
	ST_OUTCOME,
	ST__MAX
};

#define COLS "id, name, status, topic, delivery_url, api_version," \
	" failures, note, recent, created_at, updated_at"

static const struct shop_sql sql[ST__MAX] = {
	[ST_LIST] = { "wc_webhook.list",
	    "SELECT " COLS " FROM {p}wc_webhooks ORDER BY id DESC LIMIT 100" },
	[ST_GET] = { "wc_webhook.get",
	    "SELECT " COLS ", secret FROM {p}wc_webhooks WHERE id = ?" },
	[ST_INSERT] = { "wc_webhook.insert",
	    "INSERT INTO {p}wc_webhooks (name, status, topic, delivery_url,"
	    " secret) VALUES (?, ?, ?, ?, ?)" },
	/* secret NULL keeps the stored one. */
	[ST_UPDATE] = { "wc_webhook.update",
	    "UPDATE {p}wc_webhooks SET name = ?, status = ?, topic = ?,"
	    " delivery_url = ?, secret = COALESCE(?, secret),"
	    " failures = IF(? = 'active', 0, failures),"
	    " note = IF(? = 'active', '', note), updated_at = NOW()"
	    " WHERE id = ?" },
	[ST_STATUS] = { "wc_webhook.status",
	    "UPDATE {p}wc_webhooks SET status = ?,"
	    " failures = IF(? = 'active', 0, failures),"
	    " note = IF(? = 'active', '', note), updated_at = NOW()"
	    " WHERE id = ?" },
	[ST_DELETE] = { "wc_webhook.delete",
	    "DELETE FROM {p}wc_webhooks WHERE id = ?" },
	[ST_COUNT] = { "wc_webhook.count",
	    "SELECT COUNT(*) FROM {p}wc_webhooks" },
	[ST_TOPICS] = { "wc_webhook.topics",
	    "SELECT DISTINCT topic FROM {p}wc_webhooks"
	    " WHERE status = 'active' LIMIT 100" },
	/* jobs.h's row, one per active webhook of the topic: the columns
	 * jobs_enqueue() writes, due at once. */
	[ST_FIRE] = { "wc_webhook.fire",
	    "INSERT INTO souk_jobs (tenant_id, kind, payload, due_at)"
	    " SELECT ?, '" WC_WEBHOOK_JOB_KIND "',"
	    " CONCAT('{\"hook\": ', id, ', \"id\": ', ?, '}'), NOW(3)"
	    " FROM {p}wc_webhooks WHERE status = 'active' AND topic = ?" },
	[ST_LOCK] = { "wc_webhook.lock",
	    "SELECT status, failures, recent FROM {p}wc_webhooks"
	    " WHERE id = ? FOR UPDATE" },
	[ST_OUTCOME] = { "wc_webhook.outcome",
	    "UPDATE {p}wc_webhooks SET status = ?, failures = ?, note = ?,"
	    " recent = ? WHERE id = ?" },
};

static const char *const status_names[WC_WEBHOOK__MAX] = {
	[WC_WEBHOOK_ACTIVE] = "active",
	[WC_WEBHOOK_PAUSED] = "paused",
	[WC_WEBHOOK_DISABLED] = "disabled",
};

/* What souk fires (WooCommerce's order.deleted and order.restored have
 * no event here: souk never deletes an order; action.* neither). At
 * most 32: a shop's active ones are a bit mask. */
static const char *const topics[] = {
	"order.created", "order.updated",
	"customer.created", "customer.updated", "customer.deleted",
	"product.created", "product.updated", "product.deleted",
};
#define NTOPICS	(sizeof(topics) / sizeof(topics[0]))

const char *
wc_webhook_status_name(enum wc_webhook_status s)
{
	return s < WC_WEBHOOK__MAX ? status_names[s] : "disabled";
}

int
wc_webhook_status_parse(struct str s, enum wc_webhook_status *out)
{
	int i = str_index(s, status_names, WC_WEBHOOK__MAX);

	if (i < 0)
		return -1;
	*out = (enum wc_webhook_status)i;
	return 0;
}

const char *const *
wc_webhook_topics(size_t *n)
{
	*n = NTOPICS;
	return topics;
}

static int
topic_index(struct str t)
{
	return str_index(t, topics, NTOPICS);
}

/* --- the per-worker cache of active topics ---------------------------- */

static struct cache *topic_cache;

void
wc_webhook_cache_free(void)
{
	cache_free(topic_cache);
	topic_cache = NULL;
}

/* The shop's active topics as a mask, from the cache or the table. */
static int
active_mask(struct shop_ctx *ctx, uint32_t *mask)
{
	struct db_stmt	*st;
	uint32_t	*v, m = 0;
	void		*got;
	int		 rc, i;

	if (topic_cache == NULL)
		topic_cache = cache_new(256, free);
	if (cache_get(topic_cache, ctx->tenant, "wc_hooks", &got)) {
		*mask = *(uint32_t *)got;
		return SHOP_OK;
	}
	if ((st = shop_stmt(ctx, &sql[ST_TOPICS])) == NULL ||
	    shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1)
		if ((i = topic_index(db_col_str(st, 0))) >= 0)
			m |= 1u << i;
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	v = xmalloc(sizeof(*v));
	*v = m;
	cache_put(topic_cache, ctx->tenant, "wc_hooks", ctx->tenant, v,
	    TOPICS_TTL_MS);
	*mask = m;
	return SHOP_OK;
}

/* Every worker reads the shop's topics again (and the shop's other
 * cached entries: webhooks change seldom). */
static void
changed(struct shop_ctx *ctx)
{
	cache_bump(ctx->tenant);
}

int
wc_webhook_fire(struct shop_ctx *ctx, const char *topic, int64_t id)
{
	struct db_stmt	*st;
	uint32_t	 mask;
	int		 i, rc;

	if ((i = topic_index(str_c(topic))) < 0)
		return SHOP_OK;
	if (active_mask(ctx, &mask) != SHOP_OK)
		return SHOP_EDB;
	if (!(mask & (1u << i)))
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[ST_FIRE])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, ctx->tenant);
	db_bind_i64(st, 1, id);
	db_bind_cstr(st, 2, topic);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc == SHOP_OK ? SHOP_OK : SHOP_EDB;
}

/* --- reading and writing -------------------------------------------- */

static void
row(struct db_stmt *st, struct wc_webhook *w)
{
	memset(w, 0, sizeof(*w));
	w->id = db_col_i64(st, 0);
	w->name = db_col_str(st, 1);
	if (wc_webhook_status_parse(db_col_str(st, 2), &w->status) == -1)
		w->status = WC_WEBHOOK_DISABLED;
	w->topic = db_col_str(st, 3);
	w->delivery_url = db_col_str(st, 4);
	w->api_version = db_col_str(st, 5);
	w->failures = db_col_i64(st, 6);
	w->note = db_col_str(st, 7);
	w->recent = db_col_str(st, 8);
	w->created_at = db_col_str(st, 9);
	w->updated_at = db_col_str(st, 10);
}

int
wc_webhook_list(struct shop_ctx *ctx, struct wc_webhook **out, size_t *n)
{
	struct db_stmt		*st;
	struct wc_webhook	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((st = shop_stmt(ctx, &sql[ST_LIST])) == NULL ||
	    shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		v = shop_grow(ctx->a, v, sizeof(*v), *n, &cap);
		row(st, &v[(*n)++]);
	}
	db_done(st);
	*out = v;
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* The webhook and its sealed secret. */
static int
get(struct shop_ctx *ctx, int64_t id, struct wc_webhook *out,
    struct str *sealed)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = shop_stmt(ctx, &sql[ST_GET])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1) {
		row(st, out);
		if (sealed != NULL)
			*sealed = db_col_str(st, 11);
	}
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
wc_webhook_get(struct shop_ctx *ctx, int64_t id, struct wc_webhook *out)
{
	return get(ctx, id, out, NULL);
}

static void
validate(const struct wc_webhook_in *in, struct field_errors *errs)
{
	char		 err[256], *url;
	struct str	 u = in->delivery_url;
	enum fetch_err	 e;

	if (!str_valid_text(in->name) ||
	    str_chars(in->name) > WC_WEBHOOK_NAME_MAX)
		field_errors_add(errs, "name", N_("Enter a name of at most "
		    "200 characters."));
	if (topic_index(in->topic) < 0)
		field_errors_add(errs, "topic", N_("Choose a topic from the "
		    "list."));
	if (in->status >= WC_WEBHOOK__MAX)
		field_errors_add(errs, "status", N_("Choose a status from "
		    "the list."));
	if (in->secret.len > WC_WEBHOOK_SECRET_MAX ||
	    !str_valid_text(in->secret))
		field_errors_add(errs, "secret", N_("Enter a secret of at "
		    "most 200 characters, or leave it empty."));
	if (u.len == 0 || u.len > WC_WEBHOOK_URL_MAX || !str_is_ascii(u)) {
		field_errors_add(errs, "delivery_url", N_("Enter the URL "
		    "deliveries are sent to: http:// or https://, at most "
		    "1000 characters."));
		return;
	}
	url = xstrndup(u.p, u.len);
	e = fetch_target_check(url, NULL, err, sizeof(err));
	free(url);
	switch (e) {
	case FETCH_OK:
		break;
	case FETCH_EADDR:
		log_info("webhook target refused: %s", err);
		field_errors_add(errs, "delivery_url", N_("This URL leads to "
		    "a local or private address: deliveries only go to "
		    "public servers."));
		break;
	case FETCH_ENET:
		log_info("webhook target not resolved: %s", err);
		field_errors_add(errs, "delivery_url", N_("This URL's server "
		    "name cannot be found. Check it for typing errors."));
		break;
	default:
		field_errors_add(errs, "delivery_url", N_("Enter the URL "
		    "deliveries are sent to: http:// or https://, at most "
		    "1000 characters."));
		break;
	}
}

int
wc_webhook_check(const struct wc_webhook_in *in, struct field_errors *errs)
{
	size_t before = errs->n;

	validate(in, errs);
	return (int)(errs->n - before);
}

static int
count(struct shop_ctx *ctx, int64_t *n)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = shop_stmt(ctx, &sql[ST_COUNT])) == NULL ||
	    shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1)
		*n = db_col_i64(st, 0);
	db_done(st);
	return rc == 1 ? SHOP_OK : SHOP_EDB;
}

int
wc_webhook_save(struct shop_ctx *ctx, const struct wc_webhook_in *in,
    int64_t *id, struct field_errors *errs)
{
	struct db_stmt	*st;
	struct str	 secret = in->secret;
	char		 err[256], gen[33], *sealed = NULL;
	const char	*status = wc_webhook_status_name(in->status);
	size_t		 before = errs->n;
	int64_t		 n = 0;
	int		 rc;

	validate(in, errs);
	if (errs->n > before)
		return SHOP_EINVAL;
	if (*id == 0) {
		if (count(ctx, &n) != SHOP_OK)
			return SHOP_EDB;
		if (n >= WC_WEBHOOK_MAX) {
			field_errors_add(errs, "name", N_("A shop has at most "
			    "100 webhooks: delete one first."));
			return SHOP_EINVAL;
		}
		if (secret.len == 0) {
			/* WooCommerce makes one too when none is given. */
			crypto_random_hex(gen, 16);
			secret = str_c(gen);
		}
	}
	if (secret.len > 0 && (sealed = secret_seal(ctx->a, secret, err,
	    sizeof(err))) == NULL) {
		log_err("cannot seal a webhook secret: %s", err);
		field_errors_add(errs, "secret", N_("This server cannot store "
		    "secrets yet: its secret key is missing. Ask the "
		    "platform's operator to create one."));
		return SHOP_EINVAL;
	}
	if ((st = shop_stmt(ctx, &sql[*id == 0 ? ST_INSERT : ST_UPDATE])) ==
	    NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, in->name);
	db_bind_cstr(st, 1, status);
	db_bind_str(st, 2, in->topic);
	db_bind_str(st, 3, in->delivery_url);
	if (sealed != NULL)
		db_bind_cstr(st, 4, sealed);
	else
		db_bind_null(st, 4);
	if (*id != 0) {
		db_bind_cstr(st, 5, status);
		db_bind_cstr(st, 6, status);
		db_bind_i64(st, 7, *id);
	}
	rc = shop_exec(ctx, st);
	if (rc == SHOP_OK && *id == 0)
		*id = (int64_t)db_insert_id(st);
	else if (rc == SHOP_OK && db_affected(st) == 0 &&
	    shop_row_exists(ctx, &sql[ST_GET], *id) == 0)
		rc = SHOP_ENOTFOUND;
	db_done(st);
	if (rc == SHOP_OK)
		changed(ctx);
	return rc == SHOP_OK || rc == SHOP_ENOTFOUND ? rc : SHOP_EDB;
}

int
wc_webhook_set_status(struct shop_ctx *ctx, int64_t id,
    enum wc_webhook_status s)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_STATUS]);
	const char	*name = wc_webhook_status_name(s);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, name);
	db_bind_cstr(st, 1, name);
	db_bind_cstr(st, 2, name);
	db_bind_i64(st, 3, id);
	rc = shop_exec(ctx, st);
	db_done(st);
	if (rc != SHOP_OK)
		return SHOP_EDB;
	changed(ctx);
	/* UPDATE counts changed rows only: look for it. */
	rc = shop_row_exists(ctx, &sql[ST_GET], id);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
wc_webhook_delete(struct shop_ctx *ctx, int64_t id)
{
	int rc = shop_change_by_id(ctx, &sql[ST_DELETE], id);

	if (rc == SHOP_OK)
		changed(ctx);
	return rc;
}

/* --- delivery ------------------------------------------------------- */

void
wc_webhook_sign(struct str body, struct str secret, char out[45])
{
	unsigned char			mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state	st;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret.p,
	    secret.len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body.p,
	    body.len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, 45, mac, sizeof(mac),
	    sodium_base64_VARIANT_ORIGINAL);
}

/* The body of a delivery: the resource's JSON now, or {"id": N} for one
 * that is gone (a deleted customer or product). A product's links
 * start with the shop's URL, source_url without its last '/'. */
static int
body_of(struct shop_ctx *ctx, const char *source_url, struct str topic,
    int64_t id, struct strbuf *out)
{
	json_object	*j = NULL;
	int		 rc = SHOP_ENOTFOUND;

	if (str_eq(topic, STR("order.created")) ||
	    str_eq(topic, STR("order.updated")))
		rc = wc_json_order_load(ctx, id, &j);
	else if (str_eq(topic, STR("customer.created")) ||
	    str_eq(topic, STR("customer.updated")))
		rc = wc_json_customer_load(ctx, id, &j);
	else if (str_eq(topic, STR("product.created")) ||
	    str_eq(topic, STR("product.updated"))) {
		size_t n = strlen(source_url);

		while (n > 0 && source_url[n - 1] == '/')
			n--;
		rc = wc_product_json_load(ctx, arena_strndup(ctx->a,
		    source_url, n), id, &j);
	}
	if (rc == SHOP_EDB)
		return SHOP_EDB;
	if (j == NULL) {
		j = json_object_new_object();
		json_object_object_add(j, "id", json_object_new_int64(id));
	}
	strbuf_addstr(out, json_object_to_json_string_ext(j,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
	return SHOP_OK;
}

struct outcome {
	int64_t		 hook;
	long		 status;	/* HTTP; 0: none */
	int64_t		 ms;
	int		 ok;
	const char	*error;		/* English; "" when ok */
	int		 disabled;	/* out: this failure disabled it */
};

/* The outcome first, then the older ones, WC_WEBHOOK_RECENT at most. */
static const char *
recent_with(struct shop_ctx *ctx, const struct outcome *oc, struct str old)
{
	json_object	*arr = json_object_new_array(), *prev, *e;
	char		 at[32];
	time_t		 now = time(NULL);
	struct tm	 tm;
	const char	*s;
	size_t		 i, n;

	gmtime_r(&now, &tm);
	if (strftime(at, sizeof(at), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		at[0] = '\0';
	e = json_object_new_object();
	json_object_object_add(e, "at", json_object_new_string(at));
	json_object_object_add(e, "status", json_object_new_int64(
	    oc->status));
	json_object_object_add(e, "ms", json_object_new_int64(oc->ms));
	json_object_object_add(e, "error", json_object_new_string(
	    oc->error));
	json_object_array_add(arr, e);
	prev = old.len > 0 && old.len < 100000 ?
	    json_tokener_parse(arena_strndup(ctx->a, old.p, old.len)) : NULL;
	n = prev != NULL && json_object_is_type(prev, json_type_array) ?
	    json_object_array_length(prev) : 0;
	for (i = 0; i < n && i + 1 < WC_WEBHOOK_RECENT; i++)
		json_object_array_add(arr, json_object_get(
		    json_object_array_get_idx(prev, i)));
	json_object_put(prev);
	s = arena_strdup(ctx->a, json_object_to_json_string_ext(arr,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(arr);
	return s;
}

/* Records oc in the webhook's row: its failures in a row, and the
 * webhook disabled at WC_WEBHOOK_MAX_FAILURES. */
static int
outcome_tx(struct shop_ctx *ctx, void *arg)
{
	struct outcome	*oc = arg;
	struct db_stmt	*st;
	struct str	 status, recent;
	int64_t		 failures;
	char		 note[200] = "";
	int		 rc;

	oc->disabled = 0;
	if ((st = shop_stmt(ctx, &sql[ST_LOCK])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, oc->hook);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1) {
		status = db_col_str(st, 0);
		failures = db_col_i64(st, 1);
		recent = db_col_str(st, 2);
	}
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	failures = oc->ok ? 0 : failures + 1;
	if (!oc->ok && failures >= WC_WEBHOOK_MAX_FAILURES &&
	    str_eq(status, STR("active"))) {
		status = STR("disabled");
		oc->disabled = 1;
		str_errf(note, sizeof(note), "Disabled after %d failed "
		    "deliveries in a row; the last: %s",
		    WC_WEBHOOK_MAX_FAILURES, oc->error);
	}
	if ((st = shop_stmt(ctx, &sql[ST_OUTCOME])) == NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, status);
	db_bind_i64(st, 1, failures);
	db_bind_cstr(st, 2, note);
	db_bind_cstr(st, 3, recent_with(ctx, oc, recent));
	db_bind_i64(st, 4, oc->hook);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc == SHOP_OK ? SHOP_OK : SHOP_EDB;
}

/* The job's payload: {"hook": N, "id": M}. */
static int
payload_ids(struct str payload, int64_t *hook, int64_t *id)
{
	json_object	*o, *v;
	char		 buf[128];
	int		 ok = 0;

	if (payload.len == 0 || payload.len >= sizeof(buf))
		return -1;
	memcpy(buf, payload.p, payload.len);
	buf[payload.len] = '\0';
	if ((o = json_tokener_parse(buf)) == NULL)
		return -1;
	if (json_object_object_get_ex(o, "hook", &v) &&
	    (*hook = json_object_get_int64(v)) > 0 &&
	    json_object_object_get_ex(o, "id", &v) &&
	    (*id = json_object_get_int64(v)) > 0)
		ok = 1;
	json_object_put(o);
	return ok ? 0 : -1;
}

/* "X-Name: value" in ctx->a. */
static const char *
header(struct shop_ctx *ctx, const char *name, const char *v)
{
	return arena_printf(ctx->a, "%s: %s", name, v);
}

int
wc_webhook_deliver(struct shop_ctx *ctx, const char *source_url,
    int64_t job_id, struct str payload, char *err, size_t errlen)
{
	struct wc_webhook	 w;
	struct fetch_limits	 lim;
	struct strbuf		 body = STRBUF_INIT, answer = STRBUF_INIT;
	struct str		 sealed, secret, event;
	struct outcome		 oc;
	const char		*hdr[12], *url, *dot;
	char			 sig[45], ferr[256];
	int64_t			 hook, id, t0;
	enum fetch_err		 e;
	int			 rc, n = 0, result = -1;

	if (payload_ids(payload, &hook, &id) == -1) {
		str_errf(err, errlen, "malformed payload");
		return -1;
	}
	if ((rc = get(ctx, hook, &w, &sealed)) != SHOP_OK) {
		str_errf(err, errlen, rc == SHOP_ENOTFOUND ? "webhook %lld "
		    "was deleted" : "cannot read webhook %lld",
		    (long long)hook);
		return rc == SHOP_ENOTFOUND ? -1 : 0;
	}
	if (w.status != WC_WEBHOOK_ACTIVE) {
		str_errf(err, errlen, "webhook %lld is %s", (long long)hook,
		    wc_webhook_status_name(w.status));
		return -1;
	}
	if (secret_open(ctx->a, sealed, &secret, ferr, sizeof(ferr)) == -1) {
		str_errf(err, errlen, "cannot open webhook %lld's secret: %s",
		    (long long)hook, ferr);
		return 0;
	}
	if (body_of(ctx, source_url, w.topic, id, &body) != SHOP_OK) {
		str_errf(err, errlen, "cannot read %.*s %lld",
		    (int)w.topic.len, w.topic.p, (long long)id);
		result = 0;
		goto out;
	}
	wc_webhook_sign((struct str){ body.buf, body.len }, secret, sig);
	dot = memchr(w.topic.p, '.', w.topic.len);
	event = dot == NULL ? STR("") : (struct str){ dot + 1,
	    (size_t)(w.topic.p + w.topic.len - dot - 1) };
	hdr[n++] = "Content-Type: application/json";
	/* WooCommerce's is "WooCommerce/9.0 Hookshot (WordPress/6.5)":
	 * receivers that look for "Hookshot" find it. */
	hdr[n++] = header(ctx, "User-Agent", "Souk/1 Hookshot "
	    "(WooCommerce-compatible)");
	hdr[n++] = header(ctx, "X-WC-Webhook-Source", source_url);
	hdr[n++] = header(ctx, "X-WC-Webhook-Topic", arena_strndup(ctx->a,
	    w.topic.p, w.topic.len));
	hdr[n++] = header(ctx, "X-WC-Webhook-Resource", arena_strndup(ctx->a,
	    w.topic.p, dot == NULL ? w.topic.len : (size_t)(dot -
	    w.topic.p)));
	hdr[n++] = header(ctx, "X-WC-Webhook-Event", arena_strndup(ctx->a,
	    event.p, event.len));
	hdr[n++] = header(ctx, "X-WC-Webhook-Signature", sig);
	hdr[n++] = arena_printf(ctx->a, "X-WC-Webhook-ID: %lld",
	    (long long)hook);
	/* The job's id: the same for every attempt of one delivery, so a
	 * receiver can tell a retry from a new event. */
	hdr[n++] = arena_printf(ctx->a, "X-WC-Webhook-Delivery-ID: %lld",
	    (long long)job_id);
	hdr[n] = NULL;
	fetch_limits_default(&lim);
	lim.max_bytes = ANSWER_MAX;
	lim.timeout_ms = DELIVERY_TIMEOUT_MS;
	url = arena_strndup(ctx->a, w.delivery_url.p, w.delivery_url.len);
	memset(&oc, 0, sizeof(oc));
	oc.hook = hook;
	t0 = clock_ms();
	e = fetch_post(url, &lim, hdr, (struct str){ body.buf, body.len },
	    &oc.status, &answer, ferr, sizeof(ferr));
	oc.ms = clock_ms() - t0;
	/* A 2xx whose answer was too long still arrived. */
	oc.ok = e == FETCH_OK || (e == FETCH_ETOOBIG && oc.status >= 200 &&
	    oc.status <= 299);
	oc.error = oc.ok ? "" : ferr;
	if ((rc = shop_tx(ctx, outcome_tx, &oc)) != SHOP_OK) {
		str_errf(err, errlen, "cannot record the delivery of webhook "
		    "%lld", (long long)hook);
		/* Delivered: not again. Failed: the count is lost once. */
		result = oc.ok ? 1 : rc == SHOP_ENOTFOUND ? -1 : 0;
		goto out;
	}
	if (oc.ok)
		result = 1;
	else {
		str_errf(err, errlen, "webhook %lld to %s: %s%s",
		    (long long)hook, url, ferr, oc.disabled ?
		    " (now disabled)" : "");
		result = oc.disabled ? -1 : 0;
	}
out:
	strbuf_release(&body);
	strbuf_release(&answer);
	return result;
}
