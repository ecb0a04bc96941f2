/* tests/unit/core/clock.c: the monotonic clock moves forward. */
#include "core/common.h"
#include "core/clock.h"
#include "test.h"

#include <time.h>

int
main(void)
{
	struct timespec	 nap = { 0, 20 * 1000 * 1000 };
	int64_t		 ms = clock_ms(), us = clock_us(), d;

	TEST_CHECK(ms > 0 && us > 0);
	/* A fixed sleep on purpose: the clock moving by at least the nap
	 * is the behaviour under test (no other process is awaited). */
	nanosleep(&nap, NULL);
	d = clock_ms() - ms;
	TEST_CHECK(d >= 19 && d < 10000);
	TEST_CHECK(clock_us() - us >= 19000);
	return test_done();
}
