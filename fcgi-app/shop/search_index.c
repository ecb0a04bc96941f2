/* search_index.c: the shop's own search index (see search_index.h). */
#include "core/common.h"
#include "core/log.h"
#include "core/terms.h"
#include "db/db.h"
#include "shop/search_index.h"
#include "shop/shop.h"

/* Rows deleted one by one at most; more: all, and all inserted again. */
#define DELETE_ONE_MAX		8
/* The first shop migration with {p}search_terms. */
#define SEARCH_INDEX_SCHEMA	19

#define INS1	"(?, ?, ?, ?)"
#define INS4	INS1 "," INS1 "," INS1 "," INS1
#define INS16	INS4 "," INS4 "," INS4 "," INS4
#define INS64	INS16 "," INS16 "," INS16 "," INS16
#define INSERT	"INSERT INTO {p}search_terms (term, featured, product_id," \
	" locale) VALUES "

enum stmt {
	ST_FEATURED,
	ST_OLD,
	ST_TEXTS,
	ST_DEL_ALL,
	ST_DEL_ONE,
	ST_INS64,
	ST_INS16,
	ST_INS4,
	ST_INS1,
	ST_NEXT,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	/* Locks the product: two writers of it index in commit order. */
	[ST_FEATURED] = { "search_index.featured",
	    "SELECT featured FROM {p}products WHERE id = ? FOR UPDATE" },
	[ST_OLD] = { "search_index.old",
	    "SELECT locale, term, featured FROM {p}search_terms"
	    " WHERE product_id = ? FOR UPDATE" },
	/* A locking read sees the texts as committed, not the snapshot
	 * the transaction started with. */
	[ST_TEXTS] = { "search_index.texts",
	    "SELECT locale, name, description FROM {p}product_texts"
	    " WHERE product_id = ? LOCK IN SHARE MODE" },
	[ST_DEL_ALL] = { "search_index.del_all",
	    "DELETE FROM {p}search_terms WHERE product_id = ?" },
	[ST_DEL_ONE] = { "search_index.del_one",
	    "DELETE FROM {p}search_terms"
	    " WHERE product_id = ? AND locale = ? AND term = ?" },
	[ST_INS64] = { "search_index.ins64", INSERT INS64 },
	[ST_INS16] = { "search_index.ins16", INSERT INS16 },
	[ST_INS4] = { "search_index.ins4", INSERT INS4 },
	[ST_INS1] = { "search_index.ins1", INSERT INS1 },
	[ST_NEXT] = { "search_index.next",
	    "SELECT id FROM {p}products WHERE id > ? ORDER BY id LIMIT ?" },
};

struct row {
	struct str	 locale;
	struct str	 term;
};

struct rows {
	struct row	*v;
	size_t		 n, cap;
};

/* Bytes order, a shorter text before the longer it begins. */
static int
bytes_cmp(struct str a, struct str b)
{
	int c = memcmp(a.p, b.p, a.len < b.len ? a.len : b.len);

	return c != 0 ? c : (a.len > b.len) - (a.len < b.len);
}

static int
row_cmp(const void *pa, const void *pb)
{
	const struct row	*a = pa, *b = pb;
	int			 c = bytes_cmp(a->locale, b->locale);

	return c != 0 ? c : bytes_cmp(a->term, b->term);
}

static void
rows_add(struct shop_ctx *ctx, struct rows *r, struct str locale,
    struct str term)
{
	r->v = shop_grow(ctx->a, r->v, sizeof(*r->v), r->n, &r->cap);
	r->v[r->n].locale = locale;
	r->v[r->n].term = term;
	r->n++;
}

/* The product's featured flag: 1 or 0, -1 when it is gone. */
static int
featured_of(struct shop_ctx *ctx, int64_t id, int *featured)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_FEATURED]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	rc = db_step(st);
	*featured = rc == 1 ? db_col_i64(st, 0) != 0 : -1;
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* The rows as they are; *mixed when one has another featured flag. */
static int
old_rows(struct shop_ctx *ctx, int64_t id, int featured, struct rows *out,
    int *mixed)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_OLD]);
	int		 rc;

	*mixed = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		rows_add(ctx, out, db_col_str(st, 0), db_col_str(st, 1));
		if (db_col_i64(st, 2) != featured)
			*mixed = 1;
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* The rows the texts make now: each language's name and description. */
static int
new_rows(struct shop_ctx *ctx, int64_t id, struct rows *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_TEXTS]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		struct str	 locale = db_col_str(st, 0);
		struct str	 name = db_col_str(st, 1);
		struct str	 desc = db_col_str(st, 2);
		struct str	 text, *t;
		char		*buf;
		size_t		 i, n;

		buf = arena_alloc(ctx->a, name.len + desc.len + 1);
		memcpy(buf, name.p, name.len);
		buf[name.len] = ' ';
		memcpy(buf + name.len + 1, desc.p, desc.len);
		text = (struct str){ buf, name.len + desc.len + 1 };
		n = terms_index(ctx->a, text, &t);
		for (i = 0; i < n; i++)
			rows_add(ctx, out, locale, t[i]);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* Every row of product id gone (none there is no error). */
