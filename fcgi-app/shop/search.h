/*
 * search.h: the storefront's product search.
 *
 * Words are matched against the names and descriptions of the request's
 * language (ctx->locale); a product that has no text in that language
 * is matched by its text in the shop's default language, the one its
 * page then shows. Results come in pages of CATALOG_PAGE, at most
 * SEARCH_PAGES of them, with the total number of matches (capped at
 * SEARCH_COUNT_CAP, with total_more set past it: no link reaches
 * further). Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_SEARCH_H
#define SOUK_SHOP_SEARCH_H

#include <stdint.h>
#include "core/str.h"
#include "shop/catalog.h"
#include "shop/ctx.h"

#define SEARCH_PAGES		41	/* pages 0 to 40 */
#define SEARCH_COUNT_CAP	(SEARCH_PAGES * CATALOG_PAGE)

struct search_query {
	struct str	 q;		/* words; required */
	int64_t		 category_id;	/* 0: any */
	int64_t		 min_price;	/* -1: none */
	int64_t		 max_price;	/* -1: none */
	enum catalog_sort sort;		/* NEWEST here means relevance */
	int64_t		 page;		/* 0-based, < SEARCH_PAGES */
};

struct search_result {
	struct product_list list;	/* this page; list.more: a next one */
	int64_t		 total;		/* matches, at most SEARCH_COUNT_CAP */
	int		 total_more;	/* more than total matched */
};

/* One page of the active products that match s. SHOP_EINVAL for an
 * empty q or a page out of range. */
int	search_products(struct shop_ctx *ctx, const struct search_query *s,
	    struct search_result *out);

#endif
