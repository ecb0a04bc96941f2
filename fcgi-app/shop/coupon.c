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
#include "core/i18n.h"
#include "db/db.h"
#include "shop/coupon.h"
#include "shop/shop.h"

enum stmt {
	ST_LOCK,
	ST_USES_BY,
	ST_TAKE,
	ST_GIVE_BACK,
	ST_LIST,
	ST_GET,
	ST_BY_CODE,
	ST_INSERT,
	ST_UPDATE,
	ST_ACTIVE,
	ST_COUNT_BY,
	ST_DELETE,
	ST_USED_BY,
	ST__MAX
};

#define COLS "id, code, kind, amount, min_spend," \
	" COALESCE(DATE_FORMAT(expires_at, '%Y-%m-%d'), ''), product_ids," \
	" category_ids, usage_limit, per_customer, used, active," \
	" expires_at IS NOT NULL AND expires_at <= UTC_TIMESTAMP()," \
	" DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s')," \
	" DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s')"

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
	[ST_LIST] = { "coupon.list",
	    "SELECT " COLS " FROM {p}coupons ORDER BY id DESC LIMIT 500" },
	[ST_GET] = { "coupon.get",
	    "SELECT " COLS " FROM {p}coupons WHERE id = ?" },
	[ST_BY_CODE] = { "coupon.by_code",
	    "SELECT " COLS " FROM {p}coupons WHERE code = ?" },
	/* expires_on is the last day it works: it ends at that day's end
	 * (UTC). */
	[ST_INSERT] = { "coupon.insert",
	    "INSERT INTO {p}coupons (code, kind, amount, min_spend,"
	    " expires_at, product_ids, category_ids, usage_limit,"
	    " per_customer, active) VALUES (?, ?, ?, ?,"
	    " CAST(NULLIF(?, '') AS DATE) + INTERVAL 86399 SECOND,"
	    " ?, ?, ?, ?, ?)" },
	[ST_UPDATE] = { "coupon.update",
	    "UPDATE {p}coupons SET code = ?, kind = ?, amount = ?,"
	    " min_spend = ?, expires_at = CAST(NULLIF(?, '') AS DATE)"
	    " + INTERVAL 86399 SECOND, product_ids = ?, category_ids = ?,"
	    " usage_limit = ?, per_customer = ?, active = ? WHERE id = ?" },
	[ST_ACTIVE] = { "coupon.active",
	    "UPDATE {p}coupons SET active = ? WHERE id = ?" },
	[ST_COUNT_BY] = { "coupon.count_by",
	    "SELECT COUNT(*) FROM {p}orders WHERE coupon_id = ?"
	    " AND email = ? AND status <> 'cancelled'" },
	[ST_DELETE] = { "coupon.delete",
	    "DELETE FROM {p}coupons WHERE id = ?" },
	[ST_USED_BY] = { "coupon.used_by",
	    "SELECT COALESCE(CAST(customer_id AS CHAR), email) FROM {p}orders"
	    " WHERE coupon_id = ? AND status <> 'cancelled' ORDER BY id"
	    " LIMIT 1000" },
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
 * coupon and stand, counted by q; -1 on error. */
static int64_t
count_uses(struct shop_ctx *ctx, enum stmt q, int64_t id, struct str email)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
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
		if ((n = count_uses(ctx, ST_USES_BY, coupon_id, email)) < 0)
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

int64_t
coupon_uses_by(struct shop_ctx *ctx, int64_t id, struct str email)
{
	return count_uses(ctx, ST_COUNT_BY, id, str_trim(email));
}

static const char *const kind_names[COUPON__MAX] = {
	[COUPON_PERCENT] = "percent",
	[COUPON_FIXED] = "fixed",
	[COUPON_FREE_SHIPPING] = "free_shipping",
};

