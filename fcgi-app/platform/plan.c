/* plan.c: plans and the shops on them (plan.h). */
#include "core/common.h"

#include "core/config.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/plan.h"
#include "platform/tenant.h"

#define PLAN_COLS "SELECT p.id, p.code, p.name, p.price, p.currency, " \
	"p.max_products, p.max_staff, p.max_media_bytes, " \
	"p.max_orders_month, p.max_api_15min, p.max_domains, " \
	"p.trial_days, p.is_default "

/* A plan as the audit shows it (platform/audit.h). */
#define SNAP_SQL "SELECT JSON_OBJECT('code', code, 'name', name, " \
	"'price', price, 'currency', currency, 'max_products', max_products, " \
	"'max_staff', max_staff, 'max_media_bytes', max_media_bytes, " \
	"'max_orders_month', max_orders_month, 'max_api_15min', " \
	"max_api_15min, 'max_domains', max_domains, 'trial_days', " \
	"trial_days, 'is_default', is_default) FROM souk_plans WHERE id = ? " \
	"FOR UPDATE"

enum {
	Q_LIST,
	Q_BY_ID,
	Q_BY_CODE,
	Q_INSERT,
	Q_UPDATE,
	Q_DELETE,
	Q_IN_USE,
	Q_NO_DEFAULT,
	Q_DEFAULT,
	Q_TENANT_LOCK,
	Q_ASSIGN,
	Q_RECORD,
	Q_OF_TENANT,
	Q_SNAP,
	Q__MAX
};

static const char *const q[Q__MAX] = {
	[Q_LIST] = PLAN_COLS ", (SELECT COUNT(*) FROM souk_tenants t "
	    "WHERE t.plan_id = p.id) FROM souk_plans p "
	    "ORDER BY p.price, p.id LIMIT 200",
	[Q_BY_ID] = PLAN_COLS "FROM souk_plans p WHERE p.id = ?",
	[Q_BY_CODE] = PLAN_COLS "FROM souk_plans p WHERE p.code = ?",
	[Q_INSERT] = "INSERT INTO souk_plans (code, name, price, "
	    "max_products, max_staff, max_media_bytes, max_orders_month, "
	    "max_api_15min, max_domains, trial_days, currency) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[Q_UPDATE] = "UPDATE souk_plans SET code = ?, name = ?, price = ?, "
	    "max_products = ?, max_staff = ?, max_media_bytes = ?, "
	    "max_orders_month = ?, max_api_15min = ?, max_domains = ?, "
	    "trial_days = ? WHERE id = ?",
	/* Locks the plan against a shop moving onto it meanwhile. */
	[Q_IN_USE] = "SELECT p.is_default, (SELECT COUNT(*) FROM "
	    "souk_tenants t WHERE t.plan_id = p.id) FROM souk_plans p "
	    "WHERE p.id = ? FOR UPDATE",
	[Q_DELETE] = "DELETE FROM souk_plans WHERE id = ?",
	[Q_NO_DEFAULT] = "UPDATE souk_plans SET is_default = 0 "
	    "WHERE is_default = 1",
	[Q_DEFAULT] = "UPDATE souk_plans SET is_default = 1 WHERE id = ?",
	/* The shop's row, locked: two changes of one shop in turn, each
	 * recorded with the plan it left. Takes a shared lock on the plan
	 * so it cannot be deleted under the move. */
	[Q_TENANT_LOCK] = "SELECT t.plan_id, (SELECT id FROM souk_plans "
	    "WHERE id = ? LOCK IN SHARE MODE) FROM souk_tenants t "
	    "WHERE t.id = ? FOR UPDATE",
	[Q_ASSIGN] = "UPDATE souk_tenants SET plan_id = ?, "
	    "trial_ends_at = NULLIF(?, '') WHERE id = ?",
	[Q_RECORD] = "INSERT INTO souk_plan_changes (tenant_id, "
	    "from_plan_id, to_plan_id, trial_ends_at, changed_at) "
	    "VALUES (?, ?, ?, NULLIF(?, ''), UTC_TIMESTAMP())",
	/* A shop without a plan (made before plans) is on the default. */
	[Q_SNAP] = SNAP_SQL,
	[Q_OF_TENANT] = PLAN_COLS ", IFNULL(DATE_FORMAT(t.trial_ends_at, "
	    "'%Y-%m-%d'), '') FROM souk_tenants t JOIN souk_plans p "
	    "ON p.id = IFNULL(t.plan_id, (SELECT id FROM souk_plans "
	    "WHERE is_default = 1 ORDER BY id LIMIT 1)) WHERE t.id = ?",
};

