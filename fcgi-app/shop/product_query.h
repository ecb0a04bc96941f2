/*
 * product_query.h: products read the way the shop's API lists them
 * (web/wc_products.c): filters, sorts and offset paging with the total
 * count, drafts included, and what each product of a page carries
 * (variants, images) in one statement for the whole page, never
 * one per product.
 *
 * A page costs two round trips: its ids (LIMIT rows in the order's
 * index, no window function, no WHERE without filters), then the
 * products of those ids with what they carry (variants, values
 * offered, units sold) as columns of their rows; a third reads the
 * images of those that have some; a fourth counts the total when the
 * page is not the last, kept by the worker a few seconds per shop and
 * filters (product_query.c, count()). Products by id are primary-key
 * reads. Categories' names come from category_list()'s cache, the
 * attributes' from facet_names()'s.
 *
 * NEEDSWORK: the title, price and popularity orders sort every
 * matching product (popularity sums each product's order lines by
 * their product index): fine for thousands of products.
 *
 * Everything returned lives in ctx->a. Functions return SHOP_OK or a
 * negative enum shop_err (ctx.h).
 */
#ifndef SOUK_SHOP_PRODUCT_QUERY_H
#define SOUK_SHOP_PRODUCT_QUERY_H

#include <stdint.h>
#include "core/str.h"
#include "shop/catalog.h"
#include "shop/ctx.h"

/* The most products one page may hold (WooCommerce's per_page max). */
#define PRODUCT_QUERY_MAX	100

enum product_query_order {
	PQ_ORDER_DATE,
	PQ_ORDER_ID,
	PQ_ORDER_TITLE,
	PQ_ORDER_PRICE,
	PQ_ORDER_POPULARITY,	/* units sold (total_sales) */
	PQ_ORDER__MAX
};

struct product_query {
	int64_t		 id;		/* > 0: this product only */
	struct str	 search;	/* words in name or SKU; "" none */
	int64_t		 category;	/* 0: any; else it or a descendant */
	struct str	 sku;		/* exact; "" any */
	int		 status;	/* -1 any, 0 draft, 1 active */
	int		 in_stock;	/* -1 any, 0 out of stock, 1 in */
	enum product_query_order order;
	int		 desc;
	int64_t		 offset;	/* >= 0 */
	int64_t		 limit;		/* 1..PRODUCT_QUERY_MAX */
};

struct pq_image {
	int64_t		 id;
	struct str	 path;		/* under /media/ */
	struct str	 alt;		/* the JSON object by language */
};

/* An attribute of the shop with the values a product offers. */
struct pq_attribute {
	int64_t		 id;
	struct str	 name;		/* in the request's language */
	struct str	*opts;		/* the values' names */
	size_t		 nopts, ocap;
};

struct pq_variant {
	int64_t		 id;
};

struct pq_product {
	struct product	 p;		/* catalog.h's columns */
	int64_t		 sale_price;	/* minor units; -1 none */
	struct str	 sale_from;	/* "YYYY-MM-DD HH:MM:SS" UTC or "" */
	struct str	 sale_to;
	int		 on_sale;	/* the sale runs now */
	struct str	 created;	/* UTC, as above */
	struct str	 modified;
	struct str	 tax_class;	/* "standard", "reduced", "zero" */
	int64_t		 weight_g;
	struct str	 description_html;	/* "" when plain text */
	int		 in_stock;	/* its stock, or a variant's, > 0 */
	int64_t		 total_sales;	/* units in orders not pending or
					   cancelled */
	struct pq_variant *variants;
	size_t		 nvariants;
	struct pq_image	*images;
	size_t		 nimages;
	struct pq_attribute *attributes;
	size_t		 nattributes;
};

struct pq_result {
	struct pq_product *v;
	size_t		 n;
	int64_t		 total;		/* rows matching, all pages */
};

/*
 * The page of products q asks for, each with its variants and images,
 * and the total. SHOP_OK (n may be 0), or SHOP_EDB.
 */
int	product_query(struct shop_ctx *ctx, const struct product_query *q,
	    struct pq_result *out);

/*
 * The two halves of product_query(), for a caller that keeps products
 * (wc_product_json_texts()): the ids of the page q asks for (*n of
 * them, in order, in ctx->a) with the total; then the products of ids
 * (n <= PRODUCT_QUERY_MAX), whatever their status, in the order of
 * ids, those not found left out (out->total is out->n). SHOP_OK,
 * SHOP_EINVAL, SHOP_EDB.
 */
int	product_query_page(struct shop_ctx *ctx, const struct product_query *q,
	    int64_t **ids, size_t *n, int64_t *total);
int	product_query_ids(struct shop_ctx *ctx, const int64_t *ids, size_t n,
	    struct pq_result *out);

/* A variant's value of one attribute, as a variation's attributes
 * show it ({id, name, option}). */
struct pq_variation_value {
	int64_t		 variant_id;
	int64_t		 attribute_id;
	struct str	 attribute;	/* in the request's language */
	struct str	 option;	/* the value's name */
};

/*
 * The values of every variant of product_id, by variant (in their
 * order), then attribute: one round trip for a product's variations.
 * SHOP_OK (*n may be 0), SHOP_EDB.
 */
int	product_query_variation_values(struct shop_ctx *ctx,
	    int64_t product_id, struct pq_variation_value **out, size_t *n);

/* How many published products each category, or each attribute value,
 * has (WooCommerce's "count" of a term): one grouped read for the
 * shop; ids without products are left out. */
enum pq_count {
	PQ_COUNT_CATEGORIES,
	PQ_COUNT_VALUES,
};

struct pq_count_row {
	int64_t		 id;
	int64_t		 count;
};

int	product_query_counts(struct shop_ctx *ctx, enum pq_count which,
	    struct pq_count_row **out, size_t *n);

#endif
