/*
 * tests/unit/platform/fetch.c: fetch_url() against a small HTTP server
 * forked here on 127.0.0.1 (an image, redirects, a 2 GB body without
 * Content-Length, a slow answer), the refusal of loopback (also after
 * a redirect) and of other schemes, and the address classifier over
 * every refused range, IPv4 and IPv6.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/strbuf.h"
#include "platform/fetch.h"
#include "test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

/* --- the address classifier ----------------------------------------- */

static int
refused(const char *ip)
{
	struct sockaddr_in	s4;
	struct sockaddr_in6	s6;

	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (inet_pton(AF_INET, ip, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		return fetch_addr_refused((struct sockaddr *)&s4);
	}
	if (inet_pton(AF_INET6, ip, &s6.sin6_addr) == 1) {
		s6.sin6_family = AF_INET6;
		return fetch_addr_refused((struct sockaddr *)&s6);
	}
	fprintf(stderr, "bad test address %s\n", ip);
	return -1;
}

static void
test_classifier(void)
{
	static const char *const bad[] = {
		"0.0.0.0", "0.1.2.3",
		"127.0.0.1", "127.255.255.254",
		"10.0.0.1", "10.255.255.255",
		"172.16.0.1", "172.31.255.255",
		"192.168.0.1", "192.168.255.255",
		"100.64.0.1", "100.127.255.255",
		"169.254.0.1", "169.254.169.254",
		"224.0.0.1", "239.255.255.255",
		"240.0.0.1", "255.255.255.255",
		"::", "::1",
		"fc00::1", "fd12:3456::1", "fdff:ffff::1",
		"fe80::1", "febf:ffff::1", "fec0::1", "feff::1",
		"ff02::1", "ff05::2",
		"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:192.168.1.1",
		"::ffff:172.16.0.1", "::ffff:169.254.169.254",
		"::ffff:100.64.0.1", "::ffff:0.0.0.0", "::ffff:224.0.0.1",
		"::127.0.0.1", "::10.0.0.1", "64:ff9b::7f00:1",
		"64:ff9b::a9fe:a9fe",
	};
	static const char *const good[] = {
		"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0",
		"126.255.255.255", "128.0.0.0", "172.15.255.255",
		"172.32.0.0", "192.167.255.255", "192.169.0.0",
		"100.63.255.255", "100.128.0.0", "169.253.255.255",
		"169.255.0.0", "223.255.255.255", "192.0.2.1",
		"2001:db8::1", "2606:4700::1111", "2a00:1450::1",
		"fbff:ffff::1", "fe00::1", "fe7f:ffff::1",
		"::ffff:8.8.8.8", "64:ff9b::808:808",
	};
	struct sockaddr	un;
	size_t		i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (refused(bad[i]) != 1) {
			fprintf(stderr, "should be refused: %s\n", bad[i]);
			TEST_CHECK(!"refused");
		}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (refused(good[i]) != 0) {
			fprintf(stderr, "should be allowed: %s\n", good[i]);
			TEST_CHECK(!"allowed");
		}
	memset(&un, 0, sizeof(un));
	un.sa_family = AF_UNIX;
	TEST_CHECK(fetch_addr_refused(&un));
	TEST_CHECK(fetch_addr_refused(NULL));
}

/* --- a forked HTTP server ------------------------------------------- */

#define IMG	"\x89PNG\r\n\x1a\n"

static pid_t	srv_pid[2];
static int	srv_port[2];	/* on 127.0.0.1, on 127.0.0.2 */

static void
say(int c, const char *s, size_t n)
{
	if (write(c, s, n) < 0)
		_exit(0);
}

static void
answer(int c, int port0)
{
	char		 req[4096], path[256], hdr[512];
	ssize_t		 n;
	int		 hop;
	struct timespec	 ts = { 0, 200 * 1000000L };

	if ((n = read(c, req, sizeof(req) - 1)) <= 0)
		_exit(0);
	req[n] = '\0';
	if (sscanf(req, "GET %255s ", path) != 1 &&
	    sscanf(req, "POST %255s ", path) != 1)
		_exit(0);
	if (strcmp(path, "/hook") == 0) {
		/* A webhook's POST: 200 when its body and header came. */
		int ok = strncmp(req, "POST ", 5) == 0 &&
		    strstr(req, "\r\nX-Test: yes\r\n") != NULL &&
		    strstr(req, "User-Agent: Test/1\r\n") != NULL &&
		    strstr(req, "\r\n\r\n{\"id\": 1}") != NULL;

		snprintf(hdr, sizeof(hdr), "HTTP/1.1 %s\r\nContent-Length: 2"
		    "\r\nConnection: close\r\n\r\nok", ok ? "200 OK" :
		    "400 Bad Request");
		say(c, hdr, strlen(hdr));
	} else if (strcmp(path, "/img.png") == 0) {
		snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\nContent-Type: "
		    "Image/PNG; x=y\r\nContent-Length: %zu\r\n"
		    "Connection: close\r\n\r\n", sizeof(IMG) - 1);
		say(c, hdr, strlen(hdr));
		say(c, IMG, sizeof(IMG) - 1);
	} else if (strcmp(path, "/self") == 0) {
		snprintf(hdr, sizeof(hdr), "HTTP/1.1 302 Found\r\nLocation: "
		    "/self\r\nContent-Length: 0\r\n\r\n");
		say(c, hdr, strlen(hdr));
	} else if (sscanf(path, "/chain/%d", &hop) == 1) {
		if (hop < 5)
			snprintf(hdr, sizeof(hdr), "HTTP/1.1 302 Found\r\n"
			    "Location: /chain/%d\r\nContent-Length: 0\r\n"
			    "Connection: close\r\n\r\n", hop + 1);
		else
			snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\n"
			    "Content-Type: text/plain\r\nContent-Length: 3\r\n"
			    "Connection: close\r\n\r\nend");
		say(c, hdr, strlen(hdr));
	} else if (strcmp(path, "/tolocal") == 0) {
		snprintf(hdr, sizeof(hdr), "HTTP/1.1 302 Found\r\nLocation: "
		    "http://127.0.0.1:%d/img.png\r\nContent-Length: 0\r\n"
		    "Connection: close\r\n\r\n", port0);
		say(c, hdr, strlen(hdr));
	} else if (strcmp(path, "/tofile") == 0) {
		snprintf(hdr, sizeof(hdr), "HTTP/1.1 302 Found\r\nLocation: "
		    "file:///etc/passwd\r\nContent-Length: 0\r\n"
		    "Connection: close\r\n\r\n");
		say(c, hdr, strlen(hdr));
	} else if (strcmp(path, "/big") == 0 ||
	    strcmp(path, "/bigcl") == 0) {
		static char	zeros[65536];
		long		i;

		/* 2 GB, streamed until the client hangs up. */
		if (strcmp(path, "/big") == 0)
			snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\n"
			    "Content-Type: image/png\r\n"
			    "Connection: close\r\n\r\n");
		else
			snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\n"
			    "Content-Type: image/png\r\nContent-Length: "
			    "2147483648\r\nConnection: close\r\n\r\n");
		say(c, hdr, strlen(hdr));
		for (i = 0; i < 32768; i++)
			say(c, zeros, sizeof(zeros));
	} else if (strcmp(path, "/slow") == 0) {
		int i;

		/* A byte every 200 ms: never done within the limit. A fixed
		 * pace on purpose: the slowness is what is tested. */
		snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\n"
		    "Content-Type: image/png\r\nContent-Length: 100\r\n"
		    "Connection: close\r\n\r\n");
		say(c, hdr, strlen(hdr));
		for (i = 0; i < 100; i++) {
			say(c, "x", 1);
			nanosleep(&ts, NULL);
		}
	} else {
		snprintf(hdr, sizeof(hdr), "HTTP/1.1 404 Not Found\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n");
		say(c, hdr, strlen(hdr));
	}
	_exit(0);
}

