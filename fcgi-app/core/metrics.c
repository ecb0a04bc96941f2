/* metrics.c: a VM's operating figures, shared and formatted
 * (metrics.h). */
#include "core/common.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "core/metrics.h"

#define METRICS_MAGIC	0x736f756b6d657431ULL	/* "soukmet1" */

/* Upper bounds in microseconds; the last bucket is +Inf. */
static const uint64_t mx_bucket_us[METRICS_BUCKETS - 1] = {
	5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
	2500000, 5000000, 10000000,
};
static const char *const mx_bucket_le[METRICS_BUCKETS] = {
	"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1",
	"2.5", "5", "10", "+Inf",
};
static const int mx_statuses[METRICS_STATUSES - 1] = {
	200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 409,
	413, 415, 422, 429, 500, 502, 503,
};
static const char *const mx_status_labels[METRICS_STATUSES] = {
	"200", "201", "204", "301", "302", "303", "304", "400", "401",
	"403", "404", "405", "409", "413", "415", "422", "429", "500",
	"502", "503", "other",
};
static const char *const mx_kind_names[METRICS_KIND__MAX] = {
	"store", "product", "cart", "checkout", "account", "admin", "api",
	"webhook", "platform", "operator", "tenant_api", "health", "other",
};
static const char *const mx_program_names[METRICS_PROGRAM__MAX] = {
	"souk-fcgi", "souk-worker",
};
static const char *const mx_errclass_names[METRICS_DB_ERRCLASSES] = {
	"lost", "duplicate", "deadlock", "no_table", "other",
};
static const char *const mx_cache_names[METRICS_CACHE__MAX] = {
	"worker", "shared", "nginx",
};

struct metrics_hist {
	uint64_t	n[METRICS_BUCKETS];	/* per bucket, not cumulative */
	uint64_t	sum_us;
};

struct metrics_mem {
	uint64_t		magic;
	uint64_t		size;
	uint64_t		c[METRICS__MAX];
	uint64_t		db_trips[METRICS_PROGRAM__MAX];
	uint64_t		db_errors[METRICS_PROGRAM__MAX]
				    [METRICS_DB_ERRCLASSES];
	uint64_t		cache[METRICS_CACHE__MAX][2];	/* miss, hit */
	uint64_t		busy[METRICS_SLOTS];
	struct metrics_hist	h[METRICS_KIND__MAX][METRICS_STATUSES];
	uint64_t		plan_seq;
	uint64_t		nplans;
	struct metrics_plan	plan[METRICS_PLANS];
};

static struct metrics_mem	*mx_mem;
static enum metrics_program	 mx_program;

static void
metrics_private(void)
{
	mx_mem = xcalloc(1, sizeof(*mx_mem));
	mx_mem->magic = METRICS_MAGIC;
	mx_mem->size = sizeof(*mx_mem);
}

static struct metrics_mem *
mx_m(void)
{
	if (mx_mem == NULL)
		metrics_private();
	return mx_mem;
}

int
metrics_open(const char *path, enum metrics_program prog)
{
	struct stat	 sb;
	void		*p;
	int		 fd;

	mx_program = prog;
	if (mx_mem != NULL)
		return 0;
	if (path == NULL)
		path = config_get("metrics_file", "/run/souk-usage/metrics");
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		log_warn("metrics: cannot open %s: %s (the figures are this "
		    "process's own)", path, strerror(errno));
		metrics_private();
		return -1;
	}
	/* souk-fcgi and souk-worker may start at once: one sizes the file
	 * while the other waits (as meter.c). */
	if (flock(fd, LOCK_EX) == -1 || fstat(fd, &sb) == -1)
		goto fail;
	if ((size_t)sb.st_size != sizeof(*mx_mem) &&
	    (ftruncate(fd, 0) == -1 || ftruncate(fd, sizeof(*mx_mem)) == -1))
		goto fail;
	p = mmap(NULL, sizeof(*mx_mem), PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	if (p == MAP_FAILED)
		goto fail;
	mx_mem = p;
	if (mx_mem->magic != METRICS_MAGIC || mx_mem->size != sizeof(*mx_mem)) {
		memset(mx_mem, 0, sizeof(*mx_mem));
		mx_mem->size = sizeof(*mx_mem);
		__atomic_store_n(&mx_mem->magic, METRICS_MAGIC, __ATOMIC_RELEASE);
	}
	(void)flock(fd, LOCK_UN);
	close(fd);
	return 0;
fail:
	log_warn("metrics: cannot map %s: %s (the figures are this "
	    "process's own)", path, strerror(errno));
	close(fd);
	metrics_private();
	return -1;
}

