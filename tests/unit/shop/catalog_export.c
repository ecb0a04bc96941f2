/*
 * tests/unit/shop/catalog_export.c: the catalog export against the real
 * MariaDB, past the page size: 450 products come out once each, in the
 * order of their ids, one write a page, with the caller's arena not
 * growing with the catalog; cells a spreadsheet would misread are
 * quoted and neutralised and read back by core/csv.h as they were;
 * variants made without values get a "Variant" attribute; a writer
 * that fails stops the export; another shop's export is its own.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/csv.h"
#include "shop/catalog.h"
#include "shop/catalog_csv.h"
#include "shop/catalog_export.h"
#include "dbtest.h"
#include "test.h"

#define NPROD	450

static struct arena a;

struct sink {
	struct strbuf	 buf;
	int		 calls;
	int		 fail_at;	/* 0: never */
};

static int
sink_write(void *arg, const char *p, size_t n)
{
	struct sink *s = arg;

	if (++s->calls == s->fail_at)
		return -1;
	strbuf_add(&s->buf, p, n);
	return 0;
}

/* The rows of a file, each row's fields copied into a. */
static size_t
parse(struct str file, struct csv_row *rows, size_t max)
{
	struct csv_reader	r;
	struct csv_row		row;
	size_t			n = 0;

	csv_reader_buf(&r, file.p, file.len);
	while (n < max && csv_read(&r, &row) == CSV_ROW)
		csv_row_copy(&a, &row, &rows[n++]);
	TEST_CHECK(r.reason == NULL);
	csv_reader_release(&r);
	return n;
}

static int
col(const struct csv_row *head, const char *name)
{
	size_t	i;

	for (i = 0; i < head->n; i++)
		if (str_eqc(head->v[i], name))
			return (int)i;
	return -1;
}

static void
sql(struct db *db, int64_t shop, const char *text)
{
	TEST_CHECK(db_exec_ddl(db, text, shop) == 0);
}

