/*
 * Unit test of core/i18n.c: Accept-Language negotiation, and the
 * C.UTF-8 + LANGUAGE catalog switch against real compiled catalogs on a
 * simulated fresh system (LOCPATH holding nothing but C.utf8).
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/strbuf.h"

#include <locale.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

#include "core/i18n.c"	/* accept_parse() and qvalue() are static */

static const char *const all5[] = { "en", "de", "fr", "es", "ja" };
static const char *const de_en[] = { "de", "en" };
static const char *const fr_only[] = { "fr" };

static void
test_tables(void)
{
	TEST_CHECK(i18n_supported("en"));
	TEST_CHECK(i18n_supported("de"));
	TEST_CHECK(i18n_supported("fr"));
	TEST_CHECK(i18n_supported("es"));
	TEST_CHECK(i18n_supported("ja"));
	TEST_CHECK(!i18n_supported("it"));
	TEST_CHECK(!i18n_supported("DE"));
	TEST_CHECK(!i18n_supported("de-CH"));
	TEST_CHECK(!i18n_supported(""));
	TEST_CHECK(!i18n_supported(NULL));

	TEST_STREQ(i18n_icu_locale("en"), "en_US");
	TEST_STREQ(i18n_icu_locale("de"), "de_DE");
	TEST_STREQ(i18n_icu_locale("fr"), "fr_FR");
	TEST_STREQ(i18n_icu_locale("es"), "es_ES");
	TEST_STREQ(i18n_icu_locale("ja"), "ja_JP");
	TEST_STREQ(i18n_icu_locale("xx"), "en_US");
	TEST_STREQ(i18n_icu_locale(NULL), "en_US");
}

static void
test_qvalue(void)
{
	TEST_CHECK(qvalue(STR("1")) == 1000);
	TEST_CHECK(qvalue(STR("1.")) == 1000);
	TEST_CHECK(qvalue(STR("1.000")) == 1000);
	TEST_CHECK(qvalue(STR("0")) == 0);
	TEST_CHECK(qvalue(STR("0.9")) == 900);
	TEST_CHECK(qvalue(STR("0.85")) == 850);
	TEST_CHECK(qvalue(STR("0.001")) == 1);
	TEST_CHECK(qvalue(STR("1.001")) == -1);
	TEST_CHECK(qvalue(STR("0.0001")) == -1);
	TEST_CHECK(qvalue(STR("2")) == -1);
	TEST_CHECK(qvalue(STR(".5")) == -1);
	TEST_CHECK(qvalue(STR("0,5")) == -1);
	TEST_CHECK(qvalue(STR("0.5x")) == -1);
	TEST_CHECK(qvalue(STR("")) == -1);
	TEST_CHECK(qvalue(STR("-0.5")) == -1);
}

static void
test_parse(void)
{
	struct accept	a[I18N_ACCEPT_MAX];
	size_t		n;
	char		big[4096];
	size_t		i;

	n = accept_parse(STR("de-CH, de;q=0.9, en;q=0.8, *;q=0.5"), a, 32);
	TEST_CHECK(n == 4);
	TEST_CHECK(str_eqc(a[0].range, "de-CH") && a[0].q == 1000);
	TEST_CHECK(str_eqc(a[1].range, "de") && a[1].q == 900);
	TEST_CHECK(str_eqc(a[2].range, "en") && a[2].q == 800);
	TEST_CHECK(str_eqc(a[3].range, "*") && a[3].q == 500);

	/* OWS, empty elements, case, other parameters */
	n = accept_parse(STR(" ,, fr \t; Q=0.5 ;foo=bar ,"), a, 32);
	TEST_CHECK(n == 1);
	TEST_CHECK(str_eqc(a[0].range, "fr") && a[0].q == 500);

	/* malformed entries are skipped, the good ones kept */
	n = accept_parse(STR("de;q=2, ??, fr;q=, es;q=0.5, x-toolongsubtag, "
	    "123, ja-JP-u-ca-japanese, zh-"), a, 32);
	TEST_CHECK(n == 2);
	TEST_CHECK(str_eqc(a[0].range, "es") && a[0].q == 500);
	TEST_CHECK(str_eqc(a[1].range, "ja-JP-u-ca-japanese"));

	/* at most max entries looked at, malformed ones included */
	for (i = 0; i + 3 < sizeof(big); i += 3)
		memcpy(big + i, "x, ", 3);
	big[i] = '\0';
	n = accept_parse(str_c(big), a, 32);
	TEST_CHECK(n == 32);
	n = accept_parse(STR("a;q=x, b, c, d"), a, 2);
	TEST_CHECK(n == 1 && str_eqc(a[0].range, "b"));
	TEST_CHECK(accept_parse(STR(""), a, 32) == 0);
}

