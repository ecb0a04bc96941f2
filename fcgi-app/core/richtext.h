/*
 * richtext.h: a merchant's HTML sanitised against an allow-list.
 *
 * Descriptions are written in a small subset of HTML. The input is
 * parsed by libxml2's HTML parser (no network, no error output, UTF-8)
 * and only this survives, serialised by souk (every text and attribute
 * through core/html.h, never libxml2's serialiser; text escapes & < >
 * only, so quotes stay readable when the merchant edits it again):
 *   p br strong b em i u s ul ol li h2 h3 h4 blockquote, and a with an
 *   href of http:, https:, mailto: or a path starting with one "/";
 *   each kept a gets rel="nofollow noopener". No other attribute.
 * script, style, iframe, object, embed, svg, math, template, noscript,
 * form and the like go with their content (K_DROP in the table of
 * richtext.c); every other element is unwrapped: its text stays.
 *
 * Invariants (the unit test and the fuzz target check them):
 * - idempotent: sanitising the output gives the output;
 * - the output is a fixed shape the parser reads back the same: inline
 *   content at the top level or in a blockquote is wrapped in p, a list
 *   holds only li, p/h2-h4/inline elements hold only inline content,
 *   whitespace runs are one space, nesting is at most RICHTEXT_MAX_DEPTH
 *   (deeper content is kept as text);
 * - the plain text has no markup: blocks are separated by a blank line,
 *   list items and br by a line break (for search, cards, meta tags).
 *
 * Everything returned lives in the arena the caller passes.
 */
#ifndef SOUK_RICHTEXT_H
#define SOUK_RICHTEXT_H

#include "core/str.h"

struct arena;

/* The longest input, in characters (tags included): what a person
 * reads in the message. */
#define RICHTEXT_MAX_CHARS	65536
/* Elements nested deeper than this are unwrapped to their text. */
#define RICHTEXT_MAX_DEPTH	24

struct richtext {
	struct str	 html;	/* sanitised HTML, "" when nothing is left */
	struct str	 text;	/* its plain text */
};

/*
 * Sanitises the n bytes at p into out (both strings NUL-terminated, in
 * a). Returns 0, or -1 when the input is not valid UTF-8 text (a NUL
 * or another control character other than tab and line breaks
 * included: str_valid_text()) or has more than RICHTEXT_MAX_CHARS
 * characters; out is then two empty strings.
 */
int	richtext_sanitize(struct arena *a, const char *p, size_t n,
	    struct richtext *out);

/* Nonzero when s has markup to sanitise (a '<'): text without any is
 * stored as plain text, its paragraphs separated by blank lines. */
int	richtext_is_html(struct str s);

#endif
