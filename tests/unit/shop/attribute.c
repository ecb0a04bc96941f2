/*
 * tests/unit/shop/attribute.c: attributes, values and variants against
 * the real MariaDB: names per language with the default's fallback,
 * rename and reorder, deletion refused while variants use a value, one
 * variant per combination and none twice, variant names and product
 * values kept right, the variant form's checks (sale below the price,
 * dates in order, the product's images only), sale prices on the
 * product page by dates, and another shop's ids refused.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "platform/provision.h"
#include "shop/attribute.h"
#include "shop/catalog.h"
#include "dbtest.h"
#include "test.h"

static struct arena a;

static int64_t
add(struct shop_ctx *c, int64_t parent, const char *en, const char *de)
{
	struct attribute_input	in;
	struct field_errors	errs;
	int64_t			id = 0;

	memset(&in, 0, sizeof(in));
	memcpy(in.texts[0].locale, "en", 3);
	in.texts[0].name = str_c(en);
	memcpy(in.texts[1].locale, "de", 3);
	in.texts[1].name = str_c(de);
	in.ntexts = 2;
	if (attribute_save(c, 0, parent, &in, &errs, &id) != SHOP_OK)
		return -1;
	return id;
}

static int64_t
product(struct shop_ctx *c, const char *name, const char *price)
{
	struct product_input	in;
	struct field_errors	errs;
	int64_t			id = 0;

	memset(&in, 0, sizeof(in));
	in.price = str_c(price);
	in.stock = STR("5");
	in.active = 1;
	memcpy(in.texts[0].locale, "en", 3);
	in.texts[0].name = str_c(name);
	in.ntexts = 1;
	if (catalog_product_save(c, 0, &in, &errs, &id) != SHOP_OK)
		return -1;
	return id;
}

/* The names of product id's variants joined by ",". */
static const char *
names(struct shop_ctx *c, int64_t id)
{
	struct attribute_variant	*v;
	size_t				 n, i;
	struct strbuf			 sb = STRBUF_INIT;
	const char			*out;

	if (attribute_variants(c, id, &v, &n) != SHOP_OK)
		return "(error)";
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? "," : "", v[i].name.p);
	out = arena_str(&a, (struct str){ sb.buf, sb.len }).p;
	strbuf_release(&sb);
	return out;
}

static size_t
nvalues(struct shop_ctx *c, int64_t id)
{
	int64_t	*v;
	size_t	 n;

	if (attribute_product_values(c, id, &v, &n) != SHOP_OK)
		return 999;
	return n;
}

