/*
 * tests/unit/shop/stats.c: the dashboard's figures over time
 * (shop/stats.c): orders and revenue per day of the shop's clock (a
 * Tokyo shop's day starts at 15:00 UTC), cancelled orders and orders
 * outside the 30 days left out, days without orders there as zeros;
 * the month's best-selling products by units, named in the language
 * asked, another shop's orders never counted.
 */
#include "core/common.h"
#include "core/tz.h"
#include "shop/stats.h"
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

/* An order at the UTC time t with status and total, one line of qty
 * units of product pid. */
static int
order(struct db *db, int64_t shop, time_t t, const char *status,
    int64_t total, int64_t pid, int64_t qty)
{
	static int64_t	 number = 5000;
	struct db_stmt	*st;
	char		 idem[33];
	int64_t		 id;
	int		 rc;

	st = db_prepare(db, "INSERT INTO {p}orders (number, status,"
	    " email, locale, idem_key, access_key, currency,"
	    " prices_include_tax, subtotal, discount, shipping, shipping_tax,"
	    " tax, total, display_currency, fx_rate, display_total,"
	    " payment_method, created_at) VALUES (?, ?, 'a@example.com',"
	    " 'de', ?, '00112233445566778899aabbccddeeff', 'EUR', 1, 0, 0,"
	    " 0, 0, 0, ?, 'EUR', 100000000, 0, 'bacs', FROM_UNIXTIME(?))",
	    shop);
	if (st == NULL)
		return -1;
	crypto_random_hex(idem, 16);
	db_bind_i64(st, 0, ++number);
	db_bind_cstr(st, 1, status);
	db_bind_cstr(st, 2, idem);
	db_bind_i64(st, 3, total);
	db_bind_i64(st, 4, t);
	rc = db_exec(st, NULL);
	id = (int64_t)db_insert_id(st);
	db_done(st);
	if (rc != 0)
		return -1;
	st = db_prepare(db, "INSERT INTO {p}order_lines (order_id,"
	    " product_id, name, qty, unit_price, tax_class, tax_rate,"
	    " subtotal, discount, tax, total) VALUES (?, ?, 'Alt', ?,"
	    " 100, 'standard', 0, 100, 0, 0, 100)", shop);
	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, id);
	db_bind_i64(st, 1, pid);
	db_bind_i64(st, 2, qty);
	rc = db_exec(st, NULL);
	db_done(st);
	return rc;
}

int
main(void)
{
	struct db		*db = dbtest_open("stats");
	struct arena		 a;
	struct stats_day	 d[STATS_DAYS];
	struct stats_product	*top;
	size_t			 n, i;
	int64_t			 s1, s2, orders = 0;
	/* 2026-03-20 10:00 UTC: 19:00 in Tokyo. */
	time_t			 now = 1774000800, today;
	int			 ok = 1;

	arena_init(&a);
	s1 = dbtest_shop(db, "st1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "st2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	TEST_CHECK(run(db, s1, "INSERT INTO {p}products (id, slug, price,"
	    " stock) VALUES (1, 'tee', 100, 5), (2, 'cup', 100, 5)") == 0);
	TEST_CHECK(run(db, s1, "INSERT INTO {p}product_texts (product_id,"
	    " locale, name, description) VALUES (1, 'de', 'Tee', ''),"
	    " (1, 'ja', 'お茶', ''), (2, 'de', 'Tasse', '')") == 0);
	today = tz_start("Asia/Tokyo", now, 0);
	TEST_CHECK(today == 1773932400);	/* 03-19 15:00 UTC */
	/* Today in Tokyo: two orders (one at 15:00 UTC yesterday, the
	 * day's first second), one cancelled. */
	ok &= order(db, s1, today, "completed", 1000, 1, 2) == 0;
	ok &= order(db, s1, now, "processing", 500, 2, 1) == 0;
	ok &= order(db, s1, now, "cancelled", 9999, 2, 50) == 0;
	/* The second before: yesterday's. */
	ok &= order(db, s1, today - 1, "completed", 300, 1, 1) == 0;
	/* 29 days back: the oldest day shown; 30: outside. */
	ok &= order(db, s1, today - 29 * 86400 + 60, "completed", 70, 2, 1)
	    == 0;
	ok &= order(db, s1, today - 30 * 86400 + 60, "completed", 80, 2, 1)
	    == 0;
	/* Tomorrow in Tokyo (a clock ahead): not counted. */
	ok &= order(db, s1, today + 86400, "completed", 90, 2, 1) == 0;
	ok &= order(db, s2, now, "completed", 777, 2, 40) == 0;
	TEST_CHECK(ok);
	{
		struct shop_ctx c = { db, &a, s1, "ja", "de", "EUR",
		    "Asia/Tokyo", NULL, 0 };
		struct shop_ctx u = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };

		TEST_CHECK(stats_days(&c, now, d) == SHOP_OK);
		TEST_CHECK(d[STATS_DAYS - 1].start == today);
		TEST_CHECK(d[STATS_DAYS - 1].orders == 2 &&
		    d[STATS_DAYS - 1].revenue == 1500);
		TEST_CHECK(d[STATS_DAYS - 2].orders == 1 &&
		    d[STATS_DAYS - 2].revenue == 300);
		TEST_CHECK(d[STATS_DAYS - 2].start == today - 86400);
		TEST_CHECK(d[0].orders == 1 && d[0].revenue == 70);
		TEST_CHECK(d[0].start == today - 29 * 86400);
		for (i = 0; i < STATS_DAYS; i++)
			orders += d[i].orders;
		TEST_CHECK(orders == 4);

		/* In UTC, Tokyo's first order of today was yesterday's,
		 * and Tokyo's tomorrow (15:00 UTC) is today's. */
		TEST_CHECK(stats_days(&u, now, d) == SHOP_OK);
		TEST_CHECK(d[STATS_DAYS - 1].orders == 2 &&
		    d[STATS_DAYS - 1].revenue == 590);
		TEST_CHECK(d[STATS_DAYS - 2].orders == 2 &&
		    d[STATS_DAYS - 2].revenue == 1300);

		/* The month (from 03-01 in Tokyo): tea 3 units, the cup 1
		 * (not the cancelled 50, not shop 2's 40); the tea in
		 * Japanese, the cup in the shop's German. */
		TEST_CHECK(stats_top_products(&c, tz_start("Asia/Tokyo",
		    now, 1), now + 1, 5, &top, &n) == SHOP_OK);
		TEST_CHECK(n == 2);
		if (n == 2) {
			TEST_CHECK(top[0].product_id == 1 &&
			    top[0].units == 3);
			TEST_STREQ(top[0].name.p, "お茶");
			TEST_CHECK(top[1].product_id == 2 &&
			    top[1].units == 1);
			TEST_STREQ(top[1].name.p, "Tasse");
		}
		TEST_CHECK(stats_top_products(&c, now, now + 1, 0, &top,
		    &n) == SHOP_OK && n == 0);
		/* A product gone keeps the order line's name. */
		TEST_CHECK(run(db, s1, "DELETE FROM {p}product_texts"
		    " WHERE product_id = 2") == 0);
		TEST_CHECK(stats_top_products(&c, today, now + 1, 2, &top,
		    &n) == SHOP_OK && n == 2);
		if (n == 2) {
			TEST_CHECK(top[1].product_id == 2);
			TEST_STREQ(top[1].name.p, "Alt");
		}
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
