/* tests/unit/core/tmpl.c: the template engine. */
#include "core/common.h"

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "core/tmpl.h"

#include "test.h"

static struct strbuf	out = STRBUF_INIT;
static char		err[256];

/* Parses src as template "t" of a fresh set and renders it with the
 * model given as JSON text; returns the output, or "PARSE ERROR" /
 * "RENDER ERROR". */
static const char *
run(const char *src, const char *json)
{
	struct tmpl_set	*set = tmpl_set_new();
	json_object	*model = json ? json_tokener_parse(json) : NULL;
	int		 rc;

	if (json != NULL && model == NULL)
		fprintf(stderr, "bad test json: %s\n", json);
	strbuf_reset(&out);
	err[0] = '\0';
	if (tmpl_parse_string(set, "t", src, strlen(src), err,
	    sizeof(err)) == -1) {
		strbuf_addstr(&out, "PARSE ERROR");
		goto done;
	}
	rc = tmpl_render(set, "t", model, &out);
	if (rc == -1) {
		strbuf_reset(&out);
		strbuf_addstr(&out, "RENDER ERROR");
	}
done:
	json_object_put(model);
	tmpl_set_free(set);
	return out.buf;
}

/* Parses src and returns the error message ("" when it parses). */
static const char *
parse_err(const char *src)
{
	struct tmpl_set *set = tmpl_set_new();

	err[0] = '\0';
	if (tmpl_parse_string(set, "t", src, strlen(src), err,
	    sizeof(err)) == 0)
		err[0] = '\0';
	tmpl_set_free(set);
	return err;
}

static void		 add(struct tmpl_set *, const char *, const char *);
static const char	*render(struct tmpl_set *, const char *, const char *,
			    int *);

static void
test_values(void)
{
	TEST_STREQ(run("Hello {{name}}!", "{\"name\":\"World\"}"),
	    "Hello World!");
	TEST_STREQ(run("{{x}}", "{\"x\":\"&\"}"), "&amp;");
	TEST_STREQ(run("{{x}}", "{\"x\":\"<\"}"), "&lt;");
	TEST_STREQ(run("{{x}}", "{\"x\":\">\"}"), "&gt;");
	TEST_STREQ(run("{{x}}", "{\"x\":\"\\\"\"}"), "&quot;");
	TEST_STREQ(run("{{x}}", "{\"x\":\"'\"}"), "&#39;");
	TEST_STREQ(run("<p title=\"{{x}}\">{{x}}</p>",
	    "{\"x\":\"<script>alert('x&y')</script>\"}"),
	    "<p title=\"&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;\">"
	    "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;</p>");
	/* {{{ }}} copies as is */
	TEST_STREQ(run("{{{x}}}", "{\"x\":\"<b>&amp;'\\\"</b>\"}"),
	    "<b>&amp;'\"</b>");
	TEST_STREQ(run("{{{ x }}}|{{ x }}", "{\"x\":\"<i>\"}"),
	    "<i>|&lt;i&gt;");
	/* numbers and booleans */
	TEST_STREQ(run("{{a}} {{b}} {{c}} {{d}} {{e}}",
	    "{\"a\":0,\"b\":-42,\"c\":9223372036854775807,"
	    "\"d\":-9223372036854775808,\"e\":18446744073709551615}"),
	    "0 -42 9223372036854775807 -9223372036854775808 "
	    "18446744073709551615");
	TEST_STREQ(run("{{a}} {{b}} {{c}}",
	    "{\"a\":1.5,\"b\":true,\"c\":false}"), "1.5 true false");
	/* null, objects, arrays, missing: nothing */
	TEST_STREQ(run("[{{a}}{{b}}{{c}}{{d}}{{{d}}}]",
	    "{\"a\":null,\"b\":{\"x\":1},\"c\":[1,2]}"), "[]");
	TEST_STREQ(run("[{{a}}]", NULL), "[]");
	TEST_STREQ(run("[{{.}}]", "\"<top>\""), "[&lt;top&gt;]");
	/* a name starting with '_' is a variable, not a translation */
	TEST_STREQ(run("{{_x}}", "{\"_x\":\"v\"}"), "v");
	TEST_STREQ(run("{{a-b}}", "{\"a-b\":\"v\"}"), "v");
	/* text around, braces that are not tags */
	TEST_STREQ(run("a { b } }} c {", NULL), "a { b } }} c {");
	TEST_STREQ(run("", NULL), "");
}

