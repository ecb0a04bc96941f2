/*
 * router.c: method and path to a route (see router.h).
 *
 * Patterns and paths are walked segment by segment without copying; a
 * table of a few dozen routes is a few microseconds, so no trie.
 */
#include "core/common.h"
#include "core/arena.h"
#include "http/router.h"

struct match {
	struct kv	params[REQ_MAX_PARAMS];
	size_t		nparams;
};

/* The segment at the start of s (after its '/'), and where the next
 * '/' (or the end) is. */
static struct str
segment(const char *s, const char *end)
{
	const char *slash = memchr(s, '/', (size_t)(end - s));

	return (struct str){ s, (size_t)((slash ? slash : end) - s) };
}

static int
path_match(const char *pat, struct str path, struct match *m)
{
	const char	*pe = pat + strlen(pat);
	const char	*p = path.p, *end = path.p + path.len;

	m->nparams = 0;
	for (;;) {
		struct str ps, xs;

		/* Both sides are at a '/' (or both done). */
		if (pat == pe || p == end)
			return pat == pe && p == end;
		if (*pat != '/' || *p != '/')
			return 0;
		pat++;
		p++;
		ps = segment(pat, pe);
		if (ps.len == 1 && ps.p[0] == '*' && pat + 1 == pe) {
			if (m->nparams == REQ_MAX_PARAMS)
				return 0;
			m->params[m->nparams].key = STR("*");
			m->params[m->nparams++].val =
			    (struct str){ p, (size_t)(end - p) };
			return 1;
		}
		xs = segment(p, end);
		if (ps.len > 1 && ps.p[0] == ':') {
			if (xs.len == 0 || m->nparams == REQ_MAX_PARAMS)
				return 0;
			m->params[m->nparams].key =
			    (struct str){ ps.p + 1, ps.len - 1 };
			m->params[m->nparams++].val = xs;
		} else if (!str_eq(ps, xs))
			return 0;
		pat += ps.len;
		p += xs.len;
	}
}

static int
method_ok(enum http_method route, enum http_method req)
{
	return route == req || (route == HTTP_GET && req == HTTP_HEAD);
}

enum router_result
router_match(const struct route *routes, size_t n, struct req *r,
    const struct route **out)
{
	struct match	 m;
	size_t		 i;
	int		 path_seen = 0;

	r->nparams = 0;
	for (i = 0; i < n; i++) {
		if (!path_match(routes[i].pattern, r->path, &m))
			continue;
		if (!method_ok(routes[i].method, r->method)) {
			path_seen = 1;
			continue;
		}
		/* Views into the pattern and path are not NUL-terminated;
		 * handlers get C strings like everywhere else in req. */
		for (r->nparams = 0; r->nparams < m.nparams; r->nparams++) {
			r->params[r->nparams].key = arena_str(r->arena,
			    m.params[r->nparams].key);
			r->params[r->nparams].val = arena_str(r->arena,
			    m.params[r->nparams].val);
		}
		*out = &routes[i];
		return ROUTER_FOUND;
	}
	return path_seen ? ROUTER_BAD_METHOD : ROUTER_NOT_FOUND;
}
