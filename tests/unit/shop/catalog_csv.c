/* Unit test of shop/catalog_csv.c: telling the formats apart by their
 * real headers, unknown headers, export headers, prices, weights and
 * lists. Pure: no database. */
#include "core/common.h"
#include "core/arena.h"
#include "core/csv.h"
#include "shop/catalog_csv.h"

#include "test.h"

/* The header WooCommerce 8's exporter writes for a shop in English
 * with two attributes, and one with a shop weighing in pounds, in
 * lower case, with meta columns. */
static const char woo_header[] =
    "\xef\xbb\xbfID,Type,SKU,Name,Published,\"Is featured?\","
    "\"Visibility in catalog\",\"Short description\",Description,"
    "\"Date sale price starts\",\"Date sale price ends\",\"Tax status\","
    "\"Tax class\",\"In stock?\",Stock,\"Low stock amount\","
    "\"Backorders allowed?\",\"Sold individually?\",\"Weight (kg)\","
    "\"Length (cm)\",\"Width (cm)\",\"Height (cm)\","
    "\"Allow customer reviews?\",\"Purchase note\",\"Sale price\","
    "\"Regular price\",Categories,Tags,\"Shipping class\",Images,"
    "\"Download limit\",\"Download expiry days\",Parent,"
    "\"Grouped products\",Upsells,Cross-sells,\"External URL\","
    "\"Button text\",Position,\"Attribute 1 name\","
    "\"Attribute 1 value(s)\",\"Attribute 1 visible\","
    "\"Attribute 1 global\",\"Attribute 2 name\","
    "\"Attribute 2 value(s)\",\"Attribute 2 visible\","
    "\"Attribute 2 global\",\"Attribute 1 default\"\r\n";
static const char woo_lbs_header[] =
    " type , sku ,name,\"weight (lbs)\",\"regular price\","
    "\"Meta: _custom\",\"attribute 3 name\",\"Attribute 3 value(s)\"\n";

/* Shopify's export of 2024 (with the "Linked To" and market columns). */
static const char shopify_header[] =
    "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,"
    "Published,Option1 Name,Option1 Value,Option1 Linked To,"
    "Option2 Name,Option2 Value,Option2 Linked To,Option3 Name,"
    "Option3 Value,Option3 Linked To,Variant SKU,Variant Grams,"
    "Variant Inventory Tracker,Variant Inventory Qty,"
    "Variant Inventory Policy,Variant Fulfillment Service,Variant Price,"
    "Variant Compare At Price,Variant Requires Shipping,Variant Taxable,"
    "Unit Price Total Measure,Unit Price Total Measure Unit,"
    "Unit Price Base Measure,Unit Price Base Measure Unit,"
    "Variant Barcode,Image Src,Image Position,Image Alt Text,Gift Card,"
    "SEO Title,SEO Description,"
    "Google Shopping / Google Product Category,Google Shopping / Gender,"
    "Variant Image,Variant Weight Unit,Variant Tax Code,Cost per item,"
    "Included / International,Price / International,"
    "Compare At Price / International,Status\n";

/* Detects the header row of text; returns what catalog_csv_detect()
 * does. */
static int
detect(const char *text, struct catalog_csv_map *map, const char **reason)
{
	struct csv_reader	r;
	struct csv_row		row;
	int			rc = -2;

	*reason = NULL;
	csv_reader_buf(&r, text, strlen(text));
	if (csv_read(&r, &row) == CSV_ROW)
		rc = catalog_csv_detect(row.v, row.n, map, reason);
	csv_reader_release(&r);
	return rc;
}