static void
test_sections(void)
{
	const char *s = "{{#x}}[{{.}}]{{/x}}";

	/* skipped */
	TEST_STREQ(run(s, "{}"), "");
	TEST_STREQ(run(s, "{\"x\":null}"), "");
	TEST_STREQ(run(s, "{\"x\":false}"), "");
	TEST_STREQ(run(s, "{\"x\":[]}"), "");
	TEST_STREQ(run(s, "{\"x\":\"\"}"), "");
	TEST_STREQ(run(s, "{\"x\":0}"), "");
	TEST_STREQ(run(s, "{\"x\":0.0}"), "");
	/* once, with the value as context */
	TEST_STREQ(run(s, "{\"x\":true}"), "[true]");
	TEST_STREQ(run(s, "{\"x\":\"a<\"}"), "[a&lt;]");
	TEST_STREQ(run(s, "{\"x\":7}"), "[7]");
	TEST_STREQ(run(s, "{\"x\":-1}"), "[-1]");
	TEST_STREQ(run("{{#x}}[{{y}}]{{/x}}", "{\"x\":{\"y\":\"in\"}}"),
	    "[in]");
	TEST_STREQ(run("{{#x}}[{{y}}]{{/x}}", "{\"x\":{}}"), "[]");
	/* repeated for arrays */
	TEST_STREQ(run(s, "{\"x\":[1,\"b\",true,null]}"), "[1][b][true][]");
	TEST_STREQ(run("<ul>{{#items}}<li>{{name}}: {{price}}</li>{{/items}}"
	    "</ul>", "{\"items\":[{\"name\":\"A&B\",\"price\":\"1.00\"},"
	    "{\"name\":\"C\",\"price\":\"2.50\"}]}"),
	    "<ul><li>A&amp;B: 1.00</li><li>C: 2.50</li></ul>");
	/* nested arrays */
	TEST_STREQ(run("{{#rows}}({{#.}}{{.}}{{/.}}){{/rows}}",
	    "{\"rows\":[[1,2],[],[3]]}"), "(12)()(3)");
	TEST_STREQ(run("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}",
	    "{\"a\":[{\"b\":[{\"c\":1},{\"c\":2}]},{\"b\":[{\"c\":3}]}]}"),
	    "123");
	/* sections with white space in the tags */
	TEST_STREQ(run("{{# x }}y{{/ x }}", "{\"x\":1}"), "y");
	TEST_STREQ(run("{{ #x }}y{{ /x }}", "{\"x\":1}"), "y");
}

static void
test_inverted(void)
{
	const char *s = "{{^x}}none{{/x}}";

	TEST_STREQ(run(s, "{}"), "none");
	TEST_STREQ(run(s, NULL), "none");
	TEST_STREQ(run(s, "{\"x\":null}"), "none");
	TEST_STREQ(run(s, "{\"x\":false}"), "none");
	TEST_STREQ(run(s, "{\"x\":[]}"), "none");
	TEST_STREQ(run(s, "{\"x\":\"\"}"), "none");
	TEST_STREQ(run(s, "{\"x\":0}"), "none");
	TEST_STREQ(run(s, "{\"x\":true}"), "");
	TEST_STREQ(run(s, "{\"x\":[0]}"), "");
	TEST_STREQ(run(s, "{\"x\":{}}"), "");
	TEST_STREQ(run(s, "{\"x\":\"a\"}"), "");
	TEST_STREQ(run(s, "{\"x\":3}"), "");
	TEST_STREQ(run("{{#x}}{{.}}{{/x}}{{^x}}empty{{/x}}", "{\"x\":[1,2]}"),
	    "12");
	/* does not push: the context stays the outer one */
	TEST_STREQ(run("{{^x}}{{y}}{{/x}}", "{\"y\":\"outer\"}"), "outer");
}