static const char *const limit_names[PLAN_LIMIT__MAX] = {
	[PLAN_PRODUCTS] = "products",
	[PLAN_STAFF] = "staff",
	[PLAN_MEDIA_BYTES] = "media_bytes",
	[PLAN_ORDERS_MONTH] = "orders_month",
	[PLAN_API_15MIN] = "api_15min",
	[PLAN_DOMAINS] = "domains",
};

const char *
plan_limit_name(enum plan_limit l)
{
	return (unsigned)l < PLAN_LIMIT__MAX ? limit_names[l] : "unknown";
}

int
plan_limit_parse(struct str s)
{
	return str_index(s, limit_names, PLAN_LIMIT__MAX);
}

int
plan_code_valid(struct str code)
{
	size_t i;

	if (code.len == 0 || code.len > PLAN_CODE_MAX)
		return 0;
	for (i = 0; i < code.len; i++) {
		char c = code.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c == '-' && i > 0 && i + 1 < code.len)))
			return 0;
	}
	return 1;
}

int
plan_date_valid(struct str d)
{
	int64_t y, m, day;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (d.len != 10 || d.p[4] != '-' || d.p[7] != '-' ||
	    str_to_i64((struct str){ d.p, 4 }, 2000, 9999, &y) == -1 ||
	    str_to_i64((struct str){ d.p + 5, 2 }, 1, 12, &m) == -1 ||
	    str_to_i64((struct str){ d.p + 8, 2 }, 1, 31, &day) == -1)
		return 0;
	if (day > mdays[m - 1])
		return 0;
	/* 29 February of a year that has none. */
	if (m == 2 && day == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return 0;
	return 1;
}

static json_object *
snapshot(struct db *db, int64_t id, int *err)
{
	struct db_stmt *st = db_prepare(db, q[Q_SNAP], 0);

	if (st == NULL) {
		*err = 1;
		return NULL;
	}
	db_bind_i64(st, 0, id);
	return audit_snapshot(st, err);
}

/* Records action on plan id, before (the caller's) and as it is now.
 * 0 or -1. */
static int
audit_plan(struct db *db, const char *action, int64_t id, json_object *before)
{
	json_object	*after;
	int		 err, rc;

	after = snapshot(db, id, &err);
	rc = err ? -1 : audit_log(db, 0, action, "plan", id, before, after);
	json_object_put(after);
	return rc;
}

static void
read_plan(struct db_stmt *st, struct plan *p)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->id = db_col_i64(st, 0);
	str_copy(p->code, sizeof(p->code), db_col_str(st, 1));
	str_copy(p->name, sizeof(p->name), db_col_str(st, 2));
	p->price = db_col_i64(st, 3);
	str_copy(p->currency, sizeof(p->currency), db_col_str(st, 4));
	for (i = 0; i < PLAN_LIMIT__MAX; i++)
		p->limits[i] = db_col_null(st, 5 + (unsigned)i) ?
		    PLAN_UNLIMITED : db_col_i64(st, 5 + (unsigned)i);
	p->trial_days = (int)db_col_i64(st, 11);
	p->is_default = db_col_i64(st, 12) != 0;
}

