/*
 * tests/unit/shop/reports.c: the reports' ranges and sales
 * (shop/reports.c): dates checked (a calendar date, the end not before
 * the start, at most three years, days only up to 400 of them), the
 * buckets of a range by day, week (from Monday) and month on a Tokyo
 * shop's clock, the presets, and the sales of the books summed into the
 * shop's days (a Tokyo day starts at 15:00 UTC), another shop's never.
 */
#include "core/common.h"
#include "core/tz.h"
#include "shop/reports.h"
#include "test.h"
#include "dbtest.h"

#define TOKYO	"Asia/Tokyo"

/* A ledger line of entry (kind, ref) posted at UTC time t. */
static int
line(struct db *db, int64_t shop, const char *kind, int64_t ref,
    int line_no, int account, int64_t debit, int64_t credit, time_t t)
{
	struct db_stmt	*st;
	int		 rc;

	st = db_prepare(db, "INSERT INTO {p}ledger (entry_kind, ref_id,"
	    " order_id, line_no, account, debit, credit, posted_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?))", shop);
	if (st == NULL)
		return -1;
	db_bind_cstr(st, 0, kind);
	db_bind_i64(st, 1, ref);
	db_bind_i64(st, 2, ref);
	db_bind_i64(st, 3, line_no);
	db_bind_i64(st, 4, account);
	db_bind_i64(st, 5, debit);
	db_bind_i64(st, 6, credit);
	db_bind_i64(st, 7, t);
	rc = db_exec(st, NULL);
	db_done(st);
	return rc;
}

/* A sale of 1190 (1000 net, 190 tax) posted at t. */
static void
sale(struct db *db, int64_t shop, int64_t ref, time_t t)
{
	TEST_CHECK(line(db, shop, "sale", ref, 1, 1100, 1190, 0, t) == 0);
	TEST_CHECK(line(db, shop, "sale", ref, 2, 4000, 0, 1000, t) == 0);
	TEST_CHECK(line(db, shop, "sale", ref, 3, 2200, 0, 190, t) == 0);
}

static int
range(struct shop_ctx *c, const char *from, const char *to,
    enum reports_group g, struct reports_range *r, const char **field)
{
	struct field_errors	errs = { 0 };
	int			rc;

	rc = reports_range(c, (struct str){ from, strlen(from) },
	    (struct str){ to, strlen(to) }, g, r, &errs);
	*field = errs.n ? errs.v[0].field : "";
	return rc;
}