static void
test_lookup(void)
{
	/* walks up the stack */
	TEST_STREQ(run("{{#items}}{{name}}@{{shop}} {{/items}}",
	    "{\"shop\":\"S\",\"items\":[{\"name\":\"a\"},"
	    "{\"name\":\"b\",\"shop\":\"T\"}]}"), "a@S b@T ");
	TEST_STREQ(run("{{#a}}{{#b}}{{x}}{{y}}{{z}}{{/b}}{{/a}}",
	    "{\"x\":1,\"y\":1,\"z\":1,\"a\":{\"y\":2,\"z\":2,"
	    "\"b\":{\"z\":3}}}"), "123");
	/* a null in an inner context hides the outer value (Mustache) */
	TEST_STREQ(run("{{#a}}[{{x}}]{{/a}}",
	    "{\"x\":\"outer\",\"a\":{\"x\":null}}"), "[]");
	/* dotted names */
	TEST_STREQ(run("{{product.name}} {{product.price.amount}}",
	    "{\"product\":{\"name\":\"Mug\",\"price\":{\"amount\":1250}}}"),
	    "Mug 1250");
	TEST_STREQ(run("[{{a.b}}][{{a.x}}][{{s.b}}][{{n.b}}][{{q.b}}]",
	    "{\"a\":{\"b\":\"<\"},\"s\":\"str\",\"n\":null}"),
	    "[&lt;][][][][]");
	/* the first segment walks up, the rest does not */
	TEST_STREQ(run("{{#item}}{{shop.name}}|{{item.name}}{{/item}}",
	    "{\"shop\":{\"name\":\"S\"},\"item\":{\"name\":\"I\"}}"), "S|I");
	TEST_STREQ(run("{{#a}}[{{b.c}}]{{/a}}",
	    "{\"b\":{\"c\":\"outer\"},\"a\":{\"b\":{\"d\":1}}}"), "[]");
	TEST_STREQ(run("{{#a.b}}{{c}}{{/a.b}}",
	    "{\"a\":{\"b\":[{\"c\":1},{\"c\":2}]}}"), "12");
	/* numeric segments index arrays (mustache.js): "list not empty" */
	TEST_STREQ(run("[{{a.0}}][{{a.1}}][{{a.x}}]", "{\"a\":[\"x\"]}"),
	    "[x][][]");
	TEST_STREQ(run("{{#a.0}}has{{/a.0}}{{^a.0}}empty{{/a.0}}",
	    "{\"a\":[]}"), "empty");
	TEST_STREQ(run("{{#a.0}}has {{b}}{{/a.0}}",
	    "{\"b\":2,\"a\":[{\"c\":1}]}"), "has 2");
}

/* Keys are hashed at parse time with json-c's hash; a model whose tables
 * hash otherwise must still be found (the slow path). */
static void
test_other_hash(void)
{
	struct tmpl_set	*set = tmpl_set_new();
	int		 rc;

	add(set, "t", "{{#a}}{{b.c}}{{/a}}");
	TEST_CHECK(json_global_set_string_hash(JSON_C_STR_HASH_PERLLIKE) == 0);
	TEST_STREQ(render(set, "t", "{\"a\":{\"b\":{\"c\":\"found\"}}}",
	    &rc), "found");
	TEST_CHECK(json_global_set_string_hash(JSON_C_STR_HASH_DFLT) == 0);
	TEST_STREQ(render(set, "t", "{\"a\":{\"b\":{\"c\":\"again\"}}}",
	    &rc), "again");
	tmpl_set_free(set);
}

