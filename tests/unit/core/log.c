/*
 * tests/unit/core/log.c: escaped lines of bounded size, whatever the
 * message holds (a product description with hundreds of CR/LF bytes
 * overflowed the line buffer once), one line per call.
 */
#include "core/common.h"
#include "core/log.h"
#include "test.h"

#include <fcntl.h>
#include <unistd.h>

static char	 out[65536];

/* Runs the logger with stderr pointed at a file; returns what it wrote. */
static const char *
capture(void (*fn)(void))
{
	char	 path[] = "/tmp/souk-log-test-XXXXXX";
	int	 fd = mkstemp(path), saved = dup(STDERR_FILENO);
	ssize_t	 n;

	if (fd == -1 || saved == -1)
		return "";
	unlink(path);
	dup2(fd, STDERR_FILENO);
	fn();
	dup2(saved, STDERR_FILENO);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, out, sizeof(out) - 1);
	close(fd);
	out[n > 0 ? n : 0] = '\0';
	return out;
}

static void
plain(void)
{
	log_set_request("abc123", 42);
	log_info("cannot open '%s'", "x\"y\\z");
	log_set_request(NULL, 0);
}

static void
crlf(void)
{
	char	msg[1500];
	size_t	i;

	/* The worst case: every byte takes 4 in the line. */
	for (i = 0; i < sizeof(msg) - 1; i++)
		msg[i] = i % 2 ? '\n' : '\r';
	msg[sizeof(msg) - 1] = '\0';
	log_set_request("0123456789abcdef0123456789abcdef", INT64_MAX);
	log_err("description: %s", msg);
	log_set_request(NULL, 0);
}

static void
bare(void)
{
	log_warn("no request");
}

static void
filtered(void)
{
	log_debug("not shown at info");
}

static void
event(void)
{
	struct log_field f[] = {
		{ "method", "GET", 0 },
		{ "route", "/p/:slug", 0 },
		{ "status", NULL, 200 },
		{ "us", NULL, -5 },
		{ "odd", "a\"b\nc", 0 },
	};

	log_set_request("abc123", 7);
	log_event(LOG_LVL_INFO, "request", f, 5);
	log_set_request(NULL, 0);
	log_event(LOG_LVL_DEBUG, "filtered", f, 1);
}

/* Every field at its worst: 20 fields (16 kept), long keys, values of
 * control bytes only. */
static void
event_worst(void)
{
	static char		 val[300];
	static const char	 key[] = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";
	struct log_field	 f[20];
	size_t			 i;

	for (i = 0; i < sizeof(val) - 1; i++)
		val[i] = '\n';
	for (i = 0; i < 20; i++) {
		f[i].key = key;
		f[i].s = i == 19 ? NULL : val;
		f[i].i = INT64_MIN;
	}
	log_set_request("0123456789abcdef0123456789abcdef", INT64_MAX);
	log_event(LOG_LVL_ERR, val, f, 20);
	log_set_request(NULL, 0);
}

#define CRLF_HEAD "<3>level=err prog=test req=0123456789abcdef" \
	    "0123456789abcdef tenant=9223372036854775807 msg=\"description: " \
	    "\\x0d\\x0a\\x0d"

static size_t
count(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

int
main(void)
{
	const char	*s;
	size_t		 len;

	log_init("test", LOG_LVL_INFO);
	s = capture(plain);
	TEST_STREQ(s, "<6>level=info prog=test req=abc123 tenant=42 "
	    "msg=\"cannot open 'x\\\"y\\\\z'\"\n");

	s = capture(crlf);
	len = strlen(s);
	TEST_CHECK(count(s, '\n') == 1);	/* one line, not a forged one */
	TEST_CHECK(len > 0 && s[len - 1] == '\n');
	TEST_CHECK(strncmp(s, CRLF_HEAD, strlen(CRLF_HEAD)) == 0);
	TEST_CHECK(strstr(s, "\r") == NULL);
	/* Cut at the message limit, escaped in full, closed. */
	TEST_CHECK(len > 4000 && len < 4400);
	TEST_CHECK(s[len - 2] == '"');

	s = capture(bare);
	TEST_STREQ(s, "<4>level=warn prog=test msg=\"no request\"\n");

	s = capture(filtered);
	TEST_STREQ(s, "");

	s = capture(event);
	TEST_STREQ(s, "<6>level=info prog=test req=abc123 tenant=7 "
	    "msg=\"request\" method=\"GET\" route=\"/p/:slug\" status=200 "
	    "us=-5 odd=\"a\\\"b\\x0ac\"\n");

	s = capture(event_worst);
	len = strlen(s);
	TEST_CHECK(count(s, '\n') == 1);
	TEST_CHECK(len > 0 && s[len - 1] == '\n');
	/* 16 fields of 32-byte keys, each value cut at 128 bytes. */
	TEST_CHECK(count(s, '=') == 5 + 16);
	TEST_CHECK(strstr(s, " kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk=") == NULL);
	TEST_CHECK(len > 16 * (32 + 4 + 4 * 128) && len < 9900);

	TEST_CHECK(log_level_parse("warn") == LOG_LVL_WARN);
	TEST_CHECK(log_level_parse("error") == LOG_LVL_ERR);
	TEST_CHECK(log_level_parse("loud") == -1);
	TEST_CHECK(log_level_parse(NULL) == -1);
	return test_done();
}
