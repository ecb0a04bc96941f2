/* apitoken.c: JWTs and refresh tokens of the tenant API (apitoken.h). */
#include "core/common.h"

#include <jwt.h>
#include <sodium.h>

#include "core/crypto.h"
#include "core/log.h"
#include "core/secret.h"
#include "db/db.h"
#include "platform/apitoken.h"

#define JWT_LABEL	"souk jwt v1"

enum {
	Q_INSERT,
	Q_CONSUME,
	Q_OWNER,
	Q_NOT_BEFORE,
	Q_SET_NOT_BEFORE,
	Q_DELETE_ALL,
	Q_PURGE,
	Q__MAX
};

static const char *const q[Q__MAX] = {
	[Q_INSERT] = "INSERT INTO souk_refresh_tokens (token_hash, "
	    "account_id, expires_at) VALUES (?, ?, "
	    "FROM_UNIXTIME(?) + INTERVAL ? SECOND)",
	/* The DELETE decides: of two refreshes racing, one deletes. */
	[Q_CONSUME] = "DELETE FROM souk_refresh_tokens WHERE token_hash = ? "
	    "AND expires_at > FROM_UNIXTIME(?)",
	[Q_OWNER] = "SELECT account_id FROM souk_refresh_tokens "
	    "WHERE token_hash = ? AND expires_at > FROM_UNIXTIME(?)",
	[Q_NOT_BEFORE] = "SELECT tokens_not_before FROM souk_accounts "
	    "WHERE id = ?",
	[Q_SET_NOT_BEFORE] = "UPDATE souk_accounts SET tokens_not_before = "
	    "GREATEST(tokens_not_before + 1, ?) WHERE id = ?",
	[Q_DELETE_ALL] = "DELETE FROM souk_refresh_tokens "
	    "WHERE account_id = ?",
	/* A few at a time: each new pair clears more than it adds. */
	[Q_PURGE] = "DELETE FROM souk_refresh_tokens WHERE expires_at <= "
	    "FROM_UNIXTIME(?) ORDER BY expires_at LIMIT 8",
};

/* The account's tokens_not_before into *nb: 1, 0 when no account. */
static int
not_before(struct db *db, int64_t account_id, int64_t *nb)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, q[Q_NOT_BEFORE], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, account_id);
	if (db_exec(st, NULL) == -1)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		*nb = db_col_i64(st, 0);
	db_done(st);
	return rc;
}

static int
signing_key(unsigned char key[SECRET_KEY_BYTES], char kid[9])
{
	char err[256];

	if (secret_derive(JWT_LABEL, key, kid, err, sizeof(err)) == -1) {
		log_err("cannot derive the jwt key: %s", err);
		return -1;
	}
	return 0;
}

/* Signs the access token of account_id issued at iat into out. */
static enum apitoken_err
sign(int64_t account_id, int64_t iat, char out[APITOKEN_ACCESS_MAX])
{
	unsigned char		 key[SECRET_KEY_BYTES];
	char			 kid[9], jti[33], sub[24];
	jwt_t			*jwt = NULL;
	char			*s = NULL;
	enum apitoken_err	 rc = APITOKEN_EKEY;
	int			 n;

	if (signing_key(key, kid) == -1)
		return APITOKEN_EKEY;
	crypto_random_hex(jti, 16);
	n = snprintf(sub, sizeof(sub), "%lld", (long long)account_id);
	if (n < 0 || (size_t)n >= sizeof(sub))
		goto fail;
	if (jwt_new(&jwt) != 0 || jwt_add_grant(jwt, "sub", sub) != 0 ||
	    jwt_add_grant_int(jwt, "iat", (long)iat) != 0 ||
	    jwt_add_grant_int(jwt, "exp", (long)(iat +
	    APITOKEN_ACCESS_TTL)) != 0 ||
	    jwt_add_grant(jwt, "jti", jti) != 0 ||
	    jwt_add_header(jwt, "kid", kid) != 0 ||
	    jwt_set_alg(jwt, JWT_ALG_HS256, key, sizeof(key)) != 0 ||
	    (s = jwt_encode_str(jwt)) == NULL)
		goto fail;
	if (strlen(s) >= APITOKEN_ACCESS_MAX)
		goto fail;
	memcpy(out, s, strlen(s) + 1);
	rc = APITOKEN_OK;
fail:
	if (rc != APITOKEN_OK)
		log_err("cannot sign an access token");
	sodium_memzero(key, sizeof(key));
	free(s);	/* jwt_encode_str() mallocs (libjwt 1.10) */
	jwt_free(jwt);
	return rc;
}

enum apitoken_err
apitoken_issue(struct db *db, int64_t account_id, int64_t now,
    struct apitoken_pair *out)
{
	struct db_stmt	*st;
	unsigned char	 h[32];
	int64_t		 nb = 0, iat = now;

	/* Issued after a revocation in the same second, iat is that
	 * second's end: the revocation refuses all of its own second. */
	if (not_before(db, account_id, &nb) != 1)
		return APITOKEN_EDB;
	if (iat < nb)
		iat = nb;
	if (sign(account_id, iat, out->access) != APITOKEN_OK)
		return APITOKEN_EKEY;
	crypto_random_hex(out->refresh, APITOKEN_REFRESH_HEX / 2);
	crypto_sha256(h, out->refresh, APITOKEN_REFRESH_HEX);
	if ((st = db_prepare(db, q[Q_PURGE], 0)) == NULL)
		return APITOKEN_EDB;
	db_bind_i64(st, 0, now);
	if (db_exec(st, NULL) == -1)
		return APITOKEN_EDB;
	if ((st = db_prepare(db, q[Q_INSERT], 0)) == NULL)
		return APITOKEN_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	db_bind_i64(st, 1, account_id);
	db_bind_i64(st, 2, now);
	db_bind_i64(st, 3, APITOKEN_REFRESH_TTL);
	if (db_exec(st, NULL) == -1)
		return APITOKEN_EDB;
	return APITOKEN_OK;
}

