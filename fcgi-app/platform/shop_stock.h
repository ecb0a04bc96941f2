/*
 * shop_stock.h: shops made ahead of demand, so a sign-up is live in
 * milliseconds.
 *
 * Creating a shop's tables is most of provisioning (tens of CREATE
 * TABLE, each a file and a dictionary entry: ~50-500 ms). souk-worker
 * keeps shop_stock (default SHOP_STOCK_DEFAULT) shops with every table
 * at the newest shop migration and nothing else: souk_tenants rows of
 * status 'stock', no owner, no plan, a slug no one can type
 * (".stock-" and hex: slug.h allows no dot). provision_shop()
 * (platform/provision.h) claims one in a single transaction (names it,
 * gives it its owner, plan and settings, writes the owner's staff row,
 * marks it ready); with none in stock it creates the tables as before.
 *
 * A stock shop is nobody's: tenant lookups, lists and counts skip it
 * (platform/tenant.c), so do billing, usage, the metrics and backups'
 * shop count; a restore to a time when the shop was still in stock
 * says the shop did not exist yet. `soukctl migrate` migrates stock
 * shops with the others; shop_stock_step() finishes any it finds
 * behind (one made by an older release, or cut short).
 *
 * A row's schema_version says where it stands: 0 up to the newest
 * migration minus one while its tables are made, the newest when it
 * can be claimed, -1 when it is to be dropped (the stock is above
 * shop_stock). Run the same shop_stock on every VM: two workers with
 * different targets would make and drop shops in turn.
 */
#ifndef SOUK_SHOP_STOCK_H
#define SOUK_SHOP_STOCK_H

#include <stddef.h>

struct db;

#define SHOP_STOCK_DEFAULT	4
#define SHOP_STOCK_MAX		200
#define SHOP_STOCK_PREFIX	".stock-"

/* souk.conf's shop_stock: how many stock shops to keep (0: none). */
int	shop_stock_target(void);

struct shop_stock_counts {
	int	ready;		/* can be claimed now */
	int	building;	/* tables being made (or behind) */
	int	dropping;	/* above the target, to be dropped */
};

/* The stock as it stands, for the newest migration latest. 0 or -1. */
int	shop_stock_counts(struct db *db, int latest,
	    struct shop_stock_counts *c);

/*
 * One step towards target stock shops at the newest migration of
 * sql_dir: drops one marked for dropping, or finishes one behind, or
 * makes one, or marks one above the target. Steps are short (one shop
 * each) so souk-worker's jobs wait for one shop at most. The steps of
 * several workers are kept apart by a server lock. Returns 1 when it
 * did something (call again), 0 when there is nothing to do (or
 * another worker is at it), -1 with err.
 */
int	shop_stock_step(struct db *db, const char *sql_dir, int target,
	    char *err, size_t errlen);

#endif
