/*
 * shop_move.h: moving one shop's tables to another database server
 * while the shop serves (soukctl shop move SLUG --to SERVER; db.h,
 * "Shops on several servers").
 *
 * How (shop_move.c has the details):
 *   1. Triggers on the shop's tables at the source log the key of every
 *      row written from now on into souk_move_<id>.
 *   2. mariadb-dump copies the tables, in one snapshot, to the target.
 *   3. Catch-up: each logged row is copied again (or deleted) from the
 *      source as it is now, in rounds, until few are left.
 *   4. The window: the shop's writes are refused (souk_tenants.
 *      read_only_until; its pages still served), the source tables are
 *      locked for reading, the last rows caught up, every table's
 *      CHECKSUM compared on both servers, and souk_tenants.shard names
 *      the target. Once every worker routes there (their caches live
 *      TENANT_CACHE_TTL_MS) the writes open again, and a lifetime
 *      later (a slow request that began on the source ends there) the
 *      source tables are renamed moved_<stamp>_s<id>_*.
 * Until the switch the source stays the shop's: a failure anywhere
 * before it drops the copy and the triggers and leaves the shop as it
 * was. Jobs already queued on the source run from there (souk-worker
 * claims from every server and runs them against the shop's server);
 * open staff invitations move with the shop.
 */
#ifndef SOUK_SHOP_MOVE_H
#define SOUK_SHOP_MOVE_H

#include <stdint.h>

struct db;
struct tenant;

struct move_report {
	int	tables;
	int64_t	caught_up;	/* rows copied again after the dump */
	int64_t	late;		/* rows written after the lock (should be 0) */
	double	copy_secs;	/* the dump, while serving */
	double	catchup_secs;
	double	window_secs;	/* writes refused */
	double	secs;		/* in all */
	char	from[65], to[65];
	char	moved_prefix[32];	/* "moved_20261203004000_" */
	/* The shop is on the target, but its old tables or the move's log
	 * are still at the source as they were: see the log, then drop
	 * them by hand before the shop moves back there. */
	int	unrenamed;
};

/* Moves shop t to the server called to (a name of db_shards, or
 * "default" for the main one). 0, or -1 with err. */
int	shop_move(struct db *db, const struct tenant *t, const char *to,
	    struct move_report *r, char *err, size_t errlen);

/* Drops the tables earlier moves of shop t left behind on every
 * server; *n gets their count. 0, or -1 with err. */
int	shop_move_purge(struct db *db, const struct tenant *t, int *n,
	    char *err, size_t errlen);

#endif
