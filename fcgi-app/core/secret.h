/*
 * secret.h: short texts (a shop's payment gateway keys) sealed at rest
 * with the server's key.
 *
 * The server's key is 32 random bytes in the file the configuration
 * key secret_key_file names (default SECRET_KEY_FILE; `soukctl
 * secret-key create` or `make install` writes it: mode 0640, root and
 * the souk group). It is read once per process, when a secret is first
 * sealed or opened. A missing or unreadable key is an error of that
 * call only (with a reason for the log): the rest of souk runs without
 * it.
 *
 * A sealed text is ASCII, safe in any column:
 *
 *	"s1:" KID ":" base64(nonce[24] || crypto_secretbox(text))
 *
 * KID is 8 hex digits naming the key (the start of a keyed hash of it,
 * which tells nothing of the key): a text sealed under another key is
 * refused as such rather than as tampered, and a later rotation can
 * keep the old key beside the new one and pick it by KID. The nonce is
 * random for every seal, so the same text never seals the same twice.
 * XSalsa20-Poly1305 authenticates: a changed, truncated or extended
 * text, or one sealed with another key, never opens.
 *
 * Rotating the key: the old file is renamed and named in
 * secret_old_key_files (up to SECRET_OLD_KEYS_MAX paths, separated by
 * spaces or commas), a new one is created at secret_key_file, and
 * `soukctl secret-key reseal` seals every stored secret again under
 * the new key; then the old file can go. In between, texts sealed
 * under a retired key still open (picked by KID); new ones are sealed
 * under the current key only.
 *
 * Per process and single-threaded, like the rest of souk.
 */
#ifndef SOUK_SECRET_H
#define SOUK_SECRET_H

#include <stddef.h>
#include "core/arena.h"
#include "core/str.h"

#define SECRET_KEY_FILE		"/etc/souk/secret.key"
#define SECRET_KEY_BYTES	32
/* The longest text souk seals, in bytes (gateway keys are ~110). */
#define SECRET_TEXT_MAX		1024
/* The longest sealed text secret_open() looks at. */
#define SECRET_SEALED_MAX	1500
/* How many retired keys secret_old_key_files may name. */
#define SECRET_OLD_KEYS_MAX	4

/*
 * Seals text (at most SECRET_TEXT_MAX bytes, any content) with the
 * server's key. Returns the sealed text, NUL-terminated, in a; NULL
 * with a reason in err (no key, unreadable key file, text too long).
 */
char	*secret_seal(struct arena *a, struct str text, char *err,
	    size_t errlen);

/*
 * Opens what secret_seal() made, under the current key or a retired
 * one. Returns 0 and sets *out to the text (in a, NUL-terminated after
 * its length); -1 with a reason in err when there is no key, or the
 * text is malformed, sealed with an unknown key, or has been changed.
 * Never reads past sealed.len.
 */
int	secret_open(struct arena *a, struct str sealed, struct str *out,
	    char *err, size_t errlen);

/* Nonzero when s has the shape of a sealed text ("s1:..."): what a
 * test checks a database column with. */
int	secret_is_sealed(struct str s);

/* Nonzero when s is sealed under the current key (0: under a retired
 * one, or the key cannot be read): what reseal skips. */
int	secret_is_current(struct str s);

/* Bytes of a secret_mac(). */
#define SECRET_MAC_BYTES	32

/*
 * A keyed hash (BLAKE2b) of the n bytes at p under the server's current
 * key, for the use label names ("souk api key", ...): what a database
 * row may hold to find or derive something only this server can, e.g.
 * an API key's lookup hash (shop/api_key.h). 0, or -1 with a reason in
 * err (no key). Rotating the key changes every such hash.
 */
int	secret_mac(const char *label, const void *p, size_t n,
	    unsigned char out[SECRET_MAC_BYTES], char *err, size_t errlen);

/*
 * Writes a new key file at path (NULL: the configured one): 32 random
 * bytes, created with mode 0640, never over an existing file. Returns
 * 0, or -1 with a reason in err (the file exists, the folder is
 * missing, ...).
 */
int	secret_key_create(const char *path, char *err, size_t errlen);

/*
 * Uses key (SECRET_KEY_BYTES) instead of the key file from now on; NULL
 * forgets the key, so the file is read again when next needed. For
 * the tests and the fuzz target.
 */
void	secret_set_key(const unsigned char *key);

/*
 * A key of its own for purpose (a fixed label, "souk jwt v1") derived
 * from the server's key into out, so that one key file serves every
 * use and a leak of a derived key tells nothing of the others. kid
 * (may be NULL, else 9 bytes) gets the server key's id: what a token
 * signed with the derived key names. Rotating the server's key changes
 * every derived key. 0, or -1 with a reason in err (no key).
 */
int	secret_derive(const char *purpose, unsigned char out[SECRET_KEY_BYTES],
	    char *kid, char *err, size_t errlen);

/* Sets secret_old_key_files to list and reads those keys now; returns
 * how many were read. For the tests. */
int	secret_set_old_keys(const char *list);

#endif
