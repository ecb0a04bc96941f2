/* lockout.c: the login throttle of accounts and staff (see lockout.h). */
#include "core/common.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/lockout.h"

/* A lock must outlast the window, else a claim after the lock could
 * find the window still full and refuse longer than promised. */
_Static_assert(LOCKOUT_WINDOW <= LOCKOUT_SECS, "window longer than lock");

#define PURGE_ROWS	8	/* dead rows deleted per failed login */
#define CLAIM_TRIES	3	/* attempts of a claim that deadlocked */

enum {
	Q_CLAIM,
	Q_FAIL,
	Q_LOCK,
	Q_CLEAR,
	Q_PURGE,
	Q__MAX
};

/*
 * Q_CLAIM: a new row is the first try. On an existing row, with
 * locked := the lock runs, over := the window has ended:
 *   locked            nothing changes (0 rows): refused;
 *   over              restart: tries 1, failures 0, window from now;
 *   tries < limit     tries + 1;
 *   else              nothing changes: refused (tries in flight or
 *                     failed fill the window).
 * Every branch that grants a try changes the row, every other changes
 * nothing, so "affected rows > 0" is "granted". Each expression reads
 * only columns no earlier assignment of the statement has changed.
 */
static const char *const q[Q__MAX] = {
	[Q_CLAIM] = "INSERT INTO souk_login_throttles (scope, email_hash, "
	    "tries, failures, window_start) VALUES (?, ?, 1, 0, NOW()) "
	    "ON DUPLICATE KEY UPDATE "
	    "failures = IF(COALESCE(locked_until > NOW(), 0) = 0 AND "
	    "window_start <= NOW() - INTERVAL ? SECOND, 0, failures), "
	    "tries = IF(COALESCE(locked_until > NOW(), 0), tries, "
	    "IF(window_start <= NOW() - INTERVAL ? SECOND, 1, "
	    "IF(tries < ?, tries + 1, tries))), "
	    "window_start = IF(COALESCE(locked_until > NOW(), 0) = 0 AND "
	    "window_start <= NOW() - INTERVAL ? SECOND, NOW(), window_start)",
	[Q_FAIL] = "UPDATE souk_login_throttles SET failures = failures + 1 "
	    "WHERE scope = ? AND email_hash = ?",
	/* Apart from Q_FAIL so that its row count says a lock began. */
	[Q_LOCK] = "UPDATE souk_login_throttles "
	    "SET locked_until = NOW() + INTERVAL ? SECOND "
	    "WHERE scope = ? AND email_hash = ? AND failures >= ? "
	    "AND COALESCE(locked_until <= NOW(), 1)",
	[Q_CLEAR] = "DELETE FROM souk_login_throttles "
	    "WHERE scope = ? AND email_hash = ?",
	[Q_PURGE] = "DELETE FROM souk_login_throttles "
	    "WHERE window_start <= NOW() - INTERVAL ? SECOND "
	    "AND COALESCE(locked_until <= NOW(), 1) "
	    "ORDER BY window_start LIMIT ?",
};

struct key {
	int64_t		scope;
	unsigned char	hash[32];
	char		tag[9];		/* hash prefix, for logs */
};

/*
 * Trimmed and ASCII lower-cased, as account_email_norm() stores an
 * address, so "Owner@X.com " and "owner@x.com" share one count. Input
 * past KEY_MAX bytes (no address is longer than 254) shares the count
 * of its first KEY_MAX bytes: harmless, no account can have it.
 */
#define KEY_MAX	320

static void
key_init(struct key *k, int64_t scope, struct str email)
{
	char	buf[KEY_MAX];
	size_t	i;

	email = str_trim(email);
	if (email.len > sizeof(buf))
		email.len = sizeof(buf);
	for (i = 0; i < email.len; i++)
		buf[i] = email.p[i] >= 'A' && email.p[i] <= 'Z' ?
		    (char)(email.p[i] - 'A' + 'a') : email.p[i];
	crypto_sha256(k->hash, buf, email.len);
	k->scope = scope;
	crypto_hex(k->tag, k->hash, 4);
}

