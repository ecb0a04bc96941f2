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

#endif
