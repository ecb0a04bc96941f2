/*
 * tests/unit/shop/order_place.c: placing an order against the real
 * MariaDB: every figure as the quote computed it, the stock taken, the
 * order's lines, history and jobs written and the cart emptied in one
 * transaction; the idempotency key places one order however often it
 * is sent; a line short of stock, a tampered total or a bad key write
 * nothing at all, and stock never goes below zero.
 */
#include "core/common.h"
#include "core/arena.h"
#include "shop/cart.h"
#include "shop/catalog.h"
#include "shop/order.h"
#include "shop/order_place.h"
#include "shop/payment.h"
#include "shop/quote.h"
#include "dbtest.h"
#include "test.h"

static struct arena a;

static int64_t
product(struct shop_ctx *c, const char *slug, const char *name, int64_t stock)
{
	struct product_input	in;
	struct field_errors	errs;
	char			sbuf[24];
	int64_t			id = 0;

	memset(&in, 0, sizeof(in));
	in.slug = str_c(slug);
	in.price = STR("10.00");
	snprintf(sbuf, sizeof(sbuf), "%lld", (long long)stock);
	in.stock = str_c(arena_strdup(&a, sbuf));
	in.active = 1;
	snprintf(in.texts[0].locale, sizeof(in.texts[0].locale), "de");
	in.texts[0].name = str_c(name);
	in.texts[0].description = STR("");
	in.ntexts = 1;
	TEST_CHECK(catalog_product_save(c, 0, &in, &errs, &id) == SHOP_OK);
	return id;
}

static int64_t
count(struct shop_ctx *c, const char *sql)
{
	struct db_stmt	*st = db_prepare(c->db, sql, c->tenant);
	int64_t		 n = -1;

	if (st != NULL && db_exec(st, NULL) == 0 && db_step(st) == 1)
		n = db_col_i64(st, 0);
	if (st != NULL)
		db_done(st);
	return n;
}

static int64_t
jobs(struct shop_ctx *c)
{
	struct db_stmt	*st = db_prepare(c->db, "SELECT COUNT(*) FROM souk_jobs"
			    " WHERE tenant_id = ? AND kind LIKE 'shop.order_%'",
			    0);
	int64_t		 n = -1;

	db_bind_i64(st, 0, c->tenant);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	return n;
}

static void
exec_sql(struct shop_ctx *c, const char *sql)
{
	TEST_CHECK(db_exec_ddl(c->db, sql, c->tenant) == 0);
}

/* What a shop writes per order: orders, lines, events, jobs. */
struct counts {
	int64_t orders, lines, events, jobs;
};

static struct counts
counts(struct shop_ctx *c)
{
	struct counts k;

	k.orders = count(c, "SELECT COUNT(*) FROM {p}orders");
	k.lines = count(c, "SELECT COUNT(*) FROM {p}order_lines");
	k.events = count(c, "SELECT COUNT(*) FROM {p}order_events");
	k.jobs = jobs(c);
	return k;
}

static int
same(struct counts x, struct counts y)
{
	return x.orders == y.orders && x.lines == y.lines &&
	    x.events == y.events && x.jobs == y.jobs;
}

/* The quote of cart for in's address and method: what the review page
 * shows the shopper. */
static int64_t
reviewed(struct shop_ctx *c, const struct cart *cart,
    const struct order_place_in *in)
{
	struct quote_line	*ql = arena_calloc(&a, cart->nlines,
				    sizeof(*ql));
	struct quote_in		 qi;
	struct quote		 q;
	struct field_errors	 errs = { .n = 0 };
	size_t			 i;

	for (i = 0; i < cart->nlines; i++) {
		ql[i].product_id = cart->lines[i].product_id;
		ql[i].variant_id = cart->lines[i].variant_id;
		ql[i].unit_price = cart->lines[i].unit_price;
		ql[i].qty = cart->lines[i].qty;
		ql[i].tax_class = TAX_STANDARD;
	}
	memset(&qi, 0, sizeof(qi));
	qi.lines = ql;
	qi.nlines = cart->nlines;
	qi.ship_to = &in->ship;
	qi.method_id = in->method_id;
	qi.coupon = cart->coupon_code;
	qi.email = in->email;
	TEST_CHECK(quote_compute(c, &qi, &q, &errs) == SHOP_OK);
	TEST_CHECK(errs.n == 0 && q.method_id > 0);
	return q.total;
}

static int
has(const struct field_errors *e, const char *field)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0)
			return 1;
	return 0;
}

