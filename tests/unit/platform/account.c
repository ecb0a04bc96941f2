/*
 * tests/unit/platform/account.c: accounts, lock-out, sessions and
 * operators against the private MariaDB.
 */
#include "core/common.h"
#include "platform/account.h"
#include "platform/operator.h"
#include "test.h"
#include "dbtest.h"

static struct db	*db;

static int
norm_ok(const char *in, const char *want)
{
	char out[ACCOUNT_EMAIL_MAX + 1];

	if (account_email_norm(str_c(in), out, sizeof(out)) == -1)
		return want == NULL;
	return want != NULL && strcmp(out, want) == 0;
}

static int
pw_check(char c, const char *unit, size_t n)
{
	char	buf[CRYPTO_PW_MAX_BYTES + 16];
	size_t	i, k = strlen(unit), len = 0;

	for (i = 0; i < n && len + k < sizeof(buf); i++, len += k)
		memcpy(buf + len, unit, k);
	if (c != 0)
		buf[len++] = c;
	return account_password_check((struct str){ buf, len });
}

/* Characters, not bytes (defect 13): a key emoji is 4 bytes, one
 * character; too long says so, not "too short". */
static void
test_password_length(void)
{
	const char *key = "\xf0\x9f\x94\x91";	/* U+1F511 */

	TEST_CHECK(account_password_check(STR("\xf0\x9f\x94\x91"
	    "\xf0\x9f\x94\x91")) == ACCOUNT_EWEAK_PASSWORD);
	TEST_CHECK(pw_check(0, key, 7) == ACCOUNT_EWEAK_PASSWORD);
	TEST_CHECK(pw_check(0, key, 8) == ACCOUNT_OK);
	TEST_CHECK(pw_check(0, "\xe8\x8c\xb6", 8) == ACCOUNT_OK);	/* 茶 */
	TEST_CHECK(pw_check(0, "\xc3\xa9", 7) == ACCOUNT_EWEAK_PASSWORD);
	TEST_CHECK(pw_check(0, "a", 1024) == ACCOUNT_OK);
	TEST_CHECK(pw_check(0, "a", 1025) == ACCOUNT_ELONG_PASSWORD);
	/* 1024 characters of 4 bytes are 4096 bytes: allowed. */
	TEST_CHECK(pw_check(0, key, 1024) == ACCOUNT_OK);
	TEST_CHECK(pw_check(0, key, 1025) == ACCOUNT_ELONG_PASSWORD);
	TEST_CHECK(pw_check('x', key, 1024) == ACCOUNT_ELONG_PASSWORD);
	/* Only bytes that are not UTF-8 can pass 4096 bytes within 1024
	 * characters: the byte bound of argon2's input holds them. */
	TEST_CHECK(pw_check(0, "\x80", 4096) == ACCOUNT_EWEAK_PASSWORD);
	TEST_CHECK(pw_check(0, "\x80", 4097) == ACCOUNT_ELONG_PASSWORD);
	TEST_STREQ(account_strerror(ACCOUNT_ELONG_PASSWORD),
	    "password must have at most 1024 characters");
}

