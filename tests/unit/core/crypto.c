/* tests/unit/core/crypto.c: libsodium wrappers. */
#include "core/common.h"
#include "core/crypto.h"
#include "test.h"

#include <time.h>

static double
ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main(void)
{
	char		 h1[CRYPTO_PW_HASHLEN], h2[CRYPTO_PW_HASHLEN];
	char		 hex[65], hex2[65];
	unsigned char	 d[32];
	double		 t0, t;
	size_t		 i;
	int		 ok = 1;

	TEST_CHECK(crypto_init() == 0);

	t0 = ms();
	TEST_CHECK(crypto_pw_hash(h1, "correct horse", 13) == 0);
	t = ms() - t0;
	printf("argon2id hash: %.1f ms\n", t);
	TEST_CHECK(strncmp(h1, "$argon2id$", 10) == 0);
	TEST_CHECK(strstr(h1, "m=32768,t=3,p=1") != NULL);
	TEST_CHECK(crypto_pw_verify(h1, "correct horse", 13));
	TEST_CHECK(!crypto_pw_verify(h1, "correct hors", 12));
	TEST_CHECK(!crypto_pw_verify(h1, "correct horse!", 14));
	/* Salted: the same password hashes differently. */
	TEST_CHECK(crypto_pw_hash(h2, "correct horse", 13) == 0);
	TEST_CHECK(strcmp(h1, h2) != 0);
	TEST_CHECK(crypto_pw_verify(h2, "correct horse", 13));
	/* Passwords with NUL bytes are whole. */
	TEST_CHECK(crypto_pw_hash(h2, "a\0b", 3) == 0);
	TEST_CHECK(crypto_pw_verify(h2, "a\0b", 3));
	TEST_CHECK(!crypto_pw_verify(h2, "a", 1));
	/* Garbage is no match, not a crash. */
	TEST_CHECK(!crypto_pw_verify("", "x", 1));
	TEST_CHECK(!crypto_pw_verify("$argon2id$garbage", "x", 1));
	TEST_CHECK(!crypto_pw_verify(NULL, "x", 1));
	TEST_CHECK(!crypto_pw_needs_rehash(h1));

	/*
	 * The dummy check costs a real one: its hash is argon2id with
	 * today's parameters (else it must be made again), and it takes
	 * about as long as a real check (min of 3 each: load only ever
	 * adds time). A hash libsodium refused would answer in
	 * microseconds.
	 */
	TEST_CHECK(strncmp(crypto_pw_dummy_hash(), "$argon2id$", 10) == 0);
	TEST_CHECK(!crypto_pw_needs_rehash(crypto_pw_dummy_hash()));
	TEST_CHECK(!crypto_pw_verify(crypto_pw_dummy_hash(), "souk-dummy",
	    10));
	{
		double real = 1e9, dummy = 1e9;

		for (i = 0; i < 3; i++) {
			t0 = ms();
			(void)crypto_pw_verify(h1, "wrong horse", 11);
			t = ms() - t0;
			real = t < real ? t : real;
			t0 = ms();
			crypto_pw_dummy_verify("wrong horse", 11);
			t = ms() - t0;
			dummy = t < dummy ? t : dummy;
		}
		printf("verify: %.1f ms, dummy verify: %.1f ms\n", real,
		    dummy);
		TEST_CHECK(dummy > real / 4);
	}

	crypto_random_hex(hex, 32);
	crypto_random_hex(hex2, 32);
	TEST_CHECK(strlen(hex) == 64 && strcmp(hex, hex2) != 0);
	for (i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", hex[i]))
			ok = 0;
	TEST_CHECK(ok);

	crypto_sha256(d, "abc", 3);
	crypto_hex(hex, d, 32);
	TEST_STREQ(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");

	TEST_CHECK(crypto_eq("abcd", "abcd", 4));
	TEST_CHECK(!crypto_eq("abcd", "abce", 4));
	return test_done();
}
