/*
 * tests/unit/platform/rates.c: storing rates against the private
 * MariaDB (stale, future, jumping and repeated feeds change nothing),
 * the worker cache, and rates_download() against a small HTTP server
 * forked here (retries, backoff, timeouts, size limit).
 */
#include "core/common.h"
#include "core/fx.h"
#include "core/strbuf.h"
#include "platform/rates.h"
#include "test.h"
#include "dbtest.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

static struct db	*db;

static struct fx_rates
feed(const char *date, int64_t usd, int64_t jpy)
{
	struct fx_rates r;

	memset(&r, 0, sizeof(r));
	memcpy(r.date, date, FX_DATE_LEN + 1);
	memcpy(r.v[0].code, "JPY", 4);
	r.v[0].rate = jpy;
	memcpy(r.v[1].code, "USD", 4);
	r.v[1].rate = usd;
	r.n = 2;
	return r;
}

static enum rates_err
store(const struct fx_rates *r, int *unchanged, char *prev)
{
	char err[256] = "";

	return rates_store(db, r, 150000000, "2026-11-23", unchanged, prev,
	    err, sizeof(err));
}

static void
test_store(void)
{
	struct fx_rates	 r, got;
	const struct fx_rates *c;
	char		 prev[11], at[20], date[11], err[256];
	int		 unchanged;

	TEST_CHECK(rates_latest(db, &got, at) == RATES_ENONE);
	TEST_CHECK(rates_latest_date(db, date) == RATES_ENONE);
	TEST_CHECK(rates_cached(db) == NULL);

	r = feed("2026-11-19", 108120000, 16249000000LL);
	TEST_CHECK(store(&r, &unchanged, prev) == RATES_OK);
	TEST_CHECK(!unchanged && prev[0] == '\0');
	TEST_CHECK(rates_latest(db, &got, at) == RATES_OK);
	TEST_STREQ(got.date, "2026-11-19");
	TEST_CHECK(got.n == 2);
	TEST_CHECK(fx_rate_of(&got, "USD") == 108120000);
	TEST_CHECK(fx_rate_of(&got, "JPY") == 16249000000LL);
	TEST_CHECK(strlen(at) == 19);
	/* The worker cache: NULL was cached for a few seconds only;
	 * expired, it reads the new rates and keeps them. */
	rates_cache_expire();
	c = rates_cached(db);
	TEST_CHECK(c != NULL && fx_rate_of(c, "USD") == 108120000);

	/* The same day again, same rates: unchanged. */
	TEST_CHECK(store(&r, &unchanged, prev) == RATES_OK);
	TEST_CHECK(unchanged);
	TEST_STREQ(prev, "2026-11-19");

	/* A newer day within the limits: stored, the old day kept. */
	r = feed("2026-11-20", 108500000, 16300000000LL);
	TEST_CHECK(store(&r, &unchanged, prev) == RATES_OK && !unchanged);
	TEST_CHECK(rates_latest(db, &got, NULL) == RATES_OK);
	TEST_STREQ(got.date, "2026-11-20");
	TEST_CHECK(fx_rate_of(&got, "USD") == 108500000);
	TEST_CHECK(rates_latest_date(db, date) == RATES_OK);
	TEST_STREQ(date, "2026-11-20");
	/* The cache holds the old copy until it expires. */
	c = rates_cached(db);
	TEST_CHECK(fx_rate_of(c, "USD") == 108120000);
	rates_cache_expire();
	c = rates_cached(db);
	TEST_CHECK(fx_rate_of(c, "USD") == 108500000);

	/* Refused, nothing changes: older, far future, a jump. */
	r = feed("2026-11-18", 108500000, 16300000000LL);
	TEST_CHECK(rates_store(db, &r, 150000000, "2026-11-23", &unchanged,
	    prev, err, sizeof(err)) == RATES_ESTALE);
	TEST_CHECK(strstr(err, "older than") != NULL);
	r = feed("2026-11-25", 108500000, 16300000000LL);
	TEST_CHECK(store(&r, &unchanged, prev) == RATES_EFUTURE);
	r = feed("2026-11-24", 108500000, 16300000000LL);	/* tomorrow */
	r.v[0].rate = 16300000000LL * 2;
	TEST_CHECK(rates_store(db, &r, 150000000, "2026-11-23", &unchanged,
	    prev, err, sizeof(err)) == RATES_EJUMP);
	TEST_CHECK(strstr(err, "JPY") != NULL);
	/* A bigger factor lets it through. */
	TEST_CHECK(rates_store(db, &r, 300000000, "2026-11-23", &unchanged,
	    prev, err, sizeof(err)) == RATES_OK);
	memset(&r, 0, sizeof(r));
	TEST_CHECK(store(&r, &unchanged, prev) == RATES_EFEED);
	TEST_CHECK(rates_latest(db, &got, NULL) == RATES_OK);
	TEST_STREQ(got.date, "2026-11-24");
	TEST_CHECK(fx_rate_of(&got, "JPY") == 32600000000LL);

	/* A same-day correction within the limits replaces that day. */
	r = got;
	r.v[0].rate = 32000000000LL;
	TEST_CHECK(store(&r, &unchanged, prev) == RATES_OK && !unchanged);
	TEST_CHECK(rates_latest(db, &got, NULL) == RATES_OK);
	TEST_CHECK(fx_rate_of(&got, "JPY") == 32000000000LL);
	TEST_STREQ(rates_strerror(RATES_ESTALE),
	    "feed older than the stored rates");
}

/* --- a forked HTTP server ------------------------------------------- */

