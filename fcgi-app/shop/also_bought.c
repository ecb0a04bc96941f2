/*
 * also_bought.c: "Customers also bought" and best sellers
 * (also_bought.h).
 *
 * The pairs are counted by MariaDB: the order lines of the window
 * joined with themselves on the order, one row per pair of distinct
 * products, then ROW_NUMBER() per product keeps the first
 * ALSO_BOUGHT_MAX. A product twice in one order (two variants) counts
 * once for that order (COUNT(DISTINCT order_id)). The work grows with
 * the square of an order's lines, bounded by the cart's own limit.
 */
#include "core/cache.h"
#include "core/common.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "shop/also_bought.h"
#include "shop/shop.h"

#define STR_(x)	#x
#define STR2(x)	STR_(x)
#define MAX_S	STR2(ALSO_BOUGHT_MAX)

enum stmt {
	ST_ANY,
	ST_CLEAR_PAIRS,
	ST_CLEAR_BEST,
	ST_PAIRS,
	ST_BEST,
	ST_LIST,
	ST_BEST_LIST,
	ST__MAX
};

#define LINES \
	" FROM {p}orders o JOIN {p}order_lines a ON a.order_id = o.id"
#define WINDOW \
	" WHERE o.created_at >= FROM_UNIXTIME(?)" \
	" AND o.created_at < FROM_UNIXTIME(?) AND o.status <> 'cancelled'"

static const struct shop_sql sql[ST__MAX] = {
	/* Parameters: the window's start and end. */
	[ST_ANY] = { "also_bought.any",
	    "SELECT EXISTS(SELECT 1 FROM {p}orders o"
	    " WHERE o.created_at >= FROM_UNIXTIME(?)"
	    " AND o.created_at < FROM_UNIXTIME(?)"
	    " AND o.status <> 'cancelled'),"
	    " EXISTS(SELECT 1 FROM {p}also_bought),"
	    " EXISTS(SELECT 1 FROM {p}best_sellers)" },
	[ST_CLEAR_PAIRS] = { "also_bought.clear_pairs",
	    "DELETE FROM {p}also_bought" },
	[ST_CLEAR_BEST] = { "also_bought.clear_best",
	    "DELETE FROM {p}best_sellers" },
	[ST_PAIRS] = { "also_bought.pairs",
	    "INSERT INTO {p}also_bought (product_id, pos, other_id, score)"
	    " SELECT product_id, n, other_id, score FROM ("
	    " SELECT a.product_id, b.product_id AS other_id,"
	    " COUNT(DISTINCT a.order_id) AS score,"
	    " ROW_NUMBER() OVER (PARTITION BY a.product_id"
	    " ORDER BY COUNT(DISTINCT a.order_id) DESC, b.product_id) AS n"
	    LINES
	    " JOIN {p}order_lines b ON b.order_id = a.order_id"
	    " AND b.product_id <> a.product_id"
	    " JOIN {p}products p ON p.id = b.product_id"
	    " AND p.status = 'active'" WINDOW
	    " GROUP BY a.product_id, b.product_id) x"
	    " WHERE n <= " MAX_S },
	[ST_BEST] = { "also_bought.best",
	    "INSERT INTO {p}best_sellers (pos, product_id, units)"
	    " SELECT ROW_NUMBER() OVER (ORDER BY SUM(a.qty) DESC,"
	    " a.product_id), a.product_id, SUM(a.qty)"
	    LINES
	    " JOIN {p}products p ON p.id = a.product_id"
	    " AND p.status = 'active'" WINDOW
	    " GROUP BY a.product_id HAVING SUM(a.qty) > 0"
	    " ORDER BY SUM(a.qty) DESC, a.product_id LIMIT " MAX_S },
	[ST_LIST] = { "also_bought.list",
	    "SELECT " CATALOG_CARD_COLS CATALOG_P_FROM
	    " JOIN {p}also_bought x ON x.other_id = p.id"
	    " WHERE x.product_id = ? AND p.status = 'active'"
	    " ORDER BY x.pos LIMIT ?" },
	[ST_BEST_LIST] = { "also_bought.best_list",
	    "SELECT " CATALOG_CARD_COLS CATALOG_P_FROM
	    " JOIN {p}best_sellers x ON x.product_id = p.id"
	    " WHERE p.status = 'active'"
	    " ORDER BY x.pos LIMIT ?" },
};

struct build {
	time_t			  now;
	struct also_bought_stats *st;
};

/* Runs q with the window [now - days, now] bound (an order of this
 * very second counts); *n its rows. */
static int
run(struct shop_ctx *ctx, enum stmt q, time_t now, int days, int64_t *n)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = shop_stmt(ctx, &sql[q])) == NULL)
		return SHOP_EDB;
	if (days > 0) {
		db_bind_i64(st, 0, now - (time_t)days * 86400);
		db_bind_i64(st, 1, now + 1);
	}
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if (n != NULL)
		*n = (int64_t)db_affected(st);
	db_done(st);
	return SHOP_OK;
}

