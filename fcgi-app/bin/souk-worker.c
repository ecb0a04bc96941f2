/*
 * souk-worker: runs the platform's queue (platform/jobs.h): claims due
 * jobs from souk_jobs and does them. Today the jobs are transactional
 * e-mail, sent over SMTP to smtp_url from mail_from (platform/mail.h):
 * the platform's sign-up mails ("mail.*", platform/signup.h) and the
 * shops' mails ("shop.*", shop/notify.h), each rendered in a shop
 * context made for the job from its tenant (an unknown or deleted shop
 * buries the job). It also runs the shops' catalog imports
 * ("catalog.import", shop/imports.h): a preview or an import of an
 * uploaded CSV, renewing its lease while it reads the file (a big file
 * takes longer than a lease) and stopping early on SIGTERM (the job is
 * then due again: an import run twice changes nothing the first run
 * did not), and delivers the shops' WooCommerce webhooks ("wc.webhook",
 * shop/wc_webhook.h). When it starts, then once
 * an hour, it also purges dead sign-ups and expired account sessions
 * (platform accounts'; staff sessions live in each shop's tables), and
 * every shop's guest carts untouched for CART_PURGE_DAYS (shop/cart.h).
 * Once a day, at also_bought_at ("HH:MM" of the server's clock, default
 * 03:00), it counts every shop's "Customers also bought" and best
 * sellers (shop/also_bought.h); a shop without orders costs one cheap
 * statement. A worker that was down at that time counts them the next
 * day (or an operator runs `soukctl shop also-bought SLUG`).
 * Every card_reconcile_every seconds (default 60) it reconciles the
 * shops' card payments (shop/card.h): sessions a webhook never said
 * were paid, unpaid orders past their hold cancelled, refunds the
 * gateway did not answer sent again (`soukctl shop reconcile SLUG`
 * does it for one shop).
 * Usage metering (platform/meter.h, platform/usage.h): it adds the
 * VM's page views and API requests to souk_usage every
 * usage_flush_secs (default 60; once more as it stops), recounts every
 * shop's orders, revenue and holdings of today and yesterday every
 * usage_refresh_secs (default 900), and deletes records older than
 * USAGE_KEEP_DAYS once an hour. Run one souk-worker on every VM that
 * runs the pool: it flushes that VM's counters.
 * Operating figures (core/metrics.h, platform/metrics_log.h): it
 * counts the mails sent and failed, writes the job queue's lag and
 * each plan's use into the shared figures every metrics_gauge_secs
 * (15), and a row of the operator console's history every
 * metrics_sample_secs (300).
 * Shops made ahead of sign-ups (platform/shop_stock.h): it keeps
 * shop_stock (default 4) of them, looking every shop_stock_check_ms
 * (default 2000), and makes or finishes one shop between two jobs
 * until the stock is full.
 * Search indexes (shop/search_index.h): a shop whose index is not
 * built (made before it, restored, imported) gets SEARCH_INDEX_STEP
 * products indexed between two jobs until it is; it looks every
 * search_index_check_ms (default 5000).
 * Billing (platform/billing.h): every billing_check_secs (default 300)
 * it writes last month's invoices when they are not written yet, and
 * suspends the shops of accounts whose failed invoice is past its grace
 * period; it delivers each invoice to billing_webhook_url
 * ("billing.webhook" jobs).
 *
 *   souk-worker [--config FILE]
 *
 * One process, one job at a time; several may run (on one machine or
 * many): SKIP LOCKED keeps them off each other's jobs. When no job is
 * due it looks again every worker_poll_ms (default 1000). SIGTERM or
 * SIGINT stops it after the job in hand (a job cut short by SIGKILL is
 * claimed again when its lease ends: never lost). Exit status: 0 after
 * a clean stop, 2 on a configuration error.
 *
 * Exactly once, as far as souk can tell: each mail carries its job's
 * stable Message-ID (mail_job_msgid()), and the job is recorded done
 * right after the server's final 250, before anything else; when the
 * database fails just then, recording is retried for as long as the
 * lease holds, since letting the lease run out would send the mail
 * again. What SMTP itself cannot promise (a reply lost after the final
 * dot, RFC 1047) is in README.md, "E-mail".
 *
 * For tests, job_lease_secs (default JOBS_LEASE_SECS) and
 * job_retry_secs (the first retry's delay, default JOBS_BACKOFF_FIRST)
 * and job_retry_max_secs (the longest, default JOBS_BACKOFF_MAX) shorten the queue's times; a send is cut off well within the lease.
 */
