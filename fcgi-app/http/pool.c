/*
 * pool.c: the pre-forked FastCGI worker pool (see pool.h).
 *
 * How a worker stops without losing a request. libfcgi's FCGX_Accept_r
 * is a poor place to be interrupted: OS_Accept() retries accept() on
 * EINTR (unless FCGI_FAIL_ACCEPT_ON_INTR), has a window between its
 * shutdownPending test and accept(), and once it holds a connection it
 * polls a unix socket for up to 2 s and reads the params with blocking
 * reads; an EINTR there closes the connection: a lost request. So:
 *
 *  - SIGTERM and SIGINT stay blocked in a worker, except inside one
 *    ppoll() on the listen socket, which unblocks them atomically. A
 *    stop signal therefore lands either while the worker is idle in
 *    ppoll (EINTR: it exits at once) or stays pending until the request
 *    in hand is finished (the worker then exits before the next accept).
 *    No window, no interrupted read or write, and MariaDB calls in
 *    handlers never see EINTR either. A ppoll() that finds the socket
 *    readable at once returns without delivering the signal, so the
 *    worker also asks sigpending() before each accept.
 *  - All idle workers wake when a connection arrives, but only one gets
 *    it: the others must not block in accept() with the stop signals
 *    blocked (an old worker would then linger until the next connection
 *    after a reload). The listen socket is therefore O_NONBLOCK: a
 *    worker that loses the race gets EAGAIN from FCGX_Accept_r (libfcgi
 *    hands any unexpected accept errno back) and returns to ppoll; it
 *    never spins, since it only accepts after ppoll said "readable".
 *    O_NONBLOCK is shared by every process holding the socket (systemd
 *    too), which is fine: nothing else accepts on it. Sockets returned
 *    by accept() on Linux do not inherit O_NONBLOCK, so libfcgi's
 *    blocking I/O on the connection is unchanged.
 *
 * The master blocks SIGCHLD, SIGHUP, SIGTERM and SIGINT and reads them
 * from a signalfd in one poll() loop together with a pipe on which each
 * worker writes its pid once the application's init is done ("ready"). It
 * keeps the listen socket open from start to exit, so connections queue
 * in the backlog while workers come and go.
 */
#include "core/common.h"

#include <fcgiapp.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/strbuf.h"
#include "http/pool.h"
#include "http/req.h"

#define POOL_FAST_DEATH_MS	1000	/* dying sooner counts as a crash loop */
#define POOL_BACKOFF_MIN_MS	100
#define POOL_BACKOFF_MAX_MS	5000
#define POOL_BACKOFF_RESET_MS	10000
#define POOL_OUT_KEEP		(4 * 1024 * 1024)	/* bigger: freed */

struct pool_worker {
	pid_t		 pid;
	unsigned	 gen;		/* generation: +1 per reload */
	int		 ready;		/* the app's init done */
	int		 told;		/* SIGTERM sent */
	int64_t		 started;	/* ms, monotonic */
	int		 slot;		/* its busy word (core/metrics.h) */
};

struct pool {
	struct pool_conf	*conf;
	const struct pool_app	*app;
	int			 lfd;	/* listen socket */
	int			 sfd;	/* signalfd */
	int			 rfd, wfd;	/* ready pipe */
	pid_t			 master;
	int			 slot;	/* in a worker: its busy word */
	struct pool_worker	*w;
	size_t			 nw, aw;
	unsigned		 gen;
	int			 gen_ready;	/* READY=1 sent for gen */
	int			 stopping;
	int			 killed;	/* SIGKILL sent at the deadline */
	int64_t			 stop_deadline;
	int64_t			 next_spawn;	/* no fork before this */
	int64_t			 backoff;	/* ms */
	int64_t			 last_fail;	/* ms, last death on start */
};

static volatile sig_atomic_t	pool_stop;

void
pool_conf_load(struct pool_conf *conf)
{
	conf->workers = (int)config_int("workers", 4, 1, POOL_MAX_WORKERS);
	conf->max_requests = (long)config_int("max_requests", 10000, 0,
	    INT32_MAX);
	conf->max_body = (size_t)config_int("max_body", 8 * 1024 * 1024,
	    1024, 1024 * 1024 * 1024);
	conf->stop_timeout = (int)config_int("stop_timeout", 30, 1, 3600);
	conf->log_requests = (int)config_int("log_requests", 1, 0, 1);
	conf->reload = NULL;
}

