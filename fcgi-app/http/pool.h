/*
 * pool.h: the pre-forked FastCGI worker pool of souk-fcgi.
 *
 * One master process owns the listen socket for its whole life and does
 * nothing but process management: it forks `workers` workers, restarts
 * a worker that dies (backing off when they die on start), lets a worker
 * go after `max_requests` requests and forks its replacement, reloads on
 * SIGHUP (a new generation of workers; the old one is told to stop once
 * the new one is ready) and stops on SIGTERM or SIGINT (every worker
 * finishes the request in hand; then the master exits 0). Because the
 * listen socket never closes, connections that arrive while no worker
 * accepts wait in the kernel's backlog: reload and recycling lose no
 * request.
 *
 * The pool is a library: it knows nothing of the application it runs.
 * Each worker is single-threaded: app->init(), then accept, parse
 * (req_parse), app->serve(), finish, arena_reset, until told to stop;
 * then app->fini(). Stop signals are blocked while a request is in hand
 * and only let in while the worker waits for a connection (see pool.c
 * for why). souk-fcgi passes the web application (web/web.h);
 * bench/hello a handler that answers a fixed body.
 *
 * systemd: sd_notify READY=1 once the first generation is up,
 * RELOADING=1 / READY=1 around a reload, STOPPING=1 on stop.
 */
#ifndef SOUK_HTTP_POOL_H
#define SOUK_HTTP_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define POOL_MAX_WORKERS	1024

struct pollfd;
struct req;

/*
 * The application a worker runs. Ownership: the struct and arg belong
 * to the caller of pool_run() and must live until it returns; each
 * worker gets its own copy of *arg with fork(), so arg is the natural
 * home of a worker's long-lived state (a database handle, caches,
 * parsed templates): init fills it, fini releases it, and the master
 * never touches it.
 *
 * NEEDSWORK: a process without a listen socket (souk-worker, a job
 * queue) would want the same master (fork, restart with backoff,
 * reload, graceful stop) with its own loop in place of accept + serve;
 * that would be a run callback taken when listen_fd is -1. Nothing needs
 * it yet, so it is not built.
 */
struct pool_app {
	/*
	 * In each worker after the fork, before its first accept; NULL:
	 * nothing to do. 0, or -1 when the worker cannot run (say why in
	 * the log): it exits 1, and the master forks another with a
	 * growing delay. A dependency that may come back (the database)
	 * is better left to reconnect per request than failed here.
	 */
	int	(*init)(void *arg);
	/*
	 * Each request. r lives in the request's arena (r->arena), reset
	 * after serve returns; r->out is the worker's response buffer.
	 * parse_status is req_parse()'s result: 0, or the HTTP status of
	 * input that could not be parsed (answer with that error). serve
	 * must answer (resp_send, or FCGX_* on r->fcgx). Returns 0, or -1
	 * when the client went away (logged at debug level, no more).
	 */
	int	(*serve)(void *arg, struct req *r, int parse_status);
	/* Before a worker exits after a stop or max_requests; NULL:
	 * nothing. Not called when the worker dies of a signal. */
	void	(*fini)(void *arg);
	void	*arg;
	/*
	 * The master's own input, besides signals and its workers: when
	 * master_in is set, the master polls master_fd too and calls
	 * master_in when it is readable. It runs in the master's loop, so
	 * it must not block (read with MSG_DONTWAIT until EAGAIN). Workers
	 * close master_fd after the fork.
	 */
	int	 master_fd;
	void	(*master_in)(void *arg, int fd);
	/*
	 * More of the master's own input (souk-fcgi's metrics endpoint,
	 * http/scrape.h): before each poll() master_poll fills at most
	 * max (POOL_MASTER_FDS) entries of pfd (fd and events) and returns
	 * how many; after it, master_ready gets them back with their
	 * revents. Both run in the master's loop and must not block.
	 * master_drop runs in each worker right after the fork, to close
	 * what is the master's. NULL: none (master_ready and master_drop
	 * go with master_poll).
	 */
	size_t	(*master_poll)(void *arg, struct pollfd *pfd, size_t max);
	void	(*master_ready)(void *arg, const struct pollfd *pfd,
		    size_t n);
	void	(*master_drop)(void *arg);
	/*
	 * The program itself, for an upgrade: when exec_path is set (an
	 * absolute path, read at start, since /proc/self/exe names the
	 * old file once `make install` replaced it), SIGHUP makes the
	 * master execute exec_path with exec_argv in its own place: the
	 * same pid (systemd's MAINPID), the listen socket handed on in
	 * POOL_ENV_FD, the serving workers in POOL_ENV_OLD. The new
	 * program forks its workers and, once they are ready, tells the
	 * old ones to stop after their request, as a reload does: a new
	 * release's code, templates and catalogs serve without a refused
	 * connection. When the configuration does not load (reload
	 * returned -1) or the exec fails, the running program reloads by
	 * fork instead. NULL: reload forks the running program.
	 */
	const char	 *exec_path;
	char *const	 *exec_argv;
};