static void
read_coupon(struct db_stmt *st, struct coupon *c)
{
	struct str	k = db_col_str(st, 2);
	size_t		i;

	c->id = db_col_i64(st, 0);
	c->code = db_col_str(st, 1);
	c->kind = COUPON_PERCENT;
	for (i = 0; i < COUPON__MAX; i++)
		if (str_eqc(k, kind_names[i]))
			c->kind = (enum coupon_kind)i;
	c->amount = db_col_i64(st, 3);
	c->min_spend = db_col_i64(st, 4);
	c->expires_on = db_col_str(st, 5);
	c->product_ids = db_col_str(st, 6);
	c->category_ids = db_col_str(st, 7);
	c->usage_limit = db_col_i64(st, 8);
	c->per_customer = db_col_i64(st, 9);
	c->used = db_col_i64(st, 10);
	c->active = db_col_i64(st, 11) != 0;
	c->expired = db_col_i64(st, 12) != 0;
	c->created_at = db_col_str(st, 13);
	c->updated_at = db_col_str(st, 14);
}

int
coupons_list(struct shop_ctx *ctx, struct coupon **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LIST]);
	size_t		 cap = 0;
	int		 rc;

	*n = 0;
	*out = NULL;
	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		read_coupon(st, &(*out)[(*n)++]);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
get_by(struct shop_ctx *ctx, enum stmt q, int64_t id, struct str code,
    struct coupon *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	if (q == ST_BY_CODE)
		db_bind_str(st, 0, code);
	else
		db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1)
		read_coupon(st, out);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
coupon_get(struct shop_ctx *ctx, int64_t id, struct coupon *out)
{
	return get_by(ctx, ST_GET, id, STR_NULL, out);
}

static int
code_ok(struct str s)
{
	size_t i;

	if (s.len == 0 || s.len > COUPON_CODE_MAX)
		return 0;
	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

int
coupon_by_code(struct shop_ctx *ctx, struct str code, struct coupon *out)
{
	code = str_trim(code);
	/* Anything else was never saved: no query, and no non-ASCII text
	 * compared with the column. */
	if (!code_ok(code))
		return SHOP_ENOTFOUND;
	return get_by(ctx, ST_BY_CODE, 0, code, out);
}

int
coupon_ids_valid(struct str s)
{
	size_t	i, digits = 0;

	if (s.len > COUPON_IDS_MAX)
		return 0;
	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (c >= '0' && c <= '9') {
			if ((digits == 0 && c == '0') || ++digits > 18)
				return 0;
		} else if (c == ' ' || c == ',')
			digits = 0;
		else
			return 0;
	}
	return 1;
}

/* "3, 17  4" as "3 17 4", in a. */
static struct str
ids_norm(struct arena *a, struct str s)
{
	char	*out = arena_alloc(a, s.len + 1);
	size_t	 i, n = 0;

	for (i = 0; i < s.len; i++)
		if (s.p[i] >= '0' && s.p[i] <= '9') {
			if (n > 0 && (i == 0 || s.p[i - 1] < '0' ||
			    s.p[i - 1] > '9'))
				out[n++] = ' ';
			out[n++] = s.p[i];
		}
	out[n] = '\0';
	return (struct str){ out, n };
}

static int
ids_has(struct str list, int64_t id)
{
	size_t	i = 0, j;
	int64_t	v;

	while (i < list.len) {
		while (i < list.len && (list.p[i] < '0' || list.p[i] > '9'))
			i++;
		for (j = i; j < list.len && list.p[j] >= '0' &&
		    list.p[j] <= '9'; j++)
			;
		if (j > i && str_to_i64((struct str){ list.p + i, j - i }, 1,
		    INT64_MAX, &v) == 0 && v == id)
			return 1;
		i = j;
	}
	return 0;
}

int
coupon_applies(const struct coupon *c, int64_t product_id,
    int64_t category_id)
{
	if (c->product_ids.len == 0 && c->category_ids.len == 0)
		return 1;
	return (product_id > 0 && ids_has(c->product_ids, product_id)) ||
	    (category_id > 0 && ids_has(c->category_ids, category_id));
}

