/*
 * shared.h: counters every process of the pool sees.
 *
 * The master maps one anonymous shared region before it forks
 * (shared_init), so the workers, its children, all read and write the
 * same counters (DESIGN.md: "shared counters live in memory the master
 * maps before forking"). A process that never called shared_init()
 * (soukctl, a unit test) gets private memory on first use: the counters
 * then work within that process only. Counters are updated with atomic
 * operations; none of them holds anything a process must not lose.
 *
 * Besides the named counters, a table of SHARED_SHOP_GENS generations
 * indexed by shop id modulo its size: core/cache.c drops a worker's
 * cached entries of a shop when that shop's generation moved. Two shops
 * that share a slot only drop each other's entries now and then.
 */
#ifndef SOUK_SHARED_H
#define SOUK_SHARED_H

#include <stdint.h>

#define SHARED_SHOP_GENS	1024
/* Slots of the rate limiter's table (core/ratelimit.h), two words
 * each. */
#define SHARED_RL_SLOTS		8192

enum shared_counter {
	/* Bumped when a shop is provisioned or its hosts or row change in
	 * a way no single shop's generation covers: every worker then
	 * drops its whole tenant cache (platform/tenant.c). */
	SHARED_TENANT_GEN,
	SHARED__MAX
};

/* Maps the shared memory; call once in the master, before forking.
 * Returns 0, or -1 (mmap failed; the counters stay process-local). */
int		shared_init(void);

/* The counter's value. */
uint64_t	shared_get(enum shared_counter c);

/* Adds one to the counter; returns the new value. */
uint64_t	shared_bump(enum shared_counter c);

/* The generation of shop (any id; 0 is the platform's), and adding one
 * to it (returns the new value). */
uint64_t	shared_shop_gen(int64_t shop);
uint64_t	shared_shop_bump(int64_t shop);

/* The rate limiter's table: 2 * SHARED_RL_SLOTS words, zero at first,
 * which core/ratelimit.c alone reads and writes (atomically). */
uint64_t	*shared_ratelimit(void);

#endif
