/* Unit test of http/cookie.c: the Cookie header. */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "http/req.h"
#include "test.h"

static struct arena a;

static const char *
get(const struct kvlist *kv, const char *name)
{
	size_t i;

	for (i = 0; i < kv->n; i++)
		if (str_eqc(kv->v[i].key, name))
			return kv->v[i].val.p;
	return NULL;
}

int
main(void)
{
	struct kvlist	kv;
	struct strbuf	sb = STRBUF_INIT;
	int		i;

	arena_init(&a);

	req_parse_cookies(&a, STR("sid=abc123; lang=de"), &kv);
	TEST_CHECK(kv.n == 2);
	TEST_STREQ(get(&kv, "sid"), "abc123");
	TEST_STREQ(get(&kv, "lang"), "de");

	/* White space around pairs, names and values; no space at all. */
	req_parse_cookies(&a, STR("  a = 1 ;\tb=2;c=3 ;  "), &kv);
	TEST_CHECK(kv.n == 3);
	TEST_STREQ(get(&kv, "a"), "1");
	TEST_STREQ(get(&kv, "b"), "2");
	TEST_STREQ(get(&kv, "c"), "3");

	/* Quotes around a value are removed; a lone quote is bad. */
	req_parse_cookies(&a, STR("q=\"quoted\"; e=\"\"; bad=\"x; ok=1"),
	    &kv);
	TEST_STREQ(get(&kv, "q"), "quoted");
	TEST_STREQ(get(&kv, "e"), "");
	TEST_CHECK(get(&kv, "bad") == NULL);
	TEST_STREQ(get(&kv, "ok"), "1");

	/* Bad pairs are skipped, the good ones kept. */
	req_parse_cookies(&a, STR("noeq; =v; a b=1; sp=x y; "
	    "comma=a,b; bs=a\\b; ctl=a\x01; good=yes; empty="), &kv);
	TEST_CHECK(kv.n == 2);
	TEST_STREQ(get(&kv, "good"), "yes");
	TEST_STREQ(get(&kv, "empty"), "");
	TEST_CHECK(get(&kv, "noeq") == NULL);
	TEST_CHECK(get(&kv, "sp") == NULL);

	/* '=' in the value stays; first of a repeated name first. */
	req_parse_cookies(&a, STR("t=a=b==; t=second"), &kv);
	TEST_CHECK(kv.n == 2);
	TEST_STREQ(kv.v[0].val.p, "a=b==");
	TEST_STREQ(get(&kv, "t"), "a=b==");

	req_parse_cookies(&a, STR(""), &kv);
	TEST_CHECK(kv.n == 0);
	req_parse_cookies(&a, STR(";;;"), &kv);
	TEST_CHECK(kv.n == 0);

	/* Names and values are NUL-terminated copies. */
	req_parse_cookies(&a, STR("k=v;x=y"), &kv);
	TEST_CHECK(kv.v[0].val.p[1] == '\0' && kv.v[0].key.p[1] == '\0');

	/* At most REQ_MAX_COOKIES are kept. */
	for (i = 0; i < REQ_MAX_COOKIES + 10; i++)
		strbuf_addf(&sb, "c%d=%d; ", i, i);
	req_parse_cookies(&a, strbuf_str(&sb), &kv);
	TEST_CHECK(kv.n == REQ_MAX_COOKIES);
	TEST_STREQ(get(&kv, "c63"), "63");
	TEST_CHECK(get(&kv, "c64") == NULL);
	strbuf_release(&sb);

	arena_free(&a);
	return test_done();
}
