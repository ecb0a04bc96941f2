/* product_query.c: products as the API lists them (product_query.h). */
#include "core/common.h"
#include "db/db.h"
#include "shop/catalog.h"
#include "shop/product_query.h"
#include "shop/sale.h"
#include "shop/shop.h"

/* What a row carries besides CATALOG_P_COLS (columns 12 on). */
#define PQ_COLS \
	CATALOG_P_COLS ", IFNULL(p.sale_price, -1)," \
	" IFNULL(DATE_FORMAT(p.sale_from, '%Y-%m-%d %H:%i:%s'), '')," \
	" IFNULL(DATE_FORMAT(p.sale_to, '%Y-%m-%d %H:%i:%s'), '')," \
	" " SALE_ON("p") "," \
	" DATE_FORMAT(p.created_at, '%Y-%m-%d %H:%i:%s')," \
	" DATE_FORMAT(p.updated_at, '%Y-%m-%d %H:%i:%s')," \
	" p.tax_class, p.weight_g," \
	" IFNULL(IF(t.product_id IS NULL, d.description_html," \
	" t.description_html), '')," \
	" " PQ_IN_STOCK "," \
	" COUNT(*) OVER ()"

#define PQ_IN_STOCK \
	"(p.stock > 0 OR EXISTS (SELECT 1 FROM {p}variants v" \
	" WHERE v.product_id = p.id AND v.stock > 0))"

/* Each filter is off when its first parameter says so: one statement
 * text for every combination (no SQL built from input). */
#define PQ_WHERE \
	" WHERE (? = 0 OR p.id = ?)" \
	" AND (? = '' OR COALESCE(t.name, d.name, p.slug) LIKE ?" \
	" OR p.sku LIKE ?)" \
	" AND (? = 0 OR p.category_id IN (WITH RECURSIVE d (id) AS" \
	" (SELECT id FROM {p}categories WHERE id = ?" \
	" UNION SELECT c.id FROM {p}categories c JOIN d" \
	" ON c.parent_id = d.id) SELECT id FROM d))" \
	" AND (? = '' OR p.sku = ?)" \
	" AND (? < 0 OR (p.status = 'active') = ?)" \
	" AND (? < 0 OR " PQ_IN_STOCK " = ?)"

#define PQ_LIST(order) \
	"SELECT " PQ_COLS CATALOG_P_FROM PQ_WHERE " ORDER BY " order \
	" LIMIT ? OFFSET ?"

#define PQ_NAME	"COALESCE(t.name, d.name, p.slug)"

/* The units of a product sold: in orders that are not pending or
 * cancelled, as WooCommerce counts total_sales (order_lines' product
 * index, sql/shop/015). */
#define PQ_SOLD_WHERE \
	" FROM {p}order_lines l JOIN {p}orders o ON o.id = l.order_id" \
	" WHERE o.status NOT IN ('pending', 'cancelled')"
#define PQ_SOLD \
	"COALESCE((SELECT SUM(l.qty)" PQ_SOLD_WHERE \
	" AND l.product_id = p.id), 0)"

#define Q10	"?,?,?,?,?,?,?,?,?,?"
#define Q100	Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10 \
	"," Q10 "," Q10

