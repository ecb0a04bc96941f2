/*
 * tests/unit/shop/ledger.c: the books. Sale entries made from orders
 * priced by quote_totals() itself: German VAT in prices (19 % and 7 %
 * lines, a coupon spread over both, shipping taxed pro rata), US tax
 * added to prices, a zero-rated line, rounding on the total; each
 * balances and its tax lines give back the quote's tax per rate. Then
 * on the real database: marking an order paid posts its sale and its
 * payment, refunds by amount and by lines sum exactly (a line refunded
 * in pieces gives back its total and tax), restock, bad refunds write
 * nothing, a gateway's payment recorded twice is one, a pending refund
 * settles, an entry that does not balance is refused, and the check
 * finds the books right (and a broken one wrong).
 */
#include "core/common.h"
#include "core/strbuf.h"
#include "shop/ledger.h"
#include "shop/order_status.h"
#include "shop/payments.h"
#include "shop/quote.h"
#include "shop/refund.h"
#include "test.h"
#include "dbtest.h"

/* The credit notes of a refund (shop/credit_note.h). */
#define CREDIT_NOTES	"SELECT COUNT(*) FROM {p}invoices WHERE" \
	" kind = 'credit_note' AND refund_id = ?"

static struct arena a;
static int64_t shop1, shop2, product;

static struct quote_line
line(int64_t price, int64_t qty, int32_t rate)
{
	struct quote_line l;

	memset(&l, 0, sizeof(l));
	l.unit_price = price;
	l.qty = qty;
	l.tax_rate = rate;
	return l;
}

/* The order a quote makes (as order_place() stores it). */
static void
snapshot(const struct quote_totals_in *in, const struct quote *q,
    struct order *o, struct order_line *ol)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	o->id = 1;
	o->number = 1001;
	o->currency = STR("EUR");
	o->prices_include_tax = q->prices_include_tax;
	o->subtotal = q->subtotal;
	o->discount = q->discount;
	o->shipping = q->shipping;
	o->shipping_tax = q->shipping_tax;
	o->tax = q->tax;
	o->total = q->total;
	o->ship.country = STR("DE");
	o->payment_method = STR("bacs");
	for (i = 0; i < in->nlines; i++) {
		memset(&ol[i], 0, sizeof(ol[i]));
		ol[i].product_id = product;
		ol[i].qty = in->lines[i].qty;
		ol[i].unit_price = in->lines[i].unit_price;
		ol[i].tax_class = STR("standard");
		ol[i].tax_rate = in->lines[i].tax_rate;
		ol[i].subtotal = in->lines[i].subtotal;
		ol[i].discount = in->lines[i].discount;
		ol[i].tax = in->lines[i].tax;
		ol[i].total = in->lines[i].total;
	}
	o->lines = ol;
	o->nlines = in->nlines;
}

/* The entry's 2200 credit at rate. */
static int64_t
tax_at(const struct ledger_entry *e, int32_t rate)
{
	int64_t	v = 0;
	size_t	i;

	for (i = 0; i < e->n; i++)
		if (e->lines[i].account == LEDGER_TAX &&
		    e->lines[i].tax_rate == rate)
			v += e->lines[i].credit - e->lines[i].debit;
	return v;
}

/* Prices in, checks the sale entry: balanced, 1100 = total, 2200 =
 * the order's tax, and per rate the quote's. */
static void
sale_of(struct quote_totals_in *in, const char *what)
{
	struct quote		q;
	struct order		o;
	static struct order_line ol[80];
	struct ledger_entry	e;
	size_t			i;

	memset(&q, 0, sizeof(q));
	TEST_CHECK(quote_totals(&a, in, &q) == 0);
	snapshot(in, &q, &o, ol);
	TEST_CHECK(ledger_sale_entry(&o, &e) == SHOP_OK);
	TEST_CHECK(ledger_balanced(&e));
	TEST_CHECK(ledger_net(&e, LEDGER_RECEIVABLE) == o.total);
	TEST_CHECK(-ledger_net(&e, LEDGER_TAX) == o.tax);
	TEST_CHECK(ledger_net(&e, LEDGER_DISCOUNTS) >= 0);
	for (i = 0; i < q.ntaxes; i++)
		if (tax_at(&e, q.taxes[i].rate) != q.taxes[i].amount)
			fprintf(stderr, "%s: rate %d: ledger %lld, quote "
			    "%lld\n", what, q.taxes[i].rate,
			    (long long)tax_at(&e, q.taxes[i].rate),
			    (long long)q.taxes[i].amount);
	for (i = 0; i < q.ntaxes; i++)
		TEST_CHECK(tax_at(&e, q.taxes[i].rate) == q.taxes[i].amount);
	TEST_CHECK(tax_at(&e, LEDGER_NO_RATE) == 0);
}

