/*
 * cookie.c: the Cookie request header (RFC 6265, section 4.2).
 *
 * "name=value" pairs separated by ';' and optional white space. A name
 * must be an HTTP token; a value is cookie-octets, optionally in double
 * quotes (removed). A pair that breaks these rules is skipped, as
 * browsers skip what they cannot parse: a stray analytics cookie must
 * not turn every page into a 400. Values are not percent-decoded: souk
 * only reads cookies it set itself, which are tokens.
 */
#include "core/common.h"
#include "core/arena.h"
#include "http/req.h"
#include "http/httpchar.h"

static struct str
trim_ows(struct str s)
{
	while (s.len && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.len--;
	}
	while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t'))
		s.len--;
	return s;
}

static int
pair_parse(struct str pair, struct str *name, struct str *value)
{
	const char	*eq;
	size_t		 i;

	eq = memchr(pair.p, '=', pair.len);
	if (eq == NULL)
		return -1;
	*name = trim_ows((struct str){ pair.p, (size_t)(eq - pair.p) });
	*value = trim_ows((struct str){ eq + 1,
	    pair.len - (size_t)(eq - pair.p) - 1 });
	if (!http_is_token(*name))
		return -1;
	if (value->len >= 2 && value->p[0] == '"' &&
	    value->p[value->len - 1] == '"') {
		value->p++;
		value->len -= 2;
	}
	for (i = 0; i < value->len; i++)
		if (!http_is_cookie_octet((unsigned char)value->p[i]))
			return -1;
	return 0;
}

void
req_parse_cookies(struct arena *a, struct str in, struct kvlist *out)
{
	const char	*p = in.p, *end = in.p + in.len;

	out->v = NULL;
	out->n = 0;
	if (in.len == 0)
		return;
	/* Allocated at the cap, not counted: 64 kv are 2 KB. */
	out->v = arena_alloc(a, REQ_MAX_COOKIES * sizeof(*out->v));
	while (p < end && out->n < REQ_MAX_COOKIES) {
		const char	*semi = memchr(p, ';', (size_t)(end - p));
		struct str	 name, value;

		if (semi == NULL)
			semi = end;
		if (pair_parse((struct str){ p, (size_t)(semi - p) },
		    &name, &value) == 0) {
			out->v[out->n].key = arena_str(a, name);
			out->v[out->n].val = arena_str(a, value);
			out->n++;
		}
		p = semi + 1;
	}
}
