/*
 * lockout.h: the one login throttle, for platform accounts and for the
 * staff of every shop.
 *
 * Rule: LOCKOUT_FAILURES failed logins for one e-mail within
 * LOCKOUT_WINDOW seconds lock that e-mail for LOCKOUT_SECS seconds;
 * while locked even the right password is refused. Failures expire by
 * time: the window starts at the first try and restarts with the first
 * try after it ends. A successful login clears the count.
 *
 * The count lives in souk_login_throttles, one row per scope and
 * e-mail, keyed by the SHA-256 of the address trimmed and lower-cased,
 * never in the account's row: an unknown e-mail is counted and locked
 * exactly like a known one, so neither the status (401, then 429) nor
 * the time of an answer tells whether an account exists. The scope is
 * 0 for platform accounts, the shop's id for its staff.
 *
 * Race-free by construction: before any password is checked, one
 * statement claims a try (INSERT ... ON DUPLICATE KEY UPDATE, which
 * changes the row only when a try is left, and whose affected-row
 * count says so). InnoDB runs the claims on one row one at a time, so
 * however many logins arrive at once, at most LOCKOUT_FAILURES argon2
 * checks run per window; the others answer "locked" without hashing.
 * A try counts from its claim until it succeeds (the row is deleted)
 * or the window ends, so a worker that dies mid-check costs one try.
 * (This needs the connection's affected rows to count changed rows,
 * MariaDB's default: db.c sets no CLIENT_FOUND_ROWS.)
 *
 * The trade-off: the lock is per e-mail, not per client, so that a
 * guesser spread over many addresses gets 5 guesses per 15 minutes and
 * no more; the price is that anyone who knows an owner's e-mail can
 * keep that e-mail locked out of new logins, 5 POSTs every 15
 * minutes. Against one client nginx's limit_req on the login
 * locations (10 a minute per address in production) stays the first
 * line; sessions already open are not affected by a lock; each lock is
 * logged (log_warn, with scope and a hash prefix, never the address)
 * so an operator sees the attack. NEEDSWORK: a device cookie (a
 * browser that logged in before may still try while its e-mail is
 * locked, against a count of its own) would take that lever away.
 *
 * Rows whose window and lock are over are deleted a few at a time by
 * every failed login, so the table holds about the last window's
 * e-mails, however many an attacker sprays.
 */
#ifndef SOUK_LOCKOUT_H
#define SOUK_LOCKOUT_H

#include <stdint.h>
#include "core/crypto.h"
#include "core/str.h"

struct db;

#define LOCKOUT_FAILURES	5
#define LOCKOUT_WINDOW		(15 * 60)	/* seconds */
#define LOCKOUT_SECS		(15 * 60)	/* seconds */
#define LOCKOUT_SCOPE_PLATFORM	0		/* else a shop's id */

enum lockout_result {
	LOCKOUT_OK = 0,		/* the password matches */
	LOCKOUT_EBADLOGIN,	/* unknown e-mail or wrong password */
	LOCKOUT_ELOCKED,	/* no try left: nothing was checked */
	LOCKOUT_EDB,		/* database error (db_error()) */
};

/*
 * Looks up the password hash of the e-mail a login gave: copies it into
 * hash and returns 1, returns 0 when there is no such account (or the
 * address is not valid), -1 on a database error. The caller's arg
 * carries the e-mail and whatever it wants back (the id).
 */
typedef int lockout_find_fn(struct db *db, void *arg,
    char hash[CRYPTO_PW_HASHLEN]);

/*
 * The whole login check for email in scope, the same steps for known
 * and unknown e-mails: claims a try (LOCKOUT_ELOCKED when none is
 * left, without calling find or hashing), calls find, verifies the
 * password against the hash found or spends the same time on
 * crypto_pw_dummy_verify(), then clears the count (LOCKOUT_OK) or adds
 * a failure (LOCKOUT_EBADLOGIN), locking at the LOCKOUT_FAILURES-th.
 * A password over CRYPTO_PW_MAX_BYTES is a wrong one. LOCKOUT_EDB on a
 * database error (a deadlock on the claim is retried). Allocates
 * nothing.
 */
enum lockout_result lockout_login(struct db *db, int64_t scope,
		    struct str email, struct str password,
		    lockout_find_fn *find, void *arg);

/* Clears the count of email in scope (after a password change).
 * 0 or -1. */
int	lockout_clear(struct db *db, int64_t scope, struct str email);

/* English text of a result, for logs. */
const char	*lockout_strerror(enum lockout_result r);

#endif
