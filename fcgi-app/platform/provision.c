/* provision.c: creating and deleting shops (see provision.h). */
#include "core/common.h"
#include "core/tz.h"
#include "core/clock.h"

#include <time.h>
#include "core/config.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "platform/account.h"
#include "platform/provision.h"
#include "platform/shop_stock.h"
#include "platform/slug.h"
#include "platform/tenant.h"
/*
 * NEEDSWORK: the one call upwards (platform/ -> shop/): the owner's
 * staff row is shop/'s table, so its SQL lives in shop/staff.c, but
 * provisioning, which must write it before the shop is 'ready', is
 * here. The shop half of provisioning (tables, owner, demo content)
 * could move to a shop/ module that this calls through a hook.
 */
#include "shop/staff.h"

enum {
	Q_INSERT,
	Q_EXISTING,
	Q_TAKEN,
	Q_READY,
	Q_FAILED,
	Q_PLAN_START,
	Q_DEL_DOMAINS,
	Q_DEL_TENANT,
	Q_STOCK_PICK,
	Q_STOCK_NAME,
	Q__MAX
};

static const char *const q[Q__MAX] = {
	/* On the default plan (platform/plan.h), with its trial days. */
	[Q_INSERT] = "INSERT INTO souk_tenants (slug, name, owner_id, status, "
	    "default_locale, locales, currency, time_zone, plan_id, "
	    "trial_ends_at) SELECT ?, ?, ?, 'provisioning', ?, ?, ?, ?, "
	    "p.id, IF(p.trial_days > 0, UTC_DATE() + INTERVAL p.trial_days "
	    "DAY, NULL) FROM (SELECT 1) one LEFT JOIN souk_plans p "
	    "ON p.is_default = 1 ORDER BY p.id LIMIT 1",
	[Q_EXISTING] = "SELECT id, owner_id, status, schema_version "
	    "FROM souk_tenants WHERE slug = ?",
	[Q_TAKEN] = "SELECT t.owner_id, a.email FROM souk_tenants t "
	    "LEFT JOIN souk_accounts a ON a.id = t.owner_id WHERE t.slug = ?",
	/* search_version 1: its tables are new, the search index is whole
	 * (shop/search_index.h); so in Q_STOCK_NAME. */
	[Q_READY] = "UPDATE souk_tenants SET status = 'ready', "
	    "status_reason = '', schema_version = ?, search_version = 1 "
	    "WHERE id = ?",
	[Q_FAILED] = "UPDATE souk_tenants SET status = 'failed', "
	    "status_reason = ? WHERE id = ?",
	/* The plan's history starts with the shop (the month's invoice
	 * reads it, platform/billing.h). */
	[Q_PLAN_START] = "INSERT INTO souk_plan_changes (tenant_id, "
	    "from_plan_id, to_plan_id, trial_ends_at, changed_at) SELECT id, "
	    "NULL, plan_id, trial_ends_at, created_at FROM souk_tenants "
	    "WHERE id = ? AND plan_id IS NOT NULL",
	[Q_DEL_DOMAINS] = "DELETE FROM souk_domains WHERE tenant_id = ?",
	[Q_DEL_TENANT] = "DELETE FROM souk_tenants WHERE id = ?",
	/* The oldest stock shop at the newest migration (shop_stock.h);
	 * SKIP LOCKED: concurrent sign-ups take different ones. */
	[Q_STOCK_PICK] = "SELECT id FROM souk_tenants WHERE status = 'stock' "
	    "AND schema_version = ? ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
	/* What Q_INSERT sets, on the stock shop's row. */
	[Q_STOCK_NAME] = "UPDATE souk_tenants t LEFT JOIN souk_plans p ON "
	    "p.id = (SELECT id FROM souk_plans WHERE is_default = 1 ORDER BY "
	    "id LIMIT 1) SET t.slug = ?, t.name = ?, t.owner_id = ?, "
	    "t.status = 'ready', t.status_reason = '', t.default_locale = ?, "
	    "t.locales = ?, t.currency = ?, t.time_zone = ?, t.plan_id = p.id, "
	    "t.trial_ends_at = IF(p.trial_days > 0, UTC_DATE() + INTERVAL "
	    "p.trial_days DAY, NULL), t.created_at = CURRENT_TIMESTAMP, "
	    "t.search_version = 1 WHERE t.id = ? AND t.status = 'stock'",
};

