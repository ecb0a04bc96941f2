/* facet.c: attribute and price filters with counts (see facet.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "shop/facet.h"
#include "shop/search.h"
#include "shop/shop.h"

/*
 * How the selection reaches SQL without building SQL from strings:
 * each selected attribute gets a bit (1, 2, 4, ...), and the statement
 * binds the selected values as a JSON array of [value, bit of its
 * attribute] (JSON_TABLE turns it into rows). A product's mask is the
 * OR of the bits of the selected values it offers; it passes when its
 * mask is every bit (AND between attributes, OR within one). A value
 * of attribute A is counted over the products whose mask, with A's
 * bit added, is every bit: the selection of the other attributes.
 *
 * The masks are one derived table, read from the selected values
 * through product_values' index "value" (value_id, product_id): only
 * the products that offer a selected value, not the whole category.
 * Its LIMIT keeps it materialised once: without one MariaDB "splits"
 * it into a LATERAL DERIVED run for every row of the page's set
 * (split_materialized), which measured twice as slow here, as did a
 * correlated subquery per product (search.c's FACET_MATCH, whose
 * statements have no place for a join).
 */
#define SEL_VALUES \
	"JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$[0]'," \
	" b BIGINT PATH '$[1]')) j"
#define MASKS \
	" LEFT JOIN (SELECT s.product_id, BIT_OR(j.b) m FROM " SEL_VALUES \
	" STRAIGHT_JOIN {p}product_values s ON s.value_id = j.v" \
	" GROUP BY s.product_id LIMIT 100000000) sm ON sm.product_id = p.id"
/* The bit of the value's own attribute (no row: it is not selected). */
#define OWN_BIT \
	" LEFT JOIN JSON_TABLE(?, '$[*]' COLUMNS" \
	" (a BIGINT PATH '$[0]', b BIGINT PATH '$[1]')) g" \
	" ON g.a = a.parent_id"
/* Parameters: values, attributes, the base set's, then min, max,
 * full. */
#define COUNT_COLS \
	"SELECT pv.value_id, COUNT(*) FROM {p}products p" \
	" JOIN {p}product_values pv ON pv.product_id = p.id" \
	" JOIN {p}attributes a ON a.id = pv.value_id" MASKS OWN_BIT
#define COUNT_MATCH \
	" AND p.price BETWEEN ? AND ?" \
	" AND (COALESCE(sm.m, 0) | COALESCE(g.b, 0)) = ?"
#define COUNT_GROUP " GROUP BY pv.value_id"

/*
 * Parameters: locales, values, category, min, max, full; the keyset's.
 * With values selected, the products that offer every attribute's are
 * joined first (an inner join: MariaDB starts from the few matches and
 * sorts them, rather than walking the whole category in order to find
 * a page of them); with a price range alone there are no masks.
 *
 * NEEDSWORK: the masks are read over the whole shop, not the category
 * (product_values has no category): for the bench's Size M and Colour
 * Blue over 10,000 products that is ~5,500 rows a page, and the page
 * ran at 1% of the libfcgi hello in `make bench QUICK=1` (target 20%).
 * Next: product_values carrying the product's category (an index
 * (value_id, category_id, product_id)), kept by the catalog's writes,
 * or a category's matching ids kept per worker as the counts are.
 */
#define SEL_MASKS \
	" JOIN (SELECT s.product_id, BIT_OR(j.b) m FROM " SEL_VALUES \
	" STRAIGHT_JOIN {p}product_values s ON s.value_id = j.v" \
	" GROUP BY s.product_id HAVING m = ? LIMIT 100000000) sm" \
	" ON sm.product_id = p.id"
#define P_WHERE	" WHERE p.status = 'active' AND p.category_id = ?" \
		" AND p.price BETWEEN ? AND ?"
#define P_SEL	"SELECT " CATALOG_P_COLS " FROM {p}products p" SEL_MASKS \
		" LEFT JOIN {p}product_texts t" \
		" ON t.product_id = p.id AND t.locale = ?" \
		" LEFT JOIN {p}product_texts d" \
		" ON d.product_id = p.id AND d.locale = ?" P_WHERE
