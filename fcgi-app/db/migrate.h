/*
 * migrate.h: schema migrations, for the platform and for each shop.
 *
 * Migrations are files sql/platform/NNN_name.sql and sql/shop/NNN_name.sql
 * (NNN: a decimal number, unique in its folder; applied in numeric
 * order). A file holds statements separated by lines holding only ";;"
 * (so a statement may contain ';'); "--" comment lines are sent along
 * with the statement, which MariaDB ignores. Shop files use "{p}" for
 * the shop's table prefix.
 *
 * DDL is not transactional, so every statement must be safe to run
 * twice (CREATE TABLE IF NOT EXISTS, ALTER TABLE ... ADD COLUMN IF NOT
 * EXISTS, ...): a migration interrupted half-way is simply run again.
 *
 * Applied platform files are recorded by name in souk_schema; a shop's
 * level is souk_tenants.schema_version (the NNN of its last applied
 * file), which migrate_shop() updates after each file. The parsed shop
 * files are kept per process (read once; provisioning runs them often).
 */
#ifndef SOUK_MIGRATE_H
#define SOUK_MIGRATE_H

#include <stddef.h>
#include <stdint.h>

struct db;

/*
 * Applies the platform files under sql_dir/platform not yet in
 * souk_schema, in order, and records each. Serialised across processes
 * with a named server lock. Returns the number of files applied, or -1
 * with a message in err.
 */
int	migrate_platform(struct db *db, const char *sql_dir, char *err,
	    size_t errlen);

/* The same for sql_dir/shard on another server of shops (db.h, "Shops
 * on several servers"): only the platform tables that live beside a
 * shop's (souk_jobs, souk_staff_invites), so a statement sent to the
 * wrong server fails instead of reading an empty copy. */
int	migrate_shard(struct db *db, const char *sql_dir, char *err,
	    size_t errlen);

/*
 * Applies sql_dir/shop files numbered above from_version to the tables
 * of tenant (> 0), and after each sets souk_tenants.schema_version for
 * it. *new_version is the last version applied (from_version when none),
 * also on failure, so the caller knows where it stopped. Returns 0 or
 * -1 with a message in err.
 */
int	migrate_shop(struct db *db, const char *sql_dir, int64_t tenant,
	    int from_version, int *new_version, char *err, size_t errlen);

/* The highest shop migration number under sql_dir, or -1 with err. */
int	migrate_shop_latest(const char *sql_dir, char *err, size_t errlen);

/*
 * The names of the shop's tables without prefix ("products", ...), from
 * the "CREATE TABLE IF NOT EXISTS {p}name" statements of the shop
 * files: the list provisioning creates and shop deletion drops. The
 * array and strings are owned by the module (valid until
 * migrate_free()). Returns the count, or -1 with err.
 */
int	migrate_shop_tables(const char *sql_dir, const char *const **names,
	    char *err, size_t errlen);

/*
 * Drops every table of shop tenant that migrate_shop_tables() names (the
 * names from our own files, never from the server's catalogue or user
 * text) in one statement. 0, or -1 with err.
 */
int	migrate_shop_drop(struct db *db, const char *sql_dir, int64_t tenant,
	    char *err, size_t errlen);

/*
 * Brings every ready or suspended shop below the newest version up to
 * it, shop by shop, each shop's version recorded as it goes: a crash
 * leaves the rest for the next run. Meant to run while the workers serve
 * (README "Upgrades"): it waits at most migrate_lock_wait_secs (2) for
 * a table another session uses, so the shop's statements queued behind
 * its ALTER wait no longer than that, and tries again (15 times, a
 * second apart) before it fails that shop. *nshops counts the shops migrated.
 * Returns 0, or -1 with err (shops after the failing one still run;
 * err names the first failure).
 */
int	migrate_all_shops(struct db *db, const char *sql_dir, int *nshops,
	    char *err, size_t errlen);

/* Forgets the cached shop files. */
void	migrate_free(void);

#endif