static enum provision_err
fail(enum provision_err e, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum provision_err
fail(enum provision_err e, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		if (vsnprintf(err, errlen, fmt, ap) < 0)
			err[0] = '\0';	/* cut is harmless: for people */
		va_end(ap);
	}
	return e;
}

static enum provision_err
from_account(enum account_err e)
{
	switch (e) {
	case ACCOUNT_EINVAL_EMAIL:
		return PROVISION_EINVAL_EMAIL;
	case ACCOUNT_EWEAK_PASSWORD:
		return PROVISION_EWEAK_PASSWORD;
	case ACCOUNT_ELONG_PASSWORD:
		return PROVISION_ELONG_PASSWORD;
	case ACCOUNT_EBADLOGIN:
	case ACCOUNT_ELOCKED:
	case ACCOUNT_EEXISTS:
		return PROVISION_EOWNER_AUTH;
	case ACCOUNT_ENOTFOUND:
		return PROVISION_ENO_OWNER;
	default:
		return PROVISION_EDB;
	}
}

/* The owner's account (found, checked or created) into *acct. */
static enum provision_err
owner(struct db *db, const struct provision_req *req, struct account *acct,
    char *err, size_t errlen)
{
	enum account_err	 e;
	int64_t			 id;

	if (req->owner_id > 0) {
		if ((e = account_get(db, req->owner_id, acct)) != ACCOUNT_OK)
			return fail(from_account(e), err, errlen,
			    "owner %lld: %s", (long long)req->owner_id,
			    account_strerror(e));
		return PROVISION_OK;
	}
	e = account_get_by_email(db, req->owner_email, acct);
	if (e == ACCOUNT_ENOTFOUND) {
		e = account_create(db, req->owner_email, req->owner_password,
		    &id);
		/* Lost a race with the same sign-up: check as existing. */
		if (e == ACCOUNT_EEXISTS)
			e = account_login(db, req->owner_email,
			    req->owner_password, &id);
	} else if (e == ACCOUNT_OK)
		e = account_login(db, req->owner_email, req->owner_password,
		    &id);
	if (e == ACCOUNT_OK)
		e = account_get(db, id, acct);
	if (e != ACCOUNT_OK)
		return fail(from_account(e), err, errlen, "owner '%.*s': %s",
		    (int)req->owner_email.len, req->owner_email.p,
		    account_strerror(e));
	return PROVISION_OK;
}