/* Two shirts at 19 % and a book at 7 % with VAT in the prices, 10 %
 * off both, shipping 4,90 € taxed pro rata; then rounding per rate. */
static void
german(void)
{
	struct quote_line	l[3] = { line(1999, 2, 190000),
				    line(1200, 1, 70000), line(333, 3,
				    190000) };
	struct quote_totals_in	in = { .lines = l, .nlines = 3,
				    .prices_include_tax = 1,
				    .has_coupon = 1,
				    .coupon_kind = COUPON_PERCENT,
				    .coupon_amount = 1000,
				    .shipping = 490, .shipping_rate = 190000 };

	sale_of(&in, "german");
	in.round_total = 1;
	sale_of(&in, "german, rounded on the total");
	in.coupon_kind = COUPON_FIXED;
	in.coupon_amount = 777;
	sale_of(&in, "german, fixed coupon");
}

/* California: 7.25 % added to prices, shipping untaxed; a zero-rated
 * line beside. */
static void
us(void)
{
	struct quote_line	l[2] = { line(2599, 3, 72500),
				    line(1000, 1, 0) };
	struct quote_totals_in	in = { .lines = l, .nlines = 2,
				    .prices_include_tax = 0,
				    .shipping = 799 };

	sale_of(&in, "us");
	in.shipping_rate = 72500;
	in.has_coupon = 1;
	in.coupon_kind = COUPON_FIXED;
	in.coupon_amount = 1001;
	sale_of(&in, "us, shipping taxed");
}

/* Only zero-rated lines: no tax at all; and lines that cost nothing
 * (a 100 % coupon) with taxed shipping: one tax line without a rate. */
static void
zero(void)
{
	struct quote_line	l[1] = { line(1500, 2, 0) };
	struct quote_totals_in	in = { .lines = l, .nlines = 1,
				    .prices_include_tax = 1,
				    .shipping = 490, .shipping_rate = 190000 };
	struct quote		q;
	struct order		o;
	struct order_line	ol[1];
	struct ledger_entry	e;

	sale_of(&in, "zero");
	in.has_coupon = 1;
	in.coupon_kind = COUPON_PERCENT;
	in.coupon_amount = 10000;
	memset(&q, 0, sizeof(q));
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	snapshot(&in, &q, &o, ol);
	TEST_CHECK(q.shipping_tax == 78);
	TEST_CHECK(ledger_sale_entry(&o, &e) == SHOP_OK && ledger_balanced(&e));
	TEST_CHECK(tax_at(&e, LEDGER_NO_RATE) == 78 && o.total == 490);
}

/* A big order: 70 lines of three rates, the shipping's tax still split
 * per rate (no line without one). */
static void
many(void)
{
	static struct quote_line l[70];
	struct quote_totals_in	in = { .lines = l, .nlines = 70,
				    .prices_include_tax = 1,
				    .shipping = 1290, .shipping_rate = 190000 };
	size_t			i;

	for (i = 0; i < 70; i++)
		l[i] = line(101 + (int64_t)i * 7, 1 + i % 3, i % 3 == 0 ?
		    190000 : i % 3 == 1 ? 70000 : 0);
	sale_of(&in, "many");
}

/* An entry that does not balance is refused, and a figure that does
 * not add up makes no sale entry. */
