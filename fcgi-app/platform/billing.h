/*
 * billing.h: the month's invoices of the platform's accounts, and what
 * an unpaid one does.
 *
 * After each month (UTC), souk-worker (or `soukctl billing run`) writes
 * one invoice per platform account that had a shop on any day of it:
 * a line per shop and stretch of days on one plan, at the plan's
 * monthly price times the days over the month's days, rounded half up
 * to the minor unit; trial days are lines of 0. The plan a shop was on
 * each day is read from souk_plan_changes (a change counts from its
 * day: the day of a change is the new plan's). Prices are the plans'
 * when the invoice is written, in platform_currency. Invoices are
 * numbered 1, 2, 3 ... without gaps: the number is taken from a counter
 * row in the invoice's own transaction, so a failed write takes none.
 * Each account and month gets one invoice however often the run
 * repeats (UNIQUE account_id, period).
 *
 * With billing_webhook_url set, each new invoice queues a job
 * (BILLING_JOB_KIND) that POSTs it as JSON to the operator's billing
 * system, signed with billing_webhook_secret: the header
 *	Souk-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">
 * (retried with the job queue's backoff until a 2xx). The billing
 * system reports back through the tenant API: paid, or failed. A failed
 * invoice suspends the account's shops once billing_grace_days (14)
 * have passed (billing_enforce(), souk-worker); paying it resumes the
 * shops suspended for it.
 */
#ifndef SOUK_BILLING_H
#define SOUK_BILLING_H

#include <stddef.h>
#include <stdint.h>
#include <json.h>
#include "core/str.h"

struct arena;
struct db;
struct strbuf;

#define BILLING_JOB_KIND	"billing.webhook"
/* The status_reason of a shop billing suspended, before the number. */
#define BILLING_SUSPEND_PREFIX	"billing: unpaid invoice "

enum invoice_status {
	INVOICE_OPEN,
	INVOICE_PAID,
	INVOICE_FAILED,
	INVOICE__STATUS_MAX
};

struct invoice_line {
	int64_t		 tenant_id;
	const char	*shop_slug;
	const char	*shop_name;
	int64_t		 plan_id;
	const char	*plan_name;
	char		 first_day[11];	/* YYYY-MM-DD */
	char		 last_day[11];
	int		 days;
	int		 month_days;
	int64_t		 price;		/* a month */
	int		 trial;
	int64_t		 amount;
};

struct invoice {
	int64_t			 id;
	int64_t			 number;
	int64_t			 account_id;
	const char		*email;
	char			 period[8];	/* YYYY-MM */
	char			 currency[4];
	int64_t			 total;
	enum invoice_status	 status;
	const char		*issued_at;	/* YYYY-MM-DD HH:MM:SS, UTC */
	const char		*paid_at;	/* "" when not */
	const char		*failed_at;
	const char		*fail_reason;
	const char		*suspend_after;
	struct invoice_line	*lines;
	size_t			 nlines;
};

enum billing_err {
	BILLING_EDB = -1,
	BILLING_OK = 0,
	BILLING_ENOTFOUND,
	BILLING_EPERIOD,	/* not a month that has ended */
};

/* Nonzero when s is a month "YYYY-MM" from 1970 to the last one that
 * has ended (UTC). */
int	billing_period_valid(const char *s);

/* The month before this one (UTC), "YYYY-MM". */
void	billing_last_month(char out[8]);

/*
 * What account_id's shops owe for period: their lines, in shop and day
 * order, into a (*out, *n; none when it had no shop that month). The
 * computation alone: nothing written. OK, EPERIOD, EDB.
 */
enum billing_err billing_lines(struct db *db, struct arena *a,
		    int64_t account_id, const char *period,
		    struct invoice_line **out, size_t *n);

/*
 * Writes the invoices of period for every account that has none yet
 * (*made: how many), then records the month as billed. OK, EPERIOD,
 * EDB (the invoices written so far stay).
 */
enum billing_err billing_run(struct db *db, const char *period,
		    int64_t *made);

/* Whether period was billed completely: 1, 0, or -1. */
int	billing_done(struct db *db, const char *period);

/* Invoice number (lines included) into *out, in a. OK, ENOTFOUND,
 * EDB. */
enum billing_err billing_get(struct db *db, struct arena *a, int64_t number,
		    struct invoice *out);

/* Invoices, newest first (account_id 0: every account's), without
 * their lines; status -1: any. */
enum billing_err billing_list(struct db *db, struct arena *a,
		    int64_t account_id, int status, size_t limit,
		    size_t offset, struct invoice **out, size_t *n);

/*
 * What the operator's billing system reports: paid (the invoice is
 * settled; shops suspended for it, and for no other failed invoice,
 * resume), or failed (reason kept; the grace period starts:
 * suspend_after = now + grace_days). OK, ENOTFOUND, EDB.
 */
enum billing_err billing_report(struct db *db, int64_t number, int paid,
		    struct str reason, int grace_days);

/* Suspends the ready shops of every account with a failed invoice past
 * its grace period; *n: how many. 0 or -1. */
int	billing_enforce(struct db *db, int64_t *n);

/* The invoice as the webhook's JSON body (and the tenant API's) into
 * out; url is where its owner reads it. billing_json_obj(): the same
 * as an object, the caller's to json_object_put(). */
void	billing_json(struct strbuf *out, const struct invoice *inv,
	    const char *url);
json_object *billing_json_obj(const struct invoice *inv, const char *url);

/* Where the account's owner reads invoice number (the platform's host,
 * /invoices/N), in a. */
const char	*billing_invoice_url(struct arena *a, int64_t number);

/* "t=T,v1=HEX" of body under secret at time t, into out (at least
 * 90 bytes). */
void	billing_sign(struct str body, struct str secret, int64_t t,
	    char *out, size_t len);

/*
 * souk-worker: delivers the job's invoice (payload {"number": N}) to
 * billing_webhook_url. 1 delivered (a 2xx), 0 try again later, -1
 * never (no such invoice; no URL or secret any more); err says why.
 */
int	billing_deliver(struct db *db, struct arena *a, struct str payload,
	    int64_t job_id, char *err, size_t errlen);

const char	*invoice_status_name(enum invoice_status s);

#endif
