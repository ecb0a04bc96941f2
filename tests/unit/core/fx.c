/*
 * tests/unit/core/fx.c: the ECB parser on the real document in
 * tests/data and on broken ones, rate parsing, the change guard, and
 * conversion with both roundings, cross rates and large amounts.
 */
#include "core/common.h"
#include "core/fx.h"
#include "core/strbuf.h"
#include "test.h"

#define DATA	"tests/data/eurofxref-daily.xml"

static char	*doc;
static size_t	 doclen;

static void
load(void)
{
	FILE	*f = fopen(DATA, "rb");
	long	 n;

	if (f == NULL) {
		perror(DATA);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	doc = xmalloc((size_t)n + 1);
	doclen = fread(doc, 1, (size_t)n, f);
	doc[doclen] = '\0';
	fclose(f);
}

/* Parses s; when want_err is set, expects a failure whose reason
 * contains it, and an emptied result. */
static int
parse(const char *s, size_t len, const char *want_err, struct fx_rates *r)
{
	char	err[256] = "";
	int	rc;

	/* len 0 with a non-empty s: its strlen (literals). */
	if (len == 0)
		len = strlen(s);
	rc = fx_parse_ecb(s, len, r, err, sizeof(err));

	if (want_err != NULL) {
		TEST_CHECK(rc == -1);
		TEST_CHECK(r->n == 0 && r->date[0] == '\0');
		if (strstr(err, want_err) == NULL) {
			TEST_CHECK(!"reason");
			fprintf(stderr, "  got reason '%s', want '%s'\n", err,
			    want_err);
		}
	} else if (rc != 0)
		fprintf(stderr, "  unexpected error: %s\n", err);
	return rc;
}

/* The real document with from replaced by to (first occurrence). */
static void
edited(const char *from, const char *to, const char *want_err)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct fx_rates	 r;
	const char	*p = strstr(doc, from);

	TEST_CHECK(p != NULL);
	if (p == NULL)
		return;
	strbuf_add(&sb, doc, (size_t)(p - doc));
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, p + strlen(from));
	parse(sb.buf, sb.len, want_err, &r);
	strbuf_release(&sb);
}

static void
test_real_document(void)
{
	struct fx_rates r;

	TEST_CHECK(parse(doc, doclen, NULL, &r) == 0);
	TEST_STREQ(r.date, "2026-11-20");
	TEST_CHECK(r.n == 30);
	TEST_STREQ(r.v[0].code, "USD");
	TEST_CHECK(r.v[0].rate == 108120000);
	TEST_CHECK(fx_rate_of(&r, "JPY") == 16249000000LL);
	TEST_CHECK(fx_rate_of(&r, "GBP") == 84710000);
	TEST_CHECK(fx_rate_of(&r, "IDR") == 1718352000000LL);
	TEST_CHECK(fx_rate_of(&r, "EUR") == FX_SCALE);
	TEST_CHECK(fx_rate_of(&r, "KWD") == 0);
}