int64_t
pool_backoff_next(int64_t prev_ms, int64_t since_last_ms)
{
	if (prev_ms <= 0 || since_last_ms >= POOL_BACKOFF_RESET_MS)
		return POOL_BACKOFF_MIN_MS;
	if (prev_ms >= POOL_BACKOFF_MAX_MS / 2)
		return POOL_BACKOFF_MAX_MS;
	return prev_ms * 2;
}

/* --- listen socket -------------------------------------------------- */

int
pool_inherited_fd(char *err, size_t errlen)
{
	struct stat	 st;
	const char	*e = getenv(POOL_ENV_FD);
	int64_t		 fd;
	int		 n, v;
	socklen_t	 len = sizeof(v);

	/* From the master we replace (pool_app.exec_path); its workers
	 * serve on it meanwhile. */
	if (e != NULL) {
		if (str_to_i64c(e, 0, INT_MAX, &fd) == -1 ||
		    sd_is_socket((int)fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
			str_errf(err, errlen, "%s = '%s' is not a listening "
			    "socket", POOL_ENV_FD, e);
			return -2;
		}
		(void)unsetenv(POOL_ENV_FD);
		(void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
		return (int)fd;
	}
	n = sd_listen_fds(1);
	if (n > 1) {
		str_errf(err, errlen, "systemd passed %d sockets, want one", n);
		return -2;
	}
	if (n == 1) {
		if (sd_is_socket(SD_LISTEN_FDS_START, AF_UNSPEC, SOCK_STREAM,
		    1) <= 0) {
			str_errf(err, errlen, "systemd passed fd %d, which is "
			    "not a listening stream socket",
			    SD_LISTEN_FDS_START);
			return -2;
		}
		return SD_LISTEN_FDS_START;
	}
	/* spawn-fcgi and mod_fcgid put the listen socket on fd 0. */
	if (fstat(0, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v)
		return 0;
	return -1;
}

/* The path of a unix socket spec, or NULL for host:port. */
static const char *
pool_unix_path(const char *spec)
{
	if (strncmp(spec, "unix:", 5) == 0)
		return spec + 5;
	if (strchr(spec, '/') != NULL)
		return spec;
	return NULL;
}

/*
 * Removes a socket file no process answers on any more; refuses to
 * touch anything else.
 */
static int
pool_unlink_stale(const char *path, const struct sockaddr_un *sun,
    char *err, size_t errlen)
{
	struct stat	st;
	int		fd, rc;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		str_errf(err, errlen, "cannot stat '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		str_errf(err, errlen, "'%s' exists and is not a socket", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		str_errf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0) {
		str_errf(err, errlen, "'%s' is in use by a running process",
		    path);
		return -1;
	}
	if (errno != ECONNREFUSED) {
		str_errf(err, errlen, "cannot probe '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	if (unlink(path) == -1) {
		str_errf(err, errlen, "cannot remove stale '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
pool_listen_unix(const char *path, int mode, const char *group,
    char *err, size_t errlen)
{
	struct sockaddr_un	 sun;
	struct group		*gr = NULL;
	mode_t			 old;
	int			 fd = -1, rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (*path == '\0' || strlen(path) >= sizeof(sun.sun_path)) {
		str_errf(err, errlen, "bad unix socket path '%s'", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (group != NULL && *group != '\0' && (gr = getgrnam(group)) == NULL) {
		str_errf(err, errlen, "unknown group '%s'", group);
		return -1;
	}
	if (pool_unlink_stale(path, &sun, err, errlen) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
		str_errf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	/* Nobody may connect before the mode and group are right. */
	old = umask(0177);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc == -1) {
		str_errf(err, errlen, "cannot bind '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	if (gr != NULL && chown(path, (uid_t)-1, gr->gr_gid) == -1) {
		str_errf(err, errlen, "cannot chgrp '%s' to '%s': %s", path,
		    group, strerror(errno));
		goto fail_unlink;
	}
	if (chmod(path, (mode_t)mode) == -1) {
		str_errf(err, errlen, "cannot chmod '%s': %s", path,
		    strerror(errno));
		goto fail_unlink;
	}
	if (listen(fd, SOMAXCONN) == -1) {
		str_errf(err, errlen, "cannot listen on '%s': %s", path,
		    strerror(errno));
		goto fail_unlink;
	}
	return fd;
fail_unlink:
	unlink(path);
fail:
	close(fd);
	return -1;
}

static int
pool_listen_inet(const char *spec, char *err, size_t errlen)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 host[256], port[8];
	const char	*colon, *h = spec;
	size_t		 hlen;
	int64_t		 pnum;
	int		 fd = -1, on = 1, rc;

	if ((colon = strrchr(spec, ':')) == NULL)
		goto bad;
	hlen = (size_t)(colon - spec);
	if (hlen >= 2 && spec[0] == '[' && spec[hlen - 1] == ']') {
		h = spec + 1;
		hlen -= 2;
	} else if (memchr(spec, ':', hlen) != NULL)
		goto bad;	/* a bare v6 address: ambiguous */
	if (hlen >= sizeof(host) ||
	    str_to_i64c(colon + 1, 0, 65535, &pnum) == -1)
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	rc = snprintf(port, sizeof(port), "%d", (int)pnum);
	if (rc < 0 || (size_t)rc >= sizeof(port))
		goto bad;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(hlen ? host : NULL, port, &hints, &res)) != 0) {
		str_errf(err, errlen, "cannot resolve '%s': %s", spec,
		    gai_strerror(rc));
		return -1;
	}
	str_errf(err, errlen, "no address for '%s'", spec);
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, SOMAXCONN) == 0)
			break;
		str_errf(err, errlen, "cannot listen on '%s': %s", spec,
		    strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
bad:
	str_errf(err, errlen, "bad listen address '%s': want unix:/path, "
	    "/path, host:port, :port or [v6]:port", spec);
	return -1;
}

int
pool_listen(const char *spec, int mode, const char *group, char *err,
    size_t errlen)
{
	const char *path;

	if ((path = pool_unix_path(spec)) != NULL)
		return pool_listen_unix(path, mode, group, err, errlen);
	return pool_listen_inet(spec, err, errlen);
}

/* --- worker --------------------------------------------------------- */

static void
pool_on_stop(int sig)
{
	pool_stop = 1;
}

/*
 * Whether a stop signal waits, blocked. Needed because ppoll() that
 * finds the socket readable at once returns without delivering the
 * signals it unblocked: under steady load a worker would never see
 * SIGTERM in ppoll alone.
 */
static int
pool_stop_pending(void)
{
	sigset_t pend;

	if (pool_stop)
		return 1;
	if (sigpending(&pend) == -1)
		return 0;
	return sigismember(&pend, SIGTERM) == 1 ||
	    sigismember(&pend, SIGINT) == 1;
}

/* The request's line (pool_conf.log_requests): fields on the stack,
 * one write (log_event), no allocation. */
static void
pool_log_request(const struct req *r, int gone, int64_t us)
{
	struct log_field f[] = {
		{ "method", req_method_name(r), 0 },
		{ "route", r->route != NULL ? r->route : "-", 0 },
		{ "status", NULL, gone ? 499 : r->status },
		{ "bytes", NULL, (int64_t)r->bytes },
		{ "us", NULL, us },
	};

	log_event(LOG_LVL_INFO, "request", f, NELEM(f));
}

static void
pool_serve(const struct pool_app *app, const struct pool_conf *conf,
    FCGX_Request *fx, struct arena *a, struct strbuf *out)
{
	struct req	r;
	int64_t		t0 = conf->log_requests ? clock_us() : 0;
	int		st, gone;

	memset(&r, 0, sizeof(r));
	strbuf_reset(out);
	r.out = out;
	st = req_parse(&r, fx, a, out, conf->max_body);
	log_set_request(r.rid, 0);
	if ((gone = app->serve(app->arg, &r, st) == -1))
		log_debug("client went away before the response was sent");
	if (conf->log_requests)
		pool_log_request(&r, gone, clock_us() - t0);
	FCGX_Finish_r(fx);
	log_set_request(NULL, 0);
	arena_reset(a);
	/* One huge page must not pin its buffer for the worker's life. */
	if (out->alloc > POOL_OUT_KEEP) {
		strbuf_release(out);
		strbuf_init(out, 0);
	}
}

static void __attribute__((noreturn))
pool_worker(struct pool *p)
{
	struct sigaction	 sa;
	sigset_t		 waitmask, unblock;
	FCGX_Request		 fx;
	struct arena		 arena;
	struct strbuf		 out;
	struct pollfd		 pfd;
	pid_t			 me = getpid();
	long			 served = 0;
	int			 rc;

	close(p->sfd);
	close(p->rfd);
	if (p->app->master_in != NULL)
		close(p->app->master_fd);
	if (p->app->master_drop != NULL)
		p->app->master_drop(p->app->arg);

	/* The mask from the master still blocks the four signals. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pool_on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;	/* reload is the master's business */
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);	/* libfcgi installs its own */
	sigemptyset(&unblock);
	sigaddset(&unblock, SIGHUP);
	sigaddset(&unblock, SIGCHLD);
	sigprocmask(SIG_UNBLOCK, &unblock, NULL);
	sigprocmask(SIG_BLOCK, NULL, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);

	/* A worker must not outlive its master (kill -9 of the master). */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != p->master)
		_exit(0);

	if (p->app->init != NULL && p->app->init(p->app->arg) == -1) {
		/* The master counts a death within 1 s as a crash loop and
		 * backs off: a database that is down is not hammered. */
		log_err("worker %ld: the application cannot start", (long)me);
		exit(1);
	}
	if (write(p->wfd, &me, sizeof(me)) != (ssize_t)sizeof(me))
		log_warn("worker %ld: cannot report ready: %s", (long)me,
		    strerror(errno));
	close(p->wfd);

	if (FCGX_Init() != 0)
		fatal("worker %ld: FCGX_Init failed", (long)me);
	if (FCGX_InitRequest(&fx, p->lfd, 0) != 0)
		fatal("worker %ld: FCGX_InitRequest failed", (long)me);
	arena_init(&arena);
	strbuf_init(&out, 0);

	pfd.fd = p->lfd;
	pfd.events = POLLIN;
	while (!pool_stop_pending()) {
		rc = ppoll(&pfd, 1, NULL, &waitmask);
		if (rc == -1 && errno != EINTR)
			fatal("worker %ld: poll: %s", (long)me,
			    strerror(errno));
		if (pool_stop_pending())
			break;
		if (rc <= 0)
			continue;
		if ((rc = FCGX_Accept_r(&fx)) < 0) {
			if (rc == -EAGAIN || rc == -EWOULDBLOCK ||
			    rc == -EINTR)
				continue;	/* another worker won it */
			/* EMFILE and the like: a fresh process may fare
			 * better, and the master will make one. */
			log_err("worker %ld: accept failed: %s", (long)me,
			    strerror(-rc));
			exit(1);
		}
		metrics_busy(p->slot, 1);
		pool_serve(p->app, p->conf, &fx, &arena, &out);
		metrics_busy(p->slot, 0);
		if (p->conf->max_requests > 0 &&
		    ++served >= p->conf->max_requests)
			break;
	}
	FCGX_Free(&fx, 1);
	if (p->app->fini != NULL)
		p->app->fini(p->app->arg);
	arena_free(&arena);
	strbuf_release(&out);
	exit(0);
}

/* --- master --------------------------------------------------------- */

/* The lowest busy word no live worker has (-1: none; that worker's
 * requests are then not seen as busy). */
static int
pool_free_slot(const struct pool *p)
{
	int	slot;
	size_t	i;

	for (slot = 0; slot < METRICS_SLOTS; slot++) {
		for (i = 0; i < p->nw; i++)
			if (p->w[i].slot == slot)
				break;
		if (i == p->nw)
			return slot;
	}
	return -1;
}

static void
pool_spawn(struct pool *p, int64_t now)
{
	struct pool_worker	*w;
	pid_t			 pid;

	p->slot = pool_free_slot(p);
	fflush(NULL);
	if ((pid = fork()) == -1) {
		log_err("cannot fork a worker: %s", strerror(errno));
		p->backoff = pool_backoff_next(p->backoff, now - p->last_fail);
		p->last_fail = now;
		p->next_spawn = now + p->backoff;
		return;
	}
	if (pid == 0)
		pool_worker(p);
	if (p->nw == p->aw) {
		p->aw = p->aw ? p->aw * 2 : 16;
		p->w = xrealloc(p->w, xmul(p->aw, sizeof(*p->w)));
	}
	w = &p->w[p->nw++];
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	w->gen = p->gen;
	w->started = now;
	w->slot = p->slot;
	metrics_add(METRICS_WORKER_FORKS, 1);
	metrics_set(METRICS_WORKERS, p->nw);
	log_info("worker %ld started (generation %u)", (long)pid, p->gen);
}

static size_t
pool_count(const struct pool *p, unsigned gen, int ready)
{
	size_t i, n = 0;

	for (i = 0; i < p->nw; i++)
		if (p->w[i].gen == gen && (!ready || p->w[i].ready))
			n++;
	return n;
}

static void
pool_spawn_missing(struct pool *p)
{
	int64_t now = clock_ms();

	while (!p->stopping && now >= p->next_spawn &&
	    pool_count(p, p->gen, 0) < (size_t)p->conf->workers)
		pool_spawn(p, now);
}

static void
pool_tell(struct pool *p, struct pool_worker *w, int sig)
{
	if (kill(w->pid, sig) == -1 && errno != ESRCH)
		log_warn("cannot signal worker %ld: %s", (long)w->pid,
		    strerror(errno));
	w->told = 1;
}

/* Logs the end of a worker and decides about backoff. */
static void
pool_reaped(struct pool *p, struct pool_worker *w, int status, int64_t now)
{
	int64_t	 up = now - w->started;
	int	 bad;

	bad = !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	/* Killed in a request, it could not say it was done. */
	metrics_busy(w->slot, 0);
	if (bad)
		metrics_add(METRICS_WORKER_DEATHS, 1);
	if (WIFSIGNALED(status))
		log_warn("worker %ld killed by signal %d (%s) after %lld ms",
		    (long)w->pid, WTERMSIG(status),
		    strsignal(WTERMSIG(status)), (long long)up);
	else if (bad)
		log_warn("worker %ld exited with status %d after %lld ms",
		    (long)w->pid, WEXITSTATUS(status), (long long)up);
	else
		log_info("worker %ld exited (%s)", (long)w->pid,
		    w->told ? "told to stop" : "recycled");
	if (!bad || up >= POOL_FAST_DEATH_MS || w->gen != p->gen ||
	    p->stopping || now < p->next_spawn)
		return;
	p->backoff = pool_backoff_next(p->backoff, now - p->last_fail);
	p->last_fail = now;
	p->next_spawn = now + p->backoff;
	log_warn("workers die within 1 s of their start: next fork in %lld ms",
	    (long long)p->backoff);
}

static void
pool_reap(struct pool *p)
{
	int64_t	now = clock_ms();
	pid_t	pid;
	size_t	i;
	int	status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < p->nw; i++)
			if (p->w[i].pid == pid)
				break;
		if (i == p->nw)
			continue;	/* not ours (cannot happen) */
		pool_reaped(p, &p->w[i], status, now);
		p->w[i] = p->w[--p->nw];
		metrics_set(METRICS_WORKERS, p->nw);
	}
}

static void
pool_read_ready(struct pool *p)
{
	pid_t	buf[64];
	ssize_t	n, k;
	size_t	i;

	while ((n = read(p->rfd, buf, sizeof(buf))) > 0)
		for (k = 0; k < n / (ssize_t)sizeof(pid_t); k++)
			for (i = 0; i < p->nw; i++)
				if (p->w[i].pid == buf[k])
					p->w[i].ready = 1;
}

/*
 * Once the whole current generation is ready, the older ones are told
 * to stop and systemd hears READY=1: an old generation keeps serving
 * until its successor can, so a reload whose workers cannot start
 * (database down, bad theme) costs no availability.
 */
static void
pool_check_generation(struct pool *p)
{
	size_t i, n;

	if (p->gen_ready || p->stopping ||
	    (n = pool_count(p, p->gen, 1)) < (size_t)p->conf->workers)
		return;
	for (i = 0; i < p->nw; i++)
		if (p->w[i].gen != p->gen && !p->w[i].told)
			pool_tell(p, &p->w[i], SIGTERM);
	p->gen_ready = 1;
	log_info("%zu workers ready (generation %u)", n, p->gen);
	sd_notifyf(0, "READY=1\nSTATUS=%zu workers (generation %u)\n"
	    "MAINPID=%ld", n, p->gen, (long)p->master);
}

/*
 * Executes the program in the master's place (pool_app.exec_path): the
 * listen socket stays open across the exec, and the new program adopts
 * the workers (its children still: the pid does not change). Returns
 * only when the exec failed, with everything as it was.
 */
static void
pool_exec(struct pool *p)
{
	struct strbuf	old;
	char		fd[16];
	size_t		i;
	int		n;

	strbuf_init(&old, 0);
	for (i = 0; i < p->nw; i++)
		if (!p->w[i].told)
			strbuf_addf(&old, "%s%ld", old.len ? "," : "",
			    (long)p->w[i].pid);
	n = snprintf(fd, sizeof(fd), "%d", p->lfd);
	if (n < 0 || (size_t)n >= sizeof(fd) ||
	    setenv(POOL_ENV_FD, fd, 1) == -1 ||
	    setenv(POOL_ENV_OLD, old.buf, 1) == -1 ||
	    fcntl(p->lfd, F_SETFD, 0) == -1) {
		log_err("reload: cannot hand on the socket: %s",
		    strerror(errno));
		goto fail;
	}
	log_info("reloading: executing '%s' (workers %s keep serving)",
	    p->app->exec_path, old.len ? old.buf : "none");
	fflush(NULL);
	execv(p->app->exec_path, p->app->exec_argv);
	log_err("reload: cannot execute '%s': %s; forking the running "
	    "program instead", p->app->exec_path, strerror(errno));
	(void)fcntl(p->lfd, F_SETFD, FD_CLOEXEC);
fail:
	(void)unsetenv(POOL_ENV_FD);
	(void)unsetenv(POOL_ENV_OLD);
	strbuf_release(&old);
}

/* The workers a master we replace left serving (POOL_ENV_OLD): an old
 * generation, told to stop once ours is ready. */
static void
pool_adopt(struct pool *p)
{
	const char	*e = getenv(POOL_ENV_OLD), *s;
	int64_t		 now = clock_ms();
	char		*end;
	long		 pid;

	if (e == NULL)
		return;
	for (s = e; *s != '\0'; s = *end == ',' ? end + 1 : end) {
		errno = 0;
		pid = strtol(s, &end, 10);
		if (end == s || errno != 0 || pid <= 0 || kill((pid_t)pid,
		    0) == -1) {
			if (end == s)
				break;
			continue;
		}
		if (p->nw == p->aw) {
			p->aw = p->aw ? p->aw * 2 : 16;
			p->w = xrealloc(p->w, xmul(p->aw, sizeof(*p->w)));
		}
		memset(&p->w[p->nw], 0, sizeof(p->w[p->nw]));
		p->w[p->nw].pid = (pid_t)pid;
		p->w[p->nw].gen = p->gen - 1;
		p->w[p->nw].ready = 1;
		p->w[p->nw].started = now;
		p->nw++;
	}
	(void)unsetenv(POOL_ENV_OLD);
	if (p->nw > 0)
		log_info("%zu workers of the program before serve until ours "
		    "are ready", p->nw);
}

static void
pool_reload(struct pool *p)
{
	int conf_ok = 0;

	if (p->stopping)
		return;
	/* systemd wants CLOCK_MONOTONIC, which is what clock_us() reads. */
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)clock_us());
	if (p->conf->reload != NULL)
		conf_ok = p->conf->reload(p->conf);
	/* A file that does not load would stop the new program at its
	 * start: then only the workers are replaced. */
	if (p->app->exec_path != NULL && conf_ok == 0)
		pool_exec(p);
	p->gen++;
	p->gen_ready = 0;
	/* A crash loop of the old configuration says nothing of the new. */
	p->next_spawn = 0;
	p->backoff = 0;
	log_info("reloading: forking generation %u (%d workers)", p->gen,
	    p->conf->workers);
}