#include "core/common.h"

#include <signal.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/money.h"
#include "db/db.h"
#include "platform/account.h"
#include "platform/billing.h"
#include "platform/jobs.h"
#include "platform/mail.h"
#include "platform/meter.h"
#include "platform/metrics_log.h"
#include "platform/shop_stock.h"
#include "platform/signup.h"
#include "platform/tenant.h"
#include "platform/usage.h"
#include "shop/also_bought.h"
#include "shop/card.h"
#include "shop/cart.h"
#include "shop/ctx.h"
#include "shop/imports.h"
#include "shop/notify.h"
#include "shop/search_index.h"
#include "shop/shop.h"
#include "shop/wc_webhook.h"

#define PURGE_EVERY_MS	(3600 * 1000)

static volatile sig_atomic_t	stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void
sleep_ms(int64_t ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	/* A signal ends the sleep early: the loop then sees stop. */
	(void)nanosleep(&ts, NULL);
}

/* What a job needs besides its row: the worker's long-lived state. */
struct worker_state {
	struct db		*db;
	struct db		*jq;	/* the server the job in hand came from */
	struct mail_server	 srv;
	const char		*from;
	struct notify		 notify;
	struct arena		 a;	/* per job, reset after it */
	int			 lease;
};

/*
 * The shop context of a shop's job, made from its tenant: *t, and *ctx
 * pointing into it. 1 made, 0 retry later (err), -1 bury (err).
 */
static int
job_shop(struct worker_state *ws, const struct job *job, struct tenant *t,
    struct shop_ctx *ctx, char *err, size_t errlen)
{
	enum tenant_err	te;

	te = job->tenant_id > 0 ? tenant_get_by_id(ws->db, job->tenant_id,
	    t) : TENANT_ENOTFOUND;
	if (te == TENANT_ENOTFOUND) {
		str_errf(err, errlen, "no shop %lld (deleted?)",
		    (long long)job->tenant_id);
		return -1;
	}
	if (te != TENANT_OK) {
		str_errf(err, errlen, "cannot read shop %lld: %s",
		    (long long)job->tenant_id, db_error(ws->db));
		return 0;
	}
	if (t->status != TENANT_READY && t->status != TENANT_SUSPENDED) {
		str_errf(err, errlen, "shop %lld is %s", (long long)t->id,
		    tenant_status_name(t->status));
		return -1;
	}
	shop_ctx_of(ctx, ws->db, &ws->a, t);
	return 1;
}

/*
 * Renders a shop.* job into msg, in a shop context made from its
 * tenant. 1 composed, 0 retry later (err), -1 bury (err).
 */
static int
shop_mail(struct worker_state *ws, const struct job *job,
    struct strbuf *msg, char *to, char *err, size_t errlen)
{
	struct tenant		t;
	struct shop_ctx		ctx;
	enum notify_result	rc;
	int			made;

	if ((made = job_shop(ws, job, &t, &ctx, err, errlen)) != 1)
		return made;
	rc = notify_render(&ws->notify, &ctx, &t, job, ws->from, msg, to, err,
	    errlen);
	return rc == NOTIFY_OK ? 1 : rc == NOTIFY_BURY ? -1 : 0;
}

/* A long job in hand: renews its lease a third of the way into it, and
 * stops it when souk-worker is asked to stop. */
struct long_job {
	struct worker_state	*ws;
	const struct job	*job;
	int64_t			 renewed_ms;
};

static int
long_job_tick(void *arg)
{
	struct long_job	*lj = arg;
	int64_t		 now = clock_ms();

	if (stop)
		return -1;
	if (now - lj->renewed_ms >= (int64_t)lj->ws->lease * 1000 / 3) {
		if (jobs_renew(lj->ws->jq, lj->job) == -1)
			log_warn("job %lld: cannot renew its lease: %s",
			    (long long)lj->job->id, db_error(lj->ws->jq));
		else
			lj->renewed_ms = now;
	}
	return 0;
}

