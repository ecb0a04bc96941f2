/* billing.c: the month's invoices (billing.h). */
#include "core/common.h"

#include <json.h>
#include <sodium.h>
#include <time.h>
#include "core/arena.h"
#include "core/config.h"
#include "core/date.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "platform/billing.h"
#include "platform/fetch.h"
#include "platform/jobs.h"
#include "platform/tenant.h"

#define DELIVERY_TIMEOUT_MS	10000
#define ANSWER_MAX		4096

static const char *const status_names[INVOICE__STATUS_MAX] = {
	"open", "paid", "failed",
};

const char *
invoice_status_name(enum invoice_status s)
{
	return (unsigned)s < INVOICE__STATUS_MAX ? status_names[s] : "open";
}

static enum invoice_status
status_of(struct str s)
{
	int i;

	for (i = 0; i < INVOICE__STATUS_MAX; i++)
		if (str_eqc(s, status_names[i]))
			return (enum invoice_status)i;
	return INVOICE_OPEN;
}

/* ---------------------------------------------------------------- months */

/* The day number of period's 1st ("YYYY-MM"), -1 when it is none. */
static int64_t
period_first(const char *s)
{
	char d[DATE_LEN];

	if (s == NULL || strlen(s) != 7)
		return -1;
	memcpy(d, s, 7);
	memcpy(d + 7, "-01", 4);
	return date_days(str_c(d));
}

int
billing_period_valid(const char *s)
{
	int64_t this_month, f = period_first(s);

	if (f < 0)
		return 0;
	(void)date_month_days(date_today(), &this_month);
	return f < this_month;
}

void
billing_last_month(char out[8])
{
	char	d[DATE_LEN];
	int64_t	first;

	(void)date_month_days(date_today(), &first);
	date_string(first - 1, d);
	memcpy(out, d, 7);
	out[7] = '\0';
}

/* ---------------------------------------------------------------- lines */

/* One row of a shop's plan history: from day on, plan (trial through
 * trial_end, a day number; -1 none). */
struct change {
	int64_t		 tenant_id;
	const char	*slug;
	const char	*name;
	int64_t		 day;
	int64_t		 plan_id;
	const char	*plan_name;
	int64_t		 price;
	int64_t		 trial_end;
};

/* Every change of account_id's shops up to the period's last day, in
 * shop and time order; a shop without history gets one from its row. */
static const char q_changes[] =
	"SELECT t.id, t.slug, t.name, DATE_FORMAT(c.changed_at, '%Y-%m-%d'), "
	"c.to_plan_id, IFNULL(p.name, ''), IFNULL(p.price, 0), "
	"IFNULL(DATE_FORMAT(c.trial_ends_at, '%Y-%m-%d'), ''), "
	"c.changed_at, c.id "
	"FROM souk_tenants t JOIN souk_plan_changes c ON c.tenant_id = t.id "
	"LEFT JOIN souk_plans p ON p.id = c.to_plan_id "
	"WHERE t.owner_id = ? AND t.status IN ('ready', 'suspended') "
	"AND c.changed_at < ? "
	"UNION ALL "
	"SELECT t.id, t.slug, t.name, DATE_FORMAT(t.created_at, '%Y-%m-%d'), "
	"t.plan_id, IFNULL(p.name, ''), IFNULL(p.price, 0), "
	"IFNULL(DATE_FORMAT(t.trial_ends_at, '%Y-%m-%d'), ''), "
	"t.created_at, 0 "
	"FROM souk_tenants t LEFT JOIN souk_plans p ON p.id = t.plan_id "
	"WHERE t.owner_id = ? AND t.status IN ('ready', 'suspended') "
	"AND t.plan_id IS NOT NULL AND t.created_at < ? AND NOT EXISTS "
	"(SELECT 1 FROM souk_plan_changes c WHERE c.tenant_id = t.id) "
	"ORDER BY 1, 9, 10";

/* price * days / month_days, rounded half up (prices are never
 * negative). */
