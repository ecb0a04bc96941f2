/*
 * Unit test of http/pool.c: backoff, listen specs, socket inheritance,
 * and one real pool (master + workers on a unix socket) driven by a tiny
 * FastCGI client: recycling after max_requests, replacement of a killed
 * worker, SIGHUP and SIGTERM. The application is stubbed below, so the
 * test links neither http/req.c nor web/.
 */
#include "http/pool.c"

#include <sys/socket.h>

#include "test.h"

/* --- stubs for the layers above ------------------------------------- */

int
req_parse(struct req *r, void *fcgx, struct arena *a, struct strbuf *out,
    size_t max_body)
{
	r->arena = a;
	r->fcgx = fcgx;
	r->out = out;
	r->rid = "00000000000000000000000000000000";
	return 0;
}

void
web_worker_init(void)
{
}

int
web_serve(struct req *r, int parse_status)
{
	FCGX_Request	*fx = r->fcgx;
	struct timespec	 ms = { 0, 1000000 };

	/* Slow enough that the hammer below keeps the backlog full. */
	nanosleep(&ms, NULL);
	/* The body is the worker's pid: the test tells workers apart. */
	FCGX_FPrintF(fx->out, "Status: 200\r\nContent-Type: text/plain\r\n"
	    "\r\n%ld", (long)getpid());
	return 0;
}

void
web_worker_exit(void)
{
}

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
		_exit(pool_run(fd, &conf) == 0 ? 0 : 1);
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

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static volatile sig_atomic_t	hammer_stop;

static void
hammer_on_term(int sig)
{
	hammer_stop = 1;
}

/* n processes sending requests back to back until SIGTERM; each exits
 * 1 when any request failed. */
static void
hammer(const char *path, pid_t *pids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((pids[i] = fork()) == 0) {
			signal(SIGTERM, hammer_on_term);
			while (!hammer_stop)
				if (fcgi_get(path) <= 0 && !hammer_stop)
					_exit(1);
			_exit(0);
		}
}

static void
test_pool(const char *dir)
{
	char	path[256];
	long	pids[12], first;
	pid_t	master;
	int	i, status, distinct, ok;

	snprintf(path, sizeof(path), "%s/p.sock", dir);
	master = start_pool(path, 1, 3);
	TEST_CHECK(master > 0);

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
	msleep(100);
	pids[0] = fcgi_get(path);
	TEST_CHECK(pids[0] > 0 && pids[0] != first);
	TEST_CHECK(worker_count(master) == 1);

	/* SIGHUP: a new generation answers, the old worker is gone. */
	first = fcgi_get(path);
	TEST_CHECK(kill(master, SIGHUP) == 0);
	msleep(200);
	pids[0] = fcgi_get(path);
	TEST_CHECK(pids[0] > 0 && pids[0] != first);
	TEST_CHECK(kill((pid_t)first, 0) == -1);
	TEST_CHECK(worker_count(master) == 1);

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
	pid_t	ham[16], master;
	char	path[256];
	long	first;
	int	i, status;

	snprintf(path, sizeof(path), "%s/l.sock", dir);
	master = start_pool(path, 1, 0);
	TEST_CHECK(master > 0);
	hammer(path, ham, NELEM(ham));
	msleep(100);
	first = fcgi_get(path);
	TEST_CHECK(first > 0 && kill(master, SIGHUP) == 0);
	msleep(300);
	TEST_CHECK(kill((pid_t)first, 0) == -1);
	TEST_CHECK(worker_count(master) == 1);
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
