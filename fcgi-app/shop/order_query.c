/* order_query.c: orders as the API lists them (order_query.h). */
#include "core/common.h"
#include "db/db.h"
#include "shop/catalog.h"
#include "shop/order_query.h"
#include "shop/shop.h"
#include "shop/wc_webhook.h"

/* wc_json_status() in SQL: refunded in full, else shipped and
 * completed are "completed", else the column. */
#define OQ_WC_STATUS \
	"IF(o.total > 0 AND (SELECT COALESCE(SUM(r.amount), 0)" \
	" FROM {p}refunds r WHERE r.order_id = o.id" \
	" AND r.status = 'succeeded') >= o.total, 'refunded'," \
	" IF(o.status IN ('shipped', 'completed'), 'completed', o.status))"

/* Each filter is off when its first parameter says so: one statement
 * text for every combination (no SQL built from input). */
#define OQ_WHERE \
	" WHERE (? = '' OR FIND_IN_SET(" OQ_WC_STATUS ", ?) > 0)" \
	" AND (? = '' OR o.created_at > ?)" \
	" AND (? = '' OR o.created_at < ?)" \
	" AND (? = 0 OR (? < 0 AND o.customer_id IS NULL)" \
	" OR o.customer_id = ?)" \
	" AND (? = 0 OR EXISTS (SELECT 1 FROM {p}order_lines l" \
	" WHERE l.order_id = o.id AND l.product_id = ?))" \
	" AND (? = '' OR o.number = ? OR o.email LIKE ?" \
	" OR o.bill_name LIKE ? OR o.ship_name LIKE ?)"

#define OQ_LIST(order) \
	"SELECT o.id, COUNT(*) OVER () FROM {p}orders o" OQ_WHERE \
	" ORDER BY " order " LIMIT ? OFFSET ?"

enum stmt {
	/* [order * 2 + desc] */
	ST_LIST_DATE, ST_LIST_DATE_DESC,
	ST_LIST_ID, ST_LIST_ID_DESC,
	ST_COUNT,
	ST_NOTE_DELETE,
	ST_LOCK,
	ST_ADDRESSES,
	ST_NOTE,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_LIST_DATE] = { "order_query.date",
	    OQ_LIST("o.created_at, o.id") },
	[ST_LIST_DATE_DESC] = { "order_query.date_desc",
	    OQ_LIST("o.created_at DESC, o.id DESC") },
	[ST_LIST_ID] = { "order_query.id", OQ_LIST("o.id") },
	[ST_LIST_ID_DESC] = { "order_query.id_desc", OQ_LIST("o.id DESC") },
	/* A page past the end has no row to carry the window's count. */
	[ST_COUNT] = { "order_query.count",
	    "SELECT COUNT(*) FROM {p}orders o" OQ_WHERE },
	[ST_NOTE_DELETE] = { "order_query.note_delete",
	    "DELETE FROM {p}order_events WHERE id = ? AND order_id = ?"
	    " AND kind IN ('note', 'private_note')" },
	[ST_LOCK] = { "order_query.lock",
	    "SELECT status FROM {p}orders WHERE id = ? FOR UPDATE" },
	[ST_ADDRESSES] = { "order_query.addresses",
	    "UPDATE {p}orders SET email = ?,"
	    " bill_name = ?, bill_company = ?, bill_line1 = ?, bill_line2 = ?,"
	    " bill_city = ?, bill_region = ?, bill_postcode = ?,"
	    " bill_country = ?, bill_phone = ?,"
	    " ship_name = ?, ship_company = ?, ship_line1 = ?, ship_line2 = ?,"
	    " ship_city = ?, ship_region = ?, ship_postcode = ?,"
	    " ship_country = ?, ship_phone = ? WHERE id = ?" },
	[ST_NOTE] = { "order_query.customer_note",
	    "UPDATE {p}orders SET customer_note = ? WHERE id = ?" },
};

static unsigned
bind_where(struct shop_ctx *ctx, struct db_stmt *st,
    const struct order_query *q)
{
	unsigned	i = 0;
	struct str	like = q->search.len ?
	    catalog_like_pattern(ctx->a, q->search) : STR("");
	int64_t		number = 0;

	/* A search that is not a number matches no order's number (0
	 * is none). */
	if (q->search.len == 0 ||
	    str_to_i64(q->search, 1, INT64_MAX, &number) == -1)
		number = 0;
	db_bind_str(st, i++, q->statuses);
	db_bind_str(st, i++, q->statuses);
	db_bind_str(st, i++, q->after);
	db_bind_str(st, i++, q->after);
	db_bind_str(st, i++, q->before);
	db_bind_str(st, i++, q->before);
	db_bind_i64(st, i++, q->customer_id);
	db_bind_i64(st, i++, q->customer_id);
	db_bind_i64(st, i++, q->customer_id);
	db_bind_i64(st, i++, q->product_id);
	db_bind_i64(st, i++, q->product_id);
	db_bind_str(st, i++, q->search);
	db_bind_i64(st, i++, number);
	db_bind_str(st, i++, like);
	db_bind_str(st, i++, like);
	db_bind_str(st, i++, like);
	return i;
}