static void
test_email(void)
{
	char long_local[80], long_addr[300];

	TEST_CHECK(norm_ok("a@b.c", "a@b.c"));
	TEST_CHECK(norm_ok("Jane.Doe+shop@Example.COM", "jane.doe+shop@example.com"));
	TEST_CHECK(norm_ok("  x@y.org ", "x@y.org"));
	TEST_CHECK(norm_ok("o'neil@mail.example.ie", "o'neil@mail.example.ie"));
	TEST_CHECK(norm_ok("a@b", NULL));
	TEST_CHECK(norm_ok("@b.c", NULL));
	TEST_CHECK(norm_ok("a@", NULL));
	TEST_CHECK(norm_ok("a@@b.c", NULL));
	TEST_CHECK(norm_ok("a@b@c.d", NULL));
	TEST_CHECK(norm_ok("a b@c.d", NULL));
	TEST_CHECK(norm_ok("a\"b@c.d", NULL));
	TEST_CHECK(norm_ok(".a@c.d", NULL));
	TEST_CHECK(norm_ok("a.@c.d", NULL));
	TEST_CHECK(norm_ok("a..b@c.d", NULL));
	TEST_CHECK(norm_ok("a@c..d", NULL));
	TEST_CHECK(norm_ok("a@-c.d", NULL));
	TEST_CHECK(norm_ok("a@c-.d", NULL));
	TEST_CHECK(norm_ok("a@c_d.e", NULL));
	TEST_CHECK(norm_ok("a@c.d.", NULL));
	TEST_CHECK(norm_ok("a\n@c.d", NULL));
	TEST_CHECK(norm_ok("\xc3\xa9@c.d", NULL));
	memset(long_local, 'a', 65);
	snprintf(long_local + 65, sizeof(long_local) - 65, "@b.cd");
	TEST_CHECK(norm_ok(long_local, NULL));
	memset(long_addr, 'b', 260);
	memcpy(long_addr, "a@", 2);
	snprintf(long_addr + 250, sizeof(long_addr) - 250, ".com");
	TEST_CHECK(norm_ok(long_addr, NULL));	/* 254 bytes: label > 63 */

	TEST_CHECK(account_password_check(STR("1234567")) ==
	    ACCOUNT_EWEAK_PASSWORD);
	TEST_CHECK(account_password_check(STR("12345678")) == ACCOUNT_OK);
	test_password_length();
}

static int64_t
col(const char *sql, int64_t id)
{
	struct db_stmt	*st = db_prepare(db, sql, 0);
	int64_t		 v = -1;

	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, id);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

static void
test_accounts(void)
{
	struct account	 acct;
	char		 email[80], upper[80];
	int64_t		 id = 0, id2 = 0, got = 0;
	int		 i;

	snprintf(email, sizeof(email), "owner-%s@example.com", dbtest_tag());
	snprintf(upper, sizeof(upper), "OWNER-%s@Example.Com", dbtest_tag());

	TEST_CHECK(account_create(db, STR("bad"), STR("password1"), &id) ==
	    ACCOUNT_EINVAL_EMAIL);
	TEST_CHECK(account_create(db, str_c(email), STR("short"), &id) ==
	    ACCOUNT_EWEAK_PASSWORD);
	TEST_CHECK(account_create(db, str_c(upper), STR("password1"), &id) ==
	    ACCOUNT_OK);
	TEST_CHECK(id > 0);
	TEST_CHECK(account_create(db, str_c(email), STR("password2"), &id2) ==
	    ACCOUNT_EEXISTS);
	TEST_CHECK(account_get(db, id, &acct) == ACCOUNT_OK);
	TEST_STREQ(acct.email, email);
	TEST_CHECK(strncmp(acct.pw_hash, "$argon2id$", 10) == 0);
	TEST_CHECK(account_get_by_email(db, str_c(upper), &acct) ==
	    ACCOUNT_OK && acct.id == id);
	TEST_CHECK(account_get(db, 999999999, &acct) == ACCOUNT_ENOTFOUND);

	/* Login; unknown and wrong look the same. */
	TEST_CHECK(account_login(db, str_c(upper), STR("password1"), &got) ==
	    ACCOUNT_OK && got == id);
	TEST_CHECK(account_login(db, STR("nobody@example.com"),
	    STR("password1"), &got) == ACCOUNT_EBADLOGIN);
	TEST_CHECK(account_login(db, STR("not an address"), STR("password1"),
	    &got) == ACCOUNT_EBADLOGIN);

	TEST_CHECK(account_set_password(db, id, STR("new password")) ==
	    ACCOUNT_OK);
	TEST_CHECK(account_login(db, str_c(email), STR("password1"), &got) ==
	    ACCOUNT_EBADLOGIN);
	TEST_CHECK(account_login(db, str_c(email), STR("new password"), &got)
	    == ACCOUNT_OK);
	TEST_CHECK(account_set_password(db, 999999999, STR("new password")) ==
	    ACCOUNT_ENOTFOUND);
	TEST_CHECK(account_set_password(db, id, STR("short")) ==
	    ACCOUNT_EWEAK_PASSWORD);

	/* Five failures lock the e-mail, even the right password; a new
	 * password ends the lock. */
	for (i = 0; i < 5; i++)
		TEST_CHECK(account_login(db, str_c(email), STR("wrong-pw"),
		    &got) == ACCOUNT_EBADLOGIN);
	TEST_CHECK(account_login(db, str_c(upper), STR("new password"),
	    &got) == ACCOUNT_ELOCKED);
	TEST_CHECK(account_set_password(db, id, STR("newer password")) ==
	    ACCOUNT_OK);
	TEST_CHECK(account_login(db, str_c(email), STR("newer password"),
	    &got) == ACCOUNT_OK && got == id);

	/* An unknown e-mail answers the same: 401 five times, then 429. */
	snprintf(email, sizeof(email), "unknown-%s@example.com",
	    dbtest_tag());
	for (i = 0; i < 5; i++)
		TEST_CHECK(account_login(db, str_c(email), STR("password1"),
		    &got) == ACCOUNT_EBADLOGIN);
	TEST_CHECK(account_login(db, str_c(email), STR("password1"), &got) ==
	    ACCOUNT_ELOCKED);
	/* The counts live apart from the account row. */
	TEST_CHECK(col("SELECT COUNT(*) FROM information_schema.columns "
	    "WHERE table_schema = DATABASE() AND table_name = "
	    "'souk_accounts' AND column_name = 'failed_logins' AND ? > 0",
	    1) == 0);
}

