/*
 * stats.c: sales figures over time (stats.h).
 *
 * Orders per day in one statement: the day boundaries are computed
 * here with ICU's zone data (tz_midnight()), because MariaDB's own
 * CONVERT_TZ() needs zone tables a server may not have loaded, and
 * INTERVAL() then gives each order the index of its day. The
 * connection's zone is UTC (db.c), so UNIX_TIMESTAMP() and
 * FROM_UNIXTIME() read and write the stored UTC times as they are.
 */
#include "core/common.h"
#include "core/tz.h"
#include "db/db.h"
#include "shop/shop.h"
#include "shop/stats.h"

enum stmt {
	ST_DAYS,
	ST_TOP,
	ST__MAX
};

#define Q5	"?, ?, ?, ?, ?"
#define Q30	Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5 ", " Q5

static const struct shop_sql sql[ST__MAX] = {
	/* Parameters: the starts of days 1 .. STATS_DAYS (the last is the
	 * end of today), then the window. */
	[ST_DAYS] = { "stats.days",
	    "SELECT INTERVAL(UNIX_TIMESTAMP(created_at), " Q30 ") AS d,"
	    " COUNT(*), COALESCE(SUM(total), 0)"
	    " FROM {p}orders"
	    " WHERE created_at >= FROM_UNIXTIME(?)"
	    " AND created_at < FROM_UNIXTIME(?)"
	    " AND status <> 'cancelled' GROUP BY d" },
	[ST_TOP] = { "stats.top",
	    "SELECT x.product_id, x.units, x.revenue,"
	    " COALESCE(t.name, d.name, x.name)"
	    " FROM (SELECT l.product_id, SUM(l.qty) AS units,"
	    " SUM(l.total) AS revenue, MAX(l.name) AS name"
	    " FROM {p}orders o JOIN {p}order_lines l ON l.order_id = o.id"
	    " WHERE o.created_at >= FROM_UNIXTIME(?)"
	    " AND o.created_at < FROM_UNIXTIME(?)"
	    " AND o.status <> 'cancelled'"
	    " GROUP BY l.product_id ORDER BY units DESC, l.product_id"
	    " LIMIT ?) x"
	    " LEFT JOIN {p}product_texts t ON t.product_id = x.product_id"
	    " AND t.locale = ?"
	    " LEFT JOIN {p}product_texts d ON d.product_id = x.product_id"
	    " AND d.locale = ?"
	    " ORDER BY x.units DESC, x.product_id" },
};

static const char *
zone_of(struct shop_ctx *ctx)
{
	return ctx->time_zone != NULL && tz_known(str_c(ctx->time_zone)) ?
	    ctx->time_zone : "UTC";
}

int
stats_days(struct shop_ctx *ctx, time_t now, struct stats_day *out)
{
	const char	*tz = zone_of(ctx);
	char		 local[TZ_LOCAL_LEN];
	int64_t		 y, m, d, i;
	time_t		 end;
	struct db_stmt	*st;
	int		 rc;

	memset(out, 0, STATS_DAYS * sizeof(*out));
	if (tz_local(tz, now, local) != 0 ||
	    str_to_i64((struct str){ local, 4 }, 1, 9999, &y) != 0 ||
	    str_to_i64((struct str){ local + 5, 2 }, 1, 12, &m) != 0 ||
	    str_to_i64((struct str){ local + 8, 2 }, 1, 31, &d) != 0)
		return SHOP_EDB;
	for (i = 0; i < STATS_DAYS; i++)
		out[i].start = tz_midnight(tz, (int)y, (int)m,
		    (int)(d - (STATS_DAYS - 1) + i));
	end = tz_midnight(tz, (int)y, (int)m, (int)d + 1);
	if ((st = shop_stmt(ctx, &sql[ST_DAYS])) == NULL)
		return SHOP_EDB;
	for (i = 1; i < STATS_DAYS; i++)
		db_bind_i64(st, (unsigned)i - 1, out[i].start);
	db_bind_i64(st, STATS_DAYS - 1, end);
	db_bind_i64(st, STATS_DAYS, out[0].start);
	db_bind_i64(st, STATS_DAYS + 1, end);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		i = db_col_i64(st, 0);
		if (i < 0 || i >= STATS_DAYS)
			continue;
		out[i].orders = db_col_i64(st, 1);
		out[i].revenue = db_col_i64(st, 2);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
stats_top_products(struct shop_ctx *ctx, time_t from, time_t to,
    size_t max, struct stats_product **out, size_t *n)
{
	const char	*def = ctx->default_locale ? ctx->default_locale :
			    ctx->locale;
	struct db_stmt	*st;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (max > STATS_TOP_MAX)
		max = STATS_TOP_MAX;
	if (max == 0)
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[ST_TOP])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, from);
	db_bind_i64(st, 1, to);
	db_bind_i64(st, 2, (int64_t)max);
	db_bind_cstr(st, 3, ctx->locale);
	db_bind_cstr(st, 4, def);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*out = arena_calloc(ctx->a, max, sizeof(**out));
	while ((rc = db_step(st)) == 1) {
		struct stats_product *p;

		if (*n == max)
			continue;
		p = &(*out)[(*n)++];
		p->product_id = db_col_i64(st, 0);
		p->units = db_col_i64(st, 1);
		p->revenue = db_col_i64(st, 2);
		p->name = db_col_str(st, 3);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}
