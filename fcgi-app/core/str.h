/*
 * str.h: string views and number parsing.
 *
 * A struct str is a pointer and a length; it does not own its bytes and
 * need not be NUL-terminated. Whoever made the view says how long the
 * bytes live (usually: in the request's arena).
 */
#ifndef SOUK_STR_H
#define SOUK_STR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct str {
	const char	*p;
	size_t		 len;
};

#define STR(lit)	((struct str){ (lit), sizeof(lit) - 1 })
#define STR_NULL	((struct str){ NULL, 0 })

/* A view of a NUL-terminated string; s may be NULL (gives an empty view). */
static inline struct str
str_c(const char *s)
{
	return (struct str){ s ? s : "", s ? strlen(s) : 0 };
}

/* Nonzero when a and b hold the same bytes. */
static inline int
str_eq(struct str a, struct str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* Nonzero when a holds the same bytes as the C string b. */
static inline int
str_eqc(struct str a, const char *b)
{
	return str_eq(a, str_c(b));
}

/* Nonzero when s starts with prefix. */
static inline int
str_starts(struct str s, struct str prefix)
{
	return s.len >= prefix.len && memcmp(s.p, prefix.p, prefix.len) == 0;
}

/* ASCII case-insensitive equality (header names, host names). */
int	str_casecmp_eq(struct str a, struct str b);

/*
 * Parses the whole of s as a decimal integer in [min, max], with an
 * optional leading '-'. No spaces, no '+', no trailing bytes.
 * Returns 0 and sets *out, or -1 (empty, not a number, out of range).
 */
int	str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out);

/* The same for a NUL-terminated string (NULL gives -1). */
int	str_to_i64c(const char *s, int64_t min, int64_t max, int64_t *out);

/* s without leading and trailing ASCII white space. */
struct str	str_trim(struct str s);

/* Copies s into dst (n bytes, NUL included), cut to fit: for fixed
 * fields read from the database, whose columns bound their length. */
void	str_copy(char *dst, size_t n, struct str s);

/*
 * printf into an error buffer a caller passed (err may be NULL, errlen
 * may be 0: then nothing is written). Messages are for people:
 * truncating one is harmless.
 */
void	str_errf(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Nonzero when s is valid UTF-8 without NUL or other C0 controls but
 * tab, LF and CR: what a form field may hold. */
int	str_valid_text(struct str s);

/* Nonzero when s is valid UTF-8 (no overlong forms, surrogates or
 * values past U+10FFFF), controls allowed: a CSV field, judged later. */
int	str_valid_utf8(struct str s);

/*
 * The number of characters (Unicode code points) of s, which must be
 * valid UTF-8 (str_valid_text()): every length limit a person reads
 * ("at most 200 characters") counts these, never bytes. "茶" is 1,
 * "🔑" is 1.
 */
size_t	str_chars(struct str s);

/* The value of the hexadecimal digit c (either case), or -1. */
int	str_hexval(char c);

/* Nonzero when every byte of s is printable ASCII (0x20..0x7e): check
 * a value with this before comparing it with an ASCII column (slugs,
 * SKUs, codes), which MariaDB refuses to compare with other text. */
int	str_is_ascii(struct str s);

/* The index of the name equal to s among names[0..n) (an enum's column
 * values: "on-hold", "flat"), or -1 when none is. */
int	str_index(struct str s, const char *const *names, size_t n);

#endif
