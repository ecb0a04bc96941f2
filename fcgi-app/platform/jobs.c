/* jobs.c: the platform's job queue (see jobs.h). */
#include "core/common.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/jobs.h"

enum {
	Q_INSERT,
	Q_INSERT_PAIR,
	Q_CLAIM,
	Q_LEASE,
	Q_RENEW,
	Q_DONE,
	Q_RETRY,
	Q_DEAD,
	Q__MAX
};

static const char *const q[Q__MAX] = {
	[Q_INSERT] = "INSERT INTO souk_jobs (tenant_id, kind, payload, due_at) "
	    "VALUES (?, ?, ?, NOW(3) + INTERVAL ? SECOND)",
	[Q_INSERT_PAIR] = "INSERT INTO souk_jobs (tenant_id, kind, payload, "
	    "due_at) VALUES (?, ?, ?, NOW(3)), (?, ?, ?, NOW(3))",
	/* Oldest due first; rows another worker holds are skipped, not
	 * waited for. The index (dead_at, due_at) serves the range. */
	[Q_CLAIM] = "SELECT id, tenant_id, kind, payload, attempts, "
	    "attempts > 0 AND last_error = '' "
	    "FROM souk_jobs WHERE dead_at IS NULL AND due_at <= NOW(3) "
	    "ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
	[Q_LEASE] = "UPDATE souk_jobs SET attempts = attempts + 1, "
	    "due_at = NOW(3) + INTERVAL ? SECOND WHERE id = ?",
	[Q_RENEW] = "UPDATE souk_jobs SET due_at = NOW(3) + INTERVAL ? SECOND "
	    "WHERE id = ? AND dead_at IS NULL",
	[Q_DONE] = "DELETE FROM souk_jobs WHERE id = ?",
	[Q_RETRY] = "UPDATE souk_jobs SET last_error = ?, "
	    "due_at = NOW(3) + INTERVAL ? SECOND WHERE id = ?",
	[Q_DEAD] = "UPDATE souk_jobs SET last_error = ?, dead_at = NOW() "
	    "WHERE id = ?",
};

/* The queue's times (jobs_set_times()): the defaults unless a test
 * shortens them. */
static int	lease_secs = JOBS_LEASE_SECS;
static int	backoff_first = JOBS_BACKOFF_FIRST;
static int	backoff_max = JOBS_BACKOFF_MAX;

void
jobs_set_times(int lease, int first_retry, int max_retry)
{
	lease_secs = lease > 0 ? lease : JOBS_LEASE_SECS;
	backoff_first = first_retry > 0 ? first_retry : JOBS_BACKOFF_FIRST;
	backoff_max = max_retry > 0 ? max_retry : JOBS_BACKOFF_MAX;
}

int
jobs_enqueue(struct db *db, int64_t tenant, const char *kind,
    struct str payload, int delay_secs, int64_t *id)
{
	struct db_stmt	*st;
	size_t		 n = strlen(kind);

	if (n == 0 || n > JOBS_KIND_MAX)
		fatal("job kind '%s': 1 to %d bytes", kind, JOBS_KIND_MAX);
	if ((st = db_prepare_on(db, q[Q_INSERT], tenant)) == NULL)
		return -1;
	db_bind_i64(st, 0, tenant);
	db_bind_cstr(st, 1, kind);
	db_bind_str(st, 2, payload);
	db_bind_i64(st, 3, delay_secs < 0 ? 0 : delay_secs);
	if (db_exec(st, NULL) == -1)
		return -1;
	if (id != NULL)
		*id = (int64_t)db_insert_id(st);
	return 0;
}

int
jobs_enqueue_pair(struct db *db, int64_t tenant, const char *kind1,
    const char *kind2, struct str payload)
{
	const char	*kinds[2] = { kind1, kind2 };
	struct db_stmt	*st;
	unsigned	 i;

	for (i = 0; i < 2; i++)
		if (strlen(kinds[i]) == 0 || strlen(kinds[i]) > JOBS_KIND_MAX)
			fatal("job kind '%s': 1 to %d bytes", kinds[i],
			    JOBS_KIND_MAX);
	if ((st = db_prepare_on(db, q[Q_INSERT_PAIR], tenant)) == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		db_bind_i64(st, 3 * i, tenant);
		db_bind_cstr(st, 3 * i + 1, kinds[i]);
		db_bind_str(st, 3 * i + 2, payload);
	}
	return db_exec(st, NULL);
}