static int
delete_all(struct shop_ctx *ctx, int64_t id)
{
	int rc = shop_change_by_id(ctx, &sql[ST_DEL_ALL], id);

	return rc == SHOP_ENOTFOUND ? SHOP_OK : rc;
}

static int
delete_row(struct shop_ctx *ctx, int64_t id, const struct row *r)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_DEL_ONE]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	db_bind_str(st, 1, r->locale);
	db_bind_blob(st, 2, r->term.p, r->term.len);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc == SHOP_OK ? SHOP_OK : SHOP_EDB;
}

/* Inserts rows v[0..n), 64, 16, 4 or 1 to a statement. */
static int
insert_rows(struct shop_ctx *ctx, int64_t id, int featured,
    struct row *const *v, size_t n)
{
	static const struct { enum stmt st; size_t rows; } batch[] = {
		{ ST_INS64, 64 }, { ST_INS16, 16 }, { ST_INS4, 4 },
		{ ST_INS1, 1 },
	};
	size_t	done = 0, b, k;

	for (b = 0; b < NELEM(batch); b++)
		while (n - done >= batch[b].rows) {
			struct db_stmt	*st = shop_stmt(ctx,
			    &sql[batch[b].st]);
			unsigned	 i = 0;
			int		 rc;

			if (st == NULL)
				return SHOP_EDB;
			for (k = 0; k < batch[b].rows; k++) {
				const struct row *r = v[done + k];

				db_bind_blob(st, i++, r->term.p, r->term.len);
				db_bind_i64(st, i++, featured);
				db_bind_i64(st, i++, id);
				db_bind_str(st, i++, r->locale);
			}
			rc = shop_exec(ctx, st);
			db_done(st);
			if (rc != SHOP_OK)
				return SHOP_EDB;
			done += batch[b].rows;
		}
	return SHOP_OK;
}

int
search_index_product(struct shop_ctx *ctx, int64_t id)
{
	struct rows	  old = { 0 }, now = { 0 };
	struct row	**add, **gone;
	size_t		  i = 0, j = 0, nadd = 0, ngone = 0;
	int		  featured, mixed, rc;

	if ((rc = featured_of(ctx, id, &featured)) != SHOP_OK)
		return rc;
	if (featured < 0)
		return delete_all(ctx, id);
	if ((rc = old_rows(ctx, id, featured, &old, &mixed)) != SHOP_OK ||
	    (rc = new_rows(ctx, id, &now)) != SHOP_OK)
		return rc;
	/* The featured flag is in the key: a change moves every row. */
	if (mixed) {
		if ((rc = delete_all(ctx, id)) != SHOP_OK)
			return rc;
		old.n = 0;
	}
	if (old.n > 1)
		qsort(old.v, old.n, sizeof(*old.v), row_cmp);
	if (now.n > 1)
		qsort(now.v, now.n, sizeof(*now.v), row_cmp);
	add = arena_alloc(ctx->a, (now.n + 1) * sizeof(*add));
	gone = arena_alloc(ctx->a, (old.n + 1) * sizeof(*gone));
	/* Both sorted: one pass says which rows go and which come (two
	 * texts of one language cannot be: their key is (product_id,
	 * locale)). */
	while (i < old.n || j < now.n) {
		int c = i == old.n ? 1 : j == now.n ? -1 :
		    row_cmp(&old.v[i], &now.v[j]);

		if (c < 0)
			gone[ngone++] = &old.v[i++];
		else if (c > 0)
			add[nadd++] = &now.v[j++];
		else {
			i++;
			j++;
		}
	}
	/* Many gone (a text rewritten): one DELETE and every row again
	 * beats a DELETE a row. */
	if (ngone > DELETE_ONE_MAX) {
		if ((rc = delete_all(ctx, id)) != SHOP_OK)
			return rc;
		for (nadd = 0; nadd < now.n; nadd++)
			add[nadd] = &now.v[nadd];
		ngone = 0;
	}
	for (i = 0; i < ngone; i++)
		if ((rc = delete_row(ctx, id, gone[i])) != SHOP_OK)
			return rc;
	return insert_rows(ctx, id, featured, add, nadd);
}

/* ---------------------------------------------------------------- build */

/* Where the worker's build stands: the shop and the last product
 * indexed (a restarted worker begins the shop again); after a shop
 * whose build failed, the shops after it go first (one shop's broken
 * tables do not hold up every other's index). */
