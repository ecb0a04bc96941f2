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

#include <stddef.h>
#include <stdint.h>

struct arena;

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

/*
 * The daily record (souk_usage, one row per shop and UTC day, kept
 * USAGE_KEEP_DAYS): page views and API requests added by souk-worker
 * from the VMs' counters (platform/meter.h); orders (placed that day,
 * any status), revenue (their totals, cancelled ones left out, in the
 * shop's currency) and what the shop holds (products, media bytes,
 * staff: as at the day's last refresh) counted from the shop's tables
 * by usage_refresh().
 */
#define USAGE_KEEP_DAYS	400

struct usage_day {
	char	day[11];		/* YYYY-MM-DD */
	int64_t	orders;
	int64_t	revenue;
	char	currency[4];
	int64_t	products;
	int64_t	media_bytes;
	int64_t	staff;
	int64_t	api_requests;
	int64_t	page_views;
};

/* Writes shop t's record of today and yesterday from its tables (a
 * ready or suspended shop; currency is its base currency). 0 or -1. */
int	usage_refresh(struct db *db, int64_t tenant_id, const char *currency);

/* Deletes the records older than USAGE_KEEP_DAYS; the rows deleted,
 * or -1. */
int64_t	usage_prune(struct db *db);

/* Shop tenant_id's records of the days from .. to (YYYY-MM-DD, both
 * included), one per day in order, days without a record zero; at most
 * USAGE_KEEP_DAYS + 1. tenant_id 0: every shop's added up (revenue 0:
 * the shops' currencies differ). *out in a. 0, or -1 (a database error
 * or a range that is not one). */
int	usage_days(struct db *db, struct arena *a, int64_t tenant_id,
	    const char *from, const char *to, struct usage_day **out,
	    size_t *n);

/* Every shop's sums over from .. to, for the operator: what each
 * figure adds up to (orders, revenue, API requests, page views) or the
 * last day's value (products, media bytes, staff). */
struct usage_row {
	int64_t			 tenant_id;
	const char		*slug;
	const char		*name;
	const char		*plan;		/* the plan's name */
	struct usage_day	 u;		/* day: the last one seen */
};

enum usage_sort {
	USAGE_BY_SLUG,
	USAGE_BY_ORDERS,
	USAGE_BY_REVENUE,
	USAGE_BY_PRODUCTS,
	USAGE_BY_MEDIA,
	USAGE_BY_STAFF,
	USAGE_BY_API,
	USAGE_BY_VIEWS,
	USAGE__SORTS
};

/* The name of a sort in URLs ("orders") and back (-1: none). */
const char	*usage_sort_name(enum usage_sort s);
int		 usage_sort_parse(const char *s);

/* Shops (not deleted) with their sums over from .. to, sorted (desc
 * for figures, asc for the slug), limit rows from offset; *total is
 * every shop's count. 0 or -1. */
int	usage_table(struct db *db, struct arena *a, const char *from,
	    const char *to, enum usage_sort sort, size_t limit, size_t offset,
	    struct usage_row **out, size_t *n, int64_t *total);

/* Nonzero when s is a date YYYY-MM-DD (the calendar's) from 1970. */
int	usage_date_valid(const char *s);

/* The days from .. to count, both included (0 when to is before
 * from), or -1 when either is not a date. */
int64_t	usage_span(const char *from, const char *to);

/* The UTC date days_ago days before today, as YYYY-MM-DD. */
void	usage_date_ago(int64_t days_ago, char out[11]);

#endif
