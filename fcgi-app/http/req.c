/*
 * req.c: a FastCGI request into a struct req, and the response out
 * (see req.h).
 *
 * Parsing fills every field it can even when the input is refused, so
 * the error page can still be sent with the request id, the method
 * (no body for HEAD) and the host; the first error found is returned.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "http/req.h"
#include "http/httpchar.h"

#include <limits.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#define REQ_MAX_HOST	253
#define REQ_MAX_HEADER_NAME	120

static const char *
env_get(char **envp, const char *name)
{
	size_t n = strlen(name);

	if (envp == NULL)
		return NULL;
	for (; *envp != NULL; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

const char *
req_env(const struct req *r, const char *name)
{
	return env_get(r->envp, name);
}

const char *
req_header(const struct req *r, const char *name)
{
	char	 env[5 + REQ_MAX_HEADER_NAME + 1];
	size_t	 i, n = strlen(name);

	if (n == 0 || n > REQ_MAX_HEADER_NAME)
		return NULL;
	/* CGI passes these two without the HTTP_ prefix. */
	if (strcasecmp(name, "Content-Type") == 0)
		return env_get(r->envp, "CONTENT_TYPE");
	if (strcasecmp(name, "Content-Length") == 0)
		return env_get(r->envp, "CONTENT_LENGTH");
	memcpy(env, "HTTP_", 5);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '-')
			c = '_';
		else if (c >= 'a' && c <= 'z')
			c -= 32;
		env[5 + i] = (char)c;
	}
	env[5 + n] = '\0';
	return env_get(r->envp, env);
}

static const struct str *
kv_find(const struct kv *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (str_eqc(v[i].key, name))
			return &v[i].val;
	return NULL;
}

const struct str *
req_query(const struct req *r, const char *name)
{
	return kv_find(r->query.v, r->query.n, name);
}

const struct str *
req_form(const struct req *r, const char *name)
{
	return kv_find(r->form.v, r->form.n, name);
}

int
req_form_all(const struct req *r, const char *name, struct str *out,
    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < r->form.n; i++)
		if (str_eqc(r->form.v[i].key, name)) {
			if (n == max)
				return -1;
			out[n++] = r->form.v[i].val;
		}
	return (int)n;
}

const struct str *
req_cookie(const struct req *r, const char *name)
{
	static const char	 key[] = "HTTP_COOKIE=";
	char			**e;
	struct str		 v, *out;

	if (r->envp == NULL)
		return NULL;
	for (e = r->envp; *e != NULL; e++) {
		if (strncmp(*e, key, sizeof(key) - 1) != 0)
			continue;
		if (req_cookie_find(str_c(*e + sizeof(key) - 1), name,
		    &v) == 0) {
			out = arena_alloc(r->arena, sizeof(*out));
			*out = arena_str(r->arena, v);
			return out;
		}
	}
	return NULL;
}

const struct str *
req_param(const struct req *r, const char *name)
{
	return kv_find(r->params, r->nparams, name);
}

const struct part *
req_file(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nparts; i++)
		if (str_eqc(r->parts[i].name, name))
			return &r->parts[i];
	return NULL;
}

/* --- parsing -------------------------------------------------------- */

static const struct {
	const char		*name;
	enum http_method	 m;
} methods[] = {
	{ "GET", HTTP_GET }, { "HEAD", HTTP_HEAD }, { "POST", HTTP_POST },
	{ "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH },
	{ "DELETE", HTTP_DELETE }, { "OPTIONS", HTTP_OPTIONS },
};

static enum http_method
method_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return HTTP_OTHER;
	for (i = 0; i < NELEM(methods); i++)
		if (strcmp(s, methods[i].name) == 0)
			return methods[i].m;
	return HTTP_OTHER;
}

const char *
req_method_name(const struct req *r)
{
	size_t i;

	if (r->head)
		return "HEAD";
	for (i = 0; i < NELEM(methods); i++)
		if (methods[i].m == r->method)
			return methods[i].name;
	return "OTHER";
}

