/* Unit test of http/router.c. */
#include "core/common.h"
#include "core/arena.h"
#include "http/router.h"
#include "test.h"

static int h_home(struct req *r) { return 1; }
static int h_product(struct req *r) { return 2; }
static int h_edit(struct req *r) { return 3; }
static int h_save(struct req *r) { return 4; }
static int h_static(struct req *r) { return 5; }
static int h_many(struct req *r) { return 6; }
static int h_del(struct req *r) { return 7; }
static int h_login(struct req *r) { return 8; }

/* The router carries a route's field table without reading it. */
static const int login_fields_stub;
#define LOGIN_FIELDS ((const struct field *)(const void *)&login_fields_stub)

static const struct route routes[] = {
	{ HTTP_GET, "/", h_home, 0, NULL },
	{ HTTP_GET, "/products/:slug", h_product, 0, NULL },
	{ HTTP_GET, "/admin/products/:id/edit", h_edit, 1, NULL },
	{ HTTP_POST, "/admin/products/:id/edit", h_save, 1, NULL },
	{ HTTP_DELETE, "/admin/products/:id", h_del, 1, NULL },
	{ HTTP_GET, "/files/*", h_static, 0, NULL },
	{ HTTP_GET, "/:a/:b/:c/:d/:e/:f/:g/:h/:i", h_many, 0, NULL },
	{ HTTP_GET, "/products/new", h_home, 0, NULL },	/* shadowed */
	{ HTTP_POST, "/login", h_login, ROUTE_ANON | ROUTE_FORM_ERRORS,
	    LOGIN_FIELDS },
};

static struct arena a;
static struct req r;

static enum router_result
match(enum http_method m, const char *path, const struct route **rt)
{
	*rt = NULL;
	r.method = m;
	r.path = str_c(path);
	return router_match(routes, NELEM(routes), &r, rt);
}

