/*
 * test.h: the few helpers every unit test uses.
 *
 * A unit test is a plain C program: it calls TEST_CHECK() for each
 * expectation and returns test_done() from main(), which prints
 * "ok N checks" or the number of failures and gives the exit status.
 *
 * A test that waits for another process (a worker gone or started, a
 * socket ready, a line written) polls with test_wait_until() up to a
 * generous deadline (TEST_WAIT_MS) and never sleeps a fixed time: on a
 * loaded machine any fixed time is too short, and on an idle one it
 * is too long.
 */
#ifndef SOUK_TEST_H
#define SOUK_TEST_H

#include <stdio.h>
#include <time.h>

#include "core/clock.h"

/* The deadline of a wait for another process, in ms. */
#define TEST_WAIT_MS	10000

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

/*
 * Calls cond(arg) until it returns nonzero or ms milliseconds have
 * passed, napping 2 ms (growing to 50 ms) between calls. Returns 1 when
 * cond held (at once or later), 0 when the deadline passed first (cond
 * is asked one last time at the deadline). Check the result:
 * TEST_CHECK(test_wait_until(pid_gone, &pid, TEST_WAIT_MS)).
 */
static inline int
test_wait_until(int (*cond)(void *), void *arg, int ms)
{
	int64_t		 deadline = clock_ms() + ms;
	long		 nap = 2;
	struct timespec	 ts;

	for (;;) {
		if (cond(arg))
			return 1;
		if (clock_ms() >= deadline)
			return cond(arg) != 0;
		ts.tv_sec = 0;
		ts.tv_nsec = nap * 1000000L;
		nanosleep(&ts, NULL);
		if (nap < 50)
			nap *= 2;
	}
}

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
