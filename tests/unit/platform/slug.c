/* tests/unit/platform/slug.c: shop slug validation. */
#include "core/common.h"
#include "platform/slug.h"
#include "test.h"

int
main(void)
{
	TEST_CHECK(slug_check(STR("acme")) == SLUG_OK);
	TEST_CHECK(slug_check(STR("a-1")) == SLUG_OK);
	TEST_CHECK(slug_check(STR("abc")) == SLUG_OK);
	TEST_CHECK(slug_check(STR("0000")) == SLUG_OK);
	TEST_CHECK(slug_check(STR("my-shop-2")) == SLUG_OK);
	TEST_CHECK(slug_check(STR("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
	    == SLUG_OK);				/* 40 */
	TEST_CHECK(slug_check(STR("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
	    == SLUG_EINVAL);				/* 41 */
	TEST_CHECK(slug_check(STR("ab")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("-abc")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("abc-")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("Acme")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("ac.me")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("ac_me")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("ac me")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("xn--abc")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("a'; DROP TABLE x; --")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("abc\0def")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("ab%")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("caf\xc3\xa9")) == SLUG_EINVAL);
	TEST_CHECK(slug_check(STR("www")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("admin")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("api")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("static")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("souk")) == SLUG_ERESERVED);
	/* Names browsers and resolvers treat specially. */
	TEST_CHECK(slug_check(STR("localhost")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("local")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("invalid")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("test")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("example")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("localdomain")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("onion")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("wpad")) == SLUG_ERESERVED);
	TEST_CHECK(slug_check(STR("mta-sts")) == SLUG_ERESERVED);
	TEST_CHECK(slug_reserved(STR("LocalHost")));
	TEST_CHECK(slug_check(STR("localhost-bakery")) == SLUG_OK);
	TEST_CHECK(slug_check(STR("my-local")) == SLUG_OK);
	TEST_CHECK(slug_reserved(STR("WWW")));
	TEST_CHECK(!slug_reserved(STR("wwwx")));
	return test_done();
}
