/*
 * gallery.h: a product's images ({p}images): the original as uploaded,
 * a card copy and a page copy made once by platform/image.h when the
 * image comes in, alt texts per language, and an order (position; the
 * first is the main image).
 *
 * Invariant: products.image is the main image's card path ('' without
 * images), rewritten in the same transaction as every change of the
 * images, so category and home cards read it without a join. Files
 * live under media_dir (media.h); a row's files are written before its
 * row is inserted and removed after its row is deleted, so a row never
 * points at a missing file (a failed insert removes its files).
 *
 * Everything returned lives in ctx->a. Functions return SHOP_OK or a
 * negative enum shop_err (ctx.h).
 */
#ifndef SOUK_SHOP_GALLERY_H
#define SOUK_SHOP_GALLERY_H

#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

#define GALLERY_MAX	20	/* images per product */
#define GALLERY_ALT_MAX	300	/* bytes of one alt text */

struct gallery_image {
	int64_t		 id;
	struct str	 path;		/* the original, under /media/ */
	struct str	 card_path;	/* IMAGE_CARD square (image.h) */
	struct str	 page_path;	/* fits IMAGE_PAGE, never enlarged */
	int		 width, height;	/* the page copy's */
	struct str	 alt_json;	/* {"en": "...", ...} as stored */
	struct str	 source_url;	/* where an import fetched it, or "" */
	struct str	 alt;		/* in ctx->locale, else the shop's
					 * default language, else "" */
};

/* One language's alt text, for gallery_set_alt(). */
struct gallery_alt {
	char		 locale[9];
	struct str	 text;
};

/*
 * The images of product_id in their order (none: *n 0, SHOP_OK, also
 * for a product that does not exist). The variant editor lists a
 * product's images with this (id, card_path, alt).
 */
int	gallery_list(struct shop_ctx *ctx, int64_t product_id,
	    struct gallery_image **out, size_t *n);

/*
 * Adds data as the last image of product_id: checks it (image_probe()),
 * makes both copies, writes the three files and the row. Returns
 * SHOP_OK (*id_out set when not NULL); SHOP_EINVAL with *image_err an
 * enum image_err (IMAGE_E*), or GALLERY_EFULL; SHOP_ENOTFOUND when the
 * product is not this shop's; SHOP_EQUOTA when the shop's plan has no
 * room for data's bytes (platform/quota.h); SHOP_EDB.
 */
#define GALLERY_EFULL	(-100)
int	gallery_add(struct shop_ctx *ctx, int64_t product_id, struct str data,
	    int *image_err, int64_t *id_out);

/* gallery_add() of an image an import fetched from source_url (at
 * most 1000 bytes), which a re-import matches (gallery_list()). */
int	gallery_add_from(struct shop_ctx *ctx, int64_t product_id,
	    struct str data, struct str source_url, int *image_err,
	    int64_t *id_out);

/* Moves image_id of product_id one place earlier (delta -1) or later
 * (+1); at an end it stays. SHOP_ENOTFOUND when not the product's. */
int	gallery_move(struct shop_ctx *ctx, int64_t product_id,
	    int64_t image_id, int delta);

/* Deletes image_id of product_id with its files. */
int	gallery_delete(struct shop_ctx *ctx, int64_t product_id,
	    int64_t image_id);

/* Replaces the alt texts of image_id (empty texts dropped; each at most
 * GALLERY_ALT_MAX bytes of UTF-8, else SHOP_EINVAL). */
int	gallery_set_alt(struct shop_ctx *ctx, int64_t product_id,
	    int64_t image_id, const struct gallery_alt *alts, size_t n);

/* Removes the files of images listed by gallery_list() whose rows are
 * gone (a product deleted by catalog_product_delete()). */
void	gallery_remove_files(const struct gallery_image *v, size_t n);

/* The text of locale in an alt JSON object, in a ("" when none). */
struct str gallery_alt_of(struct arena *a, struct str alt_json,
	    const char *locale);

#endif
