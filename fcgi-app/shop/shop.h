/*
 * shop.h: the shop database kit, what every shop/ module runs its SQL
 * through.
 *
 * A module keeps its statements in one static table of struct shop_sql
 * indexed by an enum, each with a short name ("category.insert") that
 * names it in the log. shop_stmt() prepares one on the context's shop
 * ("{p}" becomes the shop's table prefix, db.h), shop_exec() runs it
 * with its results in ctx->a, and shop_tx() runs a write transaction
 * through db_tx_run() (retried on deadlock). Each logs its failure
 * once, with the statement's name, so callers only pass the code on.
 *
 * Also here: the field-level errors every domain write returns.
 */
#ifndef SOUK_SHOP_SHOP_H
#define SOUK_SHOP_SHOP_H

#include <stdint.h>
#include "core/field.h"
#include "db/db.h"
#include "shop/ctx.h"

struct shop_sql {
	const char	*name;	/* "module.what", for the log */
	const char	*text;	/* with "{p}" for the shop's prefix */
};

/* The prepared statement of q on ctx's shop, owned by ctx->db (db.h),
 * or NULL (logged with q's name; db_error() says why). */
struct tenant;

/*
 * A context for the shop t: its default language (a request then sets
 * its own), currency and time zone, on db and the arena a. The pool,
 * souk-worker's jobs and soukctl make theirs with it. ctx points into
 * t, which must outlive it.
 */
void	shop_ctx_of(struct shop_ctx *ctx, struct db *db, struct arena *a,
	    const struct tenant *t);

struct db_stmt	*shop_stmt(struct shop_ctx *ctx, const struct shop_sql *q);

/*
 * Executes st (results in ctx->a). Returns SHOP_OK; SHOP_ECONFLICT
 * when a unique key is taken (not logged: the caller turns it into a
 * field error); SHOP_EDB otherwise (logged with the statement's name).
 */
int	shop_exec(struct shop_ctx *ctx, struct db_stmt *st);

/* shop_stmt() then shop_exec() for a statement whose only parameter is
 * an id; 1 when it returns a row, 0 when none, -1 on error. */
int	shop_row_exists(struct shop_ctx *ctx, const struct shop_sql *q,
	    int64_t id);

/* The same for a statement that changes the row of an id (an UPDATE, a
 * DELETE): SHOP_OK, SHOP_ENOTFOUND when it changed no row, SHOP_EDB. */
int	shop_change_by_id(struct shop_ctx *ctx, const struct shop_sql *q,
	    int64_t id);

/*
 * Runs fn(ctx, arg) in one transaction with db_tx_run(): commits when
 * fn returns SHOP_OK, rolls back otherwise, and runs fn again when the
 * database chose it as a deadlock's victim. fn follows db_tx_run()'s
 * rules (only statements; nothing it cannot repeat). Returns SHOP_OK,
 * fn's error, or SHOP_EDB when the commit failed.
 */
int	shop_tx(struct shop_ctx *ctx,
	    int (*fn)(struct shop_ctx *ctx, void *arg), void *arg);

/* shop_tx() for a transaction that may change stock or an order's
 * status (units sold): once committed, what the workers keep of the
 * shop's products goes (cache_bump_sales()). */
int	shop_tx_sales(struct shop_ctx *ctx,
	    int (*fn)(struct shop_ctx *ctx, void *arg), void *arg);

/* An array of n elements of size bytes with room for *cap, in a, ready
 * to take one more: v itself while n < *cap, else a copy with twice the
 * room (8 at first). For the rows a statement returns one by one. */
void	*shop_grow(struct arena *a, void *v, size_t size, size_t n,
	    size_t *cap);

/* Field-level errors are struct field_errors (core/field.h): add them
 * with field_errors_add(). */

/* Valid product or category slug: a-z0-9-, 1..120, no leading '-'. */
int	shop_slug_valid(struct str s);

/* An ASCII slug from a name, in a: letters and digits kept (lower
 * case), the rest one '-'; at most 100 bytes; may be empty. */
struct str shop_slugify(struct arena *a, struct str name);

#endif
