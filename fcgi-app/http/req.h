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
 * fields (413); a multipart body at most REQ_MAX_PARTS file parts and
 * REQ_MAX_FIELDS text fields (413). Malformed percent-encoding, and a
 * NUL byte in any decoded name or value, is a 400, never a silent
 * truncation.
 *
 * Every struct str of a parsed request is NUL-terminated and never has
 * a NULL p (absent values are ""), so it may also be used as a C string.
 */
#ifndef SOUK_HTTP_REQ_H
#define SOUK_HTTP_REQ_H

#include <stdint.h>
#include "core/arena.h"
#include "core/str.h"
#include "core/strbuf.h"

#define REQ_MAX_FIELDS	256
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
	int		 head;		/* a HEAD nginx asked as a GET
					   (SOUK_HEAD) */
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
	struct part	*parts;		/* multipart file parts */
	size_t		 nparts;

	struct kv	 params[REQ_MAX_PARAMS];	/* set by the router */
	size_t		 nparams;

	/* response */
	int		 status;	/* 200 unless set */
	struct strbuf	 *out;		/* body; the worker's buffer */
	/* Extra header lines, "Name: v\r\n", each in the arena, in an
	 * array that grows in the arena: no malloc, nothing to release
	 * (a strbuf would malloc per request and need a cleanup). */
	struct str	*hdr;
	size_t		 nhdr;
	size_t		 hdr_cap;
	int		 sent;		/* resp_send() has run */
	size_t		 bytes;		/* body bytes given to libfcgi */
	/* For the request log (pool.h): the route's pattern or another
	 * static name of what answered, set by the application; NULL:
	 * "-". */
	const char	*route;
	int		 streaming;	/* resp_stream(): no Content-Length */

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

/*
 * req_parse() without FastCGI: fills r from the params envp (a NULL-
 * terminated "NAME=value" array, which must outlive r) and the body
 * bytes already read (which must live in a). CONTENT_LENGTH is checked
 * against max_body (413) and against body.len (400 when they differ:
 * the client went away). r->fcgx is NULL, so resp_send() fails; the
 * unit tests call this, and req_parse() calls it once it has read the
 * body. Returns as req_parse().
 */
int		 req_parse_env(struct req *r, struct arena *a,
		    struct strbuf *out, char **envp, struct str body,
		    size_t max_body);

/* The request's method as the client sent it ("HEAD" for a HEAD nginx
 * asked as a GET; "OTHER" for one souk does not know): a static
 * string. */
const char	*req_method_name(const struct req *r);

/* The FastCGI param (CGI variable) name, or NULL. Owned by libfcgi. */
const char	*req_env(const struct req *r, const char *name);

/* The request header name ("User-Agent"), or NULL. */
const char	*req_header(const struct req *r, const char *name);

/* The first value of a field in the query / form / route parameters,
 * or NULL. The returned view lives in the arena. */
const struct str *req_query(const struct req *r, const char *name);
const struct str *req_form(const struct req *r, const char *name);
const struct str *req_param(const struct req *r, const char *name);

/*
 * The value of cookie name as nginx's $cookie_<name> reads it (see
 * req_cookie_find()), over every Cookie line of the request in order
 * (nginx passes each as an HTTP_COOKIE param), or NULL. The name is
 * matched case-insensitively; the value is not unquoted nor decoded
 * and may hold spaces, commas and quotes: the caller validates it.
 * The view and its NUL-terminated copy live in the arena.
 */
const struct str *req_cookie(const struct req *r, const char *name);

/* Every value of a form field sent several times (checkboxes) into
 * out, in order: their number, or -1 when there are more than max. */
int		 req_form_all(const struct req *r, const char *name,
		    struct str *out, size_t max);

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

/*
 * Finds cookie name in one Cookie header line exactly as nginx 1.22's
 * ngx_http_parse_multi_header_lines() does for $cookie_<name> (the
 * rules are in http/cookie.c): the microcache key and souk must read
 * the same value. Returns 0 with *value a view into line (not NUL-
 * terminated), or -1 when the line has no such cookie. No limit is
 * needed: one pass over the line, which nginx's header limits bound.
 */
int		 req_cookie_find(struct str line, const char *name,
		    struct str *value);

