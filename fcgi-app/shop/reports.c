/*
 * reports.c: the admin's reports (reports.h).
 *
 * Days are counted here on the proleptic Gregorian calendar (days
 * since 1970-01-01 of a civil date, and back), which needs no zone;
 * only where a day begins needs one (tz_midnight()). The connection's
 * zone is UTC (db.c): UNIX_TIMESTAMP() reads the stored UTC times as
 * they are.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/tz.h"
#include "db/db.h"
#include "shop/order_list.h"
#include "shop/reports.h"
#include "shop/shop.h"

#define SLOT		900	/* seconds: a quarter hour */
#define TAX_ROWS_MAX	1000

enum stmt {
	ST_SALES,
	ST_TAX,
	ST_PAYMENTS,
	ST_REFUNDS,
	ST_REFUND_SUMS,
	ST_TOP_PRODUCTS,
	ST_TOP_CATEGORIES,
	ST__MAX
};

/* The range's bounds in every statement's first two parameters. */
#define POSTED(col) " " col " >= FROM_UNIXTIME(?) AND " col \
	" < FROM_UNIXTIME(?)"
/* The sale entries posted in the range: one row each (line 1 of an
 * entry is always there). */
#define SALES_IN "SELECT ref_id FROM {p}ledger WHERE entry_kind = 'sale'" \
	" AND line_no = 1 AND" POSTED("posted_at")

static const struct shop_sql sql[ST__MAX] = {
	[ST_SALES] = { "reports.sales",
	    "SELECT UNIX_TIMESTAMP(posted_at) DIV 900 AS s,"
	    " SUM(entry_kind = 'sale' AND account = 1100 AND debit > 0),"
	    " COALESCE(SUM(CASE WHEN account = 4000 THEN credit - debit"
	    "  END), 0),"
	    " COALESCE(SUM(CASE WHEN account = 4010 THEN debit - credit"
	    "  END), 0),"
	    " COALESCE(SUM(CASE WHEN account = 4020 THEN debit - credit"
	    "  END), 0),"
	    " COALESCE(SUM(CASE WHEN account = 4100 THEN credit - debit"
	    "  END), 0),"
	    " COALESCE(SUM(CASE WHEN account = 2200 THEN credit - debit"
	    "  END), 0)"
	    " FROM {p}ledger WHERE" POSTED("posted_at")
	    " AND account IN (1100, 2200, 4000, 4010, 4020, 4100)"
	    " GROUP BY s" },
	/* The country is the order's tax country (ledger_tax_country():
	 * shipped to, else billed to), so that the revenue lines, which
	 * carry none, fall in with their tax. */
	[ST_TAX] = { "reports.tax",
	    "SELECT l.tax_rate IS NOT NULL, COALESCE(l.tax_rate, 0),"
	    " COALESCE(NULLIF(o.ship_country, ''), o.bill_country) AS c,"
	    " SUM(CASE WHEN l.account <> 2200 THEN l.credit - l.debit"
	    "  ELSE 0 END),"
	    " SUM(CASE WHEN l.account = 2200 THEN l.credit - l.debit"
	    "  ELSE 0 END)"
	    " FROM {p}ledger l JOIN {p}orders o ON o.id = l.order_id"
	    " WHERE" POSTED("l.posted_at")
	    " AND l.account IN (2200, 4000, 4010, 4020, 4100)"
	    " GROUP BY l.tax_rate IS NOT NULL, l.tax_rate, c"
	    " ORDER BY c, 1 DESC, 2 LIMIT 1000" },
	[ST_PAYMENTS] = { "reports.payments",
	    "SELECT method, COUNT(*), SUM(amount), SUM(fee)"
	    " FROM {p}payments WHERE" POSTED("created_at")
	    " GROUP BY method ORDER BY 3 DESC, method LIMIT 100" },
	[ST_REFUNDS] = { "reports.refunds",
	    "SELECT r.id, o.number, r.amount, r.tax, r.shipping, r.reason,"
	    " UNIX_TIMESTAMP(l.posted_at)"
	    " FROM {p}ledger l JOIN {p}refunds r ON r.id = l.ref_id"
	    " JOIN {p}orders o ON o.id = r.order_id"
	    " WHERE l.entry_kind = 'refund' AND l.line_no = 1 AND"
	    POSTED("l.posted_at")
	    " ORDER BY l.posted_at DESC, r.id DESC LIMIT ?" },
	[ST_REFUND_SUMS] = { "reports.refund_sums",
	    "SELECT COUNT(*), COALESCE(SUM(r.amount), 0),"
	    " COALESCE(SUM(r.tax), 0)"
	    " FROM {p}ledger l JOIN {p}refunds r ON r.id = l.ref_id"
	    " WHERE l.entry_kind = 'refund' AND l.line_no = 1 AND"
	    POSTED("l.posted_at") },
	[ST_TOP_PRODUCTS] = { "reports.top_products",
	    "SELECT x.product_id, x.units, x.net,"
	    " COALESCE(t.name, d.name, x.name)"
	    " FROM (SELECT l.product_id, SUM(l.qty) AS units,"
	    " SUM(l.total - l.tax) AS net, MAX(l.name) AS name"
	    " FROM {p}order_lines l WHERE l.order_id IN (" SALES_IN ")"
	    " GROUP BY l.product_id ORDER BY net DESC, l.product_id"
	    " LIMIT ?) x"
	    " LEFT JOIN {p}product_texts t ON t.product_id = x.product_id"
	    " AND t.locale = ?"
	    " LEFT JOIN {p}product_texts d ON d.product_id = x.product_id"
	    " AND d.locale = ?"
	    " ORDER BY x.net DESC, x.product_id" },
	[ST_TOP_CATEGORIES] = { "reports.top_categories",
	    "SELECT x.cid, x.units, x.net, COALESCE(t.name, d.name, '')"
	    " FROM (SELECT COALESCE(p.category_id, 0) AS cid,"
	    " SUM(l.qty) AS units, SUM(l.total - l.tax) AS net"
	    " FROM {p}order_lines l"
	    " LEFT JOIN {p}products p ON p.id = l.product_id"
	    " WHERE l.order_id IN (" SALES_IN ")"
	    " GROUP BY cid ORDER BY net DESC, cid LIMIT ?) x"
	    " LEFT JOIN {p}category_texts t ON t.category_id = x.cid"
	    " AND t.locale = ?"
	    " LEFT JOIN {p}category_texts d ON d.category_id = x.cid"
	    " AND d.locale = ?"
	    " ORDER BY x.net DESC, x.cid" },
};

