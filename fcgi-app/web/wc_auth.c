/* wc_auth.c: credentials, permission and rate limit of an API request
 * (wc_auth.h). */
#include "core/common.h"

#include <sodium.h>
#include <strings.h>
#include <time.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/oauth.h"
#include "core/ratelimit.h"
#include "platform/meter.h"
#include "platform/quota.h"
#include "web/json_api.h"
#include "web/wc_api.h"
#include "web/wc_auth.h"

/* WordPress's refusal of a request without credentials, by method. */
static int
cannot(struct web *w)
{
	switch (w->r->method) {
	case HTTP_POST:
		return json_api_error(w, 401, "woocommerce_rest_cannot_create",
		    _("Sorry, you are not allowed to create resources."));
	case HTTP_PUT:
	case HTTP_PATCH:
		return json_api_error(w, 401, "woocommerce_rest_cannot_edit",
		    _("Sorry, you are not allowed to edit this resource."));
	case HTTP_DELETE:
		return json_api_error(w, 401, "woocommerce_rest_cannot_delete",
		    _("Sorry, you are not allowed to delete this resource."));
	default:
		return json_api_error(w, 401, "woocommerce_rest_cannot_view",
		    _("Sorry, you cannot list resources."));
	}
}

static int
refuse(struct web *w, const char *msg)
{
	(void)json_api_error(w, 401, "woocommerce_rest_authentication_error",
	    msg);
	return -1;
}

static int
unavailable(struct web *w)
{
	resp_header(w->r, "Retry-After", "60");
	(void)json_api_error(w, 503, "souk_unavailable", _("The shop cannot "
	    "answer just now. Try again in a minute."));
	return -1;
}

/* The key of consumer key ck and its secret: 0, or -1 when answered. */
static int
find_key(struct web *w, struct str ck, struct api_key *key,
    char secret[API_KEY_LEN + 1])
{
	switch (api_key_find(&w->shop, ck, key, secret)) {
	case SHOP_OK:
		return 0;
	case SHOP_ENOTFOUND:
		return refuse(w, _("Consumer key is invalid."));
	default:
		return unavailable(w);
	}
}

/* Basic and query credentials: the key, then the secret compared in
 * constant time. */
static int
check_secret(struct web *w, struct str ck, struct str cs, struct api_key *key)
{
	char	secret[API_KEY_LEN + 1];
	int	ok;

	if (find_key(w, ck, key, secret) == -1)
		return -1;
	ok = cs.len == API_KEY_LEN && crypto_eq(cs.p, secret, API_KEY_LEN);
	sodium_memzero(secret, sizeof(secret));
	return ok ? 0 : refuse(w, _("Consumer secret is invalid."));
}

/* "Basic base64(ck:cs)": 1 with ck and cs (in the arena), 0 when the
 * header is not Basic, -1 when it is malformed. */