/* The decimal account id of claim sub, or -1. */
static int64_t
subject(const char *sub)
{
	int64_t id;

	if (sub == NULL || str_to_i64(str_c(sub), 1, INT64_MAX, &id) == -1)
		return -1;
	return id;
}

enum apitoken_err
apitoken_verify(struct db *db, struct str tok, int64_t now,
    int64_t *account_id)
{
	unsigned char		 key[SECRET_KEY_BYTES];
	char			 kid[9], buf[APITOKEN_ACCESS_MAX];
	jwt_t			*jwt = NULL;
	enum apitoken_err	 rc = APITOKEN_EINVALID;
	int64_t			 id, iat, exp, nb = 0;
	int			 found;

	if (tok.len == 0 || tok.len >= sizeof(buf) ||
	    memchr(tok.p, '\0', tok.len) != NULL)
		return APITOKEN_EINVALID;
	memcpy(buf, tok.p, tok.len);
	buf[tok.len] = '\0';
	if (signing_key(key, kid) == -1)
		return APITOKEN_EKEY;
	if (jwt_decode(&jwt, buf, key, sizeof(key)) != 0 || jwt == NULL)
		goto fail;
	/* libjwt takes the algorithm from the token's own header: only
	 * ours is accepted, whatever else it verified (or did not). */
	if (jwt_get_alg(jwt) != JWT_ALG_HS256)
		goto fail;
	errno = 0;
	iat = jwt_get_grant_int(jwt, "iat");
	if (errno != 0)
		goto fail;
	exp = jwt_get_grant_int(jwt, "exp");
	if (errno != 0 || exp <= now || iat > now + 60)
		goto fail;
	if ((id = subject(jwt_get_grant(jwt, "sub"))) == -1)
		goto fail;
	if ((found = not_before(db, id, &nb)) == -1) {
		rc = APITOKEN_EDB;
		goto fail;
	}
	if (found == 0 || iat < nb)
		goto fail;
	*account_id = id;
	rc = APITOKEN_OK;
fail:
	sodium_memzero(key, sizeof(key));
	jwt_free(jwt);
	return rc;
}

static int
refresh_hash(struct str tok, unsigned char h[32])
{
	return crypto_token_hash(tok.p, tok.len, APITOKEN_REFRESH_HEX, h);
}

/* The account of the live refresh token of hash h: 1, 0 none, -1. */
static int
refresh_owner(struct db *db, const unsigned char h[32], int64_t now,
    int64_t *account_id)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, q[Q_OWNER], 0)) == NULL)
		return -1;
	db_bind_blob(st, 0, h, 32);
	db_bind_i64(st, 1, now);
	if (db_exec(st, NULL) == -1)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		*account_id = db_col_i64(st, 0);
	db_done(st);
	return rc;
}

enum apitoken_err
apitoken_refresh(struct db *db, struct str tok, int64_t now,
    int64_t *account_id, struct apitoken_pair *out)
{
	struct db_stmt	*st;
	unsigned char	 h[32];
	int		 rc;

	if (refresh_hash(tok, h) == -1)
		return APITOKEN_EINVALID;
	if ((rc = refresh_owner(db, h, now, account_id)) != 1)
		return rc == 0 ? APITOKEN_EINVALID : APITOKEN_EDB;
	if ((st = db_prepare(db, q[Q_CONSUME], 0)) == NULL)
		return APITOKEN_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	db_bind_i64(st, 1, now);
	if (db_exec(st, NULL) == -1)
		return APITOKEN_EDB;
	if (db_affected(st) != 1)
		return APITOKEN_EINVALID;
	return apitoken_issue(db, *account_id, now, out);
}

enum apitoken_err
apitoken_refresh_owner(struct db *db, struct str tok, int64_t now,
    int64_t *account_id)
{
	unsigned char	h[32];
	int		rc;

	if (refresh_hash(tok, h) == -1)
		return APITOKEN_EINVALID;
	rc = refresh_owner(db, h, now, account_id);
	return rc == 1 ? APITOKEN_OK : rc == 0 ? APITOKEN_EINVALID :
	    APITOKEN_EDB;
}

static int
revoke_tx(struct db *db, void *arg)
{
	const int64_t	*a = arg;	/* account id, now */
	struct db_stmt	*st;

	if ((st = db_prepare(db, q[Q_DELETE_ALL], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, a[0]);
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((st = db_prepare(db, q[Q_SET_NOT_BEFORE], 0)) == NULL)
		return -1;
	/* The whole current second: a token issued in it, before or
	 * after this, cannot be told apart by its iat. apitoken_issue()
	 * dates a later one to the next second, so a second revocation
	 * within that second moves past it too (+ 1). */
	db_bind_i64(st, 0, a[1] + 1);
	db_bind_i64(st, 1, a[0]);
	return db_exec(st, NULL);
}

enum apitoken_err
apitoken_revoke(struct db *db, int64_t account_id, int64_t now)
{
	int64_t a[2] = { account_id, now };

	return db_tx_run(db, revoke_tx, a) == 0 ? APITOKEN_OK : APITOKEN_EDB;
}