enum stmt {
	/* [order * 2 + desc] */
	ST_LIST_DATE, ST_LIST_DATE_DESC,
	ST_LIST_ID, ST_LIST_ID_DESC,
	ST_LIST_TITLE, ST_LIST_TITLE_DESC,
	ST_LIST_PRICE, ST_LIST_PRICE_DESC,
	ST_LIST_POPULARITY, ST_LIST_POPULARITY_DESC,
	ST_COUNT,
	ST_VARIANTS,
	ST_IMAGES,
	ST_ATTRIBUTES,
	ST_VARIATION_VALUES,
	ST_SALES,
	ST_CATEGORY_COUNTS,
	ST_VALUE_COUNTS,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_LIST_DATE] = { "product_query.date",
	    PQ_LIST("p.created_at, p.id") },
	[ST_LIST_DATE_DESC] = { "product_query.date_desc",
	    PQ_LIST("p.created_at DESC, p.id DESC") },
	[ST_LIST_ID] = { "product_query.id", PQ_LIST("p.id") },
	[ST_LIST_ID_DESC] = { "product_query.id_desc", PQ_LIST("p.id DESC") },
	[ST_LIST_TITLE] = { "product_query.title",
	    PQ_LIST(PQ_NAME ", p.id") },
	[ST_LIST_TITLE_DESC] = { "product_query.title_desc",
	    PQ_LIST(PQ_NAME " DESC, p.id DESC") },
	[ST_LIST_PRICE] = { "product_query.price",
	    PQ_LIST(SALE_PRODUCT_PRICE ", p.id") },
	[ST_LIST_PRICE_DESC] = { "product_query.price_desc",
	    PQ_LIST(SALE_PRODUCT_PRICE " DESC, p.id DESC") },
	[ST_LIST_POPULARITY] = { "product_query.popularity",
	    PQ_LIST(PQ_SOLD ", p.id") },
	[ST_LIST_POPULARITY_DESC] = { "product_query.popularity_desc",
	    PQ_LIST(PQ_SOLD " DESC, p.id DESC") },
	/* A page past the end has no row to carry the window's count. */
	[ST_COUNT] = { "product_query.count",
	    "SELECT COUNT(*)" CATALOG_P_FROM PQ_WHERE },
	[ST_VARIANTS] = { "product_query.variants",
	    "SELECT product_id, id FROM {p}variants"
	    " WHERE product_id IN (" Q100 ") ORDER BY product_id, position, id"
	    " LIMIT 10000" },
	[ST_IMAGES] = { "product_query.images",
	    "SELECT product_id, id, path, alt FROM {p}images"
	    " WHERE product_id IN (" Q100 ") ORDER BY product_id, position, id"
	    " LIMIT 10000" },
	/* The values each product offers, by attribute, in both
	 * languages' names (the request's, the shop's, the slug). */
	[ST_ATTRIBUTES] = { "product_query.attributes",
	    "SELECT pv.product_id, a.id,"
	    " COALESCE(at.name, ad.name, a.slug),"
	    " COALESCE(vt.name, vd.name, v.slug)"
	    " FROM {p}product_values pv"
	    " JOIN {p}attributes v ON v.id = pv.value_id"
	    " JOIN {p}attributes a ON a.id = v.parent_id"
	    " LEFT JOIN {p}attribute_texts at"
	    " ON at.attribute_id = a.id AND at.locale = ?"
	    " LEFT JOIN {p}attribute_texts ad"
	    " ON ad.attribute_id = a.id AND ad.locale = ?"
	    " LEFT JOIN {p}attribute_texts vt"
	    " ON vt.attribute_id = v.id AND vt.locale = ?"
	    " LEFT JOIN {p}attribute_texts vd"
	    " ON vd.attribute_id = v.id AND vd.locale = ?"
	    " WHERE pv.product_id IN (" Q100 ")"
	    " ORDER BY pv.product_id, a.position, a.id, v.position, v.id"
	    " LIMIT 10000" },
	[ST_SALES] = { "product_query.sales",
	    "SELECT l.product_id, SUM(l.qty)" PQ_SOLD_WHERE
	    " AND l.product_id IN (" Q100 ") GROUP BY l.product_id" },
	/* WooCommerce counts a term's published products. */
	[ST_CATEGORY_COUNTS] = { "product_query.category_counts",
	    "SELECT category_id, COUNT(*) FROM {p}products"
	    " WHERE category_id IS NOT NULL AND status = 'active'"
	    " GROUP BY category_id LIMIT 100000" },
	[ST_VALUE_COUNTS] = { "product_query.value_counts",
	    "SELECT pv.value_id, COUNT(*) FROM {p}product_values pv"
	    " JOIN {p}products p ON p.id = pv.product_id"
	    " WHERE p.status = 'active' GROUP BY pv.value_id LIMIT 100000" },
	[ST_VARIATION_VALUES] = { "product_query.variation_values",
	    "SELECT vv.variant_id, a.id,"
	    " COALESCE(at.name, ad.name, a.slug),"
	    " COALESCE(vt.name, vd.name, v.slug)"
	    " FROM {p}variants x"
	    " JOIN {p}variant_values vv ON vv.variant_id = x.id"
	    " JOIN {p}attributes v ON v.id = vv.value_id"
	    " JOIN {p}attributes a ON a.id = v.parent_id"
	    " LEFT JOIN {p}attribute_texts at"
	    " ON at.attribute_id = a.id AND at.locale = ?"
	    " LEFT JOIN {p}attribute_texts ad"
	    " ON ad.attribute_id = a.id AND ad.locale = ?"
	    " LEFT JOIN {p}attribute_texts vt"
	    " ON vt.attribute_id = v.id AND vt.locale = ?"
	    " LEFT JOIN {p}attribute_texts vd"
	    " ON vd.attribute_id = v.id AND vd.locale = ?"
	    " WHERE x.product_id = ?"
	    " ORDER BY x.position, x.id, a.position, a.id LIMIT 10000" },
};