/*
 * Parses a multipart/form-data body with the given boundary into text
 * fields (appended to form: copies in a) and file parts (*parts, an
 * array in a; names are copies, data are views into body, which must
 * live in a). A part is a file when its Content-Disposition has a
 * filename (without directories); a file input sent empty (filename=""
 * and no data) is skipped. Returns 0, 400 (malformed, truncated, no
 * boundary) or 413 (more than REQ_MAX_FIELDS fields or REQ_MAX_PARTS
 * files).
 */
int		 req_parse_multipart(struct arena *a, struct str body,
		    struct str boundary, struct kvlist *form,
		    struct part **parts, size_t *nparts);

/* Percent-decodes in into the arena ('+' is a space when plus).
 * Returns 0, or -1 on a bad escape or a NUL (raw or %00). out->p is
 * NUL-terminated and lives in a. */
int		 url_decode(struct arena *a, struct str in, int plus,
		    struct str *out);

/* Appends s percent-encoded for a query value or path segment: all but
 * the RFC 3986 unreserved bytes A-Z a-z 0-9 - . _ ~ become %XX. */
void		 url_escape(struct strbuf *sb, struct str s);

/* --- response ------------------------------------------------------- */

enum cookie_flags {
	COOKIE_HTTPONLY = 1 << 0,
	COOKIE_SECURE = 1 << 1,	/* also added when secure_cookies = 1 */
	COOKIE_LAX = 1 << 2,	/* SameSite=Lax (else Strict) */
};

/* Sets the status (100-599; anything else becomes 500). */
void	resp_status(struct req *r, int status);

/* Sets a header line (copied into the arena), replacing a line of the
 * same name (case-insensitive) set before: one line per name, so an
 * error page's "Cache-Control: no-store" replaces the "public" its
 * handler set. Set-Cookie lines (resp_cookie()) are only ever added.
 * name must be a token and value must not hold CR, LF or other control
 * characters but tab (headers that do are dropped and logged: header
 * injection). Status and Content-Length are resp_send()'s and are
 * dropped too. */
void	resp_header(struct req *r, const char *name, const char *value);

/* Set-Cookie: "name=value; Path=/; Max-Age=N; HttpOnly;
 * SameSite=Lax|Strict; Secure" as the flags say (Secure also when the
 * config has secure_cookies = 1); max_age < 0 omits Max-Age (session
 * cookie), 0 deletes the cookie. name must be a token and value
 * cookie-octets (RFC 6265), else the cookie is dropped and logged. */
void	resp_cookie(struct req *r, const char *name, const char *value,
	    long max_age, enum cookie_flags flags);

/* A redirect to a local path ("/x", not "//x" nor "/\x") or an
 * absolute http(s):// URL the code built; anything else (or a control
 * character or space) is logged and replaced by "/". status 301, 302,
 * 303, 307 or 308 is used as given; any other (0) means 303 after a
 * POST, 302 otherwise. The body is emptied. */
void	resp_redirect(struct req *r, int status, const char *location);

/* The status line and header block resp_send() writes, ending with the
 * blank line; lives in r->arena. An error (status 400 and up) always
 * carries exactly one "Cache-Control: no-store". Exported for the unit
 * tests. */
struct str	resp_head(struct req *r);

/*
 * Writes "Status:", the headers (Content-Type defaults to
 * "text/html; charset=utf-8"), Content-Length and r->out to FastCGI.
 * A HEAD request gets the headers only, the same as GET's (the
 * Content-Length of the body a GET gets: handlers render HEAD as GET).
 * Idempotent: a second call does
 * nothing. Returns 0, or -1 when the client has gone.
 */
int	resp_send(struct req *r);

/*
 * For a body too big to build in r->out (a catalog export): writes the
 * status line and the headers now, without a Content-Length (nginx
 * sends the body chunked), and marks the response sent, so that
 * resp_send() does nothing after. The body then goes out piece by
 * piece through resp_write(), each piece flushed to nginx at once.
 * An error found after this can only cut the body short. Returns 0, or
 * -1 when the client has gone.
 */
int	resp_stream(struct req *r);

/* Writes n bytes of a resp_stream() body (nothing for HEAD) and
 * flushes them. Returns 0, or -1 when the client has gone. */
int	resp_write(struct req *r, const void *p, size_t n);

#endif
