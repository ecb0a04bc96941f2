/* config.c: key = value file with SOUK_* overrides (see config.h). */
#include "core/common.h"
#include "core/config.h"
#include "core/log.h"

#include <ctype.h>

struct config_kv {
	char	*key;
	char	*value;
};

static struct config_kv	*kvs;
static size_t		 nkvs;

/* The GNUmakefile passes all eight; these are a release's, PREFIX
 * /usr/local, for a build without it. */
#ifndef SOUK_THEMES_DIR
#define SOUK_THEMES_DIR		"/usr/local/share/souk/themes"
#endif
#ifndef SOUK_SQL_DIR
#define SOUK_SQL_DIR		"/usr/local/share/souk/sql"
#endif
#ifndef SOUK_LOCALE_DIR
#define SOUK_LOCALE_DIR		"/usr/local/share/locale"
#endif
#ifndef SOUK_MEDIA_DIR
#define SOUK_MEDIA_DIR		"/var/lib/souk/media"
#endif
#ifndef SOUK_UPLOAD_DIR
#define SOUK_UPLOAD_DIR		"/var/lib/souk/uploads"
#endif
#ifndef SOUK_METER_FILE
#define SOUK_METER_FILE		"/run/souk-usage/counters"
#endif
#ifndef SOUK_BACKUP_DIR
#define SOUK_BACKUP_DIR		"/var/backups/souk"
#endif
#ifndef SOUK_METER_SOCKET
#define SOUK_METER_SOCKET	"/run/souk-usage/views.sock"
#endif

static const struct {
	const char	*key;
	const char	*def;
} path_defaults[] = {
	{ "themes_dir", SOUK_THEMES_DIR },
	{ "sql_dir", SOUK_SQL_DIR },
	{ "locale_dir", SOUK_LOCALE_DIR },
	{ "media_dir", SOUK_MEDIA_DIR },
	{ "upload_dir", SOUK_UPLOAD_DIR },
	{ "meter_file", SOUK_METER_FILE },
	{ "meter_socket", SOUK_METER_SOCKET },
	{ "backup_dir", SOUK_BACKUP_DIR },
};

const char *
config_default(const char *key)
{
	size_t i;

	for (i = 0; i < NELEM(path_defaults); i++)
		if (strcmp(path_defaults[i].key, key) == 0)
			return path_defaults[i].def;
	return NULL;
}

void
config_print_defaults(FILE *f)
{
	size_t i;

	fprintf(f, "configuration file: %s (or $SOUK_CONFIG, --config)\n",
	    CONFIG_FILE);
	for (i = 0; i < NELEM(path_defaults); i++)
		fprintf(f, "default %-10s  %s\n", path_defaults[i].key,
		    path_defaults[i].def);
}

void
config_set(const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < nkvs; i++)
		if (strcmp(kvs[i].key, key) == 0) {
			free(kvs[i].value);
			kvs[i].value = xstrdup(value);
			return;
		}
	kvs = xrealloc(kvs, xmul(nkvs + 1, sizeof(*kvs)));
	kvs[nkvs].key = xstrdup(key);
	kvs[nkvs].value = xstrdup(value);
	nkvs++;
}

int
config_load(const char *path, char *err, size_t errlen)
{
	FILE	*f;
	char	 line[4096];
	int	 explicit = path != NULL, lineno = 0;

	if (path == NULL)
		path = getenv("SOUK_CONFIG");
	if (path != NULL && *path != '\0')
		explicit = 1;
	else
		path = CONFIG_FILE;
	if ((f = fopen(path, "r")) == NULL) {
		if (!explicit && errno == ENOENT)
			return 0;
		str_errf(err, errlen, "cannot open '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		struct str	 k, v, l;
		char		*eq, key[128];

		lineno++;
		l = str_trim(str_c(line));
		if (l.len == 0 || l.p[0] == '#')
			continue;
		if ((eq = memchr(l.p, '=', l.len)) == NULL) {
			str_errf(err, errlen, "%s:%d: expected 'key = value'",
			    path, lineno);
			fclose(f);
			return -1;
		}
		k = str_trim((struct str){ l.p, (size_t)(eq - l.p) });
		v = str_trim((struct str){ eq + 1,
		    l.len - (size_t)(eq - l.p) - 1 });
		if (k.len == 0 || k.len >= sizeof(key)) {
			str_errf(err, errlen, "%s:%d: bad key", path, lineno);
			fclose(f);
			return -1;
		}
		memcpy(key, k.p, k.len);
		key[k.len] = '\0';
		{
			char *val = xstrndup(v.p, v.len);

			config_set(key, val);
			free(val);
		}
	}
	fclose(f);
	return 0;
}

const char *
config_get(const char *key, const char *def)
{
	char	 env[160];
	size_t	 i, n;
	const char *e;

	n = strlen(key);
	if (n + 6 < sizeof(env)) {
		memcpy(env, "SOUK_", 5);
		for (i = 0; i < n; i++)
			env[5 + i] = (char)toupper((unsigned char)key[i]);
		env[5 + n] = '\0';
		if ((e = getenv(env)) != NULL)
			return e;
	}
	for (i = 0; i < nkvs; i++)
		if (strcmp(kvs[i].key, key) == 0)
			return kvs[i].value;
	if ((e = config_default(key)) != NULL)
		return e;
	return def;
}

int64_t
config_int(const char *key, int64_t def, int64_t min, int64_t max)
{
	const char	*s = config_get(key, NULL);
	int64_t		 v;

	if (s == NULL || *s == '\0')
		return def;
	if (str_to_i64c(s, min, max, &v) == -1)
		fatal("config '%s' = '%s': want an integer in [%lld, %lld]",
		    key, s, (long long)min, (long long)max);
	return v;
}

void
config_free(void)
{
	size_t i;

	for (i = 0; i < nkvs; i++) {
		free(kvs[i].key);
		free(kvs[i].value);
	}
	free(kvs);
	kvs = NULL;
	nkvs = 0;
}
