/*
 * tests/unit/shop/postcode.c: postcode pattern lists: exact codes,
 * prefixes, ranges of one length in character order, either case,
 * spaces in the address's postcode ignored; malformed patterns refused
 * and never matching; lists normalised.
 */
#include "core/common.h"
#include "shop/address.h"
#include "shop/postcode.h"
#include "test.h"

static struct arena a;

static int
m(const char *list, const char *postcode)
{
	return postcode_match(str_c(list), address_postcode_key(&a,
	    str_c(postcode)));
}

int
main(void)
{
	struct str n;

	arena_init(&a);
	TEST_CHECK(m("10115", "10115") && !m("10115", "10116"));
	TEST_CHECK(!m("10115", "101150") && !m("10115", "1011"));
	TEST_CHECK(m("80*", "80331") && m("80*", "80") && !m("80*", "81667"));
	TEST_CHECK(m("90000...90999", "90012") && m("90000...90999", "90000")
	    && m("90000...90999", "90999") && !m("90000...90999", "91000"));
	/* One length: "9001" is not in 90000...90999. */
	TEST_CHECK(!m("90000...90999", "9001") &&
	    !m("90000...90999", "900123"));
	/* British postcodes: letters either case, spaces ignored. */
	TEST_CHECK(m("SW1A*", "sw1a 1aa") && m("sw1a1aa", "SW1A 1AA"));
	TEST_CHECK(m("EC1A...EC4Z", "EC2V"));
	TEST_CHECK(m("10115, 80*\n90000...90999", "80331") &&
	    m("10115,80*", "10115"));
	TEST_CHECK(!m("", "10115") && !m("10115", ""));
	/* Malformed ones never match. */
	TEST_CHECK(!m("9...1", "5") && !m("10*1", "1001") &&
	    !m("1...22", "1") && !m("*", "10115") && !m("...", "1"));

	TEST_CHECK(postcode_list_valid(STR("10115 80* 90000...90999")));
	TEST_CHECK(postcode_list_valid(STR("")) &&
	    postcode_list_valid(STR(" , \n")));
	TEST_CHECK(!postcode_list_valid(STR("9...1")));
	TEST_CHECK(!postcode_list_valid(STR("10*1")));
	TEST_CHECK(!postcode_list_valid(STR("*")));
	TEST_CHECK(!postcode_list_valid(STR("100...1000")));
	TEST_CHECK(!postcode_list_valid(STR("10115;80331")));
	TEST_CHECK(!postcode_list_valid(STR("1011500000000000000000")));
	TEST_CHECK(!postcode_list_valid(STR("Köln")));
	n = postcode_list_norm(&a, STR(" sw1a*,10115\n 90000...90999 "));
	TEST_CHECK(str_eqc(n, "SW1A* 10115 90000...90999"));
	arena_free(&a);
	return test_done();
}