static enum provision_err
validate(const struct provision_req *req, struct str *locale,
    struct str *currency, char *err, size_t errlen)
{
	switch (slug_check(req->slug)) {
	case SLUG_OK:
		break;
	case SLUG_ERESERVED:
		return fail(PROVISION_ESLUG_RESERVED, err, errlen,
		    "slug '%.*s' is reserved", (int)req->slug.len,
		    req->slug.p);
	default:
		return fail(PROVISION_EINVAL_SLUG, err, errlen, "slug must be "
		    "3 to 40 of a-z 0-9 '-', not starting or ending with '-'");
	}
	if (!tenant_name_valid(req->name))
		return fail(PROVISION_EINVAL_NAME, err, errlen, "name must be "
		    "1 to 200 characters of text");
	*locale = req->locale.len ? req->locale : STR("en");
	if (!tenant_locale_known(*locale))
		return fail(PROVISION_EINVAL_LOCALE, err, errlen,
		    "unknown language (en, de, fr, es, ja)");
	*currency = req->currency.len ? req->currency : STR("EUR");
	if (!tenant_currency_known(*currency))
		return fail(PROVISION_EINVAL_CURRENCY, err, errlen,
		    "unknown currency (an ISO 4217 code such as EUR)");
	if (req->owner_id <= 0) {
		char norm[ACCOUNT_EMAIL_MAX + 1];

		if (account_email_norm(req->owner_email, norm,
		    sizeof(norm)) == -1)
			return fail(PROVISION_EINVAL_EMAIL, err, errlen,
			    "invalid owner e-mail");
		switch (account_password_check(req->owner_password)) {
		case ACCOUNT_OK:
			break;
		case ACCOUNT_ELONG_PASSWORD:
			return fail(PROVISION_ELONG_PASSWORD, err, errlen,
			    "password must have at most %d characters",
			    ACCOUNT_PW_MAX);
		default:
			return fail(PROVISION_EWEAK_PASSWORD, err, errlen,
			    "password must have at least %d characters",
			    ACCOUNT_PW_MIN);
		}
	}
	return PROVISION_OK;
}

/*
 * Whether the slug belongs to someone else, before any account is made
 * for the request (claim() decides for sure, race-free). When strict,
 * a slug is never the request's by its e-mail: the answer must not
 * tell an anonymous visitor which address owns a shop.
 */
static enum provision_err
precheck(struct db *db, const struct provision_req *req, int strict,
    char *err, size_t errlen)
{
	struct db_stmt	*st;
	char		 norm[ACCOUNT_EMAIL_MAX + 1];
	int		 rc, mine = 0;

	if ((st = db_prepare(db, q[Q_TAKEN], 0)) == NULL)
		goto dberr;
	db_bind_str(st, 0, req->slug);
	if (db_exec(st, NULL) == -1)
		goto dberr;
	if ((rc = db_step(st)) == 1) {
		if (req->owner_id > 0)
			mine = db_col_i64(st, 0) == req->owner_id;
		else if (!strict && account_email_norm(req->owner_email, norm,
		    sizeof(norm)) == 0)
			mine = str_eqc(db_col_str(st, 1), norm);
	}
	db_done(st);
	if (rc == -1)
		goto dberr;
	if (rc == 1 && !mine)
		return fail(PROVISION_ESLUG_TAKEN, err, errlen,
		    "slug '%.*s' is taken", (int)req->slug.len, req->slug.p);
	return PROVISION_OK;
dberr:
	return fail(PROVISION_EDB, err, errlen, "cannot create the shop: %s",
	    db_error(db));
}

/*
 * Inserts the tenant row; when the slug exists, decides whether this is
 * a retry of the same owner (*version: where its tables stand, *ready:
 * nothing left to do) or a clash.
 */
