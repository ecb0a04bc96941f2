/* demo.c: demo catalogs with generated images (see demo.h). */
#include "core/common.h"
#include "core/log.h"
#include "core/money.h"
#include "shop/catalog.h"
#include "shop/demo.h"
#include "shop/media.h"

#define NLANG	3	/* texts per item: the catalog's languages */

struct demo_cat {
	const char	*slug;
	const char	*name[NLANG];
};

struct demo_item {
	int		 cat;		/* index in the catalog's categories */
	const char	*slug;
	const char	*name[NLANG];
	int64_t		 price;		/* minor units, first size */
};

struct demo_catalog {
	const char		*kind;
	const char		*langs[NLANG];	/* NULL: unused slot */
	const struct demo_cat	*cats;
	size_t			 ncats;
	const struct demo_item	*items;
	size_t			 nitems;
	const char		*sizes[3][NLANG];	/* one product each */
	int			 price_step;	/* percent per size */
	const char		*desc[NLANG];	/* "%s" is the name */
	const char		*variants[3][NLANG];
};

static const struct demo_cat bakery_cats[] = {
	{ "brot", { "Brot", "Bread" } },
	{ "broetchen", { "Brötchen", "Rolls" } },
	{ "kuchen", { "Kuchen", "Cakes" } },
	{ "gebaeck", { "Feingebäck", "Pastries" } },
};

static const struct demo_item bakery_items[] = {
	{ 0, "roggenbrot", { "Roggenbrot", "Rye bread" }, 390 },
	{ 0, "dinkelbrot", { "Dinkelbrot", "Spelt bread" }, 450 },
	{ 0, "sauerteigbrot", { "Sauerteigbrot", "Sourdough loaf" }, 490 },
	{ 0, "vollkornbrot", { "Vollkornbrot", "Wholegrain bread" }, 420 },
	{ 0, "bauernbrot", { "Bauernbrot", "Farmhouse bread" }, 380 },
	{ 1, "brezel", { "Brezel", "Pretzel" }, 90 },
	{ 1, "laugenstange", { "Laugenstange", "Pretzel stick" }, 110 },
	{ 1, "kaiserbroetchen", { "Kaiserbrötchen", "Kaiser roll" }, 60 },
	{ 1, "mohnbroetchen", { "Mohnbrötchen", "Poppy seed roll" }, 70 },
	{ 2, "apfelstrudel", { "Apfelstrudel", "Apple strudel" }, 320 },
	{ 2, "kaesekuchen", { "Käsekuchen", "Cheesecake" }, 350 },
	{ 2, "bienenstich", { "Bienenstich", "Bee sting cake" }, 330 },
	{ 2, "schwarzwaelder", { "Schwarzwälder Kirschtorte",
	    "Black Forest gâteau" }, 420 },
	{ 2, "streuselkuchen", { "Streuselkuchen", "Crumb cake" }, 280 },
	{ 3, "croissant", { "Buttercroissant", "Butter croissant" }, 140 },
	{ 3, "zimtschnecke", { "Zimtschnecke", "Cinnamon roll" }, 180 },
	{ 3, "berliner", { "Berliner", "Doughnut" }, 150 },
};

static const struct demo_cat tea_cats[] = {
	{ "green", { "緑茶", "Green tea" } },
	{ "roasted", { "ほうじ茶・番茶", "Roasted tea" } },
	{ "matcha", { "抹茶", "Matcha" } },
	{ "teaware", { "茶器", "Teaware" } },
};

