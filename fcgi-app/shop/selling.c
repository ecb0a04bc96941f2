/* selling.c: a shop's settings, tax rates, zones and methods, kept by
 * each worker (see selling.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/xalloc.h"
#include "shop/selling.h"
#include "shop/shop.h"

#include <stdlib.h>

#define SELLING_CACHE_SLOTS	256

/* A cached copy: everything in its own arena, freed with it. */
struct kept {
	struct arena	a;
	struct selling	s;
};

static struct cache *selling_cache;

static void
kept_free(void *v)
{
	struct kept *k = v;

	if (k == NULL)
		return;
	arena_free(&k->a);
	free(k);
}

void
selling_cache_free(void)
{
	cache_free(selling_cache);
	selling_cache = NULL;
}

/* The four reads, into k's arena. */
static int
load(struct shop_ctx *ctx, struct kept *k)
{
	struct shop_ctx	in = *ctx;
	int		rc;

	in.a = &k->a;
	if ((rc = settings_get(&in, &k->s.settings)) != SHOP_OK ||
	    (rc = tax_rates_list(&in, &k->s.rates, &k->s.nrates)) !=
	    SHOP_OK ||
	    (rc = ship_zones_list(&in, &k->s.zones, &k->s.nzones)) !=
	    SHOP_OK)
		return rc;
	return ship_methods_all(&in, &k->s.methods, &k->s.nmethods);
}

int
selling_get(struct shop_ctx *ctx, const struct selling **out)
{
	struct kept	*k;
	void		*v;
	const char	*key;
	int		 rc;

	if (ctx->selling != NULL) {
		*out = ctx->selling;
		return SHOP_OK;
	}
	if (selling_cache == NULL)
		selling_cache = cache_new(SELLING_CACHE_SLOTS, kept_free);
	/* Keyed by the currency: the defaults follow it. */
	key = ctx->currency != NULL ? ctx->currency : "";
	if (cache_get(selling_cache, ctx->tenant, key, &v) && v != NULL) {
		k = v;
		*out = ctx->selling = &k->s;
		return SHOP_OK;
	}
	k = xcalloc(1, sizeof(*k));
	arena_init(&k->a);
	if ((rc = load(ctx, k)) != SHOP_OK) {
		kept_free(k);
		return rc;
	}
	cache_put(selling_cache, ctx->tenant, key, ctx->tenant, k,
	    SELLING_TTL_MS);
	*out = ctx->selling = &k->s;
	return SHOP_OK;
}

const struct ship_method *
selling_methods(const struct selling *s, int64_t zone_id, size_t *n)
{
	size_t i, j;

	for (i = 0; i < s->nmethods && s->methods[i].zone_id != zone_id; i++)
		;
	for (j = i; j < s->nmethods && s->methods[j].zone_id == zone_id; j++)
		;
	*n = j - i;
	return s->methods + i;
}

void
selling_changed(struct shop_ctx *ctx)
{
	ctx->selling = NULL;
	cache_bump(ctx->tenant);
}
