/* domain.c: shops' custom domains (domain.h). */
#include "core/common.h"

#include "core/config.h"
#include "core/crypto.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/domain.h"
#include "platform/fetch.h"
#include "platform/quota.h"
#include "platform/tenant.h"

static const char q_add[] =
	"INSERT INTO souk_domains (host, tenant_id, verify_token, verified_at)"
	" VALUES (?, ?, ?, IF(? = 1, UTC_TIMESTAMP(), NULL))";
static const char q_list[] =
	"SELECT host, verify_token, verified_at IS NOT NULL,"
	" IFNULL(DATE_FORMAT(checked_at, '%Y-%m-%d %H:%i:%s'), ''), check_error"
	" FROM souk_domains WHERE tenant_id = ? ORDER BY created_at, host"
	" LIMIT 100";
static const char q_one[] =
	"SELECT verify_token, verified_at IS NOT NULL FROM souk_domains"
	" WHERE host = ? AND tenant_id = ?";
static const char q_checked[] =
	"UPDATE souk_domains SET checked_at = UTC_TIMESTAMP(), check_error = ?,"
	" verified_at = IF(? = 1, IFNULL(verified_at, UTC_TIMESTAMP()),"
	" verified_at) WHERE host = ? AND tenant_id = ?";
static const char q_token[] =
	"SELECT verify_token FROM souk_domains WHERE host = ?";
static const char q_remove[] =
	"DELETE FROM souk_domains WHERE host = ? AND tenant_id = ?";

int
domain_valid(const char *h, size_t len)
{
	const char	*pd = config_get("platform_domain", "localhost");
	size_t		 i, label = 0, labels = 0, pdlen = strlen(pd);
	int		 numeric = 1;

	if (len < 3)
		return 0;
	for (i = 0; i <= len; i++) {
		char c = i < len ? h[i] : '.';

		if (c == '.') {
			if (label == 0 || label > 63 || h[i - 1] == '-')
				return 0;
			labels++;
			label = 0;
			if (i < len)
				numeric = 1;
			continue;
		}
		if (label == 0 && c == '-')
			return 0;
		if (!(c >= '0' && c <= '9'))
			numeric = 0;
		label++;
	}
	if (labels < 2 || numeric)
		return 0;
	if (strcmp(h, pd) == 0 || (len > pdlen && h[len - pdlen - 1] == '.' &&
	    strcmp(h + len - pdlen, pd) == 0))
		return 0;
	return 1;
}

/* {"host": h, "verified": v}, the audit's. */
static json_object *
domain_json(const char *h, int verified)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "host", json_object_new_string(h));
	json_object_object_add(o, "verified", json_object_new_boolean(
	    verified));
	return o;
}

struct add {
	int64_t		 tenant;
	const char	*host;
	int		 verified;
	char		 token[DOMAIN_TOKEN_HEX + 1];
};

static int
add_tx(struct db *db, void *arg)
{
	struct add	*d = arg;
	struct db_stmt	*st;
	json_object	*after;
	int		 rc;

	/* The plan's custom domains, first (quota.h). */
	if ((rc = quota_check(db, d->tenant, PLAN_DOMAINS, 1)) != QUOTA_OK)
		return rc == QUOTA_EXCEEDED ? DOMAIN_EQUOTA : DOMAIN_EDB;
	if ((st = db_prepare(db, q_add, 0)) == NULL)
		return DOMAIN_EDB;
	db_bind_cstr(st, 0, d->host);
	db_bind_i64(st, 1, d->tenant);
	db_bind_cstr(st, 2, d->token);
	db_bind_i64(st, 3, d->verified);
	if (db_exec(st, NULL) == -1)
		return db_errclass(db) == DB_EDUP ? DOMAIN_ETAKEN : DOMAIN_EDB;
	after = domain_json(d->host, d->verified);
	rc = audit_log(db, d->tenant, d->verified ? "domain.add" :
	    "domain.request", "domain", 0, NULL, after);
	json_object_put(after);
	return rc == -1 ? DOMAIN_EDB : DOMAIN_OK;
}

static enum domain_err
add(struct db *db, int64_t tenant_id, struct str host, int verified)
{
	struct add	d = { tenant_id, NULL, verified, "" };
	char		h[TENANT_HOST_MAX + 1];
	int		rc;

	if (tenant_host_norm(host, h) == -1 || !domain_valid(h, host.len))
		return DOMAIN_EINVAL_HOST;
	d.host = h;
	crypto_random_hex(d.token, DOMAIN_TOKEN_HEX / 2);
	if ((rc = db_tx_run(db, add_tx, &d)) != 0)
		return rc == -1 ? DOMAIN_EDB : (enum domain_err)rc;
	tenant_changed(tenant_id);
	return DOMAIN_OK;
}

enum domain_err
domain_add(struct db *db, int64_t tenant_id, struct str host)
{
	return add(db, tenant_id, host, 1);
}

enum domain_err
domain_request(struct db *db, int64_t tenant_id, struct str host)
{
	return add(db, tenant_id, host, 0);
}

enum domain_err
domain_list(struct db *db, struct arena *a, int64_t tenant_id,
    struct domain **out, size_t *n)
{
	struct db_stmt	*st;
	int		 rc;

	*n = 0;
	*out = arena_calloc(a, 100, sizeof(**out));
	if ((st = db_prepare(db, q_list, 0)) == NULL)
		return DOMAIN_EDB;
	db_bind_i64(st, 0, tenant_id);
	if (db_exec(st, NULL) == -1)
		return DOMAIN_EDB;
	while (*n < 100 && (rc = db_step(st)) == 1) {
		struct domain *d = &(*out)[(*n)++];

		str_copy(d->host, sizeof(d->host), db_col_str(st, 0));
		str_copy(d->token, sizeof(d->token), db_col_str(st, 1));
		d->verified = db_col_i64(st, 2) != 0;
		str_copy(d->checked_at, sizeof(d->checked_at),
		    db_col_str(st, 3));
		str_copy(d->error, sizeof(d->error), db_col_str(st, 4));
	}
	db_done(st);
	return DOMAIN_OK;
}

