/*
 * catalog_export.h: a shop's whole catalog as a WooCommerce or Shopify
 * product CSV (issue 10), the columns catalog_csv_header() names, in
 * the shapes catalog_csv.h describes, so that catalog_import.h reads
 * an export back into the same catalog.
 *
 * WooCommerce: a product without variants is one "simple" row; one
 * with variants a "variable" row (its attributes with every value it
 * offers, comma-separated) followed by a "variation" row per variant
 * (Parent: the product's SKU, or "id:N" of its ID; its own value of
 * each attribute, SKU, prices, sale and dates, stock, weight, image).
 * Shopify: a row per variant (one for a product without variants, whose
 * option is Shopify's "Title" / "Default Title"), the product's fields
 * on its first row only, Option1..3, and the product's images one a
 * row from the first (rows with the Handle and the image alone past
 * the last variant).
 *
 * Values: prices as "12.50" in the shop's currency and exponent; sale
 * dates "YYYY-MM-DD HH:MM:SS" on the shop's clock (its time zone, as
 * WooCommerce writes them and the importer reads them);
 * weights in kg (WooCommerce) or grams (Shopify); categories as
 * "A > B" paths of names; descriptions as the sanitised HTML, else the
 * plain text; images as absolute URLs of the originals on the shop's
 * own host; texts in the shop's default language. Every cell goes
 * through csv_field() (core/csv.h): a cell a spreadsheet would run as
 * a formula is neutralised. The file starts with CSV_BOM.
 *
 * Streaming: products are read in keyset pages of CATALOG_EXPORT_PAGE
 * by id (the same order every time), each page with a few statements
 * whatever its size, written out and forgotten before the next one is
 * read: a page's rows live in an arena of the export, reset per page,
 * so memory does not grow with the catalog.
 *
 * Ownership: the writer's arg is the caller's; nothing returned
 * outlives the call but what catalog_export_origin() returns (in a).
 */
#ifndef SOUK_SHOP_CATALOG_EXPORT_H
#define SOUK_SHOP_CATALOG_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "shop/catalog_csv.h"
#include "shop/ctx.h"

#define CATALOG_EXPORT_PAGE	200	/* products read at once */

/* The writer failed (the client went away, the disk is full). */
#define CATALOG_EXPORT_EWRITE	(-100)

/*
 * Takes the next n bytes of the file (n > 0); returns 0, or -1 to stop
 * the export (it then returns CATALOG_EXPORT_EWRITE). Called once a
 * page of products is written, and at the end.
 */
typedef int (*catalog_export_write)(void *arg, const char *p, size_t n);

/*
 * Writes the catalog of ctx's shop (texts in ctx->default_locale,
 * prices in ctx->currency) in format f through write(arg, ...). origin
 * ("https://acme.example", no trailing '/') makes image URLs absolute.
 * *nproducts (may be NULL) counts the products written. Returns
 * SHOP_OK, SHOP_EDB (logged; what was written stays written: a
 * reader gets a short file) or CATALOG_EXPORT_EWRITE.
 */
int	catalog_export_run(struct shop_ctx *ctx, enum catalog_csv_format f,
	    const char *origin, catalog_export_write write, void *arg,
	    size_t *nproducts);

/* catalog_export_run() onto fd (kept open, the caller's), for soukctl;
 * write errors are CATALOG_EXPORT_EWRITE with errno set. */
int	catalog_export_fd(struct shop_ctx *ctx, enum catalog_csv_format f,
	    const char *origin, int fd, size_t *nproducts);

/*
 * The origin of the shop with this slug as its links show it, from the
 * configuration (public_scheme, platform_domain, public_port):
 * "https://acme.example.com" or "http://acme.localhost:8080"; in a.
 */
const char	*catalog_export_origin(struct arena *a, const char *slug);

/* "woo" and "shopify" (what the admin's link and soukctl take) into
 * *f; -1 for anything else. */
int	catalog_export_format_parse(const char *s,
	    enum catalog_csv_format *f);

#endif