size_t
metrics_status_index(int status)
{
	size_t i;

	for (i = 0; i < NELEM(mx_statuses); i++)
		if (mx_statuses[i] == status)
			return i;
	return METRICS_STATUSES - 1;
}

const char *
metrics_status_label(size_t i)
{
	return i < METRICS_STATUSES ? mx_status_labels[i] : "other";
}

void
metrics_request(enum metrics_kind kind, int status, uint64_t us)
{
	struct metrics_hist	*h;
	size_t			 b;

	if ((unsigned)kind >= METRICS_KIND__MAX)
		kind = METRICS_KIND_OTHER;
	h = &mx_m()->h[kind][metrics_status_index(status)];
	for (b = 0; b < NELEM(mx_bucket_us) && us > mx_bucket_us[b]; b++)
		;
	__atomic_add_fetch(&h->n[b], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&h->sum_us, us, __ATOMIC_RELAXED);
}

void
metrics_add(enum metrics_counter c, uint64_t n)
{
	__atomic_add_fetch(&mx_m()->c[c], n, __ATOMIC_RELAXED);
}

void
metrics_set(enum metrics_counter c, uint64_t v)
{
	__atomic_store_n(&mx_m()->c[c], v, __ATOMIC_RELAXED);
}

uint64_t
metrics_get(enum metrics_counter c)
{
	return __atomic_load_n(&mx_m()->c[c], __ATOMIC_RELAXED);
}

void
metrics_db_round_trip(void)
{
	__atomic_add_fetch(&mx_m()->db_trips[mx_program], 1, __ATOMIC_RELAXED);
}

void
metrics_db_error(int errclass)
{
	if (errclass < 1 || errclass > METRICS_DB_ERRCLASSES)
		errclass = METRICS_DB_ERRCLASSES;
	__atomic_add_fetch(&mx_m()->db_errors[mx_program][errclass - 1], 1,
	    __ATOMIC_RELAXED);
}

void
metrics_cache(enum metrics_cache c, int hit)
{
	__atomic_add_fetch(&mx_m()->cache[c][hit != 0], 1, __ATOMIC_RELAXED);
}

void
metrics_busy(int slot, int busy)
{
	if (slot >= 0 && slot < METRICS_SLOTS)
		__atomic_store_n(&mx_m()->busy[slot], busy != 0,
		    __ATOMIC_RELAXED);
}

void
metrics_busy_reset(void)
{
	size_t i;

	for (i = 0; i < METRICS_SLOTS; i++)
		__atomic_store_n(&mx_m()->busy[i], 0, __ATOMIC_RELAXED);
}

void
metrics_set_plans(const struct metrics_plan *p, size_t n)
{
	struct metrics_mem	*mm = mx_m();
	size_t			 i;

	if (n > METRICS_PLANS)
		n = METRICS_PLANS;
	__atomic_add_fetch(&mm->plan_seq, 1, __ATOMIC_ACQ_REL);	/* odd */
	for (i = 0; i < n; i++) {
		mm->plan[i] = p[i];
		mm->plan[i].code[METRICS_PLAN_CODE - 1] = '\0';
	}
	__atomic_store_n(&mm->nplans, n, __ATOMIC_RELAXED);
	__atomic_add_fetch(&mm->plan_seq, 1, __ATOMIC_ACQ_REL);	/* even */
}

