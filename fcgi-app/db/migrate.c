/* migrate.c: platform and shop schema migrations (see migrate.h). */
#include "core/common.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "db/migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <strings.h>
#include <time.h>

#define MIGRATE_LOCK_WAIT	60	/* seconds to wait for another run */
/*
 * A shop's ALTER TABLE waits for the table's metadata lock behind any
 * transaction that has used the table, and every statement of the
 * serving workers that comes after it waits behind the ALTER: a report
 * that runs a minute would stall the shop for a minute. So the shop
 * runner waits at most migrate_lock_wait_secs (2) for the lock, gives
 * up (the queued statements go on), pauses MIGRATE_RETRY_MS and tries
 * again, MIGRATE_TRIES times in all.
 */
#define MIGRATE_TRIES		15
#define MIGRATE_RETRY_MS	1000

struct mig_file {
	int	 num;
	char	*name;		/* "001_catalog.sql" */
	char	**stmts;
	size_t	 nstmts;
};

struct mig_set {
	char		*dir;	/* the folder read */
	struct mig_file	*files;	/* sorted by num */
	size_t		 nfiles;
	char		**tables;
	size_t		 ntables;
};

static struct mig_set	shop_set;

static void
set_free(struct mig_set *set)
{
	size_t i, j;

	for (i = 0; i < set->nfiles; i++) {
		for (j = 0; j < set->files[i].nstmts; j++)
			free(set->files[i].stmts[j]);
		free(set->files[i].stmts);
		free(set->files[i].name);
	}
	for (i = 0; i < set->ntables; i++)
		free(set->tables[i]);
	free(set->tables);
	free(set->files);
	free(set->dir);
	memset(set, 0, sizeof(*set));
}

void
migrate_free(void)
{
	set_free(&shop_set);
}

/* Nonzero when the text holds something besides blanks and comments. */
static int
has_sql(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
			while (i < n && s[i] != '\n')
				i++;
			continue;
		}
		return 1;
	}
	return 0;
}

static void
add_stmt(struct mig_file *f, const char *s, size_t n)
{
	if (!has_sql(s, n))
		return;
	f->stmts = xrealloc(f->stmts, xmul(f->nstmts + 1, sizeof(char *)));
	f->stmts[f->nstmts++] = xstrndup(s, n);
}

/* Splits text into statements on lines holding only ";;". */
static void
split(struct mig_file *f, const char *text, size_t len)
{
	size_t start = 0, i = 0, eol, e;

	while (i < len) {
		eol = i;
		while (eol < len && text[eol] != '\n')
			eol++;
		e = eol;
		while (e > i && isspace((unsigned char)text[e - 1]))
			e--;
		if (e - i == 2 && text[i] == ';' && text[i + 1] == ';') {
			add_stmt(f, text + start, i - start);
			start = eol < len ? eol + 1 : len;
		}
		i = eol < len ? eol + 1 : len;
	}
	add_stmt(f, text + start, len - start);
}

