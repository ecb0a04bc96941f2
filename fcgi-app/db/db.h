/*
 * db.h: the process's MariaDB connection and prepared statements.
 *
 * Each process (each pool worker) has one connection, opened by
 * db_connect() from the configuration (db_socket or db_host/db_port,
 * db_user, db_password, db_name). Statements are prepared once and kept
 * in a per-process cache keyed by their final text; they belong to the
 * connection and are released by db_close() or when the connection is
 * lost. Callers never build SQL from strings: a statement text may hold
 * the placeholder "{p}", which db_prepare() replaces with the tenant's
 * table prefix "s<id>_" formatted from the integer id only.
 *
 * Typical use (one statement at a time per stmt object):
 *
 *	struct db_stmt *st = db_prepare(db, "SELECT id, name FROM "
 *	    "{p}products WHERE id = ?", tenant_id);
 *	db_bind_i64(st, 0, id);
 *	if (db_exec(st) == -1) goto fail;
 *	while ((rc = db_step(st)) == 1) { db_col_i64(st, 0); ... }
 *	db_done(st);
 *
 * Result strings returned by db_col_str() live in the arena given to
 * db_exec() (copies), so they survive db_done() and the next execution.
 *
 * Errors: functions return -1 and leave a message in db_error(db) and
 * a class in db_errclass(db). A lost connection (server gone, restart)
 * is DB_ELOST: the statement cache is dropped and the next db_prepare()
 * reconnects (at most once a second), so a worker heals by itself.
 */
#ifndef SOUK_DB_H
#define SOUK_DB_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/str.h"

struct db;
struct db_stmt;

enum db_errclass {
	DB_OK = 0,
	DB_ELOST,	/* connection lost or server unavailable */
	DB_EDUP,	/* duplicate key (unique constraint) */
	DB_EDEADLOCK,	/* deadlock or lock wait timeout: retry the tx */
	DB_ENOTABLE,	/* table does not exist */
	DB_EOTHER,
};

/* Opens the connection named by the configuration; on failure returns a
 * handle that is not connected (db_prepare() retries) with the reason
 * in db_error(). Never NULL. Free with db_close(). */
struct db	*db_open(void);
void		 db_close(struct db *db);

/* Another server or account than the configuration's: a private
 * instance, an administrator's account (soukctl backup). An empty
 * socket means host and port (port 0: 3306); an empty name, no default
 * database. The strings are copied. */
struct db_target {
	const char	*socket;
	const char	*host;
	int		 port;
	const char	*user;
	const char	*password;
	const char	*name;
	int		 read_timeout;	/* seconds; 0: 10, as db_open()'s */
};
struct db	*db_open_at(const struct db_target *t);

/*
 * Shops on several servers (DESIGN.md, "Scale out"). Besides the main
 * server the configuration may name others:
 *
 *	db_shards = big1 big2
 *	db_shard_big1_socket = /run/mysqld-big1/mysqld.sock
 *	db_shard_big2_host = 10.0.0.12	(db_shard_big2_port = 3306)
 *
 * each with the main server's account and database name. db_open()'s
 * handle is then a router: a statement prepared for a tenant (> 0)
 * runs on that shop's server, as the route function says (the
 * platform layer's, which reads souk_tenants.shard); tenant 0 runs on
 * the main server, where the platform tables live. Each server's
 * connection opens when first needed; its errors are the router's.
 *
 * A transaction begun on the router begins on a shop's server when it
 * first runs a statement there; db_tx_end() ends that one first, then
 * the main one, so a failed commit there rolls back the rest. Only one
 * side of such a transaction is atomic with the shop's writes: the
 * platform rows that must be written with them (its jobs, in its
 * server's souk_jobs) are written there with db_prepare_on(). What a
 * shop's transaction reads of the platform (its plan's limits) it
 * reads on the main server; what it writes there (an audit entry)
 * commits just after the shop's writes, and a failure in between
 * loses that entry, never the shop's write.
 */
#define DB_SHARD_MAX	16

/* The servers besides the main one (0 without db_shards). */
int		 db_shard_count(const struct db *db);
/* Server i's handle: 0 is db itself, 1..db_shard_count() the others
 * (owned by db, opened on first use). */
struct db	*db_shard(struct db *db, int i);
/* Server i's name ("default" for 0) and address (NULL for 0: the
 * configuration's db_*); NULL when there is no such server. */
const char	*db_shard_name(const struct db *db, int i);
const struct db_target *db_shard_target(const struct db *db, int i);
/* The index of the server called name ("" and "default": 0), or -1. */
int		 db_shard_index(const struct db *db, const char *name);
/* route(db, tenant) returns the index of tenant's server, or -1 with
 * db's error set. Called only when db_shards names servers. */
void		 db_set_route(struct db *db, int (*route)(struct db *, int64_t));

/* Nonzero when connected (pings the server when check is set). */
int		 db_alive(struct db *db, int check);

/*
 * Called as a request starts: when the last call was idle_ms or more
 * ago, pings the server, so a connection the server dropped meanwhile
 * (MariaDB restarted, wait_timeout) is opened again before the request
 * needs it instead of failing its first statement with a 503. A busy
 * worker never pings; an idle one pays one round trip. The last
 * request's error is forgotten first: db_errclass() after a request
 * says whether that request met one.
 */
void		 db_revalidate(struct db *db, int64_t idle_ms);

const char	*db_error(const struct db *db);
enum db_errclass db_errclass(const struct db *db);

