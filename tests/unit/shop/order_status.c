/*
 * tests/unit/shop/order_status.c: an order's life on the real
 * database: every transition of the table allowed or refused, for
 * staff and shopper; paid_at, shipped_at and the tracking fields; the
 * history with who made each change; the mail job in the same
 * transaction as the change (a failed cancel leaves neither); stock
 * and the coupon's use back on cancel, once, even for two cancels at
 * once; notes; another
 * shop's order is not there.
 */
#include "core/common.h"
#include "shop/order_status.h"
#include "test.h"
#include "dbtest.h"

#include <sys/wait.h>

static int64_t shop1, shop2, product, vproduct, variant;

/* Runs a statement of one row and one number (its first column); -1
 * when it fails or returns nothing. */
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

static int
run(struct db *db, int64_t shop, const char *q, int64_t arg)
{
	struct db_stmt	*st = db_prepare(db, q, shop);
	int		 rc;

	if (st == NULL)
		return -1;
	if (strchr(q, '?') != NULL)
		db_bind_i64(st, 0, arg);
	rc = db_exec(st, NULL);
	db_done(st);
	return rc;
}

/* A product with 5 in stock, and one with a variant of 2. */
static void
products(struct db *db)
{
	TEST_CHECK(run(db, shop1, "INSERT INTO {p}products (slug, price, stock)"
	    " VALUES ('cap', 1995, 5)", 0) == 0);
	product = num(db, shop1, "SELECT MAX(id) FROM {p}products", 0);
	TEST_CHECK(run(db, shop1, "INSERT INTO {p}products (slug, price, stock)"
	    " VALUES ('shirt', 2500, 0)", 0) == 0);
	vproduct = num(db, shop1, "SELECT MAX(id) FROM {p}products", 0);
	TEST_CHECK(run(db, shop1, "INSERT INTO {p}variants (product_id, name,"
	    " stock) VALUES (?, 'M', 2)", vproduct) == 0);
	variant = num(db, shop1, "SELECT MAX(id) FROM {p}variants", 0);
}

/* Order number in status, with 2 of the product and 1 of the variant. */
static int64_t
order(struct db *db, int64_t shop, int64_t number, const char *status)
{
	struct db_stmt	*st;
	char		 idem[33];
	int64_t		 id;

	st = db_prepare(db, "INSERT INTO {p}orders (number, status, email,"
	    " locale, idem_key, access_key, currency, prices_include_tax,"
	    " subtotal, discount, shipping, shipping_tax, tax, total,"
	    " display_currency, fx_rate, display_total, payment_method,"
	    " bill_name) VALUES (?, ?, 'anna@example.com', 'de', ?,"
	    " '00112233445566778899aabbccddeeff', 'EUR', 1, 6490, 0, 490, 78,"
	    " 1114, 6980, 'EUR', 100000000, 6980, 'bacs', 'Anna Schmidt')",
	    shop);
	if (st == NULL)
		return 0;
	crypto_random_hex(idem, 16);
	db_bind_i64(st, 0, number);
	db_bind_cstr(st, 1, status);
	db_bind_cstr(st, 2, idem);
	if (db_exec(st, NULL) == -1)
		return 0;
	id = (int64_t)db_insert_id(st);
	db_done(st);
	st = db_prepare(db, "INSERT INTO {p}order_lines (order_id, product_id,"
	    " variant_id, name, variant, qty, unit_price, tax_class, tax_rate,"
	    " subtotal, discount, tax, total) VALUES"
	    " (?, ?, 0, 'Mütze', '', 2, 1995, 'standard', 190000, 3990, 0, 637,"
	    " 3990), (?, ?, ?, 'Hemd', 'M', 1, 2500, 'standard', 190000, 2500,"
	    " 0, 399, 2500)", shop);
	db_bind_i64(st, 0, id);
	db_bind_i64(st, 1, product);
	db_bind_i64(st, 2, id);
	db_bind_i64(st, 3, vproduct);
	db_bind_i64(st, 4, variant);
	if (db_exec(st, NULL) == -1)
		return 0;
	db_done(st);
	return id;
}

