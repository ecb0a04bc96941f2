/*
 * Unit test of http/pool.c: backoff, listen specs, socket inheritance,
 * and one real pool (master + workers on a unix socket) driven by a tiny
 * FastCGI client: recycling after max_requests, replacement of a killed
 * worker, SIGHUP and SIGTERM. The pool runs the test's own application
 * (struct pool_app below): it knows nothing of web/.
 *
 * Every wait for the pool (a worker gone, a new one answering) polls
 * with test_wait_until(): under load a reload takes as long as it takes.
 */
#include "http/pool.c"

#include <sys/socket.h>

#include "test.h"

/* --- the application the pool runs ---------------------------------- */

static int	test_inits;	/* in a worker: test_init() ran */

static int
test_init(void *arg)
{
	int *inits = arg;

	(*inits)++;
	return 0;
}

static int
test_serve(void *arg, struct req *r, int parse_status)
{
	FCGX_Request	*fx = r->fcgx;
	int		*inits = arg;
	struct timespec	 ms = { 0, 1000000 };

	/* Slow enough that the hammer below keeps the backlog full. */
	nanosleep(&ms, NULL);
	/* The body is the worker's pid (the test tells workers apart),
	 * or 0 when init did not run once before serve in this worker. */
	FCGX_FPrintF(fx->out, "Status: 200\r\nContent-Type: text/plain\r\n"
	    "\r\n%ld", *inits == 1 ? (long)getpid() : 0L);
	return 0;
}

static void
test_fini(void *arg)
{
}

static const struct pool_app test_app = {
	test_init, test_serve, test_fini, &test_inits, -1, NULL, NULL, NULL, NULL,
	NULL, NULL
};

/* --- a minimal FastCGI client --------------------------------------- */

static void
fcgi_rec(struct strbuf *sb, int type, const void *p, size_t n)
{
	unsigned char h[8] = { 1, (unsigned char)type, 0, 1,
	    (unsigned char)(n >> 8), (unsigned char)n, 0, 0 };

	strbuf_add(sb, h, sizeof(h));
	strbuf_add(sb, p, n);
}

/* One request to the socket at path; the worker pid it answered from,
 * or -1. */
