/*
 * tests/unit/shop/quote.c: quote_compute() against the database, with
 * rates, zones, methods and coupons saved through their modules (whose
 * validation is checked on the way): a German shop's cart to Berlin
 * (VAT 19 % and 7 %, DHL taxed), with WILLKOMMEN10, picked up, free
 * above 60 €, to Austria by weight bands, to Japan (no zone); coupons
 * expired, used up, under their minimum, for other products, used by
 * this shopper already, unknown, another shop's; a Californian shop
 * adding sales tax by region and postcode range, shipping untaxed.
 */
#include "core/common.h"
#include "shop/coupon.h"
#include "shop/quote.h"
#include "shop/settings.h"
#include "shop/shipping.h"
#include "shop/tax.h"
#include "test.h"
#include "dbtest.h"

static struct db	*db;
static struct arena	 a;

static int
has(const struct field_errors *e, const char *field, const char *msgid)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0 &&
		    (msgid == NULL || strcmp(e->v[i].msgid, msgid) == 0))
			return 1;
	return 0;
}

static int64_t
rate(struct shop_ctx *c, enum tax_class k, const char *cc, const char *region,
    const char *postcodes, int32_t r, const char *name, int shipping)
{
	struct tax_rate		t = { 0 };
	struct field_errors	e = { .n = 0 };

	t.tax_class = k;
	str_copy(t.country, sizeof(t.country), str_c(cc));
	t.region = str_c(region);
	t.postcodes = str_c(postcodes);
	t.rate = r;
	t.name = str_c(name);
	t.shipping = shipping;
	TEST_CHECK(tax_rate_save(c, &t, &e) == SHOP_OK && e.n == 0);
	return t.id;
}

static int64_t
zone(struct shop_ctx *c, const char *name, int64_t pos, const char *countries,
    const char *regions, const char *postcodes)
{
	struct ship_zone	z = { 0 };
	struct field_errors	e = { .n = 0 };

	z.name = str_c(name);
	z.position = pos;
	z.countries = str_c(countries);
	z.regions = str_c(regions);
	z.postcodes = str_c(postcodes);
	TEST_CHECK(ship_zone_save(c, &z, &e) == SHOP_OK && e.n == 0);
	return z.id;
}

static int64_t
method(struct shop_ctx *c, int64_t zone_id, enum ship_kind k,
    const char *name, int64_t cost, int64_t min_total, const char *bands,
    int64_t pos)
{
	struct ship_method	m = { 0 };
	struct field_errors	e = { .n = 0 };

	m.zone_id = zone_id;
	m.kind = k;
	m.name = str_c(name);
	m.cost = cost;
	m.min_total = min_total;
	m.bands = str_c(bands);
	m.position = pos;
	m.enabled = 1;
	TEST_CHECK(ship_method_save(c, &m, &e) == SHOP_OK && e.n == 0);
	return m.id;
}

static int64_t
coupon(struct shop_ctx *c, const char *code, enum coupon_kind k,
    int64_t amount, int64_t min_spend, const char *expires,
    const char *products, int64_t limit, int64_t per_customer)
{
	struct coupon		cp = { 0 };
	struct field_errors	e = { .n = 0 };

	cp.code = str_c(code);
	cp.kind = k;
	cp.amount = amount;
	cp.min_spend = min_spend;
	cp.expires_on = str_c(expires);
	cp.product_ids = str_c(products);
	cp.category_ids = STR("");
	cp.usage_limit = limit;
	cp.per_customer = per_customer;
	cp.active = 1;
	TEST_CHECK(coupon_save(c, &cp, &e) == SHOP_OK && e.n == 0);
	return cp.id;
}

static void
sql(int64_t shop, const char *text)
{
	struct db_stmt *st = db_prepare(db, text, shop);

	TEST_CHECK(st != NULL && db_exec(st, NULL) == 0);
	if (st != NULL)
		db_done(st);
}

static struct quote_line
line(int64_t product, int64_t category, int64_t price, int64_t qty,
    int64_t weight, enum tax_class k)
{
	struct quote_line l;

	memset(&l, 0, sizeof(l));
	l.product_id = product;
	l.category_id = category;
	l.unit_price = price;
	l.qty = qty;
	l.weight_g = weight;
	l.tax_class = k;
	return l;
}

static struct address
to(const char *cc, const char *region, const char *postcode)
{
	struct address ad;

	memset(&ad, 0, sizeof(ad));
	ad.name = STR("Käthe Kruse");
	ad.line1 = STR("Straße 1");
	ad.city = STR("Stadt");
	ad.country = str_c(cc);
	ad.region = str_c(region);
	ad.postcode = str_c(postcode);
	return ad;
}

