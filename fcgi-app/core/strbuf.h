/*
 * strbuf.h: a growable byte buffer, always NUL-terminated (git's strbuf).
 *
 * The buffer owns its memory (malloc). strbuf_reset() empties it but
 * keeps the allocation, so a worker that reuses one buffer for every
 * response stops allocating once warm. strbuf_release() frees it;
 * strbuf_detach() hands the bytes to the caller, who frees them.
 * buf is never NULL after strbuf_init(): an empty buffer points at a
 * static "" until it grows.
 */
#ifndef SOUK_STRBUF_H
#define SOUK_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include "core/str.h"

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 alloc;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT	{ strbuf_slopbuf, 0, 0 }

void	strbuf_init(struct strbuf *sb, size_t hint);
void	strbuf_release(struct strbuf *sb);
char	*strbuf_detach(struct strbuf *sb, size_t *len);

/* Makes room for extra more bytes (plus the NUL). */
void	strbuf_grow(struct strbuf *sb, size_t extra);

/* Empties the buffer, keeping its allocation. */
static inline void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

/* Shortens to len bytes (len <= sb->len). */
void	strbuf_setlen(struct strbuf *sb, size_t len);

void	strbuf_add(struct strbuf *sb, const void *p, size_t n);
void	strbuf_addstr(struct strbuf *sb, const char *s);
void	strbuf_addch(struct strbuf *sb, int c);
void	strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));

static inline void
strbuf_addv(struct strbuf *sb, struct str s)
{
	strbuf_add(sb, s.p, s.len);
}

/* A view of the contents (valid until the buffer next changes). */
static inline struct str
strbuf_str(const struct strbuf *sb)
{
	return (struct str){ sb->buf, sb->len };
}

#endif