static void
bind_key(struct db_stmt *st, unsigned i, const struct key *k)
{
	db_bind_i64(st, i, k->scope);
	db_bind_blob(st, i + 1, k->hash, sizeof(k->hash));
}

/* 1 a try is granted, 0 none is left, -1 database error. */
static int
claim(struct db *db, const struct key *k)
{
	struct db_stmt	*st;
	int		 i;

	for (i = 0; i < CLAIM_TRIES; i++) {
		if ((st = db_prepare(db, q[Q_CLAIM], 0)) == NULL)
			return -1;
		bind_key(st, 0, k);
		db_bind_i64(st, 2, LOCKOUT_WINDOW);
		db_bind_i64(st, 3, LOCKOUT_WINDOW);
		db_bind_i64(st, 4, LOCKOUT_FAILURES);
		db_bind_i64(st, 5, LOCKOUT_WINDOW);
		if (db_exec(st, NULL) == 0)
			return db_affected(st) > 0;
		/* One statement, autocommitted: safe to run again. */
		if (db_errclass(db) != DB_EDEADLOCK)
			return -1;
	}
	return -1;
}

static int
clear(struct db *db, const struct key *k)
{
	struct db_stmt *st;

	if ((st = db_prepare(db, q[Q_CLEAR], 0)) == NULL)
		return -1;
	bind_key(st, 0, k);
	return db_exec(st, NULL);
}

/* Counts a failure, then deletes a few rows nobody needs any more. */
static int
fail(struct db *db, const struct key *k)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, q[Q_FAIL], 0)) == NULL)
		return -1;
	bind_key(st, 0, k);
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((st = db_prepare(db, q[Q_LOCK], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, LOCKOUT_SECS);
	bind_key(st, 1, k);
	db_bind_i64(st, 3, LOCKOUT_FAILURES);
	if (db_exec(st, NULL) == -1)
		return -1;
	if (db_affected(st) > 0)
		log_warn("login locked for %d minutes after %d failures: "
		    "%lld:%s", LOCKOUT_SECS / 60, LOCKOUT_FAILURES,
		    (long long)k->scope, k->tag);
	if ((st = db_prepare(db, q[Q_PURGE], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, LOCKOUT_WINDOW);
	db_bind_i64(st, 1, PURGE_ROWS);
	return db_exec(st, NULL);
}

enum lockout_result
lockout_login(struct db *db, int64_t scope, struct str email,
    struct str password, lockout_find_fn *find, void *arg)
{
	struct key	k;
	char		hash[CRYPTO_PW_HASHLEN];
	int		rc, ok = 0;

	key_init(&k, scope, email);
	if ((rc = claim(db, &k)) == -1)
		return LOCKOUT_EDB;
	if (rc == 0) {
		log_info("login refused: %lld:%s is locked", (long long)scope,
		    k.tag);
		return LOCKOUT_ELOCKED;
	}
	if ((rc = find(db, arg, hash)) == -1)
		return LOCKOUT_EDB;
	if (password.len > CRYPTO_PW_MAX_BYTES) {
		/* No account has such a password: a wrong one, at the
		 * cost of any other. */
		crypto_pw_dummy_verify(password.p, CRYPTO_PW_MAX_BYTES);
	} else if (rc == 1)
		ok = crypto_pw_verify(hash, password.p, password.len);
	else
		crypto_pw_dummy_verify(password.p, password.len);
	if (ok)
		return clear(db, &k) == -1 ? LOCKOUT_EDB : LOCKOUT_OK;
	if (fail(db, &k) == -1)
		return LOCKOUT_EDB;
	log_info("login failed: %lld:%s", (long long)scope, k.tag);
	return LOCKOUT_EBADLOGIN;
}

int
lockout_clear(struct db *db, int64_t scope, struct str email)
{
	struct key k;

	key_init(&k, scope, email);
	return clear(db, &k);
}

const char *
lockout_strerror(enum lockout_result r)
{
	switch (r) {
	case LOCKOUT_OK:
		return "ok";
	case LOCKOUT_EBADLOGIN:
		return "wrong e-mail or password";
	case LOCKOUT_ELOCKED:
		return "locked after too many failed logins";
	case LOCKOUT_EDB:
		return "database error";
	}
	return "unknown error";
}