/* The Berlin cart: two shirts (19 %, 200 g) and a book (7 %, 500 g). */
static int
price(struct shop_ctx *c, const struct address *ad, int64_t method_id,
    const char *code, const char *email, int shirts, struct quote *q,
    struct field_errors *e)
{
	struct quote_line	*l = arena_calloc(&a, 2, sizeof(*l));
	struct quote_in		 in;

	l[0] = line(11, 5, 1999, shirts, 200, TAX_STANDARD);
	l[1] = line(12, 6, 1200, 1, 500, TAX_REDUCED);
	memset(&in, 0, sizeof(in));
	in.lines = l;
	in.nlines = 2;
	in.ship_to = ad;
	in.method_id = method_id;
	in.coupon = str_c(code);
	in.email = str_c(email);
	e->n = 0;
	return quote_compute(c, &in, q, e);
}

static void
validation(struct shop_ctx *c)
{
	struct tax_rate		t = { 0 };
	struct ship_zone	z = { 0 };
	struct ship_method	m = { 0 };
	struct coupon		cp = { 0 };
	struct field_errors	e = { .n = 0 };

	memcpy(t.country, "XX", 3);
	t.rate = 1000001;
	t.postcodes = STR("10*1 9...1");
	t.name = STR("");
	t.region = STR("");
	TEST_CHECK(tax_rate_save(c, &t, &e) == SHOP_EINVAL);
	TEST_CHECK(has(&e, "country", NULL) && has(&e, "rate", NULL) &&
	    has(&e, "postcodes", NULL) && t.id == 0);
	t.country[0] = '\0';
	t.rate = 190000;
	t.postcodes = STR("");
	t.region = STR("CA");
	TEST_CHECK(tax_rate_save(c, &t, &e) == SHOP_EINVAL &&
	    has(&e, "region", NULL) && e.n == 1);
	t.region = STR("");
	t.id = 999999;
	TEST_CHECK(tax_rate_save(c, &t, &e) == SHOP_ENOTFOUND);

	z.name = STR("Nowhere");
	z.countries = STR("DE ZZ");
	z.regions = STR("CA");
	z.postcodes = STR("");
	TEST_CHECK(ship_zone_save(c, &z, &e) == SHOP_EINVAL &&
	    has(&e, "countries", NULL) && has(&e, "regions", NULL));
	z.countries = STR("");
	z.regions = STR("");
	TEST_CHECK(ship_zone_save(c, &z, &e) == SHOP_EINVAL &&
	    has(&e, "countries", NULL));
	/* Lists are normalised. */
	z.countries = STR("de, at  fr");
	z.regions = STR("us:New York, us:CA");
	z.postcodes = STR("80* ,10115");
	TEST_CHECK(ship_zone_save(c, &z, &e) == SHOP_OK);
	TEST_CHECK(str_eqc(z.countries, "DE AT FR") &&
	    str_eqc(z.regions, "US:New York, US:CA") &&
	    str_eqc(z.postcodes, "80* 10115"));
	TEST_CHECK(ship_zone_delete(c, z.id) == SHOP_OK);
	TEST_CHECK(ship_zone_delete(c, z.id) == SHOP_ENOTFOUND);

	m.zone_id = 999999;
	m.kind = SHIP_WEIGHT;
	m.name = STR("");
	m.bands = STR("1000:490 500:300");
	m.cost = -1;
	m.min_total = 0;
	TEST_CHECK(ship_method_save(c, &m, &e) == SHOP_EINVAL &&
	    has(&e, "bands", NULL) && has(&e, "cost", NULL));
	m.bands = STR("1000:490 *:990");
	m.cost = 0;
	TEST_CHECK(ship_method_save(c, &m, &e) == SHOP_ENOTFOUND);

	cp.code = STR("a b");
	cp.kind = COUPON_PERCENT;
	cp.amount = 0;
	cp.expires_on = STR("2026-02-30");
	cp.product_ids = STR("3 x");
	cp.category_ids = STR("");
	cp.min_spend = -5;
	TEST_CHECK(coupon_save(c, &cp, &e) == SHOP_EINVAL);
	TEST_CHECK(has(&e, "code", NULL) && has(&e, "amount", NULL) &&
	    has(&e, "expires_on", NULL) && has(&e, "product_ids", NULL) &&
	    has(&e, "min_spend", NULL));
	cp.code = STR("willkommen10");	/* taken, in another case */
	cp.amount = 500;
	cp.expires_on = STR("2028-02-29");
	cp.product_ids = STR("");
	cp.min_spend = 0;
	TEST_CHECK(coupon_save(c, &cp, &e) == SHOP_EINVAL &&
	    has(&e, "code", "Another coupon already has this code."));
}

