/*
 * catalog.h: a shop's products, their variants and images.
 *
 * Reads for the storefront (featured products, category pages with
 * keyset pagination, product pages) and writes for the admin (create,
 * update, delete with field-level validation, each one transaction run
 * by shop_tx()). Texts (names, descriptions) exist per language; a read
 * in a language a product has no text for falls back to the shop's
 * default language. Categories are category.h's, search is search.h's;
 * the names stay catalog_* here because they are the products' module.
 *
 * Everything returned lives in ctx->a. Functions return SHOP_OK or a
 * negative enum shop_err (ctx.h).
 */
#ifndef SOUK_SHOP_CATALOG_H
#define SOUK_SHOP_CATALOG_H

#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "db/db.h"
#include "shop/category.h"
#include "shop/ctx.h"
#include "shop/sale.h"
#include "shop/shop.h"

struct gallery_image;

#define CATALOG_PAGE	24	/* products on a category or search page */
#define CATALOG_MAX_LOCALES 8

struct product {
	int64_t		 id;
	struct str	 slug;
	struct str	 sku;
	int64_t		 category_id;
	int64_t		 price;		/* minor units, shop currency */
	int64_t		 price_now;	/* its sale price while it runs
					   (sale.h), else price */
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
	int64_t		 price_now;	/* with a running sale (sale.h) */
	int64_t		 stock;
};

/*
 * A product's texts in one language. description is what the merchant
 * typed: plain text, or HTML (richtext_is_html()) that a save sanitises
 * (core/richtext.h) into description_html, keeping its plain text in
 * description. Read back, description_html.p is NULL when the
 * description is plain text (written before rich text, or without
 * tags).
 */
struct product_text {
	char		 locale[9];
	struct str	 name;
	struct str	 description;
	struct str	 description_html;
};

/* A product with what its page shows. */
struct product_page {
	struct product	 p;
	struct variant	*variants;
	size_t		 nvariants;
	struct str	*images;
	size_t		 nimages;
	struct category	 cat;		/* id 0 when none */
	/* The sanitised description to show as is; .p NULL: p.description
	 * is plain text (shown escaped, in paragraphs). */
	struct str	 description_html;
	/* Other products were bought with it: also_bought_list() has
	 * something to show (shop/also_bought.h). */
	int		 also_bought;
	/* The gallery (shop/gallery.h), alt texts in the context's
	 * language; alt_json and source_url are not filled. */
	struct gallery_image *gallery;
	size_t		 ngallery;
};

enum catalog_sort {
	CATALOG_SORT_NEWEST = 0,
	CATALOG_SORT_PRICE_ASC,
	CATALOG_SORT_PRICE_DESC,
	CATALOG_SORT__MAX
};

/* A keyset position: the last row of the previous page. price is its
 * price now (price_now), what the price sorts order by. */
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

/* Up to limit featured active products, newest first (then any active
 * products when fewer are featured), as cards (no description). */
int	catalog_featured(struct shop_ctx *ctx, size_t limit,
	    struct product_list *out);

/* One page of active products of a category (0: all), after cursor,
 * in sort order (the price sorts: by the price now, sale.h), as cards
 * (no description). */
int	catalog_list(struct shop_ctx *ctx, int64_t category_id,
	    enum catalog_sort sort, const struct catalog_cursor *after,
	    struct product_list *out);

/* The active product with this slug, with variants, images and
 * gallery: from the pool's shared copy when a worker read it a moment
 * ago (shop/product_page_cache.h), else in one statement and the
 * gallery's. */
int	catalog_product_page(struct shop_ctx *ctx, struct str slug,
	    struct product_page *out);

/* --- admin ---------------------------------------------------------- */

/* A page of every product (drafts too), newest first, after id (0:
 * first page), optionally filtered by words in name or SKU. */
int	catalog_admin_list(struct shop_ctx *ctx, struct str filter,
	    int64_t after_id, struct product_list *out);

/* A product for editing, with its texts in every language. */
int	catalog_product_get(struct shop_ctx *ctx, int64_t id,
	    struct product *out, struct product_text **texts, size_t *ntexts);

/* A product's sale as saved (the admin's form): sale -1 when none,
 * from and to 0 when open (UTC). */
struct catalog_sale {
	int64_t		 sale_price;
	int64_t		 from, to;
};
int	catalog_sale_get(struct shop_ctx *ctx, int64_t id,
	    struct catalog_sale *out);

