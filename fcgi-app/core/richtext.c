/*
 * richtext.c: a merchant's HTML sanitised against an allow-list (see
 * richtext.h).
 *
 * libxml2 builds the tree; souk walks it and writes what it keeps. The
 * walk enforces a content model simple enough that the parser reads
 * the output back as the same tree, which is what makes the sanitiser
 * idempotent: block containers (the top level, blockquote) hold only
 * blocks, inline runs in them get a <p>; lists hold only <li>, other
 * runs get an <li>; p, h2-h4 and inline elements hold only inline
 * content, blocks inside them are unwrapped.
 *
 * Two depths: the output's (an element that would nest deeper than
 * RICHTEXT_MAX_DEPTH is unwrapped) and the recursion's over the input
 * (MAX_WALK; below it the rest is read as flat text without
 * recursion), so 10,000 nested tags neither blow the stack nor change
 * the result of a second pass.
 */
#include "core/common.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "core/arena.h"
#include "core/html.h"
#include "core/richtext.h"
#include "core/strbuf.h"

/* Input elements nested deeper than this are read as flat text. */
#define MAX_WALK	256

enum kind {
	K_OTHER = 0,	/* unwrapped: its content stays */
	K_DROP,		/* dropped with its content */
	K_INLINE,	/* strong b em i u s */
	K_A,
	K_BR,
	K_PARA,		/* p h2 h3 h4 */
	K_QUOTE,
	K_LIST,		/* ul ol */
	K_LI
};

/* What a container accepts. */
enum ctx {
	C_BLOCK,	/* top level, blockquote: blocks; runs get a <p> */
	C_LIST,		/* ul, ol: li; runs get an <li> */
	C_ITEM,		/* li: inline content and lists */
	C_INLINE	/* p, h2-h4, inline elements: inline content */
};

static const struct {
	const char	*name;
	enum kind	 kind;
} kinds[] = {
	{ "a", K_A }, { "b", K_INLINE }, { "blockquote", K_QUOTE },
	{ "br", K_BR }, { "em", K_INLINE }, { "h2", K_PARA },
	{ "h3", K_PARA }, { "h4", K_PARA }, { "i", K_INLINE },
	{ "li", K_LI }, { "ol", K_LIST }, { "p", K_PARA },
	{ "s", K_INLINE }, { "strong", K_INLINE }, { "u", K_INLINE },
	{ "ul", K_LIST },
	/* Dropped with their content: code, foreign content (svg, math)
	 * and what is not text. */
	{ "applet", K_DROP }, { "audio", K_DROP }, { "base", K_DROP },
	{ "button", K_DROP }, { "canvas", K_DROP }, { "embed", K_DROP },
	{ "form", K_DROP }, { "frame", K_DROP }, { "frameset", K_DROP },
	{ "head", K_DROP }, { "iframe", K_DROP }, { "input", K_DROP },
	{ "link", K_DROP }, { "map", K_DROP }, { "math", K_DROP },
	{ "meta", K_DROP }, { "noembed", K_DROP }, { "noframes", K_DROP },
	{ "noscript", K_DROP }, { "object", K_DROP }, { "option", K_DROP },
	{ "param", K_DROP }, { "plaintext", K_DROP }, { "script", K_DROP },
	{ "select", K_DROP }, { "source", K_DROP }, { "style", K_DROP },
	{ "svg", K_DROP }, { "template", K_DROP }, { "textarea", K_DROP },
	{ "title", K_DROP }, { "track", K_DROP }, { "video", K_DROP },
	{ "xmp", K_DROP },
};

struct rt {
	struct arena	*a;		/* the hrefs kept */
	struct strbuf	 html, text;
	const char	*wrap;		/* the open implied p or li, or NULL */
	int		 space;		/* html ends in a space of this run */
	int		 after_br;	/* nothing but a <br> since the tag */
	int		 sep;		/* text: 1 line break, 2 blank line */
};

static void	walk(struct rt *, xmlNode *, enum ctx, int, int, int);

static enum kind
kind_of(const xmlNode *n)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp((const char *)n->name, kinds[i].name) == 0)
			return kinds[i].kind;
	return K_OTHER;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A tag ends the run of text: whitespace after it counts again. */
static void
tag(struct rt *rt, const char *s)
{
	strbuf_addstr(&rt->html, s);
	rt->space = 0;
	rt->after_br = 0;
}

static void
text_sep(struct rt *rt, int k)
{
	if (k > rt->sep)
		rt->sep = k;
}

/* Appends to the plain text: whitespace runs are one space, none at
 * the start of a line, blocks apart by a blank line. */
static void
text_add(struct rt *rt, const char *p, size_t n)
{
	struct strbuf	*t = &rt->text;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (is_space((unsigned char)p[i])) {
			if (t->len && t->buf[t->len - 1] != ' ' &&
			    t->buf[t->len - 1] != '\n' && rt->sep == 0)
				strbuf_addch(t, ' ');
			continue;
		}
		if (rt->sep) {
			while (t->len && t->buf[t->len - 1] == ' ')
				strbuf_setlen(t, t->len - 1);
			if (t->len)
				strbuf_addstr(t, rt->sep == 2 ? "\n\n" : "\n");
			rt->sep = 0;
		}
		strbuf_addch(t, p[i]);
	}
}

