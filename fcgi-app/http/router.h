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

struct route {
	enum http_method method;	/* HTTP_GET also answers HEAD */
	const char	*pattern;
	int		(*handler)(struct req *);	/* returns a status,
							   0 when it sent */
	unsigned	 flags;		/* the caller's (auth needed, ...) */
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