static const struct demo_item tea_items[] = {
	{ 0, "sencha", { "煎茶", "Sencha" }, 1200 },
	{ 0, "gyokuro", { "玉露", "Gyokuro" }, 3200 },
	{ 0, "kabusecha", { "かぶせ茶", "Kabusecha" }, 1800 },
	{ 0, "shincha", { "新茶", "Shincha" }, 2000 },
	{ 0, "genmaicha", { "玄米茶", "Genmaicha" }, 900 },
	{ 1, "hojicha", { "ほうじ茶", "Hojicha" }, 800 },
	{ 1, "bancha", { "番茶", "Bancha" }, 700 },
	{ 1, "kukicha", { "茎茶", "Kukicha" }, 850 },
	{ 1, "kyobancha", { "京番茶", "Kyobancha" }, 950 },
	{ 2, "matcha-usucha", { "薄茶用抹茶", "Matcha for usucha" }, 2400 },
	{ 2, "matcha-koicha", { "濃茶用抹茶", "Matcha for koicha" }, 4200 },
	{ 2, "matcha-cooking", { "料理用抹茶", "Cooking matcha" }, 1500 },
	{ 3, "kyusu", { "急須", "Kyusu teapot" }, 6800 },
	{ 3, "chawan", { "茶碗", "Tea bowl" }, 5400 },
	{ 3, "chasen", { "茶筅", "Bamboo whisk" }, 2800 },
	{ 3, "yunomi", { "湯呑み", "Yunomi cup" }, 1900 },
	{ 3, "chashaku", { "茶杓", "Tea scoop" }, 1100 },
};

static const struct demo_cat surf_cats[] = {
	{ "boards", { "Surfboards", "Tablas", "Planches" } },
	{ "wetsuits", { "Wetsuits", "Neoprenos", "Combinaisons" } },
	{ "accessories", { "Accessories", "Accesorios", "Accessoires" } },
	{ "apparel", { "Apparel", "Ropa", "Vêtements" } },
};

static const struct demo_item surf_items[] = {
	{ 0, "shortboard", { "Shortboard", "Tabla corta", "Shortboard" },
	    54900 },
	{ 0, "longboard", { "Longboard", "Tabla larga", "Longboard" }, 79900 },
	{ 0, "fish", { "Fish board", "Tabla fish", "Planche fish" }, 59900 },
	{ 0, "softtop", { "Soft-top board", "Tabla de espuma",
	    "Planche en mousse" }, 24900 },
	{ 1, "fullsuit", { "Full wetsuit 4/3", "Neopreno integral 4/3",
	    "Combinaison intégrale 4/3" }, 28900 },
	{ 1, "springsuit", { "Springsuit", "Neopreno corto",
	    "Combinaison shorty" }, 13900 },
	{ 1, "boots", { "Wetsuit boots", "Escarpines", "Chaussons" }, 4900 },
	{ 1, "hood", { "Neoprene hood", "Capucha de neopreno",
	    "Cagoule néoprène" }, 3900 },
	{ 2, "leash", { "Leash", "Invento", "Leash" }, 2900 },
	{ 2, "wax", { "Surf wax", "Cera de surf", "Wax" }, 500 },
	{ 2, "fins", { "Fin set", "Juego de quillas", "Jeu d'ailerons" },
	    6900 },
	{ 2, "boardbag", { "Board bag", "Funda", "Housse" }, 8900 },
	{ 2, "tractionpad", { "Traction pad", "Grip", "Pad" }, 3500 },
	{ 3, "rashguard", { "Rash guard", "Licra", "Lycra" }, 3900 },
	{ 3, "poncho", { "Changing poncho", "Poncho", "Poncho" }, 5900 },
	{ 3, "boardshorts", { "Boardshorts", "Bañador", "Boardshort" },
	    4500 },
	{ 3, "cap", { "Surf cap", "Gorra de surf", "Casquette de surf" },
	    2500 },
};

