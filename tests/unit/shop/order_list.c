/*
 * tests/unit/shop/order_list.c: the admin's list of orders (status,
 * dates, search by number, name or e-mail, keyset pages newest first),
 * a customer's orders, the dashboard's figures (today, this month, the
 * cancelled left out; waiting orders; low stock with variants), and
 * that a shop sees none of another's.
 */
#include "core/common.h"
#include "core/tz.h"
#include "shop/order_list.h"
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

/* Order number, placed at (SQL expression), by name and e-mail. */
static int
order(struct db *db, int64_t shop, int64_t number, const char *status,
    const char *at, const char *name, const char *email, int64_t customer,
    int64_t total)
{
	struct db_stmt	*st;
	char		 idem[33], q[1024];
	int		 rc, n;

	n = snprintf(q, sizeof(q), "INSERT INTO {p}orders (number, status,"
	    " customer_id, email, locale, idem_key, access_key, currency,"
	    " prices_include_tax, subtotal, discount, shipping, shipping_tax,"
	    " tax, total, display_currency, fx_rate, display_total,"
	    " payment_method, bill_name, created_at) VALUES (?, ?, ?, ?, 'de',"
	    " ?, '00112233445566778899aabbccddeeff', 'EUR', 1, 0, 0, 0, 0, 0,"
	    " ?, 'EUR', 100000000, 0, 'bacs', ?, %s)", at);
	if (n < 0 || (size_t)n >= sizeof(q))
		return -1;
	if ((st = db_prepare(db, q, shop)) == NULL)
		return -1;
	crypto_random_hex(idem, 16);
	db_bind_i64(st, 0, number);
	db_bind_cstr(st, 1, status);
	if (customer)
		db_bind_i64(st, 2, customer);
	else
		db_bind_null(st, 2);
	db_bind_cstr(st, 3, email);
	db_bind_cstr(st, 4, idem);
	db_bind_i64(st, 5, total);
	db_bind_cstr(st, 6, name);
	rc = db_exec(st, NULL);
	db_done(st);
	return rc;
}

static struct order_filter
filter(const char *status, const char *from, const char *to, const char *q)
{
	struct order_filter f;

	memset(&f, 0, sizeof(f));
	if (status != NULL) {
		f.has_status = 1;
		TEST_CHECK(order_status_parse(str_c(status), &f.status) == 0);
	}
	f.from = str_c(from ? from : "");
	f.to = str_c(to ? to : "");
	f.q = str_c(q ? q : "");
	return f;
}

/* The numbers of a page, for comparing: "1003 1002". */
static const char *
numbers(const struct order_page *p)
{
	static char	buf[1024];
	size_t		i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < p->n && o < sizeof(buf) - 24; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%lld",
		    i ? " " : "", (long long)p->v[i].number);
	return buf;
}

static void
dates(void)
{
	TEST_CHECK(order_list_date_valid(STR("2026-12-01")));
	TEST_CHECK(order_list_date_valid(STR("2024-02-29")));
	TEST_CHECK(!order_list_date_valid(STR("2025-02-29")));
	TEST_CHECK(!order_list_date_valid(STR("1900-02-28")));
	TEST_CHECK(!order_list_date_valid(STR("2026-13-01")));
	TEST_CHECK(!order_list_date_valid(STR("2026-04-31")));
	TEST_CHECK(!order_list_date_valid(STR("2026-4-1")));
	TEST_CHECK(!order_list_date_valid(STR("2026-+4-01")));
	TEST_CHECK(!order_list_date_valid(STR("2026/04/01")));
	TEST_CHECK(!order_list_date_valid(STR("")));
}

