/* usage.c: a shop's counts (usage.h). */
#include "core/common.h"

#include "core/arena.h"
#include "core/date.h"
#include "core/str.h"
#include "db/db.h"
#include "platform/usage.h"

static const char q_usage[] =
	"SELECT (SELECT COUNT(*) FROM {p}products), "
	"(SELECT COUNT(*) FROM {p}variants), "
	"(SELECT COUNT(*) FROM {p}orders), "
	"(SELECT COUNT(*) FROM {p}orders WHERE created_at >= "
	"DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-01')), "
	"(SELECT COUNT(*) FROM {p}customers), "
	"(SELECT IFNULL(SUM(bytes), 0) FROM {p}images), "
	"(SELECT COUNT(*) FROM {p}staff WHERE role <> 'owner') + "
	"(SELECT COUNT(*) FROM souk_staff_invites WHERE tenant_id = ? AND "
	"expires_at > UTC_TIMESTAMP())";

/* On the main server: the shop's tables may be on another (db.h). */
static const char q_domains[] =
	"SELECT COUNT(*) FROM souk_domains WHERE tenant_id = ?";

int
usage_get(struct db *db, int64_t tenant_id, struct usage *out)
{
	struct db_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = db_prepare_on(db, q_usage, tenant_id)) == NULL)
		return -1;
	db_bind_i64(st, 0, tenant_id);
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((rc = db_step(st)) == 1) {
		out->products = db_col_i64(st, 0);
		out->variants = db_col_i64(st, 1);
		out->orders = db_col_i64(st, 2);
		out->orders_month = db_col_i64(st, 3);
		out->customers = db_col_i64(st, 4);
		out->media_bytes = db_col_i64(st, 5);
		out->staff = db_col_i64(st, 6);
	}
	db_done(st);
	if (rc != 1 || (st = db_prepare(db, q_domains, 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, tenant_id);
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((rc = db_step(st)) == 1)
		out->domains = db_col_i64(st, 0);
	db_done(st);
	return rc == 1 ? 0 : -1;
}

/* ---------------------------------------------------------------- days */

/* A C string's day number, -1 when it is no date (or NULL). */
static int64_t
day_number(const char *s)
{
	return s == NULL ? -1 : date_days(str_c(s));
}

int
usage_date_valid(const char *s)
{
	return day_number(s) >= 0;
}

int64_t
usage_span(const char *from, const char *to)
{
	int64_t f = day_number(from), t = day_number(to);

	if (f < 0 || t < 0)
		return -1;
	return t < f ? 0 : t - f + 1;
}

void
usage_date_ago(int64_t days_ago, char out[11])
{
	date_string(date_today() - days_ago, out);
}

/* offset 0: today (UTC), 1: yesterday: the day's orders and revenue,
 * read on the shop's server, then written to souk_usage on the main one
 * (db.h). The holdings are written on a new row either way (a day's
 * first refresh may be the next day's), and kept on yesterday's row
 * when it exists. */
static const char q_day[] =
	"SELECT COUNT(*), IFNULL(SUM(IF(status <> 'cancelled', total, 0)), 0) "
	"FROM {p}orders WHERE created_at >= UTC_DATE() - INTERVAL ? DAY AND "
	"created_at < UTC_DATE() - INTERVAL ? DAY + INTERVAL 1 DAY";

static const char q_refresh[] =
	"INSERT INTO souk_usage (tenant_id, day, orders, revenue, currency, "
	"products, media_bytes, staff) VALUES (?, UTC_DATE() - INTERVAL ? DAY, "
	"?, ?, ?, ?, ?, ?) "
	"ON DUPLICATE KEY UPDATE orders = VALUES(orders), "
	"revenue = VALUES(revenue), currency = VALUES(currency), "
	"products = IF(? = 0, VALUES(products), products), "
	"media_bytes = IF(? = 0, VALUES(media_bytes), media_bytes), "
	"staff = IF(? = 0, VALUES(staff), staff)";

static int
refresh_tx(struct db *db, void *arg)
{
	const struct { int64_t id; const char *cur; struct usage *u; }
	    *x = arg;
	struct db_stmt	*st;
	int64_t		 off, orders[2] = { 0, 0 }, revenue[2] = { 0, 0 };
	int		 rc;

	for (off = 1; off >= 0; off--) {
		if ((st = db_prepare(db, q_day, x->id)) == NULL)
			return -1;
		db_bind_i64(st, 0, off);
		db_bind_i64(st, 1, off);
		if (db_exec(st, NULL) == -1)
			return -1;
		if ((rc = db_step(st)) == 1) {
			orders[off] = db_col_i64(st, 0);
			revenue[off] = db_col_i64(st, 1);
		}
		db_done(st);
		if (rc == -1)
			return -1;
	}
	if ((st = db_prepare(db, q_refresh, 0)) == NULL)
		return -1;
	for (off = 1; off >= 0; off--) {
		db_bind_i64(st, 0, x->id);
		db_bind_i64(st, 1, off);
		db_bind_i64(st, 2, orders[off]);
		db_bind_i64(st, 3, revenue[off]);
		db_bind_cstr(st, 4, x->cur);
		db_bind_i64(st, 5, x->u->products);
		db_bind_i64(st, 6, x->u->media_bytes);
		db_bind_i64(st, 7, x->u->staff);
		db_bind_i64(st, 8, off);
		db_bind_i64(st, 9, off);
		db_bind_i64(st, 10, off);
		if (db_exec(st, NULL) == -1)
			return -1;
		db_done(st);
	}
	return 0;
}

int
usage_refresh(struct db *db, int64_t tenant_id, const char *currency)
{
	struct usage	u;
	struct { int64_t id; const char *cur; struct usage *u; } x = {
		tenant_id, currency, &u };

	if (usage_get(db, tenant_id, &u) == -1)
		return -1;
	return db_tx_run(db, refresh_tx, &x) == 0 ? 0 : -1;
}

int64_t
usage_prune(struct db *db)
{
	struct db_stmt	*st;
	int64_t		 n;

	if ((st = db_prepare(db, "DELETE FROM souk_usage WHERE day < "
	    "UTC_DATE() - INTERVAL ? DAY", 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, USAGE_KEEP_DAYS);
	if (db_exec(st, NULL) == -1)
		return -1;
	n = (int64_t)db_affected(st);
	db_done(st);
	return n;
}

#define USAGE_COLS "orders, revenue, currency, products, media_bytes, " \
	"staff, api_requests, page_views"

static void
day_of(struct db_stmt *st, unsigned c, struct usage_day *d)
{
	struct str cur;

	d->orders = db_col_i64(st, c);
	d->revenue = db_col_i64(st, c + 1);
	cur = db_col_str(st, c + 2);
	if (cur.len == 3)
		memcpy(d->currency, cur.p, 4);
	d->products = db_col_i64(st, c + 3);
	d->media_bytes = db_col_i64(st, c + 4);
	d->staff = db_col_i64(st, c + 5);
	d->api_requests = db_col_i64(st, c + 6);
	d->page_views = db_col_i64(st, c + 7);
}

int
usage_days(struct db *db, struct arena *a, int64_t tenant_id,
    const char *from, const char *to, struct usage_day **out, size_t *n)
{
	struct usage_day	*v;
	struct db_stmt		*st;
	int64_t			 f = day_number(from), t = day_number(to), i;
	int			 rc;

	*out = NULL;
	*n = 0;
	if (f < 0 || t < f || t - f > USAGE_KEEP_DAYS)
		return -1;
	v = arena_calloc(a, (size_t)(t - f + 1), sizeof(*v));
	for (i = 0; i <= t - f; i++)
		date_string(f + i, v[i].day);
	st = tenant_id > 0 ? db_prepare(db, "SELECT TO_DAYS(day) - "
	    "TO_DAYS('1970-01-01'), " USAGE_COLS " FROM souk_usage WHERE "
	    "tenant_id = ? AND day BETWEEN ? AND ? ORDER BY day", 0) :
	    db_prepare(db, "SELECT TO_DAYS(day) - TO_DAYS('1970-01-01'), "
	    "SUM(orders), 0, '', SUM(products), SUM(media_bytes), SUM(staff), "
	    "SUM(api_requests), SUM(page_views) FROM souk_usage WHERE ? = 0 "
	    "AND day BETWEEN ? AND ? GROUP BY day ORDER BY day", 0);
	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, tenant_id > 0 ? tenant_id : 0);
	db_bind_cstr(st, 1, from);
	db_bind_cstr(st, 2, to);
	if (db_exec(st, NULL) == -1)
		return -1;
	while ((rc = db_step(st)) == 1) {
		i = db_col_i64(st, 0) - f;
		if (i >= 0 && i <= t - f)
			day_of(st, 1, &v[i]);
	}
	db_done(st);
	if (rc == -1)
		return -1;
	*out = v;
	*n = (size_t)(t - f + 1);
	return 0;
}

/* ---------------------------------------------------------------- table */

static const char *const sort_names[USAGE__SORTS] = {
	"shop", "orders", "revenue", "products", "media", "staff", "api",
	"views",
};

const char *
usage_sort_name(enum usage_sort s)
{
	return (unsigned)s < USAGE__SORTS ? sort_names[s] : "shop";
}

int
usage_sort_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < USAGE__SORTS; i++)
		if (strcmp(s, sort_names[i]) == 0)
			return i;
	return -1;
}

