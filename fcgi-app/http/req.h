/*
 * req.h: one HTTP request and its response, on top of FastCGI.
 *
 * req_parse() reads the FastCGI params and the body into a struct req
 * whose every pointer lives in the request's arena (req->arena): views,
 * lists, decoded values. Nothing here outlives arena_reset(). The
 * response body is built in req->out, a buffer the worker owns and reuses
 * (strbuf_reset() between requests); resp_send() writes the status line,
 * headers and body in one go.
 *
 * Limits (a reader without a limit is a bug): the body is capped by
 * max_body (413); a query string or form has at most REQ_MAX_FIELDS
 * fields (400); a cookie header at most REQ_MAX_COOKIES cookies; a
 * multipart body at most REQ_MAX_PARTS parts. Malformed percent-encoding
 * is a 400, never a silent truncation.
 */
#ifndef SOUK_HTTP_REQ_H
#define SOUK_HTTP_REQ_H

#include <stdint.h>
#include "core/arena.h"
#include "core/str.h"
#include "core/strbuf.h"

#define REQ_MAX_FIELDS	256
#define REQ_MAX_COOKIES	64
#define REQ_MAX_PARTS	32
#define REQ_MAX_PARAMS	8	/* route parameters */

enum http_method {
	HTTP_OTHER = 0,
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP__MAX
};

/* A name and a value, both NUL-terminated views living in the arena. */
struct kv {
	struct str	key;
	struct str	val;
};

struct kvlist {
	struct kv	*v;
	size_t		 n;
};

/* One part of a multipart/form-data body (a file upload or a field). */
struct part {
	struct str	name;		/* form field name */
	struct str	filename;	/* empty for plain fields */
	struct str	ctype;		/* the part's Content-Type, may be empty */
	struct str	data;		/* raw bytes, in the arena */
};

struct req {
	struct arena	*arena;
	void		*fcgx;		/* FCGX_Request *, owned by the worker */
	char		**envp;		/* FastCGI params, owned by libfcgi */

	const char	*rid;		/* request id: $request_id from nginx,
					   or generated; 32 hex chars */
	enum http_method method;
	struct str	 path;		/* percent-decoded path, no query */
	struct str	 raw_query;	/* as received, without '?' */
	struct str	 host;		/* lower case, without ":port" */
	struct str	 scheme;	/* "http" or "https" */
	struct str	 remote_addr;
	struct str	 content_type;	/* without parameters, lower case */
	struct str	 body;		/* raw body (empty for GET) */

	struct kvlist	 query;		/* decoded query string fields */
	struct kvlist	 form;		/* decoded urlencoded or multipart
					   text fields */
	struct kvlist	 cookies;
	struct part	*parts;		/* multipart file parts */
	size_t		 nparts;

	struct kv	 params[REQ_MAX_PARAMS];	/* set by the router */
	size_t		 nparams;

	/* response */
	int		 status;	/* 200 unless set */
	struct strbuf	 *out;		/* body; the worker's buffer */
	struct strbuf	 headers;	/* extra header lines, "Name: v\r\n";
					   released by a cleanup in arena */
	int		 sent;		/* resp_send() has run */

	/* What the layers above hang on the request (tenant, session,
	 * locale, view model): opaque here, set by web/. */
	void		*app;
};

/*
 * Fills r from a FastCGI request: params, path, query, cookies and the
 * body (up to max_body bytes; urlencoded and multipart bodies are
 * parsed into r->form and r->parts). r->out must already point at the
 * worker's buffer. Returns 0, or an HTTP status (400, 411, 413, 415)
 * for input that cannot be served; r is still usable to send the error
 * page then.
 */
int		 req_parse(struct req *r, void *fcgx, struct arena *a,
		    struct strbuf *out, size_t max_body);

/* The FastCGI param (CGI variable) name, or NULL. Owned by libfcgi. */
const char	*req_env(const struct req *r, const char *name);

/* The request header name ("User-Agent"), or NULL. */
const char	*req_header(const struct req *r, const char *name);

/* The first value of a field in the query / form / cookies / route
 * parameters, or NULL. The returned view lives in the arena. */
const struct str *req_query(const struct req *r, const char *name);
const struct str *req_form(const struct req *r, const char *name);
const struct str *req_cookie(const struct req *r, const char *name);
const struct str *req_param(const struct req *r, const char *name);

/* The first file part of the field name, or NULL. */
const struct part *req_file(const struct req *r, const char *name);

/*
 * Parses application/x-www-form-urlencoded text into out (allocated in
 * a). '+' is a space; every '%' must be followed by two hex digits.
 * Returns 0, or 400 (bad encoding) or 413 (more than REQ_MAX_FIELDS).
 * Exported for the fuzz target and unit tests.
 */
int		 req_parse_urlencoded(struct arena *a, struct str in,
		    struct kvlist *out);

/* Parses a Cookie header value; bad pairs are skipped, as browsers do.
 * At most REQ_MAX_COOKIES are kept. */
void		 req_parse_cookies(struct arena *a, struct str in,
		    struct kvlist *out);

/*
 * Parses a multipart/form-data body with the given boundary into text
 * fields (appended to form) and file parts. Returns 0 or 400.
 */
int		 req_parse_multipart(struct arena *a, struct str body,
		    struct str boundary, struct kvlist *form,
		    struct part **parts, size_t *nparts);

/* Percent-decodes in into the arena ('+' is a space when plus).
 * Returns 0, or -1 on a bad escape. out->p is NUL-terminated. */
int		 url_decode(struct arena *a, struct str in, int plus,
		    struct str *out);

/* Appends s percent-encoded for a query value or path segment. */
void		 url_escape(struct strbuf *sb, struct str s);

/* --- response ------------------------------------------------------- */

enum cookie_flags {
	COOKIE_HTTPONLY = 1 << 0,
	COOKIE_SECURE = 1 << 1,	/* also added when secure_cookies = 1 */
	COOKIE_LAX = 1 << 2,	/* SameSite=Lax (else Strict) */
};

void	resp_status(struct req *r, int status);

/* Adds a header line; name and value must not hold CR or LF (values
 * that do are dropped and logged: header injection). */
void	resp_header(struct req *r, const char *name, const char *value);

/* Set-Cookie with Path=/; max_age < 0 omits Max-Age (session cookie),
 * 0 deletes the cookie. value must be a cookie-safe token. */
void	resp_cookie(struct req *r, const char *name, const char *value,
	    long max_age, enum cookie_flags flags);

/* A redirect (303 after a POST, 302 otherwise) to a local path or an
 * absolute URL the code built; the body is emptied. */
void	resp_redirect(struct req *r, int status, const char *location);

/*
 * Writes "Status:", the headers (Content-Type defaults to
 * "text/html; charset=utf-8"), Content-Length and r->out to FastCGI.
 * A HEAD request gets the headers only. Idempotent: a second call does
 * nothing. Returns 0, or -1 when the client has gone.
 */
int	resp_send(struct req *r);

#endif
