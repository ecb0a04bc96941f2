/* Unit test of http/urlenc.c: url_decode, url_escape, urlencoded forms. */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "http/req.h"
#include "test.h"

static struct arena a;

static int
parse(const char *s, struct kvlist *kv)
{
	return req_parse_urlencoded(&a, str_c(s), kv);
}

static void
test_decode(void)
{
	struct str out;

	TEST_CHECK(url_decode(&a, STR("a+b%20c%2Fd"), 1, &out) == 0);
	TEST_STREQ(out.p, "a b c/d");
	TEST_CHECK(out.len == 7);
	TEST_CHECK(url_decode(&a, STR("a+b"), 0, &out) == 0);
	TEST_STREQ(out.p, "a+b");
	TEST_CHECK(url_decode(&a, STR("%c3%A9"), 0, &out) == 0);
	TEST_STREQ(out.p, "\xc3\xa9");
	TEST_CHECK(url_decode(&a, STR(""), 1, &out) == 0);
	TEST_CHECK(out.len == 0 && out.p[0] == '\0');
	TEST_CHECK(url_decode(&a, STR("%"), 1, &out) == -1);
	TEST_CHECK(url_decode(&a, STR("ab%4"), 1, &out) == -1);
	TEST_CHECK(url_decode(&a, STR("%zz"), 1, &out) == -1);
	TEST_CHECK(url_decode(&a, STR("%4g"), 1, &out) == -1);
	TEST_CHECK(url_decode(&a, STR("a%00b"), 1, &out) == -1);
	TEST_CHECK(url_decode(&a, (struct str){ "a\0b", 3 }, 1, &out) == -1);
}

static void
test_form(void)
{
	struct kvlist kv;

	TEST_CHECK(parse("a=1&b=x+y%21&c=", &kv) == 0);
	TEST_CHECK(kv.n == 3);
	TEST_STREQ(kv.v[0].key.p, "a");
	TEST_STREQ(kv.v[0].val.p, "1");
	TEST_STREQ(kv.v[1].val.p, "x y!");
	TEST_STREQ(kv.v[2].key.p, "c");
	TEST_CHECK(kv.v[2].val.len == 0 && kv.v[2].val.p[0] == '\0');

	/* A key without '=' has an empty value; empty pairs and nameless
	 * pairs are skipped. */
	TEST_CHECK(parse("flag&&x=1&=nothing&", &kv) == 0);
	TEST_CHECK(kv.n == 2);
	TEST_STREQ(kv.v[0].key.p, "flag");
	TEST_STREQ(kv.v[0].val.p, "");
	TEST_STREQ(kv.v[1].key.p, "x");

	/* '=' inside a value, encoded names, repeated names kept. */
	TEST_CHECK(parse("q=a=b&na%6De=v&q=2", &kv) == 0);
	TEST_CHECK(kv.n == 3);
	TEST_STREQ(kv.v[0].val.p, "a=b");
	TEST_STREQ(kv.v[1].key.p, "name");
	TEST_STREQ(kv.v[2].val.p, "2");

	TEST_CHECK(parse("", &kv) == 0 && kv.n == 0);
	TEST_CHECK(parse("&&&", &kv) == 0 && kv.n == 0);
	TEST_CHECK(parse("a=%", &kv) == 400);
	TEST_CHECK(parse("a=%2", &kv) == 400);
	TEST_CHECK(parse("a=%GG", &kv) == 400);
	TEST_CHECK(parse("a%=1", &kv) == 400);
	TEST_CHECK(parse("a=%00", &kv) == 400);
}

static void
test_limit(void)
{
	struct strbuf	sb = STRBUF_INIT;
	struct kvlist	kv;
	int		i;

	for (i = 0; i < REQ_MAX_FIELDS; i++)
		strbuf_addf(&sb, "%sf%d=%d", i ? "&" : "", i, i);
	TEST_CHECK(parse(sb.buf, &kv) == 0);
	TEST_CHECK(kv.n == REQ_MAX_FIELDS);
	TEST_STREQ(kv.v[255].key.p, "f255");
	/* Empty pairs do not count towards the limit. */
	strbuf_addstr(&sb, "&&&");
	TEST_CHECK(parse(sb.buf, &kv) == 0);
	strbuf_addstr(&sb, "f256=x");
	TEST_CHECK(parse(sb.buf, &kv) == 413);
	strbuf_release(&sb);
}

static void
test_escape(void)
{
	static const char *const in[] = {
		"plain", "a b&c=d", "/path/../x?y#z", "\xc3\xa9t\xc3\xa9",
		"100%", "+", "~-._", "",
	};
	struct strbuf	sb = STRBUF_INIT;
	struct str	back;
	size_t		i;
	unsigned char	all[255];

	url_escape(&sb, STR("a b/c?d&e=f~g.h-i_j+k%"));
	TEST_STREQ(sb.buf, "a%20b%2Fc%3Fd%26e%3Df~g.h-i_j%2Bk%25");
	for (i = 0; i < NELEM(in); i++) {
		strbuf_reset(&sb);
		url_escape(&sb, str_c(in[i]));
		TEST_CHECK(url_decode(&a, strbuf_str(&sb), 1, &back) == 0);
		TEST_STREQ(back.p, in[i]);
	}
	/* Every non-NUL byte survives the round trip. */
	for (i = 0; i < sizeof(all); i++)
		all[i] = (unsigned char)(i + 1);
	strbuf_reset(&sb);
	url_escape(&sb, (struct str){ (const char *)all, sizeof(all) });
	TEST_CHECK(strspn(sb.buf, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	    "nopqrstuvwxyz0123456789-._~%") == sb.len);
	TEST_CHECK(url_decode(&a, strbuf_str(&sb), 1, &back) == 0);
	TEST_CHECK(back.len == sizeof(all) &&
	    memcmp(back.p, all, sizeof(all)) == 0);
	strbuf_release(&sb);
}

int
main(void)
{
	arena_init(&a);
	test_decode();
	test_form();
	test_limit();
	test_escape();
	arena_free(&a);
	return test_done();
}
