/*
 * tests/unit/platform/signup.c: sign-up by confirmed e-mail against the
 * private MariaDB: the same answer for a new and an existing address
 * (and no password check on the existing one), the link's token used
 * once, expiry, the mail cap, the mails' texts in the sign-up's
 * language, and purging.
 */
#include "core/common.h"

#include <ctype.h>
#include "core/i18n.h"
#include "platform/jobs.h"
#include "platform/signup.h"
#include "platform/tenant.h"
#include "test.h"
#include "dbtest.h"

static struct db	*db;

static int64_t
count(const char *sql, const char *arg)
{
	struct db_stmt	*st;
	int64_t		 n = -1;

	if ((st = db_prepare(db, sql, 0)) == NULL)
		return -1;
	db_bind_cstr(st, 0, arg);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	return n;
}

/* The newest job's payload for email, into *job (kind too); the token
 * of its link into token. */
static int
job_for(const char *email, struct job *job, char *token, size_t len)
{
	struct db_stmt	*st;
	char		 like[300];
	const char	*p;
	int		 rc;

	memset(job, 0, sizeof(*job));
	strbuf_init(&job->payload, 0);
	snprintf(like, sizeof(like), "%%\"%s\"%%", email);
	if ((st = db_prepare(db, "SELECT id, kind, payload FROM souk_jobs "
	    "WHERE payload LIKE ? ORDER BY id DESC LIMIT 1", 0)) == NULL)
		return -1;
	db_bind_cstr(st, 0, like);
	if (db_exec(st, NULL) == -1 || (rc = db_step(st)) != 1)
		return -1;
	job->id = db_col_i64(st, 0);
	str_copy(job->kind, sizeof(job->kind), db_col_str(st, 1));
	strbuf_addv(&job->payload, db_col_str(st, 2));
	job->attempts = 1;
	db_done(st);
	token[0] = '\0';
	if ((p = strstr(job->payload.buf, "/signup/confirm/")) != NULL)
		snprintf(token, len, "%.64s", p + 16);
	return 0;
}

static struct signup_req
req(const char *email, const char *pw, const char *slug)
{
	struct signup_req r;

	memset(&r, 0, sizeof(r));
	r.email = str_c(email);
	r.password = str_c(pw);
	r.name = STR("Bäckerei Test");
	r.slug = str_c(slug);
	r.locale = STR("de");
	r.currency = STR("EUR");
	r.lang = "de";
	r.confirm_url = "http://localhost:8080/signup/confirm/";
	r.login_url = "http://localhost:8080/login";
	return r;
}

