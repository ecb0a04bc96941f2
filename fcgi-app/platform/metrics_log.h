/*
 * metrics_log.h: the history of the operating figures (core/metrics.h)
 * that the operator console draws (/operator/metrics), for operators
 * without Prometheus, and the figures souk-worker adds to the shared
 * memory from the database (the job queue, per-plan usage).
 *
 * souk-worker writes one row of souk_metric_samples per VM every
 * metrics_sample_secs (300): what each counter gained since the
 * previous row of this process (a counter that went back, the file
 * made anew, counts from zero), and the gauges as they are. The first
 * reading of a process only sets its baseline. Rows older than
 * METRICS_LOG_KEEP_DAYS are deleted as rows are written. The console
 * reads the last day, every VM's rows added up per METRICS_LOG_STEP
 * seconds.
 */
#ifndef SOUK_PLATFORM_METRICS_LOG_H
#define SOUK_PLATFORM_METRICS_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/metrics.h"

struct db;

#define METRICS_LOG_KEEP_DAYS	3
#define METRICS_LOG_STEP	300	/* seconds a point of the console */

/* What a process remembers between two rows. */
struct metrics_log {
	int			has_base;
	struct metrics_totals	base;
	int64_t			base_at;	/* unix time */
};

/*
 * Reads the shared figures, writes the row of host (truncated to 64
 * bytes) for the time since the last call, and deletes rows older than
 * METRICS_LOG_KEEP_DAYS. The first call only sets the baseline (0
 * rows). Returns the rows written (0 or 1), or -1 on a database error
 * (the baseline is kept: the next row covers both periods).
 */
int	metrics_log_write(struct db *db, struct metrics_log *ml,
	    const char *host);

/* One point of the console: the rows whose taken_at falls in [at, at
 * + METRICS_LOG_STEP). Counters are added up. A gauge is each host's
 * largest reading in the step (the busiest moment seen), added up over
 * the hosts, since each VM has its own workers; the queue, which every
 * VM sees whole, is the largest reading of any. */
struct metrics_point {
	int64_t	at;	/* unix time, a multiple of METRICS_LOG_STEP */
	int64_t	requests, server_errors, latency_us;
	int64_t	workers, workers_busy, worker_deaths;
	int64_t	jobs_waiting, jobs_oldest;
	int64_t	mail_sent, mail_failed;
	int64_t	db_round_trips, db_errors;
	int64_t	cache_hits, cache_misses;
};

/*
 * The points of the last 24 hours that have rows, oldest first, into
 * *out (in a, *n of them). 0, or -1 on a database error.
 */
int	metrics_log_day(struct db *db, struct arena *a,
	    struct metrics_point **out, size_t *n);

/*
 * souk-worker: the job queue's lag (platform/jobs.h's jobs_lag()) and
 * each plan's shops and today's use (souk_usage, as flushed) into the
 * shared figures (metrics_set(), metrics_set_plans()), with the time
 * of this reading. 0, or -1 on a database error (the figures stay as
 * they were: souk_worker_last_seen_seconds tells how old they are).
 */
int	metrics_log_gauges(struct db *db);

/* Each plan's figures, as metrics_log_gauges() reads them: *n plans
 * (at most METRICS_PLANS, by code) into *out, in a. 0, or -1. */
int	metrics_log_plans(struct db *db, struct arena *a,
	    struct metrics_plan **out, size_t *n);

#endif