static int64_t	build_tenant, build_after, build_from;

struct build_arg {
	int64_t	after;		/* in: last product done; out: next */
	size_t	n;		/* products indexed */
};

static int
build_tx(struct shop_ctx *ctx, void *arg)
{
	struct build_arg	*b = arg;
	struct db_stmt		*st = shop_stmt(ctx, &sql[ST_NEXT]);
	int64_t			*ids;
	size_t			 n = 0, i;
	int			 rc = 0;

	b->n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, b->after);
	db_bind_i64(st, 1, SEARCH_INDEX_STEP);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	ids = arena_alloc(ctx->a, SEARCH_INDEX_STEP * sizeof(*ids));
	while (n < SEARCH_INDEX_STEP && (rc = db_step(st)) == 1)
		ids[n++] = db_col_i64(st, 0);
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	for (i = 0; i < n; i++)
		if ((rc = search_index_product(ctx, ids[i])) != SHOP_OK)
			return rc;
	b->n = n;
	if (n > 0)
		b->after = ids[n - 1];
	return SHOP_OK;
}

/* The products after *after, SEARCH_INDEX_STEP at most, in one
 * transaction; *n of them. 0 or -1. */
static int
build_chunk(struct db *db, int64_t tenant, int64_t *after, size_t *n)
{
	struct shop_ctx		ctx;
	struct arena		a;
	struct build_arg	b = { *after, 0 };
	int			rc;

	arena_init(&a);
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.a = &a;
	ctx.tenant = tenant;
	rc = shop_tx(&ctx, build_tx, &b);
	arena_free(&a);
	*after = b.after;
	*n = b.n;
	return rc == SHOP_OK ? 0 : -1;
}

/* Every product is in: rows of products gone another way (a restore, a
 * hand's DELETE) go, and the shop searches its index. */
static int
mark_built(struct db *db, int64_t tenant)
{
	struct db_stmt *st;

	st = db_prepare_on(db, "DELETE FROM {p}search_terms WHERE "
	    "product_id NOT IN (SELECT id FROM {p}products)", tenant);
	if (st == NULL || db_exec(st, NULL) == -1)
		return -1;
	db_done(st);
	st = db_prepare(db, "UPDATE souk_tenants SET search_version = 1 "
	    "WHERE id = ?", 0);
	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, tenant);
	if (db_exec(st, NULL) == -1)
		return -1;
	db_done(st);
	return 0;
}

int
search_index_build_step(struct db *db, char *err, size_t errlen)
{
	struct db_stmt	*st;
	int64_t		 tenant;
	size_t		 n;
	int		 rc;

	st = db_prepare(db, "SELECT id FROM souk_tenants WHERE "
	    "search_version = 0 AND status IN ('ready', 'suspended') AND "
	    "schema_version >= ? AND id > ? ORDER BY id LIMIT 1", 0);
	if (st == NULL)
		goto dberr;
	db_bind_i64(st, 0, SEARCH_INDEX_SCHEMA);
	db_bind_i64(st, 1, build_from);
	if ((rc = db_exec_first(st)) == -1)
		goto dberr;
	tenant = rc == 1 ? db_col_i64(st, 0) : 0;
	db_done(st);
	if (tenant == 0) {
		/* The next look begins at the first shop again. */
		build_from = 0;
		return 0;
	}
	if (tenant != build_tenant) {
		build_tenant = tenant;
		build_after = 0;
	}
	if (build_chunk(db, tenant, &build_after, &n) == -1)
		goto failed;
	if (n == SEARCH_INDEX_STEP)
		return 1;
	/* Past the last product: one written since was indexed by its
	 * writer, whatever the shop's version said. */
	if (mark_built(db, tenant) == -1)
		goto failed;
	log_info("shop %lld: search index built", (long long)tenant);
	build_tenant = build_after = 0;
	return 1;
failed:
	build_from = tenant;
	build_tenant = build_after = 0;
	str_errf(err, errlen, "search index of shop %lld: %s",
	    (long long)tenant, db_error(db));
	return -1;
dberr:
	str_errf(err, errlen, "search index: %s", db_error(db));
	return -1;
}

int
search_index_shop(struct db *db, int64_t tenant, int64_t *products,
    char *err, size_t errlen)
{
	int64_t	after = 0;
	size_t	n;

	*products = 0;
	do {
		if (build_chunk(db, tenant, &after, &n) == -1)
			goto dberr;
		*products += (int64_t)n;
	} while (n == SEARCH_INDEX_STEP);
	if (mark_built(db, tenant) == -1)
		goto dberr;
	return 0;
dberr:
	str_errf(err, errlen, "search index: %s", db_error(db));
	return -1;
}
