/*
 * scrape.h: the metrics endpoint (core/metrics.h) for Prometheus,
 * served by souk-fcgi's master on metrics_listen (host:port; empty, the
 * default: off).
 *
 * Why the master: it never serves a page, so it answers while every
 * worker is busy, stuck on the database or being restarted, which is
 * exactly when the figures matter; and it needs no database: every
 * figure is in the shared memory (souk-worker writes the queue's and
 * the plans' there). The server is a few dozen lines of HTTP/1.0 in
 * the master's poll() loop (struct pool_app's master_poll and
 * master_ready): non-blocking sockets, at most SCRAPE_CONNS
 * connections (a new one beyond that closes the oldest; one idle for
 * SCRAPE_IDLE_MS is closed as the loop next turns), requests up to
 * SCRAPE_IN_MAX bytes, one request a connection. GET or HEAD
 * /metrics answers text/plain; version=0.0.4; any other path 404, any
 * other method 405, a request that is not HTTP 400.
 *
 * Nothing here authenticates: bind it to the loopback or a private
 * network only (README, "Monitoring"); nginx never proxies it.
 */
#ifndef SOUK_HTTP_SCRAPE_H
#define SOUK_HTTP_SCRAPE_H

#include <stddef.h>

struct pollfd;

#define SCRAPE_CONNS	8
#define SCRAPE_IN_MAX	4096
#define SCRAPE_IDLE_MS	5000

/* Listens on spec ("127.0.0.1:9464", "[::1]:9464", ":9464"; no unix
 * socket: Prometheus scrapes TCP). 0, or -1 with a message in err. */
int	scrape_open(const char *spec, char *err, size_t errlen);

/* For struct pool_app: the fds to poll (the listen socket and each
 * connection), at most max; then their revents; in a worker after the
 * fork, scrape_drop() closes them all (without touching what they
 * hold: the master still serves). arg is unused. */
size_t	scrape_poll(void *arg, struct pollfd *pfd, size_t max);
void	scrape_ready(void *arg, const struct pollfd *pfd, size_t n);
void	scrape_drop(void *arg);

/* Closes the listen socket and every connection (the master, at its
 * end). */
void	scrape_close(void);

/*
 * The request in p[0..n): 0 when its header is not complete yet, else
 * the status to answer: 200 (GET or HEAD /metrics, *head set for
 * HEAD), 404, 405 or 400 (not HTTP; or SCRAPE_IN_MAX bytes without the
 * header's end). Pure; for the fuzz target too.
 */
int	scrape_parse(const char *p, size_t n, int *head);

#endif
