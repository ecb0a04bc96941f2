/*
 * Fuzz target: req_parse_cookies(). Checks that what is kept follows
 * the rules: at most REQ_MAX_COOKIES, token names, cookie-octet values,
 * NUL-terminated copies.
 */
#include "../../fcgi-app/core/arena.c"
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/xalloc.c"
#include "../../fcgi-app/http/cookie.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	a;
	struct kvlist		kv;
	size_t			i, j;

	req_parse_cookies(&a, (struct str){ (const char *)data, size }, &kv);
	if (kv.n > REQ_MAX_COOKIES)
		abort();
	for (i = 0; i < kv.n; i++) {
		struct str k = kv.v[i].key, v = kv.v[i].val;

		if (!http_is_token(k) || k.p[k.len] != '\0' ||
		    v.p[v.len] != '\0')
			abort();
		for (j = 0; j < v.len; j++)
			if (!http_is_cookie_octet((unsigned char)v.p[j]))
				abort();
	}
	arena_reset(&a);
	return 0;
}