static void
test_comments(void)
{
	TEST_STREQ(run("a{{! a comment }}b", NULL), "ab");
	TEST_STREQ(run("a{{!multi\nline\n{{x}}b", "{}"), "ab");
	TEST_STREQ(run("{{!}}x", NULL), "x");
	/* line numbers count the lines of a comment */
	TEST_STREQ(parse_err("{{! one\ntwo\nthree }}\n{{#x}}"),
	    "t:4: unclosed section 'x'");
}

static void
test_translate(void)
{
	/* no catalog loaded: gettext returns the msgid; it is escaped */
	TEST_STREQ(run("{{_ Add to cart}}", NULL), "Add to cart");
	TEST_STREQ(run("<b>{{_   Fish & <Chips> \"x\" 'y'  }}</b>", NULL),
	    "<b>Fish &amp; &lt;Chips&gt; &quot;x&quot; &#39;y&#39;</b>");
	TEST_STREQ(run("{{_\tTabbed\n text\n}}", NULL), "Tabbed\n text");
	TEST_STREQ(run("{{ _ Spaced }}", NULL), "Spaced");
	TEST_STREQ(parse_err("x\n{{_ }}"), "t:2: empty text in '{{_ }}'");
	TEST_STREQ(parse_err("{{_}}"), "t:1: empty text in '{{_}}'");
}

static void
test_parse_errors(void)
{
	struct tmpl_set *set;

	TEST_STREQ(parse_err("{{x}}"), "");
	TEST_STREQ(parse_err("line1\n{{#a}}\n{{#b}}\n{{/b}}\n"),
	    "t:2: unclosed section 'a'");
	TEST_STREQ(parse_err("a\nb\n{{#a}}{{/b}}"),
	    "t:3: '{{/b}}' closes 'a' opened at line 3");
	TEST_STREQ(parse_err("{{#a}}\n{{#b}}\n\n{{/a}}{{/b}}"),
	    "t:4: '{{/a}}' closes 'b' opened at line 2");
	TEST_STREQ(parse_err("\n\n{{/a}}"), "t:3: no open section for '{{/a}}'");
	TEST_STREQ(parse_err("a\nb {{name"), "t:2: unterminated tag '{{name'");
	TEST_STREQ(parse_err("{{{raw}}"), "t:1: unterminated tag '{{{raw}}'");
	TEST_STREQ(parse_err("x {{"), "t:1: unterminated tag '{{'");
	TEST_STREQ(parse_err("{{}}"), "t:1: empty tag '{{}}'");
	TEST_STREQ(parse_err("{{  }}"), "t:1: empty tag '{{  }}'");
	TEST_STREQ(parse_err("{{a b}}"), "t:1: bad name in '{{a b}}'");
	TEST_STREQ(parse_err("{{a..b}}"), "t:1: bad name in '{{a..b}}'");
	TEST_STREQ(parse_err("{{.a}}"), "t:1: bad name in '{{.a}}'");
	TEST_STREQ(parse_err("{{a.}}"), "t:1: bad name in '{{a.}}'");
	TEST_STREQ(parse_err("{{#}}{{/}}"), "t:1: bad name in '{{#}}'");
	TEST_STREQ(parse_err("{{{}}}"), "t:1: bad name in '{{{}}}'");
	TEST_STREQ(parse_err("{{&x}}"), "t:1: unsupported tag '{{&x}}'");
	TEST_STREQ(parse_err("{{=<% %>=}}"),
	    "t:1: unsupported tag '{{=<% %>=}}'");
	TEST_STREQ(parse_err("{{> }}"), "t:1: bad partial name in '{{> }}'");
	TEST_STREQ(parse_err("{{>/etc/passwd}}"),
	    "t:1: bad partial name in '{{>/etc/passwd}}'");
	/* a multi-line tag: the error names the line it starts on */
	TEST_STREQ(parse_err("\n{{a\nb}}"), "t:2: bad name in '{{a\nb}}'");

	/* a failed parse leaves the set as it was; duplicates are refused */
	set = tmpl_set_new();
	TEST_CHECK(tmpl_parse_string(set, "a", "{{#x}}", 6, err,
	    sizeof(err)) == -1);
	TEST_CHECK(!tmpl_exists(set, "a"));
	TEST_CHECK(tmpl_parse_string(set, "a", "A", 1, err,
	    sizeof(err)) == 0);
	TEST_CHECK(tmpl_exists(set, "a"));
	TEST_CHECK(tmpl_parse_string(set, "a", "B", 1, err,
	    sizeof(err)) == -1);
	TEST_STREQ(err, "a: duplicate template 'a'");
	/* a short error buffer truncates, NUL-terminated */
	TEST_CHECK(tmpl_parse_string(set, "b", "{{#x}}", 6, err, 5) == -1);
	TEST_STREQ(err, "b:1:");
	TEST_CHECK(tmpl_parse_string(set, "c", "{{#x}}", 6, NULL, 0) == -1);
	/* unknown template: -1, nothing appended */
	strbuf_reset(&out);
	strbuf_addstr(&out, "keep");
	TEST_CHECK(tmpl_render(set, "nope", NULL, &out) == -1);
	TEST_STREQ(out.buf, "keep");
	TEST_CHECK(tmpl_render(set, "a", NULL, &out) == 0);
	TEST_STREQ(out.buf, "keepA");
	tmpl_set_free(set);
	tmpl_set_free(NULL);
}

