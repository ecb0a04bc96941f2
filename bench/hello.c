/*
 * hello.c: the FastCGI baseline of `make bench`: the least a libfcgi
 * responder can do, run the way souk-fcgi runs its pool (a unix socket
 * listened on with SOMAXCONN and made non-blocking, N pre-forked workers
 * that ppoll() it and then FCGX_Accept_r(), one FCGX_Finish_r() per
 * request) and answering with a body of a given size, so that the ratio
 * souk / hello is what souk's own work costs on top of the FastCGI hop.
 *
 *   hello SOCKET WORKERS BODY_BYTES
 *
 * Runs until SIGTERM (the workers die with it: PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static int
open_socket(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "hello: socket path too long\n");
		exit(1);
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, SOMAXCONN) == -1 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		fprintf(stderr, "hello: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static void
worker(int lfd, const char *body, size_t len)
{
	FCGX_Request	fx;
	struct pollfd	pfd = { .fd = lfd, .events = POLLIN };

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fx, lfd, 0) != 0)
		exit(1);
	while (!stop) {
		int rc = poll(&pfd, 1, 1000);

		if (rc <= 0)
			continue;
		if ((rc = FCGX_Accept_r(&fx)) < 0) {
			if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR)
				continue;
			exit(1);
		}
		FCGX_PutStr(body, (int)len, fx.out);
		FCGX_Finish_r(&fx);
	}
	exit(0);
}

int
main(int argc, char **argv)
{
	struct sigaction	 sa;
	char			*body;
	long			 n, i, len;
	int			 hlen;
	int			 lfd;

	if (argc != 4 || (n = strtol(argv[2], NULL, 10)) < 1 || n > 64 ||
	    (len = strtol(argv[3], NULL, 10)) < 1 || len > (1L << 24)) {
		fprintf(stderr, "usage: hello SOCKET WORKERS BODY_BYTES\n");
		return 2;
	}
	/* The whole answer, header and body, made once. */
	if ((body = malloc((size_t)len + 128)) == NULL)
		return 1;
	hlen = snprintf(body, 128, "Status: 200 OK\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: %ld\r\n\r\n", len);
	for (i = 0; i < len; i++)
		body[hlen + i] = i % 64 == 63 ? '\n' : "hello, world! "[i % 14];
	len += hlen;
	lfd = open_socket(argv[1]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == -1) {
			perror("hello: fork");
			return 1;
		}
		if (pid == 0)
			worker(lfd, body, (size_t)len);
	}
	while (!stop)
		pause();
	kill(0, SIGTERM);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	unlink(argv[1]);
	return 0;
}
