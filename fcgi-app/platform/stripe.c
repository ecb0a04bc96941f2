/* stripe.c: the Stripe API client and webhook verifier (see stripe.h). */
#include "core/common.h"

#include <ctype.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/strbuf.h"
#include "platform/stripe.h"

static int	curl_inited;

void
stripe_init(struct stripe *s, struct arena *a, const char *key)
{
	memset(s, 0, sizeof(*s));
	s->a = a;
	s->key = arena_strdup(a, key ? key : "");
}

const char *
stripe_strerror(enum stripe_err e)
{
	switch (e) {
	case STRIPE_OK:		return "ok";
	case STRIPE_ECONFIG:	return "not configured";
	case STRIPE_ENET:	return "cannot reach Stripe";
	case STRIPE_EAUTH:	return "key refused";
	case STRIPE_EINVAL:	return "request refused";
	case STRIPE_ERATE:	return "too many requests";
	case STRIPE_ESERVER:	return "Stripe server error";
	case STRIPE_EREPLY:	return "unexpected answer";
	case STRIPE_ESIG:	return "bad signature";
	}
	return "?";
}

int
stripe_key_mode(const char *key)
{
	if (key == NULL)
		return -1;
	if (strncmp(key, "sk_test_", 8) == 0 ||
	    strncmp(key, "rk_test_", 8) == 0)
		return 1;
	if (strncmp(key, "sk_live_", 8) == 0 ||
	    strncmp(key, "rk_live_", 8) == 0)
		return 0;
	return -1;
}

/* --- the form body ----------------------------------------------------- */

static void
form_escape(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~')
			strbuf_addch(sb, *p);
		else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
}

void
stripe_form_add(struct strbuf *sb, const char *key, const char *value)
{
	if (sb->len > 0)
		strbuf_addch(sb, '&');
	form_escape(sb, key);
	strbuf_addch(sb, '=');
	form_escape(sb, value ? value : "");
}

static void
form_addf(struct strbuf *sb, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A key made with printf ("line_items[3][quantity]"). */
static void
form_addf(struct strbuf *sb, const char *value, const char *fmt, ...)
{
	char	key[128];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(key))
		return;		/* our own keys are short: never */
	stripe_form_add(sb, key, value);
}

static void
form_add_i64(struct strbuf *sb, const char *key, int64_t v)
{
	char	num[24];
	int	n = snprintf(num, sizeof(num), "%lld", (long long)v);

	if (n > 0 && (size_t)n < sizeof(num))
		stripe_form_add(sb, key, num);
}

/* --- the call ---------------------------------------------------------- */

int
stripe_url_ok(const char *url, char *err, size_t errlen)
{
	static const char local[] = "http://127.0.0.1";
	size_t n = sizeof(local) - 1;

	if (url == NULL || url[0] == '\0') {
		str_errf(err, errlen, "stripe_api_url is empty");
		return -1;
	}
	if (strncmp(url, "https://", 8) == 0 && url[8] != '\0')
		return 0;
	/* Plain http only to this machine: the tests' stand-in. */
	if (strncmp(url, local, n) == 0 &&
	    (url[n] == '\0' || url[n] == ':' || url[n] == '/'))
		return 0;
	str_errf(err, errlen, "stripe_api_url '%s' is neither https:// nor "
	    "http://127.0.0.1", url);
	return -1;
}

struct sink {
	struct strbuf	*body;
	int		 too_big;
};

static size_t
sink(char *p, size_t size, size_t n, void *arg)
{
	struct sink *k = arg;

	if (k->body->len + size * n > STRIPE_MAX_REPLY) {
		k->too_big = 1;
		return 0;
	}
	strbuf_add(k->body, p, size * n);
	return size * n;
}

static void
json_release(void *o)
{
	json_object_put(o);
}