static long
fcgi_get(const char *path)
{
	static const unsigned char begin[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	struct sockaddr_un	 sun;
	struct strbuf		 sb = STRBUF_INIT, body = STRBUF_INIT;
	unsigned char		 h[8], buf[65536 + 256];
	size_t			 n, got;
	ssize_t			 k;
	long			 pid = -1;
	char			*p;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		goto out;
	fcgi_rec(&sb, 1, begin, sizeof(begin));
	fcgi_rec(&sb, 4, "", 0);
	fcgi_rec(&sb, 5, "", 0);
	if (write(fd, sb.buf, sb.len) != (ssize_t)sb.len)
		goto out;
	for (;;) {
		for (got = 0; got < sizeof(h); got += (size_t)k)
			if ((k = read(fd, h + got, sizeof(h) - got)) <= 0)
				goto out;
		n = ((size_t)h[4] << 8 | h[5]) + h[6];
		for (got = 0; got < n; got += (size_t)k)
			if ((k = read(fd, buf + got, n - got)) <= 0)
				goto out;
		if (h[1] == 6)
			strbuf_add(&body, buf, n - h[6]);
		else if (h[1] == 3)
			break;
	}
	if ((p = strstr(body.buf, "\r\n\r\n")) != NULL)
		pid = strtol(p + 4, NULL, 10);
out:
	close(fd);
	strbuf_release(&sb);
	strbuf_release(&body);
	return pid;
}

/* --- pure parts ------------------------------------------------------ */

static void
test_backoff(void)
{
	TEST_CHECK(pool_backoff_next(0, 0) == 100);
	TEST_CHECK(pool_backoff_next(100, 50) == 200);
	TEST_CHECK(pool_backoff_next(1600, 500) == 3200);
	TEST_CHECK(pool_backoff_next(3200, 500) == 5000);
	TEST_CHECK(pool_backoff_next(5000, 500) == 5000);
	TEST_CHECK(pool_backoff_next(5000, 10000) == 100);
}

static void
test_unix_path(void)
{
	TEST_STREQ(pool_unix_path("unix:/run/s.sock"), "/run/s.sock");
	TEST_STREQ(pool_unix_path("var/s.sock"), "var/s.sock");
	TEST_CHECK(pool_unix_path("127.0.0.1:9000") == NULL);
	TEST_CHECK(pool_unix_path(":9000") == NULL);
}

static void
test_listen(const char *dir)
{
	struct sockaddr_un	sun;
	struct sockaddr_in	sin;
	struct stat		st;
	socklen_t		len = sizeof(sin);
	char			path[256], spec[300], err[256];
	int			fd, fd2, s;

	snprintf(path, sizeof(path), "%s/a.sock", dir);
	snprintf(spec, sizeof(spec), "unix:%s", path);
	fd = pool_listen(spec, 0640, NULL, err, sizeof(err));
	TEST_CHECK(fd >= 0);
	TEST_CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    (st.st_mode & 0777) == 0640);
	/* A live socket is not stale. */
	TEST_CHECK(pool_listen(path, 0660, NULL, err, sizeof(err)) == -1);
	TEST_CHECK(strstr(err, "in use") != NULL);
	close(fd);
	/* Now nobody listens: the file is stale and replaced. */
	fd = pool_listen(path, 0600, NULL, err, sizeof(err));
	TEST_CHECK(fd >= 0);
	TEST_CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	close(fd);

	/* A stale socket someone else left (bound, never listened). */
	snprintf(path, sizeof(path), "%s/b.sock", dir);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	TEST_CHECK(bind(s, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	close(s);
	TEST_CHECK((fd = pool_listen(path, 0660, NULL, err, sizeof(err))) >= 0);
	close(fd);

	/* Not a socket: never removed. */
	snprintf(path, sizeof(path), "%s/plain", dir);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	TEST_CHECK(pool_listen(path, 0660, NULL, err, sizeof(err)) == -1);
	TEST_CHECK(strstr(err, "not a socket") != NULL);
	TEST_CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode));

	TEST_CHECK(pool_listen(path, 0660, "no-such-group-souk", err,
	    sizeof(err)) == -1);

	TEST_CHECK(pool_listen("nothere", 0660, NULL, err, sizeof(err)) == -1);
	TEST_CHECK(pool_listen("::1:80", 0660, NULL, err, sizeof(err)) == -1);
	TEST_CHECK(pool_listen("127.0.0.1:65536", 0660, NULL, err,
	    sizeof(err)) == -1);
	TEST_CHECK(pool_listen("127.0.0.1:x", 0660, NULL, err,
	    sizeof(err)) == -1);

	fd = pool_listen("127.0.0.1:0", 0, NULL, err, sizeof(err));
	TEST_CHECK(fd >= 0);
	TEST_CHECK(getsockname(fd, (struct sockaddr *)&sin, &len) == 0 &&
	    sin.sin_family == AF_INET && ntohs(sin.sin_port) != 0);
	/* The same port again while it listens: an error, not a crash. */
	snprintf(spec, sizeof(spec), "127.0.0.1:%d", ntohs(sin.sin_port));
	TEST_CHECK((fd2 = pool_listen(spec, 0, NULL, err, sizeof(err))) == -1);
	close(fd);
}

static void
test_inherited(const char *dir)
{
	char	err[256], path[256], num[32];
	int	save0, l, sp[2];

	snprintf(path, sizeof(path), "%s/i.sock", dir);
	l = pool_listen(path, 0600, NULL, err, sizeof(err));
	TEST_CHECK(l >= 0);
	save0 = dup(0);

	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_PID");
	close(0);
	TEST_CHECK(open("/dev/null", O_RDONLY) == 0);
	TEST_CHECK(pool_inherited_fd(err, sizeof(err)) == -1);

	/* spawn-fcgi: fd 0 is a listening socket. */
	TEST_CHECK(dup2(l, 0) == 0);
	TEST_CHECK(pool_inherited_fd(err, sizeof(err)) == 0);

	/* A connected socket on fd 0 is not one to accept on. */
	TEST_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
	TEST_CHECK(dup2(sp[0], 0) == 0);
	TEST_CHECK(pool_inherited_fd(err, sizeof(err)) == -1);
	close(sp[0]);
	close(sp[1]);

	/* systemd: LISTEN_FDS sockets from fd 3 on. */
	TEST_CHECK(dup2(l, SD_LISTEN_FDS_START) == SD_LISTEN_FDS_START);
	snprintf(num, sizeof(num), "%ld", (long)getpid());
	setenv("LISTEN_PID", num, 1);
	setenv("LISTEN_FDS", "1", 1);
	TEST_CHECK(pool_inherited_fd(err, sizeof(err)) == SD_LISTEN_FDS_START);
	TEST_CHECK(getenv("LISTEN_FDS") == NULL);	/* unset for children */
	setenv("LISTEN_PID", num, 1);
	setenv("LISTEN_FDS", "2", 1);
	TEST_CHECK(pool_inherited_fd(err, sizeof(err)) == -2);
	TEST_CHECK(strstr(err, "2 sockets") != NULL);

	dup2(save0, 0);
	close(save0);
	close(l);
}

