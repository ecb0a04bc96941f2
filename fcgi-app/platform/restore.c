/* restore.c: see restore.h. */
#include "core/common.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/dirtree.h"
#include "core/spawn.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "db/migrate.h"
#include "platform/audit.h"
#include "platform/restore.h"
#include "platform/tenant.h"

#include <fcntl.h>
#include <json-c/json.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STAGE		"restoring_"
#define OLD		"pre_restore_"
#define NAME_MAX_DB	64	/* MariaDB's longest table name */

/* The settings of souk_tenants a restore takes back: the merchant's,
 * not the platform's (status, plan, owner, slug stay as they are). */
static const char *const tenant_cols[] = {
	"name", "theme", "default_locale", "locales", "currency",
	"display_currencies", "time_zone", "color_primary", "color_accent",
	"logo", "custom_css", "schema_version",
};

/* The shop's rows of the platform tables a restore takes back: its
 * souk_tenants row, its souk_domains; copied as restoring_p42_<table>. */
static const struct {
	const char *table, *column;
} platform_rows[] = {
	{ "tenants", "id" },
	{ "domains", "tenant_id" },
};

/* Runs sql, whose one parameter is the shop's id. 0 or -1. */
static int
exec_for_shop(struct db *db, const char *sql, int64_t id)
{
	struct db_stmt *st = db_prepare(db, sql, 0);

	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, id);
	if (db_exec(st, NULL) == -1)
		return -1;
	db_done(st);
	return 0;
}

/* Drops the copies of the platform rows (staged or left by a failed
 * restore). */
static int
drop_staged_rows(struct db *db, struct arena *a, int64_t id)
{
	return db_exec_ddl(db, arena_printf(a, "DROP TABLE IF EXISTS " STAGE
	    "p%lld_tenants, " STAGE "p%lld_domains", (long long)id,
	    (long long)id), 0);
}

/* The columns of table tbl (in db's database) that table also_in has
 * too and that are in want (NULL: any), as "a, b, c"; NULL on a
 * database error. */
static const char *
columns_of(struct db *db, struct arena *a, const char *tbl,
    const char *also_in, const char *const *want, size_t nwant)
{
	struct strbuf	 sb;
	struct db_stmt	*st;
	const char	*out;
	size_t		 i;
	int		 r;

	st = db_prepare(db, "SELECT s.column_name FROM information_schema."
	    "columns s JOIN information_schema.columns l ON l.table_schema = "
	    "s.table_schema AND l.table_name = ? AND l.column_name = "
	    "s.column_name WHERE s.table_schema = DATABASE() AND "
	    "s.table_name = ? ORDER BY s.ordinal_position", 0);
	if (st == NULL)
		return NULL;
	db_bind_cstr(st, 0, also_in);
	db_bind_cstr(st, 1, tbl);
	strbuf_init(&sb, 256);
	r = db_exec(st, NULL) == 0 ? 1 : -1;
	while (r == 1 && (r = db_step(st)) == 1) {
		struct str s = db_col_str(st, 0);
		char c[NAME_MAX_DB + 1];

		str_copy(c, sizeof(c), s);
		if (!backup_ident_ok(c) || s.len >= sizeof(c))
			continue;
		for (i = 0; want != NULL && i < nwant; i++)
			if (strcmp(want[i], c) == 0)
				break;
		if (want != NULL && i == nwant)
			continue;
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", c);
	}
	db_done(st);
	out = r == -1 ? NULL : arena_strdup(a, sb.buf);
	strbuf_release(&sb);
	return out;
}

