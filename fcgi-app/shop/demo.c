/* demo.c: demo catalogs with generated images (see demo.h). */
#include "core/common.h"
#include "core/html.h"
#include "core/log.h"
#include "core/money.h"
#include "shop/attribute.h"
#include "shop/catalog.h"
#include "shop/coupon.h"
#include "shop/demo.h"
#include "shop/gallery.h"
#include "shop/settings.h"
#include "shop/shipping.h"
#include "shop/shop.h"
#include "shop/tax.h"

#define NLANG	3	/* texts per item: the catalog's languages */
#define DEMO_IMAGES	3	/* images per product */

struct demo_cat {
	const char	*slug;
	const char	*name[NLANG];
	int		 sized;		/* sold in the catalog's sizes */
	enum tax_class	 tax_class;
	int		 weight_g;	/* of one, smallest size */
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
	const char		*sizes[3][NLANG];	/* variants of sized
							 * products */
	int			 price_step;	/* percent per size */
	const char		*desc[NLANG];	/* HTML, "%s" the name */
	const char		*size_name[NLANG];	/* the attribute */
	const char		*colours[2][NLANG];	/* and a second one,
							 * or NULL */
	const char		*colour_name[NLANG];
};

static const struct demo_cat bakery_cats[] = {
	{ "brot", { "Brot", "Bread" }, 1, TAX_REDUCED, 500 },
	{ "broetchen", { "Brötchen", "Rolls" }, 0, TAX_REDUCED, 80 },
	{ "kuchen", { "Kuchen", "Cakes" }, 1, TAX_REDUCED, 400 },
	{ "gebaeck", { "Feingebäck", "Pastries" }, 0, TAX_REDUCED, 90 },
	{ "zubehoer", { "Zubehör", "Accessories" }, 0, TAX_STANDARD, 300 },
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
	{ 4, "brotbeutel", { "Brotbeutel aus Leinen", "Linen bread bag" },
	    1290 },
	{ 4, "brotmesser", { "Brotmesser", "Bread knife" }, 2490 },
	{ 4, "kaffeebecher", { "Kaffeebecher", "Coffee mug" }, 990 },
};

