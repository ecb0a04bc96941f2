/*
 * jobs.h: the platform's job queue, rows of souk_jobs (DESIGN.md,
 * "Queues"): transactional e-mail, catalog imports; webhooks and
 * reports later.
 *
 * A job is a kind ("mail.signup_confirm"), a JSON payload, the shop it
 * belongs to (0: the platform), a due time, its attempts and its last
 * error. jobs_enqueue() inserts it on the caller's connection, so when
 * the caller has a transaction open the job commits or rolls back with
 * the write it belongs to (an order and its e-mail): no job for a write
 * that did not happen, no write without its job. So a shop's jobs are
 * rows of souk_jobs on the shop's own server (db.h, "Shops on several
 * servers"), and souk-worker claims from every server.
 *
 * Delivery is at least once. jobs_claim() takes the oldest due job with
 * SELECT ... FOR UPDATE SKIP LOCKED (workers never wait for each other)
 * and leases it by moving its due time JOBS_LEASE_SECS ahead, in one
 * short transaction; the work itself runs with no transaction open. A
 * worker that dies mid-job leaves the row, claimable again when the
 * lease ends: a job is never lost, and may (rarely) run twice, so a
 * handler must tolerate that. jobs_done() deletes the row;
 * jobs_fail() records the error and makes it due again after a delay
 * that doubles with each attempt (JOBS_BACKOFF_FIRST seconds, capped at
 * JOBS_BACKOFF_MAX); after JOBS_MAX_ATTEMPTS the row stays with dead_at
 * set, for the operator to look at, and is never claimed again.
 *
 * Functions return 0 or -1 (the reason in db_error()); jobs_claim()
 * returns 1 when it claimed a job, 0 when none is due.
 */
#ifndef SOUK_JOBS_H
#define SOUK_JOBS_H

#include <stdint.h>
#include "core/str.h"
#include "core/strbuf.h"

struct db;

#define JOBS_KIND_MAX		40
#define JOBS_ERR_MAX		500	/* characters kept of last_error */
#define JOBS_LEASE_SECS		300
#define JOBS_BACKOFF_FIRST	30
#define JOBS_BACKOFF_MAX	(6 * 3600)
#define JOBS_MAX_ATTEMPTS	12	/* about two days of retries */

struct job {
	int64_t		id;
	int64_t		tenant_id;
	char		kind[JOBS_KIND_MAX + 1];
	struct strbuf	payload;	/* owned; jobs_release() frees it */
	int		attempts;	/* including this one */
	/* An earlier attempt left no outcome: its worker died mid-job
	 * (after sending, perhaps) and the lease ran out. */
	int		unfinished;
};

/*
 * Inserts a job of kind (at most JOBS_KIND_MAX ASCII bytes) for tenant
 * (0: the platform) with the JSON text payload, due delay_secs from now
 * (0: at once), on the caller's connection and transaction. *id (may be
 * NULL) gets its id. Returns 0 or -1.
 */
int	jobs_enqueue(struct db *db, int64_t tenant, const char *kind,
	    struct str payload, int delay_secs, int64_t *id);

/*
 * Two jobs of kinds kind1 and kind2 with the same payload, due at once,
 * in one statement (one round trip: a write that queues two mails
 * inside a lock others wait for, an order's). Returns 0 or -1.
 */
int	jobs_enqueue_pair(struct db *db, int64_t tenant, const char *kind1,
	    const char *kind2, struct str payload);

/*
 * Claims the oldest due job into *job (initialised here; release it
 * with jobs_release() whatever the result). Returns 1 (claimed, leased
 * for JOBS_LEASE_SECS), 0 (nothing due) or -1.
 */
int	jobs_claim(struct db *db, struct job *job);

/*
 * The job in hand still runs (a long one: a catalog import): its lease
 * starts again from now, so no other worker takes it meanwhile. Call it
 * well within the lease (every lease / 3, say). Returns 0 or -1.
 */
int	jobs_renew(struct db *db, const struct job *job);

/* The job is done: its row goes. Returns 0 or -1. */
int	jobs_done(struct db *db, const struct job *job);

/*
 * The attempt failed with error (English, for the operator): due again
 * after jobs_backoff(job->attempts), or dead when out of attempts.
 * Returns 0 or -1.
 */
int	jobs_fail(struct db *db, const struct job *job, const char *error);

/*
 * The job can never succeed (a payload it cannot read): dead at once,
 * with error. Returns 0 or -1.
 */
int	jobs_bury(struct db *db, const struct job *job, const char *error);

/*
 * Sets how long a claim leases a job (seconds; JOBS_LEASE_SECS), the
 * first retry's delay (JOBS_BACKOFF_FIRST) and the longest delay
 * (JOBS_BACKOFF_MAX), for this process. 0 or less keeps the default.
 * souk-worker reads them from the configuration (job_lease_secs,
 * job_retry_secs, job_retry_max_secs) so tests need not wait minutes.
 */
void	jobs_set_times(int lease, int first_retry, int max_retry);

/* Seconds to wait after the attempts-th failed attempt (1-based). */
int	jobs_backoff(int attempts);

/*
 * The queue's lag, for /_health: how many jobs are due now and no
 * worker holds (not leased, not dead), and how long the oldest of them
 * has been due, in seconds (0 when none). A job a worker holds is due
 * again only when its lease ends, so a busy worker adds no lag; a queue
 * nobody works grows it. 0, or -1 on a database error.
 */
int	jobs_lag(struct db *db, int64_t *waiting, int64_t *oldest_secs);

/* Frees what *job owns; safe to call twice. */
void	jobs_release(struct job *job);

#endif