/* One statement text per order (no SQL is built from input): the
 * sums over the days, and the holdings of the last day with a record
 * on or before the period's end. */
#define Q_TABLE(order)							\
	"SELECT t.id, t.slug, t.name, IFNULL(p.name, ''), "		\
	"IFNULL(s.orders, 0), IFNULL(s.revenue, 0), t.currency, "	\
	"IFNULL(l.products, 0), IFNULL(l.media_bytes, 0), "		\
	"IFNULL(l.staff, 0), IFNULL(s.api_requests, 0), "		\
	"IFNULL(s.page_views, 0), IFNULL(l.day, '') "			\
	"FROM souk_tenants t "						\
	"LEFT JOIN souk_plans p ON p.id = t.plan_id "			\
	"LEFT JOIN (SELECT tenant_id, SUM(orders) AS orders, "		\
	"SUM(revenue) AS revenue, SUM(api_requests) AS api_requests, "	\
	"SUM(page_views) AS page_views FROM souk_usage "		\
	"WHERE day BETWEEN ? AND ? GROUP BY tenant_id) s "		\
	"ON s.tenant_id = t.id "					\
	"LEFT JOIN souk_usage l ON l.tenant_id = t.id AND l.day = "	\
	"(SELECT MAX(day) FROM souk_usage m WHERE m.tenant_id = t.id "	\
	"AND m.day <= ?) "						\
	"WHERE t.status IN ('ready', 'suspended') "			\
	"ORDER BY " order ", t.slug LIMIT ? OFFSET ?"

