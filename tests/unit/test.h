/*
 * test.h: the few helpers every unit test uses.
 *
 * A unit test is a plain C program: it calls TEST_CHECK() for each
 * expectation and returns test_done() from main(), which prints
 * "ok N checks" or the number of failures and gives the exit status.
 */
#ifndef SOUK_TEST_H
#define SOUK_TEST_H

#include <stdio.h>

static int	test_checks;
static int	test_failures;

#define TEST_CHECK(cond) do {						\
	test_checks++;							\
	if (!(cond)) {							\
		test_failures++;					\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
	}								\
} while (0)

/* The same, printing the two strings when they differ. */
#define TEST_STREQ(got, want) do {					\
	const char *test_g_ = (got), *test_w_ = (want);			\
	test_checks++;							\
	if (test_g_ == NULL || test_w_ == NULL ||			\
	    strcmp(test_g_, test_w_) != 0) {				\
		test_failures++;					\
		fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n",	\
		    __FILE__, __LINE__, test_g_ ? test_g_ : "(null)",	\
		    test_w_ ? test_w_ : "(null)");			\
	}								\
} while (0)

static inline int
test_done(void)
{
	if (test_failures) {
		printf("FAILED %d of %d checks\n", test_failures, test_checks);
		return 1;
	}
	printf("ok %d checks\n", test_checks);
	return 0;
}

#endif
