/*
 * tests/unit/shop/sale.c: when a sale price applies (shop/sale.c): open
 * ends, the end itself outside, a sale never above the price, the
 * merchant's checks, and dates as a form sends them.
 */
#include "core/common.h"
#include "shop/sale.h"
#include "test.h"

int
main(void)
{
	time_t		 t, from = 1000, to = 2000;
	const char	*field, *msg;
	char		 buf[32];

	/* No sale; open on either side; inside; before; at the end. */
	TEST_CHECK(!sale_active(-1, 0, 0, 1500));
	TEST_CHECK(sale_active(500, 0, 0, 1500));
	TEST_CHECK(sale_active(500, from, 0, 1500));
	TEST_CHECK(sale_active(500, 0, to, 1500));
	TEST_CHECK(sale_active(500, from, to, 1000));
	TEST_CHECK(!sale_active(500, from, to, 999));
	TEST_CHECK(!sale_active(500, from, to, 2000));
	TEST_CHECK(sale_active(0, from, to, 1999));
	TEST_CHECK(sale_price_now(1000, 800, from, to, 1500) == 800);
	TEST_CHECK(sale_price_now(1000, 800, from, to, 2500) == 1000);
	TEST_CHECK(sale_price_now(1000, -1, 0, 0, 2500) == 1000);
	/* A sale saved above the price (before validation) never raises
	 * it. */
	TEST_CHECK(sale_price_now(1000, 1200, 0, 0, 1500) == 1000);

	TEST_CHECK(sale_check(1000, 800, from, to, &field) == NULL);
	TEST_CHECK(sale_check(1000, -1, 0, 0, &field) == NULL);
	msg = sale_check(1000, 1000, 0, 0, &field);
	TEST_CHECK(msg != NULL && strcmp(field, "sale_price") == 0);
	msg = sale_check(1000, 1500, 0, 0, &field);
	TEST_CHECK(msg != NULL && strcmp(field, "sale_price") == 0);
	msg = sale_check(1000, 800, to, from, &field);
	TEST_CHECK(msg != NULL && strcmp(field, "sale_to") == 0);
	msg = sale_check(1000, 800, from, from, &field);
	TEST_CHECK(msg != NULL && strcmp(field, "sale_to") == 0);

	TEST_CHECK(sale_parse_time("", 0, &t) == 0 && t == 0);
	TEST_CHECK(sale_parse_time("1970-01-02", 10, &t) == 0 && t == 86400);
	TEST_CHECK(sale_parse_time("2026-12-24T18:30", 16, &t) == 0);
	sale_format_time(t, buf, sizeof(buf));
	TEST_STREQ(buf, "2026-12-24T18:30");
	TEST_CHECK(sale_parse_time("2026-12-24 18:30:15", 19, &t) == 0 &&
	    t % 60 == 15);
	TEST_CHECK(sale_parse_time("2026-02-31", 10, &t) == -1);
	TEST_CHECK(sale_parse_time("2026-13-01", 10, &t) == -1);
	TEST_CHECK(sale_parse_time("2026-12-24T25:00", 16, &t) == -1);
	TEST_CHECK(sale_parse_time("2026-12-24x", 11, &t) == -1);
	TEST_CHECK(sale_parse_time("tomorrow", 8, &t) == -1);
	TEST_CHECK(sale_parse_time("2040-01-01", 10, &t) == -1);
	TEST_CHECK(sale_parse_time("2026-12-2", 9, &t) == -1);
	sale_format_time(0, buf, sizeof(buf));
	TEST_STREQ(buf, "");
	return test_done();
}