static int64_t
pro_rata(int64_t price, int days, int month_days)
{
	return (price * 2 * days + month_days) / (2 * month_days);
}

enum billing_err
billing_lines(struct db *db, struct arena *a, int64_t account_id,
    const char *period, struct invoice_line **out, size_t *n)
{
	struct db_stmt	*st;
	struct change	*ch = NULL;
	struct invoice_line *v;
	size_t		 nch = 0, cap = 0, i, j, nv = 0;
	int64_t		 first = period_first(period), d, end;
	char		 end_s[DATE_LEN];
	int		 mdays, rc;

	*out = NULL;
	*n = 0;
	if (!billing_period_valid(period))
		return BILLING_EPERIOD;
	mdays = date_month_days(first, &first);
	end = first + mdays;			/* the next month's 1st */
	date_string(end, end_s);
	if ((st = db_prepare(db, q_changes, 0)) == NULL)
		return BILLING_EDB;
	db_bind_i64(st, 0, account_id);
	db_bind_cstr(st, 1, end_s);
	db_bind_i64(st, 2, account_id);
	db_bind_cstr(st, 3, end_s);
	if (db_exec(st, a) == -1)
		return BILLING_EDB;
	while ((rc = db_step(st)) == 1) {
		struct change *c;

		if (nch == cap) {
			struct change *bigger;

			cap = cap ? cap * 2 : 16;
			bigger = arena_calloc(a, cap, sizeof(*bigger));
			if (nch)
				memcpy(bigger, ch, nch * sizeof(*ch));
			ch = bigger;
		}
		c = &ch[nch++];
		c->tenant_id = db_col_i64(st, 0);
		c->slug = db_col_str(st, 1).p;
		c->name = db_col_str(st, 2).p;
		c->day = date_days(db_col_str(st, 3));
		c->plan_id = db_col_i64(st, 4);
		c->plan_name = db_col_str(st, 5).p;
		c->price = db_col_i64(st, 6);
		c->trial_end = db_col_null(st, 7) ? -1 :
		    date_days(db_col_str(st, 7));
		if (c->plan_name[0] == '\0')
			c->plan_name = arena_printf(a, "#%lld",
			    (long long)c->plan_id);
	}
	db_done(st);
	if (rc == -1)
		return BILLING_EDB;
	/* At most one line per shop, day and plan: mdays lines a shop. */
	v = arena_calloc(a, nch * (size_t)mdays + 1, sizeof(*v));
	for (i = 0; i < nch; i = j) {
		struct invoice_line	*cur = NULL;

		for (j = i; j < nch && ch[j].tenant_id == ch[i].tenant_id; j++)
			;
		/* ch[i .. j) is one shop's history, oldest first. */
		for (d = first; d < end; d++) {
			const struct change	*c = NULL;
			size_t			 k;
			int			 trial;

			for (k = i; k < j && ch[k].day <= d; k++)
				c = &ch[k];
			if (c == NULL)
				continue;	/* not made yet */
			trial = c->trial_end >= 0 && d <= c->trial_end;
			if (cur == NULL || cur->plan_id != c->plan_id ||
			    cur->trial != trial ||
			    date_days(str_c(cur->last_day)) != d - 1) {
				cur = &v[nv++];
				cur->tenant_id = c->tenant_id;
				cur->shop_slug = c->slug;
				cur->shop_name = c->name;
				cur->plan_id = c->plan_id;
				cur->plan_name = c->plan_name;
				cur->price = c->price;
				cur->trial = trial;
				cur->month_days = mdays;
				date_string(d, cur->first_day);
			}
			cur->days++;
			date_string(d, cur->last_day);
		}
	}
	for (i = 0; i < nv; i++)
		v[i].amount = v[i].trial ? 0 : pro_rata(v[i].price, v[i].days,
		    v[i].month_days);
	*out = v;
	*n = nv;
	return BILLING_OK;
}

/* ---------------------------------------------------------------- run */

struct write {
	int64_t			 account_id;
	const char		*period;
	const char		*currency;
	struct invoice_line	*lines;
	size_t			 n;
	int64_t			 number;
};

