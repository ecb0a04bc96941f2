/* customer_query.c: customers as the API lists them
 * (customer_query.h). */
#include "core/common.h"
#include "db/db.h"
#include "shop/catalog.h"
#include "shop/customer_query.h"
#include "shop/shop.h"

/* One statement text for every combination (no SQL built from
 * input). */
#define CQ_WHERE \
	" WHERE (? = '' OR c.email LIKE ? OR c.name LIKE ?)" \
	" AND (? = '' OR c.email = ?)"

#define CQ_LIST(order) \
	"SELECT c.id, COUNT(*) OVER () FROM {p}customers c" CQ_WHERE \
	" ORDER BY " order " LIMIT ? OFFSET ?"

enum stmt {
	/* [order * 2 + desc] */
	ST_ID, ST_ID_DESC,
	ST_REG, ST_REG_DESC,
	ST_EMAIL, ST_EMAIL_DESC,
	ST_NAME, ST_NAME_DESC,
	ST_COUNT,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_ID] = { "customer_query.id", CQ_LIST("c.id") },
	[ST_ID_DESC] = { "customer_query.id_desc", CQ_LIST("c.id DESC") },
	[ST_REG] = { "customer_query.reg", CQ_LIST("c.created_at, c.id") },
	[ST_REG_DESC] = { "customer_query.reg_desc",
	    CQ_LIST("c.created_at DESC, c.id DESC") },
	[ST_EMAIL] = { "customer_query.email", CQ_LIST("c.email, c.id") },
	[ST_EMAIL_DESC] = { "customer_query.email_desc",
	    CQ_LIST("c.email DESC, c.id DESC") },
	[ST_NAME] = { "customer_query.name", CQ_LIST("c.name, c.id") },
	[ST_NAME_DESC] = { "customer_query.name_desc",
	    CQ_LIST("c.name DESC, c.id DESC") },
	[ST_COUNT] = { "customer_query.count",
	    "SELECT COUNT(*) FROM {p}customers c" CQ_WHERE },
};

static unsigned
bind_where(struct shop_ctx *ctx, struct db_stmt *st,
    const struct customer_query *q)
{
	struct str like = q->search.len ?
	    catalog_like_pattern(ctx->a, q->search) : STR("");

	db_bind_str(st, 0, q->search);
	db_bind_str(st, 1, like);
	db_bind_str(st, 2, like);
	db_bind_str(st, 3, q->email);
	db_bind_str(st, 4, q->email);
	return 5;
}

int
customer_query(struct shop_ctx *ctx, const struct customer_query *q,
    struct cq_result *out)
{
	struct db_stmt	*st;
	unsigned	 i;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((unsigned)q->order >= CQ_ORDER__MAX || q->limit < 1 ||
	    q->limit > CUSTOMER_QUERY_MAX || q->offset < 0)
		return SHOP_EINVAL;
	out->ids = arena_calloc(ctx->a, (size_t)q->limit, sizeof(int64_t));
	if ((st = shop_stmt(ctx, &sql[q->order * 2 + (q->desc != 0)])) ==
	    NULL)
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
	if (out->n > 0)
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[ST_COUNT])) == NULL)
		return SHOP_EDB;
	(void)bind_where(ctx, st, q);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	out->total = rc == 1 ? db_col_i64(st, 0) : 0;
	db_done(st);
	return rc == 1 ? SHOP_OK : SHOP_EDB;
}
