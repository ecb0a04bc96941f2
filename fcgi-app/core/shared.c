/* shared.c: counters in memory shared by the pool's processes. */
#include "core/common.h"
#include "core/shared.h"

#include <sys/mman.h>

struct shared_mem {
	uint64_t	counter[SHARED__MAX];
	uint64_t	shop_gen[SHARED_SHOP_GENS];
	uint64_t	ratelimit[2 * SHARED_RL_SLOTS];
};

static struct shared_mem *mem;

int
shared_init(void)
{
	void *p;

	if (mem != NULL)
		return 0;
	p = mmap(NULL, sizeof(*mem), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		mem = xcalloc(1, sizeof(*mem));
		return -1;
	}
	mem = p;
	return 0;
}

static struct shared_mem *
shared(void)
{
	if (mem == NULL)
		(void)shared_init();
	return mem;
}

uint64_t
shared_get(enum shared_counter c)
{
	return __atomic_load_n(&shared()->counter[c], __ATOMIC_ACQUIRE);
}

uint64_t
shared_bump(enum shared_counter c)
{
	return __atomic_add_fetch(&shared()->counter[c], 1, __ATOMIC_ACQ_REL);
}

static uint64_t *
shop_slot(int64_t shop)
{
	return &shared()->shop_gen[(uint64_t)shop % SHARED_SHOP_GENS];
}

uint64_t
shared_shop_gen(int64_t shop)
{
	return __atomic_load_n(shop_slot(shop), __ATOMIC_ACQUIRE);
}

uint64_t
shared_shop_bump(int64_t shop)
{
	return __atomic_add_fetch(shop_slot(shop), 1, __ATOMIC_ACQ_REL);
}

uint64_t *
shared_ratelimit(void)
{
	return shared()->ratelimit;
}
