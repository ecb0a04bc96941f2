/* xalloc.c: allocation that exits instead of returning NULL. */
#include "core/common.h"

#include <unistd.h>

static void __attribute__((noreturn))
oom(size_t n)
{
	char	msg[96];
	int	len;

	/* No allocation and no stdio here: we are out of memory. */
	len = snprintf(msg, sizeof(msg),
	    "<2>souk: out of memory allocating %zu bytes\n", n);
	if (len > 0 && (size_t)len < sizeof(msg))
		(void)!write(STDERR_FILENO, msg, (size_t)len);
	_exit(70);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

size_t
xmul(size_t a, size_t b)
{
	size_t r;

	if (__builtin_mul_overflow(a, b, &r))
		oom(SIZE_MAX);
	return r;
}
