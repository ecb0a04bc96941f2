/* pack.c: integers and texts in one text (see pack.h). */
#include "core/common.h"
#include "core/pack.h"

#define NULL_LEN	UINT32_MAX

void
pack_i64(struct strbuf *sb, int64_t v)
{
	strbuf_add(sb, &v, sizeof(v));
}

void
pack_str(struct strbuf *sb, struct str s)
{
	uint32_t n = s.p == NULL ? NULL_LEN : (uint32_t)s.len;

	strbuf_add(sb, &n, sizeof(n));
	if (s.p != NULL)
		strbuf_add(sb, s.p, s.len);
	strbuf_add(sb, "", 1);
}

void
unpack_init(struct unpack *u, struct str text)
{
	u->p = text.p;
	u->left = text.len;
	u->bad = text.p == NULL && text.len != 0;
}

int64_t
unpack_i64(struct unpack *u)
{
	int64_t v = 0;

	if (u->bad || u->left < sizeof(v)) {
		u->bad = 1;
		return 0;
	}
	memcpy(&v, u->p, sizeof(v));
	u->p += sizeof(v);
	u->left -= sizeof(v);
	return v;
}

struct str
unpack_str(struct unpack *u)
{
	struct str	s = STR_NULL;
	uint32_t	n;

	if (u->bad || u->left < sizeof(n)) {
		u->bad = 1;
		return s;
	}
	memcpy(&n, u->p, sizeof(n));
	u->p += sizeof(n);
	u->left -= sizeof(n);
	if (n == NULL_LEN) {
		if (u->left < 1 || u->p[0] != '\0') {
			u->bad = 1;
			return s;
		}
		u->p++;
		u->left--;
		return s;
	}
	if (u->left < (size_t)n + 1 || u->p[n] != '\0') {
		u->bad = 1;
		return s;
	}
	s.p = u->p;
	s.len = n;
	u->p += (size_t)n + 1;
	u->left -= (size_t)n + 1;
	return s;
}

size_t
unpack_count(struct unpack *u, size_t max, size_t min)
{
	int64_t n = unpack_i64(u);

	if (n < 0 || (uint64_t)n > max || (size_t)n * min > u->left) {
		u->bad = 1;
		return 0;
	}
	return (size_t)n;
}

int
unpack_done(const struct unpack *u)
{
	return !u->bad && u->left == 0;
}
