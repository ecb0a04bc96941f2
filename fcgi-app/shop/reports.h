/*
 * reports.h: the admin's reports for a range of the shop's days: sales
 * by day, week or month, tax by rate and country, payments by method,
 * refunds, and the products and categories that sold most.
 *
 * Money comes from the books (ledger.h), so that every report agrees
 * with them to the cent: a sale counts when its entry was posted (the
 * order was paid), a refund when it succeeded. Units and products come
 * from the lines of the orders whose sale was posted in the range.
 * Payments come from {p}payments, whose rows and entries are written
 * together. Cancelled or unpaid orders never reached the books and are
 * in no report.
 *
 * The sales figures of a bucket, all in minor units of the shop's
 * currency:
 *   gross     4000 credits: the lines net of tax, before discounts;
 *   discounts 4010 debits, net of tax;
 *   refunds   4020 debits: refunds net of tax (shipping's part too);
 *   net       gross - discounts - refunds;
 *   shipping  4100 credits, net of tax;
 *   tax       2200 credits less debits (sales' tax less refunds');
 *   total     net + shipping + tax: what was charged less what was
 *             given back.
 *
 * Ranges are whole local days of the shop's clock (ctx->time_zone,
 * core/tz.h), from and to included, at most REPORTS_DAYS_MAX days.
 * The statements group in SQL by 15-minute slot of UTC (every zone's
 * offset is a whole number of quarter hours), and the slots are
 * summed here into the local days, weeks (Monday first) or months,
 * whose boundaries ICU's zone data gives; a query reads at most one
 * row per slot of the range that had activity, grouped.
 *
 * The books post shipping (4100) and a refund by amount's net (4020)
 * per rate, as the sale split the shipping's tax (ledger.c, refund.c),
 * so the tax report's taxable amounts are under their rates, as a VAT
 * return wants; only untaxed shipping has a row without a rate ("not
 * split by rate").
 *
 * Results live in ctx->a.
 */
#ifndef SOUK_SHOP_REPORTS_H
#define SOUK_SHOP_REPORTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"

#define REPORTS_DAYS_MAX	1096	/* three years and a leap day */
#define REPORTS_BUCKETS_MAX	400	/* a chart's points: days of a
					 * longer range go by week */
#define REPORTS_TOP_MAX		50
#define REPORTS_REFUNDS_MAX	500	/* refunds listed; totals count all */

enum reports_group {
	REPORTS_DAY = 0,
	REPORTS_WEEK,
	REPORTS_MONTH,
	REPORTS__MAX
};

/* A range of the shop's days, and its buckets. */
struct reports_range {
	char		 from[11];	/* "YYYY-MM-DD", local, included */
	char		 to[11];	/* included */
	time_t		 start;		/* UTC: from's midnight */
	time_t		 end;		/* UTC: the midnight after to */
	enum reports_group group;
	time_t		*bucket;	/* nbuckets starts, the first at or
					 * before start; in ctx->a */
	size_t		 nbuckets;
};

enum reports_preset {
	REPORTS_THIS_MONTH = 0,
	REPORTS_LAST_MONTH,
	REPORTS_THIS_YEAR,
	REPORTS_LAST_30,
	REPORTS_PRESET__MAX
};

/*
 * The range of preset as the shop's clock reads now, as two dates in
 * from and to (11 bytes each, the caller's). SHOP_OK or SHOP_EDB (no
 * zone data).
 */
int	reports_preset_dates(struct shop_ctx *ctx, enum reports_preset p,
	    time_t now, char from[11], char to[11]);

/*
 * Checks from and to ("YYYY-MM-DD", to not before from, at most
 * REPORTS_DAYS_MAX days) and fills *r with the buckets of group (a
 * range of more than REPORTS_BUCKETS_MAX days grouped by day is an
 * error on "group"). Errors go to errs ("from", "to", "group", msgids).
 * SHOP_OK; SHOP_EINVAL (see errs); SHOP_EDB (no zone data).
 */
int	reports_range(struct shop_ctx *ctx, struct str from, struct str to,
	    enum reports_group group, struct reports_range *r,
	    struct field_errors *errs);

struct reports_sales {
	time_t		 start;		/* the bucket's first moment, UTC */
	int64_t		 orders;	/* sales posted */
	int64_t		 gross, discounts, refunds, net;
	int64_t		 shipping, tax, total;
};

/* The sales of each bucket of r into *out (r->nbuckets of them, empty
 * buckets with zeros) and their sum into *sum. One statement. SHOP_OK
 * or SHOP_EDB. */
int	reports_sales(struct shop_ctx *ctx, const struct reports_range *r,
	    struct reports_sales **out, struct reports_sales *sum);

struct reports_tax {
	int		 has_rate;	/* 0: the part the books keep
					 * without a rate (shipping; refunds
					 * by amount) */
	int32_t		 rate;		/* millionths */
	char		 country[3];	/* the order's tax country, or "" */
	int64_t		 base;		/* sales less refunds, net of tax */
	int64_t		 tax;
};

/* Tax collected by rate and country, by country then rate. One
 * statement; at most 1000 rows. SHOP_OK or SHOP_EDB. */
int	reports_tax(struct shop_ctx *ctx, const struct reports_range *r,
	    struct reports_tax **out, size_t *n);

struct reports_payment {
	struct str	 method;	/* "bacs" */
	int64_t		 count;
	int64_t		 amount;
	int64_t		 fee;
};

/* Payments received in the range by method, most first. SHOP_OK or
 * SHOP_EDB. */
int	reports_payments(struct shop_ctx *ctx, const struct reports_range *r,
	    struct reports_payment **out, size_t *n);

struct reports_refund {
	int64_t		 id;
	int64_t		 order_number;
	int64_t		 amount;	/* with tax */
	int64_t		 tax;
	int64_t		 shipping;
	struct str	 reason;
	time_t		 at;		/* when it succeeded (was posted) */
};

/* The refunds that succeeded in the range, newest first, at most
 * REPORTS_REFUNDS_MAX, into *out and *n; *count, *amount and *tax
 * (each may be NULL) get the totals of all of them. Two statements.
 * SHOP_OK or SHOP_EDB. */
int	reports_refunds(struct shop_ctx *ctx, const struct reports_range *r,
	    struct reports_refund **out, size_t *n, int64_t *count,
	    int64_t *amount, int64_t *tax);

struct reports_top {
	int64_t		 id;		/* product or category; 0: none */
	struct str	 name;		/* ctx->locale's, the shop's, or the
					 * order line's; "" for no category */
	int64_t		 units;
	int64_t		 net;		/* the lines' totals net of tax,
					 * after discounts, before refunds */
};

/* The products (variants with their product), or with categories
 * nonzero their categories, of the orders whose sale was posted in the
 * range, most net sales first, at most REPORTS_TOP_MAX. Summed over
 * every product (top few apart) net is the books' gross less
 * discounts. SHOP_OK or SHOP_EDB. */
int	reports_top(struct shop_ctx *ctx, const struct reports_range *r,
	    int categories, struct reports_top **out, size_t *n);

#endif
