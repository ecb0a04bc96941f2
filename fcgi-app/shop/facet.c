/* facet.c: attribute and price filters with counts (see facet.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "shop/facet.h"
#include "shop/search.h"
#include "shop/list_cache.h"
#include "shop/shop.h"

/*
 * A category page is answered from the category's rows each worker
 * keeps (rows_get(): ids, prices, sales and values), counted, filtered
 * and sorted in C; searches (and categories too big to keep) through
 * the statements below, which compute the same.
 *
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
	" AND " SALE_PRODUCT_PRICE " BETWEEN ? AND ?" \
	" AND (COALESCE(sm.m, 0) | COALESCE(g.b, 0)) = ?"
#define COUNT_GROUP " GROUP BY pv.value_id"
/* Nothing selected (a search's first page, mostly): no masks, and no
 * join with the attributes (values of none are dropped in C).
 * Parameters: the base set's, then min, max. */
#define COUNT0_COLS \
	"SELECT pv.value_id, COUNT(*) FROM {p}products p" \
	" JOIN {p}product_values pv ON pv.product_id = p.id"
#define COUNT0_MATCH " AND " SALE_PRODUCT_PRICE " BETWEEN ? AND ?"

/*
 * Parameters: locales, values, category, min, max, full; the keyset's.
 * With values selected, the products that offer every attribute's are
 * joined first (an inner join: MariaDB starts from the few matches and
 * sorts them, rather than walking the whole category in order to find
 * a page of them); with a price range alone there are no masks.
 *
 * These statements serve a search's counts and a category too big for
 * the rows a worker keeps (rows_get() below serves the others). The
 * masks are read over the whole shop, not the category (product_values
 * has no category): for the bench's Size M and Colour Blue over 10,000
 * products ~5,500 rows a page, 8.5 ms, and 35 ms the counts; the page
 * ran at 1% of the libfcgi hello in `make bench QUICK=1`. An index
 * (value_id, category_id, product_id) would need product_values to
 * carry the category, kept by every writer of products (the importer
 * too); the rows kept per worker needed no schema change.
 */
#define SEL_MASKS \
	" JOIN (SELECT s.product_id, BIT_OR(j.b) m FROM " SEL_VALUES \
	" STRAIGHT_JOIN {p}product_values s ON s.value_id = j.v" \
	" GROUP BY s.product_id HAVING m = ? LIMIT 100000000) sm" \
	" ON sm.product_id = p.id"
#define P_WHERE	" WHERE p.status = 'active' AND p.category_id = ?" \
		" AND " SALE_PRODUCT_PRICE " BETWEEN ? AND ?"
#define P_SEL	"SELECT " CATALOG_CARD_COLS " FROM {p}products p" SEL_MASKS \
		" LEFT JOIN {p}product_texts t" \
		" ON t.product_id = p.id AND t.locale = ?" \
		" LEFT JOIN {p}product_texts d" \
		" ON d.product_id = p.id AND d.locale = ?" P_WHERE
#define P_PRICE	"SELECT " CATALOG_CARD_COLS CATALOG_P_FROM P_WHERE
/* catalog_list()'s keyset conditions (catalog.h): the price now. */
#define NEWEST	CATALOG_KEY_NEWEST
#define ASC	CATALOG_KEY_ASC
#define DESC	CATALOG_KEY_DESC

/* A shop's attributes and values, at most this many rows: more would
 * not fit a page of checkboxes anyway. */
#define TREE_MAX_SQL	"2000"

