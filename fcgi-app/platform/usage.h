/*
 * usage.h: what a shop holds, counted for the operator and the shop's
 * owner (the tenant API's /api/v1/shops/{slug}/usage).
 *
 * Counted from the shop's own tables with one statement (sub-selects
 * on primary and secondary keys): cheap for the sizes a shop has, and
 * exact. Media bytes are the sizes souk recorded when it stored each
 * image (its {p}images rows), not a walk over the disk.
 */
#ifndef SOUK_USAGE_H
#define SOUK_USAGE_H

#include <stdint.h>

struct db;

struct usage {
	int64_t	products;
	int64_t	variants;
	int64_t	orders;			/* all */
	int64_t	orders_month;		/* since the 1st of this month, UTC */
	int64_t	customers;		/* with an account */
	int64_t	media_bytes;		/* images as stored */
	int64_t	staff;			/* besides the owner, and open
					 * invitations */
	int64_t	domains;		/* custom domains */
};

/* Counts shop tenant_id's usage into *out (its tables must exist: a
 * shop 'ready' or 'suspended'). 0, or -1 on a database error. */
int	usage_get(struct db *db, int64_t tenant_id, struct usage *out);

#endif
