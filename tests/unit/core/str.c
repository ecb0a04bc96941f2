/* tests/unit/core/str.c: views, range-checked numbers, text validity. */
#include "core/common.h"
#include "test.h"

static int
num(const char *s, int64_t min, int64_t max, int64_t *v)
{
	return str_to_i64(str_c(s), min, max, v);
}

int
main(void)
{
	int64_t v = 0;

	TEST_CHECK(num("0", 0, 10, &v) == 0 && v == 0);
	TEST_CHECK(num("10", 0, 10, &v) == 0 && v == 10);
	TEST_CHECK(num("11", 0, 10, &v) == -1);
	TEST_CHECK(num("-5", -10, 10, &v) == 0 && v == -5);
	TEST_CHECK(num("9223372036854775807", 0, INT64_MAX, &v) == 0 &&
	    v == INT64_MAX);
	TEST_CHECK(num("9223372036854775808", 0, INT64_MAX, &v) == -1);
	TEST_CHECK(num("-9223372036854775808", INT64_MIN, 0, &v) == 0 &&
	    v == INT64_MIN);
	TEST_CHECK(num("-9223372036854775809", INT64_MIN, 0, &v) == -1);
	TEST_CHECK(num("99999999999999999999", 0, INT64_MAX, &v) == -1);
	/* Nothing but digits: no spaces, signs, hex, empty, lone minus. */
	TEST_CHECK(num("", 0, 10, &v) == -1);
	TEST_CHECK(num("-", -10, 10, &v) == -1);
	TEST_CHECK(num("+1", 0, 10, &v) == -1);
	TEST_CHECK(num(" 1", 0, 10, &v) == -1);
	TEST_CHECK(num("1 ", 0, 10, &v) == -1);
	TEST_CHECK(num("0x1", 0, 10, &v) == -1);
	TEST_CHECK(num("1e3", 0, 10000, &v) == -1);
	TEST_CHECK(str_to_i64((struct str){ "12", 1 }, 0, 99, &v) == 0 &&
	    v == 1);					/* the view's length */
	TEST_CHECK(str_to_i64c(NULL, 0, 1, &v) == -1);

	TEST_CHECK(str_eq(STR("abc"), str_c("abc")));
	TEST_CHECK(!str_eq(STR("abc"), STR("abd")));
	TEST_CHECK(str_eq(STR(""), str_c(NULL)));
	TEST_CHECK(str_casecmp_eq(STR("Shop.Example"), STR("shop.example")));
	TEST_CHECK(str_starts(STR("/admin/x"), STR("/admin/")));
	TEST_CHECK(!str_starts(STR("/adm"), STR("/admin/")));
	TEST_CHECK(str_eq(str_trim(STR(" \t a b \r\n")), STR("a b")));
	TEST_CHECK(str_trim(STR("   ")).len == 0);

	{
		char buf[4];

		str_copy(buf, sizeof(buf), STR("EUR"));
		TEST_STREQ(buf, "EUR");
		str_copy(buf, sizeof(buf), STR("EURO"));	/* cut to fit */
		TEST_STREQ(buf, "EUR");
		str_copy(buf, sizeof(buf), STR(""));
		TEST_STREQ(buf, "");
		str_errf(NULL, 0, "%s", "ignored");
		str_errf(buf, sizeof(buf), "%d", 12345);
		TEST_STREQ(buf, "123");
	}
	TEST_CHECK(str_valid_text(STR("Käse, 煎茶 and tabs\tand\r\nlines")));
	TEST_CHECK(str_valid_text(STR("\xf0\x9f\x8d\x9e")));	/* U+1F35E */
	TEST_CHECK(!str_valid_text((struct str){ "a\0b", 3 }));
	TEST_CHECK(!str_valid_text(STR("bell\x07")));
	TEST_CHECK(!str_valid_text(STR("del\x7f")));
	TEST_CHECK(!str_valid_text(STR("\xc3")));		/* truncated */
	TEST_CHECK(!str_valid_text(STR("\xc0\xaf")));		/* overlong */
	TEST_CHECK(!str_valid_text(STR("\xed\xa0\x80")));	/* surrogate */
	TEST_CHECK(!str_valid_text(STR("\xf4\x90\x80\x80")));	/* > 10FFFF */
	TEST_CHECK(!str_valid_text(STR("\xff")));

	/* Limits count characters: 70 Japanese ones are 210 bytes. */
	TEST_CHECK(str_chars(STR("")) == 0);
	TEST_CHECK(str_chars(STR("abc")) == 3);
	TEST_CHECK(str_chars(STR("Käse")) == 4);
	TEST_CHECK(str_chars(STR("煎茶")) == 2);
	TEST_CHECK(str_chars(STR("\xf0\x9f\x94\x91\xf0\x9f\x94\x91")) == 2);
	TEST_CHECK(str_hexval('0') == 0 && str_hexval('9') == 9);
	TEST_CHECK(str_hexval('a') == 10 && str_hexval('F') == 15);
	TEST_CHECK(str_hexval('g') == -1 && str_hexval('\xc3') == -1);
	TEST_CHECK(str_is_ascii(STR("surf-cap_42 A~")));
	TEST_CHECK(str_is_ascii(STR("")));
	TEST_CHECK(!str_is_ascii(STR("\xc3\xa9")));
	TEST_CHECK(!str_is_ascii(STR("茶")));
	TEST_CHECK(!str_is_ascii(STR("tab\there")));
	{
		static const char *const names[] = { "flat", NULL, "free" };

		TEST_CHECK(str_index(STR("flat"), names, 3) == 0);
		TEST_CHECK(str_index(STR("free"), names, 3) == 2);
		TEST_CHECK(str_index(STR("fre"), names, 3) == -1);
		TEST_CHECK(str_index(STR(""), names, 3) == -1);
		TEST_CHECK(str_index(STR("FLAT"), names, 3) == -1);
		TEST_CHECK(str_index(STR("free"), names, 2) == -1);
	}
	return test_done();
}
