/*
 * selling.h: what a shop sells by: its settings, tax rates, shipping
 * zones and methods, read together and kept by each worker.
 *
 * Every checkout page and every order prices a cart with all four; they
 * change when the merchant saves one of the admin's sales pages, rarely.
 * selling_get() reads them (four statements) on its worker's first use
 * of the shop, then answers from the worker's cache (core/cache.h):
 * selling_changed(), called by every save of one of them, drops every
 * worker's copy of that shop's at once; a change made elsewhere (another
 * VM, soukctl, SQL) shows within SELLING_TTL_MS. The admin's own pages
 * read the tables directly (settings_get(), tax_rates_list(), ...).
 *
 * What selling_get() returns belongs to the worker's cache; it stays
 * valid until the request ends (ctx->selling remembers it, so the page
 * and the order's transaction see the same figures). Do not free it,
 * do not keep it across requests.
 */
#ifndef SOUK_SHOP_SELLING_H
#define SOUK_SHOP_SELLING_H

#include <stddef.h>
#include "shop/ctx.h"
#include "shop/settings.h"
#include "shop/shipping.h"
#include "shop/tax.h"

#define SELLING_TTL_MS	30000

struct selling {
	struct shop_settings	 settings;
	struct tax_rate		*rates;		/* tax_rates_list()'s order */
	size_t			 nrates;
	struct ship_zone	*zones;		/* by position */
	size_t			 nzones;
	struct ship_method	*methods;	/* every zone's, by zone id */
	size_t			 nmethods;
};

/* The shop's; SHOP_OK or SHOP_EDB. */
int	selling_get(struct shop_ctx *ctx, const struct selling **out);

/* The methods of zone_id within s (disabled ones too), by position:
 * *n of them from the returned one. */
const struct ship_method *selling_methods(const struct selling *s,
	    int64_t zone_id, size_t *n);

/* Makes every worker read the shop's again: call after a committed
 * change of its settings, tax rates, zones or methods. */
void	selling_changed(struct shop_ctx *ctx);

/* Frees this worker's cache (tests, leak checks). */
void	selling_cache_free(void);

#endif
