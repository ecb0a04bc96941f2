/*
 * opkey.h: operators' API keys for the tenant API (/api/v1/), sent as
 * "Authorization: Bearer souk_op_<64 hex digits>".
 *
 * A key is OPKEY_PREFIX and 32 random bytes in hex: 256 bits nobody
 * can guess, so it is stored as its plain SHA-256 (no salt, no key):
 * a keyed hash (HMAC with the server's key) would add nothing against
 * guessing that 2^256 does not, and would make every key depend on a
 * file the operator may rotate. The hash is looked up through a unique
 * index and compared again in constant time. The key itself is shown
 * once, when created, and never stored; its last OPKEY_LAST characters
 * are, so a list can tell keys apart.
 *
 * A key acts for the operator account that made it, and only while
 * that account is an operator (souk_operators): taking the rights away
 * ends its keys too. Revoked keys stay listed (revoked_at), never
 * accepted.
 */
#ifndef SOUK_OPKEY_H
#define SOUK_OPKEY_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/str.h"

struct db;

#define OPKEY_PREFIX		"souk_op_"
#define OPKEY_PREFIX_LEN	8
#define OPKEY_HEX		64
#define OPKEY_LEN		(OPKEY_PREFIX_LEN + OPKEY_HEX)
#define OPKEY_LAST		4
#define OPKEY_DESC_MAX		200	/* characters */

enum opkey_err {
	OPKEY_OK = 0,
	OPKEY_EDB,
	OPKEY_EINVALID,		/* unknown, malformed or revoked key */
	OPKEY_ENOT_OPERATOR,	/* (create) the account is no operator */
	OPKEY_EDESC,		/* description over 200 characters */
	OPKEY_ENOTFOUND,	/* (revoke) no such key */
};

struct opkey {
	int64_t	id;
	int64_t	account_id;
	char	last[OPKEY_LAST + 1];
	char	description[4 * OPKEY_DESC_MAX + 1];
	char	created_at[20];		/* "YYYY-MM-DD HH:MM:SS" UTC */
	char	last_used_at[20];	/* "" when never used */
	int	revoked;
};

/*
 * A new key for operator account_id: the key, shown once, into key
 * (OPKEY_LEN + 1 bytes) and its id into *id (may be NULL).
 * OPKEY_OK, ENOT_OPERATOR, EDESC, EDB.
 */
enum opkey_err opkey_create(struct db *db, int64_t account_id,
		    struct str description, char key[OPKEY_LEN + 1],
		    int64_t *id);

/*
 * The operator account of key (the Bearer token): OPKEY_OK and
 * *account_id, and the key's last use is noted; EINVALID for anything
 * not a live key of an operator; EDB.
 */
enum opkey_err opkey_check(struct db *db, struct str key,
		    int64_t *account_id);

/* Every key (all operators'), newest first, into *out (an array of *n
 * in a). OPKEY_OK or EDB. */
enum opkey_err opkey_list(struct db *db, struct arena *a, struct opkey **out,
		    size_t *n);

/* Revokes key id (no error when it was revoked already). ENOTFOUND,
 * EDB. */
enum opkey_err opkey_revoke(struct db *db, int64_t id);

/* English text of an error code, for logs and soukctl. */
const char	*opkey_strerror(enum opkey_err e);

#endif
