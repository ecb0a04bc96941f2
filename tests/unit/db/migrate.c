/*
 * tests/unit/db/migrate.c: the statement splitter, file ordering, and
 * platform and shop migrations against the private MariaDB.
 */
#include "core/common.h"
#include "db/migrate.c"
#include "test.h"
#include "dbtest.h"

#include <sys/stat.h>

static char	tmpdir[] = "/tmp/souk-migrate-XXXXXX";

static void
put(const char *rel, const char *text)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

static void
test_split(void)
{
	struct mig_file	f;
	static const char text[] =
	    "-- a comment\n"
	    "CREATE TABLE a (x INT) -- ;; not a separator\n"
	    ";;\n"
	    "  -- only a comment\n"
	    ";; \r\n"
	    "INSERT INTO a VALUES (1); INSERT INTO a VALUES (';;')\n"
	    ";;\n"
	    "SELECT 1";

	memset(&f, 0, sizeof(f));
	split(&f, text, strlen(text));
	TEST_CHECK(f.nstmts == 3);
	if (f.nstmts == 3) {
		TEST_CHECK(strstr(f.stmts[0], "CREATE TABLE a") != NULL);
		TEST_CHECK(strstr(f.stmts[1], "VALUES (';;')") != NULL);
		TEST_STREQ(f.stmts[2], "SELECT 1");
	}
	while (f.nstmts > 0)
		free(f.stmts[--f.nstmts]);
	free(f.stmts);

	TEST_CHECK(file_number("001_platform.sql") == 1);
	TEST_CHECK(file_number("12_x.sql") == 12);
	TEST_CHECK(file_number("x.sql") == -1);
	TEST_CHECK(file_number("001x.sql") == -1);
	TEST_CHECK(file_number("001_x.sql.orig") == -1);
	TEST_CHECK(file_number("_x.sql") == -1);
}

static int64_t
scalar(struct db *db, const char *sql, int64_t arg)
{
	struct db_stmt	*st = db_prepare(db, sql, 0);
	int64_t		 v = -1;

	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, arg);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

static int64_t
fake_tenant(struct db *db, const char *suffix, int version)
{
	struct db_stmt	*st;
	char		 slug[40];

	snprintf(slug, sizeof(slug), "%s-%s", dbtest_tag(), suffix);
	st = db_prepare(db, "INSERT INTO souk_tenants (slug, name, owner_id, "
	    "status, schema_version) VALUES (?, 'test', 0, 'ready', ?)", 0);
	if (st == NULL)
		return -1;
	db_bind_cstr(st, 0, slug);
	db_bind_i64(st, 1, version);
	if (db_exec(st, NULL) == -1)
		return -1;
	return (int64_t)db_insert_id(st);
}

static int
table_exists(struct db *db, const char *name, int64_t tenant)
{
	char		 sql[128];
	struct db_stmt	*st;

	snprintf(sql, sizeof(sql), "SELECT 1 FROM {p}%s LIMIT 1", name);
	/* Executed: a cached statement may outlive its table. */
	st = db_prepare(db, sql, tenant);
	if (st == NULL || db_exec(st, NULL) == -1)
		return db_errclass(db) == DB_ENOTABLE ? 0 : -1;
	db_done(st);
	return 1;
}

static void
test_shop(struct db *db)
{
	const char *const	*names;
	char			 err[512];
	int64_t			 t;
	int			 v, n;

	put("shop/001_a.sql", "CREATE TABLE IF NOT EXISTS {p}mt_a (id INT)\n"
	    ";;\n"
	    "-- semicolons; inside\n"
	    "CREATE TABLE IF NOT EXISTS {p}mt_c (s VARCHAR(9) DEFAULT ';')\n");
	put("shop/002_b.sql", "CREATE TABLE IF NOT EXISTS {p}mt_b (id INT)\n");
	put("shop/notes.txt", "not a migration");

	TEST_CHECK(migrate_shop_latest(tmpdir, err, sizeof(err)) == 2);
	n = migrate_shop_tables(tmpdir, &names, err, sizeof(err));
	TEST_CHECK(n == 3);
	if (n == 3) {
		TEST_STREQ(names[0], "mt_a");
		TEST_STREQ(names[1], "mt_c");
		TEST_STREQ(names[2], "mt_b");
	}

	t = fake_tenant(db, "m1", 0);
	TEST_CHECK(t > 0);
	TEST_CHECK(migrate_shop(db, tmpdir, 0, 0, &v, err, sizeof(err)) ==
	    -1);
	TEST_CHECK(migrate_shop(db, tmpdir, t, 0, &v, err, sizeof(err)) == 0);
	TEST_CHECK(v == 2);
	TEST_CHECK(scalar(db, "SELECT schema_version FROM souk_tenants "
	    "WHERE id = ?", t) == 2);
	TEST_CHECK(table_exists(db, "mt_a", t) == 1);
	TEST_CHECK(table_exists(db, "mt_b", t) == 1);
	TEST_CHECK(table_exists(db, "mt_c", t) == 1);
	/* Idempotent: everything again. */
	TEST_CHECK(migrate_shop(db, tmpdir, t, 0, &v, err, sizeof(err)) == 0);
	/* From 1: only 002. */
	TEST_CHECK(db_exec_ddl(db, "DROP TABLE {p}mt_a, {p}mt_b", t) == 0);
	TEST_CHECK(migrate_shop(db, tmpdir, t, 1, &v, err, sizeof(err)) == 0);
	TEST_CHECK(table_exists(db, "mt_a", t) == 0);
	TEST_CHECK(table_exists(db, "mt_b", t) == 1);
	/* Up to date: nothing applied, version stays. */
	TEST_CHECK(migrate_shop(db, tmpdir, t, 2, &v, err, sizeof(err)) == 0);
	TEST_CHECK(v == 2);

	/* A failing file stops there, the version says how far it got. */
	put("shop/003_bad.sql", "CREATE TABLE IF NOT EXISTS {p}mt_d (id INT)\n"
	    ";;\nTHIS IS NOT SQL\n");
	migrate_free();
	TEST_CHECK(migrate_shop(db, tmpdir, t, 0, &v, err, sizeof(err)) ==
	    -1);
	TEST_CHECK(v == 2);
	TEST_CHECK(strstr(err, "003_bad.sql, statement 2") != NULL);
	TEST_CHECK(scalar(db, "SELECT schema_version FROM souk_tenants "
	    "WHERE id = ?", t) == 2);

	/* Two files with one number: refused. */
	put("shop/002_dup.sql", "SELECT 1\n");
	migrate_free();
	TEST_CHECK(migrate_shop_latest(tmpdir, err, sizeof(err)) == -1);
	TEST_CHECK(strstr(err, "same number") != NULL);

	TEST_CHECK(db_exec_ddl(db, "DROP TABLE IF EXISTS {p}mt_a, {p}mt_b, "
	    "{p}mt_c, {p}mt_d", t) == 0);
	TEST_CHECK(scalar(db, "DELETE FROM souk_tenants WHERE id = ?", t)
	    == -1);	/* no rows to read, but runs */
	migrate_free();
}