static int
basic(struct web *w, const char *h, struct str *ck, struct str *cs)
{
	size_t	 n = strlen(h), len;
	char	*d, *colon;

	if (n < 6 || strncasecmp(h, "Basic ", 6) != 0)
		return 0;
	h += 6, n -= 6;
	d = arena_alloc(w->r->arena, n + 1);
	if (n > 512 || sodium_base642bin((unsigned char *)d, n, h, n, NULL,
	    &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return -1;
	d[len] = '\0';
	if ((colon = memchr(d, ':', len)) == NULL)
		return -1;
	*ck = (struct str){ d, (size_t)(colon - d) };
	*cs = (struct str){ colon + 1, len - (size_t)(colon - d) - 1 };
	return 1;
}

/* The URL the client signed: wc_api_origin() and the path as sent,
 * without the query. */
static struct str
signed_url(struct web *w)
{
	const char	*uri = req_env(w->r, "REQUEST_URI");

	if (uri == NULL)
		uri = "/";
	return str_c(arena_printf(w->r->arena, "%s%.*s", wc_api_origin(w),
	    (int)strcspn(uri, "?"), uri));
}

static const struct str *
param(const struct oauth_param *p, size_t n, const char *name)
{
	size_t i;

	/* The last one, as PHP's $_GET keeps. */
	for (i = n; i-- > 0;)
		if (str_eqc(p[i].key, name))
			return &p[i].val;
	return NULL;
}

static int
oauth(struct web *w, const struct oauth_param *hp, int nh,
    struct api_key *key)
{
	static const char *const need[] = { "oauth_consumer_key",
	    "oauth_timestamp", "oauth_nonce", "oauth_signature",
	    "oauth_signature_method" };
	struct oauth_param	*p;
	const struct str	*v[NELEM(need)];
	struct strbuf		 base;
	char			 secret[API_KEY_LEN + 1], sig[OAUTH_SIG_LEN];
	char			*given;
	size_t			 n = 0, i;
	int64_t			 ts, now = (int64_t)time(NULL);
	int			 m, ok, rc;

	if (w->r->query.n + (size_t)nh > OAUTH_PARAMS_MAX)
		return refuse(w, _("Too many parameters to sign."));
	p = arena_alloc(w->r->arena, (w->r->query.n + (size_t)nh + 1) *
	    sizeof(*p));
	for (i = 0; i < w->r->query.n; i++)
		p[n++] = (struct oauth_param){ w->r->query.v[i].key,
		    w->r->query.v[i].val };
	for (i = 0; i < (size_t)nh; i++)
		p[n++] = hp[i];
	for (i = 0; i < NELEM(need); i++)
		if ((v[i] = param(p, n, need[i])) == NULL || v[i]->len == 0)
			return refuse(w, arena_printf(w->r->arena,
			    _("Missing OAuth parameter %s"), need[i]));
	if ((m = oauth_method_parse(*v[4])) < 0)
		return refuse(w, _("Invalid signature method."));
	if (find_key(w, *v[0], key, secret) == -1)
		return -1;
	strbuf_init(&base, 512);
	(void)oauth_base_string(&base, str_c(req_env(w->r, "REQUEST_METHOD")),
	    signed_url(w), p, n);
	oauth_sign(sig, (enum oauth_method)m, str_c(secret), strbuf_str(&base));
	strbuf_release(&base);
	sodium_memzero(secret, sizeof(secret));
	/* A '+' of the base64 came as a space when the query was decoded
	 * (WooCommerce turns it back the same way). */
	given = arena_strndup(w->r->arena, v[3]->p, v[3]->len);
	for (i = 0; given[i] != '\0'; i++)
		if (given[i] == ' ')
			given[i] = '+';
	ok = v[3]->len == strlen(sig) && crypto_eq(given, sig, strlen(sig));
	if (!ok)
		return refuse(w, _("Invalid signature - provided signature "
		    "does not match."));
	if (str_to_i64(*v[1], 0, INT64_MAX / 2, &ts) == -1 ||
	    ts < now - WC_AUTH_WINDOW || ts > now + WC_AUTH_WINDOW)
		return refuse(w, _("Invalid timestamp."));
	rc = api_key_nonce(&w->shop, key->id, *v[2], ts, now, WC_AUTH_WINDOW);
	if (rc == SHOP_ECONFLICT)
		return refuse(w, _("Invalid nonce - nonce has already been "
		    "used."));
	if (rc != SHOP_OK) {
		return unavailable(w);
	}
	return 0;
}

/* Which credentials the request carries, and their check. */
static int
authenticate(struct web *w, struct api_key *key)
{
	const char		*h = req_header(w->r, "Authorization");
	const struct str	*qk, *qs;
	struct oauth_param	*hp = NULL;
	struct str		 ck, cs;
	int			 nh = 0;

	if (h != NULL && *h != '\0') {
		switch (basic(w, h, &ck, &cs)) {
		case 1:
			return check_secret(w, ck, cs, key);
		case -1:
			return refuse(w, _("Consumer key is invalid."));
		}
		nh = oauth_header_parse(w->r->arena, str_c(h), &hp);
		if (nh == -1)
			return refuse(w, _("Invalid OAuth header."));
	}
	qk = req_query(w->r, "consumer_key");
	qs = req_query(w->r, "consumer_secret");
	if (nh == 0 && qk != NULL && qs != NULL)
		return check_secret(w, *qk, *qs, key);
	if (nh > 0 || req_query(w->r, "oauth_consumer_key") != NULL)
		return oauth(w, hp, nh, key);
	(void)cannot(w);
	return -1;
}

/* GET (HEAD, OPTIONS) needs read, the rest write. */
static int
permitted(struct web *w, const struct api_key *key)
{
	int reading = w->r->method == HTTP_GET || w->r->method == HTTP_HEAD ||
	    w->r->method == HTTP_OPTIONS;

	if (key->perm == API_KEY_READ_WRITE)
		return 0;
	if (reading && key->perm == API_KEY_READ)
		return 0;
	if (!reading && key->perm == API_KEY_WRITE)
		return 0;
	if (reading)
		return refuse(w, _("The API key provided does not have read "
		    "permissions."));
	(void)cannot(w);
	return -1;
}

static void
header_i64(struct web *w, const char *name, int64_t v)
{
	resp_header(w->r, name, arena_printf(w->r->arena, "%lld",
	    (long long)v));
}

static int
limited(struct web *w, const struct api_key *key)
{
	struct ratelimit	rl;
	int64_t			limit = config_int("api_rate_limit", 100, 1,
				    1000000000);
	int64_t			window = config_int("api_rate_window", 900, 1,
				    86400 * 31);
	uint64_t		id = (uint64_t)w->shop.tenant << 32 |
				    ((uint64_t)key->id & 0xffffffffu);

	int64_t			now = (int64_t)time(NULL);

	(void)ratelimit_take(id, limit, window, now, &rl);
	header_i64(w, "X-RateLimit-Limit", rl.limit);
	header_i64(w, "X-RateLimit-Remaining", rl.remaining);
	header_i64(w, "X-RateLimit-Reset", rl.reset);
	if (!rl.allowed) {
		header_i64(w, "Retry-After", rl.retry_after);
		(void)json_api_error(w, 429,
		    "woocommerce_rest_too_many_requests",
		    _("Too many requests. Please wait and try again."));
		return -1;
	}
	/* Then the shop's plan: all its keys together (quota.h). A key
	 * refused above took nothing from the shop's count. */
	if (quota_api_take(w->tenant, now, &rl)) {
		meter_add(w->shop.tenant, METER_API_REQUESTS, 1);
		return 0;
	}
	header_i64(w, "Retry-After", rl.retry_after);
	(void)json_api_error(w, 429, "souk_plan_limit", quota_message(w->db,
	    w->r->arena, w->shop.tenant, PLAN_API_15MIN));
	return -1;
}

int
wc_auth_present(struct web *w)
{
	const char *h = req_header(w->r, "Authorization");

	return (h != NULL && *h != '\0') ||
	    req_query(w->r, "consumer_key") != NULL ||
	    req_query(w->r, "oauth_consumer_key") != NULL;
}

int
wc_auth_anonymous(struct web *w)
{
	return cannot(w);
}

int
wc_auth_check(struct web *w, struct api_key *key)
{
	if (authenticate(w, key) == -1)
		return -1;
	if (limited(w, key) == -1)
		return -1;
	return permitted(w, key);
}