static void
pool_begin_stop(struct pool *p, int sig)
{
	size_t i;

	if (p->stopping) {
		log_info("already stopping; %zu workers left", p->nw);
		return;
	}
	p->stopping = 1;
	p->stop_deadline = clock_ms() + (int64_t)p->conf->stop_timeout * 1000;
	sd_notify(0, "STOPPING=1");
	log_info("%s: stopping %zu workers", strsignal(sig), p->nw);
	for (i = 0; i < p->nw; i++)
		pool_tell(p, &p->w[i], SIGTERM);
}

static void
pool_read_signals(struct pool *p)
{
	struct signalfd_siginfo si;

	while (read(p->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			pool_reap(p);
			break;
		case SIGHUP:
			pool_reload(p);
			break;
		case SIGTERM:
		case SIGINT:
			pool_begin_stop(p, (int)si.ssi_signo);
			break;
		}
	}
}

/* The poll() timeout in ms: the next fork or the stop deadline. */
static int
pool_timeout(const struct pool *p)
{
	int64_t now = clock_ms(), t = -1;

	if (p->stopping)
		t = p->killed ? 1000 : p->stop_deadline - now;
	else if (pool_count(p, p->gen, 0) < (size_t)p->conf->workers)
		t = p->next_spawn - now;
	if (t < 0 && (p->stopping ||
	    pool_count(p, p->gen, 0) < (size_t)p->conf->workers))
		t = 0;
	return t > INT_MAX ? INT_MAX : (int)t;
}