static void
test_platform(struct db *db)
{
	char	 err[512], name[64], sql[256];
	int	 n;

	/* dbtest_open() applied the real files: nothing left. */
	TEST_CHECK(migrate_platform(db, "./sql", err, sizeof(err)) == 0);
	TEST_CHECK(migrate_platform(db, "/nonexistent", err, sizeof(err))
	    == -1);

	/* A new file is applied once and recorded. */
	snprintf(name, sizeof(name), "900_%s.sql", dbtest_tag());
	snprintf(sql, sizeof(sql), "platform/%s", name);
	snprintf(err, sizeof(err), "CREATE TABLE IF NOT EXISTS souk_%s "
	    "(id INT)\n;;\nINSERT INTO souk_%s VALUES (1)\n", dbtest_tag(),
	    dbtest_tag());
	put(sql, err);
	TEST_CHECK((n = migrate_platform(db, tmpdir, err, sizeof(err))) == 1);
	if (n == -1)
		fprintf(stderr, "%s\n", err);
	TEST_CHECK(migrate_platform(db, tmpdir, err, sizeof(err)) == 0);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM souk_%s WHERE "
	    "id = ?", dbtest_tag());
	TEST_CHECK(scalar(db, sql, 1) == 1);

	snprintf(sql, sizeof(sql), "DROP TABLE souk_%s", dbtest_tag());
	TEST_CHECK(db_exec_ddl(db, sql, 0) == 0);
	{
		struct db_stmt *st = db_prepare(db, "DELETE FROM souk_schema "
		    "WHERE name = ?", 0);

		db_bind_cstr(st, 0, name);
		TEST_CHECK(db_exec(st, NULL) == 0 && db_affected(st) == 1);
	}
}

static void
test_all_shops(struct db *db)
{
	const char *const	*names;
	char			 err[512], sql[1024];
	int64_t			 t;
	int			 n, i, latest;

	latest = migrate_shop_latest("./sql", err, sizeof(err));
	TEST_CHECK(latest >= 1);
	t = fake_tenant(db, "all", 0);
	TEST_CHECK(migrate_all_shops(db, "./sql", &n, err, sizeof(err)) == 0);
	TEST_CHECK(n >= 1);
	TEST_CHECK(scalar(db, "SELECT schema_version FROM souk_tenants "
	    "WHERE id = ?", t) == latest);
	TEST_CHECK(table_exists(db, "products", t) == 1);
	/* Nothing behind now (other tests' shops are at latest too). */
	TEST_CHECK(migrate_all_shops(db, "./sql", &n, err, sizeof(err)) == 0);
	TEST_CHECK(n == 0);

	n = migrate_shop_tables("./sql", &names, err, sizeof(err));
	TEST_CHECK(n >= 8);
	snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS ");
	for (i = 0; i < n; i++) {
		size_t l = strlen(sql);

		snprintf(sql + l, sizeof(sql) - l, "%s{p}%s", i ? ", " : "",
		    names[i]);
	}
	TEST_CHECK(db_exec_ddl(db, sql, t) == 0);
	TEST_CHECK(table_exists(db, "products", t) == 0);
	scalar(db, "DELETE FROM souk_tenants WHERE id = ?", t);
}

int
main(void)
{
	struct db	*db;
	char		 path[256];

	test_split();
	db = dbtest_open("test-migrate");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/shop", tmpdir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/platform", tmpdir);
	mkdir(path, 0700);

	test_platform(db);
	test_shop(db);
	test_all_shops(db);

	snprintf(path, sizeof(path), "rm -rf '%s'", tmpdir);
	if (system(path) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	db_close(db);
	migrate_free();
	config_free();
	return test_done();
}
