/* metrics_log.c: the operating figures' history and the database's
 * gauges (metrics_log.h). */
#include "core/common.h"

#include <time.h>

#include "db/db.h"
#include "platform/jobs.h"
#include "platform/metrics_log.h"

enum {
	Q_INSERT,
	Q_PRUNE,
	Q_DAY,
	Q_PLANS,
	Q__MAX
};

static const char *const q[Q__MAX] = {
	[Q_INSERT] = "INSERT INTO souk_metric_samples (host, taken_at, secs, "
	    "requests, server_errors, latency_us, workers, workers_busy, "
	    "worker_deaths, jobs_waiting, jobs_oldest, mail_sent, "
	    "mail_failed, db_round_trips, db_errors, cache_hits, "
	    "cache_misses) VALUES (?, FROM_UNIXTIME(?), ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[Q_PRUNE] = "DELETE FROM souk_metric_samples WHERE taken_at < "
	    "UTC_TIMESTAMP() - INTERVAL ? DAY",
	/* taken_at is UTC (db.c sets the session's zone), as is
	 * FROM_UNIXTIME() and UNIX_TIMESTAMP() then */
	[Q_DAY] = "SELECT at, SUM(req), SUM(se), SUM(lat), SUM(w), SUM(busy), "
	    "SUM(d), MAX(jw), MAX(jo), SUM(ms), SUM(mf), SUM(rt), SUM(de), "
	    "SUM(ch), SUM(cm) FROM (SELECT UNIX_TIMESTAMP(taken_at) DIV ? * ? "
	    "AS at, host, SUM(requests) AS req, SUM(server_errors) AS se, "
	    "SUM(latency_us) AS lat, MAX(workers) AS w, MAX(workers_busy) AS "
	    "busy, SUM(worker_deaths) AS d, MAX(jobs_waiting) AS jw, "
	    "MAX(jobs_oldest) AS jo, SUM(mail_sent) AS ms, SUM(mail_failed) "
	    "AS mf, SUM(db_round_trips) AS rt, SUM(db_errors) AS de, "
	    "SUM(cache_hits) AS ch, SUM(cache_misses) AS cm FROM "
	    "souk_metric_samples WHERE taken_at >= UTC_TIMESTAMP() - "
	    "INTERVAL 1 DAY GROUP BY 1, 2) AS h GROUP BY at ORDER BY at",
	[Q_PLANS] = "SELECT p.code, COUNT(t.id), IFNULL(SUM(u.page_views), "
	    "0), IFNULL(SUM(u.api_requests), 0), IFNULL(SUM(u.orders), 0) "
	    "FROM souk_plans p LEFT JOIN souk_tenants t ON t.plan_id = p.id "
	    "LEFT JOIN souk_usage u ON u.tenant_id = t.id AND u.day = "
	    "UTC_DATE() GROUP BY p.id, p.code ORDER BY p.code LIMIT ?",
};

/* What a counter gained; one that went back was made anew. */
static int64_t
gain(uint64_t now, uint64_t before)
{
	return (int64_t)(now >= before ? now - before : now);
}

int
metrics_log_write(struct db *db, struct metrics_log *ml, const char *host)
{
	struct metrics_totals	 t, *b = &ml->base;
	struct db_stmt		*st;
	int64_t			 now = (int64_t)time(NULL);
	char			 h[65];
	unsigned		 i = 0;

	metrics_totals(&t);
	if (!ml->has_base) {
		ml->base = t;
		ml->base_at = now;
		ml->has_base = 1;
		return 0;
	}
	if ((st = db_prepare(db, q[Q_INSERT], 0)) == NULL)
		return -1;
	memcpy(h, host, strnlen(host, 64));
	h[strnlen(host, 64)] = '\0';
	db_bind_cstr(st, i++, h);
	db_bind_i64(st, i++, now);
	db_bind_i64(st, i++, now - ml->base_at);
	db_bind_i64(st, i++, gain(t.requests, b->requests));
	db_bind_i64(st, i++, gain(t.server_errors, b->server_errors));
	db_bind_i64(st, i++, gain(t.latency_us, b->latency_us));
	db_bind_i64(st, i++, (int64_t)t.workers);
	db_bind_i64(st, i++, (int64_t)t.workers_busy);
	db_bind_i64(st, i++, gain(t.worker_deaths, b->worker_deaths));
	db_bind_i64(st, i++, (int64_t)t.jobs_waiting);
	db_bind_i64(st, i++, (int64_t)t.jobs_oldest);
	db_bind_i64(st, i++, gain(t.mail_sent, b->mail_sent));
	db_bind_i64(st, i++, gain(t.mail_failed, b->mail_failed));
	db_bind_i64(st, i++, gain(t.db_round_trips, b->db_round_trips));
	db_bind_i64(st, i++, gain(t.db_errors, b->db_errors));
	db_bind_i64(st, i++, gain(t.cache_hits, b->cache_hits));
	db_bind_i64(st, i++, gain(t.cache_misses, b->cache_misses));
	if (db_exec(st, NULL) == -1)
		return -1;
	db_done(st);
	ml->base = t;
	ml->base_at = now;
	if ((st = db_prepare(db, q[Q_PRUNE], 0)) == NULL)
		return 1;	/* written; pruned next time */
	db_bind_i64(st, 0, METRICS_LOG_KEEP_DAYS);
	if (db_exec(st, NULL) == 0)
		db_done(st);
	return 1;
}