static enum provision_err
claim(struct db *db, const struct provision_req *req, struct str locale,
    struct str currency, int64_t owner_id, int64_t *id, int *version,
    int *ready, char *err, size_t errlen)
{
	struct db_stmt	*st;
	int64_t		 other;
	int		 rc, status;
	char		 tz[9];

	*version = 0;
	*ready = 0;
	if ((st = db_prepare(db, q[Q_INSERT], 0)) == NULL)
		goto dberr;
	db_bind_str(st, 0, req->slug);
	db_bind_str(st, 1, str_trim(req->name));
	db_bind_i64(st, 2, owner_id);
	db_bind_str(st, 3, locale);
	db_bind_str(st, 4, locale);
	db_bind_str(st, 5, currency);
	/* The usual zone of the shop's language: a merchant elsewhere
	 * picks theirs in the settings. */
	str_copy(tz, sizeof(tz), locale);
	db_bind_str(st, 6, str_c(tz_for_locale(tz)));
	if (db_exec(st, NULL) == 0) {
		*id = (int64_t)db_insert_id(st);
		/* Billing falls back on the shop's row without it: a
		 * failure here is logged, not fatal. */
		if ((st = db_prepare(db, q[Q_PLAN_START], 0)) != NULL)
			db_bind_i64(st, 0, *id);
		if (st == NULL || db_exec(st, NULL) == -1)
			log_warn("shop %lld: cannot record its first plan: %s",
			    (long long)*id, db_error(db));
		return PROVISION_OK;
	}
	if (db_errclass(db) != DB_EDUP)
		goto dberr;

	if ((st = db_prepare(db, q[Q_EXISTING], 0)) == NULL)
		goto dberr;
	db_bind_str(st, 0, req->slug);
	if (db_exec(st, NULL) == -1)
		goto dberr;
	if ((rc = db_step(st)) != 1) {
		db_done(st);
		if (rc == -1)
			goto dberr;
		/* Deleted between our insert and this read. */
		return fail(PROVISION_ESLUG_TAKEN, err, errlen,
		    "slug '%.*s' is taken", (int)req->slug.len, req->slug.p);
	}
	*id = db_col_i64(st, 0);
	other = db_col_i64(st, 1);
	status = tenant_status_parse(db_col_str(st, 2));
	*version = (int)db_col_i64(st, 3);
	db_done(st);
	if (other != owner_id || status == TENANT_SUSPENDED || status < 0)
		return fail(PROVISION_ESLUG_TAKEN, err, errlen,
		    "slug '%.*s' is taken", (int)req->slug.len, req->slug.p);
	*ready = status == TENANT_READY;
	/* A failed or interrupted run may have stopped anywhere: run
	 * every file again (each statement is idempotent). */
	if (!*ready)
		*version = 0;
	return PROVISION_OK;
dberr:
	return fail(PROVISION_EDB, err, errlen, "cannot create the shop: %s",
	    db_error(db));
}

/* A sign-up's claim of a stock shop, in one transaction. */
struct stock_claim {
	const struct provision_req *req;
	struct str		 locale, currency;
	const struct account	*acct;
	int			 latest;
	int64_t			 id;
};

