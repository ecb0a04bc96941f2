/*
 * Fuzz target: req_cookie_find(), nginx's $cookie_<name> rules. Checks
 * that a value found lies inside the line, starts right after "name",
 * spaces, '=' and spaces, and holds no ';'.
 */
#include "../../fcgi-app/core/arena.c"
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/xalloc.c"
#include "../../fcgi-app/http/cookie.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	*names[] = { "lang", "cur", "souk_admin", "a" };
	struct str		 line = { (const char *)data, size }, v;
	size_t			 i;

	for (i = 0; i < NELEM(names); i++) {
		const char	*p;
		size_t		 n = strlen(names[i]);

		if (req_cookie_find(line, names[i], &v) == -1)
			continue;
		if (v.p < line.p || v.p + v.len > line.p + line.len ||
		    memchr(v.p, ';', v.len) != NULL)
			abort();
		p = v.p;
		while (p > line.p && p[-1] == ' ')
			p--;
		if (p == line.p || p[-1] != '=')
			abort();
		p--;
		while (p > line.p && p[-1] == ' ')
			p--;
		if ((size_t)(p - line.p) < n ||
		    strncasecmp(p - n, names[i], n) != 0)
			abort();
	}
	return 0;
}
