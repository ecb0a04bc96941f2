/*
 * Unit test of http/cookie.c: a cookie read exactly as nginx reads
 * $cookie_<name>. The expected values are nginx 1.22's; the same
 * table runs against a real nginx in tests/http/test_cache.py
 * (test_nginx_reads_cookies_as_souk), so a change on either side
 * shows.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "http/req.h"
#include "test.h"

static const struct {
	const char	*line;
	const char	*name;
	const char	*want;	/* NULL: not found */
} cases[] = {
	{ "sid=abc123; lang=de", "lang", "de" },
	{ "sid=abc123; lang=de", "sid", "abc123" },
	{ "lang=de", "lang", "de" },
	/* The name is matched case-insensitively, either way. */
	{ "LANG=de", "lang", "de" },
	{ "Lang=de; lang=en", "lang", "de" },
	{ "lang=de", "LANG", "de" },
	/* Only spaces separate pairs and surround '=': a tab does not. */
	{ "\tlang=de", "lang", NULL },
	{ "a=1;\tlang=de", "lang", NULL },
	{ "a=1;   lang=de", "lang", "de" },
	{ "lang = de", "lang", "de" },
	/* nginx strips the spaces before a field's value: a line never
	 * starts with one, and if it did, nginx would not match there. */
	{ " lang=de", "lang", NULL },
	{ "lang\t=de", "lang", NULL },
	{ "lang=\tde", "lang", "\tde" },
	/* The first one wins. */
	{ "lang=de; lang=en", "lang", "de" },
	{ "lang=; lang=en", "lang", "" },
	/* Quotes, commas, spaces and tabs are part of the value, which
	 * ends only at ';'. */
	{ "lang=\"de\"", "lang", "\"de\"" },
	{ "lang=de ; x=1", "lang", "de " },
	{ "lang=de,en; x=1", "lang", "de,en" },
	{ "lang=d e", "lang", "d e" },
	{ "t=a=b==; t=second", "t", "a=b==" },
	/* ',' also starts a pair (after a failed match). */
	{ "a=1,lang=de", "lang", "de" },
	{ "a=1, lang=de", "lang", "de" },
	{ "a=\"x,lang=de\"", "lang", "de\"" },
	/* A longer or shorter name is another cookie. */
	{ "language=de; lang=en", "lang", "en" },
	{ "langx=de", "lang", NULL },
	{ "xlang=de", "lang", NULL },
	{ "lan=de", "lang", NULL },
	{ "lang", "lang", NULL },
	{ "lang de; lang=fr", "lang", "fr" },
	/* nginx consumes the byte after a name not followed by '=': here
	 * the ';', so the next pair is not seen. */
	{ "lang;lang=fr", "lang", NULL },
	{ "lang,lang=fr; lang=de", "lang", "de" },
	{ "lang ;lang=fr", "lang", NULL },
	{ "", "lang", NULL },
	{ ";;;", "lang", NULL },
	{ "la", "lang", NULL },
	/* '=' inside a name: "x=lang=de" is cookie x. */
	{ "x=lang=de", "lang", NULL },
	{ "x=lang=de", "x", "lang=de" },
	{ "cur=USD; lang=ja", "cur", "USD" },
	{ "CUR=usd", "cur", "usd" },
	{ "souk_admin=t0k; lang=fr", "souk_admin", "t0k" },
};

static void
test_table(void)
{
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		struct str	 v;
		int		 rc;

		rc = req_cookie_find(str_c(cases[i].line), cases[i].name, &v);
		if (cases[i].want == NULL) {
			if (rc != -1)
				fprintf(stderr, "case %zu: '%s' found in "
				    "'%s'\n", i, cases[i].name,
				    cases[i].line);
			TEST_CHECK(rc == -1);
			continue;
		}
		if (rc != 0)
			fprintf(stderr, "case %zu: '%s' not found in '%s'\n",
			    i, cases[i].name, cases[i].line);
		TEST_CHECK(rc == 0);
		if (rc == 0) {
			char *got = xstrndup(v.p, v.len);

			if (strcmp(got, cases[i].want) != 0)
				fprintf(stderr, "case %zu: '%s'\n", i,
				    cases[i].line);
			TEST_STREQ(got, cases[i].want);
			free(got);
		}
	}
}

/* Every Cookie line of the request is read, in order, as nginx does
 * with several Cookie fields; the answer is a NUL-terminated copy. */
static void
test_req_cookie(void)
{
	static struct arena	 a;
	struct strbuf		 out = STRBUF_INIT;
	struct req		 r;
	const struct str	*v;
	char *envp[] = {
		(char *)(uintptr_t)"REQUEST_METHOD=GET",
		(char *)(uintptr_t)"REQUEST_URI=/",
		(char *)(uintptr_t)"HTTP_COOKIE=sid=1; x=2",
		(char *)(uintptr_t)"HTTP_ACCEPT=*/*",
		(char *)(uintptr_t)"HTTP_COOKIE=lang=de;cur=EUR",
		(char *)(uintptr_t)"HTTP_COOKIE=lang=en",
		NULL
	};

	arena_init(&a);
	TEST_CHECK(req_parse_env(&r, &a, &out, envp, STR(""), 100) == 0);
	v = req_cookie(&r, "lang");
	TEST_CHECK(v != NULL && str_eqc(*v, "de") && v->p[v->len] == '\0');
	v = req_cookie(&r, "x");
	TEST_CHECK(v != NULL && str_eqc(*v, "2") && v->p[1] == '\0');
	v = req_cookie(&r, "cur");
	TEST_CHECK(v != NULL && str_eqc(*v, "EUR"));
	TEST_CHECK(req_cookie(&r, "none") == NULL);
	TEST_CHECK(req_cookie(&r, "HTTP_COOKIE") == NULL);
	strbuf_release(&out);
	arena_free(&a);
}

/* No cap on the number of pairs: nginx has none, and a lang cookie
 * after 100 others must still be the one nginx keys the page with. */
static void
test_many(void)
{
	struct strbuf	sb = STRBUF_INIT;
	struct str	v;
	int		i;

	for (i = 0; i < 200; i++)
		strbuf_addf(&sb, "c%d=%d; ", i, i);
	strbuf_addstr(&sb, "lang=ja");
	TEST_CHECK(req_cookie_find(strbuf_str(&sb), "lang", &v) == 0 &&
	    str_eqc(v, "ja"));
	TEST_CHECK(req_cookie_find(strbuf_str(&sb), "c150", &v) == 0 &&
	    str_eqc(v, "150"));
	strbuf_release(&sb);
}

int
main(void)
{
	test_table();
	test_req_cookie();
	test_many();
	return test_done();
}
