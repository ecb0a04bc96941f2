/* Unit test of core/money.c: parsing, plain and ICU formatting. */
#include "core/common.h"
#include "core/money.h"
#include "core/strbuf.h"

#include "test.h"

/* The bytes ICU 72 puts in formatted amounts. */
#define NBSP	"\xc2\xa0"	/* U+00A0 no-break space */
#define NNBSP	"\xe2\x80\xaf"	/* U+202F narrow no-break space */
#define EURO	"\xe2\x82\xac"
#define YEN	"\xc2\xa5"	/* U+00A5 (en) */
#define FWYEN	"\xef\xbf\xa5"	/* U+FFE5 fullwidth yen (ja) */

static void
test_table(void)
{
	static const struct {
		const char	*code;
		int		 exp;
	} t[] = {
		{ "EUR", 2 }, { "USD", 2 }, { "GBP", 2 }, { "JPY", 0 },
		{ "CHF", 2 }, { "SEK", 2 }, { "NOK", 2 }, { "DKK", 2 },
		{ "PLN", 2 }, { "CZK", 2 }, { "HUF", 2 }, { "CAD", 2 },
		{ "AUD", 2 }, { "NZD", 2 }, { "KWD", 3 }, { "BHD", 3 },
		{ "JOD", 3 }, { "OMR", 3 }, { "TND", 3 }, { "CNY", 2 },
		{ "KRW", 0 }, { "INR", 2 }, { "BRL", 2 }, { "MXN", 2 },
		{ "ZAR", 2 }, { "SGD", 2 }, { "HKD", 2 }, { "TRY", 2 },
		{ "ILS", 2 }, { "THB", 2 },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		TEST_CHECK(money_currency_valid(t[i].code));
		TEST_CHECK(money_exponent(t[i].code) == t[i].exp);
	}
	TEST_CHECK(!money_currency_valid("eur"));
	TEST_CHECK(!money_currency_valid("EURO"));
	TEST_CHECK(!money_currency_valid("EU"));
	TEST_CHECK(!money_currency_valid(""));
	TEST_CHECK(!money_currency_valid(NULL));
	TEST_CHECK(!money_currency_valid("XXX"));
	TEST_CHECK(money_exponent("ABC") == -1);
	TEST_CHECK(money_exponent(NULL) == -1);
}