int
pool_run(int lfd, struct pool_conf *conf, const struct pool_app *app)
{
	struct pool	 p;
	struct pollfd	 pfd[3 + POOL_MASTER_FDS];
	sigset_t	 set;
	int		 fl, pipefd[2];
	size_t		 i, nextra;

	memset(&p, 0, sizeof(p));
	p.conf = conf;
	p.app = app;
	p.lfd = lfd;
	p.master = getpid();
	p.gen = 1;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1 ||
	    (p.sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		log_err("signalfd: %s", strerror(errno));
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) == -1) {
		log_err("pipe: %s", strerror(errno));
		close(p.sfd);
		return -1;
	}
	p.rfd = pipefd[0];
	p.wfd = pipefd[1];
	/* See the top of the file for why the shared socket is O_NONBLOCK. */
	if ((fl = fcntl(lfd, F_GETFL)) == -1 ||
	    fcntl(lfd, F_SETFL, fl | O_NONBLOCK) == -1) {
		log_err("cannot make the listen socket non-blocking: %s",
		    strerror(errno));
		goto fail;
	}
	log_info("master %ld: %d workers, max_requests %ld", (long)p.master,
	    conf->workers, conf->max_requests);

	/* A master that died left its workers' words set. */
	metrics_busy_reset();
	metrics_set(METRICS_WORKERS, 0);
	pool_adopt(&p);
	pool_spawn_missing(&p);
	while (!p.stopping || p.nw > 0) {
		pfd[0].fd = p.sfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = p.rfd;
		pfd[1].events = POLLIN;
		pfd[2].fd = app->master_in != NULL ? app->master_fd : -1;
		pfd[2].events = POLLIN;
		pfd[2].revents = 0;
		nextra = app->master_poll != NULL ? app->master_poll(app->arg,
		    pfd + 3, POOL_MASTER_FDS) : 0;
		for (i = 0; i < nextra; i++)
			pfd[3 + i].revents = 0;
		if (poll(pfd, 3 + nextra, pool_timeout(&p)) == -1 &&
		    errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			goto fail;
		}
		if (pfd[2].revents & POLLIN)
			app->master_in(app->arg, app->master_fd);
		if (nextra > 0)
			app->master_ready(app->arg, pfd + 3, nextra);
		pool_read_signals(&p);
		pool_read_ready(&p);
		pool_check_generation(&p);
		pool_spawn_missing(&p);
		if (p.stopping && !p.killed && p.nw > 0 &&
		    clock_ms() >= p.stop_deadline) {
			log_warn("%zu workers still busy after %d s: killing",
			    p.nw, conf->stop_timeout);
			for (i = 0; i < p.nw; i++)
				kill(p.w[i].pid, SIGKILL);
			p.killed = 1;
		}
	}
	log_info("master %ld: all workers gone, exiting", (long)p.master);
	close(p.sfd);
	close(p.rfd);
	close(p.wfd);
	free(p.w);
	return 0;
fail:
	for (i = 0; i < p.nw; i++)
		kill(p.w[i].pid, SIGTERM);
	close(p.sfd);
	close(p.rfd);
	close(p.wfd);
	free(p.w);
	return -1;
}