static void
test_detect(void)
{
	struct catalog_csv_map	m;
	const char		*why;

	TEST_CHECK(detect(woo_header, &m, &why) == 0);
	TEST_CHECK(m.format == CATALOG_CSV_WOO);
	TEST_CHECK(m.col[CATALOG_CSV_ID] == 0);
	TEST_CHECK(m.col[CATALOG_CSV_TYPE] == 1);
	TEST_CHECK(m.col[CATALOG_CSV_SKU] == 2);
	TEST_CHECK(m.col[CATALOG_CSV_NAME] == 3);
	TEST_CHECK(m.col[CATALOG_CSV_WEIGHT] == 18);
	TEST_CHECK(m.weight_unit == CATALOG_CSV_KG);
	TEST_CHECK(m.col[CATALOG_CSV_SALE_PRICE] == 24);
	TEST_CHECK(m.col[CATALOG_CSV_REGULAR_PRICE] == 25);
	TEST_CHECK(m.col[CATALOG_CSV_CATEGORIES] == 26);
	TEST_CHECK(m.col[CATALOG_CSV_IMAGES] == 29);
	TEST_CHECK(m.col[CATALOG_CSV_PARENT] == 32);
	TEST_CHECK(m.col[CATALOG_CSV_POSITION] == 38);
	TEST_CHECK(m.col[CATALOG_CSV_HANDLE] == -1);
	TEST_CHECK(m.col[CATALOG_CSV_COMPARE_AT_PRICE] == -1);
	TEST_CHECK(m.nattrs == 2);
	TEST_CHECK(m.attr_name[0] == 39 && m.attr_value[0] == 40);
	TEST_CHECK(m.attr_name[1] == 43 && m.attr_value[1] == 44);
	TEST_CHECK(m.attr_name[2] == -1);
	TEST_CHECK(m.ncols == 48);

	TEST_CHECK(detect(woo_lbs_header, &m, &why) == 0);
	TEST_CHECK(m.format == CATALOG_CSV_WOO);
	TEST_CHECK(m.col[CATALOG_CSV_TYPE] == 0);
	TEST_CHECK(m.col[CATALOG_CSV_WEIGHT] == 3);
	TEST_CHECK(m.weight_unit == CATALOG_CSV_LBS);
	TEST_CHECK(m.col[CATALOG_CSV_REGULAR_PRICE] == 4);
	TEST_CHECK(m.col[CATALOG_CSV_ID] == -1);
	TEST_CHECK(m.nattrs == 3 && m.attr_name[0] == -1 &&
	    m.attr_name[2] == 6 && m.attr_value[2] == 7);

	TEST_CHECK(detect(shopify_header, &m, &why) == 0);
	TEST_CHECK(m.format == CATALOG_CSV_SHOPIFY);
	TEST_CHECK(m.col[CATALOG_CSV_HANDLE] == 0);
	TEST_CHECK(m.col[CATALOG_CSV_NAME] == 1);
	TEST_CHECK(m.col[CATALOG_CSV_DESCRIPTION] == 2);
	TEST_CHECK(m.col[CATALOG_CSV_CATEGORIES] == 5);
	TEST_CHECK(m.col[CATALOG_CSV_TYPE] == -1);
	TEST_CHECK(m.col[CATALOG_CSV_PUBLISHED] == 7);
	TEST_CHECK(m.attr_name[0] == 8 && m.attr_value[0] == 9);
	TEST_CHECK(m.attr_name[1] == 11 && m.attr_value[1] == 12);
	TEST_CHECK(m.attr_name[2] == 14 && m.attr_value[2] == 15);
	TEST_CHECK(m.nattrs == 3);
	TEST_CHECK(m.col[CATALOG_CSV_SKU] == 17);
	TEST_CHECK(m.col[CATALOG_CSV_WEIGHT] == 18);
	TEST_CHECK(m.weight_unit == CATALOG_CSV_G);
	TEST_CHECK(m.col[CATALOG_CSV_STOCK] == 20);
	TEST_CHECK(m.col[CATALOG_CSV_REGULAR_PRICE] == 23);
	TEST_CHECK(m.col[CATALOG_CSV_COMPARE_AT_PRICE] == 24);
	TEST_CHECK(m.col[CATALOG_CSV_TAXABLE] == 26);
	TEST_CHECK(m.col[CATALOG_CSV_IMAGES] == 32);
	TEST_CHECK(m.col[CATALOG_CSV_IMAGE_POSITION] == 33);
	TEST_CHECK(m.col[CATALOG_CSV_IMAGE_ALT] == 34);
	TEST_CHECK(m.col[CATALOG_CSV_VARIANT_IMAGE] == 40);
	TEST_CHECK(m.col[CATALOG_CSV_STATUS] == 47);
	TEST_CHECK(m.col[CATALOG_CSV_SALE_PRICE] == -1);

	/* Unknown headers: the message names what each format needs. */
	TEST_CHECK(detect("Product,Price,Qty\n", &m, &why) == -1);
	TEST_CHECK(why != NULL && strstr(why, "Type, SKU and Name") &&
	    strstr(why, "Handle and Title"));
	TEST_CHECK(detect("Type,Name\n", &m, &why) == -1);
	TEST_CHECK(detect("Handle,Name\n", &m, &why) == -1);
	TEST_CHECK(detect("Title\n", &m, &why) == -1);
	/* A column read twice. */
	TEST_CHECK(detect("Type,SKU,Name,sku\n", &m, &why) == -1);
	TEST_CHECK(why != NULL && strstr(why, "twice") && m.bad_col == 3);
	TEST_CHECK(detect("Handle,Title,Option1 Name,option1 name\n", &m,
	    &why) == -1 && m.bad_col == 3);
	/* Ignored columns may repeat. */
	TEST_CHECK(detect("Type,SKU,Name,Tags,Tags\n", &m, &why) == 0);
}