/* A JSON document in the arena's care, or NULL. */
static json_object *
json_parse(struct arena *a, const char *p, size_t len)
{
	json_tokener	*tok;
	json_object	*o;

	if (len > INT32_MAX || (tok = json_tokener_new()) == NULL)
		return NULL;
	o = json_tokener_parse_ex(tok, p, (int)len);
	if (o != NULL && (json_tokener_get_error(tok) != json_tokener_success
	    || json_tokener_get_parse_end(tok) != len)) {
		/* Trailing bytes after the object: not one document. */
		size_t i;

		for (i = json_tokener_get_parse_end(tok); i < len; i++)
			if (!isspace((unsigned char)p[i]))
				break;
		if (i < len) {
			json_object_put(o);
			o = NULL;
		}
	}
	json_tokener_free(tok);
	if (o != NULL)
		arena_cleanup_add(a, json_release, o);
	return o;
}

static json_object *
jget(json_object *o, const char *k)
{
	json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, k, &v))
		return NULL;
	return v;
}

/* The string at o.k, in a; "" when absent or not a string. */
static const char *
jstr(struct arena *a, json_object *o, const char *k)
{
	json_object *v = jget(o, k);

	if (v == NULL || !json_object_is_type(v, json_type_string))
		return "";
	return arena_strndup(a, json_object_get_string(v),
	    (size_t)json_object_get_string_len(v));
}

static int64_t
jint(json_object *o, const char *k, int64_t def)
{
	json_object *v = jget(o, k);

	if (v == NULL || !json_object_is_type(v, json_type_int))
		return def;
	return json_object_get_int64(v);
}

static const char *
upper(struct arena *a, const char *s)
{
	char	*u = arena_strdup(a, s);
	size_t	 i;

	for (i = 0; u[i] != '\0'; i++)
		u[i] = (char)toupper((unsigned char)u[i]);
	return u;
}

/* Stripe's {"error": {...}} into s->err, s->err_code, s->err_param. */
static void
error_of(struct stripe *s, json_object *root)
{
	json_object	*e = jget(root, "error");
	const char	*msg = jstr(s->a, e, "message");

	str_copy(s->err_code, sizeof(s->err_code),
	    str_c(jstr(s->a, e, "code")));
	str_copy(s->err_param, sizeof(s->err_param),
	    str_c(jstr(s->a, e, "param")));
	if (msg[0] != '\0')
		str_errf(s->err, sizeof(s->err), "%s", msg);
	else
		str_errf(s->err, sizeof(s->err), "HTTP status %ld",
		    s->status);
}

/*
 * One request: method "GET" or "POST" to path (query included), the
 * form body for a POST, under idem. *out is the answer's JSON object
 * (in s->a) on STRIPE_OK.
 */
