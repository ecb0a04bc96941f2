/* signup.c: anonymous sign-up by confirmed e-mail (see signup.h). */
#include "core/common.h"

#include <json.h>
#include <sodium.h>
#include "core/config.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/jobs.h"
#include "platform/mail.h"
#include "platform/signup.h"

enum {
	Q_RECENT,
	Q_INSERT,
	Q_PEEK,
	Q_USE,
	Q_GET,
	Q_PURGE,
	Q__MAX
};

static const char *const q[Q__MAX] = {
	[Q_RECENT] = "SELECT COUNT(*) FROM souk_signups "
	    "WHERE email = ? AND created_at > NOW() - INTERVAL 1 HOUR",
	[Q_INSERT] = "INSERT INTO souk_signups (kind, token_hash, email, "
	    "pw_hash, shop_name, slug, locale, currency, expires_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW() + INTERVAL ? SECOND)",
	[Q_PEEK] = "SELECT id, email, shop_name, slug, used_at IS NOT NULL, "
	    "expires_at <= NOW() FROM souk_signups "
	    "WHERE token_hash = ? AND kind = 'new'",
	/* Single use, race-free: of two requests with the same link, one
	 * changes the row and the other sees 0 rows changed. */
	[Q_USE] = "UPDATE souk_signups SET used_at = NOW() "
	    "WHERE token_hash = ? AND kind = 'new' AND used_at IS NULL "
	    "AND expires_at > NOW()",
	[Q_GET] = "SELECT email, pw_hash, shop_name, slug, locale, currency "
	    "FROM souk_signups WHERE token_hash = ?",
	[Q_PURGE] = "DELETE FROM souk_signups WHERE expires_at < "
	    "NOW() - INTERVAL 1 DAY OR used_at < NOW() - INTERVAL 1 DAY",
};

