/*
 * arena.h: the per-request memory arena.
 *
 * Everything a request parses, builds and renders is allocated here and
 * freed at once by arena_reset() after the response, as nginx's r->pool.
 * Nothing allocated here is ever freed piece by piece. Blocks are kept
 * across resets (up to a cap), so a warm worker does not call malloc in
 * the request path. Resources that are not memory (fds, statement
 * handles, result sets) are released by cleanups registered with
 * arena_cleanup_add(), which arena_reset() runs last-in first-out.
 */
#ifndef SOUK_ARENA_H
#define SOUK_ARENA_H

#include <stddef.h>
#include "core/str.h"

struct arena_block;
struct arena_cleanup;

struct arena {
	struct arena_block	*head;	/* block being filled */
	struct arena_block	*free;	/* kept for reuse after reset */
	struct arena_cleanup	*cleanups;
	size_t			 used;	/* bytes handed out since reset */
};

/* An empty arena; allocates nothing until first use. */
void	 arena_init(struct arena *a);

/* n bytes aligned for any type; never NULL; lives until arena_reset(). */
void	*arena_alloc(struct arena *a, size_t n);

/* The same, zero-filled. */
void	*arena_calloc(struct arena *a, size_t nmemb, size_t size);

/* NUL-terminated copies that live in a. */
char	*arena_strndup(struct arena *a, const char *s, size_t n);
char	*arena_strdup(struct arena *a, const char *s);

/* A NUL-terminated copy of a view, as a view (p[len] is '\0'). */
struct str	arena_str(struct arena *a, struct str s);

/* An ASCII-lower-cased copy of s, NUL-terminated, in a (header names,
 * media types). */
struct str	arena_strlower(struct arena *a, struct str s);

/* printf into the arena; the result lives in a. */
char	*arena_printf(struct arena *a, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Runs fn(arg) at the next arena_reset() or arena_free(). */
void	 arena_cleanup_add(struct arena *a, void (*fn)(void *), void *arg);

/* Runs the cleanups and makes all memory reusable. */
void	 arena_reset(struct arena *a);

/* Runs the cleanups and returns every block to malloc. */
void	 arena_free(struct arena *a);

#endif
