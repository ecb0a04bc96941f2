/*
 * apitoken.h: the tokens platform accounts use on the tenant API
 * (/api/v1/, web/tenant_api.c): a short-lived access token (a JWT) and
 * a refresh token.
 *
 * The access token is a JWT signed with HS256 through libjwt, claims
 * sub (the account id, a decimal string), iat, exp (iat +
 * APITOKEN_ACCESS_TTL) and jti (16 random bytes in hex); its header's
 * kid names the server key it was signed under. HS256 rather than
 * EdDSA: souk both signs and checks, so a shared key is enough, and
 * libjwt 1.10 (Debian 12) has no EdDSA. The signing key is derived from
 * the server's secret key (core/secret.h, secret_derive() with the
 * label "souk jwt v1"): no second key file to create, back up and keep
 * out of the repository. Rotating the server's key (core/secret.h)
 * ends every access token at once; clients refresh (refresh tokens are
 * stored hashed in the database and survive it).
 *
 * A token is accepted only with alg HS256 (a forged "none" or RS256
 * header is refused before its signature matters), a valid signature,
 * exp in the future, and iat not before the account's
 * tokens_not_before (what a revocation sets).
 *
 * The refresh token is 32 random bytes in hex (APITOKEN_REFRESH_HEX
 * digits); only its SHA-256 is stored (souk_refresh_tokens), with an
 * expiry of APITOKEN_REFRESH_TTL. It is used once: the DELETE that
 * consumes it decides (its affected rows), so two refreshes racing
 * with the same token get one new pair between them.
 *
 * Functions return enum apitoken_err; APITOKEN_EDB: db_error() says
 * why. Nothing here allocates beyond what is noted.
 */
#ifndef SOUK_APITOKEN_H
#define SOUK_APITOKEN_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"

struct db;

#define APITOKEN_ACCESS_TTL	(15 * 60)		/* seconds */
#define APITOKEN_REFRESH_TTL	(30 * 24 * 3600)	/* seconds */
#define APITOKEN_REFRESH_HEX	64
#define APITOKEN_ACCESS_MAX	1024	/* longest access token looked at */

enum apitoken_err {
	APITOKEN_OK = 0,
	APITOKEN_EDB,
	APITOKEN_EKEY,		/* no server key: tokens cannot be made */
	APITOKEN_EINVALID,	/* malformed, forged, expired or revoked */
};

/* A new pair: the access token (NUL-terminated) and the refresh one. */
struct apitoken_pair {
	char	access[APITOKEN_ACCESS_MAX];
	char	refresh[APITOKEN_REFRESH_HEX + 1];
};

/*
 * Issues a pair to account_id at Unix time now (the clock is the
 * caller's: the unit tests pass an old one for an expired token).
 * APITOKEN_OK, EKEY, EDB.
 */
enum apitoken_err apitoken_issue(struct db *db, int64_t account_id,
		    int64_t now, struct apitoken_pair *out);

/*
 * Checks the access token tok at time now; on APITOKEN_OK *account_id
 * is its account. EINVALID for anything not accepted (see above), EKEY,
 * EDB.
 */
enum apitoken_err apitoken_verify(struct db *db, struct str tok, int64_t now,
		    int64_t *account_id);

/*
 * Uses the refresh token tok once: a new pair in *out and its account
 * in *account_id. EINVALID (unknown, malformed, used or expired),
 * EKEY, EDB.
 */
enum apitoken_err apitoken_refresh(struct db *db, struct str tok,
		    int64_t now, int64_t *account_id,
		    struct apitoken_pair *out);

/*
 * Ends every token of account_id: its refresh tokens are deleted and
 * access tokens issued up to now are refused. EDB.
 */
enum apitoken_err apitoken_revoke(struct db *db, int64_t account_id,
		    int64_t now);

/* The account of the live refresh token tok at now (EINVALID when
 * none), for a revocation sent with a refresh token only. */
enum apitoken_err apitoken_refresh_owner(struct db *db, struct str tok,
		    int64_t now, int64_t *account_id);

#endif
