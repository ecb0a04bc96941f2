/* opkey.c: operators' API keys (opkey.h). */
#include "core/common.h"

#include "core/crypto.h"
#include "db/db.h"
#include "platform/account.h"
#include "platform/opkey.h"

enum {
	Q_INSERT,
	Q_CHECK,
	Q_USED,
	Q_LIST,
	Q_REVOKE,
	Q_EXISTS,
	Q__MAX
};

static const char *const q[Q__MAX] = {
	[Q_INSERT] = "INSERT INTO souk_operator_keys (account_id, key_hash, "
	    "last_chars, description) VALUES (?, ?, ?, ?)",
	[Q_CHECK] = "SELECT k.id, k.account_id, k.key_hash "
	    "FROM souk_operator_keys k JOIN souk_operators o "
	    "ON o.account_id = k.account_id "
	    "WHERE k.key_hash = ? AND k.revoked_at IS NULL",
	/* Once a minute at most: not a write per request. */
	[Q_USED] = "UPDATE souk_operator_keys SET last_used_at = "
	    "UTC_TIMESTAMP() WHERE id = ? AND (last_used_at IS NULL OR "
	    "last_used_at < UTC_TIMESTAMP() - INTERVAL 1 MINUTE)",
	[Q_LIST] = "SELECT id, account_id, last_chars, description, "
	    "DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), "
	    "IFNULL(DATE_FORMAT(last_used_at, '%Y-%m-%d %H:%i:%s'), ''), "
	    "revoked_at IS NOT NULL FROM souk_operator_keys "
	    "ORDER BY id DESC LIMIT 1000",
	[Q_REVOKE] = "UPDATE souk_operator_keys SET revoked_at = "
	    "IFNULL(revoked_at, UTC_TIMESTAMP()) WHERE id = ?",
	[Q_EXISTS] = "SELECT 1 FROM souk_operator_keys WHERE id = ?",
};

enum opkey_err
opkey_create(struct db *db, int64_t account_id, struct str description,
    char key[OPKEY_LEN + 1], int64_t *id)
{
	struct db_stmt	*st;
	unsigned char	 h[32];
	int		 op;

	description = str_trim(description);
	if (str_chars(description) > OPKEY_DESC_MAX ||
	    description.len > 4 * OPKEY_DESC_MAX)
		return OPKEY_EDESC;
	if ((op = account_is_operator(db, account_id)) == -1)
		return OPKEY_EDB;
	if (op == 0)
		return OPKEY_ENOT_OPERATOR;
	memcpy(key, OPKEY_PREFIX, OPKEY_PREFIX_LEN);
	crypto_random_hex(key + OPKEY_PREFIX_LEN, OPKEY_HEX / 2);
	crypto_sha256(h, key, OPKEY_LEN);
	if ((st = db_prepare(db, q[Q_INSERT], 0)) == NULL)
		return OPKEY_EDB;
	db_bind_i64(st, 0, account_id);
	db_bind_blob(st, 1, h, sizeof(h));
	db_bind_str(st, 2, (struct str){ key + OPKEY_LEN - OPKEY_LAST,
	    OPKEY_LAST });
	db_bind_str(st, 3, description);
	if (db_exec(st, NULL) == -1)
		return OPKEY_EDB;
	if (id != NULL)
		*id = (int64_t)db_insert_id(st);
	return OPKEY_OK;
}

