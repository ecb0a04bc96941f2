/*
 * category.h: a shop's categories, with their names per language and
 * the per-worker cache that spares every storefront page a round trip.
 *
 * A category's name exists per language; a read in a language it has
 * no name for falls back to the shop's default language, then to its
 * slug. Everything returned lives in ctx->a. Functions return SHOP_OK
 * or a negative enum shop_err (ctx.h).
 */
#ifndef SOUK_SHOP_CATEGORY_H
#define SOUK_SHOP_CATEGORY_H

#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/shop.h"

struct category {
	int64_t		 id;
	int64_t		 parent_id;	/* 0: top level */
	struct str	 slug;
	struct str	 name;
	int64_t		 position;
};

/* All categories in ctx->locale, ordered by parent then position.
 * Served from the worker's cache (core/cache.h) for up to 30 s, or
 * until this shop's categories change; a copy in ctx->a. */
int	category_list(struct shop_ctx *ctx, struct category **out,
	    size_t *n);

/* The category with this slug (from the cached list). */
int	category_by_slug(struct shop_ctx *ctx, struct str slug,
	    struct category *out);

/* 1 when category id is one of this shop's, 0 when not, -1 on error. */
int	category_exists(struct shop_ctx *ctx, int64_t id);

/*
 * Creates a category with its name in the shop's default language
 * (ctx->default_locale: what every visitor falls back to, whatever the
 * admin's own language). Slug from the name when empty. SHOP_EINVAL
 * fills errs; SHOP_ECONFLICT adds an error on "slug".
 */
int	category_add(struct shop_ctx *ctx, struct str slug,
	    struct str name, int64_t parent_id, struct field_errors *errs,
	    int64_t *id_out);

/* Sets the name of category id in locale. */
int	category_set_name(struct shop_ctx *ctx, int64_t id,
	    const char *locale, struct str name);

/*
 * Deletes category id with its names, in one transaction: its products
 * are left without a category, its children move to its parent (or
 * the top level). SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB.
 */
int	category_delete(struct shop_ctx *ctx, int64_t id);

/* Frees the worker's category cache (at worker exit). */
void	category_cache_free(void);

#endif
