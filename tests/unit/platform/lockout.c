/*
 * tests/unit/platform/lockout.c: the one login throttle against the
 * private MariaDB: 5 failures lock for 15 minutes, known and unknown
 * e-mails alike; failures expire; a success clears; 16 logins at once
 * get at most 5 password checks; dead rows are purged. The window is
 * tested by moving the stored times back, not by waiting.
 */
#include "core/common.h"
#include "platform/lockout.h"
#include "test.h"
#include "dbtest.h"

#include <sys/wait.h>
#include <time.h>

#define SCOPE	987654321	/* no shop has this id in the test run */

static struct db	*db;
static char		 known[80];	/* the one e-mail with an account */
static char		 pw_hash[CRYPTO_PW_HASHLEN];
static int		 finds;		/* calls of find(): password checks */

/* lockout_find_fn: one account, known[], password "right password". */
static int
find(struct db *d, void *arg, char hash[CRYPTO_PW_HASHLEN])
{
	const char *email = arg;

	finds++;
	if (strcmp(email, known) != 0)
		return 0;
	memcpy(hash, pw_hash, sizeof(pw_hash));
	return 1;
}

static enum lockout_result
login(const char *email, const char *pw)
{
	return lockout_login(db, SCOPE, str_c(email), str_c(pw), find,
	    (void *)email);
}

/* A column of the throttle row of email (lower-case) in SCOPE, -1 when
 * there is none. */
