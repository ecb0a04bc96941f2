/* imports.c: a shop's CSV imports and their job (see imports.h). */
#include "core/common.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "platform/jobs.h"
#include "shop/catalog_csv.h"
#include "shop/catalog_import.h"
#include "shop/imports.h"
#include "shop/shop.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>

/* How often a run writes its progress (and calls tick). */
#define PROGRESS_MS	1000

/* Bytes of a refused row's cell kept in the report: enough to find it,
 * and 1,000 of them (CATALOG_IMPORT_MAX_ERRORS) stay far below the
 * column's 16 MB whatever the file holds. */
#define DETAIL_MAX	200

enum {
	ST_INSERT,
	ST_GET,
	ST_LIST,
	ST_START,
	ST_CANCEL,
	ST_BEGIN,
	ST_PROGRESS,
	ST_FINISH,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_INSERT] = { "imports.insert",
	    "INSERT INTO {p}imports (staff_id, file_name, path, state,"
	    " bytes_total) VALUES (?, ?, ?, 'previewing', ?)" },
	[ST_GET] = { "imports.get",
	    "SELECT i.id, i.staff_id, COALESCE(s.email, ''), i.file_name,"
	    " i.path, i.format, i.state + 0, i.bytes_done, i.bytes_total,"
	    " COALESCE(i.preview, ''), COALESCE(i.report, ''),"
	    " i.created_at, i.updated_at"
	    " FROM {p}imports i LEFT JOIN {p}staff s ON s.id = i.staff_id"
	    " WHERE i.id = ?" },
	/* LIMIT: IMPORTS_LIST_MAX, spelled out (a string literal). */
	[ST_LIST] = { "imports.list",
	    "SELECT i.id, i.staff_id, COALESCE(s.email, ''), i.file_name,"
	    " i.path, i.format, i.state + 0, i.bytes_done, i.bytes_total,"
	    " '', '', i.created_at, i.updated_at"
	    " FROM {p}imports i LEFT JOIN {p}staff s ON s.id = i.staff_id"
	    " ORDER BY i.id DESC LIMIT " "50" },
	[ST_START] = { "imports.start",
	    "UPDATE {p}imports SET state = 'importing', bytes_done = 0"
	    " WHERE id = ? AND state = 'previewed'" },
	[ST_CANCEL] = { "imports.cancel",
	    "UPDATE {p}imports SET state = 'cancelled'"
	    " WHERE id = ? AND state IN ('previewed', 'failed')" },
	/* A run (again, after a killed worker) starts from byte 0. */
	[ST_BEGIN] = { "imports.begin",
	    "UPDATE {p}imports SET bytes_done = 0, bytes_total = ?"
	    " WHERE id = ?" },
	[ST_PROGRESS] = { "imports.progress",
	    "UPDATE {p}imports SET bytes_done = ?, bytes_total = ?"
	    " WHERE id = ?" },
	/* A preview fills preview, an import report (the other stays). */
	[ST_FINISH] = { "imports.finish",
	    "UPDATE {p}imports SET state = ?, format = ?,"
	    " preview = IF(? = 0, ?, preview), report = IF(? = 1, ?, report),"
	    " bytes_done = bytes_total WHERE id = ?" },
};

/* In the order of the column's ENUM (state + 0 is 1-based). */
static const char *const state_names[IMPORTS__STATES] = {
	[IMPORTS_UPLOADED] = "uploaded",
	[IMPORTS_PREVIEWING] = "previewing",
	[IMPORTS_PREVIEWED] = "previewed",
	[IMPORTS_IMPORTING] = "importing",
	[IMPORTS_DONE] = "done",
	[IMPORTS_FAILED] = "failed",
	[IMPORTS_CANCELLED] = "cancelled",
};

const char *
imports_state_name(enum imports_state s)
{
	return (unsigned)s < IMPORTS__STATES ? state_names[s] : "unknown";
}

