/* backup.c: see backup.h. */
#include "core/common.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/dirtree.h"
#include "core/log.h"
#include "core/spawn.h"
#include "db/db.h"
#include "platform/backup.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define INFO_FILE	"souk-backup.info"

/* Column i of st's row as a C string in a. */
static char *
col_cstr(struct arena *a, struct db_stmt *st, unsigned i)
{
	struct str s = db_col_str(st, i);

	return arena_strndup(a, s.p, s.len);
}

const char *
backup_path(struct arena *a, const char *part, const char *name)
{
	const char *dir = config_get("backup_dir", config_default(
	    "backup_dir"));

	if (*part == '\0')
		return arena_strdup(a, dir);
	if (*name == '\0')
		return arena_printf(a, "%s/%s", dir, part);
	return arena_printf(a, "%s/%s/%s", dir, part, name);
}

static const char *
admin_socket(void)
{
	const char *s = config_get("backup_socket", "");

	if (*s == '\0')
		s = config_get("db_socket", "");
	return *s != '\0' ? s : "/run/mysqld/mysqld.sock";
}

struct db *
backup_admin_open(char *err, size_t errlen)
{
	struct db_target t = {
		.socket = admin_socket(),
		.user = config_get("backup_user", "root"),
		.password = config_get("backup_password", ""),
		.name = "",
		/* FLUSH BINARY LOGS waits for commits in flight. */
		.read_timeout = 600,
	};
	struct db *db = db_open_at(&t);

	if (!db_alive(db, 0)) {
		str_errf(err, errlen, "%s (backup_user, backup_password, "
		    "backup_socket)", db_error(db));
		db_close(db);
		return NULL;
	}
	return db;
}

int
backup_write_client_cnf(const char *path, const char *user,
    const char *password, const char *socket, const char *host, int port)
{
	FILE	*f;
	int	 fd, rc;

	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1)
		return -1;
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		return -1;
	}
	/* Option files take values as they are up to the line's end;
	 * a line break would start another option. */
	if (strpbrk(user, "\r\n") || strpbrk(password, "\r\n")) {
		fclose(f);
		errno = EINVAL;
		return -1;
	}
	fprintf(f, "[client]\nuser=%s\npassword=%s\n", user, password);
	if (socket != NULL && *socket != '\0')
		fprintf(f, "socket=%s\n", socket);
	else
		fprintf(f, "host=%s\nport=%d\nprotocol=tcp\n", host, port);
	rc = fflush(f) == 0 && ferror(f) == 0 ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