static void
test_parse(void)
{
	static const struct {
		const char	*in;
		const char	*code;
		int		 flags;
		int		 rc;
		int64_t		 want;
	} t[] = {
		{ "12", "EUR", 0, 0, 1200 },
		{ "12.5", "EUR", 0, 0, 1250 },
		{ "12.50", "EUR", 0, 0, 1250 },
		{ "12,50", "EUR", 0, 0, 1250 },
		{ "12,5", "EUR", 0, 0, 1250 },
		{ "1234.56", "EUR", 0, 0, 123456 },
		{ "0.05", "EUR", 0, 0, 5 },
		{ "0", "EUR", 0, 0, 0 },
		{ "007.10", "USD", 0, 0, 710 },
		{ "  12.50\t", "EUR", 0, 0, 1250 },
		{ "12", "JPY", 0, 0, 12 },
		{ "1235", "JPY", 0, 0, 1235 },
		{ "1234", "KRW", 0, 0, 1234 },
		{ "1.234", "KWD", 0, 0, 1234 },
		{ "1,234", "KWD", 0, 0, 1234 },
		{ "1.5", "BHD", 0, 0, 1500 },
		{ "7", "TND", 0, 0, 7000 },
		{ "0.001", "OMR", 0, 0, 1 },
		{ "-12.50", "EUR", MONEY_ALLOW_NEGATIVE, 0, -1250 },
		{ "-0", "EUR", MONEY_ALLOW_NEGATIVE, 0, 0 },
		{ "-5", "JPY", MONEY_ALLOW_NEGATIVE, 0, -5 },
		/* the int64 bounds, exactly */
		{ "92233720368547758.07", "EUR", 0, 0, INT64_MAX },
		{ "92233720368547758.08", "EUR", 0, -1, 0 },
		{ "9223372036854775807", "JPY", 0, 0, INT64_MAX },
		{ "9223372036854775808", "JPY", 0, -1, 0 },
		{ "9223372036854775.807", "KWD", 0, 0, INT64_MAX },
		{ "9223372036854775.808", "KWD", 0, -1, 0 },
		{ "92233720368547758", "EUR", 0, 0, INT64_MAX - 7 },
		{ "92233720368547759", "EUR", 0, -1, 0 },
		{ "-92233720368547758.07", "EUR", MONEY_ALLOW_NEGATIVE, 0,
		    -INT64_MAX },
		{ "-92233720368547758.08", "EUR", MONEY_ALLOW_NEGATIVE, -1, 0 },
		{ "99999999999999999999999999", "EUR", 0, -1, 0 },
		{ "000000000000000000000000000000000000000000000000001.00",
		    "EUR", 0, 0, 100 },
		/* too long, even if the value is small */
		{ "0000000000000000000000000000000000000000000000000000000000"
		    "0000001", "EUR", 0, -1, 0 },
		/* too many fraction digits for the currency */
		{ "12.505", "EUR", 0, -1, 0 },
		{ "12.500", "EUR", 0, -1, 0 },
		{ "12.0", "JPY", 0, -1, 0 },
		{ "12,5", "JPY", 0, -1, 0 },
		{ "1.2345", "KWD", 0, -1, 0 },
		/* thousands separators, in either convention */
		{ "1,234.56", "EUR", 0, -1, 0 },
		{ "1.234,56", "EUR", 0, -1, 0 },
		{ "1,234", "EUR", 0, -1, 0 },
		{ "1.234", "EUR", 0, -1, 0 },
		{ "1 234", "EUR", 0, -1, 0 },
		{ "1,234", "JPY", 0, -1, 0 },
		{ "1'234.00", "CHF", 0, -1, 0 },
		{ "1.2.3", "KWD", 0, -1, 0 },
		/* signs, exponents, junk */
		{ "-12.50", "EUR", 0, -1, 0 },
		{ "+12.50", "EUR", 0, -1, 0 },
		{ "+12", "EUR", MONEY_ALLOW_NEGATIVE, -1, 0 },
		{ "--1", "EUR", MONEY_ALLOW_NEGATIVE, -1, 0 },
		{ "-", "EUR", MONEY_ALLOW_NEGATIVE, -1, 0 },
		{ "1e3", "EUR", 0, -1, 0 },
		{ "1E3", "EUR", 0, -1, 0 },
		{ "0x10", "EUR", 0, -1, 0 },
		{ "12 .50", "EUR", 0, -1, 0 },
		{ "12€", "EUR", 0, -1, 0 },
		{ "€12", "EUR", 0, -1, 0 },
		{ "12.50 EUR", "EUR", 0, -1, 0 },
		{ "inf", "EUR", 0, -1, 0 },
		{ "nan", "EUR", 0, -1, 0 },
		/* Arabic-Indic 12 */
		{ "\xd9\xa1\xd9\xa2", "EUR", 0, -1, 0 },
		/* empty and half numbers */
		{ "", "EUR", 0, -1, 0 },
		{ "   ", "EUR", 0, -1, 0 },
		{ ".", "EUR", 0, -1, 0 },
		{ ".50", "EUR", 0, -1, 0 },
		{ ",5", "EUR", 0, -1, 0 },
		{ "12.", "EUR", 0, -1, 0 },
		{ "12,", "EUR", 0, -1, 0 },
		{ "-.5", "EUR", MONEY_ALLOW_NEGATIVE, -1, 0 },
		/* unknown currency */
		{ "12", "XYZ", 0, -1, 0 },
		{ "12", "eur", 0, -1, 0 },
		{ "12", NULL, 0, -1, 0 },
	};
	size_t	i;
	int64_t	v;

	for (i = 0; i < NELEM(t); i++) {
		int rc;

		v = 424242;
		rc = money_parse_flags(str_c(t[i].in), t[i].code,
		    (enum money_parse_flags)t[i].flags, &v);
		if (rc != t[i].rc || (rc == 0 && v != t[i].want) ||
		    (rc != 0 && v != 424242))
			fprintf(stderr, "case %zu: \"%s\" %s: rc %d v %lld\n",
			    i, t[i].in, t[i].code ? t[i].code : "NULL", rc,
			    (long long)v);
		TEST_CHECK(rc == t[i].rc);
		TEST_CHECK(rc != 0 || v == t[i].want);
		TEST_CHECK(rc == 0 || v == 424242);
	}

	/* money_parse() is the flagless form; the view need not be
	 * NUL-terminated. */
	TEST_CHECK(money_parse(STR("12.50"), "EUR", &v) == 0 && v == 1250);
	TEST_CHECK(money_parse(STR("-1"), "EUR", &v) == -1);
	TEST_CHECK(money_parse((struct str){ "12.509", 5 }, "EUR", &v) == 0 &&
	    v == 1250);
	TEST_CHECK(money_parse((struct str){ "12\0" "5", 4 }, "EUR", &v) == -1);
	TEST_CHECK(money_parse(STR_NULL, "EUR", &v) == -1);
}

