/*
 * souk-worker: runs the platform's queue (platform/jobs.h): claims due
 * jobs from souk_jobs and does them. Today the jobs are transactional
 * e-mail (the sign-up link, platform/signup.h), sent over SMTP to
 * smtp_url from mail_from (platform/mail.h). When it starts, then once
 * an hour, it also purges dead sign-ups and expired account sessions
 * (platform accounts'; staff sessions live in each shop's tables).
 *
 *   souk-worker [--config FILE]
 *
 * One process, one job at a time; several may run (on one machine or
 * many): SKIP LOCKED keeps them off each other's jobs. When no job is
 * due it looks again every worker_poll_ms (default 1000). SIGTERM or
 * SIGINT stops it after the job in hand (a job cut short by SIGKILL is
 * claimed again when its lease ends: never lost). Exit status: 0 after
 * a clean stop, 2 on a configuration error.
 */
#include "core/common.h"

#include <signal.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/account.h"
#include "platform/jobs.h"
#include "platform/mail.h"
#include "platform/signup.h"

#define PURGE_EVERY_MS	(3600 * 1000)

static volatile sig_atomic_t	stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void
sleep_ms(int64_t ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	/* A signal ends the sleep early: the loop then sees stop. */
	(void)nanosleep(&ts, NULL);
}

/* Does one claimed job; its row is done, retried or buried. */
static void
run(struct db *db, const struct mail_server *srv, const char *from,
    struct job *job)
{
	struct strbuf	 msg = STRBUF_INIT;
	char		 to[ACCOUNT_EMAIL_MAX + 1], err[512] = "";
	int		 rc, wr;

	rc = signup_mail(job, from, &msg, to, err, sizeof(err));
	if (rc == 0) {
		/* A newer souk's job, say: retry, with a growing delay. */
		log_warn("job %lld: unknown kind '%s'", (long long)job->id,
		    job->kind);
		wr = jobs_fail(db, job, "unknown kind");
	} else if (rc == -1) {
		log_err("job %lld (%s): %s", (long long)job->id, job->kind,
		    err);
		wr = jobs_bury(db, job, err);
	} else if (mail_send(srv, from, to, msg.buf, msg.len, err,
	    sizeof(err)) == 0) {
		log_info("job %lld (%s): mailed to %s", (long long)job->id,
		    job->kind, to);
		wr = jobs_done(db, job);
	} else {
		log_warn("job %lld (%s): attempt %d failed: %s",
		    (long long)job->id, job->kind, job->attempts, err);
		wr = jobs_fail(db, job, err);
	}
	/* The lease ends anyway: the job is done again later. */
	if (wr == -1)
		log_err("job %lld: cannot record its outcome: %s",
		    (long long)job->id, db_error(db));
	strbuf_release(&msg);
}

static void
purge(struct db *db)
{
	if (signup_purge(db) == -1 || account_session_purge(db) != ACCOUNT_OK)
		log_warn("cannot purge old sign-ups and sessions: %s",
		    db_error(db));
}

int
main(int argc, char **argv)
{
	const char		*config = NULL, *from;
	struct mail_server	 srv;
	struct sigaction	 sa;
	struct db		*db;
	struct job		 job;
	char			 err[512], dflt[300];
	int64_t			 poll, last_purge = -PURGE_EVERY_MS;
	int			 i, lvl, rc, failing = 0, w;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config = argv[++i];
		else {
			fputs("usage: souk-worker [--config FILE]\n", stderr);
			return 2;
		}
	}
	if (config_load(config, err, sizeof(err)) == -1) {
		fprintf(stderr, "souk-worker: %s\n", err);
		return 2;
	}
	lvl = log_level_parse(config_get("log_level", "info"));
	log_init("souk-worker", lvl < 0 ? LOG_LVL_INFO : (enum log_level)lvl);
	if (crypto_init() == -1)
		fatal("cannot initialise libsodium");
	i18n_init(config_get("locale_dir", "build/locale"));
	w = snprintf(dflt, sizeof(dflt), "noreply@%s", config_get(
	    "platform_domain", "localhost"));
	if (w < 0 || (size_t)w >= sizeof(dflt))
		fatal("config platform_domain is too long");
	from = config_get("mail_from", dflt);
	if (!mail_addr_ok(from)) {
		log_err("config mail_from = '%s': want an address such as "
		    "noreply@example.com", from);
		return 2;
	}
	srv.url = config_get("smtp_url", "smtp://127.0.0.1:25");
	srv.user = config_get("smtp_user", NULL);
	srv.password = config_get("smtp_password", NULL);
	poll = config_int("worker_poll_ms", 1000, 10, 60000);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	db = db_open();
	log_info("started: mail from %s through %s", from, srv.url);
	sd_notify(0, "READY=1\nSTATUS=waiting for jobs");
	while (!stop) {
		if (clock_ms() - last_purge >= PURGE_EVERY_MS &&
		    db_alive(db, 0)) {
			purge(db);
			last_purge = clock_ms();
		}
		rc = jobs_claim(db, &job);
		if (rc == 1) {
			failing = 0;
			run(db, &srv, from, &job);
		} else if (rc == -1 && !failing++)
			log_err("cannot claim jobs: %s", db_error(db));
		jobs_release(&job);
		if (rc != 1 && !stop)
			sleep_ms(poll);
	}
	sd_notify(0, "STOPPING=1");
	log_info("stopped");
	db_close(db);
	config_free();
	return 0;
}
