/* ratelimit.c: per-key request counts in shared memory (ratelimit.h). */
#include "core/common.h"
#include "core/ratelimit.h"
#include "core/shared.h"

#define ST_WINDOW(s)	((s) >> 32)
#define ST_COUNT(s)	((s) & 0xffffffffu)

/* A 64-bit mix (splitmix64's finaliser): ids that differ in a few bits
 * land far apart. */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The slot of id: its own, a free one, a stale one, or (all busy) the
 * first probed, shared. Returns the index of the slot's owner word. */
static size_t
slot_of(uint64_t *t, uint64_t id, uint64_t win)
{
	size_t		h = (size_t)(mix(id) % SHARED_RL_SLOTS), i, s;
	size_t		stale = SIZE_MAX;
	uint64_t	owner, expect;

	for (i = 0; i < RATELIMIT_PROBES; i++) {
		s = 2 * ((h + i) % SHARED_RL_SLOTS);
		owner = __atomic_load_n(&t[s], __ATOMIC_ACQUIRE);
		if (owner == id)
			return s;
		if (owner == 0) {
			expect = 0;
			if (__atomic_compare_exchange_n(&t[s], &expect, id, 0,
			    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ||
			    expect == id)
				return s;
			continue;
		}
		if (stale == SIZE_MAX && ST_WINDOW(__atomic_load_n(&t[s + 1],
		    __ATOMIC_ACQUIRE)) != win)
			stale = s;
	}
	if (stale != SIZE_MAX) {
		expect = __atomic_load_n(&t[stale], __ATOMIC_ACQUIRE);
		if (__atomic_compare_exchange_n(&t[stale], &expect, id, 0,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) || expect == id)
			return stale;
	}
	return 2 * h;
}

int
ratelimit_take(uint64_t id, int64_t limit, int64_t window_s, int64_t now,
    struct ratelimit *out)
{
	uint64_t	*t = shared_ratelimit();
	uint64_t	 win = (uint64_t)(now / window_s) & 0xffffffffu;
	uint64_t	 st, next, c;
	size_t		 s = slot_of(t, id, win);

	out->limit = limit;
	out->reset = (now / window_s + 1) * window_s;
	out->retry_after = out->reset - now > 0 ? out->reset - now : 1;
	st = __atomic_load_n(&t[s + 1], __ATOMIC_ACQUIRE);
	for (;;) {
		if (ST_WINDOW(st) != win)
			c = 0;
		else
			c = ST_COUNT(st);
		if (c >= (uint64_t)limit) {
			out->allowed = 0;
			out->remaining = 0;
			return 0;
		}
		next = win << 32 | (c + 1);
		if (__atomic_compare_exchange_n(&t[s + 1], &st, next, 0,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			break;
	}
	out->allowed = 1;
	out->remaining = limit - (int64_t)(c + 1);
	return 1;
}