/* The full name of path (relative to upload_dir) into buf. */
static int
full_path(char *buf, size_t len, const char *path)
{
	int n = snprintf(buf, len, "%s/%s", config_get("upload_dir",
	    "var/uploads"), path);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static void
remove_file(struct str path)
{
	char	rel[256], full[1024];

	if (path.len == 0 || path.len >= sizeof(rel))
		return;
	str_copy(rel, sizeof(rel), path);
	if (full_path(full, sizeof(full), rel) == -1)
		return;
	if (unlink(full) == -1 && errno != ENOENT)
		log_warn("cannot remove '%s': %s", full, strerror(errno));
}

/* Writes data as a new file "s<shop>/<random>.csv" of upload_dir. */
static int
save_file(int64_t tenant, struct str data, char *path, size_t pathlen)
{
	char	name[33], full[1024];
	size_t	off = 0;
	int	fd, n;

	crypto_random_hex(name, 16);
	n = snprintf(path, pathlen, "s%lld", (long long)tenant);
	if (n < 0 || (size_t)n >= pathlen ||
	    full_path(full, sizeof(full), path) == -1)
		return -1;
	if (mkdir(full, 0750) == -1 && errno != EEXIST) {
		log_err("cannot create '%s': %s", full, strerror(errno));
		return -1;
	}
	n = snprintf(path, pathlen, "s%lld/%s.csv", (long long)tenant, name);
	if (n < 0 || (size_t)n >= pathlen ||
	    full_path(full, sizeof(full), path) == -1)
		return -1;
	if ((fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0640)) == -1) {
		log_err("cannot create '%s': %s", full, strerror(errno));
		return -1;
	}
	while (off < data.len) {
		ssize_t w = write(fd, data.p + off, data.len - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_err("cannot write '%s': %s", full,
			    strerror(errno));
			close(fd);
			unlink(full);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) == -1) {
		log_err("cannot close '%s': %s", full, strerror(errno));
		unlink(full);
		return -1;
	}
	return 0;
}

/*
 * The name to show for the browser's file name: its last path segment
 * (old browsers send "C:\fakepath\x.csv"), at most IMPORTS_NAME_MAX
 * characters, control characters as '?'; "" when it is not UTF-8.
 */