/* --- a real pool ----------------------------------------------------- */

/* Runs pool_run() in a child; returns the master's pid. */
static pid_t
start_pool(const char *path, int workers, long max_requests)
{
	struct pool_conf	 conf;
	char			 err[256];
	pid_t			 pid;
	int			 fd;

	if ((fd = pool_listen(path, 0600, NULL, err, sizeof(err))) == -1) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if ((pid = fork()) == 0) {
		memset(&conf, 0, sizeof(conf));
		conf.workers = workers;
		conf.max_requests = max_requests;
		conf.max_body = 1024;
		conf.stop_timeout = 5;
		_exit(pool_run(fd, &conf, &test_app) == 0 ? 0 : 1);
	}
	close(fd);
	return pid;
}

static int
worker_count(pid_t master)
{
	char	path[64], buf[4096];
	FILE	*f;
	int	n = 0;

	/* The children of master, from /proc/<pid>/task/<pid>/children. */
	snprintf(path, sizeof(path), "/proc/%ld/task/%ld/children",
	    (long)master, (long)master);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) != NULL) {
		char *p = buf;

		while (strtol(p, &p, 10) > 0)
			n++;
	}
	fclose(f);
	return n;
}

/* For test_wait_until(): the process (another's child) is gone. */
static int
pid_gone(void *arg)
{
	return kill(*(pid_t *)arg, 0) == -1 && errno == ESRCH;
}

struct count_is {
	pid_t	master;
	int	n;
};

static int
count_is(void *arg)
{
	const struct count_is *c = arg;

	return worker_count(c->master) == c->n;
}

/* Bytes that have come down a non-blocking pipe; for the hammer. */
struct pipe_bytes {
	int	fd;
	size_t	got, want;
};

static int
pipe_has(void *arg)
{
	struct pipe_bytes	*pb = arg;
	char			 buf[64];
	ssize_t			 k;

	while ((k = read(pb->fd, buf, sizeof(buf))) > 0)
		pb->got += (size_t)k;
	return pb->got >= pb->want;
}

static volatile sig_atomic_t	hammer_stop;

static void
hammer_on_term(int sig)
{
	hammer_stop = 1;
}

/*
 * n processes sending requests back to back until SIGTERM; each exits
 * 1 when any request failed. Returns once every one has had an answer
 * (0), or -1 when they did not within TEST_WAIT_MS.
 */