static const char *
zone_of(struct shop_ctx *ctx)
{
	return ctx->time_zone != NULL && tz_known(str_c(ctx->time_zone)) ?
	    ctx->time_zone : "UTC";
}

/* Days since 1970-01-01 of y-m-d (H. Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The civil date of day z since 1970-01-01 (civil_from_days). */
static void
civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* The day number of a valid "YYYY-MM-DD". */
static int64_t
day_of(const char *s)
{
	int64_t y, m, d;

	(void)str_to_i64((struct str){ s, 4 }, 1, 9999, &y);
	(void)str_to_i64((struct str){ s + 5, 2 }, 1, 12, &m);
	(void)str_to_i64((struct str){ s + 8, 2 }, 1, 31, &d);
	return days_from_civil(y, m, d);
}

static void
date_of(int64_t day, char out[11])
{
	int64_t y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (snprintf(out, 11, "%04lld-%02lld-%02lld", (long long)y,
	    (long long)m, (long long)d) >= 11)
		out[0] = '\0';
}

static time_t
midnight(const char *tz, int64_t day)
{
	int64_t y, m, d;

	civil_from_days(day, &y, &m, &d);
	return tz_midnight(tz, (int)y, (int)m, (int)d);
}

int
reports_preset_dates(struct shop_ctx *ctx, enum reports_preset p,
    time_t now, char from[11], char to[11])
{
	char		local[TZ_LOCAL_LEN];
	int64_t		y, m, today, first;

	if (tz_local(zone_of(ctx), now, local) != 0)
		return SHOP_EDB;
	local[10] = '\0';
	today = day_of(local);
	(void)str_to_i64((struct str){ local, 4 }, 1, 9999, &y);
	(void)str_to_i64((struct str){ local + 5, 2 }, 1, 12, &m);
	first = days_from_civil(y, m, 1);
	switch (p) {
	case REPORTS_LAST_MONTH:
		date_of(m == 1 ? days_from_civil(y - 1, 12, 1) :
		    days_from_civil(y, m - 1, 1), from);
		date_of(first - 1, to);
		break;
	case REPORTS_THIS_YEAR:
		date_of(days_from_civil(y, 1, 1), from);
		date_of(today, to);
		break;
	case REPORTS_LAST_30:
		date_of(today - 29, from);
		date_of(today, to);
		break;
	default:
		date_of(first, from);
		date_of(today, to);
		break;
	}
	return SHOP_OK;
}

int
reports_range(struct shop_ctx *ctx, struct str from, struct str to,
    enum reports_group group, struct reports_range *r,
    struct field_errors *errs)
{
	const char	*tz = zone_of(ctx);
	int64_t		 d0, d1, day, y, m, d, y1, m1;
	size_t		 i, n;

