/*
 * order_list.c: lists of orders and the dashboard's figures
 * (order_list.h).
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "db/db.h"
#include "shop/catalog.h"
#include "shop/order_list.h"
#include "shop/settings.h"
#include "shop/shop.h"

enum stmt {
	ST_ADMIN,
	ST_CUSTOMER,
	ST_SALES,
	ST_WAITING,
	ST_LOW_STOCK,
	ST__MAX
};

#define SUMMARY_COLS \
	"o.id, o.number, o.status, o.email," \
	" IF(o.bill_name <> '', o.bill_name, o.ship_name)," \
	" (SELECT COALESCE(SUM(l.qty), 0) FROM {p}order_lines l" \
	" WHERE l.order_id = o.id), o.total, o.currency," \
	" DATE_FORMAT(o.created_at, '%Y-%m-%d %H:%i:%s')"

#define NAME_OF(p) \
	"COALESCE(t.name, d.name, " p ".slug)"
#define TEXTS_OF(p) \
	" LEFT JOIN {p}product_texts t ON t.product_id = " p ".id" \
	" AND t.locale = ?" \
	" LEFT JOIN {p}product_texts d ON d.product_id = " p ".id" \
	" AND d.locale = ?"

static const struct shop_sql sql[ST__MAX] = {
	/* Unset filters are bound so that they hold for every row: ''
	 * status, the widest dates, no search. The list walks the primary
	 * key down from before, so a page reads about its own rows when
	 * nothing filters. */
	[ST_ADMIN] = { "order_list.admin",
	    "SELECT " SUMMARY_COLS " FROM {p}orders o"
	    " WHERE o.id < ? AND (? = '' OR o.status = ?)"
	    " AND o.created_at >= ? AND o.created_at < ?"
	    " AND (? = 0 OR o.number = ? OR o.email LIKE ?"
	    " OR o.bill_name LIKE ? OR o.ship_name LIKE ?)"
	    " ORDER BY o.id DESC LIMIT ?" },
	[ST_CUSTOMER] = { "order_list.customer",
	    "SELECT " SUMMARY_COLS " FROM {p}orders o"
	    " WHERE o.customer_id = ? AND o.id < ?"
	    " ORDER BY o.id DESC LIMIT ?" },
	/* Parameters: where the shop's day and month began, in UTC
	 * (tz_start(): its clock, not the server's). */
	[ST_SALES] = { "order_list.sales",
	    "SELECT COALESCE(SUM(created_at >= ?), 0),"
	    " COALESCE(SUM(IF(created_at >= ?, total, 0)), 0),"
	    " COUNT(*), COALESCE(SUM(total), 0)"
	    " FROM {p}orders"
	    " WHERE created_at >= ? AND status <> 'cancelled'" },
	[ST_WAITING] = { "order_list.waiting",
	    "SELECT COALESCE(SUM(status = 'on-hold'), 0),"
	    " COALESCE(SUM(status = 'processing'), 0)"
	    " FROM {p}orders WHERE status IN ('on-hold', 'processing')" },
	[ST_LOW_STOCK] = { "order_list.low_stock",
	    "(SELECT p.id, 0, " NAME_OF("p") ", '', p.sku, p.stock"
	    " FROM {p}products p" TEXTS_OF("p")
	    " WHERE p.status = 'active' AND p.stock <= ?"
	    " AND NOT EXISTS (SELECT 1 FROM {p}variants x"
	    " WHERE x.product_id = p.id))"
	    " UNION ALL"
	    " (SELECT p.id, v.id, " NAME_OF("p") ", v.name,"
	    " IF(v.sku <> '', v.sku, p.sku), v.stock"
	    " FROM {p}variants v JOIN {p}products p ON p.id = v.product_id"
	    TEXTS_OF("p")
	    " WHERE p.status = 'active' AND v.stock <= ?)"
	    " ORDER BY 6, 3, 4 LIMIT ?" },
};

