/*
 * urlenc.c: percent-decoding, percent-encoding and
 * application/x-www-form-urlencoded fields (see req.h).
 *
 * Decoding is strict: a '%' not followed by two hex digits, a raw NUL or
 * a "%00" fails the whole input (400) rather than being passed on or cut
 * short, because every decoded value is also used as a C string.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "http/req.h"

int
url_decode(struct arena *a, struct str in, int plus, struct str *out)
{
	char	*p;
	size_t	 i, n = 0;

	/* Decoding only shrinks: in.len + 1 bytes are enough. */
	p = arena_alloc(a, in.len + 1);
	for (i = 0; i < in.len; i++) {
		unsigned char c = (unsigned char)in.p[i];

		if (c == '%') {
			int hi, lo;

			if (in.len - i < 3)
				return -1;
			hi = str_hexval(in.p[i + 1]);
			lo = str_hexval(in.p[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus)
			c = ' ';
		if (c == '\0')
			return -1;
		p[n++] = (char)c;
	}
	p[n] = '\0';
	out->p = p;
	out->len = n;
	return 0;
}

void
url_escape(struct strbuf *sb, struct str s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t	 i;

	for (i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];

		/* RFC 3986 unreserved: safe in a path segment and in a
		 * query value alike. */
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			strbuf_addch(sb, c);
		else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };

			strbuf_add(sb, esc, sizeof(esc));
		}
	}
}

int
req_parse_urlencoded(struct arena *a, struct str in, struct kvlist *out)
{
	const char	*p = in.p, *end = in.p + in.len;
	size_t		 n = 0;

	out->v = NULL;
	out->n = 0;
	if (in.len == 0)
		return 0;

	/* Count first, so that an oversized input costs no allocation. */
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));

		if (amp == NULL)
			amp = end;
		if (amp > p && *p != '=' && ++n > REQ_MAX_FIELDS)
			return 413;
		p = amp + 1;
	}
	if (n == 0)
		return 0;
	out->v = arena_alloc(a, n * sizeof(*out->v));

	for (p = in.p; p < end; ) {
		const char	*amp = memchr(p, '&', (size_t)(end - p));
		const char	*eq;
		struct str	 k, v;
		struct kv	*kv;

		if (amp == NULL)
			amp = end;
		/* Empty pairs ("a=1&&b=2", a trailing '&') and pairs
		 * without a name ("=x") carry nothing: skipped. */
		if (amp == p || *p == '=') {
			p = amp + 1;
			continue;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		k.p = p;
		k.len = (size_t)((eq ? eq : amp) - p);
		v.p = eq ? eq + 1 : amp;
		v.len = eq ? (size_t)(amp - eq - 1) : 0;
		kv = &out->v[out->n];
		if (url_decode(a, k, 1, &kv->key) == -1 ||
		    url_decode(a, v, 1, &kv->val) == -1)
			return 400;
		out->n++;
		p = amp + 1;
	}
	return 0;
}
