/*
 * signup.h: anonymous sign-up by confirmed e-mail.
 *
 * The sign-up form never says whether an address has an account and
 * never checks a password against one (it would be a login form whose
 * failures lock the owner out). signup_start() validates the fields
 * (shop address syntax, reserved and taken are still told: a shop's
 * address is public), then answers the same for every well-formed
 * request, after the same work (one argon2id hash):
 *   - a new address: a pending row in souk_signups (normalised e-mail,
 *     password hash, shop name, slug, language, currency, the SHA-256
 *     of a random token, expiry signup_ttl seconds, default 24 h) and a
 *     job mailing the link, in one transaction;
 *   - an address with an account: a row of kind 'exists' (no token is
 *     sent, no password kept) and a job mailing its owner that someone
 *     tried, and that logging in lets them create another shop.
 * An address gets at most signup_mails_per_hour (default
 * SIGNUP_MAILS_PER_HOUR) such mails an hour, counted from the rows;
 * past that the answer is the same and nothing is sent (logged).
 * Nothing is provisioned before the link is opened, so creating tables
 * cannot show in the answer's time either.
 *
 * signup_confirm() uses the token once (a conditional UPDATE decides,
 * race-free), creates the verified account and provisions the shop
 * (platform/provision.h). The mails are jobs (platform/jobs.h) sent by
 * souk-worker; signup_mail() composes them in the language of the page
 * the visitor signed up on.
 *
 * Functions return enum signup_err; SIGNUP_EDB: the reason is in
 * db_error(). Nothing here allocates beyond what is noted.
 */
#ifndef SOUK_SIGNUP_H
#define SOUK_SIGNUP_H

#include <stdint.h>
#include "core/str.h"
#include "core/strbuf.h"
#include "platform/account.h"
#include "platform/provision.h"

struct db;
struct job;

#define SIGNUP_TOKEN_HEX	64	/* 32 random bytes in the link */
#define SIGNUP_TTL_DEFAULT	86400
#define SIGNUP_MAILS_PER_HOUR	5
#define SIGNUP_JOB_CONFIRM	"mail.signup_confirm"
#define SIGNUP_JOB_EXISTS	"mail.signup_exists"

enum signup_err {
	SIGNUP_OK = 0,
	SIGNUP_EDB,
	SIGNUP_EINVAL,		/* a field; *perr says which */
	SIGNUP_ENOTFOUND,	/* no such token (or malformed) */
	SIGNUP_EEXPIRED,
	SIGNUP_EUSED,
	SIGNUP_EEXISTS,		/* the address got an account meanwhile */
	SIGNUP_EPROVISION,	/* account made; the shop was not: *perr */
};

struct signup_req {
	struct str	email;
	struct str	password;
	struct str	name;		/* the shop's */
	struct str	slug;
	struct str	locale;		/* the shop's default language */
	struct str	currency;
	const char	*lang;		/* the mail's language: the page's */
	const char	*confirm_url;	/* the link, without the token:
					 * "http://localhost:8080/signup/
					 * confirm/" */
	const char	*login_url;	/* for the mail to an account */
};

/*
 * Starts the sign-up of req (see above). SIGNUP_OK for every
 * well-formed request, whether the address has an account or not;
 * SIGNUP_EINVAL with *perr the field's provision code; SIGNUP_EDB.
 */
enum signup_err signup_start(struct db *db, const struct signup_req *req,
		    enum provision_err *perr);

/* A pending sign-up, for the confirmation page. */
struct signup {
	int64_t	id;
	char	email[ACCOUNT_EMAIL_MAX + 1];
	char	shop_name[801];		/* 200 characters of UTF-8 */
	char	slug[41];
};

/*
 * The sign-up of token (the link's last part) into *out: SIGNUP_OK,
 * ENOTFOUND (unknown or malformed), EEXPIRED, EUSED or EDB. Changes
 * nothing: a GET (or a mail client's link scanner) opens this.
 */
enum signup_err signup_peek(struct db *db, struct str token,
		    struct signup *out);

/*
 * Uses token: the account (its address verified now) and its shop.
 * SIGNUP_OK with *account_id and *tenant_id; ENOTFOUND, EEXPIRED,
 * EUSED; EEXISTS (the address has an account now: nothing made);
 * EPROVISION (the account is made, *account_id set; the shop was
 * refused with *perr, say its address was taken meanwhile, or its
 * tables failed and it is 'failed' with *tenant_id set); EDB.
 */
enum signup_err signup_confirm(struct db *db, struct str token,
		    int64_t *account_id, int64_t *tenant_id,
		    enum provision_err *perr);

/*
 * Composes the message of a sign-up mail job into msg (appended), from
 * from, and its recipient into to (ACCOUNT_EMAIL_MAX + 1 bytes).
 * Switches the gettext language to the job's (the caller's is not
 * restored). Returns 1 (composed), 0 (not a sign-up job), -1 (the
 * payload is unreadable: the job can never succeed; why in err).
 */
int	signup_mail(const struct job *job, const char *from,
	    struct strbuf *msg, char *to, char *err, size_t errlen);

/* Deletes sign-ups dead for a day (used or expired); 0 or -1. */
int	signup_purge(struct db *db);

#endif
