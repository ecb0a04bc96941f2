/*
 * payments.c: money received for an order (payments.h).
 */
#include "core/common.h"
#include "core/log.h"
#include "db/db.h"
#include "shop/ledger.h"
#include "shop/payment.h"
#include "shop/payments.h"
#include "shop/shop.h"

enum stmt {
	ST_LOCK,
	ST_PAID_AT,
	ST_INSERT,
	ST_SUM,
	ST_LIST,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_LOCK] = { "payments.lock",
	    "SELECT id FROM {p}orders WHERE id = ? FOR UPDATE" },
	/* paid_at is the first time it was paid. */
	[ST_PAID_AT] = { "payments.paid_at",
	    "UPDATE {p}orders SET paid_at = COALESCE(paid_at,"
	    " UTC_TIMESTAMP()) WHERE id = ?" },
	[ST_INSERT] = { "payments.insert",
	    "INSERT INTO {p}payments (order_id, method, amount, fee, gateway,"
	    " gateway_ref, created_at, staff_id)"
	    " VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), ?)" },
	[ST_SUM] = { "payments.sum",
	    "SELECT COALESCE(SUM(amount), 0) FROM {p}payments"
	    " WHERE order_id = ?" },
	[ST_LIST] = { "payments.list",
	    "SELECT id, order_id, method, amount, fee, gateway, gateway_ref,"
	    " DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'),"
	    " COALESCE(staff_id, 0)"
	    " FROM {p}payments WHERE order_id = ? ORDER BY id LIMIT 1000" },
};

/* Runs q with id alone (an UPDATE, or a SELECT read by the caller). */
static int
by_id(struct shop_ctx *ctx, enum stmt q, int64_t id)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

static int
paid_so_far(struct shop_ctx *ctx, int64_t order_id, int64_t *sum)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_SUM]);
	int		 rc;

	*sum = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	if (rc == 1)
		*sum = db_col_i64(st, 0);
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* A gateway's name or id: printable ASCII, no spaces. */
static int
token_valid(struct str s, size_t max)
{
	size_t i;

	if (s.len > max)
		return 0;
	for (i = 0; i < s.len; i++)
		if (s.p[i] <= ' ' || s.p[i] >= 0x7f)
			return 0;
	return 1;
}

struct record {
	int64_t			 order_id;
	const struct payment_method *m;
	struct str		 method;
	int64_t			 amount, fee;
	struct str		 gateway, gateway_ref;
	const struct order_who	*who;
	int64_t			*payment_id;
};

/* The payment's row and entry, the order's sale and paid_at; the order
 * row is locked, o holds it with its lines. */
