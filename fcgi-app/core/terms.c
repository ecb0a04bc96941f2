/*
 * terms.c: text cut into search index terms (see terms.h).
 *
 * The text goes UTF-8 -> UTF-16 -> NFKC case fold -> UTF-8 once, and
 * every term is then a view into that last buffer: a word is a slice of
 * it, a bigram the two adjacent characters that are already side by
 * side in it. The index counts its terms in a first pass and stores
 * them in a second, so it allocates its array once.
 */
#include "core/common.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/terms.h"

enum cls {
	C_SEP,
	C_WORD,
	C_CJK
};

/* Terms as they are found; only counted while v is NULL. */
struct sink {
	struct str	*v;
	size_t		 n;
};

/*
 * Scripts written without spaces between words: kana (the prolonged
 * sound mark included), Han with its extensions and compatibility
 * forms, 々〆〇 (they stand for Han: 時々, 二〇二四), and half-width
 * katakana (NFKC widens it, but the range costs nothing).
 */
static int
in_cjk_range(UChar32 c)
{
	return (c >= 0x3040 && c <= 0x30ff) ||
	    (c >= 0x3005 && c <= 0x3007) ||
	    (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0x4e00 && c <= 0x9fff) ||
	    (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xff66 && c <= 0xff9f) ||
	    (c >= 0x20000 && c <= 0x2ffff);
}

/*
 * Letters, numbers of any kind (〇 is a letter number, Nl; Python's
 * isalnum() takes them too) and combining marks make terms.
 * Punctuation in the CJK blocks (the middle dot of ドン・キホーテ)
 * separates like any other.
 */
static enum cls
cls_of(UChar32 c)
{
	uint32_t	term = U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK;

	if ((U_GET_GC_MASK(c) & term) == 0)
		return C_SEP;
	return in_cjk_range(c) ? C_CJK : C_WORD;
}

/* The first TERMS_MAX_INPUT bytes of in, NFKC case folded, as UTF-8 in
 * a (valid: ICU writes it from well-formed UTF-16). */
static struct str
normalize(struct arena *a, struct str in)
{
	const UNormalizer2	*nfkc;
	UErrorCode		 st = U_ZERO_ERROR;
	UChar			*u, *v;
	char			*p;
	int32_t			 ulen = 0, vlen = 0, cap, plen = 0;
	int			 k;

	if (in.len > TERMS_MAX_INPUT) {
		/* Cut before a character, not inside it (up to 3 trail
		 * bytes; more is not UTF-8 and becomes U+FFFD anyway). */
		in.len = TERMS_MAX_INPUT;
		for (k = 0; k < 3 && U8_IS_TRAIL(in.p[in.len]); k++)
			in.len--;
	}
	nfkc = unorm2_getNFKCCasefoldInstance(&st);
	/* One UTF-16 unit per byte at most. */
	u = arena_alloc(a, (in.len + 1) * sizeof(*u));
	u_strFromUTF8WithSub(u, (int32_t)in.len + 1, &ulen, in.p,
	    (int32_t)in.len, 0xfffd, NULL, &st);
	/* NFKC may lengthen text (U+FDFA is 18 characters): try twice
	 * the length, then the length ICU asks for. */
	cap = 2 * ulen + 16;
	v = arena_alloc(a, (size_t)cap * sizeof(*v));
	vlen = unorm2_normalize(nfkc, u, ulen, v, cap, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		st = U_ZERO_ERROR;
		cap = vlen;
		v = arena_alloc(a, (size_t)cap * sizeof(*v));
		vlen = unorm2_normalize(nfkc, u, ulen, v, cap, &st);
	}
	/* At most 3 bytes a unit (a surrogate pair is 4 for 2). */
	cap = 3 * vlen + 1;
	p = arena_alloc(a, (size_t)cap);
	u_strToUTF8(p, cap, &plen, v, vlen, &st);
	/* Every call above does nothing after an earlier failure, so one
	 * check covers them all. */
	if (U_FAILURE(st))
		fatal("cannot normalize text: %s", u_errorName(st));
	return (struct str){ p, (size_t)plen };
}

/*
 * The next word or CJK run of s at or after *i, into *tok and *kind;
 * advances *i past it. Returns 0 when there is none. s is valid UTF-8
 * and shorter than 2 GiB (normalize()).
 */
static int
next_token(struct str s, int32_t *i, enum term_kind *kind, struct str *tok)
{
	int32_t		 n = (int32_t)s.len, start, j;
	UChar32		 c;
	enum cls	 k;

	do {
		if (*i >= n)
			return 0;
		start = *i;
		U8_NEXT(s.p, *i, n, c);
	} while ((k = cls_of(c)) == C_SEP);
	while (*i < n) {
		j = *i;
		U8_NEXT(s.p, j, n, c);
		if (cls_of(c) != k)
			break;
		*i = j;
	}
	*kind = k == C_CJK ? TERM_CJK : TERM_WORD;
	*tok = (struct str){ s.p + start, (size_t)(*i - start) };
	return 1;
}

