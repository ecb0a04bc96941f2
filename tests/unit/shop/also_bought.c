/*
 * tests/unit/shop/also_bought.c: "Customers also bought" and best
 * sellers (shop/also_bought.c): pairs counted once an order, most
 * often first and ties by id, cut at 8; cancelled orders, orders older
 * than the window, drafts and another shop's orders left out; the best
 * sellers by units; the product page's flag; a shop without orders
 * skipped; a rebuild replaces the old rows.
 */
#include "core/common.h"
#include "shop/also_bought.h"
#include "shop/catalog.h"
#include "test.h"
#include "dbtest.h"

static int
run(struct db *db, int64_t shop, const char *q)
{
	struct db_stmt	*st = db_prepare(db, q, shop);
	int		 rc;

	if (st == NULL)
		return -1;
	rc = db_exec(st, NULL);
	db_done(st);
	return rc;
}

/* An order of shop placed at (SQL expression) with status, holding
 * the products ids[] (slugs p1, p2, ...: ids 1, 2, ... in a new shop),
 * qty units each. Returns 0 or -1. */
static int
order(struct db *db, int64_t shop, const char *status, const char *at,
    const int64_t *ids, size_t n, int64_t qty)
{
	static int64_t	 number = 1000;
	struct db_stmt	*st;
	char		 idem[33], q[1024];
	int64_t		 id;
	size_t		 i;
	int		 rc, w;

	w = snprintf(q, sizeof(q), "INSERT INTO {p}orders (number, status,"
	    " email, locale, idem_key, access_key, currency,"
	    " prices_include_tax, subtotal, discount, shipping, shipping_tax,"
	    " tax, total, display_currency, fx_rate, display_total,"
	    " payment_method, created_at) VALUES (?, ?, 'a@example.com',"
	    " 'de', ?, '00112233445566778899aabbccddeeff', 'EUR', 1, 0, 0,"
	    " 0, 0, 0, 100, 'EUR', 100000000, 0, 'bacs', %s)", at);
	if (w < 0 || (size_t)w >= sizeof(q))
		return -1;
	if ((st = db_prepare(db, q, shop)) == NULL)
		return -1;
	crypto_random_hex(idem, 16);
	db_bind_i64(st, 0, ++number);
	db_bind_cstr(st, 1, status);
	db_bind_cstr(st, 2, idem);
	rc = db_exec(st, NULL);
	id = (int64_t)db_insert_id(st);
	db_done(st);
	if (rc != 0)
		return -1;
	for (i = 0; i < n; i++) {
		st = db_prepare(db, "INSERT INTO {p}order_lines (order_id,"
		    " product_id, name, qty, unit_price, tax_class, tax_rate,"
		    " subtotal, discount, tax, total) VALUES (?, ?, 'x', ?,"
		    " 100, 'standard', 0, 100, 0, 0, 100)", shop);
		if (st == NULL)
			return -1;
		db_bind_i64(st, 0, id);
		db_bind_i64(st, 1, ids[i]);
		db_bind_i64(st, 2, qty);
		rc = db_exec(st, NULL);
		db_done(st);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Twelve active products p1..p12 (ids 1..12) and a draft p13. */
static int
products(struct db *db, int64_t shop)
{
	return run(db, shop, "INSERT INTO {p}products (id, slug, price,"
	    " stock, status) SELECT seq, CONCAT('p', seq), 100, 5,"
	    " IF(seq = 13, 'draft', 'active') FROM seq_1_to_13") == 0 &&
	    run(db, shop, "INSERT INTO {p}product_texts (product_id, locale,"
	    " name, description) SELECT id, 'de', CONCAT('Produkt ', id), ''"
	    " FROM {p}products") == 0 ? 0 : -1;
}

/* The ids of what also_bought_list() or the best sellers give, "2 3". */
static const char *
ids_of(const struct product_list *l)
{
	static char	buf[256];
	size_t		i, off = 0;
	int		w;

	buf[0] = '\0';
	for (i = 0; i < l->n; i++) {
		w = snprintf(buf + off, sizeof(buf) - off, "%s%lld",
		    i ? " " : "", (long long)l->v[i].id);
		if (w < 0 || (size_t)w >= sizeof(buf) - off)
			break;
		off += (size_t)w;
	}
	return buf;
}

static int
product_flag(struct shop_ctx *c, const char *slug)
{
	struct product_page pp;

	if (catalog_product_page(c, str_c(slug), &pp) != SHOP_OK)
		return -1;
	return pp.also_bought;
}

int
main(void)
{
	static const int64_t	abc[] = { 1, 2, 3 }, ab[] = { 1, 2 };
	static const int64_t	ac[] = { 1, 3 }, abd[] = { 1, 2, 13 };
	static const int64_t	many[] = { 1, 12, 11, 10, 9, 8, 7, 6, 5, 4 };
	static const int64_t	a4[] = { 1, 4 }, b9[] = { 2, 9 };
	static const int64_t	one[] = { 12 };
	struct db		*db = dbtest_open("also_bought");
	struct arena		 a;
	struct also_bought_stats st;
	struct product_list	 l;
	int64_t			 s1, s2, s3;
	int			 ok = 1;

	arena_init(&a);
	s1 = dbtest_shop(db, "ab1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "ab2", NULL, NULL, "de", "EUR");
	s3 = dbtest_shop(db, "ab3", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0 && s3 > 0);
	TEST_CHECK(products(db, s1) == 0 && products(db, s2) == 0 &&
	    products(db, s3) == 0);
	/*
	 * Shop 1. With p1: p2 in three orders (p13 beside it is a draft),
	 * p3 in one (the other is cancelled), p4 in two, and p5..p12 in
	 * one each: eleven partners, cut to eight: p2, p4, then the ties
	 * by id p3, p5 .. p9. Two orders older than a year would lift p12
	 * (ignored).
	 */
	ok &= order(db, s1, "completed", "UTC_TIMESTAMP()", abc, 3, 1) == 0;
	ok &= order(db, s1, "processing", "UTC_TIMESTAMP()", ab, 2, 2) == 0;
	ok &= order(db, s1, "on-hold", "UTC_TIMESTAMP() - INTERVAL 3 DAY",
	    abd, 3, 1) == 0;
	ok &= order(db, s1, "cancelled", "UTC_TIMESTAMP()", ac, 2, 50) == 0;
	ok &= order(db, s1, "completed", "UTC_TIMESTAMP()", many,
	    NELEM(many), 1) == 0;
	ok &= order(db, s1, "completed", "UTC_TIMESTAMP() - INTERVAL 1 DAY",
	    a4, 2, 1) == 0;
	ok &= order(db, s1, "completed", "UTC_TIMESTAMP() - INTERVAL 400 DAY",
	    many, 2, 1) == 0;
	ok &= order(db, s1, "completed", "UTC_TIMESTAMP() - INTERVAL 400 DAY",
	    many, 2, 1) == 0;
	/* p12 alone, 20 units, 40 days ago: a pair for nobody, and too
	 * old for the best sellers (30 days). */
	ok &= order(db, s1, "completed", "UTC_TIMESTAMP() - INTERVAL 40 DAY",
	    one, 1, 20) == 0;
	/* Shop 2: p2 with p9, often: nothing of it reaches shop 1. */
	ok &= order(db, s2, "completed", "UTC_TIMESTAMP()", b9, 2, 9) == 0;
	ok &= order(db, s2, "completed", "UTC_TIMESTAMP()", b9, 2, 9) == 0;
	TEST_CHECK(ok);
	{
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c3 = { db, &a, s3, "de", "de", "EUR", NULL,
		    NULL, 0 };

		/* Before any build: nothing, and the page does not ask. */
		TEST_CHECK(product_flag(&c1, "p1") == 0);
		TEST_CHECK(also_bought_best_sellers(&c1, 8, &l) == SHOP_OK &&
		    l.n == 0);

		TEST_CHECK(also_bought_build(&c1, time(NULL), &st) ==
		    SHOP_OK);
		TEST_CHECK(!st.skipped && st.best > 0 && st.pairs > 0);
		TEST_CHECK(also_bought_list(&c1, 1, 8, &l) == SHOP_OK);
		TEST_STREQ(ids_of(&l), "2 4 3 5 6 7 8 9");
		TEST_CHECK(l.n > 0 && l.v[0].name.len > 0 &&
		    strcmp(l.v[0].name.p, "Produkt 2") == 0);
		TEST_CHECK(also_bought_list(&c1, 1, 4, &l) == SHOP_OK);
		TEST_STREQ(ids_of(&l), "2 4 3 5");
		/* p2: p1 three times, p3 once (the cancelled order had no
		 * p2), p13 is a draft; not p9 (shop 2's). */
		TEST_CHECK(also_bought_list(&c1, 2, 8, &l) == SHOP_OK);
		TEST_STREQ(ids_of(&l), "1 3");
		/* p3's partners, the cancelled order left out: p1, p2. */
		TEST_CHECK(also_bought_list(&c1, 3, 8, &l) == SHOP_OK);
		TEST_STREQ(ids_of(&l), "1 2");
		/* A draft has its own rows (its page is not shown). */
		TEST_CHECK(also_bought_list(&c1, 13, 8, &l) == SHOP_OK);
		TEST_STREQ(ids_of(&l), "1 2");
		TEST_CHECK(product_flag(&c1, "p1") == 1);
		TEST_CHECK(product_flag(&c1, "p12") == 1);
		TEST_CHECK(product_flag(&c1, "p2") == 1);

		/* Units of the last 30 days: p1 1+2+1+1+1 = 6, p2 4, p4
		 * 2, the rest 1 (not the cancelled 50 of p1 and p3, not
		 * p12's 20). Ties by id; the draft p13 is never one. */
		TEST_CHECK(also_bought_best_sellers(&c1, 8, &l) == SHOP_OK);
		TEST_STREQ(ids_of(&l), "1 2 4 3 5 6 7 8");

		/* A product made a draft since the build is not shown. */
		TEST_CHECK(run(db, s1, "UPDATE {p}products SET status ="
		    " 'draft' WHERE id = 4") == 0);
		catalog_changed(&c1);	/* as the admin's save does */
		TEST_CHECK(also_bought_list(&c1, 1, 4, &l) == SHOP_OK);
		TEST_STREQ(ids_of(&l), "2 3 5 6");
		TEST_CHECK(also_bought_best_sellers(&c1, 3, &l) == SHOP_OK);
		TEST_STREQ(ids_of(&l), "1 2 3");

		/* Shop 2 alone: p2 and p9. */
		TEST_CHECK(also_bought_build(&c2, time(NULL), &st) ==
		    SHOP_OK && st.pairs == 2 && st.best == 2);
		TEST_CHECK(also_bought_list(&c2, 2, 8, &l) == SHOP_OK);
		TEST_STREQ(ids_of(&l), "9");

		/* A shop without orders: one statement, nothing. */
		TEST_CHECK(also_bought_build(&c3, time(NULL), &st) ==
		    SHOP_OK && st.skipped && st.pairs == 0);
		TEST_CHECK(product_flag(&c3, "p1") == 0);

		/* Orders cancelled since: a rebuild replaces the rows
		 * (and empties them when nothing is left). */
		TEST_CHECK(run(db, s2, "UPDATE {p}orders SET status ="
		    " 'cancelled'") == 0);
		TEST_CHECK(also_bought_build(&c2, time(NULL), &st) ==
		    SHOP_OK && !st.skipped && st.pairs == 0 && st.best == 0);
		TEST_CHECK(also_bought_list(&c2, 2, 8, &l) == SHOP_OK &&
		    l.n == 0);
		TEST_CHECK(product_flag(&c2, "p2") == 0);
		TEST_CHECK(also_bought_build(&c2, time(NULL), &st) ==
		    SHOP_OK && st.skipped);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