enum plan_err
plan_list(struct db *db, struct arena *a, struct plan **out, size_t *n)
{
	struct db_stmt	*st;
	size_t		 cap = 16;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, q[Q_LIST], 0)) == NULL ||
	    db_exec(st, NULL) == -1)
		return PLAN_EDB;
	*out = arena_alloc(a, cap * sizeof(**out));
	while ((rc = db_step(st)) == 1) {
		if (*n == cap) {
			struct plan *more = arena_alloc(a, 2 * cap *
			    sizeof(*more));

			memcpy(more, *out, cap * sizeof(*more));
			*out = more;
			cap *= 2;
		}
		read_plan(st, &(*out)[*n]);
		(*out)[*n].shops = db_col_i64(st, 13);
		(*n)++;
	}
	db_done(st);
	return rc == 0 ? PLAN_OK : PLAN_EDB;
}

static enum plan_err
get_one(struct db *db, int which, int64_t id, struct str code,
    struct plan *out)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, q[which], 0)) == NULL)
		return PLAN_EDB;
	if (which == Q_BY_ID)
		db_bind_i64(st, 0, id);
	else
		db_bind_str(st, 0, code);
	if (db_exec(st, NULL) == -1)
		return PLAN_EDB;
	if ((rc = db_step(st)) == 1)
		read_plan(st, out);
	db_done(st);
	return rc == 1 ? PLAN_OK : rc == 0 ? PLAN_ENOTFOUND : PLAN_EDB;
}

enum plan_err
plan_get(struct db *db, int64_t id, struct plan *out)
{
	return get_one(db, Q_BY_ID, id, STR(""), out);
}

enum plan_err
plan_get_by_code(struct db *db, struct str code, struct plan *out)
{
	/* Checked first: the column is ASCII. */
	if (!plan_code_valid(code))
		return PLAN_ENOTFOUND;
	return get_one(db, Q_BY_CODE, 0, code, out);
}

static enum plan_err
validate(const struct plan *in)
{
	struct str	name = str_c(in->name);
	int		i;

	if (!plan_code_valid(str_c(in->code)))
		return PLAN_EINVAL_CODE;
	if (!str_valid_text(name) || str_trim(name).len == 0 ||
	    str_chars(name) > PLAN_NAME_MAX)
		return PLAN_EINVAL_NAME;
	if (in->price < 0 || in->price > PLAN_PRICE_MAX)
		return PLAN_EINVAL_PRICE;
	for (i = 0; i < PLAN_LIMIT__MAX; i++)
		if (in->limits[i] < PLAN_UNLIMITED ||
		    in->limits[i] > PLAN_LIMIT_MAX)
			return PLAN_EINVAL_LIMIT;
	if (in->trial_days < 0 || in->trial_days > PLAN_TRIAL_MAX)
		return PLAN_EINVAL_TRIAL;
	return PLAN_OK;
}

struct save {
	int64_t			 id;
	const struct plan	*in;
	const char		*currency;
};

static int
save_tx(struct db *db, void *arg)
{
	struct save	*sv = arg;
	struct db_stmt	*st;
	json_object	*before = NULL;
	unsigned	 i;
	int		 err, rc, created = sv->id == 0;

	if (!created && (before = snapshot(db, sv->id, &err)) == NULL)
		return err ? PLAN_EDB : PLAN_ENOTFOUND;
	if ((st = db_prepare(db, q[created ? Q_INSERT : Q_UPDATE], 0)) ==
	    NULL) {
		json_object_put(before);
		return PLAN_EDB;
	}
	db_bind_cstr(st, 0, sv->in->code);
	db_bind_str(st, 1, str_trim(str_c(sv->in->name)));
	db_bind_i64(st, 2, sv->in->price);
	for (i = 0; i < PLAN_LIMIT__MAX; i++)
		if (sv->in->limits[i] == PLAN_UNLIMITED)
			db_bind_null(st, 3 + i);
		else
			db_bind_i64(st, 3 + i, sv->in->limits[i]);
	db_bind_i64(st, 9, sv->in->trial_days);
	if (!created)
		db_bind_i64(st, 10, sv->id);
	else
		db_bind_cstr(st, 10, sv->currency);
	if (db_exec(st, NULL) == -1) {
		json_object_put(before);
		return db_errclass(db) == DB_EDUP ? PLAN_ECODE_TAKEN : PLAN_EDB;
	}
	if (created)
		sv->id = (int64_t)db_insert_id(st);
	rc = audit_plan(db, created ? "plan.create" : "plan.update", sv->id,
	    before);
	json_object_put(before);
	return rc == -1 ? PLAN_EDB : PLAN_OK;
}

