/*
 * Fuzz target: scrape_parse() (http/scrape.h), the request the metrics
 * endpoint reads from anyone who connects to metrics_listen. Checks:
 * the answer is one of the statuses it documents; 0 ("more") only
 * without a header end below SCRAPE_IN_MAX; 200 only for a GET or HEAD
 * of /metrics, with head set for HEAD alone; the result does not
 * depend on bytes after the header's end.
 */
#include "../../fcgi-app/http/scrape_parse.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data;
	const char	*end;
	int		 head = -1, head2 = -1, st, st2;

	st = scrape_parse(p, size, &head);
	if (head != 0 && head != 1)
		abort();
	switch (st) {
	case 0:
		if (size >= SCRAPE_IN_MAX || header_end(p, size) != NULL)
			abort();
		return 0;
	case 200:
		if (head ? size < 14 || memcmp(p, "HEAD /metrics", 13) != 0 :
		    size < 13 || memcmp(p, "GET /metrics", 12) != 0)
			abort();
		break;
	case 400:
	case 404:
	case 405:
		if (head)	/* only a 200 tells HEAD */
			if (st != 404)
				abort();
		break;
	default:
		abort();
	}
	/* The same header with nothing after it: the same answer. */
	if ((end = header_end(p, size)) != NULL) {
		st2 = scrape_parse(p, (size_t)(end - p), &head2);
		if (st2 != st || head2 != head)
			abort();
	}
	return 0;
}
