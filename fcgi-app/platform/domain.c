/* domain.c: shops' custom domains (domain.h). */
#include "core/common.h"

#include "core/config.h"
#include "db/db.h"
#include "platform/domain.h"
#include "platform/quota.h"
#include "platform/tenant.h"

static const char q_add[] =
	"INSERT INTO souk_domains (host, tenant_id) VALUES (?, ?)";
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

struct add {
	int64_t		 tenant;
	const char	*host;
};

static int
add_tx(struct db *db, void *arg)
{
	struct add	*d = arg;
	struct db_stmt	*st;
	int		 rc;

	/* The plan's custom domains, first (quota.h). */
	if ((rc = quota_check(db, d->tenant, PLAN_DOMAINS, 1)) != QUOTA_OK)
		return rc == QUOTA_EXCEEDED ? DOMAIN_EQUOTA : DOMAIN_EDB;
	if ((st = db_prepare(db, q_add, 0)) == NULL)
		return DOMAIN_EDB;
	db_bind_cstr(st, 0, d->host);
	db_bind_i64(st, 1, d->tenant);
	if (db_exec(st, NULL) == -1)
		return db_errclass(db) == DB_EDUP ? DOMAIN_ETAKEN : DOMAIN_EDB;
	return DOMAIN_OK;
}

enum domain_err
domain_add(struct db *db, int64_t tenant_id, struct str host)
{
	char	h[TENANT_HOST_MAX + 1];
	int	rc;

	if (tenant_host_norm(host, h) == -1 || !domain_valid(h, host.len))
		return DOMAIN_EINVAL_HOST;
	if ((rc = db_tx_run(db, add_tx, &(struct add){ tenant_id, h })) != 0)
		return rc == -1 ? DOMAIN_EDB : (enum domain_err)rc;
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
	}
	return "unknown error";
}
