/*
 * stripetest.h: the Stripe stand-in (tests/stripe_server.py) for unit
 * tests: started as a child on a free port (it prints the port once it
 * listens, so nothing waits a fixed time), its URL set as
 * stripe_api_url, and its control API (POST JSON to /_test/...).
 */
#ifndef SOUK_STRIPETEST_H
#define SOUK_STRIPETEST_H

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/config.h"
#include "core/strbuf.h"

static pid_t	stripetest_pid;
static char	stripetest_url[64];

/* Starts the stand-in, accepting key (and key2 unless NULL). 0 or -1. */
static inline int
stripetest_start(const char *key, const char *key2)
{
	int	 fds[2];
	FILE	*f;
	char	 line[128];
	int	 port = 0;

	if (pipe(fds) == -1)
		return -1;
	if ((stripetest_pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		if (key2 != NULL)
			execlp("python3", "python3", "tests/stripe_server.py",
			    "--port", "0", "--key", key, "--key", key2,
			    (char *)NULL);
		else
			execlp("python3", "python3", "tests/stripe_server.py",
			    "--port", "0", "--key", key, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	if (stripetest_pid == -1 || (f = fdopen(fds[0], "r")) == NULL)
		return -1;
	if (fgets(line, sizeof(line), f) != NULL)
		(void)sscanf(line, "listening on %d", &port);
	fclose(f);
	if (port <= 0)
		return -1;
	if (snprintf(stripetest_url, sizeof(stripetest_url),
	    "http://127.0.0.1:%d", port) >= (int)sizeof(stripetest_url))
		return -1;
	config_set("stripe_api_url", stripetest_url);
	return 0;
}

static inline void
stripetest_stop(void)
{
	if (stripetest_pid > 0) {
		kill(stripetest_pid, SIGTERM);
		waitpid(stripetest_pid, NULL, 0);
		stripetest_pid = 0;
	}
}

static inline size_t
stripetest_discard(char *p, size_t size, size_t n, void *arg)
{
	return size * n;
}

/* POSTs json to the stand-in's path; the HTTP status, 0 when none. */
static inline long
stripetest_control(const char *path, const char *json)
{
	CURL	*c = curl_easy_init();
	char	 url[256];
	long	 status = 0;
	int	 n;

	n = snprintf(url, sizeof(url), "%s%s", stripetest_url, path);
	if (c == NULL || n < 0 || (size_t)n >= sizeof(url))
		return 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, stripetest_discard);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return status;
}

static inline size_t
stripetest_keep(char *p, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, p, size * n);
	return size * n;
}

/* GETs the stand-in's path into out (reset first); the HTTP status. */
static inline long
stripetest_get(const char *path, struct strbuf *out)
{
	CURL	*c = curl_easy_init();
	char	 url[256];
	long	 status = 0;
	int	 n;

	strbuf_reset(out);
	n = snprintf(url, sizeof(url), "%s%s", stripetest_url, path);
	if (c == NULL || n < 0 || (size_t)n >= sizeof(url))
		return 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, stripetest_keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	return status;
}

#endif
