/*
 * multipart.c: multipart/form-data bodies (RFC 7578 on RFC 2046).
 *
 * The body is split on the delimiter CRLF "--" boundary. Each part has
 * header lines (CRLF-terminated, no folding) and its data; only
 * Content-Disposition (form-data, name, filename) and Content-Type are
 * read. Anything malformed is a 400: a delimiter followed by other than
 * CRLF or "--", a missing closing delimiter (truncated upload), a header
 * line without ':' or with a bare CR or LF, a part without a name.
 *
 * Nothing is copied but names and text values (NUL-terminated copies in
 * the arena): a file's data is a view into the body, which lives in the
 * arena too. A file input left empty by the shopper (filename="" and no
 * data, as browsers send it) is skipped.
 */
#include "core/common.h"
#include "core/arena.h"

#include <sys/types.h>

#include "http/req.h"
#include "http/httpchar.h"

#define MP_MAX_BOUNDARY	70	/* RFC 2046 */
#define MP_MAX_HEADERS	8192	/* the header block of one part */

struct mp_head {
	struct str	name;		/* raw (quoted-string content) */
	struct str	filename;
	struct str	ctype;
	int		has_name;
	int		has_filename;
	int		name_quoted;
	int		filename_quoted;
};

static int
is_bchar(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

static int
boundary_valid(struct str b)
{
	size_t i;

	if (b.len == 0 || b.len > MP_MAX_BOUNDARY || b.p[b.len - 1] == ' ')
		return 0;
	for (i = 0; i < b.len; i++)
		if (!is_bchar((unsigned char)b.p[i]))
			return 0;
	return 1;
}

static struct str
skip_ows(struct str s)
{
	while (s.len && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.len--;
	}
	return s;
}

static struct str
trim_ows(struct str s)
{
	s = skip_ows(s);
	while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t'))
		s.len--;
	return s;
}

/*
 * Reads one parameter value at the start of s: a token (up to ';') or a
 * quoted-string, whose raw content (escapes still in) goes to *val.
 * Returns the number of bytes consumed, or -1 (unterminated quote).
 */
static ssize_t
param_value(struct str s, struct str *val, int *quoted)
{
	size_t i;

	if (s.len && s.p[0] == '"') {
		for (i = 1; i < s.len; i++) {
			if (s.p[i] == '\\' && i + 1 < s.len &&
			    (s.p[i + 1] == '"' || s.p[i + 1] == '\\'))
				i++;
			else if (s.p[i] == '"') {
				*val = (struct str){ s.p + 1, i - 1 };
				*quoted = 1;
				return (ssize_t)i + 1;
			}
		}
		return -1;
	}
	for (i = 0; i < s.len && s.p[i] != ';'; i++)
		;
	*val = trim_ows((struct str){ s.p, i });
	*quoted = 0;
	return (ssize_t)i;
}

/* Content-Disposition: form-data; name="f"; filename="a.jpg" */
static int
disposition_parse(struct str v, struct mp_head *h)
{
	const char	*semi = memchr(v.p, ';', v.len);
	struct str	 type;

	type = trim_ows((struct str){ v.p, semi ? (size_t)(semi - v.p) :
	    v.len });
	if (!str_casecmp_eq(type, STR("form-data")))
		return -1;
	if (semi == NULL)
		return 0;
	v.len -= (size_t)(semi - v.p);
	v.p = semi;
	while (v.len && v.p[0] == ';') {
		struct str	 pname, pval;
		const char	*eq;
		ssize_t		 used;
		int		 quoted;

		v.p++;
		v.len--;
		v = skip_ows(v);
		eq = memchr(v.p, '=', v.len);
		if (eq == NULL)
			return -1;
		pname = trim_ows((struct str){ v.p, (size_t)(eq - v.p) });
		v.len -= (size_t)(eq - v.p) + 1;
		v.p = eq + 1;
		v = skip_ows(v);
		if ((used = param_value(v, &pval, &quoted)) < 0)
			return -1;
		v.p += used;
		v.len -= (size_t)used;
		v = skip_ows(v);
		if (v.len && v.p[0] != ';')
			return -1;
		/* First occurrence wins; filename* (RFC 5987) is not
		 * sent by browsers for form-data: ignored. */
		if (str_casecmp_eq(pname, STR("name")) && !h->has_name) {
			h->name = pval;
			h->name_quoted = quoted;
			h->has_name = 1;
		} else if (str_casecmp_eq(pname, STR("filename")) &&
		    !h->has_filename) {
			h->filename = pval;
			h->filename_quoted = quoted;
			h->has_filename = 1;
		}
	}
	return 0;
}

/* The header block of one part, without its final CRLF CRLF. */
static int
headers_parse(struct str blk, struct mp_head *h)
{
	int seen_cd = 0;

	memset(h, 0, sizeof(*h));
	while (blk.len) {
		const char	*crlf = memmem(blk.p, blk.len, "\r\n", 2);
		struct str	 line, name, val;
		const char	*colon;

		line.p = blk.p;
		line.len = crlf ? (size_t)(crlf - blk.p) : blk.len;
		blk.p += line.len + (crlf ? 2 : 0);
		blk.len -= line.len + (crlf ? 2 : 0);
		if (memchr(line.p, '\r', line.len) ||
		    memchr(line.p, '\n', line.len) ||
		    memchr(line.p, '\0', line.len))
			return -1;
		if ((colon = memchr(line.p, ':', line.len)) == NULL)
			return -1;
		name = (struct str){ line.p, (size_t)(colon - line.p) };
		if (!http_is_token(name))	/* also refuses folding */
			return -1;
		val = trim_ows((struct str){ colon + 1,
		    line.len - name.len - 1 });
		if (str_casecmp_eq(name, STR("content-disposition"))) {
			if (seen_cd++ || disposition_parse(val, h) == -1)
				return -1;
		} else if (str_casecmp_eq(name, STR("content-type"))) {
			const char *semi = memchr(val.p, ';', val.len);

			h->ctype = trim_ows((struct str){ val.p,
			    semi ? (size_t)(semi - val.p) : val.len });
		}
	}
	return seen_cd && h->has_name ? 0 : -1;
}

/* A NUL-terminated copy of a parameter value, escapes removed. */
static struct str
param_copy(struct arena *a, struct str v, int quoted)
{
	char	*p = arena_alloc(a, v.len + 1);
	size_t	 i, n = 0;

	for (i = 0; i < v.len; i++) {
		if (quoted && v.p[i] == '\\' && i + 1 < v.len &&
		    (v.p[i + 1] == '"' || v.p[i + 1] == '\\'))
			i++;
		p[n++] = v.p[i];
	}
	p[n] = '\0';
	return (struct str){ p, n };
}

/* The name without any directory part a client may have sent. */
static struct str
basename_of(struct str f)
{
	size_t i;

	for (i = f.len; i > 0; i--)
		if (f.p[i - 1] == '/' || f.p[i - 1] == '\\')
			return (struct str){ f.p + i, f.len - i };
	return f;
}

static int
part_keep(struct arena *a, const struct mp_head *h, struct str data,
    struct kvlist *form, struct part *parts, size_t *nparts)
{
	struct str name;

	if (h->has_filename) {
		struct part *pt;

		if (h->filename.len == 0 && data.len == 0)
			return 0;	/* a file input left empty */
		if (*nparts >= REQ_MAX_PARTS)
			return 413;
		pt = &parts[(*nparts)++];
		pt->name = param_copy(a, h->name, h->name_quoted);
		pt->filename = arena_str(a, basename_of(param_copy(a,
		    h->filename, h->filename_quoted)));
		pt->ctype = arena_strlower(a, h->ctype);
		pt->data = data;
		return 0;
	}
	name = param_copy(a, h->name, h->name_quoted);
	if (name.len == 0 || memchr(name.p, '\0', name.len) ||
	    memchr(data.p, '\0', data.len))
		return 400;
	if (form->n >= REQ_MAX_FIELDS)
		return 413;
	form->v[form->n].key = name;
	form->v[form->n].val = arena_str(a, data);
	form->n++;
	return 0;
}

int
req_parse_multipart(struct arena *a, struct str body, struct str boundary,
    struct kvlist *form, struct part **parts, size_t *nparts)
{
	char		*delim;		/* CRLF "--" boundary */
	size_t		 dlen, pos;
	const char	*end = body.p + body.len;
	struct kv	*fv;

	if (!boundary_valid(boundary))
		return 400;
	dlen = boundary.len + 4;
	delim = arena_alloc(a, dlen);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary.p, boundary.len);

	/* Room for the caps up front (about 10 KB): no regrowth. */
	fv = arena_alloc(a, REQ_MAX_FIELDS * sizeof(*fv));
	if (form->n > REQ_MAX_FIELDS)
		return 413;
	if (form->n)
		memcpy(fv, form->v, form->n * sizeof(*fv));
	form->v = fv;
	*parts = arena_alloc(a, REQ_MAX_PARTS * sizeof(**parts));
	*nparts = 0;

	/* The first delimiter may open the body without its CRLF; what
	 * comes before it is a preamble, ignored. */
	if (body.len >= dlen - 2 && memcmp(body.p, delim + 2, dlen - 2) == 0)
		pos = 0;
	else {
		const char *d = memmem(body.p, body.len, delim, dlen);

		if (d == NULL)
			return 400;
		pos = (size_t)(d - body.p) + 2;
	}

	for (;;) {
		const char	*p = body.p + pos + dlen - 2;
		const char	*hend, *dend;
		struct mp_head	 h;
		struct str	 data;
		int		 rc;

		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0;	/* close delimiter; epilogue ignored */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return 400;
		p += 2;

		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
			hend = p;	/* no header lines */
		else {
			size_t lim = (size_t)(end - p);

			if (lim > MP_MAX_HEADERS + 4)
				lim = MP_MAX_HEADERS + 4;
			if ((hend = memmem(p, lim, "\r\n\r\n", 4)) == NULL)
				return 400;
		}
		if (headers_parse((struct str){ p, (size_t)(hend - p) },
		    &h) == -1)
			return 400;
		p = hend + (hend == p ? 2 : 4);

		if ((dend = memmem(p, (size_t)(end - p), delim, dlen)) ==
		    NULL)
			return 400;	/* truncated */
		data = (struct str){ p, (size_t)(dend - p) };
		if ((rc = part_keep(a, &h, data, form, *parts, nparts)) != 0)
			return rc;
		pos = (size_t)(dend - body.p) + 2;
	}
}