#define P_PRICE	"SELECT " CATALOG_P_COLS CATALOG_P_FROM P_WHERE
/* catalog_list()'s keyset conditions, the same indexes (cat_new,
 * cat_price). */
#define NEWEST	" AND p.id < ? ORDER BY p.id DESC LIMIT ?"
#define ASC	" AND (p.price > ? OR (p.price = ? AND p.id > ?))" \
		" ORDER BY p.price, p.id LIMIT ?"
#define DESC	" AND (p.price < ? OR (p.price = ? AND p.id < ?))" \
		" ORDER BY p.price DESC, p.id DESC LIMIT ?"

/* A shop's attributes and values, at most this many rows: more would
 * not fit a page of checkboxes anyway. */
#define TREE_MAX_SQL	"2000"

enum stmt {
	ST_TREE,
	ST_COUNTS_CAT,
	ST_COUNTS_FT,
	ST_COUNTS_LIKE,
	ST_LIST_NEWEST,
	ST_LIST_ASC,
	ST_LIST_DESC,
	ST_PRICE_NEWEST,
	ST_PRICE_ASC,
	ST_PRICE_DESC,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_TREE] = { "facet.tree",
	    "SELECT a.id, a.parent_id, a.slug,"
	    " COALESCE(t.name, d.name, a.slug) FROM {p}attributes a"
	    " LEFT JOIN {p}attribute_texts t"
	    " ON t.attribute_id = a.id AND t.locale = ?"
	    " LEFT JOIN {p}attribute_texts d"
	    " ON d.attribute_id = a.id AND d.locale = ?"
	    " ORDER BY a.parent_id, a.position, a.id LIMIT " TREE_MAX_SQL },
	/* Index cat_price: category, then the price range. */
	[ST_COUNTS_CAT] = { "facet.counts_cat",
	    COUNT_COLS " WHERE p.status = 'active' AND p.category_id = ?"
	    COUNT_MATCH COUNT_GROUP },
	[ST_COUNTS_FT] = { "facet.counts_ft",
	    COUNT_COLS SEARCH_FT_MATCH
	    " AND (? = 0 OR p.category_id = ?)" COUNT_MATCH COUNT_GROUP },
	[ST_COUNTS_LIKE] = { "facet.counts_like",
	    COUNT_COLS SEARCH_LIKE_MATCH
	    " AND (? = 0 OR p.category_id = ?)" COUNT_MATCH COUNT_GROUP },
	[ST_LIST_NEWEST] = { "facet.list_newest", P_SEL NEWEST },
	[ST_LIST_ASC] = { "facet.list_asc", P_SEL ASC },
	[ST_LIST_DESC] = { "facet.list_desc", P_SEL DESC },
	[ST_PRICE_NEWEST] = { "facet.price_newest", P_PRICE NEWEST },
	[ST_PRICE_ASC] = { "facet.price_asc", P_PRICE ASC },
	[ST_PRICE_DESC] = { "facet.price_desc", P_PRICE DESC },
};

/* --- the shop's attributes, cached per worker ------------------------ */

struct node {
	int64_t		 id;
	int64_t		 parent_id;	/* 0: an attribute */
	struct str	 slug;
	struct str	 name;
};

struct tree {
	size_t		 n;
	struct node	 v[];
};

/*
 * Every filtered page needs the names and which attribute a value is
 * of, and they change only when the merchant edits them: each worker
 * keeps them per (shop, language) as category.c keeps categories. A
 * change through the admin must cache_bump() the shop; one made
 * elsewhere shows within TREE_TTL_MS.
 */
#define TREE_SLOTS	256
#define TREE_TTL_MS	30000

static struct cache *tree_cache;
static struct cache *count_cache;	/* see counts_cached() */

void
facet_cache_free(void)
{
	cache_free(tree_cache);
	tree_cache = NULL;
	cache_free(count_cache);
	count_cache = NULL;
}

/* Copies n nodes with their strings into a (NULL: one malloc'd block,
 * freed with free()). */
