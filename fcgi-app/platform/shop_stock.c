/* shop_stock.c: shops made ahead of demand (see shop_stock.h). */
#include "core/common.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "platform/shop_stock.h"

enum {
	Q_COUNTS,
	Q_DROPPING,
	Q_BEHIND,
	Q_INSERT,
	Q_MARK_DROP,
	Q_DELETE,
	Q_LOCK,
	Q_UNLOCK,
	Q__MAX
};

static const char *const q[Q__MAX] = {
	[Q_COUNTS] = "SELECT IFNULL(SUM(schema_version = ?), 0), "
	    "IFNULL(SUM(schema_version BETWEEN 0 AND ? - 1), 0), "
	    "IFNULL(SUM(schema_version < 0), 0) FROM souk_tenants "
	    "WHERE status = 'stock'",
	[Q_DROPPING] = "SELECT id FROM souk_tenants WHERE status = 'stock' "
	    "AND schema_version < 0 ORDER BY id LIMIT 1",
	[Q_BEHIND] = "SELECT id, schema_version FROM souk_tenants "
	    "WHERE status = 'stock' AND schema_version BETWEEN 0 AND ? - 1 "
	    "ORDER BY id LIMIT 1",
	[Q_INSERT] = "INSERT INTO souk_tenants (slug, name, owner_id, "
	    "status) VALUES (?, '', 0, 'stock')",
	/* The newest: claims take the oldest first. */
	[Q_MARK_DROP] = "UPDATE souk_tenants SET schema_version = -1 "
	    "WHERE status = 'stock' AND schema_version = ? "
	    "ORDER BY id DESC LIMIT 1",
	[Q_DELETE] = "DELETE FROM souk_tenants WHERE id = ? AND "
	    "status = 'stock' AND schema_version < 0",
	[Q_LOCK] = "SELECT GET_LOCK('souk_shop_stock', 0)",
	[Q_UNLOCK] = "SELECT RELEASE_LOCK('souk_shop_stock')",
};

int
shop_stock_target(void)
{
	return (int)config_int("shop_stock", SHOP_STOCK_DEFAULT, 0,
	    SHOP_STOCK_MAX);
}

int
shop_stock_counts(struct db *db, int latest, struct shop_stock_counts *c)
{
	struct db_stmt *st;

	memset(c, 0, sizeof(*c));
	if ((st = db_prepare(db, q[Q_COUNTS], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, latest);
	db_bind_i64(st, 1, latest);
	if (db_exec_first(st) != 1) {
		db_done(st);
		return -1;
	}
	c->ready = (int)db_col_i64(st, 0);
	c->building = (int)db_col_i64(st, 1);
	c->dropping = (int)db_col_i64(st, 2);
	db_done(st);
	return 0;
}

/* The first row of a one-row query with one id bound (latest < 0: no
 * parameter): 1 found (*id, *version), 0 none, -1. */
static int
first(struct db *db, int which, int latest, int64_t *id, int *version)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, q[which], 0)) == NULL)
		return -1;
	if (latest >= 0)
		db_bind_i64(st, 0, latest);
	if ((rc = db_exec_first(st)) == 1) {
		*id = db_col_i64(st, 0);
		if (version != NULL)
			*version = (int)db_col_i64(st, 1);
	}
	db_done(st);
	return rc;
}

/* Drops stock shop id's tables, then its row. */
static int
drop(struct db *db, const char *sql_dir, int64_t id, char *err,
    size_t errlen)
{
	struct db_stmt *st;

	if (migrate_shop_drop(db, sql_dir, id, err, errlen) == -1)
		return -1;
	if ((st = db_prepare(db, q[Q_DELETE], 0)) == NULL)
		goto dberr;
	db_bind_i64(st, 0, id);
	if (db_exec(st, NULL) == -1)
		goto dberr;
	log_info("stock shop %lld dropped", (long long)id);
	return 0;
dberr:
	str_errf(err, errlen, "cannot drop stock shop %lld: %s",
	    (long long)id, db_error(db));
	return -1;
}

/* Brings stock shop id from version to the newest migration. */
static int
build(struct db *db, const char *sql_dir, int64_t id, int version,
    char *err, size_t errlen)
{
	int64_t	t0 = clock_us();
	int	v;

	if (migrate_shop(db, sql_dir, id, version, &v, err, errlen) == -1)
		return -1;
	log_info("stock shop %lld ready at version %d in %.1f ms",
	    (long long)id, v, (double)(clock_us() - t0) / 1e3);
	return 0;
}

/* A new stock shop: its row, then its tables. */
static int
make(struct db *db, const char *sql_dir, char *err, size_t errlen)
{
	struct db_stmt	*st;
	char		 slug[sizeof(SHOP_STOCK_PREFIX) + 24];
	char		 hex[25];
	int64_t		 id;

	crypto_random_hex(hex, 12);
	if (snprintf(slug, sizeof(slug), SHOP_STOCK_PREFIX "%s", hex) >=
	    (int)sizeof(slug))
		return -1;	/* cannot happen: sized above */
	if ((st = db_prepare(db, q[Q_INSERT], 0)) == NULL)
		goto dberr;
	db_bind_cstr(st, 0, slug);
	if (db_exec(st, NULL) == -1)
		goto dberr;
	id = (int64_t)db_insert_id(st);
	return build(db, sql_dir, id, 0, err, errlen);
dberr:
	str_errf(err, errlen, "cannot make a stock shop: %s", db_error(db));
	return -1;
}

/* One step, under the lock. */
static int
step(struct db *db, const char *sql_dir, int latest, int target,
    char *err, size_t errlen)
{
	struct shop_stock_counts c;
	struct db_stmt	*st;
	int64_t		 id;
	int		 v, rc;

	if ((rc = first(db, Q_DROPPING, -1, &id, NULL)) == 1)
		return drop(db, sql_dir, id, err, errlen) == -1 ? -1 : 1;
	if (rc == -1)
		goto dberr;
	if ((rc = first(db, Q_BEHIND, latest, &id, &v)) == 1)
		return build(db, sql_dir, id, v, err, errlen) == -1 ? -1 : 1;
	if (rc == -1)
		goto dberr;
	if (shop_stock_counts(db, latest, &c) == -1)
		goto dberr;
	if (c.ready < target)
		return make(db, sql_dir, err, errlen) == -1 ? -1 : 1;
	if (c.ready == target)
		return 0;
	if ((st = db_prepare(db, q[Q_MARK_DROP], 0)) == NULL)
		goto dberr;
	db_bind_i64(st, 0, latest);
	if (db_exec(st, NULL) == -1)
		goto dberr;
	return 1;
dberr:
	str_errf(err, errlen, "shop stock: %s", db_error(db));
	return -1;
}

int
shop_stock_step(struct db *db, const char *sql_dir, int target, char *err,
    size_t errlen)
{
	struct db_stmt	*st;
	int		 latest, rc, got = 0;

	if ((latest = migrate_shop_latest(sql_dir, err, errlen)) == -1)
		return -1;
	if ((st = db_prepare(db, q[Q_LOCK], 0)) == NULL)
		goto dberr;
	if (db_exec_first(st) == 1)
		got = db_col_i64(st, 0) == 1;
	db_done(st);
	if (!got)
		return 0;
	rc = step(db, sql_dir, latest, target, err, errlen);
	if ((st = db_prepare(db, q[Q_UNLOCK], 0)) != NULL) {
		(void)db_exec_first(st);
		db_done(st);
	}
	return rc;
dberr:
	str_errf(err, errlen, "shop stock: %s", db_error(db));
	return -1;
}