static int
record_locked(struct shop_ctx *ctx, const struct record *r,
    const struct order *o)
{
	struct ledger_entry	*e;
	struct db_stmt		*st;
	int64_t			 id;
	int			 rc;

	if ((st = shop_stmt(ctx, &sql[ST_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, r->order_id);
	db_bind_str(st, 1, r->method);
	db_bind_i64(st, 2, r->amount);
	db_bind_i64(st, 3, r->fee);
	db_bind_str(st, 4, r->gateway);
	db_bind_str(st, 5, r->gateway_ref);
	if (r->who != NULL && r->who->actor == ORDER_BY_STAFF &&
	    r->who->staff_id > 0)
		db_bind_i64(st, 6, r->who->staff_id);
	else
		db_bind_null(st, 6);
	rc = shop_exec(ctx, st);
	id = rc == SHOP_OK ? (int64_t)db_insert_id(st) : 0;
	db_done(st);
	/* The unique (gateway, gateway_ref): a webhook seen before. */
	if (rc == SHOP_ECONFLICT)
		return PAYMENT_ALREADY;
	if (rc != SHOP_OK)
		return rc;
	if (r->payment_id != NULL)
		*r->payment_id = id;
	if ((rc = ledger_post_sale(ctx, o)) != SHOP_OK)
		return rc;
	if ((rc = by_id(ctx, ST_PAID_AT, o->id)) != SHOP_OK)
		return rc;
	e = arena_alloc(ctx->a, sizeof(*e));
	ledger_entry_init(e, "payment", id, o->id);
	ledger_add(e, r->m->account, 1, r->amount, LEDGER_NO_RATE, "");
	ledger_add(e, LEDGER_RECEIVABLE, 0, r->amount, LEDGER_NO_RATE, "");
	ledger_add(e, LEDGER_FEES, 1, r->fee, LEDGER_NO_RATE, "");
	ledger_add(e, LEDGER_GATEWAY, 0, r->fee, LEDGER_NO_RATE, "");
	return ledger_post(ctx, e);
}

static int
record_tx(struct shop_ctx *ctx, void *arg)
{
	const struct record	*r = arg;
	struct order		 o;
	struct db_stmt		*st;
	int			 rc;

	if ((st = shop_stmt(ctx, &sql[ST_LOCK])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, r->order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if ((rc = order_get_by_id(ctx, r->order_id, 0, &o)) != SHOP_OK)
		return rc;
	return record_locked(ctx, r, &o);
}

int
payment_record(struct shop_ctx *ctx, int64_t order_id, struct str method,
    int64_t amount, int64_t fee, struct str gateway, struct str gateway_ref,
    const struct order_who *who, int64_t *payment_id)
{
	struct record r = { order_id, payment_find(method), method, amount,
	    fee, gateway, gateway_ref, who, payment_id };

	if (r.m == NULL || amount <= 0 || fee < 0 || fee > amount ||
	    !token_valid(gateway, PAYMENT_GATEWAY_MAX) ||
	    !token_valid(gateway_ref, PAYMENT_REF_MAX) ||
	    (gateway.len == 0) != (gateway_ref.len == 0)) {
		log_err("payment for order %lld refused: bad arguments",
		    (long long)order_id);
		return SHOP_EINVAL;
	}
	if (order_id <= 0)
		return SHOP_ENOTFOUND;
	if (db_tx_open(ctx->db))
		return record_tx(ctx, &r);
	/* PAYMENT_ALREADY rolls back what is nothing anyway. */
	return shop_tx(ctx, record_tx, &r);
}

int
payment_mark_paid(struct shop_ctx *ctx, const struct order *o,
    const struct order_who *who)
{
	struct order	full;
	struct record	r = { 0 };
	int64_t		paid;
	int		rc;

	if ((rc = order_get_by_id(ctx, o->id, 0, &full)) != SHOP_OK)
		return rc == SHOP_ENOTFOUND ? SHOP_EDB : rc;
	if ((rc = paid_so_far(ctx, o->id, &paid)) != SHOP_OK)
		return rc;
	if (paid >= full.total)
		return ledger_post_sale(ctx, &full);
	r.order_id = o->id;
	r.m = payment_find(full.payment_method);
	r.method = full.payment_method;
	r.amount = full.total - paid;
	r.gateway = r.gateway_ref = STR("");
	r.who = who;
	if (r.m == NULL) {
		log_err("order %lld: unknown payment method '%.*s'",
		    (long long)o->number, (int)full.payment_method.len,
		    full.payment_method.p);
		return SHOP_EDB;
	}
	return record_locked(ctx, &r, &full);
}

int
payment_list(struct shop_ctx *ctx, int64_t order_id, struct payment **out,
    size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LIST]);
	struct payment	*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		struct payment *p;

		v = shop_grow(ctx->a, v, sizeof(*v), *n, &cap);
		p = &v[(*n)++];
		p->id = db_col_i64(st, 0);
		p->order_id = db_col_i64(st, 1);
		p->method = db_col_str(st, 2);
		p->amount = db_col_i64(st, 3);
		p->fee = db_col_i64(st, 4);
		p->gateway = db_col_str(st, 5);
		p->gateway_ref = db_col_str(st, 6);
		p->created_at = db_col_str(st, 7);
		p->staff_id = db_col_i64(st, 8);
	}
	db_done(st);
	*out = v;
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}