static unsigned
bind_where(struct shop_ctx *ctx, struct db_stmt *st,
    const struct product_query *q)
{
	unsigned	i = catalog_bind_locales(ctx, st);
	struct str	like = q->search.len ?
	    catalog_like_pattern(ctx->a, q->search) : STR("");

	db_bind_i64(st, i++, q->id);
	db_bind_i64(st, i++, q->id);
	db_bind_str(st, i++, q->search);
	db_bind_str(st, i++, like);
	db_bind_str(st, i++, like);
	db_bind_i64(st, i++, q->category);
	db_bind_i64(st, i++, q->category);
	db_bind_str(st, i++, q->sku);
	db_bind_str(st, i++, q->sku);
	db_bind_i64(st, i++, q->status);
	db_bind_i64(st, i++, q->status);
	db_bind_i64(st, i++, q->in_stock);
	db_bind_i64(st, i++, q->in_stock);
	return i;
}

static void
read_row(struct db_stmt *st, struct pq_product *o)
{
	catalog_read_product(st, &o->p);
	o->sale_price = db_col_i64(st, 12);
	o->sale_from = db_col_str(st, 13);
	o->sale_to = db_col_str(st, 14);
	o->on_sale = db_col_i64(st, 15) != 0;
	o->created = db_col_str(st, 16);
	o->modified = db_col_str(st, 17);
	o->tax_class = db_col_str(st, 18);
	o->weight_g = db_col_i64(st, 19);
	o->description_html = db_col_str(st, 20);
	o->in_stock = db_col_i64(st, 21) != 0;
}

static int
count(struct shop_ctx *ctx, const struct product_query *q, int64_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_COUNT]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	(void)bind_where(ctx, st, q);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	*n = rc == 1 ? db_col_i64(st, 0) : 0;
	db_done(st);
	return rc == 1 ? SHOP_OK : SHOP_EDB;
}

/* The index in out of product id (pages are small: a scan). */
static struct pq_product *
find(struct pq_result *out, int64_t id)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (out->v[i].p.id == id)
			return &out->v[i];
	return NULL;
}

/* Runs the variants or images statement for the page's ids. */
static struct db_stmt *
per_page(struct shop_ctx *ctx, enum stmt which, const struct pq_result *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[which]);
	unsigned	 first = 0;
	size_t		 i;

	if (st == NULL)
		return NULL;
	if (which == ST_ATTRIBUTES) {
		(void)catalog_bind_locales(ctx, st);
		db_bind_cstr(st, 2, ctx->locale);
		db_bind_cstr(st, 3, ctx->default_locale);
		first = 4;
	}
	/* Ids start at 1: 0 fills the unused places. */
	for (i = 0; i < PRODUCT_QUERY_MAX; i++)
		db_bind_i64(st, first + (unsigned)i, i < out->n ?
		    out->v[i].p.id : 0);
	if (shop_exec(ctx, st) != SHOP_OK)
		return NULL;
	return st;
}

static int
variants(struct shop_ctx *ctx, struct pq_result *out)
{
	struct db_stmt		*st = per_page(ctx, ST_VARIANTS, out);
	struct pq_product	*p;
	size_t			*cap = arena_calloc(ctx->a, out->n + 1,
				    sizeof(*cap));
	int			 rc;

	if (st == NULL)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		if ((p = find(out, db_col_i64(st, 0))) == NULL)
			continue;
		p->variants = shop_grow(ctx->a, p->variants,
		    sizeof(*p->variants), p->nvariants, &cap[p - out->v]);
		p->variants[p->nvariants++].id = db_col_i64(st, 1);
	}
	db_done(st);
	return rc == 0 ? SHOP_OK : SHOP_EDB;
}

static int
images(struct shop_ctx *ctx, struct pq_result *out)
{
	struct db_stmt		*st = per_page(ctx, ST_IMAGES, out);
	struct pq_product	*p;
	struct pq_image		*im;
	size_t			*cap = arena_calloc(ctx->a, out->n + 1,
				    sizeof(*cap));
	int			 rc;

	if (st == NULL)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		if ((p = find(out, db_col_i64(st, 0))) == NULL)
			continue;
		p->images = shop_grow(ctx->a, p->images, sizeof(*p->images),
		    p->nimages, &cap[p - out->v]);
		im = &p->images[p->nimages++];
		im->id = db_col_i64(st, 1);
		im->path = db_col_str(st, 2);
		im->alt = db_col_str(st, 3);
	}
	db_done(st);
	return rc == 0 ? SHOP_OK : SHOP_EDB;
}

