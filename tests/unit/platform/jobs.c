/*
 * tests/unit/platform/jobs.c: the job queue against the private
 * MariaDB: a job enqueued in a transaction that rolls back never runs;
 * a claimed job is leased (no second worker gets it, even from another
 * connection) and a long one renews its lease; failure retries later
 * with a growing delay; done removes it; a buried job is never claimed
 * again.
 */
#include "core/common.h"
#include "platform/jobs.h"
#include "test.h"
#include "dbtest.h"

static struct db *db;

static int64_t
count(const char *kind, const char *where)
{
	char		 sql[256];
	struct db_stmt	*st;
	int64_t		 n = -1;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM souk_jobs "
	    "WHERE kind = ? AND %s", where);
	if ((st = db_prepare(db, sql, 0)) == NULL)
		return -1;
	db_bind_cstr(st, 0, kind);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	return n;
}

/* Claims until a job of kind comes up (other tests' jobs are put
 * back at once); 1 found, 0 none due. */
static int
claim_kind(struct db *d, const char *kind, struct job *job)
{
	int rc;

	for (;;) {
		rc = jobs_claim(d, job);
		if (rc != 1 || strcmp(job->kind, kind) == 0)
			return rc;
		jobs_release(job);
	}
}

int
main(void)
{
	struct db	*other;
	struct job	 job, j2;
	char		 kind[JOBS_KIND_MAX + 1];
	int64_t		 id, id2;

	db = dbtest_open("unit/platform/jobs");
	other = db_open();
	snprintf(kind, sizeof(kind), "test.%s", dbtest_tag());

	TEST_CHECK(jobs_backoff(1) == JOBS_BACKOFF_FIRST);
	TEST_CHECK(jobs_backoff(2) == 2 * JOBS_BACKOFF_FIRST);
	TEST_CHECK(jobs_backoff(5) == 16 * JOBS_BACKOFF_FIRST);
	TEST_CHECK(jobs_backoff(40) == JOBS_BACKOFF_MAX);
	/* souk-worker's job_retry_secs: the first delay, still doubled
	 * and capped; 0 is the default again. */
	jobs_set_times(0, 1, 0);
	TEST_CHECK(jobs_backoff(1) == 1 && jobs_backoff(3) == 4);
	TEST_CHECK(jobs_backoff(40) == JOBS_BACKOFF_MAX);
	/* job_retry_max_secs: the cap. */
	jobs_set_times(0, 1, 2);
	TEST_CHECK(jobs_backoff(1) == 1 && jobs_backoff(2) == 2);
	TEST_CHECK(jobs_backoff(3) == 2 && jobs_backoff(40) == 2);
	jobs_set_times(0, 0, 0);
	TEST_CHECK(jobs_backoff(40) == JOBS_BACKOFF_MAX);
	TEST_CHECK(jobs_backoff(1) == JOBS_BACKOFF_FIRST);

	/* Rolled back with its write: never there. */
	TEST_CHECK(db_tx_begin(db) == 0);
	TEST_CHECK(jobs_enqueue(db, 0, kind, STR("{\"n\":0}"), 0, &id) == 0);
	TEST_CHECK(db_tx_end(db, 0) == 0);
	TEST_CHECK(count(kind, "1") == 0);

	/* Committed: claimed once, leased against a second worker. */
	TEST_CHECK(db_tx_begin(db) == 0);
	TEST_CHECK(jobs_enqueue(db, 7, kind, STR("{\"n\":1}"), 0, &id) == 0);
	TEST_CHECK(db_tx_end(db, 1) == 0);
	TEST_CHECK(claim_kind(db, kind, &job) == 1);
	TEST_CHECK(job.id == id && job.tenant_id == 7 && job.attempts == 1 &&
	    !job.unfinished);
	TEST_STREQ(job.payload.buf, "{\"n\":1}");
	TEST_CHECK(claim_kind(other, kind, &j2) == 0);
	jobs_release(&j2);

	/* Failed: due again later, not now; attempts counted. */
	TEST_CHECK(jobs_fail(db, &job, "smtp: 451 try again \xc3\xa9\n") == 0);
	TEST_CHECK(count(kind, "due_at > NOW(3) + INTERVAL 25 SECOND AND "
	    "due_at < NOW(3) + INTERVAL 35 SECOND AND attempts = 1 AND "
	    "last_error = 'smtp: 451 try again ?" "?" "?'") == 1);
	TEST_CHECK(claim_kind(other, kind, &j2) == 0);
	jobs_release(&j2);
	jobs_release(&job);

	/* Due now again: claimed with its attempt counted, then done. */
	TEST_CHECK(db_exec_ddl(db, "UPDATE souk_jobs SET due_at = NOW(3) "
	    "WHERE kind LIKE 'test.%'", 0) == 0);
	TEST_CHECK(claim_kind(other, kind, &job) == 1);
	TEST_CHECK(job.id == id && job.attempts == 2 && !job.unfinished);
	/* A long job renews its lease near its end: a whole lease again
	 * from now, no attempt counted, still not claimable. */
	TEST_CHECK(db_exec_ddl(db, "UPDATE souk_jobs SET due_at = NOW(3) + "
	    "INTERVAL 2 SECOND WHERE kind LIKE 'test.%'", 0) == 0);
	TEST_CHECK(jobs_renew(other, &job) == 0);
	TEST_CHECK(count(kind, "due_at > NOW(3) + INTERVAL 290 SECOND AND "
	    "attempts = 2") == 1);
	TEST_CHECK(claim_kind(db, kind, &j2) == 0);
	jobs_release(&j2);
	jobs_release(&job);

	/* Its worker died with it (no outcome recorded) and the lease
	 * ran out: claimed again, marked unfinished, then done. */
	TEST_CHECK(db_exec_ddl(db, "UPDATE souk_jobs SET due_at = NOW(3), "
	    "last_error = '' WHERE kind LIKE 'test.%'", 0) == 0);
	TEST_CHECK(claim_kind(other, kind, &job) == 1);
	TEST_CHECK(job.id == id && job.attempts == 3 && job.unfinished);
	TEST_CHECK(jobs_done(other, &job) == 0);
	jobs_release(&job);
	TEST_CHECK(count(kind, "1") == 0);

	/* Buried: kept, dead, never claimed again. */
	TEST_CHECK(jobs_enqueue(db, 0, kind, STR("not json"), 0, &id2) == 0);
	TEST_CHECK(claim_kind(db, kind, &job) == 1 && job.id == id2);
	TEST_CHECK(jobs_bury(db, &job, "payload is not JSON") == 0);
	jobs_release(&job);
	TEST_CHECK(db_exec_ddl(db, "UPDATE souk_jobs SET due_at = NOW(3) "
	    "WHERE kind LIKE 'test.%'", 0) == 0);
	TEST_CHECK(claim_kind(db, kind, &job) == 0);
	jobs_release(&job);
	TEST_CHECK(count(kind, "dead_at IS NOT NULL") == 1);

	/* Out of attempts: dead instead of retried. */
	TEST_CHECK(jobs_enqueue(db, 0, kind, STR("{}"), 0, &id) == 0);
	TEST_CHECK(claim_kind(db, kind, &job) == 1);
	job.attempts = JOBS_MAX_ATTEMPTS;
	TEST_CHECK(jobs_fail(db, &job, "still failing") == 0);
	jobs_release(&job);
	TEST_CHECK(count(kind, "dead_at IS NOT NULL") == 2);

	db_close(other);
	db_close(db);
	return test_done();
}