static void
unbalanced(struct shop_ctx *c)
{
	struct ledger_entry	e;
	struct order		o;
	struct order_line	ol;

	ledger_entry_init(&e, "sale", 999999, 999999);
	ledger_add(&e, LEDGER_RECEIVABLE, 1, 1000, LEDGER_NO_RATE, "");
	ledger_add(&e, LEDGER_SALES, 0, 999, LEDGER_NO_RATE, "");
	TEST_CHECK(!ledger_balanced(&e));
	TEST_CHECK(ledger_post(c, &e) == SHOP_EDB);
	memset(&o, 0, sizeof(o));
	memset(&ol, 0, sizeof(ol));
	ol.qty = 1;
	ol.subtotal = ol.total = 1000;
	o.lines = &ol;
	o.nlines = 1;
	o.total = 1001;
	TEST_CHECK(ledger_sale_entry(&o, &e) == SHOP_EINVAL);
}

static int64_t
num(struct db *db, int64_t shop, const char *q, int64_t arg)
{
	struct db_stmt	*st = db_prepare(db, q, shop);
	int64_t		 v = -1;

	if (st == NULL)
		return -1;
	if (strchr(q, '?') != NULL)
		db_bind_i64(st, 0, arg);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

/* Stores o (figures from snapshot()) as order number in shop, on hold;
 * sets the ids of o and its lines. */
static void
store(struct db *db, int64_t shop, struct order *o, int64_t number)
{
	struct db_stmt	*st;
	char		 idem[33];
	size_t		 i;

	st = db_prepare(db, "INSERT INTO {p}orders (number, status, email,"
	    " locale, idem_key, access_key, currency, prices_include_tax,"
	    " subtotal, discount, shipping, shipping_tax, tax, total,"
	    " display_currency, fx_rate, display_total, payment_method,"
	    " ship_country) VALUES (?, 'on-hold', 'anna@example.com', 'de',"
	    " ?, '00112233445566778899aabbccddeeff', 'EUR', ?, ?, ?, ?, ?,"
	    " ?, ?, 'EUR', 100000000, ?, ?, 'DE')", shop);
	TEST_CHECK(st != NULL);
	crypto_random_hex(idem, 16);
	db_bind_i64(st, 0, number);
	db_bind_cstr(st, 1, idem);
	db_bind_i64(st, 2, o->prices_include_tax);
	db_bind_i64(st, 3, o->subtotal);
	db_bind_i64(st, 4, o->discount);
	db_bind_i64(st, 5, o->shipping);
	db_bind_i64(st, 6, o->shipping_tax);
	db_bind_i64(st, 7, o->tax);
	db_bind_i64(st, 8, o->total);
	db_bind_i64(st, 9, o->total);
	db_bind_str(st, 10, o->payment_method);
	TEST_CHECK(db_exec(st, NULL) == 0);
	o->id = (int64_t)db_insert_id(st);
	o->number = number;
	db_done(st);
	for (i = 0; i < o->nlines; i++) {
		struct order_line *l = &o->lines[i];

		st = db_prepare(db, "INSERT INTO {p}order_lines (order_id,"
		    " product_id, name, qty, unit_price, tax_class, tax_rate,"
		    " subtotal, discount, tax, total) VALUES (?, ?, 'Ding', ?,"
		    " ?, 'standard', ?, ?, ?, ?, ?)", shop);
		db_bind_i64(st, 0, o->id);
		db_bind_i64(st, 1, l->product_id);
		db_bind_i64(st, 2, l->qty);
		db_bind_i64(st, 3, l->unit_price);
		db_bind_i64(st, 4, l->tax_rate);
		db_bind_i64(st, 5, l->subtotal);
		db_bind_i64(st, 6, l->discount);
		db_bind_i64(st, 7, l->tax);
		db_bind_i64(st, 8, l->total);
		TEST_CHECK(db_exec(st, NULL) == 0);
		l->id = (int64_t)db_insert_id(st);
		db_done(st);
	}
}

/* A German order (prices with VAT, coupon, shipping), stored. */
static void
german_order(struct order *o, struct order_line *ol, int64_t number)
{
	static struct quote_line l[2];
	struct quote_totals_in	in = { .lines = l, .nlines = 2,
				    .prices_include_tax = 1,
				    .has_coupon = 1,
				    .coupon_kind = COUPON_PERCENT,
				    .coupon_amount = 1000,
				    .shipping = 490, .shipping_rate = 190000 };
	struct quote		q;

	l[0] = line(1999, 3, 190000);
	l[1] = line(1200, 2, 70000);
	memset(&q, 0, sizeof(q));
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	snapshot(&in, &q, o, ol);
}

static int
check(struct shop_ctx *c, size_t *problems)
{
	struct strbuf	r;
	int		rc;

	strbuf_init(&r, 0);
	rc = ledger_check(c, &r, problems);
	if (*problems)
		fprintf(stderr, "%s", r.buf);
	strbuf_release(&r);
	return rc;
}

static int64_t
ledger_sum(struct db *db, int64_t shop, const char *q, int64_t id)
{
	return num(db, shop, q, id);
}

static void
books(struct db *db, struct shop_ctx *c, struct shop_ctx *c2)
{
	struct order_who	 staff = { ORDER_BY_STAFF, 7,
				    STR("boss@x.test") };
	struct order_change	 paid = { .to = ORDER_PROCESSING };
	struct field_errors	 errs;
	struct order		 o, got;
	struct order_line	 ol[2];
	struct refund		 r;
	struct refund_in	 in;
	struct refund_line_in	 rl[2];
	int64_t			 p, rf, due, stock0, tax0;
	size_t			 problems;

	german_order(&o, ol, 1001);
	store(db, shop1, &o, 1001);
	/* Placed: nothing in the books; refunds refused. */
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}ledger", 0) == 0);
	memset(&in, 0, sizeof(in));
	in.amount = 100;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_EINVAL && errs.n == 1 &&
	    strcmp(errs.v[0].field, "amount") == 0);
	TEST_CHECK(check(c, &problems) == SHOP_OK && problems == 0);

	/* Marked paid: sale and payment, paid_at, 1100 back to 0. */
	TEST_CHECK(order_status_set(c, 1001, &staff, &paid, &errs) ==
	    SHOP_OK);
	TEST_CHECK(order_get(c, 1001, 0, &got) == SHOP_OK &&
	    got.paid_at.len > 0);
	TEST_CHECK(num(db, shop1, "SELECT SUM(amount) FROM {p}payments"
	    " WHERE order_id = ?", o.id) == o.total);
	TEST_CHECK(ledger_sum(db, shop1, "SELECT SUM(debit) FROM {p}ledger"
	    " WHERE entry_kind = 'payment' AND account = 1210 AND"
	    " order_id = ?", o.id) == o.total);
	TEST_CHECK(ledger_sum(db, shop1, "SELECT SUM(credit) - SUM(debit)"
	    " FROM {p}ledger WHERE account = 2200 AND order_id = ?", o.id) ==
	    o.tax);
	TEST_CHECK(ledger_sum(db, shop1, "SELECT SUM(debit) - SUM(credit)"
	    " FROM {p}ledger WHERE account = 1100 AND order_id = ?", o.id) ==
	    0);
	TEST_CHECK(ledger_order_money(c, o.id, &p, &rf, &due) == SHOP_OK &&
	    p == o.total && rf == 0 && due == 0);
	TEST_CHECK(check(c, &problems) == SHOP_OK && problems == 0);

	/* By amount: zero, negative, too much, both; then 10,00 €. */
	in.amount = 0;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_EINVAL);
	in.amount = -5;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_EINVAL);
	in.amount = o.total + 1;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_EINVAL && strcmp(errs.v[0].field, "amount") == 0);
	in.amount = 1000;
	in.restock = 1;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_EINVAL && strcmp(errs.v[0].field, "restock") == 0);
	in.restock = 0;
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}refunds", 0) == 0);
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_OK && r.status == REFUND_SUCCEEDED && r.amount == 1000);
	TEST_CHECK(r.tax == quote_muldiv(1000, o.tax, o.total));
	TEST_CHECK(ledger_sum(db, shop1, "SELECT SUM(debit) FROM {p}ledger"
	    " WHERE entry_kind = 'refund' AND ref_id = ? AND account = 2200",
	    r.id) == r.tax);
	TEST_CHECK(ledger_sum(db, shop1, "SELECT SUM(credit) FROM {p}ledger"
	    " WHERE entry_kind = 'refund' AND ref_id = ? AND account = 1210",
	    r.id) == 1000);

	/* By lines: the book (2 units) in two pieces, with restock; a line
	 * of another order, qty over what is left. */
	stock0 = num(db, shop1, "SELECT stock FROM {p}products WHERE id = ?",
	    product);
	memset(&in, 0, sizeof(in));
	rl[0].order_line_id = o.lines[1].id;
	rl[0].qty = 3;
	in.lines = rl;
	in.nlines = 1;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_EINVAL && errs.n == 1 && strncmp(errs.v[0].field, "qty_",
	    4) == 0);
	rl[0].order_line_id = 987654;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_EINVAL && strcmp(errs.v[0].field, "lines") == 0);
	rl[0].order_line_id = o.lines[1].id;
	rl[0].qty = 1;
	in.restock = 1;
	tax0 = 0;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_OK);
	tax0 += r.tax;
	p = r.amount;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_OK);
	tax0 += r.tax;
	TEST_CHECK(p + r.amount == o.lines[1].total && tax0 ==
	    o.lines[1].tax);
	TEST_CHECK(num(db, shop1, "SELECT stock FROM {p}products WHERE id = ?",
	    product) == stock0 + 2);
	/* Nothing left of that line. */
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_EINVAL);
	TEST_CHECK(ledger_sum(db, shop1, "SELECT SUM(debit) FROM {p}ledger"
	    " WHERE entry_kind = 'refund' AND account = 2200 AND"
	    " tax_rate = 70000 AND order_id = ? AND ref_id IN (SELECT"
	    " refund_id FROM {p}refund_lines)", o.id) == o.lines[1].tax);
	TEST_CHECK(ledger_order_money(c, o.id, &p, &rf, &due) == SHOP_OK &&
	    p == o.total && rf == 1000 + o.lines[1].total && due == 0);
	/* The rest by amount: everything is back, tax to the cent. */
	in.nlines = 0;
	in.restock = 0;
	in.amount = o.total - rf;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_OK);
	in.amount = 1;
	TEST_CHECK(refund_create(c, 1001, &in, &staff, &r, &errs) ==
	    SHOP_EINVAL);
	TEST_CHECK(check(c, &problems) == SHOP_OK && problems == 0);
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM souk_jobs WHERE"
	    " tenant_id = ? AND kind = 'shop.order_refunded'", shop1) == 4);
	/* Another shop has no order 1001. */
	TEST_CHECK(refund_create(c2, 1001, &in, &staff, &r, &errs) ==
	    SHOP_ENOTFOUND);
}

