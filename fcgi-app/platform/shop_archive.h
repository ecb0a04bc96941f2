/*
 * shop_archive.h: one shop as a portable archive, to move it to another
 * installation (soukctl shop export SLUG --format souk FILE, soukctl
 * shop import --from FILE [--slug NEW]).
 *
 * The archive is a gzip'd tar of:
 *   manifest.json  "format": "souk-shop 1", where it came from (platform
 *                  domain, shop id and slug), the shop's schema version,
 *                  its settings (souk_tenants' merchant columns), its
 *                  custom domains, its owner (e-mail and password hash,
 *                  so the merchant keeps the password) and the names of
 *                  its tables without prefix;
 *   tables.sql     mariadb-dump of its tables, in one transaction;
 *   media/         its media files (media_dir/s42/...).
 *
 * An import provisions a new shop (its own id, so its own table prefix
 * and media folder), hidden while it works (status provisioning); loads
 * tables.sql into a scratch database as a temporary MariaDB user that
 * may only create tables and insert rows there (an archive is data: a
 * statement that tries anything else fails the import); checks that the
 * scratch database holds exactly the tables the manifest names, all of
 * them tables this installation knows; swaps them in with one RENAME
 * TABLE across databases; runs the shop migrations newer than the
 * archive; rewrites media paths (s42/... -> s7/...); sets the settings
 * through the same checks an owner's change goes through; copies the
 * media; and opens the shop. Custom domains are listed, not added: their
 * DNS points at the old installation and they are verified again here
 * (README, "Custom domains"). On any failure the new shop is deleted.
 *
 * Both run on the database's machine with the administrator's account
 * of platform/backup.h (the scratch database and user), and work in a
 * scratch folder under backup_dir.
 */
#ifndef SOUK_SHOP_ARCHIVE_H
#define SOUK_SHOP_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct tenant;

struct shop_archive_report {
	int64_t		id;		/* import: the new shop's id */
	char		slug[41];	/* import: its slug */
	int		tables;
	int		schema_from, schema_to;
	int64_t		products, orders, media_files;
	char		domains[1024];	/* custom domains, comma separated */
	double		secs;
};

/* Writes shop t's archive at path (through path.tmp). 0, or -1 with
 * err. */
int	shop_archive_export(struct db *db, const struct tenant *t,
	    const char *path, struct shop_archive_report *r, char *err,
	    size_t errlen);

/* Creates a shop from the archive at path, named slug (NULL: the
 * archive's). 0, or -1 with err (then no shop was left behind). */
int	shop_archive_import(struct db *db, const char *path, const char *slug,
	    struct shop_archive_report *r, char *err, size_t errlen);

#endif
