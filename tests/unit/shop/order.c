/*
 * tests/unit/shop/order.c: an order reads back as it was stored, with
 * its lines and history; another shop's order is not there; statuses
 * name and parse both ways.
 */
#include "core/common.h"
#include "shop/order.h"
#include "test.h"
#include "dbtest.h"

static int64_t
insert(struct db *db, int64_t shop, int64_t number)
{
	struct db_stmt	*st;
	int64_t		 id;

	st = db_prepare(db, "INSERT INTO {p}orders (number, status, email,"
	    " locale, idem_key, access_key, currency, prices_include_tax,"
	    " subtotal, discount, shipping, shipping_tax, tax, total,"
	    " display_currency, fx_rate, display_total, payment_method,"
	    " ship_name, ship_line1, ship_city, ship_country, ship_kind,"
	    " ship_method)"
	    " VALUES (?, 'on-hold', 'käthe@example.com', 'de', ?, ?, 'EUR', 1,"
	    " 3990, 399, 490, 78, 651, 4081, 'CHF', 95000000, 3877, 'bacs',"
	    " 'Käthe Kruse', 'Heidestraße 17', 'Köln', 'DE', 'flat',"
	    " 'DHL Paket')", shop);
	if (st == NULL)
		return 0;
	db_bind_i64(st, 0, number);
	db_bind_cstr(st, 1, number == 1001 ? "0123456789abcdef0123456789abcdef"
	    : "fedcba9876543210fedcba9876543210");
	db_bind_cstr(st, 2, "00112233445566778899aabbccddeeff");
	if (db_exec(st, NULL) == -1)
		return 0;
	id = (int64_t)db_insert_id(st);
	db_done(st);
	st = db_prepare(db, "INSERT INTO {p}order_lines (order_id, product_id,"
	    " variant_id, sku, name, variant, qty, unit_price, tax_class,"
	    " tax_rate, subtotal, discount, tax, total) VALUES"
	    " (?, 7, 3, 'CAP-M', 'Mütze', 'M', 2, 1995, 'standard', 190000,"
	    " 3990, 399, 573, 3591)", shop);
	db_bind_i64(st, 0, id);
	if (db_exec(st, NULL) == -1)
		return 0;
	db_done(st);
	st = db_prepare(db, "INSERT INTO {p}order_events (order_id, actor,"
	    " kind, to_status, note) VALUES (?, 'shopper', 'status',"
	    " 'on-hold', '')", shop);
	db_bind_i64(st, 0, id);
	if (db_exec(st, NULL) == -1)
		return 0;
	db_done(st);
	return id;
}

int
main(void)
{
	struct db		*db = dbtest_open("order");
	struct arena		 a;
	struct order		 o;
	enum order_status	 s;
	int64_t			 s1, s2, id;
	size_t			 i;

	arena_init(&a);
	for (i = 0; i < ORDER__MAX; i++) {
		TEST_CHECK(order_status_parse(str_c(order_status_name(
		    (enum order_status)i)), &s) == 0 && s == i);
		TEST_CHECK(order_status_label((enum order_status)i)[0] != '\0');
	}
	TEST_CHECK(order_status_parse(STR("paid"), &s) == -1);
	TEST_CHECK(order_status_parse(STR(""), &s) == -1);

	s1 = dbtest_shop(db, "ord1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "ord2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	id = insert(db, s1, 1001);
	TEST_CHECK(id > 0);
	{
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "de", "de", "EUR", NULL,
		    NULL, 0 };

		TEST_CHECK(order_get(&c1, 1001, 1, &o) == SHOP_OK);
		TEST_CHECK(o.id == id && o.number == 1001);
		TEST_CHECK(o.status == ORDER_ON_HOLD);
		TEST_CHECK(str_eqc(o.email, "käthe@example.com"));
		TEST_CHECK(o.total == 4081 && o.tax == 651 &&
		    o.shipping_tax == 78 && o.fx_rate == 95000000);
		TEST_CHECK(str_eqc(o.display_currency, "CHF"));
		TEST_CHECK(str_eqc(o.ship.city, "Köln") &&
		    str_eqc(o.ship.country, "DE") && o.bill.name.len == 0);
		TEST_CHECK(o.created_at.len == 19 && o.paid_at.len == 0);
		TEST_CHECK(o.nlines == 1 && o.lines[0].qty == 2 &&
		    o.lines[0].tax_rate == 190000 &&
		    str_eqc(o.lines[0].name, "Mütze"));
		TEST_CHECK(o.nevents == 1 && o.events[0].actor ==
		    ORDER_BY_SHOPPER && str_eqc(o.events[0].to_status,
		    "on-hold"));
		TEST_CHECK(order_get_by_id(&c1, id, 0, &o) == SHOP_OK &&
		    o.number == 1001 && o.nevents == 0);
		TEST_CHECK(order_get(&c1, 1002, 0, &o) == SHOP_ENOTFOUND);
		TEST_CHECK(order_get(&c1, 0, 0, &o) == SHOP_ENOTFOUND);
		/* Shop 2 has no order 1001, whatever shop 1 has. */
		TEST_CHECK(order_get(&c2, 1001, 0, &o) == SHOP_ENOTFOUND);
		TEST_CHECK(order_get_by_id(&c2, id, 0, &o) == SHOP_ENOTFOUND);
		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(order_lock(&c1, 1001, &o) == SHOP_OK &&
		    o.nlines == 0);
		TEST_CHECK(db_tx_end(db, 0) == 0);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