static void
add(struct tmpl_set *set, const char *name, const char *src)
{
	int rc = tmpl_parse_string(set, name, src, strlen(src), err,
	    sizeof(err));

	if (rc == -1)
		fprintf(stderr, "parse %s: %s\n", name, err);
	TEST_CHECK(rc == 0);
}

static const char *
render(struct tmpl_set *set, const char *name, const char *json, int *rc)
{
	json_object *model = json_tokener_parse(json);

	strbuf_reset(&out);
	*rc = tmpl_render(set, name, model, &out);
	json_object_put(model);
	return out.buf;
}

static void
test_partials(void)
{
	struct tmpl_set	*set = tmpl_set_new();
	char		 name[32], src[64];
	int		 rc, i;

	/* the page is added before the partials it uses */
	add(set, "page", "<h1>{{title}}</h1>{{> parts/item}}"
	    "{{#items}}{{>parts/item}}{{/items}}{{> missing}}.");
	add(set, "parts/item", "<i>{{name}}</i>");
	TEST_STREQ(render(set, "page", "{\"title\":\"T\",\"name\":\"top\","
	    "\"items\":[{\"name\":\"a\"},{\"name\":\"<b>\"}]}", &rc),
	    "<h1>T</h1><i>top</i><i>a</i><i>&lt;b&gt;</i>.");
	TEST_CHECK(rc == 0);

	/* recursion ends with the data; a leaf needs its own empty
	 * "children", or lookup finds its parent's (Mustache) */
	add(set, "tree", "{{name}}{{#children}}({{> tree}}){{/children}}");
	TEST_STREQ(render(set, "tree", "{\"name\":\"r\",\"children\":["
	    "{\"name\":\"a\",\"children\":[{\"name\":\"b\","
	    "\"children\":null}]},{\"name\":\"c\",\"children\":[]}]}",
	    &rc), "r(a(b))(c)");
	TEST_CHECK(rc == 0);
	render(set, "tree", "{\"name\":\"r\",\"children\":[{\"name\":"
	    "\"leaf\"}]}", &rc);
	TEST_CHECK(rc == -1);

	/* endless recursion stops at the depth limit */
	add(set, "loop", "x{{> loop}}");
	render(set, "loop", "{}", &rc);
	TEST_CHECK(rc == -1);
	TEST_CHECK(out.len == TMPL_MAX_PARTIAL_DEPTH + 1);

	/* a chain exactly TMPL_MAX_PARTIAL_DEPTH deep renders, one more
	 * does not */
	for (i = 0; i <= TMPL_MAX_PARTIAL_DEPTH + 1; i++) {
		TEST_CHECK(snprintf(name, sizeof(name), "c%d", i) > 0);
		TEST_CHECK(snprintf(src, sizeof(src), "%d{{>c%d}}", i % 10,
		    i + 1) > 0);
		add(set, name, src);
	}
	render(set, "c1", "{}", &rc);	/* c1 .. c17: 16 partials deep */
	TEST_CHECK(rc == 0);
	TEST_STREQ(out.buf, "12345678901234567");
	render(set, "c0", "{}", &rc);
	TEST_CHECK(rc == -1);
	tmpl_set_free(set);
}