/* w cut to TERMS_MAX_BYTES after its last whole character. */
static struct str
word_term(struct str w)
{
	if (w.len > TERMS_MAX_BYTES) {
		w.len = TERMS_MAX_BYTES;
		while (U8_IS_TRAIL(w.p[w.len]))
			w.len--;
	}
	return w;
}

static void
sink_add(struct sink *s, const char *p, int32_t len)
{
	if (s->v != NULL)
		s->v[s->n] = (struct str){ p, (size_t)len };
	s->n++;
}

/*
 * Every adjacent pair of a CJK run, and its last character alone: each
 * character of the run then starts a term (a pair, or the last one), so
 * a one-character query finds it by prefix (terms.h), at half the rows
 * of every character alone.
 */
static void
index_run(struct sink *s, struct str run)
{
	int32_t	n = (int32_t)run.len, prev = -1, cur = 0, next;

	while (cur < n) {
		next = cur;
		U8_FWD_1(run.p, next, n);
		if (prev >= 0)
			sink_add(s, run.p + prev, next - prev);
		if (next == n)
			sink_add(s, run.p + cur, next - cur);
		prev = cur;
		cur = next;
	}
}

static void
index_all(struct sink *s, struct str norm)
{
	enum term_kind	 kind;
	struct str	 tok, w;
	int32_t		 i = 0;

	while (next_token(norm, &i, &kind, &tok)) {
		if (kind == TERM_CJK) {
			index_run(s, tok);
			continue;
		}
		w = word_term(tok);
		sink_add(s, w.p, (int32_t)w.len);
	}
}

static int
term_cmp(const void *x, const void *y)
{
	const struct str	*a = x, *b = y;
	int			 c;

	c = memcmp(a->p, b->p, a->len < b->len ? a->len : b->len);
	if (c != 0)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

size_t
terms_index(struct arena *a, struct str text, struct str **out)
{
	struct str	norm = normalize(a, text);
	struct sink	s = { NULL, 0 };
	size_t		i, n;

	index_all(&s, norm);
	s.v = arena_alloc(a, xmul(s.n + 1, sizeof(*s.v)));
	s.n = 0;
	index_all(&s, norm);
	qsort(s.v, s.n, sizeof(*s.v), term_cmp);
	for (i = n = 0; i < s.n; i++)
		if (n == 0 || !str_eq(s.v[n - 1], s.v[i]))
			s.v[n++] = s.v[i];
	*out = s.v;
	return n;
}

static int
has_term(const struct str *v, size_t n, struct str t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (str_eq(v[i], t))
			return 1;
	return 0;
}

/*
 * The distinct bigrams of a CJK run into v (room for
 * TERMS_QUERY_BIGRAMS), or the run itself when it is one character.
 * Distinct, because the caller counts the bigrams a text holds against
 * nterms: "ははは" repeating はは could then never match.
 */
static size_t
query_run(struct str run, struct str *v)
{
	int32_t		 n = (int32_t)run.len, prev = -1, cur = 0, next;
	struct str	 t;
	size_t		 k = 0;

	while (cur < n && k < TERMS_QUERY_BIGRAMS) {
		next = cur;
		U8_FWD_1(run.p, next, n);
		if (prev >= 0) {
			t = (struct str){ run.p + prev, (size_t)(next - prev) };
			if (!has_term(v, k, t))
				v[k++] = t;
		}
		prev = cur;
		cur = next;
	}
	if (k == 0)
		v[k++] = run;
	return k;
}

static int
group_eq(const struct term_group *x, const struct term_group *y)
{
	size_t i;

	if (x->kind != y->kind || x->nterms != y->nterms)
		return 0;
	for (i = 0; i < x->nterms; i++)
		if (!str_eq(x->terms[i], y->terms[i]))
			return 0;
	return 1;
}

size_t
terms_query(struct arena *a, struct str q, struct term_group **out)
{
	struct str		 norm = normalize(a, q), tok;
	struct term_group	*g, *cur;
	size_t			 i, n = 0;
	int32_t			 pos = 0;

	g = arena_calloc(a, TERMS_QUERY_MAX, sizeof(*g));
	while (n < TERMS_QUERY_MAX &&
	    next_token(norm, &pos, &g[n].kind, &tok)) {
		cur = &g[n];
		if (cur->kind == TERM_WORD) {
			cur->terms = arena_alloc(a, sizeof(*cur->terms));
			cur->terms[0] = word_term(tok);
			cur->nterms = 1;
		} else {
			cur->terms = arena_alloc(a, TERMS_QUERY_BIGRAMS *
			    sizeof(*cur->terms));
			cur->nterms = query_run(tok, cur->terms);
		}
		for (i = 0; i < n; i++)
			if (group_eq(&g[i], cur))
				break;
		if (i == n)
			n++;
	}
	*out = g;
	return n;
}
