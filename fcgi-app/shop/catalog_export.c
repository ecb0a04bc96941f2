/*
 * catalog_export.c: the catalog as a WooCommerce or Shopify product CSV
 * (see catalog_export.h).
 *
 * A page of products is read with one statement, and what hangs on them
 * (variants, values, images) with one statement each for the whole
 * page (product_id in the page's id range), not one per product: a
 * round trip costs ~130 us, so 10,000 products take ~250 of them.
 */
#include "core/common.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "core/tz.h"
#include "shop/catalog_export.h"
#include "shop/gallery.h"
#include "shop/sale.h"
#include "shop/shop.h"

/* CATALOG_EXPORT_PAGE in the products' statement. */
#define STRINGIFY_(x)	#x
#define STRINGIFY(x)	STRINGIFY_(x)
#define PAGE_SQL	STRINGIFY(CATALOG_EXPORT_PAGE)

/* A category path deeper than this is a loop in parent_id: cut. */
#define CAT_DEPTH	16
/* Categories read (a shop has tens; a cap all the same). */
#define CAT_MAX		100000

enum stmt {
	ST_NATTRS,
	ST_CATS,
	ST_PRODUCTS,
	ST_VARIANTS,
	ST_PVALUES,
	ST_VVALUES,
	ST_IMAGES,
	ST__MAX
};

/*
 * The stamps are UTC (db.c sets the session's time zone). Related rows
 * come ordered by product id, as the page's products. The joins of the
 * values start from the page's range (STRAIGHT_JOIN): left to itself,
 * MariaDB starts from the small attributes table and reads every
 * variant of the shop for each page (6 s instead of 0.6 s for 10,000
 * products with 40,000 variants).
 */
static const struct shop_sql sql[ST__MAX] = {
	/* WooCommerce's header has as many attribute columns as the
	 * product with the most attributes needs; one at least when
	 * there are variants (name_attribute()). */
	[ST_NATTRS] = { "export.nattrs",
	    "SELECT COALESCE(MAX(n), 0),"
	    " EXISTS (SELECT 1 FROM {p}variants) FROM (SELECT pv.product_id,"
	    " COUNT(DISTINCT a.parent_id) n FROM {p}product_values pv"
	    " JOIN {p}attributes a ON a.id = pv.value_id"
	    " GROUP BY pv.product_id) x" },
	[ST_CATS] = { "export.cats",
	    "SELECT c.id, COALESCE(c.parent_id, 0), COALESCE(t.name, c.slug)"
	    " FROM {p}categories c LEFT JOIN {p}category_texts t"
	    " ON t.category_id = c.id AND t.locale = ?"
	    " ORDER BY c.id LIMIT 100000" },
	[ST_PRODUCTS] = { "export.products",
	    "SELECT p.id, p.slug, p.sku, COALESCE(p.category_id, 0), p.price,"
	    " COALESCE(p.sale_price, -1),"
	    " COALESCE(UNIX_TIMESTAMP(p.sale_from), 0),"
	    " COALESCE(UNIX_TIMESTAMP(p.sale_to), 0), p.tax_class,"
	    " p.weight_g, p.stock, p.status = 'active', p.featured,"
	    " COALESCE(t.name, p.slug), COALESCE(t.description_html,"
	    " t.description, '')"
	    " FROM {p}products p LEFT JOIN {p}product_texts t"
	    " ON t.product_id = p.id AND t.locale = ?"
	    " WHERE p.id > ? ORDER BY p.id LIMIT " PAGE_SQL },
	[ST_VARIANTS] = { "export.variants",
	    "SELECT product_id, id, sku, name, COALESCE(price, -1),"
	    " COALESCE(sale_price, -1),"
	    " COALESCE(UNIX_TIMESTAMP(sale_from), 0),"
	    " COALESCE(UNIX_TIMESTAMP(sale_to), 0), stock,"
	    " COALESCE(weight_g, -1), COALESCE(image_id, 0)"
	    " FROM {p}variants WHERE product_id > ? AND product_id <= ?"
	    " ORDER BY product_id, position, id" },
	/* A product's values under their attributes, in the attributes'
	 * order (the storefront's). */
	[ST_PVALUES] = { "export.pvalues",
	    "SELECT STRAIGHT_JOIN pv.product_id, par.id,"
	    " COALESCE(pt.name, par.slug),"
	    " COALESCE(vt.name, a.slug)"
	    " FROM {p}product_values pv"
	    " JOIN {p}attributes a ON a.id = pv.value_id"
	    " JOIN {p}attributes par ON par.id = a.parent_id"
	    " LEFT JOIN {p}attribute_texts pt"
	    " ON pt.attribute_id = par.id AND pt.locale = ?"
	    " LEFT JOIN {p}attribute_texts vt"
	    " ON vt.attribute_id = a.id AND vt.locale = ?"
	    " WHERE pv.product_id > ? AND pv.product_id <= ?"
	    " ORDER BY pv.product_id, par.position, par.id, a.position, a.id" },
	[ST_VVALUES] = { "export.vvalues",
	    "SELECT STRAIGHT_JOIN v.product_id, vv.variant_id, a.parent_id,"
	    " COALESCE(vt.name, a.slug)"
	    " FROM {p}variants v"
	    " JOIN {p}variant_values vv ON vv.variant_id = v.id"
	    " JOIN {p}attributes a ON a.id = vv.value_id"
	    " LEFT JOIN {p}attribute_texts vt"
	    " ON vt.attribute_id = a.id AND vt.locale = ?"
	    " WHERE v.product_id > ? AND v.product_id <= ?"
	    " ORDER BY v.product_id, vv.variant_id" },
	[ST_IMAGES] = { "export.images",
	    "SELECT product_id, id, path, alt FROM {p}images"
	    " WHERE product_id > ? AND product_id <= ?"
	    " ORDER BY product_id, position, id" },
};