static int64_t
row(const char *expr, const char *email)
{
	char		 sql[256];
	struct db_stmt	*st;
	int64_t		 v = -1;

	snprintf(sql, sizeof(sql), "SELECT %s FROM souk_login_throttles "
	    "WHERE scope = ? AND email_hash = UNHEX(SHA2(?, 256))", expr);
	if ((st = db_prepare(db, sql, 0)) == NULL)
		return -2;
	db_bind_i64(st, 0, SCOPE);
	db_bind_cstr(st, 1, email);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

/* Moves the window (and lock) of email back by secs: time passes. */
static void
age(const char *email, int secs)
{
	struct db_stmt *st = db_prepare(db, "UPDATE souk_login_throttles SET "
	    "window_start = window_start - INTERVAL ? SECOND, "
	    "locked_until = locked_until - INTERVAL ? SECOND "
	    "WHERE scope = ? AND email_hash = UNHEX(SHA2(?, 256))", 0);

	TEST_CHECK(st != NULL);
	if (st == NULL)
		return;
	db_bind_i64(st, 0, secs);
	db_bind_i64(st, 1, secs);
	db_bind_i64(st, 2, SCOPE);
	db_bind_cstr(st, 3, email);
	TEST_CHECK(db_exec(st, NULL) == 0 && db_affected(st) == 1);
}

static double
ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
test_known(void)
{
	int i;

	/* A success clears the count. */
	for (i = 0; i < 3; i++)
		TEST_CHECK(login(known, "wrong") == LOCKOUT_EBADLOGIN);
	TEST_CHECK(row("failures", known) == 3);
	TEST_CHECK(login(known, "right password") == LOCKOUT_OK);
	TEST_CHECK(row("COUNT(*)", known) == 0);

	/* Failures older than the window do not count. */
	for (i = 0; i < 4; i++)
		TEST_CHECK(login(known, "wrong") == LOCKOUT_EBADLOGIN);
	age(known, LOCKOUT_WINDOW + 1);
	TEST_CHECK(login(known, "wrong") == LOCKOUT_EBADLOGIN);
	TEST_CHECK(row("failures", known) == 1);
	TEST_CHECK(row("tries", known) == 1);
	TEST_CHECK(login(known, "right password") == LOCKOUT_OK);

	/* Exactly the 5th failure locks (not the 4th), even the right
	 * password, and no password is checked while locked. */
	for (i = 0; i < 4; i++)
		TEST_CHECK(login(known, "wrong") == LOCKOUT_EBADLOGIN);
	TEST_CHECK(row("locked_until IS NULL", known) == 1);
	TEST_CHECK(login(known, "wrong") == LOCKOUT_EBADLOGIN);
	finds = 0;
	TEST_CHECK(login(known, "right password") == LOCKOUT_ELOCKED);
	TEST_CHECK(login(known, "wrong") == LOCKOUT_ELOCKED);
	TEST_CHECK(finds == 0);
	TEST_CHECK(row("tries", known) == 5);
	/* Case and blanks do not make another count. */
	{
		char	up[84];
		size_t	k;

		up[0] = ' ';
		for (k = 0; known[k] != '\0'; k++)
			up[k + 1] = (char)(known[k] >= 'a' &&
			    known[k] <= 'z' ? known[k] - 32 : known[k]);
		up[k + 1] = '\t';
		up[k + 2] = '\0';
		TEST_CHECK(login(up, "right password") == LOCKOUT_ELOCKED);
	}
	/* Locked for 15 minutes from the 5th failure. */
	TEST_CHECK(row("TIMESTAMPDIFF(SECOND, NOW(), locked_until)", known) >
	    LOCKOUT_SECS - 60);
	/* Still locked after 14 minutes, though the window began
	 * earlier; free after 15. */
	age(known, LOCKOUT_SECS - 60);
	TEST_CHECK(login(known, "right password") == LOCKOUT_ELOCKED);
	age(known, 61);
	TEST_CHECK(login(known, "right password") == LOCKOUT_OK);
	TEST_CHECK(row("COUNT(*)", known) == 0);

	/* A password over the byte bound is a wrong one, and counts. */
	{
		static char big[CRYPTO_PW_MAX_BYTES + 2];

		memset(big, 'a', sizeof(big) - 1);
		TEST_CHECK(login(known, big) == LOCKOUT_EBADLOGIN);
		TEST_CHECK(row("failures", known) == 1);
		TEST_CHECK(lockout_clear(db, SCOPE, str_c(known)) == 0);
		TEST_CHECK(row("COUNT(*)", known) == 0);
	}
}

/* An unknown e-mail answers as a known one: 401 five times, then 429
 * (the account oracle of defect 12), and never calls find() then. */
static void
test_unknown(void)
{
	char	email[80];
	double	t0, locked = 1e9, wrong = 1e9, t;
	int	i;

	snprintf(email, sizeof(email), "nobody-%s@example.com", dbtest_tag());
	for (i = 0; i < 5; i++) {
		t0 = ms();
		TEST_CHECK(login(email, "whatever") == LOCKOUT_EBADLOGIN);
		t = ms() - t0;
		wrong = t < wrong ? t : wrong;
	}
	finds = 0;
	for (i = 0; i < 3; i++) {
		t0 = ms();
		TEST_CHECK(login(email, "whatever") == LOCKOUT_ELOCKED);
		t = ms() - t0;
		locked = t < locked ? t : locked;
	}
	TEST_CHECK(finds == 0);
	/* Min of several: load only adds time. A locked answer runs no
	 * argon2; a wrong password (unknown e-mail: the dummy) does. */
	printf("unknown e-mail: wrong %.1f ms, locked %.1f ms\n", wrong,
	    locked);
	TEST_CHECK(locked < wrong / 4);
	/* Not a valid address at all: counted the same. */
	for (i = 0; i < 5; i++)
		TEST_CHECK(login("not an address", "x") == LOCKOUT_EBADLOGIN);
	TEST_CHECK(login("NOT AN ADDRESS", "x") == LOCKOUT_ELOCKED);
	/* Another scope is another count. */
	TEST_CHECK(lockout_login(db, SCOPE + 1, str_c(email), STR("x"), find,
	    email) == LOCKOUT_EBADLOGIN);
}

/*
 * 16 logins with a wrong password at once, each process with its own
 * connection: at most 5 get a password check (find() called), the
 * others are refused without one. Before, 7 of 16 were checked.
 */
static void
test_parallel(void)
{
	char	email[80];
	pid_t	pids[16];
	int	i, st, checked = 0, locked = 0, other = 0;

	snprintf(email, sizeof(email), "burst-%s@example.com", dbtest_tag());
	for (i = 0; i < 16; i++) {
		if ((pids[i] = fork()) == -1) {
			TEST_CHECK(!"fork");
			return;
		}
		if (pids[i] == 0) {
			/* The parent's connection is not ours: leave it. */
			enum lockout_result r;

			db = db_open();
			finds = 0;
			r = login(email, "wrong");
			_exit(r == LOCKOUT_EBADLOGIN && finds == 1 ? 10 :
			    r == LOCKOUT_ELOCKED && finds == 0 ? 11 : 12);
		}
	}
	for (i = 0; i < 16; i++) {
		if (waitpid(pids[i], &st, 0) == -1 || !WIFEXITED(st)) {
			other++;
			continue;
		}
		if (WEXITSTATUS(st) == 10)
			checked++;
		else if (WEXITSTATUS(st) == 11)
			locked++;
		else
			other++;
	}
	printf("16 at once: %d checked, %d locked, %d other\n", checked,
	    locked, other);
	TEST_CHECK(checked == LOCKOUT_FAILURES);
	TEST_CHECK(locked == 16 - LOCKOUT_FAILURES);
	TEST_CHECK(other == 0);
	TEST_CHECK(row("tries", email) == LOCKOUT_FAILURES);
	TEST_CHECK(row("failures", email) == LOCKOUT_FAILURES);
	TEST_CHECK(row("locked_until > NOW()", email) == 1);
}

/* Rows whose window and lock are over go, the oldest first, a few
 * per failed login; live ones stay. */
static void
test_purge(void)
{
	char	dead[80], live[80];

	snprintf(dead, sizeof(dead), "dead-%s@example.com", dbtest_tag());
	snprintf(live, sizeof(live), "live-%s@example.com", dbtest_tag());
	TEST_CHECK(login(dead, "x") == LOCKOUT_EBADLOGIN);
	TEST_CHECK(login(live, "x") == LOCKOUT_EBADLOGIN);
	age(dead, 10 * 366 * 86400);	/* older than any other run's */
	TEST_CHECK(row("COUNT(*)", dead) == 1);
	TEST_CHECK(login(live, "x") == LOCKOUT_EBADLOGIN);
	TEST_CHECK(row("COUNT(*)", dead) == 0);
	TEST_CHECK(row("failures", live) == 2);
}

int
main(void)
{
	db = dbtest_open("test-lockout");
	snprintf(known, sizeof(known), "known-%s@example.com", dbtest_tag());
	crypto_pw_hash(pw_hash, "right password", 14);
	test_known();
	test_unknown();
	test_parallel();
	test_purge();
	TEST_STREQ(lockout_strerror(LOCKOUT_ELOCKED),
	    "locked after too many failed logins");
	db_close(db);
	migrate_free();
	config_free();
	return test_done();
}