static void
test_plain(void)
{
	static const struct {
		int64_t		 minor;
		const char	*code;
		const char	*want;
	} t[] = {
		{ 1250, "EUR", "12.50" },
		{ 5, "EUR", "0.05" },
		{ 0, "EUR", "0.00" },
		{ -5, "EUR", "-0.05" },
		{ -1250, "USD", "-12.50" },
		{ 1235, "JPY", "1235" },
		{ 0, "JPY", "0" },
		{ -7, "KRW", "-7" },
		{ 1234, "KWD", "1.234" },
		{ 1, "BHD", "0.001" },
		{ 100000000000000, "EUR", "1000000000000.00" },
		{ INT64_MAX, "EUR", "92233720368547758.07" },
		{ INT64_MAX, "JPY", "9223372036854775807" },
		{ -INT64_MAX, "KWD", "-9223372036854775.807" },
		/* never produced by money_parse(), but formatted right */
		{ INT64_MIN, "EUR", "-92233720368547758.08" },
	};
	char	buf[MONEY_PLAIN_MAX];
	size_t	i;
	int64_t	back;

	for (i = 0; i < NELEM(t); i++) {
		int n = money_format_plain(t[i].minor, t[i].code, buf,
		    sizeof(buf));

		TEST_CHECK(n == (int)strlen(t[i].want));
		TEST_STREQ(buf, t[i].want);
		/* what the form shows, the form reads back */
		if (t[i].minor != INT64_MIN) {
			TEST_CHECK(money_parse_flags(str_c(buf), t[i].code,
			    MONEY_ALLOW_NEGATIVE, &back) == 0);
			TEST_CHECK(back == t[i].minor);
		}
	}
	TEST_CHECK(money_format_plain(1250, "XYZ", buf, sizeof(buf)) == -1);
	TEST_CHECK(money_format_plain(1250, "EUR", buf, 6) == 5);
	TEST_CHECK(money_format_plain(1250, "EUR", buf, 5) == -1);
	TEST_CHECK(money_format_plain(-1250, "EUR", buf, 6) == -1);
	TEST_CHECK(money_format_plain(0, "JPY", buf, 1) == -1);
	TEST_CHECK(money_format_plain(0, "JPY", buf, 2) == 1);
}

static struct strbuf	sb = STRBUF_INIT;

static const char *
fmt(int64_t minor, const char *code, const char *locale)
{
	strbuf_reset(&sb);
	if (money_format(&sb, minor, code, locale) != 0)
		return "(error)";
	return sb.buf;
}

