/* credit_note.c: a shop's credit notes (see credit_note.h). */
#include "core/common.h"
#include "db/db.h"
#include "shop/credit_note.h"
#include "shop/shop.h"

#define LIST_MAX	200
#define RATES_MAX	64	/* LEDGER_LINES_MAX: an entry's lines */

enum stmt {
	ST_OF_REFUND,
	ST_NEXT,
	ST_INSERT,
	ST_LIST,
	ST_LINES,
	ST_RATES,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_OF_REFUND] = { "credit_note.of_refund",
	    "SELECT number, order_id, refund_id, issued_at FROM {p}invoices"
	    " WHERE kind = 'credit_note' AND refund_id = ? AND order_id = ?" },
	/* The counter, as invoice.c's: a record lock held until the
	 * transaction ends. */
	[ST_NEXT] = { "credit_note.next_number",
	    "INSERT INTO {p}settings (name, num)"
	    " VALUES ('credit_note_number', LAST_INSERT_ID(1))"
	    " ON DUPLICATE KEY UPDATE num = LAST_INSERT_ID(num + 1)" },
	[ST_INSERT] = { "credit_note.insert",
	    "INSERT INTO {p}invoices (kind, number, order_id, refund_id,"
	    " issued_at) VALUES ('credit_note', ?, ?, ?, UTC_TIMESTAMP())" },
	[ST_LIST] = { "credit_note.list",
	    "SELECT number, order_id, refund_id, issued_at FROM {p}invoices"
	    " WHERE kind = 'credit_note' AND order_id = ?"
	    " ORDER BY number LIMIT 200" },
	[ST_LINES] = { "credit_note.lines",
	    "SELECT order_line_id, qty, amount, tax FROM {p}refund_lines"
	    " WHERE refund_id = ? ORDER BY order_line_id" },
	[ST_RATES] = { "credit_note.rates",
	    "SELECT tax_rate IS NOT NULL, COALESCE(tax_rate, 0),"
	    " SUM(CASE WHEN account = 4020 THEN debit - credit ELSE 0 END),"
	    " SUM(CASE WHEN account = 2200 THEN debit - credit ELSE 0 END)"
	    " FROM {p}ledger WHERE entry_kind = 'refund' AND ref_id = ?"
	    " AND account IN (2200, 4020)"
	    " GROUP BY tax_rate IS NOT NULL, tax_rate"
	    " ORDER BY 1 DESC, 2 DESC" },
};

static void
read_note(struct db_stmt *st, struct credit_note *out)
{
	out->number = db_col_i64(st, 0);
	out->order_id = db_col_i64(st, 1);
	out->refund_id = db_col_i64(st, 2);
	out->issued_at = db_col_str(st, 3);
}

int
credit_note_of_refund(struct shop_ctx *ctx, int64_t order_id,
    int64_t refund_id, struct credit_note *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_OF_REFUND]);
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, refund_id);
	db_bind_i64(st, 1, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		read_note(st, out);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
credit_note_issue(struct shop_ctx *ctx, int64_t order_id, int64_t refund_id,
    int64_t *number)
{
	struct credit_note	 have;
	struct db_stmt		*st;
	int64_t			 n;
	int			 rc;

	rc = credit_note_of_refund(ctx, order_id, refund_id, &have);
	if (rc != SHOP_ENOTFOUND) {
		if (rc == SHOP_OK && number != NULL)
			*number = have.number;
		return rc;
	}
	if ((st = shop_stmt(ctx, &sql[ST_NEXT])) == NULL)
		return SHOP_EDB;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	n = (int64_t)db_insert_id(st);
	db_done(st);
	if (n < 1 || (st = shop_stmt(ctx, &sql[ST_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, n);
	db_bind_i64(st, 1, order_id);
	db_bind_i64(st, 2, refund_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	db_done(st);
	if (number != NULL)
		*number = n;
	return SHOP_OK;
}

int
credit_note_list(struct shop_ctx *ctx, int64_t order_id,
    struct credit_note **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LIST]);
	int		 rc;

	*n = 0;
	*out = NULL;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*out = arena_calloc(ctx->a, LIST_MAX, sizeof(**out));
	while ((rc = db_step(st)) == 1)
		if (*n < LIST_MAX)
			read_note(st, &(*out)[(*n)++]);
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
credit_note_lines(struct shop_ctx *ctx, int64_t refund_id,
    struct credit_note_line **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LINES]);
	size_t		 cap = 0;
	int		 rc;

	*n = 0;
	*out = NULL;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, refund_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		struct credit_note_line *l;

		if (*n == cap) {
			struct credit_note_line *v;

			cap = cap ? 2 * cap : 16;
			v = arena_calloc(ctx->a, cap, sizeof(*v));
			if (*n)
				memcpy(v, *out, *n * sizeof(*v));
			*out = v;
		}
		l = &(*out)[(*n)++];
		l->order_line_id = db_col_i64(st, 0);
		l->qty = db_col_i64(st, 1);
		l->amount = db_col_i64(st, 2);
		l->tax = db_col_i64(st, 3);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
credit_note_rates(struct shop_ctx *ctx, int64_t refund_id,
    struct credit_note_rate **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_RATES]);
	int		 rc;

	*n = 0;
	*out = NULL;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, refund_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*out = arena_calloc(ctx->a, RATES_MAX, sizeof(**out));
	while ((rc = db_step(st)) == 1) {
		struct credit_note_rate *r;

		if (*n == RATES_MAX)
			continue;
		r = &(*out)[(*n)++];
		r->has_rate = db_col_i64(st, 0) != 0;
		r->rate = (int32_t)db_col_i64(st, 1);
		r->net = db_col_i64(st, 2);
		r->tax = db_col_i64(st, 3);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}