enum plan_err
plan_save(struct db *db, int64_t id, const struct plan *in, int64_t *id_out)
{
	struct save	sv = { id, in, in->currency[0] ? in->currency :
			    config_get("platform_currency", "EUR") };
	enum plan_err	e;
	int		rc;

	if ((e = validate(in)) != PLAN_OK)
		return e;
	if ((rc = db_tx_run(db, save_tx, &sv)) != 0) {
		/* A retried insert keeps no id of the rolled-back try. */
		return rc == -1 ? PLAN_EDB : (enum plan_err)rc;
	}
	/* Every shop on it has new limits. */
	tenant_cache_invalidate();
	if (id_out != NULL)
		*id_out = sv.id;
	return PLAN_OK;
}

static int
delete_tx(struct db *db, void *arg)
{
	const int64_t	*id = arg;
	struct db_stmt	*st;
	json_object	*before;
	int		 rc, err, in_use = 0;

	if ((st = db_prepare(db, q[Q_IN_USE], 0)) == NULL)
		return PLAN_EDB;
	db_bind_i64(st, 0, *id);
	if (db_exec(st, NULL) == -1)
		return PLAN_EDB;
	if ((rc = db_step(st)) == 1)
		in_use = db_col_i64(st, 0) != 0 || db_col_i64(st, 1) > 0;
	db_done(st);
	if (rc != 1)
		return rc == 0 ? PLAN_ENOTFOUND : PLAN_EDB;
	if (in_use)
		return PLAN_EIN_USE;
	if ((before = snapshot(db, *id, &err)) == NULL)
		return err ? PLAN_EDB : PLAN_ENOTFOUND;
	rc = audit_log(db, 0, "plan.delete", "plan", *id, before, NULL);
	json_object_put(before);
	if (rc == -1 || (st = db_prepare(db, q[Q_DELETE], 0)) == NULL)
		return PLAN_EDB;
	db_bind_i64(st, 0, *id);
	return db_exec(st, NULL) == -1 ? PLAN_EDB : PLAN_OK;
}

enum plan_err
plan_delete(struct db *db, int64_t id)
{
	int rc = db_tx_run(db, delete_tx, &id);

	return rc == -1 ? PLAN_EDB : (enum plan_err)rc;
}

static int
default_tx(struct db *db, void *arg)
{
	const int64_t	*id = arg;
	struct db_stmt	*st;
	json_object	*before;
	int		 err, rc;

	if ((st = db_prepare(db, q[Q_NO_DEFAULT], 0)) == NULL ||
	    db_exec(st, NULL) == -1)
		return PLAN_EDB;
	if ((before = snapshot(db, *id, &err)) == NULL)
		return err ? PLAN_EDB : PLAN_ENOTFOUND;
	if ((st = db_prepare(db, q[Q_DEFAULT], 0)) == NULL) {
		json_object_put(before);
		return PLAN_EDB;
	}
	db_bind_i64(st, 0, *id);
	rc = db_exec(st, NULL) == -1 ? -1 : audit_plan(db, "plan.default",
	    *id, before);
	json_object_put(before);
	return rc == -1 ? PLAN_EDB : PLAN_OK;
}

enum plan_err
plan_set_default(struct db *db, int64_t id)
{
	int rc = db_tx_run(db, default_tx, &id);

	return rc == -1 ? PLAN_EDB : (enum plan_err)rc;
}

struct assign {
	int64_t		 tenant;
	int64_t		 plan;
	const char	*trial;
};

