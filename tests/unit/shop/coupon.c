/*
 * tests/unit/shop/coupon.c: taking a coupon's uses in an order's
 * transaction: its usage limit holds when two connections take the
 * last use at once (forked, each its own connection), so does the
 * limit per customer even when the second order's transaction read
 * before the first committed; cancelled orders give their use back to
 * the shopper; a deactivated coupon is refused; a release never drives
 * the count below zero.
 */
#include <sys/wait.h>
#include "core/common.h"
#include "shop/quote.h"
#include "test.h"
#include "dbtest.h"

static struct db *db;
static int64_t shop;

static int64_t
coupon(const char *code, int64_t usage_limit, int64_t per_customer)
{
	struct db_stmt	*st;
	int64_t		 id = 0;

	st = db_prepare(db, "INSERT INTO {p}coupons (code, kind, amount,"
	    " usage_limit, per_customer) VALUES (?, 'percent', 1000, ?, ?)",
	    shop);
	if (st == NULL)
		return 0;
	db_bind_cstr(st, 0, code);
	db_bind_i64(st, 1, usage_limit);
	db_bind_i64(st, 2, per_customer);
	if (db_exec(st, NULL) == 0)
		id = (int64_t)db_insert_id(st);
	db_done(st);
	return id;
}

static int
order(struct db *d, int64_t number, int64_t coupon_id, const char *email,
    const char *status)
{
	struct db_stmt	*st;
	char		 key[33];
	int		 rc;

	snprintf(key, sizeof(key), "%032lld", (long long)number);
	st = db_prepare(d, "INSERT INTO {p}orders (number, status, email,"
	    " locale, idem_key, access_key, currency, prices_include_tax,"
	    " subtotal, discount, shipping, shipping_tax, tax, total,"
	    " display_currency, fx_rate, display_total, payment_method,"
	    " coupon_id) VALUES (?, ?, ?, 'de', ?, ?, 'EUR', 1, 1000, 100,"
	    " 0, 0, 144, 900, 'EUR', 100000000, 900, 'bacs', ?)", shop);
	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, number);
	db_bind_cstr(st, 1, status);
	db_bind_cstr(st, 2, email);
	db_bind_cstr(st, 3, key);
	db_bind_cstr(st, 4, key);
	db_bind_i64(st, 5, coupon_id);
	rc = db_exec(st, NULL);
	db_done(st);
	return rc;
}

static int64_t
used(int64_t id)
{
	struct db_stmt	*st;
	int64_t		 n = -1;

	st = db_prepare(db, "SELECT used FROM {p}coupons WHERE id = ?", shop);
	db_bind_i64(st, 0, id);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	return n;
}

/* A child on its own connection: begins, reads the orders (as the
 * checkout reads the cart: the snapshot is taken), tells the parent
 * through ready, then takes a use of id for email and commits. Exits
 * 0 for SHOP_OK, 2 for SHOP_EINVAL, 1 otherwise. */
static pid_t
contender(int64_t id, const char *email, int ready)
{
	struct db	*d;
	struct db_stmt	*st;
	struct arena	 a;
	pid_t		 pid;
	int		 rc;

	if ((pid = fork()) != 0)
		return pid;
	d = db_open();
	arena_init(&a);
	{
		struct shop_ctx c = { d, &a, shop, "de", "de", "EUR", NULL,
		    NULL, 0 };

		if (db_tx_begin(d) == -1)
			_exit(1);
		st = db_prepare(d, "SELECT COUNT(*) FROM {p}orders", shop);
		if (st == NULL || db_exec(st, NULL) == -1)
			_exit(1);
		db_done(st);
		if (write(ready, "r", 1) != 1)
			_exit(1);
		rc = coupon_use(&c, id, str_c(email));
		if (db_tx_end(d, rc == SHOP_OK) == -1)
			_exit(1);
		_exit(rc == SHOP_OK ? 0 : rc == SHOP_EINVAL ? 2 : 1);
	}
}

/* The parent takes a use of id for email (and places its order), the
 * child tries meanwhile; returns the child's exit status. */
