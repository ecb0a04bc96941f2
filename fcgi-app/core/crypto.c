/* crypto.c: libsodium wrappers (see crypto.h). */
#include "core/common.h"
#include "core/crypto.h"
#include "core/log.h"

#include <sodium.h>

_Static_assert(crypto_pwhash_STRBYTES <= CRYPTO_PW_HASHLEN,
    "CRYPTO_PW_HASHLEN too small");

int
crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

/*
 * The hash crypto_pw_dummy_verify() checks against: argon2id of 64
 * random hex digits that were thrown away, at t=3, m=32 MiB, p=1
 * (CRYPTO_PW_OPSLIMIT, CRYPTO_PW_MEMLIMIT). Made once with
 * crypto_pwhash_str(); make a new one when the parameters change
 * (tests/unit/core/crypto.c fails until then). The array has the size
 * libsodium declares for a hash string, zero-filled past the text.
 */
static const char dummy_hash[CRYPTO_PW_HASHLEN] = "$argon2id$v=19$m=32768,t=3,p=1$"
    "Z30zzbTEEijl7c8D8SiKNg$9vTLpxrtr/p4t7AtDAt0Y0DQBaTfeANEc9bsEPoJgQg";

int
crypto_pw_hash(char out[CRYPTO_PW_HASHLEN], const char *pw, size_t n)
{
	/* Fails only when argon2 cannot have its memory. */
	if (crypto_pwhash_str(out, pw, n, CRYPTO_PW_OPSLIMIT,
	    CRYPTO_PW_MEMLIMIT) != 0)
		fatal("cannot hash a password: out of memory");
	return 0;
}

int
crypto_pw_verify(const char *hash, const char *pw, size_t n)
{
	/* libsodium reads the hash as a C string; refuse what is not one
	 * of ours before it parses it. */
	if (hash == NULL || strncmp(hash, "$argon2id$", 10) != 0 ||
	    strlen(hash) >= crypto_pwhash_STRBYTES)
		return 0;
	/* -1 is a mismatch (errno EINVAL), a hash it cannot parse, or
	 * argon2 without its memory: only the last sets ENOMEM. */
	errno = 0;
	if (crypto_pwhash_str_verify(hash, pw, n) == 0)
		return 1;
	if (errno == ENOMEM)
		fatal("cannot check a password: out of memory");
	return 0;
}

void
crypto_pw_dummy_verify(const char *pw, size_t n)
{
	(void)crypto_pw_verify(dummy_hash, pw, n);
}

const char *
crypto_pw_dummy_hash(void)
{
	return dummy_hash;
}

int
crypto_pw_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, CRYPTO_PW_OPSLIMIT,
	    CRYPTO_PW_MEMLIMIT) != 0;
}

void
crypto_random(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

void
crypto_hex(char *out, const void *p, size_t n)
{
	static const char	 digits[] = "0123456789abcdef";
	const unsigned char	*b = p;
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

void
crypto_random_hex(char *out, size_t n)
{
	unsigned char	buf[64];
	size_t		k;

	while (n > 0) {
		k = n < sizeof(buf) ? n : sizeof(buf);
		randombytes_buf(buf, k);
		crypto_hex(out, buf, k);
		out += 2 * k;
		n -= k;
	}
	*out = '\0';
	sodium_memzero(buf, sizeof(buf));
}

void
crypto_sha256(unsigned char out[32], const void *p, size_t n)
{
	crypto_hash_sha256(out, p, n);
}

int
crypto_eq(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

int
crypto_token_hash(const char *token, size_t len, size_t hexlen,
    unsigned char out[32])
{
	size_t i;

	if (len != hexlen)
		return -1;
	for (i = 0; i < len; i++)
		if (!((token[i] >= '0' && token[i] <= '9') ||
		    (token[i] >= 'a' && token[i] <= 'f')))
			return -1;
	crypto_sha256(out, token, len);
	return 0;
}
