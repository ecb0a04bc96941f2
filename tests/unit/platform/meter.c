/*
 * tests/unit/platform/meter.c: the usage counters (platform/meter.h)
 * against the private MariaDB: counts from forked children (as the
 * pool's workers) all reach souk_usage once, a flush adds to what is
 * there, a flush the database refuses keeps every count for the next
 * one; nginx's lines name a shop only as their last word.
 */
#include "core/common.h"

#include <sys/wait.h>
#include "platform/meter.h"
#include "test.h"
#include "dbtest.h"

static struct db *db;

#define HIT(lit)	meter_parse_hit((lit), sizeof(lit) - 1)

/* The shop's page views and API requests of today, -1 when absent. */
static void
today(int64_t shop, int64_t *views, int64_t *api)
{
	struct db_stmt *st;

	*views = *api = -1;
	if ((st = db_prepare(db, "SELECT page_views, api_requests FROM "
	    "souk_usage WHERE tenant_id = ? AND day = UTC_DATE()", 0)) ==
	    NULL)
		return;
	db_bind_i64(st, 0, shop);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1) {
		*views = db_col_i64(st, 0);
		*api = db_col_i64(st, 1);
	}
	db_done(st);
}

int
main(void)
{
	char		 dir[] = "/tmp/souk-meter-XXXXXX", path[64];
	struct db	*down;
	int64_t		 a, b, v, api;
	pid_t		 kids[4];
	char		*sock;
	int		 i, k, st;

	db = dbtest_open("unit/platform/meter");
	/* Shop ids no real shop of the shared database has. */
	a = 900000000 + (int64_t)getpid() * 2;
	b = a + 1;
	TEST_CHECK(mkdtemp(dir) != NULL);
	TEST_CHECK(snprintf(path, sizeof(path), "%s/counters", dir) <
	    (int)sizeof(path));
	TEST_CHECK(meter_open(path) == 0);

	/* Four processes, as the pool's workers, count at once. */
	for (k = 0; k < 4; k++) {
		if ((kids[k] = fork()) == 0) {
			for (i = 0; i < 2500; i++) {
				meter_add(a, METER_PAGE_VIEWS, 1);
				if (i % 5 == 0)
					meter_add(b, METER_API_REQUESTS, 1);
			}
			_exit(0);
		}
		TEST_CHECK(kids[k] > 0);
	}
	for (k = 0; k < 4; k++)
		TEST_CHECK(waitpid(kids[k], &st, 0) == kids[k] && st == 0);
	TEST_CHECK(meter_flush(db) >= 2);
	today(a, &v, &api);
	TEST_CHECK(v == 10000 && api == 0);
	today(b, &v, &api);
	TEST_CHECK(v == 0 && api == 2000);

	/* Nothing new: nothing written twice. */
	TEST_CHECK(meter_flush(db) >= 0);
	today(a, &v, &api);
	TEST_CHECK(v == 10000);

	/* The database refuses: the counts wait for the next flush. */
	meter_add(a, METER_PAGE_VIEWS, 7);
	sock = strdup(getenv("SOUK_DB_SOCKET"));
	setenv("SOUK_DB_SOCKET", "/nonexistent/mysqld.sock", 1);
	down = db_open();
	setenv("SOUK_DB_SOCKET", sock, 1);
	free(sock);
	TEST_CHECK(meter_flush(down) == -1);
	db_close(down);
	today(a, &v, &api);
	TEST_CHECK(v == 10000);
	TEST_CHECK(meter_flush(db) >= 1);
	today(a, &v, &api);
	TEST_CHECK(v == 10007);
	TEST_CHECK(meter_lost() == 0);

	/* Another process flushes what this one counted, over its own
	 * connection: the counts live in the shared file. */
	meter_add(b, METER_PAGE_VIEWS, 3);
	if ((kids[0] = fork()) == 0) {
		struct db *mine = db_open();

		_exit(meter_flush(mine) >= 1 ? 0 : 1);
	}
	TEST_CHECK(waitpid(kids[0], &st, 0) == kids[0] && st == 0);
	today(b, &v, &api);
	TEST_CHECK(v == 3 && api == 2000);

	/* nginx's lines */
	TEST_CHECK(HIT("<190>Dec  2 18:00:00 "
	    "souk_view: 42") == 42);
	TEST_CHECK(HIT("42\n") == 42);
	TEST_CHECK(HIT("souk_view: ") == 0);
	TEST_CHECK(HIT("souk_view: 042") == 0);
	TEST_CHECK(HIT("souk_view:42") == 0);
	TEST_CHECK(HIT("souk_view: -") == 0);
	TEST_CHECK(HIT("souk_view: 99999999999999") ==
	    0);

	(void)unlink(path);
	(void)rmdir(dir);
	db_close(db);
	return test_done();
}
