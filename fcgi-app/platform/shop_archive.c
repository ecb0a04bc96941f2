/* shop_archive.c: see shop_archive.h. */
#include "core/common.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/dirtree.h"
#include "core/spawn.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "db/migrate.h"
#include "platform/account.h"
#include "platform/audit.h"
#include "platform/backup.h"
#include "platform/domain.h"
#include "platform/provision.h"
#include "platform/shop_archive.h"
#include "platform/tenant.h"

#include <fcntl.h>
#include <json-c/json.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FORMAT		"souk-shop 1"
#define MANIFEST_MAX	(1 << 20)

/* The merchant's columns of souk_tenants, as the manifest carries them
 * (the values as stored: lists comma separated). */
static const char *const setting_cols[] = {
	"name", "theme", "default_locale", "locales", "currency",
	"display_currencies", "time_zone", "color_primary", "color_accent",
	"logo", "custom_css",
};

/* Media paths in the shop's tables: "s42/..." under media_dir, to name
 * the new shop's folder on import. A new column holding one belongs
 * here. */
static const struct {
	const char *table, *column;
} media_cols[] = {
	{ "products", "image" },
	{ "images", "path" },
	{ "images", "card_path" },
	{ "images", "page_path" },
};

static double
secs_since(int64_t t0)
{
	return (double)(clock_ms() - t0) / 1000.0;
}

static int
count_rows(struct db *db, struct arena *a, int64_t id, const char *table,
    int64_t *out)
{
	struct db_stmt *st = db_prepare(db, arena_printf(a, "SELECT COUNT(*) "
	    "FROM s%lld_%s", (long long)id, table), 0);

	*out = 0;
	if (st == NULL || db_exec_first(st) != 1)
		return -1;
	*out = db_col_i64(st, 0);
	db_done(st);
	return 0;
}

/* --- export --------------------------------------------------------- */

static json_object *
manifest_of(struct db *db, struct arena *a, const struct tenant *t,
    const char *const *tables, int n, char *err, size_t errlen)
{
	struct db_stmt	*st;
	json_object	*m = json_object_new_object(), *o, *arr;
	size_t		 i;
	int		 k, r;

	json_object_object_add(m, "format", json_object_new_string(FORMAT));
	json_object_object_add(m, "exported_at",
	    json_object_new_int64((int64_t)time(NULL)));
	o = json_object_new_object();
	json_object_object_add(o, "platform_domain", json_object_new_string(
	    config_get("platform_domain", "localhost")));
	json_object_object_add(o, "id", json_object_new_int64(t->id));
	json_object_object_add(o, "slug", json_object_new_string(t->slug));
	json_object_object_add(m, "source", o);
	json_object_object_add(m, "schema_version",
	    json_object_new_int(t->schema_version));

	st = db_prepare(db, "SELECT name, theme, default_locale, locales, "
	    "currency, display_currencies, time_zone, color_primary, "
	    "color_accent, logo, custom_css FROM souk_tenants WHERE id = ?",
	    0);
	if (st == NULL)
		goto dberr;
	db_bind_i64(st, 0, t->id);
	if (db_exec_first(st) != 1)
		goto dberr;
	o = json_object_new_object();
	for (i = 0; i < NELEM(setting_cols); i++) {
		struct str v = db_col_str(st, (unsigned)i);

		json_object_object_add(o, setting_cols[i],
		    json_object_new_string_len(v.p, (int)v.len));
	}
	db_done(st);
	json_object_object_add(m, "settings", o);

	st = db_prepare(db, "SELECT host FROM souk_domains WHERE tenant_id = "
	    "? ORDER BY host", 0);
	if (st == NULL)
		goto dberr;
	db_bind_i64(st, 0, t->id);
	arr = json_object_new_array();
	r = db_exec(st, NULL) == 0 ? 1 : -1;
	while (r == 1 && (r = db_step(st)) == 1) {
		struct str v = db_col_str(st, 0);

		json_object_array_add(arr, json_object_new_string_len(v.p,
		    (int)v.len));
	}
	db_done(st);
	json_object_object_add(m, "domains", arr);
	if (r == -1)
		goto dberr;

	st = db_prepare(db, "SELECT email, pw_hash FROM souk_accounts WHERE "
	    "id = ?", 0);
	if (st == NULL)
		goto dberr;
	db_bind_i64(st, 0, t->owner_id);
	if (db_exec_first(st) != 1)
		goto dberr;
	o = json_object_new_object();
	json_object_object_add(o, "email", json_object_new_string(
	    arena_strndup(a, db_col_str(st, 0).p, db_col_str(st, 0).len)));
	json_object_object_add(o, "pw_hash", json_object_new_string(
	    arena_strndup(a, db_col_str(st, 1).p, db_col_str(st, 1).len)));
	db_done(st);
	json_object_object_add(m, "owner", o);

	arr = json_object_new_array();
	for (k = 0; k < n; k++)
		json_object_array_add(arr, json_object_new_string(tables[k] +
		    strlen(arena_printf(a, "s%lld_", (long long)t->id))));
	json_object_object_add(m, "tables", arr);
	return m;
dberr:
	str_errf(err, errlen, "%s", db_error(db));
	json_object_put(m);
	return NULL;
}