/* A catalog.import job: 1 done, 0 retry later, -1 bury (err). */
static int
catalog_import(struct worker_state *ws, const struct job *job, char *err,
    size_t errlen)
{
	struct tenant	t;
	struct shop_ctx	ctx;
	struct long_job	lj = { ws, job, clock_ms() };
	int		made;

	if ((made = job_shop(ws, job, &t, &ctx, err, errlen)) != 1)
		return made;
	return imports_job_run(&ctx, str_c(job->payload.buf),
	    long_job_tick, &lj, err, errlen);
}

/* A wc.webhook job (shop/wc_webhook.h): 1 delivered, 0 retry later,
 * -1 bury (err). */
static int
wc_webhook(struct worker_state *ws, const struct job *job, char *err,
    size_t errlen)
{
	struct tenant	 t;
	struct shop_ctx	 ctx;
	const char	*port = config_get("public_port", "");
	char		 src[512];
	int		 made;

	if ((made = job_shop(ws, job, &t, &ctx, err, errlen)) != 1)
		return made;
	/* The shop's URL, as its mails name it (notify.c). */
	made = snprintf(src, sizeof(src), "%s://%s.%s%s%s/",
	    config_get("public_scheme", "http"), t.slug,
	    config_get("platform_domain", "localhost"), *port ? ":" : "",
	    port);
	if (made < 0 || (size_t)made >= sizeof(src)) {
		str_errf(err, errlen, "shop URL too long");
		return -1;
	}
	return wc_webhook_deliver(&ctx, src, job->id, (struct str){
	    job->payload.buf, job->payload.len }, err, errlen);
}

/*
 * The mail went: records the job done. The lease still holds it, so
 * when the database fails now, keep trying (reconnecting) until shortly
 * before the lease ends: a record lost here is a mail sent twice.
 */
static int
record_sent(struct worker_state *ws, const struct job *job)
{
	int64_t until = clock_ms() + (int64_t)ws->lease * 1000 / 2;

	while (jobs_done(ws->jq, job) == -1) {
		if (clock_ms() >= until)
			return -1;
		log_warn("job %lld: sent, cannot record it yet: %s",
		    (long long)job->id, db_error(ws->jq));
		sleep_ms(500);
		(void)db_alive(ws->jq, 1);
	}
	return 0;
}

/*
 * Claims a due job from the next server that has one, starting after
 * the one that gave the last (db.h, "Shops on several servers": a
 * shop's jobs are on its own server). ws->jq is set to that server.
 * 1 claimed, 0 none due anywhere, -1 when a server failed and none
 * had a job.
 */
static int
claim(struct worker_state *ws, struct job *job, int *next)
{
	int	n = db_shard_count(ws->db) + 1, i, k, rc, failed = 0;

	for (k = 0; k < n; k++) {
		i = (*next + k) % n;
		if (k > 0)
			jobs_release(job);
		ws->jq = db_shard(ws->db, i);
		if ((rc = jobs_claim(ws->jq, job)) == 1) {
			*next = (i + 1) % n;
			return 1;
		}
		if (rc == -1) {
			failed = 1;
			if (i > 0)
				log_warn("cannot claim jobs on server %s: %s",
				    db_shard_name(ws->db, i),
				    db_error(ws->jq));
		}
	}
	return failed ? -1 : 0;
}

