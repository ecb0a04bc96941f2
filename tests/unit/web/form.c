/* Unit test of web/form.c: every type and bound, UTF-8 edges, sources. */
#include "core/common.h"
#include "http/req.h"
#include "web/form.h"
#include "test.h"

/* Checks raw against a one-field table entry of type t, bounds lo..hi,
 * flags fl; returns the error. */
static enum form_err
check(enum field_type t, int64_t lo, int64_t hi, unsigned fl, const char *raw,
    struct form_value *v)
{
	static const char *const choices[] = { "newest", "price-asc", NULL };
	struct field	f = { "x", t, lo, hi, fl, NULL, choices };
	struct form_value tmp;

	return form_check(&f, str_c(raw), v ? v : &tmp);
}

static void
test_text(void)
{
	struct form_value v;

	TEST_CHECK(check(FIELD_TEXT, 0, 5, 0, "  hello  ", &v) == FORM_OK);
	TEST_CHECK(str_eqc(v.s, "hello"));
	TEST_CHECK(check(FIELD_TEXT, 0, 5, 0, "hello!", NULL) == FORM_ELENGTH);
	TEST_CHECK(check(FIELD_TEXT, 3, 5, 0, "hi", NULL) == FORM_ELENGTH);
	TEST_CHECK(check(FIELD_TEXT, 0, 5, 0, "   ", NULL) == FORM_EMISSING);
	TEST_CHECK(check(FIELD_TEXT, 0, 5, 0, "", NULL) == FORM_EMISSING);
	/* Characters, not bytes: 5 kanji are 15 bytes, 2 emoji 8. */
	TEST_CHECK(check(FIELD_TEXT, 0, 5, 0, "東京茶舗茶", NULL) == FORM_OK);
	TEST_CHECK(check(FIELD_TEXT, 0, 5, 0, "東京茶舗茶茶", NULL) ==
	    FORM_ELENGTH);
	TEST_CHECK(check(FIELD_TEXT, 3, 5, 0, "🔑🔑", NULL) == FORM_ELENGTH);
	TEST_CHECK(check(FIELD_TEXT, 2, 2, 0, "🔑🔑", NULL) == FORM_OK);
	TEST_CHECK(check(FIELD_TEXT, 0, 1, 0, "é", NULL) == FORM_OK);
	/* Broken UTF-8 and controls. */
	TEST_CHECK(check(FIELD_TEXT, 0, 9, 0, "a\xc3", NULL) == FORM_ETEXT);
	TEST_CHECK(check(FIELD_TEXT, 0, 9, 0, "\xc3\x28", NULL) == FORM_ETEXT);
	TEST_CHECK(check(FIELD_TEXT, 0, 9, 0, "\xc0\xaf", NULL) == FORM_ETEXT);
	TEST_CHECK(check(FIELD_TEXT, 0, 9, 0, "\xed\xa0\x80", NULL) ==
	    FORM_ETEXT);		/* a surrogate */
	TEST_CHECK(check(FIELD_TEXT, 0, 9, 0, "\xf4\x90\x80\x80", NULL) ==
	    FORM_ETEXT);		/* past U+10FFFF */
	TEST_CHECK(check(FIELD_TEXT, 0, 9, 0, "a\x01", NULL) == FORM_ETEXT);
	TEST_CHECK(check(FIELD_TEXT, 0, 9, 0, "a\x7f", NULL) == FORM_ETEXT);
	TEST_CHECK(check(FIELD_TEXT, 0, 9, 0, "a\nb\tc", NULL) == FORM_OK);
	/* ASCII only. */
	TEST_CHECK(check(FIELD_TEXT, 0, 9, FIELD_ASCII, "abc", NULL) ==
	    FORM_OK);
	TEST_CHECK(check(FIELD_TEXT, 0, 9, FIELD_ASCII, "é", NULL) ==
	    FORM_EASCII);
	TEST_CHECK(check(FIELD_TEXT, 0, 9, FIELD_ASCII, "a\nb", NULL) ==
	    FORM_EASCII);
	/* max 0: no upper bound. */
	TEST_CHECK(check(FIELD_TEXT, 0, 0, 0, "a long enough text", NULL) ==
	    FORM_OK);
	/* Passwords keep their spaces and count characters. */
	TEST_CHECK(check(FIELD_PASSWORD, 0, 9, 0, " pw ", &v) == FORM_OK);
	TEST_CHECK(v.s.len == 4);
	TEST_CHECK(check(FIELD_PASSWORD, 8, 64, 0, "🔑🔑", NULL) ==
	    FORM_ELENGTH);
}