int
main(void)
{
	const struct route	*rt;
	const struct str	*v;

	arena_init(&a);
	r.arena = &a;

	TEST_CHECK(match(HTTP_GET, "/", &rt) == ROUTER_FOUND);
	TEST_CHECK(rt && rt->handler == h_home && r.nparams == 0);

	TEST_CHECK(match(HTTP_GET, "/products/red-shoe", &rt) ==
	    ROUTER_FOUND);
	TEST_CHECK(rt && rt->handler == h_product);
	TEST_CHECK(r.nparams == 1);
	v = req_param(&r, "slug");
	TEST_CHECK(v != NULL);
	TEST_STREQ(v ? v->p : NULL, "red-shoe");
	TEST_CHECK(req_param(&r, "id") == NULL);

	/* First match wins: "/products/new" goes to :slug. */
	TEST_CHECK(match(HTTP_GET, "/products/new", &rt) == ROUTER_FOUND);
	TEST_CHECK(rt && rt->handler == h_product);

	/* Parameters are NUL-terminated copies, keys too. */
	TEST_CHECK(match(HTTP_GET, "/admin/products/42/edit", &rt) ==
	    ROUTER_FOUND);
	TEST_CHECK(rt && rt->handler == h_edit && rt->flags == 1);
	v = req_param(&r, "id");
	TEST_STREQ(v ? v->p : NULL, "42");
	TEST_STREQ(r.params[0].key.p, "id");

	/* The same path, other methods; HEAD answered by GET routes. */
	TEST_CHECK(match(HTTP_POST, "/admin/products/42/edit", &rt) ==
	    ROUTER_FOUND);
	TEST_CHECK(rt && rt->handler == h_save);
	TEST_CHECK(match(HTTP_HEAD, "/admin/products/42/edit", &rt) ==
	    ROUTER_FOUND);
	TEST_CHECK(rt && rt->handler == h_edit);
	TEST_CHECK(match(HTTP_HEAD, "/", &rt) == ROUTER_FOUND);
	TEST_CHECK(match(HTTP_PUT, "/admin/products/42/edit", &rt) ==
	    ROUTER_BAD_METHOD);
	TEST_CHECK(rt == NULL && r.nparams == 0);
	TEST_CHECK(match(HTTP_DELETE, "/admin/products/7", &rt) ==
	    ROUTER_FOUND);
	TEST_CHECK(rt && rt->handler == h_del);
	TEST_CHECK(match(HTTP_GET, "/admin/products/7", &rt) ==
	    ROUTER_BAD_METHOD);
	TEST_CHECK(match(HTTP_POST, "/", &rt) == ROUTER_BAD_METHOD);
	/* POST routes do not answer HEAD. */
	TEST_CHECK(match(HTTP_HEAD, "/admin/products/7", &rt) ==
	    ROUTER_BAD_METHOD);

	/* Not found: empty parameter, extra or missing segment, trailing
	 * slash, prefix of a literal. */
	TEST_CHECK(match(HTTP_GET, "/products/", &rt) == ROUTER_NOT_FOUND);
	TEST_CHECK(match(HTTP_GET, "/products", &rt) == ROUTER_NOT_FOUND);
	TEST_CHECK(match(HTTP_GET, "/products/a/b", &rt) ==
	    ROUTER_NOT_FOUND);
	TEST_CHECK(match(HTTP_GET, "/admin/products/42/edit/", &rt) ==
	    ROUTER_NOT_FOUND);
	TEST_CHECK(match(HTTP_GET, "/admin/products//edit", &rt) ==
	    ROUTER_NOT_FOUND);
	TEST_CHECK(match(HTTP_GET, "/admin/product/1/edit", &rt) ==
	    ROUTER_NOT_FOUND);
	TEST_CHECK(match(HTTP_GET, "", &rt) == ROUTER_NOT_FOUND);
	TEST_CHECK(match(HTTP_GET, "//", &rt) == ROUTER_NOT_FOUND);
	TEST_CHECK(rt == NULL);

	/* Trailing '*': the rest, empty or not, as parameter "*". */
	TEST_CHECK(match(HTTP_GET, "/files/a/b/c.css", &rt) == ROUTER_FOUND);
	TEST_CHECK(rt && rt->handler == h_static);
	v = req_param(&r, "*");
	TEST_STREQ(v ? v->p : NULL, "a/b/c.css");
	TEST_CHECK(match(HTTP_GET, "/files/", &rt) == ROUTER_FOUND);
	v = req_param(&r, "*");
	TEST_CHECK(v != NULL && v->len == 0);
	TEST_CHECK(match(HTTP_GET, "/files", &rt) == ROUTER_NOT_FOUND);
	TEST_CHECK(match(HTTP_POST, "/files/x", &rt) == ROUTER_BAD_METHOD);

	/* More parameters than REQ_MAX_PARAMS never match. */
	TEST_CHECK(match(HTTP_GET, "/1/2/3/4/5/6/7/8/9", &rt) ==
	    ROUTER_NOT_FOUND);

	/* Properties every host kind reads the same way are flags of the
	 * route, apart from a table's own (bits 0 to 7), not a comparison
	 * of handler pointers. */
	TEST_CHECK(match(HTTP_POST, "/login", &rt) == ROUTER_FOUND);
	TEST_CHECK(rt && rt->handler == h_login);
	TEST_CHECK(rt && (rt->flags & ROUTE_ANON) &&
	    (rt->flags & ROUTE_FORM_ERRORS) && rt->fields == LOGIN_FIELDS);
	TEST_CHECK(match(HTTP_POST, "/admin/products/1/edit", &rt) ==
	    ROUTER_FOUND);
	TEST_CHECK(rt && !(rt->flags & ROUTE_ANON) && rt->fields == NULL);
	TEST_CHECK((ROUTE_ANON & 0xff) == 0 && (ROUTE_FORM_ERRORS & 0xff) == 0);
	TEST_CHECK((ROUTE_ANON & ROUTE_FORM_ERRORS) == 0);

	arena_free(&a);
	return test_done();
}