/* Listens on ip, then serves each connection in a child of a child. */
static void
serve(int k, const char *ip)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof(sa);
	int			fd, c, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, ip, &sa.sin_addr);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(fd, 16) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) == -1) {
		perror("server");
		exit(1);
	}
	srv_port[k] = ntohs(sa.sin_port);
	if ((srv_pid[k] = fork()) != 0) {
		close(fd);
		return;
	}
	signal(SIGCHLD, SIG_IGN);	/* no zombies */
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		if ((c = accept(fd, NULL, NULL)) == -1)
			continue;
		if (fork() == 0) {
			close(fd);
			answer(c, srv_port[0]);
		}
		close(c);
	}
}

static void
serve_stop(void)
{
	int k;

	for (k = 0; k < 2; k++) {
		kill(srv_pid[k], SIGKILL);
		waitpid(srv_pid[k], NULL, 0);
	}
}

static int64_t
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum fetch_err
get(int k, const char *path, const struct fetch_limits *lim,
    struct strbuf *body, char *ct, char *err, size_t errlen)
{
	char url[128];

	snprintf(url, sizeof(url), "http://127.0.0.%d:%d%s", k + 1,
	    srv_port[k], path);
	return fetch_url(url, lim, body, ct, 64, err, errlen);
}

/* Stands in for a public address: 127.0.0.2 is allowed, anything else
 * is judged as in production. */
