/*
 * tests/unit/shop/tax.c: the pure parts of taxes: the rate of a class
 * for an address is the most specific matching row (postcode range,
 * then region in any case, then country, then any), then the lowest
 * position; percentages typed as merchants type them, and written
 * back. Rows saved and read are tests/unit/shop/quote.c's.
 */
#include "core/common.h"
#include "shop/tax.h"
#include "test.h"

static struct tax_rate
row(int64_t id, enum tax_class c, const char *cc, const char *region,
    const char *postcodes, int32_t rate, int64_t position)
{
	struct tax_rate r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.tax_class = c;
	str_copy(r.country, sizeof(r.country), str_c(cc));
	r.region = str_c(region);
	r.postcodes = str_c(postcodes);
	r.rate = rate;
	r.position = position;
	return r;
}

static int32_t
pick(const struct tax_rate *v, size_t n, enum tax_class c, const char *cc,
    const char *region, const char *key)
{
	const struct tax_rate *r = tax_rate_pick(v, n, c, str_c(cc),
	    str_c(region), str_c(key));

	return r ? r->rate : -1;
}

int
main(void)
{
	struct tax_rate	v[7];
	int32_t		r;
	char		buf[16];

	v[0] = row(1, TAX_STANDARD, "", "", "", 50000, 0);
	v[1] = row(2, TAX_STANDARD, "US", "CA", "90000...91999", 95000, 0);
	v[2] = row(3, TAX_STANDARD, "US", "CA", "", 72500, 0);
	v[3] = row(4, TAX_STANDARD, "US", "", "", 10000, 0);
	v[4] = row(5, TAX_STANDARD, "DE", "", "", 160000, 5);
	v[5] = row(6, TAX_STANDARD, "DE", "", "", 190000, 1);
	v[6] = row(7, TAX_REDUCED, "DE", "", "", 70000, 0);
	TEST_CHECK(pick(v, 7, TAX_STANDARD, "US", "CA", "90012") == 95000);
	TEST_CHECK(pick(v, 7, TAX_STANDARD, "US", "ca", "94103") == 72500);
	TEST_CHECK(pick(v, 7, TAX_STANDARD, "US", "NY", "10001") == 10000);
	TEST_CHECK(pick(v, 7, TAX_STANDARD, "FR", "", "75001") == 50000);
	/* Two country rows: the lower position. */
	TEST_CHECK(pick(v, 7, TAX_STANDARD, "DE", "", "10115") == 190000);
	TEST_CHECK(pick(v, 7, TAX_REDUCED, "DE", "", "10115") == 70000);
	TEST_CHECK(pick(v, 7, TAX_REDUCED, "US", "CA", "90012") == -1);
	TEST_CHECK(pick(v, 7, TAX_ZERO, "DE", "", "") == -1);
	TEST_CHECK(pick(v, 0, TAX_STANDARD, "DE", "", "") == -1);

	TEST_CHECK(tax_rate_parse(STR("19"), &r) == 0 && r == 190000);
	TEST_CHECK(tax_rate_parse(STR("7.25"), &r) == 0 && r == 72500);
	TEST_CHECK(tax_rate_parse(STR(" 7,25 % "), &r) == 0 && r == 72500);
	TEST_CHECK(tax_rate_parse(STR("0"), &r) == 0 && r == 0);
	TEST_CHECK(tax_rate_parse(STR("100"), &r) == 0 && r == 1000000);
	TEST_CHECK(tax_rate_parse(STR("8.8750"), &r) == 0 && r == 88750);
	TEST_CHECK(tax_rate_parse(STR("100.01"), &r) == -1);
	TEST_CHECK(tax_rate_parse(STR("7.12345"), &r) == -1);
	TEST_CHECK(tax_rate_parse(STR("-5"), &r) == -1);
	TEST_CHECK(tax_rate_parse(STR("7."), &r) == -1);
	TEST_CHECK(tax_rate_parse(STR(".5"), &r) == -1);
	TEST_CHECK(tax_rate_parse(STR("1e2"), &r) == -1);
	TEST_CHECK(tax_rate_parse(STR(""), &r) == -1);
	TEST_CHECK(tax_rate_parse(STR("99999999999999"), &r) == -1);

	tax_rate_format(190000, buf, sizeof(buf));
	TEST_STREQ(buf, "19");
	tax_rate_format(72500, buf, sizeof(buf));
	TEST_STREQ(buf, "7.25");
	tax_rate_format(88750, buf, sizeof(buf));
	TEST_STREQ(buf, "8.875");
	tax_rate_format(0, buf, sizeof(buf));
	TEST_STREQ(buf, "0");
	TEST_CHECK(strcmp(tax_class_name(TAX_REDUCED), "reduced") == 0);
	return test_done();
}
