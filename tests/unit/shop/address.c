/* tests/unit/shop/address.c: the one check of a postal address. */
#include "core/common.h"
#include "shop/address.h"
#include "test.h"

static struct address
good(void)
{
	struct address ad = {
		.name = STR("  Erika Mustermann "), .line1 = STR("Heidestraße 17"),
		.city = STR("Köln"), .postcode = STR("51147"),
		.country = STR("DE"), .phone = STR("+49 (221) 123-456"),
	};
	return ad;
}

static int
has(const struct field_errors *e, const char *field)
{
	size_t	i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0)
			return 1;
	return 0;
}

int
main(void)
{
	struct field_errors	 e = { .n = 0 };
	struct address		 ad = good(), b;
	struct arena		 a;
	char			 long_name[700];
	size_t			 i;

	arena_init(&a);
	TEST_CHECK(address_check(&ad, ADDRESS_FORM_SHIP, &e) == 0);
	TEST_CHECK(str_eqc(ad.name, "Erika Mustermann"));	/* trimmed */

	/* 200 Japanese characters pass (600 bytes), 201 do not. */
	for (i = 0; i < 200; i++)
		memcpy(long_name + 3 * i, "山", 3);
	ad = good();
	ad.name = (struct str){ long_name, 600 };
	TEST_CHECK(address_check(&ad, ADDRESS_FORM_PLAIN, &e) == 0);
	memcpy(long_name + 600, "山", 3);
	ad.name = (struct str){ long_name, 603 };
	TEST_CHECK(address_check(&ad, ADDRESS_FORM_PLAIN, &e) == 1);
	TEST_CHECK(has(&e, "name"));

	e.n = 0;
	ad = good();
	ad.name = STR("   ");
	ad.line1 = STR("");
	ad.city = STR("a\x01");
	ad.postcode = STR("<script>");
	ad.country = STR("de");
	ad.phone = STR("call me");
	TEST_CHECK(address_check(&ad, ADDRESS_FORM_BILL, &e) == 6);
	TEST_CHECK(has(&e, "bill_name") && has(&e, "bill_line1") &&
	    has(&e, "bill_city") && has(&e, "bill_postcode") &&
	    has(&e, "bill_country") && has(&e, "bill_phone"));

	e.n = 0;
	ad = good();
	ad.country = STR("XX");
	ad.line2 = STR("\xff\xfe");
	TEST_CHECK(address_check(&ad, ADDRESS_FORM_SHIP, &e) == 2);
	TEST_CHECK(has(&e, "ship_country") && has(&e, "ship_line2"));

	TEST_STREQ(address_field(ADDRESS_FORM_SHIP, "postcode"),
	    "ship_postcode");
	ad = good();
	b = good();
	TEST_CHECK(address_same(&ad, &b));
	b.city = STR("Bonn");
	TEST_CHECK(!address_same(&ad, &b));
	TEST_CHECK(str_eqc(address_postcode_key(&a, STR("sw1a 1aa")),
	    "SW1A1AA"));
	arena_free(&a);
	return test_done();
}
