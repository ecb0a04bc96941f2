/*
 * tests/unit/shop/gallery.c: a product's images against the real
 * MariaDB and media_dir: add (copies made, files written), refusals
 * leave no row and no file, order and the main image kept in
 * products.image, alt texts with their fallback, delete removes the
 * files, and another shop reaches none of it.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/config.h"
#include "platform/image.h"
#include "shop/catalog.h"
#include "shop/gallery.h"
#include "dbtest.h"
#include "test.h"

#include <sys/stat.h>
#include <vips/vips.h>

static struct arena a;

static struct shop_ctx
ctx_of(struct db *db, int64_t tenant, const char *locale)
{
	struct shop_ctx c = { db, &a, tenant, locale, "de", "EUR", NULL,
	    NULL, 0 };

	return c;
}

static void
make_png(struct strbuf *out, int w, int h)
{
	VipsImage	*im, *c;
	void		*buf;
	size_t		 len;

	if (vips_xyz(&im, w, h, NULL) != 0 ||
	    vips_cast_uchar(im, &c, NULL) != 0 ||
	    vips_image_write_to_buffer(c, ".png", &buf, &len, NULL) != 0)
		exit(1);
	strbuf_reset(out);
	strbuf_add(out, buf, len);
	g_free(buf);
	g_object_unref(c);
	g_object_unref(im);
}

static int
exists(struct str path)
{
	struct stat	st;
	char		full[1024];
	int		n;

	n = snprintf(full, sizeof(full), "%s/%.*s",
	    config_get("media_dir", "var/media"), (int)path.len, path.p);
	return n > 0 && (size_t)n < sizeof(full) && stat(full, &st) == 0;
}

static int64_t
product(struct shop_ctx *c, const char *slug)
{
	struct product_input	in;
	struct field_errors	errs;
	int64_t			id = 0;

	memset(&in, 0, sizeof(in));
	in.slug = str_c(slug);
	in.price = STR("3.00");
	in.stock = STR("5");
	in.category_id = STR("");
	in.active = 1;
	snprintf(in.texts[0].locale, sizeof(in.texts[0].locale), "de");
	in.texts[0].name = STR("Tasse");
	in.ntexts = 1;
	TEST_CHECK(catalog_product_save(c, 0, &in, &errs, &id) == SHOP_OK);
	return id;
}

static struct str
main_image(struct shop_ctx *c, int64_t id)
{
	struct product		 p;
	struct product_text	*t;
	size_t			 nt;

	TEST_CHECK(catalog_product_get(c, id, &p, &t, &nt) == SHOP_OK);
	return p.image;
}

int
main(void)
{
	struct db		*db = dbtest_open("test-gallery");
	struct strbuf		 png = STRBUF_INIT;
	struct shop_ctx		 de, en, other;
	struct gallery_image	*v;
	struct gallery_alt	 alts[2];
	size_t			 n;
	int64_t			 s1, s2, pid, ids[3];
	int			 err, i;

	if (VIPS_INIT("test") != 0)
		return 1;
	arena_init(&a);
	s1 = dbtest_shop(db, "gal1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "gal2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	de = ctx_of(db, s1, "de");
	en = ctx_of(db, s1, "en");
	other = ctx_of(db, s2, "de");
	pid = product(&de, "tasse");

	/* Refused: no row, and nothing of it left on disk. */
	TEST_CHECK(gallery_add(&de, pid, STR("<html>"), &err, NULL) ==
	    SHOP_EINVAL && err == IMAGE_ETYPE);
	make_png(&png, 64, 64);
	TEST_CHECK(gallery_add(&de, pid, (struct str){ png.buf, 40 }, &err,
	    NULL) == SHOP_EINVAL && err == IMAGE_ECORRUPT);
	TEST_CHECK(gallery_add(&de, 999999, strbuf_str(&png), &err, NULL) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(gallery_list(&de, pid, &v, &n) == SHOP_OK && n == 0);
	TEST_CHECK(main_image(&de, pid).len == 0);

	for (i = 0; i < 3; i++) {
		make_png(&png, 600 + i * 400, 500);
		TEST_CHECK(gallery_add(&de, pid, strbuf_str(&png), &err,
		    &ids[i]) == SHOP_OK);
	}
	TEST_CHECK(gallery_list(&de, pid, &v, &n) == SHOP_OK && n == 3);
	for (i = 0; i < 3 && (size_t)i < n; i++) {
		TEST_CHECK(v[i].id == ids[i]);
		TEST_CHECK(exists(v[i].path) && exists(v[i].card_path) &&
		    exists(v[i].page_path));
	}
	TEST_CHECK(n == 3 && v[0].width == 600 && v[0].height == 500);
	/* 1400 x 500 fits 1200 wide: 428.6 high, rounded either way. */
	TEST_CHECK(n == 3 && v[2].width == 1200 &&
	    (v[2].height == 428 || v[2].height == 429));
	TEST_CHECK(str_eq(main_image(&de, pid), v[0].card_path));

	/* Order: the last one up twice is the main image. */
	TEST_CHECK(gallery_move(&de, pid, ids[2], -1) == SHOP_OK);
	TEST_CHECK(gallery_move(&de, pid, ids[2], -1) == SHOP_OK);
	TEST_CHECK(gallery_move(&de, pid, ids[2], -1) == SHOP_OK);
	TEST_CHECK(gallery_move(&de, pid, ids[1], 1) == SHOP_OK);
	TEST_CHECK(gallery_list(&de, pid, &v, &n) == SHOP_OK && n == 3);
	TEST_CHECK(v[0].id == ids[2] && v[1].id == ids[0] &&
	    v[2].id == ids[1]);
	TEST_CHECK(str_eq(main_image(&de, pid), v[0].card_path));

	/* Alt texts: the language's, else the shop's default. */
	snprintf(alts[0].locale, sizeof(alts[0].locale), "de");
	alts[0].text = STR("Eine Tasse");
	snprintf(alts[1].locale, sizeof(alts[1].locale), "en");
	alts[1].text = STR("");
	TEST_CHECK(gallery_set_alt(&de, pid, ids[2], alts, 2) == SHOP_OK);
	TEST_CHECK(gallery_set_alt(&de, pid, ids[2], alts, 2) == SHOP_OK);
	TEST_CHECK(gallery_list(&en, pid, &v, &n) == SHOP_OK && n == 3 &&
	    str_eqc(v[0].alt, "Eine Tasse") && v[1].alt.len == 0);
	alts[1].text = STR("A cup");
	TEST_CHECK(gallery_set_alt(&de, pid, ids[2], alts, 2) == SHOP_OK);
	TEST_CHECK(gallery_list(&en, pid, &v, &n) == SHOP_OK && n == 3 &&
	    str_eqc(v[0].alt, "A cup"));
	alts[1].text = STR("bad\001text");
	TEST_CHECK(gallery_set_alt(&de, pid, ids[2], alts, 2) ==
	    SHOP_EINVAL);

	/* Another shop: none of it, by any id. */
	TEST_CHECK(gallery_list(&other, pid, &v, &n) == SHOP_OK && n == 0);
	TEST_CHECK(gallery_move(&other, pid, ids[0], -1) == SHOP_ENOTFOUND);
	TEST_CHECK(gallery_delete(&other, pid, ids[0]) == SHOP_ENOTFOUND);
	TEST_CHECK(gallery_set_alt(&other, pid, ids[0], alts, 1) ==
	    SHOP_ENOTFOUND);

	/* Delete: row and files gone, the next image is the main one. */
	TEST_CHECK(gallery_list(&de, pid, &v, &n) == SHOP_OK && n == 3);
	TEST_CHECK(gallery_delete(&de, pid, ids[2]) == SHOP_OK);
	TEST_CHECK(!exists(v[0].path) && !exists(v[0].card_path) &&
	    !exists(v[0].page_path));
	TEST_CHECK(gallery_delete(&de, pid, ids[2]) == SHOP_ENOTFOUND);
	TEST_CHECK(gallery_list(&de, pid, &v, &n) == SHOP_OK && n == 2 &&
	    v[0].id == ids[0]);
	TEST_CHECK(str_eq(main_image(&de, pid), v[0].card_path));
	TEST_CHECK(gallery_delete(&de, pid, ids[0]) == SHOP_OK);
	TEST_CHECK(gallery_delete(&de, pid, ids[1]) == SHOP_OK);
	TEST_CHECK(main_image(&de, pid).len == 0);

	strbuf_release(&png);
	arena_free(&a);
	db_close(db);
	return test_done();
}
