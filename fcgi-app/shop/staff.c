/* staff.c: shop staff, their logins and sessions (see staff.h). */
#include "core/common.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/account.h"
#include "platform/lockout.h"
#include "shop/staff.h"

enum stmt {
	ST_BY_EMAIL,
	ST_OWNER,
	ST_SESSION_EXPIRED,
	ST_SESSION_NEW,
	ST_SESSION_GET,
	ST_SESSION_END,
	ST__MAX
};

static const char *const sql[ST__MAX] = {
	[ST_BY_EMAIL] =
	    "SELECT id, email, role, pw_hash FROM {p}staff WHERE email = ?",
	/* Provisioning again (a retry) keeps the row and its sessions. */
	[ST_OWNER] =
	    "INSERT INTO {p}staff (email, pw_hash, role) VALUES (?, ?, 'owner')"
	    " ON DUPLICATE KEY UPDATE role = 'owner'",
	/* A few at a time: each new session clears more than it adds. */
	[ST_SESSION_EXPIRED] =
	    "DELETE FROM {p}sessions WHERE expires_at <= NOW()"
	    " ORDER BY expires_at LIMIT ?",
	[ST_SESSION_NEW] =
	    "INSERT INTO {p}sessions (token_hash, staff_id, csrf, expires_at)"
	    " VALUES (?, ?, ?, NOW() + INTERVAL ? SECOND)",
	[ST_SESSION_GET] =
	    "SELECT s.id, s.email, s.role, x.csrf FROM {p}sessions x"
	    " JOIN {p}staff s ON s.id = x.staff_id"
	    " WHERE x.token_hash = ? AND x.expires_at > NOW()",
	[ST_SESSION_END] = "DELETE FROM {p}sessions WHERE token_hash = ?",
};

static struct db_stmt *
prep(struct shop_ctx *ctx, enum stmt s)
{
	struct db_stmt *st = db_prepare(ctx->db, sql[s], ctx->tenant);

	if (st == NULL)
		log_err("cannot prepare staff statement %d: %s", (int)s,
		    db_error(ctx->db));
	return st;
}

static int
run(struct shop_ctx *ctx, struct db_stmt *st)
{
	if (db_exec(st, ctx->a) == -1) {
		log_err("staff query failed: %s", db_error(ctx->db));
		return -1;
	}
	return 0;
}

struct login {
	struct shop_ctx	*ctx;
	struct str	 email;
	struct staff	*out;
};

/* lockout_find_fn: the hash of l->email's staff row, which fills
 * l->out. */
static int
find(struct db *db, void *arg, char hash[CRYPTO_PW_HASHLEN])
{
	struct login	*l = arg;
	struct db_stmt	*st;
	char		 norm[ACCOUNT_EMAIL_MAX + 1];
	int		 rc;

	/* Stored as account_email_norm() makes them (the owner's comes
	 * from the account), so the look-up is exact. */
	if (account_email_norm(l->email, norm, sizeof(norm)) == -1)
		return 0;
	if ((st = prep(l->ctx, ST_BY_EMAIL)) == NULL)
		return -1;
	db_bind_cstr(st, 0, norm);
	if (run(l->ctx, st) == -1)
		return -1;
	if ((rc = db_step(st)) == 1) {
		l->out->id = db_col_i64(st, 0);
		l->out->email = db_col_str(st, 1);
		l->out->role = db_col_str(st, 2);
		str_copy(hash, CRYPTO_PW_HASHLEN, db_col_str(st, 3));
	}
	db_done(st);
	return rc;
}

int
staff_login(struct shop_ctx *ctx, struct str email, struct str password,
    struct staff *out)
{
	struct login	l = { ctx, email, out };
	int		rc;

	memset(out, 0, sizeof(*out));
	rc = lockout_login(ctx->db, ctx->tenant, email, password, find, &l);
	if (rc != LOCKOUT_OK)
		memset(out, 0, sizeof(*out));
	switch (rc) {
	case LOCKOUT_OK:
		return SHOP_OK;
	case LOCKOUT_EBADLOGIN:
		return SHOP_EDENIED;
	case LOCKOUT_ELOCKED:
		return SHOP_ELOCKED;
	default:
		log_err("staff login failed: %s", db_error(ctx->db));
		return SHOP_EDB;
	}
}

int
staff_create_owner(struct shop_ctx *ctx, const char *email,
    const char *pw_hash)
{
	struct db_stmt *st;

	if ((st = prep(ctx, ST_OWNER)) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, email);
	db_bind_cstr(st, 1, pw_hash);
	return run(ctx, st) == -1 ? SHOP_EDB : SHOP_OK;
}

int
staff_session_new(struct shop_ctx *ctx, int64_t staff_id, long ttl,
    char token[STAFF_TOKEN_HEX + 1], char csrf[33])
{
	struct db_stmt	*st;
	unsigned char	 h[32];

	crypto_random_hex(token, 32);
	crypto_random_hex(csrf, 16);
	(void)crypto_token_hash(token, STAFF_TOKEN_HEX, STAFF_TOKEN_HEX, h);
	if ((st = prep(ctx, ST_SESSION_EXPIRED)) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, STAFF_SESSION_PURGE);
	if (run(ctx, st) == -1)
		return SHOP_EDB;
	if ((st = prep(ctx, ST_SESSION_NEW)) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	db_bind_i64(st, 1, staff_id);
	db_bind_cstr(st, 2, csrf);
	db_bind_i64(st, 3, ttl);
	if (run(ctx, st) == -1)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}

int
staff_session_get(struct shop_ctx *ctx, struct str token, struct staff *out)
{
	struct db_stmt	*st;
	unsigned char	 h[32];
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (crypto_token_hash(token.p, token.len, STAFF_TOKEN_HEX, h) == -1)
		return SHOP_ENOTFOUND;
	if ((st = prep(ctx, ST_SESSION_GET)) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	if (run(ctx, st) == -1)
		return SHOP_EDB;
	rc = db_step(st);
	if (rc == 1) {
		struct str csrf;

		out->id = db_col_i64(st, 0);
		out->email = db_col_str(st, 1);
		out->role = db_col_str(st, 2);
		csrf = db_col_str(st, 3);
		str_copy(out->csrf, sizeof(out->csrf), csrf);
	}
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
staff_session_end(struct shop_ctx *ctx, struct str token)
{
	struct db_stmt	*st;
	unsigned char	 h[32];

	if (crypto_token_hash(token.p, token.len, STAFF_TOKEN_HEX, h) == -1)
		return SHOP_OK;
	if ((st = prep(ctx, ST_SESSION_END)) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	if (run(ctx, st) == -1)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}