/* Does one claimed job; its row is done, retried or buried. */
static void
run(struct worker_state *ws, struct job *job)
{
	struct strbuf	 msg = STRBUF_INIT;
	char		 to[ACCOUNT_EMAIL_MAX + 1], err[512] = "";
	int		 rc, wr;

	if (job->unfinished)
		/* RFC 1047's window: the server may hold a copy already;
		 * this one carries the same Message-ID. */
		log_warn("job %lld (%s): attempt %d follows one that ended "
		    "without an outcome (worker killed?): the server may "
		    "have a copy already", (long long)job->id, job->kind,
		    job->attempts);
	if (strcmp(job->kind, IMPORTS_JOB_KIND) == 0 ||
	    strcmp(job->kind, WC_WEBHOOK_JOB_KIND) == 0 ||
	    strcmp(job->kind, BILLING_JOB_KIND) == 0) {
		if (strcmp(job->kind, IMPORTS_JOB_KIND) == 0)
			rc = catalog_import(ws, job, err, sizeof(err));
		else if (strcmp(job->kind, WC_WEBHOOK_JOB_KIND) == 0)
			rc = wc_webhook(ws, job, err, sizeof(err));
		else
			rc = billing_deliver(ws->db, &ws->a, (struct str){
			    job->payload.buf, job->payload.len }, job->id, err,
			    sizeof(err));
		if (rc == 1) {
			wr = jobs_done(ws->jq, job);
			log_info("job %lld (%s): done", (long long)job->id,
			    job->kind);
		} else if (rc == 0) {
			log_warn("job %lld (%s): attempt %d failed: %s",
			    (long long)job->id, job->kind, job->attempts, err);
			wr = jobs_fail(ws->jq, job, err);
		} else {
			log_err("job %lld (%s): %s", (long long)job->id,
			    job->kind, err);
			wr = jobs_bury(ws->jq, job, err);
		}
		goto out;
	}
	if (strncmp(job->kind, "shop.", 5) == 0 &&
	    notify_kind_known(job->kind)) {
		rc = shop_mail(ws, job, &msg, to, err, sizeof(err));
		if (rc == 0) {
			log_warn("job %lld (%s): attempt %d failed: %s",
			    (long long)job->id, job->kind, job->attempts, err);
			wr = jobs_fail(ws->jq, job, err);
			goto out;
		}
	} else
		rc = signup_mail(job, ws->from, &msg, to, err, sizeof(err));
	if (rc == 0) {
		/* A newer souk's job, say: retry, with a growing delay. */
		log_warn("job %lld: unknown kind '%s'", (long long)job->id,
		    job->kind);
		wr = jobs_fail(ws->jq, job, "unknown kind");
	} else if (rc == -1) {
		log_err("job %lld (%s): %s", (long long)job->id, job->kind,
		    err);
		wr = jobs_bury(ws->jq, job, err);
	} else if (mail_send(&ws->srv, ws->from, to, msg.buf, msg.len, err,
	    sizeof(err)) == 0) {
		/* Nothing between the server's 250 and this record. */
		wr = record_sent(ws, job);
		metrics_add(METRICS_MAIL_SENT, 1);
		log_info("job %lld (%s): mailed to %s", (long long)job->id,
		    job->kind, to);
	} else {
		log_warn("job %lld (%s): attempt %d failed: %s",
		    (long long)job->id, job->kind, job->attempts, err);
		metrics_add(METRICS_MAIL_FAILED, 1);
		wr = jobs_fail(ws->jq, job, err);
	}
out:
	/* The lease ends anyway: the job is done again later. */
	if (wr == -1)
		log_err("job %lld: cannot record its outcome: %s",
		    (long long)job->id, db_error(ws->db));
	strbuf_release(&msg);
	arena_reset(&ws->a);
}

/* Every ready or suspended shop's forgotten guest carts, a page of
 * shops at a time. */
static void
purge_carts(struct worker_state *ws)
{
	struct tenant	*ts;
	struct shop_ctx	 ctx;
	size_t		 n, i, off = 0;
	int64_t		 gone, total = 0;

	do {
		arena_reset(&ws->a);
		if (tenant_list(ws->db, &ws->a, 0, 500, off, &ts, &n) !=
		    TENANT_OK) {
			log_warn("cannot list shops to purge carts: %s",
			    db_error(ws->db));
			return;
		}
		for (i = 0; i < n && !stop; i++) {
			if (ts[i].status != TENANT_READY &&
			    ts[i].status != TENANT_SUSPENDED)
				continue;
			shop_ctx_of(&ctx, ws->db, &ws->a, &ts[i]);
			if (cart_purge(&ctx, CART_PURGE_DAYS, &gone) ==
			    SHOP_OK)
				total += gone;
			else
				log_warn("shop %lld: cannot purge carts",
				    (long long)ts[i].id);
		}
		off += n;
	} while (n == 500 && !stop);
	arena_reset(&ws->a);
	if (total > 0)
		log_info("purged %lld forgotten carts", (long long)total);
}