static void
test_format(void)
{
	/* Exactly what ICU 72 writes: mind the (narrow) no-break spaces. */
	TEST_STREQ(fmt(1250, "EUR", "en_US"), EURO "12.50");
	TEST_STREQ(fmt(1250, "EUR", "de_DE"), "12,50" NBSP EURO);
	TEST_STREQ(fmt(1250, "EUR", "fr_FR"), "12,50" NBSP EURO);
	TEST_STREQ(fmt(1250, "EUR", "es_ES"), "12,50" NBSP EURO);
	TEST_STREQ(fmt(1250, "EUR", "ja_JP"), EURO "12.50");
	TEST_STREQ(fmt(123456, "EUR", "en_US"), EURO "1,234.56");
	TEST_STREQ(fmt(123456, "EUR", "de_DE"), "1.234,56" NBSP EURO);
	TEST_STREQ(fmt(123456, "EUR", "fr_FR"),
	    "1" NNBSP "234,56" NBSP EURO);
	TEST_STREQ(fmt(123456, "EUR", "es_ES"), "1.234,56" NBSP EURO);
	TEST_STREQ(fmt(-5, "EUR", "en_US"), "-" EURO "0.05");
	TEST_STREQ(fmt(-5, "EUR", "de_DE"), "-0,05" NBSP EURO);

	TEST_STREQ(fmt(1250, "USD", "en_US"), "$12.50");
	TEST_STREQ(fmt(1250, "USD", "de_DE"), "12,50" NBSP "$");
	TEST_STREQ(fmt(1250, "USD", "fr_FR"), "12,50" NBSP "$US");
	TEST_STREQ(fmt(1250, "USD", "es_ES"), "12,50" NBSP "US$");
	TEST_STREQ(fmt(1250, "USD", "ja_JP"), "$12.50");

	TEST_STREQ(fmt(1235, "JPY", "ja_JP"), FWYEN "1,235");
	TEST_STREQ(fmt(1235, "JPY", "en_US"), YEN "1,235");
	TEST_STREQ(fmt(1235, "JPY", "de_DE"), "1.235" NBSP YEN);
	TEST_STREQ(fmt(1235, "JPY", "fr_FR"), "1" NNBSP "235" NBSP "JPY");
	TEST_STREQ(fmt(1235, "JPY", "es_ES"), "1.235" NBSP "JPY");
	TEST_STREQ(fmt(-5, "JPY", "ja_JP"), "-" FWYEN "5");

	TEST_STREQ(fmt(1234567, "KWD", "en_US"), "KWD" NBSP "1,234.567");
	TEST_STREQ(fmt(1234567, "KWD", "de_DE"), "1.234,567" NBSP "KWD");
	TEST_STREQ(fmt(1234567, "KWD", "fr_FR"),
	    "1" NNBSP "234,567" NBSP "KWD");
	TEST_STREQ(fmt(1234567, "KWD", "es_ES"), "1.234,567" NBSP "KWD");
	TEST_STREQ(fmt(1234567, "KWD", "ja_JP"), "KWD" NBSP "1,234.567");
	TEST_STREQ(fmt(5, "KWD", "en_US"), "KWD" NBSP "0.005");

	/* 10^12 minor units and the int64 extremes, digit for digit: a
	 * double would have lost the last ones. */
	TEST_STREQ(fmt(1000000000000, "EUR", "de_DE"),
	    "10.000.000.000,00" NBSP EURO);
	TEST_STREQ(fmt(1000000000001, "EUR", "en_US"),
	    EURO "10,000,000,000.01");
	TEST_STREQ(fmt(1000000000000, "JPY", "ja_JP"),
	    FWYEN "1,000,000,000,000");
	TEST_STREQ(fmt(INT64_MAX, "EUR", "en_US"),
	    EURO "92,233,720,368,547,758.07");
	TEST_STREQ(fmt(-INT64_MAX, "EUR", "fr_FR"),
	    "-92" NNBSP "233" NNBSP "720" NNBSP "368" NNBSP "547" NNBSP
	    "758,07" NBSP EURO);
	TEST_STREQ(fmt(INT64_MAX, "JPY", "ja_JP"),
	    FWYEN "9,223,372,036,854,775,807");
	TEST_STREQ(fmt(9007199254740993, "USD", "en_US"),
	    "$90,071,992,547,409.93");	/* 2^53 + 1 */

	/* souk's exponent, not ICU's: HUF has 2 in ISO 4217. */
	TEST_STREQ(fmt(1250, "HUF", "en_US"), "HUF" NBSP "12.50");

	/* errors leave the buffer as it was */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "x");
	TEST_CHECK(money_format(&sb, 1, "XYZ", "en_US") == -1);
	TEST_CHECK(money_format(&sb, 1, "EUR", NULL) == -1);
	TEST_CHECK(money_format(&sb, 1, "EUR",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") == -1);
	TEST_STREQ(sb.buf, "x");
	/* appends */
	TEST_CHECK(money_format(&sb, 100, "EUR", "en_US") == 0);
	TEST_STREQ(sb.buf, "x" EURO "1.00");
}

static void
test_num_date(void)
{
	/* 2024-03-05 12:00:00 UTC */
	const time_t t = 1709640000;

	strbuf_reset(&sb);
	TEST_CHECK(money_format_num(&sb, 1234567, "en_US") == 0);
	TEST_STREQ(sb.buf, "1,234,567");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_num(&sb, 1234567, "de_DE") == 0);
	TEST_STREQ(sb.buf, "1.234.567");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_num(&sb, -1234567, "fr_FR") == 0);
	TEST_STREQ(sb.buf, "-1" NNBSP "234" NNBSP "567");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_num(&sb, INT64_MAX, "en_US") == 0);
	TEST_STREQ(sb.buf, "9,223,372,036,854,775,807");

	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "en_US", MONEY_DATE_MEDIUM,
	    NULL) == 0);
	TEST_STREQ(sb.buf, "Mar 5, 2024");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "de_DE", MONEY_DATE_MEDIUM,
	    NULL) == 0);
	TEST_STREQ(sb.buf, "05.03.2024");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "fr_FR", MONEY_DATE_MEDIUM,
	    NULL) == 0);
	TEST_STREQ(sb.buf, "5 mars 2024");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "es_ES", MONEY_DATE_LONG,
	    NULL) == 0);
	TEST_STREQ(sb.buf, "5 de marzo de 2024");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "ja_JP", MONEY_DATE_MEDIUM,
	    NULL) == 0);
	TEST_STREQ(sb.buf, "2024/03/05");
	/* a chart's day: the locale's order and month name, no year */
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "en_US", MONEY_DATE_DAY_MONTH,
	    NULL) == 0);
	TEST_STREQ(sb.buf, "Mar 5");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "de_DE", MONEY_DATE_DAY_MONTH,
	    NULL) == 0);
	TEST_STREQ(sb.buf, "5. März");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "ja_JP", MONEY_DATE_DAY_MONTH,
	    "Asia/Tokyo") == 0);
	TEST_STREQ(sb.buf, "3月5日");
	/* a report's month: the locale's month name and year, no day */
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "en_US", MONEY_DATE_MONTH_YEAR,
	    NULL) == 0);
	TEST_STREQ(sb.buf, "Mar 2024");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "de_DE", MONEY_DATE_MONTH_YEAR,
	    NULL) == 0);
	TEST_STREQ(sb.buf, "März 2024");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "ja_JP", MONEY_DATE_MONTH_YEAR,
	    NULL) == 0);
	TEST_STREQ(sb.buf, "2024年3月");
	/* the time zone moves the day: 23:30 UTC is the next day in Tokyo */
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, 1709681400, "en_US",
	    MONEY_DATE_MEDIUM, "Asia/Tokyo") == 0);
	TEST_STREQ(sb.buf, "Mar 6, 2024");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, 1709681400, "en_US",
	    MONEY_DATE_MEDIUM, "UTC") == 0);
	TEST_STREQ(sb.buf, "Mar 5, 2024");
	strbuf_reset(&sb);
	TEST_CHECK(money_format_date(&sb, t, "en_US", MONEY_DATE__MAX,
	    NULL) == -1);
	TEST_CHECK(money_format_date(&sb, t, "en_US", MONEY_DATE_SHORT,
	    "Europe/\xc3\xa9") == -1);
	TEST_CHECK(money_format_date(&sb, t, "en_US", MONEY_DATE_SHORT,
	    "") == -1);
	TEST_CHECK(sb.len == 0);
}

