/*
 * tests/unit/shop/catalog.c: the catalog of one shop against the real
 * MariaDB: validation with field errors, texts with language fallback,
 * keyset pages in every sort, search, deletion, and that two shops never
 * see each other's rows.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "platform/provision.h"
#include "platform/tenant.h"
#include "shop/catalog.h"
#include "shop/search.h"
#include "dbtest.h"
#include "test.h"

static struct arena a;

static struct shop_ctx
ctx_of(struct db *db, int64_t tenant, const char *locale)
{
	struct shop_ctx c = { db, &a, tenant, locale, "de", "EUR", NULL,
	    NULL, 0 };

	return c;
}

static void
search_checks(struct shop_ctx *de, struct shop_ctx *en)
{
	struct search_query	s;
	struct search_result	res;
	int			i;

	memset(&s, 0, sizeof(s));
	s.min_price = s.max_price = -1;
	s.q = STR("Brot");
	TEST_CHECK(search_products(de, &s, &res) == SHOP_OK);
	TEST_CHECK(res.list.n == CATALOG_PAGE && res.list.more);
	/* A real total, the same on every page, and past the end. */
	TEST_CHECK(res.total == 60 && !res.total_more);
	s.page = 2;
	TEST_CHECK(search_products(de, &s, &res) == SHOP_OK);
	TEST_CHECK(res.list.n == 12 && !res.list.more &&
	    res.total == 60);
	s.page = 5;
	TEST_CHECK(search_products(de, &s, &res) == SHOP_OK);
	TEST_CHECK(res.list.n == 0 && res.total == 60);
	s.page = SEARCH_PAGES;
	TEST_CHECK(search_products(de, &s, &res) == SHOP_EINVAL);
	s.page = 0;
	/* In English: the 30 with an English text match by it, so
	 * "Brot" finds only the 30 that have none. */
	TEST_CHECK(search_products(en, &s, &res) == SHOP_OK);
	TEST_CHECK(res.total == 30);
	for (i = 0; i < (int)res.list.n; i++)
		TEST_CHECK(!str_eqc(res.list.v[i].name, "Bread"));
	s.q = STR("Bread");
	TEST_CHECK(search_products(en, &s, &res) == SHOP_OK);
	TEST_CHECK(res.total == 30);
	TEST_CHECK(search_products(de, &s, &res) == SHOP_OK);
	TEST_CHECK(res.total == 0);
	s.q = STR("' OR 1=1 --");
	TEST_CHECK(search_products(de, &s, &res) == SHOP_OK &&
	    res.list.n == 0 && res.total == 0);
	s.q = STR("Brot 05");
	s.max_price = 200;
	TEST_CHECK(search_products(de, &s, &res) == SHOP_OK);
	for (i = 0; i < (int)res.list.n; i++)
		TEST_CHECK(res.list.v[i].price <= 200);
}

static int64_t
add(struct shop_ctx *c, const char *slug, const char *de, const char *en,
    const char *price, int64_t cat)
{
	struct product_input	in;
	struct field_errors	errs;
	int64_t			id = 0;
	char			catbuf[24];

	memset(&in, 0, sizeof(in));
	in.slug = str_c(slug);
	in.price = str_c(price);
	in.stock = STR("5");
	snprintf(catbuf, sizeof(catbuf), "%lld", (long long)cat);
	in.category_id = cat ? str_c(catbuf) : STR("");
	in.active = 1;
	snprintf(in.texts[0].locale, sizeof(in.texts[0].locale), "de");
	in.texts[0].name = str_c(de);
	in.texts[0].description = STR("Beschreibung");
	in.ntexts = 1;
	if (en != NULL) {
		snprintf(in.texts[1].locale, sizeof(in.texts[1].locale), "en");
		in.texts[1].name = str_c(en);
		in.texts[1].description = STR("Description");
		in.ntexts = 2;
	}
	TEST_CHECK(catalog_product_save(c, 0, &in, &errs, &id) == SHOP_OK);
	return id;
}

static int
has_error(const struct field_errors *e, const char *field)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0)
			return 1;
	return 0;
}