static enum stripe_err
call(struct stripe *s, const char *method, const char *path,
    const struct strbuf *form, const char *idem, json_object **out)
{
	const char		*base = s->api_url;
	struct curl_slist	*h = NULL;
	struct strbuf		 body, line;
	struct sink		 k;
	char			 ebuf[CURL_ERROR_SIZE] = "";
	json_object		*root;
	enum stripe_err		 e;
	CURL			*c;
	CURLcode		 rc;

	*out = NULL;
	s->status = 0;
	s->err[0] = s->err_code[0] = s->err_param[0] = '\0';
	if (base == NULL)
		base = config_get("stripe_api_url", STRIPE_DEFAULT_URL);
	if (stripe_url_ok(base, s->err, sizeof(s->err)) == -1)
		return STRIPE_ECONFIG;
	if (s->key[0] == '\0' || strpbrk(s->key, "\r\n") != NULL) {
		str_errf(s->err, sizeof(s->err), "no secret key");
		return STRIPE_ECONFIG;
	}
	/* Both go into a header line. */
	if (idem != NULL && (idem[0] == '\0' || strlen(idem) > 255 ||
	    strpbrk(idem, "\r\n") != NULL)) {
		str_errf(s->err, sizeof(s->err), "bad idempotency key");
		return STRIPE_EINVAL;
	}
	if (!curl_inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			str_errf(s->err, sizeof(s->err),
			    "cannot initialise libcurl");
			return STRIPE_ENET;
		}
		curl_inited = 1;
	}
	if ((c = curl_easy_init()) == NULL) {
		str_errf(s->err, sizeof(s->err), "cannot initialise libcurl");
		return STRIPE_ENET;
	}
	strbuf_init(&body, 4096);
	strbuf_init(&line, 128);
	k.body = &body;
	k.too_big = 0;
	/* base may end in '/': one slash between them. */
	strbuf_addf(&line, "%s%s", base, base[strlen(base) - 1] == '/' &&
	    path[0] == '/' ? path + 1 : path);
	curl_easy_setopt(c, CURLOPT_URL, line.buf);
	strbuf_reset(&line);
	strbuf_addf(&line, "Authorization: Bearer %s", s->key);
	h = curl_slist_append(h, line.buf);
	h = curl_slist_append(h, "Stripe-Version: " STRIPE_API_VERSION);
	if (idem != NULL) {
		strbuf_reset(&line);
		strbuf_addf(&line, "Idempotency-Key: %s", idem);
		h = curl_slist_append(h, line.buf);
	}
	/* curl adds "Expect: 100-continue" to large POSTs: a round trip
	 * for nothing. */
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)STRIPE_CONNECT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)STRIPE_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "souk/1");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &k);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS,
		    form != NULL ? form->buf : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
		    (long)(form != NULL ? form->len : 0));
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &s->status);
	if (k.too_big) {
		str_errf(s->err, sizeof(s->err), "answer larger than %d "
		    "bytes", STRIPE_MAX_REPLY);
		e = STRIPE_EREPLY;
		goto done;
	}
	if (rc != CURLE_OK) {
		str_errf(s->err, sizeof(s->err), "%s %s: %s", method, path,
		    ebuf[0] ? ebuf : curl_easy_strerror(rc));
		e = STRIPE_ENET;
		goto done;
	}
	root = json_parse(s->a, body.buf, body.len);
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		str_errf(s->err, sizeof(s->err), "%s %s: HTTP %ld, not a JSON "
		    "object", method, path, s->status);
		e = s->status >= 500 ? STRIPE_ESERVER : STRIPE_EREPLY;
		goto done;
	}
	if (s->status >= 200 && s->status <= 299) {
		*out = root;
		e = STRIPE_OK;
		goto done;
	}
	error_of(s, root);
	if (s->status == 401 || s->status == 403)
		e = STRIPE_EAUTH;
	else if (s->status == 429)
		e = STRIPE_ERATE;
	else if (s->status >= 500)
		e = STRIPE_ESERVER;
	else
		e = STRIPE_EINVAL;
done:
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	strbuf_release(&body);
	strbuf_release(&line);
	return e;
}

/* --- Checkout Sessions ------------------------------------------------- */

int
stripe_items(struct arena *a, const struct stripe_line *lines, size_t n,
    int64_t total, struct stripe_item **out, char *err, size_t errlen)
{
	struct stripe_item	*v;
	int64_t			 sum = 0;
	size_t			 i, k = 0;

	*out = NULL;
	v = arena_calloc(a, n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		const struct stripe_line *l = &lines[i];

		if (l->qty < 1 || l->amount < 0 ||
		    l->amount > INT64_MAX / 2 - sum) {
			str_errf(err, errlen, "line %zu: quantity %lld, "
			    "amount %lld", i, (long long)l->qty,
			    (long long)l->amount);
			return -1;
		}
		sum += l->amount;
		if (l->amount == 0 && l->qty == 1)
			continue;
		if (k == STRIPE_MAX_ITEMS) {
			str_errf(err, errlen, "more than %d line items",
			    STRIPE_MAX_ITEMS);
			return -1;
		}
		if (l->amount % l->qty == 0) {
			v[k].name = arena_strdup(a, l->name ? l->name : "");
			v[k].unit_amount = l->amount / l->qty;
			v[k].quantity = l->qty;
		} else {
			/* U+00D7 MULTIPLICATION SIGN */
			v[k].name = arena_printf(a, "%s \xc3\x97 %lld",
			    l->name ? l->name : "", (long long)l->qty);
			v[k].unit_amount = l->amount;
			v[k].quantity = 1;
		}
		k++;
	}
	if (sum != total) {
		str_errf(err, errlen, "line items sum to %lld, not the "
		    "total %lld", (long long)sum, (long long)total);
		return -1;
	}
	*out = v;
	return (int)k;
}

/* The fee of an expanded payment_intent.latest_charge.balance_transaction,
 * or -1. */
static int64_t
fee_of(json_object *pi)
{
	json_object *bt = jget(jget(pi, "latest_charge"),
	    "balance_transaction");

	return jint(bt, "fee", -1);
}

