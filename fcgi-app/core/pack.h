/*
 * pack.h: integers and texts packed into one text, and read back, for
 * what the pool's workers keep in their shared memory (core/shcache.h):
 * a product page, product cards.
 *
 * Integers are 8 bytes in this machine's order (a packed text never
 * leaves the machine); a text is a 4-byte length, the bytes and a NUL,
 * so a text read back is a C string in place; a NULL text (STR_NULL)
 * has its own length. A reader that runs past the end, or meets a
 * length or count that cannot be, marks itself bad and returns zeros
 * from then on: the caller checks pack_done() once, at the end.
 */
#ifndef SOUK_CORE_PACK_H
#define SOUK_CORE_PACK_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "core/strbuf.h"

void	pack_i64(struct strbuf *sb, int64_t v);
void	pack_str(struct strbuf *sb, struct str s);

struct unpack {
	const char	*p;
	size_t		 left;
	int		 bad;
};

/* Reads text (which must outlive what is read from it). */
void	unpack_init(struct unpack *u, struct str text);
int64_t	unpack_i64(struct unpack *u);
/* The text points into the packed text. */
struct str unpack_str(struct unpack *u);
/* A count of at most max items of at least min bytes each that the rest
 * can hold, or 0 (and bad). */
size_t	unpack_count(struct unpack *u, size_t max, size_t min);
/* 1 when everything was read, exactly. */
int	unpack_done(const struct unpack *u);

#endif
