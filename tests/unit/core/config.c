/* tests/unit/core/config.c: the key = value file and SOUK_* overrides. */
#include "core/common.h"
#include "core/config.h"
#include "test.h"

#include <unistd.h>

static char path[256];

static void
write_conf(const char *text)
{
	FILE *f = fopen(path, "w");

	TEST_CHECK(f != NULL);
	fputs(text, f);
	fclose(f);
}

int
main(void)
{
	char		err[256];
	const char	*tmp = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/souk-config-%d.conf",
	    tmp ? tmp : "/tmp", (int)getpid());
	unsetenv("SOUK_CONFIG");
	unsetenv("SOUK_DB_NAME");
	unsetenv("SOUK_WORKERS");
	unsetenv("SOUK_PLATFORM_DOMAIN");

	write_conf("# a comment\n\n  db_name = shops  \nworkers=6\n"
	    "platform_domain = shop.example # not a comment: kept\n"
	    "empty =\n");
	TEST_CHECK(config_load(path, err, sizeof(err)) == 0);
	TEST_STREQ(config_get("db_name", "x"), "shops");
	TEST_CHECK(config_int("workers", 4, 1, 64) == 6);
	TEST_STREQ(config_get("platform_domain", ""),
	    "shop.example # not a comment: kept");
	TEST_STREQ(config_get("empty", "def"), "");
	TEST_CHECK(config_int("empty", 7, 0, 10) == 7);	/* empty: default */
	TEST_STREQ(config_get("missing", "def"), "def");
	TEST_CHECK(config_get("missing", NULL) == NULL);

	/* The environment beats the file. */
	setenv("SOUK_DB_NAME", "from_env", 1);
	setenv("SOUK_WORKERS", "9", 1);
	TEST_STREQ(config_get("db_name", "x"), "from_env");
	TEST_CHECK(config_int("workers", 4, 1, 64) == 9);
	unsetenv("SOUK_DB_NAME");
	TEST_STREQ(config_get("db_name", "x"), "shops");

	/* config_set replaces. */
	config_set("db_name", "set");
	TEST_STREQ(config_get("db_name", "x"), "set");

	/* Errors: a line without '=', an empty key, a missing named file. */
	write_conf("db_name = a\nthis line has no equals sign\n");
	TEST_CHECK(config_load(path, err, sizeof(err)) == -1);
	TEST_CHECK(strstr(err, ":2:") != NULL);
	write_conf(" = value\n");
	TEST_CHECK(config_load(path, err, sizeof(err)) == -1);
	TEST_CHECK(config_load("/nonexistent/souk.conf", err,
	    sizeof(err)) == -1);
	TEST_CHECK(strstr(err, "/nonexistent/souk.conf") != NULL);
	/* The default file may be missing: defaults and environment rule. */
	setenv("SOUK_CONFIG", "", 1);
	unsetenv("SOUK_CONFIG");
	TEST_CHECK(config_load(NULL, err, sizeof(err)) == 0 ||
	    access("/etc/souk/souk.conf", F_OK) == 0);
	unlink(path);
	config_free();
	TEST_CHECK(config_get("db_name", NULL) == NULL);

	/* Paths default to the compiled-in ones (make: the checkout; make
	 * release: PREFIX), never to a caller's relative guess. */
	unsetenv("SOUK_THEMES_DIR");
	unsetenv("SOUK_SQL_DIR");
	unsetenv("SOUK_LOCALE_DIR");
	unsetenv("SOUK_MEDIA_DIR");
	TEST_CHECK(config_get("themes_dir", "themes")[0] == '/');
	TEST_CHECK(strstr(config_get("themes_dir", "themes"), "themes") !=
	    NULL);
	TEST_STREQ(config_get("sql_dir", "./sql"), config_default("sql_dir"));
	TEST_CHECK(config_get("locale_dir", "build/locale")[0] == '/');
	TEST_CHECK(config_get("media_dir", "var/media")[0] == '/');
	TEST_CHECK(config_default("db_name") == NULL);
	/* The file and the environment still win. */
	config_set("sql_dir", "/srv/sql");
	TEST_STREQ(config_get("sql_dir", "./sql"), "/srv/sql");
	setenv("SOUK_SQL_DIR", "/env/sql", 1);
	TEST_STREQ(config_get("sql_dir", "./sql"), "/env/sql");
	unsetenv("SOUK_SQL_DIR");
	config_free();
	TEST_CHECK(strstr(CONFIG_FILE, "/souk/souk.conf") != NULL);
	return test_done();
}