enum stmt {
	ST_TREE,
	ST_COUNTS_CAT,
	ST_COUNTS_FT,
	ST_COUNTS_LIKE,
	ST_COUNTS0_CAT,
	ST_COUNTS0_FT,
	ST_COUNTS0_LIKE,
	ST_LIST_NEWEST,
	ST_LIST_ASC,
	ST_LIST_DESC,
	ST_PRICE_NEWEST,
	ST_PRICE_ASC,
	ST_PRICE_DESC,
	ST_ROWS,
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
	[ST_COUNTS0_CAT] = { "facet.counts0_cat",
	    COUNT0_COLS " WHERE p.status = 'active' AND p.category_id = ?"
	    COUNT0_MATCH COUNT_GROUP },
	[ST_COUNTS0_FT] = { "facet.counts0_ft",
	    COUNT0_COLS SEARCH_FT_MATCH
	    " AND (? = 0 OR p.category_id = ?)" COUNT0_MATCH COUNT_GROUP },
	[ST_COUNTS0_LIKE] = { "facet.counts0_like",
	    COUNT0_COLS SEARCH_LIKE_MATCH
	    " AND (? = 0 OR p.category_id = ?)" COUNT0_MATCH COUNT_GROUP },
	[ST_LIST_NEWEST] = { "facet.list_newest", P_SEL NEWEST },
	[ST_LIST_ASC] = { "facet.list_asc", P_SEL ASC },
	[ST_LIST_DESC] = { "facet.list_desc", P_SEL DESC },
	[ST_PRICE_NEWEST] = { "facet.price_newest", P_PRICE NEWEST },
	[ST_PRICE_ASC] = { "facet.price_asc", P_PRICE ASC },
	[ST_PRICE_DESC] = { "facet.price_desc", P_PRICE DESC },
	/* A category's rows (rows_get()): index cat_new, newest first,
	 * each product's values consecutive (product_values' primary
	 * key); one line more than ROWS_LINES_MAX says it is too big. */
	[ST_ROWS] = { "facet.rows",
	    "SELECT p.id, p.price, COALESCE(p.sale_price, -1),"
	    " COALESCE(UNIX_TIMESTAMP(p.sale_from), 0),"
	    " COALESCE(UNIX_TIMESTAMP(p.sale_to), 0),"
	    " COALESCE(pv.value_id, 0) FROM {p}products p"
	    " LEFT JOIN {p}product_values pv ON pv.product_id = p.id"
	    " WHERE p.status = 'active' AND p.category_id = ?"
	    " ORDER BY p.id DESC LIMIT ?" },
};

/* A search's counts from the shop's index (search.h), by the number of
 * conditions: with values selected, and without. */
static const struct shop_sql counts_terms[SEARCH_TERMS_MAX] = {
	SEARCH_TERMS_SQL("facet.counts_terms", COUNT_COLS,
	    " AND (? = 0 OR p.category_id = ?)" COUNT_MATCH COUNT_GROUP)
};
static const struct shop_sql counts0_terms[SEARCH_TERMS_MAX] = {
	SEARCH_TERMS_SQL("facet.counts0_terms", COUNT0_COLS,
	    " AND (? = 0 OR p.category_id = ?)" COUNT0_MATCH COUNT_GROUP)
};

/* --- the shop's attributes, cached per worker ------------------------ */