static void
german(int64_t shop, int64_t other)
{
	struct shop_ctx		c = { db, &a, shop, "de", "de", "EUR", NULL,
	    NULL, 0 };
	struct shop_ctx		c2 = { db, &a, other, "de", "de", "EUR", NULL,
	    NULL, 0 };
	struct shop_settings	s;
	struct field_errors	e = { .n = 0 };
	struct quote		q;
	struct address		berlin = to("DE", "Berlin", "10115");
	struct address		wien = to("AT", "", "1010");
	struct address		tokyo = to("JP", "", "100-0001");
	int64_t			de, eu, dhl, free, pickup, weight;

	TEST_CHECK(settings_get(&c, &s) == SHOP_OK);
	memcpy(s.country, "DE", 3);
	s.bank_details = STR("IBAN DE89 3704 0044 0532 0130 00");
	TEST_CHECK(settings_save(&c, &s, &e) == SHOP_OK);
	rate(&c, TAX_STANDARD, "DE", "", "", 190000, "MwSt.", 1);
	rate(&c, TAX_REDUCED, "DE", "", "", 70000, "MwSt.", 1);
	rate(&c, TAX_STANDARD, "AT", "", "", 200000, "USt.", 1);
	rate(&c, TAX_REDUCED, "AT", "", "", 100000, "USt.", 1);
	de = zone(&c, "Deutschland", 0, "DE", "", "");
	eu = zone(&c, "EU", 1, "AT FR NL", "", "");
	/* Same country, lower in the list: never reached. */
	zone(&c, "Berlin", 2, "DE", "", "10*");
	dhl = method(&c, de, SHIP_FLAT, "DHL Paket", 490, 0, "", 0);
	free = method(&c, de, SHIP_FREE, "Versandkostenfrei", 0, 6000, "", 1);
	pickup = method(&c, de, SHIP_PICKUP, "Abholung im Laden", 0, 0, "", 2);
	weight = method(&c, eu, SHIP_WEIGHT, "DHL Europa", 0, 0,
	    "1000:690 5000:1290 *:2490", 0);
	coupon(&c, "WILLKOMMEN10", COUPON_PERCENT, 1000, 0, "", "", 0, 0);
	coupon(&c, "ALT", COUPON_PERCENT, 1000, 0, "2020-01-01", "", 0, 0);
	coupon(&c, "WEG", COUPON_FIXED, 500, 0, "", "", 1, 0);
	sql(shop, "UPDATE {p}coupons SET used = 1 WHERE code = 'WEG'");
	coupon(&c, "AB100", COUPON_FIXED, 1000, 10000, "", "", 0, 0);
	coupon(&c, "NURTASSEN", COUPON_PERCENT, 2000, 0, "", "99 98", 0, 0);
	coupon(&c, "EINMAL", COUPON_FIXED, 300, 0, "2099-12-31", "", 0, 1);
	coupon(&c, "GRATISVERSAND", COUPON_FREE_SHIPPING, 0, 0, "", "", 0, 0);
	validation(&c);

	/* Berlin: the arithmetic of tests/unit/shop/quote_totals.c. */
	TEST_CHECK(price(&c, &berlin, 0, "", "", 2, &q, &e) == SHOP_OK);
	TEST_CHECK(e.n == 0 && q.no_zone == 0);
	TEST_CHECK(q.noptions == 2 && q.options[0].id == dhl &&
	    q.options[0].cost == 490 && q.options[1].id == pickup);
	TEST_CHECK(q.method_id == dhl && q.method_kind == SHIP_FLAT &&
	    str_eqc(q.method_name, "DHL Paket"));
	TEST_CHECK(q.prices_include_tax == 1 && q.subtotal == 5198 &&
	    q.shipping == 490 && q.shipping_tax == 67 &&
	    q.tax == 784 && q.total == 5688 && q.weight_g == 900);
	TEST_CHECK(q.ntaxes == 2 && q.taxes[0].amount == 698 &&
	    str_eqc(q.taxes[0].name, "MwSt."));
	/* WILLKOMMEN10 in any case. */
	TEST_CHECK(price(&c, &berlin, 0, " willkommen10 ", "", 2, &q, &e) ==
	    SHOP_OK && e.n == 0);
	TEST_CHECK(q.discount == 520 && q.total == 5168 &&
	    q.tax == 574 + 71 + 67 && str_eqc(q.coupon_code, "WILLKOMMEN10"));
	/* Picked up: nothing to ship. */
	TEST_CHECK(price(&c, &berlin, pickup, "", "", 2, &q, &e) ==
	    SHOP_OK && e.n == 0 && q.method_kind == SHIP_PICKUP &&
	    q.shipping == 0 && q.total == 5198);
	/* A method of another zone is not on offer. */
	TEST_CHECK(price(&c, &berlin, weight, "", "", 2, &q, &e) ==
	    SHOP_OK && has(&e, "method_id", NULL) && q.method_id == dhl);
	/* Four shirts: 91,96 € reach the free shipping at 60 €. */
	TEST_CHECK(price(&c, &berlin, free, "", "", 4, &q, &e) == SHOP_OK &&
	    e.n == 0 && q.noptions == 3 && q.method_id == free &&
	    q.shipping == 0 && q.total == 7996 + 1200);
	/* Free shipping by coupon: every method free. */
	TEST_CHECK(price(&c, &berlin, dhl, "GRATISVERSAND", "", 2, &q, &e) ==
	    SHOP_OK && e.n == 0 && q.free_shipping && q.shipping == 0 &&
	    q.discount == 0 && q.total == 5198);

	/* Vienna: EU zone, 900 g -> 6,90 €, Austrian rates; 20 % of 41,88
	 * lines: 39,98 / 6 = 6,6633 -> 6,66; 12,00 / 11 = 1,0909 -> 1,09;
	 * shipping shared 6,90 * 39,98/51,98 = 5,3071 and 6,90 * 12/51,98 =
	 * 1,5929: 5,31 at 20 % holds 0,885 -> 0,89, 1,59 at 10 % 0,1445 ->
	 * 0,14. */
	TEST_CHECK(price(&c, &wien, 0, "", "", 2, &q, &e) == SHOP_OK &&
	    e.n == 0);
	TEST_CHECK(q.method_id == weight && q.shipping == 690 &&
	    q.shipping_tax == 89 + 14 && q.tax == 666 + 109 + 103 &&
	    q.total == 5198 + 690);
	/* Six shirts: 1,7 kg -> 12,90 €. */
	TEST_CHECK(price(&c, &wien, 0, "", "", 6, &q, &e) == SHOP_OK &&
	    q.shipping == 1290);

	/* Tokyo: no zone; the lines are priced all the same. */
	TEST_CHECK(price(&c, &tokyo, 0, "", "", 2, &q, &e) == SHOP_OK);
	TEST_CHECK(q.no_zone == 1 && has(&e, "ship_country", NULL) &&
	    !has(&e, "method_id", NULL) && q.noptions == 0 &&
	    q.method_id == 0 && q.shipping == 0 && q.total == 5198);

	/* Coupons that do not apply: each its message, nothing off. */
	TEST_CHECK(price(&c, &berlin, 0, "ALT", "", 2, &q, &e) == SHOP_OK &&
	    has(&e, "coupon", "This coupon has expired.") && e.n == 1 &&
	    q.discount == 0 && q.coupon_id == 0 && q.total == 5688);
	TEST_CHECK(price(&c, &berlin, 0, "WEG", "", 2, &q, &e) == SHOP_OK &&
	    has(&e, "coupon", "This coupon has been used up.") &&
	    q.discount == 0);
	TEST_CHECK(price(&c, &berlin, 0, "AB100", "", 2, &q, &e) == SHOP_OK &&
	    has(&e, "coupon", "Your order is below this coupon's minimum "
	    "spend.") && q.discount == 0);
	TEST_CHECK(price(&c, &berlin, 0, "NURTASSEN", "", 2, &q, &e) ==
	    SHOP_OK && has(&e, "coupon", "This coupon is not for the items "
	    "in your cart.") && q.discount == 0);
	TEST_CHECK(price(&c, &berlin, 0, "GIBTSNICHT", "", 2, &q, &e) ==
	    SHOP_OK && has(&e, "coupon", "This coupon code is not valid."));
	TEST_CHECK(price(&c, &berlin, 0, "BÄR'; --", "", 2, &q, &e) ==
	    SHOP_OK && has(&e, "coupon", "This coupon code is not valid."));
	/* Once per customer: Käthe took it, Karl has not. */
	sql(shop, "INSERT INTO {p}orders (number, status, email, locale,"
	    " idem_key, access_key, currency, prices_include_tax, subtotal,"
	    " discount, shipping, shipping_tax, tax, total, display_currency,"
	    " fx_rate, display_total, payment_method, coupon_id)"
	    " SELECT 1001, 'on-hold', 'kaethe@example.com', 'de', REPEAT('a',"
	    " 32), REPEAT('b', 32), 'EUR', 1, 1000, 300, 0, 0, 112, 700, 'EUR',"
	    " 100000000, 700, 'bacs', id FROM {p}coupons WHERE code = 'EINMAL'");
	TEST_CHECK(price(&c, &berlin, 0, "EINMAL", "Kaethe@Example.com", 2,
	    &q, &e) == SHOP_OK && has(&e, "coupon", "You have used this "
	    "coupon as often as it allows.") && q.discount == 0);
	TEST_CHECK(price(&c, &berlin, 0, "EINMAL", "karl@example.com", 2,
	    &q, &e) == SHOP_OK && e.n == 0 && q.discount == 300);
	/* Deactivated: as good as unknown. */
	sql(shop, "UPDATE {p}coupons SET active = 0 WHERE code = 'EINMAL'");
	TEST_CHECK(price(&c, &berlin, 0, "EINMAL", "karl@example.com", 2,
	    &q, &e) == SHOP_OK && has(&e, "coupon", "This coupon code is not "
	    "valid."));
	/* Another shop knows neither the coupon nor the zones. */
	TEST_CHECK(price(&c2, &berlin, 0, "WILLKOMMEN10", "", 2, &q, &e) ==
	    SHOP_OK && has(&e, "coupon", "This coupon code is not valid.") &&
	    q.no_zone == 1 && q.tax == 0);

	/* Before an address: the shop's country's taxes, no shipping. */
	{
		struct quote_line	l[1];
		struct quote_in		in;

		l[0] = line(11, 5, 1999, 2, 200, TAX_STANDARD);
		memset(&in, 0, sizeof(in));
		in.lines = l;
		in.nlines = 1;
		e.n = 0;
		TEST_CHECK(quote_compute(&c, &in, &q, &e) == SHOP_OK &&
		    e.n == 0 && q.tax == 638 && q.total == 3998 &&
		    q.noptions == 0 && q.no_zone == 0);
	}
}