/* A consistent copy of the plans, or 0 of them when a writer kept the
 * table busy (or died in the middle). */
static size_t
mx_plans_copy(struct metrics_plan *out)
{
	struct metrics_mem	*mm = mx_m();
	uint64_t		 seq;
	size_t			 n;
	int			 tries;

	for (tries = 0; tries < 100; tries++) {
		seq = __atomic_load_n(&mm->plan_seq, __ATOMIC_ACQUIRE);
		if (seq & 1)
			continue;
		n = __atomic_load_n(&mm->nplans, __ATOMIC_RELAXED);
		if (n > METRICS_PLANS)
			n = METRICS_PLANS;
		memcpy(out, mm->plan, n * sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&mm->plan_seq, __ATOMIC_RELAXED) == seq)
			return n;
	}
	return 0;
}

static uint64_t
mx_ld(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static uint64_t
mx_busy_now(void)
{
	uint64_t	n = 0;
	size_t		i;

	for (i = 0; i < METRICS_SLOTS; i++)
		n += mx_ld(&mx_m()->busy[i]);
	return n;
}

void
metrics_totals(struct metrics_totals *t)
{
	struct metrics_mem	*mm = mx_m();
	size_t			 k, s, b, p, e;

	memset(t, 0, sizeof(*t));
	for (k = 0; k < METRICS_KIND__MAX; k++)
		for (s = 0; s < METRICS_STATUSES; s++) {
			uint64_t n = 0;

			for (b = 0; b < METRICS_BUCKETS; b++)
				n += mx_ld(&mm->h[k][s].n[b]);
			t->requests += n;
			t->latency_us += mx_ld(&mm->h[k][s].sum_us);
			/* "other" holds the odd 1xx and 5xx alike; only
			 * the named 5xx count as server errors */
			if (s < NELEM(mx_statuses) && mx_statuses[s] >= 500)
				t->server_errors += n;
		}
	t->workers = mx_ld(&mm->c[METRICS_WORKERS]);
	t->workers_busy = mx_busy_now();
	t->worker_deaths = mx_ld(&mm->c[METRICS_WORKER_DEATHS]);
	t->jobs_waiting = mx_ld(&mm->c[METRICS_JOBS_WAITING]);
	t->jobs_oldest = mx_ld(&mm->c[METRICS_JOBS_OLDEST]);
	t->mail_sent = mx_ld(&mm->c[METRICS_MAIL_SENT]);
	t->mail_failed = mx_ld(&mm->c[METRICS_MAIL_FAILED]);
	for (p = 0; p < METRICS_PROGRAM__MAX; p++) {
		t->db_round_trips += mx_ld(&mm->db_trips[p]);
		for (e = 0; e < METRICS_DB_ERRCLASSES; e++)
			t->db_errors += mx_ld(&mm->db_errors[p][e]);
	}
	for (k = 0; k < METRICS_CACHE__MAX; k++) {
		t->cache_misses += mx_ld(&mm->cache[k][0]);
		t->cache_hits += mx_ld(&mm->cache[k][1]);
	}
}

/* ------------------------------------------------------------ format */

static void
mx_head(struct strbuf *out, const char *name, const char *type,
    const char *help)
{
	strbuf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

static void
mx_one(struct strbuf *out, const char *name, const char *type,
    const char *help, uint64_t v)
{
	mx_head(out, name, type, help);
	strbuf_addf(out, "%s %llu\n", name, (unsigned long long)v);
}

/* A label value: Prometheus escapes backslash, quote and newline. Plan
 * codes are [a-z0-9-] already; this is the belt to those braces. */
static void
mx_label_value(struct strbuf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			strbuf_addf(out, "\\%c", *s);
		else if (*s == '\n')
			strbuf_addstr(out, "\\n");
		else
			strbuf_add(out, s, 1);
	}
}

static void
mx_seconds(struct strbuf *out, uint64_t us)
{
	strbuf_addf(out, "%llu.%06llu", (unsigned long long)(us / 1000000),
	    (unsigned long long)(us % 1000000));
}

static void
mx_format_requests(struct strbuf *out)
{
	struct metrics_mem	*mm = mx_m();
	size_t			 k, s, b;

	mx_head(out, "souk_http_request_duration_seconds", "histogram",
	    "Time souk took to answer a request, by page kind and status.");
	for (k = 0; k < METRICS_KIND__MAX; k++)
		for (s = 0; s < METRICS_STATUSES; s++) {
			uint64_t n[METRICS_BUCKETS], cum = 0, sum;

			for (b = 0; b < METRICS_BUCKETS; b++)
				n[b] = mx_ld(&mm->h[k][s].n[b]);
			sum = mx_ld(&mm->h[k][s].sum_us);
			for (b = 0; b < METRICS_BUCKETS; b++)
				cum += n[b];
			if (cum == 0)
				continue;
			cum = 0;
			for (b = 0; b < METRICS_BUCKETS; b++) {
				cum += n[b];
				strbuf_addf(out, "souk_http_request_duration_"
				    "seconds_bucket{kind=\"%s\",status=\"%s\","
				    "le=\"%s\"} %llu\n", mx_kind_names[k],
				    mx_status_labels[s], mx_bucket_le[b],
				    (unsigned long long)cum);
			}
			strbuf_addf(out, "souk_http_request_duration_seconds_"
			    "sum{kind=\"%s\",status=\"%s\"} ", mx_kind_names[k],
			    mx_status_labels[s]);
			mx_seconds(out, sum);
			strbuf_addf(out, "\nsouk_http_request_duration_seconds_"
			    "count{kind=\"%s\",status=\"%s\"} %llu\n",
			    mx_kind_names[k], mx_status_labels[s],
			    (unsigned long long)cum);
		}
	mx_head(out, "souk_http_requests_total", "counter",
	    "Requests souk answered, by page kind and status.");
	for (k = 0; k < METRICS_KIND__MAX; k++)
		for (s = 0; s < METRICS_STATUSES; s++) {
			uint64_t cum = 0;

			for (b = 0; b < METRICS_BUCKETS; b++)
				cum += mx_ld(&mm->h[k][s].n[b]);
			if (cum != 0)
				strbuf_addf(out, "souk_http_requests_total{"
				    "kind=\"%s\",status=\"%s\"} %llu\n",
				    mx_kind_names[k], mx_status_labels[s],
				    (unsigned long long)cum);
		}
}

static void
mx_format_db(struct strbuf *out)
{
	struct metrics_mem	*mm = mx_m();
	size_t			 p, e;

	mx_head(out, "souk_db_round_trips_total", "counter",
	    "Statements, queries, commits and pings sent to MariaDB.");
	for (p = 0; p < METRICS_PROGRAM__MAX; p++)
		strbuf_addf(out, "souk_db_round_trips_total{program=\"%s\"} "
		    "%llu\n", mx_program_names[p],
		    (unsigned long long)mx_ld(&mm->db_trips[p]));
	mx_head(out, "souk_db_errors_total", "counter",
	    "MariaDB calls that failed, by error class.");
	for (p = 0; p < METRICS_PROGRAM__MAX; p++)
		for (e = 0; e < METRICS_DB_ERRCLASSES; e++)
			strbuf_addf(out, "souk_db_errors_total{program=\"%s\","
			    "class=\"%s\"} %llu\n", mx_program_names[p],
			    mx_errclass_names[e],
			    (unsigned long long)mx_ld(&mm->db_errors[p][e]));
}

static void
mx_format_plans(struct strbuf *out)
{
	static const struct {
		const char	*name, *help;
		size_t		 off;
	} f[] = {
		{ "souk_plan_shops", "Shops on each plan.",
		    offsetof(struct metrics_plan, shops) },
		{ "souk_plan_page_views_today", "Storefront page views of "
		    "the shops on each plan, today (UTC), as flushed.",
		    offsetof(struct metrics_plan, page_views) },
		{ "souk_plan_api_requests_today", "API requests of the "
		    "shops on each plan, today (UTC), as flushed.",
		    offsetof(struct metrics_plan, api_requests) },
		{ "souk_plan_orders_today", "Orders of the shops on each "
		    "plan, today (UTC).",
		    offsetof(struct metrics_plan, orders) },
	};
	struct metrics_plan	plans[METRICS_PLANS];
	size_t			n = mx_plans_copy(plans), i, k;

	for (k = 0; k < NELEM(f); k++) {
		mx_head(out, f[k].name, "gauge", f[k].help);
		for (i = 0; i < n; i++) {
			uint64_t v;

			memcpy(&v, (const char *)&plans[i] + f[k].off,
			    sizeof(v));
			strbuf_addf(out, "%s{plan=\"", f[k].name);
			mx_label_value(out, plans[i].code);
			strbuf_addf(out, "\"} %llu\n", (unsigned long long)v);
		}
	}
}

void
metrics_format(struct strbuf *out)
{
	struct metrics_mem	*mm = mx_m();
	size_t			 c;

	mx_format_requests(out);
	mx_one(out, "souk_pool_workers", "gauge",
	    "Worker processes of the pool alive now.",
	    mx_ld(&mm->c[METRICS_WORKERS]));
	mx_one(out, "souk_pool_workers_busy", "gauge",
	    "Workers serving a request now.", mx_busy_now());
	mx_one(out, "souk_pool_worker_forks_total", "counter",
	    "Workers the pool's master forked (start, reload, recycling, "
	    "replacing a dead one).", mx_ld(&mm->c[METRICS_WORKER_FORKS]));
	mx_one(out, "souk_pool_worker_deaths_total", "counter",
	    "Workers that died of a signal or an error and were respawned.",
	    mx_ld(&mm->c[METRICS_WORKER_DEATHS]));
	mx_format_db(out);
	mx_head(out, "souk_cache_requests_total", "counter",
	    "Cache lookups by cache and result (nginx: its microcache's "
	    "hits, and the storefront pages souk rendered).");
	for (c = 0; c < METRICS_CACHE__MAX; c++)
		strbuf_addf(out, "souk_cache_requests_total{cache=\"%s\","
		    "result=\"hit\"} %llu\nsouk_cache_requests_total{cache="
		    "\"%s\",result=\"miss\"} %llu\n", mx_cache_names[c],
		    (unsigned long long)mx_ld(&mm->cache[c][1]), mx_cache_names[c],
		    (unsigned long long)mx_ld(&mm->cache[c][0]));
	mx_one(out, "souk_jobs_waiting", "gauge",
	    "Jobs due that no souk-worker holds (as souk-worker last saw).",
	    mx_ld(&mm->c[METRICS_JOBS_WAITING]));
	mx_one(out, "souk_jobs_oldest_wait_seconds", "gauge",
	    "How long the oldest waiting job has been due.",
	    mx_ld(&mm->c[METRICS_JOBS_OLDEST]));
	mx_one(out, "souk_worker_last_seen_seconds", "gauge",
	    "Unix time souk-worker last wrote the queue's figures.",
	    mx_ld(&mm->c[METRICS_WORKER_SEEN]));
	mx_one(out, "souk_mail_sent_total", "counter",
	    "Mails the SMTP server accepted.", mx_ld(&mm->c[METRICS_MAIL_SENT]));
	mx_one(out, "souk_mail_failed_total", "counter",
	    "Mail attempts that failed (each is retried).",
	    mx_ld(&mm->c[METRICS_MAIL_FAILED]));
	mx_format_plans(out);
}