int
domain_token_ok(struct db *db, struct str host, struct str token)
{
	struct db_stmt	*st;
	int		 rc, ok = 0;

	if (token.len != DOMAIN_TOKEN_HEX || !str_is_ascii(token) ||
	    !str_is_ascii(host) || host.len > TENANT_HOST_MAX)
		return 0;
	if ((st = db_prepare(db, q_token, 0)) == NULL)
		return -1;
	db_bind_str(st, 0, host);
	if (db_exec(st, NULL) == -1)
		return -1;
	if ((rc = db_step(st)) == 1)
		ok = crypto_eq(db_col_str(st, 0).p, token.p, DOMAIN_TOKEN_HEX);
	db_done(st);
	return rc == -1 ? -1 : ok;
}

enum domain_err
domain_verify(struct db *db, int64_t tenant_id, struct str host, char *err,
    size_t errlen)
{
	struct fetch_limits	 lim;
	struct strbuf		 body = STRBUF_INIT;
	struct db_stmt		*st;
	char			 h[TENANT_HOST_MAX + 1], token[DOMAIN_TOKEN_HEX + 1];
	char			 ferr[200], url[400], resolve[400];
	const char		*port = config_get("domain_verify_port", ""),
				*addr = config_get("domain_verify_resolve", "");
	enum fetch_err		 fe;
	int			 rc, verified = 0, ok;

	err[0] = '\0';
	if (tenant_host_norm(host, h) == -1)
		return DOMAIN_ENOTFOUND;
	if ((st = db_prepare(db, q_one, 0)) == NULL)
		return DOMAIN_EDB;
	db_bind_cstr(st, 0, h);
	db_bind_i64(st, 1, tenant_id);
	if (db_exec(st, NULL) == -1)
		return DOMAIN_EDB;
	if ((rc = db_step(st)) == 1) {
		str_copy(token, sizeof(token), db_col_str(st, 0));
		verified = db_col_i64(st, 1) != 0;
	}
	db_done(st);
	if (rc != 1)
		return rc == 0 ? DOMAIN_ENOTFOUND : DOMAIN_EDB;
	if (verified)
		return DOMAIN_OK;
	if (*port == '\0')
		port = config_get("public_port", "");
	if (*port == '\0')
		port = "80";
	rc = snprintf(url, sizeof(url), "http://%s:%s" DOMAIN_WELL_KNOWN "%s",
	    h, port, token);
	if (rc < 0 || (size_t)rc >= sizeof(url))
		return DOMAIN_EDB;
	fetch_limits_default(&lim);
	lim.max_bytes = 1024;
	lim.timeout_ms = 10000;
	lim.connect_ms = 5000;
	/* Told where the name points (tests): that address is the
	 * configuration's, not the merchant's, so it may be local. */
	if (*addr != '\0') {
		rc = snprintf(resolve, sizeof(resolve), "%s:%s:%s", h, port,
		    addr);
		if (rc < 0 || (size_t)rc >= sizeof(resolve))
			return DOMAIN_EDB;
		lim.resolve = resolve;
		lim.allow_private = 1;
	}
	fe = fetch_url(url, &lim, &body, NULL, 0, ferr, sizeof(ferr));
	ok = fe == FETCH_OK && body.len == DOMAIN_TOKEN_HEX &&
	    memcmp(body.buf, token, DOMAIN_TOKEN_HEX) == 0;
	if (fe != FETCH_OK)
		str_errf(err, errlen, "%s", ferr);
	else if (!ok)
		str_errf(err, errlen, "%s answered, but not with this shop's "
		    "token: the name points elsewhere", h);
	strbuf_release(&body);
	if ((st = db_prepare(db, q_checked, 0)) == NULL)
		return DOMAIN_EDB;
	db_bind_cstr(st, 0, err);
	db_bind_i64(st, 1, ok);
	db_bind_cstr(st, 2, h);
	db_bind_i64(st, 3, tenant_id);
	if (db_exec(st, NULL) == -1)
		return DOMAIN_EDB;
	if (!ok)
		return DOMAIN_EUNVERIFIED;
	tenant_changed(tenant_id);
	return DOMAIN_OK;
}

enum domain_err
domain_remove(struct db *db, int64_t tenant_id, struct str host)
{
	struct db_stmt	*st;
	char		 h[TENANT_HOST_MAX + 1];

	if (tenant_host_norm(host, h) == -1)
		return DOMAIN_OK;
	if ((st = db_prepare(db, q_remove, 0)) == NULL)
		return DOMAIN_EDB;
	db_bind_cstr(st, 0, h);
	db_bind_i64(st, 1, tenant_id);
	if (db_exec(st, NULL) == -1)
		return DOMAIN_EDB;
	tenant_changed(tenant_id);
	return DOMAIN_OK;
}

const char *
domain_strerror(enum domain_err e)
{
	switch (e) {
	case DOMAIN_OK:
		return "ok";
	case DOMAIN_EDB:
		return "database error";
	case DOMAIN_EINVAL_HOST:
		return "not a host name a shop may have";
	case DOMAIN_ETAKEN:
		return "this domain reaches a shop already";
	case DOMAIN_EQUOTA:
		return "the shop's plan allows no more custom domains";
	case DOMAIN_ENOTFOUND:
		return "not a domain of this shop";
	case DOMAIN_EUNVERIFIED:
		return "the domain does not point at this platform yet";
	}
	return "unknown error";
}