/* The export headers are the real ones, and detect to themselves. */
static void
test_header(void)
{
	struct str		h[CATALOG_CSV_HEADER_MAX];
	struct strbuf		sb = STRBUF_INIT;
	struct catalog_csv_map	m;
	const char		*why;
	size_t			n;

	n = catalog_csv_header(CATALOG_CSV_WOO, 2, h);
	csv_row(&sb, h, n);
	TEST_CHECK(strstr(sb.buf, "ID,Type,SKU,Name,Published,Is featured?,"
	    "Visibility in catalog,Short description,Description,") ==
	    sb.buf);
	TEST_CHECK(strstr(sb.buf, ",Weight (kg),") != NULL);
	TEST_CHECK(strstr(sb.buf, ",Position,Attribute 1 name,Attribute 1 "
	    "value(s),Attribute 1 visible,Attribute 1 global,Attribute 2 "
	    "name,Attribute 2 value(s),Attribute 2 visible,Attribute 2 "
	    "global\r\n") != NULL);
	TEST_CHECK(detect(sb.buf, &m, &why) == 0);
	TEST_CHECK(m.format == CATALOG_CSV_WOO && m.nattrs == 2 &&
	    m.ncols == n && m.col[CATALOG_CSV_HANDLE] == -1);

	TEST_CHECK(catalog_csv_header(CATALOG_CSV_WOO, 99, h) <=
	    CATALOG_CSV_HEADER_MAX);

	strbuf_reset(&sb);
	n = catalog_csv_header(CATALOG_CSV_SHOPIFY, 0, h);
	csv_row(&sb, h, n);
	TEST_CHECK(strstr(sb.buf, "Handle,Title,Body (HTML),Vendor,") ==
	    sb.buf);
	TEST_CHECK(strstr(sb.buf, ",Status\r\n") != NULL);
	TEST_CHECK(detect(sb.buf, &m, &why) == 0);
	TEST_CHECK(m.format == CATALOG_CSV_SHOPIFY && m.nattrs == 3 &&
	    m.ncols == n);
	TEST_STREQ(catalog_csv_format_name(CATALOG_CSV_SHOPIFY), "Shopify");
	TEST_STREQ(catalog_csv_format_name(CATALOG_CSV_WOO), "WooCommerce");
	strbuf_release(&sb);
}

static int64_t
price(enum catalog_csv_format f, const char *s, const char *cur)
{
	int64_t		v = -42;
	const char	*why = NULL;
	int		rc;

	rc = catalog_csv_price(f, str_c(s), cur, &v, &why);
	if (rc == -1)
		return why != NULL ? -1 : -99;
	if (rc == 1)
		return v == -42 ? -2 : -99;
	return v;
}

static void
test_price(void)
{
	enum catalog_csv_format w = CATALOG_CSV_WOO, s = CATALOG_CSV_SHOPIFY;

	TEST_CHECK(price(w, "12.50", "EUR") == 1250);
	TEST_CHECK(price(w, "12,50", "EUR") == 1250);
	TEST_CHECK(price(w, " 12.5 ", "EUR") == 1250);
	TEST_CHECK(price(w, "12", "EUR") == 1200);
	TEST_CHECK(price(w, "0.05", "EUR") == 5);
	TEST_CHECK(price(w, "12.5000", "EUR") == 1250);
	TEST_CHECK(price(w, "12.505", "EUR") == -1);
	TEST_CHECK(price(w, "", "EUR") == -2);
	TEST_CHECK(price(w, "  ", "EUR") == -2);
	TEST_CHECK(price(w, "1,234.56", "EUR") == -1);
	TEST_CHECK(price(w, "-1", "EUR") == -1);
	TEST_CHECK(price(w, "+1", "EUR") == -1);
	TEST_CHECK(price(w, "\xe2\x82\xac" "12", "EUR") == -1);
	TEST_CHECK(price(w, "12.", "EUR") == -1);
	TEST_CHECK(price(w, ".5", "EUR") == -1);
	TEST_CHECK(price(w, "1e3", "EUR") == -1);
	TEST_CHECK(price(w, "12.50", "XXX") == -1);
	TEST_CHECK(price(w, "1500", "JPY") == 1500);
	TEST_CHECK(price(w, "1500.00", "JPY") == 1500);
	TEST_CHECK(price(w, "1500.50", "JPY") == -1);
	TEST_CHECK(price(w, "1.234", "KWD") == 1234);
	TEST_CHECK(price(w, "92233720368547758.07", "EUR") ==
	    INT64_MAX);
	TEST_CHECK(price(w, "92233720368547758.08", "EUR") == -1);
	TEST_CHECK(price(w, "000012.50", "EUR") == 1250);

	TEST_CHECK(price(s, "19.99", "USD") == 1999);
	TEST_CHECK(price(s, "19,99", "USD") == -1);
	TEST_CHECK(price(s, "1000.00", "JPY") == 1000);
	TEST_CHECK(price(s, "1000.0", "JPY") == 1000);
	TEST_CHECK(price(s, "", "USD") == -2);
}