/* What the admin form sends, already decoded (not yet validated). */
struct product_input {
	struct str	 slug;
	struct str	 sku;
	struct str	 price;		/* as typed: "12.50" */
	struct str	 stock;
	struct str	 category_id;	/* "" or an id of this shop */
	struct str	 sale_price;	/* "" (none) or as typed */
	struct str	 sale_from;	/* "" or sale_parse_time()'s forms */
	struct str	 sale_to;
	int		 active;
	int		 featured;
	/* .p NULL: kept as saved (a new product: standard, 0 g); the
	 * admin's form has neither, the API both. */
	struct str	 tax_class;	/* "standard", "reduced", "zero" */
	struct str	 weight_g;	/* whole grams as typed */
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

/*
 * Makes every worker's copies of the shop's product rows stale: the
 * rows facet.c keeps per category (and, core/cache.h having one
 * generation a shop, the shop's other cached data with them). Call
 * after a committed change of a product's category, status, price,
 * sale or values (product_values); catalog_product_save() and
 * catalog_product_delete() do. A change made elsewhere (soukctl, SQL)
 * shows within facet.h's FACET_ROWS_TTL_MS.
 */
void	catalog_changed(struct shop_ctx *ctx);

/* The number of products of the shop (demo loader, operator). */
int	catalog_count(struct shop_ctx *ctx, int64_t *n);

/* Adds a variant to a product (demo data, admin later). */
int	catalog_variant_add(struct shop_ctx *ctx, int64_t product_id,
	    const char *name, int64_t price, int64_t stock);

/* --- for the shop/ modules that list products (search.c) ------------ */

/*
 * The columns every product list reads and
 * the joins they need: texts in the request's language with the shop's
 * default as fallback, two LEFT JOINs on the same primary key (cheaper
 * than a second round trip). The joins take two parameters first,
 * bound by catalog_bind_locales() (returns the next index).
 */
#define CATALOG_P_COLS \
	"p.id, p.slug, p.sku, COALESCE(p.category_id, 0), p.price, " \
	"p.stock, p.status = 'active', p.featured, p.image, " \
	"COALESCE(t.name, d.name, p.slug), " \
	"COALESCE(t.description, d.description, ''), " \
	SALE_PRODUCT_PRICE
/* The same for a product card (lists, search, also-bought): no card
 * shows the description, and reading it sent every TEXT of the page
 * over the wire and into each sort (description is ""). */
#define CATALOG_CARD_COLS \
	"p.id, p.slug, p.sku, COALESCE(p.category_id, 0), p.price, " \
	"p.stock, p.status = 'active', p.featured, p.image, " \
	"COALESCE(t.name, d.name, p.slug), '', " \
	SALE_PRODUCT_PRICE
#define CATALOG_P_FROM \
	" FROM {p}products p" \
	" LEFT JOIN {p}product_texts t" \
	" ON t.product_id = p.id AND t.locale = ?" \
	" LEFT JOIN {p}product_texts d" \
	" ON d.product_id = p.id AND d.locale = ?"

unsigned catalog_bind_locales(struct shop_ctx *ctx, struct db_stmt *st);

/*
 * The keyset conditions and orders of the three sorts, after the WHERE
 * of products p: the id (NEWEST, one parameter), or the price now and
 * the id (three: price, price, id), then the LIMIT.
 *
 * The price sorts order by the price a shopper pays, SALE_PRODUCT_PRICE
 * (the sale price while a sale runs), and so does the keyset cursor.
 * That price depends on the current time, so no generated column or
 * index can hold it. The choice made: no stored "price now" column
 * (it would need a souk-worker job at every sale's start and end, and
 * every writer of prices, the importer included, to keep it right, or
 * pages would sort by a stale price); instead
 *  - a category page (the storefront's sorted pages) sorts in the
 *    worker, from the category's rows it keeps (facet_list(),
 *    facet.c): each product's price, sale and dates, priced at the
 *    request's time, a page then read by primary key;
 *  - these statements (the shop-wide list, a category too big for the
 *    worker's rows, search) let MariaDB sort the rows that pass the
 *    WHERE by the expression: unindexed, bounded by the category or
 *    the search's matches.
 * A sale that starts or ends between two pages moves its product
 * across the cursor: that page may then show it twice or skip it.
 */
#define CATALOG_KEY_NEWEST " AND p.id < ? ORDER BY p.id DESC LIMIT ?"
#define CATALOG_KEY_ASC \
	" AND (" SALE_PRODUCT_PRICE " > ? OR (" SALE_PRODUCT_PRICE " = ?" \
	" AND p.id > ?)) ORDER BY " SALE_PRODUCT_PRICE ", p.id LIMIT ?"
#define CATALOG_KEY_DESC \
	" AND (" SALE_PRODUCT_PRICE " < ? OR (" SALE_PRODUCT_PRICE " = ?" \
	" AND p.id < ?)) ORDER BY " SALE_PRODUCT_PRICE " DESC, p.id DESC" \
	" LIMIT ?"

/* Binds the keyset parameters of sort after (NULL or id 0: the first
 * page) from index i, without the LIMIT; returns the next index. */
unsigned catalog_bind_key(struct db_stmt *st, unsigned i,
	    enum catalog_sort sort, const struct catalog_cursor *after);

/* The active products of ids[0..n) (n at most CATALOG_PAGE), in that
 * order, as cards (CATALOG_CARD_COLS), into out (in ctx->a); only those of category_id unless it is
 * 0. A product gone or made inactive since the ids were kept is left
 * out. SHOP_OK, SHOP_EINVAL (n too big), SHOP_EDB. */
int	catalog_by_ids(struct shop_ctx *ctx, const int64_t *ids, size_t n,
	    int64_t category_id, struct product_list *out);

/* Reads up to max rows of CATALOG_P_COLS (or CATALOG_CARD_COLS: the
 * description "") from executed st into out (in
 * ctx->a); one row more than max sets out->more. */
int	catalog_read_list(struct shop_ctx *ctx, struct db_stmt *st,
	    size_t max, struct product_list *out);

/* Reads the CATALOG_P_COLS of st's current row (columns 0 to 11) into
 * p; its texts live with the row (ctx->a). */
void	catalog_read_product(struct db_stmt *st, struct product *p);

/* A LIKE pattern "%q%" with the LIKE metacharacters escaped, in a. */
struct str catalog_like_pattern(struct arena *a, struct str q);

#endif