static int
write_tx(struct db *db, void *arg)
{
	struct write	*w = arg;
	struct db_stmt	*st;
	int64_t		 total = 0, id;
	char		 payload[64];
	size_t		 i;
	int		 len;

	for (i = 0; i < w->n; i++)
		total += w->lines[i].amount;
	/* The counter row, locked: numbers are taken in turn and given
	 * back by a rollback, so none is ever skipped. */
	if ((st = db_prepare(db, "SELECT value FROM souk_counters WHERE "
	    "name = 'invoice' FOR UPDATE", 0)) == NULL ||
	    db_exec(st, NULL) == -1)
		return -1;
	if (db_step(st) != 1) {
		db_done(st);
		return -1;
	}
	w->number = db_col_i64(st, 0) + 1;
	db_done(st);
	if ((st = db_prepare(db, "UPDATE souk_counters SET value = ? WHERE "
	    "name = 'invoice'", 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, w->number);
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((st = db_prepare(db, "INSERT INTO souk_invoices (number, "
	    "account_id, email, period, currency, total, status, issued_at, "
	    "paid_at) SELECT ?, id, email, ?, ?, ?, IF(? = 0, 'paid', "
	    "'open'), UTC_TIMESTAMP(), IF(? = 0, UTC_TIMESTAMP(), NULL) "
	    "FROM souk_accounts WHERE id = ?", 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, w->number);
	db_bind_cstr(st, 1, w->period);
	db_bind_cstr(st, 2, w->currency);
	db_bind_i64(st, 3, total);
	db_bind_i64(st, 4, total);
	db_bind_i64(st, 5, total);
	db_bind_i64(st, 6, w->account_id);
	if (db_exec(st, NULL) == -1)
		return -1;
	if (db_affected(st) != 1)
		return BILLING_ENOTFOUND;	/* the account is gone */
	id = (int64_t)db_insert_id(st);
	if ((st = db_prepare(db, "INSERT INTO souk_invoice_lines "
	    "(invoice_id, tenant_id, shop_slug, shop_name, plan_id, plan_name, "
	    "first_day, last_day, days, month_days, price, trial, amount) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 0)) == NULL)
		return -1;
	for (i = 0; i < w->n; i++) {
		const struct invoice_line *l = &w->lines[i];

		db_bind_i64(st, 0, id);
		db_bind_i64(st, 1, l->tenant_id);
		db_bind_cstr(st, 2, l->shop_slug);
		db_bind_cstr(st, 3, l->shop_name);
		db_bind_i64(st, 4, l->plan_id);
		db_bind_cstr(st, 5, l->plan_name);
		db_bind_cstr(st, 6, l->first_day);
		db_bind_cstr(st, 7, l->last_day);
		db_bind_i64(st, 8, l->days);
		db_bind_i64(st, 9, l->month_days);
		db_bind_i64(st, 10, l->price);
		db_bind_i64(st, 11, l->trial);
		db_bind_i64(st, 12, l->amount);
		if (db_exec(st, NULL) == -1)
			return -1;
	}
	/* The operator's billing system hears of it once it is there. */
	if (*config_get("billing_webhook_url", "") != '\0') {
		len = snprintf(payload, sizeof(payload), "{\"number\":%lld}",
		    (long long)w->number);
		if (len < 0 || (size_t)len >= sizeof(payload) ||
		    jobs_enqueue(db, 0, BILLING_JOB_KIND, (struct str){
		    payload, (size_t)len }, 0, NULL) == -1)
			return -1;
	}
	return 0;
}

/* Accounts with a shop in the period and no invoice for it yet. */
static const char q_due[] =
	"SELECT DISTINCT t.owner_id FROM souk_tenants t "
	"WHERE t.status IN ('ready', 'suspended') AND t.created_at < ? "
	"AND NOT EXISTS (SELECT 1 FROM souk_invoices i WHERE "
	"i.account_id = t.owner_id AND i.period = ?) ORDER BY 1";

enum billing_err
billing_run(struct db *db, const char *period, int64_t *made)
{
	struct arena	 a;
	struct db_stmt	*st;
	struct write	 w;
	int64_t		*acct = NULL, first = period_first(period), end;
	char		 end_s[DATE_LEN];
	size_t		 n = 0, cap = 0, i;
	int		 rc, failed = 0;

	*made = 0;
	if (!billing_period_valid(period))
		return BILLING_EPERIOD;
	end = first + date_month_days(first, &first);
	date_string(end, end_s);
	arena_init(&a);
	if ((st = db_prepare(db, q_due, 0)) == NULL)
		goto dberr;
	db_bind_cstr(st, 0, end_s);
	db_bind_cstr(st, 1, period);
	if (db_exec(st, NULL) == -1)
		goto dberr;
	while ((rc = db_step(st)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			acct = xrealloc(acct, xmul(cap, sizeof(*acct)));
		}
		acct[n++] = db_col_i64(st, 0);
	}
	db_done(st);
	if (rc == -1)
		goto dberr;
	for (i = 0; i < n; i++) {
		arena_reset(&a);
		memset(&w, 0, sizeof(w));
		w.account_id = acct[i];
		w.period = period;
		w.currency = config_get("platform_currency", "EUR");
		if (billing_lines(db, &a, acct[i], period, &w.lines, &w.n) !=
		    BILLING_OK) {
			failed = 1;
			continue;
		}
		if (w.n == 0)
			continue;
		rc = db_tx_run(db, write_tx, &w);
		if (rc == 0) {
			(*made)++;
			log_info("invoice %lld: account %lld, %s", (long long)
			    w.number, (long long)acct[i], period);
		} else if (db_errclass(db) == DB_EDUP)
			continue;	/* another worker wrote it */
		else if (rc != BILLING_ENOTFOUND) {
			log_warn("cannot write the invoice of account %lld for "
			    "%s: %s", (long long)acct[i], period,
			    db_error(db));
			failed = 1;
		}
	}
	free(acct);
	arena_free(&a);
	if (failed)
		return BILLING_EDB;
	if ((st = db_prepare(db, "INSERT IGNORE INTO souk_billing_runs "
	    "(period) VALUES (?)", 0)) == NULL)
		return BILLING_EDB;
	db_bind_cstr(st, 0, period);
	return db_exec(st, NULL) == 0 ? BILLING_OK : BILLING_EDB;
dberr:
	free(acct);
	arena_free(&a);
	return BILLING_EDB;
}

int
billing_done(struct db *db, const char *period)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, "SELECT 1 FROM souk_billing_runs WHERE "
	    "period = ?", 0)) == NULL)
		return -1;
	db_bind_cstr(st, 0, period);
	if (db_exec(st, NULL) == -1)
		return -1;
	rc = db_step(st);
	db_done(st);
	return rc;
}

/* ---------------------------------------------------------------- read */

#define INVOICE_COLS "i.id, i.number, i.account_id, i.email, i.period, " \
	"i.currency, i.total, i.status, " \
	"DATE_FORMAT(i.issued_at, '%Y-%m-%d %H:%i:%s'), " \
	"IFNULL(DATE_FORMAT(i.paid_at, '%Y-%m-%d %H:%i:%s'), ''), " \
	"IFNULL(DATE_FORMAT(i.failed_at, '%Y-%m-%d %H:%i:%s'), ''), " \
	"i.fail_reason, " \
	"IFNULL(DATE_FORMAT(i.suspend_after, '%Y-%m-%d %H:%i:%s'), '')"

static void
invoice_of(struct db_stmt *st, struct invoice *v)
{
	memset(v, 0, sizeof(*v));
	v->id = db_col_i64(st, 0);
	v->number = db_col_i64(st, 1);
	v->account_id = db_col_i64(st, 2);
	v->email = db_col_str(st, 3).p;
	str_copy(v->period, sizeof(v->period), db_col_str(st, 4));
	str_copy(v->currency, sizeof(v->currency), db_col_str(st, 5));
	v->total = db_col_i64(st, 6);
	v->status = status_of(db_col_str(st, 7));
	v->issued_at = db_col_str(st, 8).p;
	v->paid_at = db_col_str(st, 9).p;
	v->failed_at = db_col_str(st, 10).p;
	v->fail_reason = db_col_str(st, 11).p;
	v->suspend_after = db_col_str(st, 12).p;
}

enum billing_err
billing_get(struct db *db, struct arena *a, int64_t number,
    struct invoice *out)
{
	struct db_stmt	*st;
	int		 rc;
	size_t		 cap = 8;

	memset(out, 0, sizeof(*out));
	if ((st = db_prepare(db, "SELECT " INVOICE_COLS " FROM souk_invoices i "
	    "WHERE i.number = ?", 0)) == NULL)
		return BILLING_EDB;
	db_bind_i64(st, 0, number);
	if (db_exec(st, a) == -1)
		return BILLING_EDB;
	rc = db_step(st);
	if (rc == 1)
		invoice_of(st, out);
	db_done(st);
	if (rc != 1)
		return rc == 0 ? BILLING_ENOTFOUND : BILLING_EDB;
	if ((st = db_prepare(db, "SELECT tenant_id, shop_slug, shop_name, "
	    "plan_id, plan_name, DATE_FORMAT(first_day, '%Y-%m-%d'), "
	    "DATE_FORMAT(last_day, '%Y-%m-%d'), days, month_days, price, "
	    "trial, amount FROM souk_invoice_lines WHERE invoice_id = ? "
	    "ORDER BY id", 0)) == NULL)
		return BILLING_EDB;
	db_bind_i64(st, 0, out->id);
	if (db_exec(st, a) == -1)
		return BILLING_EDB;
	out->lines = arena_calloc(a, cap, sizeof(*out->lines));
	while ((rc = db_step(st)) == 1) {
		struct invoice_line *l;

		if (out->nlines == cap) {
			struct invoice_line *bigger = arena_calloc(a, cap * 2,
			    sizeof(*bigger));

			memcpy(bigger, out->lines, cap * sizeof(*bigger));
			out->lines = bigger;
			cap *= 2;
		}
		l = &out->lines[out->nlines++];
		l->tenant_id = db_col_i64(st, 0);
		l->shop_slug = db_col_str(st, 1).p;
		l->shop_name = db_col_str(st, 2).p;
		l->plan_id = db_col_i64(st, 3);
		l->plan_name = db_col_str(st, 4).p;
		str_copy(l->first_day, sizeof(l->first_day),
		    db_col_str(st, 5));
		str_copy(l->last_day, sizeof(l->last_day),
		    db_col_str(st, 6));
		l->days = (int)db_col_i64(st, 7);
		l->month_days = (int)db_col_i64(st, 8);
		l->price = db_col_i64(st, 9);
		l->trial = (int)db_col_i64(st, 10);
		l->amount = db_col_i64(st, 11);
	}
	db_done(st);
	return rc == 0 ? BILLING_OK : BILLING_EDB;
}

enum billing_err
billing_list(struct db *db, struct arena *a, int64_t account_id, int status,
    size_t limit, size_t offset, struct invoice **out, size_t *n)
{
	struct db_stmt	*st;
	struct invoice	*v;
	size_t		 k = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, "SELECT " INVOICE_COLS " FROM souk_invoices i "
	    "WHERE (? = 0 OR i.account_id = ?) AND (? = '' OR i.status = ?) "
	    "ORDER BY i.number DESC LIMIT ? OFFSET ?", 0)) == NULL)
		return BILLING_EDB;
	db_bind_i64(st, 0, account_id);
	db_bind_i64(st, 1, account_id);
	db_bind_cstr(st, 2, status < 0 ? "" : invoice_status_name(
	    (enum invoice_status)status));
	db_bind_cstr(st, 3, status < 0 ? "" : invoice_status_name(
	    (enum invoice_status)status));
	db_bind_i64(st, 4, (int64_t)limit);
	db_bind_i64(st, 5, (int64_t)offset);
	if (db_exec(st, a) == -1)
		return BILLING_EDB;
	v = arena_calloc(a, limit ? limit : 1, sizeof(*v));
	while ((rc = db_step(st)) == 1 && k < limit)
		invoice_of(st, &v[k++]);
	db_done(st);
	if (rc == -1)
		return BILLING_EDB;
	*out = v;
	*n = k;
	return BILLING_OK;
}

