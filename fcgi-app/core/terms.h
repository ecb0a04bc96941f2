/*
 * terms.h: text cut into the terms of souk's search index (the
 * search_terms table).
 *
 * A product's text (its name and description in one language) and a
 * shopper's query are cut the same way, so a query finds what the text
 * wrote however either was typed:
 * - the text is NFKC case folded (ICU): "ＣＡＦÉ" is "café", "Straße"
 *   is "strasse", half-width ｶﾅ is カナ; bytes that are not UTF-8 become
 *   U+FFFD, which separates words;
 * - a word is a run of letters, numbers and combining marks; anything
 *   else separates;
 * - Han and kana are written without spaces, so a run of them (a CJK
 *   run) gives each adjacent pair (bigram) and its last character
 *   alone: every character then starts a term, so "抹茶" finds
 *   "抹茶ラテ" by its pair and "茶" finds it by prefix (茶ラ). A CJK
 *   run ends a word and a word ends a run: "抹茶latte" is 抹茶 and latte;
 * - a term is at most TERMS_MAX_BYTES of UTF-8: a longer word is cut
 *   after the last whole character that fits, in the text and in the
 *   query alike (the query's word still finds the text's by prefix).
 * Only the first TERMS_MAX_INPUT bytes of a text are read.
 *
 * Terms are views into the normalised text, not NUL-terminated, each
 * non-empty valid UTF-8. They and the arrays that hold them live in the
 * arena the caller passes. Any bytes give terms (or none); only ICU
 * failing (its data missing, memory out) is fatal().
 */
#ifndef SOUK_TERMS_H
#define SOUK_TERMS_H

#include <stddef.h>
#include "core/str.h"

struct arena;

/* The longest term, in bytes: search_terms.term is VARBINARY(64). */
#define TERMS_MAX_BYTES		64
/* Bytes read of a text: more than a name and a description (TEXT,
 * 65,535 bytes) hold; the rest is ignored. A bound on work, not a rule
 * a merchant meets. */
#define TERMS_MAX_INPUT		(128 * 1024)
/* Groups of a query; further ones are dropped. */
#define TERMS_QUERY_MAX		8
/* Bigrams of a query's CJK group; the caller requires all of them, and
 * the first few already pin a phrase down. */
#define TERMS_QUERY_BIGRAMS	8

/*
 * The terms of text, to index it: sorted in memcmp() order (a shorter
 * term before the longer ones it starts), without duplicates. Sets
 * *out to an array of them in a (not NULL, even when empty) and
 * returns how many there are.
 */
size_t	terms_index(struct arena *a, struct str text, struct str **out);

enum term_kind {
	TERM_WORD,	/* matched by prefix: term >= w and term < w + 1 */
	TERM_CJK	/* matched by holding every term of the group; a
			 * group of one character, by prefix */
};

struct term_group {
	enum term_kind	 kind;
	/*
	 * WORD: exactly one term, the word. CJK: the run's bigrams in
	 * the order typed, without repeats, at most TERMS_QUERY_BIGRAMS;
	 * or, for a run of one character, that character.
	 */
	struct str	*terms;
	size_t		 nterms;
};

/*
 * The groups of query q, one a word or a CJK run, in the order typed,
 * for the caller to require each (shop/search.h). A group equal to an earlier one (same
 * kind, same terms) is left out; after TERMS_QUERY_MAX groups the rest
 * of q is ignored. Sets *out to the array of groups in a (not NULL,
 * even when empty) and returns how many there are.
 */
size_t	terms_query(struct arena *a, struct str q, struct term_group **out);

#endif