static void
test_broken_documents(void)
{
	struct fx_rates	 r;
	size_t		 cut;
	char		*junk;

	TEST_CHECK(fx_parse_ecb(doc, 0, &r, NULL, 0) == -1);
	/* Truncated anywhere: never accepted. */
	for (cut = 1; cut < doclen - 2; cut += 7)
		TEST_CHECK(parse(doc, cut, "", &r) == -1);
	parse(doc, doclen - 3, "well-formed", &r);
	edited("http://www.gesmes.org/xml/2002-08-01",
	    "http://example.com/gesmes", "gesmes:Envelope");
	edited("xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\"",
	    "xmlns=\"http://www.ecb.int/vocabulary/2099/eurofxref\"",
	    "no outer cube");
	edited("rate='162.49'", "rate='-162.49'", "invalid rate for JPY");
	edited("rate='162.49'", "rate='0'", "invalid rate for JPY");
	edited("rate='162.49'", "rate='0.00000'", "invalid rate for JPY");
	edited("rate='162.49'", "rate='1.5e2'", "invalid rate for JPY");
	edited("rate='162.49'", "rate=''", "invalid rate for JPY");
	edited("rate='162.49'", "rate='162.123456789'", "invalid rate");
	edited("currency='JPY'", "currency='USD'", "duplicate currency USD");
	edited("currency='JPY'", "currency='EUR'", "EUR itself");
	edited("currency='JPY'", "currency='jpy'", "invalid currency");
	edited("currency='JPY' ", "", "invalid currency");
	edited("time='2026-11-20'", "time='2026-02-30'", "time");
	edited("time='2026-11-20'", "time='yesterday'", "time");
	edited("time='2026-11-20'", "", "time");
	edited("<Cube time='2026-11-20'>",
	    "<Cube time='2026-11-19'></Cube><Cube time='2026-11-20'>",
	    "more than one day cube");
	edited("<Cube currency='USD' rate='1.0812'/>",
	    "<Rate currency='USD' rate='1.0812'/>", "unexpected element");
	/* No rates at all. */
	parse("<?xml version='1.0'?><gesmes:Envelope xmlns:gesmes="
	    "'http://www.gesmes.org/xml/2002-08-01' xmlns='http://www.ecb.int"
	    "/vocabulary/2002-08-01/eurofxref'><Cube><Cube time='2026-11-20'>"
	    "</Cube></Cube></gesmes:Envelope>", 0, "no rates", &r);
	parse("<html><body>503 Service Unavailable</body></html>", 0,
	    "gesmes:Envelope", &r);
	/* An external entity is never fetched nor expanded. */
	parse("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM "
	    "'file:///etc/passwd'>]><gesmes:Envelope xmlns:gesmes="
	    "'http://www.gesmes.org/xml/2002-08-01' xmlns='http://www.ecb.int"
	    "/vocabulary/2002-08-01/eurofxref'><Cube><Cube time='2026-11-20'>"
	    "<Cube currency='USD' rate='&e;'/></Cube></Cube>"
	    "</gesmes:Envelope>", 0, "", &r);
	/* 10 MB of junk: refused by size, before any parsing. */
	junk = xmalloc(10 * 1024 * 1024);
	memset(junk, 'x', 10 * 1024 * 1024);
	parse(junk, 10 * 1024 * 1024, "larger than", &r);
	/* And junk within the size limit: not XML. */
	parse(junk, 512 * 1024, "well-formed", &r);
	free(junk);
}

static void
test_rate_parse_format(void)
{
	int64_t	v;
	char	buf[32];

	TEST_CHECK(fx_rate_parse(STR("1.0812"), &v) == 0 && v == 108120000);
	TEST_CHECK(fx_rate_parse(STR("7"), &v) == 0 && v == 700000000);
	TEST_CHECK(fx_rate_parse(STR("0.00000001"), &v) == 0 && v == 1);
	TEST_CHECK(fx_rate_parse(STR("1000000000"), &v) == 0 &&
	    v == FX_RATE_MAX);
	TEST_CHECK(fx_rate_parse(STR("1000000000.00000001"), &v) == -1);
	TEST_CHECK(fx_rate_parse(STR("99999999999999999999"), &v) == -1);
	TEST_CHECK(fx_rate_parse(STR("0.000000001"), &v) == -1);
	TEST_CHECK(fx_rate_parse(STR("0"), &v) == -1);
	TEST_CHECK(fx_rate_parse(STR(".5"), &v) == -1);
	TEST_CHECK(fx_rate_parse(STR("5."), &v) == -1);
	TEST_CHECK(fx_rate_parse(STR("+5"), &v) == -1);
	TEST_CHECK(fx_rate_parse(STR(" 5"), &v) == -1);
	TEST_CHECK(fx_rate_parse(STR("1,5"), &v) == -1);
	TEST_CHECK(fx_rate_format(108120000, buf, sizeof(buf)) == 6);
	TEST_STREQ(buf, "1.0812");
	fx_rate_format(16249000000LL, buf, sizeof(buf));
	TEST_STREQ(buf, "162.4900");
	fx_rate_format(84712345, buf, sizeof(buf));
	TEST_STREQ(buf, "0.84712345");
	TEST_CHECK(fx_rate_format(1, buf, 4) == -1);
	TEST_CHECK(fx_date_valid(STR("2024-02-29")));
	TEST_CHECK(!fx_date_valid(STR("2026-02-29")));
	TEST_CHECK(!fx_date_valid(STR("2100-02-29")));
	TEST_CHECK(fx_date_valid(STR("2000-02-29")));
	TEST_CHECK(!fx_date_valid(STR("2026-13-01")));
	TEST_CHECK(!fx_date_valid(STR("2026-1-01")));
	TEST_CHECK(fx_date_diff("2026-11-20", "2026-11-23") == 3);
	TEST_CHECK(fx_date_diff("2026-12-31", "2027-01-01") == 1);
	TEST_CHECK(fx_date_diff("2024-02-28", "2024-03-01") == 2);
	TEST_CHECK(fx_date_diff("2026-11-23", "2026-11-20") == -3);
}