static const struct demo_cat tea_cats[] = {
	{ "green", { "緑茶", "Green tea" }, 1, TAX_REDUCED, 60 },
	{ "roasted", { "ほうじ茶・番茶", "Roasted tea" }, 1, TAX_REDUCED, 60 },
	{ "matcha", { "抹茶", "Matcha" }, 1, TAX_REDUCED, 40 },
	{ "teaware", { "茶器", "Teaware" }, 0, TAX_STANDARD, 400 },
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
	{ "boards", { "Surfboards", "Tablas", "Planches" }, 0, TAX_STANDARD,
	    4500 },
	{ "wetsuits", { "Wetsuits", "Neoprenos", "Combinaisons" }, 1,
	    TAX_STANDARD, 1200 },
	{ "accessories", { "Accessories", "Accesorios", "Accessoires" }, 0,
	    TAX_STANDARD, 300 },
	{ "apparel", { "Apparel", "Ropa", "Vêtements" }, 1, TAX_STANDARD,
	    250 },
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
	  { "<p><strong>%s</strong>, jeden Morgen frisch in unserer "
	    "Backstube gebacken, mit Mehl aus der Region und viel Zeit "
	    "für den Teig.</p><h3>Zutaten</h3><ul><li>Mehl aus der "
	    "Region</li><li>Wasser, Salz, Hefe</li><li><em>Zeit:</em> "
	    "24 Stunden Teigruhe</li></ul>"
	    "<p>Am besten <em>am Tag des Kaufs</em> genießen.</p>",
	    "<p><strong>%s</strong>, freshly baked every morning in our "
	    "bakery, with flour from the region and plenty of time for the "
	    "dough.</p><h3>Ingredients</h3><ul><li>Flour from the "
	    "region</li><li>Water, salt, yeast</li><li><em>Time:</em> a "
	    "24-hour rest for the dough</li></ul>"
	    "<p>Best enjoyed <em>on the day you buy it</em>.</p>" },
	  { "Größe", "Size" }, { { NULL } }, { NULL } },
	{ "tea", { "ja", "en", NULL }, tea_cats, NELEM(tea_cats),
	  tea_items, NELEM(tea_items),
	  { { "50g", "50 g" }, { "100g", "100 g" }, { "200g", "200 g" } }, 80,
	  { "<p><strong>%s</strong>。静岡と宇治の契約農家から届いた、"
	    "香り高い一品です。</p><h3>淹れ方</h3><ol>"
	    "<li>お湯を <em>70〜80℃</em> に冷ます</li>"
	    "<li>茶葉 5 g で 1 分蒸らす</li></ol>"
	    "<p>直射日光と高温多湿を避けて保存してください。</p>",
	    "<p><strong>%s</strong> from the partner farms of Shizuoka and "
	    "Uji, rich in aroma.</p><h3>Brewing</h3><ol><li>Let the water "
	    "cool to <em>70 to 80 °C</em></li><li>Steep 5 g of leaves "
	    "for one minute</li></ol>"
	    "<p>Store away from sunlight, heat and humidity.</p>" },
	  { "内容量", "Weight" }, { { NULL } }, { NULL } },
	{ "surf", { "en", "es", "fr" }, surf_cats, NELEM(surf_cats),
	  surf_items, NELEM(surf_items),
	  { { "S", "S", "S" }, { "M", "M", "M" }, { "L", "L", "L" } }, 10,
	  { "<p><strong>%s</strong>, tested on the cold Atlantic swells "
	    "by our team.</p><h3>Care</h3><ul><li>Rinse with <em>fresh "
	    "water</em> after every session</li><li>Dry in the "
	    "shade</li></ul>",
	    "<p><strong>%s</strong>, probado por nuestro equipo en las olas "
	    "frías del Atlántico.</p><h3>Cuidados</h3><ul><li>"
	    "Aclarar con <em>agua dulce</em> después de cada "
	    "sesión</li><li>Secar a la sombra</li></ul>",
	    "<p><strong>%s</strong>, testé par notre équipe dans "
	    "la houle froide de l'Atlantique.</p><h3>Entretien</h3><ul><li>"
	    "Rincer à <em>l'eau douce</em> après chaque "
	    "session</li><li>Sécher à l'ombre</li></ul>" },
	  { "Size", "Talla", "Taille" },
	  { { "Black", "Negro", "Noir" }, { "Blue", "Azul", "Bleu" } },
	  { "Colour", "Color", "Couleur" } },
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

/* fmt (HTML) with its one "%s" replaced by name, escaped. */
static const char *
fill_name(struct arena *a, const char *fmt, const char *name)
{
	const char	*at = strstr(fmt, "%s");
	struct strbuf	 sb = STRBUF_INIT;
	const char	*out;

	if (at == NULL)
		return fmt;
	html_escape_str(&sb, name);
	out = arena_printf(a, "%.*s%s%s", (int)(at - fmt), fmt, sb.buf,
	    at + 2);
	strbuf_release(&sb);
	return out;
}

enum demo_stmt {
	DST_PRODUCT_TAX,
	DST__MAX
};

/* What the catalog module has no form field for yet. */
static const struct shop_sql dsql[DST__MAX] = {
	[DST_PRODUCT_TAX] = { "demo.product_tax",
	    "UPDATE {p}products SET tax_class = ?, weight_g = ? WHERE id = ?" },
};