/* Sign-ups of email in the last hour (-1 on error). */
static int64_t
recent(struct db *db, const char *email)
{
	struct db_stmt	*st;
	int64_t		 n = -1;

	if ((st = db_prepare(db, q[Q_RECENT], 0)) == NULL)
		return -1;
	db_bind_cstr(st, 0, email);
	if (db_exec(st, NULL) == -1)
		return -1;
	if (db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	return n;
}

/* The row of this sign-up; hash is NULL for an address that has an
 * account (kind 'exists': nothing to confirm, no password kept). */
static enum signup_err
insert_row(struct db *db, const struct signup_req *req,
    const unsigned char th[32], const char *email, const char *hash)
{
	struct db_stmt *st;

	if ((st = db_prepare(db, q[Q_INSERT], 0)) == NULL)
		return SIGNUP_EDB;
	db_bind_cstr(st, 0, hash != NULL ? "new" : "exists");
	db_bind_blob(st, 1, th, 32);
	db_bind_cstr(st, 2, email);
	db_bind_cstr(st, 3, hash != NULL ? hash : "");
	db_bind_str(st, 4, str_trim(req->name));
	db_bind_str(st, 5, req->slug);
	db_bind_str(st, 6, req->locale.len ? req->locale : STR("en"));
	db_bind_str(st, 7, req->currency.len ? req->currency : STR("EUR"));
	db_bind_i64(st, 8, config_int("signup_ttl", SIGNUP_TTL_DEFAULT, 60,
	    30 * 86400));
	return db_exec(st, NULL) == -1 ? SIGNUP_EDB : SIGNUP_OK;
}

/* The sign-up's row and its mail's job, in one transaction (run again
 * on a deadlock or a Galera conflict: it is only statements). */
struct request_tx {
	const struct signup_req	*req;
	const unsigned char	*th;
	const char		*email;
	const char		*hash;		/* NULL: the address has an account */
	const char		*kind;
	const char		*payload;
};

static int
request_tx(struct db *db, void *arg)
{
	struct request_tx *t = arg;

	if (insert_row(db, t->req, t->th, t->email, t->hash) != SIGNUP_OK)
		return -1;
	return jobs_enqueue(db, 0, t->kind, str_c(t->payload), 0, NULL) ==
	    -1 ? -1 : 0;
}

enum signup_err
signup_start(struct db *db, const struct signup_req *req,
    enum provision_err *perr)
{
	struct provision_req	 pr;
	struct account		 acct;
	json_object		*pl = NULL;
	unsigned char		 th[32];
	char			 norm[ACCOUNT_EMAIL_MAX + 1];
	char			 hash[CRYPTO_PW_HASHLEN];
	char			 token[SIGNUP_TOKEN_HEX + 1], err[256];
	char			 url[1024];
	struct request_tx	 t = { 0 };
	enum account_err	 ae;
	enum signup_err		 rc = SIGNUP_EDB;
	int64_t			 n;
	int			 w;

	memset(&pr, 0, sizeof(pr));
	pr.slug = req->slug;
	pr.name = req->name;
	pr.locale = req->locale;
	pr.currency = req->currency;
	pr.owner_email = req->email;
	pr.owner_password = req->password;
	if ((*perr = provision_check(db, &pr, err, sizeof(err))) !=
	    PROVISION_OK) {
		log_info("sign-up refused: %s", err);
		return *perr == PROVISION_EDB ? SIGNUP_EDB : SIGNUP_EINVAL;
	}
	if (account_email_norm(req->email, norm, sizeof(norm)) == -1) {
		*perr = PROVISION_EINVAL_EMAIL;
		return SIGNUP_EINVAL;
	}
	/* Both answers cost one hash, kept or not: the time of the
	 * answer must not tell which one this is. */
	if (crypto_pw_hash(hash, req->password.p, req->password.len) == -1)
		fatal("cannot hash a password: out of memory");
	if ((ae = account_get_by_email(db, str_c(norm), &acct)) != ACCOUNT_OK &&
	    ae != ACCOUNT_ENOTFOUND)
		return SIGNUP_EDB;
	/* Anyone may type anyone's address: bound the mail it gets. The
	 * answer stays the same; only the log tells. */
	if ((n = recent(db, norm)) == -1)
		return SIGNUP_EDB;
	if (n >= config_int("signup_mails_per_hour", SIGNUP_MAILS_PER_HOUR,
	    1, 1000)) {
		log_warn("sign-up for '%s': %lld in the last hour, no mail sent",
		    norm, (long long)n);
		sodium_memzero(hash, sizeof(hash));
		return SIGNUP_OK;
	}
	crypto_random_hex(token, SIGNUP_TOKEN_HEX / 2);
	w = snprintf(url, sizeof(url), "%s%s", req->confirm_url, token);
	if (w < 0 || (size_t)w >= sizeof(url))
		fatal("sign-up link longer than %zu bytes", sizeof(url));
	(void)crypto_token_hash(token, SIGNUP_TOKEN_HEX, SIGNUP_TOKEN_HEX, th);
	pl = json_object_new_object();
	json_object_object_add(pl, "to", json_object_new_string(norm));
	json_object_object_add(pl, "lang", json_object_new_string(req->lang));
	if (ae == ACCOUNT_OK) {
		t.kind = SIGNUP_JOB_EXISTS;
		json_object_object_add(pl, "url",
		    json_object_new_string(req->login_url));
	} else {
		t.kind = SIGNUP_JOB_CONFIRM;
		t.hash = hash;
		json_object_object_add(pl, "url", json_object_new_string(url));
		json_object_object_add(pl, "shop", json_object_new_string_len(
		    str_trim(req->name).p, (int)str_trim(req->name).len));
	}
	t.req = req;
	t.th = th;
	t.email = norm;
	t.payload = json_object_to_json_string_ext(pl, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	if (db_tx_run(db, request_tx, &t) == 0)
		rc = SIGNUP_OK;
	json_object_put(pl);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

/* Verdict of the row of th: OK, ENOTFOUND, EUSED, EEXPIRED or EDB. */
static enum signup_err
peek(struct db *db, const unsigned char th[32], struct signup *out)
{
	struct db_stmt	*st;
	int		 rc, used, expired;

	if ((st = db_prepare(db, q[Q_PEEK], 0)) == NULL)
		return SIGNUP_EDB;
	db_bind_blob(st, 0, th, 32);
	if (db_exec(st, NULL) == -1)
		return SIGNUP_EDB;
	if ((rc = db_step(st)) != 1) {
		db_done(st);
		return rc == 0 ? SIGNUP_ENOTFOUND : SIGNUP_EDB;
	}
	out->id = db_col_i64(st, 0);
	str_copy(out->email, sizeof(out->email), db_col_str(st, 1));
	str_copy(out->shop_name, sizeof(out->shop_name), db_col_str(st, 2));
	str_copy(out->slug, sizeof(out->slug), db_col_str(st, 3));
	used = db_col_i64(st, 4) != 0;
	expired = db_col_i64(st, 5) != 0;
	db_done(st);
	return used ? SIGNUP_EUSED : expired ? SIGNUP_EEXPIRED : SIGNUP_OK;
}

enum signup_err
signup_peek(struct db *db, struct str token, struct signup *out)
{
	unsigned char th[32];

	memset(out, 0, sizeof(*out));
	if (crypto_token_hash(token.p, token.len, SIGNUP_TOKEN_HEX, th) == -1)
		return SIGNUP_ENOTFOUND;
	return peek(db, th, out);
}

/* The pending sign-up's fields, copied out of the statement. */
struct pending {
	char	email[ACCOUNT_EMAIL_MAX + 1];
	char	pw_hash[CRYPTO_PW_HASHLEN];
	char	name[801];
	char	slug[41];
	char	locale[9];
	char	currency[4];
};

static enum signup_err
use(struct db *db, const unsigned char th[32], struct pending *p)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, q[Q_USE], 0)) == NULL)
		return SIGNUP_EDB;
	db_bind_blob(st, 0, th, 32);
	if (db_exec(st, NULL) == -1)
		return SIGNUP_EDB;
	if (db_affected(st) != 1)
		return SIGNUP_EUSED;	/* caller asks peek() why */
	if ((st = db_prepare(db, q[Q_GET], 0)) == NULL)
		return SIGNUP_EDB;
	db_bind_blob(st, 0, th, 32);
	if (db_exec(st, NULL) == -1)
		return SIGNUP_EDB;
	if ((rc = db_step(st)) != 1) {
		db_done(st);
		return SIGNUP_EDB;
	}
	str_copy(p->email, sizeof(p->email), db_col_str(st, 0));
	str_copy(p->pw_hash, sizeof(p->pw_hash), db_col_str(st, 1));
	str_copy(p->name, sizeof(p->name), db_col_str(st, 2));
	str_copy(p->slug, sizeof(p->slug), db_col_str(st, 3));
	str_copy(p->locale, sizeof(p->locale), db_col_str(st, 4));
	str_copy(p->currency, sizeof(p->currency), db_col_str(st, 5));
	db_done(st);
	return SIGNUP_OK;
}