/* Takes (get) or releases the server lock that keeps two souk-workers
 * from counting the same shops at the same time. 1 taken (or released),
 * 0 another worker holds it, -1 the database failed. */
static int
also_bought_lock(struct db *db, int get)
{
	struct db_stmt	*st;
	int64_t		 got = 0;

	st = db_prepare(db, get ? "SELECT GET_LOCK('souk_also_bought', 0)" :
	    "SELECT RELEASE_LOCK('souk_also_bought')", 0);
	if (st == NULL)
		return -1;
	if (db_exec(st, NULL) == -1) {
		db_done(st);
		return -1;
	}
	if (db_step(st) == 1)
		got = db_col_i64(st, 0);
	db_done(st);
	return got == 1;
}

/* Every ready shop's "Customers also bought" and best sellers, a page
 * of shops at a time (purge_carts()'s shape). When another worker
 * counts them already, this one leaves it to that one. */
static void
also_bought_all(struct worker_state *ws)
{
	struct also_bought_stats st;
	struct tenant		*ts;
	struct shop_ctx		 ctx;
	size_t			 n, i, off = 0;
	int64_t			 done = 0;
	int			 locked;

	if ((locked = also_bought_lock(ws->db, 1)) == 0) {
		log_info("another souk-worker counts also-bought and best "
		    "sellers");
		return;
	}
	if (locked == -1)
		log_warn("cannot take the also-bought lock (counting "
		    "anyway): %s", db_error(ws->db));
	do {
		arena_reset(&ws->a);
		if (tenant_list(ws->db, &ws->a, 0, 500, off, &ts, &n) !=
		    TENANT_OK) {
			log_warn("cannot list shops to count what they "
			    "sold: %s", db_error(ws->db));
			break;
		}
		for (i = 0; i < n && !stop; i++) {
			if (ts[i].status != TENANT_READY)
				continue;
			shop_ctx_of(&ctx, ws->db, &ws->a, &ts[i]);
			if (also_bought_build(&ctx, time(NULL), &st) !=
			    SHOP_OK)
				log_warn("shop %lld: cannot count what it "
				    "sold", (long long)ts[i].id);
			else if (!st.skipped)
				done++;
		}
		off += n;
	} while (n == 500 && !stop);
	arena_reset(&ws->a);
	if (locked == 1)
		(void)also_bought_lock(ws->db, 0);
	log_info("counted also-bought and best sellers of %lld shops",
	    (long long)done);
}

/* Every ready shop's card payments (card_reconcile()): a shop without
 * pending card orders or refunds costs one statement. Several workers
 * may do it at once: each change is checked in its transaction. */
static void
card_all(struct worker_state *ws)
{
	struct card_reconcile_stats st;
	struct tenant		*ts;
	struct shop_ctx		 ctx;
	size_t			 n, i, off = 0;

	do {
		arena_reset(&ws->a);
		if (tenant_list(ws->db, &ws->a, 0, 500, off, &ts, &n) !=
		    TENANT_OK) {
			log_warn("cannot list shops to reconcile their card "
			    "payments: %s", db_error(ws->db));
			break;
		}
		for (i = 0; i < n && !stop; i++) {
			if (ts[i].status != TENANT_READY)
				continue;
			shop_ctx_of(&ctx, ws->db, &ws->a, &ts[i]);
			if (card_reconcile(&ctx, -1, &st) != SHOP_OK)
				log_warn("shop %lld: cannot reconcile card "
				    "payments", (long long)ts[i].id);
			else if (st.paid || st.cancelled || st.failed)
				log_info("shop %lld: card payments: %lld "
				    "paid, %lld cancelled, %lld failed",
				    (long long)ts[i].id, (long long)st.paid,
				    (long long)st.cancelled,
				    (long long)st.failed);
		}
		off += n;
	} while (n == 500 && !stop);
	arena_reset(&ws->a);
}

/* The next time after now the server's clock reads hh:mm. */
static time_t
next_at(time_t now, int hh, int mm)
{
	struct tm	tm;
	time_t		t;

	localtime_r(&now, &tm);
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) <= now) {
		tm.tm_mday++;
		tm.tm_hour = hh;
		tm.tm_min = mm;
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	return t;
}

