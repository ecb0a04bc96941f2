/* clock.c: the monotonic clock (see clock.h). */
#include "core/common.h"
#include "core/clock.h"

#include <time.h>

int64_t
clock_us(void)
{
	struct timespec ts;

	/* Cannot fail for CLOCK_MONOTONIC on Linux. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
clock_ms(void)
{
	return clock_us() / 1000;
}
