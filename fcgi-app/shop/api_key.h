/*
 * api_key.h: a shop's keys for its WooCommerce-compatible API, rows of
 * {p}api_keys (sql/shop/013_api.sql, which says what is stored and
 * why), and the OAuth 1.0a nonces they used ({p}api_nonces).
 *
 * A key is a consumer key "ck_" + 40 hex digits and a consumer secret
 * "cs_" + 40 hex digits. api_key_create() returns both, once; after it
 * neither is stored: the row holds a keyed hash of the consumer key
 * (under the server's key, core/secret.h) to find it by, and a salt the
 * secret is derived from under the same key. So every function here
 * that makes or finds a key needs the server's key; without it they
 * return SHOP_EDB, logged with the reason.
 *
 * Results live in ctx->a.
 */
#ifndef SOUK_SHOP_API_KEY_H
#define SOUK_SHOP_API_KEY_H

#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"

#define API_KEY_HEX		40
#define API_KEY_LEN		(3 + API_KEY_HEX)	/* "ck_" + hex */
#define API_KEY_DESC_MAX	200	/* characters */
#define API_KEY_SHOWN		7	/* last characters listed */
/* The most keys a shop lists (and may have). */
#define API_KEY_MAX		100

enum api_key_perm {
	API_KEY_READ,
	API_KEY_WRITE,
	API_KEY_READ_WRITE,
	API_KEY__MAX
};

struct api_key {
	int64_t			 id;
	struct str		 description;
	enum api_key_perm	 perm;
	struct str		 truncated;	/* the key's last 7 */
	struct str		 created_at;	/* "YYYY-MM-DD HH:MM:SS" UTC */
	struct str		 last_access;	/* the same, or "" never */
};

/* What a new key is made of, and what api_key_create() gives back. */
struct api_key_new {
	struct str		 description;	/* 1..200 characters */
	enum api_key_perm	 perm;
	int64_t			 staff_id;	/* who made it, 0 unknown */
	/* Out: NUL-terminated, shown once. */
	char			 consumer_key[API_KEY_LEN + 1];
	char			 consumer_secret[API_KEY_LEN + 1];
	int64_t			 id;
};

/* "read", "write", "read_write" (WooCommerce's names), or -1. */
int		api_key_perm_parse(struct str s);
const char	*api_key_perm_name(enum api_key_perm p);

/*
 * Makes a key. SHOP_OK with in->consumer_key, ->consumer_secret and ->id
 * set; SHOP_EINVAL with errs ("description": empty, too long, not text;
 * "permission"; or the shop has API_KEY_MAX keys); SHOP_EDB (also: no
 * server key).
 */
int	api_key_create(struct shop_ctx *ctx, struct api_key_new *in,
	    struct field_errors *errs);

/* The shop's keys, newest first, at most API_KEY_MAX, into *out (in
 * ctx->a) and *n. SHOP_OK or SHOP_EDB. */
int	api_key_list(struct shop_ctx *ctx, struct api_key **out, size_t *n);

/* Deletes key id: from then on it authenticates nothing. SHOP_OK,
 * SHOP_ENOTFOUND or SHOP_EDB. */
int	api_key_revoke(struct shop_ctx *ctx, int64_t id);

/*
 * The key whose consumer key is ck: SHOP_OK with *out and its consumer
 * secret (API_KEY_LEN + 1 bytes, NUL-terminated) in secret; SHOP_ENOTFOUND
 * for anything else, a malformed ck included (no query then); SHOP_EDB.
 * Writes the key's last access when the stored one is older than a
 * minute (one write a minute per key, not one per request). Each worker
 * keeps a found key 10 s (api_key.c); api_key_revoke() drops the copies
 * of every worker of the VM, other VMs' within those 10 s.
 */
int	api_key_find(struct shop_ctx *ctx, struct str ck, struct api_key *out,
	    char secret[API_KEY_LEN + 1]);

/*
 * Records that key_id used nonce with timestamp ts (seconds). SHOP_OK
 * when it is new; SHOP_ECONFLICT when it was used already (a replay);
 * SHOP_EDB. Now and then drops nonces older than window_s * 2, so the
 * table holds what the replay window needs.
 */
int	api_key_nonce(struct shop_ctx *ctx, int64_t key_id, struct str nonce,
	    int64_t ts, int64_t now, int64_t window_s);

#endif