static int
all_space(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_space((unsigned char)p[i]))
			return 0;
	return 1;
}

static void
wrap_close(struct rt *rt)
{
	if (rt->wrap == NULL)
		return;
	tag(rt, rt->wrap[0] == 'p' ? "</p>" : "</li>");
	text_sep(rt, rt->wrap[0] == 'p' ? 2 : 1);
	rt->wrap = NULL;
}

/* Inline content is about to go into a container of ctx: a block
 * container or a list needs the implied p or li open. */
static void
wrap_open(struct rt *rt, enum ctx ctx)
{
	if ((ctx != C_BLOCK && ctx != C_LIST) || rt->wrap != NULL)
		return;
	rt->wrap = ctx == C_BLOCK ? "p" : "li";
	text_sep(rt, ctx == C_BLOCK ? 2 : 1);
	tag(rt, ctx == C_BLOCK ? "<p>" : "<li>");
}

/* Text of a text node: escaped, whitespace runs one space. Whitespace
 * alone between blocks is dropped (the parser drops some of it: the
 * output must read back the same), and so is whitespace after a <br>. */
static void
emit_text(struct rt *rt, const char *p, size_t n, enum ctx ctx)
{
	size_t i, start;

	if (all_space(p, n) &&
	    (rt->after_br || ((ctx == C_BLOCK || ctx == C_LIST) &&
	    rt->wrap == NULL)))
		return;
	wrap_open(rt, ctx);
	text_add(rt, p, n);
	for (i = 0; i < n; ) {
		if (is_space((unsigned char)p[i])) {
			if (!rt->space && !rt->after_br)
				strbuf_addch(&rt->html, ' ');
			rt->space = !rt->after_br;
			i++;
			continue;
		}
		start = i;
		while (i < n && !is_space((unsigned char)p[i]))
			i++;
		html_escape_text(&rt->html, p + start, i - start);
		rt->space = 0;
		rt->after_br = 0;
	}
}

/* The rest of a subtree as text, without recursion (too deep). */
static void
flat(struct rt *rt, xmlNode *top, enum ctx ctx)
{
	xmlNode *n = top->children;

	while (n != NULL) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				emit_text(rt, (const char *)n->content,
				    strlen((const char *)n->content), ctx);
		} else if (n->type == XML_ELEMENT_NODE &&
		    kind_of(n) != K_DROP && n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != top && n->next == NULL)
			n = n->parent;
		if (n == top)
			break;
		n = n->next;
	}
}

/*
 * The href kept, trimmed, or NULL: http, https and mailto (any case),
 * or a path starting with one "/" ("//host" is another site, "/\" is
 * one to some browsers). libxml2 decoded the entities already, so
 * "&#106;avascript:" arrives as "javascript:" and fails here; control
 * characters and spaces inside a scheme fail as well.
 */