const char *
coupon_refusal(const struct coupon *c, int64_t subtotal,
    size_t eligible_lines, int64_t uses)
{
	if (!c->active)
		return N_("This coupon code is not valid.");
	if (c->expired)
		return N_("This coupon has expired.");
	if (c->usage_limit > 0 && c->used >= c->usage_limit)
		return N_("This coupon has been used up.");
	if (c->per_customer > 0 && uses >= c->per_customer)
		return N_("You have used this coupon as often as it allows.");
	if (eligible_lines == 0)
		return N_("This coupon is not for the items in your cart.");
	if (subtotal < c->min_spend)
		return N_("Your order is below this coupon's minimum spend.");
	return NULL;
}

int
coupon_percent_parse(struct str s, int64_t *bp)
{
	int64_t	v = 0;
	size_t	i, dec = 0;
	int	sep = 0, digits = 0;

	s = str_trim(s);
	if (s.len > 0 && s.p[s.len - 1] == '%')
		s = str_trim((struct str){ s.p, s.len - 1 });
	if (s.len == 0 || s.len > 8)
		return -1;
	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if ((c == '.' || c == ',') && !sep && digits > 0) {
			sep = 1;
			continue;
		}
		if (c < '0' || c > '9' || (sep && ++dec > 2))
			return -1;
		v = v * 10 + (c - '0');
		digits++;
	}
	if (sep && dec == 0)
		return -1;
	for (; dec < 2; dec++)
		v *= 10;
	if (v <= 0 || v > 10000)
		return -1;
	*bp = v;
	return 0;
}

/* "2026-12-31", a day that exists. */
static int
date_ok(struct str s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t	y, m, d;

	if (s.len != 10 || s.p[4] != '-' || s.p[7] != '-' ||
	    str_to_i64((struct str){ s.p, 4 }, 2000, 9999, &y) == -1 ||
	    str_to_i64((struct str){ s.p + 5, 2 }, 1, 12, &m) == -1 ||
	    str_to_i64((struct str){ s.p + 8, 2 }, 1, 31, &d) == -1)
		return 0;
	if (d > days[m - 1])
		return 0;
	return !(m == 2 && d == 29 && !(y % 4 == 0 &&
	    (y % 100 != 0 || y % 400 == 0)));
}

static struct str
code_upper(struct arena *a, struct str s)
{
	char	*out = arena_alloc(a, s.len + 1);
	size_t	 i;

	for (i = 0; i < s.len; i++)
		out[i] = s.p[i] >= 'a' && s.p[i] <= 'z' ? (char)(s.p[i] - 32) :
		    s.p[i];
	out[s.len] = '\0';
	return (struct str){ out, s.len };
}