static void
test_validation(struct shop_ctx *c)
{
	struct product_input	in;
	struct field_errors	errs;
	int64_t			id;

	memset(&in, 0, sizeof(in));
	in.slug = STR("Bad Slug");
	in.price = STR("1.234");
	in.stock = STR("-3");
	in.category_id = STR("999999");
	in.sku = STR("x\x01y");
	snprintf(in.texts[0].locale, 9, "de");
	in.ntexts = 1;
	TEST_CHECK(catalog_product_save(c, 0, &in, &errs, &id) == SHOP_EINVAL);
	TEST_CHECK(has_error(&errs, "slug") && has_error(&errs, "price") &&
	    has_error(&errs, "stock") && has_error(&errs, "category_id") &&
	    has_error(&errs, "sku") && has_error(&errs, "name"));
	/* An empty slug is made from the default language's name. */
	in.slug = STR("");
	in.price = STR("12,50");
	in.stock = STR("3");
	in.category_id = STR("");
	in.sku = STR("");
	in.texts[0].name = STR("Grünes Brot 2000");
	TEST_CHECK(catalog_product_save(c, 0, &in, &errs, &id) == SHOP_OK);
	{
		struct product		 p;
		struct product_text	*t;
		size_t			 nt;

		TEST_CHECK(catalog_product_get(c, id, &p, &t, &nt) == SHOP_OK);
		TEST_CHECK(str_eqc(p.slug, "gr-nes-brot-2000"));
		TEST_CHECK(p.price == 1250 && p.stock == 3 && nt == 1);
	}
	/* The same slug again is a conflict on "slug". */
	TEST_CHECK(catalog_product_save(c, 0, &in, &errs, &id) ==
	    SHOP_ECONFLICT && has_error(&errs, "slug"));
	/* Updating a product that does not exist. */
	in.slug = STR("other");
	TEST_CHECK(catalog_product_save(c, 99999999, &in, &errs, &id) ==
	    SHOP_ENOTFOUND);
}

static void
test_pages(struct shop_ctx *de, struct shop_ctx *en)
{
	struct field_errors	errs;
	struct product_list	l;
	struct catalog_cursor	cur = { 0, 0 };
	struct product_page	pp;
	int64_t			cat, seen = 0, last_price = -1, id;
	char			slug[32], price[16], name[32];
	int			i, pages = 0;

	TEST_CHECK(category_add(de, STR("brot"), STR("Brot"), 0,
	    &errs, &cat) == SHOP_OK);
	for (i = 0; i < 60; i++) {
		snprintf(slug, sizeof(slug), "p-%02d", i);
		snprintf(price, sizeof(price), "%d.%02d", 1 + (i * 7) % 13,
		    i % 100);
		snprintf(name, sizeof(name), "Brot %02d", i);
		(void)add(de, slug, name, i % 2 ? "Bread" : NULL, price, cat);
	}
	/* Price ascending over keyset pages: every product once, in order. */
	do {
		TEST_CHECK(catalog_list(de, cat, CATALOG_SORT_PRICE_ASC, &cur,
		    &l) == SHOP_OK);
		for (i = 0; i < (int)l.n; i++) {
			TEST_CHECK(l.v[i].price >= last_price);
			last_price = l.v[i].price;
		}
		seen += (int64_t)l.n;
		cur = l.next;
		pages++;
	} while (l.more && pages < 10);
	TEST_CHECK(seen == 60 && pages == 3);
	/* Texts: English where there is one, German otherwise. */
	TEST_CHECK(catalog_product_page(en, STR("p-01"), &pp) == SHOP_OK);
	TEST_CHECK(str_eqc(pp.p.name, "Bread"));
	TEST_CHECK(str_eqc(pp.cat.slug, "brot"));
	TEST_CHECK(catalog_product_page(en, STR("p-02"), &pp) == SHOP_OK);
	TEST_CHECK(str_eqc(pp.p.name, "Brot 02"));
	id = pp.p.id;
	TEST_CHECK(catalog_product_page(de, STR("nope"), &pp) ==
	    SHOP_ENOTFOUND);
	/* Variants come with the page, their price falling back. */
	TEST_CHECK(catalog_variant_add(de, id, "klein", -1, 2) == SHOP_OK);
	TEST_CHECK(catalog_variant_add(de, id, "groß", 999, 0) == SHOP_OK);
	TEST_CHECK(catalog_product_page(de, STR("p-02"), &pp) == SHOP_OK);
	TEST_CHECK(pp.nvariants == 2 && pp.variants[0].price == pp.p.price &&
	    pp.variants[1].price == 999 && pp.variants[1].stock == 0);
	/* Search, by InnoDB's FULLTEXT (a shop whose index is not built)
	 * and by the shop's own index (search_index.h): the same answers. */
	search_checks(de, en);
	de->search_indexed = en->search_indexed = 1;
	search_checks(de, en);
	de->search_indexed = en->search_indexed = 0;
	/* Defect 4: the texts read for editing are bounded by the array,
	 * whatever the table holds. */
	{
		struct product		 p;
		struct product_text	*t;
		size_t			 nt;
		char			 sqlt[160];

		for (i = 0; i < 20; i++) {
			snprintf(sqlt, sizeof(sqlt), "INSERT INTO {p}"
			    "product_texts (product_id, locale, name, "
			    "description) VALUES (%lld, 'x%02d', 'n', '')",
			    (long long)id, i);
			TEST_CHECK(db_exec_ddl(de->db, sqlt, de->tenant) == 0);
		}
		TEST_CHECK(catalog_product_get(de, id, &p, &t, &nt) ==
		    SHOP_OK);
		TEST_CHECK(nt == 16);
	}
	TEST_CHECK(catalog_product_delete(de, id) == SHOP_OK);
	TEST_CHECK(catalog_product_delete(de, id) == SHOP_ENOTFOUND);
	TEST_CHECK(catalog_product_page(de, STR("p-02"), &pp) ==
	    SHOP_ENOTFOUND);
}