int
main(void)
{
	struct db			*db = dbtest_open("test-attribute");
	struct shop_ctx			 en, de, other;
	struct field_errors		 errs;
	struct attribute		*all, at;
	struct attribute_text		*texts;
	struct attribute_input		 in;
	struct attribute_variant	*vs;
	struct attribute_variant_input	 vi[8];
	struct product_page		 pp;
	size_t				 n, nt, created, i;
	int64_t				 s1, s2, size, s, m, l, colour, blue,
					 red, wool, material, cap, mug, o_cap;

	arena_init(&a);
	s1 = dbtest_shop(db, "attr1", NULL, NULL, "en", "EUR");
	s2 = dbtest_shop(db, "attr2", NULL, NULL, "en", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	en = (struct shop_ctx){ db, &a, s1, "en", "en", "EUR", NULL, NULL, 0 };
	de = (struct shop_ctx){ db, &a, s1, "de", "en", "EUR", NULL, NULL, 0 };
	other = (struct shop_ctx){ db, &a, s2, "en", "en", "EUR", NULL,
	    NULL, 0 };

	/* CRUD and names per language. */
	size = add(&en, 0, "Size", "Größe");
	s = add(&en, size, "S", "S");
	m = add(&en, size, "M", "M");
	l = add(&en, size, "L", "L");
	colour = add(&en, 0, "Colour", "Farbe");
	blue = add(&en, colour, "Blue", "Blau");
	red = add(&en, colour, "Red", "Rot");
	material = add(&en, 0, "Material", "Material");
	wool = add(&en, material, "Wool", "Wolle");
	TEST_CHECK(size > 0 && s > 0 && m > 0 && l > 0 && colour > 0 &&
	    blue > 0 && red > 0 && wool > 0);
	TEST_CHECK(attribute_list(&de, &all, &n) == SHOP_OK && n == 9);
	TEST_STREQ(all[0].name.p, "Größe");
	TEST_CHECK(all[1].id == s && all[3].id == l && all[4].id == colour);
	TEST_STREQ(all[5].name.p, "Blau");
	/* A name missing in a language falls back to the default's. */
	TEST_CHECK(attribute_get(&en, blue, &at, &texts, &nt) == SHOP_OK &&
	    nt == 2);
	memset(&in, 0, sizeof(in));
	memcpy(in.texts[0].locale, "de", 3);
	in.texts[0].name = STR("");
	in.ntexts = 1;
	TEST_CHECK(attribute_save(&en, blue, 0, &in, &errs, NULL) ==
	    SHOP_OK);
	TEST_CHECK(attribute_get(&de, blue, &at, &texts, &nt) == SHOP_OK &&
	    nt == 1);
	TEST_STREQ(at.name.p, "Blue");
	/* Bad input: no default name, a taken slug, a value of a value, a
	 * parent of another shop. */
	memset(&in, 0, sizeof(in));
	memcpy(in.texts[0].locale, "de", 3);
	in.texts[0].name = STR("Nur Deutsch");
	in.ntexts = 1;
	TEST_CHECK(attribute_save(&en, 0, 0, &in, &errs, NULL) ==
	    SHOP_EINVAL && errs.n >= 1 && strcmp(errs.v[0].field,
	    "name") == 0);
	TEST_CHECK(add(&en, size, "M", "M") == -1);
	TEST_CHECK(add(&en, m, "XL", "XL") == -1);
	TEST_CHECK(add(&other, size, "XS", "XS") == -1);
	TEST_CHECK(attribute_get(&other, size, &at, &texts, &nt) ==
	    SHOP_ENOTFOUND);
	/* Reorder: Colour before Size. */
	memset(&in, 0, sizeof(in));
	in.position = STR("0");
	TEST_CHECK(attribute_save(&en, size, 0, &in, &errs, NULL) == SHOP_OK);
	memset(&in, 0, sizeof(in));
	in.position = STR("5");
	TEST_CHECK(attribute_save(&en, size, 0, &in, &errs, NULL) == SHOP_OK);
	TEST_CHECK(attribute_list(&en, &all, &n) == SHOP_OK && n == 9 &&
	    all[0].id == colour);

	/* Generation: every combination, in the attributes' order. */
	cap = product(&en, "Cap", "20.00");
	mug = product(&en, "Mug", "8.00");
	TEST_CHECK(cap > 0 && mug > 0);
	{
		struct attribute_pick p[] = {
			{ size, s }, { size, m }, { colour, blue }, { colour, red }
		};

		TEST_CHECK(attribute_generate(&en, cap, p, 4, &errs,
		    &created) == SHOP_OK && created == 4);
		TEST_STREQ(names(&en, cap), "Blue / S,Blue / M,Red / S,Red / M");
		TEST_CHECK(nvalues(&en, cap) == 4);
		/* Again, plus L: only the two new ones. */
		struct attribute_pick p2[] = {
			{ size, s }, { size, m }, { size, l }, { colour, blue },
			{ colour, red }
		};
		TEST_CHECK(attribute_generate(&en, cap, p2, 5, &errs,
		    &created) == SHOP_OK && created == 2);
		TEST_CHECK(attribute_variants(&en, cap, &vs, &n) == SHOP_OK &&
		    n == 6);
		TEST_CHECK(nvalues(&en, cap) == 5);
	}
	/* A value under another attribute, another shop's value, none. */
	{
		struct attribute_pick bad[] = { { size, blue } };
		struct attribute_pick none[] = { { size, 999999 } };

		TEST_CHECK(attribute_generate(&en, mug, bad, 1, &errs,
		    &created) == SHOP_EINVAL && errs.n == 1 &&
		    strcmp(errs.v[0].field, "values") == 0);
		TEST_CHECK(attribute_generate(&en, mug, none, 1, &errs,
		    &created) == SHOP_EINVAL);
		TEST_CHECK(attribute_generate(&en, mug, bad, 0, &errs,
		    &created) == SHOP_EINVAL);
		TEST_CHECK(attribute_generate(&en, 999999, bad, 1, &errs,
		    &created) == SHOP_ENOTFOUND);
		TEST_CHECK(attribute_variants(&en, mug, &vs, &n) == SHOP_OK &&
		    n == 0);
	}
	/* Another shop sees nothing of this one's product. */
	o_cap = product(&other, "Other", "1.00");
	TEST_CHECK(o_cap > 0);
	TEST_CHECK(attribute_variants(&other, o_cap, &vs, &n) == SHOP_OK &&
	    n == 0);
	/* A simple product's own values. */
	{
		struct attribute_pick p[] = { { material, wool } };

		TEST_CHECK(attribute_set_values(&en, mug, p, 1, &errs) ==
		    SHOP_OK && nvalues(&en, mug) == 1);
		TEST_CHECK(attribute_set_values(&en, cap, p, 1, &errs) ==
		    SHOP_ECONFLICT);
	}
	/* Renaming a value renames its variants; deleting it is refused
	 * while they exist. */
	memset(&in, 0, sizeof(in));
	memcpy(in.texts[0].locale, "en", 3);
	in.texts[0].name = STR("Navy");
	in.ntexts = 1;
	TEST_CHECK(attribute_save(&en, blue, 0, &in, &errs, NULL) == SHOP_OK);
	TEST_CHECK(strstr(names(&en, cap), "Navy / S") != NULL);
	/* Size moved before Colour: the names follow. */
	memset(&in, 0, sizeof(in));
	in.position = STR("0");
	TEST_CHECK(attribute_save(&en, size, 0, &in, &errs, NULL) == SHOP_OK);
	TEST_CHECK(strstr(names(&en, cap), "S / Navy") != NULL);
	in.position = STR("5");
	TEST_CHECK(attribute_save(&en, size, 0, &in, &errs, NULL) == SHOP_OK);
	TEST_CHECK(strstr(names(&en, cap), "Navy / S") != NULL);
	TEST_CHECK(attribute_delete(&en, blue) == SHOP_ECONFLICT);
	TEST_CHECK(attribute_delete(&en, colour) == SHOP_ECONFLICT);
	TEST_CHECK(attribute_delete(&other, wool) == SHOP_ENOTFOUND);
	TEST_CHECK(attribute_delete(&en, material) == SHOP_OK);
	TEST_CHECK(nvalues(&en, mug) == 0);
	TEST_CHECK(attribute_get(&en, wool, &at, &texts, &nt) ==
	    SHOP_ENOTFOUND);

	/* The variant form: all or nothing, with its checks. */
	TEST_CHECK(attribute_variants(&en, cap, &vs, &n) == SHOP_OK && n == 6);
	memset(vi, 0, sizeof(vi));
	for (i = 0; i < 2; i++) {
		vi[i].id = vs[i].id;
		vi[i].sku = i ? STR("CAP-NS") : STR("CAP-NM");
		vi[i].stock = STR("3");
	}
	vi[0].price = STR("25.00");
	vi[0].sale_price = STR("19.00");
	vi[1].sale_price = STR("21.00");	/* above the product's 20 */
	TEST_CHECK(attribute_variants_save(&en, cap, vi, 2, &errs) ==
	    SHOP_EINVAL && errs.n == 1);
	TEST_STREQ(errs.v[0].field, arena_printf(&a, "v%lld_sale_price",
	    (long long)vs[1].id));
	vi[1].sale_price = STR("15.00");
	vi[1].sale_from = STR("2030-01-02");
	vi[1].sale_to = STR("2030-01-01");
	TEST_CHECK(attribute_variants_save(&en, cap, vi, 2, &errs) ==
	    SHOP_EINVAL && errs.n == 1 && strstr(errs.v[0].field, "sale_to"));
	vi[1].sale_from = STR("2030-01-01");
	vi[1].sale_to = STR("");
	vi[1].image_id = STR("424242");
	TEST_CHECK(attribute_variants_save(&en, cap, vi, 2, &errs) ==
	    SHOP_EINVAL && errs.n == 1 && strstr(errs.v[0].field, "image"));
	vi[1].image_id = STR("");
	/* A variant of another product. */
	vi[2] = vi[1];
	vi[2].id = 999999;
	TEST_CHECK(attribute_variants_save(&en, cap, vi, 3, &errs) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(attribute_variants_save(&en, mug, vi, 1, &errs) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(attribute_variants_save(&en, cap, vi, 2, &errs) == SHOP_OK);
	TEST_CHECK(attribute_variants(&en, cap, &vs, &n) == SHOP_OK);
	TEST_CHECK(vs[0].price == 2500 && vs[0].sale_price == 1900 &&
	    vs[0].stock == 3);
	TEST_STREQ(vs[0].sku.p, "CAP-NM");
	TEST_CHECK(vs[1].price == -1 && vs[1].sale_price == 1500 &&
	    vs[1].sale_from > 0 && vs[1].sale_to == 0);

	/* The product page: the running sale of variant 0, not variant 1's
	 * (it starts in 2030). */
	TEST_CHECK(catalog_product_page(&en, STR("cap"), &pp) == SHOP_OK);
	TEST_CHECK(pp.nvariants == 6);
	TEST_CHECK(pp.variants[0].price == 2500 &&
	    pp.variants[0].price_now == 1900);
	TEST_CHECK(pp.variants[1].price == 2000 &&
	    pp.variants[1].price_now == 2000);
	TEST_CHECK(pp.p.price_now == 2000);

	/* Delete a variant: its values leave the product when no other
	 * variant has them. */
	TEST_CHECK(attribute_variants(&en, cap, &vs, &n) == SHOP_OK);
	for (i = 0; i < n; i++)
		if (strstr(vs[i].name.p, "/ L") != NULL)
			TEST_CHECK(attribute_variant_delete(&en, cap,
			    vs[i].id) == SHOP_OK);
	TEST_CHECK(nvalues(&en, cap) == 4);
	TEST_CHECK(attribute_variant_delete(&en, mug, vs[0].id) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(catalog_product_delete(&en, cap) == SHOP_OK);
	TEST_CHECK(nvalues(&en, cap) == 0);
	TEST_CHECK(attribute_delete(&en, colour) == SHOP_OK);

	/* A product's own sale by dates, on the product page. */
	{
		struct product_input	pin;
		int64_t			id = 0;

		memset(&pin, 0, sizeof(pin));
		pin.price = STR("10.00");
		pin.stock = STR("1");
		pin.active = 1;
		memcpy(pin.texts[0].locale, "en", 3);
		pin.texts[0].name = STR("Scarf");
		pin.ntexts = 1;
		pin.sale_price = STR("12.00");
		TEST_CHECK(catalog_product_save(&en, 0, &pin, &errs, &id) ==
		    SHOP_EINVAL && strcmp(errs.v[0].field, "sale_price") == 0);
		pin.sale_price = STR("7.50");
		pin.sale_from = STR("2001-01-01");
		pin.sale_to = STR("2000-01-01");
		TEST_CHECK(catalog_product_save(&en, 0, &pin, &errs, &id) ==
		    SHOP_EINVAL && strcmp(errs.v[0].field, "sale_to") == 0);
		pin.sale_to = STR("2037-01-01");
		TEST_CHECK(catalog_product_save(&en, 0, &pin, &errs, &id) ==
		    SHOP_OK);
		TEST_CHECK(catalog_product_page(&en, STR("scarf"), &pp) ==
		    SHOP_OK && pp.p.price == 1000 && pp.p.price_now == 750);
		/* Over. */
		pin.sale_from = STR("2001-01-01");
		pin.sale_to = STR("2002-01-01");
		TEST_CHECK(catalog_product_save(&en, id, &pin, &errs, NULL) ==
		    SHOP_OK);
		TEST_CHECK(catalog_product_page(&en, STR("scarf"), &pp) ==
		    SHOP_OK && pp.p.price_now == 1000);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
