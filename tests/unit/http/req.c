/* Unit test of http/req.c: req_parse_env() and the response helpers. */
#include "core/common.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/strbuf.h"
#include "http/req.h"
#include "test.h"

static struct arena	a;
static struct strbuf	out = STRBUF_INIT;
static struct req	r;

#define MAXB	1000

static int
parse(const char *body, const char *env0, ...)
{
	static char	*envp[32];
	va_list		 ap;
	size_t		 n = 0;
	const char	*e;
	struct str	 b = STR("");

	va_start(ap, env0);
	for (e = env0; e != NULL && n < NELEM(envp) - 1;
	    e = va_arg(ap, const char *))
		envp[n++] = (char *)(uintptr_t)e;	/* as libfcgi's */
	va_end(ap);
	envp[n] = NULL;
	if (body != NULL)
		b = arena_str(&a, str_c(body));
	strbuf_reset(&out);
	return req_parse_env(&r, &a, &out, envp, b, MAXB);
}

static int
is_hex32(const char *s)
{
	return strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

static void
test_get(void)
{
	const struct str *v;

	TEST_CHECK(parse(NULL, "REQUEST_METHOD=GET",
	    "REQUEST_URI=/caf%C3%A9/a%20b?q=red+shoe&page=2",
	    "QUERY_STRING=q=red+shoe&page=2", "HTTP_HOST=Shop.Example.COM:8443",
	    "HTTPS=on", "REMOTE_ADDR=192.0.2.1",
	    "REQUEST_ID=0123456789ABCDEF0123456789abcdef",
	    "HTTP_COOKIE=sid=abc; lang=fr", "HTTP_USER_AGENT=test/1.0",
	    "CONTENT_LENGTH=", NULL) == 0);
	TEST_CHECK(r.method == HTTP_GET);
	TEST_STREQ(r.path.p, "/caf\xc3\xa9/a b");
	TEST_STREQ(r.raw_query.p, "q=red+shoe&page=2");
	TEST_STREQ(r.host.p, "shop.example.com");
	TEST_STREQ(r.scheme.p, "https");
	TEST_STREQ(r.remote_addr.p, "192.0.2.1");
	TEST_STREQ(r.rid, "0123456789abcdef0123456789abcdef");
	v = req_query(&r, "q");
	TEST_STREQ(v ? v->p : NULL, "red shoe");
	TEST_CHECK(req_query(&r, "none") == NULL);
	v = req_cookie(&r, "lang");
	TEST_STREQ(v ? v->p : NULL, "fr");
	TEST_STREQ(req_header(&r, "User-Agent"), "test/1.0");
	TEST_STREQ(req_header(&r, "user-agent"), "test/1.0");
	TEST_CHECK(req_header(&r, "Accept") == NULL);
	TEST_STREQ(req_env(&r, "REMOTE_ADDR"), "192.0.2.1");
	TEST_CHECK(req_env(&r, "REMOTE") == NULL);
	TEST_CHECK(r.body.len == 0 && r.body.p != NULL);
	TEST_CHECK(r.content_type.p != NULL && r.status == 200);
	TEST_CHECK(r.out == &out && r.fcgx == NULL);

	/* Generated request id, http scheme, no host, no query. */
	TEST_CHECK(parse(NULL, "REQUEST_METHOD=HEAD", "REQUEST_URI=/",
	    "REQUEST_ID=xyz", "REQUEST_SCHEME=http", NULL) == 0);
	TEST_CHECK(r.method == HTTP_HEAD);
	TEST_CHECK(is_hex32(r.rid));
	TEST_STREQ(r.scheme.p, "http");
	TEST_STREQ(r.host.p, "");
	TEST_CHECK(r.query.n == 0 && r.raw_query.p != NULL);
	TEST_CHECK(parse(NULL, "REQUEST_METHOD=BREW", "REQUEST_URI=/",
	    "REQUEST_SCHEME=https", "HTTPS=", NULL) == 0);
	TEST_CHECK(r.method == HTTP_OTHER);
	TEST_STREQ(r.scheme.p, "https");
}

static void
test_bad_input(void)
{
	TEST_CHECK(parse(NULL, "REQUEST_METHOD=GET", "REQUEST_URI=/a%00b",
	    NULL) == 400);
	TEST_STREQ(r.path.p, "/");
	TEST_CHECK(is_hex32(r.rid));
	TEST_CHECK(parse(NULL, "REQUEST_URI=/a%zz", NULL) == 400);
	TEST_CHECK(parse(NULL, "REQUEST_URI=/a%0d%0aX:1", NULL) == 400);
	TEST_CHECK(parse(NULL, "REQUEST_URI=a/b", NULL) == 400);
	TEST_CHECK(parse(NULL, "REQUEST_URI=http://x/", NULL) == 400);
	TEST_CHECK(parse(NULL, "REQUEST_URI=?x=1", NULL) == 400);
	TEST_CHECK(parse(NULL, "QUERY_STRING=x", NULL) == 400);
	/* %2F in a path decodes; '?' ends the path. */
	TEST_CHECK(parse(NULL, "REQUEST_URI=/a%2Fb?c%zz", NULL) == 400);
	TEST_STREQ(r.path.p, "/a/b");
	TEST_CHECK(parse(NULL, "REQUEST_URI=/a?b", "QUERY_STRING=b",
	    NULL) == 0);
	TEST_STREQ(r.path.p, "/a");

	TEST_CHECK(parse(NULL, "REQUEST_URI=/", "HTTP_HOST=a_b.com",
	    NULL) == 400);
	TEST_STREQ(r.host.p, "");
	TEST_STREQ(r.path.p, "/");	/* the rest is still filled */
	TEST_CHECK(parse(NULL, "REQUEST_URI=/", "HTTP_HOST=[::1]:80",
	    NULL) == 400);
	TEST_CHECK(parse(NULL, "REQUEST_URI=/", "HTTP_HOST=a.com:",
	    NULL) == 400);
	TEST_CHECK(parse(NULL, "REQUEST_URI=/", "HTTP_HOST=a.com:8x",
	    NULL) == 400);
	TEST_CHECK(parse(NULL, "REQUEST_URI=/", "HTTP_HOST=a.com\r\n",
	    NULL) == 400);
	TEST_CHECK(parse(NULL, "REQUEST_URI=/", "HTTP_HOST=", NULL) == 0);
	TEST_CHECK(parse(NULL, "REQUEST_URI=/", "HTTP_HOST=localhost:1",
	    NULL) == 0);
	TEST_STREQ(r.host.p, "localhost");

	/* Query: bad escape, too many fields. */
	TEST_CHECK(parse(NULL, "REQUEST_URI=/", "QUERY_STRING=a=%2", NULL) ==
	    400);
	{
		struct strbuf	 q = STRBUF_INIT;
		int		 i;

		strbuf_addstr(&q, "QUERY_STRING=");
		for (i = 0; i <= REQ_MAX_FIELDS; i++)
			strbuf_addstr(&q, "a=1&");
		TEST_CHECK(parse(NULL, "REQUEST_URI=/", q.buf, NULL) == 413);
		strbuf_release(&q);
	}
}

static void
test_body(void)
{
	const struct str	*v;
	const struct part	*p;

	TEST_CHECK(parse("name=Jo+Doe&qty=3", "REQUEST_METHOD=POST",
	    "REQUEST_URI=/cart", "CONTENT_LENGTH=17",
	    "CONTENT_TYPE=Application/X-WWW-Form-URLEncoded; charset=UTF-8",
	    NULL) == 0);
	TEST_CHECK(r.method == HTTP_POST);
	TEST_STREQ(r.content_type.p, "application/x-www-form-urlencoded");
	v = req_form(&r, "name");
	TEST_STREQ(v ? v->p : NULL, "Jo Doe");
	TEST_STREQ(r.body.p, "name=Jo+Doe&qty=3");
	TEST_STREQ(req_header(&r, "Content-Type"),
	    "Application/X-WWW-Form-URLEncoded; charset=UTF-8");

	/* Length larger than max_body (even if no body), not a number,
	 * negative, different from what was read. */
	TEST_CHECK(parse(NULL, "REQUEST_METHOD=POST", "REQUEST_URI=/",
	    "CONTENT_LENGTH=1001", NULL) == 413);
	TEST_CHECK(r.body.len == 0 && r.form.n == 0);
	TEST_CHECK(parse(NULL, "REQUEST_URI=/",
	    "CONTENT_LENGTH=99999999999999999999999", NULL) == 400);
	TEST_CHECK(parse(NULL, "REQUEST_URI=/", "CONTENT_LENGTH=12x",
	    NULL) == 400);
	TEST_CHECK(parse(NULL, "REQUEST_URI=/", "CONTENT_LENGTH=-1",
	    NULL) == 400);
	TEST_CHECK(parse("a=1", "REQUEST_URI=/", "CONTENT_LENGTH=5",
	    NULL) == 400);
	TEST_CHECK(parse("a=%", "REQUEST_URI=/", "CONTENT_LENGTH=3",
	    "CONTENT_TYPE=application/x-www-form-urlencoded", NULL) == 400);

	/* Other types stay raw. */
	TEST_CHECK(parse("{\"a\":1}", "REQUEST_METHOD=POST",
	    "REQUEST_URI=/api", "CONTENT_LENGTH=7",
	    "CONTENT_TYPE=application/json", NULL) == 0);
	TEST_STREQ(r.body.p, "{\"a\":1}");
	TEST_CHECK(r.form.n == 0);

	/* Multipart, quoted boundary. */
	TEST_CHECK(parse("--XyZ\r\nContent-Disposition: form-data; "
	    "name=\"t\"\r\n\r\nhi\r\n--XyZ\r\nContent-Disposition: "
	    "form-data; name=\"f\"; filename=\"a.txt\"\r\nContent-Type: "
	    "text/plain\r\n\r\nfile\r\n--XyZ--\r\n", "REQUEST_METHOD=POST",
	    "REQUEST_URI=/up", "CONTENT_LENGTH=165",
	    "CONTENT_TYPE=multipart/form-data; boundary=\"XyZ\"", NULL) == 0);
	v = req_form(&r, "t");
	TEST_STREQ(v ? v->p : NULL, "hi");
	p = req_file(&r, "f");
	TEST_CHECK(p != NULL && str_eqc(p->data, "file") &&
	    str_eqc(p->filename, "a.txt") && str_eqc(p->ctype, "text/plain"));
	TEST_CHECK(req_file(&r, "t") == NULL);
	TEST_CHECK(parse("--XyZ--", "REQUEST_METHOD=POST", "REQUEST_URI=/",
	    "CONTENT_LENGTH=7", "CONTENT_TYPE=multipart/form-data", NULL) ==
	    400);
	TEST_CHECK(parse("--XyZ\r\n", "REQUEST_METHOD=POST", "REQUEST_URI=/",
	    "CONTENT_LENGTH=7", "CONTENT_TYPE=multipart/form-data; "
	    "charset=utf-8; BOUNDARY=XyZ", NULL) == 400);
}

static int
head_has(const char *line)
{
	struct str h = resp_head(&r);

	return strstr(h.p, line) != NULL;
}

static void
test_resp(void)
{
	struct str h;

	TEST_CHECK(parse(NULL, "REQUEST_METHOD=GET", "REQUEST_URI=/", NULL) ==
	    0);
	strbuf_addstr(&out, "hello");
	h = resp_head(&r);
	TEST_STREQ(h.p, "Status: 200 OK\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: 5\r\n\r\n");
	TEST_CHECK(h.len == strlen(h.p));
	/* HEAD gets the very header of GET: the Content-Length of the
	 * body a GET gets (resp_send() then writes no body). */
	TEST_CHECK(parse(NULL, "REQUEST_METHOD=HEAD", "REQUEST_URI=/",
	    NULL) == 0);
	strbuf_addstr(&out, "hello");
	resp_header(&r, "Cache-Control", "public, max-age=5");
	TEST_STREQ(resp_head(&r).p, "Status: 200 OK\r\n"
	    "Cache-Control: public, max-age=5\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: 5\r\n\r\n");
	TEST_CHECK(parse(NULL, "REQUEST_METHOD=GET", "REQUEST_URI=/", NULL) ==
	    0);
	strbuf_addstr(&out, "hello");

	resp_status(&r, 404);
	resp_header(&r, "Content-Type", "application/json");
	resp_header(&r, "X-Frame-Options", "DENY");
	resp_header(&r, "X-Bad", "a\r\nSet-Cookie: x=1");
	resp_header(&r, "X-Bad2", "a\nb");
	resp_header(&r, "X Bad", "v");
	resp_header(&r, "X-Bad\r\nY", "v");
	resp_header(&r, "Content-Length", "9");
	resp_header(&r, "status", "200");
	TEST_STREQ(resp_head(&r).p, "Status: 404 Not Found\r\n"
	    "Content-Type: application/json\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Cache-Control: no-store\r\n"
	    "Content-Length: 5\r\n\r\n");
	TEST_CHECK(r.nhdr == 3);

	resp_status(&r, 1000);
	TEST_CHECK(r.status == 500);
	TEST_CHECK(head_has("Status: 500 Internal Server Error\r\n"));
	resp_status(&r, 413);
	TEST_CHECK(head_has("Status: 413 Content Too Large\r\n"));
	resp_status(&r, 405);
	TEST_CHECK(head_has("Status: 405 Method Not Allowed\r\n"));
	resp_status(&r, 418);
	TEST_CHECK(head_has("Status: 418 Client Error\r\n"));
	resp_status(&r, 204);
	TEST_CHECK(!head_has("Content-Length"));

	/* Many headers: the array grows in the arena. */
	{
		int i;

		for (i = 0; i < 40; i++)
			resp_header(&r, arena_printf(&a, "X-N%d", i), "1");
		TEST_CHECK(r.nhdr == 43);
	}
	/* One line per name: a later value replaces the earlier one, in
	 * place, whatever the case of the name. */
	resp_status(&r, 200);
	resp_header(&r, "x-n5", "five");
	TEST_CHECK(r.nhdr == 43 && head_has("\r\nx-n5: five\r\n") &&
	    !head_has("X-N5:"));
	/* A prefix of another name is another header. */
	resp_header(&r, "X-N1", "2");
	TEST_CHECK(r.nhdr == 43 && head_has("\r\nX-N10: 1\r\n") &&
	    head_has("\r\nX-N1: 2\r\n"));
	/* An error carries exactly one Cache-Control, no-store, whatever
	 * the handler set before it failed (issue 8, defect 16: a
	 * storefront 400 said "public, max-age=5" and "no-store"). */
	resp_header(&r, "Cache-Control", "public, max-age=5");
	TEST_CHECK(head_has("\r\nCache-Control: public, max-age=5\r\n"));
	resp_status(&r, 400);
	{
		struct str	 hd = resp_head(&r);
		const char	*c = strstr(hd.p, "Cache-Control:");

		TEST_CHECK(c != NULL && strncmp(c, "Cache-Control: no-store\r\n",
		    25) == 0 && strstr(c + 1, "Cache-Control") == NULL);
		TEST_CHECK(strstr(hd.p, "public") == NULL);
	}
	/* Without FastCGI resp_send() fails, once. */
	TEST_CHECK(resp_send(&r) == -1);
	TEST_CHECK(r.sent && resp_send(&r) == 0);
}

static void
test_cookie_redirect(void)
{
	TEST_CHECK(parse(NULL, "REQUEST_METHOD=POST", "REQUEST_URI=/", NULL) ==
	    0);
	resp_cookie(&r, "sid", "abc123", 3600, COOKIE_HTTPONLY | COOKIE_LAX);
	TEST_CHECK(head_has("\r\nSet-Cookie: sid=abc123; Path=/; "
	    "Max-Age=3600; HttpOnly; SameSite=Lax\r\n"));
	resp_cookie(&r, "x", "", 0, COOKIE_SECURE);
	TEST_CHECK(head_has("\r\nSet-Cookie: x=; Path=/; Max-Age=0; "
	    "SameSite=Strict; Secure\r\n"));
	resp_cookie(&r, "s", "v", -1, COOKIE_LAX);
	TEST_CHECK(head_has("\r\nSet-Cookie: s=v; Path=/; SameSite=Lax\r\n"));
	config_set("secure_cookies", "1");
	resp_cookie(&r, "t", "w", -1, COOKIE_LAX);
	TEST_CHECK(head_has("\r\nSet-Cookie: t=w; Path=/; SameSite=Lax; "
	    "Secure\r\n"));
	config_set("secure_cookies", "0");
	TEST_CHECK(r.nhdr == 4);
	resp_cookie(&r, "a", "b c", -1, 0);
	resp_cookie(&r, "a", "b;c", -1, 0);
	resp_cookie(&r, "a", "b\r\nX: y", -1, 0);
	resp_cookie(&r, "a", "\"b\"", -1, 0);
	resp_cookie(&r, "a=b", "c", -1, 0);
	resp_cookie(&r, "", "c", -1, 0);
	TEST_CHECK(r.nhdr == 4);

	/* After a POST: 303, body emptied. */
	strbuf_addstr(&out, "page");
	resp_redirect(&r, 0, "/cart?added=1");
	TEST_CHECK(r.status == 303 && out.len == 0);
	TEST_CHECK(head_has("Status: 303 See Other\r\n"));
	TEST_CHECK(head_has("\r\nLocation: /cart?added=1\r\n"));

	static const char *const bad[] = {
		"//evil.example/", "/\\evil.example", "javascript:alert(1)",
		"evil.example", "/a b", "/a\r\nSet-Cookie: x=1", "ftp://x/",
		"", "HTTPS://x/",
	};
	size_t i;

	for (i = 0; i < NELEM(bad); i++) {
		TEST_CHECK(parse(NULL, "REQUEST_METHOD=GET", "REQUEST_URI=/",
		    NULL) == 0);
		resp_redirect(&r, 0, bad[i]);
		TEST_CHECK(r.status == 302);
		TEST_CHECK(head_has("\r\nLocation: /\r\n"));
	}
	TEST_CHECK(parse(NULL, "REQUEST_METHOD=GET", "REQUEST_URI=/", NULL) ==
	    0);
	resp_redirect(&r, 301, "https://shop.example.com/p?x=%20");
	TEST_CHECK(r.status == 301);
	TEST_CHECK(head_has("\r\nLocation: https://shop.example.com/p?x=%20"
	    "\r\n"));
	resp_redirect(&r, 200, "http://localhost:8080/");
	TEST_CHECK(r.status == 302);
}

/* A streamed body (resp_stream()): the head has no Content-Length,
 * and once it is sent resp_send() writes nothing more. Without FastCGI
 * (r.fcgx NULL) both writes fail, as for a client gone. */
static void
test_stream(void)
{
	TEST_CHECK(parse(NULL, "REQUEST_METHOD=GET", "REQUEST_URI=/", NULL) ==
	    0);
	resp_header(&r, "Content-Type", "text/csv; charset=utf-8");
	TEST_CHECK(resp_stream(&r) == -1);
	TEST_CHECK(r.sent && r.streaming);
	TEST_STREQ(resp_head(&r).p, "Status: 200 OK\r\n"
	    "Content-Type: text/csv; charset=utf-8\r\n\r\n");
	TEST_CHECK(resp_write(&r, "a,b\r\n", 5) == -1);
	TEST_CHECK(resp_send(&r) == 0);
	TEST_CHECK(resp_stream(&r) == -1);
	/* Not streaming: resp_write() refuses. */
	TEST_CHECK(parse(NULL, "REQUEST_METHOD=GET", "REQUEST_URI=/", NULL) ==
	    0);
	TEST_CHECK(resp_write(&r, "x", 1) == -1);
}

int
main(void)
{
	arena_init(&a);
	test_get();
	test_bad_input();
	test_body();
	test_resp();
	test_stream();
	test_cookie_redirect();
	arena_free(&a);
	strbuf_release(&out);
	config_free();
	return test_done();
}