static struct fx_rates
rates(void)
{
	struct fx_rates r;

	memset(&r, 0, sizeof(r));
	memcpy(r.date, "2026-11-20", 11);
	memcpy(r.v[0].code, "USD", 4);
	r.v[0].rate = 108120000;		/* 1.0812 */
	memcpy(r.v[1].code, "JPY", 4);
	r.v[1].rate = 16249000000LL;		/* 162.49 */
	memcpy(r.v[2].code, "KWD", 4);
	r.v[2].rate = 33250000;			/* 0.3325 */
	memcpy(r.v[3].code, "IDR", 4);
	r.v[3].rate = 1718352000000LL;		/* 17183.52 */
	memcpy(r.v[4].code, "CHF", 4);
	r.v[4].rate = 250000000;		/* 2.5: exact ties */
	r.n = 5;
	return r;
}

static int64_t
conv(const struct fx_rates *r, int64_t amount, const char *from,
    const char *to, enum fx_round mode)
{
	struct fx_conversion c;

	if (fx_convert(r, amount, from, to, mode, &c) == -1)
		return -424242;
	return c.amount;
}

static void
test_convert(void)
{
	struct fx_rates		r = rates();
	struct fx_conversion	c;
	const enum fx_round	up = FX_ROUND_HALF_UP, even = FX_ROUND_HALF_EVEN;

	/* EUR -> JPY: 10.00 EUR = 1624.9 yen, 0 decimals. */
	TEST_CHECK(fx_convert(&r, 1000, "EUR", "JPY", up, &c) == 0);
	TEST_CHECK(c.amount == 1625);
	TEST_CHECK(c.base_per_eur == FX_SCALE);
	TEST_CHECK(c.quote_per_eur == 16249000000LL);
	TEST_CHECK(c.rate == 16249000000LL);
	TEST_STREQ(c.from, "EUR");
	TEST_STREQ(c.to, "JPY");
	TEST_STREQ(c.date, "2026-11-20");
	/* EUR -> USD: 19.99 EUR = 21.613188 USD. */
	TEST_CHECK(conv(&r, 1999, "EUR", "USD", up) == 2161);
	/* USD -> KWD (3 decimals), a cross rate through the euro:
	 * 100.00 USD * 0.3325 / 1.0812 = 30.75286718 KWD. */
	TEST_CHECK(conv(&r, 10000, "USD", "KWD", up) == 30753);
	TEST_CHECK(conv(&r, 10000, "USD", "KWD", even) == 30753);
	/* USD -> JPY: 10.00 * 162.49 / 1.0812 = 1502.867 yen; the rate
	 * used is 150.28671846.09693... -> 15028671846. */
	TEST_CHECK(fx_convert(&r, 1000, "USD", "JPY", up, &c) == 0);
	TEST_CHECK(c.amount == 1503);
	TEST_CHECK(c.rate == 15028671846LL);
	TEST_CHECK(c.base_per_eur == 108120000);
	/* JPY -> EUR: 1625 yen = 10.0006 EUR. */
	TEST_CHECK(conv(&r, 1625, "JPY", "EUR", up) == 1000);
	/* Same currency: the amount itself, rate 1. */
	TEST_CHECK(fx_convert(&r, 12345, "USD", "USD", up, &c) == 0);
	TEST_CHECK(c.amount == 12345 && c.rate == FX_SCALE);

	/* Ties: EUR -> CHF at 2.5: 0.01 EUR = 0.025 CHF. */
	TEST_CHECK(conv(&r, 1, "EUR", "CHF", up) == 3);
	TEST_CHECK(conv(&r, 1, "EUR", "CHF", even) == 2);
	TEST_CHECK(conv(&r, 3, "EUR", "CHF", up) == 8);	/* 7.5 */
	TEST_CHECK(conv(&r, 3, "EUR", "CHF", even) == 8);
	TEST_CHECK(conv(&r, -1, "EUR", "CHF", up) == -3);
	TEST_CHECK(conv(&r, -1, "EUR", "CHF", even) == -2);
	/* Not a tie: rounds to nearest in both modes. */
	TEST_CHECK(conv(&r, 1999, "EUR", "USD", even) == 2161);
	TEST_CHECK(conv(&r, -1999, "EUR", "USD", up) == -2161);

	/* Large amounts: 10^12 minor units, no overflow. */
	TEST_CHECK(conv(&r, 1000000000000LL, "EUR", "IDR", up) ==
	    17183520000000000LL);
	TEST_CHECK(conv(&r, 1000000000000LL, "USD", "JPY", up) ==
	    1502867184610LL);
	TEST_CHECK(conv(&r, 1000000000000LL, "USD", "KWD", up) ==
	    3075286718461LL);
	TEST_CHECK(conv(&r, -1000000000000LL, "USD", "KWD", up) ==
	    -3075286718461LL);
	TEST_CHECK(conv(&r, FX_AMOUNT_MAX, "IDR", "JPY", up) > 0);
	TEST_CHECK(conv(&r, FX_AMOUNT_MAX + 1, "EUR", "USD", up) == -424242);
	/* A result beyond int64: refused, not wrapped. */
	TEST_CHECK(conv(&r, FX_AMOUNT_MAX, "EUR", "IDR", up) == -424242);

	/* No rate, unknown currency. */
	TEST_CHECK(conv(&r, 100, "EUR", "GBP", up) == -424242);
	TEST_CHECK(conv(&r, 100, "GBP", "EUR", up) == -424242);
	TEST_CHECK(conv(&r, 100, "EUR", "XXX", up) == -424242);
	TEST_CHECK(conv(&r, 100, "EUR", NULL, up) == -424242);
}