struct reply {
	int		 delay_ms;	/* a slow feed: the behaviour under test */
	const char	*status;	/* "200 OK" */
	const char	*body;
	size_t		 bodylen;	/* 0: strlen(body) */
};

static int	srv_fd = -1;
static int	srv_port;
static pid_t	srv_pid;

/* Serves replies[i] to the i-th connection (the last one again after
 * the end), in a child. */
static void
serve(const struct reply *replies, size_t n)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof(sa);
	size_t			i = 0;

	srv_fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(srv_fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(srv_fd, 16) == -1 ||
	    getsockname(srv_fd, (struct sockaddr *)&sa, &len) == -1) {
		perror("server");
		exit(1);
	}
	srv_port = ntohs(sa.sin_port);
	if ((srv_pid = fork()) != 0) {
		close(srv_fd);
		return;
	}
	for (;;) {
		const struct reply	*r = &replies[i < n ? i : n - 1];
		struct strbuf		 out = STRBUF_INIT;
		char			 buf[4096];
		size_t			 bl = r->bodylen ? r->bodylen :
					    strlen(r->body);
		int			 c = accept(srv_fd, NULL, NULL);
		struct timespec		 ts = { r->delay_ms / 1000,
					    (r->delay_ms % 1000) * 1000000L };

		if (c == -1)
			_exit(1);
		i++;
		if (read(c, buf, sizeof(buf)) <= 0) {
			close(c);
			continue;
		}
		/* A fixed delay on purpose: the stand-in feed is slow, and
		 * the test checks that the client gives up (no wait for
		 * another process here). */
		nanosleep(&ts, NULL);
		strbuf_addf(&out, "HTTP/1.1 %s\r\nContent-Type: text/xml\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		    r->status, bl);
		strbuf_add(&out, r->body, bl);
		if (write(c, out.buf, out.len) < 0)
			perror("write");
		strbuf_release(&out);
		close(c);
	}
}

static void
serve_stop(void)
{
	kill(srv_pid, SIGKILL);
	waitpid(srv_pid, NULL, 0);
}

static int64_t
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum rates_err
download(long timeout, int retries, struct strbuf *body, int *attempts,
    int64_t *ms)
{
	char		url[64], err[256];
	int64_t		t0 = ms_now();
	enum rates_err	e;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/feed.xml", srv_port);
	e = rates_download(url, timeout, retries, 50, body, attempts, err,
	    sizeof(err));
	*ms = ms_now() - t0;
	return e;
}

static void
test_download(void)
{
	static const struct reply ok[] = { { 0, "200 OK", "<feed/>", 0 } };
	static const struct reply flaky[] = {
		{ 0, "500 Internal Server Error", "oops", 0 },
		{ 0, "503 Service Unavailable", "later", 0 },
		{ 0, "200 OK", "<feed/>", 0 },
	};
	static const struct reply down[] = {
		{ 0, "500 Internal Server Error", "oops", 0 } };
	static const struct reply missing[] = {
		{ 0, "404 Not Found", "no", 0 } };
	static const struct reply slow[] = {
		{ 2500, "200 OK", "<feed/>", 0 } };
	struct reply	big[1] = { { 0, "200 OK", NULL, 2 * FX_MAX_DOC } };
	struct strbuf	body = STRBUF_INIT;
	int		attempts;
	int64_t		ms;
	char		*junk;

	serve(ok, 1);
	TEST_CHECK(download(5, 3, &body, &attempts, &ms) == RATES_OK);
	TEST_CHECK(attempts == 1);
	TEST_STREQ(body.buf, "<feed/>");
	serve_stop();

	/* 500, 503, then 200: retried with backoff 50 ms then 100 ms. */
	serve(flaky, 3);
	TEST_CHECK(download(5, 3, &body, &attempts, &ms) == RATES_OK);
	TEST_CHECK(attempts == 3);
	TEST_CHECK(ms >= 150);
	TEST_STREQ(body.buf, "<feed/>");
	serve_stop();

	/* Always 500: the first attempt and two retries, then an error. */
	serve(down, 1);
	TEST_CHECK(download(5, 2, &body, &attempts, &ms) == RATES_EFETCH);
	TEST_CHECK(attempts == 3);
	serve_stop();

	/* 404 is not retried. */
	serve(missing, 1);
	TEST_CHECK(download(5, 3, &body, &attempts, &ms) == RATES_EFETCH);
	TEST_CHECK(attempts == 1);
	serve_stop();

	/* Slower than the timeout: each attempt gives up after 1 s. */
	serve(slow, 1);
	TEST_CHECK(download(1, 1, &body, &attempts, &ms) == RATES_EFETCH);
	TEST_CHECK(attempts == 2);
	TEST_CHECK(ms >= 2000 && ms < 2400 + 1000);
	serve_stop();

	/* Larger than FX_MAX_DOC: refused, not retried. */
	junk = xmalloc(2 * FX_MAX_DOC);
	memset(junk, 'x', 2 * FX_MAX_DOC);
	big[0].body = junk;
	serve(big, 1);
	TEST_CHECK(download(5, 3, &body, &attempts, &ms) == RATES_EFEED);
	TEST_CHECK(attempts == 1);
	serve_stop();
	free(junk);

	/* Nobody listening (the port of the last server, now closed). */
	TEST_CHECK(download(2, 1, &body, &attempts, &ms) == RATES_EFETCH);
	TEST_CHECK(attempts == 2);
	strbuf_release(&body);
}

int
main(void)
{
	test_download();
	db = dbtest_open("test-rates");
	test_store();
	rates_cache_free();
	db_close(db);
	(void)dbtest_tag;
	return test_done();
}
