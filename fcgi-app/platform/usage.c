/* usage.c: a shop's counts (usage.h). */
#include "core/common.h"

#include "db/db.h"
#include "platform/usage.h"

static const char q_usage[] =
	"SELECT (SELECT COUNT(*) FROM {p}products), "
	"(SELECT COUNT(*) FROM {p}variants), "
	"(SELECT COUNT(*) FROM {p}orders), "
	"(SELECT COUNT(*) FROM {p}orders WHERE created_at >= "
	"DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-01')), "
	"(SELECT COUNT(*) FROM {p}customers), "
	"(SELECT IFNULL(SUM(bytes), 0) FROM {p}images), "
	"(SELECT COUNT(*) FROM {p}staff WHERE role <> 'owner') + "
	"(SELECT COUNT(*) FROM souk_staff_invites WHERE tenant_id = ? AND "
	"expires_at > UTC_TIMESTAMP()), "
	"(SELECT COUNT(*) FROM souk_domains WHERE tenant_id = ?)";

int
usage_get(struct db *db, int64_t tenant_id, struct usage *out)
{
	struct db_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = db_prepare(db, q_usage, tenant_id)) == NULL)
		return -1;
	db_bind_i64(st, 0, tenant_id);
	db_bind_i64(st, 1, tenant_id);
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((rc = db_step(st)) == 1) {
		out->products = db_col_i64(st, 0);
		out->variants = db_col_i64(st, 1);
		out->orders = db_col_i64(st, 2);
		out->orders_month = db_col_i64(st, 3);
		out->customers = db_col_i64(st, 4);
		out->media_bytes = db_col_i64(st, 5);
		out->staff = db_col_i64(st, 6);
		out->domains = db_col_i64(st, 7);
	}
	db_done(st);
	return rc == 1 ? 0 : -1;
}