static void
test_limits(void)
{
	struct strbuf	 src = STRBUF_INIT, want = STRBUF_INIT;
	json_object	*model;
	struct tmpl_set	*set;
	int		 i;

	/* 10,000 tags */
	for (i = 0; i < 10000; i++) {
		strbuf_addf(&src, "<{{v%d}}>{{#s}}{{x}}{{/s}}", i % 7);
		strbuf_addf(&want, "<%d>y", i % 7);
	}
	TEST_STREQ(run(src.buf, "{\"v0\":0,\"v1\":1,\"v2\":2,\"v3\":3,"
	    "\"v4\":4,\"v5\":5,\"v6\":6,\"s\":{\"x\":\"y\"}}"), want.buf);

	/* nesting: TMPL_MAX_NEST parses, one more does not */
	strbuf_reset(&src);
	strbuf_reset(&want);
	for (i = 0; i < TMPL_MAX_NEST; i++)
		strbuf_addstr(&src, "{{#a}}");
	strbuf_addstr(&src, "{{.}}");
	for (i = 0; i < TMPL_MAX_NEST; i++)
		strbuf_addstr(&src, "{{/a}}");
	TEST_STREQ(run(src.buf, "{\"a\":{\"a\":1}}"), "1");
	strbuf_reset(&src);
	for (i = 0; i <= TMPL_MAX_NEST; i++)
		strbuf_addf(&src, "{{#a}}\n");
	TEST_STREQ(parse_err(src.buf),
	    "t:33: sections nested too deep at '{{#a}}'");

	/* a small template over a small model that would run for ages
	 * (3^32 bodies) is stopped by the step limit */
	strbuf_reset(&src);
	for (i = 0; i < TMPL_MAX_NEST; i++)
		strbuf_addstr(&src, "{{#a}}");
	strbuf_addstr(&src, "x");
	for (i = 0; i < TMPL_MAX_NEST; i++)
		strbuf_addstr(&src, "{{/a}}");
	set = tmpl_set_new();
	TEST_CHECK(tmpl_parse_string(set, "t", src.buf, src.len, err,
	    sizeof(err)) == 0);
	model = json_tokener_parse("{\"a\":[1,2,3]}");
	strbuf_reset(&out);
	TEST_CHECK(tmpl_render(set, "t", model, &out) == -1);
	TEST_CHECK(out.len > 0 && out.len < TMPL_MAX_STEPS);
	json_object_put(model);
	tmpl_set_free(set);

	strbuf_release(&src);
	strbuf_release(&want);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	TEST_CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

static void
test_load(void)
{
	char		 dir[] = "/tmp/souk-tmpl-XXXXXX", path[512];
	struct tmpl_set	*set = NULL;
	int		 rc;

	TEST_CHECK(mkdtemp(dir) != NULL);
#define P(rel)	(snprintf(path, sizeof(path), "%s/%s", dir, (rel)) > 0 ? \
	    path : "")
	TEST_CHECK(mkdir(P("admin"), 0700) == 0);
	TEST_CHECK(mkdir(P("admin/deep"), 0700) == 0);
	TEST_CHECK(mkdir(P(".hidden"), 0700) == 0);
	write_file(P("layout.html"), "<html>{{> admin/deep/x}}{{body}}");
	write_file(P("admin/product_edit.html"), "{{_ Edit}} {{> layout}}");
	write_file(P("admin/deep/x.html"), "[x]");
	write_file(P("notes.txt"), "{{#unclosed}}");
	write_file(P(".hidden/bad.html"), "{{#unclosed}}");
	write_file(P(".swp.html"), "{{#unclosed}}");

	/* trailing slashes are fine */
	TEST_CHECK(snprintf(path, sizeof(path), "%s//", dir) > 0);
	rc = tmpl_set_load(&set, path, err, sizeof(err));
	if (rc == -1)
		fprintf(stderr, "load: %s\n", err);
	TEST_CHECK(rc == 0 && set != NULL);
	if (set != NULL) {
		TEST_CHECK(tmpl_exists(set, "layout"));
		TEST_CHECK(tmpl_exists(set, "admin/product_edit"));
		TEST_CHECK(tmpl_exists(set, "admin/deep/x"));
		TEST_CHECK(!tmpl_exists(set, "notes"));
		TEST_CHECK(!tmpl_exists(set, ".hidden/bad"));
		TEST_CHECK(!tmpl_exists(set, "admin/product_edit.html"));
		TEST_STREQ(render(set, "admin/product_edit",
		    "{\"body\":\"<p>\"}", &rc), "Edit <html>[x]&lt;p&gt;");
		TEST_CHECK(rc == 0);
	}
	tmpl_set_free(set);

	/* an unknown partial fails the load, naming file and line */
	write_file(P("admin/list.html"), "a\n\n{{> admin/nope}}");
	TEST_CHECK(tmpl_set_load(&set, dir, err, sizeof(err)) == -1);
	TEST_CHECK(set == NULL);
	TEST_STREQ(err + strlen(dir), "/admin/list.html:3: unknown partial "
	    "'admin/nope'");
	write_file(P("admin/nope.html"), "");

	/* so does a parse error */
	write_file(P("admin/deep/x.html"), "1\n2\n{{#a}}{{/b}}");
	TEST_CHECK(tmpl_set_load(&set, dir, err, sizeof(err)) == -1);
	TEST_STREQ(err + strlen(dir), "/admin/deep/x.html:3: '{{/b}}' "
	    "closes 'a' opened at line 3");
	write_file(P("admin/deep/x.html"), "ok");
	TEST_CHECK(tmpl_set_load(&set, dir, err, sizeof(err)) == 0);
	tmpl_set_free(set);

	TEST_CHECK(tmpl_set_load(&set, P("none"), err, sizeof(err)) == -1);
	TEST_CHECK(strstr(err, "cannot open") != NULL);

	unlink(P("layout.html"));
	unlink(P("admin/product_edit.html"));
	unlink(P("admin/list.html"));
	unlink(P("admin/nope.html"));
	unlink(P("admin/deep/x.html"));
	unlink(P("notes.txt"));
	unlink(P(".hidden/bad.html"));
	unlink(P(".swp.html"));
	rmdir(P(".hidden"));
	rmdir(P("admin/deep"));
	rmdir(P("admin"));
	TEST_CHECK(rmdir(dir) == 0);
#undef P
}

