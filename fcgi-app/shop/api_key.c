/* api_key.c: a shop's API keys and their OAuth nonces (api_key.h). */
#include "core/common.h"

#include <sodium.h>

#include "core/cache.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "shop/api_key.h"
#include "shop/shop.h"

#define SALT_BYTES	16
/* Labels of the server key's hashes (secret_mac()): one per use. */
#define MAC_KEY		"souk api consumer key"
#define MAC_SECRET	"souk api consumer secret"

enum stmt {
	ST_COUNT,
	ST_INSERT,
	ST_LIST,
	ST_DELETE,
	ST_FIND,
	ST_TOUCH,
	ST_NONCE,
	ST_NONCE_PURGE,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_COUNT] = { "api_key.count",
	    "SELECT COUNT(*) FROM {p}api_keys" },
	[ST_INSERT] = { "api_key.insert",
	    "INSERT INTO {p}api_keys (key_hash, salt, description, permission,"
	    " truncated_key, staff_id) VALUES (?, ?, ?, ?, ?, ?)" },
	[ST_LIST] = { "api_key.list",
	    "SELECT id, description, permission, truncated_key,"
	    " DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'),"
	    " IFNULL(DATE_FORMAT(last_access, '%Y-%m-%d %H:%i:%s'), '')"
	    " FROM {p}api_keys ORDER BY id DESC LIMIT 100" },
	[ST_DELETE] = { "api_key.delete",
	    "DELETE FROM {p}api_keys WHERE id = ?" },
	/* The last column says whether last_access is worth writing. */
	[ST_FIND] = { "api_key.find",
	    "SELECT id, description, permission, truncated_key, salt,"
	    " last_access IS NULL OR last_access <"
	    " UTC_TIMESTAMP() - INTERVAL 1 MINUTE"
	    " FROM {p}api_keys WHERE key_hash = ?" },
	[ST_TOUCH] = { "api_key.touch",
	    "UPDATE {p}api_keys SET last_access = UTC_TIMESTAMP()"
	    " WHERE id = ?" },
	[ST_NONCE] = { "api_key.nonce",
	    "INSERT INTO {p}api_nonces (key_id, nonce_hash, ts)"
	    " VALUES (?, ?, ?)" },
	[ST_NONCE_PURGE] = { "api_key.nonce_purge",
	    "DELETE FROM {p}api_nonces WHERE ts < ? LIMIT 500" },
};

static const char *const perm_names[API_KEY__MAX] = {
	[API_KEY_READ] = "read",
	[API_KEY_WRITE] = "write",
	[API_KEY_READ_WRITE] = "read_write",
};

int
api_key_perm_parse(struct str s)
{
	return str_index(s, perm_names, API_KEY__MAX);
}

const char *
api_key_perm_name(enum api_key_perm p)
{
	return (unsigned)p < API_KEY__MAX ? perm_names[p] : "read";
}

/* The consumer key's lookup hash; -1 (logged) without a server key. */
static int
key_hash(struct str ck, unsigned char out[SECRET_MAC_BYTES])
{
	char err[256];

	if (secret_mac(MAC_KEY, ck.p, ck.len, out, err, sizeof(err)) == -1) {
		log_err("cannot hash an api key: %s", err);
		return -1;
	}
	return 0;
}

/* The consumer secret derived from salt; -1 (logged) without a key. */
static int
derive_secret(const unsigned char *salt, char out[API_KEY_LEN + 1])
{
	unsigned char	mac[SECRET_MAC_BYTES];
	char		err[256];

	if (secret_mac(MAC_SECRET, salt, SALT_BYTES, mac, err,
	    sizeof(err)) == -1) {
		log_err("cannot derive an api secret: %s", err);
		return -1;
	}
	memcpy(out, "cs_", 3);
	crypto_hex(out + 3, mac, API_KEY_HEX / 2);
	sodium_memzero(mac, sizeof(mac));
	return 0;
}

/* "ck_" and 40 lower-case hex digits. */
static int
key_shaped(struct str ck)
{
	size_t i;

	if (ck.len != API_KEY_LEN || memcmp(ck.p, "ck_", 3) != 0)
		return 0;
	for (i = 3; i < ck.len; i++)
		if (!((ck.p[i] >= '0' && ck.p[i] <= '9') ||
		    (ck.p[i] >= 'a' && ck.p[i] <= 'f')))
			return 0;
	return 1;
}

