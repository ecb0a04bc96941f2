/* i18n.c: per-request language through C.UTF-8 + LANGUAGE, and
 * Accept-Language negotiation (see i18n.h for why). */
#include "core/common.h"
#include "core/i18n.h"

#include <locale.h>

/* glibc's catalog generation counter: gettext re-resolves a cached
 * translation whose generation is older. Exported since glibc 2.2.5 and
 * used by GNU gettext's own configure test for exactly this purpose. */
extern int _nl_msg_cat_cntr;

static const struct lang {
	const char	*code;
	const char	*icu;
} langs[] = {
	{ "en", "en_US" },	/* first: the source language */
	{ "de", "de_DE" },
	{ "fr", "fr_FR" },
	{ "es", "es_ES" },
	{ "ja", "ja_JP" },
};

static const char	*cur_lang = "en";

/* The table entry whose code is s (ASCII case-insensitive), or NULL. */
static const struct lang *
lang_find(struct str s)
{
	size_t i;

	for (i = 0; i < NELEM(langs); i++)
		if (str_casecmp_eq(s, str_c(langs[i].code)))
			return &langs[i];
	return NULL;
}

const char *
i18n_lang_at(size_t i)
{
	return i < NELEM(langs) ? langs[i].code : NULL;
}

int
i18n_supported(const char *lang)
{
	size_t i;

	if (lang == NULL)
		return 0;
	for (i = 0; i < NELEM(langs); i++)
		if (strcmp(lang, langs[i].code) == 0)
			return 1;
	return 0;
}

const char *
i18n_icu_locale(const char *lang)
{
	const struct lang *l = lang_find(str_c(lang));

	return l ? l->icu : langs[0].icu;
}

int
i18n_init(const char *locale_dir)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return -1;
	/* Whatever LANGUAGE the worker inherited must not leak into en. */
	unsetenv("LANGUAGE");
	cur_lang = "en";
	_nl_msg_cat_cntr++;
	if (bindtextdomain("souk", locale_dir) == NULL ||
	    bind_textdomain_codeset("souk", "UTF-8") == NULL ||
	    textdomain("souk") == NULL)
		return -1;
	return 0;
}

const char *
i18n_set_language(const char *lang)
{
	const struct lang	*l = lang_find(str_c(lang));
	const char		*code = l ? l->code : "en";

	if (code == cur_lang)
		return cur_lang;
	/*
	 * en is the msgids themselves: with LANGUAGE unset gettext finds
	 * no catalog for C.UTF-8 and returns them. setenv() keeps every
	 * value it ever set and reuses it, so five languages never leak.
	 */
	if (strcmp(code, "en") == 0)
		unsetenv("LANGUAGE");
	else
		setenv("LANGUAGE", code, 1);
	_nl_msg_cat_cntr++;
	cur_lang = code;
	return cur_lang;
}

const char *
i18n_language(void)
{
	return cur_lang;
}

/* One Accept-Language entry: a language range and its weight. */
struct accept {
	struct str	range;	/* "de-CH", "*" */
	int		q;	/* weight in thousandths, 0..1000 */
};