static int
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* nginx's $request_id when it is 32 hex digits, else a fresh one. */
static const char *
rid_make(struct arena *a, const char *sent)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 rnd[16];
	char		*rid = arena_alloc(a, 33);
	size_t		 i;

	if (sent != NULL && strlen(sent) == 32) {
		for (i = 0; i < 32 && is_hex((unsigned char)sent[i]); i++)
			rid[i] = (char)(sent[i] | 0x20);	/* lower */
		if (i == 32) {
			rid[32] = '\0';
			return rid;
		}
	}
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(rnd)) {
		/* Not a secret, only unique enough to grep the logs. */
		static uint64_t	 seq;
		uint64_t	 t = (uint64_t)time(NULL);
		uint64_t	 p = (uint64_t)getpid();

		seq++;
		memcpy(rnd, &t, 8);
		p = p << 32 ^ seq;
		memcpy(rnd + 8, &p, 8);
	}
	for (i = 0; i < 16; i++) {
		rid[2 * i] = hex[rnd[i] >> 4];
		rid[2 * i + 1] = hex[rnd[i] & 15];
	}
	rid[32] = '\0';
	return rid;
}

/* HTTP_HOST, lower case, without the port. Empty is allowed. */
static int
host_parse(struct arena *a, const char *raw, struct str *out)
{
	struct str	 h = str_c(raw);
	const char	*colon;
	size_t		 i;

	*out = STR("");
	if ((colon = memchr(h.p, ':', h.len)) != NULL) {
		struct str port = { colon + 1,
		    h.len - (size_t)(colon - h.p) - 1 };

		if (port.len == 0 || port.len > 5)
			return 400;
		for (i = 0; i < port.len; i++)
			if (port.p[i] < '0' || port.p[i] > '9')
				return 400;
		h.len = (size_t)(colon - h.p);
	}
	if (h.len > REQ_MAX_HOST)
		return 400;
	h = arena_strlower(a, h);
	for (i = 0; i < h.len; i++) {
		char c = h.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-'))
			return 400;
	}
	*out = h;
	return 0;
}

/* REQUEST_URI (raw, as nginx passes it) up to '?', decoded. */
static int
path_parse(struct arena *a, const char *uri, struct str *out)
{
	struct str	 raw = str_c(uri);
	const char	*q;
	size_t		 i;

	*out = STR("/");
	if (uri == NULL)
		return 400;
	if ((q = memchr(raw.p, '?', raw.len)) != NULL)
		raw.len = (size_t)(q - raw.p);
	if (raw.len == 0 || raw.p[0] != '/')
		return 400;
	if (url_decode(a, raw, 0, out) == -1) {
		*out = STR("/");
		return 400;
	}
	/* A decoded CR or LF would reach Location headers and logs. */
	for (i = 0; i < out->len; i++)
		if ((unsigned char)out->p[i] < 0x20 || out->p[i] == 0x7f) {
			*out = STR("/");
			return 400;
		}
	return 0;
}

/* The value of parameter name in a Content-Type ("boundary"), or an
 * empty view. */
static struct str
ctype_param(struct str ct, const char *name)
{
	const char *p = ct.p, *end = ct.p + ct.len;

	while ((p = memchr(p, ';', (size_t)(end - p))) != NULL) {
		const char	*eq, *next;
		struct str	 k, v;

		p++;
		next = memchr(p, ';', (size_t)(end - p));
		if (next == NULL)
			next = end;
		eq = memchr(p, '=', (size_t)(next - p));
		if (eq != NULL) {
			k = str_trim((struct str){ p, (size_t)(eq - p) });
			v = str_trim((struct str){ eq + 1,
			    (size_t)(next - eq - 1) });
			if (v.len >= 2 && v.p[0] == '"' &&
			    v.p[v.len - 1] == '"') {
				v.p++;
				v.len -= 2;
			}
			if (str_casecmp_eq(k, str_c(name)))
				return v;
		}
		p = next;
	}
	return STR("");
}

