/*
 * souk-fcgi: the FastCGI worker pool (see http/pool.h).
 *
 *   souk-fcgi [--config FILE] [--listen SPEC] [--workers N]
 *             [--max-requests M] [--pidfile FILE]
 *
 * The listen socket comes from systemd socket activation, else from
 * fd 0 when it is a listening socket (spawn-fcgi), else from --listen
 * or the config key listen: "unix:/run/souk/fcgi.sock", a path, or
 * "127.0.0.1:9000". A unix socket gets listen_mode (octal, default 0660)
 * and listen_group (default: ours), so give nginx's user that group, or
 * set listen_mode = 0666 on a development machine.
 *
 * Command-line values beat the configuration file and the SOUK_*
 * environment, and survive a reload. SIGHUP re-reads the configuration
 * (log_level, workers, max_requests, max_body, stop_timeout; not the
 * listen socket), executes the souk-fcgi installed at the path it was
 * started from (a new release; see pool_app.exec_path) and replaces
 * every worker. metrics_listen (host:port, empty: off) is where the
 * master serves the metrics (http/scrape.h); it is not reopened on
 * reload either. Exit status: 0 after a
 * clean stop, 1 when start-up fails (the reason is logged).
 */
#include "core/common.h"

#include <getopt.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/shared.h"
#include "core/shcache.h"
#include "http/pool.h"
#include "http/scrape.h"
#include "platform/meter.h"
#include "web/web.h"
#include "web/worker.h"

/* The one struct worker of this process; each worker forks its copy. */
static struct worker	 worker;
static const char	*opt_config;
static int64_t		 opt_workers = -1;
static int64_t		 opt_max_requests = -1;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: souk-fcgi [--config FILE] [--listen SPEC] "
	    "[--workers N] [--max-requests M] [--pidfile FILE]\n");
	exit(1);
}

static void
apply_log_level(void)
{
	const char	*s = config_get("log_level", "info");
	int		 lvl;

	if ((lvl = log_level_parse(s)) == -1)
		fatal("config log_level = '%s': want debug, info, warn or err",
		    s);
	log_init("souk-fcgi", (enum log_level)lvl);
}

/* The configuration's pool values, then the command line's. */
static void
conf_fill(struct pool_conf *conf)
{
	pool_conf_load(conf);
	if (opt_workers != -1)
		conf->workers = (int)opt_workers;
	if (opt_max_requests != -1)
		conf->max_requests = (long)opt_max_requests;
	conf->reload = NULL;
}

/* SIGHUP in the master: a bad file keeps the running configuration
 * (and the running program: pool_app.exec_path). */
static int
reload(struct pool_conf *conf)
{
	char err[512];

	if (config_load(opt_config, err, sizeof(err)) == -1) {
		log_err("reload: %s; keeping the current configuration", err);
		return -1;
	}
	apply_log_level();
	conf_fill(conf);
	conf->reload = reload;
	return 0;
}

/*
 * The program's own path, for a reload that executes the release
 * installed since (pool_app.exec_path). Read now: once `make install`
 * replaced the file, /proc/self/exe names the deleted one.
 */
static const char *
self_path(void)
{
	static char	path[PATH_MAX];
	ssize_t		n;

	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0 || (size_t)n >= sizeof(path) - 1) {
		log_warn("cannot read /proc/self/exe: a reload will not "
		    "load a new release");
		return NULL;
	}
	path[n] = '\0';
	/* Started from a file replaced meanwhile (a reload racing an
	 * install): the name is still the right one. */
	if (n > 10 && strcmp(path + n - 10, " (deleted)") == 0)
		path[n - 10] = '\0';
	return path;
}

/* listen_mode, octal ("0660" or "660"). */
static int
listen_mode(void)
{
	const char	*s = config_get("listen_mode", "0660");
	char		*end;
	long		 v;

	errno = 0;
	v = strtol(s, &end, 8);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0 || v > 0777)
		fatal("config listen_mode = '%s': want an octal mode", s);
	return (int)v;
}

static int64_t
num_arg(const char *name, const char *s, int64_t min, int64_t max)
{
	int64_t v;

	if (str_to_i64c(s, min, max, &v) == -1) {
		fprintf(stderr, "souk-fcgi: --%s '%s': want an integer in "
		    "[%lld, %lld]\n", name, s, (long long)min, (long long)max);
		exit(1);
	}
	return v;
}

static void
write_pidfile(const char *path)
{
	char	buf[32];
	int	fd, n;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		fatal("cannot create pid file '%s': %s", path,
		    strerror(errno));
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(buf) ||
	    write(fd, buf, (size_t)n) != n || close(fd) == -1)
		fatal("cannot write pid file '%s': %s", path, strerror(errno));
}