static const struct demo_catalog catalogs[] = {
	{ "bakery", { "de", "en", NULL }, bakery_cats, NELEM(bakery_cats),
	  bakery_items, NELEM(bakery_items),
	  { { "klein", "small" }, { "mittel", "medium" },
	    { "groß", "large" } }, 40,
	  { "%s, jeden Morgen frisch in unserer Backstube gebacken, mit "
	    "Mehl aus der Region und viel Zeit für den Teig.\n\n"
	    "Am besten am Tag des Kaufs genießen.",
	    "%s, freshly baked every morning in our bakery, with flour "
	    "from the region and plenty of time for the dough.\n\n"
	    "Best enjoyed on the day you buy it." },
	  { { "Stück", "piece" }, { "6er-Pack", "pack of 6" },
	    { "12er-Pack", "pack of 12" } } },
	{ "tea", { "ja", "en", NULL }, tea_cats, NELEM(tea_cats),
	  tea_items, NELEM(tea_items),
	  { { "50g", "50 g" }, { "100g", "100 g" }, { "200g", "200 g" } }, 80,
	  { "%s。静岡と宇治の契約農家から届いた、香り高い一品です。\n\n"
	    "直射日光と高温多湿を避けて保存してください。",
	    "%s from the partner farms of Shizuoka and Uji, rich in "
	    "aroma.\n\nStore away from sunlight, heat and humidity." },
	  { { "通常", "regular" }, { "ギフト包装", "gift wrapped" },
	    { "缶入り", "in a tin" } } },
	{ "surf", { "en", "es", "fr" }, surf_cats, NELEM(surf_cats),
	  surf_items, NELEM(surf_items),
	  { { "S", "S", "S" }, { "M", "M", "M" }, { "L", "L", "L" } }, 10,
	  { "%s, tested on the cold Atlantic swells by our team.\n\n"
	    "Rinse with fresh water after every session.",
	    "%s, probado por nuestro equipo en las olas frías del "
	    "Atlántico.\n\nAclarar con agua dulce después de cada sesión.",
	    "%s, testé par notre équipe dans la houle froide de "
	    "l'Atlantique.\n\nRincer à l'eau douce après chaque session." },
	  { { "black", "negro", "noir" }, { "blue", "azul", "bleu" },
	    { "sand", "arena", "sable" } } },
};

/* --- a small PNG writer (stored deflate blocks: no zlib needed) ------- */

static uint32_t
crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	static uint32_t	table[256];
	size_t		i;

	if (table[1] == 0)
		for (i = 0; i < 256; i++) {
			uint32_t c = (uint32_t)i;
			int k;

			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	crc = ~crc;
	for (i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void
put32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 8),
	    (unsigned char)v };

	strbuf_add(sb, b, 4);
}

static void
chunk(struct strbuf *sb, const char *type, const unsigned char *p, size_t n)
{
	uint32_t crc;

	put32(sb, (uint32_t)n);
	strbuf_add(sb, type, 4);
	strbuf_add(sb, p, n);
	crc = crc32_update(0, (const unsigned char *)type, 4);
	crc = crc32_update(crc, p, n);
	put32(sb, crc);
}

/* HSV-ish colour wheel position h (0..359) at lightness l (0..255). */
static void
hue(int h, int l, unsigned char rgb[3])
{
	int x = (h % 60) * 255 / 60, i;
	int c[3];

	switch (h / 60 % 6) {
	case 0: c[0] = 255; c[1] = x; c[2] = 0; break;
	case 1: c[0] = 255 - x; c[1] = 255; c[2] = 0; break;
	case 2: c[0] = 0; c[1] = 255; c[2] = x; break;
	case 3: c[0] = 0; c[1] = 255 - x; c[2] = 255; break;
	case 4: c[0] = x; c[1] = 0; c[2] = 255; break;
	default: c[0] = 255; c[1] = 0; c[2] = 255 - x; break;
	}
	for (i = 0; i < 3; i++)
		rgb[i] = (unsigned char)((c[i] * 150 + l * 105) / 255);
}

