/*
 * facet.h: filtering a category page or a search by attribute values
 * (Size: M, Colour: Blue) and a price range, with the number of
 * products each value would give.
 *
 * The shop's attributes and their values are the rows of {p}attributes
 * (parent_id 0: an attribute; else a value of that attribute), named
 * per language in {p}attribute_texts; the values a product offers are
 * its rows of {p}product_values (sql/shop/004_catalog.sql).
 *
 * Selection, as shops usually do it: values of one attribute are OR'd
 * (Size M or L), attributes are AND'ed (and Colour Blue). The count of
 * a value is the number of products of the page's set (category or
 * search words, price range, and the selection of the *other*
 * attributes) that offer it: what the shopper gets by ticking it in
 * addition (or, for a ticked value, by ticking only it of its
 * attribute).
 *
 * Everything returned lives in ctx->a. Functions return SHOP_OK or a
 * negative enum shop_err (ctx.h).
 */
#ifndef SOUK_SHOP_FACET_H
#define SOUK_SHOP_FACET_H

#include <stdint.h>
#include "core/str.h"
#include "shop/catalog.h"
#include "db/db.h"
#include "shop/ctx.h"

/* Values a filter holds: a link with more is capped to the first ones
 * (each selected attribute is a bit of a mask in SQL: at most
 * FACET_MAX_ATTRS of them). */
#define FACET_MAX_VALUES	16
#define FACET_MAX_ATTRS		8

/* What the shopper chose. Value ids not of this shop, or attributes
 * themselves, are dropped by facet_counts() and facet_resolve(). */
struct facet_filter {
	int64_t		 values[FACET_MAX_VALUES];	/* ids, no repeats */
	size_t		 nvalues;
	int64_t		 min_price;	/* minor units; -1: none */
	int64_t		 max_price;	/* -1: none */
};

struct facet_value {
	int64_t		 id;
	struct str	 slug;
	struct str	 name;		/* in ctx->locale (default, slug) */
	int64_t		 count;		/* products with it, see above */
	int		 selected;
};

struct facet_attr {
	int64_t		 id;
	struct str	 slug;
	struct str	 name;
	struct facet_value *v;		/* by position, then id */
	size_t		 n;
	int		 selected;	/* one of its values is */
};

struct facet_set {
	struct facet_attr *a;		/* by position, then id */
	size_t		 n;
};

/* Adds value id to f unless it is there or f is full: returns 0, or -1
 * when full (the caller caps, and may say so). */
int	facet_filter_add(struct facet_filter *f, int64_t id);

/* Nonzero when f selects anything (a value or a price bound). */
int	facet_filter_active(const struct facet_filter *f);

/*
 * How long a worker keeps a category's rows (facet.c: every active
 * product's id, price, sale and values), from which a category page's
 * counts and products in every sort are computed. catalog_changed()
 * drops them at once (every save through the pool calls it); a change
 * made elsewhere (soukctl, SQL, another VM) shows within this long.
 */
#define FACET_ROWS_TTL_MS	30000

/*
 * The counts of every value offered by a product of the set: category
 * category_id (0: every category) and, when q is not empty, the search
 * words q (as search.h matches them), filtered by f (the price range
 * is of the price now, sale.h). Attributes and values no product of
 * the set offers are left out, selected ones stay (with a count of 0).
 * A category's (q empty) are counted from its rows kept by the worker
 * (FACET_ROWS_TTL_MS), a search's by one statement; the shop's
 * attributes are cached per worker as categories are. Drops from f
 * the ids that are not values of this shop.
 */
int	facet_counts(struct shop_ctx *ctx, int64_t category_id,
	    struct str q, struct facet_filter *f, struct facet_set *out);

/*
 * One page of the active products of category category_id filtered by
 * f (nothing selected: the whole category), in sort order after cursor
 * (catalog_list()'s keyset pages; the price sorts by the price now,
 * computed at this request's time). From the category's kept rows:
 * the sort and the filter in the worker, then one primary-key read of
 * the page; a category too big to keep goes through statements that
 * sort in MariaDB. Call facet_counts() or facet_resolve() on f first.
 */
int	facet_list(struct shop_ctx *ctx, int64_t category_id,
	    const struct facet_filter *f, enum catalog_sort sort,
	    const struct catalog_cursor *after, struct product_list *out);

/* Drops from f the ids that are not values of this shop (from the
 * cached attributes). */
int	facet_resolve(struct shop_ctx *ctx, struct facet_filter *f);

/*
 * The selection as the two JSON texts the facet filter of a statement
 * binds (FACET_MATCH): [[value, bit], ...] and [[attribute, bit], ...],
 * with the mask of every bit. In ctx->a. f must be resolved.
 */
struct facet_bind {
	struct str	 values;
	struct str	 attrs;
	int64_t		 full;		/* 0: nothing selected */
};

int	facet_bind_of(struct shop_ctx *ctx, const struct facet_filter *f,
	    struct facet_bind *out);

/*
 * The filter for a statement on products p (search.c's): the price
 * range (of the price now, sale.h) and the selection. Five parameters, bound by facet_bind():
 * min, max, full, values, full again. Returns the next index.
 */
#define FACET_MATCH \
	" AND " SALE_PRODUCT_PRICE " BETWEEN ? AND ?" \
	" AND (? = 0 OR (SELECT BIT_OR(j.b) FROM {p}product_values s" \
	" JOIN JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$[0]'," \
	" b BIGINT PATH '$[1]')) j ON j.v = s.value_id" \
	" WHERE s.product_id = p.id) = ?)"

unsigned facet_bind(struct db_stmt *st, unsigned i,
	    const struct facet_filter *f, const struct facet_bind *b);

/* Frees the worker's attribute cache (at worker exit). */
void	facet_cache_free(void);

/*
 * The shop's attributes and values with their names in ctx->locale (the
 * default language's, the slug), as the worker keeps them for the
 * facets: the attributes by position, then id; then the values, by
 * attribute id, each attribute's by position, then id. For whoever
 * shows a product's values (shop/product_query.c) without joining the
 * names in at each read. *out lives in ctx->a.
 */
struct facet_name {
	int64_t		 id;
	int64_t		 parent_id;	/* 0: an attribute */
	struct str	 slug;
	struct str	 name;
};

int	facet_names(struct shop_ctx *ctx, const struct facet_name **out,
	    size_t *n);

#endif