int
main(void)
{
	struct db		*db = dbtest_open("order_place");
	struct field_errors	 errs;
	struct cart_problem	 p;
	struct cart		 cart;
	struct cart_owner	 o;
	struct order_place_in	 in;
	struct order_place_out	 out, again;
	struct order		 ord;
	struct counts		 before;
	char			 tok[CART_TOKEN_HEX + 1];
	int64_t			 s1, pa, pb, mid, number;

	arena_init(&a);
	s1 = dbtest_shop(db, "place", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0);
	struct shop_ctx c = { db, &a, s1, "de", "de", "EUR", NULL, NULL, 0 };

	/* The shop ships to Germany (flat 4.90), with German VAT. */
	exec_sql(&c, "INSERT INTO {p}ship_zones (name, position, countries)"
	    " VALUES ('Deutschland', 0, 'DE')");
	exec_sql(&c, "INSERT INTO {p}ship_methods (zone_id, kind, name, cost)"
	    " SELECT id, 'flat', 'DHL Paket', 490 FROM {p}ship_zones");
	exec_sql(&c, "INSERT INTO {p}tax_rates (class, country, rate, name)"
	    " VALUES ('standard', 'DE', 190000, 'MwSt.'),"
	    " ('reduced', 'DE', 70000, 'MwSt.')");
	mid = count(&c, "SELECT MIN(id) FROM {p}ship_methods");
	pa = product(&c, "brot", "Roggenbrot", 3);
	pb = product(&c, "kuchen", "Kuchen", 10);

	cart_token_new(tok);
	o = (struct cart_owner){ str_c(tok), 0, 0, 0 };
	errs.n = 0;
	TEST_CHECK(cart_add(&c, &o, pa, 0, 2, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_add(&c, &o, pb, 0, 1, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_get(&c, &o, &cart) == SHOP_OK && cart.nlines == 2);

	memset(&in, 0, sizeof(in));
	in.cart_id = cart.id;
	in.email = STR("kaethe@example.com");
	in.locale = STR("de");
	in.ship.name = STR("Käthe Kruse");
	in.ship.line1 = STR("Heidestraße 17");
	in.ship.city = STR("Köln");
	in.ship.postcode = STR("50667");
	in.ship.country = STR("DE");
	in.bill = in.ship;
	in.method_id = mid;
	in.pay = payment_find(STR("bacs"));
	TEST_CHECK(in.pay != NULL && in.pay->start == ORDER_ON_HOLD);
	in.idem_key = STR("0123456789abcdef0123456789abcdef");
	in.reviewed_total = reviewed(&c, &cart, &in);
	before = counts(&c);

	/* A total the shopper was not shown: refused, nothing written,
	 * the new figures given back. */
	errs.n = 0;
	in.reviewed_total--;
	TEST_CHECK(order_place(&c, &in, &out, &errs) == SHOP_EINVAL &&
	    has(&errs, "total"));
	TEST_CHECK(out.quote.total == in.reviewed_total + 1);
	in.reviewed_total++;
	TEST_CHECK(same(counts(&c), before));
	TEST_CHECK(count(&c, "SELECT stock FROM {p}products WHERE slug ="
	    " 'brot'") == 3);

	/* A malformed key: refused. */
	errs.n = 0;
	in.idem_key = STR("not-a-key");
	TEST_CHECK(order_place(&c, &in, &out, &errs) == SHOP_EINVAL &&
	    has(&errs, "idem_key"));
	in.idem_key = STR("0123456789abcdef0123456789abcdef");
	TEST_CHECK(same(counts(&c), before));

	/* Placed: the snapshot, the stock, the history, the jobs. */
	errs.n = 0;
	TEST_CHECK(order_place(&c, &in, &out, &errs) == SHOP_OK);
	TEST_CHECK(out.number == ORDER_FIRST_NUMBER && !out.existing &&
	    strlen(out.access_key) == ORDER_KEY_HEX);
	number = out.number;
	TEST_CHECK(count(&c, "SELECT stock FROM {p}products WHERE slug ="
	    " 'brot'") == 1);
	TEST_CHECK(count(&c, "SELECT stock FROM {p}products WHERE slug ="
	    " 'kuchen'") == 9);
	TEST_CHECK(order_get(&c, number, 1, &ord) == SHOP_OK);
	TEST_CHECK(ord.status == ORDER_ON_HOLD && ord.total ==
	    in.reviewed_total && ord.total == out.quote.total);
	TEST_CHECK(ord.subtotal == 3000 && ord.nlines == 2);
	TEST_CHECK(ord.shipping == out.quote.shipping &&
	    ord.tax == out.quote.tax && ord.shipping_tax ==
	    out.quote.shipping_tax && ord.discount == 0);
	TEST_CHECK(str_eqc(ord.currency, "EUR") &&
	    str_eqc(ord.display_currency, "EUR") && ord.fx_rate == FX_SCALE &&
	    ord.display_total == ord.total);
	TEST_CHECK(str_eqc(ord.payment_method, "bacs") &&
	    str_eqc(ord.ship.city, "Köln") && str_eqc(ord.bill.name,
	    "Käthe Kruse") && str_eqc(ord.email, "kaethe@example.com") &&
	    str_eqc(ord.locale, "de") && ord.customer_id == 0);
	TEST_CHECK(ord.ship_method_id == mid && str_eqc(ord.ship_kind,
	    "flat"));
	TEST_CHECK(str_eqc(ord.lines[0].name, "Roggenbrot") &&
	    ord.lines[0].qty == 2 && ord.lines[0].unit_price == 1000 &&
	    str_eqc(ord.lines[0].tax_class, "standard"));
	TEST_CHECK(str_eqc(ord.access_key, out.access_key));
	TEST_CHECK(ord.nevents == 1 && str_eqc(ord.events[0].to_status,
	    "on-hold") && ord.events[0].actor == ORDER_BY_SHOPPER);
	TEST_CHECK(counts(&c).orders == before.orders + 1 &&
	    counts(&c).lines == before.lines + 2 &&
	    counts(&c).events == before.events + 1 &&
	    counts(&c).jobs == before.jobs + 2);
	TEST_CHECK(cart_get(&c, &o, &cart) == SHOP_OK && cart.nlines == 0 &&
	    cart.id == 0);

	/* The same form again: the same order, nothing more. */
	before = counts(&c);
	errs.n = 0;
	TEST_CHECK(order_place(&c, &in, &again, &errs) == SHOP_OK);
	TEST_CHECK(again.existing && again.number == number &&
	    strcmp(again.access_key, out.access_key) == 0);
	TEST_CHECK(same(counts(&c), before));

	/* More than is left: the line is named, nothing written, stock
	 * stays 1. The cart held 1 when it was added (1 left); the stock
	 * went meanwhile to another shopper. */
	TEST_CHECK(cart_add(&c, &o, pb, 0, 1, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_add(&c, &o, pa, 0, 1, &errs, &p) == SHOP_OK);
	exec_sql(&c, "UPDATE {p}cart_items SET qty = 2 WHERE product_id IN"
	    " (SELECT id FROM {p}products WHERE slug = 'brot')");
	TEST_CHECK(cart_get(&c, &o, &cart) == SHOP_OK && cart.nlines == 2);
	/* The order took the cart along: the adds made a new one. */
	TEST_CHECK(cart.id != in.cart_id);
	in.cart_id = cart.id;
	in.idem_key = STR("11111111111111111111111111111111");
	in.reviewed_total = reviewed(&c, &cart, &in);
	errs.n = 0;
	TEST_CHECK(order_place(&c, &in, &out, &errs) == SHOP_EINVAL &&
	    has(&errs, "stock"));
	TEST_CHECK(str_eqc(out.short_line.name, "Roggenbrot") &&
	    out.short_line.left == 1);
	TEST_CHECK(same(counts(&c), before));
	TEST_CHECK(count(&c, "SELECT stock FROM {p}products WHERE slug ="
	    " 'brot'") == 1);
	/* Kuchen's stock, taken before Roggenbrot failed, is back. */
	TEST_CHECK(count(&c, "SELECT stock FROM {p}products WHERE slug ="
	    " 'kuchen'") == 9);
	TEST_CHECK(cart_get(&c, &o, &cart) == SHOP_OK && cart.nlines == 2);

	/* Sold out: the same, "out of stock". */
	exec_sql(&c, "UPDATE {p}products SET stock = 0 WHERE slug = 'brot'");
	errs.n = 0;
	TEST_CHECK(order_place(&c, &in, &out, &errs) == SHOP_EINVAL &&
	    has(&errs, "stock") && out.short_line.left == 0);
	TEST_CHECK(same(counts(&c), before));
	TEST_CHECK(count(&c, "SELECT MIN(stock) FROM {p}products") == 0);

	/* Enough again: placed, number 1002, stock exactly 0. */
	exec_sql(&c, "UPDATE {p}products SET stock = 2 WHERE slug = 'brot'");
	errs.n = 0;
	TEST_CHECK(order_place(&c, &in, &out, &errs) == SHOP_OK &&
	    out.number == number + 1);
	TEST_CHECK(count(&c, "SELECT stock FROM {p}products WHERE slug ="
	    " 'brot'") == 0);

	/* An empty cart places nothing. */
	in.idem_key = STR("22222222222222222222222222222222");
	errs.n = 0;
	TEST_CHECK(order_place(&c, &in, &out, &errs) == SHOP_EINVAL &&
	    has(&errs, "cart"));

	arena_free(&a);
	db_close(db);
	return test_done();
}