/* "HH:MM" (00:00 .. 23:59) into *hh, *mm; -1 when it is not one. */
static int
parse_hhmm(const char *s, int *hh, int *mm)
{
	int64_t h, m;

	if (strlen(s) != 5 || s[2] != ':' ||
	    str_to_i64((struct str){ s, 2 }, 0, 23, &h) != 0 ||
	    str_to_i64((struct str){ s + 3, 2 }, 0, 59, &m) != 0)
		return -1;
	*hh = (int)h;
	*mm = (int)m;
	return 0;
}

/* Every ready or suspended shop's record of today and yesterday
 * (usage_refresh()): two statements a shop. */
static void
usage_all(struct worker_state *ws)
{
	struct tenant	*ts;
	size_t		 n, i, off = 0, done = 0;

	do {
		arena_reset(&ws->a);
		if (tenant_list(ws->db, &ws->a, 0, 500, off, &ts, &n) !=
		    TENANT_OK) {
			log_warn("cannot list shops to count their usage: %s",
			    db_error(ws->db));
			break;
		}
		for (i = 0; i < n && !stop; i++) {
			if (ts[i].status != TENANT_READY &&
			    ts[i].status != TENANT_SUSPENDED)
				continue;
			if (usage_refresh(ws->db, ts[i].id, ts[i].currency) ==
			    -1)
				log_warn("shop %lld: cannot count its usage: %s",
				    (long long)ts[i].id, db_error(ws->db));
			else
				done++;
		}
		off += n;
	} while (n == 500 && !stop);
	arena_reset(&ws->a);
	log_debug("counted the usage of %zu shops", done);
}

/* Last month's invoices when they are not written yet (the first
 * pass after a month ends writes them), then the shops of invoices
 * failed past their grace period suspended (platform/billing.h). */
static void
billing_tick(struct worker_state *ws)
{
	char	month[8];
	int64_t	n;
	int	done;

	billing_last_month(month);
	if ((done = billing_done(ws->db, month)) == 0) {
		if (billing_run(ws->db, month, &n) != BILLING_OK)
			log_warn("cannot write the invoices of %s (next pass "
			    "goes on): %s", month, db_error(ws->db));
		else
			log_info("invoices of %s written: %lld", month,
			    (long long)n);
	} else if (done == -1)
		log_warn("cannot read the billing runs: %s", db_error(ws->db));
	if (billing_enforce(ws->db, &n) == -1)
		log_warn("cannot suspend the shops of unpaid invoices: %s",
		    db_error(ws->db));
	arena_reset(&ws->a);
}

/* The VM's counters into souk_usage (meter_flush()); a failure keeps
 * them for the next flush and is logged once until one succeeds. */
static void
usage_flush(struct worker_state *ws, int *failing)
{
	if (meter_flush(ws->db) == -1) {
		if (!(*failing)++)
			log_warn("cannot write usage counts (kept for the "
			    "next try): %s", db_error(ws->db));
	} else
		*failing = 0;
}

/* One step of the shop stock (platform/shop_stock.h): 1 when there is
 * more to do at once. A failure is logged once until a step works. */
static int
stock_tick(struct worker_state *ws, int *failing)
{
	char	err[512];
	int	rc;

	rc = shop_stock_step(ws->db, config_get("sql_dir", "./sql"),
	    shop_stock_target(), err, sizeof(err));
	if (rc == -1) {
		if (!(*failing)++)
			log_err("%s", err);
		return 0;
	}
	*failing = 0;
	return rc;
}

/* One step of building a shop's search index (shop/search_index.h): 1
 * when there is more to do at once. A failure is logged once until a
 * step works. */
static int
index_tick(struct worker_state *ws, int *failing)
{
	char	err[512];
	int	rc;

	rc = search_index_build_step(ws->db, err, sizeof(err));
	if (rc == -1) {
		if (!(*failing)++)
			log_err("%s", err);
		return 0;
	}
	*failing = 0;
	return rc;
}

/* The operating figures (core/metrics.h, platform/metrics_log.h): the
 * queue and plans into the shared memory every metrics_gauge_secs, a
 * row of the console's history every metrics_sample_secs. */