/* A San Francisco shop in dollars: tax added. California 7.25 % (the
 * state's rate for every postcode), Los Angeles county 9.5 % by postcode
 * range; shipping is not taxed there. */
static void
californian(int64_t shop)
{
	struct shop_ctx		c = { db, &a, shop, "en", "en", "USD", NULL,
	    NULL, 0 };
	struct quote		q;
	struct field_errors	e = { .n = 0 };
	struct quote_line	l[1];
	struct quote_in		in;
	struct address		sf = to("US", "ca", "94103");
	struct address		la = to("US", "CA", "90012");
	struct address		ny = to("US", "NY", "10001");
	int64_t			us;

	rate(&c, TAX_STANDARD, "US", "CA", "", 72500, "Sales tax", 0);
	rate(&c, TAX_STANDARD, "US", "CA", "90000...91999", 95000,
	    "Sales tax", 0);
	us = zone(&c, "USA", 0, "US", "", "");
	method(&c, us, SHIP_FLAT, "USPS", 500, 0, "", 0);
	l[0] = line(21, 0, 2499, 2, 600, TAX_STANDARD);
	memset(&in, 0, sizeof(in));
	in.lines = l;
	in.nlines = 1;
	in.ship_to = &sf;
	TEST_CHECK(quote_compute(&c, &in, &q, &e) == SHOP_OK && e.n == 0);
	TEST_CHECK(q.prices_include_tax == 0 && q.tax == 362 &&
	    q.shipping == 500 && q.shipping_tax == 0 && q.total == 5860 &&
	    l[0].tax_rate == 72500);
	/* 49.98 * 9.5 % = 4.7481 -> 4.75 */
	in.ship_to = &la;
	TEST_CHECK(quote_compute(&c, &in, &q, &e) == SHOP_OK && e.n == 0);
	TEST_CHECK(q.tax == 475 && q.total == 4998 + 475 + 500);
	/* New York: no rate saved, no tax. */
	in.ship_to = &ny;
	TEST_CHECK(quote_compute(&c, &in, &q, &e) == SHOP_OK && e.n == 0 &&
	    q.tax == 0 && q.total == 5498);
}

int
main(void)
{
	int64_t s1, s2, s3;

	db = dbtest_open("unit/shop/quote");
	arena_init(&a);
	s1 = dbtest_shop(db, "qde", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "qde2", NULL, NULL, "de", "EUR");
	s3 = dbtest_shop(db, "qus", NULL, NULL, "en", "USD");
	TEST_CHECK(s1 > 0 && s2 > 0 && s3 > 0);
	german(s1, s2);
	californian(s3);
	arena_free(&a);
	db_close(db);
	return test_done();
}
