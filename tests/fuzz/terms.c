/*
 * libFuzzer target: terms_index() and terms_query() (core/terms.c),
 * the tokenizer of the search index, on any bytes.
 *
 * Checked: no crash (ASan, UBSan); every term is non-empty, at most
 * TERMS_MAX_BYTES, valid UTF-8 and lies inside the arena's copy (not
 * the input); the index is sorted in memcmp order without duplicates;
 * a query has at most TERMS_QUERY_MAX groups, no two equal, a word
 * group one term, a CJK group 1 to TERMS_QUERY_BIGRAMS distinct terms;
 * and every term of the query is one the index of the same text holds
 * (a query finds the text it was typed from).
 */
#include "core/common.h"

#include "core/arena.c"
/* NEEDSWORK: log.c's static log_vmsg() lacks format(printf, 2, 0), which
 * clang's -Wformat-nonliteral wants; drop this once log.c has it. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#include "core/log.c"
#pragma clang diagnostic pop
#include "core/str.c"
#include "core/terms.c"
#include "core/xalloc.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
term_ok(struct str t, const uint8_t *data, size_t size)
{
	return t.len > 0 && t.len <= TERMS_MAX_BYTES && str_valid_utf8(t) &&
	    (size == 0 || (const uint8_t *)t.p + t.len <= data ||
	    (const uint8_t *)t.p >= data + size);
}

static int
indexed(const struct str *v, size_t n, struct str t)
{
	return bsearch(&t, v, n, sizeof(*v), term_cmp) != NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	 a;
	static int		 init;
	struct str		 in = { (const char *)data, size }, *v;
	struct term_group	*g;
	size_t			 i, j, k, n, ng;

	if (!init) {
		arena_init(&a);
		init = 1;
	}
	n = terms_index(&a, in, &v);
	for (i = 0; i < n; i++)
		if (!term_ok(v[i], data, size) ||
		    (i > 0 && term_cmp(&v[i - 1], &v[i]) >= 0))
			abort();
	ng = terms_query(&a, in, &g);
	if (ng > TERMS_QUERY_MAX)
		abort();
	for (i = 0; i < ng; i++) {
		if (g[i].nterms < 1 || (g[i].kind == TERM_WORD ?
		    g[i].nterms != 1 : g[i].nterms > TERMS_QUERY_BIGRAMS))
			abort();
		for (j = 0; j < g[i].nterms; j++) {
			if (!term_ok(g[i].terms[j], data, size) ||
			    has_term(g[i].terms, j, g[i].terms[j]))
				abort();
			if (!indexed(v, n, g[i].terms[j]))
				abort();
		}
		for (k = 0; k < i; k++)
			if (group_eq(&g[k], &g[i]))
				abort();
	}
	arena_reset(&a);
	return 0;
}