static void
meter_in(void *arg, int fd)
{
	(void)arg;
	meter_socket_read(fd);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config",	  required_argument, NULL, 'c' },
		{ "listen",	  required_argument, NULL, 'l' },
		{ "workers",	  required_argument, NULL, 'w' },
		{ "max-requests", required_argument, NULL, 'm' },
		{ "pidfile",	  required_argument, NULL, 'p' },
		{ "help",	  no_argument,	     NULL, 'h' },
		{ NULL,		  0,		     NULL, 0 }
	};
	struct pool_app		 app = { web_worker_init, web_serve,
				    web_worker_exit, &worker, -1, NULL, NULL, NULL,
				    NULL, NULL, NULL };
	struct pool_conf	 conf;
	const char		*listen_spec = NULL, *pidfile = NULL;
	const char		*path, *metrics_spec;
	char			 err[512];
	int			 ch, fd, rc, handed_on;

	log_init("souk-fcgi", LOG_LVL_INFO);
	while ((ch = getopt_long(argc, argv, "c:l:w:m:p:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			opt_config = optarg;
			break;
		case 'l':
			listen_spec = optarg;
			break;
		case 'w':
			opt_workers = num_arg("workers", optarg, 1,
			    POOL_MAX_WORKERS);
			break;
		case 'm':
			opt_max_requests = num_arg("max-requests", optarg, 0,
			    INT32_MAX);
			break;
		case 'p':
			pidfile = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	if (config_load(opt_config, err, sizeof(err)) == -1)
		fatal("%s", err);
	apply_log_level();
	conf_fill(&conf);
	conf.reload = reload;

	app.exec_path = self_path();
	app.exec_argv = argv;
	/* From the souk-fcgi we replace (a reload): its socket, which we
	 * remove at the end as it would have. */
	handed_on = getenv(POOL_ENV_FD) != NULL;
	if ((fd = pool_inherited_fd(err, sizeof(err))) == -2)
		fatal("%s", err);
	if (fd >= 0 && handed_on) {
		if (listen_spec == NULL)
			listen_spec = config_get("listen", NULL);
		log_info("listening on the socket of the program before");
	} else if (fd >= 0) {
		if (listen_spec != NULL)
			log_warn("listening on the inherited fd %d; "
			    "ignoring --listen '%s'", fd, listen_spec);
		listen_spec = NULL;
	} else {
		if (listen_spec == NULL)
			listen_spec = config_get("listen", NULL);
		if (listen_spec == NULL || *listen_spec == '\0')
			fatal("no listen socket: not started by systemd or "
			    "spawn-fcgi, and neither --listen nor the config "
			    "key listen is set");
		if ((fd = pool_listen(listen_spec, listen_mode(),
		    config_get("listen_group", NULL), err,
		    sizeof(err))) == -1)
			fatal("%s", err);
		log_info("listening on '%s'", listen_spec);
	}
	if (pidfile != NULL)
		write_pidfile(pidfile);

	/* Before the fork: the workers share the counters' page. */
	if (shared_init() == -1)
		log_warn("cannot map shared memory: counters are per worker");
	if (shcache_init((size_t)config_int("api_cache_mb", 64, 0, 65536) *
	    1024 * 1024) == -1)
		log_warn("cannot map api_cache_mb of shared memory: no "
		    "shared cache");
	/* Usage metering (platform/meter.h): the counters' file, and the
	 * socket nginx reports its cache hits to, read by the master. */
	(void)meter_open(NULL);		/* logs why it could not */
	if ((app.master_fd = meter_socket_open(NULL)) != -1)
		app.master_in = meter_in;
	/* The operating figures (core/metrics.h), and the endpoint that
	 * serves them from this process (http/scrape.h says why here). */
	(void)metrics_open(NULL, METRICS_FCGI);	/* logs why it could not */
	metrics_spec = config_get("metrics_listen", "");
	if (*metrics_spec != '\0') {
		/* After a reload's exec the workers serve already: the
		 * metrics are not worth stopping them. */
		if (scrape_open(metrics_spec, err, sizeof(err)) == -1) {
			if (!handed_on)
				fatal("%s", err);
			log_err("%s; no metrics until the next reload", err);
		} else {
			app.master_poll = scrape_poll;
			app.master_ready = scrape_ready;
			app.master_drop = scrape_drop;
			log_info("metrics on 'http://%s/metrics'",
			    metrics_spec);
		}
	}
	rc = pool_run(fd, &conf, &app);
	if (app.master_in != NULL)
		close(app.master_fd);
	scrape_close();

	if (pidfile != NULL)
		unlink(pidfile);
	if (listen_spec != NULL) {
		path = strncmp(listen_spec, "unix:", 5) == 0 ?
		    listen_spec + 5 : listen_spec;
		if (strchr(path, '/') != NULL)
			unlink(path);
	}
	config_free();
	return rc == 0 ? 0 : 1;
}
