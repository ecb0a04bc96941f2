/*
 * search_index.h: the shop's own search index, {p}search_terms (shop
 * migration 019): the terms (core/terms.h) of each product text, by
 * language, with a copy of products.featured, so that a term's rows
 * come in the search page's order straight from the primary key.
 * shop/search.c reads it; this module alone writes it.
 *
 * Every writer of a product's texts, or of its featured flag, calls
 * search_index_product() in the same transaction, after its writes: it
 * reads the product back (locking its rows, so two writers of the same
 * product write its terms in their commit order) and writes only what
 * changed, so a save that changes a price writes no term. A deleted
 * product's rows: search_index_product() finds it gone and drops them.
 *
 * A shop made before the index has search_version 0 in souk_tenants
 * (platform 019; so has a shop restored or imported, whose texts came
 * from elsewhere): souk-worker builds its index with
 * search_index_build_step(), and sets 1 when every product is in;
 * until then the storefront searches with InnoDB's FULLTEXT index as
 * before (ctx->search_indexed). New shops start at 1.
 */
#ifndef SOUK_SHOP_SEARCH_INDEX_H
#define SOUK_SHOP_SEARCH_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "shop/ctx.h"

struct db;

/* Products indexed in one transaction of a build step. */
#define SEARCH_INDEX_STEP	200

/* Rewrites product_id's rows from its texts as they are now. SHOP_OK
 * or SHOP_EDB. Call inside the writer's shop_tx(). */
int	search_index_product(struct shop_ctx *ctx, int64_t product_id);

/*
 * One step of building the index of a shop whose search_version is 0:
 * indexes the next SEARCH_INDEX_STEP products (its own transaction),
 * or, past the last one, sets the shop's search_version to 1. Shops at
 * an older shop migration than 019 wait for soukctl migrate. Returns
 * 1 when it did something (call again), 0 when every shop is built,
 * -1 with err. Idempotent: two workers, or one restarted, only write
 * the same rows again.
 */
int	search_index_build_step(struct db *db, char *err, size_t errlen);

/* The whole index of one shop, now (soukctl shop reindex): every
 * product's rows rewritten, rows of products gone dropped, the shop
 * marked built. *products: how many were indexed. 0, or -1 with err. */
int	search_index_shop(struct db *db, int64_t tenant, int64_t *products,
	    char *err, size_t errlen);

#endif
