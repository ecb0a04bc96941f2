/*
 * shop_move.c: moving a shop's tables to another server while it serves
 * (shop_move.h).
 *
 * Why triggers and not the binary log: a shared server's binary log
 * holds every shop's changes and DDL; replaying one shop's part means
 * filtering events by table, and mariadb-binlog --table still passes
 * other statements through. Triggers log exactly this shop's rows, in
 * SQL, on any server, Galera too. They cost a row in the log per row
 * written, only while a move runs. Creating a trigger waits for the
 * transactions that hold its table, so once the last one exists every
 * write not in the dump's snapshot is in the log.
 *
 * The move's own account is souk's; with binary logs on, MariaDB lets
 * an account without SUPER create triggers only when
 * log_bin_trust_function_creators is set (mariadb/60-souk.cnf: with
 * ROW events the reason for that rule does not apply).
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/dirtree.h"
#include "core/log.h"
#include "core/spawn.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/backup.h"
#include "platform/shop_move.h"
#include "platform/tenant.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#define MOVE_MAX_KEYS	4	/* columns of a primary key */
#define MOVE_BATCH	2000	/* log rows read at a time */
#define MOVE_ROUNDS	20	/* catch-up rounds before the window */
#define MOVE_FEW	200	/* rows a round may leave for the window */
#define MOVE_DDL_WAIT	1	/* seconds a DDL or the lock waits at once */
#define MOVE_DDL_TRIES	60	/* times a DDL is tried, MOVE_DDL_PAUSE apart */
#define MOVE_LOCK_TRIES	10	/* times the lock is (for the writers) */
#define MOVE_DDL_PAUSE	200	/* ms */
/* Writes are refused this long at most: a move that died lets the shop
 * write again by itself. */
#define MOVE_READ_ONLY_SECS	120

struct mtable {
	const char	*name;		/* at the source: "s42_orders" */
	const char	*from;		/* where rows are read (renamed at
					 * the end) */
	const char	*cols[128];
	int		 ncols;
	const char	*pk[MOVE_MAX_KEYS];
	int		 pkbin[MOVE_MAX_KEYS];	/* a binary column */
	int		 npk;
	const char	*sel, *ups, *del;	/* statements, in the arena */
};

struct logrow {
	int		 tbl;
	int64_t		 seq;
	struct str	 k[MOVE_MAX_KEYS];
	int		 present;
};

struct move {
	struct db		*db;		/* the router: souk_tenants */
	struct db		*src, *dst;	/* their own connections */
	struct db_target	 src_at, dst_at;
	struct arena		*a;
	const struct tenant	*t;
	struct mtable		*tab;
	int			 ntab;
	char			 log[40];	/* souk_move_<id> */
	int64_t			 seq;		/* log read up to (locked) */
	int64_t			 rows;
	int			 triggers, copied, locked;
	char			*err;
	size_t			 errlen;
};