struct cat {
	int64_t		 id, parent;
	struct str	 name;
};

struct image {
	int64_t		 id;
	struct str	 url;
	struct str	 alt;
};

struct variant_row {
	int64_t		 id;
	struct str	 sku, name;
	int64_t		 price, sale, from, to;	/* -1: the product's */
	int64_t		 stock, weight, image_id;
	struct str	 value[CATALOG_CSV_MAX_ATTRS];	/* by attribute */
};

struct attr {
	int64_t		 id;
	struct str	 name;
	struct strbuf	*values;	/* "S, M, L" (in the page arena) */
};

struct prod {
	int64_t		 id;
	struct str	 slug, sku;
	int64_t		 category;
	int64_t		 price, sale, from, to;
	struct str	 tax;
	int64_t		 weight, stock;
	int		 active, featured;
	struct str	 name, desc;
	struct attr	 attrs[CATALOG_CSV_MAX_ATTRS];
	size_t		 nattrs;
	struct variant_row *v;
	size_t		 nv, vcap;
	struct image	*im;
	size_t		 nim, imcap;
};

/* Where the exporter puts what: indexes into the header, -1 none. */
enum col {
	C_ID, C_TYPE, C_SKU, C_NAME, C_PUBLISHED, C_FEATURED, C_VISIBILITY,
	C_DESC, C_SALE_FROM, C_SALE_TO, C_TAX_STATUS, C_TAX_CLASS,
	C_IN_STOCK, C_STOCK, C_BACKORDERS, C_SOLD_ALONE, C_WEIGHT,
	C_REVIEWS, C_SALE, C_REGULAR, C_CATEGORIES, C_IMAGES, C_PARENT,
	C_POSITION,
	/* Shopify */
	C_HANDLE, C_TYPE_CAT, C_TRACKER, C_POLICY, C_FULFILMENT,
	C_COMPARE, C_SHIPPING, C_TAXABLE, C_IMAGE_POS, C_IMAGE_ALT,
	C_GIFT_CARD, C_VARIANT_IMAGE, C_WEIGHT_UNIT, C_STATUS,
	C__MAX
};

static const char *const col_names[CATALOG_CSV__FORMATS][C__MAX] = {
	[CATALOG_CSV_WOO] = {
		[C_ID] = "ID", [C_TYPE] = "Type", [C_SKU] = "SKU",
		[C_NAME] = "Name", [C_PUBLISHED] = "Published",
		[C_FEATURED] = "Is featured?",
		[C_VISIBILITY] = "Visibility in catalog",
		[C_DESC] = "Description",
		[C_SALE_FROM] = "Date sale price starts",
		[C_SALE_TO] = "Date sale price ends",
		[C_TAX_STATUS] = "Tax status", [C_TAX_CLASS] = "Tax class",
		[C_IN_STOCK] = "In stock?", [C_STOCK] = "Stock",
		[C_BACKORDERS] = "Backorders allowed?",
		[C_SOLD_ALONE] = "Sold individually?",
		[C_WEIGHT] = "Weight (kg)",
		[C_REVIEWS] = "Allow customer reviews?",
		[C_SALE] = "Sale price", [C_REGULAR] = "Regular price",
		[C_CATEGORIES] = "Categories", [C_IMAGES] = "Images",
		[C_PARENT] = "Parent", [C_POSITION] = "Position",
	},
	[CATALOG_CSV_SHOPIFY] = {
		[C_HANDLE] = "Handle", [C_NAME] = "Title",
		[C_DESC] = "Body (HTML)", [C_TYPE_CAT] = "Type",
		[C_PUBLISHED] = "Published", [C_SKU] = "Variant SKU",
		[C_WEIGHT] = "Variant Grams",
		[C_TRACKER] = "Variant Inventory Tracker",
		[C_STOCK] = "Variant Inventory Qty",
		[C_POLICY] = "Variant Inventory Policy",
		[C_FULFILMENT] = "Variant Fulfillment Service",
		[C_REGULAR] = "Variant Price",
		[C_COMPARE] = "Variant Compare At Price",
		[C_SHIPPING] = "Variant Requires Shipping",
		[C_TAXABLE] = "Variant Taxable", [C_IMAGES] = "Image Src",
		[C_IMAGE_POS] = "Image Position",
		[C_IMAGE_ALT] = "Image Alt Text", [C_GIFT_CARD] = "Gift Card",
		[C_VARIANT_IMAGE] = "Variant Image",
		[C_WEIGHT_UNIT] = "Variant Weight Unit", [C_STATUS] = "Status",
	},
};