static void
test_numbers(void)
{
	struct form_value v;

	TEST_CHECK(check(FIELD_INT, 0, 10, 0, "7", &v) == FORM_OK && v.i == 7);
	TEST_CHECK(check(FIELD_INT, 0, 10, 0, " 10 ", &v) == FORM_OK &&
	    v.i == 10);
	TEST_CHECK(check(FIELD_INT, 0, 10, 0, "11", NULL) == FORM_ERANGE);
	TEST_CHECK(check(FIELD_INT, 0, 10, 0, "-1", NULL) == FORM_ERANGE);
	TEST_CHECK(check(FIELD_INT, -5, 10, 0, "-5", &v) == FORM_OK &&
	    v.i == -5);
	TEST_CHECK(check(FIELD_INT, 0, 10, 0, "1x", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_INT, 0, 10, 0, "+1", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_INT, 0, 10, 0, "99999999999999999999", NULL) ==
	    FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_INT, 0, 10, 0, "١", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_ID, 0, 0, 0, "42", &v) == FORM_OK && v.i == 42);
	TEST_CHECK(check(FIELD_ID, 0, 0, 0, "0", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_ID, 0, 0, 0, "-3", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_ID, 0, 0, 0, "9223372036854775807", &v) ==
	    FORM_OK && v.i == INT64_MAX);
	TEST_CHECK(check(FIELD_ID, 0, 0, 0, "9223372036854775808", NULL) ==
	    FORM_ESYNTAX);
	/* Money as typed: syntax here, minor units in the domain. */
	TEST_CHECK(check(FIELD_MONEY, 0, 64, 0, "12.50", &v) == FORM_OK &&
	    str_eqc(v.s, "12.50"));
	TEST_CHECK(check(FIELD_MONEY, 0, 64, 0, "12,5", NULL) == FORM_OK);
	TEST_CHECK(check(FIELD_MONEY, 0, 64, 0, "1200", NULL) == FORM_OK);
	TEST_CHECK(check(FIELD_MONEY, 0, 64, 0, "1.2.3", NULL) ==
	    FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_MONEY, 0, 64, 0, "-1", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_MONEY, 0, 64, 0, ".", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_MONEY, 0, 64, 0, "1e3", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_MONEY, 0, 4, 0, "12345", NULL) == FORM_ELENGTH);
}

static void
test_codes(void)
{
	struct form_value v;

	TEST_CHECK(check(FIELD_SLUG, 1, 10, 0, "red-shoe", NULL) == FORM_OK);
	TEST_CHECK(check(FIELD_SLUG, 1, 10, 0, "a", NULL) == FORM_OK);
	TEST_CHECK(check(FIELD_SLUG, 1, 10, 0, "-red", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_SLUG, 1, 10, 0, "Red", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_SLUG, 1, 10, 0, "é", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_SLUG, 1, 10, 0, "茶", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_SLUG, 1, 10, 0, "a_b", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_SLUG, 1, 10, 0, "a'--", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_SLUG, 1, 10, 0, "abcdefghijk", NULL) ==
	    FORM_ELENGTH);

	TEST_CHECK(check(FIELD_EMAIL, 0, 254, 0, "a@b.example", NULL) ==
	    FORM_OK);
	TEST_CHECK(check(FIELD_EMAIL, 0, 254, 0, "東京@例え.jp", NULL) ==
	    FORM_OK);
	TEST_CHECK(check(FIELD_EMAIL, 0, 254, 0, "ab.example", NULL) ==
	    FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_EMAIL, 0, 254, 0, "@b", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_EMAIL, 0, 254, 0, "a@", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_EMAIL, 0, 254, 0, "a@b@c", NULL) ==
	    FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_EMAIL, 0, 254, 0, "a b@c", NULL) ==
	    FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_EMAIL, 0, 5, 0, "ab@cde", NULL) == FORM_ELENGTH);

	TEST_CHECK(check(FIELD_LANG, 0, 0, 0, "ja", NULL) == FORM_OK);
	TEST_CHECK(check(FIELD_LANG, 0, 0, 0, "pt-br", NULL) == FORM_OK);
	TEST_CHECK(check(FIELD_LANG, 0, 0, 0, "j", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_LANG, 0, 0, 0, "-ja", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_LANG, 0, 0, 0, "JA", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_LANG, 0, 0, 0, "abcdefghi", NULL) ==
	    FORM_ESYNTAX);

	TEST_CHECK(check(FIELD_CURRENCY, 0, 0, 0, "JPY", NULL) == FORM_OK);
	TEST_CHECK(check(FIELD_CURRENCY, 0, 0, 0, "jpy", NULL) ==
	    FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_CURRENCY, 0, 0, 0, "EURO", NULL) ==
	    FORM_ESYNTAX);

	TEST_CHECK(check(FIELD_ENUM, 0, 0, 0, "price-asc", &v) == FORM_OK &&
	    v.i == 1);
	TEST_CHECK(check(FIELD_ENUM, 0, 0, 0, "price", NULL) == FORM_ESYNTAX);
	TEST_CHECK(check(FIELD_BOOL, 0, 0, 0, "on", &v) == FORM_OK && v.i == 1);
	TEST_CHECK(check(FIELD_BOOL, 0, 0, 0, "", &v) == FORM_OK && v.i == 1);
}