int
shop_archive_export(struct db *db, const struct tenant *t, const char *path,
    struct shop_archive_report *r, char *err, size_t errlen)
{
	struct arena		  a;
	struct dirtree_stats	  ms;
	json_object		 *m = NULL;
	const char		**tables, *scratch, *cnf, *tmp;
	int64_t			  t0 = clock_ms();
	int			  n, i, fd, st, rc = -1;

	memset(r, 0, sizeof(*r));
	arena_init(&a);
	if ((scratch = backup_scratch(&a, "export", err, errlen)) == NULL)
		goto done;
	if ((n = backup_tables_like(db, &a, NULL, arena_printf(&a,
	    "s%lld\\_%%", (long long)t->id), &tables)) <= 0) {
		str_errf(err, errlen, n == 0 ? "the shop has no tables" :
		    "%s", db_error(db));
		goto done;
	}
	if ((m = manifest_of(db, &a, t, tables, n, err, errlen)) == NULL)
		goto done;
	if (json_object_to_file_ext(arena_printf(&a, "%s/manifest.json",
	    scratch), m, JSON_C_TO_STRING_PRETTY) == -1) {
		str_errf(err, errlen, "cannot write the manifest in '%s'",
		    scratch);
		goto done;
	}

	/* The tables, in one transaction. */
	if ((cnf = backup_live_cnf(&a, scratch, err, errlen)) == NULL)
		goto done;
	{
		const char **argv = arena_calloc(&a, (size_t)n + 12,
		    sizeof(*argv));
		int k = 0;

		argv[k++] = "mariadb-dump";
		argv[k++] = arena_printf(&a, "--defaults-file=%s", cnf);
		argv[k++] = "--single-transaction";
		argv[k++] = "--skip-lock-tables";
		argv[k++] = "--no-tablespaces";
		argv[k++] = "--skip-triggers";
		argv[k++] = "--hex-blob";
		argv[k++] = "--default-character-set=utf8mb4";
		argv[k++] = config_get("db_name", "souk");
		for (i = 0; i < n; i++)
			argv[k++] = tables[i];
		fd = open(arena_printf(&a, "%s/tables.sql", scratch),
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd == -1) {
			str_errf(err, errlen, "cannot write in '%s': %s",
			    scratch, strerror(errno));
			goto done;
		}
		st = spawn_run(argv, NULL, -1, fd, -1);
		close(fd);
		unlink(cnf);
		if (st != 0) {
			str_errf(err, errlen, "mariadb-dump failed (status %d)",
			    st);
			goto done;
		}
	}
	if (dirtree_copy(arena_printf(&a, "%s/s%lld", config_get("media_dir",
	    config_default("media_dir")), (long long)t->id),
	    arena_printf(&a, "%s/media", scratch), NULL, 0, &ms, err,
	    errlen) == -1)
		goto done;

	tmp = arena_printf(&a, "%s.tmp", path);
	{
		const char *argv[] = { "tar", "-C", scratch, "-czf", tmp,
		    "manifest.json", "tables.sql", "media", NULL };

		if ((st = spawn_run(argv, NULL, -1, -1, -1)) != 0 ||
		    rename(tmp, path) == -1) {
			str_errf(err, errlen, "cannot write '%s' (tar status "
			    "%d): %s", path, st, strerror(errno));
			unlink(tmp);
			goto done;
		}
	}
	r->id = t->id;
	str_copy(r->slug, sizeof(r->slug), str_c(t->slug));
	r->tables = n;
	r->schema_from = r->schema_to = t->schema_version;
	r->media_files = ms.files;
	count_rows(db, &a, t->id, "products", &r->products);
	count_rows(db, &a, t->id, "orders", &r->orders);
	r->secs = secs_since(t0);
	rc = 0;
done:
	json_object_put(m);
	dirtree_remove(backup_path(&a, arena_printf(&a, "export.%d",
	    (int)getpid()), ""));
	arena_free(&a);
	return rc;
}