static void
test_sessions(void)
{
	struct account_session	 s, s2, g;
	struct db_stmt		*st;
	char			 email[80], bad[65];
	int64_t			 id = 0;

	snprintf(email, sizeof(email), "sess-%s@example.com", dbtest_tag());
	TEST_CHECK(account_create(db, str_c(email), STR("password1"), &id) ==
	    ACCOUNT_OK);
	TEST_CHECK(account_session_create(db, id, &s) == ACCOUNT_OK);
	TEST_CHECK(strlen(s.token) == 64 && strlen(s.csrf) == 32);
	TEST_CHECK(account_session_get(db, str_c(s.token), &g) == ACCOUNT_OK);
	TEST_CHECK(g.account_id == id);
	TEST_STREQ(g.csrf, s.csrf);
	TEST_CHECK(g.token[0] == '\0');

	/* Only the hash is stored. */
	st = db_prepare(db, "SELECT COUNT(*) FROM souk_account_sessions "
	    "WHERE token_hash = UNHEX(SHA2(?, 256)) AND account_id = ?", 0);
	db_bind_cstr(st, 0, s.token);
	db_bind_i64(st, 1, id);
	TEST_CHECK(db_exec(st, NULL) == 0 && db_step(st) == 1 &&
	    db_col_i64(st, 0) == 1);
	db_done(st);
	st = db_prepare(db, "SELECT COUNT(*) FROM souk_account_sessions "
	    "WHERE token_hash = ? OR HEX(token_hash) = ?", 0);
	db_bind_cstr(st, 0, s.token);
	db_bind_cstr(st, 1, s.token);
	TEST_CHECK(db_exec(st, NULL) == 0 && db_step(st) == 1 &&
	    db_col_i64(st, 0) == 0);
	db_done(st);

	/* Wrong, malformed, upper-case tokens: none. */
	memcpy(bad, s.token, 65);
	bad[10] = bad[10] == 'a' ? 'b' : 'a';
	TEST_CHECK(account_session_get(db, str_c(bad), &g) ==
	    ACCOUNT_ENOTFOUND);
	TEST_CHECK(account_session_get(db, STR("abc"), &g) ==
	    ACCOUNT_ENOTFOUND);
	TEST_CHECK(account_session_get(db, STR(""), &g) == ACCOUNT_ENOTFOUND);
	memcpy(bad, s.token, 65);
	bad[0] = 'G';
	TEST_CHECK(account_session_get(db, str_c(bad), &g) ==
	    ACCOUNT_ENOTFOUND);

	/* Expired: none; a new session deletes it (the oldest expired go
	 * first: this one is older than any other run's). */
	st = db_prepare(db, "UPDATE souk_account_sessions SET expires_at = "
	    "NOW() - INTERVAL 10 YEAR WHERE account_id = ?", 0);
	db_bind_i64(st, 0, id);
	TEST_CHECK(db_exec(st, NULL) == 0 && db_affected(st) == 1);
	TEST_CHECK(account_session_get(db, str_c(s.token), &g) ==
	    ACCOUNT_ENOTFOUND);
	TEST_CHECK(col("SELECT COUNT(*) FROM souk_account_sessions WHERE "
	    "account_id = ?", id) == 1);
	TEST_CHECK(account_session_create(db, id, &s2) == ACCOUNT_OK);
	TEST_CHECK(col("SELECT COUNT(*) FROM souk_account_sessions WHERE "
	    "account_id = ?", id) == 1);
	TEST_CHECK(account_session_get(db, str_c(s2.token), &g) ==
	    ACCOUNT_OK);
	/* And the periodic purge takes them all. */
	st = db_prepare(db, "UPDATE souk_account_sessions SET expires_at = "
	    "NOW() - INTERVAL 1 SECOND WHERE account_id = ?", 0);
	db_bind_i64(st, 0, id);
	TEST_CHECK(db_exec(st, NULL) == 0 && db_affected(st) == 1);
	TEST_CHECK(account_session_purge(db) == ACCOUNT_OK);
	TEST_CHECK(col("SELECT COUNT(*) FROM souk_account_sessions WHERE "
	    "account_id = ?", id) == 0);

	/* Logout. */
	TEST_CHECK(account_session_create(db, id, &s) == ACCOUNT_OK);
	TEST_CHECK(account_session_get(db, str_c(s.token), &g) == ACCOUNT_OK);
	TEST_CHECK(account_session_delete(db, str_c(s.token)) == ACCOUNT_OK);
	TEST_CHECK(account_session_get(db, str_c(s.token), &g) ==
	    ACCOUNT_ENOTFOUND);
	TEST_CHECK(account_session_delete(db, STR("junk")) == ACCOUNT_OK);
}