enum opkey_err
opkey_check(struct db *db, struct str key, int64_t *account_id)
{
	struct db_stmt	*st;
	unsigned char	 h[32];
	struct str	 stored;
	int64_t		 id = 0;
	int		 rc, same = 0;

	if (key.len != OPKEY_LEN || memcmp(key.p, OPKEY_PREFIX,
	    OPKEY_PREFIX_LEN) != 0 || crypto_token_hash(key.p +
	    OPKEY_PREFIX_LEN, OPKEY_HEX, OPKEY_HEX, h) == -1)
		return OPKEY_EINVALID;
	/* The stored hash is of the whole key, prefix included. */
	crypto_sha256(h, key.p, key.len);
	if ((st = db_prepare(db, q[Q_CHECK], 0)) == NULL)
		return OPKEY_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	if (db_exec(st, NULL) == -1)
		return OPKEY_EDB;
	if ((rc = db_step(st)) == 1) {
		id = db_col_i64(st, 0);
		*account_id = db_col_i64(st, 1);
		stored = db_col_str(st, 2);
		same = stored.len == sizeof(h) && crypto_eq(stored.p, h,
		    sizeof(h));
	}
	db_done(st);
	if (rc == -1)
		return OPKEY_EDB;
	if (rc == 0 || !same)
		return OPKEY_EINVALID;
	if ((st = db_prepare(db, q[Q_USED], 0)) == NULL)
		return OPKEY_EDB;
	db_bind_i64(st, 0, id);
	return db_exec(st, NULL) == -1 ? OPKEY_EDB : OPKEY_OK;
}

static void
copy(char *dst, size_t len, struct str s)
{
	if (s.len >= len)
		s.len = len - 1;
	memcpy(dst, s.p, s.len);
	dst[s.len] = '\0';
}

enum opkey_err
opkey_list(struct db *db, struct arena *a, struct opkey **out, size_t *n)
{
	struct db_stmt	*st;
	size_t		 cap = 16;
	int		 rc;

	*n = 0;
	*out = arena_calloc(a, cap, sizeof(**out));
	if ((st = db_prepare(db, q[Q_LIST], 0)) == NULL)
		return OPKEY_EDB;
	if (db_exec(st, a) == -1)
		return OPKEY_EDB;
	while ((rc = db_step(st)) == 1) {
		struct opkey *k;

		if (*n == cap) {
			struct opkey *more = arena_calloc(a, cap * 2,
			    sizeof(*more));

			memcpy(more, *out, cap * sizeof(*more));
			*out = more;
			cap *= 2;
		}
		k = &(*out)[(*n)++];
		k->id = db_col_i64(st, 0);
		k->account_id = db_col_i64(st, 1);
		copy(k->last, sizeof(k->last), db_col_str(st, 2));
		copy(k->description, sizeof(k->description),
		    db_col_str(st, 3));
		copy(k->created_at, sizeof(k->created_at), db_col_str(st, 4));
		copy(k->last_used_at, sizeof(k->last_used_at),
		    db_col_str(st, 5));
		k->revoked = db_col_i64(st, 6) != 0;
	}
	db_done(st);
	return rc == -1 ? OPKEY_EDB : OPKEY_OK;
}

enum opkey_err
opkey_revoke(struct db *db, int64_t id)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, q[Q_REVOKE], 0)) == NULL)
		return OPKEY_EDB;
	db_bind_i64(st, 0, id);
	if (db_exec(st, NULL) == -1)
		return OPKEY_EDB;
	if (db_affected(st) == 1)
		return OPKEY_OK;
	/* Unchanged: revoked before, or no such key. */
	if ((st = db_prepare(db, q[Q_EXISTS], 0)) == NULL)
		return OPKEY_EDB;
	db_bind_i64(st, 0, id);
	if (db_exec(st, NULL) == -1)
		return OPKEY_EDB;
	rc = db_step(st);
	db_done(st);
	return rc == 1 ? OPKEY_OK : rc == 0 ? OPKEY_ENOTFOUND : OPKEY_EDB;
}

const char *
opkey_strerror(enum opkey_err e)
{
	switch (e) {
	case OPKEY_OK:
		return "ok";
	case OPKEY_EDB:
		return "database error";
	case OPKEY_EINVALID:
		return "invalid key";
	case OPKEY_ENOT_OPERATOR:
		return "the account is not an operator";
	case OPKEY_EDESC:
		return "description over 200 characters";
	case OPKEY_ENOTFOUND:
		return "no such key";
	}
	return "unknown error";
}
