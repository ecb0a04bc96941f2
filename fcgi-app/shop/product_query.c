/* product_query.c: products as the API lists them (product_query.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "shop/catalog.h"
#include "shop/facet.h"
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
 * A page is its ids in the order's index (PQ_PAGE), then the rows of
 * those ids (PQ_ROWS) and what they carry (PQ_EXTRAS): what the API's
 * worker keeps of a product (wc_product_json_texts()) is not read
 * again. The total is ST_COUNT's, kept a while (count()).
 */
#define PQ_PAGE(order) \
	"SELECT p.id" CATALOG_P_FROM PQ_WHERE " ORDER BY " order \
	" LIMIT ? OFFSET ?"

/* The page of a list without filters, the API's default: no WHERE for
 * MariaDB to optimize at each execution (the category's CTE, the
 * variants' EXISTS), and no texts unless the order needs them. */
#define PQ_PLAIN(order) \
	"SELECT p.id FROM {p}products p ORDER BY " order " LIMIT ? OFFSET ?"
#define PQ_PLAIN_TEXTS(order) \
	"SELECT p.id" CATALOG_P_FROM " ORDER BY " order " LIMIT ? OFFSET ?"

#define PQ_ROWS(ids) \
	"SELECT " PQ_COLS PQ_CARRIED CATALOG_P_FROM " WHERE p.id " ids

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
 * What a product carries, as columns of its row (22 on): its variants'
 * ids, the ids of the values it offers (their names and order come
 * from the worker's copy, facet_names(): joining them in cost more than
 * the rest of the row), its units sold, and how many images it has.
 * Correlated subqueries by the product index of each table: one round
 * trip for a page, where a union of the four in a second statement
 * cost MariaDB a temporary table and souk a round trip. The images
 * (their alt texts are TEXT, which GROUP_CONCAT would put in an on-disk
 * temporary table) are read by PQ_IMAGES for the products that have
 * some. Nothing sorted in SQL (a temporary table each): the variants
 * come with their positions, sorted in C.
 */
#define PQ_CARRIED \
	", (SELECT GROUP_CONCAT(v.position, ' ', v.id)" \
	" FROM {p}variants v WHERE v.product_id = p.id)" \
	", (SELECT GROUP_CONCAT(pv.value_id) FROM {p}product_values pv" \
	" WHERE pv.product_id = p.id), " PQ_SOLD \
	", (SELECT COUNT(*) FROM {p}images i WHERE i.product_id = p.id)"

#define PQ_IMAGES(ids) \
	"SELECT product_id, position, id, path, alt FROM {p}images" \
	" WHERE product_id " ids " LIMIT 10000"

#define Q10	"?,?,?,?,?,?,?,?,?,?"
#define Q20	Q10 "," Q10
#define Q100	Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10 "," Q10 \
	"," Q10 "," Q10

#define O_DATE		"p.created_at, p.id"
#define O_DATE_DESC	"p.created_at DESC, p.id DESC"
#define O_ID		"p.id"
#define O_ID_DESC	"p.id DESC"
#define O_TITLE		PQ_NAME ", p.id"
#define O_TITLE_DESC	PQ_NAME " DESC, p.id DESC"
#define O_PRICE		SALE_PRODUCT_PRICE ", p.id"
#define O_PRICE_DESC	SALE_PRODUCT_PRICE " DESC, p.id DESC"
#define O_POP		PQ_SOLD ", p.id"
#define O_POP_DESC	PQ_SOLD " DESC, p.id DESC"