/* Reads the claimed row into job; 1 found, 0 none, -1 error. */
static int
read_job(struct db_stmt *st, struct job *job)
{
	struct str	s;
	int		rc;

	if (db_exec(st, NULL) == -1)
		return -1;
	if ((rc = db_step(st)) != 1) {
		db_done(st);
		return rc;
	}
	job->id = db_col_i64(st, 0);
	job->tenant_id = db_col_i64(st, 1);
	str_copy(job->kind, sizeof(job->kind), db_col_str(st, 2));
	s = db_col_str(st, 3);
	strbuf_add(&job->payload, s.p, s.len);
	job->attempts = (int)db_col_i64(st, 4) + 1;
	job->unfinished = db_col_i64(st, 5) != 0;
	db_done(st);
	return 1;
}

/* jobs_claim()'s transaction: 0 claimed, 1 none due (rolled back, not
 * retried), -1 the database failed. Through db_tx_run(): on Galera two
 * souk-workers on two nodes may claim the same job (SKIP LOCKED sees
 * the local node's locks only); the lease update of the second fails
 * certification and its claim runs again, skipping that job. */
static int
claim_tx(struct db *db, void *arg)
{
	struct job	*job = arg;
	struct db_stmt	*st;
	int		 rc;

	strbuf_reset(&job->payload);
	if ((st = db_prepare(db, q[Q_CLAIM], 0)) == NULL)
		return -1;
	if ((rc = read_job(st, job)) != 1)
		return rc == 0 ? 1 : -1;
	if ((st = db_prepare(db, q[Q_LEASE], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, lease_secs);
	db_bind_i64(st, 1, job->id);
	if (db_exec(st, NULL) == -1)
		return -1;
	return 0;
}

int
jobs_claim(struct db *db, struct job *job)
{
	int rc;

	memset(job, 0, sizeof(*job));
	strbuf_init(&job->payload, 0);
	rc = db_tx_run(db, claim_tx, job);
	return rc == 0 ? 1 : rc == 1 ? 0 : -1;
}

int
jobs_renew(struct db *db, const struct job *job)
{
	struct db_stmt *st;

	if ((st = db_prepare(db, q[Q_RENEW], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, lease_secs);
	db_bind_i64(st, 1, job->id);
	return db_exec(st, NULL);
}

int
jobs_done(struct db *db, const struct job *job)
{
	struct db_stmt *st;

	if ((st = db_prepare(db, q[Q_DONE], 0)) == NULL)
		return -1;
	db_bind_i64(st, 0, job->id);
	return db_exec(st, NULL);
}

int
jobs_lag(struct db *db, int64_t *waiting, int64_t *oldest_secs)
{
	struct db_stmt	*st;
	int		 rc;

	*waiting = *oldest_secs = 0;
	if ((st = db_prepare(db, "SELECT COUNT(*), IFNULL(TIMESTAMPDIFF("
	    "SECOND, MIN(due_at), UTC_TIMESTAMP(3)), 0) FROM souk_jobs "
	    "WHERE dead_at IS NULL AND due_at <= UTC_TIMESTAMP(3)", 0)) ==
	    NULL || db_exec(st, NULL) == -1)
		return -1;
	if ((rc = db_step(st)) == 1) {
		*waiting = db_col_i64(st, 0);
		*oldest_secs = db_col_i64(st, 1);
	}
	db_done(st);
	return rc == 1 ? 0 : -1;
}

int
jobs_backoff(int attempts)
{
	int64_t d = backoff_first;

	while (--attempts > 0 && d < backoff_max)
		d *= 2;
	return d > backoff_max ? backoff_max : (int)d;
}

static int
record_failure(struct db *db, const struct job *job, const char *error,
    int dead)
{
	struct db_stmt	*st;
	char		 e[JOBS_ERR_MAX + 1];
	size_t		 i;

	/* Errors quote what servers sent: keep printable ASCII only, so
	 * a cut never splits a character and the column takes it. */
	for (i = 0; error[i] != '\0' && i < JOBS_ERR_MAX; i++)
		e[i] = error[i] >= 0x20 && error[i] < 0x7f ? error[i] : '?';
	e[i] = '\0';
	if ((st = db_prepare(db, q[dead ? Q_DEAD : Q_RETRY], 0)) == NULL)
		return -1;
	db_bind_cstr(st, 0, e);
	if (dead)
		db_bind_i64(st, 1, job->id);
	else {
		db_bind_i64(st, 1, jobs_backoff(job->attempts));
		db_bind_i64(st, 2, job->id);
	}
	if (dead)
		log_err("job %lld (%s) given up after %d attempt(s): %s",
		    (long long)job->id, job->kind, job->attempts, e);
	return db_exec(st, NULL);
}

int
jobs_fail(struct db *db, const struct job *job, const char *error)
{
	return record_failure(db, job, error,
	    job->attempts >= JOBS_MAX_ATTEMPTS);
}

int
jobs_bury(struct db *db, const struct job *job, const char *error)
{
	return record_failure(db, job, error, 1);
}

void
jobs_release(struct job *job)
{
	strbuf_release(&job->payload);
}
