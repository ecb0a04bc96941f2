/*
 * libFuzzer target: richtext_sanitize() (core/richtext.c), the
 * sanitiser of a merchant's HTML descriptions.
 *
 * Checked: it never crashes (ASan, UBSan); input it refuses is not
 * valid text or too long, and leaves both results empty; accepted
 * input gives HTML that is valid text, sanitises to itself
 * (idempotence) with the same plain text, and holds no '<' but
 * those of the tags the allow-list writes.
 */
#include "core/common.h"

#include "core/arena.c"
#include "core/html.c"
#include "core/richtext.c"
#include "core/str.c"
#include "core/strbuf.c"
#include "core/xalloc.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every '<' in html opens one of the tags richtext.c writes. */
static int
tags_allowed(struct str h)
{
	static const char *const ok[] = {
		"<p>", "</p>", "<br>", "<strong>", "</strong>", "<b>", "</b>",
		"<em>", "</em>", "<i>", "</i>", "<u>", "</u>", "<s>", "</s>",
		"<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>", "<h2>",
		"</h2>", "<h3>", "</h3>", "<h4>", "</h4>", "<blockquote>",
		"</blockquote>", "<a href=\"", "</a>",
	};
	size_t i, j;

	for (i = 0; i < h.len; i++) {
		if (h.p[i] != '<')
			continue;
		for (j = 0; j < sizeof(ok) / sizeof(ok[0]); j++)
			if (strncmp(h.p + i, ok[j], strlen(ok[j])) == 0)
				break;
		if (j == sizeof(ok) / sizeof(ok[0]))
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	 a;
	static int		 init;
	struct richtext		 r, again;
	struct str		 in = { (const char *)data, size };

	if (!init) {
		arena_init(&a);
		init = 1;
	}
	if (richtext_sanitize(&a, in.p, in.len, &r) == -1) {
		if ((str_valid_text(in) &&
		    str_chars(in) <= RICHTEXT_MAX_CHARS) ||
		    r.html.len != 0 || r.text.len != 0)
			abort();
		arena_reset(&a);
		return 0;
	}
	if (!str_valid_text(r.html) || !str_valid_text(r.text) ||
	    !tags_allowed(r.html))
		abort();
	if (richtext_sanitize(&a, r.html.p, r.html.len, &again) == -1)
		abort();
	if (!str_eq(again.html, r.html) || !str_eq(again.text, r.text)) {
		fprintf(stderr, "in:    %.*s\nonce:  %s\ntwice: %s\n"
		    "text1: %s\ntext2: %s\n", (int)size, (const char *)data,
		    r.html.p, again.html.p, r.text.p, again.text.p);
		abort();
	}
	arena_reset(&a);
	return 0;
}