enum stmt {
	/* [order * 2 + desc], with filters, then without */
	ST_PAGE_DATE, ST_PAGE_DATE_DESC,
	ST_PAGE_ID, ST_PAGE_ID_DESC,
	ST_PAGE_TITLE, ST_PAGE_TITLE_DESC,
	ST_PAGE_PRICE, ST_PAGE_PRICE_DESC,
	ST_PAGE_POPULARITY, ST_PAGE_POPULARITY_DESC,
	ST_PLAIN_DATE, ST_PLAIN_DATE_DESC,
	ST_PLAIN_ID, ST_PLAIN_ID_DESC,
	ST_PLAIN_TITLE, ST_PLAIN_TITLE_DESC,
	ST_PLAIN_PRICE, ST_PLAIN_PRICE_DESC,
	ST_PLAIN_POPULARITY, ST_PLAIN_POPULARITY_DESC,
	ST_COUNT,
	ST_ROWS_ONE,
	ST_ROWS_20,
	ST_ROWS,
	ST_IMAGES_ONE,
	ST_IMAGES_20,
	ST_IMAGES,
	ST_VARIATION_VALUES,
	ST_CATEGORY_COUNTS,
	ST_VALUE_COUNTS,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_PAGE_DATE] = { "product_query.date", PQ_PAGE(O_DATE) },
	[ST_PAGE_DATE_DESC] = { "product_query.date_desc",
	    PQ_PAGE(O_DATE_DESC) },
	[ST_PAGE_ID] = { "product_query.id", PQ_PAGE(O_ID) },
	[ST_PAGE_ID_DESC] = { "product_query.id_desc", PQ_PAGE(O_ID_DESC) },
	[ST_PAGE_TITLE] = { "product_query.title", PQ_PAGE(O_TITLE) },
	[ST_PAGE_TITLE_DESC] = { "product_query.title_desc",
	    PQ_PAGE(O_TITLE_DESC) },
	[ST_PAGE_PRICE] = { "product_query.price", PQ_PAGE(O_PRICE) },
	[ST_PAGE_PRICE_DESC] = { "product_query.price_desc",
	    PQ_PAGE(O_PRICE_DESC) },
	[ST_PAGE_POPULARITY] = { "product_query.popularity",
	    PQ_PAGE(O_POP) },
	[ST_PAGE_POPULARITY_DESC] = { "product_query.popularity_desc",
	    PQ_PAGE(O_POP_DESC) },
	[ST_PLAIN_DATE] = { "product_query.plain_date", PQ_PLAIN(O_DATE) },
	[ST_PLAIN_DATE_DESC] = { "product_query.plain_date_desc",
	    PQ_PLAIN(O_DATE_DESC) },
	[ST_PLAIN_ID] = { "product_query.plain_id", PQ_PLAIN(O_ID) },
	[ST_PLAIN_ID_DESC] = { "product_query.plain_id_desc",
	    PQ_PLAIN(O_ID_DESC) },
	[ST_PLAIN_TITLE] = { "product_query.plain_title",
	    PQ_PLAIN_TEXTS(O_TITLE) },
	[ST_PLAIN_TITLE_DESC] = { "product_query.plain_title_desc",
	    PQ_PLAIN_TEXTS(O_TITLE_DESC) },
	[ST_PLAIN_PRICE] = { "product_query.plain_price",
	    PQ_PLAIN(O_PRICE) },
	[ST_PLAIN_PRICE_DESC] = { "product_query.plain_price_desc",
	    PQ_PLAIN(O_PRICE_DESC) },
	[ST_PLAIN_POPULARITY] = { "product_query.plain_popularity",
	    PQ_PLAIN(O_POP) },
	[ST_PLAIN_POPULARITY_DESC] = { "product_query.plain_popularity_desc",
	    PQ_PLAIN(O_POP_DESC) },
	/* A page past the end has no row to carry the window's count. */
	[ST_COUNT] = { "product_query.count",
	    "SELECT COUNT(*)" CATALOG_P_FROM PQ_WHERE },
	/* Products by id, whatever their status. By the page's size:
	 * MariaDB analyses every value of an IN list (padding included) at
	 * each execution. */
	[ST_ROWS_ONE] = { "product_query.rows_one", PQ_ROWS("= ?") },
	[ST_ROWS_20] = { "product_query.rows_20", PQ_ROWS("IN (" Q20 ")") },
	[ST_ROWS] = { "product_query.rows", PQ_ROWS("IN (" Q100 ")") },
	[ST_IMAGES_ONE] = { "product_query.images_one", PQ_IMAGES("= ?") },
	[ST_IMAGES_20] = { "product_query.images_20",
	    PQ_IMAGES("IN (" Q20 ")") },
	[ST_IMAGES] = { "product_query.images",
	    PQ_IMAGES("IN (" Q100 ")") },
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

/* The numbers of a GROUP_CONCAT list "1,2,3" or "0 7,1 9" (commas and
 * spaces both separate; "" none), in ctx->a. */