static int
read_file(const char *path, struct strbuf *sb, char *err, size_t errlen)
{
	FILE	*fp;
	char	 buf[8192];
	size_t	 n;

	if ((fp = fopen(path, "r")) == NULL) {
		str_errf(err, errlen, "cannot open '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(sb, buf, n);
	if (ferror(fp)) {
		str_errf(err, errlen, "cannot read '%s'", path);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return 0;
}

/* The number of a "NNN_name.sql" file name, or -1. */
static int
file_number(const char *name)
{
	size_t	n = strlen(name), i;
	int64_t	v;
	char	num[10];

	if (n < 6 || strcmp(name + n - 4, ".sql") != 0)
		return -1;
	for (i = 0; i < n && isdigit((unsigned char)name[i]); i++)
		;
	if (i == 0 || i >= sizeof(num) || name[i] != '_')
		return -1;
	memcpy(num, name, i);
	num[i] = '\0';
	if (str_to_i64c(num, 0, 999999, &v) == -1)
		return -1;
	return (int)v;
}

static int
cmp_file(const void *a, const void *b)
{
	const struct mig_file *x = a, *y = b;

	return (x->num > y->num) - (x->num < y->num);
}

static void
find_tables(struct mig_set *set)
{
	static const char	 key[] = "CREATE TABLE IF NOT EXISTS {p}";
	size_t			 i, j, k, n;
	const char		*s, *p;

	for (i = 0; i < set->nfiles; i++)
		for (j = 0; j < set->files[i].nstmts; j++) {
			s = set->files[i].stmts[j];
			for (p = s; *p != '\0'; p++) {
				if (strncasecmp(p, key, sizeof(key) - 1) != 0)
					continue;
				p += sizeof(key) - 1;
				for (n = 0; islower((unsigned char)p[n]) ||
				    isdigit((unsigned char)p[n]) ||
				    p[n] == '_'; n++)
					;
				if (n == 0)
					continue;
				for (k = 0; k < set->ntables; k++)
					if (strlen(set->tables[k]) == n &&
					    memcmp(set->tables[k], p, n) == 0)
						break;
				if (k < set->ntables)
					continue;
				set->tables = xrealloc(set->tables,
				    xmul(set->ntables + 1, sizeof(char *)));
				set->tables[set->ntables++] = xstrndup(p, n);
			}
		}
}

/* Reads every NNN_*.sql of dir into set (empty before). */
static int
load_set(struct mig_set *set, const char *dir, char *err, size_t errlen)
{
	struct strbuf	 path = STRBUF_INIT, text = STRBUF_INIT;
	struct dirent	*de;
	DIR		*d;
	size_t		 i;
	int		 num, rc = -1;

	if ((d = opendir(dir)) == NULL) {
		str_errf(err, errlen, "cannot open '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	set->dir = xstrdup(dir);
	while ((de = readdir(d)) != NULL) {
		if ((num = file_number(de->d_name)) < 0)
			continue;
		set->files = xrealloc(set->files,
		    xmul(set->nfiles + 1, sizeof(*set->files)));
		memset(&set->files[set->nfiles], 0, sizeof(*set->files));
		set->files[set->nfiles].num = num;
		set->files[set->nfiles].name = xstrdup(de->d_name);
		set->nfiles++;
	}
	closedir(d);
	if (set->nfiles > 0)
		qsort(set->files, set->nfiles, sizeof(*set->files), cmp_file);
	for (i = 0; i < set->nfiles; i++) {
		if (i > 0 && set->files[i].num == set->files[i - 1].num) {
			str_errf(err, errlen, "'%s' and '%s' have the same "
			    "number", set->files[i - 1].name,
			    set->files[i].name);
			goto fail;
		}
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, set->files[i].name);
		strbuf_reset(&text);
		if (read_file(path.buf, &text, err, errlen) == -1)
			goto fail;
		split(&set->files[i], text.buf, text.len);
	}
	find_tables(set);
	rc = 0;
fail:
	strbuf_release(&path);
	strbuf_release(&text);
	if (rc == -1)
		set_free(set);
	return rc;
}

static int
shop_files(const char *sql_dir, char *err, size_t errlen)
{
	char dir[4096];
	int n;

	n = snprintf(dir, sizeof(dir), "%s/shop", sql_dir);
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		str_errf(err, errlen, "sql_dir too long");
		return -1;
	}
	if (shop_set.dir != NULL && strcmp(shop_set.dir, dir) == 0)
		return 0;
	set_free(&shop_set);
	if (load_set(&shop_set, dir, err, errlen) == -1)
		return -1;
	if (shop_set.nfiles == 0) {
		str_errf(err, errlen, "no migrations in '%s'", dir);
		set_free(&shop_set);
		return -1;
	}
	return 0;
}

static int
db_fail(struct db *db, const char *what, char *err, size_t errlen)
{
	str_errf(err, errlen, "%s: %s", what, db_error(db));
	return -1;
}

/* A named server lock, so two `soukctl migrate` never interleave. */
static int
lock(struct db *db, int get, char *err, size_t errlen)
{
	struct db_stmt	*st;
	int64_t		 got = 0;

	st = db_prepare(db, get ? "SELECT GET_LOCK('souk_migrate', ?)" :
	    "SELECT RELEASE_LOCK('souk_migrate')", 0);
	if (st == NULL)
		return db_fail(db, "cannot take the migration lock", err,
		    errlen);
	if (get)
		db_bind_i64(st, 0, MIGRATE_LOCK_WAIT);
	if (db_exec(st, NULL) == -1)
		return db_fail(db, "cannot take the migration lock", err,
		    errlen);
	if (db_step(st) == 1)
		got = db_col_i64(st, 0);
	db_done(st);
	if (get && got != 1) {
		str_errf(err, errlen, "another migration is running");
		return -1;
	}
	return 0;
}

/* 1 when souk_schema records name, 0 when not, -1 on error. */
static int
applied(struct db *db, const char *name)
{
	struct db_stmt	*st;
	int		 rc;

	st = db_prepare(db, "SELECT 1 FROM souk_schema WHERE name = ?", 0);
	if (st == NULL)
		return db_errclass(db) == DB_ENOTABLE ? 0 : -1;
	db_bind_cstr(st, 0, name);
	if (db_exec(st, NULL) == -1)
		return db_errclass(db) == DB_ENOTABLE ? 0 : -1;
	rc = db_step(st);
	db_done(st);
	return rc;
}

static int migrate_set(struct db *, const char *, const char *, char *,
    size_t);

int
migrate_platform(struct db *db, const char *sql_dir, char *err,
    size_t errlen)
{
	return migrate_set(db, sql_dir, "platform", err, errlen);
}

int
migrate_shard(struct db *db, const char *sql_dir, char *err, size_t errlen)
{
	return migrate_set(db, sql_dir, "shard", err, errlen);
}

/* Applies the files of sql_dir/which (platform, shard) to db. */
static int
migrate_set(struct db *db, const char *sql_dir, const char *which,
    char *err, size_t errlen)
{
	struct mig_set	 set;
	struct db_stmt	*st;
	char		 dir[4096];
	size_t		 i, j;
	int		 n, count = 0, rc = -1;

	memset(&set, 0, sizeof(set));
	n = snprintf(dir, sizeof(dir), "%s/%s", sql_dir, which);
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		str_errf(err, errlen, "sql_dir too long");
		return -1;
	}
	if (load_set(&set, dir, err, errlen) == -1)
		return -1;
	if (lock(db, 1, err, errlen) == -1) {
		set_free(&set);
		return -1;
	}
	for (i = 0; i < set.nfiles; i++) {
		struct mig_file *f = &set.files[i];

		if ((n = applied(db, f->name)) == -1) {
			db_fail(db, "cannot read souk_schema", err, errlen);
			goto fail;
		}
		if (n == 1)
			continue;
		for (j = 0; j < f->nstmts; j++)
			if (db_exec_ddl(db, f->stmts[j], 0) == -1) {
				str_errf(err, errlen, "%s, statement %zu: %s",
				    f->name, j + 1, db_error(db));
				goto fail;
			}
		st = db_prepare(db, "INSERT IGNORE INTO souk_schema (name) "
		    "VALUES (?)", 0);
		if (st == NULL)
			goto dbfail;
		db_bind_cstr(st, 0, f->name);
		if (db_exec(st, NULL) == -1)
			goto dbfail;
		log_info("applied %s migration '%s'", which, f->name);
		count++;
	}
	rc = count;
	goto out;
dbfail:
	db_fail(db, "cannot record migration", err, errlen);
fail:
out:
	/* Release on every path; a lost connection released it anyway. */
	if (db_alive(db, 0)) {
		char e2[8];

		lock(db, 0, e2, sizeof(e2));
	}
	set_free(&set);
	return rc;
}

int
migrate_shop_latest(const char *sql_dir, char *err, size_t errlen)
{
	if (shop_files(sql_dir, err, errlen) == -1)
		return -1;
	return shop_set.files[shop_set.nfiles - 1].num;
}

int
migrate_shop_tables(const char *sql_dir, const char *const **names,
    char *err, size_t errlen)
{
	if (shop_files(sql_dir, err, errlen) == -1)
		return -1;
	*names = (const char *const *)shop_set.tables;
	return (int)shop_set.ntables;
}

/* Statement j of f for tenant, tried again while it only timed out
 * waiting for a table's lock (see MIGRATE_TRIES). */
static int
ddl_retry(struct db *db, const struct mig_file *f, size_t j, int64_t tenant)
{
	struct timespec	pause = { MIGRATE_RETRY_MS / 1000,
			    (MIGRATE_RETRY_MS % 1000) * 1000000L };
	int		try;

	for (try = 1; ; try++) {
		if (db_exec_ddl(db, f->stmts[j], tenant) == 0)
			return 0;
		if (db_errclass(db) != DB_EDEADLOCK || try >= MIGRATE_TRIES)
			return -1;
		log_warn("shop %lld: %s, statement %zu: a table is in use "
		    "(%s); trying again (%d of %d)", (long long)tenant,
		    f->name, j + 1, db_error(db), try + 1, MIGRATE_TRIES);
		nanosleep(&pause, NULL);
	}
}

/* The session's wait for a table's metadata lock (MIGRATE_TRIES). Set
 * before each shop: a reconnect would have lost it. */
static int
short_lock_wait(struct db *db, char *err, size_t errlen)
{
	struct db_stmt	*st;
	int		 i;

	/* On every server: a shop's DDL runs on its own (db.h). One that
	 * is down fails its own shops' migrations, not the others'. */
	for (i = 0; i <= db_shard_count(db); i++) {
		struct db *on = db_shard(db, i);

		if ((st = db_prepare(on, "SET SESSION lock_wait_timeout = ?",
		    0)) != NULL) {
			db_bind_i64(st, 0, config_int("migrate_lock_wait_secs",
			    2, 1, 31536000));
			if (db_exec(st, NULL) == 0) {
				db_done(st);
				continue;
			}
		}
		if (i == 0)
			return db_fail(on, "cannot set lock_wait_timeout", err,
			    errlen);
		log_warn("server %s: cannot set lock_wait_timeout: %s",
		    db_shard_name(db, i), db_error(on));
	}
	return 0;
}

int
migrate_shop(struct db *db, const char *sql_dir, int64_t tenant,
    int from_version, int *new_version, char *err, size_t errlen)
{
	struct db_stmt	*st;
	size_t		 i, j;

	*new_version = from_version;
	if (tenant <= 0) {
		str_errf(err, errlen, "migrate_shop: no tenant");
		return -1;
	}
	if (shop_files(sql_dir, err, errlen) == -1)
		return -1;
	for (i = 0; i < shop_set.nfiles; i++) {
		struct mig_file *f = &shop_set.files[i];

		if (f->num <= from_version)
			continue;
		for (j = 0; j < f->nstmts; j++)
			if (ddl_retry(db, f, j, tenant) == -1) {
				str_errf(err, errlen, "shop %lld: %s, "
				    "statement %zu: %s", (long long)tenant,
				    f->name, j + 1, db_error(db));
				return -1;
			}
		st = db_prepare(db, "UPDATE souk_tenants SET schema_version "
		    "= ? WHERE id = ? AND schema_version < ?", 0);
		if (st == NULL)
			return db_fail(db, "cannot record shop version", err,
			    errlen);
		db_bind_i64(st, 0, f->num);
		db_bind_i64(st, 1, tenant);
		db_bind_i64(st, 2, f->num);
		if (db_exec(st, NULL) == -1)
			return db_fail(db, "cannot record shop version", err,
			    errlen);
		*new_version = f->num;
	}
	return 0;
}

int
migrate_shop_drop(struct db *db, const char *sql_dir, int64_t tenant,
    char *err, size_t errlen)
{
	struct strbuf	sql = STRBUF_INIT;
	size_t		i;
	int		rc = 0;

	if (shop_files(sql_dir, err, errlen) == -1)
		return -1;
	if (shop_set.ntables == 0)
		return 0;
	/* One statement, one round trip. */
	strbuf_addstr(&sql, "DROP TABLE IF EXISTS ");
	for (i = 0; i < shop_set.ntables; i++)
		strbuf_addf(&sql, "%s{p}%s", i ? ", " : "", shop_set.tables[i]);
	if (db_exec_ddl(db, sql.buf, tenant) == -1) {
		str_errf(err, errlen, "cannot drop the tables of shop %lld: %s",
		    (long long)tenant, db_error(db));
		rc = -1;
	}
	strbuf_release(&sql);
	return rc;
}

int
migrate_all_shops(struct db *db, const char *sql_dir, int *nshops,
    char *err, size_t errlen)
{
	struct db_stmt	*st;
	struct {
		int64_t	id;
		int	version;
	}		*todo = NULL;
	size_t		 n = 0, i;
	int		 latest, v, rc = 0;
	char		 e[512];

	*nshops = 0;
	if ((latest = migrate_shop_latest(sql_dir, err, errlen)) == -1)
		return -1;
	st = db_prepare(db, "SELECT id, schema_version FROM souk_tenants "
	    "WHERE schema_version BETWEEN 0 AND ? - 1 AND status IN "
	    "('ready', 'suspended', 'stock') "
	    "ORDER BY id", 0);
	if (st == NULL)
		return db_fail(db, "cannot list shops", err, errlen);
	db_bind_i64(st, 0, latest);
	if (db_exec(st, NULL) == -1)
		return db_fail(db, "cannot list shops", err, errlen);
	while (db_step(st) == 1) {
		todo = xrealloc(todo, xmul(n + 1, sizeof(*todo)));
		todo[n].id = db_col_i64(st, 0);
		todo[n].version = (int)db_col_i64(st, 1);
		n++;
	}
	db_done(st);
	for (i = 0; i < n; i++) {
		if (short_lock_wait(db, e, sizeof(e)) == -1 ||
		    migrate_shop(db, sql_dir, todo[i].id, todo[i].version, &v,
		    e, sizeof(e)) == -1) {
			log_err("%s", e);
			if (rc == 0)
				str_errf(err, errlen, "%s", e);
			rc = -1;
			if (db_errclass(db) == DB_ELOST && !db_alive(db, 0))
				break;
			continue;
		}
		log_info("shop %lld migrated to version %d",
		    (long long)todo[i].id, v);
		(*nshops)++;
	}
	free(todo);
	return rc;
}
