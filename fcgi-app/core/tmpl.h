/*
 * tmpl.h: the template engine, a logic-less Mustache subset.
 *
 * A template renders a json-c view model into a strbuf. Tags:
 *
 *   {{name}}          the value, HTML-escaped (html.h). Strings as they
 *                     are, integers in decimal, doubles with %.15g,
 *                     booleans as true/false; null, objects, arrays and
 *                     missing names print nothing.
 *   {{a.b.c}}         dotted names: a is looked up through the context
 *                     stack, b and c only inside what a gave.
 *                     A name missing from the current context is
 *                     looked up in the outer ones, so a recursive
 *                     partial's leaves need explicit empty values.
 *   {{.}}             the current context (the element of a section).
 *   {{{name}}}        the value unescaped: only for HTML the code produced
 *                     itself; the handler says why in a comment.
 *   {{#name}}..{{/name}}
 *                     section. Skipped for missing, null, false, 0, "",
 *                     []; repeated for each element of a non-empty array
 *                     with the element pushed on the context stack;
 *                     rendered once with the value pushed otherwise
 *                     (objects, true, other numbers and strings).
 *   {{^name}}..{{/name}}
 *                     inverted section: rendered once exactly when the
 *                     section would be skipped.
 *   {{> name}}        partial: another template of the same set, rendered
 *                     with the current context stack.
 *   {{! text}}        comment.
 *   {{_ Some text}}   gettext("Some text"), HTML-escaped. The msgid is the
 *                     text after "_" up to "}}", trimmed of white space;
 *                     tests/tmpl-strings.py extracts the same msgids for
 *                     the .pot. No formatting: handlers put formatted
 *                     translated strings into the model.
 *
 * Names are made of [A-Za-z0-9_-] segments joined by '.'; partial names
 * may also hold '/'. White space inside the braces is allowed
 * ({{ name }}, {{# name }}). Text between tags, white space and new
 * lines included, is copied verbatim (no Mustache "standalone line"
 * trimming). Delimiter changes and {{&name}} are not supported.
 *
 * Templates are parsed once into an instruction list: text runs point
 * into a copy of the source, dotted names are split at parse time, each
 * section knows where it ends and partials are resolved to template
 * indices when the set is complete. Rendering allocates nothing but the
 * growth of the output strbuf.
 *
 * Limits: sections nest at most TMPL_MAX_NEST deep in one template
 * (deeper is a parse error), partials at most TMPL_MAX_PARTIAL_DEPTH
 * deep at render time, and one render executes at most TMPL_MAX_STEPS
 * instructions and writes at most TMPL_MAX_OUTPUT bytes; past a render
 * limit it stops and returns -1.
 *
 * Ownership: a struct tmpl_set owns everything it parsed (one arena);
 * it is the worker's, built at start or on first use, never per
 * request, and released with tmpl_set_free(). A set is not modified by
 * rendering, so const sets may be shared freely within a process.
 */
#ifndef SOUK_TMPL_H
#define SOUK_TMPL_H

#include <stddef.h>
#include <json.h>

struct strbuf;
struct tmpl_set;

#define TMPL_MAX_NEST		32
#define TMPL_MAX_PARTIAL_DEPTH	16
#ifndef TMPL_MAX_STEPS
#define TMPL_MAX_STEPS		(4 * 1000 * 1000)
#endif
#ifndef TMPL_MAX_OUTPUT
#define TMPL_MAX_OUTPUT		((size_t)64 * 1024 * 1024)
#endif
/* Files larger than this are refused by tmpl_set_load(). */
#define TMPL_MAX_FILE		((size_t)1024 * 1024)

/* An empty set; free it with tmpl_set_free(). */
struct tmpl_set	*tmpl_set_new(void);

/*
 * Loads every *.html file under dir (subfolders included, hidden
 * entries skipped) into a new set. A template's name is its path
 * relative to dir without ".html": "product", "admin/product_edit".
 * Every partial must name a template of the set.
 *
 * Returns 0 and sets *out (the caller frees it with tmpl_set_free()),
 * or -1 with *out NULL and the reason in err ("path:line: message" for
 * parse errors), truncated to errlen.
 */
int	tmpl_set_load(struct tmpl_set **out, const char *dir, char *err,
	    size_t errlen);

/*
 * tmpl_set_load() of a theme that builds on another: every template of
 * dir, then those of base (NULL: none) that dir does not have. A theme
 * so changes the pages it has and shares the rest.
 */
int	tmpl_set_load_over(struct tmpl_set **out, const char *dir,
	    const char *base, char *err, size_t errlen);

/*
 * Parses the len bytes at src as template name and adds it to set. The
 * source is copied; name too. Partials are resolved against every
 * template of the set after each addition, so templates may be added in
 * any order; a partial whose template is never added renders nothing.
 *
 * Returns 0, or -1 with the reason in err ("name:line: message") when
 * the source does not parse or the name is already in the set; the set
 * is then unchanged.
 */
int	tmpl_parse_string(struct tmpl_set *set, const char *name,
	    const char *src, size_t len, char *err, size_t errlen);

/* Nonzero when set holds a template called name. */
int	tmpl_exists(const struct tmpl_set *set, const char *name);

/*
 * Renders template name with model as the root context, appending to
 * out (which the caller owns and typically reuses across requests).
 * model may be NULL and is not modified or retained.
 *
 * Returns 0, or -1 when there is no such template (nothing appended) or
 * a render limit was hit (out then holds a truncated page: do not send
 * it).
 */
int	tmpl_render(const struct tmpl_set *set, const char *name,
	    json_object *model, struct strbuf *out);

/* Frees set and all it owns; NULL is allowed. */
void	tmpl_set_free(struct tmpl_set *set);

#endif