static void
session_of(struct arena *a, json_object *o, struct stripe_session *out)
{
	json_object *pi = jget(o, "payment_intent"), *md = jget(o, "metadata");

	out->id = jstr(a, o, "id");
	out->url = jstr(a, o, "url");
	out->status = jstr(a, o, "status");
	out->payment_status = jstr(a, o, "payment_status");
	out->currency = upper(a, jstr(a, o, "currency"));
	out->client_reference_id = jstr(a, o, "client_reference_id");
	out->order_id = jstr(a, md, "order_id");
	out->shop = jstr(a, md, "shop");
	out->amount_total = jint(o, "amount_total", 0);
	out->fee = -1;
	if (pi != NULL && json_object_is_type(pi, json_type_object)) {
		out->payment_intent = jstr(a, pi, "id");
		out->fee = fee_of(pi);
	} else
		out->payment_intent = jstr(a, o, "payment_intent");
}

static enum stripe_err
session_answer(struct stripe *s, enum stripe_err e, json_object *o,
    struct stripe_session *out)
{
	memset(out, 0, sizeof(*out));
	if (e != STRIPE_OK)
		return e;
	session_of(s->a, o, out);
	if (out->id[0] == '\0') {
		str_errf(s->err, sizeof(s->err), "session without an id");
		return STRIPE_EREPLY;
	}
	return STRIPE_OK;
}

static char *
lower(struct arena *a, const char *s)
{
	char	*l = arena_strdup(a, s ? s : "");
	size_t	 i;

	for (i = 0; l[i] != '\0'; i++)
		l[i] = (char)tolower((unsigned char)l[i]);
	return l;
}

enum stripe_err
stripe_session_create(struct stripe *s, const struct stripe_session_new *in,
    struct stripe_session *out)
{
	struct strbuf	 f;
	json_object	*o;
	enum stripe_err	 e;
	const char	*cur;
	size_t		 i;

	memset(out, 0, sizeof(*out));
	if (in->idempotency_key == NULL || in->nitems == 0 ||
	    in->nitems > STRIPE_MAX_ITEMS || in->currency == NULL) {
		str_errf(s->err, sizeof(s->err), "session without an "
		    "idempotency key, items or currency");
		return STRIPE_EINVAL;
	}
	cur = lower(s->a, in->currency);
	strbuf_init(&f, 1024);
	stripe_form_add(&f, "mode", "payment");
	for (i = 0; i < in->nitems; i++) {
		const struct stripe_item *it = &in->items[i];
		char q[24], u[24];
		int nq, nu;

		nq = snprintf(q, sizeof(q), "%lld", (long long)it->quantity);
		nu = snprintf(u, sizeof(u), "%lld",
		    (long long)it->unit_amount);
		if (nq < 0 || (size_t)nq >= sizeof(q) || nu < 0 ||
		    (size_t)nu >= sizeof(u))
			continue;	/* 20 digits always fit */
		form_addf(&f, cur, "line_items[%zu][price_data][currency]", i);
		form_addf(&f, u, "line_items[%zu][price_data][unit_amount]",
		    i);
		form_addf(&f, it->name,
		    "line_items[%zu][price_data][product_data][name]", i);
		form_addf(&f, q, "line_items[%zu][quantity]", i);
	}
	stripe_form_add(&f, "success_url", in->success_url);
	stripe_form_add(&f, "cancel_url", in->cancel_url);
	if (in->client_reference_id != NULL)
		stripe_form_add(&f, "client_reference_id",
		    in->client_reference_id);
	if (in->order_id != NULL)
		stripe_form_add(&f, "metadata[order_id]", in->order_id);
	if (in->shop != NULL)
		stripe_form_add(&f, "metadata[shop]", in->shop);
	if (in->customer_email != NULL && in->customer_email[0] != '\0')
		stripe_form_add(&f, "customer_email", in->customer_email);
	if (in->expires_at > 0)
		form_add_i64(&f, "expires_at", in->expires_at);
	stripe_form_add(&f, "locale", in->locale != NULL &&
	    in->locale[0] != '\0' ? in->locale : "auto");
	/* The order's id rides along on the payment, so a refund or a
	 * dispute seen in Stripe's dashboard names it too. */
	if (in->order_id != NULL)
		stripe_form_add(&f, "payment_intent_data[metadata][order_id]",
		    in->order_id);
	e = call(s, "POST", "/v1/checkout/sessions", &f, in->idempotency_key,
	    &o);
	strbuf_release(&f);
	return session_answer(s, e, o, out);
}