static struct str
trim_ows(struct str s)
{
	while (s.len > 0 && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t'))
		s.len--;
	return s;
}

/* The part of *s before the first sep (all of it when none); *s moves
 * past the separator. */
static struct str
split(struct str *s, char sep)
{
	struct str	 head = *s;
	const char	*q = s->len ? memchr(s->p, sep, s->len) : NULL;

	if (q == NULL) {
		*s = (struct str){ s->p + s->len, 0 };
		return head;
	}
	head.len = (size_t)(q - s->p);
	s->p = q + 1;
	s->len -= head.len + 1;
	return head;
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* RFC 4647 language-range: "*" or 1*8ALPHA *("-" 1*8alphanum). */
static int
range_valid(struct str r)
{
	size_t	i, run = 0;
	int	first = 1;

	if (r.len == 1 && r.p[0] == '*')
		return 1;
	for (i = 0; i < r.len; i++) {
		char c = r.p[i];

		if (c == '-') {
			if (run == 0)
				return 0;
			run = 0;
			first = 0;
			continue;
		}
		if (!is_alpha(c) && (first || c < '0' || c > '9'))
			return 0;
		if (++run > 8)
			return 0;
	}
	return run > 0;
}

/* RFC 9110 qvalue: "0" ["." 0*3DIGIT] or "1" ["." 0*3("0")], in
 * thousandths; -1 when malformed. */
static int
qvalue(struct str v)
{
	size_t	i;
	int	q, scale = 100;

	if (v.len == 0 || (v.p[0] != '0' && v.p[0] != '1'))
		return -1;
	q = (v.p[0] - '0') * 1000;
	if (v.len == 1)
		return q;
	if (v.p[1] != '.' || v.len > 5)
		return -1;
	for (i = 2; i < v.len; i++, scale /= 10) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return -1;
		q += (v.p[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/*
 * Splits an Accept-Language value into at most max entries, in header
 * order, and returns how many. Empty list elements are skipped;
 * malformed ones (bad range, bad q) are skipped but count towards max,
 * so a hostile header costs at most max elements of work past its
 * commas. Parameters other than q are ignored.
 */
static size_t
accept_parse(struct str h, struct accept *out, size_t max)
{
	size_t	n = 0, seen = 0;

	while (h.len > 0 && seen < max) {
		struct str	elem = trim_ows(split(&h, ','));
		struct str	range;
		int		q = 1000, bad = 0;

		if (elem.len == 0)
			continue;
		seen++;
		range = trim_ows(split(&elem, ';'));
		while (elem.len > 0) {
			struct str p = trim_ows(split(&elem, ';'));

			if (p.len >= 2 && (p.p[0] == 'q' || p.p[0] == 'Q') &&
			    p.p[1] == '=') {
				p.p += 2;
				p.len -= 2;
				if ((q = qvalue(p)) < 0)
					bad = 1;
			}
		}
		if (bad || !range_valid(range))
			continue;
		out[n].range = range;
		out[n].q = q;
		n++;
	}
	return n;
}

/* The language a range asks for by its primary subtag ("de-CH" → de),
 * or NULL for "*" and languages souk does not ship. */
static const struct lang *
range_lang(struct str r)
{
	struct str primary = split(&r, '-');

	return lang_find(primary);
}

static int
enabled_has(const struct lang *l, const char *const *enabled, size_t n)
{
	size_t i;

	if (l == NULL)
		return 0;
	if (enabled == NULL)
		return 1;
	for (i = 0; i < n; i++)
		if (enabled[i] != NULL &&
		    str_casecmp_eq(str_c(enabled[i]), str_c(l->code)))
			return 1;
	return 0;
}

/* Nonzero when some entry's range names l, whatever its weight. */
static int
named(const struct lang *l, const struct accept *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (range_lang(a[i].range) == l)
			return 1;
	return 0;
}

/* What "*" stands for: the fallback, else the first enabled language,
 * as long as the header does not name it. */
static const struct lang *
wildcard(const struct lang *fallback, const struct accept *a, size_t n,
    const char *const *enabled, size_t nenabled)
{
	size_t i;

	if (enabled_has(fallback, enabled, nenabled) &&
	    !named(fallback, a, n))
		return fallback;
	if (enabled == NULL) {
		for (i = 0; i < NELEM(langs); i++)
			if (!named(&langs[i], a, n))
				return &langs[i];
		return NULL;
	}
	for (i = 0; i < nenabled; i++) {
		const struct lang *l = lang_find(str_c(enabled[i]));

		if (l != NULL && !named(l, a, n))
			return l;
	}
	return NULL;
}

static const struct lang *
accept_best(const char *header, const struct lang *fallback,
    const char *const *enabled, size_t nenabled)
{
	struct accept		 a[I18N_ACCEPT_MAX];
	const struct lang	*best = NULL, *l;
	size_t			 n, i;
	int			 bestq = 0;

	if (header == NULL)
		return NULL;
	n = accept_parse(str_c(header), a, NELEM(a));
	for (i = 0; i < n; i++) {
		if (a[i].q <= bestq)
			continue;	/* q=0, or no better than best */
		if (a[i].range.len == 1 && a[i].range.p[0] == '*')
			l = wildcard(fallback, a, n, enabled, nenabled);
		else
			l = range_lang(a[i].range);
		if (!enabled_has(l, enabled, nenabled))
			continue;
		best = l;
		bestq = a[i].q;
	}
	return best;
}

const char *
i18n_negotiate(const char *url_lang, const char *cookie_lang,
    const char *accept_language, const char *const *enabled,
    size_t nenabled, const char *fallback)
{
	const struct lang	*l, *fb;
	size_t			 i;

	fb = lang_find(str_c(fallback));
	if (!enabled_has(fb, enabled, nenabled))
		fb = NULL;
	if (url_lang != NULL && enabled_has(l = lang_find(str_c(url_lang)),
	    enabled, nenabled))
		return l->code;
	if (cookie_lang != NULL && enabled_has(l =
	    lang_find(str_c(cookie_lang)), enabled, nenabled))
		return l->code;
	if ((l = accept_best(accept_language, fb, enabled, nenabled)) != NULL)
		return l->code;
	if (fb != NULL)
		return fb->code;
	for (i = 0; enabled != NULL && i < nenabled; i++)
		if ((l = lang_find(str_c(enabled[i]))) != NULL)
			return l->code;
	return langs[0].code;
}
