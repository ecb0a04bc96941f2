/*
 * tests/unit/shop/shipping.c: the pure parts of shipping: weight bands
 * parsed and priced (the heaviest band, "*", the edges, a cart heavier
 * than every band without "*"), bands refused when malformed, a zone's
 * countries, "*", regions in any case and postcodes, and which methods
 * a cart is offered (free from its total after discounts, disabled
 * never). The database side is tests/unit/shop/quote.c's.
 */
#include "core/common.h"
#include "shop/shipping.h"
#include "test.h"

static int64_t
cost(const char *bands, int64_t g)
{
	int64_t c = -1;

	return weight_bands_cost(str_c(bands), g, &c) == 0 ? c : -1;
}

static int
covers(const char *countries, const char *regions, const char *postcodes,
    const char *cc, const char *region, const char *key)
{
	struct ship_zone z;

	memset(&z, 0, sizeof(z));
	z.countries = str_c(countries);
	z.regions = str_c(regions);
	z.postcodes = str_c(postcodes);
	return ship_zone_covers(&z, str_c(cc), str_c(region), str_c(key));
}

int
main(void)
{
	struct weight_band	b[WEIGHT_BANDS_MAX];
	struct ship_method	m;
	int64_t			c;

	TEST_CHECK(weight_bands_parse(STR("1000:490 5000:990 *:1990"), b,
	    WEIGHT_BANDS_MAX) == 3 && b[0].max_g == 1000 && b[0].cost == 490 &&
	    b[2].max_g == -1 && b[2].cost == 1990);
	TEST_CHECK(cost("1000:490 5000:990 *:1990", 0) == 490);
	TEST_CHECK(cost("1000:490 5000:990 *:1990", 1000) == 490);
	TEST_CHECK(cost("1000:490 5000:990 *:1990", 1001) == 990);
	TEST_CHECK(cost("1000:490 5000:990 *:1990", 80000) == 1990);
	TEST_CHECK(cost("1000:490,5000:990", 5001) == -1);
	TEST_CHECK(cost("*:0", 123456) == 0);
	TEST_CHECK(weight_bands_parse(STR("1000:490 500:300"), b, 32) == -1);
	TEST_CHECK(weight_bands_parse(STR("1000:490 1000:300"), b, 32) == -1);
	TEST_CHECK(weight_bands_parse(STR("*:100 1000:490"), b, 32) == -1);
	TEST_CHECK(weight_bands_parse(STR("1000:-1"), b, 32) == -1);
	TEST_CHECK(weight_bands_parse(STR("0:100"), b, 32) == -1);
	TEST_CHECK(weight_bands_parse(STR("1000:4.90"), b, 32) == -1);
	TEST_CHECK(weight_bands_parse(STR("1000"), b, 32) == -1);
	TEST_CHECK(weight_bands_parse(STR("1000:99999999999"), b, 32) == -1);
	TEST_CHECK(weight_bands_parse(STR(""), b, 32) == -1);
	TEST_CHECK(weight_bands_parse(STR("1:1 2:2 3:3"), b, 2) == -1);

	TEST_CHECK(covers("DE AT", "", "", "AT", "", "1010"));
	TEST_CHECK(!covers("DE AT", "", "", "FR", "", "75001"));
	TEST_CHECK(covers("*", "", "", "JP", "", ""));
	TEST_CHECK(covers("", "US:CA US:NY", "", "US", " ca ", "94103"));
	TEST_CHECK(!covers("", "US:CA", "", "US", "TX", "75001"));
	TEST_CHECK(!covers("", "US:CA", "", "CA", "CA", ""));
	TEST_CHECK(covers("", "US:New York, US:CA", "", "US", "new york",
	    "10001"));
	TEST_CHECK(covers("DE", "", "10* 20*", "DE", "", "10115"));
	TEST_CHECK(!covers("DE", "", "10* 20*", "DE", "", "80331"));
	TEST_CHECK(!covers("DE", "", "", "", "", ""));

	memset(&m, 0, sizeof(m));
	m.enabled = 1;
	m.kind = SHIP_FREE;
	m.min_total = 5000;
	TEST_CHECK(ship_method_offered(&m, 5000, 0, &c) && c == 0);
	TEST_CHECK(!ship_method_offered(&m, 4999, 0, &c));
	m.kind = SHIP_FLAT;
	m.cost = 490;
	TEST_CHECK(ship_method_offered(&m, 0, 0, &c) && c == 490);
	m.kind = SHIP_WEIGHT;
	m.bands = STR("1000:690 *:1290");
	TEST_CHECK(ship_method_offered(&m, 0, 1500, &c) && c == 1290);
	m.enabled = 0;
	TEST_CHECK(!ship_method_offered(&m, 0, 1500, &c));
	TEST_CHECK(strcmp(ship_kind_name(SHIP_PICKUP), "pickup") == 0);
	{
		enum ship_kind k;

		TEST_CHECK(ship_kind_parse(STR("weight"), &k) == 0 &&
		    k == SHIP_WEIGHT && ship_kind_parse(STR("Flat"), &k) == -1);
	}
	return test_done();
}