int
main(void)
{
	struct db		*db = dbtest_open("unit/shop/reports");
	struct arena		 a;
	struct reports_range	 r;
	struct reports_sales	*s, sum;
	const char		*f;
	char			 from[11], to[11];
	int64_t			 s1, s2;

	arena_init(&a);
	s1 = dbtest_shop(db, "rep1", NULL, NULL, "ja", "JPY");
	s2 = dbtest_shop(db, "rep2", NULL, NULL, "ja", "JPY");
	TEST_CHECK(s1 > 0 && s2 > 0);
	{
		struct shop_ctx c = { db, &a, s1, "ja", "ja", "JPY", TOKYO,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "ja", "ja", "JPY", TOKYO,
		    NULL, 0 };

		/* Bad dates and ranges: the field that is wrong. */
		TEST_CHECK(range(&c, "2026-02-30", "2026-03-01", REPORTS_DAY,
		    &r, &f) == SHOP_EINVAL && strcmp(f, "from") == 0);
		TEST_CHECK(range(&c, "2026-03-01", "", REPORTS_DAY, &r,
		    &f) == SHOP_EINVAL && strcmp(f, "to") == 0);
		TEST_CHECK(range(&c, "2026-03-02", "2026-03-01", REPORTS_DAY,
		    &r, &f) == SHOP_EINVAL && strcmp(f, "to") == 0);
		TEST_CHECK(range(&c, "2023-01-01", "2026-01-01", REPORTS_MONTH,
		    &r, &f) == SHOP_EINVAL && strcmp(f, "to") == 0);
		TEST_CHECK(range(&c, "2024-01-01", "2026-12-31", REPORTS_MONTH,
		    &r, &f) == SHOP_OK && r.nbuckets == 36);
		TEST_CHECK(range(&c, "2025-01-01", "2026-03-01", REPORTS_DAY,
		    &r, &f) == SHOP_EINVAL && strcmp(f, "group") == 0);

		/* Days: midnight in Tokyo is 15:00 UTC the day before. */
		TEST_CHECK(range(&c, "2026-03-01", "2026-03-03", REPORTS_DAY,
		    &r, &f) == SHOP_OK && r.nbuckets == 3);
		TEST_CHECK(r.start == tz_utc("UTC", 2026, 2, 28, 15, 0, 0));
		TEST_CHECK(r.end == tz_utc("UTC", 2026, 3, 3, 15, 0, 0));
		TEST_CHECK(r.bucket[2] == r.start + 2 * 86400);
		/* Weeks from Monday: 2026-03-04 is a Wednesday, its week
		 * starts on the 2nd; the 15th (a Sunday) ends the second. */
		TEST_CHECK(range(&c, "2026-03-04", "2026-03-15", REPORTS_WEEK,
		    &r, &f) == SHOP_OK && r.nbuckets == 2);
		TEST_CHECK(r.bucket[0] == tz_midnight(TOKYO, 2026, 3, 2));
		TEST_CHECK(r.bucket[1] == tz_midnight(TOKYO, 2026, 3, 9));
		TEST_CHECK(range(&c, "2026-03-04", "2026-03-16", REPORTS_WEEK,
		    &r, &f) == SHOP_OK && r.nbuckets == 3);
		/* Months, across a year. */
		TEST_CHECK(range(&c, "2025-11-20", "2026-02-01", REPORTS_MONTH,
		    &r, &f) == SHOP_OK && r.nbuckets == 4);
		TEST_CHECK(r.bucket[0] == tz_midnight(TOKYO, 2025, 11, 1));
		TEST_CHECK(r.bucket[3] == tz_midnight(TOKYO, 2026, 2, 1));

		/* Presets on 2026-03-20 19:00 in Tokyo. */
		{
			time_t now = tz_utc("UTC", 2026, 3, 20, 10, 0, 0);

			TEST_CHECK(reports_preset_dates(&c, REPORTS_THIS_MONTH,
			    now, from, to) == SHOP_OK);
			TEST_STREQ(from, "2026-03-01");
			TEST_STREQ(to, "2026-03-20");
			TEST_CHECK(reports_preset_dates(&c, REPORTS_LAST_MONTH,
			    now, from, to) == SHOP_OK);
			TEST_STREQ(from, "2026-02-01");
			TEST_STREQ(to, "2026-02-28");
			TEST_CHECK(reports_preset_dates(&c, REPORTS_THIS_YEAR,
			    now, from, to) == SHOP_OK);
			TEST_STREQ(from, "2026-01-01");
			TEST_CHECK(reports_preset_dates(&c, REPORTS_LAST_30,
			    now, from, to) == SHOP_OK);
			TEST_STREQ(from, "2026-02-19");
			TEST_STREQ(to, "2026-03-20");
			/* 23:30 UTC on Jan 31 is Feb 1 in Tokyo. */
			now = tz_utc("UTC", 2026, 1, 31, 23, 30, 0);
			TEST_CHECK(reports_preset_dates(&c, REPORTS_LAST_MONTH,
			    now, from, to) == SHOP_OK);
			TEST_STREQ(from, "2026-01-01");
			TEST_STREQ(to, "2026-01-31");
		}

		/* Sales: a sale at 15:30 UTC on Mar 1 is Tokyo's Mar 2;
		 * one at 14:59 is Mar 1; one after the range is out; a
		 * refund of 119 (100 net) on Mar 3. Shop 2's never. */
		sale(db, s1, 1, tz_utc("UTC", 2026, 3, 1, 15, 30, 0));
		sale(db, s1, 2, tz_utc("UTC", 2026, 3, 1, 14, 59, 0));
		sale(db, s1, 3, tz_utc("UTC", 2026, 3, 3, 15, 0, 0));
		sale(db, s2, 1, tz_utc("UTC", 2026, 3, 1, 15, 30, 0));
		TEST_CHECK(line(db, s1, "refund", 9, 1, 4020, 100, 0,
		    tz_utc("UTC", 2026, 3, 2, 16, 0, 0)) == 0);
		TEST_CHECK(line(db, s1, "refund", 9, 2, 2200, 19, 0,
		    tz_utc("UTC", 2026, 3, 2, 16, 0, 0)) == 0);
		TEST_CHECK(line(db, s1, "refund", 9, 3, 1210, 0, 119,
		    tz_utc("UTC", 2026, 3, 2, 16, 0, 0)) == 0);
		TEST_CHECK(range(&c, "2026-03-01", "2026-03-03", REPORTS_DAY,
		    &r, &f) == SHOP_OK);
		TEST_CHECK(reports_sales(&c, &r, &s, &sum) == SHOP_OK);
		TEST_CHECK(s[0].orders == 1 && s[0].gross == 1000 &&
		    s[0].tax == 190 && s[0].total == 1190);
		TEST_CHECK(s[1].orders == 1 && s[1].total == 1190);
		TEST_CHECK(s[2].orders == 0 && s[2].refunds == 100 &&
		    s[2].tax == -19 && s[2].net == -100 && s[2].total == -119);
		TEST_CHECK(sum.orders == 2 && sum.gross == 2000 &&
		    sum.refunds == 100 && sum.net == 1900 && sum.tax == 361 &&
		    sum.total == 2261);
		TEST_CHECK(range(&c2, "2026-03-01", "2026-03-03",
		    REPORTS_MONTH, &r, &f) == SHOP_OK && r.nbuckets == 1);
		TEST_CHECK(reports_sales(&c2, &r, &s, &sum) == SHOP_OK);
		TEST_CHECK(sum.orders == 1 && sum.total == 1190);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
