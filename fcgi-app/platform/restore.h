/*
 * restore.h: one shop back to a second of the past, the others
 * untouched (soukctl shop restore SLUG --to TIME).
 *
 * From the backups of platform/backup.h: the newest base finished
 * before that second is prepared in a scratch folder under backup_dir
 * and served by a private mariadbd; the copied binary logs (the
 * server's current one is closed and copied first) are replayed into it
 * from the base's position up to that second (mariadb-binlog
 * --stop-datetime: every transaction that began before it). The
 * whole platform is then as it was; only the shop is taken from it:
 *
 *  1. In the private server, the shop's tables s42_* are renamed
 *     restoring_s42_*, and its platform rows (its souk_tenants row, its
 *     custom domains) copied into restoring_p42_tenants and
 *     restoring_p42_domains; mariadb-dump carries these tables into the
 *     live database.
 *  2. One RENAME TABLE swaps them in, atomically: each live s42_x
 *     becomes pre_restore_<UTC time of the restore>_s42_x (kept until
 *     soukctl shop restore SLUG --purge) and restoring_s42_x becomes
 *     s42_x. Requests in flight finish on the old tables; the next
 *     ones read the restored ones.
 *  3. In one transaction, the shop's settings in souk_tenants (name,
 *     languages, currencies, theme, colours, logo, CSS, time zone,
 *     schema version) and its custom domains are set from the copies,
 *     and the audit log records the restore. What the platform decides
 *     about the shop (its status, plan, owner) and the platform's own
 *     history (audit, usage, invoices) are not rewound. A domain taken
 *     by another shop since stays with it.
 *  4. Shop migrations newer than the restored tables run on them.
 *  5. Media files of the shop missing now are copied back from the
 *     base's media copy (nightly: a file uploaded and deleted between
 *     two backups is not there).
 *
 * Orders placed after the second restored to are in the pre_restore_
 * tables only: the report counts them, so the operator can tell the
 * merchant. Workers see the restored settings within their cache's
 * lifetime (a few seconds).
 */
#ifndef SOUK_RESTORE_H
#define SOUK_RESTORE_H

#include <stdint.h>

#include "platform/backup.h"

struct db;
struct tenant;

struct restore_report {
	struct backup	base;		/* the base it started from */
	size_t		binlogs;	/* binary logs replayed */
	int		tables;		/* tables swapped in */
	int		schema_from;	/* the restored tables' version */
	int		schema_to;	/* after the newer migrations */
	int64_t		orders_after;	/* orders set aside (placed later) */
	int64_t		media_files;	/* media files copied back */
	char		old_prefix[40];	/* "pre_restore_20261202_143000_" */
	double		prepare_secs, replay_secs, copy_secs, swap_secs;
	double		secs;
};

/* Restores shop t to unix second to (before now). 0, or -1 with err;
 * on -1 the live shop is as it was, unless err says the swap was done
 * (then only the settings or migrations failed, and it says which). */
int	shop_restore(struct db *db, const struct tenant *t, int64_t to,
	    struct restore_report *r, char *err, size_t errlen);

/* Drops the tables earlier restores of t set aside; *dropped counts
 * them. 0 or -1 with err. */
int	shop_restore_purge(struct db *db, const struct tenant *t,
	    int *dropped, char *err, size_t errlen);

#endif
