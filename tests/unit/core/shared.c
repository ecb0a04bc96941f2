/* tests/unit/core/shared.c: counters shared across fork. */
#include "core/common.h"
#include "core/shared.h"
#include "test.h"

#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	pid_t	pid;
	int	st, i;

	TEST_CHECK(shared_init() == 0);
	TEST_CHECK(shared_get(SHARED_TENANT_GEN) == 0);
	TEST_CHECK(shared_bump(SHARED_TENANT_GEN) == 1);
	/* Children (the pool's workers) bump; the parent sees every bump,
	 * and so does a sibling. */
	for (i = 0; i < 4; i++) {
		if ((pid = fork()) == 0) {
			int k;

			for (k = 0; k < 1000; k++)
				(void)shared_bump(SHARED_TENANT_GEN);
			_exit(0);
		}
		TEST_CHECK(pid > 0);
	}
	while (wait(&st) > 0)
		TEST_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	TEST_CHECK(shared_get(SHARED_TENANT_GEN) == 4001);
	TEST_CHECK(shared_init() == 0);	/* again: same page */
	TEST_CHECK(shared_get(SHARED_TENANT_GEN) == 4001);
	/* Per-shop generations: one shop's bump, in a child, is seen by
	 * the parent, and moves no other shop's. */
	TEST_CHECK(shared_shop_gen(42) == 0 && shared_shop_gen(43) == 0);
	if ((pid = fork()) == 0) {
		(void)shared_shop_bump(42);
		_exit(0);
	}
	TEST_CHECK(pid > 0);
	while (wait(&st) > 0)
		TEST_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	TEST_CHECK(shared_shop_gen(42) == 1 && shared_shop_gen(43) == 0);
	TEST_CHECK(shared_shop_gen(42 + SHARED_SHOP_GENS) == 1);
	TEST_CHECK(shared_get(SHARED_TENANT_GEN) == 4001);
	return test_done();
}