static int
only_second(const struct sockaddr *sa, void *arg)
{
	const struct sockaddr_in *s4 = (const void *)sa;

	(void)arg;
	if (sa->sa_family == AF_INET &&
	    ntohl(s4->sin_addr.s_addr) == 0x7f000002)
		return 0;
	return fetch_addr_refused(sa);
}

/* fetch_post() (webhooks): the body and headers sent, the status
 * given back, no redirect followed, loopback refused without the
 * setting; fetch_target_check() before a target is saved. */
static void
test_post(const struct fetch_limits *lim, const struct fetch_limits *open)
{
	static const char *const hdr[] = { "X-Test: yes",
	    "User-Agent: Test/1", NULL };
	struct strbuf	 ans = STRBUF_INIT;
	char		 url[128], err[256];
	long		 status = -1;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", srv_port[0]);
	TEST_CHECK(fetch_post(url, open, hdr, STR("{\"id\": 1}"), &status,
	    &ans, err, sizeof(err)) == FETCH_OK);
	TEST_CHECK(status == 200 && ans.len == 2);
	TEST_CHECK(fetch_post(url, open, hdr, STR("{}"), &status, &ans, err,
	    sizeof(err)) == FETCH_EHTTP);
	TEST_CHECK(status == 400);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/self", srv_port[0]);
	TEST_CHECK(fetch_post(url, open, hdr, STR("{}"), &status, &ans, err,
	    sizeof(err)) == FETCH_EHTTP);
	TEST_CHECK(status == 302);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", srv_port[0]);
	TEST_CHECK(fetch_post(url, lim, hdr, STR("{\"id\": 1}"), &status,
	    &ans, err, sizeof(err)) == FETCH_EADDR);
	TEST_CHECK(status == 0);

	TEST_CHECK(fetch_target_check(url, lim, err, sizeof(err)) ==
	    FETCH_EADDR);
	TEST_CHECK(fetch_target_check(url, open, err, sizeof(err)) ==
	    FETCH_OK);
	TEST_CHECK(fetch_target_check("http://[fe80::1]/", lim, err,
	    sizeof(err)) == FETCH_EADDR);
	TEST_CHECK(fetch_target_check("https://192.0.2.1:8443/x", lim, err,
	    sizeof(err)) == FETCH_OK);
	TEST_CHECK(fetch_target_check("gopher://192.0.2.1/", lim, err,
	    sizeof(err)) == FETCH_ESCHEME);
	TEST_CHECK(fetch_target_check("http://", lim, err, sizeof(err)) ==
	    FETCH_EURL);
	TEST_CHECK(fetch_target_check("http://no-such-host.invalid/", lim,
	    err, sizeof(err)) == FETCH_ENET);
	strbuf_release(&ans);
}