static int64_t
weight(const char *s, enum catalog_csv_unit u)
{
	int64_t		g = -42;
	const char	*why = NULL;
	int		rc;

	rc = catalog_csv_weight(str_c(s), u, &g, &why);
	if (rc == -1)
		return why != NULL ? -1 : -99;
	if (rc == 1)
		return g == -42 ? -2 : -99;
	return g;
}

static void
test_weight(void)
{
	TEST_CHECK(weight("0.25", CATALOG_CSV_KG) == 250);
	TEST_CHECK(weight("1", CATALOG_CSV_KG) == 1000);
	TEST_CHECK(weight("0.0005", CATALOG_CSV_KG) == 1);	/* half up */
	TEST_CHECK(weight("0.0004", CATALOG_CSV_KG) == 0);
	TEST_CHECK(weight("1.234567", CATALOG_CSV_KG) == 1235);
	TEST_CHECK(weight("1.2345678", CATALOG_CSV_KG) == -1);
	TEST_CHECK(weight("250", CATALOG_CSV_G) == 250);
	TEST_CHECK(weight("250.0", CATALOG_CSV_G) == 250);
	TEST_CHECK(weight("0.5", CATALOG_CSV_G) == 1);
	TEST_CHECK(weight("1", CATALOG_CSV_LBS) == 454);	/* 453.59 */
	TEST_CHECK(weight("2.5", CATALOG_CSV_LBS) == 1134);	/* 1133.98 */
	TEST_CHECK(weight("1", CATALOG_CSV_OZ) == 28);	/* 28.35 */
	TEST_CHECK(weight("16", CATALOG_CSV_OZ) == 454);
	TEST_CHECK(weight("", CATALOG_CSV_KG) == -2);
	TEST_CHECK(weight(" 0.1 ", CATALOG_CSV_KG) == 100);
	TEST_CHECK(weight("0,25", CATALOG_CSV_KG) == -1);
	TEST_CHECK(weight("-1", CATALOG_CSV_KG) == -1);
	TEST_CHECK(weight("1kg", CATALOG_CSV_KG) == -1);
	TEST_CHECK(weight("2147483.647", CATALOG_CSV_KG) == INT32_MAX);
	TEST_CHECK(weight("2147483.648", CATALOG_CSV_KG) == -1);
	TEST_CHECK(weight("99999999999", CATALOG_CSV_KG) == -1);
	TEST_CHECK(weight("00000000000000000001", CATALOG_CSV_G) == 1);
	TEST_CHECK(weight("9999999999", CATALOG_CSV_OZ) == -1);
	TEST_CHECK(weight("1", (enum catalog_csv_unit)9) == -1);
}

/* The date catalog_csv_date() makes of s, "empty" or "bad". */
static const char *
date(const char *s)
{
	static char	out[CATALOG_CSV_DATE_LEN];
	const char	*why = NULL;
	int		 rc;

	rc = catalog_csv_date(str_c(s), out, &why);
	if (rc == 1)
		return "empty";
	if (rc == -1)
		return why != NULL ? "bad" : "no reason";
	return out;
}

