/*
 * tests/unit/db/db.c: db.c against a real MariaDB (SOUK_DB_SOCKET,
 * SOUK_DB_USER, SOUK_DB_NAME); exits 77 (skip) without one.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "test.h"

#include <pthread.h>
#include <unistd.h>

static struct arena	a;

static int
run(struct db *db, const char *sql)
{
	int rc = db_exec_ddl(db, sql, 0);

	if (rc == -1)
		fprintf(stderr, "'%s': %s\n", sql, db_error(db));
	return rc;
}

static int64_t
conn_id(struct db *db)
{
	struct db_stmt	*st = db_prepare(db, "SELECT CONNECTION_ID()", 0);
	int64_t		 id = -1;

	if (st != NULL && db_exec(st, &a) == 0 && db_step(st) == 1)
		id = db_col_i64(st, 0);
	if (st != NULL)
		db_done(st);
	return id;
}

static void
test_roundtrip(struct db *db)
{
	static const char	 quoted[] = "it's \"quoted\" \\ ; -- x";
	static const char	 utf8[] = "Gr\xc3\xbc\xc3\x9f""e \xe6\x97\xa5"
	    "\xe6\x9c\xac \xf0\x9f\x9b\x92";
	static const char	 withnul[] = { 'a', '\0', 'b', '\0', 'c' };
	struct db_stmt		*st;
	struct str		 s;
	char			*big;
	int			 rc;

	TEST_CHECK(run(db, "DROP TABLE IF EXISTS t_rt") == 0);
	TEST_CHECK(run(db, "CREATE TABLE t_rt (id BIGINT NOT NULL PRIMARY "
	    "KEY, u BIGINT UNSIGNED NULL, s VARCHAR(200) NULL, "
	    "b VARBINARY(100) NULL, n INT NULL, txt MEDIUMTEXT NULL, "
	    "d DATETIME NULL, m DECIMAL(20,2) NULL) "
	    "DEFAULT CHARSET=utf8mb4") == 0);

	st = db_prepare(db, "INSERT INTO t_rt (id, u, s, b, n, txt, d, m) "
	    "VALUES (?, ?, ?, ?, ?, ?, '2024-02-29 13:14:15', 12.5)", 0);
	TEST_CHECK(st != NULL);
	if (st == NULL)
		return;
	db_bind_i64(st, 0, 1);
	db_bind_i64(st, 1, INT64_MAX);
	db_bind_cstr(st, 2, quoted);
	db_bind_blob(st, 3, withnul, sizeof(withnul));
	db_bind_i64(st, 4, -7);
	db_bind_str(st, 5, str_c(utf8));
	TEST_CHECK(db_exec(st, &a) == 0);
	TEST_CHECK(db_affected(st) == 1);

	/* Same text: same cached statement, parameters NULL again. */
	TEST_CHECK(db_prepare(db, "INSERT INTO t_rt (id, u, s, b, n, txt, d, "
	    "m) VALUES (?, ?, ?, ?, ?, ?, '2024-02-29 13:14:15', 12.5)", 0)
	    == st);
	db_bind_i64(st, 0, 2);
	TEST_CHECK(db_exec(st, &a) == 0);

	/* A 200 KB value: buffers sized from max_length. */
	big = xmalloc(200001);
	memset(big, 'x', 200000);
	big[200000] = '\0';
	big[199999] = 'y';
	db_bind_i64(st, 0, 3);
	db_bind_cstr(st, 5, big);
	TEST_CHECK(db_exec(st, &a) == 0);

	st = db_prepare(db, "SELECT id, u, s, b, n, txt, d, m FROM t_rt "
	    "ORDER BY id", 0);
	TEST_CHECK(st != NULL);
	if (st == NULL)
		return;
	TEST_CHECK(db_exec(st, &a) == 0);
	TEST_CHECK(db_step(st) == 1);
	TEST_CHECK(db_col_i64(st, 0) == 1);
	TEST_CHECK(db_col_i64(st, 1) == INT64_MAX);
	TEST_STREQ(db_col_str(st, 1).p, "9223372036854775807");
	s = db_col_str(st, 2);
	TEST_CHECK(s.len == strlen(quoted) && memcmp(s.p, quoted, s.len) == 0);
	s = db_col_str(st, 3);
	TEST_CHECK(s.len == sizeof(withnul) &&
	    memcmp(s.p, withnul, s.len) == 0);
	TEST_CHECK(db_col_i64(st, 4) == -7);
	TEST_STREQ(db_col_str(st, 4).p, "-7");
	TEST_STREQ(db_col_str(st, 5).p, utf8);
	TEST_STREQ(db_col_str(st, 6).p, "2024-02-29 13:14:15");
	TEST_STREQ(db_col_str(st, 7).p, "12.50");
	TEST_CHECK(db_col_i64(st, 7) == 12);
	TEST_CHECK(!db_col_null(st, 2));

	TEST_CHECK(db_step(st) == 1);
	TEST_CHECK(db_col_i64(st, 0) == 2);
	TEST_CHECK(db_col_null(st, 1));
	TEST_CHECK(db_col_null(st, 2));
	TEST_CHECK(db_col_str(st, 2).len == 0);
	TEST_CHECK(db_col_i64(st, 4) == 0 && db_col_null(st, 4));

	TEST_CHECK(db_step(st) == 1);
	s = db_col_str(st, 5);
	TEST_CHECK(s.len == 200000 && s.p[199999] == 'y' && s.p[0] == 'x');
	TEST_CHECK(db_step(st) == 0);
	db_done(st);
	free(big);

	/* Strings outlive db_done() and the next execution. */
	st = db_prepare(db, "SELECT s FROM t_rt WHERE id = ?", 0);
	db_bind_i64(st, 0, 1);
	TEST_CHECK(db_exec(st, &a) == 0 && db_step(st) == 1);
	s = db_col_str(st, 0);
	db_done(st);
	db_bind_i64(st, 0, 2);
	TEST_CHECK(db_exec(st, &a) == 0 && db_step(st) == 1);
	db_done(st);
	TEST_CHECK(s.len == strlen(quoted) && memcmp(s.p, quoted, s.len) == 0);

	/* An unbound parameter reads as NULL. */
	st = db_prepare(db, "SELECT ? IS NULL", 0);
	TEST_CHECK(db_exec(st, &a) == 0 && db_step(st) == 1);
	TEST_CHECK(db_col_i64(st, 0) == 1);
	db_done(st);

	/* Bound NULL, and a LIKE with meta-characters as data. */
	st = db_prepare(db, "SELECT COUNT(*) FROM t_rt WHERE s = ?", 0);
	db_bind_cstr(st, 0, "' OR 1=1 -- ");
	TEST_CHECK(db_exec(st, &a) == 0 && (rc = db_step(st)) == 1);
	TEST_CHECK(db_col_i64(st, 0) == 0);
	db_done(st);

	/* SUM() is DECIMAL: read as an integer. */
	st = db_prepare(db, "SELECT SUM(id) FROM t_rt", 0);
	TEST_CHECK(db_exec(st, &a) == 0 && db_step(st) == 1);
	TEST_CHECK(db_col_i64(st, 0) == 6);
	db_done(st);

	/* Insert id. */
	TEST_CHECK(run(db, "CREATE TEMPORARY TABLE t_ai (id INT "
	    "AUTO_INCREMENT PRIMARY KEY, v INT)") == 0);
	st = db_prepare(db, "INSERT INTO t_ai (v) VALUES (?)", 0);
	db_bind_i64(st, 0, 5);
	TEST_CHECK(db_exec(st, &a) == 0 && db_insert_id(st) == 1);
	TEST_CHECK(db_exec(st, &a) == 0 && db_insert_id(st) == 2);
}

