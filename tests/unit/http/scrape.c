/*
 * tests/unit/http/scrape.c: the metrics endpoint's request parser
 * (http/scrape.h): GET and HEAD of /metrics (a query changes nothing),
 * other paths 404, other methods 405, what is not HTTP 400, a header
 * that has not ended waits for more until SCRAPE_IN_MAX bytes.
 */
#include "core/common.h"
#include "http/scrape.h"
#include "test.h"

static int
parse(const char *s, int *head)
{
	return scrape_parse(s, strlen(s), head);
}

int
main(void)
{
	char	big[SCRAPE_IN_MAX + 1];
	int	head;

	TEST_CHECK(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", &head)
	    == 200 && head == 0);
	TEST_CHECK(parse("HEAD /metrics HTTP/1.0\n\n", &head) == 200 &&
	    head == 1);
	TEST_CHECK(parse("GET /metrics?name[]=x HTTP/1.1\r\n\r\n", &head) ==
	    200);
	TEST_CHECK(parse("GET /metricsx HTTP/1.1\r\n\r\n", &head) == 404);
	TEST_CHECK(parse("GET / HTTP/1.1\r\n\r\n", &head) == 404);
	TEST_CHECK(parse("POST /metrics HTTP/1.1\r\n\r\n", &head) == 405);
	TEST_CHECK(parse("get /metrics HTTP/1.1\r\n\r\n", &head) == 405);
	TEST_CHECK(parse("GET /metrics HTTP/2.0\r\n\r\n", &head) == 400);
	TEST_CHECK(parse("GET metrics HTTP/1.1\r\n\r\n", &head) == 400);
	TEST_CHECK(parse("hello\r\n\r\n", &head) == 400);
	TEST_CHECK(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n", &head) ==
	    0);
	TEST_CHECK(parse("", &head) == 0);
	memset(big, 'a', sizeof(big));
	TEST_CHECK(scrape_parse(big, SCRAPE_IN_MAX - 1, &head) == 0);
	TEST_CHECK(scrape_parse(big, SCRAPE_IN_MAX, &head) == 400);
	return test_done();
}
