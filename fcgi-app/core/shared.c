/* shared.c: counters in a page shared by the pool's processes. */
#include "core/common.h"
#include "core/shared.h"

#include <sys/mman.h>

static uint64_t *page;

int
shared_init(void)
{
	void *p;

	if (page != NULL)
		return 0;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED) {
		page = xcalloc(SHARED__MAX, sizeof(*page));
		return -1;
	}
	page = p;
	return 0;
}

uint64_t
shared_get(enum shared_counter c)
{
	if (page == NULL)
		(void)shared_init();
	return __atomic_load_n(&page[c], __ATOMIC_ACQUIRE);
}

uint64_t
shared_bump(enum shared_counter c)
{
	if (page == NULL)
		(void)shared_init();
	return __atomic_add_fetch(&page[c], 1, __ATOMIC_ACQ_REL);
}