static int
build_tx(struct shop_ctx *ctx, void *arg)
{
	struct build	*b = arg;
	int		 rc;

	if ((rc = run(ctx, ST_CLEAR_PAIRS, 0, 0, NULL)) != SHOP_OK ||
	    (rc = run(ctx, ST_CLEAR_BEST, 0, 0, NULL)) != SHOP_OK ||
	    (rc = run(ctx, ST_PAIRS, b->now, ALSO_BOUGHT_DAYS,
	    &b->st->pairs)) != SHOP_OK)
		return rc;
	return run(ctx, ST_BEST, b->now, BEST_SELLERS_DAYS, &b->st->best);
}

int
also_bought_build(struct shop_ctx *ctx, time_t now,
    struct also_bought_stats *out)
{
	struct also_bought_stats	 dummy;
	struct also_bought_stats	*st = out ? out : &dummy;
	struct build			 b = { now, st };
	struct db_stmt			*q;
	int64_t				 v[3] = { 0, 0, 0 };
	int				 rc, i;

	memset(st, 0, sizeof(*st));
	if ((q = shop_stmt(ctx, &sql[ST_ANY])) == NULL)
		return SHOP_EDB;
	db_bind_i64(q, 0, now - (time_t)ALSO_BOUGHT_DAYS * 86400);
	db_bind_i64(q, 1, now + 1);
	if ((rc = shop_exec(ctx, q)) != SHOP_OK)
		return rc;
	rc = db_step(q);
	for (i = 0; rc == 1 && i < 3; i++)
		v[i] = db_col_i64(q, i);
	db_done(q);
	if (rc == -1)
		return SHOP_EDB;
	if (!v[0] && !v[1] && !v[2]) {
		st->skipped = 1;
		return SHOP_OK;
	}
	if ((rc = shop_tx(ctx, build_tx, &b)) == SHOP_OK)
		/* New figures for this process's pages at once; the
		 * pool's workers see them within BEST_CACHE_TTL_MS. */
		cache_bump(ctx->tenant);
	return rc;
}

static int
cards(struct shop_ctx *ctx, enum stmt q, int64_t product_id, size_t max,
    struct product_list *out)
{
	struct db_stmt	*st;
	unsigned	 i;
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (max > ALSO_BOUGHT_MAX)
		max = ALSO_BOUGHT_MAX;
	if (max == 0)
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[q])) == NULL)
		return SHOP_EDB;
	i = catalog_bind_locales(ctx, st);
	if (q == ST_LIST)
		db_bind_i64(st, i++, product_id);
	db_bind_i64(st, i, (int64_t)max);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = catalog_read_list(ctx, st, max, out);
	out->more = 0;
	return rc;
}

int
also_bought_list(struct shop_ctx *ctx, int64_t product_id, size_t max,
    struct product_list *out)
{
	return cards(ctx, ST_LIST, product_id, max, out);
}

/*
 * The home page shows the best sellers on every visit, and they change
 * once a night: each worker keeps a shop's list per language (cards
 * only: no descriptions), as it keeps the categories. A catalog change
 * through the admin bumps the shop (catalog_changed()); a new build,
 * a sale's start or a sold-out product shows within BEST_CACHE_TTL_MS.
 */
#define BEST_CACHE_SLOTS	256
#define BEST_CACHE_TTL_MS	30000

static struct cache *best_cache;

void
also_bought_cache_free(void)
{
	cache_free(best_cache);
	best_cache = NULL;
}

/* Copies l's cards, their strings included, into a (NULL: one malloc'd
 * block, freed with free()). */
static struct product_list *
list_copy(struct arena *a, const struct product_list *src)
{
	struct product_list	*l;
	size_t			 i, len = 0, off = 0, head;
	char			*b;

	for (i = 0; i < src->n; i++)
		len += src->v[i].slug.len + src->v[i].sku.len +
		    src->v[i].image.len + src->v[i].name.len + 4;
	head = sizeof(*l) + src->n * sizeof(l->v[0]);
	l = a ? arena_alloc(a, head + len + 1) : xmalloc(head + len + 1);
	memset(l, 0, sizeof(*l));
	l->v = (struct product *)(l + 1);
	l->n = src->n;
	b = (char *)l + head;
	for (i = 0; i < src->n; i++) {
		struct str *f[] = { &l->v[i].slug, &l->v[i].sku,
		    &l->v[i].image, &l->v[i].name };
		size_t	    k;

		l->v[i] = src->v[i];
		l->v[i].description = STR("");
		for (k = 0; k < NELEM(f); k++) {
			memcpy(b + off, f[k]->p, f[k]->len);
			b[off + f[k]->len] = '\0';
			f[k]->p = b + off;
			off += f[k]->len + 1;
		}
	}
	return l;
}

int
also_bought_best_sellers(struct shop_ctx *ctx, size_t max,
    struct product_list *out)
{
	void	*v;
	int	 rc;

	if (best_cache == NULL)
		best_cache = cache_new(BEST_CACHE_SLOTS, free);
	if (!cache_get(best_cache, ctx->tenant, ctx->locale, &v) ||
	    v == NULL) {
		if ((rc = cards(ctx, ST_BEST_LIST, 0, ALSO_BOUGHT_MAX,
		    out)) != SHOP_OK)
			return rc;
		v = list_copy(NULL, out);
		cache_put(best_cache, ctx->tenant, ctx->locale, ctx->tenant,
		    v, BEST_CACHE_TTL_MS);
	}
	/* An arena copy: the entry may change before the request ends. */
	*out = *list_copy(ctx->a, v);
	if (out->n > max)
		out->n = max;
	return SHOP_OK;
}
