/* quota.c: plans' limits where the work happens (quota.h). */
#include "core/common.h"

#include "core/i18n.h"
#include "db/db.h"
#include "platform/quota.h"
#include "platform/tenant.h"

/* The shop's quota row: inserted by the first check, locked by each. */
static const char q_lock[] =
	"INSERT INTO {p}settings (name, num) VALUES ('quota_lock', 0) "
	"ON DUPLICATE KEY UPDATE num = num";

/* The plan's limit, on the main server, then what the shop holds, on
 * its own (db.h, "Shops on several servers"), both after the lock. A
 * shop without a plan is on the default one. */
#define PLAN_OF "FROM souk_tenants t JOIN souk_plans p ON p.id = " \
	"IFNULL(t.plan_id, (SELECT id FROM souk_plans WHERE is_default = 1 " \
	"ORDER BY id LIMIT 1)) WHERE t.id = ?"

static const char *const q_limit[PLAN_LIMIT__MAX] = {
	[PLAN_PRODUCTS] = "SELECT p.max_products " PLAN_OF,
	[PLAN_STAFF] = "SELECT p.max_staff " PLAN_OF,
	[PLAN_MEDIA_BYTES] = "SELECT p.max_media_bytes " PLAN_OF,
	[PLAN_DOMAINS] = "SELECT p.max_domains, (SELECT COUNT(*) FROM "
	    "souk_domains d WHERE d.tenant_id = t.id) " PLAN_OF,
};

/* The invitations still open live beside the shop's staff (jobs.h):
 * each may become one. */
static const char *const q_used[PLAN_LIMIT__MAX] = {
	[PLAN_PRODUCTS] = "SELECT COUNT(*) FROM {p}products WHERE ? > 0",
	[PLAN_STAFF] = "SELECT (SELECT COUNT(*) FROM {p}staff WHERE "
	    "role <> 'owner') + (SELECT COUNT(*) FROM souk_staff_invites i "
	    "WHERE i.tenant_id = ? AND i.expires_at > UTC_TIMESTAMP())",
	[PLAN_MEDIA_BYTES] = "SELECT IFNULL(SUM(bytes), 0) FROM {p}images "
	    "WHERE ? > 0",
};

/* Runs st (bound to tenant) for one row; its column c into *v unless
 * NULL (*v stays). 0, or -1. */
static int
one_i64(struct db_stmt *st, int64_t tenant, unsigned c, int64_t *v)
{
	int rc;

	db_bind_i64(st, 0, tenant);
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((rc = db_step(st)) == 1 && !db_col_null(st, c))
		*v = db_col_i64(st, c);
	db_done(st);
	return rc == -1 ? -1 : 0;
}

enum quota_rc
quota_room(struct db *db, int64_t tenant, enum plan_limit l, int64_t *room)
{
	struct db_stmt	*st;
	int64_t		 limit = PLAN_UNLIMITED, used = 0;

	*room = PLAN_UNLIMITED;
	if ((unsigned)l >= PLAN_LIMIT__MAX || q_limit[l] == NULL)
		return QUOTA_OK;
	if ((st = db_prepare(db, q_lock, tenant)) == NULL ||
	    db_exec(st, NULL) == -1)
		return QUOTA_EDB;
	if ((st = db_prepare(db, q_limit[l], 0)) == NULL ||
	    one_i64(st, tenant, 0, &limit) == -1)
		return QUOTA_EDB;
	if (limit == PLAN_UNLIMITED)
		return QUOTA_OK;
	if (q_used[l] == NULL) {
		if ((st = db_prepare(db, q_limit[l], 0)) == NULL ||
		    one_i64(st, tenant, 1, &used) == -1)
			return QUOTA_EDB;
	} else if ((st = db_prepare_on(db, q_used[l], tenant)) == NULL ||
	    one_i64(st, tenant, 0, &used) == -1)
		return QUOTA_EDB;
	*room = used < limit ? limit - used : 0;
	return QUOTA_OK;
}

enum quota_rc
quota_check(struct db *db, int64_t tenant, enum plan_limit l, int64_t adding)
{
	int64_t room;

	if (quota_room(db, tenant, l, &room) == QUOTA_EDB)
		return QUOTA_EDB;
	return room == PLAN_UNLIMITED || adding <= room ? QUOTA_OK :
	    QUOTA_EXCEEDED;
}

const char *
quota_message(struct db *db, struct arena *a, int64_t tenant,
    enum plan_limit l)
{
	struct plan	 p;
	long long	 n;
	const char	*where = _("To go further, choose a larger plan on the "
			    "Plan page of the shop's admin.");

	if (plan_of_tenant(db, tenant, &p, NULL) != PLAN_OK)
		return _("This shop's plan does not allow more of this.");
	n = (long long)p.limits[l];
	switch (l) {
	case PLAN_PRODUCTS:
		return arena_printf(a, ngettext("This shop's plan, %s, "
		    "allows %lld product. %s", "This shop's plan, %s, allows "
		    "%lld products. %s", (unsigned long)n), p.name, n, where);
	case PLAN_STAFF:
		return arena_printf(a, ngettext("This shop's plan, %s, "
		    "allows %lld staff account besides the owner. %s",
		    "This shop's plan, %s, allows %lld staff accounts besides "
		    "the owner. %s", (unsigned long)n), p.name, n, where);
	case PLAN_MEDIA_BYTES:
		return arena_printf(a, _("This shop's plan, %s, allows %lld MB "
		    "of images, and this one would pass it. Delete images you "
		    "no longer need. %s"), p.name, n / 1000000, where);
	case PLAN_DOMAINS:
		return arena_printf(a, ngettext("This shop's plan, %s, "
		    "allows %lld custom domain. %s", "This shop's plan, %s, "
		    "allows %lld custom domains. %s", (unsigned long)n),
		    p.name, n, where);
	case PLAN_API_15MIN:
		return arena_printf(a, ngettext("This shop's plan, %s, "
		    "allows %lld API request every 15 minutes. Please wait "
		    "and try again. %s", "This shop's plan, %s, allows %lld "
		    "API requests every 15 minutes. Please wait and try "
		    "again. %s", (unsigned long)n), p.name, n, where);
	case PLAN_ORDERS_MONTH:
	case PLAN_LIMIT__MAX:
		break;
	}
	return _("This shop's plan does not allow more of this.");
}

int
quota_api_take(const struct tenant *t, int64_t now, struct ratelimit *rl)
{
	/* Keys count under (shop << 32 | key id); the shop's own bucket
	 * takes the id no key reaches. */
	uint64_t id = (uint64_t)t->id << 32 | 0xffffffffu;

	if (t->api_limit < 0) {
		memset(rl, 0, sizeof(*rl));
		rl->allowed = 1;
		rl->limit = -1;
		return 1;
	}
	if (t->api_limit == 0) {
		memset(rl, 0, sizeof(*rl));
		rl->reset = now - now % QUOTA_API_WINDOW + QUOTA_API_WINDOW;
		rl->retry_after = rl->reset - now;
		return 0;
	}
	return ratelimit_take(id, t->api_limit, QUOTA_API_WINDOW, now, rl);
}