static void
test_negotiate(void)
{
	/* the URL first, then the cookie, then the header, then fallback */
	TEST_STREQ(i18n_negotiate("fr", "de", "ja", NULL, 0, "es"), "fr");
	TEST_STREQ(i18n_negotiate(NULL, "de", "ja", NULL, 0, "es"), "de");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "ja", NULL, 0, "es"), "ja");
	TEST_STREQ(i18n_negotiate(NULL, NULL, NULL, NULL, 0, "es"), "es");
	TEST_STREQ(i18n_negotiate(NULL, NULL, NULL, NULL, 0, NULL), "en");
	TEST_STREQ(i18n_negotiate("", "", "", all5, 5, "de"), "de");

	/* only enabled languages count, at every step */
	TEST_STREQ(i18n_negotiate("fr", "ja", "es", de_en, 2, "de"), "de");
	TEST_STREQ(i18n_negotiate("it", "xx", "es, en;q=0.1", de_en, 2, "de"),
	    "en");
	TEST_STREQ(i18n_negotiate("en", NULL, NULL, fr_only, 1, "fr"), "fr");
	/* an unusable fallback: the first enabled language */
	TEST_STREQ(i18n_negotiate(NULL, NULL, NULL, fr_only, 1, "de"), "fr");
	TEST_STREQ(i18n_negotiate(NULL, NULL, NULL, fr_only, 1, "zz"), "fr");
	TEST_STREQ(i18n_negotiate(NULL, NULL, NULL, all5, 0, "de"), "en");

	/* the returned string is the table's, not the argument */
	TEST_CHECK(i18n_negotiate("DE", NULL, NULL, NULL, 0, "en") ==
	    i18n_negotiate("de", NULL, NULL, NULL, 0, "en"));

	/* q-values */
	TEST_STREQ(i18n_negotiate(NULL, NULL, "de-CH;q=0.9, fr;q=0.95",
	    NULL, 0, "en"), "fr");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "de-CH;q=0.9", NULL, 0, "en"),
	    "de");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "de-CH, de;q=0.9, en;q=0.8",
	    de_en, 2, "en"), "de");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "it, pt-BR;q=0.9, es;q=0.2",
	    NULL, 0, "en"), "es");
	/* ties go to the earlier entry */
	TEST_STREQ(i18n_negotiate(NULL, NULL, "ja;q=0.5, fr;q=0.5", NULL, 0,
	    "en"), "ja");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "fr;q=0.5, ja;q=0.5", NULL, 0,
	    "en"), "fr");
	/* order does not beat weight */
	TEST_STREQ(i18n_negotiate(NULL, NULL, "fr;q=0.1, ja", NULL, 0, "en"),
	    "ja");
	/* q=0 picks nothing */
	TEST_STREQ(i18n_negotiate(NULL, NULL, "de;q=0", NULL, 0, "fr"), "fr");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "de;q=0, es;q=0.001", NULL, 0,
	    "fr"), "es");
	/* case-insensitive ranges */
	TEST_STREQ(i18n_negotiate(NULL, NULL, "JA-jp", NULL, 0, "en"), "ja");

	/* "*": the fallback unless named, else the first enabled unnamed */
	TEST_STREQ(i18n_negotiate(NULL, NULL, "*", all5, 5, "es"), "es");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "it, *;q=0.5", all5, 5, "ja"),
	    "ja");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "ja;q=0, *", all5, 5, "ja"),
	    "en");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "en;q=0, ja;q=0, *", all5, 5,
	    "ja"), "de");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "*;q=0.5, fr", all5, 5, "de"),
	    "fr");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "*;q=0", de_en, 2, "de"), "de");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "fr;q=0, *", fr_only, 1, "fr"),
	    "fr");	/* "*" finds nothing; fallback */
	TEST_STREQ(i18n_negotiate(NULL, NULL, "*", NULL, 0, NULL), "en");

	/* malformed headers are no error */
	TEST_STREQ(i18n_negotiate(NULL, NULL, ";;;,,,;q=1", NULL, 0, "de"),
	    "de");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "\x01\xff, fr", NULL, 0, "de"),
	    "fr");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "fr;q=1.5, es", NULL, 0, "de"),
	    "es");
	TEST_STREQ(i18n_negotiate(NULL, NULL, "q=0.5", NULL, 0, "de"), "de");
	/* only the first 32 entries count */
	{
		struct strbuf	h = STRBUF_INIT;
		int		i;

		for (i = 0; i < 32; i++)
			strbuf_addstr(&h, "it, ");
		strbuf_addstr(&h, "fr");
		TEST_STREQ(i18n_negotiate(NULL, NULL, h.buf, NULL, 0, "de"),
		    "de");
		strbuf_reset(&h);
		for (i = 0; i < 31; i++)
			strbuf_addstr(&h, "it, ");
		strbuf_addstr(&h, "fr");
		TEST_STREQ(i18n_negotiate(NULL, NULL, h.buf, NULL, 0, "de"),
		    "fr");
		strbuf_release(&h);
	}
}

