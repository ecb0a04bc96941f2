/* product_query.c: products as the API lists them (product_query.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/xalloc.h"
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
	" " PQ_IN_STOCK

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

/*
 * No window function for the total: COUNT(*) OVER () made MariaDB
 * build every matching row, TEXT columns included, in a temporary
 * table (on disk) before the LIMIT, even for one product by id: 1.3 ms
 * a product of a 10,000-product shop, 0.3 s a page of 20 (make bench).
 * The page reads LIMIT rows in the order's index; the total is
 * ST_COUNT's, kept a while (count()).
 */
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

/*
 * What the page's products carry, in one round trip: their variants
 * (kind 0), images (1), the values they offer by attribute (2, in the
 * request's language, the shop's, the slug) and their units sold (3,
 * in id). Columns: kind, product, id (the attribute's for kind 2),
 * three sort keys, two texts.
 * Unsorted: ORDER BY over the union (or over the attributes' joins)
 * made MariaDB build a temporary table a call; extras() sorts in C.
 * Parameters: the page's ids twice, the locales (4), the ids twice.
 */
#define PQ_EXTRAS(ids) \
	"(SELECT 0, product_id, id, position, 0, 0, '', ''" \
	" FROM {p}variants WHERE product_id " ids " LIMIT 10000)" \
	" UNION ALL (SELECT 1, product_id, id, position, 0, 0, path, alt" \
	" FROM {p}images WHERE product_id " ids " LIMIT 10000)" \
	" UNION ALL (SELECT 2, pv.product_id, a.id, a.position," \
	" v.position, v.id, COALESCE(at.name, ad.name, a.slug)," \
	" COALESCE(vt.name, vd.name, v.slug)" \
	" FROM {p}product_values pv" \
	" JOIN {p}attributes v ON v.id = pv.value_id" \
	" JOIN {p}attributes a ON a.id = v.parent_id" \
	" LEFT JOIN {p}attribute_texts at" \
	" ON at.attribute_id = a.id AND at.locale = ?" \
	" LEFT JOIN {p}attribute_texts ad" \
	" ON ad.attribute_id = a.id AND ad.locale = ?" \
	" LEFT JOIN {p}attribute_texts vt" \
	" ON vt.attribute_id = v.id AND vt.locale = ?" \
	" LEFT JOIN {p}attribute_texts vd" \
	" ON vd.attribute_id = v.id AND vd.locale = ?" \
	" WHERE pv.product_id " ids " LIMIT 10000)" \
	" UNION ALL (SELECT 3, l.product_id, SUM(l.qty), 0, 0, 0, '', ''" \
	PQ_SOLD_WHERE " AND l.product_id " ids " GROUP BY l.product_id)"

#define Q10	"?,?,?,?,?,?,?,?,?,?"
#define Q20	Q10 "," Q10
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
	ST_ONE,
	ST_EXTRAS_ONE,
	ST_EXTRAS_20,
	ST_EXTRAS,
	ST_VARIATION_VALUES,
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
	/* One product by id, whatever its status (the API's get). */
	[ST_ONE] = { "product_query.one",
	    "SELECT " PQ_COLS CATALOG_P_FROM " WHERE p.id = ?" },
	/* By the page's size: MariaDB analyses every value of an IN list
	 * (padding included) at each execution. */
	[ST_EXTRAS_ONE] = { "product_query.extras_one", PQ_EXTRAS("= ?") },
	[ST_EXTRAS_20] = { "product_query.extras_20",
	    PQ_EXTRAS("IN (" Q20 ")") },
	[ST_EXTRAS] = { "product_query.extras",
	    PQ_EXTRAS("IN (" Q100 ")") },
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

/*
 * A list's total (X-WP-Total), kept by each worker for COUNT_TTL_MS per
 * shop and filters, and dropped when the shop's catalog changes
 * (cache_bump()): counting reads every matching product, a few ms in a
 * shop of 10,000, and an integration pages through the same list. A
 * change of stock by orders (which does not bump) shows in the
 * stock_status filter's total within the lifetime.
 */
