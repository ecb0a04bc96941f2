/*
 * hello.c: the FastCGI baseline of `make bench`: souk's own pool
 * (http/pool.c: the master, N pre-forked workers on a non-blocking unix
 * socket, ppoll + FCGX_Accept_r, req_parse, FCGX_Finish_r, arena_reset)
 * running an application that answers every request with one fixed
 * response of a given body size. The ratio souk / hello is therefore
 * what souk's own work (tenant, session, database, templates) costs on
 * top of the FastCGI hop and the pool.
 *
 *   hello SOCKET WORKERS BODY_BYTES
 *
 * Runs until SIGTERM or SIGINT (a graceful stop of the pool); the
 * socket file is removed on the way out.
 */
#include "core/common.h"

#include <fcgiapp.h>
#include <unistd.h>

#include "core/log.h"
#include "http/pool.h"
#include "http/req.h"

/* The whole answer, header and body, made once before the fork. */
struct hello {
	char	*resp;
	size_t	 len;
};

static int
hello_serve(void *arg, struct req *r, int parse_status)
{
	const struct hello	*h = arg;
	FCGX_Request		*fx = r->fcgx;

	if (FCGX_PutStr(h->resp, (int)h->len, fx->out) != (int)h->len)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct hello		 h;
	struct pool_app		 app = { NULL, hello_serve, NULL, &h, -1,
				    NULL, NULL, NULL, NULL, NULL, NULL };
	struct pool_conf	 conf;
	char			 spec[512], err[512];
	long			 n, i, len;
	int			 hlen, lfd, rc;

	if (argc != 4 || (n = strtol(argv[2], NULL, 10)) < 1 || n > 64 ||
	    (len = strtol(argv[3], NULL, 10)) < 1 || len > (1L << 24)) {
		fprintf(stderr, "usage: hello SOCKET WORKERS BODY_BYTES\n");
		return 2;
	}
	log_init("hello", LOG_LVL_WARN);
	h.resp = xmalloc((size_t)len + 128);
	hlen = snprintf(h.resp, 128, "Status: 200 OK\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: %ld\r\n\r\n", len);
	if (hlen < 0 || hlen >= 128)
		fatal("cannot format the header");
	for (i = 0; i < len; i++)
		h.resp[hlen + i] = i % 64 == 63 ? '\n' :
		    "hello, world! "[i % 14];
	h.len = (size_t)(len + hlen);

	rc = snprintf(spec, sizeof(spec), "unix:%s", argv[1]);
	if (rc < 0 || (size_t)rc >= sizeof(spec))
		fatal("socket path too long");
	/* A socket file left by an earlier run that died is replaced. */
	if ((lfd = pool_listen(spec, 0660, NULL, err, sizeof(err))) == -1)
		fatal("%s", err);

	memset(&conf, 0, sizeof(conf));
	conf.workers = (int)n;
	conf.max_requests = 0;
	conf.max_body = 1024 * 1024;
	conf.stop_timeout = 10;
	rc = pool_run(lfd, &conf, &app);
	unlink(argv[1]);
	free(h.resp);
	return rc == 0 ? 0 : 1;
}