/* A gateway's payment, recorded twice (a webhook delivered again): one
 * payment, one entry; its refund waits, then settles. */
static void
gateway(struct db *db, struct shop_ctx *c)
{
	struct order_who	 staff = { ORDER_BY_STAFF, 7,
				    STR("boss@x.test") };
	struct field_errors	 errs;
	struct order		 o;
	struct order_line	 ol[2];
	struct refund		 r;
	struct refund_in	 in;
	int64_t			 lines, pid = 0, p, rf, due;
	size_t			 problems;

	german_order(&o, ol, 1002);
	store(db, shop1, &o, 1002);
	TEST_CHECK(payment_record(c, o.id, STR("bacs"), o.total, 35,
	    STR("stripe"), STR("pi_123"), NULL, &pid) == SHOP_OK && pid > 0);
	lines = num(db, shop1, "SELECT COUNT(*) FROM {p}ledger", 0);
	TEST_CHECK(payment_record(c, o.id, STR("bacs"), o.total, 35,
	    STR("stripe"), STR("pi_123"), NULL, NULL) == PAYMENT_ALREADY);
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}ledger", 0) ==
	    lines);
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}payments WHERE"
	    " order_id = ?", o.id) == 1);
	TEST_CHECK(ledger_sum(db, shop1, "SELECT SUM(debit) FROM {p}ledger"
	    " WHERE entry_kind = 'payment' AND account = 6100 AND"
	    " order_id = ?", o.id) == 35);
	TEST_CHECK(payment_record(c, o.id, STR("nope"), o.total, 0, STR(""),
	    STR(""), NULL, NULL) == SHOP_EINVAL);
	TEST_CHECK(check(c, &problems) == SHOP_OK && problems == 0);

	memset(&in, 0, sizeof(in));
	in.amount = 500;
	in.reason = STR("Kratzer");
	TEST_CHECK(refund_create(c, 1002, &in, &staff, &r, &errs) ==
	    SHOP_OK && r.status == REFUND_PENDING);
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}ledger WHERE"
	    " entry_kind = 'refund' AND ref_id = ?", r.id) == 0);
	TEST_CHECK(num(db, shop1, CREDIT_NOTES, r.id) == 0);
	TEST_CHECK(ledger_order_money(c, o.id, &p, &rf, &due) == SHOP_OK &&
	    rf == 0);
	/* The Stripe slice calls the gateway here. */
	TEST_CHECK(refund_settle(c, r.id, 1, STR("re_456")) == SHOP_OK);
	TEST_CHECK(refund_settle(c, r.id, 1, STR("re_456")) ==
	    SHOP_ECONFLICT);
	/* Its credit note came with its entry, once. */
	TEST_CHECK(num(db, shop1, CREDIT_NOTES, r.id) == 1);
	TEST_CHECK(ledger_sum(db, shop1, "SELECT SUM(credit) FROM {p}ledger"
	    " WHERE entry_kind = 'refund' AND ref_id = ?", r.id) == 500);
	TEST_CHECK(ledger_order_money(c, o.id, &p, &rf, &due) == SHOP_OK &&
	    rf == 500);
	/* A failed one posts nothing and frees its amount. */
	TEST_CHECK(refund_create(c, 1002, &in, &staff, &r, &errs) ==
	    SHOP_OK && refund_settle(c, r.id, 0, STR("")) == SHOP_OK);
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}ledger WHERE"
	    " entry_kind = 'refund' AND ref_id = ?", r.id) == 0);
	TEST_CHECK(num(db, shop1, CREDIT_NOTES, r.id) == 0);
	TEST_CHECK(check(c, &problems) == SHOP_OK && problems == 0);

	/* The check sees a broken book: a paid order without its sale. */
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}orders", 0) == 2);
	{
		struct db_stmt *st = db_prepare(db, "UPDATE {p}orders SET"
		    " paid_at = UTC_TIMESTAMP(), total = total + 1 WHERE"
		    " number = 1001", shop1);

		TEST_CHECK(st != NULL && db_exec(st, NULL) == 0);
		db_done(st);
	}
	TEST_CHECK(check(c, &problems) == SHOP_OK && problems >= 1);
}

int
main(void)
{
	struct db	*db;

	arena_init(&a);
	german();
	us();
	zero();
	many();
	db = dbtest_open("ledger");
	shop1 = dbtest_shop(db, "led1", NULL, NULL, "de", "EUR");
	shop2 = dbtest_shop(db, "led2", NULL, NULL, "de", "EUR");
	TEST_CHECK(shop1 > 0 && shop2 > 0);
	TEST_CHECK(num(db, shop1, "SELECT 1", 0) == 1);
	{
		struct db_stmt *st = db_prepare(db, "INSERT INTO {p}products"
		    " (slug, price, stock) VALUES ('cap', 1995, 5)", shop1);

		TEST_CHECK(st != NULL && db_exec(st, NULL) == 0);
		product = (int64_t)db_insert_id(st);
		db_done(st);
	}
	{
		struct shop_ctx c1 = { db, &a, shop1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, shop2, "de", "de", "EUR", NULL,
		    NULL, 0 };

		unbalanced(&c1);
		books(db, &c1, &c2);
		gateway(db, &c1);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