static void
lists(struct shop_ctx *c, struct shop_ctx *other)
{
	struct order_filter	 f;
	struct order_page	 p;
	struct field_errors	 errs;
	size_t			 seen = 0;

	f = filter(NULL, NULL, NULL, NULL);
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_CHECK(p.n == ORDER_LIST_PAGE && p.next > 0);
	TEST_CHECK(p.v[0].number == 1064 && p.v[1].number == 1063);
	/* Keyset: the pages follow without gap or repeat. */
	while (p.n > 0) {
		TEST_CHECK(seen == 0 || p.v[0].number ==
		    1064 - (int64_t)seen);
		seen += p.n;
		if (p.next == 0)
			break;
		f.before = p.next;
		TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	}
	TEST_CHECK(seen == 64);
	f = filter("cancelled", NULL, NULL, NULL);
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1006 1003");
	f = filter("on-hold", NULL, NULL, NULL);
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1005 1002");
	TEST_CHECK(p.n == 2 && str_eqc(p.v[1].name, "Jürgen Weiß") &&
	    p.v[1].total == 1500 && str_eqc(p.v[1].currency, "EUR") &&
	    str_eqc(p.v[1].created_at, "2025-01-15 23:59:59"));
	f = filter(NULL, "2025-01-01", "2025-01-31", NULL);
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1002 1001");
	f = filter(NULL, "2025-01-15", "2025-01-15", NULL);
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1002");
	f = filter("processing", NULL, NULL, "weiß");
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1004");
	f = filter(NULL, "2025-01-01", "2025-12-31", "WEISS@example");
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1002");
	f = filter(NULL, NULL, NULL, "taro");
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1005");
	f = filter(NULL, NULL, NULL, "山田");
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1005");
	f = filter(NULL, NULL, NULL, "1003");
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1003");
	f = filter(NULL, NULL, NULL, "#1003");
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1003");
	/* LIKE's wildcards are text. */
	f = filter(NULL, NULL, NULL, "%");
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK && p.n == 0);
	f = filter(NULL, "2025-02-30", "yesterday", NULL);
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_EINVAL &&
	    errs.n == 2);
	f = filter(NULL, "2025-02-03", "2025-02-01", NULL);
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_EINVAL &&
	    errs.n == 1 && strcmp(errs.v[0].field, "to") == 0);
	/* Shop 2 has one order of its own and sees only it. */
	f = filter(NULL, NULL, NULL, NULL);
	TEST_CHECK(order_list(other, &f, &p, &errs) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1001");
	TEST_CHECK(str_eqc(p.v[0].email, "other@example.com"));
	f = filter(NULL, NULL, NULL, "weiss");
	TEST_CHECK(order_list(other, &f, &p, &errs) == SHOP_OK && p.n == 0);
}