/* Room for more values than a form holds (test_limits()). */
#define NFKV	(FORM_MAX_VALUES + 16)
static struct kv qkv[8], fkv[NFKV];

static void
setkv(struct kv *kv, const char *k, const char *v)
{
	kv->key = str_c(k);
	kv->val = str_c(v);
}

static const struct field fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "q", FIELD_TEXT, 0, 4, FIELD_QUERY, "q-msg", NULL },
	{ "after", FIELD_ID, 0, 0, FIELD_QUERY, NULL, NULL },
	{ "name_", FIELD_TEXT, 0, 3, FIELD_PREFIX, "name-msg", NULL },
	{ "price", FIELD_MONEY, 0, 64, FIELD_REQUIRED, NULL, NULL },
	{ "stock", FIELD_INT, 0, 100, 0, NULL, NULL },
	{ "active", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ "locales", FIELD_LANG, 0, 0, FIELD_MULTI, NULL, NULL },
	{ 0 }
};

static void
test_validate(void)
{
	struct req	 r;
	struct form	 fm;
	struct str	 all[4];

	memset(&r, 0, sizeof(r));
	setkv(&r.params[0], "id", "12");
	r.nparams = 1;
	setkv(&qkv[0], "q", " 茶 ");
	setkv(&qkv[1], "after", "");		/* empty optional: absent */
	r.query = (struct kvlist){ qkv, 2 };
	setkv(&fkv[0], "csrf", "whatever");	/* undeclared: ignored */
	setkv(&fkv[1], "name_ja", "緑茶");
	setkv(&fkv[2], "name_en", "Tea");
	setkv(&fkv[3], "price", "3.50");
	setkv(&fkv[4], "price", "x");		/* a second one: ignored */
	setkv(&fkv[5], "locales", "ja");
	setkv(&fkv[6], "locales", "en");
	setkv(&fkv[7], "active", "1");
	r.form = (struct kvlist){ fkv, 8 };

	TEST_CHECK(form_validate(&fm, fields, &r) == 0);
	TEST_CHECK(fm.errs.n == 0 && fm.bad == 0);
	TEST_CHECK(form_i64(&fm, "id") == 12);
	TEST_CHECK(str_eqc(form_text(&fm, "q"), "茶"));
	TEST_CHECK(!form_has(&fm, "after") && form_i64(&fm, "after") == 0);
	TEST_CHECK(str_eqc(form_text(&fm, "name_ja"), "緑茶"));
	TEST_CHECK(str_eqc(form_text(&fm, "name_en"), "Tea"));
	TEST_CHECK(!form_has(&fm, "name_"));
	TEST_CHECK(str_eqc(form_text(&fm, "price"), "3.50"));
	TEST_CHECK(!form_has(&fm, "stock"));
	TEST_CHECK(form_bool(&fm, "active") && !form_bool(&fm, "featured"));
	TEST_CHECK(form_all(&fm, "locales", all, 4) == 2);
	TEST_CHECK(str_eqc(all[0], "ja") && str_eqc(all[1], "en"));
	TEST_CHECK(form_all(&fm, "locales", all, 1) == -1);
	TEST_CHECK(str_eqc(form_text(&fm, "undeclared"), ""));
	TEST_CHECK(str_eqc(form_text(&fm, "csrf"), ""));

	/* Errors: one per failed field, named as sent, with its source. */
	setkv(&r.params[0], "id", "abc");
	setkv(&qkv[0], "q", "12345");
	setkv(&fkv[1], "name_ja", "緑茶緑茶");
	setkv(&fkv[3], "price", "");
	setkv(&fkv[6], "locales", "EN");
	TEST_CHECK(form_validate(&fm, fields, &r) == -1);
	TEST_CHECK(fm.bad == (FIELD_PARAM | FIELD_QUERY | FORM_BAD_BODY));
	TEST_CHECK(fm.errs.n == 5);
	TEST_CHECK(form_failed(&fm, "id") && form_failed(&fm, "q"));
	TEST_CHECK(form_failed(&fm, "name_ja") && !form_failed(&fm, "name_en"));
	TEST_CHECK(form_failed(&fm, "price") && form_failed(&fm, "locales"));
	TEST_STREQ(fm.errs.v[1].msgid, "q-msg");
	TEST_STREQ(fm.errs.v[2].field, "name_ja");
	TEST_STREQ(fm.errs.v[2].msgid, "name-msg");
	TEST_STREQ(fm.errs.v[3].msgid, "This field is required.");
	/* A failed field reads as absent; the others still read. */
	TEST_CHECK(!form_has(&fm, "id") && !form_has(&fm, "name_ja"));
	TEST_CHECK(str_eqc(form_text(&fm, "name_en"), "Tea"));
	TEST_CHECK(form_all(&fm, "locales", all, 4) == 1);

	/* Sources in order whatever the table's: a body field declared
	 * first still comes after the query's error. */
	{
		static const struct field body_first[] = {
			{ "price", FIELD_MONEY, 0, 64, 0, NULL, NULL },
			{ "q", FIELD_TEXT, 0, 4, FIELD_QUERY, "q-msg", NULL },
			{ 0 }
		};

		setkv(&fkv[3], "price", "x");
		TEST_CHECK(form_validate(&fm, body_first, &r) == -1);
		TEST_CHECK(fm.errs.n == 2);
		TEST_STREQ(fm.errs.v[0].field, "q");
		TEST_STREQ(fm.errs.v[1].field, "price");
		setkv(&fkv[3], "price", "");
	}

	/* Required and absent; only the body wrong. */
	setkv(&r.params[0], "id", "1");
	setkv(&qkv[0], "q", "ok");
	r.form.n = 0;
	TEST_CHECK(form_validate(&fm, fields, &r) == -1);
	TEST_CHECK(fm.bad == FORM_BAD_BODY && fm.errs.n == 1);
	TEST_STREQ(fm.errs.v[0].field, "price");
	r.nparams = 0;
	TEST_CHECK(form_validate(&fm, fields, &r) == -1);
	TEST_CHECK(fm.bad & FIELD_PARAM);

	/* No table: nothing to check, nothing to read. */
	TEST_CHECK(form_validate(&fm, NULL, &r) == 0 && fm.n == 0);
}