#include "core/money.c"	/* to look into the cache */

static void
test_cache(void)
{
	size_t	i, n = 0;
	char	loc[16];
	void	*f;

	money_free();
	for (i = 0; i < FMT_SLOTS; i++)
		TEST_CHECK(fmt_cache[i].fmt == NULL);
	TEST_STREQ(fmt(1250, "EUR", "de_DE"), "12,50" NBSP EURO);
	f = fmt_get(FMT_MONEY, "de_DE", "EUR", 0);
	TEST_STREQ(fmt(1250, "EUR", "de_DE"), "12,50" NBSP EURO);
	TEST_CHECK(fmt_get(FMT_MONEY, "de_DE", "EUR", 0) == f);
	for (i = 0; i < FMT_SLOTS; i++)
		n += fmt_cache[i].fmt != NULL;
	TEST_CHECK(n == 1);
	/* More keys than slots: the oldest goes, every answer stays right. */
	for (i = 0; i < 2 * FMT_SLOTS; i++) {
		int r = snprintf(loc, sizeof(loc), "de_DE@x=%zu", i);

		TEST_CHECK(r > 0 && (size_t)r < sizeof(loc));
		TEST_STREQ(fmt(1250, "EUR", loc), "12,50" NBSP EURO);
		TEST_STREQ(fmt(1250, "JPY", "ja_JP"), FWYEN "1,250");
	}
	n = 0;
	for (i = 0; i < FMT_SLOTS; i++)
		n += fmt_cache[i].fmt != NULL;
	TEST_CHECK(n == FMT_SLOTS);
	/* ja_JP/JPY was used all along: still cached */
	for (i = 0, n = 0; i < FMT_SLOTS; i++)
		n += fmt_cache[i].fmt != NULL &&
		    strcmp(fmt_cache[i].locale, "ja_JP") == 0;
	TEST_CHECK(n == 1);
	money_free();
	for (i = 0; i < FMT_SLOTS; i++)
		TEST_CHECK(fmt_cache[i].fmt == NULL);
}

int
main(void)
{
	test_table();
	test_parse();
	test_plain();
	test_format();
	test_num_date();
	test_cache();
	money_free();
	strbuf_release(&sb);
	return test_done();
}
