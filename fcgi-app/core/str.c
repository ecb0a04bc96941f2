/* str.c: string views and checked number parsing (see str.h). */
#include "core/common.h"

#include <ctype.h>

int
str_casecmp_eq(struct str a, struct str b)
{
	size_t	i;

	if (a.len != b.len)
		return 0;
	for (i = 0; i < a.len; i++)
		if (tolower((unsigned char)a.p[i]) !=
		    tolower((unsigned char)b.p[i]))
			return 0;
	return 1;
}

int
str_to_i64(struct str s, int64_t min, int64_t max, int64_t *out)
{
	size_t		i = 0;
	int		neg = 0;
	uint64_t	v = 0, lim;

	if (s.len == 0 || s.p == NULL)
		return -1;
	if (s.p[0] == '-') {
		neg = 1;
		i = 1;
		if (s.len == 1)
			return -1;
	}
	/* The magnitude limit of the sign we saw; INT64_MIN needs one more. */
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < s.len; i++) {
		unsigned d;

		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		d = (unsigned)(s.p[i] - '0');
		if (v > (lim - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (neg) {
		int64_t r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)v;
		if (r < min || r > max)
			return -1;
		*out = r;
	} else {
		if ((int64_t)v < min || (int64_t)v > max)
			return -1;
		*out = (int64_t)v;
	}
	return 0;
}

int
str_to_i64c(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (s == NULL)
		return -1;
	return str_to_i64(str_c(s), min, max, out);
}

struct str
str_trim(struct str s)
{
	while (s.len > 0 && isspace((unsigned char)s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && isspace((unsigned char)s.p[s.len - 1]))
		s.len--;
	return s;
}

/* Nonzero when s is UTF-8 (no overlong forms, no surrogates, nothing
 * past U+10FFFF) and, when text, holds no control character but tab
 * and line breaks. */
static int
utf8_scan(struct str s, int text)
{
	const unsigned char	*p = (const unsigned char *)s.p;
	size_t			 i = 0, n, k;
	uint32_t		 cp;

	while (i < s.len) {
		unsigned char c = p[i];

		if (c < 0x80) {
			if (text && ((c < 0x20 && c != '\t' && c != '\n' &&
			    c != '\r') || c == 0x7f))
				return 0;
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else
			return 0;
		for (k = 1; k <= n; k++) {
			if (i + k >= s.len || (p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

int
str_valid_text(struct str s)
{
	return utf8_scan(s, 1);
}

int
str_valid_utf8(struct str s)
{
	return utf8_scan(s, 0);
}

size_t
str_chars(struct str s)
{
	size_t i, n = 0;

	/* Every byte but a continuation byte starts a character. */
	for (i = 0; i < s.len; i++)
		if (((unsigned char)s.p[i] & 0xc0) != 0x80)
			n++;
	return n;
}

int
str_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
str_is_ascii(struct str s)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] < 0x20 ||
		    (unsigned char)s.p[i] > 0x7e)
			return 0;
	return 1;
}

void
str_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	if (vsnprintf(err, errlen, fmt, ap) < 0)
		err[0] = '\0';
	va_end(ap);
}

void
str_copy(char *dst, size_t n, struct str s)
{
	if (n == 0)
		return;
	if (s.len >= n)
		s.len = n - 1;
	if (s.len)
		memcpy(dst, s.p, s.len);
	dst[s.len] = '\0';
}

int
str_index(struct str s, const char *const *names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (names[i] != NULL && str_eqc(s, names[i]))
			return (int)i;
	return -1;
}