int
main(void)
{
	struct signup_req	 r;
	struct signup		 s;
	struct job		 job;
	struct strbuf		 msg = STRBUF_INIT;
	enum provision_err	 perr;
	char			 email[100], other[100], slug[60], slug2[60];
	char			 token[SIGNUP_TOKEN_HEX + 1], to[ACCOUNT_EMAIL_MAX + 1];
	char			 err[256];
	int64_t			 aid, tid, shop = 0;
	int			 i;

	db = dbtest_open("unit/platform/signup");
	TEST_CHECK(i18n_init(config_get("locale_dir", "build/locale")) == 0);
	snprintf(email, sizeof(email), "Anna.%s@Bakery.Test", dbtest_tag());
	snprintf(other, sizeof(other), "other.%s@bakery.test", dbtest_tag());
	snprintf(slug, sizeof(slug), "%s-signup", dbtest_tag());
	snprintf(slug2, sizeof(slug2), "%s-signup2", dbtest_tag());

	/* Field errors are told, before anything is written. */
	r = req(email, "correct horse", "ab");
	TEST_CHECK(signup_start(db, &r, &perr) == SIGNUP_EINVAL &&
	    perr == PROVISION_EINVAL_SLUG);
	r = req(email, "short", slug);
	TEST_CHECK(signup_start(db, &r, &perr) == SIGNUP_EINVAL &&
	    perr == PROVISION_EWEAK_PASSWORD);
	r = req("not-an-address", "correct horse", slug);
	TEST_CHECK(signup_start(db, &r, &perr) == SIGNUP_EINVAL &&
	    perr == PROVISION_EINVAL_EMAIL);

	/* A new address: a pending row and the link's job; no account. */
	r = req(email, "correct horse", slug);
	TEST_CHECK(signup_start(db, &r, &perr) == SIGNUP_OK);
	for (i = 0; email[i]; i++)
		email[i] = (char)tolower((unsigned char)email[i]);
	TEST_CHECK(count("SELECT COUNT(*) FROM souk_accounts WHERE email = ?",
	    email) == 0);
	TEST_CHECK(job_for(email, &job, token, sizeof(token)) == 0);
	TEST_STREQ(job.kind, SIGNUP_JOB_CONFIRM);
	TEST_CHECK(strlen(token) == SIGNUP_TOKEN_HEX);
	/* Only the token's hash is stored. */
	TEST_CHECK(count("SELECT COUNT(*) FROM souk_signups WHERE "
	    "token_hash = UNHEX(SHA2(?, 256))", token) == 1);
	TEST_CHECK(count("SELECT COUNT(*) FROM souk_signups WHERE "
	    "HEX(token_hash) = UPPER(?)", token) == 0);

	/* Its mail, in German. */
	TEST_CHECK(signup_mail(&job, "noreply@souk.example", &msg, to, err,
	    sizeof(err)) == 1);
	TEST_STREQ(to, email);
	TEST_CHECK(strstr(msg.buf, "Subject: =?UTF-8?B?") != NULL);
	TEST_CHECK(strstr(msg.buf, "Hallo,") != NULL);
	TEST_CHECK(strstr(msg.buf, "B=C3=A4ckerei Test") != NULL);
	jobs_release(&job);

	/* Peek changes nothing; confirm makes the verified account and
	 * the shop, once. */
	TEST_CHECK(signup_peek(db, str_c(token), &s) == SIGNUP_OK);
	TEST_STREQ(s.slug, slug);
	TEST_STREQ(s.shop_name, "Bäckerei Test");
	TEST_CHECK(signup_peek(db, str_c(token), &s) == SIGNUP_OK);
	TEST_CHECK(signup_confirm(db, str_c(token), &aid, &tid, &perr) ==
	    SIGNUP_OK && aid > 0 && tid > 0);
	shop = tid;
	TEST_CHECK(count("SELECT COUNT(*) FROM souk_accounts WHERE email = ? "
	    "AND email_verified_at IS NOT NULL", email) == 1);
	TEST_CHECK(signup_confirm(db, str_c(token), &aid, &tid, &perr) ==
	    SIGNUP_EUSED);
	TEST_CHECK(signup_peek(db, str_c(token), &s) == SIGNUP_EUSED);
	TEST_CHECK(signup_peek(db, STR("00"), &s) == SIGNUP_ENOTFOUND);
	memset(token, '0', SIGNUP_TOKEN_HEX);
	TEST_CHECK(signup_confirm(db, str_c(token), &aid, &tid, &perr) ==
	    SIGNUP_ENOTFOUND);

	/* The address has an account now: the same answer, a notice, no
	 * password check (a wrong one counts no failure), no token. */
	for (i = 0; i < 3; i++) {
		r = req(email, "a wrong password", slug2);
		TEST_CHECK(signup_start(db, &r, &perr) == SIGNUP_OK);
	}
	TEST_CHECK(count("SELECT COUNT(*) FROM souk_login_throttles WHERE "
	    "scope = 0 AND email_hash = UNHEX(SHA2(?, 256))", email) == 0);
	TEST_CHECK(count("SELECT COUNT(*) FROM souk_signups WHERE email = ? "
	    "AND kind = 'exists' AND pw_hash = ''", email) == 3);
	TEST_CHECK(job_for(email, &job, token, sizeof(token)) == 0);
	TEST_STREQ(job.kind, SIGNUP_JOB_EXISTS);
	TEST_STREQ(token, "");
	strbuf_reset(&msg);
	TEST_CHECK(signup_mail(&job, "noreply@souk.example", &msg, to, err,
	    sizeof(err)) == 1);
	TEST_CHECK(strstr(msg.buf, "/login") != NULL);
	TEST_CHECK(strstr(msg.buf, "/signup/confirm/") == NULL);
	jobs_release(&job);
	/* A taken slug is taken, whoever asks (no owner by e-mail). */
	r = req(email, "correct horse", slug);
	TEST_CHECK(signup_start(db, &r, &perr) == SIGNUP_EINVAL &&
	    perr == PROVISION_ESLUG_TAKEN);

	/* The cap: the 5th mail of the hour is the last. */
	r = req(email, "a wrong password", slug2);
	TEST_CHECK(signup_start(db, &r, &perr) == SIGNUP_OK);
	TEST_CHECK(count("SELECT COUNT(*) FROM souk_signups WHERE email = ?",
	    email) == 5);
	TEST_CHECK(signup_start(db, &r, &perr) == SIGNUP_OK);
	TEST_CHECK(count("SELECT COUNT(*) FROM souk_signups WHERE email = ?",
	    email) == 5);

	/* Expiry. */
	r = req(other, "correct horse", slug2);
	TEST_CHECK(signup_start(db, &r, &perr) == SIGNUP_OK);
	TEST_CHECK(job_for(other, &job, token, sizeof(token)) == 0);
	jobs_release(&job);
	TEST_CHECK(db_exec_ddl(db, "UPDATE souk_signups SET expires_at = "
	    "NOW() - INTERVAL 1 SECOND WHERE email LIKE 'other.%'", 0) == 0);
	TEST_CHECK(signup_peek(db, str_c(token), &s) == SIGNUP_EEXPIRED);
	TEST_CHECK(signup_confirm(db, str_c(token), &aid, &tid, &perr) ==
	    SIGNUP_EEXPIRED);
	TEST_CHECK(count("SELECT COUNT(*) FROM souk_accounts WHERE email = ?",
	    other) == 0);

	/* Unreadable payloads and other kinds. */
	memset(&job, 0, sizeof(job));
	strbuf_init(&job.payload, 0);
	str_copy(job.kind, sizeof(job.kind), STR(SIGNUP_JOB_CONFIRM));
	strbuf_addstr(&job.payload, "{\"to\":\"x@y.test\"}");
	TEST_CHECK(signup_mail(&job, "noreply@souk.example", &msg, to, err,
	    sizeof(err)) == -1);
	str_copy(job.kind, sizeof(job.kind), STR("webhook.order"));
	TEST_CHECK(signup_mail(&job, "noreply@souk.example", &msg, to, err,
	    sizeof(err)) == 0);
	jobs_release(&job);

	/* Purge: rows dead for a day go. */
	TEST_CHECK(db_exec_ddl(db, "UPDATE souk_signups SET expires_at = "
	    "NOW() - INTERVAL 2 DAY WHERE email LIKE 'other.%'", 0) == 0);
	TEST_CHECK(signup_purge(db) == 0);
	TEST_CHECK(count("SELECT COUNT(*) FROM souk_signups WHERE email = ?",
	    other) == 0);

	TEST_CHECK(provision_delete(db, shop, err, sizeof(err)) ==
	    PROVISION_OK);
	TEST_CHECK(db_exec_ddl(db, "DELETE FROM souk_jobs WHERE kind LIKE "
	    "'mail.signup%'", 0) == 0);
	strbuf_release(&msg);
	db_close(db);
	return test_done();
}