static int
count(struct shop_ctx *ctx, int64_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_COUNT]);
	int		 rc;

	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	*n = rc == 1 ? db_col_i64(st, 0) : 0;
	db_done(st);
	return rc == 1 ? SHOP_OK : SHOP_EDB;
}

int
api_key_create(struct shop_ctx *ctx, struct api_key_new *in,
    struct field_errors *errs)
{
	unsigned char	 salt[SALT_BYTES], h[SECRET_MAC_BYTES];
	struct db_stmt	*st;
	struct str	 d = str_trim(in->description);
	size_t		 before = errs->n;
	int64_t		 n;
	int		 rc;

	if (d.len == 0 || !str_valid_text(d))
		field_errors_add(errs, "description", N_("Describe what the "
		    "key is for, so you know which one to revoke later."));
	else if (str_chars(d) > API_KEY_DESC_MAX)
		field_errors_add(errs, "description", N_("The description "
		    "can have at most 200 characters."));
	if ((unsigned)in->perm >= API_KEY__MAX)
		field_errors_add(errs, "permission", N_("Choose read, write "
		    "or read/write."));
	if (errs->n > before)
		return SHOP_EINVAL;
	if (count(ctx, &n) != SHOP_OK)
		return SHOP_EDB;
	if (n >= API_KEY_MAX) {
		field_errors_add(errs, "description", N_("This shop has 100 "
		    "API keys. Revoke one you no longer use first."));
		return SHOP_EINVAL;
	}
	memcpy(in->consumer_key, "ck_", 3);
	crypto_random_hex(in->consumer_key + 3, API_KEY_HEX / 2);
	crypto_random(salt, sizeof(salt));
	if (key_hash(str_c(in->consumer_key), h) == -1 ||
	    derive_secret(salt, in->consumer_secret) == -1)
		return SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[ST_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	db_bind_blob(st, 1, salt, sizeof(salt));
	db_bind_str(st, 2, d);
	db_bind_cstr(st, 3, perm_names[in->perm]);
	db_bind_str(st, 4, (struct str){ in->consumer_key + API_KEY_LEN -
	    API_KEY_SHOWN, API_KEY_SHOWN });
	if (in->staff_id > 0)
		db_bind_i64(st, 5, in->staff_id);
	else
		db_bind_null(st, 5);
	rc = shop_exec(ctx, st);
	in->id = rc == SHOP_OK ? (int64_t)db_insert_id(st) : 0;
	db_done(st);
	if (rc != SHOP_OK)
		return SHOP_EDB;	/* a taken hash: 2^-160, not retried */
	log_info("api key %lld created (%s)", (long long)in->id,
	    perm_names[in->perm]);
	return SHOP_OK;
}

static void
read_key(struct db_stmt *st, struct api_key *k)
{
	int p = api_key_perm_parse(db_col_str(st, 2));

	k->id = db_col_i64(st, 0);
	k->description = db_col_str(st, 1);
	k->perm = p < 0 ? API_KEY_READ : (enum api_key_perm)p;
	k->truncated = db_col_str(st, 3);
}

int
api_key_list(struct shop_ctx *ctx, struct api_key **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LIST]);
	struct api_key	*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		v = shop_grow(ctx->a, v, sizeof(*v), *n, &cap);
		read_key(st, &v[*n]);
		v[*n].created_at = db_col_str(st, 4);
		v[*n].last_access = db_col_str(st, 5);
		(*n)++;
	}
	db_done(st);
	*out = v;
	return rc == 0 ? SHOP_OK : SHOP_EDB;
}

int
api_key_revoke(struct shop_ctx *ctx, int64_t id)
{
	int rc = shop_change_by_id(ctx, &sql[ST_DELETE], id);

	if (rc == SHOP_OK) {
		/* No worker of this VM serves it from its cache again. */
		cache_bump(ctx->tenant);
		log_info("api key %lld revoked", (long long)id);
	}
	return rc;
}

static void
touch(struct shop_ctx *ctx, int64_t id)
{
	struct db_stmt *st = shop_stmt(ctx, &sql[ST_TOUCH]);

	if (st == NULL)
		return;
	db_bind_i64(st, 0, id);
	(void)shop_exec(ctx, st);	/* logged; the request goes on */
	db_done(st);
}