static void
test_date(void)
{
	TEST_STREQ(date("2024-05-31"), "2024-05-31 00:00:00");
	TEST_STREQ(date(" 2024-05-31 13:30:05 "), "2024-05-31 13:30:05");
	TEST_STREQ(date("2024-05-31T13:30"), "2024-05-31 13:30:00");
	TEST_STREQ(date("2024-02-29"), "2024-02-29 00:00:00");
	TEST_STREQ(date("2000-02-29"), "2000-02-29 00:00:00");
	TEST_STREQ(date("1970-01-01 00:00:00"), "1970-01-01 00:00:00");
	TEST_STREQ(date(""), "empty");
	TEST_STREQ(date("2023-02-29"), "bad");
	TEST_STREQ(date("1900-02-29"), "bad");
	TEST_STREQ(date("2024-04-31"), "bad");
	TEST_STREQ(date("2024-13-01"), "bad");
	TEST_STREQ(date("2024-00-10"), "bad");
	TEST_STREQ(date("2024-05-31 24:00:00"), "bad");
	TEST_STREQ(date("2024-05-31 23:60"), "bad");
	TEST_STREQ(date("2024-05-31 23:59:60"), "bad");
	TEST_STREQ(date("1969-12-31"), "bad");
	TEST_STREQ(date("31/05/2024"), "bad");
	TEST_STREQ(date("2024-5-31"), "bad");
	TEST_STREQ(date("2024-05-31 13:30:0x"), "bad");
	TEST_STREQ(date("2024-05-31x13:30"), "bad");
	TEST_STREQ(date("+024-05-31"), "bad");
}

static void
test_bool(void)
{
	TEST_CHECK(catalog_csv_bool(STR("1")) == 1);
	TEST_CHECK(catalog_csv_bool(STR("TRUE")) == 1);
	TEST_CHECK(catalog_csv_bool(STR(" true ")) == 1);
	TEST_CHECK(catalog_csv_bool(STR("Yes")) == 1);
	TEST_CHECK(catalog_csv_bool(STR("0")) == 0);
	TEST_CHECK(catalog_csv_bool(STR("FALSE")) == 0);
	TEST_CHECK(catalog_csv_bool(STR("no")) == 0);
	TEST_CHECK(catalog_csv_bool(STR("")) == -1);
	TEST_CHECK(catalog_csv_bool(STR("-1")) == -1);
	TEST_CHECK(catalog_csv_bool(STR("backorder")) == -1);
	TEST_CHECK(catalog_csv_bool(STR("10")) == -1);
}

static void
test_lists(void)
{
	struct arena	a;
	struct str	rest, item, path;

	arena_init(&a);
	rest = STR("Clothing > Hoodies, Decor,, Music\\, Film > Jazz ,");
	TEST_CHECK(catalog_csv_list_next(&a, &rest, &item) == 1);
	TEST_CHECK(str_eqc(item, "Clothing > Hoodies"));
	path = item;
	TEST_CHECK(catalog_csv_path_next(&path, &item) == 1 &&
	    str_eqc(item, "Clothing"));
	TEST_CHECK(catalog_csv_path_next(&path, &item) == 1 &&
	    str_eqc(item, "Hoodies"));
	TEST_CHECK(catalog_csv_path_next(&path, &item) == 0);
	TEST_CHECK(catalog_csv_list_next(&a, &rest, &item) == 1);
	TEST_CHECK(str_eqc(item, "Decor"));
	TEST_CHECK(catalog_csv_list_next(&a, &rest, &item) == 1);
	TEST_CHECK(str_eqc(item, "Music, Film > Jazz"));
	TEST_CHECK(catalog_csv_list_next(&a, &rest, &item) == 0);
	TEST_CHECK(catalog_csv_list_next(&a, &rest, &item) == 0);

	rest = STR("");
	TEST_CHECK(catalog_csv_list_next(&a, &rest, &item) == 0);
	rest = STR("https://img.test/a.jpg, https://img.test/b.jpg");
	TEST_CHECK(catalog_csv_list_next(&a, &rest, &item) == 1 &&
	    str_eqc(item, "https://img.test/a.jpg"));
	TEST_CHECK(catalog_csv_list_next(&a, &rest, &item) == 1 &&
	    str_eqc(item, "https://img.test/b.jpg"));
	TEST_CHECK(catalog_csv_list_next(&a, &rest, &item) == 0);
	path = STR(" > A >> B > ");
	TEST_CHECK(catalog_csv_path_next(&path, &item) == 1 &&
	    str_eqc(item, "A"));
	TEST_CHECK(catalog_csv_path_next(&path, &item) == 1 &&
	    str_eqc(item, "B"));
	TEST_CHECK(catalog_csv_path_next(&path, &item) == 0);
	arena_free(&a);
}

int
main(void)
{
	test_detect();
	test_header();
	test_price();
	test_weight();
	test_date();
	test_bool();
	test_lists();
	return test_done();
}