/* The product's price and its variant's, as stored. */
static void
prices_of(struct shop_ctx *c, const char *slug, int64_t *p, int64_t *v)
{
	struct product_page pp;

	*p = *v = -1;
	if (catalog_product_page(c, str_c(slug), &pp) != SHOP_OK)
		return;
	*p = pp.p.price;
	if (pp.nvariants > 0)
		*v = pp.variants[pp.nvariants - 1].price;
}

static int
set_currency(struct db *db, int64_t id, const char *cur)
{
	struct tenant		t;
	struct tenant_settings	s;
	size_t			i;

	if (tenant_get_by_id(db, id, &t) != TENANT_OK)
		return -1;
	memset(&s, 0, sizeof(s));
	s.name = str_c(t.name);
	s.color_primary = str_c(t.color_primary);
	s.color_accent = str_c(t.color_accent);
	for (i = 0; i < t.nlocales; i++)
		s.locales[i] = str_c(t.locales[i]);
	s.nlocales = t.nlocales;
	s.default_locale = str_c(t.default_locale);
	s.currency = str_c(cur);
	s.logo = str_c(t.logo);
	return tenant_update_settings(db, id, &s) == TENANT_OK ? 0 : -1;
}

/* Defect 15: a new base currency keeps every amount's value in major
 * units, rounded half up to the new minor unit. */
static void
test_currency_change(struct db *db, int64_t shop)
{
	struct shop_ctx	c = ctx_of(db, shop, "de");
	int64_t		id, p, v;

	id = add(&c, "teuer", "Teuer", NULL, "12.50", 0);
	TEST_CHECK(catalog_variant_add(&c, id, "gross", 1999, 1) == SHOP_OK);
	prices_of(&c, "teuer", &p, &v);
	TEST_CHECK(p == 1250 && v == 1999);
	TEST_CHECK(set_currency(db, shop, "JPY") == 0);
	prices_of(&c, "teuer", &p, &v);
	TEST_CHECK(p == 13 && v == 20);
	TEST_CHECK(set_currency(db, shop, "EUR") == 0);
	prices_of(&c, "teuer", &p, &v);
	TEST_CHECK(p == 1300 && v == 2000);
	/* The same currency again: nothing moves. */
	TEST_CHECK(set_currency(db, shop, "EUR") == 0);
	prices_of(&c, "teuer", &p, &v);
	TEST_CHECK(p == 1300 && v == 2000);
}

/* A description with HTML is sanitised on save: the HTML to show and
 * its text for search; one without tags stays plain (html NULL). */
