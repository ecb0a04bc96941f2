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
#include "shop/facet.h"

#define SEARCH_PAGES		41	/* pages 0 to 40 */
#define SEARCH_COUNT_CAP	(SEARCH_PAGES * CATALOG_PAGE)

struct search_query {
	struct str	 q;		/* words; required */
	int64_t		 category_id;	/* 0: any */
	int64_t		 min_price;	/* -1: none */
	int64_t		 max_price;	/* -1: none */
	const struct facet_filter *facets; /* NULL: none; resolved
					   (facet.h); its prices unused */
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

/*
 * The match of the words on products p, for the statements that count
 * what a search finds (facet.c): texts in the request's language, or in
 * the shop's default language for a product with no text in the
 * request's (the text its page then shows). Four parameters, bound by
 * search_bind_words() from index i (returns the next). ft: whether the
 * FULLTEXT form (SEARCH_FT_MATCH) or the substring one
 * (SEARCH_LIKE_MATCH) is used, as search_fulltext_can(q) says.
 */
#define SEARCH_IN_LANG \
	" AND (x.locale = ? OR (x.locale = ? AND NOT EXISTS (" \
	"SELECT 1 FROM {p}product_texts y WHERE y.product_id = x.product_id" \
	" AND y.locale = ?)))"
#define SEARCH_FT_MATCH \
	" WHERE p.status = 'active' AND p.id IN (" \
	"SELECT x.product_id FROM {p}product_texts x" \
	" WHERE MATCH(x.name, x.description) AGAINST (? IN BOOLEAN MODE)" \
	SEARCH_IN_LANG ")"
#define SEARCH_LIKE_MATCH \
	" WHERE p.status = 'active' AND p.id IN (" \
	"SELECT x.product_id FROM {p}product_texts x" \
	" WHERE (x.name LIKE ? OR x.description LIKE ?)" \
	SEARCH_IN_LANG ")"

/*
 * The shop's own index (search_index.h), once built
 * (ctx->search_indexed): every word of the query must match, each as
 * the start of a word of the text (a CJK run by all of its character
 * pairs), one condition each, at most SEARCH_TERMS_MAX. A condition is
 * a range of terms, bound by search_bind_terms(): [w, w + 0xff] for a
 * word or one CJK character (no UTF-8 byte is 0xff, so it holds every
 * term w starts), [t, t] for a pair. SEARCH_TERMS(n) is the WHERE clause of n conditions; its
 * products are the active ones. Each condition takes five parameters.
 */
#define SEARCH_TERMS_MAX	8
#define SEARCH_TERM_IN \
	" AND p.id IN (SELECT x.product_id FROM {p}search_terms x" \
	" WHERE x.term BETWEEN ? AND ?" SEARCH_IN_LANG ")"
#define SEARCH_TERMS_1	" WHERE p.status = 'active'" SEARCH_TERM_IN
#define SEARCH_TERMS_2	SEARCH_TERMS_1 SEARCH_TERM_IN
#define SEARCH_TERMS_3	SEARCH_TERMS_2 SEARCH_TERM_IN
#define SEARCH_TERMS_4	SEARCH_TERMS_3 SEARCH_TERM_IN
#define SEARCH_TERMS_5	SEARCH_TERMS_4 SEARCH_TERM_IN
#define SEARCH_TERMS_6	SEARCH_TERMS_5 SEARCH_TERM_IN
#define SEARCH_TERMS_7	SEARCH_TERMS_6 SEARCH_TERM_IN
#define SEARCH_TERMS_8	SEARCH_TERMS_7 SEARCH_TERM_IN
/* SEARCH_TERMS_MAX struct shop_sql initialisers, for 1 to 8
 * conditions, named name1 to name8. */
#define SEARCH_TERMS_SQL(name, head, tail) \
	{ name "1", head SEARCH_TERMS_1 tail }, \
	{ name "2", head SEARCH_TERMS_2 tail }, \
	{ name "3", head SEARCH_TERMS_3 tail }, \
	{ name "4", head SEARCH_TERMS_4 tail }, \
	{ name "5", head SEARCH_TERMS_5 tail }, \
	{ name "6", head SEARCH_TERMS_6 tail }, \
	{ name "7", head SEARCH_TERMS_7 tail }, \
	{ name "8", head SEARCH_TERMS_8 tail }

/* A query's conditions (term ranges), in ctx->a. n 0: nothing in the
 * query can match (it has no letter nor digit). */
struct search_terms {
	struct str	lo[SEARCH_TERMS_MAX];
	struct str	hi[SEARCH_TERMS_MAX];
	size_t		n;
};

void	search_terms_of(struct shop_ctx *ctx, struct str q,
	    struct search_terms *out);
unsigned search_bind_terms(struct shop_ctx *ctx, struct db_stmt *st,
	    unsigned i, const struct search_terms *t);

/*
 * Everything besides the languages that varies what a search finds
 * (the words, the category, the price range, the values, the sort, the
 * page), as a text for list_cache.h's params: each variable field
 * with its length, so two different searches never write the same
 * text. In ctx->a.
 */
struct str search_cache_params(struct shop_ctx *ctx, struct str q,
	    int64_t category_id, const struct facet_filter *f,
	    const struct facet_bind *b, int sort, int64_t page);

unsigned search_bind_words(struct shop_ctx *ctx, struct db_stmt *st,
	    unsigned i, struct str q, int ft);

/*
 * Whether the FULLTEXT index can answer q: InnoDB indexes words of 3
 * characters or more separated by spaces; the rest (2-letter words,
 * Japanese) falls back to substrings of names and descriptions.
 */
int	search_fulltext_can(struct str q);

#endif
