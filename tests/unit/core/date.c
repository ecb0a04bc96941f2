/* Unit test of core/date.c: calendar days both ways, months' lengths. */
#include "core/common.h"
#include "core/date.h"
#include "test.h"

int
main(void)
{
	char	d[DATE_LEN];
	int64_t	first, n;

	TEST_CHECK(date_days(STR("1970-01-01")) == 0);
	TEST_CHECK(date_days(STR("1970-01-02")) == 1);
	TEST_CHECK((n = date_days(STR("2026-12-02"))) == 20789);
	date_string(n, d);
	TEST_STREQ(d, "2026-12-02");
	/* Not days of the calendar, not dates at all. */
	TEST_CHECK(date_days(STR("2026-02-29")) == -1);
	TEST_CHECK(date_days(STR("2024-02-29")) > 0);
	TEST_CHECK(date_days(STR("2026-04-31")) == -1);
	TEST_CHECK(date_days(STR("2026-13-01")) == -1);
	TEST_CHECK(date_days(STR("1969-12-31")) == -1);
	TEST_CHECK(date_days(STR("2026-1-01")) == -1);
	TEST_CHECK(date_days(STR("2026/01/01")) == -1);
	TEST_CHECK(date_days(STR("")) == -1);
	TEST_CHECK(date_days(STR("2026-01-01x")) == -1);
	/* Months: their 1st and their days. */
	TEST_CHECK(date_month_days(date_days(STR("2026-02-15")), &first) ==
	    28);
	date_string(first, d);
	TEST_STREQ(d, "2026-02-01");
	TEST_CHECK(date_month_days(date_days(STR("2024-02-29")), &first) ==
	    29);
	TEST_CHECK(date_month_days(date_days(STR("2026-12-31")), &first) ==
	    31);
	date_string(first, d);
	TEST_STREQ(d, "2026-12-01");
	TEST_CHECK(date_month_days(date_days(STR("2026-04-01")), &first) ==
	    30 && first == date_days(STR("2026-04-01")));
	TEST_CHECK(date_today() > n - 100000);
	return test_done();
}
