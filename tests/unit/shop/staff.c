/*
 * tests/unit/shop/staff.c: staff of a shop against the private MariaDB:
 * the owner made by provisioning, logins with the platform's lock-out
 * (5 failures, not 4; unknown e-mails alike; expiry by time; the shop
 * as scope), sessions (start, expiry, end, purge of expired ones), and
 * `soukctl migrate` bringing a shop of schema 1 to the newest.
 */
#include "core/common.h"
#include "core/arena.h"
#include "platform/lockout.h"
#include "platform/provision.h"
#include "shop/staff.h"
#include "dbtest.h"
#include "test.h"

static struct db	*db;
static struct arena	 a;
static char		 owner[96];

static int64_t
col(const char *sql, int64_t tenant, int64_t arg)
{
	struct db_stmt	*st = db_prepare(db, sql, tenant);
	int64_t		 v = -1;

	if (st == NULL)
		return -2;
	db_bind_i64(st, 0, arg);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

static void
run(const char *sql, int64_t tenant, int64_t arg)
{
	struct db_stmt *st = db_prepare(db, sql, tenant);

	TEST_CHECK(st != NULL);
	if (st == NULL)
		return;
	db_bind_i64(st, 0, arg);
	TEST_CHECK(db_exec(st, NULL) == 0);
}

static void
ddl(const char *sql, int64_t tenant)
{
	TEST_CHECK(db_exec_ddl(db, sql, tenant) == 0);
}

static void
test_owner(struct shop_ctx *c)
{
	struct staff s;

	/* provision_shop() made the owner through staff_create_owner(). */
	TEST_CHECK(staff_login(c, str_c(owner), STR("owner password"), &s) ==
	    SHOP_OK);
	TEST_CHECK(s.id > 0);
	TEST_CHECK(str_eqc(s.role, "owner"));
	TEST_CHECK(str_eqc(s.email, owner));
	/* Again: the same row, still the owner. */
	TEST_CHECK(staff_create_owner(c, owner, "$argon2id$x") == SHOP_OK);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}staff WHERE id > ?",
	    c->tenant, 0) == 1);
	TEST_CHECK(staff_login(c, str_c(owner), STR("owner password"), &s) ==
	    SHOP_OK);
}