static int64_t
stock(struct db *db)
{
	return num(db, shop1, "SELECT stock FROM {p}products WHERE id = ?",
	    product);
}

static int64_t
vstock(struct db *db)
{
	return num(db, shop1, "SELECT stock FROM {p}variants WHERE id = ?",
	    variant);
}

static int64_t
jobs(struct db *db, const char *kind, int64_t number)
{
	struct db_stmt	*st;
	char		 payload[64];
	int64_t		 v = -1;

	snprintf(payload, sizeof(payload), "{\"order\": %lld}",
	    (long long)number);
	st = db_prepare(db, "SELECT COUNT(*) FROM souk_jobs WHERE tenant_id = ?"
	    " AND kind = ? AND payload = ?", 0);
	db_bind_i64(st, 0, shop1);
	db_bind_cstr(st, 1, kind);
	db_bind_cstr(st, 2, payload);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

static int64_t
events(struct db *db, int64_t order_id)
{
	return num(db, shop1, "SELECT COUNT(*) FROM {p}order_events"
	    " WHERE order_id = ?", order_id);
}

static int
change(struct shop_ctx *c, int64_t number, const struct order_who *who,
    enum order_status to)
{
	struct order_change	ch = { .to = to };
	struct field_errors	errs;

	return order_status_set(c, number, who, &ch, &errs);
}

/* The table, whole: exactly these changes are allowed, and a shopper
 * only cancels, from pending or on-hold. */
static void
table(void)
{
	static const int staff[ORDER__MAX][ORDER__MAX] = {
		[ORDER_PENDING] = { [ORDER_ON_HOLD] = 1,
		    [ORDER_PROCESSING] = 1, [ORDER_CANCELLED] = 1 },
		[ORDER_ON_HOLD] = { [ORDER_PROCESSING] = 1,
		    [ORDER_CANCELLED] = 1 },
		[ORDER_PROCESSING] = { [ORDER_SHIPPED] = 1,
		    [ORDER_COMPLETED] = 1, [ORDER_CANCELLED] = 1 },
		[ORDER_SHIPPED] = { [ORDER_COMPLETED] = 1 },
	};
	int from, to;

	for (from = 0; from < ORDER__MAX; from++)
		for (to = 0; to < ORDER__MAX; to++) {
			int shopper = to == ORDER_CANCELLED &&
			    (from == ORDER_PENDING || from == ORDER_ON_HOLD);

			TEST_CHECK(order_status_allowed(from, to,
			    ORDER_BY_STAFF) == staff[from][to]);
			TEST_CHECK(order_status_allowed(from, to,
			    ORDER_BY_SYSTEM) == staff[from][to]);
			TEST_CHECK(order_status_allowed(from, to,
			    ORDER_BY_SHOPPER) == shopper);
		}
}

static void
urls(void)
{
	TEST_CHECK(order_tracking_url_valid(STR("https://track.dhl.de/?id=1")));
	TEST_CHECK(order_tracking_url_valid(STR("HTTP://ups.com")));
	TEST_CHECK(!order_tracking_url_valid(STR("javascript:alert(1)")));
	TEST_CHECK(!order_tracking_url_valid(STR("https://")));
	TEST_CHECK(!order_tracking_url_valid(STR("https:///x")));
	TEST_CHECK(!order_tracking_url_valid(STR("ftp://x.org")));
	TEST_CHECK(!order_tracking_url_valid(STR("https://a b.org")));
	TEST_CHECK(!order_tracking_url_valid(STR("https://x.org/\"><b>")));
	TEST_CHECK(!order_tracking_url_valid(STR("https://dhl.de@evil.org/")));
	TEST_CHECK(!order_tracking_url_valid(STR("//x.org")));
}

/* on-hold -> paid -> shipped -> completed, by staff, and the refusals
 * met on the way. */
static void
life(struct db *db, struct shop_ctx *c)
{
	struct order_who	 staff = { ORDER_BY_STAFF, 7, STR("boss@x.test") };
	struct order_who	 shopper = { ORDER_BY_SHOPPER, 0, STR("") };
	struct order_change	 ship = { .to = ORDER_SHIPPED };
	struct field_errors	 errs;
	struct order		 o;
	int64_t			 id = order(db, shop1, 1001, "on-hold");

	TEST_CHECK(id > 0);
	/* Not yet paid: cannot ship or complete. */
	TEST_CHECK(change(c, 1001, &staff, ORDER_SHIPPED) == SHOP_EDENIED);
	TEST_CHECK(change(c, 1001, &staff, ORDER_COMPLETED) == SHOP_EDENIED);
	TEST_CHECK(change(c, 1001, &staff, ORDER_PENDING) == SHOP_EDENIED);
	/* The shopper cannot mark it paid. */
	TEST_CHECK(change(c, 1001, &shopper, ORDER_PROCESSING) ==
	    SHOP_EDENIED);
	TEST_CHECK(change(c, 1001, &staff, ORDER_PROCESSING) == SHOP_OK);
	TEST_CHECK(jobs(db, "shop.order_paid", 1001) == 1);
	/* A second click: nothing more. */
	TEST_CHECK(change(c, 1001, &staff, ORDER_PROCESSING) == ORDER_SAME);
	TEST_CHECK(jobs(db, "shop.order_paid", 1001) == 1);
	TEST_CHECK(events(db, id) == 1);
	/* Paid: the shopper may no longer cancel. */
	TEST_CHECK(change(c, 1001, &shopper, ORDER_CANCELLED) ==
	    SHOP_EDENIED);
	/* Bad shipping fields: nothing written. */
	ship.tracking_url = STR("javascript:alert(1)");
	ship.carrier = STR("DHL");
	TEST_CHECK(order_status_set(c, 1001, &staff, &ship, &errs) ==
	    SHOP_EINVAL);
	TEST_CHECK(errs.n == 1 && strcmp(errs.v[0].field, "tracking_url") ==
	    0);
	ship.tracking_url = STR("https://example.com/t");
	ship.tracking_number = STR("00340434161094042557");
	ship.carrier = STR("DHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHL"
	    "DHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHLDHL");
	TEST_CHECK(order_status_set(c, 1001, &staff, &ship, &errs) ==
	    SHOP_EINVAL);
	TEST_CHECK(errs.n == 1 && strcmp(errs.v[0].field, "carrier") == 0);
	TEST_CHECK(events(db, id) == 1);
	/* 100 characters of kanji are 100, not 300. */
	ship.carrier = STR("ヤマト運輸");
	TEST_CHECK(order_status_set(c, 1001, &staff, &ship, &errs) ==
	    SHOP_OK);
	TEST_CHECK(jobs(db, "shop.order_shipped", 1001) == 1);
	TEST_CHECK(order_get(c, 1001, 1, &o) == SHOP_OK);
	TEST_CHECK(o.status == ORDER_SHIPPED && o.paid_at.len == 19 &&
	    o.shipped_at.len == 19);
	TEST_CHECK(str_eqc(o.carrier, "ヤマト運輸") &&
	    str_eqc(o.tracking_number, "00340434161094042557") &&
	    str_eqc(o.tracking_url, "https://example.com/t"));
	/* Shipped: no one cancels it any more; stock stays out. */
	TEST_CHECK(change(c, 1001, &staff, ORDER_CANCELLED) == SHOP_EDENIED);
	TEST_CHECK(stock(db) == 5 && vstock(db) == 2);
	TEST_CHECK(change(c, 1001, &staff, ORDER_COMPLETED) == SHOP_OK);
	TEST_CHECK(change(c, 1001, &staff, ORDER_CANCELLED) == SHOP_EDENIED);
	TEST_CHECK(order_get(c, 1001, 1, &o) == SHOP_OK);
	TEST_CHECK(o.status == ORDER_COMPLETED && o.nevents == 3);
	TEST_CHECK(o.events[0].actor == ORDER_BY_STAFF &&
	    o.events[0].staff_id == 7 &&
	    str_eqc(o.events[0].actor_email, "boss@x.test") &&
	    str_eqc(o.events[0].from_status, "on-hold") &&
	    str_eqc(o.events[0].to_status, "processing"));
	TEST_CHECK(str_eqc(o.events[2].to_status, "completed"));
	/* pending -> on-hold -> cancelled by staff; processing ->
	 * completed directly (a pickup). */
	TEST_CHECK(order(db, shop1, 1002, "pending") > 0);
	TEST_CHECK(change(c, 1002, &staff, ORDER_ON_HOLD) == SHOP_OK);
	TEST_CHECK(change(c, 1002, &staff, ORDER_CANCELLED) == SHOP_OK);
	TEST_CHECK(jobs(db, "shop.order_cancelled", 1002) == 1);
	TEST_CHECK(stock(db) == 7 && vstock(db) == 3);
	TEST_CHECK(change(c, 1002, &staff, ORDER_PROCESSING) == SHOP_EDENIED);
	TEST_CHECK(order(db, shop1, 1003, "processing") > 0);
	TEST_CHECK(change(c, 1003, &shopper, ORDER_COMPLETED) ==
	    SHOP_EDENIED);
	TEST_CHECK(change(c, 1003, &staff, ORDER_COMPLETED) == SHOP_OK);
	TEST_CHECK(order(db, shop1, 1004, "processing") > 0);
	TEST_CHECK(change(c, 1004, &staff, ORDER_CANCELLED) == SHOP_OK);
	TEST_CHECK(stock(db) == 9 && vstock(db) == 4);
	TEST_CHECK(change(c, 9999, &staff, ORDER_CANCELLED) ==
	    SHOP_ENOTFOUND);
}

/* A cancelled order gives its coupon's use back (coupon_release());
 * a completed one keeps it. */
static void
coupon(struct db *db, struct shop_ctx *c)
{
	struct order_who staff = { ORDER_BY_STAFF, 7, STR("boss@x.test") };
	int64_t		 cid;

	TEST_CHECK(run(db, shop1, "INSERT INTO {p}coupons (code, kind, amount,"
	    " usage_limit, used) VALUES ('SOMMER10', 'percent', 1000, 5, 2)",
	    0) == 0);
	cid = num(db, shop1, "SELECT id FROM {p}coupons WHERE code ="
	    " 'SOMMER10'", 0);
	TEST_CHECK(order(db, shop1, 1008, "on-hold") > 0);
	TEST_CHECK(order(db, shop1, 1009, "processing") > 0);
	TEST_CHECK(run(db, shop1, "UPDATE {p}orders SET coupon_id = ?"
	    " WHERE number IN (1008, 1009)", cid) == 0);
	TEST_CHECK(change(c, 1009, &staff, ORDER_COMPLETED) == SHOP_OK);
	TEST_CHECK(num(db, shop1, "SELECT used FROM {p}coupons WHERE id = ?",
	    cid) == 2);
	TEST_CHECK(change(c, 1008, &staff, ORDER_CANCELLED) == SHOP_OK);
	TEST_CHECK(num(db, shop1, "SELECT used FROM {p}coupons WHERE id = ?",
	    cid) == 1);
	TEST_CHECK(change(c, 1008, &staff, ORDER_CANCELLED) == ORDER_SAME);
	TEST_CHECK(num(db, shop1, "SELECT used FROM {p}coupons WHERE id = ?",
	    cid) == 1);
}

/* The shopper cancels, with a note; stock back; the history says so. */
static void
shopper_cancel(struct db *db, struct shop_ctx *c)
{
	struct order_who	shopper = { ORDER_BY_SHOPPER, 0, STR("") };
	struct order_change	ch = { .to = ORDER_CANCELLED,
				    .note = STR("Falsche Größe") };
	struct field_errors	errs;
	struct order		o;
	int64_t			before = stock(db), vbefore = vstock(db);

	TEST_CHECK(order(db, shop1, 1005, "on-hold") > 0);
	TEST_CHECK(order_status_set(c, 1005, &shopper, &ch, &errs) == SHOP_OK);
	TEST_CHECK(stock(db) == before + 2 && vstock(db) == vbefore + 1);
	TEST_CHECK(order_status_set(c, 1005, &shopper, &ch, &errs) ==
	    ORDER_SAME);
	TEST_CHECK(stock(db) == before + 2 && vstock(db) == vbefore + 1);
	TEST_CHECK(jobs(db, "shop.order_cancelled", 1005) == 1);
	TEST_CHECK(order_get(c, 1005, 1, &o) == SHOP_OK);
	TEST_CHECK(o.nevents == 1 && o.events[0].actor == ORDER_BY_SHOPPER &&
	    o.events[0].staff_id == 0 && o.events[0].actor_email.len == 0 &&
	    str_eqc(o.events[0].note, "Falsche Größe"));
}

/*
 * A cancel that fails half-way (the variant's stock cannot take the
 * units back) leaves nothing: no status, no history, no job. The job
 * is enqueued before the stock in the same transaction, so this shows
 * it rolls back with the change.
 */
static void
atomic(struct db *db, struct shop_ctx *c)
{
	struct order_who staff = { ORDER_BY_STAFF, 7, STR("boss@x.test") };
	struct order	 o;
	int64_t		 id = order(db, shop1, 1006, "on-hold");
	int64_t		 before = stock(db);

	TEST_CHECK(run(db, shop1, "UPDATE {p}variants SET stock = 2147483647"
	    " WHERE id = ?", variant) == 0);
	TEST_CHECK(change(c, 1006, &staff, ORDER_CANCELLED) == SHOP_EDB);
	TEST_CHECK(order_get(c, 1006, 0, &o) == SHOP_OK &&
	    o.status == ORDER_ON_HOLD);
	TEST_CHECK(events(db, id) == 0);
	TEST_CHECK(jobs(db, "shop.order_cancelled", 1006) == 0);
	TEST_CHECK(stock(db) == before);
	TEST_CHECK(run(db, shop1, "UPDATE {p}variants SET stock = 0"
	    " WHERE id = ?", variant) == 0);
	TEST_CHECK(change(c, 1006, &staff, ORDER_CANCELLED) == SHOP_OK);
	TEST_CHECK(vstock(db) == 1 && stock(db) == before + 2);
}

struct waiters {
	struct db	*db;
	int64_t		 n;
};

/* Two connections run the order's lock, waiting for the parent's
 * (a connection sees its own user's threads without PROCESS). */
static int
two_waiting(void *arg)
{
	struct waiters *w = arg;

	w->n = num(w->db, 0, "SELECT COUNT(*) FROM information_schema."
	    "PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE"
	    " '%orders WHERE number = _ FOR UPDATE'", 0);
	return w->n >= 2;
}

/* Two cancels at once, each its own connection and process, released
 * together from a lock: one cancels, the other finds it done; the
 * stock comes back once. */
static void
concurrent(struct db *db)
{
	struct order_who staff = { ORDER_BY_STAFF, 7, STR("boss@x.test") };
	struct waiters	 w;
	struct db	*lockdb = db_open();
	struct db	*watch = db_open();
	pid_t		 pid[2];
	int		 i, status, ok = 0, same = 0;
	int64_t		 before = stock(db), vbefore = vstock(db);

	TEST_CHECK(order(db, shop1, 1007, "on-hold") > 0);
	TEST_CHECK(db_alive(lockdb, 1) && db_alive(watch, 1));
	TEST_CHECK(db_tx_begin(lockdb) == 0);
	TEST_CHECK(num(lockdb, shop1, "SELECT id FROM {p}orders"
	    " WHERE number = ? FOR UPDATE", 1007) > 0);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			struct arena	 a;
			struct db	*own = db_open();
			struct shop_ctx	 c = { own, &a, shop1, "de", "de",
					    "EUR", NULL, NULL, 0 };
			int		 rc;

			arena_init(&a);
			rc = change(&c, 1007, &staff, ORDER_CANCELLED);
			_exit(rc == SHOP_OK ? 0 : rc == ORDER_SAME ? 1 : 2);
		}
	}
	w.db = watch;
	TEST_CHECK(test_wait_until(two_waiting, &w, TEST_WAIT_MS));
	TEST_CHECK(db_tx_end(lockdb, 1) == 0);
	for (i = 0; i < 2; i++) {
		TEST_CHECK(waitpid(pid[i], &status, 0) == pid[i]);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ok++;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
			same++;
	}
	TEST_CHECK(ok == 1 && same == 1);
	TEST_CHECK(stock(db) == before + 2 && vstock(db) == vbefore + 1);
	TEST_CHECK(jobs(db, "shop.order_cancelled", 1007) == 1);
	db_close(lockdb);
	db_close(watch);
}

