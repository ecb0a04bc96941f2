/*
 * coupon.c: a shop's coupons: taking and giving back a use in an
 * order's transaction (quote.h), and the check of a coupon against a
 * cart (coupon.h).
 *
 * Uses are counted twice on purpose: coupons.used for the coupon's
 * own limit (a conditional UPDATE, so two orders cannot both take the
 * last use), and the shopper's orders for the limit per customer (no
 * table of uses: DESIGN.md counts tables). The coupon's row lock,
 * taken first, queues every order that takes the same coupon, so the
 * count of a shopper's orders cannot change under the check.
 */
#include "core/common.h"
#include "db/db.h"
#include "shop/quote.h"
#include "shop/shop.h"

enum stmt {
	ST_LOCK,
	ST_USES_BY,
	ST_TAKE,
	ST_GIVE_BACK,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_LOCK] = { "coupon.lock",
	    "SELECT per_customer FROM {p}coupons"
	    " WHERE id = ? AND active = 1 FOR UPDATE" },
	/* A locking read: the order's transaction has read the cart
	 * before, and a plain read would count from that older snapshot,
	 * missing the order whose commit released the coupon's lock. */
	[ST_USES_BY] = { "coupon.uses_by",
	    "SELECT COUNT(*) FROM {p}orders WHERE coupon_id = ?"
	    " AND email = ? AND status <> 'cancelled' LOCK IN SHARE MODE" },
	[ST_TAKE] = { "coupon.take",
	    "UPDATE {p}coupons SET used = used + 1 WHERE id = ?"
	    " AND active = 1 AND (usage_limit = 0 OR used < usage_limit)" },
	[ST_GIVE_BACK] = { "coupon.give_back",
	    "UPDATE {p}coupons SET used = used - 1 WHERE id = ? AND used > 0" },
};

/* The coupon's limit per customer, its row locked: >= 0, or
 * SHOP_EINVAL (gone or deactivated meanwhile), SHOP_EDB. */
static int64_t
lock_coupon(struct shop_ctx *ctx, int64_t id)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LOCK]);
	int64_t		 per_customer;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	per_customer = rc == 1 ? db_col_i64(st, 0) : 0;
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	return rc == 1 ? per_customer : SHOP_EINVAL;
}

/* Orders of email (any case: the column's collation) that took the
 * coupon and stand; -1 on error. */
static int64_t
uses_by(struct shop_ctx *ctx, int64_t id, struct str email)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_USES_BY]);
	int64_t		 n = -1;

	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, id);
	db_bind_str(st, 1, email);
	if (shop_exec(ctx, st) != SHOP_OK)
		return -1;
	if (db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	return n;
}

int
coupon_use(struct shop_ctx *ctx, int64_t coupon_id, struct str email)
{
	struct db_stmt	*st;
	int64_t		 per_customer, n;
	int		 rc;

	if (coupon_id <= 0)
		return SHOP_EINVAL;
	if ((per_customer = lock_coupon(ctx, coupon_id)) < 0)
		return (int)per_customer;
	email = str_trim(email);
	if (per_customer > 0 && email.len > 0) {
		if ((n = uses_by(ctx, coupon_id, email)) < 0)
			return SHOP_EDB;
		if (n >= per_customer)
			return SHOP_EINVAL;
	}
	if ((st = shop_stmt(ctx, &sql[ST_TAKE])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, coupon_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return SHOP_EDB;
	rc = db_affected(st) == 1 ? SHOP_OK : SHOP_EINVAL;
	db_done(st);
	return rc;
}

int
coupon_release(struct shop_ctx *ctx, int64_t coupon_id)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_GIVE_BACK]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, coupon_id);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc == SHOP_OK ? SHOP_OK : SHOP_EDB;
}
