/*
 * router.h: picks a handler by method and path.
 *
 * A route's pattern is a path whose segments are literals or ":name"
 * parameters ("/admin/products/:id/edit"); a parameter matches one
 * non-empty segment. A trailing "*" segment matches the rest. Tables are
 * static arrays searched in order: first match wins. Matching allocates
 * nothing; parameter values are views into r->path, stored in r->params.
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
 * ROUTER_FOUND sets *out and r->params. */
enum router_result router_match(const struct route *routes, size_t n,
		    struct req *r, const struct route **out);

#endif