static void
test_check_change(void)
{
	struct fx_rates	old = rates(), new = rates();
	char		err[200];
	int64_t		f15 = 150000000;

	TEST_CHECK(fx_check_change(&old, &new, f15, err, sizeof(err)) == 0);
	new.v[1].rate = 16249000000LL * 3 / 2;		/* exactly 1.5x */
	TEST_CHECK(fx_check_change(&old, &new, f15, err, sizeof(err)) == 0);
	new.v[1].rate += 1;
	TEST_CHECK(fx_check_change(&old, &new, f15, err, sizeof(err)) == -1);
	TEST_CHECK(strstr(err, "JPY") != NULL);
	new = rates();
	new.v[0].rate = 108120000 / 2;			/* halved */
	TEST_CHECK(fx_check_change(&old, &new, f15, err, sizeof(err)) == -1);
	TEST_CHECK(strstr(err, "USD moves from 1.0812 to 0.5406") != NULL);
	/* New currencies and gone ones are fine. */
	new = rates();
	memcpy(new.v[0].code, "GBP", 4);
	old.n = 2;
	TEST_CHECK(fx_check_change(&old, &new, f15, err, sizeof(err)) == 0);
	TEST_CHECK(fx_check_change(&old, &new, FX_SCALE - 1, err,
	    sizeof(err)) == -1);
}

int
main(void)
{
	load();
	test_real_document();
	test_broken_documents();
	test_rate_parse_format();
	test_convert();
	test_check_change();
	free(doc);
	return test_done();
}
