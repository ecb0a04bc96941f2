/*
 * metrics.h: the operating figures of one VM (requests and their
 * latency by page kind and status, the pool's workers, the database,
 * the caches, the job queue, mail, per-plan usage), shared by its
 * processes and written out in Prometheus' text format.
 *
 * Where they live: a file mapped MAP_SHARED (metrics_file, default
 * /run/souk-usage/metrics: tmpfs, the runtime directory souk-fcgi and
 * souk-worker both have, as platform/meter.h's counters). souk-fcgi's
 * master maps it before it forks, so its workers inherit the mapping;
 * souk-worker maps the same file. Every figure is a 64-bit word updated
 * with an atomic add or store: no process waits for another, and a
 * process killed at any moment leaves nothing half-written but the
 * per-plan table, which its writer guards with a sequence number (odd
 * while it writes; readers retry, then skip it). A process that never
 * called metrics_open() (soukctl, unit tests) counts into private
 * memory: its figures are its own.
 *
 * Counters only grow, within the file's life (a reboot, a new layout
 * version): Prometheus' rate() handles the reset. Gauges are set by the
 * one process that knows them: the pool's master (workers), the workers
 * themselves (busy, one word each), souk-worker (the queue, plans).
 *
 * Labels are bounded by construction: page kinds and statuses are
 * enums (a status outside METRICS_STATUSES counts as "other"), the
 * program is souk-fcgi or souk-worker, plans are at most METRICS_PLANS
 * codes. No shop id, host or path is ever a label.
 */
#ifndef SOUK_CORE_METRICS_H
#define SOUK_CORE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

/* The handler family that answered a request (web/web.c decides). */
enum metrics_kind {
	METRICS_KIND_STORE,	/* a shop's home, category, search pages */
	METRICS_KIND_PRODUCT,	/* a product page */
	METRICS_KIND_CART,	/* the cart */
	METRICS_KIND_CHECKOUT,	/* checkout and payment */
	METRICS_KIND_ACCOUNT,	/* a shopper's account, orders, returns */
	METRICS_KIND_ADMIN,	/* a shop's admin */
	METRICS_KIND_API,	/* a shop's /wp-json/ API */
	METRICS_KIND_WEBHOOK,	/* a gateway's webhook */
	METRICS_KIND_PLATFORM,	/* the platform's pages (sign-up, login) */
	METRICS_KIND_OPERATOR,	/* the operator console */
	METRICS_KIND_TENANT_API, /* the platform's /api/v1/ */
	METRICS_KIND_HEALTH,	/* /_health */
	METRICS_KIND_OTHER,	/* no shop at the host, unparsable input */
	METRICS_KIND__MAX
};

enum metrics_program {
	METRICS_FCGI,		/* souk-fcgi: master and workers */
	METRICS_WORKER,		/* souk-worker */
	METRICS_PROGRAM__MAX
};

/* The database's error classes (db/db.h's enum db_errclass, lost..other). */
#define METRICS_DB_ERRCLASSES	5

enum metrics_cache {
	METRICS_CACHE_WORKER,	/* a worker's own (core/cache.h) */
	METRICS_CACHE_SHARED,	/* the pool's shared one (core/shcache.h) */
	/* nginx's microcache: hits are its syslog lines (meter.h), misses
	 * the storefront pages souk rendered, bypasses included */
	METRICS_CACHE_NGINX,
	METRICS_CACHE__MAX
};

/* Plain counters and gauges. */
enum metrics_counter {
	METRICS_WORKERS,		/* gauge: the pool's live workers */
	METRICS_WORKER_FORKS,		/* workers forked */
	METRICS_WORKER_DEATHS,		/* died of a signal or an error */
	METRICS_MAIL_SENT,
	METRICS_MAIL_FAILED,		/* an attempt that failed */
	METRICS_JOBS_WAITING,		/* gauge, souk-worker */
	METRICS_JOBS_OLDEST,		/* gauge: seconds the oldest waits */
	METRICS_WORKER_SEEN,		/* gauge: unix time souk-worker last
					 * wrote the queue's figures */
	METRICS__MAX
};

#define METRICS_BUCKETS		12	/* the last is +Inf */
#define METRICS_STATUSES	21	/* the last is "other" */
#define METRICS_SLOTS		2048	/* workers tracked as busy */
#define METRICS_PLANS		32
#define METRICS_PLAN_CODE	48

/* A plan's figures for souk-worker's metrics_set_plans(). */
struct metrics_plan {
	char		code[METRICS_PLAN_CODE];
	uint64_t	shops;
	uint64_t	page_views;	/* today, UTC */
	uint64_t	api_requests;	/* today */
	uint64_t	orders;		/* today */
};

/* A reading of the figures the operator console keeps a history of
 * (platform/metrics_log.h): counters since the file was made, gauges
 * now. */
struct metrics_totals {
	uint64_t	requests;
	uint64_t	server_errors;	/* status 500 and up */
	uint64_t	latency_us;	/* the requests' sum */
	uint64_t	workers, workers_busy, worker_deaths;
	uint64_t	jobs_waiting, jobs_oldest;
	uint64_t	mail_sent, mail_failed;
	uint64_t	db_round_trips, db_errors;	/* both programs */
	uint64_t	cache_hits, cache_misses;	/* every cache */
};

/*
 * Maps the figures' file (path NULL: the configuration's metrics_file;
 * created with mode 0600 when missing; a file of another size or
 * version starts again from zero) for program. Once per process, in
 * the pool before it forks. On failure the figures are private memory
 * and -1 is returned, with the reason logged.
 */
int	metrics_open(const char *path, enum metrics_program program);

/* One request answered with status after us microseconds. */
void	metrics_request(enum metrics_kind kind, int status, uint64_t us);

void	metrics_add(enum metrics_counter c, uint64_t n);
void	metrics_set(enum metrics_counter c, uint64_t v);
uint64_t metrics_get(enum metrics_counter c);

/* One statement, query, commit or ping sent to MariaDB by this
 * process; one that failed with errclass (1..METRICS_DB_ERRCLASSES). */
void	metrics_db_round_trip(void);
void	metrics_db_error(int errclass);

void	metrics_cache(enum metrics_cache c, int hit);

/* The pool: worker slot (0..METRICS_SLOTS-1; others are ignored) is
 * busy with a request, or not. The master clears a dead worker's. */
void	metrics_busy(int slot, int busy);
/* The pool's master at start: no worker is busy yet. */
void	metrics_busy_reset(void);

/* souk-worker: replaces the per-plan table by n (at most
 * METRICS_PLANS) plans. */
void	metrics_set_plans(const struct metrics_plan *p, size_t n);

void	metrics_totals(struct metrics_totals *t);

/*
 * Appends every figure in Prometheus' text exposition format (0.0.4:
 * "# HELP", "# TYPE", samples; histograms as _bucket{le=...}, _sum and
 * _count) to out. Series of a histogram with no request are left out.
 */
void	metrics_format(struct strbuf *out);

/* The label of a status index and the bucket bounds, for the format
 * and its unit test. */
const char *metrics_status_label(size_t i);
size_t	metrics_status_index(int status);

#endif
