/* account.c: platform accounts, logins, sessions (see account.h). */
#include "core/common.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/account.h"
#include "platform/lockout.h"

enum {
	Q_INSERT,
	Q_GET,
	Q_GET_EMAIL,
	Q_LOGIN,
	Q_SET_PW,
	Q_SESS_EXPIRED,
	Q_SESS_INSERT,
	Q_SESS_GET,
	Q_SESS_DELETE,
	Q_SESS_PURGE,
	Q_IS_OPERATOR,
	Q__MAX
};

static const char *const q[Q__MAX] = {
	[Q_INSERT] = "INSERT INTO souk_accounts (email, pw_hash, "
	    "email_verified_at) VALUES (?, ?, NOW())",
	[Q_GET] = "SELECT id, email, pw_hash FROM souk_accounts WHERE id = ?",
	[Q_GET_EMAIL] = "SELECT id, email, pw_hash FROM souk_accounts "
	    "WHERE email = ?",
	[Q_LOGIN] = "SELECT id, pw_hash FROM souk_accounts WHERE email = ?",
	[Q_SET_PW] = "UPDATE souk_accounts SET pw_hash = ? WHERE id = ?",
	/* A few at a time: each new session clears more than it adds. */
	[Q_SESS_EXPIRED] = "DELETE FROM souk_account_sessions "
	    "WHERE expires_at <= NOW() ORDER BY expires_at LIMIT ?",
	[Q_SESS_INSERT] = "INSERT INTO souk_account_sessions (token_hash, "
	    "account_id, csrf, expires_at) VALUES (?, ?, ?, "
	    "NOW() + INTERVAL ? SECOND)",
	[Q_SESS_GET] = "SELECT account_id, csrf FROM souk_account_sessions "
	    "WHERE token_hash = ? AND expires_at > NOW()",
	[Q_SESS_DELETE] = "DELETE FROM souk_account_sessions "
	    "WHERE token_hash = ?",
	[Q_SESS_PURGE] = "DELETE FROM souk_account_sessions "
	    "WHERE expires_at <= NOW()",
	[Q_IS_OPERATOR] = "SELECT IF(role = 'support', 2, 1) FROM "
	    "souk_operators WHERE account_id = ?",
};

