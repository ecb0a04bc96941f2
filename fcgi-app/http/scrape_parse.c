/* scrape_parse.c: the metrics endpoint's request (scrape.h), apart
 * from the server so its fuzz target needs nothing else. */
#include "core/common.h"
#include "http/scrape.h"

/* The end of the header, or NULL. */
static const char *
header_end(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return p + i + 2;
		if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n')
			return p + i + 3;
	}
	return NULL;
}

int
scrape_parse(const char *p, size_t n, int *head)
{
	const char	*e, *sp, *path, *pe, *ver;
	size_t		 mlen;

	*head = 0;
	if (header_end(p, n) == NULL)
		return n >= SCRAPE_IN_MAX ? 400 : 0;
	if ((e = memchr(p, '\n', n)) == NULL)
		return 400;
	if (e > p && e[-1] == '\r')
		e--;
	/* METHOD SP target SP HTTP/x.y */
	if ((sp = memchr(p, ' ', (size_t)(e - p))) == NULL)
		return 400;
	mlen = (size_t)(sp - p);
	path = sp + 1;
	if ((pe = memchr(path, ' ', (size_t)(e - path))) == NULL ||
	    pe == path || *path != '/')
		return 400;
	ver = pe + 1;
	if (e - ver != 8 || memcmp(ver, "HTTP/1.", 7) != 0 ||
	    (ver[7] != '0' && ver[7] != '1'))
		return 400;
	if (mlen == 4 && memcmp(p, "HEAD", 4) == 0)
		*head = 1;
	else if (mlen != 3 || memcmp(p, "GET", 3) != 0)
		return 405;
	/* the query, if any, changes nothing */
	for (sp = path; sp < pe && *sp != '?'; sp++)
		;
	if (sp - path == 8 && memcmp(path, "/metrics", 8) == 0)
		return 200;
	return 404;
}