static struct tree *
tree_copy(struct arena *a, const struct node *src, size_t n)
{
	struct tree	*t;
	size_t		 i, len = 0, off = 0, head;
	char		*b;

	for (i = 0; i < n; i++)
		len += src[i].slug.len + src[i].name.len + 2;
	head = sizeof(*t) + n * sizeof(t->v[0]);
	t = a ? arena_alloc(a, head + len + 1) : xmalloc(head + len + 1);
	b = (char *)t + head;
	t->n = n;
	for (i = 0; i < n; i++) {
		t->v[i] = src[i];
		memcpy(b + off, src[i].slug.p, src[i].slug.len);
		b[off + src[i].slug.len] = '\0';
		t->v[i].slug = (struct str){ b + off, src[i].slug.len };
		off += src[i].slug.len + 1;
		memcpy(b + off, src[i].name.p, src[i].name.len);
		b[off + src[i].name.len] = '\0';
		t->v[i].name = (struct str){ b + off, src[i].name.len };
		off += src[i].name.len + 1;
	}
	return t;
}

static int
tree_query(struct shop_ctx *ctx, struct tree **out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_TREE]);
	struct node	*v = NULL;
	size_t		 n = 0, cap = 0;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	catalog_bind_locales(ctx, st);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		v = shop_grow(ctx->a, v, sizeof(*v), n, &cap);
		v[n].id = db_col_i64(st, 0);
		v[n].parent_id = db_col_i64(st, 1);
		v[n].slug = db_col_str(st, 2);
		v[n].name = db_col_str(st, 3);
		n++;
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	*out = tree_copy(ctx->a, v, n);
	return SHOP_OK;
}

static int
tree_get(struct shop_ctx *ctx, struct tree **out)
{
	void	*v;
	int	 rc;

	if (tree_cache == NULL)
		tree_cache = cache_new(TREE_SLOTS, free);
	if (cache_get(tree_cache, ctx->tenant, ctx->locale, &v) &&
	    v != NULL) {
		/* An arena copy: the entry may go before the request ends. */
		*out = tree_copy(ctx->a, ((struct tree *)v)->v,
		    ((struct tree *)v)->n);
		return SHOP_OK;
	}
	if ((rc = tree_query(ctx, out)) != SHOP_OK)
		return rc;
	cache_put(tree_cache, ctx->tenant, ctx->locale, ctx->tenant,
	    tree_copy(NULL, (*out)->v, (*out)->n), TREE_TTL_MS);
	return SHOP_OK;
}

static const struct node *
tree_find(const struct tree *t, int64_t id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return &t->v[i];
	return NULL;
}

/* --- the filter ------------------------------------------------------ */

int
facet_filter_add(struct facet_filter *f, int64_t id)
{
	size_t i;

	for (i = 0; i < f->nvalues; i++)
		if (f->values[i] == id)
			return 0;
	if (f->nvalues == FACET_MAX_VALUES)
		return -1;
	f->values[f->nvalues++] = id;
	return 0;
}

int
facet_filter_active(const struct facet_filter *f)
{
	return f->nvalues > 0 || f->min_price >= 0 || f->max_price >= 0;
}

/* Keeps the values of this shop, of at most FACET_MAX_ATTRS
 * attributes. */
static void
resolve(const struct tree *t, struct facet_filter *f)
{
	int64_t	 attrs[FACET_MAX_ATTRS];
	size_t	 i, k, o = 0, na = 0;

	for (i = 0; i < f->nvalues; i++) {
		const struct node *v = tree_find(t, f->values[i]);

		if (v == NULL || v->parent_id == 0)
			continue;
		for (k = 0; k < na && attrs[k] != v->parent_id; k++)
			;
		if (k == na) {
			if (na == FACET_MAX_ATTRS)
				continue;
			attrs[na++] = v->parent_id;
		}
		f->values[o++] = f->values[i];
	}
	f->nvalues = o;
}

