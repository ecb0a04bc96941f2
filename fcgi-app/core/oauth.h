/*
 * oauth.h: OAuth 1.0a one-legged signatures as WooCommerce checks them
 * (class-wc-rest-authentication.php, check_oauth_signature()), and the
 * HMACs they need. Pure functions: no I/O, no HTTP, no database; the
 * web layer (web/wc_auth.c) feeds them the request's parts.
 *
 * The base string is WooCommerce's, which is what the oauth-1.0a npm
 * package the official client uses also makes:
 *
 *	METHOD "&" enc(scheme "://" host[":" port] path) "&"
 *	    enc(k1 "=" v1) "%26" enc(k2 "=" v2) ...
 *
 * where enc() is RFC 3986 (PHP's rawurlencode: all but A-Z a-z 0-9
 * "-" "." "_" "~" become %XX, upper-case hex), each k and v is enc()'d
 * before the pair is enc()'d again (so "=" is "%3D" and an encoded "%"
 * is "%25"), the parameters are the query's and the oauth_* ones
 * except oauth_signature, decoded, sorted by key byte for byte
 * (strcmp), a key given twice counting once with its last value (what
 * PHP's $_GET keeps). The signing key is the consumer secret and "&"
 * (no token secret in one-legged OAuth); the signature is the base64
 * of the HMAC.
 *
 * SHA-1 is ours (libsodium has none); it serves HMAC-SHA1 of OAuth and
 * nothing else. HMAC-SHA256 is libsodium's.
 */
#ifndef SOUK_OAUTH_H
#define SOUK_OAUTH_H

#include <stddef.h>
#include "core/arena.h"
#include "core/str.h"
#include "core/strbuf.h"

/* The most parameters a signed request may carry (query and oauth_*
 * together): more is refused, not sorted. */
#define OAUTH_PARAMS_MAX	64
/* Bytes of a base64 signature, NUL included (SHA-256: 44 + 1). */
#define OAUTH_SIG_LEN		45

/* A decoded parameter; both views live wherever the caller keeps them
 * (oauth_header_parse(): in its arena). */
struct oauth_param {
	struct str	key;
	struct str	val;
};

enum oauth_method {
	OAUTH_HMAC_SHA1,
	OAUTH_HMAC_SHA256,
	OAUTH__MAX
};

/* HMAC-SHA1 and HMAC-SHA256 of msg under key (any lengths). */
void	oauth_hmac_sha1(unsigned char out[20], const void *key, size_t klen,
	    const void *msg, size_t mlen);
void	oauth_hmac_sha256(unsigned char out[32], const void *key, size_t klen,
	    const void *msg, size_t mlen);

/* "HMAC-SHA1" or "HMAC-SHA256" (exactly, as WooCommerce compares):
 * the method, or -1. */
int	oauth_method_parse(struct str s);

/* Appends the RFC 3986 encoding of s to sb (see above). */
void	oauth_encode(struct strbuf *sb, struct str s);

/*
 * Appends the base string of a request to sb: method ("GET"), url
 * (scheme://host[:port]/path, the path as the client sent it, without
 * the query) and the decoded parameters p[0..n) (query and oauth_*;
 * an oauth_signature among them is left out). Returns 0, or -1 when n
 * exceeds OAUTH_PARAMS_MAX (sb then unchanged).
 */
int	oauth_base_string(struct strbuf *sb, struct str method, struct str url,
	    const struct oauth_param *p, size_t n);

/*
 * The signature of base under secret (the consumer secret; "&" is
 * added here) with method m, as base64 into out (NUL-terminated).
 */
void	oauth_sign(char out[OAUTH_SIG_LEN], enum oauth_method m,
	    struct str secret, struct str base);

/*
 * Parses an Authorization header's value "OAuth k="v", k2="v2"" into
 * parameters in a (keys and values percent-decoded, NUL-terminated):
 * only oauth_* keys are kept, as WooCommerce does. Returns the count
 * (0 when the header is not OAuth), or -1 when it is malformed or
 * carries more than OAUTH_PARAMS_MAX. *out lives in a.
 */
int	oauth_header_parse(struct arena *a, struct str h, struct oauth_param **out);

#endif