/* "a, b" -> "t.a = r.a, t.b = r.b" */
static const char *
set_list(struct arena *a, const char *cols)
{
	struct strbuf	 sb;
	const char	*p = cols, *out;

	strbuf_init(&sb, 256);
	while (*p != '\0') {
		size_t n = strcspn(p, ",");

		strbuf_addf(&sb, "%st.%.*s = r.%.*s", sb.len ? ", " : "",
		    (int)n, p, (int)n, p);
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	out = arena_strdup(a, sb.buf);
	strbuf_release(&sb);
	return out;
}

/* In the private server: the shop's tables renamed restoring_*, its
 * platform rows copied beside. Sets *version to the shop's schema
 * version there; *names to the restored tables' live names. */
static int
stage_private(struct db *p, struct arena *a, int64_t id, int *version,
    const char ***names, int *n, char *err, size_t errlen)
{
	struct db_stmt	 *st;
	struct strbuf	  sb;
	const char	**v;
	int		  i, rc = -1;

	/* A stock shop then (platform/shop_stock.h) was not this one yet. */
	st = db_prepare(p, "SELECT schema_version FROM souk_tenants WHERE "
	    "id = ? AND status <> 'stock'", 0);
	if (st == NULL)
		goto dberr;
	db_bind_i64(st, 0, id);
	if ((i = db_exec_first(st)) != 1) {
		db_done(st);
		if (i == -1)
			goto dberr;
		str_errf(err, errlen, "the shop did not exist yet at that "
		    "time");
		return -1;
	}
	*version = (int)db_col_i64(st, 0);
	db_done(st);
	if ((*n = backup_tables_like(p, a, NULL, arena_printf(a, "s%lld\\_%%",
	    (long long)id), &v)) <= 0) {
		if (*n == 0)
			str_errf(err, errlen, "the shop had no tables at "
			    "that time");
		else
			goto dberr;
		return -1;
	}
	strbuf_init(&sb, 1024);
	strbuf_addstr(&sb, "RENAME TABLE ");
	for (i = 0; i < *n; i++)
		strbuf_addf(&sb, "%s%s TO " STAGE "%s", i ? ", " : "", v[i],
		    v[i]);
	rc = db_exec_ddl(p, sb.buf, 0);
	strbuf_release(&sb);
	if (rc == -1)
		goto dberr;
	rc = -1;
	*names = v;
	/* Rows of the platform tables, as tables of their own. */
	if (drop_staged_rows(p, a, id) == -1)
		goto dberr;
	for (i = 0; i < (int)NELEM(platform_rows); i++)
		if (exec_for_shop(p, arena_printf(a, "CREATE TABLE " STAGE
		    "p%lld_%s AS SELECT * FROM souk_%s WHERE %s = ?",
		    (long long)id, platform_rows[i].table,
		    platform_rows[i].table, platform_rows[i].column), id) == -1)
			goto dberr;
	return 0;
dberr:
	str_errf(err, errlen, "in the restored copy: %s", db_error(p));
	return -1;
}

/* mariadb-dump of the staged tables from the private server into the
 * live database. */
static int
carry(struct arena *a, const struct backup_server *srv, const char *cnf,
    int64_t id, const char *const *names, int n, int log_fd, char *err,
    size_t errlen)
{
	const char	**dump = arena_calloc(a, (size_t)n + 16,
	    sizeof(*dump));
	const char	 *db = config_get("db_name", "souk");
	int		  i, k = 0, st;

	dump[k++] = "mariadb-dump";
	dump[k++] = "--no-defaults";
	dump[k++] = arena_printf(a, "--socket=%s", srv->socket);
	dump[k++] = "--user=root";
	dump[k++] = "--single-transaction";
	dump[k++] = "--skip-lock-tables";
	dump[k++] = "--no-tablespaces";
	dump[k++] = "--hex-blob";
	dump[k++] = "--default-character-set=utf8mb4";
	dump[k++] = db;
	for (i = 0; i < n; i++)
		dump[k++] = arena_printf(a, STAGE "%s", names[i]);
	dump[k++] = arena_printf(a, STAGE "p%lld_tenants", (long long)id);
	dump[k++] = arena_printf(a, STAGE "p%lld_domains", (long long)id);
	dump[k] = NULL;
	{
		const char *load[] = { "mariadb",
		    arena_printf(a, "--defaults-file=%s", cnf),
		    "--binary-mode", "--default-character-set=utf8mb4", db,
		    NULL };

		st = spawn_pipe(dump, NULL, load, log_fd);
	}
	if (st != 0) {
		str_errf(err, errlen, "copying the restored tables into the "
		    "live database failed (status %d): see the log", st);
		return -1;
	}
	return 0;
}

/* The live tables of the shop that are not set-aside or staged copies. */
static int
live_tables(struct db *db, struct arena *a, int64_t id, const char ***v)
{
	return backup_tables_like(db, a, NULL, arena_printf(a, "s%lld\\_%%",
	    (long long)id), v);
}

struct rows_arg {
	struct arena	*a;
	int64_t		 id;
	const char	*tset, *dcols;
	const char	*to_text, *base;
	int		 version;
};

/* The platform rows, from the staged copies, with the audit entry. */
static int
rows_tx(struct db *db, void *arg)
{
	struct rows_arg	*r = arg;
	struct db_stmt	*st;
	json_object	*after;
	int		 rc;

	if (exec_for_shop(db, arena_printf(r->a, "UPDATE souk_tenants t JOIN "
	    STAGE "p%lld_tenants r ON r.id = t.id SET %s WHERE t.id = ?",
	    (long long)r->id, r->tset), r->id) == -1 ||
	    exec_for_shop(db, "DELETE FROM souk_domains WHERE tenant_id = ?",
	    r->id) == -1 ||
	    /* The restored texts' index is rebuilt by souk-worker
	     * (shop/search_index.h); the FULLTEXT serves until then. */
	    exec_for_shop(db, "UPDATE souk_tenants SET search_version = 0 "
	    "WHERE id = ?", r->id) == -1)
		return -1;
	if (*r->dcols != '\0') {
		/* IGNORE: a host another shop took since stays with it. */
		st = db_prepare(db, arena_printf(r->a, "INSERT IGNORE INTO "
		    "souk_domains (%s) SELECT %s FROM " STAGE "p%lld_domains",
		    r->dcols, r->dcols, (long long)r->id), 0);
		if (st == NULL || db_exec(st, NULL) == -1)
			return -1;
		db_done(st);
	}
	after = json_object_new_object();
	json_object_object_add(after, "restored_to",
	    json_object_new_string(r->to_text));
	json_object_object_add(after, "backup",
	    json_object_new_string(r->base));
	json_object_object_add(after, "schema_version",
	    json_object_new_int(r->version));
	rc = audit_log(db, r->id, "shop.restore", "shop", r->id, NULL, after);
	json_object_put(after);
	return rc;
}

/*
 * Runs the RENAME TABLE. It waits for each table's metadata lock behind
 * any transaction using it, and every later statement of the workers
 * waits behind it: a long report would stall the shop. So it waits at
 * most SWAP_LOCK_WAIT s, lets the queue go on, and tries again, as the
 * migration runner does (db/migrate.c).
 */
#define SWAP_LOCK_WAIT	2
#define SWAP_TRIES	15

static int
swap(struct db *db, const char *rename)
{
	struct db_stmt	*st;
	int		 i, rc = -1;

	for (i = 0; i < SWAP_TRIES && rc == -1; i++) {
		if (i > 0)
			usleep(1000 * 1000);
		st = db_prepare(db, "SET SESSION lock_wait_timeout = ?", 0);
		if (st == NULL)
			return -1;
		db_bind_i64(st, 0, SWAP_LOCK_WAIT);
		if (db_exec(st, NULL) == -1)
			return -1;
		db_done(st);
		rc = db_exec_ddl(db, rename, 0);
		if (rc == -1 && db_errclass(db) != DB_EDEADLOCK)
			break;
	}
	db_exec_ddl(db, "SET SESSION lock_wait_timeout = DEFAULT", 0);
	return rc;
}

static int
lock_backups(struct arena *a, char *err, size_t errlen)
{
	const char	*root = backup_path(a, "", "");
	int		 fd;

	if (mkdir(root, 0750) == -1 && errno != EEXIST) {
		str_errf(err, errlen, "cannot create '%s': %s", root,
		    strerror(errno));
		return -1;
	}
	fd = open(arena_printf(a, "%s/.lock", root), O_RDWR | O_CREAT |
	    O_CLOEXEC, 0600);
	if (fd == -1 || flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (fd != -1)
			close(fd);
		str_errf(err, errlen, "another backup or restore is running "
		    "(%s/.lock)", root);
		return -1;
	}
	return fd;
}

static double
secs_since(int64_t t0)
{
	return (double)(clock_ms() - t0) / 1000.0;
}

int
shop_restore(struct db *db, const struct tenant *t, int64_t to,
    struct restore_report *r, char *err, size_t errlen)
{
	struct arena		  a;
	struct backup		 *v;
	struct backup_server	  srv = { 0 };
	struct dirtree_stats	  ms;
	struct db		 *admin, *p = NULL;
	struct db_stmt		 *st;
	struct strbuf		  sb;
	struct rows_arg		  ra;
	struct tm		  tm;
	time_t			  now = time(NULL), tt = (time_t)to;
	const char		**names, **live, **chain, *scratch, *datadir,
				 *tcols, *dcols, *cnf, *sql_dir;
	char			  stop[32], stamp[32];
	int64_t			  t0 = clock_ms(), t1, id = t->id;
	int			  lock, log_fd = -1, n, nlive, i, j, rc = -1,
				  latest, copied, swapped = 0;
	size_t			  nchain;

	memset(r, 0, sizeof(*r));
	arena_init(&a);
	if (to >= (int64_t)now) {
		str_errf(err, errlen, "that time is not in the past");
		arena_free(&a);
		return -1;
	}
	if ((lock = lock_backups(&a, err, errlen)) == -1) {
		arena_free(&a);
		return -1;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d_%H%M%S", &tm);
	if (snprintf(r->old_prefix, sizeof(r->old_prefix), OLD "%s_",
	    stamp) >= (int)sizeof(r->old_prefix))
		goto done;
	gmtime_r(&tt, &tm);
	strftime(stop, sizeof(stop), "%Y-%m-%d %H:%M:%S", &tm);

	/* Every binary log up to now, copied. */
	if ((admin = backup_admin_open(err, errlen)) == NULL)
		goto done;
	n = backup_binlogs_archive(admin, &copied, err, errlen);
	db_close(admin);
	if (n == -1)
		goto done;
	if ((n = backup_list(&a, &v, err, errlen)) == -1)
		goto done;
	for (i = n - 1; i >= 0 && v[i].finished > to; i--)
		;
	if (i < 0 && n == 0) {
		str_errf(err, errlen, "no backup in '%s' (soukctl backup run "
		    "takes one)", backup_path(&a, "", ""));
		goto done;
	}
	if (i < 0) {
		time_t f = (time_t)v[0].finished;
		char ft[32];

		gmtime_r(&f, &tm);
		strftime(ft, sizeof(ft), "%Y-%m-%d %H:%M:%S", &tm);
		str_errf(err, errlen, "no backup finished before %s UTC: the "
		    "oldest finished at %s UTC", stop, ft);
		goto done;
	}
	r->base = v[i];
	if (backup_binlog_chain(&a, r->base.binlog_file, &chain, &nchain,
	    err, errlen) == -1)
		goto done;
	r->binlogs = nchain;

	/* The base, prepared, served privately, rolled forward. */
	if ((scratch = backup_scratch(&a, "restore", err, errlen)) == NULL)
		goto done;
	datadir = arena_printf(&a, "%s/data", scratch);
	log_fd = open(arena_printf(&a, "%s/restore.log", scratch), O_WRONLY |
	    O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (backup_prepare_copy(&r->base, datadir, log_fd, err, errlen) == -1)
		goto done;
	if (backup_server_start(&srv, datadir, scratch, err, errlen) == -1)
		goto done;
	t1 = clock_ms();
	r->prepare_secs = secs_since(t0);
	{
		const char **bl = arena_calloc(&a, nchain + 8, sizeof(*bl));
		const char *env[] = { "TZ=UTC", NULL };
		const char *load[] = { "mariadb", "--no-defaults",
		    arena_printf(&a, "--socket=%s", srv.socket), "--user=root",
		    "--binary-mode", config_get("db_name", "souk"), NULL };
		size_t k = 0, c;

		bl[k++] = "mariadb-binlog";
		bl[k++] = "--no-defaults";
		bl[k++] = arena_printf(&a, "--start-position=%lld",
		    (long long)r->base.binlog_pos);
		bl[k++] = arena_printf(&a, "--stop-datetime=%s", stop);
		bl[k++] = arena_printf(&a, "--database=%s",
		    config_get("db_name", "souk"));
		for (c = 0; c < nchain; c++)
			bl[k++] = chain[c];
		bl[k] = NULL;
		if ((j = spawn_pipe(bl, env, load, log_fd)) != 0) {
			str_errf(err, errlen, "replaying the binary logs into "
			    "the restored copy failed (status %d): see %s/"
			    "restore.log", j, scratch);
			goto done;
		}
	}
	r->replay_secs = secs_since(t1);
	t1 = clock_ms();

	/* The shop's part of it, into the live database. */
	p = backup_server_open(&srv);
	if (stage_private(p, &a, id, &r->schema_from, &names, &n, err,
	    errlen) == -1)
		goto done;
	db_close(p);
	p = NULL;
	for (i = 0; i < n; i++)
		if (strlen(r->old_prefix) + strlen(names[i]) > NAME_MAX_DB) {
			str_errf(err, errlen, "table name too long for the "
			    "set-aside prefix: %s", names[i]);
			goto done;
		}
	if ((cnf = backup_live_cnf(&a, scratch, err, errlen)) == NULL)
		goto done;
	if (carry(&a, &srv, cnf, id, names, n, log_fd, err, errlen) == -1)
		goto done;
	unlink(cnf);
	backup_server_stop(&srv);
	r->copy_secs = secs_since(t1);
	t1 = clock_ms();

	/* The swap: one statement. */
	if ((nlive = live_tables(db, &a, id, &live)) == -1) {
		str_errf(err, errlen, "%s", db_error(db));
		goto done;
	}
	strbuf_init(&sb, 2048);
	strbuf_addstr(&sb, "RENAME TABLE ");
	for (i = 0; i < nlive; i++)
		strbuf_addf(&sb, "%s%s TO %s%s", i ? ", " : "", live[i],
		    r->old_prefix, live[i]);
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s" STAGE "%s TO %s", i || nlive ? ", " :
		    "", names[i], names[i]);
	j = swap(db, sb.buf);
	strbuf_release(&sb);
	if (j == -1) {
		str_errf(err, errlen, "the swap failed, the live shop is as "
		    "it was: %s", db_error(db));
		goto done;
	}
	swapped = 1;
	r->tables = n;
	r->swap_secs = secs_since(t1);

	/* Its settings and domains, then the migrations since. */
	tcols = columns_of(db, &a, arena_printf(&a, STAGE "p%lld_tenants",
	    (long long)id), "souk_tenants", tenant_cols, NELEM(tenant_cols));
	/* Only the columns souk_domains has now. */
	dcols = columns_of(db, &a, arena_printf(&a, STAGE "p%lld_domains",
	    (long long)id), "souk_domains", NULL, 0);
	if (tcols == NULL || dcols == NULL || *tcols == '\0')
		goto settings_failed;
	memset(&ra, 0, sizeof(ra));
	ra.a = &a;
	ra.id = id;
	ra.tset = set_list(&a, tcols);
	ra.dcols = dcols;
	ra.to_text = arena_printf(&a, "%s UTC", stop);
	ra.base = r->base.name;
	ra.version = r->schema_from;
	if (db_tx_run(db, rows_tx, &ra) != 0)
		goto settings_failed;
	drop_staged_rows(db, &a, id);
	tenant_changed(id);

	sql_dir = config_get("sql_dir", config_default("sql_dir"));
	r->schema_to = r->schema_from;
	if ((latest = migrate_shop_latest(sql_dir, err, errlen)) == -1)
		goto done;
	if (latest > r->schema_from && migrate_shop(db, sql_dir, id,
	    r->schema_from, &r->schema_to, err, errlen) == -1)
		goto done;

	/* Orders the restore set aside. */
	st = db_prepare(db, arena_printf(&a, "SELECT COUNT(*) FROM %ss%lld_"
	    "orders WHERE created_at >= FROM_UNIXTIME(?)", r->old_prefix,
	    (long long)id), 0);
	if (st != NULL) {
		db_bind_i64(st, 0, to);
		if (db_exec_first(st) == 1)
			r->orders_after = db_col_i64(st, 0);
		db_done(st);
	}

	/* Media files of the shop that are gone since. */
	if (dirtree_copy(backup_path(&a, "base", arena_printf(&a,
	    "%s/media/s%lld", r->base.name, (long long)id)),
	    arena_printf(&a, "%s/s%lld", config_get("media_dir",
	    config_default("media_dir")), (long long)id), NULL, DIRTREE_KEEP,
	    &ms, err, errlen) == -1)
		goto done;
	r->media_files = ms.files;
	r->secs = secs_since(t0);
	rc = 0;
	goto done;
settings_failed:
	str_errf(err, errlen, "the tables are restored (the old ones are "
	    "%s*), not the shop's settings: %s", r->old_prefix, db_error(db));
done:
	if (rc == -1 && !swapped)
		drop_staged_rows(db, &a, id);
	db_close(p);
	backup_server_stop(&srv);
	if (log_fd != -1)
		close(log_fd);
	if (rc == 0 || getenv("SOUK_KEEP_SCRATCH") == NULL)
		dirtree_remove(backup_path(&a, arena_printf(&a, "restore.%d",
		    (int)getpid()), ""));
	close(lock);
	arena_free(&a);
	return rc;
}

int
shop_restore_purge(struct db *db, const struct tenant *t, int *dropped,
    char *err, size_t errlen)
{
	struct arena	  a;
	const char	**v, *suffix;
	int		  n, i, rc = 0;

	*dropped = 0;
	arena_init(&a);
	suffix = arena_printf(&a, "_s%lld_", (long long)t->id);
	if ((n = backup_tables_like(db, &a, NULL, OLD "%", &v)) == -1) {
		str_errf(err, errlen, "%s", db_error(db));
		arena_free(&a);
		return -1;
	}
	for (i = 0; i < n; i++) {
		/* pre_restore_20261202_143000_s42_orders: the stamp is
		 * 15 characters, then the shop's prefix. */
		const char *rest = v[i] + strlen(OLD);

		if (strlen(rest) <= 15 || strncmp(rest + 15, suffix,
		    strlen(suffix)) != 0)
			continue;
		if (db_exec_ddl(db, arena_printf(&a, "DROP TABLE %s", v[i]),
		    0) == -1) {
			str_errf(err, errlen, "%s", db_error(db));
			rc = -1;
			break;
		}
		(*dropped)++;
	}
	arena_free(&a);
	return rc;
}
