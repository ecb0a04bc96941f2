/*
 * catalog.h: a shop's products, variants, images and categories.
 *
 * Reads for the storefront (featured products, category pages with
 * keyset pagination, product pages, search) and writes for the admin
 * (create, update, delete with field-level validation). Texts (names,
 * descriptions) exist per language; a read in a language a product has
 * no text for falls back to the shop's default language.
 *
 * Everything returned lives in ctx->a. Functions return SHOP_OK or a
 * negative enum shop_err (ctx.h).
 */
#ifndef SOUK_SHOP_CATALOG_H
#define SOUK_SHOP_CATALOG_H

#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"

#define CATALOG_PAGE	24	/* products on a category or search page */
#define CATALOG_MAX_LOCALES 8

struct category {
	int64_t		 id;
	int64_t		 parent_id;	/* 0: top level */
	struct str	 slug;
	struct str	 name;
	int64_t		 position;
};

struct product {
	int64_t		 id;
	struct str	 slug;
	struct str	 sku;
	int64_t		 category_id;
	int64_t		 price;		/* minor units, shop currency */
	int64_t		 stock;
	int		 active;
	int		 featured;
	struct str	 image;		/* main image path under /media/ */
	struct str	 name;		/* in the context's language */
	struct str	 description;
};

struct variant {
	int64_t		 id;
	struct str	 sku;
	struct str	 name;
	int64_t		 price;		/* resolved: the product's if NULL */
	int64_t		 stock;
};

struct product_text {
	char		 locale[9];
	struct str	 name;
	struct str	 description;
};

/* A product with what its page shows. */
struct product_page {
	struct product	 p;
	struct variant	*variants;
	size_t		 nvariants;
	struct str	*images;
	size_t		 nimages;
	struct category	 cat;		/* id 0 when none */
};

enum catalog_sort {
	CATALOG_SORT_NEWEST = 0,
	CATALOG_SORT_PRICE_ASC,
	CATALOG_SORT_PRICE_DESC,
	CATALOG_SORT__MAX
};

/* A keyset position: the last row of the previous page. */
struct catalog_cursor {
	int64_t		 price;
	int64_t		 id;		/* 0: first page */
};

struct product_list {
	struct product	*v;
	size_t		 n;
	int		 more;		/* a next page exists */
	struct catalog_cursor next;	/* cursor of the next page */
};

/* "newest", "price-asc", "price-desc" (NULL or unknown: newest). */
enum catalog_sort catalog_sort_parse(const struct str *s);
const char	*catalog_sort_name(enum catalog_sort s);

/* Parses "price.id" / "id" into c; -1 when malformed. */
int	catalog_cursor_parse(struct str s, struct catalog_cursor *c);

/* All categories, ordered by parent then position. Served from a
 * per-worker cache (see catalog.c); a copy in ctx->a. */
int	catalog_categories(struct shop_ctx *ctx, struct category **out,
	    size_t *n);
int	catalog_category_by_slug(struct shop_ctx *ctx, struct str slug,
	    struct category *out);

/* Up to limit featured active products, newest first (then any active
 * products when fewer are featured). */
int	catalog_featured(struct shop_ctx *ctx, size_t limit,
	    struct product_list *out);

/* One page of active products of a category (0: all), after cursor. */
int	catalog_list(struct shop_ctx *ctx, int64_t category_id,
	    enum catalog_sort sort, const struct catalog_cursor *after,
	    struct product_list *out);

/* The active product with this slug, with variants and images. */
int	catalog_product_page(struct shop_ctx *ctx, struct str slug,
	    struct product_page *out);

struct catalog_search {
	struct str	 q;		/* words; required */
	int64_t		 category_id;	/* 0: any */
	int64_t		 min_price;	/* -1: none */
	int64_t		 max_price;	/* -1: none */
	enum catalog_sort sort;		/* NEWEST here means relevance */
	int64_t		 page;		/* 0-based; results are capped */
};

/* Full-text search over names and descriptions in the context's
 * language. */
int	catalog_search(struct shop_ctx *ctx, const struct catalog_search *s,
	    struct product_list *out);

/* --- admin ---------------------------------------------------------- */

/* A page of every product (drafts too), newest first, after id (0:
 * first page), optionally filtered by words in name or SKU. */
int	catalog_admin_list(struct shop_ctx *ctx, struct str filter,
	    int64_t after_id, struct product_list *out);

/* A product for editing, with its texts in every language. */
int	catalog_product_get(struct shop_ctx *ctx, int64_t id,
	    struct product *out, struct product_text **texts, size_t *ntexts);

/* What the admin form sends, already decoded (not yet validated). */
struct product_input {
	struct str	 slug;
	struct str	 sku;
	struct str	 price;		/* as typed: "12.50" */
	struct str	 stock;
	struct str	 category_id;	/* "" or an id of this shop */
	int		 active;
	int		 featured;
	struct product_text texts[CATALOG_MAX_LOCALES];
	size_t		 ntexts;
};

/* Field-level validation errors (core/field.h): field name and an
 * untranslated msgid (web/ translates it). */

/*
 * Checks in as catalog_product_save() does, saving nothing: SHOP_OK,
 * SHOP_EINVAL with errs filled, or SHOP_EDB (the category lookup).
 * For a form whose other fields failed already, to show every message
 * at once.
 */
int	catalog_product_check(struct shop_ctx *ctx,
	    const struct product_input *in, struct field_errors *errs);

/*
 * Validates in and creates (id == 0; *id_out set) or updates product
 * id, with its texts, in one transaction. SHOP_EINVAL fills errs;
 * SHOP_ECONFLICT adds an error on "slug"; SHOP_ENOTFOUND when id is not
 * a product of this shop.
 */
int	catalog_product_save(struct shop_ctx *ctx, int64_t id,
	    const struct product_input *in, struct field_errors *errs,
	    int64_t *id_out);

/* Deletes a product of this shop with its texts, variants and images. */
int	catalog_product_delete(struct shop_ctx *ctx, int64_t id);

/* Sets the main image of a product (and adds it to its images). */
int	catalog_product_set_image(struct shop_ctx *ctx, int64_t id,
	    const char *path);

/* Creates a category with its name in the context's language. */
int	catalog_category_create(struct shop_ctx *ctx, struct str slug,
	    struct str name, int64_t parent_id, struct field_errors *errs,
	    int64_t *id_out);

/* Sets the name of category id in locale. */
int	catalog_category_set_name(struct shop_ctx *ctx, int64_t id,
	    const char *locale, struct str name);

/* The number of products of the shop (demo loader, operator). */
int	catalog_count(struct shop_ctx *ctx, int64_t *n);

/* Adds a variant to a product (demo data, admin later). */
int	catalog_variant_add(struct shop_ctx *ctx, int64_t product_id,
	    const char *name, int64_t price, int64_t stock);

/* Frees the worker's category cache (at worker exit). */
void	catalog_cache_free(void);

/* Valid product/category slug: a-z0-9-, 1..120, no leading '-'. */
int	catalog_slug_valid(struct str s);

#endif
