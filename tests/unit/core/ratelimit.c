/*
 * tests/unit/core/ratelimit.c: counts in shared memory, exact across
 * processes: 8 children race for one key's 100 requests and exactly
 * 100 pass; the next window starts again; keys are apart; a full probe
 * run shares a slot (stricter, never looser).
 */
#include "core/common.h"
#include "core/ratelimit.h"
#include "core/shared.h"
#include "test.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	struct ratelimit	 rl;
	uint64_t		*passed;
	pid_t			 pid;
	int			 i, k, st;

	TEST_CHECK(shared_init() == 0);
	passed = mmap(NULL, sizeof(*passed), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TEST_CHECK(passed != MAP_FAILED);
	*passed = 0;
	for (i = 0; i < 8; i++) {
		if ((pid = fork()) == 0) {
			for (k = 0; k < 50; k++)
				if (ratelimit_take(42, 100, 900, 9000, &rl))
					__atomic_add_fetch(passed, 1,
					    __ATOMIC_ACQ_REL);
			_exit(0);
		}
		TEST_CHECK(pid > 0);
	}
	while (wait(&st) > 0)
		TEST_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	TEST_CHECK(*passed == 100);

	TEST_CHECK(ratelimit_take(42, 100, 900, 9899, &rl) == 0);
	TEST_CHECK(rl.remaining == 0 && rl.reset == 9900 &&
	    rl.retry_after == 1 && rl.limit == 100);
	/* The next window. */
	TEST_CHECK(ratelimit_take(42, 100, 900, 9900, &rl) == 1);
	TEST_CHECK(rl.remaining == 99 && rl.reset == 10800);
	/* Another key. */
	TEST_CHECK(ratelimit_take(43, 2, 900, 9900, &rl) == 1);
	TEST_CHECK(ratelimit_take(43, 2, 900, 9900, &rl) == 1);
	TEST_CHECK(ratelimit_take(43, 2, 900, 9900, &rl) == 0);
	/* Many keys busy in one window: none passes more than its limit. */
	for (i = 0; i < 3 * SHARED_RL_SLOTS; i++) {
		int n = 0;

		for (k = 0; k < 3; k++)
			n += ratelimit_take(1000 + (uint64_t)i, 2, 900, 9900,
			    &rl);
		if (n > 2)
			break;
	}
	TEST_CHECK(i == 3 * SHARED_RL_SLOTS);
	return test_done();
}