	memset(r, 0, sizeof(*r));
	if (!order_list_date_valid(from))
		field_errors_add(errs, "from",
		    N_("Enter a date such as 2026-03-31."));
	if (!order_list_date_valid(to))
		field_errors_add(errs, "to",
		    N_("Enter a date such as 2026-03-31."));
	if (errs->n)
		return SHOP_EINVAL;
	memcpy(r->from, from.p, 10);
	memcpy(r->to, to.p, 10);
	d0 = day_of(r->from);
	d1 = day_of(r->to);
	if (d1 < d0) {
		field_errors_add(errs, "to",
		    N_("The end date comes before the start date."));
		return SHOP_EINVAL;
	}
	if (d1 - d0 + 1 > REPORTS_DAYS_MAX) {
		field_errors_add(errs, "to",
		    N_("Choose a range of at most three years."));
		return SHOP_EINVAL;
	}
	if (group == REPORTS_DAY && d1 - d0 + 1 > REPORTS_BUCKETS_MAX) {
		field_errors_add(errs, "group",
		    N_("Show a range this long by week or by month."));
		return SHOP_EINVAL;
	}
	r->group = group;
	r->start = midnight(tz, d0);
	r->end = midnight(tz, d1 + 1);
	if (r->start == -1 || r->end == -1)
		return SHOP_EDB;
	/* Each bucket's first day: the range's first, its week's Monday
	 * (day 0 was a Thursday), or its month's first. */
	switch (group) {
	case REPORTS_WEEK:
		day = d0 - ((d0 % 7 + 7 + 3) % 7);
		n = (size_t)((d1 - day) / 7 + 1);
		break;
	case REPORTS_MONTH:
		civil_from_days(d0, &y, &m, &d);
		day = days_from_civil(y, m, 1);
		civil_from_days(d1, &y1, &m1, &d);
		n = (size_t)((y1 - y) * 12 + m1 - m + 1);
		break;
	default:
		day = d0;
		n = (size_t)(d1 - d0 + 1);
		break;
	}
	r->bucket = arena_calloc(ctx->a, n, sizeof(*r->bucket));
	r->nbuckets = n;
	civil_from_days(day, &y, &m, &d);
	for (i = 0; i < n; i++) {
		if (group == REPORTS_MONTH)
			r->bucket[i] = tz_midnight(tz, (int)y,
			    (int)(m + (int64_t)i), 1);
		else if (group == REPORTS_WEEK)
			r->bucket[i] = midnight(tz, day + 7 * (int64_t)i);
		else
			r->bucket[i] = midnight(tz, day + (int64_t)i);
	}
	return SHOP_OK;
}