int
facet_resolve(struct shop_ctx *ctx, struct facet_filter *f)
{
	struct tree	*t;
	int		 rc;

	if (f->nvalues == 0)
		return SHOP_OK;
	if ((rc = tree_get(ctx, &t)) != SHOP_OK)
		return rc;
	resolve(t, f);
	return SHOP_OK;
}

int
facet_bind_of(struct shop_ctx *ctx, const struct facet_filter *f,
    struct facet_bind *out)
{
	struct strbuf	 vals = STRBUF_INIT, attrs = STRBUF_INIT;
	struct tree	*t;
	int64_t		 aid[FACET_MAX_ATTRS];
	size_t		 i, k, na = 0;
	int		 rc;

	memset(out, 0, sizeof(*out));
	out->values = STR("[]");
	out->attrs = STR("[]");
	if (f->nvalues == 0)
		return SHOP_OK;
	if ((rc = tree_get(ctx, &t)) != SHOP_OK)
		return rc;
	strbuf_addstr(&vals, "[");
	strbuf_addstr(&attrs, "[");
	for (i = 0; i < f->nvalues; i++) {
		const struct node *v = tree_find(t, f->values[i]);

		/* Resolved already; a value gone since is no filter. */
		if (v == NULL || v->parent_id == 0)
			continue;
		for (k = 0; k < na && aid[k] != v->parent_id; k++)
			;
		if (k == na) {
			if (na == FACET_MAX_ATTRS)
				continue;
			aid[na++] = v->parent_id;
			strbuf_addf(&attrs, "%s[%lld,%lld]", k ? "," : "",
			    (long long)v->parent_id, 1LL << k);
		}
		strbuf_addf(&vals, "%s[%lld,%lld]", vals.len > 1 ? "," : "",
		    (long long)v->id, 1LL << k);
	}
	strbuf_addstr(&vals, "]");
	strbuf_addstr(&attrs, "]");
	out->values = arena_str(ctx->a, (struct str){ vals.buf, vals.len });
	out->attrs = arena_str(ctx->a, (struct str){ attrs.buf, attrs.len });
	out->full = na ? (int64_t)((1ULL << na) - 1) : 0;
	strbuf_release(&vals);
	strbuf_release(&attrs);
	return SHOP_OK;
}

unsigned
facet_bind(struct db_stmt *st, unsigned i, const struct facet_filter *f,
    const struct facet_bind *b)
{
	db_bind_i64(st, i++, f->min_price >= 0 ? f->min_price : 0);
	db_bind_i64(st, i++, f->max_price >= 0 ? f->max_price : INT64_MAX);
	db_bind_i64(st, i++, b->full);
	db_bind_str(st, i++, b->values);
	db_bind_i64(st, i++, b->full);
	return i;
}

/* --- counts ---------------------------------------------------------- */

struct vcount {
	int64_t	 id;
	int64_t	 count;
};

static int
run_counts(struct shop_ctx *ctx, int64_t category_id, struct str q,
    const struct facet_filter *f, const struct facet_bind *b,
    struct vcount **out, size_t *n)
{
	struct db_stmt	*st;
	enum stmt	 which;
	size_t		 cap = 0;
	unsigned	 i = 0;
	int		 rc, ft = 0;