static int
atext(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

int
account_email_norm(struct str in, char *out, size_t outlen)
{
	size_t	i, at = 0, nat = 0, label = 0;
	char	c, prev = 0;

	in = str_trim(in);
	if (in.len < 3 || in.len > ACCOUNT_EMAIL_MAX || in.len >= outlen)
		return -1;
	for (i = 0; i < in.len; i++) {
		c = in.p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[i] = c;
		if (c == '@') {
			at = i;
			nat++;
		}
	}
	out[in.len] = '\0';
	if (nat != 1 || at == 0 || at > 64 || at == in.len - 1)
		return -1;
	/* Local part: dot-atoms. */
	for (i = 0; i < at; i++) {
		c = out[i];
		if (c == '.') {
			if (i == 0 || prev == '.' || i == at - 1)
				return -1;
		} else if (!atext(c))
			return -1;
		prev = c;
	}
	/* Domain: LDH labels, at least two. */
	nat = 0;
	for (i = at + 1; i <= in.len; i++) {
		c = i < in.len ? out[i] : '.';
		if (c == '.') {
			if (label == 0 || label > 63 || out[i - 1] == '-')
				return -1;
			label = 0;
			nat++;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-'))
			return -1;
		if (label == 0 && c == '-')
			return -1;
		label++;
	}
	return nat >= 2 ? 0 : -1;
}

enum account_err
account_password_check(struct str pw)
{
	size_t n;

	/* Characters, not bytes: "🔑🔑" is 2 and too short. Any bytes
	 * are hashed as they are; invalid UTF-8 counts its lead bytes. */
	if (pw.len > CRYPTO_PW_MAX_BYTES)
		return ACCOUNT_ELONG_PASSWORD;
	n = str_chars(pw);
	if (n < ACCOUNT_PW_MIN)
		return ACCOUNT_EWEAK_PASSWORD;
	if (n > ACCOUNT_PW_MAX)
		return ACCOUNT_ELONG_PASSWORD;
	return ACCOUNT_OK;
}

enum account_err
account_create(struct db *db, struct str email, struct str password,
    int64_t *id)
{
	struct db_stmt		*st;
	enum account_err	 e;
	char			 norm[ACCOUNT_EMAIL_MAX + 1];
	char			 hash[CRYPTO_PW_HASHLEN];

	if (account_email_norm(email, norm, sizeof(norm)) == -1)
		return ACCOUNT_EINVAL_EMAIL;
	if ((e = account_password_check(password)) != ACCOUNT_OK)
		return e;
	crypto_pw_hash(hash, password.p, password.len);
	if ((st = db_prepare(db, q[Q_INSERT], 0)) == NULL)
		return ACCOUNT_EDB;
	db_bind_cstr(st, 0, norm);
	db_bind_cstr(st, 1, hash);
	if (db_exec(st, NULL) == -1)
		return db_errclass(db) == DB_EDUP ? ACCOUNT_EEXISTS :
		    ACCOUNT_EDB;
	*id = (int64_t)db_insert_id(st);
	return ACCOUNT_OK;
}

static enum account_err
get(struct db_stmt *st, struct account *out)
{
	struct str	s;
	int		rc;

	if (db_exec(st, NULL) == -1)
		return ACCOUNT_EDB;
	if ((rc = db_step(st)) != 1) {
		db_done(st);
		return rc == 0 ? ACCOUNT_ENOTFOUND : ACCOUNT_EDB;
	}
	out->id = db_col_i64(st, 0);
	/* No arena: views into the statement's buffers, copied now. */
	s = db_col_str(st, 1);
	str_copy(out->email, sizeof(out->email), s);
	s = db_col_str(st, 2);
	str_copy(out->pw_hash, sizeof(out->pw_hash), s);
	db_done(st);
	return ACCOUNT_OK;
}

enum account_err
account_get(struct db *db, int64_t id, struct account *out)
{
	struct db_stmt *st;

	if ((st = db_prepare(db, q[Q_GET], 0)) == NULL)
		return ACCOUNT_EDB;
	db_bind_i64(st, 0, id);
	return get(st, out);
}

enum account_err
account_get_by_email(struct db *db, struct str email, struct account *out)
{
	struct db_stmt	*st;
	char		 norm[ACCOUNT_EMAIL_MAX + 1];

	if (account_email_norm(email, norm, sizeof(norm)) == -1)
		return ACCOUNT_ENOTFOUND;
	if ((st = db_prepare(db, q[Q_GET_EMAIL], 0)) == NULL)
		return ACCOUNT_EDB;
	db_bind_cstr(st, 0, norm);
	return get(st, out);
}

struct login {
	struct str	email;
	int64_t		id;
};

/* lockout_find_fn: the hash of l->email's account. */
static int
find(struct db *db, void *arg, char hash[CRYPTO_PW_HASHLEN])
{
	struct login	*l = arg;
	struct db_stmt	*st;
	char		 norm[ACCOUNT_EMAIL_MAX + 1];
	int		 rc;

	if (account_email_norm(l->email, norm, sizeof(norm)) == -1)
		return 0;
	if ((st = db_prepare(db, q[Q_LOGIN], 0)) == NULL)
		return -1;
	db_bind_cstr(st, 0, norm);
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((rc = db_step(st)) == 1) {
		l->id = db_col_i64(st, 0);
		str_copy(hash, CRYPTO_PW_HASHLEN, db_col_str(st, 1));
	}
	db_done(st);
	return rc;
}

enum account_err
account_login(struct db *db, struct str email, struct str password,
    int64_t *id)
{
	struct login l = { email, 0 };

	switch (lockout_login(db, LOCKOUT_SCOPE_PLATFORM, email, password,
	    find, &l)) {
	case LOCKOUT_OK:
		*id = l.id;
		return ACCOUNT_OK;
	case LOCKOUT_EBADLOGIN:
		return ACCOUNT_EBADLOGIN;
	case LOCKOUT_ELOCKED:
		return ACCOUNT_ELOCKED;
	default:
		return ACCOUNT_EDB;
	}
}

enum account_err
account_set_password(struct db *db, int64_t id, struct str password)
{
	struct db_stmt		*st;
	struct account		 acct;
	enum account_err	 e;
	char			 hash[CRYPTO_PW_HASHLEN];

	if ((e = account_password_check(password)) != ACCOUNT_OK)
		return e;
	if ((e = account_get(db, id, &acct)) != ACCOUNT_OK)
		return e;
	crypto_pw_hash(hash, password.p, password.len);
	if ((st = db_prepare(db, q[Q_SET_PW], 0)) == NULL)
		return ACCOUNT_EDB;
	db_bind_cstr(st, 0, hash);
	db_bind_i64(st, 1, id);
	if (db_exec(st, NULL) == -1)
		return ACCOUNT_EDB;
	if (db_affected(st) != 1)
		return ACCOUNT_ENOTFOUND;
	/* A new password ends a lock-out, as it used to. */
	if (lockout_clear(db, LOCKOUT_SCOPE_PLATFORM, str_c(acct.email)) ==
	    -1)
		return ACCOUNT_EDB;
	return ACCOUNT_OK;
}

enum account_err
account_session_create(struct db *db, int64_t account_id,
    struct account_session *out)
{
	struct db_stmt	*st;
	unsigned char	 h[32];

	memset(out, 0, sizeof(*out));
	crypto_random_hex(out->token, ACCOUNT_TOKEN_HEX / 2);
	crypto_random_hex(out->csrf, 16);
	out->account_id = account_id;
	(void)crypto_token_hash(out->token, ACCOUNT_TOKEN_HEX,
	    ACCOUNT_TOKEN_HEX, h);
	if ((st = db_prepare(db, q[Q_SESS_EXPIRED], 0)) == NULL)
		return ACCOUNT_EDB;
	db_bind_i64(st, 0, ACCOUNT_SESS_PURGE);
	if (db_exec(st, NULL) == -1)
		return ACCOUNT_EDB;
	if ((st = db_prepare(db, q[Q_SESS_INSERT], 0)) == NULL)
		return ACCOUNT_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	db_bind_i64(st, 1, account_id);
	db_bind_cstr(st, 2, out->csrf);
	db_bind_i64(st, 3, config_int("session_ttl", 1209600, 60,
	    366 * 86400));
	if (db_exec(st, NULL) == -1)
		return ACCOUNT_EDB;
	return ACCOUNT_OK;
}

enum account_err
account_session_get(struct db *db, struct str token,
    struct account_session *out)
{
	struct db_stmt	*st;
	unsigned char	 h[32];
	struct str	 s;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (crypto_token_hash(token.p, token.len, ACCOUNT_TOKEN_HEX, h) == -1)
		return ACCOUNT_ENOTFOUND;
	if ((st = db_prepare(db, q[Q_SESS_GET], 0)) == NULL)
		return ACCOUNT_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	if (db_exec(st, NULL) == -1)
		return ACCOUNT_EDB;
	if ((rc = db_step(st)) != 1) {
		db_done(st);
		return rc == 0 ? ACCOUNT_ENOTFOUND : ACCOUNT_EDB;
	}
	out->account_id = db_col_i64(st, 0);
	s = db_col_str(st, 1);
	str_copy(out->csrf, sizeof(out->csrf), s);
	db_done(st);
	return ACCOUNT_OK;
}

enum account_err
account_session_delete(struct db *db, struct str token)
{
	struct db_stmt	*st;
	unsigned char	 h[32];

	if (crypto_token_hash(token.p, token.len, ACCOUNT_TOKEN_HEX, h) == -1)
		return ACCOUNT_OK;
	if ((st = db_prepare(db, q[Q_SESS_DELETE], 0)) == NULL)
		return ACCOUNT_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	return db_exec(st, NULL) == -1 ? ACCOUNT_EDB : ACCOUNT_OK;
}

enum account_err
account_session_purge(struct db *db)
{
	struct db_stmt *st;

	if ((st = db_prepare(db, q[Q_SESS_PURGE], 0)) == NULL)
		return ACCOUNT_EDB;
	return db_exec(st, NULL) == -1 ? ACCOUNT_EDB : ACCOUNT_OK;
}

int
account_is_operator(struct db *db, int64_t account_id)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, q[Q_IS_OPERATOR], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, account_id);
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((rc = db_step(st)) == 1)
		rc = (int)db_col_i64(st, 0);
	db_done(st);
	return rc;
}