static void
metrics_tick(struct worker_state *ws, struct metrics_log *ml, int sample)
{
	char host[256];

	if (metrics_log_gauges(ws->db) == -1)
		log_warn("metrics: cannot read the queue and plans: %s",
		    db_error(ws->db));
	if (!sample)
		return;
	if (gethostname(host, sizeof(host)) == -1)
		memcpy(host, "localhost", sizeof("localhost"));
	host[sizeof(host) - 1] = '\0';
	if (metrics_log_write(ws->db, ml, host) == -1)
		log_warn("metrics: cannot write the history: %s",
		    db_error(ws->db));
}

static void
purge(struct worker_state *ws)
{
	if (signup_purge(ws->db) == -1 ||
	    account_session_purge(ws->db) != ACCOUNT_OK)
		log_warn("cannot purge old sign-ups and sessions: %s",
		    db_error(ws->db));
	purge_carts(ws);
	if (usage_prune(ws->db) == -1)
		log_warn("cannot delete old usage records: %s",
		    db_error(ws->db));
}

int
main(int argc, char **argv)
{
	const char		*config = NULL, *from;
	struct worker_state	 ws;
	struct sigaction	 sa;
	struct db		*db;
	struct job		 job;
	char			 err[512], dflt[300];
	int64_t			 poll, last_purge = -PURGE_EVERY_MS;
	int64_t			 card_every, last_card;
	int64_t			 flush_every, last_flush, refresh_every;
	int64_t			 last_refresh = 0, billing_every;
	int64_t			 last_billing = 0;
	int			 next_server = 0;
	int64_t			 gauge_every, sample_every;
	int64_t			 last_gauge = 0, last_sample = 0;
	struct metrics_log	 ml;
	int			 flush_failing = 0;
	int64_t			 stock_every, last_stock = 0;
	int			 stock_busy = 0, stock_failing = 0;
	int64_t			 index_every, last_index = 0;
	int			 index_busy = 0, index_failing = 0;
	int			 i, lvl, rc, failing = 0, w, ab_h, ab_m;
	const char		*ab_at;
	time_t			 ab_next;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config = argv[++i];
		else {
			fputs("usage: souk-worker [--config FILE]\n", stderr);
			return 2;
		}
	}
	if (config_load(config, err, sizeof(err)) == -1) {
		fprintf(stderr, "souk-worker: %s\n", err);
		return 2;
	}
	lvl = log_level_parse(config_get("log_level", "info"));
	log_init("souk-worker", lvl < 0 ? LOG_LVL_INFO : (enum log_level)lvl);
	if (crypto_init() == -1)
		fatal("cannot initialise libsodium");
	i18n_init(config_get("locale_dir", "build/locale"));
	w = snprintf(dflt, sizeof(dflt), "noreply@%s", config_get(
	    "platform_domain", "localhost"));
	if (w < 0 || (size_t)w >= sizeof(dflt))
		fatal("config platform_domain is too long");
	from = config_get("mail_from", dflt);
	if (!mail_addr_ok(from)) {
		log_err("config mail_from = '%s': want an address such as "
		    "noreply@example.com", from);
		return 2;
	}
	ab_at = config_get("also_bought_at", "03:00");
	if (parse_hhmm(ab_at, &ab_h, &ab_m) == -1) {
		log_err("config also_bought_at = '%s': want a time of day "
		    "such as 03:00", ab_at);
		return 2;
	}
	ab_next = next_at(time(NULL), ab_h, ab_m);
	memset(&ws, 0, sizeof(ws));
	ws.from = from;
	ws.srv.url = config_get("smtp_url", "smtp://127.0.0.1:25");
	ws.srv.user = config_get("smtp_user", NULL);
	ws.srv.password = config_get("smtp_password", NULL);
	ws.lease = (int)config_int("job_lease_secs", JOBS_LEASE_SECS, 4,
	    86400);
	/* A send ends well within its lease, or another worker would
	 * take the job while this one still sends it. */
	ws.srv.timeout = ws.lease / 4 < MAIL_TIMEOUT_SECS ? ws.lease / 4 :
	    MAIL_TIMEOUT_SECS;
	jobs_set_times(ws.lease, (int)config_int("job_retry_secs",
	    JOBS_BACKOFF_FIRST, 1, JOBS_BACKOFF_MAX),
	    (int)config_int("job_retry_max_secs", JOBS_BACKOFF_MAX, 1,
	    JOBS_BACKOFF_MAX));
	arena_init(&ws.a);
	poll = config_int("worker_poll_ms", 1000, 10, 60000);
	card_every = 1000 * config_int("card_reconcile_every", 60, 1, 3600);
	last_card = clock_ms();
	flush_every = 1000 * config_int("usage_flush_secs", 60, 1, 3600);
	refresh_every = 1000 * config_int("usage_refresh_secs", 900, 1,
	    86400);
	last_flush = clock_ms();
	(void)meter_open(NULL);		/* logs why it could not */
	(void)metrics_open(NULL, METRICS_WORKER);	/* ditto */
	memset(&ml, 0, sizeof(ml));
	gauge_every = 1000 * config_int("metrics_gauge_secs", 15, 1, 3600);
	sample_every = 1000 * config_int("metrics_sample_secs",
	    METRICS_LOG_STEP, 1, 3600);
	billing_every = 1000 * config_int("billing_check_secs", 300, 1,
	    86400);
	stock_every = config_int("shop_stock_check_ms", 2000, 100, 3600000);
	index_every = config_int("search_index_check_ms", 5000, 100,
	    3600000);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	db = ws.db = db_open();
	tenant_route_install(db);
	log_info("started: mail from %s through %s", from, ws.srv.url);
	sd_notify(0, "READY=1\nSTATUS=waiting for jobs");
	while (!stop) {
		if (clock_ms() - last_purge >= PURGE_EVERY_MS &&
		    db_alive(db, 0)) {
			purge(&ws);
			last_purge = clock_ms();
		}
		if (time(NULL) >= ab_next && db_alive(db, 0)) {
			also_bought_all(&ws);
			ab_next = next_at(time(NULL), ab_h, ab_m);
		}
		if (clock_ms() - last_flush >= flush_every) {
			usage_flush(&ws, &flush_failing);
			last_flush = clock_ms();
		}
		if ((last_refresh == 0 || clock_ms() - last_refresh >=
		    refresh_every) && db_alive(db, 0)) {
			usage_all(&ws);
			last_refresh = clock_ms();
		}
		if ((last_billing == 0 || clock_ms() - last_billing >=
		    billing_every) && db_alive(db, 0)) {
			billing_tick(&ws);
			last_billing = clock_ms();
		}
		if ((last_gauge == 0 || clock_ms() - last_gauge >=
		    gauge_every) && db_alive(db, 0)) {
			int sample = last_sample == 0 ||
			    clock_ms() - last_sample >= sample_every;

			metrics_tick(&ws, &ml, sample);
			last_gauge = clock_ms();
			if (sample)
				last_sample = last_gauge;
		}
		if (clock_ms() - last_card >= card_every && db_alive(db, 0)) {
			card_all(&ws);
			last_card = clock_ms();
		}
		if ((stock_busy || clock_ms() - last_stock >= stock_every) &&
		    db_alive(db, 0))
			stock_busy = stock_tick(&ws, &stock_failing);
		if (stock_busy || clock_ms() - last_stock >= stock_every)
			last_stock = clock_ms();
		if ((index_busy || clock_ms() - last_index >= index_every) &&
		    db_alive(db, 0))
			index_busy = index_tick(&ws, &index_failing);
		if (index_busy || clock_ms() - last_index >= index_every)
			last_index = clock_ms();
		rc = claim(&ws, &job, &next_server);
		if (rc == 1) {
			failing = 0;
			run(&ws, &job);
		} else if (rc == -1 && !failing++)
			log_err("cannot claim jobs: %s", db_error(db));
		jobs_release(&job);
		if (rc != 1 && !stop && !stock_busy && !index_busy)
			sleep_ms(poll);
	}
	sd_notify(0, "STOPPING=1");
	usage_flush(&ws, &flush_failing);
	log_info("stopped");
	notify_free(&ws.notify);
	arena_free(&ws.a);
	money_free();
	db_close(db);
	config_free();
	return 0;
}