/* Attribute N's columns (WooCommerce), or OptionN's (Shopify). */
enum acol { A_NAME, A_VALUE, A_VISIBLE, A_GLOBAL, A__MAX };

struct exporter {
	struct shop_ctx		*ctx;		/* the caller's */
	struct shop_ctx		 page;		/* ctx on the page arena */
	struct arena		 pa;
	enum catalog_csv_format	 f;
	const char		*origin;
	catalog_export_write	 write;
	void			*arg;
	struct str		 header[CATALOG_CSV_HEADER_MAX];
	size_t			 ncols;
	int			 col[C__MAX];
	int			 acol[CATALOG_CSV_MAX_ATTRS][A__MAX];
	size_t			 maxattrs;	/* a row's attributes */
	struct cat		*cats;		/* by id, ctx->a */
	size_t			 ncats;
	struct str		*paths;		/* cats[i]'s "A > B" */
	struct prod		*prods;		/* the page */
	size_t			 nprods;
	struct str		 row[CATALOG_CSV_HEADER_MAX];
	struct strbuf		 out;
	time_t			 now;
};

static int
col_index(const struct exporter *e, const char *name)
{
	size_t	i;

	if (name == NULL)
		return -1;
	for (i = 0; i < e->ncols; i++)
		if (str_eqc(e->header[i], name))
			return (int)i;
	return -1;
}

static void
columns(struct exporter *e, size_t nattrs)
{
	static const char *const shopify_opts[CATALOG_CSV_SHOPIFY_OPTIONS]
	    [2] = {
		{ "Option1 Name", "Option1 Value" },
		{ "Option2 Name", "Option2 Value" },
		{ "Option3 Name", "Option3 Value" },
	};
	char	name[64];
	size_t	k, c;
	int	n;

	e->ncols = catalog_csv_header(e->f, nattrs, e->header);
	for (c = 0; c < C__MAX; c++)
		e->col[c] = col_index(e, col_names[e->f][c]);
	for (k = 0; k < CATALOG_CSV_MAX_ATTRS; k++)
		for (c = 0; c < A__MAX; c++)
			e->acol[k][c] = -1;
	if (e->f == CATALOG_CSV_SHOPIFY) {
		e->maxattrs = CATALOG_CSV_SHOPIFY_OPTIONS;
		for (k = 0; k < CATALOG_CSV_SHOPIFY_OPTIONS; k++) {
			e->acol[k][A_NAME] = col_index(e, shopify_opts[k][0]);
			e->acol[k][A_VALUE] = col_index(e, shopify_opts[k][1]);
		}
		return;
	}
	e->maxattrs = nattrs;
	for (k = 0; k < nattrs; k++) {
		static const char *const suffix[A__MAX] = {
			"name", "value(s)", "visible", "global",
		};

		for (c = 0; c < A__MAX; c++) {
			n = snprintf(name, sizeof(name), "Attribute %zu %s",
			    k + 1, suffix[c]);
			if (n > 0 && (size_t)n < sizeof(name))
				e->acol[k][c] = col_index(e, name);
		}
	}
}

/* --- reading ----------------------------------------------------------- */

