/*
 * plan.h: the plans an operator sells (souk_plans) and which one each
 * shop is on (souk_tenants.plan_id, trial_ends_at, and the history in
 * souk_plan_changes that the month's invoice is computed from).
 *
 * A plan has a code (what soukctl and the tenant API name it by), a
 * name shoppers never see, a monthly price in minor units of its
 * currency, limits (PLAN_UNLIMITED or >= 0) and the free days a new
 * shop on it gets. Exactly one plan is the default: new shops start on
 * it (provision.c), with a trial when it has trial days. The default
 * plan cannot be deleted, nor a plan a shop is on.
 *
 * Limits are enforced by platform/quota.h where the work happens; a
 * change of a shop's plan, or of a plan's limits, holds at once: the
 * checks read the plan in the writing transaction, and every worker's
 * cached shop (tenant.h) is dropped.
 *
 * struct plan is a flat value; lists are allocated in the arena given.
 */
#ifndef SOUK_PLAN_H
#define SOUK_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/str.h"

struct db;

#define PLAN_UNLIMITED	(-1)
#define PLAN_CODE_MAX	40	/* a-z 0-9 '-' */
#define PLAN_NAME_MAX	100	/* characters */
#define PLAN_TRIAL_MAX	365	/* days */
#define PLAN_PRICE_MAX	INT64_C(1000000000000)	/* minor units */
#define PLAN_LIMIT_MAX	INT64_C(1000000000000000)	/* any limit */

enum plan_limit {
	PLAN_PRODUCTS,
	PLAN_STAFF,		/* staff besides the owner, invitations too */
	PLAN_MEDIA_BYTES,
	PLAN_ORDERS_MONTH,	/* counted and shown; shoppers never refused */
	PLAN_API_15MIN,		/* API requests of the shop, 15 minutes */
	PLAN_DOMAINS,		/* custom domains */
	PLAN_LIMIT__MAX
};

struct plan {
	int64_t	id;
	char	code[PLAN_CODE_MAX + 1];
	char	name[4 * PLAN_NAME_MAX + 1];
	int64_t	price;			/* a month, minor units */
	char	currency[4];
	int64_t	limits[PLAN_LIMIT__MAX];/* PLAN_UNLIMITED or >= 0 */
	int	trial_days;
	int	is_default;
	int64_t	shops;			/* on it (plan_list() only) */
};

enum plan_err {
	PLAN_OK = 0,
	PLAN_EDB,
	PLAN_ENOTFOUND,
	PLAN_EINVAL_CODE,
	PLAN_EINVAL_NAME,
	PLAN_EINVAL_PRICE,
	PLAN_EINVAL_LIMIT,
	PLAN_EINVAL_TRIAL,
	PLAN_EINVAL_DATE,	/* a trial's end: YYYY-MM-DD */
	PLAN_ECODE_TAKEN,
	PLAN_EIN_USE,		/* the default plan, or shops are on it */
};

/* Every plan, cheapest first, with the number of shops on each. */
enum plan_err plan_list(struct db *db, struct arena *a, struct plan **out,
		    size_t *n);

enum plan_err plan_get(struct db *db, int64_t id, struct plan *out);
enum plan_err plan_get_by_code(struct db *db, struct str code,
		    struct plan *out);

/*
 * Creates (id 0) or updates plan id from in (code, name, price,
 * limits, trial_days; in->currency "" takes platform_currency on
 * creation; the currency of an existing plan stays). Validates first:
 * EINVAL_* for the first bad field, ECODE_TAKEN, ENOTFOUND, EDB.
 * *id_out (may be NULL) gets the plan's id.
 */
enum plan_err plan_save(struct db *db, int64_t id, const struct plan *in,
		    int64_t *id_out);

/* Deletes a plan no shop is on and that is not the default. */
enum plan_err plan_delete(struct db *db, int64_t id);

/* Makes plan id the default for new shops. */
enum plan_err plan_set_default(struct db *db, int64_t id);

/*
 * Puts shop tenant_id on plan plan_id from now, with a trial until
 * trial_ends ("YYYY-MM-DD"; NULL or "" for none), recorded in
 * souk_plan_changes. ENOTFOUND (shop or plan), EINVAL_DATE, EDB.
 */
enum plan_err plan_assign(struct db *db, int64_t tenant_id, int64_t plan_id,
		    const char *trial_ends);

/* The plan shop tenant_id is on (the default when it has none), and
 * its trial's end ("YYYY-MM-DD" or "") when trial_ends is not NULL. */
enum plan_err plan_of_tenant(struct db *db, int64_t tenant_id,
		    struct plan *out, char trial_ends[11]);

/* "products", "staff", ...: the names soukctl and the APIs use; and
 * back (-1 when unknown). */
const char	*plan_limit_name(enum plan_limit l);
int		 plan_limit_parse(struct str s);

/* Pure validators: 1 when valid. */
int	plan_code_valid(struct str code);
int	plan_date_valid(struct str date);

/* English text of an error code, for soukctl and logs. */
const char	*plan_strerror(enum plan_err e);

#endif
