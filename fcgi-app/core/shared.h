/*
 * shared.h: counters every process of the pool sees.
 *
 * The master maps one anonymous shared page before it forks (shared_init),
 * so the workers, its children, all read and write the same counters
 * (DESIGN.md: "shared counters live in memory the master maps before
 * forking"). A process that never called shared_init() (soukctl, a unit
 * test) gets a private page on first use: the counters then work within
 * that process only. Counters are updated with atomic operations; none
 * of them holds anything a process must not lose.
 */
#ifndef SOUK_SHARED_H
#define SOUK_SHARED_H

#include <stdint.h>

enum shared_counter {
	/* Bumped whenever a shop's row or hosts change: every worker then
	 * drops its tenant cache (platform/tenant.c). */
	SHARED_TENANT_GEN,
	/* Bumped whenever any shop's categories change: every worker then
	 * drops its category cache (shop/catalog.c). */
	SHARED_CATEGORY_GEN,
	SHARED__MAX
};

/* Maps the shared page; call once in the master, before forking.
 * Returns 0, or -1 (mmap failed; the counters stay process-local). */
int		shared_init(void);

/* The counter's value. */
uint64_t	shared_get(enum shared_counter c);

/* Adds one to the counter; returns the new value. */
uint64_t	shared_bump(enum shared_counter c);

#endif