static void
customer(struct shop_ctx *c, struct shop_ctx *other)
{
	struct order_page p;

	TEST_CHECK(order_list_customer(c, 42, 0, &p) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1004 1002");
	TEST_CHECK(p.next == 0);
	TEST_CHECK(order_list_customer(c, 42, p.v[0].id, &p) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1002");
	TEST_CHECK(order_list_customer(c, 0, 0, &p) == SHOP_OK && p.n == 0);
	/* Customer 42 of shop 2 is someone else, with their own order. */
	TEST_CHECK(order_list_customer(other, 42, 0, &p) == SHOP_OK);
	TEST_STREQ(numbers(&p), "1001");
	TEST_CHECK(p.n == 1 && str_eqc(p.v[0].email, "other@example.com"));
}

static void
dashboard(struct shop_ctx *c)
{
	struct order_dashboard	d;

	TEST_CHECK(order_dashboard(c, &d) == SHOP_OK);
	/* Today: 1004 (2000) and 1005 (500); 1006 cancelled. This month
	 * adds 1064..1007 when the month is more than a day old; they are
	 * placed at the month's first second. */
	TEST_CHECK(d.today_orders >= 2 && d.today_revenue >= 2500);
	TEST_CHECK(d.month_orders >= d.today_orders &&
	    d.month_revenue >= d.today_revenue);
	TEST_CHECK(d.month_orders == 2 + 58);
	TEST_CHECK(d.month_revenue == 2500 + 58 * 100);
	TEST_CHECK(d.on_hold == 2 && d.processing == 2);
	TEST_CHECK(d.low_stock_at == 3);
	TEST_CHECK(d.nlow == 3 && !d.low_more);
	if (d.nlow == 3) {
		TEST_CHECK(d.low[0].stock == 0 && d.low[0].variant_id > 0 &&
		    str_eqc(d.low[0].variant, "XL"));
		/* The shirt's own stock (0) does not count: its
		 * variants do; the draft at 0 is no worry. */
		TEST_CHECK(str_eqc(d.low[1].name, "Mütze") &&
		    d.low[1].stock == 2 && d.low[1].variant_id == 0);
		TEST_CHECK(str_eqc(d.low[2].variant, "M") &&
		    d.low[2].stock == 3 && str_eqc(d.low[2].name, "Hemd"));
	}
}

/* "YYYY-MM-DD HH:MM:SS" of t in UTC, quoted for order()'s SQL. */
static void
utc_literal(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "'%Y-%m-%d %H:%M:%S'", &tm);
}

/*
 * The shop's clock says what "today" is: in Tokyo an order a minute
 * before the local day began is yesterday's, one a second after it is
 * today's, whatever the UTC date; the list's day filter agrees.
 * Shop 2 has one order of now (777) before this.
 */
static void
dashboard_zone(struct db *db, struct shop_ctx *c, int64_t shop)
{
	time_t			 now = time(NULL);
	time_t			 start = tz_start("Asia/Tokyo", now, 0);
	struct order_dashboard	 d;
	struct order_filter	 f;
	struct order_page	 p;
	struct field_errors	 errs;
	char			 before[32], after[32], day[TZ_LOCAL_LEN];

	TEST_CHECK(start > 0 && start <= now);
	utc_literal(start - 60, before);
	utc_literal(start + 1 <= now ? start + 1 : now, after);
	TEST_CHECK(order(db, shop, 1002, "on-hold", before, "Late Owl",
	    "owl@example.com", 0, 5) == 0);
	TEST_CHECK(order(db, shop, 1003, "on-hold", after, "Early Bird",
	    "bird@example.com", 0, 11) == 0);
	c->time_zone = "Asia/Tokyo";
	TEST_CHECK(order_dashboard(c, &d) == SHOP_OK);
	TEST_CHECK(d.today_orders == 2 && d.today_revenue == 777 + 11);
	TEST_CHECK(tz_local("Asia/Tokyo", now, day) == 0);
	day[10] = '\0';
	f = filter(NULL, day, day, NULL);
	TEST_CHECK(order_list(c, &f, &p, &errs) == SHOP_OK && p.n == 2 &&
	    p.v[0].number == 1003 && p.v[1].number == 1001);
	c->time_zone = NULL;
}

int
main(void)
{
	struct db	*db = dbtest_open("order_list");
	struct arena	 a;
	int64_t		 s1, s2, i;
	int		 ok = 1;

	arena_init(&a);
	dates();
	s1 = dbtest_shop(db, "oli1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "oli2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	ok &= order(db, s1, 1001, "completed", "'2025-01-02 10:00:00'",
	    "Anna Schmidt", "anna@example.com", 0, 1000) == 0;
	ok &= order(db, s1, 1002, "on-hold", "'2025-01-15 23:59:59'",
	    "Jürgen Weiß", "weiss@example.com", 42, 1500) == 0;
	ok &= order(db, s1, 1003, "cancelled", "'2025-02-01 00:00:00'",
	    "Chloé Martin", "chloe@example.fr", 0, 3000) == 0;
	ok &= order(db, s1, 1004, "processing", "UTC_TIMESTAMP()",
	    "Jürgen Weiß", "weiss@example.com", 42, 2000) == 0;
	ok &= order(db, s1, 1005, "on-hold", "UTC_TIMESTAMP()",
	    "山田太郎", "taro@example.jp", 0, 500) == 0;
	ok &= order(db, s1, 1006, "cancelled", "UTC_TIMESTAMP()",
	    "Anna Schmidt", "anna@example.com", 0, 9999) == 0;
	/* 58 more this month, one of them processing: 1007..1064. */
	for (i = 1007; i <= 1064; i++)
		ok &= order(db, s1, i, i == 1007 ? "processing" : "completed",
		    "DATE_FORMAT(UTC_DATE(), '%Y-%m-01')", "Bulk Buyer",
		    "bulk@example.com", 0, 100) == 0;
	ok &= order(db, s2, 1001, "on-hold", "UTC_TIMESTAMP()",
	    "Other Person", "other@example.com", 42, 777) == 0;
	TEST_CHECK(ok);
	/* Stock: a product at 2 (low), one at 10; a shirt (own stock 0,
	 * ignored) with M at 3 (low), L at 9, XL at 0; a draft at 0. */
	TEST_CHECK(run(db, s1, "INSERT INTO {p}products (slug, price, stock,"
	    " status) VALUES ('cap', 100, 2, 'active'), ('mug', 100, 10,"
	    " 'active'), ('shirt', 100, 0, 'active'), ('old', 100, 0,"
	    " 'draft')") == 0);
	TEST_CHECK(run(db, s1, "INSERT INTO {p}product_texts (product_id,"
	    " locale, name, description) SELECT id, 'de', IF(slug = 'cap',"
	    " 'Mütze', 'Hemd'), '' FROM {p}products WHERE slug IN ('cap',"
	    " 'shirt')") == 0);
	TEST_CHECK(run(db, s1, "INSERT INTO {p}variants (product_id, name,"
	    " stock) SELECT id, 'M', 3 FROM {p}products WHERE slug = 'shirt'"
	    " UNION ALL SELECT id, 'L', 9 FROM {p}products WHERE slug ="
	    " 'shirt' UNION ALL SELECT id, 'XL', 0 FROM {p}products WHERE"
	    " slug = 'shirt'") == 0);
	{
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct order_dashboard d;

		lists(&c1, &c2);
		customer(&c1, &c2);
		dashboard(&c1);
		TEST_CHECK(order_dashboard(&c2, &d) == SHOP_OK);
		TEST_CHECK(d.today_orders == 1 && d.today_revenue == 777 &&
		    d.on_hold == 1 && d.processing == 0 && d.nlow == 0);
		dashboard_zone(db, &c2, s2);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