int
metrics_log_day(struct db *db, struct arena *a, struct metrics_point **out,
    size_t *n)
{
	struct db_stmt	*st;
	size_t		 cap = 24 * 3600 / METRICS_LOG_STEP + 2;
	int		 rc;

	*out = arena_calloc(a, cap, sizeof(**out));
	*n = 0;
	if ((st = db_prepare(db, q[Q_DAY], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, METRICS_LOG_STEP);
	db_bind_i64(st, 1, METRICS_LOG_STEP);
	if (db_exec(st, NULL) == -1)
		return -1;
	while ((rc = db_step(st)) == 1 && *n < cap) {
		struct metrics_point	*p = &(*out)[(*n)++];
		unsigned		 i = 0;

		p->at = db_col_i64(st, i++);
		p->requests = db_col_i64(st, i++);
		p->server_errors = db_col_i64(st, i++);
		p->latency_us = db_col_i64(st, i++);
		p->workers = db_col_i64(st, i++);
		p->workers_busy = db_col_i64(st, i++);
		p->worker_deaths = db_col_i64(st, i++);
		p->jobs_waiting = db_col_i64(st, i++);
		p->jobs_oldest = db_col_i64(st, i++);
		p->mail_sent = db_col_i64(st, i++);
		p->mail_failed = db_col_i64(st, i++);
		p->db_round_trips = db_col_i64(st, i++);
		p->db_errors = db_col_i64(st, i++);
		p->cache_hits = db_col_i64(st, i++);
		p->cache_misses = db_col_i64(st, i++);
	}
	db_done(st);
	return rc == -1 ? -1 : 0;
}

int
metrics_log_plans(struct db *db, struct arena *a, struct metrics_plan **out,
    size_t *n)
{
	struct db_stmt	*st;
	int		 rc;

	*out = arena_calloc(a, METRICS_PLANS, sizeof(**out));
	*n = 0;
	if ((st = db_prepare(db, q[Q_PLANS], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, METRICS_PLANS);
	if (db_exec(st, a) == -1)
		return -1;
	while ((rc = db_step(st)) == 1 && *n < METRICS_PLANS) {
		struct metrics_plan	*p = &(*out)[(*n)++];
		struct str		 code = db_col_str(st, 0);
		size_t			 len = code.len;

		if (len >= sizeof(p->code))
			len = sizeof(p->code) - 1;
		memcpy(p->code, code.p, len);
		p->code[len] = '\0';
		p->shops = (uint64_t)db_col_i64(st, 1);
		p->page_views = (uint64_t)db_col_i64(st, 2);
		p->api_requests = (uint64_t)db_col_i64(st, 3);
		p->orders = (uint64_t)db_col_i64(st, 4);
	}
	db_done(st);
	return rc == -1 ? -1 : 0;
}

int
metrics_log_gauges(struct db *db)
{
	struct metrics_plan	*plans;
	struct arena		 a;
	int64_t			 waiting, oldest;
	size_t			 n;
	int			 rc = -1;

	arena_init(&a);
	if (jobs_lag(db, &waiting, &oldest) == -1 ||
	    metrics_log_plans(db, &a, &plans, &n) == -1)
		goto done;
	metrics_set(METRICS_JOBS_WAITING, (uint64_t)waiting);
	metrics_set(METRICS_JOBS_OLDEST, (uint64_t)oldest);
	metrics_set_plans(plans, n);
	metrics_set(METRICS_WORKER_SEEN, (uint64_t)time(NULL));
	rc = 0;
done:
	arena_free(&a);
	return rc;
}
