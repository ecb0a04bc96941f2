/* staff.c: shop staff logins with lock-out, and sessions (see staff.h). */
#include "core/common.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "shop/staff.h"

enum stmt {
	ST_BY_EMAIL,
	ST_FAILED,
	ST_SUCCEEDED,
	ST_SESSION_NEW,
	ST_SESSION_GET,
	ST_SESSION_END,
	ST__MAX
};

static const char *const sql[ST__MAX] = {
	[ST_BY_EMAIL] =
	    "SELECT id, email, role, pw_hash,"
	    " COALESCE(locked_until > NOW(), 0) FROM {p}staff WHERE email = ?",
	/* The count restarts once a lock has expired. */
	[ST_FAILED] =
	    "UPDATE {p}staff SET"
	    " failed_logins = IF(locked_until IS NOT NULL AND"
	    " locked_until <= NOW(), 1, failed_logins + 1),"
	    " locked_until = IF(failed_logins >= ?,"
	    " NOW() + INTERVAL ? MINUTE, NULL) WHERE id = ?",
	[ST_SUCCEEDED] =
	    "UPDATE {p}staff SET failed_logins = 0, locked_until = NULL"
	    " WHERE id = ?",
	[ST_SESSION_NEW] =
	    "INSERT INTO {p}sessions (token_hash, staff_id, csrf, expires_at)"
	    " VALUES (?, ?, ?, NOW() + INTERVAL ? SECOND)",
	[ST_SESSION_GET] =
	    "SELECT s.id, s.email, s.role, x.csrf FROM {p}sessions x"
	    " JOIN {p}staff s ON s.id = x.staff_id"
	    " WHERE x.token_hash = ? AND x.expires_at > NOW()",
	[ST_SESSION_END] = "DELETE FROM {p}sessions WHERE token_hash = ?",
};

/* A hash of nothing anyone knows, verified when the e-mail is unknown. */
static const char *
dummy_hash(void)
{
	static char hash[CRYPTO_PW_HASHLEN];

	if (hash[0] == '\0' && crypto_pw_hash(hash, "souk-dummy", 10) == -1)
		hash[0] = '\0';
	return hash;
}

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

int
staff_login(struct shop_ctx *ctx, struct str email, struct str password,
    struct staff *out)
{
	struct db_stmt	*st;
	struct str	 hash;
	int		 rc, locked, ok;
	int64_t		 id;

	memset(out, 0, sizeof(*out));
	email = str_trim(email);
	if (email.len == 0 || email.len > 254 || password.len > 1024)
		return SHOP_EDENIED;
	if ((st = prep(ctx, ST_BY_EMAIL)) == NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, email);
	if (run(ctx, st) == -1)
		return SHOP_EDB;
	rc = db_step(st);
	if (rc != 1) {
		db_done(st);
		if (rc == -1)
			return SHOP_EDB;
		/* Spend the time a real check takes: no e-mail oracle. */
		(void)crypto_pw_verify(dummy_hash(), password.p, password.len);
		return SHOP_EDENIED;
	}
	id = db_col_i64(st, 0);
	out->email = db_col_str(st, 1);
	out->role = db_col_str(st, 2);
	hash = db_col_str(st, 3);
	locked = db_col_i64(st, 4) != 0;
	db_done(st);
	if (locked)
		return SHOP_ELOCKED;
	ok = crypto_pw_verify(hash.p, password.p, password.len) == 1;
	if ((st = prep(ctx, ok ? ST_SUCCEEDED : ST_FAILED)) == NULL)
		return SHOP_EDB;
	if (ok)
		db_bind_i64(st, 0, id);
	else {
		db_bind_i64(st, 0, STAFF_MAX_FAILURES - 1);
		db_bind_i64(st, 1, STAFF_LOCK_MINUTES);
		db_bind_i64(st, 2, id);
	}
	if (run(ctx, st) == -1)
		return SHOP_EDB;
	db_done(st);
	if (!ok) {
		log_info("failed staff login for id %lld", (long long)id);
		return SHOP_EDENIED;
	}
	out->id = id;
	return SHOP_OK;
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
		snprintf(out->csrf, sizeof(out->csrf), "%.*s",
		    (int)(csrf.len < 32 ? csrf.len : 32), csrf.p);
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