static void
nap_ms(int64_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * A DDL statement at the source (a trigger, the rename), as online
 * schema tools run theirs: waiting at most MOVE_DDL_WAIT for its
 * table's metadata lock, then tried again after a pause. A DDL waiting
 * for its lock makes every later statement on the table wait behind
 * it, so a long wait would stall the shop's writers; and it can wait
 * for a transaction that waits, for a row lock, on one that waits
 * behind the DDL: a cycle across the metadata and InnoDB locks that
 * MariaDB does not see, which only the shoppers' timeouts would end.
 * The session's lock_wait_timeout is MOVE_DDL_WAIT (shop_move()).
 */
static int
ddl_tries(struct move *m, const char *sql, int tries)
{
	int i;

	for (i = 0; i < tries; i++) {
		if (i > 0)
			nap_ms(MOVE_DDL_PAUSE);
		if (db_exec_ddl(m->src, sql, 0) == 0)
			return 0;
		if (db_errclass(m->src) != DB_EDEADLOCK)
			return -1;
	}
	return -1;
}

static int
ddl(struct move *m, const char *sql)
{
	return ddl_tries(m, sql, MOVE_DDL_TRIES);
}

static int
fail(struct move *m, struct db *db, const char *what)
{
	str_errf(m->err, m->errlen, "%s: %s", what, db_error(db));
	return -1;
}

/* Server i's address, with a long read timeout (the dump, the lock). */
static void
target_of(struct db *db, int i, struct db_target *t)
{
	if (i > 0)
		*t = *db_shard_target(db, i);
	else {
		memset(t, 0, sizeof(*t));
		t->socket = config_get("db_socket", "");
		t->host = config_get("db_host", "localhost");
		t->port = (int)config_int("db_port", 3306, 1, 65535);
		t->user = config_get("db_user", "souk");
		t->password = config_get("db_password", "");
		t->name = config_get("db_name", "souk");
	}
	t->read_timeout = 3600;
}

/* One integer of a one-row query on db; -1 on error. */
static int64_t
scalar(struct db *db, const char *sql, const char *arg)
{
	struct db_stmt	*st = db_prepare(db, sql, 0);
	int64_t		 v = 0;
	int		 rc;

	if (st == NULL)
		return -1;
	if (arg != NULL)
		db_bind_cstr(st, 0, arg);
	if ((rc = db_exec_first(st)) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return rc == -1 ? -1 : v;
}

/* The column names of table (ordered), its primary key's into t. */
static int
describe(struct move *m, struct mtable *t)
{
	static const char q_cols[] = "SELECT column_name FROM "
	    "information_schema.columns WHERE table_schema = DATABASE() AND "
	    "table_name = ? AND extra NOT LIKE '%GENERATED%' "
	    "ORDER BY ordinal_position";
	static const char q_pk[] = "SELECT s.column_name, c.data_type IN "
	    "('binary', 'varbinary', 'blob', 'tinyblob', 'mediumblob', "
	    "'longblob') FROM information_schema.statistics s JOIN "
	    "information_schema.columns c ON c.table_schema = s.table_schema "
	    "AND c.table_name = s.table_name AND c.column_name = s.column_name "
	    "WHERE s.table_schema = DATABASE() AND s.table_name = ? AND "
	    "s.index_name = 'PRIMARY' ORDER BY s.seq_in_index";
	struct db_stmt	*st;
	int		 pass, rc;

	for (pass = 0; pass < 2; pass++) {
		if ((st = db_prepare(m->src, pass ? q_pk : q_cols, 0)) == NULL)
			return fail(m, m->src, "cannot read the tables");
		db_bind_cstr(st, 0, t->name);
		if (db_exec(st, m->a) == -1)
			return fail(m, m->src, "cannot read the tables");
		while ((rc = db_step(st)) == 1) {
			const char *c = db_col_str(st, 0).p;

			if (!backup_ident_ok(c) || (pass ? t->npk >=
			    MOVE_MAX_KEYS : t->ncols >= (int)NELEM(t->cols))) {
				db_done(st);
				str_errf(m->err, m->errlen, "table %s: column "
				    "'%s' or its count is not what a move "
				    "handles", t->name, c);
				return -1;
			}
			if (pass) {
				t->pkbin[t->npk] = db_col_i64(st, 1) != 0;
				t->pk[t->npk++] = c;
			}
			else
				t->cols[t->ncols++] = c;
		}
		db_done(st);
		if (rc == -1)
			return fail(m, m->src, "cannot read the tables");
	}
	if (t->npk == 0) {
		str_errf(m->err, m->errlen, "table %s has no primary key",
		    t->name);
		return -1;
	}
	return 0;
}

/* The statements that carry one row of t, reading it from t->from. */
static void
statements(struct move *m, struct mtable *t)
{
	struct strbuf	w, sb;
	int		i;

	strbuf_init(&w, 128);
	for (i = 0; i < t->npk; i++)
		strbuf_addf(&w, "%s`%s` = ?", i ? " AND " : "", t->pk[i]);
	strbuf_init(&sb, 512);
	strbuf_addstr(&sb, "SELECT ");
	for (i = 0; i < t->ncols; i++)
		strbuf_addf(&sb, "%s`%s`", i ? ", " : "", t->cols[i]);
	strbuf_addf(&sb, " FROM `%s` WHERE %s", t->from, w.buf);
	t->sel = arena_strdup(m->a, sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "INSERT INTO `%s` (", t->name);
	for (i = 0; i < t->ncols; i++)
		strbuf_addf(&sb, "%s`%s`", i ? ", " : "", t->cols[i]);
	strbuf_addstr(&sb, ") VALUES (");
	for (i = 0; i < t->ncols; i++)
		strbuf_addstr(&sb, i ? ", ?" : "?");
	strbuf_addstr(&sb, ") ON DUPLICATE KEY UPDATE ");
	for (i = 0; i < t->ncols; i++)
		strbuf_addf(&sb, "%s`%s` = VALUES(`%s`)", i ? ", " : "",
		    t->cols[i], t->cols[i]);
	t->ups = arena_strdup(m->a, sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "DELETE FROM `%s` WHERE %s", t->name, w.buf);
	t->del = arena_strdup(m->a, sb.buf);
	strbuf_release(&sb);
	strbuf_release(&w);
}

static const char *
trigger_name(struct move *m, int i, char what)
{
	return arena_printf(m->a, "%s_%d_%c", m->log, i, what);
}

static int
drop_triggers(struct move *m)
{
	static const char what[] = "iud";
	int i, j, rc = 0;

	for (i = 0; i < m->ntab; i++)
		for (j = 0; j < 3; j++)
			if (ddl(m, arena_printf(m->a, "DROP TRIGGER IF "
			    "EXISTS `%s`", trigger_name(m, i, what[j]))) ==
			    -1)
				rc = -1;
	return rc;
}

/* "(i, NEW.a, NEW.b, NULL)" for table i. */
static const char *
log_values(struct move *m, int i, const char *row)
{
	struct mtable	*t = &m->tab[i];
	struct strbuf	 sb;
	const char	*s;
	int		 k;

	strbuf_init(&sb, 64);
	strbuf_addf(&sb, "(%d", i);
	for (k = 0; k < MOVE_MAX_KEYS; k++)
		if (k < t->npk)
			strbuf_addf(&sb, ", %s.`%s`", row, t->pk[k]);
		else
			strbuf_addstr(&sb, ", NULL");
	strbuf_addstr(&sb, ")");
	s = arena_strdup(m->a, sb.buf);
	strbuf_release(&sb);
	return s;
}

/* The log table and a trigger for each write to each table. */
/* The trigger logging table i's rows of event (INSERT, UPDATE,
 * DELETE) into the move's log. */
static int
add_trigger(struct move *m, int i, char what, const char *event,
    const char *values)
{
	return ddl(m, arena_printf(m->a, "CREATE TRIGGER `%s` AFTER %s ON "
	    "`%s` FOR EACH ROW INSERT INTO `%s` (tbl, k1, k2, k3, k4) "
	    "VALUES %s", trigger_name(m, i, what), event, m->tab[i].name,
	    m->log, values));
}

static int
start_log(struct move *m)
{
	int i;

	if (db_exec_ddl(m->src, arena_printf(m->a, "DROP TABLE IF EXISTS "
	    "`%s`", m->log), 0) == -1 || drop_triggers(m) == -1 ||
	    db_exec_ddl(m->src, arena_printf(m->a, "CREATE TABLE `%s` ("
	    "seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, "
	    "tbl SMALLINT UNSIGNED NOT NULL, k1 VARBINARY(255) NULL, "
	    "k2 VARBINARY(255) NULL, k3 VARBINARY(255) NULL, "
	    "k4 VARBINARY(255) NULL) ENGINE=InnoDB",
	    m->log), 0) == -1)
		return fail(m, m->src, "cannot create the move's log");
	m->triggers = 1;
	for (i = 0; i < m->ntab; i++) {
		if (add_trigger(m, i, 'i', "INSERT", log_values(m, i,
		    "NEW")) == -1 ||
		    add_trigger(m, i, 'u', "UPDATE", arena_printf(m->a,
		    "%s, %s", log_values(m, i, "OLD"), log_values(m, i,
		    "NEW"))) == -1 ||
		    add_trigger(m, i, 'd', "DELETE", log_values(m, i,
		    "OLD")) == -1) {
			if (strstr(db_error(m->src), "(1419)") != NULL) {
				str_errf(m->err, m->errlen, "the source "
				    "server refuses triggers to souk's "
				    "account: set log_bin_trust_function_"
				    "creators = 1 (mariadb/60-souk.cnf)");
				return -1;
			}
			return fail(m, m->src, "cannot create the triggers");
		}
	}
	return 0;
}

/* mariadb-dump of the tables in one snapshot, into the target. */
static int
copy(struct move *m, const char *dir)
{
	const char	**dump, *scnf, *dcnf, *db = m->src_at.name;
	int		  i, k = 0, st, log_fd;

	scnf = arena_printf(m->a, "%s/source.cnf", dir);
	dcnf = arena_printf(m->a, "%s/target.cnf", dir);
	if (backup_write_client_cnf(scnf, m->src_at.user, m->src_at.password,
	    m->src_at.socket, m->src_at.host, m->src_at.port) == -1 ||
	    backup_write_client_cnf(dcnf, m->dst_at.user, m->dst_at.password,
	    m->dst_at.socket, m->dst_at.host, m->dst_at.port) == -1) {
		str_errf(m->err, m->errlen, "cannot write in %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	dump = arena_calloc(m->a, (size_t)m->ntab + 16, sizeof(*dump));
	dump[k++] = "mariadb-dump";
	dump[k++] = arena_printf(m->a, "--defaults-file=%s", scnf);
	dump[k++] = "--single-transaction";
	dump[k++] = "--skip-lock-tables";
	dump[k++] = "--skip-triggers";
	dump[k++] = "--no-tablespaces";
	dump[k++] = "--hex-blob";
	dump[k++] = "--default-character-set=utf8mb4";
	dump[k++] = db;
	for (i = 0; i < m->ntab; i++)
		dump[k++] = m->tab[i].name;
	dump[k] = NULL;
	if ((log_fd = open(arena_printf(m->a, "%s/copy.log", dir),
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1) {
		str_errf(m->err, m->errlen, "cannot write in %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	{
		const char *load[] = { "mariadb",
		    arena_printf(m->a, "--defaults-file=%s", dcnf),
		    "--binary-mode", "--default-character-set=utf8mb4", db,
		    NULL };

		m->copied = 1;
		st = spawn_pipe(dump, NULL, load, log_fd);
	}
	close(log_fd);
	if (st != 0) {
		str_errf(m->err, m->errlen, "copying the tables failed "
		    "(status %d): see %s/copy.log", st, dir);
		return -1;
	}
	return 0;
}

static int
cmp_logrow(const void *a, const void *b)
{
	const struct logrow *x = a, *y = b;
	int k, c;

	if (x->tbl != y->tbl)
		return x->tbl < y->tbl ? -1 : 1;
	for (k = 0; k < MOVE_MAX_KEYS; k++) {
		size_t n = x->k[k].len < y->k[k].len ? x->k[k].len :
		    y->k[k].len;

		if ((c = memcmp(x->k[k].p, y->k[k].p, n)) != 0)
			return c;
		if (x->k[k].len != y->k[k].len)
			return x->k[k].len < y->k[k].len ? -1 : 1;
	}
	return 0;
}

/* Binds row r's key to st from parameter 0: a binary key column as
 * bytes, any other as text (compared in the column's collation, with
 * its index). */
static void
bind_key(struct db_stmt *st, const struct mtable *t, const struct logrow *r)
{
	int k;

	for (k = 0; k < t->npk; k++)
		if (t->pkbin[k])
			db_bind_blob(st, (unsigned)k, r->k[k].p, r->k[k].len);
		else
			db_bind_str(st, (unsigned)k, r->k[k]);
}

/* Reads row r of its table at the source: 1 there (its values in st,
 * which the caller db_done()s), 0 gone, -1 error. */
static int
read_row(struct move *m, struct logrow *r, struct db_stmt **out)
{
	struct mtable	*t = &m->tab[r->tbl];
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(m->src, t->sel, 0)) == NULL)
		return -1;
	bind_key(st, t, r);
	if (db_exec(st, m->a) == -1)
		return -1;
	if ((rc = db_step(st)) != 1)
		db_done(st);
	*out = st;
	return rc;
}

struct batch {
	struct move	*m;
	struct logrow	*v;
	size_t		 n;
};

/* Carries a batch of distinct rows to the target: the rows gone at the
 * source deleted first (a unique key another row took since), then the
 * others written as they are now. Repeatable: db_tx_run() retries it. */
static int
apply_tx(struct db *dst, void *arg)
{
	struct batch	*b = arg;
	struct move	*m = b->m;
	struct db_stmt	*rd, *st;
	size_t		 i;
	int		 pass, k, rc;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < b->n; i++) {
			struct logrow	*r = &b->v[i];
			struct mtable	*t = &m->tab[r->tbl];

			if (pass == 0) {
				if ((rc = read_row(m, r, &rd)) == -1)
					return -1;
				if ((r->present = rc) == 1) {
					db_done(rd);
					continue;
				}
				if ((st = db_prepare(dst, t->del, 0)) == NULL)
					return -1;
				bind_key(st, t, r);
				if (db_exec(st, NULL) == -1)
					return -1;
				continue;
			}
			if (!r->present)
				continue;
			if ((rc = read_row(m, r, &rd)) == -1)
				return -1;
			if (rc == 0)	/* deleted since: the log has it */
				continue;
			if ((st = db_prepare(dst, t->ups, 0)) == NULL) {
				db_done(rd);
				return -1;
			}
			for (k = 0; k < t->ncols; k++) {
				struct str v = db_col_str(rd, (unsigned)k);

				if (db_col_null(rd, (unsigned)k))
					db_bind_null(st, (unsigned)k);
				else
					db_bind_blob(st, (unsigned)k, v.p,
					    v.len);
			}
			db_done(rd);
			if (db_exec(st, NULL) == -1)
				return -1;
		}
	return 0;
}

/* Deletes the log rows numbered seqs (every row a round read, the
 * repeats of a key too): carried, they are not read again. */
static int
forget(struct move *m, const int64_t *seqs, size_t n)
{
	struct strbuf	sb;
	size_t		i;
	int		rc;

	strbuf_init(&sb, 64 + n * 12);
	strbuf_addf(&sb, "DELETE FROM `%s` WHERE seq IN (", m->log);
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%lld", i ? ", " : "", (long long)seqs[i]);
	strbuf_addstr(&sb, ")");
	rc = db_exec_ddl(m->src, sb.buf, 0);
	strbuf_release(&sb);
	return rc;
}

/*
 * One round: at most MOVE_BATCH of the log's rows, each distinct row
 * carried once. *n gets the log rows read. 0 or -1.
 *
 * A log row's seq is given when its transaction writes, not when it
 * commits: a row may become visible after rows with a higher seq were
 * read. So while the shop writes (locked 0), a round reads the oldest
 * rows it can see and deletes those it carried; a late one is read by
 * a later round. Under the lock (locked 1: every writer committed, and
 * the log is read-only to this session) and after it, the rows left
 * are read in seq order after m->seq and kept.
 */
static int
catch_up(struct move *m, int locked, int64_t *n)
{
	struct db_stmt	*st;
	struct batch	 b = { m, NULL, 0 };
	int64_t		*seqs;
	size_t		 i, j;
	int		 k, rc;

	*n = 0;
	if ((st = db_prepare(m->src, arena_printf(m->a, "SELECT seq, tbl, "
	    "k1, k2, k3, k4 FROM `%s` WHERE seq > ? ORDER BY seq LIMIT %d",
	    m->log, MOVE_BATCH), 0)) == NULL)
		return fail(m, m->src, "cannot read the move's log");
	db_bind_i64(st, 0, locked ? m->seq : 0);
	if (db_exec(st, m->a) == -1)
		return fail(m, m->src, "cannot read the move's log");
	b.v = arena_calloc(m->a, MOVE_BATCH, sizeof(*b.v));
	while ((rc = db_step(st)) == 1) {
		struct logrow *r = &b.v[b.n++];

		r->seq = db_col_i64(st, 0);
		r->tbl = (int)db_col_i64(st, 1);
		for (k = 0; k < MOVE_MAX_KEYS; k++)
			r->k[k] = db_col_str(st, (unsigned)(2 + k));
		if (r->tbl < 0 || r->tbl >= m->ntab) {
			db_done(st);
			str_errf(m->err, m->errlen, "the move's log names "
			    "table %d", r->tbl);
			return -1;
		}
	}
	db_done(st);
	if (rc == -1)
		return fail(m, m->src, "cannot read the move's log");
	if (b.n == 0)
		return 0;
	*n = (int64_t)b.n;
	m->seq = b.v[b.n - 1].seq;
	seqs = arena_calloc(m->a, b.n, sizeof(*seqs));
	for (i = 0; i < b.n; i++)
		seqs[i] = b.v[i].seq;
	qsort(b.v, b.n, sizeof(*b.v), cmp_logrow);
	for (i = j = 0; i < b.n; i++)
		if (j == 0 || cmp_logrow(&b.v[j - 1], &b.v[i]) != 0)
			b.v[j++] = b.v[i];
	if (db_tx_run(m->dst, apply_tx, &(struct batch){ m, b.v, j }) != 0)
		return fail(m, db_errclass(m->dst) != DB_OK ? m->dst : m->src,
		    "cannot carry the rows written meanwhile");
	if (!locked && forget(m, seqs, b.n) == -1)
		return fail(m, m->src, "cannot clear the move's log");
	m->rows += (int64_t)j;
	return 0;
}

/* Every table's CHECKSUM, equal on both servers. */
static int
checksums_equal(struct move *m)
{
	struct strbuf	 sb;
	struct db_stmt	*st;
	const char	*sums[2][512];
	struct db	*on[2] = { m->src, m->dst };
	int		 s, i, rc;

	if (m->ntab > 512)
		return 0;
	strbuf_init(&sb, 1024);
	strbuf_addstr(&sb, "CHECKSUM TABLE ");
	for (i = 0; i < m->ntab; i++)
		strbuf_addf(&sb, "%s`%s`", i ? ", " : "", m->tab[i].name);
	for (s = 0; s < 2; s++) {
		if ((st = db_prepare(on[s], sb.buf, 0)) == NULL ||
		    db_exec(st, m->a) == -1) {
			strbuf_release(&sb);
			return fail(m, on[s], "cannot compare the tables");
		}
		for (i = 0; (rc = db_step(st)) == 1 && i < m->ntab; i++)
			sums[s][i] = db_col_str(st, 1).p;
		db_done(st);
		if (rc == -1 || i != m->ntab) {
			strbuf_release(&sb);
			return fail(m, on[s], "cannot compare the tables");
		}
	}
	strbuf_release(&sb);
	for (i = 0; i < m->ntab; i++)
		if (strcmp(sums[0][i], sums[1][i]) != 0) {
			str_errf(m->err, m->errlen, "table %s differs on the "
			    "target after the catch-up (checksum %s, %s)",
			    m->tab[i].name, sums[0][i], sums[1][i]);
			return -1;
		}
	return 0;
}

static int
lock_source(struct move *m)
{
	struct strbuf	sb;
	int		i, rc;

	strbuf_init(&sb, 1024);
	strbuf_addstr(&sb, "LOCK TABLES ");
	for (i = 0; i < m->ntab; i++)
		strbuf_addf(&sb, "`%s` READ, ", m->tab[i].name);
	strbuf_addf(&sb, "`%s` READ", m->log);
	rc = ddl_tries(m, sb.buf, MOVE_LOCK_TRIES);
	strbuf_release(&sb);
	if (rc == -1)
		return fail(m, m->src, "cannot lock the shop's tables (a "
		    "long transaction holds them?)");
	m->locked = 1;
	return 0;
}

static int
unlock_source(struct move *m)
{
	if (!m->locked)
		return 0;
	m->locked = 0;
	return db_exec_ddl(m->src, "UNLOCK TABLES", 0);
}

static int
set_read_only(struct move *m, int on)
{
	struct db_stmt *st = db_prepare(m->db, "UPDATE souk_tenants SET "
	    "read_only_until = IF(? > 0, UTC_TIMESTAMP() + INTERVAL ? SECOND, "
	    "NULL) WHERE id = ?", 0);

	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, on);
	db_bind_i64(st, 1, MOVE_READ_ONLY_SECS);
	db_bind_i64(st, 2, m->t->id);
	if (db_exec(st, NULL) == -1)
		return -1;
	tenant_changed(m->t->id);
	return 0;
}

/* The open invitations of the shop, copied to the target; the source's
 * are deleted once the shop is there. */
static int
copy_invites(struct move *m)
{
	static const char cols[] = "tenant_id, email, role, token_hash, "
	    "invited_by, locale, created_at, expires_at";
	struct db_stmt	*rd, *st;
	int		 k, rc;

	if ((rd = db_prepare(m->src, arena_printf(m->a, "SELECT %s FROM "
	    "souk_staff_invites WHERE tenant_id = ?", cols), 0)) == NULL)
		return fail(m, m->src, "cannot read the invitations");
	db_bind_i64(rd, 0, m->t->id);
	if (db_exec(rd, m->a) == -1)
		return fail(m, m->src, "cannot read the invitations");
	while ((rc = db_step(rd)) == 1) {
		if ((st = db_prepare(m->dst, arena_printf(m->a, "INSERT IGNORE "
		    "INTO souk_staff_invites (%s) VALUES (?, ?, ?, ?, ?, ?, ?, "
		    "?)", cols), 0)) == NULL)
			break;
		for (k = 0; k < 8; k++) {
			struct str v = db_col_str(rd, (unsigned)k);

			db_bind_blob(st, (unsigned)k, v.p, v.len);
		}
		if (db_exec(st, NULL) == -1)
			break;
	}
	db_done(rd);
	if (rc != 0)
		return fail(m, rc == 1 ? m->dst : m->src, "cannot copy the "
		    "invitations");
	return 0;
}

/* Undoes what a failed move did before the switch. */
static void
abandon(struct move *m)
{
	int i;

	(void)unlock_source(m);
	if (m->triggers) {
		(void)drop_triggers(m);
		(void)db_exec_ddl(m->src, arena_printf(m->a, "DROP TABLE IF "
		    "EXISTS `%s`", m->log), 0);
	}
	if (m->copied) {
		for (i = 0; i < m->ntab; i++)
			(void)db_exec_ddl(m->dst, arena_printf(m->a, "DROP "
			    "TABLE IF EXISTS `%s`", m->tab[i].name), 0);
		(void)db_exec_ddl(m->dst, arena_printf(m->a, "DELETE FROM "
		    "souk_staff_invites WHERE tenant_id = %lld",
		    (long long)m->t->id), 0);
	}
	if (set_read_only(m, 0) == -1)
		log_err("shop %lld: cannot open its writes again: %s (they "
		    "open by themselves within %d s)", (long long)m->t->id,
		    db_error(m->db), MOVE_READ_ONLY_SECS);
}

struct switch_arg {
	struct move	*m;
	const char	*to;
};

/* The shop's server in its row, with the audit entry. */
static int
switch_tx(struct db *db, void *arg)
{
	struct switch_arg	*x = arg;
	const struct tenant	*t = x->m->t;
	json_object		*before, *after;
	struct db_stmt		*st;
	int			 rc = -1;

	if ((st = db_prepare(db, "UPDATE souk_tenants SET shard = ? "
	    "WHERE id = ?", 0)) == NULL)
		return -1;
	db_bind_cstr(st, 0, x->to);
	db_bind_i64(st, 1, t->id);
	if (db_exec(st, NULL) == -1)
		return -1;
	before = json_object_new_object();
	json_object_object_add(before, "server", json_object_new_string(
	    *t->shard ? t->shard : "default"));
	after = json_object_new_object();
	json_object_object_add(after, "server",
	    json_object_new_string(x->to));
	rc = audit_log(db, t->id, "shop.move", "shop", t->id, before, after);
	json_object_put(before);
	json_object_put(after);
	return rc;
}

static int
switch_shard(struct move *m, const char *to)
{
	struct switch_arg x = { m, to };

	if (db_tx_run(m->db, switch_tx, &x) != 0)
		return fail(m, m->db, "cannot switch the shop's server");
	tenant_changed(m->t->id);
	return 0;
}

static double
secs_since(int64_t ms)
{
	return (double)(clock_ms() - ms) / 1000.0;
}

/* After the switch: the source tables renamed aside, the writes that
 * reached them after the lock (none, unless a job was waiting for it)
 * carried over, the log dropped. Failures here are logged: the shop is
 * on the target already. */
static void
retire_source(struct move *m, struct move_report *r)
{
	struct strbuf	sb;
	int64_t		n;
	int		i;

	strbuf_init(&sb, 1024);
	strbuf_addstr(&sb, "RENAME TABLE ");
	for (i = 0; i < m->ntab; i++) {
		m->tab[i].from = arena_printf(m->a, "%s%s", r->moved_prefix,
		    m->tab[i].name);
		strbuf_addf(&sb, "%s`%s` TO `%s`", i ? ", " : "",
		    m->tab[i].name, m->tab[i].from);
	}
	/* Unlocked and renamed at once: a writer that waited for the lock
	 * writes to the tables before they move, and its row is logged. */
	if (unlock_source(m) == -1 || ddl(m, sb.buf) == -1) {
		log_err("shop %lld: cannot rename its old tables: %s",
		    (long long)m->t->id, db_error(m->src));
		r->unrenamed = 1;
	}
	strbuf_release(&sb);
	(void)drop_triggers(m);
	for (i = 0; i < m->ntab; i++)
		statements(m, &m->tab[i]);
	do {
		if (catch_up(m, 1, &n) == -1) {
			log_err("shop %lld: %s", (long long)m->t->id, m->err);
			break;
		}
		r->late += n;
	} while (n > 0);
	if (db_exec_ddl(m->src, arena_printf(m->a, "DROP TABLE IF EXISTS "
	    "`%s`", m->log), 0) == -1 || db_exec_ddl(m->src, arena_printf(m->a,
	    "DELETE FROM souk_staff_invites WHERE tenant_id = %lld",
	    (long long)m->t->id), 0) == -1) {
		log_err("shop %lld: cannot tidy the old server: %s",
		    (long long)m->t->id, db_error(m->src));
		r->unrenamed = 1;
	}
}

int
shop_move(struct db *db, const struct tenant *t, const char *to,
    struct move_report *r, char *err, size_t errlen)
{
	struct arena	 a;
	struct move	 m;
	const char	**names, **there, *dir;
	int64_t		 start = clock_ms(), mark, n;
	int		 from, dst, i, round, rc = -1;
	time_t		 now = time(NULL);
	struct tm	 tm;

	memset(r, 0, sizeof(*r));
	memset(&m, 0, sizeof(m));
	arena_init(&a);
	m.db = db;
	m.a = &a;
	m.t = t;
	m.err = err;
	m.errlen = errlen;
	if ((from = db_shard_index(db, t->shard)) == -1) {
		str_errf(err, errlen, "the shop is on server '%s', which "
		    "db_shards does not name", t->shard);
		goto out;
	}
	if ((dst = db_shard_index(db, to)) == -1) {
		str_errf(err, errlen, "no server '%s' in db_shards", to);
		goto out;
	}
	if (dst == from) {
		str_errf(err, errlen, "the shop is on '%s' already", to);
		goto out;
	}
	if (t->status != TENANT_READY) {
		str_errf(err, errlen, "the shop is %s: only a ready shop "
		    "moves", tenant_status_name(t->status));
		goto out;
	}
	str_copy(r->from, sizeof(r->from), str_c(db_shard_name(db, from)));
	str_copy(r->to, sizeof(r->to), str_c(db_shard_name(db, dst)));
	gmtime_r(&now, &tm);
	if (strftime(r->moved_prefix, sizeof(r->moved_prefix),
	    "moved_%Y%m%d%H%M%S_", &tm) == 0)
		fatal("shop_move: strftime");
	i = snprintf(m.log, sizeof(m.log), "souk_move_%lld", (long long)t->id);
	if (i < 0 || (size_t)i >= sizeof(m.log))
		fatal("shop_move: log name");

	target_of(db, from, &m.src_at);
	target_of(db, dst, &m.dst_at);
	m.src = db_open_at(&m.src_at);
	m.dst = db_open_at(&m.dst_at);
	if (!db_alive(m.src, 1) || !db_alive(m.dst, 1)) {
		str_errf(err, errlen, "cannot reach %s: %s",
		    db_alive(m.src, 0) ? r->to : r->from,
		    db_error(db_alive(m.src, 0) ? m.dst : m.src));
		goto out;
	}
	/* Every DDL and lock at the source waits this long at once (ddl()). */
	if (db_exec_ddl(m.src, arena_printf(&a, "SET SESSION "
	    "lock_wait_timeout = %d", MOVE_DDL_WAIT), 0) == -1) {
		str_errf(err, errlen, "server %s: %s", r->from,
		    db_error(m.src));
		goto out;
	}
	if (scalar(m.dst, "SELECT COUNT(*) FROM souk_jobs WHERE 0", NULL) ==
	    -1) {
		str_errf(err, errlen, "server %s has no souk tables (run "
		    "soukctl migrate): %s", r->to, db_error(m.dst));
		goto out;
	}
	if ((m.ntab = backup_tables_like(m.src, &a, NULL, arena_printf(&a,
	    "s%lld\\_%%", (long long)t->id), &names)) <= 0) {
		str_errf(err, errlen, "cannot list the shop's tables on %s: "
		    "%s", r->from, m.ntab == 0 ? "none" : db_error(m.src));
		goto out;
	}
	if ((n = backup_tables_like(m.dst, &a, NULL, arena_printf(&a,
	    "s%lld\\_%%", (long long)t->id), &there)) != 0) {
		str_errf(err, errlen, "server %s has tables of this shop "
		    "already%s: drop them first", r->to, n > 0 ? "" :
		    " (or cannot list them)");
		goto out;
	}
	m.tab = arena_calloc(&a, (size_t)m.ntab, sizeof(*m.tab));
	for (i = 0; i < m.ntab; i++) {
		m.tab[i].name = m.tab[i].from = names[i];
		if (strlen(r->moved_prefix) + strlen(names[i]) > 64) {
			str_errf(err, errlen, "table name %s too long to set "
			    "aside", names[i]);
			goto out;
		}
		if (describe(&m, &m.tab[i]) == -1)
			goto out;
		statements(&m, &m.tab[i]);
	}
	r->tables = m.ntab;
	if ((dir = backup_scratch(&a, "move", err, errlen)) == NULL)
		goto out;

	log_info("shop %lld: moving from %s to %s", (long long)t->id,
	    r->from, r->to);
	if (start_log(&m) == -1)
		goto abandon;
	mark = clock_ms();
	if (copy(&m, dir) == -1)
		goto abandon;
	r->copy_secs = secs_since(mark);
	mark = clock_ms();
	for (round = 0; round < MOVE_ROUNDS; round++) {
		if (catch_up(&m, 0, &n) == -1)
			goto abandon;
		if (n < MOVE_FEW)
			break;
	}
	r->catchup_secs = secs_since(mark);

	/* The window: writes refused everywhere once the workers' caches
	 * have seen it, then the source locked (waiting for the writes in
	 * flight), the rest caught up and compared. */
	mark = clock_ms();
	if (set_read_only(&m, 1) == -1) {
		fail(&m, db, "cannot pause the shop's writes");
		goto abandon;
	}
	nap_ms(TENANT_CACHE_TTL_MS + 500);
	if (copy_invites(&m) == -1 || lock_source(&m) == -1)
		goto abandon;
	/* Every row left in the log is visible now: read them all. */
	m.seq = 0;
	do {
		if (catch_up(&m, 1, &n) == -1)
			goto abandon;
	} while (n > 0);
	if (checksums_equal(&m) == -1 || switch_shard(&m, r->to) == -1)
		goto abandon;
	r->caught_up = m.rows;
	/* Reads go on at the source (locked for writes) until every
	 * worker routes to the target; then the writes open there. */
	nap_ms(TENANT_CACHE_TTL_MS + 500);
	if (set_read_only(&m, 0) == -1)
		log_err("shop %lld: cannot open its writes again: %s (they "
		    "open by themselves within %d s)", (long long)t->id,
		    db_error(db), MOVE_READ_ONLY_SECS);
	/* Every worker takes writes again after a lifetime of its cache;
	 * a request that began on the source before the switch (a slow
	 * one, on a loaded machine) gets as long to end there before the
	 * tables move aside. */
	nap_ms(TENANT_CACHE_TTL_MS + 500);
	r->window_secs = secs_since(mark);
	retire_source(&m, r);
	r->secs = secs_since(start);
	log_info("shop %lld: moved to %s in %.1f s, writes paused %.1f s",
	    (long long)t->id, r->to, r->secs, r->window_secs);
	(void)dirtree_remove(dir);
	rc = 0;
	goto out;
abandon:
	log_err("shop %lld: move to %s abandoned: %s", (long long)t->id,
	    r->to, err);
	abandon(&m);
out:
	db_close(m.src);
	db_close(m.dst);
	arena_free(&a);
	return rc;
}

int
shop_move_purge(struct db *db, const struct tenant *t, int *n, char *err,
    size_t errlen)
{
	struct arena	  a;
	const char	**v;
	struct db	 *on;
	int		  i, j, k;

	*n = 0;
	arena_init(&a);
	for (i = 0; i <= db_shard_count(db); i++) {
		on = db_shard(db, i);
		if ((k = backup_tables_like(on, &a, NULL, arena_printf(&a,
		    "moved\\_%%\\_s%lld\\_%%", (long long)t->id), &v)) == -1) {
			str_errf(err, errlen, "server %s: %s",
			    db_shard_name(db, i), db_error(on));
			arena_free(&a);
			return -1;
		}
		for (j = 0; j < k; j++) {
			if (db_exec_ddl(on, arena_printf(&a, "DROP TABLE `%s`",
			    v[j]), 0) == -1) {
				str_errf(err, errlen, "server %s: %s",
				    db_shard_name(db, i), db_error(on));
				arena_free(&a);
				return -1;
			}
			(*n)++;
		}
	}
	arena_free(&a);
	return 0;
}
