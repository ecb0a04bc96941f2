/*
 * xalloc.h: allocation that never returns NULL.
 *
 * When memory runs out the process logs it and exits; the pool master
 * forks a fresh worker. Callers therefore never test for NULL. Memory
 * from these functions is the caller's, released with free().
 */
#ifndef SOUK_XALLOC_H
#define SOUK_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);

/* a * b, exiting like xmalloc() when it overflows. */
size_t	 xmul(size_t a, size_t b);

#endif
