/*
 * spawn.h: running other programs (mariadb-backup, mariadbd,
 * mariadb-binlog, the mariadb client) from soukctl, with their standard
 * streams where the caller wants them.
 *
 * argv[0] is looked up in PATH. An fd of -1 for stdin or stdout means
 * /dev/null; stderr -1 means the caller's own. env, when not NULL, is
 * "NAME=value" strings added to (or replacing in) the caller's
 * environment for the child only. Nothing here uses a shell: arguments
 * are passed as they are.
 *
 * A status is the child's exit code (0-255), 128 + the signal that
 * killed it, or -1 when it could not be started (errno set).
 */
#ifndef SOUK_CORE_SPAWN_H
#define SOUK_CORE_SPAWN_H

#include <sys/types.h>

/* Starts argv; returns its pid, or -1. */
pid_t	spawn_start(const char *const argv[], const char *const env[], int in_fd,
	    int out_fd, int err_fd);

/* Waits for pid; returns its status. */
int	spawn_wait(pid_t pid);

/* Starts argv and waits for it; returns its status. */
int	spawn_run(const char *const argv[], const char *const env[], int in_fd,
	    int out_fd, int err_fd);

/* Runs "a | b" (a's stdin and b's stdout /dev/null, both stderr to
 * err_fd); returns a's status when nonzero, else b's. */
int	spawn_pipe(const char *const a[], const char *const a_env[],
	    const char *const b[],
	    int err_fd);

#endif