static void
test_fetch(void)
{
	struct fetch_limits	 lim, open;
	struct strbuf		 body = STRBUF_INIT;
	char			 ct[64], err[256];
	int64_t			 t0;

	/* The configuration decides; off unless set. */
	fetch_limits_default(&lim);
	TEST_CHECK(lim.allow_private == 0);
	TEST_CHECK(lim.max_bytes == FETCH_DEFAULT_MAX_BYTES);
	config_set("fetch_allow_private", "1");
	fetch_limits_default(&open);
	TEST_CHECK(open.allow_private == 1);
	config_set("fetch_allow_private", "0");

	serve(0, "127.0.0.1");
	serve(1, "127.0.0.2");

	/* Loopback refused without the setting, with nothing read. */
	strbuf_add(&body, "stale", 5);
	TEST_CHECK(get(0, "/img.png", &lim, &body, ct, err, sizeof(err)) ==
	    FETCH_EADDR);
	TEST_CHECK(body.len == 0 && ct[0] == '\0');
	TEST_CHECK(strstr(err, "127.0.0.1") != NULL);
	TEST_CHECK(fetch_url("http://localhost:1/x", &lim, &body, ct, 64, err,
	    sizeof(err)) == FETCH_EADDR);
	TEST_CHECK(fetch_url("http://[::1]:1/x", &lim, &body, ct, 64, err,
	    sizeof(err)) == FETCH_EADDR);
	TEST_CHECK(fetch_url("http://2130706433:1/x", &lim, &body, ct, 64,
	    err, sizeof(err)) == FETCH_EADDR);	/* 127.0.0.1 as a number */

	/* Allowed with it: the image and its type. */
	TEST_CHECK(get(0, "/img.png", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_OK);
	TEST_CHECK(body.len == sizeof(IMG) - 1 &&
	    memcmp(body.buf, IMG, body.len) == 0);
	TEST_STREQ(ct, "image/png");

	/* A "public" server redirecting to loopback: the second hop's
	 * address is checked too. */
	lim.addr_refused = only_second;
	TEST_CHECK(get(1, "/img.png", &lim, &body, ct, err, sizeof(err)) ==
	    FETCH_OK);
	TEST_CHECK(body.len == sizeof(IMG) - 1);
	TEST_CHECK(get(1, "/tolocal", &lim, &body, ct, err, sizeof(err)) ==
	    FETCH_EADDR);
	TEST_CHECK(body.len == 0);
	lim.addr_refused = NULL;
	TEST_CHECK(get(1, "/tolocal", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_OK);

	/* Other schemes, given or redirected to. */
	TEST_CHECK(fetch_url("file:///etc/passwd", &open, &body, ct, 64, err,
	    sizeof(err)) == FETCH_ESCHEME);
	TEST_CHECK(fetch_url("ftp://127.0.0.1/x", &open, &body, ct, 64, err,
	    sizeof(err)) == FETCH_ESCHEME);
	TEST_CHECK(fetch_url("gopher://127.0.0.1/x", &open, &body, ct, 64,
	    err, sizeof(err)) == FETCH_ESCHEME);
	TEST_CHECK(fetch_url("FILE:///etc/passwd", &open, &body, ct, 64, err,
	    sizeof(err)) == FETCH_ESCHEME);
	TEST_CHECK(fetch_url("", &open, &body, ct, 64, err, sizeof(err)) ==
	    FETCH_EURL);
	TEST_CHECK(get(0, "/tofile", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_ESCHEME);

	/* Redirects: to itself and a chain of 5 exceed 3; a chain of 3
	 * (from /chain/2) is followed. */
	TEST_CHECK(get(0, "/self", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_EREDIRECT);
	TEST_CHECK(get(0, "/chain/0", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_EREDIRECT);
	TEST_CHECK(get(0, "/chain/2", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_OK);
	TEST_CHECK(body.len == 3 && memcmp(body.buf, "end", 3) == 0);
	TEST_CHECK(get(0, "/nothing", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_EHTTP);

	/* 2 GB without Content-Length: cut at 1 MB, quickly. */
	open.max_bytes = 1024 * 1024;
	t0 = ms_now();
	TEST_CHECK(get(0, "/big", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_ETOOBIG);
	TEST_CHECK(ms_now() - t0 < 5000);
	TEST_CHECK(body.len == 0);
	/* ... and with it: refused before the body. */
	t0 = ms_now();
	TEST_CHECK(get(0, "/bigcl", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_ETOOBIG);
	TEST_CHECK(ms_now() - t0 < 5000);
	/* Exactly at the limit is fine: the image with max_bytes 8. */
	open.max_bytes = sizeof(IMG) - 1;
	TEST_CHECK(get(0, "/img.png", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_OK);
	open.max_bytes = sizeof(IMG) - 2;
	TEST_CHECK(get(0, "/img.png", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_ETOOBIG);
	open.max_bytes = FETCH_DEFAULT_MAX_BYTES;

	/* Slower than the time limit: given up at about the limit. */
	open.timeout_ms = 700;
	t0 = ms_now();
	TEST_CHECK(get(0, "/slow", &open, &body, ct, err, sizeof(err)) ==
	    FETCH_ETIMEOUT);
	TEST_CHECK(ms_now() - t0 >= 600 && ms_now() - t0 < 5000);
	TEST_CHECK(body.len == 0);

	test_post(&lim, &open);
	TEST_STREQ(fetch_strerror(FETCH_EADDR),
	    "local or private address refused");
	serve_stop();
	strbuf_release(&body);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_classifier();
	test_fetch();
	return test_done();
}
