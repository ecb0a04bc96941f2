/* invoice.c: a shop's invoices (see invoice.h). */
#include "core/common.h"
#include "db/db.h"
#include "shop/invoice.h"
#include "shop/shop.h"

enum stmt {
	ST_OF_ORDER,
	ST_NEXT,
	ST_INSERT,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_OF_ORDER] = { "invoice.of_order",
	    "SELECT number, issued_at FROM {p}invoices"
	    " WHERE order_id = ? AND kind = 'invoice' AND refund_id = 0" },
	/* The counter: an existing primary key takes a record lock only
	 * (no gap lock); the first insert of a shop wins and the others
	 * wait on it, then update. Held until the transaction ends. */
	[ST_NEXT] = { "invoice.next_number",
	    "INSERT INTO {p}settings (name, num)"
	    " VALUES ('invoice_number', LAST_INSERT_ID(1))"
	    " ON DUPLICATE KEY UPDATE num = LAST_INSERT_ID(num + 1)" },
	[ST_INSERT] = { "invoice.insert",
	    "INSERT INTO {p}invoices (kind, number, order_id, issued_at)"
	    " VALUES ('invoice', ?, ?, UTC_TIMESTAMP())" },
};

int
invoice_of_order(struct shop_ctx *ctx, int64_t order_id, struct invoice *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_OF_ORDER]);
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		out->number = db_col_i64(st, 0);
		out->order_id = order_id;
		out->issued_at = db_col_str(st, 1);
	}
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
invoice_issue(struct shop_ctx *ctx, int64_t order_id, int64_t *number)
{
	struct invoice	 have;
	struct db_stmt	*st;
	int64_t		 n;
	int		 rc;

	if ((rc = invoice_of_order(ctx, order_id, &have)) != SHOP_ENOTFOUND) {
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
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	db_done(st);
	if (number != NULL)
		*number = n;
	return SHOP_OK;
}