static void
test_errors(struct db *db)
{
	struct db_stmt *st;

	st = db_prepare(db, "INSERT INTO t_rt (id) VALUES (?)", 0);
	db_bind_i64(st, 0, 1);
	TEST_CHECK(db_exec(st, &a) == -1);
	TEST_CHECK(db_errclass(db) == DB_EDUP);
	db_bind_i64(st, 0, 4);
	TEST_CHECK(db_exec(st, &a) == 0);

	TEST_CHECK(db_prepare(db, "SELECT * FROM t_nonesuch", 0) == NULL);
	TEST_CHECK(db_errclass(db) == DB_ENOTABLE);
	TEST_CHECK(db_prepare(db, "SELEKT 1", 0) == NULL);
	TEST_CHECK(db_errclass(db) == DB_EOTHER);

	/* Dropped after the statement was prepared: missing when it runs,
	 * run again (MDEV-26048, db_exec()) and still missing. */
	TEST_CHECK(run(db, "DROP TABLE IF EXISTS t_gone") == 0);
	TEST_CHECK(run(db, "CREATE TABLE t_gone (id INT PRIMARY KEY)") == 0);
	st = db_prepare(db, "SELECT id FROM t_gone", 0);
	TEST_CHECK(st != NULL && run(db, "DROP TABLE t_gone") == 0);
	if (st != NULL) {
		TEST_CHECK(db_exec(st, &a) == -1);
		TEST_CHECK(db_errclass(db) == DB_ENOTABLE);
	}

	/* A prefix needs a tenant. */
	TEST_CHECK(db_prepare(db, "SELECT * FROM {p}products", 0) == NULL);
	TEST_CHECK(db_prepare(db, "SELECT * FROM {p}products", -3) == NULL);
	TEST_CHECK(db_exec_ddl(db, "DROP TABLE IF EXISTS {p}x", 0) == -1);

	/* The connection still works after errors. */
	TEST_CHECK(conn_id(db) > 0);
}

