/* tests/unit/core/country.c: ISO codes and names from ICU. */
#include "core/common.h"
#include "core/country.h"
#include "test.h"

int
main(void)
{
	struct arena		 a;
	const struct country	*l, *l2;
	size_t			 n, n2, i;
	int			 de = -1, at = -1;

	arena_init(&a);
	TEST_CHECK(country_valid(STR("DE")));
	TEST_CHECK(country_valid(STR("US")));
	TEST_CHECK(country_valid(STR("JP")));
	TEST_CHECK(!country_valid(STR("de")));
	TEST_CHECK(!country_valid(STR("XX")));
	TEST_CHECK(!country_valid(STR("SU")));		/* withdrawn */
	TEST_CHECK(!country_valid(STR("DEU")));
	TEST_CHECK(!country_valid(STR("")));
	TEST_CHECK(!country_valid(STR("D\xc3")));
	(void)country_codes(&n);
	TEST_CHECK(n > 240 && n < 260);

	TEST_STREQ(country_name(&a, "DE", "de"), "Deutschland");
	TEST_STREQ(country_name(&a, "DE", "fr"), "Allemagne");
	TEST_STREQ(country_name(&a, "DE", "ja"), "ドイツ");
	TEST_STREQ(country_name(&a, "US", "en"), "United States");

	/* Sorted as German sorts: Österreich among the O's, not after Z. */
	l = country_list(&a, "de", &n);
	for (i = 0; i < n; i++) {
		if (strcmp(l[i].code, "DE") == 0)
			de = (int)i;
		if (strcmp(l[i].code, "AT") == 0)
			at = (int)i;
	}
	TEST_CHECK(de >= 0 && at > de);
	TEST_CHECK(strcmp(l[at].name, "Österreich") == 0);
	TEST_CHECK(strcmp(l[at - 1].name, "Zypern") != 0);
	l2 = country_list(&a, "de", &n2);
	TEST_CHECK(l2 == l && n2 == n);			/* kept */
	country_free();
	arena_free(&a);
	return test_done();
}