static void
test_limits(void)
{
	static const struct field many[] = {
		{ "v", FIELD_INT, 0, 1000, FIELD_MULTI, NULL, NULL },
		{ 0 }
	};
	static char	 nums[NFKV][8];
	struct req	 r;
	struct form	 fm;
	size_t		 i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < NFKV; i++) {
		int n = snprintf(nums[i], sizeof(nums[i]), "%zu", i);

		TEST_CHECK(n > 0 && n < (int)sizeof(nums[i]));
		setkv(&fkv[i], "v", nums[i]);
	}
	r.form = (struct kvlist){ fkv, NFKV };
	TEST_CHECK(form_validate(&fm, many, &r) == -1);
	TEST_CHECK(fm.n == FORM_MAX_VALUES);
	TEST_CHECK(fm.errs.n == 16);	/* the rest dropped, no overflow */
	TEST_CHECK(form_i64(&fm, "v") == 0);
}

static void
test_messages(void)
{
	struct field f = { "x", FIELD_MONEY, 0, 0, 0, NULL, NULL };

	TEST_STREQ(form_msgid(&f, FORM_ESYNTAX), "Enter a price such as 12.50.");
	TEST_STREQ(form_msgid(&f, FORM_EMISSING), "This field is required.");
	f.msgid = "own";
	TEST_STREQ(form_msgid(&f, FORM_EMISSING), "own");
}

int
main(void)
{
	test_text();
	test_numbers();
	test_codes();
	test_validate();
	test_limits();
	test_messages();
	return test_done();
}