/*
 * The statement for sql with "{p}" replaced by "s<tenant>_" (tenant 0:
 * no placeholder allowed), prepared on first use and cached. Returns
 * NULL on error (connection lost, bad SQL). Owned by db.
 */
struct db_stmt	*db_prepare(struct db *db, const char *sql, int64_t tenant);

/* db_prepare() on tenant's server though sql names no shop table: a
 * platform row kept beside the shop's (db.h, "Shops on several
 * servers"). Without db_shards, db_prepare(). */
struct db_stmt	*db_prepare_on(struct db *db, const char *sql, int64_t tenant);

/* A static name for st in the log (shop_stmt() sets it); the label
 * defaults to the start of the statement's text. */
void		 db_stmt_label(struct db_stmt *st, const char *name);
const char	*db_stmt_label_of(const struct db_stmt *st);

/* Parameters, 0-based, in the order of the '?'. Values are copied. */
void	db_bind_i64(struct db_stmt *st, unsigned i, int64_t v);
void	db_bind_str(struct db_stmt *st, unsigned i, struct str v);
void	db_bind_cstr(struct db_stmt *st, unsigned i, const char *v);
void	db_bind_blob(struct db_stmt *st, unsigned i, const void *p, size_t n);
void	db_bind_null(struct db_stmt *st, unsigned i);

/*
 * Executes with the bound parameters. For a SELECT, the whole result is
 * fetched to the client (rows are small pages); string values are
 * copied into a. a may be NULL when the caller copies what it reads at
 * once: db_col_str() then returns a view of the statement's buffer,
 * valid until the next db_step() (integer columns need an arena to be
 * read as strings). Returns 0 or -1.
 */
int	db_exec(struct db_stmt *st, struct arena *a);

/* Next row: 1 row ready, 0 no more rows, -1 error. */
int	db_step(struct db_stmt *st);

/* db_exec(st, NULL), then db_step(): for a query of one row. */
int	db_exec_first(struct db_stmt *st);

/* Column values of the current row, 0-based. NULL reads as 0 / empty;
 * db_col_null() tells them apart. Strings are NUL-terminated and live in
 * the arena given to db_exec(). */
int	 db_col_null(struct db_stmt *st, unsigned i);
int64_t	 db_col_i64(struct db_stmt *st, unsigned i);
struct str db_col_str(struct db_stmt *st, unsigned i);

/* Rows changed by the last INSERT/UPDATE/DELETE; last insert id. */
uint64_t db_affected(struct db_stmt *st);
uint64_t db_insert_id(struct db_stmt *st);

/* Frees the current result; the statement can be executed again. */
void	db_done(struct db_stmt *st);

/*
 * Transactions. Every write transaction runs through db_tx_run():
 *
 *	static int
 *	move(struct db *db, void *arg)
 *	{
 *		... statements; return 0 to commit, nonzero to roll back
 *	}
 *	rc = db_tx_run(db, move, &args);
 *
 * db_tx_run() begins a transaction, runs fn(db, arg) and commits when
 * fn returns 0. When fn returns nonzero it rolls back; if the failure
 * was a deadlock, a lock wait timeout or (on Galera) a certification
 * failure (db_errclass() DB_EDEADLOCK, at a statement or at COMMIT),
 * it waits a short random time that grows with each attempt and runs
 * fn again from the start, up to 10 attempts in all (Galera's
 * conflicts between nodes need more than one server's deadlocks: see
 * DB_TX_TRIES in db.c); after a missing table (DB_ENOTABLE) once more
 * at once (a MariaDB bug, see db.c). So fn must do
 * nothing but statements on db (and work it can repeat): no output,
 * no counting in memory that a retry would count twice, no caches
 * changed before the commit. Called inside a transaction already, fn
 * joins it (no begin, commit or retry of its own).
 *
 * Returns 0 when committed, fn's nonzero value when fn failed (rolled
 * back; db_error() says why when it was the database), or -1 when the
 * database failed outside fn (begin, commit, retries exhausted at
 * COMMIT). fn's conventions: 0, a domain error, or -1.
 */
int	db_tx_run(struct db *db, int (*fn)(struct db *db, void *arg),
	    void *arg);

/* The number of retries db_tx_run() made on this handle (tests). */
uint64_t db_tx_retries(const struct db *db);

/* Nonzero while a transaction is open on db. */
int	db_tx_open(const struct db *db);

/*
 * Called once at the end of every request (web_serve()) and job: a
 * request must never leave a transaction open, since the next request
 * on this worker would run inside it. When one is open, logs an error
 * (the logger adds the request id and tenant) and rolls it back.
 * Returns 1 when it had to, else 0.
 */
int	db_request_end(struct db *db);

/* The parts of db_tx_run(), for code that cannot take a callback (and
 * the tests). db_tx_end() commits when ok, else rolls back; both return
 * 0 or -1. A function that begins one ends it on every path; it gets no
 * retry on deadlock. */
int	db_tx_begin(struct db *db);
int	db_tx_end(struct db *db, int ok);

/*
 * Runs one statement that takes no parameters and returns no rows
 * (DDL, SET). "{p}" is replaced as in db_prepare(). For migrations and
 * provisioning only; never with text a user sent. Returns 0 or -1.
 */
int	db_exec_ddl(struct db *db, const char *sql, int64_t tenant);

/* Writes "s<tenant>_" into buf (at least 24 bytes). */
void	db_prefix(char *buf, size_t len, int64_t tenant);

#endif