	*out = NULL;
	*n = 0;
	if (q.len == 0)
		which = ST_COUNTS_CAT;
	else
		which = (ft = search_fulltext_can(q)) ? ST_COUNTS_FT :
		    ST_COUNTS_LIKE;
	if ((st = shop_stmt(ctx, &sql[which])) == NULL)
		return SHOP_EDB;
	db_bind_str(st, i++, b->values);
	db_bind_str(st, i++, b->attrs);
	if (which == ST_COUNTS_CAT)
		db_bind_i64(st, i++, category_id);
	else {
		i = search_bind_words(ctx, st, i, q, ft);
		db_bind_i64(st, i++, category_id);
		db_bind_i64(st, i++, category_id);
	}
	db_bind_i64(st, i++, f->min_price >= 0 ? f->min_price : 0);
	db_bind_i64(st, i++, f->max_price >= 0 ? f->max_price : INT64_MAX);
	db_bind_i64(st, i, b->full);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		(*out)[*n].id = db_col_i64(st, 0);
		(*out)[*n].count = db_col_i64(st, 1);
		(*n)++;
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/*
 * The counts of a category page, kept per worker for COUNT_TTL_MS by
 * (shop, category, price range, values): counting reads every product
 * of the category with its values (~25 ms for 2,400 products here),
 * and every page of a category (sorts, keyset pages) shows the same
 * counts. A count may lag a product saved meanwhile by that long, as
 * the page itself does for anonymous shoppers (nginx's microcache,
 * max-age=5); the products listed never lag. A search's counts are not
 * kept (its words make too many keys).
 */
#define COUNT_SLOTS	1024
#define COUNT_TTL_MS	5000

struct counts {
	size_t		 n;
	struct vcount	 v[];
};

/* The key of a category's counts, in buf; 0 when it does not fit. */
static int
count_key(char *buf, size_t len, int64_t category_id,
    const struct facet_filter *f)
{
	size_t	i, o;
	int	n;

	n = snprintf(buf, len, "c%lld|%lld|%lld|", (long long)category_id,
	    (long long)f->min_price, (long long)f->max_price);
	if (n < 0 || (size_t)n >= len)
		return 0;
	for (o = (size_t)n, i = 0; i < f->nvalues; i++, o += (size_t)n) {
		n = snprintf(buf + o, len - o, "%lld,",
		    (long long)f->values[i]);
		if (n < 0 || (size_t)n >= len - o)
			return 0;
	}
	return 1;
}

static int
counts_cached(struct shop_ctx *ctx, int64_t category_id,
    const struct facet_filter *f, const struct facet_bind *b,
    struct vcount **out, size_t *n)
{
	char		 key[CACHE_KEY_MAX];
	struct counts	*c;
	void		*v;
	int		 rc;

	if (!count_key(key, sizeof(key), category_id, f))
		return run_counts(ctx, category_id, STR_NULL, f, b, out, n);
	if (count_cache == NULL)
		count_cache = cache_new(COUNT_SLOTS, free);
	if (cache_get(count_cache, ctx->tenant, key, &v) && v != NULL) {
		c = v;
		*n = c->n;
		*out = arena_alloc(ctx->a, (c->n ? c->n : 1) * sizeof(**out));
		memcpy(*out, c->v, c->n * sizeof(**out));
		return SHOP_OK;
	}
	if ((rc = run_counts(ctx, category_id, STR_NULL, f, b, out, n)) !=
	    SHOP_OK)
		return rc;
	c = xmalloc(sizeof(*c) + *n * sizeof(c->v[0]));
	c->n = *n;
	if (*n)
		memcpy(c->v, *out, *n * sizeof(c->v[0]));
	cache_put(count_cache, ctx->tenant, key, ctx->tenant, c,
	    COUNT_TTL_MS);
	return SHOP_OK;
}

static int
is_selected(const struct facet_filter *f, int64_t id)
{
	size_t i;

	for (i = 0; i < f->nvalues; i++)
		if (f->values[i] == id)
			return 1;
	return 0;
}

int
facet_counts(struct shop_ctx *ctx, int64_t category_id, struct str q,
    struct facet_filter *f, struct facet_set *out)
{
	struct facet_bind	 b;
	struct tree		*t;
	struct vcount		*c;
	size_t			 nc, i, k, cap = 0;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = tree_get(ctx, &t)) != SHOP_OK)
		return rc;
	resolve(t, f);
	/* A shop without attributes (most, so far): no statement. */
	if (t->n == 0)
		return SHOP_OK;
	if ((rc = facet_bind_of(ctx, f, &b)) != SHOP_OK)
		return rc;
	rc = q.len ? run_counts(ctx, category_id, q, f, &b, &c, &nc) :
	    counts_cached(ctx, category_id, f, &b, &c, &nc);
	if (rc != SHOP_OK)
		return rc;
	/* The tree is ordered by parent, so attributes (parent 0) come
	 * first, each one's values after, in position order. */
	for (i = 0; i < t->n && t->v[i].parent_id == 0; i++) {
		struct facet_attr *a;

		out->a = shop_grow(ctx->a, out->a, sizeof(*out->a), out->n,
		    &cap);
		a = &out->a[out->n++];
		memset(a, 0, sizeof(*a));
		a->id = t->v[i].id;
		a->slug = t->v[i].slug;
		a->name = t->v[i].name;
	}
	for (; i < t->n; i++) {
		const struct node	*v = &t->v[i];
		struct facet_attr	*a = NULL;
		struct facet_value	*fv;
		int64_t			 count = 0;
		int			 sel = is_selected(f, v->id);

		for (k = 0; k < nc; k++)
			if (c[k].id == v->id) {
				count = c[k].count;
				break;
			}
		if (count == 0 && !sel)
			continue;
		for (k = 0; k < out->n; k++)
			if (out->a[k].id == v->parent_id) {
				a = &out->a[k];
				break;
			}
		if (a == NULL)
			continue;
		/* A value's siblings are consecutive in the tree: room
		 * for all of them at once is at most the tree's size. */
		if (a->v == NULL)
			a->v = arena_calloc(ctx->a, t->n, sizeof(*a->v));
		fv = &a->v[a->n++];
		fv->id = v->id;
		fv->slug = v->slug;
		fv->name = v->name;
		fv->count = count;
		fv->selected = sel;
		a->selected |= sel;
	}
	/* Attributes without a value to show are left out. */
	for (i = 0, k = 0; i < out->n; i++)
		if (out->a[i].n)
			out->a[k++] = out->a[i];
	out->n = k;
	return SHOP_OK;
}