static int
read_nattrs(struct exporter *e, size_t *n)
{
	struct db_stmt	*st = shop_stmt(e->ctx, &sql[ST_NATTRS]);
	int64_t		 v = 0;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	if ((rc = shop_exec(e->ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		v = db_col_i64(st, 0);
		if (v == 0)
			v = db_col_i64(st, 1);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	*n = v < 0 ? 0 : v > CATALOG_CSV_MAX_ATTRS ? CATALOG_CSV_MAX_ATTRS :
	    (size_t)v;
	return SHOP_OK;
}

static size_t
cat_find(const struct exporter *e, int64_t id)
{
	size_t	lo = 0, hi = e->ncats, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e->cats[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->ncats && e->cats[lo].id == id ? lo : SIZE_MAX;
}

/* Every category's path of names, root first: "Brot > Roggen". A name
 * with " > " in it would read back as two levels: NEEDSWORK, the
 * formats have no escape for it. */
static int
read_categories(struct exporter *e)
{
	struct db_stmt	*st = shop_stmt(e->ctx, &sql[ST_CATS]);
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 cap = 0, i, j, chain[CAT_DEPTH], depth;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, e->ctx->default_locale);
	if ((rc = shop_exec(e->ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		struct cat *c;

		e->cats = shop_grow(e->ctx->a, e->cats, sizeof(*e->cats),
		    e->ncats, &cap);
		c = &e->cats[e->ncats++];
		c->id = db_col_i64(st, 0);
		c->parent = db_col_i64(st, 1);
		c->name = db_col_str(st, 2);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	e->paths = arena_calloc(e->ctx->a, e->ncats ? e->ncats : 1,
	    sizeof(*e->paths));
	for (i = 0; i < e->ncats; i++) {
		depth = 0;
		for (j = i; j != SIZE_MAX && depth < CAT_DEPTH;
		    j = e->cats[j].parent ? cat_find(e, e->cats[j].parent) :
		    SIZE_MAX)
			chain[depth++] = j;
		strbuf_reset(&sb);
		while (depth > 0) {
			strbuf_addv(&sb, e->cats[chain[--depth]].name);
			if (depth > 0)
				strbuf_addstr(&sb, " > ");
		}
		e->paths[i] = arena_str(e->ctx->a, strbuf_str(&sb));
	}
	strbuf_release(&sb);
	return SHOP_OK;
}

static void
read_product(struct db_stmt *st, struct prod *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_i64(st, 0);
	p->slug = db_col_str(st, 1);
	p->sku = db_col_str(st, 2);
	p->category = db_col_i64(st, 3);
	p->price = db_col_i64(st, 4);
	p->sale = db_col_i64(st, 5);
	p->from = db_col_i64(st, 6);
	p->to = db_col_i64(st, 7);
	p->tax = db_col_str(st, 8);
	p->weight = db_col_i64(st, 9);
	p->stock = db_col_i64(st, 10);
	p->active = db_col_i64(st, 11) != 0;
	p->featured = db_col_i64(st, 12) != 0;
	p->name = db_col_str(st, 13);
	p->desc = db_col_str(st, 14);
}

/* The page's product with this id (the page is sorted by id). */
static struct prod *
prod_find(struct exporter *e, int64_t id)
{
	size_t	lo = 0, hi = e->nprods, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e->prods[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->nprods && e->prods[lo].id == id ? &e->prods[lo] :
	    NULL;
}

/* A page of products after id *after (advanced); nprods 0: done. */
static int
read_products(struct exporter *e, int64_t *after)
{
	struct shop_ctx	*ctx = &e->page;
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_PRODUCTS]);
	int		 rc;

	e->nprods = 0;
	if (st == NULL)
		return SHOP_EDB;
	e->prods = arena_alloc(ctx->a, CATALOG_EXPORT_PAGE *
	    sizeof(*e->prods));
	db_bind_cstr(st, 0, ctx->default_locale);
	db_bind_i64(st, 1, *after);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1 && e->nprods < CATALOG_EXPORT_PAGE)
		read_product(st, &e->prods[e->nprods++]);
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (e->nprods > 0)
		*after = e->prods[e->nprods - 1].id;
	return SHOP_OK;
}

/* Runs statement q of the page's range [lo, hi]: after the locales
 * given (nloc of them), the two ids. */
static struct db_stmt *
range_stmt(struct exporter *e, enum stmt q, int nloc, int64_t lo,
    int64_t hi)
{
	struct shop_ctx	*ctx = &e->page;
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	unsigned	 i = 0;

	if (st == NULL)
		return NULL;
	while ((int)i < nloc)
		db_bind_cstr(st, i++, ctx->default_locale);
	db_bind_i64(st, i++, lo);
	db_bind_i64(st, i, hi);
	if (shop_exec(ctx, st) != SHOP_OK)
		return NULL;
	return st;
}

static int
read_variants(struct exporter *e, int64_t lo, int64_t hi)
{
	struct db_stmt	*st = range_stmt(e, ST_VARIANTS, 0, lo, hi);
	struct prod	*p;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		struct variant_row *v;

		if ((p = prod_find(e, db_col_i64(st, 0))) == NULL)
			continue;
		p->v = shop_grow(e->page.a, p->v, sizeof(*p->v), p->nv,
		    &p->vcap);
		v = &p->v[p->nv++];
		memset(v, 0, sizeof(*v));
		v->id = db_col_i64(st, 1);
		v->sku = db_col_str(st, 2);
		v->name = db_col_str(st, 3);
		v->price = db_col_i64(st, 4);
		v->sale = db_col_i64(st, 5);
		v->from = db_col_i64(st, 6);
		v->to = db_col_i64(st, 7);
		v->stock = db_col_i64(st, 8);
		v->weight = db_col_i64(st, 9);
		v->image_id = db_col_i64(st, 10);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/*
 * Appends an item to a comma-separated list cell, its commas escaped as
 * WooCommerce writes them ("\,"): catalog_csv_list_next() reads that.
 */
static void
list_add(struct strbuf *sb, struct str item)
{
	size_t	i;

	if (sb->len > 0)
		strbuf_addstr(sb, ", ");
	for (i = 0; i < item.len; i++) {
		if (item.p[i] == ',')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, item.p[i]);
	}
}

static void
strbuf_free_cb(void *p)
{
	strbuf_release(p);
}

static int
read_pvalues(struct exporter *e, int64_t lo, int64_t hi)
{
	struct db_stmt	*st = range_stmt(e, ST_PVALUES, 2, lo, hi);
	struct prod	*p;
	struct attr	*a;
	int64_t		 attr;
	size_t		 k;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		if ((p = prod_find(e, db_col_i64(st, 0))) == NULL)
			continue;
		attr = db_col_i64(st, 1);
		for (k = 0; k < p->nattrs && p->attrs[k].id != attr; k++)
			continue;
		/* NEEDSWORK: attributes past the format's room (Shopify's
		 * three options) are left out of the file. */
		if (k == p->nattrs) {
			if (k >= e->maxattrs)
				continue;
			a = &p->attrs[p->nattrs++];
			a->id = attr;
			a->name = db_col_str(st, 2);
			a->values = arena_alloc(e->page.a, sizeof(*a->values));
			strbuf_init(a->values, 0);
			arena_cleanup_add(e->page.a, strbuf_free_cb, a->values);
		}
		list_add(p->attrs[k].values, db_col_str(st, 3));
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static struct variant_row *
variant_find(struct prod *p, int64_t id)
{
	size_t	i;

	for (i = 0; i < p->nv; i++)
		if (p->v[i].id == id)
			return &p->v[i];
	return NULL;
}

static int
read_vvalues(struct exporter *e, int64_t lo, int64_t hi)
{
	struct db_stmt		*st;
	struct prod		*p;
	struct variant_row	*v;
	int64_t			 attr;
	size_t			 k;
	int			 rc;

	if ((st = range_stmt(e, ST_VVALUES, 1, lo, hi)) == NULL)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		if ((p = prod_find(e, db_col_i64(st, 0))) == NULL ||
		    (v = variant_find(p, db_col_i64(st, 1))) == NULL)
			continue;
		attr = db_col_i64(st, 2);
		for (k = 0; k < p->nattrs; k++)
			if (p->attrs[k].id == attr)
				v->value[k] = db_col_str(st, 3);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
read_images(struct exporter *e, int64_t lo, int64_t hi)
{
	struct db_stmt	*st = range_stmt(e, ST_IMAGES, 0, lo, hi);
	struct prod	*p;
	struct image	*im;
	struct str	 path;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		if ((p = prod_find(e, db_col_i64(st, 0))) == NULL)
			continue;
		p->im = shop_grow(e->page.a, p->im, sizeof(*p->im), p->nim,
		    &p->imcap);
		im = &p->im[p->nim++];
		im->id = db_col_i64(st, 1);
		path = db_col_str(st, 2);
		im->url = str_c(arena_printf(e->page.a, "%s/media/%.*s",
		    e->origin, (int)path.len, path.p));
		im->alt = gallery_alt_of(e->page.a, db_col_str(st, 3),
		    e->ctx->default_locale);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/*
 * A product with variants none of which is made of values (variants
 * added by name, before attributes) gets one attribute, "Variant",
 * whose values are their names: both formats need a value to tell the
 * variants apart.
 */
static void
name_attribute(struct exporter *e, struct prod *p)
{
	struct attr	*a;
	size_t		 i;

	if (p->nv == 0 || p->nattrs > 0 || e->maxattrs == 0)
		return;
	a = &p->attrs[p->nattrs++];
	a->id = 0;
	a->name = STR("Variant");
	a->values = arena_alloc(e->page.a, sizeof(*a->values));
	strbuf_init(a->values, 0);
	arena_cleanup_add(e->page.a, strbuf_free_cb, a->values);
	for (i = 0; i < p->nv; i++) {
		list_add(a->values, p->v[i].name);
		p->v[i].value[0] = p->v[i].name;
	}
}

/* --- writing ----------------------------------------------------------- */

static void
row_clear(struct exporter *e)
{
	size_t	i;

	for (i = 0; i < e->ncols; i++)
		e->row[i] = STR("");
}

static void
put(struct exporter *e, enum col c, struct str v)
{
	if (e->col[c] >= 0)
		e->row[e->col[c]] = v;
}

static void
putc_(struct exporter *e, enum col c, const char *v)
{
	put(e, c, str_c(v));
}

static void
put_acol(struct exporter *e, size_t k, enum acol c, struct str v)
{
	if (k < CATALOG_CSV_MAX_ATTRS && e->acol[k][c] >= 0)
		e->row[e->acol[k][c]] = v;
}

static void
put_i64(struct exporter *e, enum col c, int64_t v)
{
	putc_(e, c, arena_printf(e->page.a, "%lld", (long long)v));
}

/* minor units as "12.50"; -1 (none): the empty cell. */
static void
put_money(struct exporter *e, enum col c, int64_t minor)
{
	char	buf[MONEY_PLAIN_MAX];

	if (minor < 0 || money_format_plain(minor, e->ctx->currency, buf,
	    sizeof(buf)) < 0)
		return;
	putc_(e, c, arena_strdup(e->page.a, buf));
}

/* A UTC stamp as "YYYY-MM-DD HH:MM:SS" on the shop's clock, as
 * WooCommerce writes it and the importer reads it (core/tz.h; UTC when
 * the shop's zone is not known); 0 (open): the empty cell. */
static void
put_date(struct exporter *e, enum col c, int64_t t)
{
	const char	*tz = e->ctx->time_zone;
	char		 buf[TZ_LOCAL_LEN];

	if (t <= 0)
		return;
	if (tz == NULL || !tz_known(str_c(tz)))
		tz = "UTC";
	if (tz_local(tz, (time_t)t, buf) == 0)
		putc_(e, c, arena_strdup(e->page.a, buf));
}

/* Grams as kilograms, "0.25"; 0 or less (none): the empty cell. */
static void
put_kg(struct exporter *e, enum col c, int64_t g)
{
	char	*s;
	size_t	 n;

	if (g <= 0)
		return;
	s = arena_printf(e->page.a, "%lld.%03lld", (long long)(g / 1000),
	    (long long)(g % 1000));
	n = strlen(s);
	while (s[n - 1] == '0')
		s[--n] = '\0';
	if (s[n - 1] == '.')
		s[--n] = '\0';
	putc_(e, c, s);
}

static struct str
category_path(const struct exporter *e, int64_t id)
{
	size_t	i = id ? cat_find(e, id) : SIZE_MAX;

	return i == SIZE_MAX ? STR("") : e->paths[i];
}

/* WooCommerce's name of a tax class. */
static const char *
woo_tax_class(struct str tax)
{
	if (str_eqc(tax, "reduced"))
		return "reduced-rate";
	if (str_eqc(tax, "zero"))
		return "zero-rate";
	return "";
}

static const struct image *
image_by_id(const struct prod *p, int64_t id)
{
	size_t	i;

	for (i = 0; id && i < p->nim; i++)
		if (p->im[i].id == id)
			return &p->im[i];
	return NULL;
}

/*
 * A variant's prices as the storefront charges them (sale.h): its own
 * price, else the product's; its own sale, else the product's when it
 * has no price of its own. A sale not below the price is none (LEAST()
 * there).
 */
static void
variant_prices(const struct prod *p, const struct variant_row *v,
    int64_t *price, int64_t *sale, int64_t *from, int64_t *to)
{
	*price = v->price >= 0 ? v->price : p->price;
	*sale = -1;
	*from = *to = 0;
	if (v->sale >= 0) {
		*sale = v->sale;
		*from = v->from;
		*to = v->to;
	} else if (v->price < 0 && p->sale >= 0) {
		*sale = p->sale;
		*from = p->from;
		*to = p->to;
	}
	if (*sale >= *price)
		*sale = -1;
	if (*sale < 0)
		*from = *to = 0;
}

static void
row_end(struct exporter *e)
{
	csv_row(&e->out, e->row, e->ncols);
}

static void
woo_common(struct exporter *e, const struct prod *p)
{
	putc_(e, C_PUBLISHED, "1");
	putc_(e, C_FEATURED, "0");
	putc_(e, C_VISIBILITY, "visible");
	putc_(e, C_TAX_STATUS, p->tax.len && str_eqc(p->tax, "zero") ?
	    "none" : "taxable");
	putc_(e, C_TAX_CLASS, woo_tax_class(p->tax));
	putc_(e, C_BACKORDERS, "0");
	putc_(e, C_SOLD_ALONE, "0");
}

static void
woo_product(struct exporter *e, const struct prod *p)
{
	struct strbuf	 images = STRBUF_INIT;
	int64_t		 sale = p->sale < p->price ? p->sale : -1;
	size_t		 i, k;
	int		 instock = p->stock > 0;

	row_clear(e);
	woo_common(e, p);
	put_i64(e, C_ID, p->id);
	putc_(e, C_TYPE, p->nv ? "variable" : "simple");
	put(e, C_SKU, p->sku);
	put(e, C_NAME, p->name);
	putc_(e, C_PUBLISHED, p->active ? "1" : "0");
	putc_(e, C_FEATURED, p->featured ? "1" : "0");
	put(e, C_DESC, p->desc);
	/* A variable product's prices and stock are its variations', as
	 * WooCommerce writes it (and reads it: it ignores them there); a
	 * sale of the product is on each variation it applies to. */
	if (sale >= 0 && p->nv == 0) {
		put_money(e, C_SALE, sale);
		put_date(e, C_SALE_FROM, p->from);
		put_date(e, C_SALE_TO, p->to);
	}
	if (p->nv == 0) {
		put_money(e, C_REGULAR, p->price);
		put_i64(e, C_STOCK, p->stock);
	}
	for (i = 0; i < p->nv; i++)
		instock |= p->v[i].stock > 0;
	putc_(e, C_IN_STOCK, instock ? "1" : "0");
	put_kg(e, C_WEIGHT, p->weight);
	putc_(e, C_REVIEWS, "1");
	put(e, C_CATEGORIES, category_path(e, p->category));
	for (i = 0; i < p->nim; i++)
		list_add(&images, p->im[i].url);
	put(e, C_IMAGES, str_c(arena_strdup(e->page.a, images.buf)));
	strbuf_release(&images);
	putc_(e, C_POSITION, "0");
	for (k = 0; k < p->nattrs; k++) {
		put_acol(e, k, A_NAME, p->attrs[k].name);
		put_acol(e, k, A_VALUE, str_c(arena_strdup(e->page.a,
		    p->attrs[k].values->buf)));
		put_acol(e, k, A_VISIBLE, STR("1"));
		put_acol(e, k, A_GLOBAL, STR("1"));
	}
	row_end(e);
}

static void
woo_variation(struct exporter *e, const struct prod *p,
    const struct variant_row *v, size_t pos)
{
	struct strbuf	 name = STRBUF_INIT, vals = STRBUF_INIT;
	const struct image *im = image_by_id(p, v->image_id);
	int64_t		 price, sale, from, to;
	size_t		 k;

	row_clear(e);
	woo_common(e, p);
	putc_(e, C_TYPE, "variation");
	put(e, C_SKU, v->sku);
	/* "Cap - M, Blue", as WooCommerce names a variation. */
	for (k = 0; k < p->nattrs; k++)
		if (v->value[k].len)
			list_add(&vals, v->value[k]);
	strbuf_addv(&name, p->name);
	if (vals.len) {
		strbuf_addstr(&name, " - ");
		strbuf_addv(&name, strbuf_str(&vals));
	}
	put(e, C_NAME, arena_str(e->page.a, strbuf_str(&name)));
	strbuf_release(&name);
	strbuf_release(&vals);
	variant_prices(p, v, &price, &sale, &from, &to);
	put_money(e, C_SALE, sale);
	put_date(e, C_SALE_FROM, from);
	put_date(e, C_SALE_TO, to);
	put_money(e, C_REGULAR, price);
	putc_(e, C_IN_STOCK, v->stock > 0 ? "1" : "0");
	put_i64(e, C_STOCK, v->stock);
	put_kg(e, C_WEIGHT, v->weight);
	putc_(e, C_REVIEWS, "0");
	if (im != NULL)
		put(e, C_IMAGES, im->url);
	put(e, C_PARENT, p->sku.len ? p->sku : str_c(arena_printf(e->page.a,
	    "id:%lld", (long long)p->id)));
	put_i64(e, C_POSITION, (int64_t)pos + 1);
	for (k = 0; k < p->nattrs; k++) {
		put_acol(e, k, A_NAME, p->attrs[k].name);
		put_acol(e, k, A_VALUE, v->value[k]);
		put_acol(e, k, A_GLOBAL, STR("1"));
	}
	row_end(e);
}

static void
woo_write(struct exporter *e, const struct prod *p)
{
	size_t	i;

	woo_product(e, p);
	for (i = 0; i < p->nv; i++)
		woo_variation(e, p, &p->v[i], i);
}

/* Shopify's row i of product p: variant i (if any) and image i (if
 * any); the product's own fields on row 0. */
static void
shopify_row(struct exporter *e, const struct prod *p, size_t i)
{
	const struct variant_row *v = i < p->nv ? &p->v[i] : NULL;
	const struct image	*im;
	int64_t			 price, sale, from, to, g;
	size_t			 k;

	row_clear(e);
	put(e, C_HANDLE, p->slug);
	if (i == 0) {
		put(e, C_NAME, p->name);
		put(e, C_DESC, p->desc);
		put(e, C_TYPE_CAT, category_path(e, p->category));
		putc_(e, C_PUBLISHED, p->active ? "TRUE" : "FALSE");
		putc_(e, C_GIFT_CARD, "FALSE");
		putc_(e, C_STATUS, p->active ? "active" : "draft");
		for (k = 0; k < p->nattrs; k++)
			put_acol(e, k, A_NAME, p->attrs[k].name);
		if (p->nv == 0) {
			/* Shopify's product without options. */
			put_acol(e, 0, A_NAME, STR("Title"));
			put_acol(e, 0, A_VALUE, STR("Default Title"));
		}
	}
	if (i < p->nim) {
		put(e, C_IMAGES, p->im[i].url);
		put_i64(e, C_IMAGE_POS, (int64_t)i + 1);
		put(e, C_IMAGE_ALT, p->im[i].alt);
	}
	if (v == NULL && !(i == 0 && p->nv == 0)) {
		row_end(e);
		return;
	}
	if (v != NULL) {
		variant_prices(p, v, &price, &sale, &from, &to);
		for (k = 0; k < p->nattrs; k++)
			put_acol(e, k, A_VALUE, v->value[k]);
		put(e, C_SKU, v->sku);
		put_i64(e, C_STOCK, v->stock);
		g = v->weight >= 0 ? v->weight : p->weight;
		if ((im = image_by_id(p, v->image_id)) != NULL)
			put(e, C_VARIANT_IMAGE, im->url);
	} else {
		price = p->price;
		sale = p->sale < p->price ? p->sale : -1;
		from = p->from;
		to = p->to;
		put(e, C_SKU, p->sku);
		put_i64(e, C_STOCK, p->stock);
		g = p->weight;
	}
	/* Shopify has no sale dates: a sale running now is its price
	 * with the regular one to compare at; one that does not run now
	 * is left out (NEEDSWORK: a scheduled sale is lost). */
	if (sale >= 0 && sale_active(sale, (time_t)from, (time_t)to,
	    e->now)) {
		put_money(e, C_REGULAR, sale);
		put_money(e, C_COMPARE, price);
	} else
		put_money(e, C_REGULAR, price);
	put_i64(e, C_WEIGHT, g > 0 ? g : 0);
	putc_(e, C_WEIGHT_UNIT, "kg");
	putc_(e, C_TRACKER, "shopify");
	putc_(e, C_POLICY, "deny");
	putc_(e, C_FULFILMENT, "manual");
	putc_(e, C_SHIPPING, "TRUE");
	putc_(e, C_TAXABLE, str_eqc(p->tax, "zero") ? "FALSE" : "TRUE");
	row_end(e);
}

static void
shopify_write(struct exporter *e, const struct prod *p)
{
	size_t	rows = p->nv > p->nim ? p->nv : p->nim, i;

	if (rows == 0)
		rows = 1;
	for (i = 0; i < rows; i++)
		shopify_row(e, p, i);
}

static int
flush(struct exporter *e)
{
	int	rc = 0;

	if (e->out.len > 0)
		rc = e->write(e->arg, e->out.buf, e->out.len);
	strbuf_reset(&e->out);
	return rc == 0 ? SHOP_OK : CATALOG_EXPORT_EWRITE;
}

/* Reads what hangs on the page's products and writes their rows. */
static int
page_write(struct exporter *e, int64_t lo, size_t *count)
{
	int64_t	hi = e->prods[e->nprods - 1].id;
	size_t	i;
	int	rc;

	if ((rc = read_variants(e, lo, hi)) != SHOP_OK ||
	    (rc = read_pvalues(e, lo, hi)) != SHOP_OK ||
	    (rc = read_vvalues(e, lo, hi)) != SHOP_OK ||
	    (rc = read_images(e, lo, hi)) != SHOP_OK)
		return rc;
	for (i = 0; i < e->nprods; i++) {
		name_attribute(e, &e->prods[i]);
		if (e->f == CATALOG_CSV_SHOPIFY)
			shopify_write(e, &e->prods[i]);
		else
			woo_write(e, &e->prods[i]);
	}
	*count += e->nprods;
	return flush(e);
}

int
catalog_export_run(struct shop_ctx *ctx, enum catalog_csv_format f,
    const char *origin, catalog_export_write write, void *arg,
    size_t *nproducts)
{
	struct exporter	*e;
	size_t		 nattrs = 0, count = 0;
	int64_t		 after = 0, lo;
	int		 rc;

	e = arena_calloc(ctx->a, 1, sizeof(*e));
	e->ctx = ctx;
	e->f = f;
	e->origin = origin;
	e->write = write;
	e->arg = arg;
	e->now = time(NULL);
	arena_init(&e->pa);
	e->page = *ctx;
	e->page.a = &e->pa;
	strbuf_init(&e->out, 0);

	if (f == CATALOG_CSV_WOO && (rc = read_nattrs(e, &nattrs)) != SHOP_OK)
		goto fail;
	columns(e, nattrs);
	if ((rc = read_categories(e)) != SHOP_OK)
		goto fail;
	strbuf_addstr(&e->out, CSV_BOM);
	csv_row(&e->out, e->header, e->ncols);
	for (;;) {
		lo = after;
		if ((rc = read_products(e, &after)) != SHOP_OK)
			goto fail;
		if (e->nprods == 0)
			break;
		if ((rc = page_write(e, lo, &count)) != SHOP_OK)
			goto fail;
		arena_reset(&e->pa);
	}
	rc = flush(e);
fail:
	if (rc == CATALOG_EXPORT_EWRITE)
		log_warn("catalog export stopped after %zu products: the "
		    "reader went away", count);
	arena_free(&e->pa);
	strbuf_release(&e->out);
	if (nproducts != NULL)
		*nproducts = count;
	return rc;
}

static int
fd_write(void *arg, const char *p, size_t n)
{
	int	fd = *(int *)arg;
	ssize_t	w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
catalog_export_fd(struct shop_ctx *ctx, enum catalog_csv_format f,
    const char *origin, int fd, size_t *nproducts)
{
	return catalog_export_run(ctx, f, origin, fd_write, &fd, nproducts);
}

const char *
catalog_export_origin(struct arena *a, const char *slug)
{
	const char	*port = config_get("public_port", "");

	return arena_printf(a, "%s://%s.%s%s%s",
	    config_get("public_scheme", "http"), slug,
	    config_get("platform_domain", "localhost"), *port ? ":" : "",
	    port);
}

int
catalog_export_format_parse(const char *s, enum catalog_csv_format *f)
{
	if (s != NULL && strcmp(s, "woo") == 0)
		*f = CATALOG_CSV_WOO;
	else if (s != NULL && strcmp(s, "shopify") == 0)
		*f = CATALOG_CSV_SHOPIFY;
	else
		return -1;
	return 0;
}
