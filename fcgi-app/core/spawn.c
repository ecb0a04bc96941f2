/* spawn.c: see spawn.h. */
#include "core/common.h"
#include "core/spawn.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* environ with env's names replaced or added; the array is malloc'd,
 * the strings borrowed. */
static char **
merged_env(const char *const env[])
{
	size_t	 n = 0, m = 0, i, j, k;
	char	**out;

	while (environ[n] != NULL)
		n++;
	while (env[m] != NULL)
		m++;
	out = xcalloc(n + m + 1, sizeof(*out));
	for (i = k = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t len = eq ? (size_t)(eq - environ[i]) + 1 :
		    strlen(environ[i]);

		for (j = 0; j < m; j++)
			if (strncmp(env[j], environ[i], len) == 0)
				break;
		if (j == m)
			out[k++] = environ[i];
	}
	for (j = 0; j < m; j++)
		out[k++] = (char *)env[j];
	return out;
}

pid_t
spawn_start(const char *const argv[], const char *const env[], int in_fd, int out_fd,
    int err_fd)
{
	posix_spawn_file_actions_t	 fa;
	char				**envp = env ? merged_env(env) : environ;
	pid_t				 pid;
	int				 rc;

	posix_spawn_file_actions_init(&fa);
	if (in_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
		    O_RDONLY, 0);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	else
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
		    O_WRONLY, 0);
	if (err_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
	    envp);
	posix_spawn_file_actions_destroy(&fa);
	if (env != NULL)
		free(envp);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return pid;
}

int
spawn_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

int
spawn_run(const char *const argv[], const char *const env[], int in_fd, int out_fd,
    int err_fd)
{
	pid_t pid = spawn_start(argv, env, in_fd, out_fd, err_fd);

	return pid == -1 ? -1 : spawn_wait(pid);
}

int
spawn_pipe(const char *const a[], const char *const a_env[],
    const char *const b[], int err_fd)
{
	pid_t	pa, pb;
	int	p[2], sa, sb;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	pa = spawn_start(a, a_env, -1, p[1], err_fd);
	close(p[1]);
	if (pa == -1) {
		close(p[0]);
		return -1;
	}
	pb = spawn_start(b, NULL, p[0], -1, err_fd);
	close(p[0]);
	sa = spawn_wait(pa);
	if (pb == -1)
		return -1;
	sb = spawn_wait(pb);
	return sa != 0 ? sa : sb;
}