static const char *
href_of(struct arena *a, xmlNode *n, char **owned)
{
	xmlChar		*v = xmlGetNoNsProp(n, (const xmlChar *)"href");
	const char	*p;
	size_t		 len, i;

	*owned = (char *)v;
	if (v == NULL)
		return NULL;
	p = (const char *)v;
	while (is_space((unsigned char)*p))
		p++;
	len = strlen(p);
	while (len && is_space((unsigned char)p[len - 1]))
		len--;
	for (i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return NULL;
	if (len == 0)
		return NULL;
	if ((p[0] == '/' && (len == 1 || (p[1] != '/' && p[1] != '\\'))) ||
	    strncasecmp(p, "http://", 7) == 0 ||
	    strncasecmp(p, "https://", 8) == 0 ||
	    strncasecmp(p, "mailto:", 7) == 0)
		return arena_strndup(a, p, len);
	return NULL;
}

/* An element kept: its tags around its content, walked as inner. */
static void
keep(struct rt *rt, xmlNode *n, const char *name, const char *href,
    enum ctx inner, int depth, int odepth, int in_a)
{
	const char *outer;

	strbuf_addch(&rt->html, '<');
	strbuf_addstr(&rt->html, name);
	if (href != NULL) {
		strbuf_addstr(&rt->html, " href=\"");
		html_escape_str(&rt->html, href);
		strbuf_addstr(&rt->html, "\" rel=\"nofollow noopener\"");
	}
	tag(rt, ">");
	/* An implied p or li opened inside is this element's: the one
	 * around it stays open. */
	outer = rt->wrap;
	rt->wrap = NULL;
	walk(rt, n, inner, depth + 1, odepth + 1, in_a);
	wrap_close(rt);
	rt->wrap = outer;
	strbuf_addstr(&rt->html, "</");
	strbuf_addstr(&rt->html, name);
	tag(rt, ">");
}

static void
element(struct rt *rt, xmlNode *n, enum ctx ctx,
    int depth, int odepth, int in_a)
{
	enum kind	 k = kind_of(n);
	const char	*name = (const char *)n->name, *href = NULL;
	char		*owned = NULL;
	/* Room for this element, and for the implied p or li inside a
	 * block container or a list, below the limit. */
	int		 room = odepth + 1 < RICHTEXT_MAX_DEPTH;
	int		 room2 = odepth + 2 < RICHTEXT_MAX_DEPTH;

	switch (k) {
	case K_DROP:
		return;
	case K_BR:
		if (ctx == C_LIST && !room2)
			return;
		wrap_open(rt, ctx);
		tag(rt, "<br>");
		rt->after_br = 1;
		text_sep(rt, 1);
		return;
	case K_A:
		if (!in_a)
			href = href_of(rt->a, n, &owned);
		xmlFree(owned);
		if (href == NULL)
			break;
		/* FALLTHROUGH */
	case K_INLINE:
		if (ctx == C_BLOCK || ctx == C_LIST) {
			if (!room2)
				break;
			wrap_open(rt, ctx);
			odepth++;
		} else if (!room)
			break;
		keep(rt, n, name, href, C_INLINE, depth, odepth,
		    in_a || k == K_A);
		return;
	case K_PARA:
		if (ctx != C_BLOCK || !room)
			break;
		wrap_close(rt);
		text_sep(rt, 2);
		keep(rt, n, name, NULL, C_INLINE, depth, odepth, in_a);
		text_sep(rt, 2);
		return;
	case K_QUOTE:
		if (ctx != C_BLOCK || !room2)
			break;
		wrap_close(rt);
		text_sep(rt, 2);
		keep(rt, n, name, NULL, C_BLOCK, depth, odepth, in_a);
		text_sep(rt, 2);
		return;
	case K_LIST:
		if (ctx == C_INLINE)
			break;
		if (ctx == C_LIST) {
			/* A list straight in a list goes into an li. */
			if (odepth + 3 >= RICHTEXT_MAX_DEPTH)
				break;
			wrap_open(rt, ctx);
			odepth++;
		} else if (!room2)
			break;
		else
			wrap_close(rt);
		text_sep(rt, ctx == C_BLOCK ? 2 : 1);
		keep(rt, n, name, NULL, C_LIST, depth, odepth, in_a);
		text_sep(rt, ctx == C_BLOCK ? 2 : 1);
		return;
	case K_LI:
		if (ctx != C_LIST || !room)
			break;
		wrap_close(rt);
		text_sep(rt, 1);
		keep(rt, n, name, NULL, C_ITEM, depth, odepth, in_a);
		text_sep(rt, 1);
		return;
	case K_OTHER:
		break;
	}
	/* Unwrapped: the content goes where the element was. */
	walk(rt, n, ctx, depth + 1, odepth, in_a);
}

static void
walk(struct rt *rt, xmlNode *parent, enum ctx ctx, int depth, int odepth,
    int in_a)
{
	xmlNode *n;

	if (depth >= MAX_WALK) {
		flat(rt, parent, ctx);
		return;
	}
	for (n = parent->children; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content != NULL)
				emit_text(rt, (const char *)n->content,
				    strlen((const char *)n->content), ctx);
		} else if (n->type == XML_ELEMENT_NODE)
			element(rt, n, ctx, depth, odepth, in_a);
	}
}

int
richtext_is_html(struct str s)
{
	return s.len > 0 && memchr(s.p, '<', s.len) != NULL;
}

int
richtext_sanitize(struct arena *a, const char *p, size_t n,
    struct richtext *out)
{
	struct str	 in = { p, n };
	/* libxml2 builds its tree on the heap anyway; the two buffers are
	 * freed here and the results copied to a once. */
	struct rt	 rt = { a, STRBUF_INIT, STRBUF_INIT, NULL, 0, 0, 0 };
	htmlDocPtr	 doc;

	out->html = STR("");
	out->text = STR("");
	if (!str_valid_text(in) || str_chars(in) > RICHTEXT_MAX_CHARS)
		return -1;
	if (n == 0)
		return 0;
	/* XML_PARSE_HUGE lifts the HTML parser's depth limit (256), past
	 * which it stops and loses the rest; the input is bounded above,
	 * and the walk bounds its own recursion. */
	doc = htmlReadMemory(p, (int)n, NULL, "UTF-8", HTML_PARSE_NONET |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | XML_PARSE_HUGE);
	if (doc == NULL)
		return 0;
	walk(&rt, (xmlNode *)doc, C_BLOCK, 0, 0, 0);
	wrap_close(&rt);
	xmlFreeDoc(doc);
	out->html = arena_str(a, strbuf_str(&rt.html));
	while (rt.text.len && rt.text.buf[rt.text.len - 1] == ' ')
		strbuf_setlen(&rt.text, rt.text.len - 1);
	out->text = arena_str(a, strbuf_str(&rt.text));
	strbuf_release(&rt.html);
	strbuf_release(&rt.text);
	return 0;
}
