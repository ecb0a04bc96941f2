/* scrape.c: the metrics endpoint in the pool master's loop
 * (scrape.h). */
#include "core/common.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/strbuf.h"
#include "http/pool.h"
#include "http/scrape.h"

struct scrape_conn {
	int		 fd;		/* -1: free */
	int64_t		 since;		/* ms, monotonic */
	size_t		 len;		/* of in */
	int		 writing;
	struct strbuf	 out;
	size_t		 off;		/* of out, written */
	char		 in[SCRAPE_IN_MAX];
};

static int			lfd = -1;
static struct scrape_conn	conns[SCRAPE_CONNS];
static int			inited;

static void
conns_init(void)
{
	size_t i;

	if (inited)
		return;
	for (i = 0; i < SCRAPE_CONNS; i++) {
		conns[i].fd = -1;
		strbuf_init(&conns[i].out, 0);
	}
	inited = 1;
}

int
scrape_open(const char *spec, char *err, size_t errlen)
{
	int fl;

	conns_init();
	if (strncmp(spec, "unix:", 5) == 0 || strchr(spec, '/') != NULL) {
		str_errf(err, errlen, "metrics_listen '%s': want host:port "
		    "(Prometheus scrapes TCP)", spec);
		return -1;
	}
	if ((lfd = pool_listen(spec, 0, NULL, err, errlen)) == -1)
		return -1;
	if ((fl = fcntl(lfd, F_GETFL)) == -1 ||
	    fcntl(lfd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(lfd, F_SETFD, FD_CLOEXEC) == -1) {
		str_errf(err, errlen, "metrics_listen '%s': %s", spec,
		    strerror(errno));
		close(lfd);
		lfd = -1;
		return -1;
	}
	return 0;
}

static void
conn_close(struct scrape_conn *c)
{
	if (c->fd == -1)
		return;
	close(c->fd);
	c->fd = -1;
	c->len = 0;
	c->off = 0;
	c->writing = 0;
	strbuf_reset(&c->out);
}

void
scrape_close(void)
{
	size_t i;

	for (i = 0; i < SCRAPE_CONNS && inited; i++) {
		conn_close(&conns[i]);
		strbuf_release(&conns[i].out);
	}
	inited = 0;
	if (lfd != -1)
		close(lfd);
	lfd = -1;
}

void
scrape_drop(void *arg)
{
	size_t i;

	(void)arg;
	/* The worker's copies only: the buffers' memory is the worker's
	 * copy too, and never used again. */
	for (i = 0; i < SCRAPE_CONNS && inited; i++)
		if (conns[i].fd != -1)
			close(conns[i].fd);
	if (lfd != -1)
		close(lfd);
}

/* The answer to the request in c->in, into c->out. */
static void
respond(struct scrape_conn *c, int status, int head)
{
	struct strbuf	 body = STRBUF_INIT;
	const char	*reason = "OK", *type = "text/plain; charset=utf-8";

	switch (status) {
	case 200:
		metrics_format(&body);
		type = "text/plain; version=0.0.4; charset=utf-8";
		break;
	case 404:
		reason = "Not Found";
		strbuf_addstr(&body, "not found: the metrics are at /metrics\n");
		break;
	case 405:
		reason = "Method Not Allowed";
		strbuf_addstr(&body, "method not allowed\n");
		break;
	default:
		status = 400;
		reason = "Bad Request";
		strbuf_addstr(&body, "bad request\n");
	}
	strbuf_reset(&c->out);
	strbuf_addf(&c->out, "HTTP/1.0 %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nCache-Control: no-store\r\n"
	    "Connection: close\r\n\r\n", status, reason, type, body.len);
	if (!head)
		strbuf_add(&c->out, body.buf, body.len);
	strbuf_release(&body);
	c->off = 0;
	c->writing = 1;
}

static void	conn_write(struct scrape_conn *);

static void
conn_read(struct scrape_conn *c)
{
	ssize_t	n;
	int	head, st;

	for (;;) {
		n = recv(c->fd, c->in + c->len, sizeof(c->in) - c->len,
		    MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {		/* gone before it asked */
			conn_close(c);
			return;
		}
		c->len += (size_t)n;
		if ((st = scrape_parse(c->in, c->len, &head)) != 0) {
			respond(c, st, head);
			conn_write(c);
			return;
		}
	}
}

static void
conn_write(struct scrape_conn *c)
{
	ssize_t n;

	while (c->off < c->out.len) {
		n = send(c->fd, c->out.buf + c->off, c->out.len - c->off,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			conn_close(c);
			return;
		}
		c->off += (size_t)n;
	}
	(void)shutdown(c->fd, SHUT_WR);
	conn_close(c);
}

static void
accept_all(void)
{
	struct scrape_conn	*c, *oldest;
	size_t			 i;
	int			 fd, k;

	/* A bounded drain: the master has its workers to see to. */
	for (k = 0; k < 32; k++) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				log_warn("metrics: accept: %s",
				    strerror(errno));
			return;
		}
		c = oldest = NULL;
		for (i = 0; i < SCRAPE_CONNS; i++) {
			if (conns[i].fd == -1) {
				c = &conns[i];
				break;
			}
			if (oldest == NULL || conns[i].since < oldest->since)
				oldest = &conns[i];
		}
		if (c == NULL) {
			conn_close(oldest);
			c = oldest;
		}
		c->fd = fd;
		c->since = clock_ms();
	}
}

size_t
scrape_poll(void *arg, struct pollfd *pfd, size_t max)
{
	int64_t	now = clock_ms();
	size_t	i, n = 0;

	(void)arg;
	if (lfd == -1)
		return 0;
	pfd[n].fd = lfd;
	pfd[n++].events = POLLIN;
	for (i = 0; i < SCRAPE_CONNS && n < max; i++) {
		struct scrape_conn *c = &conns[i];

		if (c->fd == -1)
			continue;
		if (now - c->since >= SCRAPE_IDLE_MS) {
			conn_close(c);
			continue;
		}
		pfd[n].fd = c->fd;
		pfd[n++].events = c->writing ? POLLOUT : POLLIN;
	}
	return n;
}

void
scrape_ready(void *arg, const struct pollfd *pfd, size_t n)
{
	size_t i, k;

	(void)arg;
	for (k = 0; k < n; k++) {
		if (pfd[k].revents == 0)
			continue;
		if (pfd[k].fd == lfd) {
			accept_all();
			continue;
		}
		for (i = 0; i < SCRAPE_CONNS; i++) {
			struct scrape_conn *c = &conns[i];

			if (c->fd != pfd[k].fd)
				continue;
			if (c->writing)
				conn_write(c);
			else
				conn_read(c);
			break;
		}
	}
}