/* ---------------------------------------------------------------- payment */

struct report {
	int64_t		number;
	int		paid;
	struct str	reason;
	int		grace_days;
	int64_t		account_id;
	int		found;
};

static int
report_tx(struct db *db, void *arg)
{
	struct report	*r = arg;
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, "SELECT account_id FROM souk_invoices WHERE "
	    "number = ? FOR UPDATE", 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, r->number);
	if (db_exec(st, NULL) == -1)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		r->account_id = db_col_i64(st, 0);
	db_done(st);
	if (rc != 1)
		return rc == 0 ? BILLING_ENOTFOUND : -1;
	st = r->paid ? db_prepare(db, "UPDATE souk_invoices SET status = "
	    "'paid', paid_at = UTC_TIMESTAMP(), suspend_after = NULL WHERE "
	    "number = ?", 0) : db_prepare(db, "UPDATE souk_invoices SET "
	    /* MariaDB assigns left to right: the grace period is read
	     * before status changes. A second failure keeps the first
	     * one's end. */
	    "suspend_after = IF(status = 'failed' AND suspend_after IS NOT "
	    "NULL, suspend_after, UTC_TIMESTAMP() + INTERVAL ? DAY), "
	    "status = 'failed', failed_at = UTC_TIMESTAMP(), fail_reason = ? "
	    "WHERE number = ?", 0);
	if (st == NULL)
		return -1;
	if (r->paid)
		db_bind_i64(st, 0, r->number);
	else {
		db_bind_i64(st, 0, r->grace_days);
		db_bind_str(st, 1, r->reason);
		db_bind_i64(st, 2, r->number);
	}
	return db_exec(st, NULL) == -1 ? -1 : 0;
}

