/* Unit test of http/csrf.c. */
#include "core/common.h"
#include "http/csrf.h"
#include "test.h"

int
main(void)
{
	char		t1[CSRF_TOKEN_LEN + 1], t2[CSRF_TOKEN_LEN + 1];
	char		other[CSRF_TOKEN_LEN + 1];
	struct str	s;

	memset(t1, 'x', sizeof(t1));
	csrf_token_new(t1);
	csrf_token_new(t2);
	TEST_CHECK(strlen(t1) == CSRF_TOKEN_LEN);
	TEST_CHECK(strspn(t1, "0123456789abcdef") == CSRF_TOKEN_LEN);
	TEST_CHECK(strcmp(t1, t2) != 0);

	s = str_c(t1);
	TEST_CHECK(csrf_check(&s, t1) == 0);
	TEST_CHECK(csrf_check(&s, t2) == -1);
	memcpy(other, t1, sizeof(other));
	other[CSRF_TOKEN_LEN - 1] ^= 1;
	TEST_CHECK(csrf_check(&s, other) == -1);

	/* Wrong lengths, NULLs, a prefix of the right token. */
	s = (struct str){ t1, CSRF_TOKEN_LEN - 1 };
	TEST_CHECK(csrf_check(&s, t1) == -1);
	s = STR("");
	TEST_CHECK(csrf_check(&s, t1) == -1);
	TEST_CHECK(csrf_check(&s, "") == -1);
	s = str_c(t1);
	TEST_CHECK(csrf_check(NULL, t1) == -1);
	TEST_CHECK(csrf_check(&s, NULL) == -1);
	TEST_CHECK(csrf_check(&s, "short") == -1);
	s = STR_NULL;
	TEST_CHECK(csrf_check(&s, t1) == -1);
	return test_done();
}