static int
race(struct shop_ctx *c, int64_t id, const char *email, const char *other,
    int64_t number)
{
	int	p[2], st = -1;
	char	b;
	pid_t	pid;

	TEST_CHECK(pipe(p) == 0);
	TEST_CHECK(db_tx_begin(db) == 0);
	TEST_CHECK(coupon_use(c, id, str_c(email)) == SHOP_OK);
	TEST_CHECK(order(db, number, id, email, "on-hold") == 0);
	pid = contender(id, other, p[1]);
	TEST_CHECK(read(p[0], &b, 1) == 1);
	TEST_CHECK(db_tx_end(db, 1) == 0);
	TEST_CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
	close(p[0]);
	close(p[1]);
	return WEXITSTATUS(st);
}

int
main(void)
{
	struct arena	 a;
	int64_t		 once, each, off;
	struct db_stmt	*st;

	db = dbtest_open("unit/shop/coupon");
	arena_init(&a);
	shop = dbtest_shop(db, "cpn", NULL, NULL, "de", "EUR");
	TEST_CHECK(shop > 0);
	once = coupon("ONCE", 1, 0);
	each = coupon("EACH", 0, 1);
	off = coupon("OFF", 0, 0);
	TEST_CHECK(once > 0 && each > 0 && off > 0);
	{
		struct shop_ctx c = { db, &a, shop, "de", "de", "EUR", NULL,
		    NULL, 0 };

		/* Usage limit 1, two orders at once: one gets it. */
		TEST_CHECK(race(&c, once, "a@example.com", "b@example.com",
		    1001) == 2);
		TEST_CHECK(used(once) == 1);
		/* Given back by a cancelled order: usable again. */
		TEST_CHECK(coupon_release(&c, once) == SHOP_OK &&
		    used(once) == 0);
		TEST_CHECK(coupon_release(&c, once) == SHOP_OK &&
		    used(once) == 0);

		/* One use per customer: the same shopper's second order at
		 * once is refused, in any case of their address... */
		TEST_CHECK(race(&c, each, "k@example.com", "K@Example.com",
		    1002) == 2);
		/* ...another shopper is not. */
		TEST_CHECK(race(&c, each, "l@example.com", "m@example.com",
		    1003) == 0);
		TEST_CHECK(used(each) == 3);
		/* A cancelled order does not count against its shopper. */
		st = db_prepare(db, "UPDATE {p}orders SET status = 'cancelled'"
		    " WHERE number = 1002", shop);
		TEST_CHECK(st != NULL && db_exec(st, NULL) == 0);
		db_done(st);
		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(coupon_use(&c, each, STR("k@example.com")) ==
		    SHOP_OK);
		TEST_CHECK(db_tx_end(db, 0) == 0);
		/* Without an e-mail only the coupon's own limit counts. */
		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(coupon_use(&c, each, STR("")) == SHOP_OK);
		TEST_CHECK(db_tx_end(db, 0) == 0);

		/* Deactivated, unknown, or another shop's: refused. */
		st = db_prepare(db, "UPDATE {p}coupons SET active = 0"
		    " WHERE id = ?", shop);
		db_bind_i64(st, 0, off);
		TEST_CHECK(db_exec(st, NULL) == 0);
		db_done(st);
		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(coupon_use(&c, off, STR("a@example.com")) ==
		    SHOP_EINVAL);
		TEST_CHECK(coupon_use(&c, off + 1000, STR("")) ==
		    SHOP_EINVAL);
		TEST_CHECK(coupon_use(&c, 0, STR("")) == SHOP_EINVAL);
		TEST_CHECK(db_tx_end(db, 0) == 0);
		TEST_CHECK(used(off) == 0);
	}
	{
		int64_t other = dbtest_shop(db, "cpn2", NULL, NULL, "de",
		    "EUR");
		struct shop_ctx c2 = { db, &a, other, "de", "de", "EUR", NULL,
		    NULL, 0 };

		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(coupon_use(&c2, once, STR("")) == SHOP_EINVAL);
		TEST_CHECK(db_tx_end(db, 0) == 0);
		TEST_CHECK(used(once) == 0);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
