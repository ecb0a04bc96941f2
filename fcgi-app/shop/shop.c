/* shop.c: the shop database kit (see shop.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/tenant.h"
#include "shop/shop.h"

struct db_stmt *
shop_stmt(struct shop_ctx *ctx, const struct shop_sql *q)
{
	struct db_stmt *st = db_prepare_on(ctx->db, q->text, ctx->tenant);

	if (st == NULL) {
		log_err("cannot prepare '%s': %s", q->name, db_error(ctx->db));
		return NULL;
	}
	db_stmt_label(st, q->name);
	return st;
}

int
shop_exec(struct shop_ctx *ctx, struct db_stmt *st)
{
	if (db_exec(st, ctx->a) == 0)
		return SHOP_OK;
	if (db_errclass(ctx->db) == DB_EDUP)
		return SHOP_ECONFLICT;
	/* A deadlock is logged by db_tx_run() if its retries run out. */
	if (db_errclass(ctx->db) != DB_EDEADLOCK)
		log_err("'%s' failed: %s", db_stmt_label_of(st),
		    db_error(ctx->db));
	return SHOP_EDB;
}

int
shop_row_exists(struct shop_ctx *ctx, const struct shop_sql *q, int64_t id)
{
	struct db_stmt	*st = shop_stmt(ctx, q);
	int		 rc;

	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return -1;
	rc = db_step(st);
	db_done(st);
	return rc;
}

int
shop_change_by_id(struct shop_ctx *ctx, const struct shop_sql *q, int64_t id)
{
	struct db_stmt	*st = shop_stmt(ctx, q);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	rc = shop_exec(ctx, st);
	if (rc == SHOP_OK && db_affected(st) == 0)
		rc = SHOP_ENOTFOUND;
	db_done(st);
	return rc == SHOP_OK || rc == SHOP_ENOTFOUND ? rc : SHOP_EDB;
}

struct shop_tx {
	struct shop_ctx	*ctx;
	int		(*fn)(struct shop_ctx *, void *);
	void		*arg;
	int		 rc;
};

static int
shop_tx_fn(struct db *db, void *arg)
{
	struct shop_tx *t = arg;

	(void)db;
	t->rc = t->fn(t->ctx, t->arg);
	return t->rc == SHOP_OK ? 0 : 1;
}

int
shop_tx(struct shop_ctx *ctx, int (*fn)(struct shop_ctx *, void *),
    void *arg)
{
	struct shop_tx	t = { ctx, fn, arg, SHOP_OK };
	int		rc;

	rc = db_tx_run(ctx->db, shop_tx_fn, &t);
	if (rc == 0)
		return SHOP_OK;
	if (rc == 1)
		return t.rc;
	return SHOP_EDB;
}

int
shop_tx_sales(struct shop_ctx *ctx, int (*fn)(struct shop_ctx *, void *),
    void *arg)
{
	int rc = shop_tx(ctx, fn, arg);

	if (rc == SHOP_OK)
		cache_bump_sales(ctx->tenant);
	return rc;
}

int
shop_slug_valid(struct str s)
{
	size_t i;

	if (s.len < 1 || s.len > 120 || s.p[0] == '-')
		return 0;
	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-'))
			return 0;
	}
	return 1;
}

struct str
shop_slugify(struct arena *a, struct str name)
{
	char	*out = arena_alloc(a, name.len + 1);
	size_t	 o = 0, i;

	for (i = 0; i < name.len && o < 100; i++) {
		char c = name.p[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[o++] = c;
		else if (o > 0 && out[o - 1] != '-')
			out[o++] = '-';
	}
	while (o > 0 && out[o - 1] == '-')
		o--;
	out[o] = '\0';
	return (struct str){ out, o };
}

void *
shop_grow(struct arena *a, void *v, size_t size, size_t n, size_t *cap)
{
	void	*bigger;

	if (n < *cap)
		return v;
	*cap = *cap == 0 ? 8 : 2 * *cap;
	bigger = arena_alloc(a, *cap * size);
	if (n > 0)
		memcpy(bigger, v, n * size);
	return bigger;
}

void
shop_ctx_of(struct shop_ctx *ctx, struct db *db, struct arena *a,
    const struct tenant *t)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->db = db;
	ctx->a = a;
	ctx->tenant = t->id;
	ctx->locale = t->default_locale;
	ctx->default_locale = t->default_locale;
	ctx->currency = t->currency;
	ctx->time_zone = t->time_zone;
	ctx->search_indexed = t->search_version >= 1;
}