static void
notes(struct db *db, struct shop_ctx *c, struct shop_ctx *other)
{
	struct order_who	 staff = { ORDER_BY_STAFF, 7, STR("boss@x.test") };
	struct field_errors	 errs;
	struct order		 o;
	char			 big[2100];

	TEST_CHECK(order_note_add(c, 1001, &staff, STR("Paket 2 folgt"), 0,
	    &errs) == SHOP_OK);
	TEST_CHECK(order_note_add(c, 1001, &staff, STR("Kunde ist nett"), 1,
	    &errs) == SHOP_OK);
	TEST_CHECK(order_note_add(c, 1001, &staff, STR(""), 1, &errs) ==
	    SHOP_EINVAL && errs.n == 1 && strcmp(errs.v[0].field, "note") ==
	    0);
	memset(big, 'x', 2001);
	big[2001] = '\0';
	TEST_CHECK(order_note_add(c, 1001, &staff, str_c(big), 1, &errs) ==
	    SHOP_EINVAL);
	TEST_CHECK(order_get(c, 1001, 1, &o) == SHOP_OK && o.nevents == 5);
	TEST_CHECK(o.events[3].kind == ORDER_EV_NOTE &&
	    o.events[4].kind == ORDER_EV_PRIVATE &&
	    str_eqc(o.events[4].note, "Kunde ist nett"));
	/* Shop 2 has no order 1001: nothing there, nothing written. */
	TEST_CHECK(order_note_add(other, 1001, &staff, STR("x"), 0, &errs) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(change(other, 1001, &staff, ORDER_COMPLETED) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(num(db, shop2, "SELECT COUNT(*) FROM {p}order_events",
	    0) == 0);
}

int
main(void)
{
	struct db	*db = dbtest_open("order_status");
	struct arena	 a;

	arena_init(&a);
	table();
	urls();
	shop1 = dbtest_shop(db, "ost1", NULL, NULL, "de", "EUR");
	shop2 = dbtest_shop(db, "ost2", NULL, NULL, "de", "EUR");
	TEST_CHECK(shop1 > 0 && shop2 > 0);
	products(db);
	{
		struct shop_ctx c1 = { db, &a, shop1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, shop2, "de", "de", "EUR", NULL,
		    NULL, 0 };

		life(db, &c1);
		shopper_cancel(db, &c1);
		atomic(db, &c1);
		concurrent(db);
		coupon(db, &c1);
		notes(db, &c1, &c2);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
