/*
 * router.h: picks a handler by method and path.
 *
 * A route's pattern is a path whose segments are literals or ":name"
 * parameters ("/admin/products/:id/edit"); a parameter matches one
 * non-empty segment. A trailing "*" segment matches the rest of the path,
 * empty or not (the pattern "/static/" "*" matches "/static/" and
 * "/static/a/b", not "/static"), and is stored as the parameter "*".
 * Literals compare byte for byte; "/a" and "/a/" are different paths.
 * Tables are static arrays searched in order: first match wins.
 * Matching allocates nothing; only the found route's parameters are
 * copied into r->arena (NUL-terminated, as every struct kv) and stored
 * in r->params.
 */
#ifndef SOUK_HTTP_ROUTER_H
#define SOUK_HTTP_ROUTER_H

#include "http/req.h"

struct field;

/*
 * Properties of a route every host kind reads the same way. Each table's
 * own flags (its access levels: AUTH, OPERATOR) take bits 0 to 7.
 */
enum route_flags {
	/* Before login: served without a session, and its form is not
	 * checked against a session's CSRF token (there is none yet); the
	 * handler checks the anonymous double-submit token itself. */
	ROUTE_ANON	= 1 << 8,
	/* The handler shows its own form again when a field of the body
	 * fails the route's contract (web/form.h), with the messages
	 * beside the fields; without it the answer is a 422 page. */
	ROUTE_FORM_ERRORS = 1 << 9,
};

struct route {
	enum http_method method;	/* HTTP_GET also answers HEAD */
	const char	*pattern;
	int		(*handler)(struct req *);	/* returns a status,
							   0 when it sent */
	unsigned	 flags;		/* enum route_flags and the table's */
	/* The fields the handler reads, checked before it runs (the web
	 * layer's struct field table, web/form.h); NULL: none. */
	const struct field *fields;
};

enum router_result {
	ROUTER_FOUND,
	ROUTER_NOT_FOUND,	/* no pattern matches the path: 404 */
	ROUTER_BAD_METHOD,	/* a pattern matches, not the method: 405 */
};

/* Finds the route for r->method and r->path in routes[0..n); on
 * ROUTER_FOUND sets *out and r->params (else r->nparams is 0). A route
 * with more than REQ_MAX_PARAMS parameters never matches. */
enum router_result router_match(const struct route *routes, size_t n,
		    struct req *r, const struct route **out);

#endif