/* CONTENT_LENGTH: absent or empty is 0. */
static int
content_length(char **envp, size_t max_body, size_t *len)
{
	const char	*s = env_get(envp, "CONTENT_LENGTH");
	int64_t		 v;

	*len = 0;
	if (s == NULL || *s == '\0')
		return 0;
	if (str_to_i64c(s, 0, INT64_MAX, &v) == -1)
		return 400;
	if ((uint64_t)v > max_body)
		return 413;
	*len = (size_t)v;
	return 0;
}

static int
body_parse(struct req *r, const char *ctype_raw)
{
	if (r->body.len == 0)
		return 0;
	if (str_eqc(r->content_type, "application/x-www-form-urlencoded"))
		return req_parse_urlencoded(r->arena, r->body, &r->form);
	if (str_eqc(r->content_type, "multipart/form-data")) {
		struct str b = ctype_param(str_c(ctype_raw), "boundary");

		if (b.len == 0)
			return 400;
		return req_parse_multipart(r->arena, r->body, b, &r->form,
		    &r->parts, &r->nparts);
	}
	return 0;	/* JSON and the like: the handler reads r->body */
}

#define FIRST(st, expr) do {						\
	int rc_ = (expr);						\
	if ((st) == 0)							\
		(st) = rc_;						\
} while (0)

int
req_parse_env(struct req *r, struct arena *a, struct strbuf *out,
    char **envp, struct str body, size_t max_body)
{
	const char	*s, *ct;
	size_t		 clen;
	int		 st = 0;

	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->envp = envp;
	r->out = out;
	r->status = 200;
	r->path = r->raw_query = r->host = r->scheme = STR("");
	r->remote_addr = r->content_type = r->body = STR("");

	r->rid = rid_make(a, env_get(envp, "REQUEST_ID"));
	log_set_request(r->rid, 0);
	r->method = method_parse(env_get(envp, "REQUEST_METHOD"));
	r->head = r->method == HTTP_HEAD ||
	    ((s = env_get(envp, "SOUK_HEAD")) != NULL && strcmp(s, "1") == 0);
	s = env_get(envp, "HTTPS");
	if ((s != NULL && *s != '\0' && strcasecmp(s, "off") != 0) ||
	    ((s = env_get(envp, "REQUEST_SCHEME")) != NULL &&
	    strcmp(s, "https") == 0))
		r->scheme = STR("https");
	else
		r->scheme = STR("http");
	r->remote_addr = arena_str(a, str_c(env_get(envp, "REMOTE_ADDR")));

	FIRST(st, host_parse(a, env_get(envp, "HTTP_HOST"), &r->host));
	if ((s = env_get(envp, "REQUEST_URI")) == NULL)
		s = env_get(envp, "DOCUMENT_URI");
	FIRST(st, path_parse(a, s, &r->path));
	if ((s = env_get(envp, "QUERY_STRING")) == NULL &&
	    (s = env_get(envp, "REQUEST_URI")) != NULL &&
	    (s = strchr(s, '?')) != NULL)
		s++;
	r->raw_query = str_c(s);
	FIRST(st, req_parse_urlencoded(a, r->raw_query, &r->query));

	ct = env_get(envp, "CONTENT_TYPE");
	if (ct != NULL) {
		const char *semi = strchr(ct, ';');

		r->content_type = arena_strlower(a, str_trim((struct str){ ct,
		    semi ? (size_t)(semi - ct) : strlen(ct) }));
	}

	FIRST(st, content_length(envp, max_body, &clen));
	if (st == 0 && body.len != clen)
		st = 400;
	if (st == 0) {
		r->body = body;
		st = body_parse(r, ct);
	}
	return st;
}