/* The catalogs: one string (and a second, so the cache holds more than
 * one entry) per language, compiled with msgfmt as "make mo" does. */
static const struct {
	const char	*lang;
	const char	*cart;
	const char	*pay;
} cat[] = {
	{ "de", "Warenkorb", "Bezahlen" },
	{ "fr", "Panier", "Payer" },
	{ "es", "Carrito", "Pagar" },
	{ "ja", "\xe3\x82\xab\xe3\x83\xbc\xe3\x83\x88",
	    "\xe6\x94\xaf\xe6\x89\x95\xe3\x81\x86" },
};

static int
write_catalogs(const char *dir)
{
	char	path[512], cmd[1200];
	FILE	*f;
	size_t	i;
	int	n;

	for (i = 0; i < NELEM(cat); i++) {
		n = snprintf(path, sizeof(path), "%s/%s", dir, cat[i].lang);
		if (n < 0 || (size_t)n >= sizeof(path) || mkdir(path, 0700))
			return -1;
		n = snprintf(path, sizeof(path), "%s/%s/LC_MESSAGES", dir,
		    cat[i].lang);
		if (n < 0 || (size_t)n >= sizeof(path) || mkdir(path, 0700))
			return -1;
		n = snprintf(path, sizeof(path), "%s/%s.po", dir, cat[i].lang);
		if (n < 0 || (size_t)n >= sizeof(path) ||
		    (f = fopen(path, "w")) == NULL)
			return -1;
		fprintf(f, "msgid \"\"\nmsgstr \"\"\n"
		    "\"Project-Id-Version: souk\\n\"\n"
		    "\"PO-Revision-Date: 2024-01-01 00:00+0000\\n\"\n"
		    "\"Last-Translator: test\\n\"\n"
		    "\"Language-Team: test\\n\"\n"
		    "\"Language: %s\\n\"\n"
		    "\"MIME-Version: 1.0\\n\"\n"
		    "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		    "\"Content-Transfer-Encoding: 8bit\\n\"\n\n"
		    "msgid \"Cart\"\nmsgstr \"%s\"\n\n"
		    "msgid \"Pay\"\nmsgstr \"%s\"\n", cat[i].lang, cat[i].cart,
		    cat[i].pay);
		if (fclose(f) != 0)
			return -1;
		n = snprintf(cmd, sizeof(cmd), "msgfmt --check -o "
		    "'%s/%s/LC_MESSAGES/souk.mo' '%s'", dir, cat[i].lang,
		    path);
		if (n < 0 || (size_t)n >= sizeof(cmd) || system(cmd) != 0)
			return -1;
	}
	return 0;
}

static void
expect(const char *lang)
{
	size_t		 i;
	const char	*cart = "Cart", *pay = "Pay";
	int		 before = _nl_msg_cat_cntr;

	TEST_STREQ(i18n_set_language(lang), lang);
	TEST_STREQ(i18n_language(), lang);
	for (i = 0; i < NELEM(cat); i++)
		if (strcmp(cat[i].lang, lang) == 0) {
			cart = cat[i].cart;
			pay = cat[i].pay;
		}
	TEST_STREQ(_("Cart"), cart);
	TEST_STREQ(_("Pay"), pay);
	TEST_STREQ(_("Not in any catalog"), "Not in any catalog");
	/* the same language again: no catalog invalidation */
	before = _nl_msg_cat_cntr;
	TEST_STREQ(i18n_set_language(lang), lang);
	TEST_CHECK(_nl_msg_cat_cntr == before);
	TEST_STREQ(_("Cart"), cart);
}