static void
test_rich(struct shop_ctx *c)
{
	struct product_input	 in;
	struct field_errors	 errs;
	struct product		 p;
	struct product_text	*t;
	struct product_page	 pp;
	struct strbuf		 big = STRBUF_INIT;
	size_t			 nt, i;
	int64_t			 id = 0, plain = 0;

	memset(&in, 0, sizeof(in));
	in.slug = STR("rich");
	in.price = STR("1");
	in.stock = STR("1");
	in.active = 1;
	snprintf(in.texts[0].locale, 9, "de");
	in.texts[0].name = STR("Reich");
	in.texts[0].description = STR("<h2 onclick=x>Pflege</h2>"
	    "<script>alert(1)</script><ul><li>kalt <b>waschen</b></ul>");
	in.ntexts = 1;
	TEST_CHECK(catalog_product_save(c, 0, &in, &errs, &id) == SHOP_OK);
	TEST_CHECK(catalog_product_get(c, id, &p, &t, &nt) == SHOP_OK &&
	    nt == 1);
	TEST_STREQ(t[0].description_html.p, "<h2>Pflege</h2>"
	    "<ul><li>kalt <b>waschen</b></li></ul>");
	TEST_STREQ(t[0].description.p, "Pflege\n\nkalt waschen");
	TEST_CHECK(catalog_product_page(c, STR("rich"), &pp) == SHOP_OK);
	TEST_STREQ(pp.description_html.p, t[0].description_html.p);
	TEST_STREQ(pp.p.description.p, "Pflege\n\nkalt waschen");
	/* search reads the text, not the markup */
	{
		struct search_query	 q = { .q = STR("waschen"),
		    .min_price = -1, .max_price = -1,
		    .sort = CATALOG_SORT_NEWEST };
		struct search_result	 res;

		TEST_CHECK(search_products(c, &q, &res) == SHOP_OK &&
		    res.total == 1);
		q.q = STR("alert");
		TEST_CHECK(search_products(c, &q, &res) == SHOP_OK &&
		    res.total == 0);
	}

	in.slug = STR("plain");
	in.texts[0].description = STR("a & b\n\nc");
	TEST_CHECK(catalog_product_save(c, 0, &in, &errs, &plain) == SHOP_OK);
	TEST_CHECK(catalog_product_page(c, STR("plain"), &pp) == SHOP_OK);
	TEST_CHECK(pp.description_html.p == NULL);
	TEST_STREQ(pp.p.description.p, "a & b\n\nc");
	/* back to plain text: the HTML goes */
	in.slug = STR("rich");
	TEST_CHECK(catalog_product_save(c, id, &in, &errs, &id) == SHOP_OK);
	TEST_CHECK(catalog_product_page(c, STR("rich"), &pp) == SHOP_OK &&
	    pp.description_html.p == NULL);

	/* HTML up to 65536 characters, its text up to 20000 */
	strbuf_addstr(&big, "<p>");
	for (i = 0; i < 20001; i++)
		strbuf_addstr(&big, "è¶");
	in.texts[0].description = strbuf_str(&big);
	TEST_CHECK(catalog_product_save(c, id, &in, &errs, &id) ==
	    SHOP_EINVAL && has_error(&errs, "description"));
	strbuf_reset(&big);
	for (i = 0; i < 13108; i++)
		strbuf_addstr(&big, "<b>x</b>");
	in.texts[0].description = strbuf_str(&big);
	TEST_CHECK(catalog_product_save(c, id, &in, &errs, &id) ==
	    SHOP_EINVAL && has_error(&errs, "description"));
	strbuf_release(&big);
}

/* Adds a product with a sale of price sale from from to to (0: open). */
static int64_t
add_sale(struct shop_ctx *c, const char *slug, const char *price,
    const char *sale, time_t from, time_t to, int64_t cat)
{
	struct product_input	in;
	struct field_errors	errs;
	char			f[32], t[32], catbuf[24];
	int64_t			id = 0;

	memset(&in, 0, sizeof(in));
	in.slug = str_c(slug);
	in.price = str_c(price);
	in.stock = STR("5");
	snprintf(catbuf, sizeof(catbuf), "%lld", (long long)cat);
	in.category_id = str_c(catbuf);
	in.active = 1;
	sale_format_time(from, f, sizeof(f));
	sale_format_time(to, t, sizeof(t));
	in.sale_price = sale ? str_c(sale) : STR("");
	in.sale_from = str_c(f);
	in.sale_to = str_c(t);
	snprintf(in.texts[0].locale, sizeof(in.texts[0].locale), "de");
	in.texts[0].name = str_c(slug);
	in.texts[0].description = STR("");
	in.ntexts = 1;
	TEST_CHECK(catalog_product_save(c, 0, &in, &errs, &id) == SHOP_OK);
	return id;
}

/*
 * The price sorts are by the price a shopper pays: a product on sale
 * sorts by its sale price while the sale runs (open, or dated around
 * now), by its regular price before and after; keyset pages over them
 * give every product once, in order, in both directions, in a
 * category and shop-wide.
 */