int
req_parse(struct req *r, void *fcgx, struct arena *a, struct strbuf *out,
    size_t max_body)
{
	FCGX_Request	*fr = fcgx;
	struct str	 body = STR("");
	size_t		 clen;
	int		 st;

	/* Refuse an oversized or unreadable length before reading. */
	if ((st = content_length(fr->envp, max_body, &clen)) == 0 &&
	    clen > 0) {
		char	*buf = arena_alloc(a, clen + 1);
		size_t	 got = 0;

		while (got < clen) {
			size_t	want = clen - got;
			int	n;

			if (want > INT_MAX)
				want = INT_MAX;
			n = FCGX_GetStr(buf + got, (int)want, fr->in);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		buf[got] = '\0';
		body = (struct str){ buf, got };
	}
	st = req_parse_env(r, a, out, fr->envp, body, max_body);
	r->fcgx = fcgx;
	return st;
}

/* --- response ------------------------------------------------------- */

void
resp_status(struct req *r, int status)
{
	r->status = status >= 100 && status <= 599 ? status : 500;
}

static void
hdr_add(struct req *r, struct str line)
{
	if (r->nhdr == r->hdr_cap) {
		size_t		 cap = r->hdr_cap ? 2 * r->hdr_cap : 8;
		struct str	*v = arena_alloc(r->arena, cap * sizeof(*v));

		if (r->nhdr)
			memcpy(v, r->hdr, r->nhdr * sizeof(*v));
		r->hdr = v;
		r->hdr_cap = cap;
	}
	r->hdr[r->nhdr++] = line;
}

static int
value_ok(const char *v)
{
	for (; *v != '\0'; v++)
		if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f)
			return 0;
	return 1;
}

void
resp_header(struct req *r, const char *name, const char *value)
{
	struct str	line;
	size_t		i, n;

	if (!http_is_token(str_c(name)) || !value_ok(value)) {
		log_warn("dropping response header '%s': bad name or "
		    "control character in value", name);
		return;
	}
	if (strcasecmp(name, "Status") == 0 ||
	    strcasecmp(name, "Content-Length") == 0) {
		log_warn("dropping response header '%s': set by resp_send",
		    name);
		return;
	}
	line = str_c(arena_printf(r->arena, "%s: %s\r\n", name, value));
	/* One line per name: an error page's "no-store" replaces the
	 * "public" its handler set before it failed (issue 8, 16). */
	n = strlen(name);
	for (i = 0; strcasecmp(name, "Set-Cookie") != 0 && i < r->nhdr; i++)
		if (r->hdr[i].len > n && r->hdr[i].p[n] == ':' &&
		    strncasecmp(r->hdr[i].p, name, n) == 0) {
			r->hdr[i] = line;
			return;
		}
	hdr_add(r, line);
}

void
resp_cookie(struct req *r, const char *name, const char *value,
    long max_age, enum cookie_flags flags)
{
	const char	*v, *age = "";
	const char	*sec = config_get("secure_cookies", "0");

	for (v = value; *v != '\0'; v++)
		if (!http_is_cookie_octet((unsigned char)*v))
			break;
	if (!http_is_token(str_c(name)) || *v != '\0') {
		log_warn("dropping cookie '%s': bad name or value", name);
		return;
	}
	if (max_age >= 0)
		age = arena_printf(r->arena, "; Max-Age=%ld", max_age);
	hdr_add(r, str_c(arena_printf(r->arena,
	    "Set-Cookie: %s=%s; Path=/%s%s%s%s\r\n", name, value, age,
	    flags & COOKIE_HTTPONLY ? "; HttpOnly" : "",
	    flags & COOKIE_LAX ? "; SameSite=Lax" : "; SameSite=Strict",
	    (flags & COOKIE_SECURE) || strcmp(sec, "1") == 0 ?
	    "; Secure" : "")));
}

