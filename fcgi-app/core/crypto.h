/*
 * crypto.h: the few cryptographic primitives souk uses, on libsodium.
 *
 * crypto_init() must run once per process before any other function
 * here (it is sodium_init(), safe to call again). Nothing here
 * allocates: every output goes into a buffer the caller owns.
 *
 * Passwords are hashed with argon2id (crypto_pwhash_str) at
 * CRYPTO_PW_OPSLIMIT passes over CRYPTO_PW_MEMLIMIT bytes. Measured on
 * the 2-core development VM (Debian 12, libsodium 1.0.18): t=2/32 MiB
 * took 47 ms idle, t=3/32 MiB 70-90 ms (the latter with other jobs
 * running), libsodium's INTERACTIVE (t=2/64 MiB) 110-130 ms. We use
 * t=3/32 MiB: inside the 50-100 ms budget for a login, and half the
 * memory of INTERACTIVE, which matters with 4-8 workers hashing at
 * once. The parameters are part of the stored string, so raising them
 * later keeps old hashes verifiable (crypto_pw_needs_rehash() tells).
 */
#ifndef SOUK_CRYPTO_H
#define SOUK_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_PW_OPSLIMIT	3ULL
#define CRYPTO_PW_MEMLIMIT	(32UL << 20)
/* Bytes of a hash string, NUL included (crypto_pwhash_STRBYTES). */
#define CRYPTO_PW_HASHLEN	128
/* The longest password souk hashes or checks, in bytes: 1024
 * characters of 4 bytes. Callers refuse longer input before hashing. */
#define CRYPTO_PW_MAX_BYTES	4096

/* Initialises libsodium. Returns 0, or -1 (no usable randomness). */
int	crypto_init(void);

/*
 * Hashes the password pw (n bytes, any content) into out, a
 * NUL-terminated "$argon2id$..." string of at most CRYPTO_PW_HASHLEN
 * bytes. Returns 0. Running out of memory for argon2 is fatal(), as
 * any allocation is (STYLE.md): the worker exits and is replaced.
 */
int	crypto_pw_hash(char out[CRYPTO_PW_HASHLEN], const char *pw, size_t n);

/*
 * 1 when pw matches hash (a string from crypto_pw_hash()), else 0
 * (also for a hash that is not ours). Out of memory: fatal(), never a
 * quick "no" that would answer faster than a real check.
 */
int	crypto_pw_verify(const char *hash, const char *pw, size_t n);

/*
 * Spends the time of crypto_pw_verify() on pw and answers nothing: what
 * a login does when there is no hash to check (unknown e-mail, invalid
 * address), so that answer takes as long as a wrong password. It checks
 * pw against a fixed hash of a random password nobody kept, made with
 * today's CRYPTO_PW_OPSLIMIT and CRYPTO_PW_MEMLIMIT (the unit test
 * checks they match, so the cost is a real check's by construction);
 * no hash is made at run time. Out of memory: fatal(), as above.
 */
void	crypto_pw_dummy_verify(const char *pw, size_t n);

/* The fixed hash crypto_pw_dummy_verify() checks against (static
 * storage), for the test of its parameters. */
const char	*crypto_pw_dummy_hash(void);

/* 1 when hash was made with other parameters than today's. */
int	crypto_pw_needs_rehash(const char *hash);

/* n random bytes. */
void	crypto_random(void *buf, size_t n);

/*
 * n random bytes written as 2n lower-case hex digits and a NUL into
 * out, which holds at least 2n + 1 bytes.
 */
void	crypto_random_hex(char *out, size_t n);

/* Lower-case hex of n bytes into out (2n + 1 bytes, NUL-terminated). */
void	crypto_hex(char *out, const void *p, size_t n);

/* SHA-256 of n bytes at p into out. */
void	crypto_sha256(unsigned char out[32], const void *p, size_t n);

/*
 * The stored form of a session token: the SHA-256 of token into out,
 * when token is exactly hexlen lower-case hex digits (what
 * crypto_random_hex() makes); -1 for anything else, so a malformed
 * cookie never reaches the database.
 */
int	crypto_token_hash(const char *token, size_t len, size_t hexlen,
	    unsigned char out[32]);

/* 1 when the n bytes at a and b are equal, in time independent of
 * where they differ. */
int	crypto_eq(const void *a, const void *b, size_t n);

#endif
