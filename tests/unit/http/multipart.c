/* Unit test of http/multipart.c: multipart/form-data bodies. */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "http/req.h"
#include "test.h"

static struct arena	a;
static struct kvlist	form;
static struct part	*parts;
static size_t		nparts;

#define B	"----souk42"

static int
parse(const char *body, size_t len)
{
	/* The body lives in the arena, as req_parse() leaves it. */
	struct str b = arena_str(&a, (struct str){ body, len });

	form.v = NULL;
	form.n = 0;
	return req_parse_multipart(&a, b, STR(B), &form, &parts, &nparts);
}

#define PARSE(lit)	parse((lit), sizeof(lit) - 1)

static void
test_basic(void)
{
	static const char body[] =
	    "preamble ignored\r\n"
	    "--" B "\r\n"
	    "Content-Disposition: form-data; name=\"title\"\r\n"
	    "\r\n"
	    "Hello, world\r\n"
	    "--" B "\r\n"
	    "content-disposition: form-data; name=\"photo\"; "
	    "filename=\"cat.jpg\"\r\n"
	    "Content-Type: Image/JPEG; q=1\r\n"
	    "\r\n"
	    "\xff\xd8\x00\r\n--not-the-boundary\r\n\r\n"
	    "\r\n"
	    "--" B "\r\n"
	    "Content-Disposition: form-data; name=desc\r\n"
	    "\r\n"
	    "line 1\r\nline 2\r\n"
	    "--" B "--\r\n"
	    "epilogue ignored";

	TEST_CHECK(PARSE(body) == 0);
	TEST_CHECK(form.n == 2);
	TEST_STREQ(form.v[0].key.p, "title");
	TEST_STREQ(form.v[0].val.p, "Hello, world");
	TEST_STREQ(form.v[1].key.p, "desc");
	/* CRLF inside data kept, the one before the delimiter not. */
	TEST_STREQ(form.v[1].val.p, "line 1\r\nline 2");
	TEST_CHECK(nparts == 1);
	TEST_STREQ(parts[0].name.p, "photo");
	TEST_STREQ(parts[0].filename.p, "cat.jpg");
	TEST_STREQ(parts[0].ctype.p, "image/jpeg");
	TEST_CHECK(parts[0].data.len == 3 + 2 + 18 + 4);
	TEST_CHECK(memcmp(parts[0].data.p, "\xff\xd8\x00\r\n--not", 9) == 0);
}

static void
test_filenames(void)
{
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data; name=\"f\"; "
	    "filename=\"say \\\"hi\\\"; now.txt\"\r\n\r\n"
	    "x\r\n--" B "--") == 0);
	TEST_CHECK(nparts == 1);
	TEST_STREQ(parts[0].filename.p, "say \"hi\"; now.txt");
	TEST_CHECK(parts[0].ctype.len == 0);

	/* Browsers send '"' as %22: kept as is. Directories dropped. */
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data; name=\"f\"; "
	    "filename=\"C:\\Users\\me\\a%22b.png\"\r\n\r\n"
	    "x\r\n--" B "\r\n"
	    "Content-Disposition: form-data; name=\"g\"; "
	    "filename=\"../../etc/passwd\"\r\n\r\n"
	    "y\r\n--" B "--") == 0);
	TEST_CHECK(nparts == 2);
	TEST_STREQ(parts[0].filename.p, "a%22b.png");
	TEST_STREQ(parts[1].filename.p, "passwd");

	/* An empty file input is skipped; a quoted name with ';'. */
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
	    "Content-Type: application/octet-stream\r\n\r\n"
	    "\r\n--" B "\r\n"
	    "Content-Disposition: form-data; name=\"a;b\"\r\n\r\n"
	    "v\r\n--" B "--\r\n") == 0);
	TEST_CHECK(nparts == 0);
	TEST_CHECK(form.n == 1);
	TEST_STREQ(form.v[0].key.p, "a;b");

	/* Unterminated quoted filename. */
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data; name=\"f\"; filename=\"x\r\n\r\n"
	    "x\r\n--" B "--") == 400);
}