static void
test_operators(void)
{
	char	email[80], other[80];
	int64_t	id = 0, id2 = 0, op = 0;

	snprintf(email, sizeof(email), "op-%s@example.com", dbtest_tag());
	snprintf(other, sizeof(other), "op2-%s@example.com", dbtest_tag());
	TEST_CHECK(account_create(db, str_c(email), STR("password1"), &id) ==
	    ACCOUNT_OK);
	TEST_CHECK(account_is_operator(db, id) == 0);
	TEST_CHECK(operator_add(db, str_c(email), STR(""), &op) ==
	    ACCOUNT_OK);
	TEST_CHECK(op == id);
	TEST_CHECK(account_is_operator(db, id) == 1);
	TEST_CHECK(operator_add(db, str_c(email), STR(""), &op) ==
	    ACCOUNT_OK);
	/* A new address needs a password. */
	TEST_CHECK(operator_add(db, str_c(other), STR(""), &id2) ==
	    ACCOUNT_EWEAK_PASSWORD);
	TEST_CHECK(operator_add(db, str_c(other), STR("password1"), &id2) ==
	    ACCOUNT_OK);
	TEST_CHECK(id2 > 0 && id2 != id);
	TEST_CHECK(account_is_operator(db, id2) == 1);
	TEST_CHECK(operator_remove(db, id2) == ACCOUNT_OK);
	TEST_CHECK(account_is_operator(db, id2) == 0);
}

int
main(void)
{
	test_email();
	db = dbtest_open("test-account");
	test_accounts();
	test_sessions();
	test_operators();
	db_close(db);
	migrate_free();
	config_free();
	return test_done();
}
