/*
 * tests/unit/core/metrics.c: the figures and their Prometheus text
 * (core/metrics.h): a histogram's buckets are cumulative and end in
 * +Inf == _count == the requests counted, its _sum is the latencies'
 * sum in seconds; statuses outside the list count as "other"; kinds
 * out of range as "other"; plan codes are escaped as label values;
 * figures from a second process (fork) land in the same file.
 */
#include "core/common.h"
#include "core/metrics.h"
#include "test.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int
has(const struct strbuf *sb, const char *line)
{
	char	*want = xmalloc(strlen(line) + 2);
	int	 found;

	memcpy(want, line, strlen(line));
	memcpy(want + strlen(line), "\n", 2);
	found = strstr(sb->buf, want) != NULL;
	if (!found)
		fprintf(stderr, "missing line: %s\n", line);
	free(want);
	return found;
}

int
main(void)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct metrics_plan	 plan[2];
	struct metrics_totals	 t;
	char			 path[] = "/tmp/souk-metrics-XXXXXX";
	pid_t			 pid;
	int			 fd, st;

	TEST_CHECK((fd = mkstemp(path)) != -1);
	close(fd);
	TEST_CHECK(metrics_open(path, METRICS_FCGI) == 0);

	/* 3 ms, 7 ms, 2 s: buckets 0.005, 0.01, 2.5 */
	metrics_request(METRICS_KIND_PRODUCT, 200, 3000);
	metrics_request(METRICS_KIND_PRODUCT, 200, 7000);
	metrics_request(METRICS_KIND_PRODUCT, 200, 2000000);
	metrics_request(METRICS_KIND_API, 418, 20 * 1000 * 1000);
	metrics_request((enum metrics_kind)99, 503, 1);
	TEST_CHECK(metrics_status_index(404) < METRICS_STATUSES - 1);
	TEST_STREQ(metrics_status_label(metrics_status_index(404)), "404");
	TEST_STREQ(metrics_status_label(metrics_status_index(418)), "other");

	/* another process of the pool, as a forked worker */
	if ((pid = fork()) == 0) {
		metrics_request(METRICS_KIND_PRODUCT, 404, 1000);
		metrics_add(METRICS_MAIL_SENT, 2);
		metrics_busy(5, 1);
		metrics_db_round_trip();
		metrics_db_error(3);
		metrics_cache(METRICS_CACHE_NGINX, 1);
		_exit(0);
	}
	TEST_CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && st == 0);
	metrics_cache(METRICS_CACHE_NGINX, 0);
	metrics_set(METRICS_WORKERS, 4);

	memset(plan, 0, sizeof(plan));
	memcpy(plan[0].code, "basic", 6);
	plan[0].shops = 3;
	plan[0].page_views = 250;
	memcpy(plan[1].code, "a\"b\\c", 6);
	plan[1].shops = 1;
	metrics_set_plans(plan, 2);

	metrics_format(&sb);
	TEST_CHECK(has(&sb, "# TYPE souk_http_request_duration_seconds "
	    "histogram"));
	TEST_CHECK(has(&sb, "souk_http_request_duration_seconds_bucket{"
	    "kind=\"product\",status=\"200\",le=\"0.005\"} 1"));
	TEST_CHECK(has(&sb, "souk_http_request_duration_seconds_bucket{"
	    "kind=\"product\",status=\"200\",le=\"0.01\"} 2"));
	TEST_CHECK(has(&sb, "souk_http_request_duration_seconds_bucket{"
	    "kind=\"product\",status=\"200\",le=\"1\"} 2"));
	TEST_CHECK(has(&sb, "souk_http_request_duration_seconds_bucket{"
	    "kind=\"product\",status=\"200\",le=\"2.5\"} 3"));
	TEST_CHECK(has(&sb, "souk_http_request_duration_seconds_bucket{"
	    "kind=\"product\",status=\"200\",le=\"+Inf\"} 3"));
	TEST_CHECK(has(&sb, "souk_http_request_duration_seconds_sum{"
	    "kind=\"product\",status=\"200\"} 2.010000"));
	TEST_CHECK(has(&sb, "souk_http_request_duration_seconds_count{"
	    "kind=\"product\",status=\"200\"} 3"));
	TEST_CHECK(has(&sb, "souk_http_requests_total{kind=\"product\","
	    "status=\"200\"} 3"));
	TEST_CHECK(has(&sb, "souk_http_requests_total{kind=\"product\","
	    "status=\"404\"} 1"));
	/* 20 s is past the last bound: only +Inf holds it */
	TEST_CHECK(has(&sb, "souk_http_request_duration_seconds_bucket{"
	    "kind=\"api\",status=\"other\",le=\"10\"} 0"));
	TEST_CHECK(has(&sb, "souk_http_request_duration_seconds_bucket{"
	    "kind=\"api\",status=\"other\",le=\"+Inf\"} 1"));
	TEST_CHECK(has(&sb, "souk_http_requests_total{kind=\"other\","
	    "status=\"503\"} 1"));
	/* no request: no series */
	TEST_CHECK(strstr(sb.buf, "kind=\"cart\"") == NULL);
	TEST_CHECK(has(&sb, "souk_pool_workers 4"));
	TEST_CHECK(has(&sb, "souk_pool_workers_busy 1"));
	TEST_CHECK(has(&sb, "souk_mail_sent_total 2"));
	TEST_CHECK(has(&sb, "souk_db_round_trips_total{program=\"souk-fcgi\"} "
	    "1"));
	TEST_CHECK(has(&sb, "souk_db_errors_total{program=\"souk-fcgi\","
	    "class=\"deadlock\"} 1"));
	TEST_CHECK(has(&sb, "souk_cache_requests_total{cache=\"nginx\","
	    "result=\"hit\"} 1"));
	TEST_CHECK(has(&sb, "souk_cache_requests_total{cache=\"nginx\","
	    "result=\"miss\"} 1"));
	TEST_CHECK(has(&sb, "souk_plan_shops{plan=\"basic\"} 3"));
	TEST_CHECK(has(&sb, "souk_plan_page_views_today{plan=\"basic\"} 250"));
	TEST_CHECK(has(&sb, "souk_plan_shops{plan=\"a\\\"b\\\\c\"} 1"));

	metrics_totals(&t);
	TEST_CHECK(t.requests == 6 && t.server_errors == 1);
	TEST_CHECK(t.latency_us == 3000 + 7000 + 2000000 + 20000000 + 1 +
	    1000);
	TEST_CHECK(t.workers_busy == 1 && t.mail_sent == 2);
	TEST_CHECK(t.cache_hits == 1 && t.cache_misses == 1);
	metrics_busy_reset();
	metrics_totals(&t);
	TEST_CHECK(t.workers_busy == 0);

	strbuf_release(&sb);
	unlink(path);
	return test_done();
}