int
main(void)
{
	struct db		*db = dbtest_open("test-catalog-export");
	static struct csv_row	 rows[NPROD + 10];
	struct catalog_csv_map	 map;
	struct shop_ctx		 de, other;
	struct sink		 s = { STRBUF_INIT, 0, 0 };
	const char		*reason;
	size_t			 n, nprod, used, i;
	int64_t			 s1, s2, prev, id;
	int			 cid, cname, ctype, cprice, cparent, ca;

	arena_init(&a);
	s1 = dbtest_shop(db, "exp1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "exp2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	de = (struct shop_ctx){ db, &a, s1, "de", "de", "EUR", NULL, NULL, 0 };
	other = (struct shop_ctx){ db, &a, s2, "de", "de", "EUR", NULL,
	    NULL, 0 };

	sql(db, s1, "INSERT INTO {p}products (slug, sku, price, stock)"
	    " SELECT CONCAT('p', seq), CONCAT('SKU-', seq), seq * 10, seq"
	    " FROM seq_1_to_450");
	sql(db, s1, "INSERT INTO {p}product_texts (product_id, locale, name,"
	    " description) SELECT id, 'de', CONCAT('Ware ', id), '' FROM"
	    " {p}products");
	/* What a spreadsheet would misread, and a field to quote. */
	sql(db, s1, "UPDATE {p}product_texts SET name = '=HYPERLINK(\"x\")',"
	    " description = 'a, \"b\"\nc' WHERE product_id = 7");
	/* Variants made by name, before attributes. */
	sql(db, s1, "INSERT INTO {p}variants (product_id, name, price, stock,"
	    " position) VALUES (3, 'klein', 120, 1, 0), (3, 'groß', NULL, 2,"
	    " 1)");
	sql(db, s2, "INSERT INTO {p}products (slug, sku, price, stock)"
	    " VALUES ('mine', 'MINE', 100, 1)");

	used = a.used;
	TEST_CHECK(catalog_export_run(&de, CATALOG_CSV_WOO, "https://x.test",
	    sink_write, &s, &nprod) == SHOP_OK);
	TEST_CHECK(nprod == NPROD);
	/* One write a page (200, 200, 50), the header with the first. */
	TEST_CHECK(s.calls == 3);
	/* The pages lived in the export's own arena. */
	TEST_CHECK(a.used - used < 64 * 1024);
	TEST_CHECK(s.buf.len > 3 && memcmp(s.buf.buf, CSV_BOM, 3) == 0);

	n = parse(strbuf_str(&s.buf), rows, NELEM(rows));
	TEST_CHECK(n == 1 + NPROD + 2);
	TEST_CHECK(catalog_csv_detect(rows[0].v, rows[0].n, &map,
	    &reason) == 0 && map.format == CATALOG_CSV_WOO);
	TEST_CHECK(map.nattrs == 1);
	cid = col(&rows[0], "ID");
	cname = col(&rows[0], "Name");
	ctype = col(&rows[0], "Type");
	cprice = col(&rows[0], "Regular price");
	cparent = col(&rows[0], "Parent");
	ca = col(&rows[0], "Attribute 1 value(s)");
	TEST_CHECK(cid >= 0 && cname >= 0 && ctype >= 0 && cprice >= 0 &&
	    cparent >= 0 && ca >= 0);
	prev = 0;
	for (i = 1; i < n; i++) {
		if (rows[i].v[cid].len == 0)
			continue;
		TEST_CHECK(str_to_i64(rows[i].v[cid], 1, INT64_MAX, &id) ==
		    0 && id > prev);
		prev = id;
	}
	TEST_CHECK(prev == NPROD);
	/* Product 3 and its two variations; product 7 neutralised. */
	TEST_CHECK(str_eqc(rows[3].v[ctype], "variable"));
	TEST_CHECK(str_eqc(rows[3].v[col(&rows[0], "Attribute 1 name")],
	    "Variant"));
	TEST_CHECK(str_eqc(rows[3].v[ca], "klein, groß"));
	TEST_CHECK(str_eqc(rows[4].v[ctype], "variation"));
	TEST_CHECK(str_eqc(rows[4].v[cparent], "SKU-3"));
	TEST_CHECK(str_eqc(rows[4].v[cprice], "1.20"));
	TEST_CHECK(str_eqc(rows[5].v[ca], "groß"));
	TEST_CHECK(str_eqc(rows[5].v[cprice], "0.30"));
	TEST_CHECK(str_eqc(rows[9].v[cname], "'=HYPERLINK(\"x\")"));
	TEST_CHECK(str_eq(csv_unneutralise(rows[9].v[cname]),
	    STR("=HYPERLINK(\"x\")")));
	TEST_CHECK(str_eqc(rows[9].v[col(&rows[0], "Description")],
	    "a, \"b\"\nc"));
	TEST_CHECK(str_eqc(rows[9].v[cprice], "0.70"));
	TEST_CHECK(str_eqc(rows[n - 1].v[cprice], "45.00"));

	/* Shopify: a row a product, a row a variant. */
	strbuf_reset(&s.buf);
	s.calls = 0;
	TEST_CHECK(catalog_export_run(&de, CATALOG_CSV_SHOPIFY,
	    "https://x.test", sink_write, &s, &nprod) == SHOP_OK);
	n = parse(strbuf_str(&s.buf), rows, NELEM(rows));
	TEST_CHECK(n == 1 + NPROD + 1);
	TEST_CHECK(catalog_csv_detect(rows[0].v, rows[0].n, &map,
	    &reason) == 0 && map.format == CATALOG_CSV_SHOPIFY);

	/* A writer that fails stops the export there. */
	strbuf_reset(&s.buf);
	s.calls = 0;
	s.fail_at = 2;
	TEST_CHECK(catalog_export_run(&de, CATALOG_CSV_WOO, "https://x.test",
	    sink_write, &s, &nprod) == CATALOG_EXPORT_EWRITE);
	TEST_CHECK(s.calls == 2 && nprod == 400);

	/* Another shop: its product alone. */
	strbuf_reset(&s.buf);
	s.calls = 0;
	s.fail_at = 0;
	TEST_CHECK(catalog_export_run(&other, CATALOG_CSV_WOO,
	    "https://y.test", sink_write, &s, &nprod) == SHOP_OK);
	TEST_CHECK(nprod == 1);
	n = parse(strbuf_str(&s.buf), rows, NELEM(rows));
	TEST_CHECK(n == 2 && str_eqc(rows[1].v[col(&rows[0], "SKU")],
	    "MINE"));

	/* The formats a caller names. */
	{
		enum catalog_csv_format f;

		TEST_CHECK(catalog_export_format_parse("woo", &f) == 0 &&
		    f == CATALOG_CSV_WOO);
		TEST_CHECK(catalog_export_format_parse("shopify", &f) == 0 &&
		    f == CATALOG_CSV_SHOPIFY);
		TEST_CHECK(catalog_export_format_parse("csv", &f) == -1);
		TEST_CHECK(catalog_export_format_parse(NULL, &f) == -1);
	}

	strbuf_release(&s.buf);
	arena_free(&a);
	db_close(db);
	return test_done();
}