static void
test_sale_sort(struct shop_ctx *c)
{
	struct field_errors	errs;
	struct product_list	l;
	struct catalog_cursor	cur;
	time_t			now = time(NULL);
	int64_t			cat, on, dated, future, over, cats[2];
	int64_t			ids[64], prices[64];
	char			slug[16], price[16];
	int			i, k, n, s, pages;

	TEST_CHECK(category_add(c, STR("sale"), STR("Sale"), 0, &errs,
	    &cat) == SHOP_OK);
	for (i = 0; i < 40; i++) {
		snprintf(slug, sizeof(slug), "s-%02d", i);
		snprintf(price, sizeof(price), "%d.00", 2 + (i * 7) % 20);
		(void)add_sale(c, slug, price, NULL, 0, 0, cat);
	}
	/* 11.00 on sale at 1.50, open: second cheapest, after 1.00. */
	on = add_sale(c, "on", "11.00", "1.50", 0, 0, cat);
	(void)add_sale(c, "one", "1.00", NULL, 0, 0, cat);
	/* 30.00 at 0.50 from yesterday to tomorrow: the cheapest. */
	dated = add_sale(c, "dated", "30.00", "0.50", now - 86400,
	    now + 86400, cat);
	/* Not yet, and over: their regular prices, the dearest. */
	future = add_sale(c, "future", "40.00", "0.10", now + 86400, 0, cat);
	over = add_sale(c, "over", "39.00", "0.10", now - 2 * 86400,
	    now - 86400, cat);
	cats[0] = cat;
	cats[1] = 0;
	for (k = 0; k < 2; k++)
		for (s = CATALOG_SORT_PRICE_ASC; s <= CATALOG_SORT_PRICE_DESC;
		    s++) {
			memset(&cur, 0, sizeof(cur));
			n = pages = 0;
			do {
				TEST_CHECK(catalog_list(c, cats[k], s, &cur,
				    &l) == SHOP_OK);
				for (i = 0; i < (int)l.n && n < 64; i++) {
					ids[n] = l.v[i].id;
					prices[n++] = l.v[i].price_now;
				}
				cur = l.next;
			} while (l.more && ++pages < 10);
			/* Two pages of 24. */
			TEST_CHECK(n == 45 && pages == 1);
			for (i = 1; i < n; i++)
				TEST_CHECK(s == CATALOG_SORT_PRICE_ASC ?
				    prices[i - 1] < prices[i] ||
				    (prices[i - 1] == prices[i] &&
				    ids[i - 1] < ids[i]) :
				    prices[i - 1] > prices[i] ||
				    (prices[i - 1] == prices[i] &&
				    ids[i - 1] > ids[i]));
			for (i = 0; i < n; i++) {
				int j;

				for (j = i + 1; j < n; j++)
					TEST_CHECK(ids[i] != ids[j]);
			}
			if (s == CATALOG_SORT_PRICE_ASC) {
				TEST_CHECK(ids[0] == dated && prices[0] == 50);
				TEST_CHECK(ids[2] == on && prices[2] == 150);
				TEST_CHECK(ids[n - 1] == future &&
				    prices[n - 1] == 4000);
				TEST_CHECK(ids[n - 2] == over);
			} else {
				TEST_CHECK(ids[0] == future);
				TEST_CHECK(ids[n - 1] == dated);
			}
		}
}

int
main(void)
{
	struct db	*db = dbtest_open("test-catalog");
	int64_t		 s1, s2, n;
	struct shop_ctx	 de, en, other;

	arena_init(&a);
	s1 = dbtest_shop(db, "cat1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "cat2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0 && s1 != s2);
	de = ctx_of(db, s1, "de");
	en = ctx_of(db, s1, "en");
	other = ctx_of(db, s2, "de");
	test_validation(&de);
	test_pages(&de, &en);
	/* The other shop has none of it, by any id. */
	TEST_CHECK(catalog_count(&other, &n) == SHOP_OK && n == 0);
	{
		struct product		 p;
		struct product_text	*t;
		size_t			 nt;

		TEST_CHECK(catalog_product_get(&other, 1, &p, &t, &nt) ==
		    SHOP_ENOTFOUND);
		TEST_CHECK(catalog_product_delete(&other, 1) ==
		    SHOP_ENOTFOUND);
	}
	TEST_CHECK(catalog_count(&de, &n) == SHOP_OK && n == 60);
	test_currency_change(db, dbtest_shop(db, "cur", NULL, NULL, "de", "EUR"));
	test_rich(&other);
	{
		struct shop_ctx sc = ctx_of(db, dbtest_shop(db, "catsale",
		    NULL, NULL, "de", "EUR"), "de");

		test_sale_sort(&sc);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
