/*
 * db.c: one MariaDB connection per process, cached prepared statements
 * (see db.h).
 *
 * Cost model: a round trip to the server is ~130 us here, so each
 * db_exec() is exactly one (COM_STMT_EXECUTE; the rows of a SELECT come
 * back in the same answer and mysql_stmt_store_result() only reads
 * them). db_done() frees the result on the client and sends nothing
 * (no mysql_stmt_reset()). Statements are prepared once per connection;
 * their bind arrays and buffers belong to the cached statement and are
 * reused, so a warm worker does not allocate to run a statement (result
 * strings are copied into the caller's arena, which keeps its blocks).
 *
 * Statement objects (struct db_stmt) are only freed by LRU eviction or
 * db_close(). When the connection is lost, each keeps its memory and
 * merely loses its server handle; db_prepare() prepares it again on the
 * new connection. So a caller that still holds one after DB_ELOST (say,
 * to db_done() it on its error path) touches valid memory.
 */
#include "core/common.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/strbuf.h"
#include "db/db.h"

#include <errno.h>
#include <time.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>

#define DB_CACHE_MAX		512	/* statements kept per connection */
#define DB_CACHE_BUCKETS	1024	/* power of two, > DB_CACHE_MAX */
#define DB_RETRY_MS		1000	/* between failed connect attempts */
/*
 * Attempts of one db_tx_run(). On one server a deadlock's loser mostly
 * succeeds at its second attempt. On Galera the conflicts are found at
 * certification, after the work: when the shoppers of two nodes all
 * want the last loaves, a transaction can lose to each of the other
 * node's commits in turn (tests/long/test_galera.py: 200 at once, half
 * a node; with 5 attempts some orders failed). 10, with waits capped
 * at DB_TX_BACKOFF_MAX_SHIFT, is about a second of waiting in all.
 */
#define DB_TX_TRIES		10
#define DB_NOTABLE_TRIES	3	/* MDEV-26048: db_exec(), db_tx_run() */
#define DB_TX_BACKOFF_MS	4	/* first retry waits up to this */
#define DB_TX_BACKOFF_MAX_SHIFT	6	/* no wait longer than 4 << 6 ms */

struct db_param {
	long long	 i;
	char		*buf;		/* copy of a string or blob value */
	size_t		 cap;
	unsigned long	 len;
	my_bool		 null;
};

struct db_col {
	int		 isint;		/* bound as LONGLONG, else string */
	long long	 i;
	char		*buf;		/* string value, grown to max_length */
	size_t		 cap;
	unsigned long	 len;
	my_bool		 null;
	my_bool		 err;		/* truncated */
};

struct db_stmt {
	struct db	*db;
	char		*sql;		/* final text, {p} substituted */
	size_t		 sqllen;
	uint64_t	 hash;
	struct db_stmt	*hnext;		/* bucket chain */
	struct db_stmt	*lprev, *lnext;	/* LRU list, most recent first */

	MYSQL_STMT	*st;		/* NULL: prepare again */
	unsigned	 nparams;
	MYSQL_BIND	*pbind;
	struct db_param	*params;
	unsigned	 ncols;
	MYSQL_BIND	*rbind;
	struct db_col	*cols;

	const char	*label;		/* static, for the log; or NULL */
	struct arena	*arena;		/* of the last db_exec() */
	int		 has_result;
	int		 has_row;
	uint64_t	 affected;
	uint64_t	 insert_id;
};

struct db {
	MYSQL		*conn;		/* NULL: not connected */
	int		 in_tx;
	int		 tx_lost;	/* connection lost inside a tx */
	int64_t		 last_fail_ms;	/* last failed connect attempt */
	int64_t		 last_check_ms;	/* db_revalidate()'s last call */
	enum db_errclass cls;
	char		 err[512];
	struct strbuf	 sqlbuf;	/* reused for {p} substitution */
	struct db_stmt	*buckets[DB_CACHE_BUCKETS];
	struct db_stmt	*lru_head, *lru_tail;
	size_t		 nstmts;
	uint64_t	 tx_retries;	/* db_tx_run() retries, for tests */
	struct db_target *at;		/* db_open_at()'s copy; NULL: config */

	/* Shops on other servers (db.h, "Shops on several servers"): on
	 * the router (db_open()'s handle), the configured servers and
	 * their handles, opened on first use; on such a handle, parent
	 * is the router, which sees its errors too. */
	struct db	*parent;
	int		 nshards;
	char		*shard_names[DB_SHARD_MAX + 1];	/* [0]: "default" */
	struct db_target shard_at[DB_SHARD_MAX + 1];
	struct db	*shards[DB_SHARD_MAX + 1];
	int		(*route)(struct db *, int64_t);
};