static int
hammer(const char *path, pid_t *pids, size_t n)
{
	struct pipe_bytes	pb = { -1, 0, n };
	size_t			i;
	int			pfd[2], ok;

	if (pipe2(pfd, O_NONBLOCK) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if ((pids[i] = fork()) == 0) {
			signal(SIGTERM, hammer_on_term);
			close(pfd[0]);
			if (fcgi_get(path) <= 0 ||
			    write(pfd[1], "x", 1) != 1)
				_exit(1);
			close(pfd[1]);
			while (!hammer_stop)
				if (fcgi_get(path) <= 0 && !hammer_stop)
					_exit(1);
			_exit(0);
		}
	close(pfd[1]);
	pb.fd = pfd[0];
	ok = test_wait_until(pipe_has, &pb, TEST_WAIT_MS);
	close(pfd[0]);
	return ok ? 0 : -1;
}

static void
test_pool(const char *dir)
{
	struct count_is	one;
	char		path[256];
	long		pids[12], first;
	pid_t		master, gone;
	int		i, status, distinct, ok;

	snprintf(path, sizeof(path), "%s/p.sock", dir);
	master = start_pool(path, 1, 3);
	TEST_CHECK(master > 0);
	one.master = master;
	one.n = 1;

	/* One worker, max_requests 3: three answers from each pid. */
	ok = 1;
	for (i = 0; i < 12; i++)
		ok &= (pids[i] = fcgi_get(path)) > 0;
	TEST_CHECK(ok);
	for (i = 0, distinct = 1; i < 12; i++)
		if (i > 0 && pids[i] != pids[i - 1])
			distinct++;
	TEST_CHECK(distinct == 4);
	TEST_CHECK(pids[0] == pids[2] && pids[2] != pids[3]);

	/* kill -9 of the worker: a new one answers. */
	first = fcgi_get(path);
	TEST_CHECK(first > 0 && kill((pid_t)first, SIGKILL) == 0);
	gone = (pid_t)first;
	TEST_CHECK(test_wait_until(pid_gone, &gone, TEST_WAIT_MS));
	pids[0] = fcgi_get(path);
	TEST_CHECK(pids[0] > 0 && pids[0] != first);
	TEST_CHECK(test_wait_until(count_is, &one, TEST_WAIT_MS));

	/*
	 * SIGHUP: the old worker goes once the new generation is ready,
	 * then only the new one answers. Until then the old one may still
	 * answer (by design: no gap), so wait for it to go first.
	 */
	first = fcgi_get(path);
	TEST_CHECK(first > 0 && kill(master, SIGHUP) == 0);
	gone = (pid_t)first;
	TEST_CHECK(test_wait_until(pid_gone, &gone, TEST_WAIT_MS));
	pids[0] = fcgi_get(path);
	TEST_CHECK(pids[0] > 0 && pids[0] != first);
	TEST_CHECK(test_wait_until(count_is, &one, TEST_WAIT_MS));

	/* SIGTERM: the master exits 0 with every worker reaped. */
	TEST_CHECK(kill(master, SIGTERM) == 0);
	TEST_CHECK(waitpid(master, &status, 0) == master);
	TEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	TEST_CHECK(kill((pid_t)pids[0], 0) == -1);
	unlink(path);
}

/*
 * SIGHUP under load: the listen socket is never idle, yet the old
 * worker must go after its request in hand (ppoll alone would not
 * deliver the pending SIGTERM), and no request may fail.
 */
static void
test_reload_under_load(const char *dir)
{
	struct count_is	one;
	pid_t		ham[16], master, gone;
	char		path[256];
	long		first;
	int		i, status;

	snprintf(path, sizeof(path), "%s/l.sock", dir);
	master = start_pool(path, 1, 0);
	TEST_CHECK(master > 0);
	one.master = master;
	one.n = 1;
	TEST_CHECK(hammer(path, ham, NELEM(ham)) == 0);
	first = fcgi_get(path);
	TEST_CHECK(first > 0 && kill(master, SIGHUP) == 0);
	gone = (pid_t)first;
	TEST_CHECK(test_wait_until(pid_gone, &gone, TEST_WAIT_MS));
	TEST_CHECK(test_wait_until(count_is, &one, TEST_WAIT_MS));
	for (i = 0; i < (int)NELEM(ham); i++) {
		kill(ham[i], SIGTERM);
		TEST_CHECK(waitpid(ham[i], &status, 0) == ham[i] &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	TEST_CHECK(kill(master, SIGTERM) == 0);
	TEST_CHECK(waitpid(master, &status, 0) == master);
	TEST_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	unlink(path);
}

int
main(void)
{
	char dir[] = "/tmp/souk-pool-test.XXXXXX";

	log_init("test-pool", LOG_LVL_WARN);
	TEST_CHECK(mkdtemp(dir) != NULL);
	test_backoff();
	test_unix_path();
	test_listen(dir);
	test_inherited(dir);
	test_pool(dir);
	test_reload_under_load(dir);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		TEST_CHECK(system(cmd) == 0);
	}
	return test_done();
}