static void
test_bad(void)
{
	struct str b;

	/* No delimiter at all, or a wrong boundary. */
	TEST_CHECK(PARSE("just text") == 400);
	TEST_CHECK(PARSE("--other\r\nContent-Disposition: form-data; "
	    "name=a\r\n\r\nv\r\n--other--") == 400);
	/* Truncated: no closing delimiter, or cut in the headers. */
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "value without end") == 400);
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n") == 400);
	TEST_CHECK(PARSE("--" B) == 400);
	/* Bare LF instead of CRLF. */
	TEST_CHECK(PARSE("--" B "\n"
	    "Content-Disposition: form-data; name=\"a\"\n\n"
	    "v\n--" B "--\n") == 400);
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data; name=\"a\"\nX: y\r\n\r\n"
	    "v\r\n--" B "--") == 400);
	/* Delimiter followed by junk. */
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "v\r\n--" B "junk\r\n") == 400);
	/* No Content-Disposition, no name, not form-data, folding. */
	TEST_CHECK(PARSE("--" B "\r\nContent-Type: text/plain\r\n\r\n"
	    "v\r\n--" B "--") == 400);
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data; filename=\"x\"\r\n\r\n"
	    "v\r\n--" B "--") == 400);
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: attachment; name=\"a\"\r\n\r\n"
	    "v\r\n--" B "--") == 400);
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data;\r\n name=\"a\"\r\n\r\n"
	    "v\r\n--" B "--") == 400);
	/* A NUL in a text field. */
	TEST_CHECK(PARSE("--" B "\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "v\0w\r\n--" B "--") == 400);

	/* Missing or invalid boundary. */
	b = arena_str(&a, STR("--x\r\n"));
	TEST_CHECK(req_parse_multipart(&a, b, STR(""), &form, &parts,
	    &nparts) == 400);
	TEST_CHECK(req_parse_multipart(&a, b, STR("a\r\nb"), &form, &parts,
	    &nparts) == 400);
	TEST_CHECK(req_parse_multipart(&a, b, STR("01234567890123456789"
	    "01234567890123456789012345678901234567890123456789x"), &form,
	    &parts, &nparts) == 400);
}

static void
test_limits(void)
{
	struct strbuf	sb = STRBUF_INIT;
	int		i;

	/* Padding after the boundary; an empty part value. */
	TEST_CHECK(PARSE("--" B " \t\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "\r\n--" B "--") == 0);
	TEST_CHECK(form.n == 1 && form.v[0].val.len == 0);

	for (i = 0; i < REQ_MAX_PARTS; i++)
		strbuf_addf(&sb, "--" B "\r\nContent-Disposition: form-data;"
		    " name=\"f%d\"; filename=\"%d.txt\"\r\n\r\n%d\r\n",
		    i, i, i);
	strbuf_addstr(&sb, "--" B "--\r\n");
	TEST_CHECK(parse(sb.buf, sb.len) == 0);
	TEST_CHECK(nparts == REQ_MAX_PARTS);
	TEST_STREQ(parts[31].filename.p, "31.txt");
	strbuf_setlen(&sb, sb.len - strlen("--" B "--\r\n"));
	strbuf_addstr(&sb, "--" B "\r\nContent-Disposition: form-data; "
	    "name=\"x\"; filename=\"x\"\r\n\r\nx\r\n--" B "--\r\n");
	TEST_CHECK(parse(sb.buf, sb.len) == 413);

	strbuf_reset(&sb);
	for (i = 0; i <= REQ_MAX_FIELDS; i++)
		strbuf_addf(&sb, "--" B "\r\nContent-Disposition: form-data;"
		    " name=\"t%d\"\r\n\r\n%d\r\n", i, i);
	strbuf_addstr(&sb, "--" B "--\r\n");
	TEST_CHECK(parse(sb.buf, sb.len) == 413);
	strbuf_release(&sb);

	/* Text fields are appended to what form already holds. */
	{
		struct kv	 kv0 = { STR("pre"), STR("1") };
		struct str	 b = arena_str(&a, STR("--" B "\r\n"
		    "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
		    "v\r\n--" B "--"));

		form.v = &kv0;
		form.n = 1;
		TEST_CHECK(req_parse_multipart(&a, b, STR(B), &form, &parts,
		    &nparts) == 0);
		TEST_CHECK(form.n == 2);
		TEST_STREQ(form.v[0].key.p, "pre");
		TEST_STREQ(form.v[1].val.p, "v");
	}
}

int
main(void)
{
	arena_init(&a);
	test_basic();
	test_filenames();
	test_bad();
	test_limits();
	arena_free(&a);
	return test_done();
}
