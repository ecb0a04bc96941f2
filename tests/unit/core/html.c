/* tests/unit/core/html.c: HTML escaping. */
#include "core/common.h"
#include "core/html.h"
#include "core/strbuf.h"

#include "test.h"

static const char *
esc(struct strbuf *sb, const char *s, size_t n)
{
	strbuf_reset(sb);
	html_escape(sb, s, n);
	return sb->buf;
}

#define ESC(sb, lit)	esc((sb), (lit), sizeof(lit) - 1)

int
main(void)
{
	struct strbuf	sb = STRBUF_INIT;
	char		big[10000];
	size_t		i;

	TEST_STREQ(ESC(&sb, ""), "");
	TEST_STREQ(ESC(&sb, "plain text"), "plain text");
	TEST_STREQ(ESC(&sb, "&"), "&amp;");
	TEST_STREQ(ESC(&sb, "<"), "&lt;");
	TEST_STREQ(ESC(&sb, ">"), "&gt;");
	TEST_STREQ(ESC(&sb, "\""), "&quot;");
	TEST_STREQ(ESC(&sb, "'"), "&#39;");
	TEST_STREQ(ESC(&sb, "<a href=\"x\" title='y'>&amp;</a>"),
	    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
	TEST_STREQ(ESC(&sb, "&&&"), "&amp;&amp;&amp;");
	TEST_STREQ(ESC(&sb, "a<b"), "a&lt;b");
	/* UTF-8 and other punctuation pass unchanged */
	TEST_STREQ(ESC(&sb, "Gr\xc3\xbc\xc3\x9f" "e `=/;"),
	    "Gr\xc3\xbc\xc3\x9f" "e `=/;");

	/* only n bytes are read, a NUL inside is copied */
	strbuf_reset(&sb);
	html_escape(&sb, "a\0<b", 4);
	TEST_CHECK(sb.len == 7 && memcmp(sb.buf, "a\0&lt;b", 7) == 0);
	strbuf_reset(&sb);
	html_escape(&sb, "<<<<", 2);
	TEST_STREQ(sb.buf, "&lt;&lt;");

	/* element content: quotes stay */
	strbuf_reset(&sb);
	html_escape_text(&sb, "<a href=\"x\">'&'</a>",
	    strlen("<a href=\"x\">'&'</a>"));
	TEST_STREQ(sb.buf, "&lt;a href=\"x\"&gt;'&amp;'&lt;/a&gt;");

	/* appends, does not reset */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "x=");
	html_escape_str(&sb, "'1'");
	TEST_STREQ(sb.buf, "x=&#39;1&#39;");
	html_escape_str(&sb, NULL);
	TEST_STREQ(sb.buf, "x=&#39;1&#39;");

	/* every byte value: only the five change */
	for (i = 1; i < 256; i++) {
		char c = (char)i;

		esc(&sb, &c, 1);
		if (strchr("&<>\"'", c) != NULL)
			TEST_CHECK(sb.len > 1 && sb.buf[0] == '&');
		else
			TEST_CHECK(sb.len == 1 && sb.buf[0] == c);
	}

	/* a long run with a special at the very end */
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '>';
	esc(&sb, big, sizeof(big));
	TEST_CHECK(sb.len == sizeof(big) - 1 + 4);
	TEST_CHECK(strcmp(sb.buf + sb.len - 5, "x&gt;") == 0);

	strbuf_release(&sb);
	return test_done();
}