static int
count(struct shop_ctx *ctx, const struct order_query *q, int64_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_COUNT]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	(void)bind_where(ctx, st, q);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	*n = rc == 1 ? db_col_i64(st, 0) : 0;
	db_done(st);
	return rc == 1 ? SHOP_OK : SHOP_EDB;
}

int
order_query(struct shop_ctx *ctx, const struct order_query *q,
    struct oq_result *out)
{
	struct db_stmt	*st;
	unsigned	 i;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((unsigned)q->order >= OQ_ORDER__MAX || q->limit < 1 ||
	    q->limit > ORDER_QUERY_MAX || q->offset < 0)
		return SHOP_EINVAL;
	out->ids = arena_calloc(ctx->a, (size_t)q->limit, sizeof(int64_t));
	st = shop_stmt(ctx, &sql[q->order * 2 + (q->desc != 0)]);
	if (st == NULL)
		return SHOP_EDB;
	i = bind_where(ctx, st, q);
	db_bind_i64(st, i++, q->limit);
	db_bind_i64(st, i, q->offset);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1 && out->n < (size_t)q->limit) {
		out->ids[out->n++] = db_col_i64(st, 0);
		out->total = db_col_i64(st, 1);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (out->n == 0)
		return count(ctx, q, &out->total);
	return SHOP_OK;
}

int
order_query_note_delete(struct shop_ctx *ctx, int64_t order_id,
    int64_t event_id)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_NOTE_DELETE]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, event_id);
	db_bind_i64(st, 1, order_id);
	rc = shop_exec(ctx, st);
	if (rc == SHOP_OK && db_affected(st) == 0)
		rc = SHOP_ENOTFOUND;
	db_done(st);
	return rc == SHOP_OK || rc == SHOP_ENOTFOUND ? rc : SHOP_EDB;
}

static unsigned
bind_address(struct db_stmt *st, unsigned i, const struct address *a)
{
	db_bind_str(st, i++, a->name);
	db_bind_str(st, i++, a->company);
	db_bind_str(st, i++, a->line1);
	db_bind_str(st, i++, a->line2);
	db_bind_str(st, i++, a->city);
	db_bind_str(st, i++, a->region);
	db_bind_str(st, i++, a->postcode);
	db_bind_str(st, i++, a->country);
	db_bind_str(st, i++, a->phone);
	return i;
}

struct edit_arg {
	int64_t			 id;
	const struct order_edit	*e;
};

static int
edit_tx(struct shop_ctx *ctx, void *arg)
{
	struct edit_arg	*a = arg;
	struct db_stmt	*st;
	struct str	 status;
	unsigned	 i;
	int		 rc;

	if ((st = shop_stmt(ctx, &sql[ST_LOCK])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, a->id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	status = rc == 1 ? db_col_str(st, 0) : STR("");
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (rc == 0)
		return SHOP_ENOTFOUND;
	if (a->e->addresses) {
		if (str_eqc(status, "shipped") || str_eqc(status, "completed") ||
		    str_eqc(status, "cancelled"))
			return SHOP_EDENIED;
		if ((st = shop_stmt(ctx, &sql[ST_ADDRESSES])) == NULL)
			return SHOP_EDB;
		db_bind_str(st, 0, a->e->email);
		i = bind_address(st, 1, &a->e->bill);
		i = bind_address(st, i, &a->e->ship);
		db_bind_i64(st, i, a->id);
		rc = shop_exec(ctx, st);
		db_done(st);
		if (rc != SHOP_OK)
			return SHOP_EDB;
	}
	if (a->e->has_note) {
		if ((st = shop_stmt(ctx, &sql[ST_NOTE])) == NULL)
			return SHOP_EDB;
		db_bind_str(st, 0, a->e->customer_note);
		db_bind_i64(st, 1, a->id);
		rc = shop_exec(ctx, st);
		db_done(st);
		if (rc != SHOP_OK)
			return SHOP_EDB;
	}
	return wc_webhook_fire(ctx, "order.updated", a->id);
}

int
order_query_edit(struct shop_ctx *ctx, int64_t id, const struct order_edit *e)
{
	struct edit_arg a = { id, e };

	if (id <= 0)
		return SHOP_ENOTFOUND;
	if (!e->addresses && !e->has_note)
		return SHOP_OK;
	return shop_tx(ctx, edit_tx, &a);
}