/* What a master executing itself hands on (see exec_path). */
#define POOL_ENV_FD	"SOUK_POOL_FD"
#define POOL_ENV_OLD	"SOUK_POOL_OLD"

#define POOL_MASTER_FDS	16

struct pool_conf {
	int	 workers;	/* config workers (4) */
	long	 max_requests;	/* config max_requests (10000); 0: never */
	size_t	 max_body;	/* config max_body (8 MiB) */
	int	 stop_timeout;	/* config stop_timeout (30 s): then SIGKILL */
	/*
	 * config log_requests (1): one info line per request after its
	 * answer, log_event() "request" with method, route (req.route),
	 * status, bytes (of the body) and us (microseconds from the
	 * accepted request to the answer handed to libfcgi, before
	 * libfcgi's linger), carrying the request id and the tenant the
	 * application set with log_set_request().
	 */
	int	 log_requests;
	/*
	 * Called by the master on SIGHUP before it forks the new workers,
	 * to re-read the configuration into *conf (NULL: nothing to
	 * re-read). The listen socket is not reopened. Returns 0, or -1
	 * when the file did not load and *conf is unchanged.
	 */
	int	(*reload)(struct pool_conf *conf);
};

/*
 * The pool_conf values from the loaded configuration (core/config.h:
 * workers, max_requests, max_body, stop_timeout, log_requests); fatal
 * when a value is out of range. reload is left NULL.
 */
void	pool_conf_load(struct pool_conf *conf);

/*
 * A listen socket handed over by the process that started us: the
 * master we replace (POOL_ENV_FD, see exec_path), systemd socket
 * activation (sd_listen_fds; exactly one socket), else fd 0 when it is
 * a listening socket (spawn-fcgi). Returns the fd, -1 when there
 * is none, or -2 with a message in err (systemd passed several).
 */
int	pool_inherited_fd(char *err, size_t errlen);

/*
 * Opens a listen socket for spec: "unix:/path" or a path containing
 * '/', else "host:port", ":port" (all addresses) or "[v6addr]:port".
 * A unix socket file left by a dead process is removed first (one a
 * live process answers on is an error); the new one gets mode (e.g.
 * 0660) and, when group is not NULL or empty, that group, so nginx can
 * connect. The backlog is SOMAXCONN. Returns the fd, or -1 with a
 * message in err.
 */
int	pool_listen(const char *spec, int mode, const char *group,
	    char *err, size_t errlen);

/*
 * Runs the master on listen_fd with conf->workers workers, each running
 * app, until SIGTERM or SIGINT. conf and app stay the caller's (see
 * struct pool_app). Returns 0 after a clean stop (every worker reaped),
 * or -1 when the master itself cannot run (signalfd, pipe). Never
 * returns in a worker: a worker exits 0 when told to stop or after
 * max_requests, 1 on errors.
 */
int	pool_run(int listen_fd, struct pool_conf *conf,
	    const struct pool_app *app);

/*
 * The crash-loop backoff: given the current delay and how long ago the
 * previous worker died on start, the delay before the next fork after
 * one more such death: 100 ms, doubled each time up to 5 s, and back to
 * 100 ms after 10 s without such deaths. Exported for the unit test.
 */
int64_t	pool_backoff_next(int64_t prev_ms, int64_t since_last_ms);

#endif