static int64_t *
ids_parse(struct shop_ctx *ctx, struct str s, size_t *n)
{
	int64_t	*v;
	size_t	 i, cap = 1;

	*n = 0;
	if (s.len == 0)
		return NULL;
	for (i = 0; i < s.len; i++)
		cap += s.p[i] == ',' || s.p[i] == ' ';
	v = arena_calloc(ctx->a, cap, sizeof(*v));
	for (i = 0; i < s.len && *n < cap; i++) {
		if (s.p[i] == ',' || s.p[i] == ' ') {
			(*n)++;
			continue;
		}
		if (s.p[i] >= '0' && s.p[i] <= '9' &&
		    v[*n] < INT64_MAX / 10 - 9)
			v[*n] = v[*n] * 10 + (s.p[i] - '0');
	}
	(*n)++;
	return v;
}

/* Two ids' order: by the first (a position), then the second. */
static int
pair_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* The variants of "position id,position id" in their order. */
static void
variants_parse(struct shop_ctx *ctx, struct pq_product *p, struct str s)
{
	int64_t	*v, (*pairs)[2];
	size_t	 n, i;

	/* Two numbers a variant: its position, its id. */
	v = ids_parse(ctx, s, &n);
	if (n < 2)
		return;
	pairs = (int64_t (*)[2])v;
	qsort(pairs, n / 2, sizeof(*pairs), pair_cmp);
	p->variants = arena_calloc(ctx->a, n / 2, sizeof(*p->variants));
	for (i = 0; i < n / 2; i++)
		p->variants[i].id = pairs[i][1];
	p->nvariants = n / 2;
}

struct image_row {
	int64_t		 product, position, id;
	struct str	 path, alt;
};

static int
image_cmp(const void *a, const void *b)
{
	const struct image_row	*x = a, *y = b;
	const int64_t		 u[] = { x->product, x->position, x->id };
	const int64_t		 v[] = { y->product, y->position, y->id };
	size_t			 i;

	for (i = 0; i < NELEM(u); i++)
		if (u[i] != v[i])
			return u[i] < v[i] ? -1 : 1;
	return 0;
}

/* The images of the n products of v that have some (want[i]), in
 * their order: one statement for them all. */
static int
images_read(struct shop_ctx *ctx, struct pq_product *v, size_t n,
    const int *want)
{
	struct db_stmt		*st;
	struct image_row	*r = NULL;
	struct pq_image		*im;
	size_t			 nw = 0, nr = 0, cap = 0, i, k, nids, icap = 0;
	unsigned		 b = 0;
	int			 rc;

	for (i = 0; i < n; i++)
		nw += want[i] != 0;
	if (nw == 0)
		return SHOP_OK;
	nids = nw == 1 ? 1 : nw <= 20 ? 20 : PRODUCT_QUERY_MAX;
	st = shop_stmt(ctx, &sql[nids == 1 ? ST_IMAGES_ONE : nids == 20 ?
	    ST_IMAGES_20 : ST_IMAGES]);
	if (st == NULL)
		return SHOP_EDB;
	for (i = 0; i < n; i++)
		if (want[i])
			db_bind_i64(st, b++, v[i].p.id);
	while (b < nids)
		db_bind_i64(st, b++, 0);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		r = shop_grow(ctx->a, r, sizeof(*r), nr, &cap);
		r[nr].product = db_col_i64(st, 0);
		r[nr].position = db_col_i64(st, 1);
		r[nr].id = db_col_i64(st, 2);
		r[nr].path = db_col_str(st, 3);
		r[nr].alt = db_col_str(st, 4);
		nr++;
	}
	db_done(st);
	if (rc != 0)
		return SHOP_EDB;
	if (nr > 1)
		qsort(r, nr, sizeof(*r), image_cmp);
	for (i = 0; i < n; i++) {
		icap = 0;
		for (k = 0; k < nr; k++) {
			if (r[k].product != v[i].p.id)
				continue;
			v[i].images = shop_grow(ctx->a, v[i].images,
			    sizeof(*v[i].images), v[i].nimages, &icap);
			im = &v[i].images[v[i].nimages++];
			im->id = r[k].id;
			im->path = r[k].path;
			im->alt = r[k].alt;
		}
	}
	return SHOP_OK;
}

/* The worker's names of attributes and values, with an index by id. */
struct names {
	const struct facet_name	*v;
	size_t			 n;
	struct name_ix		*ix;	/* by id */
};

struct name_ix {
	int64_t		 id;
	size_t		 rank;	/* in v: the order to show */
};

