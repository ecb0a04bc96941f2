/*
 * dbtest.h: set-up for unit tests that need the private MariaDB.
 *
 * The test runner starts a MariaDB and exports SOUK_DB_SOCKET,
 * SOUK_DB_USER and SOUK_DB_NAME (config_get() reads SOUK_* first).
 * Without SOUK_DB_SOCKET a test prints why and exits 77 (skipped).
 * dbtest_open() also applies the platform migrations from sql_dir
 * (default ./sql: tests run from the repository root). Names a test
 * creates carry dbtest_tag() (from the pid) so tests may share the
 * database, even at the same time.
 */
#ifndef SOUK_DBTEST_H
#define SOUK_DBTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "platform/provision.h"

static struct db *
dbtest_open(const char *prog)
{
	struct db	*db;
	char		 err[512];

	if (getenv("SOUK_DB_SOCKET") == NULL) {
		printf("skip: SOUK_DB_SOCKET is not set\n");
		exit(77);
	}
	if (config_load(NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	log_init(prog, LOG_LVL_ERR);
	if (crypto_init() == -1) {
		fprintf(stderr, "crypto_init failed\n");
		exit(1);
	}
	db = db_open();
	if (!db_alive(db, 1)) {
		fprintf(stderr, "no database: %s\n", db_error(db));
		exit(1);
	}
	if (migrate_platform(db, config_get("sql_dir", "./sql"), err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "migrate_platform: %s\n", err);
		exit(1);
	}
	return db;
}

/* A short tag unique to this process, for slugs and e-mails. */
static const char *
dbtest_tag(void)
{
	static char tag[16];

	if (tag[0] == '\0')
		snprintf(tag, sizeof(tag), "t%ld", (long)getpid());
	return tag;
}

/*
 * A new shop "<tag>-<what>" through provision_shop(), as sign-up makes
 * one: owned by email (NULL: "<slug>@dbtest.test"; an existing
 * account's e-mail with its password adds a shop to it) with password
 * (NULL: "password1"), in locale and currency (NULL: provisioning's
 * defaults). Returns its id, or 0 with the reason on stderr.
 */
static int64_t UNUSED
dbtest_shop(struct db *db, const char *what, const char *email,
    const char *password, const char *locale, const char *currency)
{
	struct provision_req	r;
	char			slug[48], mail[96], err[512];
	int64_t			id = 0;
	int			n;

	n = snprintf(slug, sizeof(slug), "%s-%s", dbtest_tag(), what);
	if (n < 0 || (size_t)n >= sizeof(slug))
		return 0;
	n = snprintf(mail, sizeof(mail), "%s@dbtest.test", slug);
	if (n < 0 || (size_t)n >= sizeof(mail))
		return 0;
	memset(&r, 0, sizeof(r));
	r.slug = str_c(slug);
	r.name = STR("Test shop");
	r.locale = str_c(locale);
	r.currency = str_c(currency);
	r.owner_email = str_c(email ? email : mail);
	r.owner_password = str_c(password ? password : "password1");
	if (provision_shop(db, &r, &id, err, sizeof(err)) != PROVISION_OK) {
		fprintf(stderr, "provision %s: %s\n", slug, err);
		return 0;
	}
	return id;
}

#endif