/* Session ids are "cs_" and letters, digits, '_': anything else would
 * change the path. */
static int
id_ok(const char *id)
{
	size_t i;

	if (id == NULL || id[0] == '\0' || strlen(id) > 255)
		return 0;
	for (i = 0; id[i] != '\0'; i++)
		if (!isalnum((unsigned char)id[i]) && id[i] != '_')
			return 0;
	return 1;
}

enum stripe_err
stripe_session_get(struct stripe *s, const char *id,
    struct stripe_session *out)
{
	json_object	*o;
	enum stripe_err	 e;
	char		*path;

	memset(out, 0, sizeof(*out));
	if (!id_ok(id)) {
		str_errf(s->err, sizeof(s->err), "bad session id");
		return STRIPE_EINVAL;
	}
	path = arena_printf(s->a, "/v1/checkout/sessions/%s?expand%%5B%%5D="
	    "payment_intent.latest_charge.balance_transaction", id);
	e = call(s, "GET", path, NULL, NULL, &o);
	return session_answer(s, e, o, out);
}

enum stripe_err
stripe_session_expire(struct stripe *s, const char *id,
    struct stripe_session *out)
{
	json_object	*o;
	enum stripe_err	 e;

	memset(out, 0, sizeof(*out));
	if (!id_ok(id)) {
		str_errf(s->err, sizeof(s->err), "bad session id");
		return STRIPE_EINVAL;
	}
	e = call(s, "POST", arena_printf(s->a, "/v1/checkout/sessions/%s/"
	    "expire", id), NULL, arena_printf(s->a, "expire-%s", id), &o);
	return session_answer(s, e, o, out);
}

/* --- refunds ----------------------------------------------------------- */

static void
refund_of(struct arena *a, json_object *o, struct stripe_refund *out)
{
	out->id = jstr(a, o, "id");
	out->status = jstr(a, o, "status");
	out->payment_intent = jstr(a, o, "payment_intent");
	out->amount = jint(o, "amount", 0);
	out->refund_id = jstr(a, jget(o, "metadata"), "refund_id");
}

enum stripe_err
stripe_refund_create(struct stripe *s, const char *payment_intent,
    int64_t amount, const char *order_id, const char *refund_id,
    const char *idempotency_key, struct stripe_refund *out)
{
	struct strbuf	 f;
	json_object	*o;
	enum stripe_err	 e;

	memset(out, 0, sizeof(*out));
	if (idempotency_key == NULL || amount <= 0 || payment_intent == NULL) {
		str_errf(s->err, sizeof(s->err), "refund without an "
		    "idempotency key, payment or amount");
		return STRIPE_EINVAL;
	}
	strbuf_init(&f, 256);
	stripe_form_add(&f, "payment_intent", payment_intent);
	form_add_i64(&f, "amount", amount);
	if (order_id != NULL)
		stripe_form_add(&f, "metadata[order_id]", order_id);
	if (refund_id != NULL)
		stripe_form_add(&f, "metadata[refund_id]", refund_id);
	e = call(s, "POST", "/v1/refunds", &f, idempotency_key, &o);
	strbuf_release(&f);
	if (e != STRIPE_OK)
		return e;
	refund_of(s->a, o, out);
	if (out->id[0] == '\0') {
		str_errf(s->err, sizeof(s->err), "refund without an id");
		return STRIPE_EREPLY;
	}
	return STRIPE_OK;
}

enum stripe_err
stripe_refund_get(struct stripe *s, const char *id, struct stripe_refund *out)
{
	json_object	*o;
	enum stripe_err	 e;

	memset(out, 0, sizeof(*out));
	if (!id_ok(id)) {
		str_errf(s->err, sizeof(s->err), "bad refund id");
		return STRIPE_EINVAL;
	}
	e = call(s, "GET", arena_printf(s->a, "/v1/refunds/%s", id), NULL,
	    NULL, &o);
	if (e != STRIPE_OK)
		return e;
	refund_of(s->a, o, out);
	if (out->id[0] == '\0') {
		str_errf(s->err, sizeof(s->err), "refund without an id");
		return STRIPE_EREPLY;
	}
	return STRIPE_OK;
}