/* The bucket of r holding t (the last whose start is at or before). */
static size_t
bucket_of(const struct reports_range *r, time_t t)
{
	size_t lo = 0, hi = r->nbuckets;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->bucket[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static struct db_stmt *
run(struct shop_ctx *ctx, enum stmt k, const struct reports_range *r,
    int *rc)
{
	struct db_stmt *st = shop_stmt(ctx, &sql[k]);

	*rc = SHOP_EDB;
	if (st == NULL)
		return NULL;
	db_bind_i64(st, 0, r->start);
	db_bind_i64(st, 1, r->end);
	return st;
}

int
reports_sales(struct shop_ctx *ctx, const struct reports_range *r,
    struct reports_sales **out, struct reports_sales *sum)
{
	struct reports_sales	*v;
	struct db_stmt		*st;
	size_t			 i;
	int			 rc;

	*out = v = arena_calloc(ctx->a, r->nbuckets + 1, sizeof(*v));
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < r->nbuckets; i++)
		v[i].start = r->bucket[i];
	if ((st = run(ctx, ST_SALES, r, &rc)) == NULL)
		return rc;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		struct reports_sales *b;

		b = &v[bucket_of(r, (time_t)(db_col_i64(st, 0) * SLOT))];
		b->orders += db_col_i64(st, 1);
		b->gross += db_col_i64(st, 2);
		b->discounts += db_col_i64(st, 3);
		b->refunds += db_col_i64(st, 4);
		b->shipping += db_col_i64(st, 5);
		b->tax += db_col_i64(st, 6);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	for (i = 0; i < r->nbuckets; i++) {
		v[i].net = v[i].gross - v[i].discounts - v[i].refunds;
		v[i].total = v[i].net + v[i].shipping + v[i].tax;
		sum->orders += v[i].orders;
		sum->gross += v[i].gross;
		sum->discounts += v[i].discounts;
		sum->refunds += v[i].refunds;
		sum->net += v[i].net;
		sum->shipping += v[i].shipping;
		sum->tax += v[i].tax;
		sum->total += v[i].total;
	}
	sum->start = r->start;
	return SHOP_OK;
}

int
reports_tax(struct shop_ctx *ctx, const struct reports_range *r,
    struct reports_tax **out, size_t *n)
{
	struct db_stmt	*st;
	int		 rc;

	*n = 0;
	*out = NULL;
	if ((st = run(ctx, ST_TAX, r, &rc)) == NULL)
		return rc;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*out = arena_calloc(ctx->a, TAX_ROWS_MAX, sizeof(**out));
	while ((rc = db_step(st)) == 1) {
		struct reports_tax	*t;
		struct str		 c;

		if (*n == TAX_ROWS_MAX)
			continue;
		t = &(*out)[(*n)++];
		t->has_rate = db_col_i64(st, 0) != 0;
		t->rate = (int32_t)db_col_i64(st, 1);
		c = db_col_str(st, 2);
		if (c.len == 2)
			memcpy(t->country, c.p, 2);
		t->base = db_col_i64(st, 3);
		t->tax = db_col_i64(st, 4);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
reports_payments(struct shop_ctx *ctx, const struct reports_range *r,
    struct reports_payment **out, size_t *n)
{
	struct db_stmt	*st;
	int		 rc;
	size_t		 cap = 100;

	*n = 0;
	*out = NULL;
	if ((st = run(ctx, ST_PAYMENTS, r, &rc)) == NULL)
		return rc;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*out = arena_calloc(ctx->a, cap, sizeof(**out));
	while ((rc = db_step(st)) == 1) {
		struct reports_payment *p;

		if (*n == cap)
			continue;
		p = &(*out)[(*n)++];
		p->method = db_col_str(st, 0);
		p->count = db_col_i64(st, 1);
		p->amount = db_col_i64(st, 2);
		p->fee = db_col_i64(st, 3);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
reports_refunds(struct shop_ctx *ctx, const struct reports_range *r,
    struct reports_refund **out, size_t *n, int64_t *count,
    int64_t *amount, int64_t *tax)
{
	struct db_stmt	*st;
	int		 rc;

	*n = 0;
	*out = NULL;
	if ((st = run(ctx, ST_REFUNDS, r, &rc)) == NULL)
		return rc;
	db_bind_i64(st, 2, REPORTS_REFUNDS_MAX);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*out = arena_calloc(ctx->a, REPORTS_REFUNDS_MAX, sizeof(**out));
	while ((rc = db_step(st)) == 1) {
		struct reports_refund *f;

		if (*n == REPORTS_REFUNDS_MAX)
			continue;
		f = &(*out)[(*n)++];
		f->id = db_col_i64(st, 0);
		f->order_number = db_col_i64(st, 1);
		f->amount = db_col_i64(st, 2);
		f->tax = db_col_i64(st, 3);
		f->shipping = db_col_i64(st, 4);
		f->reason = db_col_str(st, 5);
		f->at = (time_t)db_col_i64(st, 6);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if ((st = run(ctx, ST_REFUND_SUMS, r, &rc)) == NULL)
		return rc;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		if (count != NULL)
			*count = db_col_i64(st, 0);
		if (amount != NULL)
			*amount = db_col_i64(st, 1);
		if (tax != NULL)
			*tax = db_col_i64(st, 2);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
reports_top(struct shop_ctx *ctx, const struct reports_range *r,
    int categories, struct reports_top **out, size_t *n)
{
	const char	*def = ctx->default_locale ? ctx->default_locale :
			    ctx->locale;
	struct db_stmt	*st;
	int		 rc;

	*n = 0;
	*out = NULL;
	if ((st = run(ctx, categories ? ST_TOP_CATEGORIES : ST_TOP_PRODUCTS,
	    r, &rc)) == NULL)
		return rc;
	db_bind_i64(st, 2, REPORTS_TOP_MAX);
	db_bind_cstr(st, 3, ctx->locale);
	db_bind_cstr(st, 4, def);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*out = arena_calloc(ctx->a, REPORTS_TOP_MAX, sizeof(**out));
	while ((rc = db_step(st)) == 1) {
		struct reports_top *t;

		if (*n == REPORTS_TOP_MAX)
			continue;
		t = &(*out)[(*n)++];
		t->id = db_col_i64(st, 0);
		t->units = db_col_i64(st, 1);
		t->net = db_col_i64(st, 2);
		t->name = db_col_str(st, 3);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}
