/*
 * account.h: platform accounts (merchants who own shops, operators),
 * their logins with lock-out, and their sessions.
 *
 * E-mail addresses are stored lower-cased (account_email_norm()), so
 * look-ups are exact. Passwords are argon2id hashes (core/crypto.h).
 *
 * Logins are throttled by platform/lockout.h (scope
 * LOCKOUT_SCOPE_PLATFORM): 5 failures for an e-mail within 15 minutes
 * lock it for 15 minutes, known or unknown alike.
 *
 * Passwords are 8 to 1024 characters (code points, not bytes) and at
 * most CRYPTO_PW_MAX_BYTES bytes.
 *
 * Sessions: the cookie value is 64 hex digits (32 random bytes); only
 * its SHA-256 is stored (souk_account_sessions.token_hash), with a CSRF
 * token and an expiry of config session_ttl seconds. Each new session
 * first deletes up to ACCOUNT_SESS_PURGE expired ones, so expired rows
 * cannot pile up (every expired row was once a new one).
 *
 * Functions return enum account_err: 0 (ACCOUNT_OK) or a code the web
 * layer maps to a message; ACCOUNT_EDB means the database failed (the
 * reason is in db_error()). Nothing here allocates except where noted.
 */
#ifndef SOUK_ACCOUNT_H
#define SOUK_ACCOUNT_H

#include <stdint.h>
#include "core/crypto.h"
#include "core/str.h"

struct db;

#define ACCOUNT_EMAIL_MAX	254
#define ACCOUNT_PW_MIN		8	/* characters */
#define ACCOUNT_PW_MAX		1024	/* characters */
#define ACCOUNT_TOKEN_HEX	64	/* cookie value length */
#define ACCOUNT_SESS_PURGE	8	/* expired rows deleted per new one */

enum account_err {
	ACCOUNT_OK = 0,
	ACCOUNT_EDB,		/* database error */
	ACCOUNT_EINVAL_EMAIL,	/* not an address we accept */
	ACCOUNT_EWEAK_PASSWORD,	/* fewer than 8 characters */
	ACCOUNT_EEXISTS,	/* e-mail already has an account */
	ACCOUNT_ENOTFOUND,	/* no such account / session */
	ACCOUNT_EBADLOGIN,	/* unknown e-mail or wrong password */
	ACCOUNT_ELOCKED,	/* too many failures; try later */
	ACCOUNT_ELONG_PASSWORD,	/* over 1024 characters or 4096 bytes */
};

struct account {
	int64_t	id;
	char	email[ACCOUNT_EMAIL_MAX + 1];
	char	pw_hash[CRYPTO_PW_HASHLEN];
};

struct account_session {
	int64_t	account_id;
	char	token[ACCOUNT_TOKEN_HEX + 1];	/* cookie value; only set
						 * by account_session_create */
	char	csrf[33];
};

/*
 * Validates and lower-cases the address in into out (at least
 * ACCOUNT_EMAIL_MAX + 1 bytes): local@domain, at most 254 bytes,
 * printable ASCII local part without spaces or quotes, a domain of
 * dot-separated LDH labels with at least one dot. Returns 0 or -1.
 */
int	account_email_norm(struct str in, char *out, size_t outlen);

/* ACCOUNT_OK, ACCOUNT_EWEAK_PASSWORD (under ACCOUNT_PW_MIN characters)
 * or ACCOUNT_ELONG_PASSWORD (over ACCOUNT_PW_MAX characters, or over
 * CRYPTO_PW_MAX_BYTES bytes). */
enum account_err account_password_check(struct str pw);

/* Creates an account; *id is its id. EINVAL_EMAIL, EWEAK_PASSWORD,
 * ELONG_PASSWORD, EEXISTS or EDB. For the operator (soukctl): its address counts as
 * verified (souk_accounts.email_verified_at). */
enum account_err account_create(struct db *db, struct str email,
		    struct str password, int64_t *id);

/*
 * Creates the account of a confirmed sign-up (platform/signup.h): the
 * address email (already normalised) was verified just now, pw_hash is
 * the argon2id hash made when the sign-up was sent. EEXISTS or EDB.
 */
enum account_err account_create_hashed(struct db *db, const char *email,
		    const char *pw_hash, int64_t *id);

/* Fills *out for the account with this id / e-mail (normalised here).
 * ENOTFOUND or EDB. */
enum account_err account_get(struct db *db, int64_t id, struct account *out);
enum account_err account_get_by_email(struct db *db, struct str email,
		    struct account *out);

/*
 * Checks a login (lockout_login()). ACCOUNT_OK and *id set; EBADLOGIN
 * (unknown e-mail or wrong password: the same answer, and the same
 * time, for both); ELOCKED (also for an unknown e-mail: no password
 * was checked); EDB.
 */
enum account_err account_login(struct db *db, struct str email,
		    struct str password, int64_t *id);

/* Replaces the password and clears the e-mail's lock-out
 * (EWEAK_PASSWORD, ELONG_PASSWORD, ENOTFOUND, EDB). */
enum account_err account_set_password(struct db *db, int64_t id,
		    struct str password);

/* Starts a session for account_id; out->token is the cookie value. */
enum account_err account_session_create(struct db *db, int64_t account_id,
		    struct account_session *out);

/* The live session of the cookie value token (ENOTFOUND when unknown,
 * malformed or expired). out->token is left empty. */
enum account_err account_session_get(struct db *db, struct str token,
		    struct account_session *out);

/* Ends the session of token (logout); no error when there is none. */
enum account_err account_session_delete(struct db *db, struct str token);

/* Removes every expired session (account_session_create() removes a
 * few each time; this is for a periodic job or soukctl). */
enum account_err account_session_purge(struct db *db);

/* OPERATOR_ADMIN or OPERATOR_SUPPORT (platform/operator.h) when the
 * account is an operator, 0 when not, -1 on error. */
int	account_is_operator(struct db *db, int64_t account_id);

/* English text of an error code, for logs and soukctl. */
const char	*account_strerror(enum account_err e);

#endif
