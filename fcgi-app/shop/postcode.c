/* postcode.c: lists of postcode patterns (see postcode.h). */
#include "core/common.h"
#include "shop/postcode.h"

static int
is_sep(char c)
{
	return c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n';
}

static int
is_code(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == '-';
}

static char
up(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

/* The next pattern of *rest, or an empty view at the end. */
static struct str
next_token(struct str *rest)
{
	struct str	t;
	size_t		i = 0, j;

	while (i < rest->len && is_sep(rest->p[i]))
		i++;
	j = i;
	while (j < rest->len && !is_sep(rest->p[j]))
		j++;
	t.p = rest->p + i;
	t.len = j - i;
	rest->p += j;
	rest->len -= j;
	return t;
}

/* Compares a (pattern text) with b (a key) in upper case, n bytes. */
static int
cmp_up(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (up(a[i]) != b[i])
			return (unsigned char)up(a[i]) < (unsigned char)b[i] ?
			    -1 : 1;
	return 0;
}

static int
plain_ok(struct str s)
{
	size_t i;

	if (s.len == 0 || s.len > POSTCODE_TOKEN_MAX)
		return 0;
	for (i = 0; i < s.len; i++)
		if (!is_code(s.p[i]))
			return 0;
	return 1;
}

/* Splits "lo...hi"; 0 when t has no "...". */
static int
split_range(struct str t, struct str *lo, struct str *hi)
{
	size_t i;

	for (i = 0; i + 3 <= t.len; i++)
		if (memcmp(t.p + i, "...", 3) == 0) {
			*lo = (struct str){ t.p, i };
			*hi = (struct str){ t.p + i + 3, t.len - i - 3 };
			return 1;
		}
	return 0;
}

static int
token_valid(struct str t)
{
	struct str lo, hi;
	size_t	   i;

	if (split_range(t, &lo, &hi)) {
		if (!plain_ok(lo) || !plain_ok(hi) || lo.len != hi.len)
			return 0;
		for (i = 0; i < lo.len; i++)
			if (up(lo.p[i]) != up(hi.p[i]))
				return up(lo.p[i]) < up(hi.p[i]);
		return 1;
	}
	if (t.len > 1 && t.p[t.len - 1] == '*')
		t.len--;
	return plain_ok(t);
}

int
postcode_list_valid(struct str list)
{
	struct str t;

	if (list.len > POSTCODE_LIST_MAX)
		return 0;
	while ((t = next_token(&list)).len > 0)
		if (!token_valid(t))
			return 0;
	return 1;
}

struct str
postcode_list_norm(struct arena *a, struct str list)
{
	char		*out = arena_alloc(a, list.len + 1);
	size_t		 n = 0, i;
	struct str	 t;

	while ((t = next_token(&list)).len > 0) {
		if (n > 0)
			out[n++] = ' ';
		for (i = 0; i < t.len; i++)
			out[n++] = up(t.p[i]);
	}
	out[n] = '\0';
	return (struct str){ out, n };
}

static int
token_match(struct str t, struct str key)
{
	struct str lo, hi;

	if (!token_valid(t))
		return 0;
	if (split_range(t, &lo, &hi))
		return key.len == lo.len && cmp_up(lo.p, key.p, key.len) <= 0 &&
		    cmp_up(hi.p, key.p, key.len) >= 0;
	if (t.p[t.len - 1] == '*')
		return key.len >= t.len - 1 &&
		    cmp_up(t.p, key.p, t.len - 1) == 0;
	return key.len == t.len && cmp_up(t.p, key.p, t.len) == 0;
}

int
postcode_match(struct str list, struct str key)
{
	struct str t;

	if (key.len == 0)
		return 0;
	while ((t = next_token(&list)).len > 0)
		if (token_match(t, key))
			return 1;
	return 0;
}