/* --- the page of products -------------------------------------------- */

int
facet_list(struct shop_ctx *ctx, int64_t category_id,
    const struct facet_filter *f, enum catalog_sort sort,
    const struct catalog_cursor *after, struct product_list *out)
{
	static const enum stmt by_sort[CATALOG_SORT__MAX] = {
		ST_LIST_NEWEST, ST_LIST_ASC, ST_LIST_DESC
	};
	static const enum stmt by_price[CATALOG_SORT__MAX] = {
		ST_PRICE_NEWEST, ST_PRICE_ASC, ST_PRICE_DESC
	};
	struct facet_bind	 b;
	struct db_stmt		*st;
	unsigned		 i;
	int			 rc, first = after == NULL || after->id == 0;

	if (sort >= CATALOG_SORT__MAX)
		sort = CATALOG_SORT_NEWEST;
	if ((rc = facet_bind_of(ctx, f, &b)) != SHOP_OK)
		return rc;
	st = shop_stmt(ctx, &sql[b.full ? by_sort[sort] : by_price[sort]]);
	if (st == NULL)
		return SHOP_EDB;
	i = 0;
	if (b.full) {
		db_bind_str(st, i++, b.values);
		db_bind_i64(st, i++, b.full);
	}
	db_bind_cstr(st, i++, ctx->locale);
	db_bind_cstr(st, i++, ctx->default_locale);
	db_bind_i64(st, i++, category_id);
	db_bind_i64(st, i++, f->min_price >= 0 ? f->min_price : 0);
	db_bind_i64(st, i++, f->max_price >= 0 ? f->max_price : INT64_MAX);
	switch (sort) {
	case CATALOG_SORT_NEWEST:
		db_bind_i64(st, i++, first ? INT64_MAX : after->id);
		break;
	case CATALOG_SORT_PRICE_ASC:
		db_bind_i64(st, i++, first ? -1 : after->price);
		db_bind_i64(st, i++, first ? -1 : after->price);
		db_bind_i64(st, i++, first ? 0 : after->id);
		break;
	default:
		db_bind_i64(st, i++, first ? INT64_MAX : after->price);
		db_bind_i64(st, i++, first ? INT64_MAX : after->price);
		db_bind_i64(st, i++, first ? INT64_MAX : after->id);
		break;
	}
	db_bind_i64(st, i, CATALOG_PAGE + 1);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	return catalog_read_list(ctx, st, CATALOG_PAGE, out);
}