/* A square PNG: a soft gradient with a disc, coloured by seed. */
static void
demo_png(struct strbuf *png, int seed)
{
	enum { W = 240 };
	static unsigned char	raw[W * (W * 3 + 1)];
	unsigned char		hdr[13], bg[3], fg[3];
	struct strbuf		z = STRBUF_INIT;
	size_t			off = 0, i;
	uint32_t		a = 1, b = 0;
	int			x, y, cx = W / 2 + (seed % 5 - 2) * 12;
	int			cy = W / 2 + (seed % 3 - 1) * 14;
	int			r = 50 + seed % 4 * 10;

	hue((seed * 47) % 360, 230, bg);
	hue((seed * 47 + 150) % 360, 120, fg);
	for (y = 0; y < W; y++) {
		raw[off++] = 0;
		for (x = 0; x < W; x++) {
			int d = (x - cx) * (x - cx) + (y - cy) * (y - cy);
			int k, shade = (x + y) * 40 / (2 * W);

			for (k = 0; k < 3; k++) {
				int v = d < r * r ? fg[k] : bg[k] - shade;

				raw[off++] = (unsigned char)(v < 0 ? 0 : v);
			}
		}
	}
	/* zlib stream of stored blocks, then its Adler-32. */
	strbuf_add(&z, "\x78\x01", 2);
	for (i = 0; i < off; ) {
		size_t		n = off - i > 65535 ? 65535 : off - i;
		unsigned char	h[5] = { i + n == off, (unsigned char)n,
		    (unsigned char)(n >> 8), (unsigned char)~n,
		    (unsigned char)(~n >> 8) };

		strbuf_add(&z, h, 5);
		strbuf_add(&z, raw + i, n);
		i += n;
	}
	for (i = 0; i < off; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put32(&z, (b << 16) | a);

	strbuf_add(png, "\x89PNG\r\n\x1a\n", 8);
	hdr[0] = 0; hdr[1] = 0; hdr[2] = 0; hdr[3] = W;
	hdr[4] = 0; hdr[5] = 0; hdr[6] = 0; hdr[7] = W;
	hdr[8] = 8; hdr[9] = 2; hdr[10] = 0; hdr[11] = 0; hdr[12] = 0;
	chunk(png, "IHDR", hdr, sizeof(hdr));
	chunk(png, "IDAT", (unsigned char *)z.buf, z.len);
	chunk(png, "IEND", (const unsigned char *)"", 0);
	strbuf_release(&z);
}

int
demo_known(const char *kind)
{
	size_t i;

	for (i = 0; i < NELEM(catalogs); i++)
		if (strcmp(catalogs[i].kind, kind) == 0)
			return 1;
	return 0;
}

size_t
demo_locales(const char *kind, const char **out)
{
	size_t i, n = 0;

	for (i = 0; i < NELEM(catalogs); i++)
		if (strcmp(catalogs[i].kind, kind) == 0)
			while (n < NLANG && catalogs[i].langs[n] != NULL) {
				out[n] = catalogs[i].langs[n];
				n++;
			}
	return n;
}

/* Index of lang in the catalog's languages, or -1. */
static int
lang_slot(const struct demo_catalog *c, const char *lang)
{
	int i;

	for (i = 0; i < NLANG; i++)
		if (c->langs[i] != NULL && strcmp(c->langs[i], lang) == 0)
			return i;
	return -1;
}

/* fmt with its one "%s" replaced by name. */
static const char *
fill_name(struct arena *a, const char *fmt, const char *name)
{
	const char *at = strstr(fmt, "%s");

	if (at == NULL)
		return fmt;
	return arena_printf(a, "%.*s%s%s", (int)(at - fmt), fmt, name,
	    at + 2);
}

static int
add_product(struct shop_ctx *ctx, const struct demo_catalog *c,
    const struct demo_item *it, int size, const int64_t *cat_ids, int seed)
{
	struct product_input	 in;
	struct field_errors	 errs;
	struct strbuf		 png = STRBUF_INIT;
	char			 price[MONEY_PLAIN_MAX], path[128];
	int64_t			 id, minor;
	int			 l, rc, v;

	memset(&in, 0, sizeof(in));
	minor = it->price * (100 + c->price_step * size) / 100;
	if (money_exponent(ctx->currency) == 0 && minor > 100)
		minor = minor / 10 * 10;
	money_format_plain(minor, ctx->currency, price, sizeof(price));
	in.stock = str_c(arena_printf(ctx->a, "%d", seed % 9 == 4 ? 0 :
	    seed % 7 == 3 ? 3 : 10 + seed * 7 % 90));
	in.slug = str_c(arena_printf(ctx->a, "%s-%d", it->slug, size + 1));
	in.sku = str_c(arena_printf(ctx->a, "%s-%03d",
	    c->kind, seed));
	in.price = str_c(price);
	in.category_id = str_c(arena_printf(ctx->a, "%lld",
	    (long long)cat_ids[it->cat]));
	in.active = 1;
	in.featured = size == 1 && seed % 3 == 0;
	for (l = 0; l < NLANG && c->langs[l] != NULL; l++) {
		struct product_text *t = &in.texts[in.ntexts++];
		const char *name = arena_printf(ctx->a, "%s (%s)",
		    it->name[l], c->sizes[size][l]);

		str_copy(t->locale, sizeof(t->locale), str_c(c->langs[l]));
		t->name = str_c(name);
		t->description = str_c(fill_name(ctx->a, c->desc[l],
		    it->name[l]));
	}
	rc = catalog_product_save(ctx, 0, &in, &errs, &id);
	if (rc != SHOP_OK) {
		log_err("demo product '%s' refused: %s", in.slug.p,
		    errs.n ? errs.v[0].msgid : "database");
		return rc;
	}
	/* A few products come in variants, in the first language. */
	if (seed % 4 == 1) {
		l = lang_slot(c, ctx->default_locale);
		for (v = 0; v < 3; v++)
			if ((rc = catalog_variant_add(ctx, id,
			    c->variants[v][l < 0 ? 0 : l],
			    v == 2 ? minor + minor / 5 : -1,
			    v == 1 && seed % 8 == 1 ? 0 : 5 + v)) != SHOP_OK)
				return rc;
	}
	demo_png(&png, seed);
	rc = media_save_image(ctx->tenant, strbuf_str(&png), path,
	    sizeof(path));
	strbuf_release(&png);
	if (rc != 0)
		return SHOP_EDB;
	return catalog_product_set_image(ctx, id, path);
}

int
demo_load(struct shop_ctx *ctx, const char *kind, int *added)
{
	const struct demo_catalog	*c = NULL;
	int64_t				 cat_ids[8], have;
	size_t				 i;
	int				 rc, l, seed = 0, size;

	*added = 0;
	for (i = 0; i < NELEM(catalogs); i++)
		if (strcmp(catalogs[i].kind, kind) == 0)
			c = &catalogs[i];
	if (c == NULL)
		return SHOP_EINVAL;
	if ((rc = catalog_count(ctx, &have)) != SHOP_OK)
		return rc;
	if (have > 0)
		return SHOP_OK;
	/* category_add() names it in the shop's default language. */
	if ((l = lang_slot(c, ctx->default_locale)) < 0)
		l = 0;
	for (i = 0; i < c->ncats; i++) {
		struct field_errors	errs;
		int			k;

		rc = category_add(ctx, str_c(c->cats[i].slug),
		    str_c(c->cats[i].name[l]), 0, &errs, &cat_ids[i]);
		if (rc != SHOP_OK)
			return rc;
		for (k = 0; k < NLANG && c->langs[k] != NULL; k++)
			if (k != l && (rc = category_set_name(ctx,
			    cat_ids[i], c->langs[k],
			    str_c(c->cats[i].name[k]))) != SHOP_OK)
				return rc;
	}
	for (i = 0; i < c->nitems; i++)
		for (size = 0; size < 3; size++) {
			if ((rc = add_product(ctx, c, &c->items[i], size,
			    cat_ids, seed++)) != SHOP_OK)
				return rc;
			(*added)++;
		}
	return SHOP_OK;
}