const char *
backup_live_cnf(struct arena *a, const char *dir, char *err, size_t errlen)
{
	const char *path = arena_printf(a, "%s/live.cnf", dir);

	if (backup_write_client_cnf(path, config_get("db_user", "souk"),
	    config_get("db_password", ""), config_get("db_socket", ""),
	    config_get("db_host", "localhost"),
	    (int)config_int("db_port", 3306, 1, 65535)) == -1) {
		str_errf(err, errlen, "cannot write '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	return path;
}

int
backup_ident_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

int
backup_tables_like(struct db *db, struct arena *a, const char *schema,
    const char *like, const char ***out)
{
	struct db_stmt	 *st;
	const char	**v = NULL;
	size_t		  n = 0, cap = 0;
	int		  r;

	st = db_prepare(db, "SELECT table_name FROM information_schema.tables"
	    " WHERE table_schema = IFNULL(?, DATABASE()) AND table_name LIKE ?"
	    " ORDER BY table_name", 0);
	if (st == NULL)
		return -1;
	if (schema != NULL)
		db_bind_cstr(st, 0, schema);
	else
		db_bind_null(st, 0);
	db_bind_cstr(st, 1, like);
	r = db_exec(st, NULL) == 0 ? 1 : -1;
	while (r == 1 && (r = db_step(st)) == 1) {
		struct str s = db_col_str(st, 0);
		char *name = arena_strndup(a, s.p, s.len);

		if (!backup_ident_ok(name)) {
			r = -1;
			break;
		}
		if (n == cap) {
			const char **nv;

			cap = cap ? cap * 2 : 32;
			nv = arena_alloc(a, cap * sizeof(*nv));
			if (n)
				memcpy(nv, v, n * sizeof(*nv));
			v = nv;
		}
		v[n++] = name;
	}
	db_done(st);
	*out = v;
	return r == -1 ? -1 : (int)n;
}

const char *
backup_scratch(struct arena *a, const char *kind, char *err, size_t errlen)
{
	const char *root = backup_path(a, "", ""), *dir;

	dir = arena_printf(a, "%s/%s.%d", root, kind, (int)getpid());
	if ((mkdir(root, 0750) == -1 && errno != EEXIST) ||
	    dirtree_remove(dir) == -1 || mkdir(dir, 0700) == -1) {
		str_errf(err, errlen, "cannot create '%s': %s", dir,
		    strerror(errno));
		return NULL;
	}
	return dir;
}

/* --- the info file ------------------------------------------------- */

static int
info_write(const char *dir, const struct backup *b)
{
	char	 path[PATH_MAX], tmp[PATH_MAX];
	FILE	*f;
	int	 rc;

	if (snprintf(path, sizeof(path), "%s/" INFO_FILE, dir) >=
	    (int)sizeof(path) || snprintf(tmp, sizeof(tmp), "%s.tmp", path) >=
	    (int)sizeof(tmp))
		return -1;
	if ((f = fopen(tmp, "we")) == NULL)
		return -1;
	fprintf(f, "# souk backup (platform/backup.h)\n"
	    "started=%lld\nfinished=%lld\nbinlog_file=%s\nbinlog_pos=%lld\n"
	    "gtid=%s\ndb_bytes=%lld\nmedia_files=%lld\nmedia_bytes=%lld\n"
	    "media_linked=%lld\n",
	    (long long)b->started, (long long)b->finished, b->binlog_file,
	    (long long)b->binlog_pos, b->gtid, (long long)b->db_bytes,
	    (long long)b->media_files, (long long)b->media_bytes,
	    (long long)b->media_linked);
	rc = fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc == 0 ? rename(tmp, path) : -1;
}

static void
info_set(struct backup *b, const char *k, const char *v)
{
	int64_t n = 0;

	str_to_i64c(v, 0, INT64_MAX, &n);
	if (strcmp(k, "started") == 0)
		b->started = n;
	else if (strcmp(k, "finished") == 0)
		b->finished = n;
	else if (strcmp(k, "binlog_file") == 0)
		str_copy(b->binlog_file, sizeof(b->binlog_file), str_c(v));
	else if (strcmp(k, "binlog_pos") == 0)
		b->binlog_pos = n;
	else if (strcmp(k, "gtid") == 0)
		str_copy(b->gtid, sizeof(b->gtid), str_c(v));
	else if (strcmp(k, "db_bytes") == 0)
		b->db_bytes = n;
	else if (strcmp(k, "media_files") == 0)
		b->media_files = n;
	else if (strcmp(k, "media_bytes") == 0)
		b->media_bytes = n;
	else if (strcmp(k, "media_linked") == 0)
		b->media_linked = n;
}

/* Reads dir's info file into b; -1 when missing or incomplete. */
static int
info_read(const char *dir, struct backup *b)
{
	char	 path[PATH_MAX], line[512], *eq, *nl;
	FILE	*f;

	memset(b, 0, sizeof(*b));
	if (snprintf(path, sizeof(path), "%s/" INFO_FILE, dir) >=
	    (int)sizeof(path) || (f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[0] == '#' || (eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		info_set(b, line, eq + 1);
	}
	fclose(f);
	return b->finished > 0 && b->binlog_file[0] != '\0' ? 0 : -1;
}

/* mariadb-backup's note of where the copy is consistent: "FILE\tPOS\t
 * GTID". */
static int
binlog_info_read(const char *dbdir, struct backup *b)
{
	char	 path[PATH_MAX], line[512], *f2, *f3, *nl;
	FILE	*f;
	int	 rc = -1;

	if (snprintf(path, sizeof(path), "%s/xtrabackup_binlog_info",
	    dbdir) >= (int)sizeof(path) || (f = fopen(path, "re")) == NULL)
		return -1;
	if (fgets(line, sizeof(line), f) != NULL &&
	    (f2 = strchr(line, '\t')) != NULL) {
		*f2++ = '\0';
		if ((nl = strchr(f2, '\n')) != NULL)
			*nl = '\0';
		if ((f3 = strchr(f2, '\t')) != NULL)
			*f3++ = '\0';
		str_copy(b->binlog_file, sizeof(b->binlog_file), str_c(line));
		str_copy(b->gtid, sizeof(b->gtid), str_c(f3 ? f3 : ""));
		if (str_to_i64c(f2, 0, INT64_MAX, &b->binlog_pos) == 0)
			rc = 0;
	}
	fclose(f);
	return rc;
}

/* --- listing -------------------------------------------------------- */

static int
name_is_base(const char *n)
{
	size_t i;

	/* 20261201T023000Z */
	if (strlen(n) != 16 || n[8] != 'T' || n[15] != 'Z')
		return 0;
	for (i = 0; i < 15; i++)
		if (i != 8 && (n[i] < '0' || n[i] > '9'))
			return 0;
	return 1;
}

static int
cmp_backup(const void *x, const void *y)
{
	return strcmp(((const struct backup *)x)->name,
	    ((const struct backup *)y)->name);
}

int
backup_list(struct arena *a, struct backup **out, char *err, size_t errlen)
{
	const char	*dir = backup_path(a, "base", "");
	struct dirent	*de;
	struct backup	*v = NULL, b;
	size_t		 n = 0, cap = 0;
	DIR		*d;

	*out = NULL;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		str_errf(err, errlen, "cannot read '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!name_is_base(de->d_name) ||
		    info_read(arena_printf(a, "%s/%s", dir, de->d_name),
		    &b) == -1)
			continue;
		str_copy(b.name, sizeof(b.name), str_c(de->d_name));
		if (n == cap) {
			struct backup *nv;

			cap = cap ? cap * 2 : 16;
			nv = arena_alloc(a, cap * sizeof(*nv));
			if (n)
				memcpy(nv, v, n * sizeof(*nv));
			v = nv;
		}
		v[n++] = b;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_backup);
	*out = v;
	return (int)n;
}

/* --- binary logs ---------------------------------------------------- */

/* "binlog.000123" -> its base ("binlog") length and number. */
static int
binlog_split(const char *name, size_t *baselen, int64_t *num)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL || dot == name || dot[1] == '\0' ||
	    strspn(dot + 1, "0123456789") != strlen(dot + 1) ||
	    str_to_i64c(dot + 1, 0, INT64_MAX, num) == -1)
		return -1;
	*baselen = (size_t)(dot - name);
	return 0;
}

/* dst's folder, for a message (a static buffer). */
static const char *
backup_path_dir(const char *dst)
{
	static char	 d[PATH_MAX];
	const char	*slash = strrchr(dst, '/');

	str_copy(d, sizeof(d), (struct str){ dst, slash ?
	    (size_t)(slash - dst) : strlen(dst) });
	return d;
}

/* Copies src to dst (through dst.tmp, renamed when whole) unless dst
 * is there with src's size already. 1 when copied, 0 when not needed,
 * -1 with err. */
static int
copy_one(const char *src, const char *dst, char *err, size_t errlen)
{
	char		tmp[PATH_MAX], buf[65536];
	struct stat	sb, db;
	ssize_t		r;
	int		in, out, rc = 0;

	if (stat(src, &sb) == -1) {
		str_errf(err, errlen, "cannot read '%s': %s", src,
		    strerror(errno));
		return -1;
	}
	if (stat(dst, &db) == 0) {
		if (db.st_size == sb.st_size)
			return 0;
		/* A closed binary log never changes: another of the same
		 * name is another history (RESET MASTER, a server rebuilt
		 * from a backup). Never overwrite the one copied. */
		str_errf(err, errlen, "'%s' differs from the server's '%s': "
		    "its binary logs started over (a whole restore, RESET "
		    "MASTER); move '%s' aside and take a new backup", dst, src,
		    backup_path_dir(dst));
		return -1;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", dst) >= (int)sizeof(tmp))
		return -1;
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0640)) == -1) {
		str_errf(err, errlen, "cannot copy '%s': %s", src,
		    strerror(errno));
		if (in != -1)
			close(in);
		return -1;
	}
	while ((r = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)r) != r) {
			rc = -1;
			break;
		}
	if (r < 0 || fsync(out) == -1)
		rc = -1;
	close(in);
	if (close(out) == -1)
		rc = -1;
	if (rc == -1 || rename(tmp, dst) == -1) {
		str_errf(err, errlen, "cannot copy '%s' to '%s': %s", src, dst,
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 1;
}

int
backup_binlogs_archive(struct db *admin, int *copied, char *err,
    size_t errlen)
{
	struct arena	 a;
	struct db_stmt	*st;
	const char	*dir, *basename, *out, **names = NULL;
	size_t		 n = 0, cap = 0, i;
	int		 rc = -1, r;

	*copied = 0;
	arena_init(&a);
	out = backup_path(&a, "binlog", "");
	if (mkdir(backup_path(&a, "", ""), 0750) == -1 && errno != EEXIST)
		goto io;
	if (mkdir(out, 0750) == -1 && errno != EEXIST)
		goto io;
	st = db_prepare(admin, "SELECT @@log_bin, @@log_bin_basename", 0);
	if (st == NULL || db_exec_first(st) != 1) {
		str_errf(err, errlen, "cannot read log_bin: %s",
		    db_error(admin));
		goto done;
	}
	if (db_col_i64(st, 0) != 1) {
		db_done(st);
		str_errf(err, errlen, "the server keeps no binary logs: set "
		    "log_bin and binlog_format = ROW (mariadb/60-souk.cnf) "
		    "and restart it; restoring to a point in time needs them");
		goto done;
	}
	basename = col_cstr(&a, st, 1);
	db_done(st);
	dir = arena_strndup(&a, basename, (size_t)(strrchr(basename, '/') ?
	    strrchr(basename, '/') - basename : 0));
	if (db_exec_ddl(admin, "FLUSH BINARY LOGS", 0) == -1) {
		str_errf(err, errlen, "FLUSH BINARY LOGS: %s",
		    db_error(admin));
		goto done;
	}
	if ((st = db_prepare(admin, "SHOW BINARY LOGS", 0)) == NULL)
		goto dberr;
	r = db_exec(st, NULL) == 0 ? 1 : -1;
	while (r == 1 && (r = db_step(st)) == 1) {
		if (n == cap) {
			const char **nv;

			cap = cap ? cap * 2 : 64;
			nv = arena_alloc(&a, cap * sizeof(*nv));
			if (n)
				memcpy(nv, names, n * sizeof(*nv));
			names = nv;
		}
		names[n++] = col_cstr(&a, st, 0);
	}
	db_done(st);
	if (r == -1)
		goto dberr;
	/* The last is the one being written: copied at the next run. */
	for (i = 0; i + 1 < n; i++) {
		if (strchr(names[i], '/') != NULL)
			continue;
		r = copy_one(arena_printf(&a, "%s/%s", dir, names[i]),
		    arena_printf(&a, "%s/%s", out, names[i]), err, errlen);
		if (r == -1)
			goto done;
		*copied += r;
	}
	rc = 0;
	goto done;
io:
	str_errf(err, errlen, "cannot create '%s': %s",
	    backup_path(&a, "binlog", ""), strerror(errno));
	goto done;
dberr:
	str_errf(err, errlen, "SHOW BINARY LOGS: %s", db_error(admin));
done:
	arena_free(&a);
	return rc;
}

static int
cmp_cstr(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int
backup_binlog_chain(struct arena *a, const char *first, const char ***out,
    size_t *nout, char *err, size_t errlen)
{
	const char	*dir = backup_path(a, "binlog", "");
	const char	**v = NULL;
	struct dirent	*de;
	size_t		 n = 0, cap = 0, i, bl, fbl;
	int64_t		 num, fnum, prev = -1;
	DIR		*d;

	*out = NULL;
	*nout = 0;
	if (binlog_split(first, &fbl, &fnum) == -1) {
		str_errf(err, errlen, "not a binary log name: '%s'", first);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		str_errf(err, errlen, "cannot read '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (binlog_split(de->d_name, &bl, &num) == -1 || bl != fbl ||
		    strncmp(de->d_name, first, fbl) != 0 || num < fnum ||
		    strlen(de->d_name) != strlen(first))
			continue;
		if (n == cap) {
			const char **nv;

			cap = cap ? cap * 2 : 64;
			nv = arena_alloc(a, cap * sizeof(*nv));
			if (n)
				memcpy(nv, v, n * sizeof(*nv));
			v = nv;
		}
		v[n++] = arena_printf(a, "%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_cstr);
	for (i = 0; i < n; i++) {
		binlog_split(strrchr(v[i], '/') + 1, &bl, &num);
		if ((i == 0 && num != fnum) || (i > 0 && num != prev + 1)) {
			str_errf(err, errlen, "binary log %.*s.%0*lld is "
			    "missing from '%s'", (int)fbl, first,
			    (int)(strlen(first) - fbl - 1), (long long)(i ?
			    prev + 1 : fnum), dir);
			return -1;
		}
		prev = num;
	}
	if (n == 0) {
		str_errf(err, errlen, "binary log %s is missing from '%s'",
		    first, dir);
		return -1;
	}
	*out = v;
	*nout = n;
	return 0;
}

int64_t
backup_binlogs_end(void)
{
	struct arena	 a;
	struct dirent	*de;
	struct stat	 sb;
	int64_t		 end = 0, num;
	size_t		 bl;
	DIR		*d;

	arena_init(&a);
	if ((d = opendir(backup_path(&a, "binlog", ""))) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (binlog_split(de->d_name, &bl, &num) == 0 &&
			    stat(arena_printf(&a, "%s/%s", backup_path(&a,
			    "binlog", ""), de->d_name), &sb) == 0 &&
			    sb.st_mtim.tv_sec > end)
				end = sb.st_mtim.tv_sec;
		closedir(d);
	}
	arena_free(&a);
	return end;
}

/* --- a run ---------------------------------------------------------- */

static int
run_logged(const char *const argv[], const char *log, char *err, size_t errlen)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	int st;

	if (fd == -1) {
		str_errf(err, errlen, "cannot create '%s': %s", log,
		    strerror(errno));
		return -1;
	}
	st = spawn_run(argv, NULL, -1, fd, fd);
	close(fd);
	if (st != 0) {
		if (st == -1)
			str_errf(err, errlen, "cannot run %s: %s", argv[0],
			    strerror(errno));
		else
			str_errf(err, errlen, "%s failed (status %d): see %s",
			    argv[0], st, log);
		return -1;
	}
	return 0;
}

/* Keeps the bases of the retention period and the newest before it;
 * then the binary logs from the oldest kept base on. */
static void
prune(struct arena *a, int64_t now, struct backup_report *r)
{
	struct backup	*v;
	struct dirent	*de;
	int64_t		 days = config_int("backup_retention_days", 14, 1,
	    3650), cutoff = now - days * 86400, num, keep_num;
	size_t		 bl, keep_bl;
	int		 n, i, anchor = -1;
	char		 err[256];
	const char	*dir;
	DIR		*d;

	if ((n = backup_list(a, &v, err, sizeof(err))) <= 0)
		return;
	for (i = 0; i < n; i++)
		if (v[i].finished < cutoff)
			anchor = i;
	for (i = 0; i < anchor; i++)
		if (dirtree_remove(backup_path(a, "base", v[i].name)) == 0)
			r->bases_pruned++;
	i = anchor < 0 ? 0 : anchor;
	if (binlog_split(v[i].binlog_file, &keep_bl, &keep_num) == -1)
		return;
	dir = backup_path(a, "binlog", "");
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (binlog_split(de->d_name, &bl, &num) == 0 &&
		    bl == keep_bl && strncmp(de->d_name, v[i].binlog_file,
		    bl) == 0 && num < keep_num &&
		    unlink(arena_printf(a, "%s/%s", dir, de->d_name)) == 0)
			r->binlogs_pruned++;
	closedir(d);
}

int
backup_run(struct backup_report *r, char *err, size_t errlen)
{
	struct arena		 a;
	struct backup		*v, *b = &r->b;
	struct dirtree_stats	 ms;
	struct db		*admin = NULL;
	struct db_stmt		*st;
	struct tm		 tm;
	time_t			 now = time(NULL);
	const char		*root, *base, *part, *cnf, *datadir, *prev;
	int64_t			 t0 = clock_ms();
	int			 lock = -1, n, rc = -1;

	memset(r, 0, sizeof(*r));
	arena_init(&a);
	root = backup_path(&a, "", "");
	base = backup_path(&a, "base", "");
	if ((mkdir(root, 0750) == -1 && errno != EEXIST) ||
	    (mkdir(base, 0750) == -1 && errno != EEXIST)) {
		str_errf(err, errlen, "cannot create '%s': %s", base,
		    strerror(errno));
		goto done;
	}
	lock = open(arena_printf(&a, "%s/.lock", root), O_RDWR | O_CREAT |
	    O_CLOEXEC, 0600);
	if (lock == -1 || flock(lock, LOCK_EX | LOCK_NB) == -1) {
		str_errf(err, errlen, "another backup or restore is running "
		    "(%s/.lock)", root);
		goto done;
	}
	if ((admin = backup_admin_open(err, errlen)) == NULL)
		goto done;
	if ((st = db_prepare(admin, "SELECT @@datadir, @@log_bin", 0)) ==
	    NULL || db_exec_first(st) != 1) {
		str_errf(err, errlen, "%s", db_error(admin));
		goto done;
	}
	datadir = col_cstr(&a, st, 0);
	n = (int)db_col_i64(st, 1);
	db_done(st);
	if (n != 1) {
		str_errf(err, errlen, "the server keeps no binary logs: set "
		    "log_bin and binlog_format = ROW (mariadb/60-souk.cnf) "
		    "and restart it; restoring to a point in time needs them");
		goto done;
	}

	gmtime_r(&now, &tm);
	strftime(b->name, sizeof(b->name), "%Y%m%dT%H%M%SZ", &tm);
	b->started = now;
	part = arena_printf(&a, "%s/%s.partial", base, b->name);
	dirtree_remove(part);
	if (mkdir(part, 0750) == -1) {
		str_errf(err, errlen, "cannot create '%s': %s", part,
		    strerror(errno));
		goto done;
	}
	cnf = arena_printf(&a, "%s/client.cnf", part);
	if (backup_write_client_cnf(cnf, config_get("backup_user", "root"),
	    config_get("backup_password", ""), admin_socket(), "", 0) == -1) {
		str_errf(err, errlen, "cannot write '%s': %s", cnf,
		    strerror(errno));
		goto done;
	}
	{
		const char *argv[] = { "mariadb-backup",
		    arena_printf(&a, "--defaults-extra-file=%s", cnf),
		    "--backup",
		    arena_printf(&a, "--target-dir=%s/db", part),
		    arena_printf(&a, "--datadir=%s", datadir), NULL };

		n = run_logged(argv, arena_printf(&a, "%s/mariadb-backup.log",
		    part), err, errlen);
		unlink(cnf);
		if (n == -1)
			goto done;
	}
	if (binlog_info_read(arena_printf(&a, "%s/db", part), b) == -1) {
		str_errf(err, errlen, "mariadb-backup left no binary log "
		    "position in '%s/db'", part);
		goto done;
	}
	b->db_bytes = dirtree_bytes(arena_printf(&a, "%s/db", part));
	if (backup_binlogs_archive(admin, &r->binlogs_copied, err, errlen) ==
	    -1)
		goto done;

	/* Media: hard links to the newest base's files that did not
	 * change. */
	n = backup_list(&a, &v, err, errlen);
	prev = n > 0 ? arena_printf(&a, "%s/%s/media", base, v[n - 1].name) :
	    NULL;
	if (dirtree_copy(config_get("media_dir", config_default("media_dir")),
	    arena_printf(&a, "%s/media", part), prev, 0, &ms, err, errlen) ==
	    -1)
		goto done;
	b->media_files = ms.files;
	b->media_bytes = ms.bytes;
	b->media_linked = ms.linked;
	b->finished = time(NULL);
	if (info_write(part, b) == -1 || rename(part, arena_printf(&a,
	    "%s/%s", base, b->name)) == -1) {
		str_errf(err, errlen, "cannot finish '%s': %s", part,
		    strerror(errno));
		goto done;
	}
	prune(&a, (int64_t)b->finished, r);
	r->secs = (double)(clock_ms() - t0) / 1000.0;
	log_info("backup %s: %lld bytes of database, %lld media files "
	    "(%lld linked), %d binary logs copied", b->name,
	    (long long)b->db_bytes, (long long)b->media_files,
	    (long long)b->media_linked, r->binlogs_copied);
	rc = 0;
done:
	db_close(admin);
	if (lock != -1)
		close(lock);
	arena_free(&a);
	return rc;
}

/* --- preparing, a private server, verifying ------------------------ */

int
backup_prepare_copy(const struct backup *b, const char *datadir, int log_fd,
    char *err, size_t errlen)
{
	struct arena		a;
	struct dirtree_stats	st;
	int			rc = -1, s;

	arena_init(&a);
	dirtree_remove(datadir);
	if (dirtree_copy(backup_path(&a, "base", arena_printf(&a, "%s/db",
	    b->name)), datadir, NULL, 0, &st, err, errlen) == -1)
		goto done;
	{
		const char *argv[] = { "mariadb-backup", "--prepare",
		    arena_printf(&a, "--target-dir=%s", datadir), NULL };

		s = spawn_run(argv, NULL, -1, log_fd, log_fd);
		if (s != 0) {
			str_errf(err, errlen, "mariadb-backup --prepare of %s "
			    "failed (status %d)", b->name, s);
			goto done;
		}
	}
	rc = 0;
done:
	arena_free(&a);
	return rc;
}

int
backup_server_start(struct backup_server *s, const char *datadir,
    const char *dir, char *err, size_t errlen)
{
	struct arena	 a;
	struct db	*db;
	int		 i, st, fd;
	const char	*tmp;

	memset(s, 0, sizeof(*s));
	if (snprintf(s->socket, sizeof(s->socket), "%s/mysqld.sock", dir) >=
	    (int)sizeof(s->socket) || snprintf(s->log, sizeof(s->log),
	    "%s/mariadb.err", dir) >= (int)sizeof(s->log)) {
		str_errf(err, errlen, "path too long: '%s'", dir);
		return -1;
	}
	arena_init(&a);
	tmp = arena_printf(&a, "%s/tmp", dir);
	mkdir(tmp, 0700);
	{
		const char *argv[] = { "mariadbd",
		    arena_printf(&a, "--defaults-file=%s/backup-my.cnf",
		    datadir),
		    arena_printf(&a, "--datadir=%s", datadir),
		    arena_printf(&a, "--socket=%s", s->socket),
		    arena_printf(&a, "--pid-file=%s/mysqld.pid", dir),
		    arena_printf(&a, "--log-error=%s", s->log),
		    arena_printf(&a, "--tmpdir=%s", tmp),
		    "--skip-networking", "--skip-grant-tables",
		    "--skip-log-bin", "--skip-slave-start",
		    "--character-set-server=utf8mb4",
		    "--collation-server=utf8mb4_unicode_ci",
		    "--innodb-buffer-pool-size=256M",
		    "--table-open-cache=4000",
		    /* A private server run by root (soukctl under sudo)
		     * may stay root: it is on a socket in a folder only
		     * root reads. */
		    geteuid() == 0 ? "--user=root" : NULL, NULL };

		fd = open(arena_printf(&a, "%s.out", s->log), O_WRONLY |
		    O_CREAT | O_APPEND | O_CLOEXEC, 0640);
		s->pid = spawn_start(argv, NULL, -1, fd, fd);
		if (fd != -1)
			close(fd);
	}
	arena_free(&a);
	if (s->pid == -1) {
		str_errf(err, errlen, "cannot run mariadbd: %s",
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < 600; i++) {
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = 0;
			str_errf(err, errlen, "the private mariadbd stopped: "
			    "see %s", s->log);
			return -1;
		}
		/* The socket appears once the server takes connections:
		 * no failed attempt (and no error logged) before. */
		if (access(s->socket, F_OK) == 0) {
			db = backup_server_open(s);
			if (db_alive(db, 0)) {
				db_close(db);
				return 0;
			}
			db_close(db);
		}
		usleep(100 * 1000);
	}
	backup_server_stop(s);
	str_errf(err, errlen, "the private mariadbd did not answer within "
	    "60 s: see %s", s->log);
	return -1;
}

struct db *
backup_server_open(const struct backup_server *s)
{
	struct db_target t = {
		.socket = s->socket,
		.user = "root",
		.password = "",
		.name = config_get("db_name", "souk"),
		/* A private server of a big platform reads thousands of
		 * tables' names. */
		.read_timeout = 600,
	};

	return db_open_at(&t);
}

void
backup_server_stop(struct backup_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		spawn_wait(s->pid);
	}
	s->pid = 0;
}

int
backup_verify(const char *name, struct backup_check *c, char *err,
    size_t errlen)
{
	struct arena		 a;
	struct backup		*v;
	struct backup_server	 srv = { 0 };
	struct db		*db = NULL;
	struct db_stmt		*st;
	const char		*scratch, *datadir;
	int64_t			 t0 = clock_ms(), t1;
	int			 n, i, fd = -1, rc = -1;

	memset(c, 0, sizeof(*c));
	arena_init(&a);
	if ((n = backup_list(&a, &v, err, errlen)) == -1)
		goto done;
	for (i = n - 1; i >= 0; i--)
		if (name == NULL || strcmp(v[i].name, name) == 0)
			break;
	if (i < 0) {
		str_errf(err, errlen, name ? "no backup named '%s' in '%s'" :
		    "no backup in '%s'%s", name ? name : backup_path(&a, "",
		    ""), name ? backup_path(&a, "", "") : "");
		goto done;
	}
	c->b = v[i];
	if ((scratch = backup_scratch(&a, "verify", err, errlen)) == NULL)
		goto done;
	datadir = arena_printf(&a, "%s/data", scratch);
	fd = open(arena_printf(&a, "%s/prepare.log", scratch), O_WRONLY |
	    O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (backup_prepare_copy(&c->b, datadir, fd, err, errlen) == -1)
		goto done;
	t1 = clock_ms();
	c->prepare_secs = (double)(t1 - t0) / 1000.0;
	if (backup_server_start(&srv, datadir, scratch, err, errlen) == -1)
		goto done;
	db = backup_server_open(&srv);
	st = db_prepare(db, "SELECT (SELECT COUNT(*) FROM souk_tenants "
	    "WHERE status <> 'stock'), "
	    "(SELECT COUNT(*) FROM information_schema.tables WHERE "
	    "table_schema = DATABASE())", 0);
	if (st == NULL || db_exec_first(st) != 1) {
		str_errf(err, errlen, "the prepared copy does not answer: %s",
		    db_error(db));
		goto done;
	}
	c->shops = db_col_i64(st, 0);
	c->tables = db_col_i64(st, 1);
	db_done(st);
	/* The platform's tables and those of the newest shop open and
	 * read: a copy missing a file fails here. (Every table of every
	 * shop would take long with thousands of shops.) */
	{
		const char **v2;
		int k, nt;

		st = db_prepare(db, "SELECT IFNULL(MAX(id), 0) FROM "
		    "souk_tenants", 0);
		if (st == NULL || db_exec_first(st) != 1)
			goto unreadable;
		k = (int)db_col_i64(st, 0);
		db_done(st);
		nt = backup_tables_like(db, &a, NULL, arena_printf(&a,
		    "souk\\_%%"), &v2);
		if (nt > 0 && k > 0) {
			const char **v3;
			int ns = backup_tables_like(db, &a, NULL,
			    arena_printf(&a, "s%d\\_%%", k), &v3);

			for (i = 0; i < ns; i++) {
				st = db_prepare(db, arena_printf(&a, "SELECT "
				    "COUNT(*) FROM %s", v3[i]), 0);
				if (st == NULL || db_exec_first(st) != 1)
					goto unreadable;
				db_done(st);
			}
		}
		for (i = 0; i < nt; i++) {
			st = db_prepare(db, arena_printf(&a, "SELECT COUNT(*) "
			    "FROM %s", v2[i]), 0);
			if (st == NULL || db_exec_first(st) != 1)
				goto unreadable;
			db_done(st);
		}
		if (nt <= 0)
			goto unreadable;
	}
	c->secs = (double)(clock_ms() - t0) / 1000.0;
	rc = 0;
	goto done;
unreadable:
	str_errf(err, errlen, "a table of the prepared copy does not read: %s",
	    db_error(db));
done:
	db_close(db);
	backup_server_stop(&srv);
	if (fd != -1)
		close(fd);
	if (rc == 0 || getenv("SOUK_KEEP_SCRATCH") == NULL)
		dirtree_remove(backup_path(&a, arena_printf(&a, "verify.%d",
		    (int)getpid()), ""));
	arena_free(&a);
	return rc;
}
