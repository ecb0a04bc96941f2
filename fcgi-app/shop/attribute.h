/*
 * attribute.h: a shop's attributes (Size, Colour, Material, or the
 * merchant's own) and their values (S, M, L), with names per language,
 * and what is made of them: a product's variants, one per combination
 * of chosen values, and the values a product offers.
 *
 * Attributes and values share {p}attributes: parent_id 0 is an
 * attribute, a value's parent_id its attribute; there is no deeper
 * level. Invariants every write here keeps, in its transaction:
 * - a variant made from values has one {p}variant_values row per
 *   attribute it varies in, and its name ("M / Blue") is its values'
 *   names in the shop's default language, in the attributes' order
 *   (the product page's menu, the cart and orders show that name);
 * - {p}product_values of a product with variants is the union of its
 *   variants' values (the facets count them); of a product without
 *   variants, the values the merchant gave it.
 * Every id a caller passes is checked against this shop's tables: an
 * id of another shop, or of another product, is SHOP_ENOTFOUND or a
 * field error, never a write.
 *
 * Everything returned lives in ctx->a. Functions return SHOP_OK or a
 * negative enum shop_err (ctx.h).
 */
#ifndef SOUK_SHOP_ATTRIBUTE_H
#define SOUK_SHOP_ATTRIBUTE_H

#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/shop.h"

#define ATTRIBUTE_MAX_LOCALES	8
#define ATTRIBUTE_MAX		2000	/* attributes and values read */
#define ATTRIBUTE_MAX_VARIANTS	200	/* variants of one product */
#define ATTRIBUTE_MAX_PICKS	64	/* values chosen at once */

struct attribute {
	int64_t		 id;
	int64_t		 parent_id;	/* 0: an attribute; else a value */
	struct str	 slug;
	struct str	 name;		/* ctx->locale, the default's, slug */
	int64_t		 position;
};

struct attribute_text {
	char		 locale[9];
	struct str	 name;
};

/* Every attribute, each followed by its values, in their order. */
int	attribute_list(struct shop_ctx *ctx, struct attribute **out,
	    size_t *n);

/* Attribute or value id with its names in every language. */
int	attribute_get(struct shop_ctx *ctx, int64_t id, struct attribute *out,
	    struct attribute_text **texts, size_t *ntexts);

/* What the admin's form sends (not yet validated). */
struct attribute_input {
	struct str		 slug;		/* "": from the default name */
	struct str		 position;	/* "": last (create) or kept */
	struct attribute_text	 texts[ATTRIBUTE_MAX_LOCALES];
	size_t			 ntexts;	/* "" names are removed */
};

/*
 * Creates (id 0: an attribute when parent_id is 0, else a value of
 * attribute parent_id; *id_out set) or renames and moves attribute or
 * value id (parent_id ignored), with its names, in one transaction.
 * A rename of a value renames the variants made from it. SHOP_EINVAL
 * fills errs ("name", "slug", "position", "parent_id");
 * SHOP_ECONFLICT adds an error on "slug"; SHOP_ENOTFOUND for an id
 * that is not this shop's.
 */
int	attribute_save(struct shop_ctx *ctx, int64_t id, int64_t parent_id,
	    const struct attribute_input *in, struct field_errors *errs,
	    int64_t *id_out);

/* Deletes an attribute with its values, or a value, and their names
 * and product values; SHOP_ECONFLICT while a variant is made from it,
 * SHOP_ENOTFOUND when it is not this shop's. */
int	attribute_delete(struct shop_ctx *ctx, int64_t id);

/* --- variants --------------------------------------------------------- */

/* One variant as the editor shows it: -1 for a NULL price, sale price
 * or weight; 0 for an open sale date or no image. */
struct attribute_variant {
	int64_t		 id;
	struct str	 sku;
	struct str	 name;
	int64_t		 price, sale_price;
	int64_t		 sale_from, sale_to;	/* UTC seconds */
	int64_t		 stock, weight_g, image_id;
};

/* The variants of product id, in their order. */
int	attribute_variants(struct shop_ctx *ctx, int64_t product_id,
	    struct attribute_variant **out, size_t *n);

/* The value ids product id offers ({p}product_values), ascending. */
int	attribute_product_values(struct shop_ctx *ctx, int64_t product_id,
	    int64_t **out, size_t *n);

/* A value the merchant ticked, with the attribute the form put it
 * under: a value of another attribute is refused. */
struct attribute_pick {
	int64_t		 attribute_id;
	int64_t		 value_id;
};

/*
 * Makes one variant of product id per combination of picks (one value
 * of each attribute picked), except those it has already, with no SKU,
 * the product's price and 0 in stock, and keeps the invariants above.
 * *created: how many it made. SHOP_EINVAL on "values" (a value not of
 * this shop or not of its attribute, none picked, more than
 * ATTRIBUTE_MAX_VARIANTS variants); SHOP_ENOTFOUND for the product.
 */
int	attribute_generate(struct shop_ctx *ctx, int64_t product_id,
	    const struct attribute_pick *picks, size_t npicks,
	    struct field_errors *errs, size_t *created);

/* Sets the values of product id without variants (a simple product
 * "made of wool"); SHOP_ECONFLICT when it has variants. */
int	attribute_set_values(struct shop_ctx *ctx, int64_t product_id,
	    const struct attribute_pick *picks, size_t npicks,
	    struct field_errors *errs);

/*
 * Keeps the invariants above for product id after its variants or
 * their {p}variant_values were written by another module (the CSV
 * import): its values become its variants' and each variant is named
 * from its values. Run inside the writer's transaction (shop_tx()).
 * flags spare statements a bulk writer knows are not needed (one less
 * round trip each, for 10,000 products).
 */
enum attribute_sync {
	ATTRIBUTE_SYNC_NEW = 1 << 0,	/* the product had no values */
	ATTRIBUTE_SYNC_NAMED = 1 << 1,	/* the variants' names are right:
					 * their values' in the default
					 * language, in attribute order */
};
int	attribute_sync_product(struct shop_ctx *ctx, int64_t product_id,
	    unsigned flags);

/* One variant's fields as typed; "" price, sale price or weight: none
 * (the product's; no sale; the product's). */
struct attribute_variant_input {
	int64_t		 id;
	struct str	 sku, price, sale_price, sale_from, sale_to;
	struct str	 stock, weight_g, image_id;
};

/*
 * Validates and saves every variant of in (each must be product id's)
 * in one transaction: all or none. Errors name the field "v<id>_<name>"
 * (v12_price). SHOP_EINVAL fills errs; SHOP_ENOTFOUND when the product
 * or a variant is not there.
 */
int	attribute_variants_save(struct shop_ctx *ctx, int64_t product_id,
	    const struct attribute_variant_input *in, size_t n,
	    struct field_errors *errs);

/* Deletes variant id of product id with its values; keeps the product's
 * values right. */
int	attribute_variant_delete(struct shop_ctx *ctx, int64_t product_id,
	    int64_t variant_id);

/* An image of a product ({p}images), for the variant's image menu. */
struct attribute_image {
	int64_t		 id;
	struct str	 path;		/* under /media/ */
};

/* The images of product id, in their order (at most 100). */
int	attribute_images(struct shop_ctx *ctx, int64_t product_id,
	    struct attribute_image **out, size_t *n);

#endif