/* --- import --------------------------------------------------------- */

struct manifest {
	int		 version;
	const char	*slug, *email, *pw_hash;
	const char	*settings[NELEM(setting_cols)];
	const char	**tables;
	int		 ntables;
	json_object	*domains;
};

static const char *
jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Reads and checks the manifest: every field there and of its type,
 * the tables ones this installation creates. */
static int
manifest_read(struct arena *a, json_object *m, struct manifest *out,
    int latest, char *err, size_t errlen)
{
	const char *const	*known;
	json_object		*o, *v, *arr;
	const char		*f;
	size_t			 i, j, k, nknown;
	int			 nk;
	char			 e[256];

	memset(out, 0, sizeof(*out));
	if (!json_object_is_type(m, json_type_object) ||
	    (f = jstr(m, "format")) == NULL || strcmp(f, FORMAT) != 0) {
		str_errf(err, errlen, "not a souk shop archive (the manifest's "
		    "format is not \"" FORMAT "\")");
		return -1;
	}
	if (!json_object_object_get_ex(m, "schema_version", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    (out->version = json_object_get_int(v)) < 1) {
		str_errf(err, errlen, "the manifest has no schema_version");
		return -1;
	}
	if (out->version > latest) {
		str_errf(err, errlen, "the archive's tables are at version %d, "
		    "this installation's newest is %d: upgrade souk first",
		    out->version, latest);
		return -1;
	}
	if (!json_object_object_get_ex(m, "source", &o) ||
	    (out->slug = jstr(o, "slug")) == NULL ||
	    !json_object_object_get_ex(m, "owner", &o) ||
	    (out->email = jstr(o, "email")) == NULL ||
	    (out->pw_hash = jstr(o, "pw_hash")) == NULL ||
	    !json_object_object_get_ex(m, "settings", &o) ||
	    !json_object_object_get_ex(m, "domains", &out->domains) ||
	    !json_object_is_type(out->domains, json_type_array) ||
	    !json_object_object_get_ex(m, "tables", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		str_errf(err, errlen, "the manifest lacks the source's slug, "
		    "the owner, the settings, the domains or the tables");
		return -1;
	}
	for (i = 0; i < NELEM(setting_cols); i++)
		if ((out->settings[i] = jstr(o, setting_cols[i])) == NULL) {
			str_errf(err, errlen, "the manifest's settings lack "
			    "\"%s\"", setting_cols[i]);
			return -1;
		}
	if ((nk = migrate_shop_tables(config_get("sql_dir",
	    config_default("sql_dir")), &known, e, sizeof(e))) < 0) {
		str_errf(err, errlen, "%s", e);
		return -1;
	}
	nknown = (size_t)nk;
	out->ntables = (int)json_object_array_length(arr);
	out->tables = arena_calloc(a, (size_t)out->ntables + 1,
	    sizeof(*out->tables));
	for (i = 0; i < (size_t)out->ntables; i++) {
		v = json_object_array_get_idx(arr, i);
		f = json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) : "";
		for (j = 0; j < nknown; j++)
			if (strcmp(known[j], f) == 0)
				break;
		if (j == nknown) {
			str_errf(err, errlen, "the manifest names a table this "
			    "installation does not have: \"%.64s\"", f);
			return -1;
		}
		for (k = 0; k < i; k++)
			if (out->tables[k] == known[j]) {
				str_errf(err, errlen, "the manifest names table "
				    "\"%s\" twice", f);
				return -1;
			}
		out->tables[i] = known[j];
	}
	if (out->ntables < 1) {
		str_errf(err, errlen, "the manifest names no table");
		return -1;
	}
	return 0;
}

/* A comma list ("en,de") into settings' array of views. */
static size_t
split_list(const char *s, struct str *out, size_t max)
{
	size_t n = 0;

	while (*s != '\0' && n < max) {
		size_t len = strcspn(s, ",");

		if (len > 0)
			out[n++] = (struct str){ s, len };
		s += len;
		if (*s == ',')
			s++;
	}
	return n;
}

/* "s42/x.png" -> "s7/x.png"; other values as they are. */
static const char *
repath(struct arena *a, const char *p, int64_t from, int64_t to)
{
	const char *pre = arena_printf(a, "s%lld/", (long long)from);

	if (strncmp(p, pre, strlen(pre)) != 0)
		return p;
	return arena_printf(a, "s%lld/%s", (long long)to, p + strlen(pre));
}

static int
apply_settings(struct db *db, struct arena *a, const struct manifest *m,
    int64_t from, int64_t to, char *err, size_t errlen)
{
	struct tenant_settings	s;
	enum tenant_err		e;
	const char *const	*v = m->settings;

	memset(&s, 0, sizeof(s));
	s.name = str_c(v[0]);
	s.default_locale = str_c(v[2]);
	s.nlocales = split_list(v[3], s.locales, TENANT_MAX_LOCALES);
	s.currency = str_c(v[4]);
	s.ndisplay = split_list(v[5], s.display_currencies,
	    TENANT_MAX_CURRENCIES);
	s.time_zone = str_c(v[6]);
	s.color_primary = str_c(v[7]);
	s.color_accent = str_c(v[8]);
	s.logo = str_c(repath(a, v[9], from, to));
	if ((e = tenant_update_settings(db, to, &s)) != TENANT_OK ||
	    (e = tenant_set_custom_css(db, to, str_c(repath(a, v[10], from,
	    to)))) != TENANT_OK) {
		str_errf(err, errlen, "the archive's settings are refused: %s",
		    tenant_strerror(e));
		return -1;
	}
	/* A theme this installation does not have: its default. */
	if (tenant_theme_valid(str_c(v[1])))
		tenant_set_theme(db, to, str_c(v[1]));
	return 0;
}

/* The scratch database and its user, as the administrator. */
struct scratch_db {
	struct db	*admin;
	char		 name[64];
	char		 user[64];
	char		 password[33];
	int		 created;
};

static int
scratch_db_open(struct scratch_db *s, struct arena *a, char *err,
    size_t errlen)
{
	if ((s->admin = backup_admin_open(err, errlen)) == NULL)
		return -1;
	str_copy(s->name, sizeof(s->name), str_c(arena_printf(a,
	    "souk_import_%d", (int)getpid())));
	str_copy(s->user, sizeof(s->user), str_c(s->name));
	crypto_random_hex(s->password, (sizeof(s->password) - 1) / 2);
	db_exec_ddl(s->admin, arena_printf(a, "DROP DATABASE IF EXISTS %s",
	    s->name), 0);
	db_exec_ddl(s->admin, arena_printf(a, "DROP USER IF EXISTS "
	    "'%s'@'localhost'", s->user), 0);
	s->created = 1;
	/* Only what mariadb-dump's output needs: tables and rows. No
	 * triggers, routines, views or events; nothing outside. */
	if (db_exec_ddl(s->admin, arena_printf(a, "CREATE DATABASE %s "
	    "CHARACTER SET utf8mb4", s->name), 0) == -1 ||
	    db_exec_ddl(s->admin, arena_printf(a, "CREATE USER '%s'@'localhost'"
	    " IDENTIFIED BY '%s'", s->user, s->password), 0) == -1 ||
	    db_exec_ddl(s->admin, arena_printf(a, "GRANT SELECT, INSERT, "
	    "CREATE, DROP, ALTER, INDEX, LOCK TABLES ON %s.* TO "
	    "'%s'@'localhost'", s->name, s->user), 0) == -1) {
		str_errf(err, errlen, "cannot create the scratch database: %s",
		    db_error(s->admin));
		return -1;
	}
	return 0;
}

static void
scratch_db_close(struct scratch_db *s, struct arena *a)
{
	if (s->admin != NULL && s->created) {
		db_exec_ddl(s->admin, arena_printf(a, "DROP DATABASE IF EXISTS "
		    "%s", s->name), 0);
		db_exec_ddl(s->admin, arena_printf(a, "DROP USER IF EXISTS "
		    "'%s'@'localhost'", s->user), 0);
	}
	db_close(s->admin);
	s->admin = NULL;
}

/* Loads tables.sql into the scratch database as its user. */
static int
load_tables(struct scratch_db *s, struct arena *a, const char *dir,
    char *err, size_t errlen)
{
	const char	*cnf = arena_printf(a, "%s/import.cnf", dir);
	const char	*log = arena_printf(a, "%s/load.log", dir);
	const char	*sock = config_get("backup_socket", "");
	int		 in, lfd, st;

	if (*sock == '\0')
		sock = config_get("db_socket", "");
	if (backup_write_client_cnf(cnf, s->user, s->password, *sock ? sock :
	    "/run/mysqld/mysqld.sock", "", 0) == -1) {
		str_errf(err, errlen, "cannot write '%s': %s", cnf,
		    strerror(errno));
		return -1;
	}
	if ((in = open(arena_printf(a, "%s/tables.sql", dir), O_RDONLY |
	    O_CLOEXEC)) == -1) {
		str_errf(err, errlen, "the archive has no tables.sql");
		return -1;
	}
	lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	{
		const char *argv[] = { "mariadb",
		    arena_printf(a, "--defaults-file=%s", cnf),
		    "--binary-mode", "--default-character-set=utf8mb4",
		    s->name, NULL };

		st = spawn_run(argv, NULL, in, lfd, lfd);
	}
	close(in);
	unlink(cnf);
	if (st != 0) {
		char	 buf[400] = "";
		ssize_t	 k = lfd != -1 ? pread(lfd, buf, sizeof(buf) - 1, 0) :
		    0;

		buf[k > 0 ? k : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		str_errf(err, errlen, "the archive's tables.sql was refused: "
		    "%s", *buf ? buf : "mariadb failed");
	}
	if (lfd != -1)
		close(lfd);
	return st == 0 ? 0 : -1;
}

struct import_ctx {
	struct arena		*a;
	struct manifest		 m;
	int64_t			 from, id;
	struct scratch_db	 sdb;
};

/* The scratch database holds exactly the manifest's tables, under the
 * source's prefix, and nothing else. Then one RENAME TABLE puts them in
 * place of the new shop's empty ones. */
static int
swap_in(struct import_ctx *c, struct db *db, char *err, size_t errlen)
{
	const char	**got, **fresh;
	struct strbuf	  sb;
	int		  n, nf, i, j, rc;

	n = backup_tables_like(c->sdb.admin, c->a, c->sdb.name, "%", &got);
	if (n != c->m.ntables) {
		str_errf(err, errlen, "the archive's tables.sql made %d tables, "
		    "its manifest names %d", n, c->m.ntables);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *want = arena_printf(c->a, "s%lld_%s",
		    (long long)c->from, c->m.tables[i]);

		for (j = 0; j < n; j++)
			if (strcmp(got[j], want) == 0)
				break;
		if (j == n) {
			str_errf(err, errlen, "the archive's tables.sql did not "
			    "make %s", want);
			return -1;
		}
	}
	if ((nf = backup_tables_like(db, c->a, NULL, arena_printf(c->a,
	    "s%lld\\_%%", (long long)c->id), &fresh)) < 0) {
		str_errf(err, errlen, "%s", db_error(db));
		return -1;
	}
	strbuf_init(&sb, 4096);
	strbuf_addstr(&sb, "RENAME TABLE ");
	for (i = 0; i < nf; i++)
		strbuf_addf(&sb, "%s%s.%s TO %s.empty_%s", i ? ", " : "",
		    config_get("db_name", "souk"), fresh[i], c->sdb.name,
		    fresh[i]);
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s.s%lld_%s TO %s.s%lld_%s", i || nf ?
		    ", " : "", c->sdb.name, (long long)c->from,
		    c->m.tables[i], config_get("db_name", "souk"),
		    (long long)c->id, c->m.tables[i]);
	rc = db_exec_ddl(c->sdb.admin, sb.buf, 0);
	strbuf_release(&sb);
	if (rc == -1)
		str_errf(err, errlen, "cannot move the tables in: %s",
		    db_error(c->sdb.admin));
	return rc;
}

static int
repath_media(struct import_ctx *c, struct db *db, char *err, size_t errlen)
{
	const char	*from = arena_printf(c->a, "s%lld/", (long long)c->from);
	const char	*to = arena_printf(c->a, "s%lld/", (long long)c->id);
	struct db_stmt	*st;
	size_t		 i;

	for (i = 0; i < NELEM(media_cols); i++) {
		st = db_prepare(db, arena_printf(c->a, "UPDATE s%lld_%s SET %s "
		    "= CONCAT(?, SUBSTRING(%s, ?)) WHERE %s LIKE ?",
		    (long long)c->id, media_cols[i].table,
		    media_cols[i].column, media_cols[i].column,
		    media_cols[i].column), 0);
		if (st == NULL)
			goto dberr;
		db_bind_cstr(st, 0, to);
		db_bind_i64(st, 1, (int64_t)strlen(from) + 1);
		db_bind_cstr(st, 2, arena_printf(c->a, "%s%%", from));
		if (db_exec(st, NULL) == -1)
			goto dberr;
		db_done(st);
	}
	return 0;
dberr:
	str_errf(err, errlen, "cannot rename the media paths: %s",
	    db_error(db));
	return -1;
}

/* The owner: the account with the archive's e-mail, or a new one with
 * its password hash (the merchant keeps the password). */
static int
owner_of(struct db *db, const struct manifest *m, int64_t *id, char *err,
    size_t errlen)
{
	struct account		acc;
	enum account_err	e;
	char			norm[256];

	if (account_email_norm(str_c(m->email), norm, sizeof(norm)) == -1 ||
	    strncmp(m->pw_hash, "$argon2id$", 10) != 0 ||
	    strlen(m->pw_hash) >= 128) {
		str_errf(err, errlen, "the archive's owner has no valid e-mail "
		    "or password hash");
		return -1;
	}
	if ((e = account_get_by_email(db, str_c(norm), &acc)) == ACCOUNT_OK) {
		*id = acc.id;
		return 0;
	}
	if (e == ACCOUNT_ENOTFOUND)
		e = account_create_hashed(db, norm, m->pw_hash, id);
	if (e != ACCOUNT_OK) {
		str_errf(err, errlen, "cannot find or create the owner: %s",
		    account_strerror(e));
		return -1;
	}
	return 0;
}

int
shop_archive_import(struct db *db, const char *path, const char *slug,
    struct shop_archive_report *r, char *err, size_t errlen)
{
	struct arena		  a;
	struct import_ctx	  c;
	struct provision_req	  req;
	struct dirtree_stats	  ms;
	struct stat		  sb;
	enum provision_err	  pe;
	json_object		 *man = NULL, *after;
	const char		 *dir, *sql_dir, *mpath;
	char			  e2[256];
	int64_t			  t0 = clock_ms(), owner;
	int			  latest, st, rc = -1, made = 0;
	size_t			  i;

	memset(r, 0, sizeof(*r));
	memset(&c, 0, sizeof(c));
	arena_init(&a);
	c.a = &a;
	sql_dir = config_get("sql_dir", config_default("sql_dir"));
	if ((latest = migrate_shop_latest(sql_dir, err, errlen)) == -1)
		goto done;
	if ((dir = backup_scratch(&a, "import", err, errlen)) == NULL)
		goto done;
	{
		/* Only these names; GNU tar refuses members with "..", and
		 * strips a leading "/". */
		const char *argv[] = { "tar", "-C", dir, "-xzf", path,
		    "--no-same-owner", "--no-same-permissions",
		    "--no-overwrite-dir", "manifest.json", "tables.sql",
		    "media", NULL };

		if ((st = spawn_run(argv, NULL, -1, -1, -1)) != 0) {
			str_errf(err, errlen, "cannot read '%s' as a shop "
			    "archive (tar status %d)", path, st);
			goto done;
		}
	}
	mpath = arena_printf(&a, "%s/manifest.json", dir);
	if (lstat(mpath, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > MANIFEST_MAX ||
	    (man = json_object_from_file(mpath)) == NULL) {
		str_errf(err, errlen, "the archive's manifest.json is missing "
		    "or not JSON");
		goto done;
	}
	if (manifest_read(&a, man, &c.m, latest, err, errlen) == -1)
		goto done;
	if (json_object_object_get_ex(man, "source", &after) &&
	    json_object_object_get_ex(after, "id", &after) &&
	    json_object_is_type(after, json_type_int))
		c.from = json_object_get_int64(after);
	if (c.from < 1) {
		str_errf(err, errlen, "the manifest has no source id");
		goto done;
	}
	if (slug == NULL)
		slug = c.m.slug;

	/* A new shop, hidden while the archive goes in. Never an existing
	 * one: provisioning would take up a slug of the same owner where
	 * it stopped. */
	{
		struct tenant	t;
		enum tenant_err	te = tenant_get_by_slug(db, str_c(slug), &t);

		if (te != TENANT_ENOTFOUND) {
			str_errf(err, errlen, te == TENANT_OK ? "cannot create "
			    "shop '%s': it exists (import under another "
			    "--slug)" : "%s", te == TENANT_OK ? slug :
			    db_error(db));
			goto done;
		}
	}
	if (owner_of(db, &c.m, &owner, err, errlen) == -1)
		goto done;
	memset(&req, 0, sizeof(req));
	req.slug = str_c(slug);
	req.name = str_c(c.m.settings[0]);
	req.locale = str_c(c.m.settings[2]);
	req.currency = str_c(c.m.settings[4]);
	req.owner_id = owner;
	pe = provision_shop(db, &req, &c.id, e2, sizeof(e2));
	if (pe == PROVISION_ESCHEMA)
		made = 1;
	if (pe != PROVISION_OK) {
		str_errf(err, errlen, "cannot create shop '%s': %s%s%s", slug,
		    provision_strerror(pe), *e2 ? ": " : "", e2);
		goto done;
	}
	made = 1;
	if (tenant_set_status(db, c.id, TENANT_PROVISIONING,
	    "importing an archive") != TENANT_OK) {
		str_errf(err, errlen, "%s", db_error(db));
		goto done;
	}

	if (scratch_db_open(&c.sdb, &a, err, errlen) == -1 ||
	    load_tables(&c.sdb, &a, dir, err, errlen) == -1 ||
	    swap_in(&c, db, err, errlen) == -1)
		goto done;
	{
		struct db_stmt *u = db_prepare(db, "UPDATE souk_tenants SET "
		    "schema_version = ?, search_version = 0 WHERE id = ?", 0);

		if (u == NULL)
			goto dberr;
		db_bind_i64(u, 0, c.m.version);
		db_bind_i64(u, 1, c.id);
		if (db_exec(u, NULL) == -1)
			goto dberr;
		db_done(u);
	}
	r->schema_from = c.m.version;
	r->schema_to = c.m.version;
	if (c.m.version < latest && migrate_shop(db, sql_dir, c.id,
	    c.m.version, &r->schema_to, err, errlen) == -1)
		goto done;
	if (repath_media(&c, db, err, errlen) == -1 ||
	    apply_settings(db, &a, &c.m, c.from, c.id, err, errlen) == -1)
		goto done;
	if (dirtree_copy(arena_printf(&a, "%s/media", dir),
	    arena_printf(&a, "%s/s%lld", config_get("media_dir",
	    config_default("media_dir")), (long long)c.id), NULL, 0, &ms,
	    err, errlen) == -1)
		goto done;
	r->media_files = ms.files;
	{
		struct strbuf ds;

		strbuf_init(&ds, 256);
		for (i = 0; i < json_object_array_length(c.m.domains); i++) {
			json_object *d = json_object_array_get_idx(c.m.domains,
			    i);
			const char *h = json_object_is_type(d,
			    json_type_string) ? json_object_get_string(d) : "";

			if (*h != '\0' && domain_valid(h, strlen(h)))
				strbuf_addf(&ds, "%s%s", ds.len ? ", " : "", h);
		}
		str_copy(r->domains, sizeof(r->domains), str_c(ds.buf));
		strbuf_release(&ds);
	}
	after = json_object_new_object();
	json_object_object_add(after, "archive", json_object_new_string(
	    c.m.slug));
	json_object_object_add(after, "schema_version",
	    json_object_new_int(r->schema_to));
	st = audit_log(db, c.id, "shop.import", "shop", c.id, NULL, after);
	json_object_put(after);
	if (st == -1 || tenant_set_status(db, c.id, TENANT_READY, "") !=
	    TENANT_OK)
		goto dberr;
	r->id = c.id;
	str_copy(r->slug, sizeof(r->slug), str_c(slug));
	r->tables = c.m.ntables;
	count_rows(db, &a, c.id, "products", &r->products);
	count_rows(db, &a, c.id, "orders", &r->orders);
	r->secs = secs_since(t0);
	rc = 0;
	goto done;
dberr:
	str_errf(err, errlen, "%s", db_error(db));
done:
	scratch_db_close(&c.sdb, &a);
	if (rc == -1 && made && c.id > 0)
		provision_delete(db, c.id, NULL, 0);
	json_object_put(man);
	dirtree_remove(backup_path(&a, arena_printf(&a, "import.%d",
	    (int)getpid()), ""));
	arena_free(&a);
	return rc;
}