/* The link spent and the account made, in one transaction. An address
 * that got an account meanwhile (two sign-ups, both links opened): the
 * link is spent all the same. A database failure is -1, so a deadlock
 * or a Galera conflict runs it again. */
struct confirm_tx {
	const unsigned char	*th;
	struct pending		*p;
	int64_t			*account_id;
	enum signup_err		 rc;
	enum account_err	 ae;
};

static int
confirm_tx(struct db *db, void *arg)
{
	struct confirm_tx *c = arg;

	c->ae = ACCOUNT_EDB;
	c->rc = use(db, c->th, c->p);
	if (c->rc == SIGNUP_OK)
		c->ae = account_create_hashed(db, c->p->email, c->p->pw_hash,
		    c->account_id);
	if (c->rc == SIGNUP_OK && (c->ae == ACCOUNT_OK ||
	    c->ae == ACCOUNT_EEXISTS))
		return 0;
	return c->rc == SIGNUP_EDB || (c->rc == SIGNUP_OK &&
	    c->ae == ACCOUNT_EDB) ? -1 : 1;
}

enum signup_err
signup_confirm(struct db *db, struct str token, int64_t *account_id,
    int64_t *tenant_id, enum provision_err *perr)
{
	struct provision_req	 pr;
	struct pending		 p;
	struct signup		 s;
	unsigned char		 th[32];
	char			 err[512];
	struct confirm_tx	 ct = { 0 };
	enum account_err	 ae;
	enum signup_err		 rc;

	*account_id = 0;
	*tenant_id = 0;
	*perr = PROVISION_OK;
	if (crypto_token_hash(token.p, token.len, SIGNUP_TOKEN_HEX, th) == -1)
		return SIGNUP_ENOTFOUND;
	ct.th = th;
	ct.p = &p;
	ct.account_id = account_id;
	if (db_tx_run(db, confirm_tx, &ct) == -1)
		return SIGNUP_EDB;
	rc = ct.rc;
	ae = ct.ae;
	if (rc == SIGNUP_EUSED) {
		rc = peek(db, th, &s);
		return rc == SIGNUP_OK ? SIGNUP_EUSED : rc;
	}
	if (rc != SIGNUP_OK)
		return rc;
	if (ae == ACCOUNT_EEXISTS) {
		*account_id = 0;
		return SIGNUP_EEXISTS;
	}
	if (ae != ACCOUNT_OK)
		return SIGNUP_EDB;
	log_info("account %lld verified '%s' by its sign-up link",
	    (long long)*account_id, p.email);

	memset(&pr, 0, sizeof(pr));
	pr.slug = str_c(p.slug);
	pr.name = str_c(p.name);
	pr.locale = str_c(p.locale);
	pr.currency = str_c(p.currency);
	pr.owner_id = *account_id;
	*perr = provision_shop(db, &pr, tenant_id, err, sizeof(err));
	if (*perr != PROVISION_OK) {
		log_warn("sign-up of account %lld: shop '%s' not made: %s",
		    (long long)*account_id, p.slug, err);
		return SIGNUP_EPROVISION;
	}
	return SIGNUP_OK;
}