/* Resumes the account's shops billing suspended, unless another
 * invoice of it is still failed past its grace. */
static int
resume_paid(struct db *db, int64_t account_id)
{
	struct arena	 a;
	struct db_stmt	*st;
	struct tenant	*ts;
	size_t		 n, i;
	int		 rc;

	if ((st = db_prepare(db, "SELECT COUNT(*) FROM souk_invoices WHERE "
	    "account_id = ? AND status = 'failed' AND suspend_after <= "
	    "UTC_TIMESTAMP()", 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, account_id);
	if (db_exec(st, NULL) == -1)
		return -1;
	rc = db_step(st) == 1 ? (int)db_col_i64(st, 0) : -1;
	db_done(st);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	arena_init(&a);
	if (tenant_list(db, &a, account_id, 1000, 0, &ts, &n) != TENANT_OK) {
		arena_free(&a);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (ts[i].status == TENANT_SUSPENDED &&
		    strncmp(ts[i].status_reason, BILLING_SUSPEND_PREFIX,
		    strlen(BILLING_SUSPEND_PREFIX)) == 0 &&
		    tenant_resume(db, &ts[i]) == TENANT_OK)
			log_info("shop %lld resumed: its account paid",
			    (long long)ts[i].id);
	arena_free(&a);
	return 0;
}

enum billing_err
billing_report(struct db *db, int64_t number, int paid, struct str reason,
    int grace_days)
{
	struct report	r = { number, paid, reason, grace_days, 0, 0 };
	int		rc;

	rc = db_tx_run(db, report_tx, &r);
	if (rc == BILLING_ENOTFOUND)
		return BILLING_ENOTFOUND;
	if (rc != 0)
		return BILLING_EDB;
	if (paid && resume_paid(db, r.account_id) == -1)
		return BILLING_EDB;
	return BILLING_OK;
}

int
billing_enforce(struct db *db, int64_t *done)
{
	struct arena	 a;
	struct db_stmt	*st;
	struct tenant	*ts;
	int64_t		 acct[64], num[64];
	char		 reason[80];
	size_t		 n = 0, k, i;
	int		 rc, len;

	*done = 0;
	/* A page of accounts at a time: the next pass takes the rest. */
	if ((st = db_prepare(db, "SELECT i.account_id, MIN(i.number) FROM "
	    "souk_invoices i JOIN souk_tenants t ON t.owner_id = i.account_id "
	    "AND t.status = 'ready' WHERE i.status = 'failed' AND "
	    "i.suspend_after <= UTC_TIMESTAMP() GROUP BY i.account_id "
	    "LIMIT 64", 0)) == NULL || db_exec(st, NULL) == -1)
		return -1;
	while ((rc = db_step(st)) == 1 && n < NELEM(acct)) {
		acct[n] = db_col_i64(st, 0);
		num[n++] = db_col_i64(st, 1);
	}
	db_done(st);
	if (rc == -1)
		return -1;
	arena_init(&a);
	for (k = 0; k < n; k++) {
		arena_reset(&a);
		if (tenant_list(db, &a, acct[k], 1000, 0, &ts, &i) !=
		    TENANT_OK) {
			arena_free(&a);
			return -1;
		}
		len = snprintf(reason, sizeof(reason), "%s%lld",
		    BILLING_SUSPEND_PREFIX, (long long)num[k]);
		if (len < 0 || (size_t)len >= sizeof(reason))
			continue;
		while (i-- > 0)
			if (ts[i].status == TENANT_READY &&
			    tenant_suspend(db, &ts[i], reason) == TENANT_OK) {
				log_info("shop %lld suspended: %s",
				    (long long)ts[i].id, reason);
				(*done)++;
			}
	}
	arena_free(&a);
	return 0;
}

/* ---------------------------------------------------------------- webhook */

static void
add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static void
add_i64(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

json_object *
billing_json_obj(const struct invoice *inv, const char *url)
{
	json_object	*o = json_object_new_object(), *acct, *lines, *l;
	size_t		 i;

	add_i64(o, "number", inv->number);
	acct = json_object_new_object();
	add_i64(acct, "id", inv->account_id);
	add_str(acct, "email", inv->email);
	json_object_object_add(o, "account", acct);
	add_str(o, "period", inv->period);
	add_str(o, "currency", inv->currency);
	add_i64(o, "total", inv->total);
	add_str(o, "status", invoice_status_name(inv->status));
	add_str(o, "issued_at", inv->issued_at);
	add_str(o, "paid_at", inv->paid_at);
	add_str(o, "failed_at", inv->failed_at);
	add_str(o, "fail_reason", inv->fail_reason);
	add_str(o, "suspend_after", inv->suspend_after);
	add_str(o, "url", url);
	lines = json_object_new_array();
	for (i = 0; i < inv->nlines; i++) {
		const struct invoice_line *x = &inv->lines[i];

		l = json_object_new_object();
		add_i64(l, "shop_id", x->tenant_id);
		add_str(l, "shop", x->shop_slug);
		add_str(l, "shop_name", x->shop_name);
		add_i64(l, "plan_id", x->plan_id);
		add_str(l, "plan", x->plan_name);
		add_str(l, "from", x->first_day);
		add_str(l, "to", x->last_day);
		add_i64(l, "days", x->days);
		add_i64(l, "month_days", x->month_days);
		add_i64(l, "price", x->price);
		json_object_object_add(l, "trial",
		    json_object_new_boolean(x->trial));
		add_i64(l, "amount", x->amount);
		json_object_array_add(lines, l);
	}
	json_object_object_add(o, "lines", lines);
	return o;
}

void
billing_json(struct strbuf *out, const struct invoice *inv, const char *url)
{
	json_object *o = billing_json_obj(inv, url);

	strbuf_addstr(out, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

void
billing_sign(struct str body, struct str secret, int64_t t, char *out,
    size_t len)
{
	crypto_auth_hmacsha256_state	 h;
	unsigned char			 mac[crypto_auth_hmacsha256_BYTES];
	char				 ts[24], hex[2 * sizeof(mac) + 1];
	int				 n;

	n = snprintf(ts, sizeof(ts), "%lld.", (long long)t);
	crypto_auth_hmacsha256_init(&h, (const unsigned char *)secret.p,
	    secret.len);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)ts,
	    (unsigned long long)(n > 0 ? n : 0));
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)body.p,
	    body.len);
	crypto_auth_hmacsha256_final(&h, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	n = snprintf(out, len, "t=%lld,v1=%s", (long long)t, hex);
	if (n < 0 || (size_t)n >= len)
		out[0] = '\0';
}

const char *
billing_invoice_url(struct arena *a, int64_t number)
{
	return tenant_link(a, NULL, arena_printf(a, "/invoices/%lld",
	    (long long)number));
}

int
billing_deliver(struct db *db, struct arena *a, struct str payload,
    int64_t job_id, char *err, size_t errlen)
{
	struct json_tokener	*tok;
	json_object		*p, *num;
	struct invoice		 inv;
	struct fetch_limits	 lim;
	struct strbuf		 body = STRBUF_INIT, answer = STRBUF_INIT;
	const char		*url = config_get("billing_webhook_url", "");
	const char		*secret = config_get("billing_webhook_secret",
				    "");
	const char		*hdr[6];
	char			 sig[160], ferr[256];
	int64_t			 number = 0;
	long			 status = 0;
	enum billing_err	 rc;
	enum fetch_err		 e;
	int			 result;

	tok = json_tokener_new();
	p = json_tokener_parse_ex(tok, payload.p, (int)payload.len);
	json_tokener_free(tok);
	if (p != NULL && json_object_object_get_ex(p, "number", &num))
		number = json_object_get_int64(num);
	json_object_put(p);
	if (number <= 0) {
		str_errf(err, errlen, "malformed payload");
		return -1;
	}
	if (*url == '\0' || *secret == '\0') {
		str_errf(err, errlen, "billing_webhook_url or "
		    "billing_webhook_secret is not set");
		return -1;
	}
	if ((rc = billing_get(db, a, number, &inv)) != BILLING_OK) {
		str_errf(err, errlen, rc == BILLING_ENOTFOUND ? "invoice %lld "
		    "does not exist" : "cannot read invoice %lld",
		    (long long)number);
		return rc == BILLING_ENOTFOUND ? -1 : 0;
	}
	billing_json(&body, &inv, billing_invoice_url(a, number));
	billing_sign((struct str){ body.buf, body.len }, str_c(secret),
	    (int64_t)time(NULL), sig, sizeof(sig));
	hdr[0] = "Content-Type: application/json";
	hdr[1] = "User-Agent: Souk/1 billing";
	hdr[2] = "Souk-Event: invoice.created";
	hdr[3] = arena_printf(a, "Souk-Signature: %s", sig);
	/* The same for every attempt: the receiver can tell a retry. */
	hdr[4] = arena_printf(a, "Souk-Delivery: %lld", (long long)job_id);
	hdr[5] = NULL;
	fetch_limits_default(&lim);
	lim.max_bytes = ANSWER_MAX;
	lim.timeout_ms = DELIVERY_TIMEOUT_MS;
	e = fetch_post(url, &lim, hdr, (struct str){ body.buf, body.len },
	    &status, &answer, ferr, sizeof(ferr));
	if (e == FETCH_OK || (e == FETCH_ETOOBIG && status >= 200 &&
	    status <= 299))
		result = 1;
	else {
		str_errf(err, errlen, "invoice %lld to %s: %s",
		    (long long)number, url, ferr);
		result = 0;
	}
	strbuf_release(&body);
	strbuf_release(&answer);
	return result;
}