static void
test_gettext(int fresh)
{
	static const char *const seq[] = {
		"de", "fr", "de", "en", "de", "ja", "es", "en", "fr", "fr",
		"ja", "de", "en", "en", "es", "de",
	};
	char		 tmpl[] = "/tmp/souk-i18n-XXXXXX";
	char		 cmd[700];
	const char	*dir;
	size_t		 i, round;
	int		 n, before;

	if ((dir = mkdtemp(tmpl)) == NULL) {
		TEST_CHECK(!"mkdtemp");
		return;
	}
	TEST_CHECK(write_catalogs(dir) == 0);

	if (fresh) {
		/* What a fresh system has: no named locale at all. */
		locale_t l = newlocale(LC_ALL_MASK, "de_DE.UTF-8", (locale_t)0);

		TEST_CHECK(l == (locale_t)0);
		if (l != (locale_t)0)
			freelocale(l);
		TEST_CHECK(setlocale(LC_ALL, "de_DE.UTF-8") == NULL);
	}

	/* Why C.UTF-8: in the plain C locale glibc ignores LANGUAGE. */
	TEST_CHECK(i18n_init(dir) == 0);
	TEST_CHECK(setlocale(LC_ALL, "C") != NULL);
	setenv("LANGUAGE", "de", 1);
	_nl_msg_cat_cntr++;
	TEST_STREQ(gettext("Cart"), "Cart");

	setenv("LANGUAGE", "fr", 1);	/* inherited: must not leak */
	TEST_CHECK(i18n_init(dir) == 0);
	TEST_STREQ(setlocale(LC_MESSAGES, NULL), "C.UTF-8");
	TEST_STREQ(i18n_language(), "en");
	TEST_CHECK(getenv("LANGUAGE") == NULL);
	TEST_STREQ(_("Cart"), "Cart");

	for (round = 0; round < 3; round++)
		for (i = 0; i < NELEM(seq); i++)
			expect(seq[i]);

	/* unsupported codes give English */
	TEST_STREQ(i18n_set_language("de"), "de");
	TEST_STREQ(_("Cart"), "Warenkorb");
	before = _nl_msg_cat_cntr;
	TEST_STREQ(i18n_set_language("it"), "en");
	TEST_CHECK(_nl_msg_cat_cntr != before);
	TEST_STREQ(_("Cart"), "Cart");
	TEST_STREQ(i18n_set_language(NULL), "en");
	TEST_STREQ(i18n_set_language("DE"), "de");
	TEST_STREQ(_("Cart"), "Warenkorb");
	/* the C library's own numbers stay in C: '.' as decimal point */
	n = snprintf(cmd, sizeof(cmd), "%.1f", 1.5);
	TEST_STREQ(cmd, "1.5");
	i18n_set_language("en");

	n = snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	TEST_CHECK(n > 0 && (size_t)n < sizeof(cmd) && system(cmd) == 0);
}

/*
 * Runs test_gettext() in a child that sees a fresh Debian system: in a
 * user and mount namespace, /usr/lib/locale is an empty tmpfs holding
 * only the real C.utf8. Returns the child's exit status, or -1 when
 * namespaces are not available here (then the caller tests on the
 * host's locales, which proves less).
 */
static int
run_fresh(void)
{
	char	self[512], cmd[2048];
	ssize_t	n;
	int	r;

	if (system("unshare -rm true >/dev/null 2>&1") != 0)
		return -1;
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return -1;
	self[n] = '\0';
	r = snprintf(cmd, sizeof(cmd), "unshare -rm sh -ec '"
	    "d=$(mktemp -d); mount --bind /usr/lib/locale/C.utf8 $d; "
	    "mount -t tmpfs none /usr/lib/locale; "
	    "mkdir /usr/lib/locale/C.utf8; "
	    "mount --bind $d /usr/lib/locale/C.utf8; "
	    "exec \"$0\" --fresh' '%s'", self);
	if (r < 0 || (size_t)r >= sizeof(cmd))
		return -1;
	r = system(cmd);
	return WIFEXITED(r) ? WEXITSTATUS(r) : 1;
}

int
main(int argc, char **argv)
{
	int r;

	if (argc == 2 && strcmp(argv[1], "--fresh") == 0) {
		printf("fresh system (only C.utf8 in /usr/lib/locale): ");
		test_gettext(1);
		return test_done();
	}
	test_tables();
	test_qvalue();
	test_parse();
	test_negotiate();
	if ((r = run_fresh()) == -1) {
		printf("note: no mount namespace; gettext tested on the "
		    "host's locales\n");
		test_gettext(0);
	} else {
		fflush(stdout);
		TEST_CHECK(r == 0);	/* the fresh child's checks */
	}
	return test_done();
}
