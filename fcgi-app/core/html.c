/* html.c: HTML escaping (see html.h). */
#include "core/common.h"
#include "core/html.h"
#include "core/strbuf.h"

/*
 * Nonzero for the bytes that need an entity. A table lookup per byte
 * keeps the scan branch-light; runs of plain bytes are copied at once,
 * so text without specials costs one scan and one memcpy.
 */
static const unsigned char html_special[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};
/* Element content: quotes end nothing there. */
static const unsigned char text_special[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1,
};

static void
escape(struct strbuf *sb, const char *p, size_t n,
    const unsigned char *special)
{
	const unsigned char	*s = (const unsigned char *)p;
	size_t			 i = 0, run;

	while (i < n) {
		run = i;
		while (run < n && !special[s[run]])
			run++;
		strbuf_add(sb, s + i, run - i);
		if (run == n)
			break;
		switch (s[run]) {
		case '&':
			strbuf_add(sb, "&amp;", 5);
			break;
		case '<':
			strbuf_add(sb, "&lt;", 4);
			break;
		case '>':
			strbuf_add(sb, "&gt;", 4);
			break;
		case '"':
			strbuf_add(sb, "&quot;", 6);
			break;
		default:	/* '\'' */
			strbuf_add(sb, "&#39;", 5);
			break;
		}
		i = run + 1;
	}
}

void
html_escape(struct strbuf *sb, const char *p, size_t n)
{
	escape(sb, p, n, html_special);
}

void
html_escape_text(struct strbuf *sb, const char *p, size_t n)
{
	escape(sb, p, n, text_special);
}

void
html_escape_str(struct strbuf *sb, const char *s)
{
	if (s != NULL)
		html_escape(sb, s, strlen(s));
}