static int
demo_exec(struct shop_ctx *ctx, enum demo_stmt q, int64_t a1, int64_t a2,
    int64_t a3, const char *s1)
{
	struct db_stmt	*st = shop_stmt(ctx, &dsql[q]);
	unsigned	 i = 0;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	if (s1 != NULL)
		db_bind_cstr(st, i++, s1);
	db_bind_i64(st, i++, a1);
	db_bind_i64(st, i++, a2);
	if (s1 == NULL)
		db_bind_i64(st, i++, a3);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

/* The price of size (0..2) of an item, whole units of yen rounded. */
static int64_t
size_price(struct shop_ctx *ctx, const struct demo_catalog *c,
    const struct demo_item *it, int size)
{
	int64_t minor = it->price * (100 + c->price_step * size) / 100;

	if (money_exponent(ctx->currency) == 0 && minor > 100)
		minor = minor / 10 * 10;
	return minor;
}

/* A size's stock; one sold out now and then, to show it. */
static int64_t
size_stock(int seed, int v)
{
	return (seed + v) % 11 == 5 ? 0 : 4 + (seed * 7 + v * 5) % 30;
}

/* The catalog's attributes: sizes, and colours where it has them,
 * named in each of its languages. */
struct demo_attrs {
	struct attribute_pick	 picks[5];
	size_t			 npicks;
	size_t			 ncolours;	/* 1 without colours */
};

static int
demo_attribute(struct shop_ctx *ctx, const struct demo_catalog *c,
    int64_t parent, const char *const *names, int64_t *id)
{
	struct attribute_input	in;
	struct field_errors	errs;
	int			l, rc;

	memset(&in, 0, sizeof(in));
	for (l = 0; l < NLANG && c->langs[l] != NULL; l++) {
		str_copy(in.texts[l].locale, sizeof(in.texts[l].locale),
		    str_c(c->langs[l]));
		in.texts[l].name = str_c(names[l]);
	}
	in.ntexts = (size_t)l;
	/* ASCII slugs from the English name ("size" in every shop). */
	l = lang_slot(c, "en");
	in.slug = shop_slugify(ctx->a, str_c(names[l < 0 ? 0 : l]));
	if (in.slug.len == 0)
		in.slug = str_c(arena_printf(ctx->a, "a%lld",
		    (long long)parent));
	rc = attribute_save(ctx, 0, parent, &in, &errs, id);
	if (rc != SHOP_OK)
		log_err("demo attribute refused: %s",
		    errs.n ? errs.v[0].msgid : "database");
	return rc;
}

static int
demo_attributes(struct shop_ctx *ctx, const struct demo_catalog *c,
    struct demo_attrs *da)
{
	int64_t	size, colour, v;
	int	i, rc;

	memset(da, 0, sizeof(*da));
	da->ncolours = 1;
	if ((rc = demo_attribute(ctx, c, 0, c->size_name, &size)) != SHOP_OK)
		return rc;
	for (i = 0; i < 3; i++) {
		if ((rc = demo_attribute(ctx, c, size, c->sizes[i], &v)) !=
		    SHOP_OK)
			return rc;
		da->picks[da->npicks++] = (struct attribute_pick){ size, v };
	}
	if (c->colour_name[0] == NULL)
		return SHOP_OK;
	if ((rc = demo_attribute(ctx, c, 0, c->colour_name, &colour)) !=
	    SHOP_OK)
		return rc;
	for (i = 0; i < 2; i++) {
		if ((rc = demo_attribute(ctx, c, colour, c->colours[i], &v)) !=
		    SHOP_OK)
			return rc;
		da->picks[da->npicks++] = (struct attribute_pick){ colour, v };
	}
	da->ncolours = 2;
	return SHOP_OK;
}

/*
 * The variants of a sized product, made from the catalog's attributes
 * (one product page, one picker: not "Surf cap (S)", "(M)", "(L)" as
 * three products), each with its price, stock and weight; now and then
 * the middle size on sale.
 */
static int
add_sizes(struct shop_ctx *ctx, const struct demo_catalog *c,
    const struct demo_attrs *da, const struct demo_item *it, int64_t id,
    int seed)
{
	const struct demo_cat		*cat = &c->cats[it->cat];
	struct attribute_variant	*vs;
	struct attribute_variant_input	 in[6];
	struct field_errors		 errs;
	char				 price[MONEY_PLAIN_MAX];
	size_t				 n, i, created;
	int				 rc;

	if ((rc = attribute_generate(ctx, id, da->picks, da->npicks, &errs,
	    &created)) != SHOP_OK ||
	    (rc = attribute_variants(ctx, id, &vs, &n)) != SHOP_OK)
		return rc;
	memset(in, 0, sizeof(in));
	for (i = 0; i < n && i < NELEM(in); i++) {
		int size = (int)(i / da->ncolours);

		in[i].id = vs[i].id;
		/* The smallest size has the product's price. */
		if (size > 0) {
			money_format_plain(size_price(ctx, c, it, size),
			    ctx->currency, price, sizeof(price));
			in[i].price = str_c(arena_printf(ctx->a, "%s", price));
		}
		if (size == 1 && seed % 4 == 2) {
			money_format_plain(size_price(ctx, c, it, size) * 85 /
			    100, ctx->currency, price, sizeof(price));
			in[i].sale_price = str_c(arena_printf(ctx->a, "%s",
			    price));
		}
		in[i].stock = str_c(arena_printf(ctx->a, "%lld",
		    (long long)size_stock(seed, (int)i)));
		in[i].weight_g = str_c(arena_printf(ctx->a, "%d",
		    cat->weight_g * (size + 2) / 2));
	}
	rc = attribute_variants_save(ctx, id, in, i, &errs);
	if (rc == SHOP_EINVAL)
		log_err("demo variants refused: %s: %s", errs.v[0].field,
		    errs.v[0].msgid);
	return rc;
}

static int
add_product(struct shop_ctx *ctx, const struct demo_catalog *c,
    const struct demo_attrs *da, const struct demo_item *it,
    const int64_t *cat_ids, int seed)
{
	const struct demo_cat	*cat = &c->cats[it->cat];
	struct product_input	 in;
	struct field_errors	 errs;
	struct strbuf		 png = STRBUF_INIT;
	char			 price[MONEY_PLAIN_MAX];
	int64_t			 id;
	int			 l, k, rc, err;

	memset(&in, 0, sizeof(in));
	money_format_plain(size_price(ctx, c, it, 0), ctx->currency, price,
	    sizeof(price));
	/* A sized product has what its sizes have. */
	in.stock = str_c(arena_printf(ctx->a, "%lld", cat->sized ?
	    (long long)(size_stock(seed, 0) + size_stock(seed, 1) +
	    size_stock(seed, 2)) : seed % 9 == 4 ? 0 : seed % 7 == 3 ? 3 :
	    10LL + seed * 7 % 90));
	/* A product or two on sale, a fifth off, with no end date. */
	if (seed % 5 == 3) {
		char sale[MONEY_PLAIN_MAX];

		money_format_plain(size_price(ctx, c, it, 0) * 80 / 100,
		    ctx->currency, sale, sizeof(sale));
		in.sale_price = str_c(arena_printf(ctx->a, "%s", sale));
	}
	in.slug = str_c(it->slug);
	in.sku = str_c(arena_printf(ctx->a, "%s-%03d", c->kind, seed));
	in.price = str_c(price);
	in.category_id = str_c(arena_printf(ctx->a, "%lld",
	    (long long)cat_ids[it->cat]));
	in.active = 1;
	in.featured = seed % 3 == 0;
	for (l = 0; l < NLANG && c->langs[l] != NULL; l++) {
		struct product_text *t = &in.texts[in.ntexts++];

		str_copy(t->locale, sizeof(t->locale), str_c(c->langs[l]));
		t->name = str_c(it->name[l]);
		t->description = str_c(fill_name(ctx->a, c->desc[l],
		    it->name[l]));
	}
	rc = catalog_product_save(ctx, 0, &in, &errs, &id);
	if (rc != SHOP_OK) {
		log_err("demo product '%s' refused: %s", in.slug.p,
		    errs.n ? errs.v[0].msgid : "database");
		return rc;
	}
	if ((rc = demo_exec(ctx, DST_PRODUCT_TAX, cat->weight_g, id, 0,
	    tax_class_name(cat->tax_class))) != SHOP_OK)
		return rc;
	if (cat->sized && (rc = add_sizes(ctx, c, da, it, id, seed)) !=
	    SHOP_OK)
		return rc;
	/* Three views, each its own colours and disc, through the
	 * admin's path: copies made once, the first the main image. */
	for (k = 0; k < DEMO_IMAGES; k++) {
		strbuf_reset(&png);
		demo_png(&png, seed + k * 3);
		rc = gallery_add(ctx, id, strbuf_str(&png), &err, NULL);
		if (rc != SHOP_OK) {
			log_err("demo image of '%s' refused: %d", in.slug.p,
			    err);
			break;
		}
	}
	strbuf_release(&png);
	return rc;
}

/* --- selling: settings, taxes, shipping, a coupon --------------------- */

struct demo_rate {
	enum tax_class	 tax_class;
	const char	*country, *region;
	int32_t		 rate;
	const char	*name;
	int		 shipping;
};

struct demo_method {
	enum ship_kind	 kind;
	const char	*name;
	int64_t		 cost, min_total;
	const char	*bands;
};

struct demo_zone {
	const char		*name, *countries, *regions;
	struct demo_method	 methods[4];
};

struct demo_sales {
	const char		*kind;
	const char		*country;
	const char		*bank_details;
	const char		*cheque_payee;	/* NULL: no cheques */
	int			 pay_cod;
	struct demo_rate	 rates[4];
	struct demo_zone	 zones[3];
	const char		*coupon;	/* 10 % off */
	const char		*free_shipping;	/* a second coupon, or NULL */
};

static const struct demo_sales sales[] = {
	{ "bakery", "DE",
	  "Bäckerei Sonnenschein GmbH\nIBAN DE89 3704 0044 0532 0130 00\n"
	  "BIC COBADEFFXXX (Commerzbank Köln)", NULL, 1,
	  { { TAX_STANDARD, "DE", "", 190000, "MwSt.", 1 },
	    { TAX_REDUCED, "DE", "", 70000, "MwSt.", 1 },
	    { TAX_STANDARD, "AT", "", 200000, "USt.", 1 },
	    { TAX_REDUCED, "AT", "", 100000, "USt.", 1 } },
	  { { "Deutschland", "DE", "",
	      { { SHIP_FLAT, "DHL Paket", 490, 0, "" },
		{ SHIP_FREE, "Versandkostenfrei ab 50 €", 0, 5000, "" },
		{ SHIP_PICKUP, "Abholung in der Backstube", 0, 0, "" } } },
	    { "EU", "AT BE DK ES FR IT LU NL PL CZ", "",
	      { { SHIP_WEIGHT, "DHL Europa", 0, 0,
		  "1000:690 5000:1290 *:2490" } } } },
	  "WILLKOMMEN10", "VERSANDFREI" },
	{ "tea", "JP",
	  "三井住友銀行 東京中央支店\n普通 1234567\nトウキョウチャホ", NULL, 1,
	  { { TAX_STANDARD, "JP", "", 100000, "消費税", 1 },
	    { TAX_REDUCED, "JP", "", 80000, "消費税（軽減）", 1 } },
	  { { "日本", "JP", "",
	      { { SHIP_FLAT, "ヤマト宅急便", 800, 0, "" },
		{ SHIP_FREE, "送料無料", 0, 5000, "" },
		{ SHIP_PICKUP, "店頭受取", 0, 0, "" } } },
	    { "海外", "*", "",
	      { { SHIP_WEIGHT, "EMS", 0, 0, "500:2000 2000:4000 *:8000" } } } },
	  "WELCOME10", NULL },
	{ "surf", "US",
	  "Surf Shack LLC\nAccount 000123456789, routing 121000358\n"
	  "Bank of America, San Diego", "Surf Shack LLC", 0,
	  { { TAX_STANDARD, "US", "CA", 72500, "Sales tax", 0 },
	    { TAX_STANDARD, "US", "CA", 102500, "Sales tax", 0 },
	    { TAX_STANDARD, "US", "NY", 40000, "Sales tax", 0 } },
	  { { "USA", "US", "",
	      { { SHIP_FLAT, "USPS Ground", 895, 0, "" },
		{ SHIP_FREE, "Free shipping over $99", 0, 9900, "" },
		{ SHIP_PICKUP, "Pick up at the shack", 0, 0, "" } } },
	    { "Canada", "CA", "",
	      { { SHIP_WEIGHT, "UPS Standard", 0, 0,
		  "2000:1995 10000:3995 *:7995" } } } },
	  "WELCOME10", NULL },
};

/* Los Angeles county's postcodes, for the second Californian rate. */
#define LA_POSTCODES	"90001...91899 93510...93599"

static int
demo_settings(struct shop_ctx *ctx, const struct demo_sales *d)
{
	struct shop_settings	s;
	struct field_errors	errs;
	int			rc;

	if ((rc = settings_get(ctx, &s)) != SHOP_OK)
		return rc;
	str_copy(s.country, sizeof(s.country), str_c(d->country));
	s.pay_bacs = 1;
	s.bank_details = str_c(d->bank_details);
	s.pay_cod = d->pay_cod;
	s.pay_cheque = d->cheque_payee != NULL;
	s.cheque_payee = str_c(d->cheque_payee);
	return settings_save(ctx, &s, &errs);
}

static int
demo_rates(struct shop_ctx *ctx, const struct demo_sales *d)
{
	struct field_errors	errs;
	size_t			i;
	int			rc;

	for (i = 0; i < NELEM(d->rates) && d->rates[i].rate > 0; i++) {
		const struct demo_rate	*r = &d->rates[i];
		struct tax_rate		 t;

		memset(&t, 0, sizeof(t));
		t.tax_class = r->tax_class;
		str_copy(t.country, sizeof(t.country), str_c(r->country));
		t.region = str_c(r->region);
		/* The second rate of a region is its county's. */
		t.postcodes = i > 0 && strcmp(r->region, "CA") == 0 &&
		    strcmp(d->rates[i - 1].region, "CA") == 0 ?
		    STR(LA_POSTCODES) : STR("");
		t.rate = r->rate;
		t.name = str_c(r->name);
		t.shipping = r->shipping;
		if ((rc = tax_rate_save(ctx, &t, &errs)) != SHOP_OK)
			return rc;
	}
	return SHOP_OK;
}

static int
demo_zones(struct shop_ctx *ctx, const struct demo_sales *d)
{
	struct field_errors	errs;
	size_t			i, j;
	int			rc;

	for (i = 0; i < NELEM(d->zones) && d->zones[i].name != NULL; i++) {
		const struct demo_zone	*dz = &d->zones[i];
		struct ship_zone	 z;

		memset(&z, 0, sizeof(z));
		z.name = str_c(dz->name);
		z.position = (int64_t)i;
		z.countries = str_c(dz->countries);
		z.regions = str_c(dz->regions);
		z.postcodes = STR("");
		if ((rc = ship_zone_save(ctx, &z, &errs)) != SHOP_OK)
			return rc;
		for (j = 0; j < NELEM(dz->methods) &&
		    dz->methods[j].name != NULL; j++) {
			const struct demo_method	*dm = &dz->methods[j];
			struct ship_method		 m;

			memset(&m, 0, sizeof(m));
			m.zone_id = z.id;
			m.kind = dm->kind;
			m.name = str_c(dm->name);
			m.cost = dm->cost;
			m.min_total = dm->min_total;
			m.bands = str_c(dm->bands);
			m.position = (int64_t)j;
			m.enabled = 1;
			if ((rc = ship_method_save(ctx, &m, &errs)) != SHOP_OK)
				return rc;
		}
	}
	return SHOP_OK;
}

static int
demo_coupon(struct shop_ctx *ctx, const char *code, enum coupon_kind kind)
{
	struct coupon		c;
	struct field_errors	errs;

	memset(&c, 0, sizeof(c));
	c.code = str_c(code);
	c.kind = kind;
	c.amount = kind == COUPON_PERCENT ? 1000 : 0;
	c.expires_on = c.product_ids = c.category_ids = STR("");
	c.per_customer = kind == COUPON_PERCENT ? 1 : 0;
	c.active = 1;
	return coupon_save(ctx, &c, &errs);
}

/* The shop's selling set-up for kind: what `make run` shows through
 * the whole purchase flow. */
static int
demo_sales(struct shop_ctx *ctx, const char *kind)
{
	const struct demo_sales	*d = NULL;
	size_t			 i;
	int			 rc;

	for (i = 0; i < NELEM(sales); i++)
		if (strcmp(sales[i].kind, kind) == 0)
			d = &sales[i];
	if (d == NULL)
		return SHOP_OK;
	if ((rc = demo_settings(ctx, d)) != SHOP_OK ||
	    (rc = demo_rates(ctx, d)) != SHOP_OK ||
	    (rc = demo_zones(ctx, d)) != SHOP_OK ||
	    (rc = demo_coupon(ctx, d->coupon, COUPON_PERCENT)) != SHOP_OK)
		return rc;
	if (d->free_shipping != NULL)
		return demo_coupon(ctx, d->free_shipping,
		    COUPON_FREE_SHIPPING);
	return SHOP_OK;
}

int
demo_load(struct shop_ctx *ctx, const char *kind, int *added)
{
	const struct demo_catalog	*c = NULL;
	struct demo_attrs		 da;
	int64_t				 cat_ids[8], have;
	size_t				 i;
	int				 rc, l, seed = 0;

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
	if ((rc = demo_attributes(ctx, c, &da)) != SHOP_OK)
		return rc;
	for (i = 0; i < c->nitems; i++) {
		if ((rc = add_product(ctx, c, &da, &c->items[i], cat_ids,
		    seed++)) != SHOP_OK)
			return rc;
		(*added)++;
	}
	return demo_sales(ctx, kind);
}
