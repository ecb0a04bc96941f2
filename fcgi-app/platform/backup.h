/*
 * backup.h: the platform's backups, for restoring everything or one
 * shop to any second of the retention period (soukctl backup, soukctl
 * shop restore: platform/restore.h).
 *
 * A backup is three things under backup_dir (/var/backups/souk):
 *
 *   base/20261201T023000Z/db/       a physical copy by mariadb-backup
 *                                   (not prepared: it is kept as taken)
 *   base/20261201T023000Z/media/    media_dir as it was, shop by shop
 *                                   (s42/...): files already in the
 *                                   previous base are hard links
 *   base/20261201T023000Z/souk-backup.info   when, and the binary log
 *                                   position the copy is consistent at
 *   binlog/binlog.000123 ...        the server's binary logs, copied as
 *                                   each is closed
 *
 * so a base plus the binary logs after its position rebuild the
 * database as it was at any later second. A run (souk-backup.timer,
 * nightly) takes a base, closes the current binary log (FLUSH BINARY
 * LOGS) and copies the closed ones, copies the media, then prunes: it
 * keeps the bases of the last backup_retention_days (14) and the newest
 * one before them, so the whole period stays restorable, and the binary
 * logs from that oldest base on. A base is written as NAME.partial and
 * renamed when whole; a run holds backup_dir/.lock, so two never mix.
 *
 * mariadb-backup reads the server's files: a run happens on the
 * database's machine, as root (or the mysql user), with an account that
 * may RELOAD, LOCK TABLES, PROCESS and BINLOG MONITOR (backup_user,
 * default root through the unix socket; backup_password;
 * backup_socket, default db_socket or /run/mysqld/mysqld.sock). The
 * server must keep binary logs in ROW format (log_bin, binlog_format =
 * ROW; mariadb/60-souk.cnf ships them).
 *
 * A private server: restoring and verifying start a mariadbd of their
 * own on a prepared copy, on a unix socket in a scratch folder, without
 * networking, grants or binary logs (struct backup_server).
 */
#ifndef SOUK_BACKUP_H
#define SOUK_BACKUP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct arena;
struct db;

struct backup {
	char	name[32];		/* "20261201T023000Z" */
	int64_t	started, finished;	/* unix seconds */
	char	binlog_file[128];	/* where the copy is consistent */
	int64_t	binlog_pos;
	char	gtid[128];
	int64_t	db_bytes, media_files, media_bytes, media_linked;
};

/* What a run did, for soukctl's report. */
struct backup_report {
	struct backup	b;
	int		binlogs_copied;
	int		bases_pruned, binlogs_pruned;
	double		secs;
};

/* The backup folder (backup_dir) and its parts, in a; "" args allowed. */
const char	*backup_path(struct arena *a, const char *part,
		    const char *name);

/* Opens the administrator's connection (backup_user, backup_password,
 * backup_socket). NULL with err when it cannot connect. */
struct db	*backup_admin_open(char *err, size_t errlen);

/* Takes a backup now (see above). 0, or -1 with err. */
int	backup_run(struct backup_report *r, char *err, size_t errlen);

/* Closes the server's current binary log and copies every closed one
 * not yet in backup_dir/binlog. *copied counts them. 0 or -1 with err. */
int	backup_binlogs_archive(struct db *admin, int *copied, char *err,
	    size_t errlen);

/*
 * The names (in a) of the copied binary logs from first on, in order,
 * checked to follow each other without a gap; *n counts them. 0, or -1
 * with err (first missing, a gap).
 */
int	backup_binlog_chain(struct arena *a, const char *first,
	    const char ***names, size_t *n, char *err, size_t errlen);

/* The complete bases, oldest first, in a. Returns the count, or -1
 * with err (backup_dir unreadable: a missing one holds none). */
int	backup_list(struct arena *a, struct backup **out, char *err,
	    size_t errlen);

/* The time of the newest event of the copied binary logs (their last
 * modification): the end of what can be restored. 0 when none. */
int64_t	backup_binlogs_end(void);

/*
 * Copies base b's database into datadir (created) and prepares it
 * (mariadb-backup --prepare), its output appended to log_fd. 0, or -1
 * with err.
 */
int	backup_prepare_copy(const struct backup *b, const char *datadir,
	    int log_fd, char *err, size_t errlen);

struct backup_server {
	pid_t	pid;
	char	socket[256];
	char	log[256];
};

/* Starts a private mariadbd on the prepared datadir, its socket and log
 * in dir; waits until it answers (60 s at most). 0, or -1 with err. */
int	backup_server_start(struct backup_server *s, const char *datadir,
	    const char *dir, char *err, size_t errlen);

/* A connection to it, as root, on the database souk uses. */
struct db	*backup_server_open(const struct backup_server *s);

/* Stops it (SIGTERM, then waits). */
void	backup_server_stop(struct backup_server *s);

/*
 * Checks that base name (NULL: the newest) can be prepared and served:
 * prepares a copy in a scratch folder, starts a private server on it,
 * counts its shops and tables, stops it, removes the copy. 0 with the
 * figures, or -1 with err.
 */
struct backup_check {
	struct backup	b;
	int64_t		shops, tables;
	double		prepare_secs, secs;
};
int	backup_verify(const char *name, struct backup_check *c, char *err,
	    size_t errlen);

/* 1 when s is a name that may go into a DDL statement as it is: 1-64
 * of [a-z0-9_]. */
int	backup_ident_ok(const char *s);

/*
 * The tables of schema (NULL: the connection's database) named like
 * (a LIKE pattern, bound), sorted, as C strings in a. Returns the count,
 * or -1 on a database error or a name backup_ident_ok() refuses.
 */
int	backup_tables_like(struct db *db, struct arena *a, const char *schema,
	    const char *like, const char ***out);

/* Creates the scratch folder backup_dir/<kind>.<pid> (emptied first);
 * its path in a, or NULL with err. */
const char	*backup_scratch(struct arena *a, const char *kind, char *err,
		    size_t errlen);

/* Writes the options file of the live database's account (souk.conf's
 * db_*) for the mariadb tools as dir/live.cnf; its path in a, or NULL
 * with err. */
const char	*backup_live_cnf(struct arena *a, const char *dir, char *err,
		    size_t errlen);

/* Writes a client options file (mode 0600) at path for the mariadb
 * tools: [client] user, password, socket or host and port. 0 or -1. */
int	backup_write_client_cnf(const char *path, const char *user,
	    const char *password, const char *socket, const char *host,
	    int port);

#endif