/*
 * What api_key_find() keeps of a key in each worker for KEPT_MS, by the
 * keyed hash of its consumer key: every API request looks its key up,
 * and the row, the secret's derivation and the round trip were a fifth
 * of a product's answer (make bench). api_key_revoke() drops every
 * worker's copies of the shop's at once (cache_bump()); a key revoked
 * on another VM stops working there within KEPT_MS. Unknown keys are
 * never kept (a new key works at once; guesses fill nothing).
 */
#define KEPT_MS		10000
#define KEPT_SLOTS	64

struct kept {
	int64_t			 id;
	enum api_key_perm	 perm;
	char			*description;
	char			 truncated[API_KEY_SHOWN + 1];
	char			 secret[API_KEY_LEN + 1];
};

static struct cache *kept_keys;

static void
kept_free(void *v)
{
	struct kept *k = v;

	if (k == NULL)
		return;
	free(k->description);
	sodium_memzero(k->secret, sizeof(k->secret));
	free(k);
}

static void
kept_out(struct shop_ctx *ctx, const struct kept *k, struct api_key *out,
    char secret[API_KEY_LEN + 1])
{
	out->id = k->id;
	out->perm = k->perm;
	out->description = arena_str(ctx->a, str_c(k->description));
	out->truncated = arena_str(ctx->a, str_c(k->truncated));
	memcpy(secret, k->secret, API_KEY_LEN + 1);
}

static void
keep(struct shop_ctx *ctx, const char *hex, const struct api_key *key,
    const char secret[API_KEY_LEN + 1])
{
	struct kept *k = xcalloc(1, sizeof(*k));

	k->id = key->id;
	k->perm = key->perm;
	k->description = xstrndup(key->description.p, key->description.len);
	str_copy(k->truncated, sizeof(k->truncated), key->truncated);
	memcpy(k->secret, secret, API_KEY_LEN + 1);
	cache_put(kept_keys, ctx->tenant, hex, ctx->tenant, k, KEPT_MS);
}

int
api_key_find(struct shop_ctx *ctx, struct str ck, struct api_key *out,
    char secret[API_KEY_LEN + 1])
{
	unsigned char	 h[SECRET_MAC_BYTES], salt[SALT_BYTES];
	char		 hex[SECRET_MAC_BYTES * 2 + 1];
	struct db_stmt	*st;
	struct str	 s;
	void		*v;
	int		 rc, stale = 0;

	memset(out, 0, sizeof(*out));
	if (!key_shaped(ck))
		return SHOP_ENOTFOUND;
	if (key_hash(ck, h) == -1)
		return SHOP_EDB;
	crypto_hex(hex, h, sizeof(h));
	if (kept_keys == NULL)
		kept_keys = cache_new(KEPT_SLOTS, kept_free);
	if (cache_get(kept_keys, ctx->tenant, hex, &v) && v != NULL) {
		kept_out(ctx, v, out, secret);
		return SHOP_OK;
	}
	if ((st = shop_stmt(ctx, &sql[ST_FIND])) == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, sizeof(h));
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	if (rc == 1) {
		read_key(st, out);
		s = db_col_str(st, 4);
		stale = db_col_i64(st, 5) != 0;
		if (s.len == SALT_BYTES)
			memcpy(salt, s.p, SALT_BYTES);
		else
			rc = -1;
	}
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if (derive_secret(salt, secret) == -1)
		return SHOP_EDB;
	/* Read again when the entry expires: last_access lags by at most
	 * a minute and KEPT_MS. */
	if (stale)
		touch(ctx, out->id);
	keep(ctx, hex, out, secret);
	return SHOP_OK;
}

int
api_key_nonce(struct shop_ctx *ctx, int64_t key_id, struct str nonce,
    int64_t ts, int64_t now, int64_t window_s)
{
	unsigned char	 h[32];
	struct db_stmt	*st;
	int		 rc;

	/* One insert in 32 also clears old rows: the table stays small
	 * without a delete per request. */
	if (randombytes_uniform(32) == 0 &&
	    (st = shop_stmt(ctx, &sql[ST_NONCE_PURGE])) != NULL) {
		db_bind_i64(st, 0, now - 2 * window_s);
		(void)shop_exec(ctx, st);
		db_done(st);
	}
	crypto_sha256(h, nonce.p, nonce.len);
	if ((st = shop_stmt(ctx, &sql[ST_NONCE])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, key_id);
	db_bind_blob(st, 1, h, sizeof(h));
	db_bind_i64(st, 2, ts);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc == SHOP_OK || rc == SHOP_ECONFLICT ? rc : SHOP_EDB;
}
