/* csrf.c: random tokens and a constant-time check (see csrf.h). */
#include "core/common.h"
#include "core/log.h"
#include "http/csrf.h"

#include <sodium.h>

void
csrf_token_new(char out[CSRF_TOKEN_LEN + 1])
{
	unsigned char rnd[CSRF_TOKEN_LEN / 2];

	/* Idempotent and cheap once done; the pool should have called
	 * it already, but a token must never come from an unseeded
	 * generator. */
	if (sodium_init() < 0)
		fatal("cannot initialise libsodium");
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(out, CSRF_TOKEN_LEN + 1, rnd, sizeof(rnd));
	sodium_memzero(rnd, sizeof(rnd));
}

int
csrf_check(const struct str *sent, const char *expected)
{
	if (sent == NULL || sent->p == NULL || expected == NULL)
		return -1;
	/* The lengths are public (always 32): only the bytes must be
	 * compared in constant time. */
	if (sent->len != CSRF_TOKEN_LEN || strlen(expected) != CSRF_TOKEN_LEN)
		return -1;
	return sodium_memcmp(sent->p, expected, CSRF_TOKEN_LEN) == 0 ? 0 : -1;
}
