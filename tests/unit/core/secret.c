/* tests/unit/core/secret.c: sealing and opening texts with the server's
 * key; the key file. */
#include "core/common.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/secret.h"
#include "test.h"

#include <sys/stat.h>
#include <unistd.h>

static const unsigned char k1[SECRET_KEY_BYTES] = "0123456789abcdef0123456789abcde";
static const unsigned char k2[SECRET_KEY_BYTES] = "fedcba9876543210fedcba987654321";

static int
opens(struct arena *a, const char *sealed, size_t len, char *got)
{
	struct str	out;
	char		err[256];

	if (secret_open(a, (struct str){ sealed, len }, &out, err,
	    sizeof(err)) == -1)
		return 0;
	memcpy(got, out.p, out.len + 1);
	return 1;
}

int
main(void)
{
	struct arena	 a;
	char		 err[256], got[SECRET_TEXT_MAX + 1], path[512];
	char		*s, *s2, *t;
	const char	*tmp = getenv("TMPDIR");
	const char	*text = "sk_test_51ABCdefGHIjklMNO";
	struct stat	 sb;
	size_t		 len, i;
	char		 big[SECRET_TEXT_MAX + 2];
	int		 n;

	arena_init(&a);

	/* No key file: a clear error, no crash. */
	config_set("secret_key_file", "/nonexistent/souk-secret.key");
	err[0] = '\0';
	TEST_CHECK(secret_seal(&a, str_c(text), err, sizeof(err)) == NULL);
	TEST_CHECK(strstr(err, "secret key file") != NULL);

	/* Round trip. */
	secret_set_key(k1);
	s = secret_seal(&a, str_c(text), err, sizeof(err));
	TEST_CHECK(s != NULL);
	TEST_CHECK(strncmp(s, "s1:", 3) == 0);
	TEST_CHECK(secret_is_sealed(str_c(s)));
	TEST_CHECK(strstr(s, "sk_test") == NULL);
	TEST_CHECK(opens(&a, s, strlen(s), got));
	TEST_STREQ(got, text);
	/* Random nonce: sealing again gives another text. */
	s2 = secret_seal(&a, str_c(text), err, sizeof(err));
	TEST_CHECK(s2 != NULL && strcmp(s, s2) != 0);
	/* Empty text and the longest. */
	t = secret_seal(&a, STR(""), err, sizeof(err));
	TEST_CHECK(t != NULL && opens(&a, t, strlen(t), got) && got[0] == 0);
	memset(big, 'x', sizeof(big));
	TEST_CHECK(secret_seal(&a, (struct str){ big, SECRET_TEXT_MAX + 1 },
	    err, sizeof(err)) == NULL);
	t = secret_seal(&a, (struct str){ big, SECRET_TEXT_MAX }, err,
	    sizeof(err));
	TEST_CHECK(t != NULL && opens(&a, t, strlen(t), got) &&
	    strlen(got) == SECRET_TEXT_MAX);

	/* Tampered: every byte after the prefix changed is refused. */
	len = strlen(s);
	for (i = 3; i < len; i++) {
		char *c = arena_strdup(&a, s);

		c[i] = c[i] == 'A' ? 'B' : 'A';
		if (c[i] == s[i])
			continue;
		TEST_CHECK(!opens(&a, c, len, got));
	}
	/* Truncated, at any length; extended. */
	for (i = 0; i < len; i++)
		TEST_CHECK(!opens(&a, s, i, got));
	t = arena_printf(&a, "%sAAAA", s);
	TEST_CHECK(!opens(&a, t, strlen(t), got));
	TEST_CHECK(!opens(&a, "s1:", 3, got));
	TEST_CHECK(!opens(&a, "plain text", 10, got));

	/* Wrong key: refused, saying so. */
	secret_set_key(k2);
	TEST_CHECK(secret_open(&a, str_c(s), &(struct str){ 0 }, err,
	    sizeof(err)) == -1);
	TEST_CHECK(strstr(err, "another key") != NULL);
	/* ... even with the key id forged to the new key's. */
	t = secret_seal(&a, STR("x"), err, sizeof(err));
	TEST_CHECK(t != NULL);
	s2 = arena_strdup(&a, s);
	memcpy(s2 + 3, t + 3, 8);
	TEST_CHECK(!opens(&a, s2, strlen(s2), got));

	/* The key file: created 0640, never overwritten, then read. */
	n = snprintf(path, sizeof(path), "%s/secret-%d.key",
	    tmp ? tmp : "/tmp", (int)getpid());
	TEST_CHECK(n > 0 && (size_t)n < sizeof(path));
	unlink(path);
	TEST_CHECK(secret_key_create(path, err, sizeof(err)) == 0);
	TEST_CHECK(stat(path, &sb) == 0 && sb.st_size == SECRET_KEY_BYTES &&
	    (sb.st_mode & 0777) == 0640);
	TEST_CHECK(secret_key_create(path, err, sizeof(err)) == -1);
	TEST_CHECK(stat(path, &sb) == 0 && sb.st_size == SECRET_KEY_BYTES);
	config_set("secret_key_file", path);
	secret_set_key(NULL);
	s = secret_seal(&a, str_c(text), err, sizeof(err));
	TEST_CHECK(s != NULL);
	secret_set_key(NULL);		/* read the file again */
	TEST_CHECK(s != NULL && opens(&a, s, strlen(s), got));
	TEST_STREQ(got, text);
	TEST_CHECK(secret_is_current(str_c(s)));

	/* Rotation: under a new key, s opens only once its key is named
	 * in secret_old_key_files (a missing file there is skipped); new
	 * texts are sealed under the new key alone. */
	secret_set_key(k2);
	TEST_CHECK(!opens(&a, s, strlen(s), got));
	TEST_CHECK(!secret_is_current(str_c(s)));
	TEST_CHECK(secret_set_old_keys(arena_printf(&a,
	    "/nonexistent/old.key, %s", path)) == 1);
	TEST_CHECK(opens(&a, s, strlen(s), got));
	TEST_STREQ(got, text);
	TEST_CHECK(!secret_is_current(str_c(s)));
	t = secret_seal(&a, str_c(text), err, sizeof(err));
	TEST_CHECK(t != NULL && secret_is_current(str_c(t)) &&
	    strncmp(t, s, 11) != 0);
	TEST_CHECK(secret_set_old_keys("") == 0);
	TEST_CHECK(!opens(&a, s, strlen(s), got));
	TEST_CHECK(!secret_is_current(STR("plain")));
	secret_set_key(NULL);
	/* A file of the wrong size is refused. */
	unlink(path);
	{
		FILE *f = fopen(path, "w");

		TEST_CHECK(f != NULL);
		if (f != NULL) {
			fputs("short", f);
			fclose(f);
		}
	}
	secret_set_key(NULL);
	TEST_CHECK(secret_seal(&a, str_c(text), err, sizeof(err)) == NULL);
	TEST_CHECK(strstr(err, "exactly 32 bytes") != NULL);
	unlink(path);

	arena_free(&a);
	config_free();
	return test_done();
}