#define COUNT_TTL_MS	10000
#define COUNT_SLOTS	256

static struct cache *count_cache;

static int
count(struct shop_ctx *ctx, const struct product_query *q, int64_t *n)
{
	struct db_stmt	*st;
	char		 key[CACHE_KEY_MAX];
	void		*v;
	int64_t		*kept;
	int		 rc, len;

	/* The texts with their lengths: no two filters share a key. */
	len = snprintf(key, sizeof(key), "%s|%lld|%d|%d|%zu:%.*s|%zu:%.*s",
	    ctx->locale, (long long)q->category, q->status, q->in_stock,
	    q->sku.len, (int)q->sku.len, q->sku.p, q->search.len,
	    (int)q->search.len, q->search.p);
	if (len < 0 || (size_t)len >= sizeof(key))
		key[0] = '\0';		/* too long to keep: counted */
	if (count_cache == NULL)
		count_cache = cache_new(COUNT_SLOTS, free);
	if (key[0] != '\0' && cache_get(count_cache, ctx->tenant, key, &v) &&
	    v != NULL) {
		*n = *(int64_t *)v;
		return SHOP_OK;
	}
	if ((st = shop_stmt(ctx, &sql[ST_COUNT])) == NULL)
		return SHOP_EDB;
	(void)bind_where(ctx, st, q);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	*n = rc == 1 ? db_col_i64(st, 0) : 0;
	db_done(st);
	if (rc != 1)
		return SHOP_EDB;
	if (key[0] != '\0') {
		kept = xmalloc(sizeof(*kept));
		*kept = *n;
		cache_put(count_cache, ctx->tenant, key, ctx->tenant, kept,
		    COUNT_TTL_MS);
	}
	return SHOP_OK;
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

struct extra {
	int64_t		 kind, product, id, k1, k2, k3;
	struct str	 s1, s2;
};

static int
extra_cmp(const void *a, const void *b)
{
	const struct extra	*x = a, *y = b;
	const int64_t		 u[] = { x->kind, x->product, x->k1, x->id,
				    x->k2, x->k3 };
	const int64_t		 v[] = { y->kind, y->product, y->k1, y->id,
				    y->k2, y->k3 };
	size_t			 i;

	for (i = 0; i < NELEM(u); i++)
		if (u[i] != v[i])
			return u[i] < v[i] ? -1 : 1;
	return 0;
}

/* A value of attribute e->id offered by product p (rows come sorted:
 * an attribute's values in a row). */
static void
add_value(struct shop_ctx *ctx, struct pq_product *p, size_t *cap,
    const struct extra *e)
{
	struct pq_attribute	*at;
	size_t			 ocap;

	if (p->nattributes == 0 ||
	    p->attributes[p->nattributes - 1].id != e->id) {
		p->attributes = shop_grow(ctx->a, p->attributes,
		    sizeof(*p->attributes), p->nattributes, cap);
		at = &p->attributes[p->nattributes++];
		memset(at, 0, sizeof(*at));
		at->id = e->id;
		at->name = e->s1;
	}
	at = &p->attributes[p->nattributes - 1];
	ocap = at->nopts == 0 ? 0 : at->ocap;
	at->opts = shop_grow(ctx->a, at->opts, sizeof(*at->opts), at->nopts,
	    &ocap);
	at->ocap = ocap;
	at->opts[at->nopts++] = e->s2;
}

/* The page's variants, images, attributes and units sold
 * (PQ_EXTRAS). */
static int
extras(struct shop_ctx *ctx, struct pq_result *out)
{
	size_t			 nids = out->n == 1 ? 1 : out->n <= 20 ?
				    20 : PRODUCT_QUERY_MAX;
	struct db_stmt		*st = shop_stmt(ctx, &sql[nids == 1 ?
				    ST_EXTRAS_ONE : nids == 20 ? ST_EXTRAS_20 :
				    ST_EXTRAS]);
	struct extra		*e = NULL;
	struct pq_product	*p;
	struct pq_image		*im;
	size_t			 n = 0, cap = 0, i, k;
	size_t			*caps;
	unsigned		 b;
	int			 rc;

	if (st == NULL)
		return SHOP_EDB;
	/* In the text's order: the ids twice, the locales, the ids twice.
	 * Ids start at 1: 0 fills the unused places. */
	for (k = 0, b = 0; k < 4; k++) {
		if (k == 2) {
			db_bind_cstr(st, b++, ctx->locale);
			db_bind_cstr(st, b++, ctx->default_locale);
			db_bind_cstr(st, b++, ctx->locale);
			db_bind_cstr(st, b++, ctx->default_locale);
		}
		for (i = 0; i < nids; i++)
			db_bind_i64(st, b++, i < out->n ? out->v[i].p.id : 0);
	}
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		e = shop_grow(ctx->a, e, sizeof(*e), n, &cap);
		e[n].kind = db_col_i64(st, 0);
		e[n].product = db_col_i64(st, 1);
		e[n].id = db_col_i64(st, 2);
		e[n].k1 = db_col_i64(st, 3);
		e[n].k2 = db_col_i64(st, 4);
		e[n].k3 = db_col_i64(st, 5);
		e[n].s1 = db_col_str(st, 6);
		e[n].s2 = db_col_str(st, 7);
		n++;
	}
	db_done(st);
	if (rc != 0)
		return SHOP_EDB;
	if (n > 1)
		qsort(e, n, sizeof(*e), extra_cmp);
	/* A capacity per product and kind. */
	caps = arena_calloc(ctx->a, out->n * 3 + 1, sizeof(*caps));
	for (i = 0; i < n; i++) {
		if ((p = find(out, e[i].product)) == NULL ||
		    e[i].kind < 0 || e[i].kind > 3)
			continue;
		if (e[i].kind == 3) {
			p->total_sales = e[i].id;
			continue;
		}
		k = (size_t)(p - out->v) * 3 + (size_t)e[i].kind;
		switch (e[i].kind) {
		case 0:
			p->variants = shop_grow(ctx->a, p->variants,
			    sizeof(*p->variants), p->nvariants, &caps[k]);
			p->variants[p->nvariants++].id = e[i].id;
			break;
		case 1:
			p->images = shop_grow(ctx->a, p->images,
			    sizeof(*p->images), p->nimages, &caps[k]);
			im = &p->images[p->nimages++];
			im->id = e[i].id;
			im->path = e[i].s1;
			im->alt = e[i].s2;
			break;
		default:
			add_value(ctx, p, &caps[k], &e[i]);
			break;
		}
	}
	return SHOP_OK;
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
	if (q->id > 0)
		which = ST_ONE;
	if ((st = shop_stmt(ctx, &sql[which])) == NULL)
		return SHOP_EDB;
	if (which == ST_ONE) {
		i = catalog_bind_locales(ctx, st);
		db_bind_i64(st, i, q->id);
	} else {
		i = bind_where(ctx, st, q);
		db_bind_i64(st, i++, q->limit);
		db_bind_i64(st, i++, q->offset);
	}
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	out->v = arena_calloc(ctx->a, (size_t)q->limit, sizeof(*out->v));
	while ((rc = db_step(st)) == 1 && out->n < (size_t)q->limit) {
		read_row(st, &out->v[out->n]);
		out->n++;
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	/* The total: known from the page when it is the last one. */
	if (which == ST_ONE || (out->n > 0 && out->n < (size_t)q->limit))
		out->total = q->offset + (int64_t)out->n;
	else if (out->n > 0 || q->offset > 0) {
		if (count(ctx, q, &out->total) != SHOP_OK)
			return SHOP_EDB;
	}
	if (out->n == 0)
		return SHOP_OK;
	return extras(ctx, out);
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