/* Not asserted: prints the cost of a product page. */
static const char bench_page[] =
    "<!doctype html><html lang=\"{{lang}}\"><head><title>{{product.name}}"
    " - {{shop.name}}</title>{{> head}}</head><body>"
    "<header><a href=\"/\">{{shop.name}}</a><nav>{{#nav}}"
    "<a href=\"{{url}}\">{{label}}</a>{{/nav}}</nav>"
    "<a href=\"/cart\">{{_ Cart}} ({{cart.count}})</a></header>"
    "<main><h1>{{product.name}}</h1><p class=\"price\">{{product.price}}"
    "</p>{{#product.on_sale}}<s>{{product.was}}</s>{{/product.on_sale}}"
    "<div class=\"desc\">{{{product.description_html}}}</div>"
    "<ul class=\"attrs\">{{#product.attrs}}<li>{{name}}: {{value}}</li>"
    "{{/product.attrs}}</ul>{{^product.in_stock}}<p>{{_ Out of stock}}"
    "</p>{{/product.in_stock}}<form method=\"post\" action=\"/cart/add\">"
    "<input type=\"hidden\" name=\"csrf\" value=\"{{csrf}}\">"
    "<input type=\"hidden\" name=\"id\" value=\"{{product.id}}\">"
    "<button>{{_ Add to cart}}</button></form>"
    "<h2>{{_ Related}}</h2>{{#related}}<a href=\"/p/{{slug}}\">{{name}} "
    "{{price}}</a>{{/related}}</main><footer>{{shop.name}} "
    "{{shop.address}}</footer></body></html>";

