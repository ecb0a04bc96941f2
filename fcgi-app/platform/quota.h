/*
 * quota.h: a plan's limits (platform/plan.h), enforced where the work
 * happens: creating a product, storing an image, inviting staff, adding
 * a custom domain, and each API request of a shop.
 *
 * quota_check() runs inside the caller's write transaction, as its
 * first statement: it locks the shop's one quota row ({p}settings
 * 'quota_lock'), then reads the plan's limit and what the shop holds.
 * Two writers of one shop so take turns, and each counts what the one
 * before it committed: 100 products created at once on a plan of 100
 * end with 100, never 101. (The count must be the transaction's first
 * read: under REPEATABLE READ a read before the lock would fix an
 * older view.) A check costs two statements: the lock and the read.
 *
 * Orders a month are counted, never refused: shoppers are never turned
 * away because of the shop's plan (only a suspension does that).
 *
 * API requests are counted per shop in the pool's shared memory
 * (core/ratelimit.h): exact on one VM, at most N times the limit with
 * N VMs.
 */
#ifndef SOUK_QUOTA_H
#define SOUK_QUOTA_H

#include <stdint.h>
#include "core/arena.h"
#include "core/ratelimit.h"
#include "platform/plan.h"

struct db;
struct tenant;

enum quota_rc {
	QUOTA_EDB = -1,
	QUOTA_OK = 0,
	QUOTA_EXCEEDED = 1,
};

/*
 * Inside a transaction on db: 1 (QUOTA_EXCEEDED) when shop tenant
 * holding `adding` more of limit l (products, staff, media bytes,
 * domains) would pass its plan's limit, QUOTA_OK when it fits (the
 * quota row stays locked until the transaction ends), QUOTA_EDB.
 */
enum quota_rc quota_check(struct db *db, int64_t tenant, enum plan_limit l,
		    int64_t adding);

/* quota_check()'s reading: how many more of l shop tenant's plan
 * allows into *room (PLAN_UNLIMITED when it has no such limit), with
 * the quota row locked as quota_check() does. For a writer that adds
 * many in one transaction (an import's batch). QUOTA_OK or EDB. */
enum quota_rc quota_room(struct db *db, int64_t tenant, enum plan_limit l,
		    int64_t *room);

/*
 * The translated message for a refusal of limit l of shop tenant: names
 * the plan and its limit, and where to choose a larger one. Reads the
 * plan; in a. Never NULL.
 */
const char	*quota_message(struct db *db, struct arena *a, int64_t tenant,
		    enum plan_limit l);

/*
 * Counts one API request of shop t against its plan's api_limit in a
 * 15-minute window; fills *rl. 1 when allowed (always, for a plan
 * without that limit: rl->limit is then -1).
 */
int	quota_api_take(const struct tenant *t, int64_t now,
	    struct ratelimit *rl);

#define QUOTA_API_WINDOW	900	/* seconds */

#endif