static void
test_lockout(struct shop_ctx *c, struct shop_ctx *other)
{
	struct staff	s;
	char		unknown[96];
	int		i;

	/* The 4th failure does not lock (it did before); the 5th does. */
	for (i = 0; i < 4; i++)
		TEST_CHECK(staff_login(c, str_c(owner), STR("wrong"), &s) ==
		    SHOP_EDENIED);
	TEST_CHECK(staff_login(c, str_c(owner), STR("owner password"), &s) ==
	    SHOP_OK);
	for (i = 0; i < 5; i++)
		TEST_CHECK(staff_login(c, str_c(owner), STR("wrong"), &s) ==
		    SHOP_EDENIED && s.id == 0);
	TEST_CHECK(staff_login(c, str_c(owner), STR("owner password"), &s) ==
	    SHOP_ELOCKED && s.id == 0);
	/* The lock is this shop's: the other shop's staff login works,
	 * and so does the platform account of the same e-mail. */
	TEST_CHECK(staff_login(other, str_c(owner), STR("owner password"),
	    &s) == SHOP_OK);
	/* It ends after 15 minutes (moved back, not waited for). */
	run("UPDATE souk_login_throttles SET window_start = window_start - "
	    "INTERVAL 901 SECOND, locked_until = locked_until - INTERVAL 901 "
	    "SECOND WHERE scope = ?", 0, c->tenant);
	TEST_CHECK(staff_login(c, str_c(owner), STR("owner password"), &s) ==
	    SHOP_OK);

	/* Failures expire: 4, then the window passes, then 4 more. */
	for (i = 0; i < 4; i++)
		TEST_CHECK(staff_login(c, str_c(owner), STR("wrong"), &s) ==
		    SHOP_EDENIED);
	run("UPDATE souk_login_throttles SET window_start = window_start - "
	    "INTERVAL 901 SECOND WHERE scope = ?", 0, c->tenant);
	for (i = 0; i < 4; i++)
		TEST_CHECK(staff_login(c, str_c(owner), STR("wrong"), &s) ==
		    SHOP_EDENIED);
	TEST_CHECK(staff_login(c, str_c(owner), STR("owner password"), &s) ==
	    SHOP_OK);

	/* An unknown e-mail: the same answers, 429 after five. */
	snprintf(unknown, sizeof(unknown), "nobody-%s@staff.test",
	    dbtest_tag());
	for (i = 0; i < 5; i++)
		TEST_CHECK(staff_login(c, str_c(unknown), STR("owner password"),
		    &s) == SHOP_EDENIED);
	TEST_CHECK(staff_login(c, str_c(unknown), STR("owner password"), &s)
	    == SHOP_ELOCKED);
	/* Invalid and empty e-mails, over-long passwords: refused, no
	 * crash, no query with the raw text. */
	TEST_CHECK(staff_login(c, STR(""), STR("x"), &s) == SHOP_EDENIED);
	TEST_CHECK(staff_login(c, STR("a'; DROP TABLE x; --"), STR("x"), &s)
	    == SHOP_EDENIED);
	{
		static char big[CRYPTO_PW_MAX_BYTES + 10];

		memset(big, 'p', sizeof(big) - 1);
		TEST_CHECK(staff_login(c, str_c(owner), str_c(big), &s) ==
		    SHOP_EDENIED);
	}
	/* Upper case finds the same staff row (and count). */
	{
		char up[96];
		size_t i2;

		for (i2 = 0; owner[i2] != '\0'; i2++)
			up[i2] = (char)(owner[i2] >= 'a' && owner[i2] <= 'z' ?
			    owner[i2] - 32 : owner[i2]);
		up[i2] = '\0';
		TEST_CHECK(staff_login(c, str_c(up), STR("owner password"), &s)
		    == SHOP_OK);
	}
}

static void
test_sessions(struct shop_ctx *c)
{
	struct staff	 s, g;
	char		 tok[STAFF_TOKEN_HEX + 1], csrf[33];
	char		 tok2[STAFF_TOKEN_HEX + 1], csrf2[33];

	TEST_CHECK(staff_login(c, str_c(owner), STR("owner password"), &s) ==
	    SHOP_OK);
	TEST_CHECK(staff_session_new(c, s.id, 3600, tok, csrf) == SHOP_OK);
	TEST_CHECK(strlen(tok) == STAFF_TOKEN_HEX && strlen(csrf) == 32);
	TEST_CHECK(staff_session_get(c, str_c(tok), &g) == SHOP_OK);
	TEST_CHECK(g.id == s.id && str_eqc(g.role, "owner"));
	TEST_STREQ(g.csrf, csrf);
	/* Malformed tokens never reach the database. */
	TEST_CHECK(staff_session_get(c, STR("abc"), &g) == SHOP_ENOTFOUND);
	tok[0] = tok[0] == 'a' ? 'b' : 'a';
	TEST_CHECK(staff_session_get(c, str_c(tok), &g) == SHOP_ENOTFOUND);
	tok[0] = 'G';
	TEST_CHECK(staff_session_get(c, str_c(tok), &g) == SHOP_ENOTFOUND);

	/* Expiry: the session ends, and the next new one deletes it. */
	TEST_CHECK(staff_session_new(c, s.id, 3600, tok, csrf) == SHOP_OK);
	run("UPDATE {p}sessions SET expires_at = NOW() - INTERVAL 1 SECOND "
	    "WHERE staff_id = ?", c->tenant, s.id);
	TEST_CHECK(staff_session_get(c, str_c(tok), &g) == SHOP_ENOTFOUND);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}sessions WHERE staff_id = ?",
	    c->tenant, s.id) >= 2);
	TEST_CHECK(staff_session_new(c, s.id, 3600, tok2, csrf2) == SHOP_OK);
	TEST_CHECK(col("SELECT COUNT(*) FROM {p}sessions WHERE staff_id = ?",
	    c->tenant, s.id) == 1);
	TEST_CHECK(staff_session_get(c, str_c(tok2), &g) == SHOP_OK);
	/* A session's ttl is honoured. */
	TEST_CHECK(col("SELECT TIMESTAMPDIFF(SECOND, NOW(), expires_at) FROM "
	    "{p}sessions WHERE staff_id = ?", c->tenant, s.id) > 3500);

	/* Logout ends it; unknown and junk tokens are no error. */
	TEST_CHECK(staff_session_end(c, str_c(tok2)) == SHOP_OK);
	TEST_CHECK(staff_session_get(c, str_c(tok2), &g) == SHOP_ENOTFOUND);
	TEST_CHECK(staff_session_end(c, str_c(tok2)) == SHOP_OK);
	TEST_CHECK(staff_session_end(c, STR("junk")) == SHOP_OK);
}

