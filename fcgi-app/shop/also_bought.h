/*
 * also_bought.h: "Customers also bought" on a product's page and the
 * best sellers on the home page, from figures computed ahead of time.
 *
 * also_bought_build() reads the shop's orders (not cancelled) and
 * replaces two tables (sql/shop/009_also_bought.sql) in one
 * transaction, so a page sees the old figures or the new ones, never
 * half of them:
 *  - {p}also_bought: for each product, the ALSO_BOUGHT_MAX other
 *    active products found most often in the same orders of the last
 *    ALSO_BOUGHT_DAYS days (score: the number of such orders; ties by
 *    the lower id);
 *  - {p}best_sellers: the ALSO_BOUGHT_MAX active products that sold
 *    the most units in the last BEST_SELLERS_DAYS days.
 * souk-worker runs it for every shop once a day (config
 * also_bought_at, "03:00" server time by default); `soukctl shop
 * also-bought SLUG` runs it now. A shop without orders in the window
 * and with both tables empty costs one cheap statement.
 *
 * The pages read them with one statement each, and only when there is
 * something to show: the product page's own statement says whether
 * the product has rows (catalog.c, product_page.also_bought); the home
 * page's best sellers are kept by each worker for a while. A
 * product made inactive since the build is skipped when read. Results
 * live in ctx->a.
 */
#ifndef SOUK_SHOP_ALSO_BOUGHT_H
#define SOUK_SHOP_ALSO_BOUGHT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "shop/catalog.h"
#include "shop/ctx.h"

#define ALSO_BOUGHT_MAX		8
#define ALSO_BOUGHT_DAYS	365
#define BEST_SELLERS_DAYS	30

struct also_bought_stats {
	int64_t		 pairs;		/* rows written to also_bought */
	int64_t		 best;		/* rows written to best_sellers */
	int		 skipped;	/* nothing to do: one statement */
};

/*
 * Recomputes both tables of ctx's shop from its orders placed up to
 * now (its second included). SHOP_OK (with *st filled when st is not NULL) or SHOP_EDB.
 */
int	also_bought_build(struct shop_ctx *ctx, time_t now,
	    struct also_bought_stats *st);

/* Up to max (at most ALSO_BOUGHT_MAX) active products bought with
 * product_id, most often first, as product cards (catalog.h).
 * SHOP_OK or SHOP_EDB. */
int	also_bought_list(struct shop_ctx *ctx, int64_t product_id,
	    size_t max, struct product_list *out);

/* Up to max (at most ALSO_BOUGHT_MAX) best sellers still active, best
 * first, kept by the worker for a while (also_bought.c). SHOP_OK or
 * SHOP_EDB. */
int	also_bought_best_sellers(struct shop_ctx *ctx, size_t max,
	    struct product_list *out);

/* Frees this worker's cache of best sellers (at its exit). */
void	also_bought_cache_free(void);

#endif