static const char *const q_table[USAGE__SORTS] = {
	Q_TABLE("t.slug"),
	Q_TABLE("IFNULL(s.orders, 0) DESC"),
	Q_TABLE("IFNULL(s.revenue, 0) DESC"),
	Q_TABLE("IFNULL(l.products, 0) DESC"),
	Q_TABLE("IFNULL(l.media_bytes, 0) DESC"),
	Q_TABLE("IFNULL(l.staff, 0) DESC"),
	Q_TABLE("IFNULL(s.api_requests, 0) DESC"),
	Q_TABLE("IFNULL(s.page_views, 0) DESC"),
};

int
usage_table(struct db *db, struct arena *a, const char *from,
    const char *to, enum usage_sort sort, size_t limit, size_t offset,
    struct usage_row **out, size_t *n, int64_t *total)
{
	struct usage_row	*v;
	struct db_stmt		*st;
	struct str		 day;
	size_t			 k = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	*total = 0;
	if ((unsigned)sort >= USAGE__SORTS || !usage_date_valid(from) ||
	    !usage_date_valid(to))
		return -1;
	if ((st = db_prepare(db, "SELECT COUNT(*) FROM souk_tenants WHERE "
	    "status IN ('ready', 'suspended')", 0)) == NULL ||
	    db_exec(st, NULL) == -1)
		return -1;
	if (db_step(st) == 1)
		*total = db_col_i64(st, 0);
	db_done(st);
	if ((st = db_prepare(db, q_table[sort], 0)) == NULL)
		return -1;
	db_bind_cstr(st, 0, from);
	db_bind_cstr(st, 1, to);
	db_bind_cstr(st, 2, to);
	db_bind_i64(st, 3, (int64_t)limit);
	db_bind_i64(st, 4, (int64_t)offset);
	if (db_exec(st, a) == -1)
		return -1;
	v = arena_calloc(a, limit ? limit : 1, sizeof(*v));
	while ((rc = db_step(st)) == 1 && k < limit) {
		struct usage_row *r = &v[k++];

		r->tenant_id = db_col_i64(st, 0);
		r->slug = db_col_str(st, 1).p;
		r->name = db_col_str(st, 2).p;
		r->plan = db_col_str(st, 3).p;
		day_of(st, 4, &r->u);
		day = db_col_str(st, 12);
		if (day.len == 10)
			memcpy(r->u.day, day.p, 11);
	}
	db_done(st);
	if (rc == -1)
		return -1;
	*out = v;
	*n = k;
	return 0;
}