static int
location_ok(const char *loc)
{
	const char *p;

	if (loc[0] == '/') {
		/* "//host" and "/\host" leave the site in browsers. */
		if (loc[1] == '/' || loc[1] == '\\')
			return 0;
	} else if (strncmp(loc, "https://", 8) != 0 &&
	    strncmp(loc, "http://", 7) != 0)
		return 0;
	for (p = loc; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

void
resp_redirect(struct req *r, int status, const char *location)
{
	if (location == NULL || !location_ok(location)) {
		log_warn("refusing redirect to '%s'", location ? location :
		    "(null)");
		location = "/";
	}
	if (status != 301 && status != 302 && status != 303 &&
	    status != 307 && status != 308)
		status = r->method == HTTP_POST ? 303 : 302;
	r->status = status;
	strbuf_reset(r->out);
	hdr_add(r, str_c(arena_printf(r->arena, "Location: %s\r\n",
	    location)));
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 402: return "Payment Required";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	}
	switch (status / 100) {
	case 1: return "Informational";
	case 2: return "Success";
	case 3: return "Redirection";
	case 4: return "Client Error";
	default: return "Server Error";
	}
}

/* 1xx, 204 and 304 carry no body (RFC 9110). */
static int
no_body(int status)
{
	return status < 200 || status == 204 || status == 304;
}

struct str
resp_head(struct req *r)
{
	char		 line[96];
	size_t		 i, n, total;
	int		 len, has_ctype = 0;
	char		*p;

	/* An error is never stored by a cache, whatever the handler said
	 * before it failed (a storefront page says "public"). */
	if (r->status >= 400)
		resp_header(r, "Cache-Control", "no-store");
	len = snprintf(line, sizeof(line), "Status: %d %s\r\n", r->status,
	    reason(r->status));
	if (len < 0 || (size_t)len >= sizeof(line))
		len = 0;	/* cannot happen: status is 3 digits */
	total = (size_t)len + 2;
	for (i = 0; i < r->nhdr; i++) {
		total += r->hdr[i].len;
		if (r->hdr[i].len > 13 &&
		    strncasecmp(r->hdr[i].p, "Content-Type:", 13) == 0)
			has_ctype = 1;
	}
	if (!no_body(r->status)) {
		if (!has_ctype)
			total += sizeof("Content-Type: text/html; "
			    "charset=utf-8\r\n") - 1;
		total += sizeof("Content-Length: \r\n") - 1 + 20;
	}

	p = arena_alloc(r->arena, total + 1);
	memcpy(p, line, (size_t)len);
	n = (size_t)len;
	for (i = 0; i < r->nhdr; i++) {
		memcpy(p + n, r->hdr[i].p, r->hdr[i].len);
		n += r->hdr[i].len;
	}
	if (!no_body(r->status)) {
		if (!has_ctype) {
			static const char ct[] =
			    "Content-Type: text/html; charset=utf-8\r\n";

			memcpy(p + n, ct, sizeof(ct) - 1);
			n += sizeof(ct) - 1;
		}
		len = r->streaming ? 0 : snprintf(p + n, total + 1 - n,
		    "Content-Length: %zu\r\n", r->out->len);
		if (len > 0 && (size_t)len < total + 1 - n)
			n += (size_t)len;
	}
	memcpy(p + n, "\r\n", 2);
	n += 2;
	p[n] = '\0';
	return (struct str){ p, n };
}

static int
put_all(FCGX_Stream *s, const char *p, size_t len)
{
	while (len > 0) {
		int n = len > INT_MAX ? INT_MAX : (int)len;

		if (FCGX_PutStr(p, n, s) != n)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
resp_send(struct req *r)
{
	FCGX_Request	*fr = r->fcgx;
	struct str	 head;

	if (r->sent)
		return 0;
	r->sent = 1;
	if (fr == NULL)
		return -1;
	head = resp_head(r);
	if (put_all(fr->out, head.p, head.len) == -1)
		return -1;
	if (r->method == HTTP_HEAD || no_body(r->status))
		return 0;
	r->bytes += r->out->len;
	return put_all(fr->out, r->out->buf, r->out->len);
}

int
resp_stream(struct req *r)
{
	FCGX_Request	*fr = r->fcgx;
	struct str	 head;

	if (r->sent)
		return -1;
	r->sent = 1;
	r->streaming = 1;
	if (fr == NULL)
		return -1;
	head = resp_head(r);
	if (put_all(fr->out, head.p, head.len) == -1 ||
	    FCGX_FFlush(fr->out) == -1)
		return -1;
	return 0;
}

int
resp_write(struct req *r, const void *p, size_t n)
{
	FCGX_Request	*fr = r->fcgx;

	if (!r->streaming || fr == NULL)
		return -1;
	if (r->method == HTTP_HEAD || no_body(r->status) || n == 0)
		return 0;
	r->bytes += n;
	if (put_all(fr->out, p, n) == -1 || FCGX_FFlush(fr->out) == -1)
		return -1;
	return 0;
}