int
order_list_date_valid(struct str s)
{
	static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int64_t	y, m, d;
	size_t	i;

	if (s.len != 10 || s.p[4] != '-' || s.p[7] != '-')
		return 0;
	for (i = 0; i < s.len; i++)
		if (i != 4 && i != 7 && (s.p[i] < '0' || s.p[i] > '9'))
			return 0;
	if (str_to_i64((struct str){ s.p, 4 }, 1970, 9999, &y) == -1 ||
	    str_to_i64((struct str){ s.p + 5, 2 }, 1, 12, &m) == -1 ||
	    str_to_i64((struct str){ s.p + 8, 2 }, 1, 31, &d) == -1)
		return 0;
	if (d > days[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return 0;
	return 1;
}

/* Reads the rows of st (SUMMARY_COLS), at most ORDER_LIST_PAGE; one
 * more means there is a next page. */
static int
read_page(struct shop_ctx *ctx, struct db_stmt *st, struct order_page *out)
{
	int	rc;

	memset(out, 0, sizeof(*out));
	out->v = arena_alloc(ctx->a, ORDER_LIST_PAGE * sizeof(*out->v));
	while ((rc = db_step(st)) == 1) {
		struct order_summary	*s;
		enum order_status	 status = ORDER_PENDING;

		if (out->n == ORDER_LIST_PAGE) {
			out->next = out->v[out->n - 1].id;
			continue;
		}
		s = &out->v[out->n++];
		s->id = db_col_i64(st, 0);
		s->number = db_col_i64(st, 1);
		(void)order_status_parse(db_col_str(st, 2), &status);
		s->status = status;
		s->email = db_col_str(st, 3);
		s->name = db_col_str(st, 4);
		s->items = db_col_i64(st, 5);
		s->total = db_col_i64(st, 6);
		s->currency = db_col_str(st, 7);
		s->created_at = db_col_str(st, 8);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static void
check_filter(const struct order_filter *f, struct field_errors *errs)
{
	if (f->from.len && !order_list_date_valid(f->from))
		field_errors_add(errs, "from",
		    N_("Enter a date such as 2026-03-31."));
	if (f->to.len && !order_list_date_valid(f->to))
		field_errors_add(errs, "to",
		    N_("Enter a date such as 2026-03-31."));
	else if (f->from.len && f->to.len && errs->n == 0 &&
	    memcmp(f->to.p, f->from.p, 10) < 0)
		field_errors_add(errs, "to",
		    N_("The end date comes before the start date."));
	if (!str_valid_text(f->q) || str_chars(f->q) > ORDER_LIST_Q_MAX)
		field_errors_add(errs, "q",
		    N_("Search for at most 200 characters."));
}

#define UTC_TEXT_LEN	24	/* "YYYY-MM-DD HH:MM:SS", year 10000 too */

/* t as a DATETIME's text in UTC. */
static void
utc_text(time_t t, char out[UTC_TEXT_LEN])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(out, UTC_TEXT_LEN, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		out[0] = '\0';
}

/* The shop's zone; UTC when it has none or ICU does not know it. */
static const char *
zone_of(struct shop_ctx *ctx)
{
	return ctx->time_zone != NULL && tz_known(str_c(ctx->time_zone)) ?
	    ctx->time_zone : "UTC";
}

/* Where the shop's day "YYYY-MM-DD" (checked) begins, or the day
 * after it (next), as a DATETIME's text in UTC. */
static void
day_bound(struct shop_ctx *ctx, struct str day, int next,
    char out[UTC_TEXT_LEN])
{
	int64_t y = 1970, m = 1, d = 1;

	out[0] = '\0';
	if (day.len != 10)
		return;
	(void)str_to_i64((struct str){ day.p, 4 }, 1970, 9999, &y);
	(void)str_to_i64((struct str){ day.p + 5, 2 }, 1, 12, &m);
	(void)str_to_i64((struct str){ day.p + 8, 2 }, 1, 31, &d);
	utc_text(tz_midnight(zone_of(ctx), (int)y, (int)m, (int)d + next),
	    out);
}

int
order_list(struct shop_ctx *ctx, const struct order_filter *f,
    struct order_page *out, struct field_errors *errs)
{
	struct db_stmt	*st;
	struct str	 like;
	int64_t		 number = 0;
	unsigned	 i = 0;
	int		 rc;
	char		 from[UTC_TEXT_LEN], to[UTC_TEXT_LEN];

	errs->n = 0;
	memset(out, 0, sizeof(*out));
	check_filter(f, errs);
	if (errs->n)
		return SHOP_EINVAL;
	if ((st = shop_stmt(ctx, &sql[ST_ADMIN])) == NULL)
		return SHOP_EDB;
	/* "#1001" as the pages write numbers, or "1001". */
	if (f->q.len > 1 && f->q.p[0] == '#')
		(void)str_to_i64((struct str){ f->q.p + 1, f->q.len - 1 }, 1,
		    INT64_MAX, &number);
	else
		(void)str_to_i64(f->q, 1, INT64_MAX, &number);
	like = catalog_like_pattern(ctx->a, f->q);
	db_bind_i64(st, i++, f->before > 0 ? f->before : INT64_MAX);
	db_bind_cstr(st, i++, f->has_status ? order_status_name(f->status) :
	    "");
	db_bind_cstr(st, i++, f->has_status ? order_status_name(f->status) :
	    "");
	day_bound(ctx, f->from, 0, from);
	day_bound(ctx, f->to, 1, to);
	db_bind_cstr(st, i++, f->from.len ? from : "1970-01-01");
	db_bind_cstr(st, i++, f->to.len ? to : "9999-12-31");
	db_bind_i64(st, i++, f->q.len > 0);
	db_bind_i64(st, i++, number);
	db_bind_str(st, i++, like);
	db_bind_str(st, i++, like);
	db_bind_str(st, i++, like);
	db_bind_i64(st, i, ORDER_LIST_PAGE + 1);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	return read_page(ctx, st, out);
}

int
order_list_customer(struct shop_ctx *ctx, int64_t customer_id,
    int64_t before, struct order_page *out)
{
	struct db_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (customer_id <= 0)
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[ST_CUSTOMER])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, customer_id);
	db_bind_i64(st, 1, before > 0 ? before : INT64_MAX);
	db_bind_i64(st, 2, ORDER_LIST_PAGE + 1);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	return read_page(ctx, st, out);
}

/* Runs a statement returning one row of n numbers into v; its
 * parameters, when it has any, are the texts of p (np of them). */
static int
numbers(struct shop_ctx *ctx, enum stmt q, const char *const *p,
    unsigned np, int64_t *v, unsigned n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	unsigned	 i;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	for (i = 0; i < np; i++)
		db_bind_str(st, i, str_c(p[i]));
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	for (i = 0; rc == 1 && i < n; i++)
		v[i] = db_col_i64(st, i);
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
low_stock(struct shop_ctx *ctx, struct order_dashboard *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LOW_STOCK]);
	const char	*def = ctx->default_locale ? ctx->default_locale :
			    ctx->locale;
	unsigned	 i = 0;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, i++, ctx->locale);
	db_bind_cstr(st, i++, def);
	db_bind_i64(st, i++, out->low_stock_at);
	db_bind_cstr(st, i++, ctx->locale);
	db_bind_cstr(st, i++, def);
	db_bind_i64(st, i++, out->low_stock_at);
	db_bind_i64(st, i, ORDER_LOW_STOCK_MAX + 1);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	out->low = arena_alloc(ctx->a, ORDER_LOW_STOCK_MAX *
	    sizeof(*out->low));
	while ((rc = db_step(st)) == 1) {
		struct order_low_stock *l;

		if (out->nlow == ORDER_LOW_STOCK_MAX) {
			out->low_more = 1;
			continue;
		}
		l = &out->low[out->nlow++];
		l->product_id = db_col_i64(st, 0);
		l->variant_id = db_col_i64(st, 1);
		l->name = db_col_str(st, 2);
		l->variant = db_col_str(st, 3);
		l->sku = db_col_str(st, 4);
		l->stock = db_col_i64(st, 5);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
order_dashboard(struct shop_ctx *ctx, struct order_dashboard *out)
{
	struct shop_settings	s;
	int64_t			v[4] = { 0 };
	int			rc;
	time_t			now = time(NULL);
	const char		*tz = zone_of(ctx);
	char			day[UTC_TEXT_LEN], month[UTC_TEXT_LEN];
	const char *const	p[3] = { day, day, month };

	memset(out, 0, sizeof(*out));
	if ((rc = settings_get(ctx, &s)) != SHOP_OK)
		return rc;
	out->low_stock_at = s.low_stock;
	utc_text(tz_start(tz, now, 0), day);
	utc_text(tz_start(tz, now, 1), month);
	if ((rc = numbers(ctx, ST_SALES, p, 3, v, 4)) != SHOP_OK)
		return rc;
	out->today_orders = v[0];
	out->today_revenue = v[1];
	out->month_orders = v[2];
	out->month_revenue = v[3];
	if ((rc = numbers(ctx, ST_WAITING, NULL, 0, v, 2)) != SHOP_OK)
		return rc;
	out->on_hold = v[0];
	out->processing = v[1];
	return low_stock(ctx, out);
}