struct tree {
	size_t		 n;
	struct facet_name	 v[];
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
static struct cache *rows_cache;	/* see rows_get() */

void
facet_cache_free(void)
{
	cache_free(tree_cache);
	tree_cache = NULL;
	cache_free(rows_cache);
	rows_cache = NULL;
}

/* Copies n nodes with their strings into a (NULL: one malloc'd block,
 * freed with free()). */
static struct tree *
tree_copy(struct arena *a, const struct facet_name *src, size_t n)
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
	struct facet_name	*v = NULL;
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

static const struct facet_name *
tree_find(const struct tree *t, int64_t id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return &t->v[i];
	return NULL;
}

int
facet_names(struct shop_ctx *ctx, const struct facet_name **out, size_t *n)
{
	struct tree	*t;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((rc = tree_get(ctx, &t)) != SHOP_OK)
		return rc;
	*out = t->v;
	*n = t->n;
	return SHOP_OK;
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
		const struct facet_name *v = tree_find(t, f->values[i]);

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

/* The bit of attribute parent among the selection's aid[0..*na),
 * added when new; -1 when FACET_MAX_ATTRS are taken already (the value
 * is then no filter). facet_bind_of() and sel_init() number them the
 * same way, so the SQL and the kept rows agree. */
static int
attr_bit(int64_t *aid, size_t *na, int64_t parent)
{
	size_t k;

	for (k = 0; k < *na && aid[k] != parent; k++)
		;
	if (k == *na) {
		if (*na == FACET_MAX_ATTRS)
			return -1;
		aid[(*na)++] = parent;
	}
	return (int)k;
}

int
facet_bind_of(struct shop_ctx *ctx, const struct facet_filter *f,
    struct facet_bind *out)
{
	struct strbuf	 vals = STRBUF_INIT, attrs = STRBUF_INIT;
	struct tree	*t;
	int64_t		 aid[FACET_MAX_ATTRS];
	size_t		 i, na = 0, before;
	int		 k, rc;

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
		const struct facet_name *v = tree_find(t, f->values[i]);

		/* Resolved already; a value gone since is no filter. */
		if (v == NULL || v->parent_id == 0)
			continue;
		before = na;
		if ((k = attr_bit(aid, &na, v->parent_id)) == -1)
			continue;
		if (na > before)
			strbuf_addf(&attrs, "%s[%lld,%lld]", k ? "," : "",
			    (long long)v->parent_id, 1LL << k);
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
count_matches(struct shop_ctx *ctx, int64_t category_id, struct str q,
    const struct facet_filter *f, const struct facet_bind *b,
    struct vcount **out, size_t *n)
{
	struct db_stmt		*st;
	struct search_terms	 t;
	const struct shop_sql	*which;
	size_t			 cap = 0;
	unsigned		 i = 0;
	int			 rc, ft = 0;

	*out = NULL;
	*n = 0;
	t.n = 0;
	if (q.len > 0 && ctx->search_indexed)
		search_terms_of(ctx, q, &t);
	if (q.len == 0)
		which = &sql[b->full ? ST_COUNTS_CAT : ST_COUNTS0_CAT];
	else if (t.n > 0)
		which = b->full ? &counts_terms[t.n - 1] :
		    &counts0_terms[t.n - 1];
	/* Not built yet, or nothing to look up (search.c says why). */
	else if ((ft = search_fulltext_can(q)))
		which = &sql[b->full ? ST_COUNTS_FT : ST_COUNTS0_FT];
	else
		which = &sql[b->full ? ST_COUNTS_LIKE : ST_COUNTS0_LIKE];
	if ((st = shop_stmt(ctx, which)) == NULL)
		return SHOP_EDB;
	if (b->full) {
		db_bind_str(st, i++, b->values);
		db_bind_str(st, i++, b->attrs);
	}
	if (q.len == 0)
		db_bind_i64(st, i++, category_id);
	else {
		i = t.n > 0 ? search_bind_terms(ctx, st, i, &t) :
		    search_bind_words(ctx, st, i, q, ft);
		db_bind_i64(st, i++, category_id);
		db_bind_i64(st, i++, category_id);
	}
	db_bind_i64(st, i++, f->min_price >= 0 ? f->min_price : 0);
	db_bind_i64(st, i++, f->max_price >= 0 ? f->max_price : INT64_MAX);
	if (b->full)
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
 * The counts of a search: kept as list_cache.h says ("sf", pairs of
 * value id and count), since they count every match of the words,
 * which no index of the shop's answers by itself.
 */
static int
run_counts(struct shop_ctx *ctx, int64_t category_id, struct str q,
    const struct facet_filter *f, const struct facet_bind *b,
    struct vcount **out, size_t *n)
{
	struct str	 params;
	uint64_t	 gen;
	int64_t		*v;
	size_t		 nv, i;
	int		 rc;

	if (q.len == 0)
		return count_matches(ctx, category_id, q, f, b, out, n);
	/* The counts depend on neither the sort nor the page. */
	params = search_cache_params(ctx, q, category_id, f, b, 0, -1);
	gen = list_cache_gen(ctx);
	if (list_cache_get(ctx, "sf", params, &v, &nv) && nv % 2 == 0) {
		*n = nv / 2;
		*out = arena_calloc(ctx->a, *n ? *n : 1, sizeof(**out));
		for (i = 0; i < *n; i++) {
			(*out)[i].id = v[2 * i];
			(*out)[i].count = v[2 * i + 1];
		}
		return SHOP_OK;
	}
	if ((rc = count_matches(ctx, category_id, q, f, b, out, n)) !=
	    SHOP_OK)
		return rc;
	if (*n <= LIST_CACHE_MAX / 2) {
		v = arena_calloc(ctx->a, *n ? 2 * *n : 1, sizeof(*v));
		for (i = 0; i < *n; i++) {
			v[2 * i] = (*out)[i].id;
			v[2 * i + 1] = (*out)[i].count;
		}
		list_cache_put(ctx, "sf", params, gen, v, 2 * *n);
	}
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

/* --- a category's rows, kept per worker ----------------------------- */

/*
 * A category page (its counts, and its products in any sort) is
 * answered from the category's rows kept by each worker: every active
 * product's id, price, sale and values, newest first, read in one
 * statement and kept FACET_ROWS_TTL_MS under the shop's generation
 * (catalog_changed() drops them at every save). Counting and filtering
 * them in C takes microseconds where the statements over
 * product_values took milliseconds (the masks read the selected
 * values over the whole shop: 8.5 ms a page, 35 ms the counts, for the
 * bench's 2,400 products); the page's products are then read by
 * primary key.
 *
 * The price sorts order by the price now (sale.h), which the current
 * time decides: the rows keep the sale and its dates, and the worker
 * computes each price at the request's time (sale_price_now()), so a
 * sale that starts or ends reorders the next page at once, with no
 * stored column to refresh. A category of more than ROWS_MAX products
 * (ROWS_LINES_MAX values, ROWS_DICT_MAX distinct ones) is remembered
 * as too big and served by the statements above (sorting in MariaDB,
 * unindexed).
 */
/* A kept product costs ~56 bytes (its row, two bytes a value): a
 * category at the limits ~0.8 MB, so at worst ~50 MB a worker; the
 * bench's category of 2,400 products ~150 KB. */
#define ROWS_SLOTS	64
#define ROWS_MAX	10000
#define ROWS_LINES_MAX	100000
/* Tests lower it to reach the statements. */
static size_t rows_max = ROWS_MAX;

struct row {
	int64_t		 id;
	int64_t		 price;
	int64_t		 sale;		/* -1: none */
	int64_t		 from, to;	/* unix time, 0: open */
	uint32_t	 v, nv;		/* its values: vals[v..v + nv) */
};

/*
 * A product's values are kept as indexes into dict, the category's
 * distinct value ids: a request looks each of those up once in its
 * selection (sel_rows()), then every product's every value is an
 * array access (a binary search each took a tenth of the page's time).
 */
#define ROWS_DICT_MAX	65535

struct rows {
	size_t		 n;
	struct row	*r;		/* id descending */
	uint16_t	*vals;		/* indexes into dict */
	int64_t		*dict;		/* ascending */
	int64_t		*dcount;	/* products offering dict[i] */
	size_t		 ndict;
};

static int
i64_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* The rows as one malloc'd block (the cache frees it with free()),
 * vals turned into indexes of the distinct values; NULL when there
 * are more than ROWS_DICT_MAX of those. */
static struct rows *
rows_copy(struct arena *a, const struct row *r, size_t n,
    const int64_t *vals, size_t nvals)
{
	struct rows	*out;
	int64_t		*dict;
	size_t		 i, nd = 0, off[4];

	dict = arena_alloc(a, (nvals ? nvals : 1) * sizeof(*dict));
	if (nvals)
		memcpy(dict, vals, nvals * sizeof(*dict));
	qsort(dict, nvals, sizeof(*dict), i64_cmp);
	for (i = 0; i < nvals; i++)
		if (nd == 0 || dict[nd - 1] != dict[i])
			dict[nd++] = dict[i];
	if (nd > ROWS_DICT_MAX)
		return NULL;
	off[0] = sizeof(*out);
	off[1] = off[0] + n * sizeof(*r);
	off[2] = off[1] + nd * sizeof(*dict);
	off[3] = off[2] + nd * sizeof(*dict);
	out = xmalloc(off[3] + (nvals ? nvals : 1) * sizeof(*out->vals));
	out->n = n;
	out->r = (struct row *)((char *)out + off[0]);
	out->dict = (int64_t *)((char *)out + off[1]);
	out->dcount = (int64_t *)((char *)out + off[2]);
	out->vals = (uint16_t *)((char *)out + off[3]);
	out->ndict = nd;
	if (n)
		memcpy(out->r, r, n * sizeof(*r));
	if (nd) {
		memcpy(out->dict, dict, nd * sizeof(*dict));
		memset(out->dcount, 0, nd * sizeof(*dict));
	}
	for (i = 0; i < nvals; i++) {
		int64_t *d = bsearch(&vals[i], out->dict, nd, sizeof(*dict),
		    i64_cmp);

		out->vals[i] = (uint16_t)(d - out->dict);
		out->dcount[out->vals[i]]++;
	}
	return out;
}

/* Reads the rows of category_id: *out NULL when it is too big. */
static int
rows_query(struct shop_ctx *ctx, int64_t category_id, struct rows **out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_ROWS]);
	struct row	*r = NULL;
	int64_t		*vals = NULL, v;
	size_t		 n = 0, cap = 0, nvals = 0, vcap = 0, lines = 0;
	int		 rc;

	*out = NULL;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, category_id);
	db_bind_i64(st, 1, ROWS_LINES_MAX + 1);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		int64_t	 id = db_col_i64(st, 0);
		int	 first;

		if (n > rows_max)
			continue;	/* too big: drain */
		first = n == 0 || r[n - 1].id != id;
		if (++lines > ROWS_LINES_MAX || (first && n == rows_max)) {
			n = rows_max + 1;
			continue;
		}
		if (first) {
			r = shop_grow(ctx->a, r, sizeof(*r), n, &cap);
			r[n].id = id;
			r[n].price = db_col_i64(st, 1);
			r[n].sale = db_col_i64(st, 2);
			r[n].from = db_col_i64(st, 3);
			r[n].to = db_col_i64(st, 4);
			r[n].v = (uint32_t)nvals;
			r[n].nv = 0;
			n++;
		}
		if ((v = db_col_i64(st, 5)) == 0)
			continue;	/* no values */
		vals = shop_grow(ctx->a, vals, sizeof(*vals), nvals, &vcap);
		vals[nvals++] = v;
		r[n - 1].nv++;
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (n <= rows_max)
		*out = rows_copy(ctx->a, r, n, vals, nvals);
	return SHOP_OK;
}

/*
 * The rows of category_id into *out: the worker's (valid until the
 * next rows_get(): use them, do not keep them), or NULL when the
 * category is too big to keep (use the statements).
 */
static int
rows_get(struct shop_ctx *ctx, int64_t category_id, const struct rows **out)
{
	char		 key[32];
	void		*v;
	struct rows	*r;
	int		 rc;

	*out = NULL;
	if (rows_cache == NULL)
		rows_cache = cache_new(ROWS_SLOTS, free);
	rc = snprintf(key, sizeof(key), "r%lld", (long long)category_id);
	if (rc < 0 || (size_t)rc >= sizeof(key))
		return SHOP_EINVAL;
	if (cache_get(rows_cache, ctx->tenant, key, &v)) {
		*out = v;
		return SHOP_OK;
	}
	if ((rc = rows_query(ctx, category_id, &r)) != SHOP_OK)
		return rc;
	cache_put(rows_cache, ctx->tenant, key, ctx->tenant, r,
	    FACET_ROWS_TTL_MS);
	*out = r;
	return SHOP_OK;
}

/* What a value of the tree means to a selection: the bit of its
 * attribute when that attribute is selected (own), its own bit when it
 * is selected itself (sel), and its count. */
struct vinfo {
	int64_t		 id;
	int64_t		 own;
	int64_t		 sel;
	int64_t		 count;
};

struct sel {
	struct vinfo	*v;		/* by id */
	size_t		 n;
	struct vinfo	**vm;		/* of a rows' dict (sel_rows()) */
	int64_t		 full;		/* every selected attribute's bit */
	int64_t		 min, max;	/* price now, inclusive */
	time_t		 now;
};

static int
vinfo_cmp(const void *a, const void *b)
{
	const struct vinfo *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static struct vinfo *
vinfo_find(const struct sel *s, int64_t id)
{
	struct vinfo key = { id, 0, 0, 0 };

	return bsearch(&key, s->v, s->n, sizeof(*s->v), vinfo_cmp);
}

/* The vinfo of each value of rs's dict into s->vm (NULL: not a value
 * of the tree). */
static void
sel_rows(struct shop_ctx *ctx, struct sel *s, const struct rows *rs)
{
	size_t i;

	s->vm = arena_calloc(ctx->a, rs->ndict ? rs->ndict : 1,
	    sizeof(*s->vm));
	for (i = 0; i < rs->ndict; i++)
		s->vm[i] = vinfo_find(s, rs->dict[i]);
}

/* The selection f (resolved) as bits over the values of tree t, as
 * facet_bind_of() gives them to SQL. */
static void
sel_init(struct shop_ctx *ctx, const struct tree *t,
    const struct facet_filter *f, struct sel *s)
{
	int64_t	 aid[FACET_MAX_ATTRS];
	size_t	 i, k, na = 0;

	memset(s, 0, sizeof(*s));
	s->v = arena_calloc(ctx->a, t->n ? t->n : 1, sizeof(*s->v));
	for (i = 0; i < f->nvalues; i++) {
		const struct facet_name *v = tree_find(t, f->values[i]);

		if (v != NULL && v->parent_id != 0)
			(void)attr_bit(aid, &na, v->parent_id);
	}
	s->full = na ? (int64_t)((1ULL << na) - 1) : 0;
	for (i = 0; i < t->n; i++) {
		struct vinfo *vi;

		if (t->v[i].parent_id == 0)
			continue;
		vi = &s->v[s->n++];
		vi->id = t->v[i].id;
		for (k = 0; k < na; k++)
			if (aid[k] == t->v[i].parent_id) {
				vi->own = 1LL << k;
				if (is_selected(f, vi->id))
					vi->sel = vi->own;
				break;
			}
	}
	qsort(s->v, s->n, sizeof(*s->v), vinfo_cmp);
	s->min = f->min_price >= 0 ? f->min_price : 0;
	s->max = f->max_price >= 0 ? f->max_price : INT64_MAX;
	s->now = time(NULL);
}

/* The price now of row r, or -1 when it is outside the range. */
static int64_t
row_price(const struct sel *s, const struct row *r)
{
	int64_t pn = sale_price_now(r->price, r->sale, (time_t)r->from,
	    (time_t)r->to, s->now);

	return pn < s->min || pn > s->max ? -1 : pn;
}

/* The mask of row r: the bits of the selected values it offers. */
static int64_t
row_mask(const struct sel *s, const struct rows *rs, const struct row *r)
{
	int64_t		 m = 0;
	uint32_t	 k;

	if (s->full == 0)
		return 0;
	for (k = 0; k < r->nv; k++) {
		const struct vinfo *vi = s->vm[rs->vals[r->v + k]];

		if (vi != NULL)
			m |= vi->sel;
	}
	return m;
}

/* facet_counts()'s counts from the rows: the statement's, in C. */
static void
rows_counts(struct shop_ctx *ctx, const struct rows *rs, struct sel *s,
    struct vcount **out, size_t *n)
{
	size_t	i, k;

	/* Nothing selected, no price range (a category's first look):
	 * each value's count is its number of products, counted when the
	 * rows were read. */
	if (s->full == 0 && s->min == 0 && s->max == INT64_MAX) {
		for (i = 0; i < rs->ndict; i++)
			if (s->vm[i] != NULL)
				s->vm[i]->count = rs->dcount[i];
		i = rs->n;
	} else
		i = 0;
	for (; i < rs->n; i++) {
		const struct row	*r = &rs->r[i];
		int64_t			 m;

		if (row_price(s, r) < 0)
			continue;
		m = row_mask(s, rs, r);
		for (k = 0; k < r->nv; k++) {
			struct vinfo *vi = s->vm[rs->vals[r->v + k]];

			if (vi != NULL && (m | vi->own) == s->full)
				vi->count++;
		}
	}
	*out = arena_calloc(ctx->a, s->n ? s->n : 1, sizeof(**out));
	*n = 0;
	for (i = 0; i < s->n; i++)
		if (s->v[i].count) {
			(*out)[*n].id = s->v[i].id;
			(*out)[(*n)++].count = s->v[i].count;
		}
}

int
facet_counts(struct shop_ctx *ctx, int64_t category_id, struct str q,
    struct facet_filter *f, struct facet_set *out)
{
	struct facet_bind	 b;
	struct tree		*t;
	struct vcount		*c;
	const struct rows	*rs = NULL;
	struct sel		 s;
	size_t			 nc, i, k, cap = 0;
	int			 rc;

	memset(out, 0, sizeof(*out));
	if ((rc = tree_get(ctx, &t)) != SHOP_OK)
		return rc;
	resolve(t, f);
	/* A shop without attributes (most, so far): no statement. */
	if (t->n == 0)
		return SHOP_OK;
	if (q.len == 0 && category_id > 0 &&
	    (rc = rows_get(ctx, category_id, &rs)) != SHOP_OK)
		return rc;
	if (rs != NULL) {
		sel_init(ctx, t, f, &s);
		sel_rows(ctx, &s, rs);
		rows_counts(ctx, rs, &s, &c, &nc);
	} else {
		if ((rc = facet_bind_of(ctx, f, &b)) != SHOP_OK)
			return rc;
		rc = run_counts(ctx, category_id, q, f, &b, &c, &nc);
		if (rc != SHOP_OK)
			return rc;
	}
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
		const struct facet_name	*v = &t->v[i];
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

struct hit {
	int64_t	 price;		/* now */
	int64_t	 id;
};

static int
hit_asc(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->price != y->price)
		return x->price < y->price ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
hit_desc(const void *a, const void *b)
{
	return hit_asc(b, a);
}

/* Whether h comes after the keyset position after in sort. */
static int
hit_after(const struct hit *h, enum catalog_sort sort,
    const struct catalog_cursor *after)
{
	if (after == NULL || after->id == 0)
		return 1;
	switch (sort) {
	case CATALOG_SORT_PRICE_ASC:
		return h->price > after->price ||
		    (h->price == after->price && h->id > after->id);
	case CATALOG_SORT_PRICE_DESC:
		return h->price < after->price ||
		    (h->price == after->price && h->id < after->id);
	default:
		return h->id < after->id;
	}
}

/* Reads the products of h (in that order) into out. */
static int
read_ids(struct shop_ctx *ctx, int64_t category_id, const struct hit *h,
    size_t n, struct product_list *out)
{
	int64_t	ids[CATALOG_PAGE];
	size_t	i;

	for (i = 0; i < n && i < CATALOG_PAGE; i++)
		ids[i] = h[i].id;
	return catalog_by_ids(ctx, ids, i, category_id, out);
}

/*
 * facet_list() from the category's rows: the products that pass f
 * after the cursor, sorted here (the price now at this request's
 * time), a page of them read by id. The next page's cursor is the
 * last row's as computed here, whether or not the read found it.
 */
static int
rows_list(struct shop_ctx *ctx, int64_t category_id, const struct rows *rs,
    const struct facet_filter *f, enum catalog_sort sort,
    const struct catalog_cursor *after, struct product_list *out)
{
	int		(*cmp)(const void *, const void *) =
	    sort == CATALOG_SORT_PRICE_ASC ? hit_asc :
	    sort == CATALOG_SORT_PRICE_DESC ? hit_desc : NULL;
	struct tree	*t = NULL;
	struct sel	 s;
	struct hit	*h;
	size_t		 i, n = 0, page, want = CATALOG_PAGE + 1;
	int		 rc;

	if (f->nvalues && (rc = tree_get(ctx, &t)) != SHOP_OK)
		return rc;
	if (t == NULL) {
		struct tree none = { 0 };

		sel_init(ctx, &none, f, &s);
	} else
		sel_init(ctx, t, f, &s);
	sel_rows(ctx, &s, rs);
	/* The page and one more row (a next page exists): the rows are
	 * newest first already; for a price sort the first ones in
	 * order are kept as they come (most rows are rejected by one
	 * comparison with the last kept), not the whole set sorted. */
	h = arena_calloc(ctx->a, want, sizeof(*h));
	for (i = 0; i < rs->n; i++) {
		const struct row	*r = &rs->r[i];
		struct hit		 x;
		size_t			 k;

		if ((x.price = row_price(&s, r)) < 0 ||
		    row_mask(&s, rs, r) != s.full)
			continue;
		x.id = r->id;
		if (!hit_after(&x, sort, after))
			continue;
		if (cmp == NULL) {
			h[n++] = x;
			if (n == want)
				break;
			continue;
		}
		if (n == want && cmp(&x, &h[n - 1]) >= 0)
			continue;
		k = n < want ? n++ : want - 1;
		for (; k > 0 && cmp(&x, &h[k - 1]) < 0; k--)
			h[k] = h[k - 1];
		h[k] = x;
	}
	page = n > CATALOG_PAGE ? CATALOG_PAGE : n;
	if ((rc = read_ids(ctx, category_id, h, page, out)) != SHOP_OK)
		return rc;
	if (n > CATALOG_PAGE) {
		out->more = 1;
		out->next.price = h[page - 1].price;
		out->next.id = h[page - 1].id;
	}
	return SHOP_OK;
}

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
	const struct rows	*rs;
	struct db_stmt		*st;
	unsigned		 i;
	int			 rc;

	if (sort >= CATALOG_SORT__MAX)
		sort = CATALOG_SORT_NEWEST;
	if ((rc = rows_get(ctx, category_id, &rs)) != SHOP_OK)
		return rc;
	if (rs != NULL)
		return rows_list(ctx, category_id, rs, f, sort, after, out);
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
	i = catalog_bind_key(st, i, sort, after);
	db_bind_i64(st, i, CATALOG_PAGE + 1);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	return catalog_read_list(ctx, st, CATALOG_PAGE, out);
}
