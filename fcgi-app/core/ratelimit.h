/*
 * ratelimit.h: requests per key and time window, counted in the memory
 * all processes of the pool share (core/shared.h), so the limit holds
 * whichever worker answers.
 *
 * Windows are fixed: window w covers [w * window_s, (w + 1) * window_s)
 * of the Unix clock, and a key's count starts again at the next one
 * (WooCommerce's own limiter works so too). A key's slot is one 64-bit
 * word holding (window number << 32 | count), changed only by
 * compare-and-swap: under any concurrency at most `limit` requests of a
 * key pass in a window, exactly.
 *
 * Slots: SHARED_RL_SLOTS, found by a hash of the key's id with up to
 * RATELIMIT_PROBES probes. A key takes a free slot, or one whose owner
 * has not been seen in the current window (its count would start
 * again anyway, so nothing is lost). When all probed slots belong to
 * keys busy in this window, the key shares the first probed slot's
 * counter with its owner: both are then limited together, which is
 * stricter than the limit, never looser. That needs more than
 * SHARED_RL_SLOTS keys busy in one window on one VM in the same probe
 * run. The one loss: a key whose slot is taken over in the instant it
 * is first used in a window may be counted in the new owner's slot
 * once and then find another: at most one request more per window.
 *
 * Per VM: each VM of the platform has its own shared memory, so with
 * N VMs behind a balancer a key may make up to N * limit requests per
 * window (a balancer that keeps a key's requests on one VM keeps the
 * limit exact). Counters are lost when the pool's master restarts or
 * reloads (a reload executes the program anew: http/pool.h).
 */
#ifndef SOUK_RATELIMIT_H
#define SOUK_RATELIMIT_H

#include <stdint.h>

#define RATELIMIT_PROBES	8

struct ratelimit {
	int		allowed;	/* 1: within the limit */
	int64_t		limit;
	int64_t		remaining;	/* after this request */
	int64_t		reset;		/* Unix time the window ends */
	int64_t		retry_after;	/* seconds until then, >= 1 */
};

/*
 * Counts one request of id (nonzero: e.g. shop << 32 | key id) at
 * Unix time now against limit (>= 1) per window_s (>= 1) seconds, and
 * fills *out. Returns out->allowed. Never blocks, never allocates.
 */
int	ratelimit_take(uint64_t id, int64_t limit, int64_t window_s,
	    int64_t now, struct ratelimit *out);

#endif