static int
assign_tx(struct db *db, void *arg)
{
	struct assign	*as = arg;
	struct db_stmt	*st;
	int64_t		 from = 0;
	int		 rc, from_null = 1;

	if ((st = db_prepare(db, q[Q_TENANT_LOCK], 0)) == NULL)
		return PLAN_EDB;
	db_bind_i64(st, 0, as->plan);
	db_bind_i64(st, 1, as->tenant);
	if (db_exec(st, NULL) == -1)
		return PLAN_EDB;
	if ((rc = db_step(st)) == 1) {
		from_null = db_col_null(st, 0);
		from = db_col_i64(st, 0);
		if (db_col_null(st, 1))
			rc = 0;		/* no such plan */
	}
	db_done(st);
	if (rc != 1)
		return rc == 0 ? PLAN_ENOTFOUND : PLAN_EDB;
	if ((st = db_prepare(db, q[Q_ASSIGN], 0)) == NULL)
		return PLAN_EDB;
	db_bind_i64(st, 0, as->plan);
	db_bind_cstr(st, 1, as->trial);
	db_bind_i64(st, 2, as->tenant);
	if (db_exec(st, NULL) == -1)
		return PLAN_EDB;
	if ((st = db_prepare(db, q[Q_RECORD], 0)) == NULL)
		return PLAN_EDB;
	db_bind_i64(st, 0, as->tenant);
	if (from_null)
		db_bind_null(st, 1);
	else
		db_bind_i64(st, 1, from);
	db_bind_i64(st, 2, as->plan);
	db_bind_cstr(st, 3, as->trial);
	return db_exec(st, NULL) == -1 ? PLAN_EDB : PLAN_OK;
}

static int
audited_assign_tx(struct db *db, void *arg)
{
	struct assign *as = arg;

	return tenant_audit_tx(db, as->tenant, "shop.plan", assign_tx, as);
}

enum plan_err
plan_assign(struct db *db, int64_t tenant_id, int64_t plan_id,
    const char *trial_ends)
{
	struct assign	as = { tenant_id, plan_id, trial_ends ? trial_ends :
			    "" };
	int		rc;

	if (as.trial[0] != '\0' && !plan_date_valid(str_c(as.trial)))
		return PLAN_EINVAL_DATE;
	rc = db_tx_run(db, audited_assign_tx, &as);
	if (rc == TENANT_ENOTFOUND)
		return PLAN_ENOTFOUND;
	if (rc != 0)
		return rc == -1 ? PLAN_EDB : (enum plan_err)rc;
	tenant_changed(tenant_id);
	return PLAN_OK;
}

enum plan_err
plan_of_tenant(struct db *db, int64_t tenant_id, struct plan *out,
    char trial_ends[11])
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, q[Q_OF_TENANT], 0)) == NULL)
		return PLAN_EDB;
	db_bind_i64(st, 0, tenant_id);
	if (db_exec(st, NULL) == -1)
		return PLAN_EDB;
	if ((rc = db_step(st)) == 1) {
		read_plan(st, out);
		if (trial_ends != NULL)
			str_copy(trial_ends, 11, db_col_str(st, 13));
	}
	db_done(st);
	return rc == 1 ? PLAN_OK : rc == 0 ? PLAN_ENOTFOUND : PLAN_EDB;
}

const char *
plan_strerror(enum plan_err e)
{
	switch (e) {
	case PLAN_OK:
		return "ok";
	case PLAN_EDB:
		return "database error";
	case PLAN_ENOTFOUND:
		return "no such plan or shop";
	case PLAN_EINVAL_CODE:
		return "a plan's code is 1 to 40 of a-z, 0-9 and '-'";
	case PLAN_EINVAL_NAME:
		return "a plan's name is 1 to 100 characters";
	case PLAN_EINVAL_PRICE:
		return "a price is 0 or more, in minor units";
	case PLAN_EINVAL_LIMIT:
		return "a limit is 0 or more, or unlimited";
	case PLAN_EINVAL_TRIAL:
		return "trial days are 0 to 365";
	case PLAN_EINVAL_DATE:
		return "a date is YYYY-MM-DD";
	case PLAN_ECODE_TAKEN:
		return "another plan has this code";
	case PLAN_EIN_USE:
		return "the default plan, or shops are on it";
	}
	return "unknown error";
}