/* --- the account ------------------------------------------------------- */

enum stripe_err
stripe_account_get(struct stripe *s, struct stripe_account *out)
{
	json_object	*o;
	enum stripe_err	 e;

	memset(out, 0, sizeof(*out));
	if ((e = call(s, "GET", "/v1/account", NULL, NULL, &o)) != STRIPE_OK)
		return e;
	out->id = jstr(s->a, o, "id");
	out->name = jstr(s->a, jget(o, "business_profile"), "name");
	if (out->name[0] == '\0')
		out->name = jstr(s->a, jget(jget(o, "settings"), "dashboard"),
		    "display_name");
	out->country = jstr(s->a, o, "country");
	out->default_currency = upper(s->a, jstr(s->a, o,
	    "default_currency"));
	if (strncmp(out->id, "acct_", 5) != 0) {
		str_errf(s->err, sizeof(s->err), "account without an id");
		return STRIPE_EREPLY;
	}
	return STRIPE_OK;
}

/* --- webhooks ---------------------------------------------------------- */

static int
hex64(struct str v)
{
	size_t i;

	if (v.len != 64)
		return 0;
	for (i = 0; i < v.len; i++)
		if (!isxdigit((unsigned char)v.p[i]))
			return 0;
	return 1;
}

int
stripe_sig_parse(struct str h, struct stripe_sig *out)
{
	size_t	i = 0, j, eq;
	int	have_t = 0;

	memset(out, 0, sizeof(*out));
	if (h.len > STRIPE_SIG_MAX_HEADER)
		return -1;
	while (i < h.len) {
		struct str k, v;

		for (j = i; j < h.len && h.p[j] != ','; j++)
			;
		for (eq = i; eq < j && h.p[eq] != '='; eq++)
			;
		k = str_trim((struct str){ h.p + i, eq - i });
		v = eq < j ? str_trim((struct str){ h.p + eq + 1,
		    j - eq - 1 }) : STR_NULL;
		if (eq < j && str_eqc(k, "t")) {
			/* A second t= makes the header ambiguous. */
			if (have_t || str_to_i64(v, 1, INT64_MAX / 2,
			    &out->t) == -1)
				return -1;
			have_t = 1;
		} else if (eq < j && str_eqc(k, "v1") && hex64(v) &&
		    out->nv1 < STRIPE_SIG_MAX_V1)
			out->v1[out->nv1++] = v;
		i = j + 1;
	}
	return have_t && out->nv1 > 0 ? 0 : -1;
}

/* HMAC-SHA256(secret, "t.payload") in lower-case hex. */
static void
sig_hex(char out[65], const char *secret, int64_t t, struct str payload)
{
	crypto_auth_hmacsha256_state	st;
	unsigned char			mac[crypto_auth_hmacsha256_BYTES];
	char				ts[24];
	int				n;

	n = snprintf(ts, sizeof(ts), "%lld.", (long long)t);
	if (n < 0 || (size_t)n >= sizeof(ts))
		n = 0;		/* t is bounded by the parser: never */
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts,
	    (size_t)n);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)payload.p,
	    payload.len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof(mac));
}

