/*
 * tests/unit/shop/category.c: categories against the real MariaDB: a new
 * category is named in the shop's default language whatever the admin's
 * (defect 14), and the worker's cache shows a change at once for that
 * shop without dropping another shop's entries.
 */
#include "core/common.h"
#include "core/arena.h"
#include "platform/provision.h"
#include "shop/category.h"
#include "dbtest.h"
#include "test.h"

static struct arena a;

static const char *
name_of(struct shop_ctx *c, const char *slug)
{
	struct category cat;

	if (category_by_slug(c, str_c(slug), &cat) != SHOP_OK)
		return "(none)";
	return cat.name.p;
}

int
main(void)
{
	struct db		*db = dbtest_open("test-category");
	struct field_errors	 errs;
	struct shop_ctx		 admin_en, de, fr, other;
	int64_t			 s1, s2, id, id2;

	arena_init(&a);
	s1 = dbtest_shop(db, "cat1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "cat2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	/* A German shop; its admin works in English. */
	admin_en = (struct shop_ctx){ db, &a, s1, "en", "de", "EUR", NULL,
	    NULL, 0 };
	de = (struct shop_ctx){ db, &a, s1, "de", "de", "EUR", NULL, NULL, 0 };
	fr = (struct shop_ctx){ db, &a, s1, "fr", "de", "EUR", NULL, NULL, 0 };
	other = (struct shop_ctx){ db, &a, s2, "de", "de", "EUR", NULL,
	    NULL, 0 };

	TEST_CHECK(category_add(&admin_en, STR(""), STR("Kuchen"), 0, &errs,
	    &id) == SHOP_OK);
	/* Every visitor sees the name, not the slug "kuchen". */
	TEST_CHECK(strcmp(name_of(&de, "kuchen"), "Kuchen") == 0);
	TEST_CHECK(strcmp(name_of(&fr, "kuchen"), "Kuchen") == 0);
	TEST_CHECK(strcmp(name_of(&admin_en, "kuchen"), "Kuchen") == 0);
	TEST_CHECK(category_exists(&de, id) == 1);
	TEST_CHECK(category_exists(&other, id) == 0);
	TEST_CHECK(category_add(&de, STR("kuchen"), STR("Noch"), 0, &errs,
	    &id2) == SHOP_ECONFLICT && errs.n == 1);

	/* The other shop's list is cached; this shop's change must show
	 * here at once and leave the other shop's entry in place: a row
	 * written behind the cache's back stays unseen there. */
	TEST_CHECK(category_add(&other, STR("brot"), STR("Brot"), 0, &errs,
	    &id2) == SHOP_OK);
	TEST_CHECK(strcmp(name_of(&other, "brot"), "Brot") == 0);
	TEST_CHECK(db_exec_ddl(db, "UPDATE {p}category_texts SET name = "
	    "'Brot (behind)'", s2) == 0);
	TEST_CHECK(category_set_name(&fr, id, "fr", STR("Gâteaux")) ==
	    SHOP_OK);
	TEST_CHECK(strcmp(name_of(&fr, "kuchen"), "Gâteaux") == 0);
	TEST_CHECK(strcmp(name_of(&other, "brot"), "Brot") == 0);
	category_cache_free();
	TEST_CHECK(strcmp(name_of(&other, "brot"), "Brot (behind)") == 0);
	category_cache_free();
	arena_free(&a);
	db_close(db);
	return test_done();
}