/* total_sales of the page's products: one grouped read. */
static int
sales(struct shop_ctx *ctx, struct pq_result *out)
{
	struct db_stmt		*st = per_page(ctx, ST_SALES, out);
	struct pq_product	*p;
	int			 rc;

	if (st == NULL)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1)
		if ((p = find(out, db_col_i64(st, 0))) != NULL)
			p->total_sales = db_col_i64(st, 1);
	db_done(st);
	return rc == 0 ? SHOP_OK : SHOP_EDB;
}

static int
attributes(struct shop_ctx *ctx, struct pq_result *out)
{
	struct db_stmt		*st = per_page(ctx, ST_ATTRIBUTES, out);
	struct pq_product	*p;
	struct pq_attribute	*at;
	size_t			*cap = arena_calloc(ctx->a, out->n + 1,
				    sizeof(*cap)), ocap;
	int64_t			 aid;
	int			 rc;

	if (st == NULL)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		if ((p = find(out, db_col_i64(st, 0))) == NULL)
			continue;
		aid = db_col_i64(st, 1);
		if (p->nattributes == 0 ||
		    p->attributes[p->nattributes - 1].id != aid) {
			p->attributes = shop_grow(ctx->a, p->attributes,
			    sizeof(*p->attributes), p->nattributes,
			    &cap[p - out->v]);
			at = &p->attributes[p->nattributes++];
			memset(at, 0, sizeof(*at));
			at->id = aid;
			at->name = db_col_str(st, 2);
		}
		at = &p->attributes[p->nattributes - 1];
		ocap = at->nopts == 0 ? 0 : at->ocap;
		at->opts = shop_grow(ctx->a, at->opts, sizeof(*at->opts),
		    at->nopts, &ocap);
		at->ocap = ocap;
		at->opts[at->nopts++] = db_col_str(st, 3);
	}
	db_done(st);
	return rc == 0 ? SHOP_OK : SHOP_EDB;
}

int
product_query(struct shop_ctx *ctx, const struct product_query *q,
    struct pq_result *out)
{
	struct db_stmt	*st;
	unsigned	 i;
	int		 rc, which;

	memset(out, 0, sizeof(*out));
	if (q->limit < 1 || q->limit > PRODUCT_QUERY_MAX || q->offset < 0 ||
	    (unsigned)q->order >= PQ_ORDER__MAX)
		return SHOP_EINVAL;
	which = (int)q->order * 2 + (q->desc != 0);
	if ((st = shop_stmt(ctx, &sql[which])) == NULL)
		return SHOP_EDB;
	i = bind_where(ctx, st, q);
	db_bind_i64(st, i++, q->limit);
	db_bind_i64(st, i++, q->offset);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	out->v = arena_calloc(ctx->a, (size_t)q->limit, sizeof(*out->v));
	while ((rc = db_step(st)) == 1 && out->n < (size_t)q->limit) {
		read_row(st, &out->v[out->n]);
		out->total = db_col_i64(st, 22);
		out->n++;
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (out->n == 0)
		return q->offset > 0 ? count(ctx, q, &out->total) : SHOP_OK;
	if (variants(ctx, out) != SHOP_OK || images(ctx, out) != SHOP_OK ||
	    attributes(ctx, out) != SHOP_OK || sales(ctx, out) != SHOP_OK)
		return SHOP_EDB;
	return SHOP_OK;
}

int
product_query_variation_values(struct shop_ctx *ctx, int64_t product_id,
    struct pq_variation_value **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_VARIATION_VALUES]);
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	(void)catalog_bind_locales(ctx, st);
	db_bind_cstr(st, 2, ctx->locale);
	db_bind_cstr(st, 3, ctx->default_locale);
	db_bind_i64(st, 4, product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		struct pq_variation_value *v;

		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		v = &(*out)[(*n)++];
		v->variant_id = db_col_i64(st, 0);
		v->attribute_id = db_col_i64(st, 1);
		v->attribute = db_col_str(st, 2);
		v->option = db_col_str(st, 3);
	}
	db_done(st);
	return rc == 0 ? SHOP_OK : SHOP_EDB;
}

int
product_query_counts(struct shop_ctx *ctx, enum pq_count which,
    struct pq_count_row **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[which == PQ_COUNT_CATEGORIES ?
			    ST_CATEGORY_COUNTS : ST_VALUE_COUNTS]);
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		(*out)[*n].id = db_col_i64(st, 0);
		(*out)[(*n)++].count = db_col_i64(st, 1);
	}
	db_done(st);
	return rc == 0 ? SHOP_OK : SHOP_EDB;
}