static void
check(struct shop_ctx *ctx, struct coupon *c, struct field_errors *errs)
{
	c->code = str_trim(c->code);
	c->expires_on = str_trim(c->expires_on);
	c->product_ids = str_trim(c->product_ids);
	c->category_ids = str_trim(c->category_ids);
	if (!code_ok(c->code))
		field_errors_add(errs, "code", N_("A code has 1 to 40 letters, "
		    "digits, - or _."));
	else
		c->code = code_upper(ctx->a, c->code);
	if ((unsigned)c->kind >= COUPON__MAX)
		field_errors_add(errs, "kind", N_("Choose a kind of coupon."));
	else if (c->kind == COUPON_PERCENT &&
	    (c->amount <= 0 || c->amount > 10000))
		field_errors_add(errs, "amount", N_("Enter a percentage over "
		    "0 and at most 100, such as 10 or 12.5."));
	else if (c->kind == COUPON_FIXED &&
	    (c->amount <= 0 || c->amount > COUPON_AMOUNT_MAX))
		field_errors_add(errs, "amount", N_("Enter an amount over 0, "
		    "under ten million."));
	if (c->kind == COUPON_FREE_SHIPPING)
		c->amount = 0;
	if (c->min_spend < 0 || c->min_spend > COUPON_AMOUNT_MAX)
		field_errors_add(errs, "min_spend", N_("Enter an amount of 0 "
		    "or more, under ten million."));
	if (c->expires_on.len > 0 && !date_ok(c->expires_on))
		field_errors_add(errs, "expires_on", N_("Enter a date such as "
		    "2026-12-31, or nothing."));
	if (!coupon_ids_valid(c->product_ids))
		field_errors_add(errs, "product_ids", N_("List product numbers "
		    "separated by spaces, or nothing for every product."));
	else
		c->product_ids = ids_norm(ctx->a, c->product_ids);
	if (!coupon_ids_valid(c->category_ids))
		field_errors_add(errs, "category_ids", N_("List category "
		    "numbers separated by spaces, or nothing for all."));
	else
		c->category_ids = ids_norm(ctx->a, c->category_ids);
	if (c->usage_limit < 0 || c->usage_limit > 1000000000)
		field_errors_add(errs, "usage_limit", N_("Enter a whole number "
		    "of 0 (no limit) or more."));
	if (c->per_customer < 0 || c->per_customer > 1000000000)
		field_errors_add(errs, "per_customer", N_("Enter a whole "
		    "number of 0 (no limit) or more."));
}

int
coupon_check(struct shop_ctx *ctx, struct coupon *c,
    struct field_errors *errs)
{
	size_t before = errs->n;

	check(ctx, c, errs);
	return (int)(errs->n - before);
}

int
coupon_save(struct shop_ctx *ctx, struct coupon *c, struct field_errors *errs)
{
	struct db_stmt	*st;
	int		 rc;

	errs->n = 0;
	check(ctx, c, errs);
	if (errs->n > 0)
		return SHOP_EINVAL;
	if (c->id && (rc = shop_row_exists(ctx, &sql[ST_GET], c->id)) != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[c->id ? ST_UPDATE : ST_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, c->code);
	db_bind_cstr(st, 1, kind_names[c->kind]);
	db_bind_i64(st, 2, c->amount);
	db_bind_i64(st, 3, c->min_spend);
	db_bind_str(st, 4, c->expires_on);
	db_bind_str(st, 5, c->product_ids);
	db_bind_str(st, 6, c->category_ids);
	db_bind_i64(st, 7, c->usage_limit);
	db_bind_i64(st, 8, c->per_customer);
	db_bind_i64(st, 9, c->active ? 1 : 0);
	if (c->id)
		db_bind_i64(st, 10, c->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK) {
		if (rc == SHOP_ECONFLICT) {
			field_errors_add(errs, "code", N_("Another coupon "
			    "already has this code."));
			return SHOP_EINVAL;
		}
		return rc;
	}
	if (c->id == 0)
		c->id = (int64_t)db_insert_id(st);
	db_done(st);
	return SHOP_OK;
}

int
coupon_set_active(struct shop_ctx *ctx, int64_t id, int active)
{
	struct db_stmt	*st;
	int		 rc;

	if ((rc = shop_row_exists(ctx, &sql[ST_GET], id)) != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[ST_ACTIVE])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, active ? 1 : 0);
	db_bind_i64(st, 1, id);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc == SHOP_OK ? SHOP_OK : SHOP_EDB;
}

int
coupon_delete(struct shop_ctx *ctx, int64_t id)
{
	return shop_change_by_id(ctx, &sql[ST_DELETE], id);
}

int
coupon_used_by(struct shop_ctx *ctx, int64_t id, struct str **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_USED_BY]);
	size_t		 cap = 0;
	int		 rc;

	*n = 0;
	*out = NULL;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		(*out)[(*n)++] = db_col_str(st, 0);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}