/* A shop made before sql/shop/002 (schema 1: lock-out columns in the
 * staff row, no expiry key) is brought up by migrate_all_shops(), what
 * `soukctl migrate` runs. */
static void
test_migrate(struct shop_ctx *c)
{
	char	err[512];
	int	n = 0;

	ddl("ALTER TABLE {p}staff ADD COLUMN failed_logins INT NOT NULL "
	    "DEFAULT 0, ADD COLUMN first_failed_at DATETIME NULL, ADD COLUMN "
	    "locked_until DATETIME NULL", c->tenant);
	ddl("ALTER TABLE {p}sessions DROP KEY expires", c->tenant);
	run("UPDATE souk_tenants SET schema_version = 1 WHERE id = ?", 0,
	    c->tenant);
	TEST_CHECK(migrate_all_shops(db, config_get("sql_dir", "./sql"), &n,
	    err, sizeof(err)) == 0);
	TEST_CHECK(n >= 1);
	TEST_CHECK(col("SELECT schema_version FROM souk_tenants WHERE id = ?",
	    0, c->tenant) == migrate_shop_latest(config_get("sql_dir",
	    "./sql"), err, sizeof(err)));
	TEST_CHECK(col("SELECT COUNT(*) FROM information_schema.columns "
	    "WHERE table_schema = DATABASE() AND table_name = CONCAT('s', ?, "
	    "'_staff') AND column_name IN ('failed_logins', "
	    "'first_failed_at', 'locked_until')", 0, c->tenant) == 0);
	TEST_CHECK(col("SELECT COUNT(*) FROM information_schema.statistics "
	    "WHERE table_schema = DATABASE() AND table_name = CONCAT('s', ?, "
	    "'_sessions') AND index_name = 'expires'", 0, c->tenant) == 1);
}

int
main(void)
{
	struct shop_ctx	c, other;
	int64_t		id, id2;

	db = dbtest_open("test-staff");
	arena_init(&a);
	snprintf(owner, sizeof(owner), "owner-%s@staff.test", dbtest_tag());
	id = dbtest_shop(db, "staff", owner, "owner password", NULL, NULL);
	id2 = dbtest_shop(db, "staff2", owner, "owner password", NULL, NULL);
	TEST_CHECK(id > 0 && id2 > 0);
	if (id <= 0 || id2 <= 0)
		return test_done();
	memset(&c, 0, sizeof(c));
	c.db = db;
	c.a = &a;
	c.tenant = id;
	c.locale = c.default_locale = "en";
	c.currency = "EUR";
	other = c;
	other.tenant = id2;

	test_owner(&c);
	test_lockout(&c, &other);
	test_sessions(&c);
	test_migrate(&c);

	arena_free(&a);
	db_close(db);
	migrate_free();
	config_free();
	return test_done();
}