static int
name_ix_cmp(const void *a, const void *b)
{
	const struct name_ix *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int
names_load(struct shop_ctx *ctx, struct names *nm)
{
	size_t	i;
	int	rc;

	if (nm->ix != NULL)
		return SHOP_OK;
	if ((rc = facet_names(ctx, &nm->v, &nm->n)) != SHOP_OK)
		return rc;
	nm->ix = arena_calloc(ctx->a, nm->n + 1, sizeof(*nm->ix));
	for (i = 0; i < nm->n; i++) {
		nm->ix[i].id = nm->v[i].id;
		nm->ix[i].rank = i;
	}
	qsort(nm->ix, nm->n, sizeof(*nm->ix), name_ix_cmp);
	return SHOP_OK;
}

/* The rank in nm of id, or -1. */
static ssize_t
name_rank(const struct names *nm, int64_t id)
{
	struct name_ix	 key = { id, 0 };
	struct name_ix	*x = bsearch(&key, nm->ix, nm->n, sizeof(*nm->ix),
			    name_ix_cmp);

	return x == NULL ? -1 : (ssize_t)x->rank;
}

struct offered {
	size_t		 a, v;	/* ranks of the attribute and the value */
};

static int
offered_cmp(const void *x, const void *y)
{
	const struct offered *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->v < q->v ? -1 : p->v > q->v;
}

/* p's attributes from the ids of the values it offers, in the
 * attributes' order, each with its values in theirs; a value not in
 * the worker's names (made meanwhile elsewhere) is left out until they
 * are read again. */
static int
values_set(struct shop_ctx *ctx, struct names *nm, struct pq_product *p,
    struct str list)
{
	struct pq_attribute	*at = NULL;
	struct offered		*o;
	int64_t			*ids;
	size_t			 n, no = 0, i, cap = 0, ocap = 0;
	ssize_t			 v, a;
	int			 rc;

	if ((ids = ids_parse(ctx, list, &n)) == NULL)
		return SHOP_OK;
	if ((rc = names_load(ctx, nm)) != SHOP_OK)
		return rc;
	o = arena_calloc(ctx->a, n, sizeof(*o));
	for (i = 0; i < n; i++) {
		if ((v = name_rank(nm, ids[i])) < 0 ||
		    nm->v[v].parent_id == 0 ||
		    (a = name_rank(nm, nm->v[v].parent_id)) < 0)
			continue;
		o[no].a = (size_t)a;
		o[no++].v = (size_t)v;
	}
	qsort(o, no, sizeof(*o), offered_cmp);
	for (i = 0; i < no; i++) {
		if (at == NULL || at->id != nm->v[o[i].a].id) {
			p->attributes = shop_grow(ctx->a, p->attributes,
			    sizeof(*p->attributes), p->nattributes, &cap);
			at = &p->attributes[p->nattributes++];
			memset(at, 0, sizeof(*at));
			at->id = nm->v[o[i].a].id;
			at->name = nm->v[o[i].a].name;
			ocap = 0;
		}
		at->opts = shop_grow(ctx->a, at->opts, sizeof(*at->opts),
		    at->nopts, &ocap);
		at->opts[at->nopts++] = nm->v[o[i].v].name;
	}
	return SHOP_OK;
}

/* What a row carries (PQ_CARRIED, columns 22 to 25), as read: the
 * values' names may need a statement of their own (facet_names()),
 * which waits for the row's to be done. */
struct carried {
	struct str	 variants, values;
	int64_t		 sold;
	int		 images;	/* it has some */
};

static void
carried_read(struct db_stmt *st, struct carried *c)
{
	c->variants = db_col_str(st, 22);
	c->values = db_col_str(st, 23);
	c->sold = db_col_i64(st, 24);
	c->images = db_col_i64(st, 25) > 0;
}

static int
carried_set(struct shop_ctx *ctx, const struct carried *c, struct names *nm,
    struct pq_product *p)
{
	variants_parse(ctx, p, c->variants);
	p->total_sales = c->sold;
	return values_set(ctx, nm, p, c->values);
}

/* No filter: the list's plain statements. */
static int
unfiltered(const struct product_query *q)
{
	return q->id <= 0 && q->search.len == 0 && q->category == 0 &&
	    q->sku.len == 0 && q->status < 0 && q->in_stock < 0;
}

int
product_query_page(struct shop_ctx *ctx, const struct product_query *q,
    int64_t **ids, size_t *n, int64_t *total)
{
	struct db_stmt	*st;
	unsigned	 i = 0;
	int		 rc, which, plain = unfiltered(q);

	*ids = NULL;
	*n = 0;
	*total = 0;
	if (q->limit < 1 || q->limit > PRODUCT_QUERY_MAX || q->offset < 0 ||
	    (unsigned)q->order >= PQ_ORDER__MAX)
		return SHOP_EINVAL;
	which = (plain ? ST_PLAIN_DATE : ST_PAGE_DATE) + (int)q->order * 2 +
	    (q->desc != 0);
	if ((st = shop_stmt(ctx, &sql[which])) == NULL)
		return SHOP_EDB;
	if (!plain)
		i = bind_where(ctx, st, q);
	else if (q->order == PQ_ORDER_TITLE)
		i = catalog_bind_locales(ctx, st);
	db_bind_i64(st, i++, q->limit);
	db_bind_i64(st, i++, q->offset);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	*ids = arena_calloc(ctx->a, (size_t)q->limit, sizeof(**ids));
	while ((rc = db_step(st)) == 1 && *n < (size_t)q->limit)
		(*ids)[(*n)++] = db_col_i64(st, 0);
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	/* The total: known from the page when it is the last one. */
	if (*n > 0 && *n < (size_t)q->limit)
		*total = q->offset + (int64_t)*n;
	else if (*n > 0 || q->offset > 0)
		return count(ctx, q, total);
	return SHOP_OK;
}

int
product_query_ids(struct shop_ctx *ctx, const int64_t *ids, size_t n,
    struct pq_result *out)
{
	size_t			 nids = n == 1 ? 1 : n <= 20 ? 20 :
				    PRODUCT_QUERY_MAX;
	struct db_stmt		*st;
	struct pq_product	*rows, *p;
	struct names		 nm = { NULL, 0, NULL };
	struct carried		*c;
	int			*want;
	size_t			 nrows = 0, i;
	unsigned		 b;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return SHOP_OK;
	if (n > PRODUCT_QUERY_MAX)
		return SHOP_EINVAL;
	st = shop_stmt(ctx, &sql[nids == 1 ? ST_ROWS_ONE : nids == 20 ?
	    ST_ROWS_20 : ST_ROWS]);
	if (st == NULL)
		return SHOP_EDB;
	b = catalog_bind_locales(ctx, st);
	/* Ids start at 1: 0 fills the unused places. */
	for (i = 0; i < nids; i++)
		db_bind_i64(st, b++, i < n ? ids[i] : 0);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rows = arena_calloc(ctx->a, n, sizeof(*rows));
	c = arena_calloc(ctx->a, n, sizeof(*c));
	while ((rc = db_step(st)) == 1 && nrows < n) {
		read_row(st, &rows[nrows]);
		carried_read(st, &c[nrows++]);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	for (i = 0; i < nrows; i++)
		if (carried_set(ctx, &c[i], &nm, &rows[i]) != SHOP_OK)
			return SHOP_EDB;
	/* In the order of ids; ids not found are left out. */
	out->v = arena_calloc(ctx->a, n, sizeof(*out->v));
	want = arena_calloc(ctx->a, n, sizeof(*want));
	for (i = 0; i < n; i++) {
		p = NULL;
		for (b = 0; b < nrows; b++)
			if (rows[b].p.id == ids[i]) {
				p = &rows[b];
				break;
			}
		if (p != NULL) {
			want[out->n] = c[b].images;
			out->v[out->n++] = *p;
		}
	}
	if (images_read(ctx, out->v, out->n, want) != SHOP_OK)
		return SHOP_EDB;
	out->total = (int64_t)out->n;
	return SHOP_OK;
}

int
product_query(struct shop_ctx *ctx, const struct product_query *q,
    struct pq_result *out)
{
	int64_t	*ids, total;
	size_t	 n;
	int	 rc;

	memset(out, 0, sizeof(*out));
	if (q->id > 0)
		return product_query_ids(ctx, &q->id, 1, out);
	if ((rc = product_query_page(ctx, q, &ids, &n, &total)) != SHOP_OK ||
	    (rc = product_query_ids(ctx, ids, n, out)) != SHOP_OK)
		return rc;
	out->total = total;
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