static struct str
clean_name(struct arena *a, struct str s)
{
	char	*p;
	size_t	 i, chars = 0, end;

	for (i = s.len; i > 0; i--)
		if (s.p[i - 1] == '/' || s.p[i - 1] == '\\') {
			s.p += i;
			s.len -= i;
			break;
		}
	if (!str_valid_utf8(s))
		return STR("");
	for (end = 0; end < s.len; end++)
		if (((unsigned char)s.p[end] & 0xc0) != 0x80 &&
		    chars++ == IMPORTS_NAME_MAX)
			break;
	p = arena_strndup(a, s.p, end);
	for (i = 0; i < end; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			p[i] = '?';
	return (struct str){ p, end };
}

static int
enqueue(struct shop_ctx *ctx, int64_t id, const char *mode)
{
	char	payload[80];
	int	n;

	n = snprintf(payload, sizeof(payload),
	    "{\"import_id\": %lld, \"mode\": \"%s\"}", (long long)id, mode);
	if (n < 0 || (size_t)n >= sizeof(payload))
		return SHOP_EDB;
	if (jobs_enqueue(ctx->db, ctx->tenant, IMPORTS_JOB_KIND,
	    (struct str){ payload, (size_t)n }, 0, NULL) == -1) {
		log_err("cannot queue %s: %s", IMPORTS_JOB_KIND,
		    db_error(ctx->db));
		return SHOP_EDB;
	}
	return SHOP_OK;
}

struct create {
	int64_t		 staff_id;
	struct str	 name;
	const char	*path;
	uint64_t	 bytes;
	int64_t		 id;
};

static int
create_tx(struct shop_ctx *ctx, void *arg)
{
	struct create	*c = arg;
	struct db_stmt	*st;

	if ((st = shop_stmt(ctx, &sql[ST_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, c->staff_id);
	db_bind_str(st, 1, c->name);
	db_bind_cstr(st, 2, c->path);
	db_bind_i64(st, 3, (int64_t)c->bytes);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	c->id = (int64_t)db_insert_id(st);
	db_done(st);
	return enqueue(ctx, c->id, "preview");
}

int
imports_create(struct shop_ctx *ctx, int64_t staff_id, struct str file_name,
    struct str data, int64_t *id)
{
	struct create	c;
	char		path[128];
	int		rc;

	*id = 0;
	if (data.len == 0)
		return SHOP_EINVAL;
	if (save_file(ctx->tenant, data, path, sizeof(path)) == -1)
		return SHOP_EDB;
	c.staff_id = staff_id;
	c.name = clean_name(ctx->a, file_name);
	c.path = path;
	c.bytes = data.len;
	c.id = 0;
	if ((rc = shop_tx(ctx, create_tx, &c)) != SHOP_OK) {
		remove_file(str_c(path));
		return rc;
	}
	*id = c.id;
	log_info("import %lld: '%s' (%zu bytes) uploaded", (long long)c.id,
	    path, data.len);
	return SHOP_OK;
}

static void
read_row(struct db_stmt *st, struct imports_row *r)
{
	int64_t s;

	r->id = db_col_i64(st, 0);
	r->staff_id = db_col_i64(st, 1);
	r->staff_email = db_col_str(st, 2);
	r->file_name = db_col_str(st, 3);
	r->path = db_col_str(st, 4);
	r->format = db_col_str(st, 5);
	s = db_col_i64(st, 6) - 1;
	r->state = s >= 0 && s < IMPORTS__STATES ? (enum imports_state)s :
	    IMPORTS_FAILED;
	r->bytes_done = (uint64_t)db_col_i64(st, 7);
	r->bytes_total = (uint64_t)db_col_i64(st, 8);
	r->preview = db_col_str(st, 9);
	r->report = db_col_str(st, 10);
	r->created_at = db_col_str(st, 11);
	r->updated_at = db_col_str(st, 12);
}

int
imports_get(struct shop_ctx *ctx, int64_t id, struct imports_row *out)
{
	struct db_stmt	*st;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if ((st = shop_stmt(ctx, &sql[ST_GET])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1)
		read_row(st, out);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

int
imports_list(struct shop_ctx *ctx, struct imports_row **out, size_t *n)
{
	struct db_stmt	*st;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = shop_stmt(ctx, &sql[ST_LIST])) == NULL)
		return SHOP_EDB;
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		read_row(st, &(*out)[(*n)++]);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* The conditional UPDATE q on id: SHOP_OK when it changed the row,
 * else SHOP_ENOTFOUND or SHOP_ECONFLICT (there, in another state). */
static int
change_state(struct shop_ctx *ctx, int q, int64_t id)
{
	struct db_stmt	*st;
	uint64_t	 n;

	if ((st = shop_stmt(ctx, &sql[q])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	n = db_affected(st);
	db_done(st);
	if (n > 0)
		return SHOP_OK;
	switch (shop_row_exists(ctx, &sql[ST_GET], id)) {
	case 1:
		return SHOP_ECONFLICT;
	case 0:
		return SHOP_ENOTFOUND;
	default:
		return SHOP_EDB;
	}
}

static int
start_tx(struct shop_ctx *ctx, void *arg)
{
	int64_t	id = *(int64_t *)arg;
	int	rc;

	if ((rc = change_state(ctx, ST_START, id)) != SHOP_OK)
		return rc;
	return enqueue(ctx, id, "apply");
}

int
imports_start(struct shop_ctx *ctx, int64_t id)
{
	int rc = shop_tx(ctx, start_tx, &id);

	if (rc == SHOP_OK)
		log_info("import %lld: started", (long long)id);
	return rc;
}

int
imports_cancel(struct shop_ctx *ctx, int64_t id)
{
	struct imports_row	r;
	int			rc;

	if ((rc = imports_get(ctx, id, &r)) != SHOP_OK)
		return rc;
	if ((rc = change_state(ctx, ST_CANCEL, id)) != SHOP_OK)
		return rc;
	remove_file(r.path);
	log_info("import %lld: cancelled", (long long)id);
	return SHOP_OK;
}

/* ---- the job */

/* What the progress callback needs: the row, the clock, the worker. */
struct run {
	struct shop_ctx	*ctx;
	int64_t		 id;
	int64_t		 last_ms;
	int		 (*tick)(void *arg);
	void		*arg;
	int		 stopped;
};

static int
progress(void *arg, uint64_t done, uint64_t total)
{
	struct run	*run = arg;
	struct db_stmt	*st;
	int64_t		 now = clock_ms();

	if (now - run->last_ms < PROGRESS_MS && done < total)
		return 0;
	run->last_ms = now;
	if (run->tick != NULL && run->tick(run->arg) == -1) {
		run->stopped = 1;
		return -1;
	}
	/* A progress not recorded is no reason to stop the import. */
	if ((st = shop_stmt(run->ctx, &sql[ST_PROGRESS])) != NULL) {
		db_bind_i64(st, 0, (int64_t)done);
		db_bind_i64(st, 1, (int64_t)total);
		db_bind_i64(st, 2, run->id);
		if (shop_exec(run->ctx, st) == SHOP_OK)
			db_done(st);
	}
	return 0;
}

static void
jcount(json_object *o, const char *k, size_t v)
{
	json_object_object_add(o, k, json_object_new_int64((int64_t)v));
}

static void
jtriple(json_object *o, const char *k, size_t n, size_t u, size_t s)
{
	json_object *t = json_object_new_object();

	jcount(t, "new", n);
	jcount(t, "updated", u);
	jcount(t, "same", s);
	json_object_object_add(o, k, t);
}

/* The report as JSON text (imports.h), in ctx->a. */
static struct str
report_json(struct shop_ctx *ctx, const struct catalog_import_report *r)
{
	json_object	*o = json_object_new_object(), *t, *errs;
	const char	*text;
	struct str	 out, d;
	size_t		 i;

	if (r->file_error != NULL) {
		json_object_object_add(o, "file_error",
		    json_object_new_string(r->file_error));
		jcount(o, "file_error_line", r->file_error_line);
	} else {
		json_object_object_add(o, "format", json_object_new_string(
		    catalog_csv_format_name(r->format)));
		jcount(o, "rows", r->rows);
		jcount(o, "rows_refused", r->rows_refused);
		jtriple(o, "products", r->products_new, r->products_updated,
		    r->products_same);
		jtriple(o, "variants", r->variants_new, r->variants_updated,
		    r->variants_same);
		t = json_object_new_object();
		jcount(t, "new", r->categories_new);
		json_object_object_add(o, "categories", t);
		t = json_object_new_object();
		jcount(t, "new", r->images_new);
		jcount(t, "failed", r->images_failed);
		json_object_object_add(o, "images", t);
	}
	errs = json_object_new_array();
	for (i = 0; i < r->nerrors; i++) {
		const struct catalog_import_error *e = &r->errors[i];

		t = json_object_new_object();
		jcount(t, "line", e->line);
		json_object_object_add(t, "reason", json_object_new_string(
		    e->reason ? e->reason : ""));
		/* A cell may hold anything: json-c escapes it; the
		 * engine's cells are UTF-8 (it refuses a file that is
		 * not), cut here on a character's boundary. */
		d = e->detail.p ? e->detail : STR("");
		if (d.len > DETAIL_MAX) {
			d.len = DETAIL_MAX;
			while (d.len > 0 &&
			    ((unsigned char)d.p[d.len] & 0xc0) == 0x80)
				d.len--;
			d.p = arena_printf(ctx->a, "%.*s…", (int)d.len, d.p);
			d.len = strlen(d.p);
		}
		json_object_object_add(t, "detail",
		    json_object_new_string_len(d.p, (int)d.len));
		json_object_object_add(t, "warning",
		    json_object_new_boolean(e->warning));
		json_object_array_add(errs, t);
	}
	json_object_object_add(o, "errors", errs);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	out = arena_str(ctx->a, str_c(text));
	json_object_put(o);
	return out;
}

static int
finish(struct shop_ctx *ctx, int64_t id, int apply, enum imports_state to,
    const char *format, struct str json)
{
	struct db_stmt *st;

	if ((st = shop_stmt(ctx, &sql[ST_FINISH])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, imports_state_name(to));
	db_bind_cstr(st, 1, format);
	db_bind_i64(st, 2, apply);
	db_bind_str(st, 3, json);
	db_bind_i64(st, 4, apply);
	db_bind_str(st, 5, json);
	db_bind_i64(st, 6, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}

/* The payload's import id and mode (1: apply); -1 when unreadable. */
static int
read_payload(struct str payload, int64_t *id, int *apply)
{
	json_object	*o, *v;
	const char	*m;
	int		 rc = -1;

	if (payload.len == 0 || payload.len > 1000 ||
	    (o = json_tokener_parse(payload.p)) == NULL)
		return -1;
	if (json_object_object_get_ex(o, "import_id", &v) &&
	    json_object_is_type(v, json_type_int) &&
	    (*id = json_object_get_int64(v)) > 0 &&
	    json_object_object_get_ex(o, "mode", &v) &&
	    json_object_is_type(v, json_type_string)) {
		m = json_object_get_string(v);
		if (strcmp(m, "preview") == 0 || strcmp(m, "apply") == 0) {
			*apply = m[0] == 'a';
			rc = 0;
		}
	}
	json_object_put(o);
	return rc;
}

int
imports_job_run(struct shop_ctx *ctx, struct str payload,
    int (*tick)(void *arg), void *arg, char *err, size_t errlen)
{
	struct catalog_import_report	 rep;
	struct imports_row		 row;
	struct db_stmt			*st;
	struct stat			 sb;
	struct run			 run;
	enum imports_state		 to;
	char				 rel[256], full[1024];
	int64_t				 id;
	int				 apply, fd, rc;

	if (read_payload(payload, &id, &apply) == -1) {
		str_errf(err, errlen, "payload is not {\"import_id\": N, "
		    "\"mode\": \"preview\"|\"apply\"}");
		return -1;
	}
	rc = imports_get(ctx, id, &row);
	if (rc == SHOP_ENOTFOUND) {
		str_errf(err, errlen, "no import %lld", (long long)id);
		return -1;
	}
	if (rc != SHOP_OK) {
		str_errf(err, errlen, "cannot read import %lld: %s",
		    (long long)id, db_error(ctx->db));
		return 0;
	}
	/* A job run again after its work was recorded (the lease ran out
	 * just then) finds nothing to do. */
	if (row.state != (apply ? IMPORTS_IMPORTING : IMPORTS_PREVIEWING)) {
		log_info("import %lld is %s: nothing to %s", (long long)id,
		    imports_state_name(row.state), apply ? "import" :
		    "preview");
		return 1;
	}
	if (row.path.len == 0 || row.path.len >= sizeof(rel)) {
		str_errf(err, errlen, "import %lld has no file", (long long)id);
		return -1;
	}
	str_copy(rel, sizeof(rel), row.path);
	if (full_path(full, sizeof(full), rel) == -1 ||
	    (fd = open(full, O_RDONLY | O_CLOEXEC)) == -1) {
		/* Gone: nothing will bring it back. */
		str_errf(err, errlen, "cannot open '%s': %s", full,
		    strerror(errno));
		memset(&rep, 0, sizeof(rep));
		rep.file_error = N_("The uploaded file is gone. Upload it "
		    "again.");
		(void)finish(ctx, id, apply, IMPORTS_FAILED, "",
		    report_json(ctx, &rep));
		return -1;
	}
	if (fstat(fd, &sb) == 0 && (st = shop_stmt(ctx, &sql[ST_BEGIN])) !=
	    NULL) {
		db_bind_i64(st, 0, (int64_t)sb.st_size);
		db_bind_i64(st, 1, id);
		if (shop_exec(ctx, st) == SHOP_OK)
			db_done(st);
	}
	memset(&run, 0, sizeof(run));
	run.ctx = ctx;
	run.id = id;
	run.last_ms = clock_ms();
	run.tick = tick;
	run.arg = arg;
	log_info("import %lld: %s '%s'", (long long)id, apply ? "importing" :
	    "previewing", rel);
	rc = catalog_import_run(ctx, fd, apply ? CATALOG_IMPORT_APPLY :
	    CATALOG_IMPORT_PREVIEW, progress, &run, &rep);
	close(fd);
	if (run.stopped) {
		str_errf(err, errlen, "stopped at the worker's request");
		return 0;
	}
	if (rc == SHOP_EDB) {
		str_errf(err, errlen, "import %lld: database failed: %s",
		    (long long)id, db_error(ctx->db));
		return 0;
	}
	if (rc == SHOP_OK)
		to = apply ? IMPORTS_DONE : IMPORTS_PREVIEWED;
	else
		to = IMPORTS_FAILED;
	if (finish(ctx, id, apply, to, rc == SHOP_OK ?
	    catalog_csv_format_name(rep.format) : "",
	    report_json(ctx, &rep)) != SHOP_OK) {
		str_errf(err, errlen, "cannot record import %lld: %s",
		    (long long)id, db_error(ctx->db));
		return 0;
	}
	if (to != IMPORTS_PREVIEWED)
		remove_file(row.path);
	log_info("import %lld: %s, %zu rows, %zu refused%s%s", (long long)id,
	    imports_state_name(to), rep.rows, rep.rows_refused,
	    rep.file_error ? ": " : "", rep.file_error ? rep.file_error : "");
	return 1;
}