static enum db_errclass
classify(unsigned int e)
{
	switch (e) {
	case 0:
		return DB_OK;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_LOST_EXTENDED:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case ER_UNKNOWN_STMT_HANDLER:	/* server forgot our statements */
	case 4031:	/* ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8) */
	/*
	 * A Galera node that is not part of the primary component (cut
	 * off from the others, still joining, or told to refuse work
	 * with wsrep_reject_queries) answers every statement with 1047,
	 * "WSREP has not yet prepared node for application use", though
	 * it answers a ping. It is unavailable as a server that went
	 * away is: the request gets a 503, /_health too (so a load
	 * balancer stops sending it traffic), and the connection is
	 * opened again, at most once a second, until the node is back.
	 * Without Galera the server sends 1047 only for a command it
	 * does not know, which Connector/C never sends.
	 */
	case ER_UNKNOWN_COM_ERROR:
		return DB_ELOST;
	case ER_DUP_ENTRY:
		return DB_EDUP;
	/*
	 * Galera reports a certification failure (a conflicting write
	 * committed first on another node) as ER_LOCK_DEADLOCK too, at
	 * the statement or at COMMIT ("Deadlock: wsrep aborted
	 * transaction", SQLSTATE 40001): the same retry covers it. 1180
	 * (ER_ERROR_DURING_COMMIT) is not retried: it also means a full
	 * disk or a storage engine error, which a retry would only repeat.
	 */
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		return DB_EDEADLOCK;
	case ER_NO_SUCH_TABLE:
		return DB_ENOTABLE;
	default:
		return DB_EOTHER;
	}
}

static void
stmt_unprepare(struct db_stmt *s)
{
	if (s->st != NULL)
		mysql_stmt_close(s->st);
	s->st = NULL;
	s->has_result = 0;
	s->has_row = 0;
}

/*
 * The connection is gone: close it and forget every server-side
 * statement; the statement objects stay (see the comment on top).
 */
static void
db_lost(struct db *db)
{
	struct db_stmt *s;

	if (db->conn != NULL) {
		/* mysql_close() first: it detaches the statements, so
		 * closing them sends nothing on the dead socket. */
		mysql_close(db->conn);
		db->conn = NULL;
	}
	for (s = db->lru_head; s != NULL; s = s->lnext)
		stmt_unprepare(s);
	if (db->in_tx)
		db->tx_lost = 1;
	log_warn("database connection lost: %s", db->err);
}

/* A shop server's error is its router's too: callers hold the router
 * (db_tx_run() retries on the class it reads there). */
static void
propagate(struct db *db)
{
	if (db->parent == NULL)
		return;
	db->parent->cls = db->cls;
	memcpy(db->parent->err, db->err, sizeof(db->err));
}

static int
set_error(struct db *db, unsigned int e, const char *msg)
{
	db->cls = classify(e);
	metrics_db_error((int)db->cls);
	str_errf(db->err, sizeof(db->err), "%s (%u)", msg, e);
	if (db->cls == DB_ELOST)
		db_lost(db);
	propagate(db);
	return -1;
}

static int
conn_error(struct db *db)
{
	return set_error(db, mysql_errno(db->conn), mysql_error(db->conn));
}

static int
stmt_error(struct db_stmt *s)
{
	return set_error(s->db, mysql_stmt_errno(s->st),
	    mysql_stmt_error(s->st));
}