static void
bench(int n)
{
	struct tmpl_set	*set = tmpl_set_new();
	json_object	*model;
	struct timespec	 t0, t1;
	double		 ns;
	int		 i;

	add(set, "head", "<meta charset=\"utf-8\"><link rel=\"stylesheet\" "
	    "href=\"/static/{{theme}}/main.css\"><style>:root{--brand:"
	    "{{shop.colour}}}</style>");
	add(set, "product", bench_page);
	model = json_tokener_parse("{\"lang\":\"en\",\"theme\":\"default\","
	    "\"csrf\":\"0123456789abcdef0123456789abcdef\","
	    "\"shop\":{\"name\":\"Tea & Co\",\"colour\":\"#336699\","
	    "\"address\":\"1 High St, Town\"},\"cart\":{\"count\":2},"
	    "\"nav\":[{\"url\":\"/c/tea\",\"label\":\"Tea\"},"
	    "{\"url\":\"/c/pots\",\"label\":\"Pots\"},"
	    "{\"url\":\"/c/gifts\",\"label\":\"Gifts\"}],"
	    "\"product\":{\"id\":42,\"name\":\"Earl Grey <Special>\","
	    "\"price\":\"\\u20ac12.50\",\"on_sale\":true,\"was\":\"\\u20ac15.00\","
	    "\"in_stock\":true,\"description_html\":\"<p>A fine tea.</p>\","
	    "\"attrs\":[{\"name\":\"Weight\",\"value\":\"100 g\"},"
	    "{\"name\":\"Origin\",\"value\":\"India\"},"
	    "{\"name\":\"Caffeine\",\"value\":\"yes\"}]},"
	    "\"related\":[{\"slug\":\"assam\",\"name\":\"Assam\","
	    "\"price\":\"\\u20ac9.00\"},{\"slug\":\"darj\",\"name\":"
	    "\"Darjeeling\",\"price\":\"\\u20ac11.00\"},{\"slug\":\"green\","
	    "\"name\":\"Green's\",\"price\":\"\\u20ac8.00\"},{\"slug\":\"mint\","
	    "\"name\":\"Mint\",\"price\":\"\\u20ac7.00\"}]}");
	strbuf_reset(&out);
	TEST_CHECK(tmpl_render(set, "product", model, &out) == 0);
	TEST_CHECK(strstr(out.buf, "Earl Grey &lt;Special&gt;") != NULL);
	TEST_CHECK(strstr(out.buf, "<p>A fine tea.</p>") != NULL);
	TEST_CHECK(strstr(out.buf, "Out of stock") == NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		strbuf_reset(&out);
		tmpl_render(set, "product", model, &out);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	    (double)(t1.tv_nsec - t0.tv_nsec)) / n;
	printf("bench: product page (%zu bytes) %.0f ns per render\n",
	    out.len, ns);
	json_object_put(model);
	tmpl_set_free(set);
}

int
main(int argc, char **argv)
{
	int64_t n = 20000;

	/* "tmpl 1000000" runs the benchmark longer, for a profiler */
	if (argc > 1 && str_to_i64c(argv[1], 1, 100000000, &n) == -1)
		return 2;
	test_values();
	test_sections();
	test_inverted();
	test_lookup();
	test_other_hash();
	test_comments();
	test_translate();
	test_parse_errors();
	test_partials();
	test_limits();
	test_load();
	bench((int)n);
	strbuf_release(&out);
	return test_done();
}