static void
test_prefix(struct db *db)
{
	struct db_stmt	*st;
	char		 buf[24];

	db_prefix(buf, sizeof(buf), 42);
	TEST_STREQ(buf, "s42_");
	TEST_CHECK(db_exec_ddl(db, "CREATE TABLE IF NOT EXISTS {p}pt (id INT)",
	    987654) == 0);
	st = db_prepare(db, "SELECT COUNT(*) FROM s987654_pt", 0);
	TEST_CHECK(st != NULL && db_exec(st, &a) == 0 && db_step(st) == 1);
	if (st != NULL)
		db_done(st);
	st = db_prepare(db, "INSERT INTO {p}pt VALUES (?), (?)", 987654);
	TEST_CHECK(st != NULL);
	db_bind_i64(st, 0, 1);
	db_bind_i64(st, 1, 2);
	TEST_CHECK(db_exec(st, &a) == 0 && db_affected(st) == 2);
	TEST_CHECK(db_exec_ddl(db, "DROP TABLE {p}pt", 987654) == 0);
}

static void
test_tx(struct db *db)
{
	struct db_stmt	*st;
	int64_t		 n = -1;

	TEST_CHECK(db_tx_begin(db) == 0);
	st = db_prepare(db, "INSERT INTO t_rt (id) VALUES (100)", 0);
	TEST_CHECK(db_exec(st, &a) == 0);
	TEST_CHECK(db_tx_end(db, 0) == 0);
	TEST_CHECK(db_tx_begin(db) == 0);
	st = db_prepare(db, "INSERT INTO t_rt (id) VALUES (101)", 0);
	TEST_CHECK(db_exec(st, &a) == 0);
	TEST_CHECK(db_tx_end(db, 1) == 0);
	st = db_prepare(db, "SELECT COUNT(*) FROM t_rt WHERE id >= 100", 0);
	if (db_exec(st, &a) == 0 && db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	TEST_CHECK(n == 1);
}

/* --- db_tx_run() ------------------------------------------------------ */

static char	tx_table[32];

static int
tx_add(struct db *db, int64_t id)
{
	char		 sql[96];
	struct db_stmt	*st;

	snprintf(sql, sizeof(sql), "UPDATE %s SET v = v + 1 WHERE id = ?",
	    tx_table);
	if ((st = db_prepare(db, sql, 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, id);
	return db_exec(st, NULL);
}

static int64_t
tx_value(struct db *db, int64_t id)
{
	char		 sql[96];
	struct db_stmt	*st;
	int64_t		 v = -1;

	snprintf(sql, sizeof(sql), "SELECT v FROM %s WHERE id = ?", tx_table);
	if ((st = db_prepare(db, sql, 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, id);
	if (db_exec(st, &a) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

/*
 * Two transactions that take two rows in opposite order: each takes its
 * first row, waits until the other has taken its own, then asks for the
 * other's. InnoDB finds the deadlock and fails one of them with 1213;
 * db_tx_run() must retry that one, and both end committed, once each.
 */
struct crosser {
	struct db		*db;
	int64_t			 first, second;
	int			 calls;
	int			 rc;
};

static pthread_mutex_t	cross_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	cross_cv = PTHREAD_COND_INITIALIZER;
static int		cross_holding;	/* transactions holding row one */

static int
cross_fn(struct db *db, void *arg)
{
	struct crosser	*c = arg;
	struct timespec	 deadline;

	if (tx_add(db, c->first) == -1)
		return -1;
	if (c->calls++ == 0) {
		/* Only the first attempt waits for the other. */
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += 10;
		pthread_mutex_lock(&cross_mu);
		cross_holding++;
		pthread_cond_broadcast(&cross_cv);
		while (cross_holding < 2)
			if (pthread_cond_timedwait(&cross_cv, &cross_mu,
			    &deadline) != 0)
				break;
		pthread_mutex_unlock(&cross_mu);
	}
	return tx_add(db, c->second) == -1 ? -1 : 0;
}

static void *
cross_thread(void *arg)
{
	struct crosser *c = arg;

	c->rc = db_tx_run(c->db, cross_fn, c);
	return NULL;
}

static int
fail_fn(struct db *db, void *arg)
{
	(void)arg;
	if (tx_add(db, 1) == -1)
		return -1;
	return 7;	/* a domain error: roll back, no retry */
}

static int
dup_fn(struct db *db, void *arg)
{
	char		 sql[96];
	struct db_stmt	*st;

	(void)arg;
	if (tx_add(db, 1) == -1)
		return -1;
	snprintf(sql, sizeof(sql), "INSERT INTO %s (id, v) VALUES (2, 0)",
	    tx_table);
	if ((st = db_prepare(db, sql, 0)) == NULL || db_exec(st, NULL) == -1)
		return -1;
	return 0;
}

static int
inner_fn(struct db *db, void *arg)
{
	(void)arg;
	return tx_add(db, 2);
}

static int
outer_fn(struct db *db, void *arg)
{
	(void)arg;
	if (tx_add(db, 1) == -1)
		return -1;
	/* Joins this transaction: the outer one's rollback undoes it. */
	if (db_tx_run(db, inner_fn, NULL) != 0)
		return -1;
	return 3;
}

/* Adds to row 1; counts its attempts for the thread that waits. */
static int	waiter_calls;

static int
waiter_fn(struct db *db, void *arg)
{
	(void)arg;
	__atomic_add_fetch(&waiter_calls, 1, __ATOMIC_SEQ_CST);
	return tx_add(db, 1);
}

/* For test_wait_until(): waiter_fn's first attempt has given up on the
 * lock and its retry has begun. */
static int
waiter_retried(void *arg)
{
	(void)arg;
	return __atomic_load_n(&waiter_calls, __ATOMIC_SEQ_CST) >= 2;
}

static void *
waiter_thread(void *arg)
{
	struct crosser *c = arg;

	c->rc = db_tx_run(c->db, waiter_fn, NULL);
	return NULL;
}

static void
test_tx_run(struct db *db)
{
	struct db	*db2 = db_open();
	struct crosser	 c1, c2;
	pthread_t	 t1, t2;
	uint64_t	 retries;
	char		 sql[128];

	snprintf(tx_table, sizeof(tx_table), "t_tx%ld", (long)getpid());
	snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS %s", tx_table);
	TEST_CHECK(run(db, sql) == 0);
	snprintf(sql, sizeof(sql), "CREATE TABLE %s (id BIGINT NOT NULL "
	    "PRIMARY KEY, v BIGINT NOT NULL) ENGINE=InnoDB", tx_table);
	TEST_CHECK(run(db, sql) == 0);
	snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (1, 0), (2, 0)",
	    tx_table);
	TEST_CHECK(run(db, sql) == 0);
	TEST_CHECK(db_alive(db2, 1));

	/* A real deadlock between two connections: retried, both commit. */
	retries = db_tx_retries(db) + db_tx_retries(db2);
	memset(&c1, 0, sizeof(c1));
	memset(&c2, 0, sizeof(c2));
	c1.db = db;
	c1.first = 1;
	c1.second = 2;
	c2.db = db2;
	c2.first = 2;
	c2.second = 1;
	TEST_CHECK(pthread_create(&t1, NULL, cross_thread, &c1) == 0);
	TEST_CHECK(pthread_create(&t2, NULL, cross_thread, &c2) == 0);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	TEST_CHECK(c1.rc == 0 && c2.rc == 0);
	TEST_CHECK(db_tx_retries(db) + db_tx_retries(db2) >= retries + 1);
	TEST_CHECK(c1.calls + c2.calls >= 3);
	TEST_CHECK(tx_value(db, 1) == 2 && tx_value(db, 2) == 2);
	TEST_CHECK(!db_tx_open(db) && !db_tx_open(db2));

	/* A lock wait timeout (1205): db holds row 1, db2 waits 1 s, fails,
	 * and its retry goes through once db has committed. */
	{
		TEST_CHECK(run(db2, "SET SESSION innodb_lock_wait_timeout = 1")
		    == 0);
		TEST_CHECK(db_tx_begin(db) == 0 && tx_add(db, 1) == 0);
		memset(&c1, 0, sizeof(c1));
		c1.db = db2;
		TEST_CHECK(pthread_create(&t1, NULL, waiter_thread, &c1) == 0);
		TEST_CHECK(test_wait_until(waiter_retried, NULL,
		    TEST_WAIT_MS));
		TEST_CHECK(db_tx_end(db, 1) == 0);
		pthread_join(t1, NULL);
		TEST_CHECK(c1.rc == 0);
		TEST_CHECK(tx_value(db, 1) == 4);
		/* Back to two, for the checks below. */
		snprintf(sql, sizeof(sql), "UPDATE %s SET v = 2 WHERE id = 1",
		    tx_table);
		TEST_CHECK(run(db, sql) == 0);
	}

	/* A domain error rolls back, once, and comes back as it was. */
	retries = db_tx_retries(db);
	TEST_CHECK(db_tx_run(db, fail_fn, NULL) == 7);
	TEST_CHECK(tx_value(db, 1) == 2);
	TEST_CHECK(db_tx_retries(db) == retries);
	TEST_CHECK(!db_tx_open(db));

	/* Another database error: rolled back, not retried, reason kept. */
	TEST_CHECK(db_tx_run(db, dup_fn, NULL) == -1);
	TEST_CHECK(db_errclass(db) == DB_EDUP);
	TEST_CHECK(db_tx_retries(db) == retries);
	TEST_CHECK(tx_value(db, 1) == 2);

	/* Nested: the inner function joins the outer transaction. */
	TEST_CHECK(db_tx_run(db, outer_fn, NULL) == 3);
	TEST_CHECK(tx_value(db, 1) == 2 && tx_value(db, 2) == 2);

	/* A request that left a transaction open: rolled back at its end. */
	TEST_CHECK(db_request_end(db) == 0);
	TEST_CHECK(db_tx_begin(db) == 0);
	TEST_CHECK(tx_add(db, 1) == 0);
	TEST_CHECK(db_tx_open(db));
	TEST_CHECK(db_request_end(db) == 1);
	TEST_CHECK(!db_tx_open(db));
	TEST_CHECK(tx_value(db, 1) == 2);
	TEST_CHECK(tx_value(db2, 1) == 2);

	snprintf(sql, sizeof(sql), "DROP TABLE %s", tx_table);
	TEST_CHECK(run(db, sql) == 0);
	db_close(db2);
}

static void
test_cache(struct db *db)
{
	struct db_stmt	*st;
	char		 sql[64];
	int		 i, bad = 0;

	/* More distinct statements than the cache holds: evicts. */
	for (i = 0; i < 700; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d + ?", i);
		if ((st = db_prepare(db, sql, 0)) == NULL) {
			bad++;
			continue;
		}
		db_bind_i64(st, 0, 1);
		if (db_exec(st, &a) == -1 || db_step(st) != 1 ||
		    db_col_i64(st, 0) != i + 1)
			bad++;
		db_done(st);
	}
	TEST_CHECK(bad == 0);
	/* The first ones were evicted and come back prepared anew. */
	st = db_prepare(db, "SELECT 0 + ?", 0);
	db_bind_i64(st, 0, 41);
	TEST_CHECK(db_exec(st, &a) == 0 && db_step(st) == 1 &&
	    db_col_i64(st, 0) == 41);
	db_done(st);
}

static void
test_reconnect(struct db *db)
{
	struct db_stmt	*st, *held;
	struct db	*killer;
	int64_t		 id, id2;
	char		 q[64];

	id = conn_id(db);
	TEST_CHECK(id > 0);
	held = db_prepare(db, "SELECT id FROM t_rt WHERE id = ?", 0);
	TEST_CHECK(held != NULL);

	killer = db_open();
	TEST_CHECK(db_alive(killer, 1));
	snprintf(q, sizeof(q), "KILL CONNECTION %lld", (long long)id);
	TEST_CHECK(run(killer, q) == 0);
	db_close(killer);

	db_bind_i64(held, 0, 1);
	TEST_CHECK(db_exec(held, &a) == -1);
	TEST_CHECK(db_errclass(db) == DB_ELOST);
	TEST_CHECK(!db_alive(db, 0));
	db_done(held);		/* still valid memory */

	st = db_prepare(db, "SELECT id FROM t_rt WHERE id = ?", 0);
	TEST_CHECK(st != NULL);
	TEST_CHECK(st == held);	/* same object, prepared again */
	if (st != NULL) {
		db_bind_i64(st, 0, 2);
		TEST_CHECK(db_exec(st, &a) == 0 && db_step(st) == 1);
		TEST_CHECK(db_col_i64(st, 0) == 2);
		db_done(st);
	}
	id2 = conn_id(db);
	TEST_CHECK(id2 > 0 && id2 != id);

	/* Lost inside a transaction: no silent autocommit afterwards. */
	TEST_CHECK(db_tx_begin(db) == 0);
	killer = db_open();
	snprintf(q, sizeof(q), "KILL CONNECTION %lld", (long long)id2);
	TEST_CHECK(run(killer, q) == 0);
	db_close(killer);
	st = db_prepare(db, "INSERT INTO t_rt (id) VALUES (200)", 0);
	TEST_CHECK(st == NULL || db_exec(st, &a) == -1);
	TEST_CHECK(db_prepare(db, "SELECT 1", 0) == NULL);
	TEST_CHECK(db_tx_end(db, 1) == -1);
	TEST_CHECK(db_errclass(db) == DB_ELOST);
	TEST_CHECK(conn_id(db) > 0);
}

int
main(void)
{
	struct db	*db;
	char		 err[256];

	if (getenv("SOUK_DB_SOCKET") == NULL) {
		printf("skip: SOUK_DB_SOCKET is not set\n");
		return 77;
	}
	if (config_load(NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	log_init("test-db", LOG_LVL_ERR);
	if (crypto_init() == -1)
		return 1;
	arena_init(&a);
	db = db_open();
	if (!db_alive(db, 1)) {
		fprintf(stderr, "no database: %s\n", db_error(db));
		return 1;
	}
	test_roundtrip(db);
	arena_reset(&a);
	test_errors(db);
	test_prefix(db);
	test_tx(db);
	test_tx_run(db);
	test_cache(db);
	arena_reset(&a);
	test_reconnect(db);
	run(db, "DROP TABLE IF EXISTS t_rt");
	db_close(db);
	arena_free(&a);
	config_free();
	return test_done();
}