enum stripe_err
stripe_sig_verify(struct stripe *s, struct str header, struct str payload,
    const char *secret, int64_t now, int64_t tolerance)
{
	struct stripe_sig	sig;
	char			want[65], got[65];
	size_t			i, j;
	int			ok = 0;

	s->err[0] = '\0';
	if (tolerance < 0)
		tolerance = config_int("stripe_webhook_tolerance",
		    STRIPE_TOLERANCE, 0, 86400);
	if (secret == NULL || secret[0] == '\0') {
		str_errf(s->err, sizeof(s->err), "no webhook secret");
		return STRIPE_ESIG;
	}
	if (stripe_sig_parse(header, &sig) == -1) {
		str_errf(s->err, sizeof(s->err), "malformed Stripe-Signature");
		return STRIPE_ESIG;
	}
	if (sig.t < now - tolerance || sig.t > now + tolerance) {
		str_errf(s->err, sizeof(s->err), "timestamp %lld is %lld s "
		    "from now", (long long)sig.t, (long long)(now - sig.t));
		return STRIPE_ESIG;
	}
	sig_hex(want, secret, sig.t, payload);
	/* Every candidate is compared in full, whatever an earlier one
	 * gave: the time tells nothing of which matched. */
	for (i = 0; i < sig.nv1; i++) {
		for (j = 0; j < 64; j++)
			got[j] = (char)tolower((unsigned char)sig.v1[i].p[j]);
		got[64] = '\0';
		ok |= sodium_memcmp(want, got, 64) == 0;
	}
	sodium_memzero(want, sizeof(want));
	if (!ok) {
		str_errf(s->err, sizeof(s->err), "no v1 signature matches");
		return STRIPE_ESIG;
	}
	return STRIPE_OK;
}

char *
stripe_sig_make(struct arena *a, struct str payload, const char *secret,
    int64_t t)
{
	char hex[65];

	sig_hex(hex, secret, t, payload);
	return arena_printf(a, "t=%lld,v1=%s", (long long)t, hex);
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

enum stripe_err
stripe_event_parse(struct stripe *s, struct str body, struct stripe_event *ev)
{
	json_object	*root, *obj;

	memset(ev, 0, sizeof(*ev));
	s->err[0] = '\0';
	if (body.len > STRIPE_EVENT_MAX) {
		str_errf(s->err, sizeof(s->err), "event larger than %d bytes",
		    STRIPE_EVENT_MAX);
		return STRIPE_EREPLY;
	}
	root = json_parse(s->a, body.p, body.len);
	if (root == NULL || !json_object_is_type(root, json_type_object)) {
		str_errf(s->err, sizeof(s->err), "event is not a JSON object");
		return STRIPE_EREPLY;
	}
	ev->id = jstr(s->a, root, "id");
	ev->type = jstr(s->a, root, "type");
	ev->created = jint(root, "created", 0);
	ev->livemode = jget(root, "livemode") != NULL &&
	    json_object_get_boolean(jget(root, "livemode"));
	if (ev->id[0] == '\0' || ev->type[0] == '\0') {
		str_errf(s->err, sizeof(s->err), "event without id or type");
		return STRIPE_EREPLY;
	}
	obj = jget(jget(root, "data"), "object");
	if (starts(ev->type, "checkout.session.")) {
		ev->kind = STRIPE_EV_SESSION;
		session_of(s->a, obj, &ev->session);
		if (ev->session.id[0] == '\0') {
			str_errf(s->err, sizeof(s->err), "%s without a "
			    "session id", ev->type);
			return STRIPE_EREPLY;
		}
	} else if (starts(ev->type, "refund.")) {
		ev->kind = STRIPE_EV_REFUND;
		refund_of(s->a, obj, &ev->refund);
	} else if (strcmp(ev->type, "charge.refunded") == 0) {
		/* A charge: its newest refund is the first of the list. */
		json_object *list = jget(jget(obj, "refunds"), "data");

		ev->kind = STRIPE_EV_REFUND;
		if (list != NULL && json_object_is_type(list, json_type_array)
		    && json_object_array_length(list) > 0)
			refund_of(s->a, json_object_array_get_idx(list, 0),
			    &ev->refund);
		else {
			refund_of(s->a, obj, &ev->refund);
			ev->refund.id = "";
			ev->refund.amount = jint(obj, "amount_refunded", 0);
			ev->refund.status = "succeeded";
		}
		if (ev->refund.payment_intent[0] == '\0')
			ev->refund.payment_intent = jstr(s->a, obj,
			    "payment_intent");
		return STRIPE_OK;
	} else
		return STRIPE_OK;	/* STRIPE_EV_IGNORED */
	if (ev->kind == STRIPE_EV_REFUND && ev->refund.id[0] == '\0') {
		str_errf(s->err, sizeof(s->err), "%s without a refund id",
		    ev->type);
		return STRIPE_EREPLY;
	}
	return STRIPE_OK;
}