enum account_err
account_create_hashed(struct db *db, const char *email, const char *pw_hash,
    int64_t *id)
{
	/* Kept apart from q[]: sign-up's (platform/signup.c) own path. */
	static const char sql[] = "INSERT INTO souk_accounts (email, "
	    "pw_hash, email_verified_at) VALUES (?, ?, NOW())";
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql, 0)) == NULL)
		return ACCOUNT_EDB;
	db_bind_cstr(st, 0, email);
	db_bind_cstr(st, 1, pw_hash);
	if (db_exec(st, NULL) == -1)
		return db_errclass(db) == DB_EDUP ? ACCOUNT_EEXISTS :
		    ACCOUNT_EDB;
	*id = (int64_t)db_insert_id(st);
	return ACCOUNT_OK;
}

const char *
account_strerror(enum account_err e)
{
	switch (e) {
	case ACCOUNT_OK:
		return "ok";
	case ACCOUNT_EDB:
		return "database error";
	case ACCOUNT_EINVAL_EMAIL:
		return "invalid e-mail address";
	case ACCOUNT_EWEAK_PASSWORD:
		return "password must have at least 8 characters";
	case ACCOUNT_ELONG_PASSWORD:
		return "password must have at most 1024 characters";
	case ACCOUNT_EEXISTS:
		return "an account with this e-mail exists";
	case ACCOUNT_ENOTFOUND:
		return "not found";
	case ACCOUNT_EBADLOGIN:
		return "wrong e-mail or password";
	case ACCOUNT_ELOCKED:
		return "account locked after too many failed logins";
	}
	return "unknown error";
}