static int
db_connect(struct db *db)
{
	const char	*sock, *host, *user, *pass, *name;
	unsigned int	 timeout;
	my_bool		 off = 0;
	int64_t		 port;
	MYSQL		*m;

	db->last_fail_ms = 0;
	if ((m = mysql_init(NULL)) == NULL)
		fatal("mysql_init: out of memory");
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(m, MYSQL_OPT_RECONNECT, &off);
	timeout = 2;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	timeout = db->at != NULL && db->at->read_timeout > 0 ?
	    (unsigned int)db->at->read_timeout :
	    (unsigned int)config_int("db_read_timeout", 10, 1, 86400);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
	/* NOW() in UTC everywhere, whatever the server's zone. */
	mysql_options(m, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");

	if (db->at != NULL) {
		sock = db->at->socket;
		host = db->at->host;
		port = db->at->port;
		user = db->at->user;
		pass = db->at->password;
		name = db->at->name;
	} else {
		sock = config_get("db_socket", "");
		host = config_get("db_host", "localhost");
		port = config_int("db_port", 3306, 1, 65535);
		user = config_get("db_user", "souk");
		pass = config_get("db_password", "");
		name = config_get("db_name", "souk");
	}
	metrics_db_round_trip();
	if (mysql_real_connect(m, *sock != '\0' ? NULL : host, user, pass,
	    *name != '\0' ? name : NULL, (unsigned int)port,
	    *sock != '\0' ? sock : NULL, 0) == NULL) {
		db->cls = DB_ELOST;
		metrics_db_error(DB_ELOST);
		str_errf(db->err, sizeof(db->err), "cannot connect to '%s': "
		    "%s (%u)", *sock != '\0' ? sock : host, mysql_error(m),
		    mysql_errno(m));
		mysql_close(m);
		db->last_fail_ms = clock_ms();
		return -1;
	}
	db->conn = m;
	db->cls = DB_OK;
	db->err[0] = '\0';
	return 0;
}

static void
shard_key(char *buf, size_t len, const char *name, const char *what)
{
	int n = snprintf(buf, len, "db_shard_%s_%s", name, what);

	if (n < 0 || (size_t)n >= len)
		fatal("db_shards: name '%s' too long", name);
}

/* Reads db_shards and each one's address into the router db. A bad
 * name or a server without an address is fatal: a shop would be
 * unreachable. */
static void
shards_configure(struct db *db)
{
	const char	*list = config_get("db_shards", "");
	char		 key[96], name[65];
	const char	*p, *q;
	size_t		 n;
	struct db_target *t;

	db->shard_names[0] = xstrdup("default");
	for (p = list; *p != '\0'; p = q) {
		while (*p == ' ' || *p == ',')
			p++;
		for (q = p; *q != '\0' && *q != ' ' && *q != ','; q++)
			;
		if ((n = (size_t)(q - p)) == 0)
			continue;
		if (n >= sizeof(name) || strspn(p, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789_-") < n)
			fatal("db_shards: bad server name '%.*s' (a-z, 0-9, "
			    "'_', '-', at most 64)", (int)n, p);
		memcpy(name, p, n);
		name[n] = '\0';
		if (strcmp(name, "default") == 0 ||
		    db_shard_index(db, name) != -1)
			fatal("db_shards: '%s' named twice", name);
		if (db->nshards == DB_SHARD_MAX)
			fatal("db_shards: more than %d servers", DB_SHARD_MAX);
		t = &db->shard_at[++db->nshards];
		db->shard_names[db->nshards] = xstrdup(name);
		shard_key(key, sizeof(key), name, "socket");
		t->socket = xstrdup(config_get(key, ""));
		shard_key(key, sizeof(key), name, "host");
		t->host = xstrdup(config_get(key, ""));
		shard_key(key, sizeof(key), name, "port");
		t->port = (int)config_int(key, 3306, 1, 65535);
		if (*t->socket == '\0' && *t->host == '\0')
			fatal("db_shards: server '%s' has neither "
			    "db_shard_%s_socket nor db_shard_%s_host", name,
			    name, name);
		t->user = config_get("db_user", "souk");
		t->password = config_get("db_password", "");
		t->name = config_get("db_name", "souk");
	}
}

struct db *
db_open(void)
{
	struct db *db = db_open_at(NULL);

	shards_configure(db);
	return db;
}

int
db_shard_count(const struct db *db)
{
	return db->nshards;
}

const char *
db_shard_name(const struct db *db, int i)
{
	return i >= 0 && i <= db->nshards ? db->shard_names[i] : NULL;
}

const struct db_target *
db_shard_target(const struct db *db, int i)
{
	return i >= 1 && i <= db->nshards ? &db->shard_at[i] : NULL;
}

int
db_shard_index(const struct db *db, const char *name)
{
	int i;

	if (*name == '\0' || strcmp(name, "default") == 0)
		return 0;
	for (i = 1; i <= db->nshards; i++)
		if (strcmp(db->shard_names[i], name) == 0)
			return i;
	return -1;
}

struct db *
db_shard(struct db *db, int i)
{
	if (i == 0)
		return db;
	if (i < 0 || i > db->nshards)
		fatal("db_shard: no server %d", i);
	if (db->shards[i] == NULL) {
		db->shards[i] = db_open_at(&db->shard_at[i]);
		db->shards[i]->parent = db;
	}
	return db->shards[i];
}

void
db_set_route(struct db *db, int (*route)(struct db *, int64_t))
{
	db->route = route;
}

/*
 * The handle that runs sql: db itself, or, when sql names a shop's
 * tables (or force), the shop's server, begun when db is in a
 * transaction. NULL on error (in db).
 */
static struct db *
route_of(struct db *db, const char *sql, int64_t tenant, int force)
{
	struct db	*s;
	int		 i;

	if (tenant <= 0 || db->nshards == 0 || db->route == NULL ||
	    (!force && strstr(sql, "{p}") == NULL))
		return db;
	if ((i = db->route(db, tenant)) == 0)
		return db;
	if (i < 0) {
		if (db->cls == DB_OK) {
			db->cls = DB_EOTHER;
			str_errf(db->err, sizeof(db->err), "shop %lld is on "
			    "a server that db_shards does not name",
			    (long long)tenant);
		}
		return NULL;
	}
	s = db_shard(db, i);
	if (db->in_tx && !s->in_tx && db_tx_begin(s) == -1) {
		propagate(s);
		return NULL;
	}
	return s;
}

static char *
dupnz(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

struct db *
db_open_at(const struct db_target *t)
{
	struct db *db = xcalloc(1, sizeof(*db));

	strbuf_init(&db->sqlbuf, 256);
	if (t != NULL) {
		db->at = xcalloc(1, sizeof(*db->at));
		db->at->socket = dupnz(t->socket);
		db->at->host = dupnz(t->host != NULL ? t->host : "localhost");
		db->at->port = t->port > 0 ? t->port : 3306;
		db->at->user = dupnz(t->user);
		db->at->password = dupnz(t->password);
		db->at->name = dupnz(t->name);
		db->at->read_timeout = t->read_timeout;
	}
	if (db_connect(db) == -1)
		log_err("%s", db->err);
	return db;
}

static void
target_free(struct db_target *t)
{
	if (t == NULL)
		return;
	free((char *)t->socket);
	free((char *)t->host);
	free((char *)t->user);
	free((char *)t->password);
	free((char *)t->name);
	free(t);
}

static void
stmt_free(struct db_stmt *s)
{
	unsigned i;

	stmt_unprepare(s);
	for (i = 0; i < s->nparams; i++)
		free(s->params[i].buf);
	for (i = 0; i < s->ncols; i++)
		free(s->cols[i].buf);
	free(s->params);
	free(s->pbind);
	free(s->cols);
	free(s->rbind);
	free(s->sql);
	free(s);
}

void
db_close(struct db *db)
{
	struct db_stmt	*s, *next;
	int		 i;

	if (db == NULL)
		return;
	for (s = db->lru_head; s != NULL; s = next) {
		next = s->lnext;
		stmt_free(s);
	}
	if (db->conn != NULL)
		mysql_close(db->conn);
	strbuf_release(&db->sqlbuf);
	target_free(db->at);
	for (i = 1; i <= db->nshards; i++) {
		db_close(db->shards[i]);
		free(db->shard_names[i]);
		free((char *)db->shard_at[i].socket);
		free((char *)db->shard_at[i].host);
	}
	free(db->shard_names[0]);
	free(db);
}

int
db_alive(struct db *db, int check)
{
	if (db->conn == NULL)
		return 0;
	if (check)
		metrics_db_round_trip();
	if (check && mysql_ping(db->conn) != 0) {
		conn_error(db);
		return 0;
	}
	return 1;
}

void
db_revalidate(struct db *db, int64_t idle_ms)
{
	int64_t now = clock_ms();
	int	i;

	db->cls = DB_OK;
	db->err[0] = '\0';
	if (db->conn != NULL && !db->in_tx &&
	    now - db->last_check_ms >= idle_ms)
		(void)db_alive(db, 1);
	db->last_check_ms = now;
	for (i = 1; i <= db->nshards; i++)
		if (db->shards[i] != NULL)
			db_revalidate(db->shards[i], idle_ms);
}

const char *
db_error(const struct db *db)
{
	return db->err;
}

enum db_errclass
db_errclass(const struct db *db)
{
	return db->cls;
}

void
db_prefix(char *buf, size_t len, int64_t tenant)
{
	int n = snprintf(buf, len, "s%lld_", (long long)tenant);

	if (n < 0 || (size_t)n >= len)
		fatal("db_prefix: buffer of %zu bytes too small", len);
}

/* The text of sql with every "{p}" replaced, in db->sqlbuf. */
static int
substitute(struct db *db, const char *sql, int64_t tenant)
{
	const char	*p, *q;
	char		 prefix[24];
	size_t		 plen = 0;

	strbuf_reset(&db->sqlbuf);
	if (tenant > 0) {
		db_prefix(prefix, sizeof(prefix), tenant);
		plen = strlen(prefix);
	}
	for (p = sql; (q = strstr(p, "{p}")) != NULL; p = q + 3) {
		if (tenant <= 0) {
			db->cls = DB_EOTHER;
			str_errf(db->err, sizeof(db->err), "table prefix "
			    "without a tenant in '%.60s'", sql);
			return -1;
		}
		strbuf_add(&db->sqlbuf, p, (size_t)(q - p));
		strbuf_add(&db->sqlbuf, prefix, plen);
	}
	strbuf_addstr(&db->sqlbuf, p);
	return 0;
}

static uint64_t
hash_sql(const char *s, size_t n)
{
	uint64_t	h = 1469598103934665603ULL;	/* FNV-1a */
	size_t		i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
lru_unlink(struct db *db, struct db_stmt *s)
{
	if (s->lprev != NULL)
		s->lprev->lnext = s->lnext;
	else
		db->lru_head = s->lnext;
	if (s->lnext != NULL)
		s->lnext->lprev = s->lprev;
	else
		db->lru_tail = s->lprev;
	s->lprev = s->lnext = NULL;
}

static void
lru_push(struct db *db, struct db_stmt *s)
{
	s->lprev = NULL;
	s->lnext = db->lru_head;
	if (db->lru_head != NULL)
		db->lru_head->lprev = s;
	db->lru_head = s;
	if (db->lru_tail == NULL)
		db->lru_tail = s;
}

static void
cache_remove(struct db *db, struct db_stmt *s)
{
	struct db_stmt **pp;

	for (pp = &db->buckets[s->hash & (DB_CACHE_BUCKETS - 1)];
	    *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == s) {
			*pp = s->hnext;
			break;
		}
	lru_unlink(db, s);
	db->nstmts--;
}

/* Every parameter reads as NULL until bound again: a statement shared
 * by two callers never carries one's values into the other's query. */
static void
params_clear(struct db_stmt *s)
{
	unsigned i;

	for (i = 0; i < s->nparams; i++) {
		s->pbind[i].buffer_type = MYSQL_TYPE_NULL;
		s->params[i].null = 1;
	}
}

static int
is_int_type(enum enum_field_types t)
{
	switch (t) {
	case MYSQL_TYPE_TINY:
	case MYSQL_TYPE_SHORT:
	case MYSQL_TYPE_LONG:
	case MYSQL_TYPE_INT24:
	case MYSQL_TYPE_LONGLONG:
	case MYSQL_TYPE_YEAR:
		return 1;
	default:
		return 0;
	}
}

/* Prepares s->sql on the current connection and sizes the bind arrays
 * (kept from an earlier connection when the counts still match). */
/*
 * The server holds max_prepared_stmt_count statements, all connections
 * together (mariadb/60-souk.cnf sizes it for every pool's caches): full,
 * this connection closes the older half of its own (not one whose rows
 * a caller is reading) and tries again, rather than failing the page.
 * Returns how many it closed.
 */
static size_t
make_room(struct db *db, struct db_stmt *keep)
{
	static int	 warned;
	struct db_stmt	*s;
	size_t		 n = 0, want = db->nstmts / 2 + 1;

	for (s = db->lru_tail; s != NULL && n < want; s = s->lprev)
		if (s != keep && s->st != NULL && !s->has_result) {
			stmt_unprepare(s);
			n++;
		}
	if (!warned++)
		log_warn("MariaDB's max_prepared_stmt_count is reached: "
		    "closed %zu of this connection's statements (README, "
		    "\"Sizing MariaDB\")", n);
	return n;
}

static int
stmt_prepare(struct db *db, struct db_stmt *s)
{
	MYSQL_FIELD	*f;
	my_bool		 on = 1;
	unsigned	 np, nc, i;

	if ((s->st = mysql_stmt_init(db->conn)) == NULL)
		fatal("mysql_stmt_init: out of memory");
	metrics_db_round_trip();
	if (mysql_stmt_prepare(s->st, s->sql, s->sqllen) != 0 &&
	    (mysql_stmt_errno(s->st) != ER_MAX_PREPARED_STMT_COUNT_REACHED ||
	    make_room(db, s) == 0 ||
	    mysql_stmt_prepare(s->st, s->sql, s->sqllen) != 0)) {
		stmt_error(s);
		stmt_unprepare(s);
		return -1;
	}
	mysql_stmt_attr_set(s->st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	np = (unsigned)mysql_stmt_param_count(s->st);
	nc = mysql_stmt_field_count(s->st);
	if (np != s->nparams) {
		for (i = 0; i < s->nparams; i++)
			free(s->params[i].buf);
		free(s->params);
		free(s->pbind);
		s->nparams = np;
		s->params = xcalloc(np ? np : 1, sizeof(*s->params));
		s->pbind = xcalloc(np ? np : 1, sizeof(*s->pbind));
	}
	for (i = 0; i < np; i++) {
		s->pbind[i].is_null = &s->params[i].null;
		s->pbind[i].length = &s->params[i].len;
	}
	params_clear(s);
	if (nc != s->ncols) {
		for (i = 0; i < s->ncols; i++)
			free(s->cols[i].buf);
		free(s->cols);
		free(s->rbind);
		s->ncols = nc;
		s->cols = xcalloc(nc ? nc : 1, sizeof(*s->cols));
		s->rbind = xcalloc(nc ? nc : 1, sizeof(*s->rbind));
	}
	f = nc ? mariadb_stmt_fetch_fields(s->st) : NULL;
	for (i = 0; i < nc; i++) {
		struct db_col	*c = &s->cols[i];
		MYSQL_BIND	*b = &s->rbind[i];

		memset(b, 0, sizeof(*b));
		c->isint = is_int_type(f[i].type);
		b->is_null = &c->null;
		b->length = &c->len;
		b->error = &c->err;
		if (c->isint) {
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &c->i;
			b->is_unsigned = (f[i].flags & UNSIGNED_FLAG) != 0;
		} else
			b->buffer_type = MYSQL_TYPE_STRING;
	}
	return 0;
}

static int
db_reconnect(struct db *db)
{
	if (db->conn != NULL)
		return 0;
	if (db->tx_lost) {
		/* Reconnecting now would run the rest of the transaction
		 * in autocommit mode: wait for db_tx_end(). */
		db->cls = DB_ELOST;
		str_errf(db->err, sizeof(db->err), "connection lost inside "
		    "a transaction");
		return -1;
	}
	if (db->last_fail_ms != 0 &&
	    clock_ms() - db->last_fail_ms < DB_RETRY_MS) {
		db->cls = DB_ELOST;
		str_errf(db->err, sizeof(db->err), "not connected (the last "
		    "attempt failed less than %d ms ago)", DB_RETRY_MS);
		return -1;
	}
	if (db_connect(db) == -1) {
		log_err("%s", db->err);
		return -1;
	}
	log_info("database connection re-established");
	return 0;
}

static struct db_stmt *prepare(struct db *, const char *, int64_t);

static struct db_stmt *
prepare_routed(struct db *db, const char *sql, int64_t tenant, int force)
{
	struct db_stmt	*s;
	struct db	*on;

	if ((on = route_of(db, sql, tenant, force)) == db)
		return prepare(db, sql, tenant);
	if (on == NULL)
		return NULL;
	if ((s = prepare(on, sql, tenant)) == NULL)
		propagate(on);
	return s;
}

struct db_stmt *
db_prepare(struct db *db, const char *sql, int64_t tenant)
{
	return prepare_routed(db, sql, tenant, 0);
}

struct db_stmt *
db_prepare_on(struct db *db, const char *sql, int64_t tenant)
{
	return prepare_routed(db, sql, tenant, 1);
}

static struct db_stmt *
prepare(struct db *db, const char *sql, int64_t tenant)
{
	struct db_stmt	*s;
	uint64_t	 h;
	size_t		 b;

	if (substitute(db, sql, tenant) == -1)
		return NULL;
	if (db_reconnect(db) == -1)
		return NULL;
	h = hash_sql(db->sqlbuf.buf, db->sqlbuf.len);
	b = h & (DB_CACHE_BUCKETS - 1);
	for (s = db->buckets[b]; s != NULL; s = s->hnext)
		if (s->hash == h && s->sqllen == db->sqlbuf.len &&
		    memcmp(s->sql, db->sqlbuf.buf, s->sqllen) == 0)
			break;
	if (s != NULL) {
		if (s != db->lru_head) {
			lru_unlink(db, s);
			lru_push(db, s);
		}
		if (s->st == NULL && stmt_prepare(db, s) == -1)
			return NULL;
		db_done(s);
		params_clear(s);
		return s;
	}

	if (db->nstmts >= DB_CACHE_MAX) {
		/* NEEDSWORK: a caller still holding the evicted statement
		 * would dangle; with 512 slots and a handful of statements
		 * a page, that takes 500 other statements in between. */
		struct db_stmt *old = db->lru_tail;

		cache_remove(db, old);
		stmt_free(old);
	}
	s = xcalloc(1, sizeof(*s));
	s->db = db;
	s->sql = xstrndup(db->sqlbuf.buf, db->sqlbuf.len);
	s->sqllen = db->sqlbuf.len;
	s->hash = h;
	if (stmt_prepare(db, s) == -1) {
		stmt_free(s);
		return NULL;
	}
	s->hnext = db->buckets[b];
	db->buckets[b] = s;
	lru_push(db, s);
	db->nstmts++;
	return s;
}

void
db_stmt_label(struct db_stmt *s, const char *name)
{
	s->label = name;
}

const char *
db_stmt_label_of(const struct db_stmt *s)
{
	return s->label != NULL ? s->label : s->sql;
}

static struct db_param *
param(struct db_stmt *s, unsigned i, enum enum_field_types type)
{
	if (i >= s->nparams)
		fatal("db_bind: parameter %u of %u in '%.60s'", i,
		    s->nparams, s->sql);
	s->pbind[i].buffer_type = type;
	s->params[i].null = 0;
	return &s->params[i];
}

void
db_bind_i64(struct db_stmt *s, unsigned i, int64_t v)
{
	struct db_param *p = param(s, i, MYSQL_TYPE_LONGLONG);

	p->i = v;
	s->pbind[i].buffer = &p->i;
	s->pbind[i].is_unsigned = 0;
}

static void
bind_bytes(struct db_stmt *s, unsigned i, enum enum_field_types type,
    const void *v, size_t n)
{
	struct db_param *p = param(s, i, type);

	if (n + 1 > p->cap) {
		p->cap = n + 1 < 64 ? 64 : n + 1;
		free(p->buf);
		p->buf = xmalloc(p->cap);
	}
	if (n > 0)
		memcpy(p->buf, v, n);
	p->buf[n] = '\0';
	p->len = (unsigned long)n;
	s->pbind[i].buffer = p->buf;
	s->pbind[i].buffer_length = (unsigned long)n;
}

void
db_bind_str(struct db_stmt *s, unsigned i, struct str v)
{
	bind_bytes(s, i, MYSQL_TYPE_STRING, v.p, v.len);
}

void
db_bind_cstr(struct db_stmt *s, unsigned i, const char *v)
{
	if (v == NULL)
		db_bind_null(s, i);
	else
		bind_bytes(s, i, MYSQL_TYPE_STRING, v, strlen(v));
}

void
db_bind_blob(struct db_stmt *s, unsigned i, const void *p, size_t n)
{
	bind_bytes(s, i, MYSQL_TYPE_BLOB, p, n);
}

void
db_bind_null(struct db_stmt *s, unsigned i)
{
	param(s, i, MYSQL_TYPE_NULL);
	s->params[i].null = 1;
}

/* Sizes the string buffers from the stored result's max_length. */
static void
result_bind(struct db_stmt *s)
{
	MYSQL_FIELD	*f = mariadb_stmt_fetch_fields(s->st);
	unsigned	 i;

	for (i = 0; i < s->ncols; i++) {
		struct db_col	*c = &s->cols[i];
		MYSQL_BIND	*b = &s->rbind[i];
		size_t		 need;

		if (c->isint)
			continue;
		/* Numbers and dates converted to text have no max_length
		 * of their text: give them room for any. */
		need = f[i].max_length + 1;
		if (need < 72)
			need = 72;
		if (need > c->cap) {
			free(c->buf);
			c->cap = need;
			c->buf = xmalloc(need);
		}
		b->buffer = c->buf;
		b->buffer_length = (unsigned long)c->cap;
	}
	mysql_stmt_bind_result(s->st, s->rbind);
}

int
db_exec(struct db_stmt *s, struct arena *a)
{
	struct db	*db = s->db;
	int		 tries;

	if (s->st == NULL) {
		db->cls = DB_ELOST;
		str_errf(db->err, sizeof(db->err), "statement lost with its "
		    "connection");
		return -1;
	}
	db_done(s);
	s->arena = a;
	if (s->nparams > 0 && mysql_stmt_bind_param(s->st, s->pbind) != 0)
		return stmt_error(s);
	/* execute and store_result: one exchange with the server */
	metrics_db_round_trip();
	for (tries = 1; mysql_stmt_execute(s->st) != 0; tries++) {
		/* MDEV-26048: a statement that meets a trigger created as it
		 * started names the table the trigger writes to as missing
		 * (a shop move's log, platform/shop_move.c). Outside a
		 * transaction nothing of it was done: run it again; a table
		 * really gone fails as before. db_tx_run() retries a
		 * transaction's. */
		if (db->in_tx || tries >= DB_NOTABLE_TRIES ||
		    mysql_stmt_errno(s->st) != ER_NO_SUCH_TABLE)
			return stmt_error(s);
		metrics_db_round_trip();
	}
	if (mysql_stmt_field_count(s->st) > 0) {
		if (mysql_stmt_field_count(s->st) != s->ncols) {
			db->cls = DB_EOTHER;
			str_errf(db->err, sizeof(db->err), "result shape of "
			    "'%.60s' changed", s->sql);
			stmt_unprepare(s);
			return -1;
		}
		if (mysql_stmt_store_result(s->st) != 0)
			return stmt_error(s);
		s->has_result = 1;
		result_bind(s);
		s->affected = 0;
		s->insert_id = 0;
	} else {
		s->affected = mysql_stmt_affected_rows(s->st);
		s->insert_id = mysql_stmt_insert_id(s->st);
	}
	return 0;
}

/* A column was longer than its buffer (a converted value with no
 * max_length): grow the buffer and fetch that column again. */
static int
refetch_truncated(struct db_stmt *s)
{
	unsigned i;

	for (i = 0; i < s->ncols; i++) {
		struct db_col	*c = &s->cols[i];
		MYSQL_BIND	*b = &s->rbind[i];

		if (!c->err || c->isint)
			continue;
		free(c->buf);
		c->cap = (size_t)c->len + 1;
		c->buf = xmalloc(c->cap);
		b->buffer = c->buf;
		b->buffer_length = (unsigned long)c->cap;
		if (mysql_stmt_fetch_column(s->st, b, i, 0) != 0)
			return stmt_error(s);
		c->err = 0;
	}
	/* The grown buffers hold for the next rows too. */
	mysql_stmt_bind_result(s->st, s->rbind);
	return 0;
}

int
db_exec_first(struct db_stmt *st)
{
	return db_exec(st, NULL) == -1 ? -1 : db_step(st);
}

int
db_step(struct db_stmt *s)
{
	int rc;

	s->has_row = 0;
	if (!s->has_result || s->st == NULL)
		return 0;
	rc = mysql_stmt_fetch(s->st);
	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc == MYSQL_DATA_TRUNCATED && refetch_truncated(s) == -1)
		return -1;
	else if (rc != 0 && rc != MYSQL_DATA_TRUNCATED)
		return stmt_error(s);
	s->has_row = 1;
	return 1;
}

static struct db_col *
col(struct db_stmt *s, unsigned i)
{
	if (i >= s->ncols)
		fatal("db_col: column %u of %u in '%.60s'", i, s->ncols,
		    s->sql);
	if (!s->has_row)
		return NULL;
	return &s->cols[i];
}

int
db_col_null(struct db_stmt *s, unsigned i)
{
	struct db_col *c = col(s, i);

	return c == NULL || c->null;
}

int64_t
db_col_i64(struct db_stmt *s, unsigned i)
{
	struct db_col *c = col(s, i);

	if (c == NULL || c->null)
		return 0;
	if (c->isint)
		return (int64_t)c->i;
	/* DECIMAL (SUM() of integers) and text: the integer part. */
	c->buf[c->len < c->cap ? c->len : c->cap - 1] = '\0';
	return (int64_t)strtoll(c->buf, NULL, 10);
}

struct str
db_col_str(struct db_stmt *s, unsigned i)
{
	struct db_col	*c = col(s, i);
	char		 num[24];
	int		 n;

	if (c == NULL || c->null)
		return (struct str){ "", 0 };
	if (c->isint) {
		if (s->rbind[i].is_unsigned)
			n = snprintf(num, sizeof(num), "%llu",
			    (unsigned long long)c->i);
		else
			n = snprintf(num, sizeof(num), "%lld", c->i);
		if (n < 0 || (size_t)n >= sizeof(num))
			n = 0;
		if (s->arena == NULL)
			fatal("db_col_str: integer column without an arena");
		return arena_str(s->arena, (struct str){ num, (size_t)n });
	}
	if (s->arena == NULL)
		return (struct str){ c->buf, c->len };
	return arena_str(s->arena, (struct str){ c->buf, c->len });
}

uint64_t
db_affected(struct db_stmt *s)
{
	return s->affected;
}

uint64_t
db_insert_id(struct db_stmt *s)
{
	return s->insert_id;
}

void
db_done(struct db_stmt *s)
{
	if (s->has_result && s->st != NULL)
		mysql_stmt_free_result(s->st);
	s->has_result = 0;
	s->has_row = 0;
}

static int
simple_query(struct db *db, const char *q, size_t n)
{
	MYSQL_RES *res;

	if (db->conn == NULL) {
		db->cls = DB_ELOST;
		str_errf(db->err, sizeof(db->err), "not connected");
		return -1;
	}
	metrics_db_round_trip();
	if (mysql_real_query(db->conn, q, (unsigned long)n) != 0)
		return conn_error(db);
	/* DDL returns no rows; drain anything else so the connection
	 * stays in sync. */
	if ((res = mysql_store_result(db->conn)) != NULL)
		mysql_free_result(res);
	else if (mysql_errno(db->conn) != 0)
		return conn_error(db);
	return 0;
}

int
db_tx_begin(struct db *db)
{
	if (db_reconnect(db) == -1)
		return -1;
	if (simple_query(db, "START TRANSACTION", 17) == -1)
		return -1;
	db->in_tx = 1;
	db->tx_lost = 0;
	return 0;
}

/* Rolls back, keeping the reason of the failure, not the rollback's. */
static void
rollback_keeping_error(struct db *db)
{
	enum db_errclass	cls = db->cls;
	char			err[sizeof(db->err)];

	memcpy(err, db->err, sizeof(err));
	(void)db_tx_end(db, 0);
	db->cls = cls;
	memcpy(db->err, err, sizeof(err));
}

/* Ends the transactions db began on shops' servers (route_of()), before
 * its own: when one fails to commit, the rest roll back. Returns 0 or
 * -1, the error in db. */
static int
shards_tx_end(struct db *db, int *ok)
{
	enum db_errclass cls = DB_OK;
	char		 err[sizeof(db->err)];
	int		 i, rc = 0;

	for (i = 1; i <= db->nshards; i++) {
		if (db->shards[i] == NULL || !db->shards[i]->in_tx)
			continue;
		if (db_tx_end(db->shards[i], *ok) == -1 && rc == 0) {
			rc = -1;
			*ok = 0;
			cls = db->shards[i]->cls;
			memcpy(err, db->shards[i]->err, sizeof(err));
		}
	}
	if (rc == -1) {
		db->cls = cls;
		memcpy(db->err, err, sizeof(err));
	}
	return rc;
}

int
db_tx_end(struct db *db, int ok)
{
	int lost, rc;

	if (db->nshards > 0 && shards_tx_end(db, &ok) == -1) {
		rollback_keeping_error(db);
		return -1;
	}
	lost = db->tx_lost;
	db->in_tx = 0;
	db->tx_lost = 0;
	if (lost || db->conn == NULL) {
		db->cls = DB_ELOST;
		str_errf(db->err, sizeof(db->err), "connection lost inside "
		    "a transaction");
		return -1;
	}
	metrics_db_round_trip();
	rc = ok ? mysql_commit(db->conn) : mysql_rollback(db->conn);
	if (rc != 0)
		return conn_error(db);
	return 0;
}

int
db_tx_open(const struct db *db)
{
	return db->in_tx;
}

/* Sleeps a random time below DB_TX_BACKOFF_MS << attempt: two
 * transactions that deadlocked do not retry in step. */
static void
tx_backoff(int attempt)
{
	struct timespec	ts;
	uint32_t	r;
	int64_t		us, cap;

	if (attempt > DB_TX_BACKOFF_MAX_SHIFT)
		attempt = DB_TX_BACKOFF_MAX_SHIFT;
	cap = (int64_t)DB_TX_BACKOFF_MS * 1000 << attempt;

	crypto_random(&r, sizeof(r));
	us = cap / 4 + (int64_t)(r % (uint32_t)(cap - cap / 4));
	ts.tv_sec = us / 1000000;
	ts.tv_nsec = (long)(us % 1000000) * 1000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int
db_tx_run(struct db *db, int (*fn)(struct db *, void *), void *arg)
{
	int attempt, rc;

	/* Inside a transaction already: fn joins it, and whoever opened
	 * it commits, rolls back and retries the whole. */
	if (db->in_tx)
		return fn(db, arg);
	for (attempt = 0; ; attempt++) {
		if (db_tx_begin(db) == -1)
			return -1;
		db->cls = DB_OK;
		rc = fn(db, arg);
		if (rc == 0) {
			if (db_tx_end(db, 1) == 0)
				return 0;
			rc = -1;
		} else
			rollback_keeping_error(db);
		/* Again for a missing table: MariaDB names a table that
		 * exists when a trigger using it was created while the
		 * statement started (MDEV-26048; a shop move's log, whose
		 * triggers come one table after another, so a transaction
		 * of two tables may meet two). One that is really gone
		 * fails again. */
		if (db->cls == DB_ENOTABLE && attempt + 1 < DB_NOTABLE_TRIES) {
			log_info("transaction retried after: %s", db->err);
			continue;
		}
		if (db->cls != DB_EDEADLOCK || attempt + 1 >= DB_TX_TRIES) {
			if (db->cls == DB_EDEADLOCK)
				log_err("transaction failed after %d attempts: "
				    "%s", attempt + 1, db->err);
			return rc;
		}
		db->tx_retries++;
		log_info("transaction retried after: %s", db->err);
		tx_backoff(attempt);
	}
}

uint64_t
db_tx_retries(const struct db *db)
{
	return db->tx_retries;
}

int
db_request_end(struct db *db)
{
	int i;

	for (i = 1; i <= db->nshards; i++)
		if (db->shards[i] != NULL && db->shards[i]->in_tx &&
		    !db->in_tx && db_request_end(db->shards[i]))
			return 1;
	if (!db->in_tx)
		return 0;
	log_err("request ended with a transaction open: rolled back");
	(void)db_tx_end(db, 0);
	return 1;
}

int
db_exec_ddl(struct db *db, const char *sql, int64_t tenant)
{
	struct db *on;
	int rc;

	if ((on = route_of(db, sql, tenant, 0)) != db) {
		if (on == NULL)
			return -1;
		if ((rc = db_exec_ddl(on, sql, tenant)) == -1)
			propagate(on);
		return rc;
	}
	if (substitute(db, sql, tenant) == -1)
		return -1;
	if (db_reconnect(db) == -1)
		return -1;
	return simple_query(db, db->sqlbuf.buf, db->sqlbuf.len);
}