static const char *
field(json_object *o, const char *k)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int
signup_mail(const struct job *job, const char *from, struct strbuf *msg,
    char *to, char *err, size_t errlen)
{
	struct strbuf	 subject = STRBUF_INIT, body = STRBUF_INIT;
	json_object	*pl;
	const char	*rcpt, *lang, *url, *shop = NULL;
	char		 msgid[MAIL_MSGID_MAX];
	struct mail	 m;
	int		 confirm, rc = -1;

	confirm = strcmp(job->kind, SIGNUP_JOB_CONFIRM) == 0;
	if (!confirm && strcmp(job->kind, SIGNUP_JOB_EXISTS) != 0)
		return 0;
	if ((pl = json_tokener_parse(job->payload.buf)) == NULL) {
		str_errf(err, errlen, "payload is not JSON");
		return -1;
	}
	rcpt = field(pl, "to");
	lang = field(pl, "lang");
	url = field(pl, "url");
	if (confirm)
		shop = field(pl, "shop");
	if (rcpt == NULL || url == NULL || (confirm && shop == NULL) ||
	    !mail_addr_ok(rcpt)) {
		str_errf(err, errlen, "payload lacks to, url or shop");
		goto out;
	}
	i18n_set_language(lang != NULL && i18n_supported(lang) ? lang : "en");
	strbuf_addf(&body, "%s\n\n", _("Hello,"));
	if (confirm) {
		strbuf_addstr(&subject, _("Confirm your e-mail address to "
		    "open your shop"));
		/* TRANSLATORS: %s is the name of the shop being opened. */
		strbuf_addf(&body, _("Someone, probably you, asked to open "
		    "the shop \"%s\" with this e-mail address."), shop);
		strbuf_addf(&body, "\n\n%s\n\n%s\n\n", _("Open this link to "
		    "confirm your address and open your shop:"), url);
		strbuf_addf(&body, "%s\n", _("The link works once, for 24 "
		    "hours. If you did not ask for this, ignore this "
		    "message: nothing is created until the link is opened."));
	} else {
		strbuf_addstr(&subject, _("Someone tried to sign up with your "
		    "e-mail address"));
		strbuf_addf(&body, "%s\n\n", _("Someone, perhaps you, tried "
		    "to sign up for a new shop with this e-mail address, "
		    "which has an account already. No shop was created and "
		    "nothing about your account changed."));
		strbuf_addf(&body, "%s\n\n%s\n\n", _("To create another "
		    "shop, log in and choose \"Create another shop\":"), url);
		strbuf_addf(&body, "%s\n", _("If it was not you, you can "
		    "ignore this message."));
	}
	memset(&m, 0, sizeof(m));
	m.from = from;
	m.to = rcpt;
	/* The job's own id: a resend is recognisably the same message. */
	if (mail_job_msgid(msgid, sizeof(msgid), job->id, job->tenant_id,
	    from) == -1) {
		str_errf(err, errlen, "invalid sender '%s'", from);
		goto out;
	}
	m.msgid = msgid;
	m.subject = (struct str){ subject.buf, subject.len };
	m.body = (struct str){ body.buf, body.len };
	if (mail_compose(msg, &m) == -1) {
		str_errf(err, errlen, "invalid sender '%s' or recipient", from);
		goto out;
	}
	str_copy(to, ACCOUNT_EMAIL_MAX + 1, str_c(rcpt));
	rc = 1;
out:
	strbuf_release(&subject);
	strbuf_release(&body);
	json_object_put(pl);
	return rc;
}

int
signup_purge(struct db *db)
{
	struct db_stmt *st;

	if ((st = db_prepare(db, q[Q_PURGE], 0)) == NULL)
		return -1;
	return db_exec(st, NULL);
}