static int
stock_claim_tx(struct db *db, void *arg)
{
	struct stock_claim	*c = arg;
	struct shop_ctx		 shop;
	struct db_stmt		*st;
	char			 tz[9];
	int			 rc;

	c->id = 0;
	if ((st = db_prepare(db, q[Q_STOCK_PICK], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, c->latest);
	if ((rc = db_exec_first(st)) == 1)
		c->id = db_col_i64(st, 0);
	db_done(st);
	if (rc != 1)
		return rc == 0 ? 1 : -1;
	if ((st = db_prepare(db, q[Q_STOCK_NAME], 0)) == NULL)
		return -1;
	db_bind_str(st, 0, c->req->slug);
	db_bind_str(st, 1, str_trim(c->req->name));
	db_bind_i64(st, 2, c->acct->id);
	db_bind_str(st, 3, c->locale);
	db_bind_str(st, 4, c->locale);
	db_bind_str(st, 5, c->currency);
	str_copy(tz, sizeof(tz), c->locale);
	db_bind_str(st, 6, str_c(tz_for_locale(tz)));
	db_bind_i64(st, 7, c->id);
	/* A slug that exists (another's, or a retry of this owner's):
	 * rolled back, and the usual path decides. */
	if (db_exec(st, NULL) == -1)
		return db_errclass(db) == DB_EDUP ? 1 : -1;
	memset(&shop, 0, sizeof(shop));
	shop.db = db;
	shop.tenant = c->id;
	if (staff_create_owner(&shop, c->acct->email, c->acct->pw_hash) !=
	    SHOP_OK)
		return -1;
	if ((st = db_prepare(db, q[Q_PLAN_START], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, c->id);
	return db_exec(st, NULL) == -1 ? -1 : 0;
}

/*
 * Gives the request a stock shop (platform/shop_stock.h): 1 done (*id),
 * 0 none in stock or the slug exists, -1 the database failed (logged).
 * On 0 and -1 provisioning goes on the usual way.
 */
static int
from_stock(struct db *db, const struct provision_req *req,
    struct str locale, struct str currency, const struct account *acct,
    int64_t *id)
{
	struct stock_claim	 c;
	char			 e[256];
	int64_t			 t0 = clock_us();
	int			 rc;

	memset(&c, 0, sizeof(c));
	c.req = req;
	c.locale = locale;
	c.currency = currency;
	c.acct = acct;
	c.latest = migrate_shop_latest(config_get("sql_dir", "./sql"), e,
	    sizeof(e));
	if (c.latest == -1) {
		log_warn("shop stock: %s", e);
		return -1;
	}
	if ((rc = db_tx_run(db, stock_claim_tx, &c)) == 1)
		return 0;
	if (rc != 0) {
		log_warn("shop '%.*s': cannot claim a stock shop: %s",
		    (int)req->slug.len, req->slug.p, db_error(db));
		return -1;
	}
	*id = c.id;
	tenant_cache_invalidate();
	log_info("shop %lld '%.*s' provisioned in %.1f ms (from stock)",
	    (long long)c.id, (int)req->slug.len, req->slug.p,
	    (double)(clock_us() - t0) / 1e3);
	return 1;
}

static void
mark_failed(struct db *db, int64_t id, const char *reason)
{
	struct db_stmt	*st;
	size_t		 n = strlen(reason);

	if ((st = db_prepare(db, q[Q_FAILED], 0)) == NULL)
		goto out;
	/* The column holds 500 characters; reasons are ASCII. */
	db_bind_str(st, 0, (struct str){ reason, n < 500 ? n : 500 });
	db_bind_i64(st, 1, id);
	if (db_exec(st, NULL) == 0)
		return;
out:
	log_err("shop %lld: cannot record failure: %s", (long long)id,
	    db_error(db));
}

enum provision_err
provision_shop(struct db *db, const struct provision_req *req,
    int64_t *tenant_id, char *err, size_t errlen)
{
	const char		*sql_dir = config_get("sql_dir", "./sql");
	struct account		 acct;
	struct shop_ctx		 shop;
	struct db_stmt		*st;
	struct str		 locale, currency;
	enum provision_err	 e;
	char			 why[512];
	int64_t			 id = 0;
	int			 version, newv, ready;
	int64_t			 t0;

	*tenant_id = 0;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((e = validate(req, &locale, &currency, err, errlen)) != 0)
		return e;
	if ((e = precheck(db, req, 0, err, errlen)) != 0)
		return e;
	if ((e = owner(db, req, &acct, err, errlen)) != 0)
		return e;
	if (from_stock(db, req, locale, currency, &acct, &id) == 1) {
		*tenant_id = id;
		return PROVISION_OK;
	}
	if ((e = claim(db, req, locale, currency, acct.id, &id, &version,
	    &ready, err, errlen)) != 0)
		return e;
	*tenant_id = id;
	if (ready)
		return PROVISION_OK;

	/* From the claimed row to a ready shop: what "live in under a
	 * second" promises, logged for the operator. */
	t0 = clock_us();
	if (migrate_shop(db, sql_dir, id, version, &newv, why,
	    sizeof(why)) == -1)
		goto schema;
	memset(&shop, 0, sizeof(shop));
	shop.db = db;
	shop.tenant = id;
	if (staff_create_owner(&shop, acct.email, acct.pw_hash) != SHOP_OK)
		goto dberr;
	if ((st = db_prepare(db, q[Q_READY], 0)) == NULL)
		goto dberr;
	db_bind_i64(st, 0, newv);
	db_bind_i64(st, 1, id);
	if (db_exec(st, NULL) == -1)
		goto dberr;
	tenant_cache_invalidate();
	log_info("shop %lld '%.*s' provisioned in %.1f ms", (long long)id,
	    (int)req->slug.len, req->slug.p, (double)(clock_us() - t0) / 1e3);
	return PROVISION_OK;

dberr:
	str_copy(why, sizeof(why), str_c(db_error(db)));
schema:
	mark_failed(db, id, why);
	tenant_cache_invalidate();
	log_err("shop %lld: provisioning failed: %s", (long long)id, why);
	return fail(PROVISION_ESCHEMA, err, errlen, "provisioning failed: %s",
	    why);
}

enum provision_err
provision_check(struct db *db, const struct provision_req *req, char *err,
    size_t errlen)
{
	struct str		locale, currency;
	enum provision_err	e;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((e = validate(req, &locale, &currency, err, errlen)) != 0)
		return e;
	return precheck(db, req, 1, err, errlen);
}

enum provision_err
provision_delete(struct db *db, int64_t id, char *err, size_t errlen)
{
	const char		*sql_dir = config_get("sql_dir", "./sql");
	struct db_stmt		*st;
	struct tenant		 t;
	enum tenant_err		 te;
	char			 e[512];

	if ((te = tenant_get_by_id(db, id, &t)) != TENANT_OK)
		return fail(te == TENANT_ENOTFOUND ? PROVISION_ENOTFOUND :
		    PROVISION_EDB, err, errlen, "shop %lld: %s",
		    (long long)id, tenant_strerror(te));
	if (migrate_shop_latest(sql_dir, e, sizeof(e)) == -1)
		return fail(PROVISION_EDB, err, errlen, "%s", e);

	/* Stop serving it first, so no request writes while we drop. */
	if (tenant_set_status(db, id, TENANT_SUSPENDED, "deleting") !=
	    TENANT_OK)
		goto dberr;
	if (migrate_shop_drop(db, sql_dir, id, e, sizeof(e)) == -1)
		goto dberr;
	if ((st = db_prepare(db, q[Q_DEL_DOMAINS], 0)) == NULL)
		goto dberr;
	db_bind_i64(st, 0, id);
	if (db_exec(st, NULL) == -1)
		goto dberr;
	if ((st = db_prepare(db, q[Q_DEL_TENANT], 0)) == NULL)
		goto dberr;
	db_bind_i64(st, 0, id);
	if (db_exec(st, NULL) == -1)
		goto dberr;
	tenant_cache_invalidate();
	log_info("shop %lld '%s' deleted", (long long)id, t.slug);
	return PROVISION_OK;
dberr:
	return fail(PROVISION_EDB, err, errlen, "cannot delete shop %lld: %s",
	    (long long)id, db_error(db));
}

const char *
provision_strerror(enum provision_err e)
{
	switch (e) {
	case PROVISION_OK:
		return "ok";
	case PROVISION_EDB:
		return "database error";
	case PROVISION_EINVAL_SLUG:
		return "invalid shop address";
	case PROVISION_ESLUG_RESERVED:
		return "this shop address is reserved";
	case PROVISION_ESLUG_TAKEN:
		return "this shop address is taken";
	case PROVISION_EINVAL_NAME:
		return "invalid shop name";
	case PROVISION_EINVAL_LOCALE:
		return "unknown language";
	case PROVISION_EINVAL_CURRENCY:
		return "unknown currency";
	case PROVISION_EINVAL_EMAIL:
		return "invalid e-mail address";
	case PROVISION_EWEAK_PASSWORD:
		return "password must have at least 8 characters";
	case PROVISION_ELONG_PASSWORD:
		return "password must have at most 1024 characters";
	case PROVISION_EOWNER_AUTH:
		return "an account with this e-mail exists and the password "
		    "does not match";
	case PROVISION_ENO_OWNER:
		return "no such owner account";
	case PROVISION_ESCHEMA:
		return "creating the shop failed";
	case PROVISION_ENOTFOUND:
		return "no such shop";
	}
	return "unknown error";
}
