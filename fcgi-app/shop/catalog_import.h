/*
 * catalog_import.h: bringing a WooCommerce or Shopify product CSV into
 * a shop (issue 10). The file is read twice, as a stream (core/csv.h),
 * never whole into memory: the preview reads it and says what the
 * import would do, writing nothing; the import reads it again and
 * writes. Both are run by souk-worker's "catalog.import" job (the
 * admin's progress bar, web/admin_import.c) and by `soukctl shop
 * import SLUG FILE [--dry-run]` in-process.
 *
 * Rows are grouped into products (WooCommerce: a variable row and the
 * variation rows after it whose Parent names it, "id:N" or its SKU, and
 * later ones too: its exporter orders rows by ID, so a variation added
 * later comes after other products, and is added to its product then;
 * a variation before its parent is refused. Shopify: the consecutive
 * rows of one Handle). A product is written in one transaction with
 * its variants, values and texts, together with up to 99 products
 * next to it in the file (a commit per product would cost more than
 * its statements), through db_tx_run(): a batch that meets a deadlock
 * or (on Galera) a certification failure is run again, and counted
 * once; a product is there whole or not at all, and a batch that fails
 * otherwise ends the import (SHOP_EDB; the batches committed stay and
 * are the ones counted). No transaction is open while the progress
 * callback runs, which may write on the same connection, nor while a
 * product's images are fetched. Categories and attributes the file
 * names are made when missing, in the batch's transaction, names in
 * the shop's default language. A row that is wrong is refused with its
 * line and reason and never stops the others; a product with a refused
 * row is refused whole. An APPLY first reads the whole file as CSV, so
 * that a file refused whole (not UTF-8 at its last line) writes
 * nothing.
 *
 * What a product becomes: a variable product's price is its cheapest
 * variant's, its stock their sum (a WooCommerce variation whose Stock
 * is "parent" shows its parent's); a WooCommerce row "in stock" without
 * a Stock number, or a Shopify variant without a quantity, gets
 * CATALOG_IMPORT_UNTRACKED_STOCK (souk always counts stock);
 * WooCommerce's sale dates are taken as UTC (NEEDSWORK: the shop's
 * local time, once a shop has a time zone); variants the file does not
 * name are kept.
 *
 * Matching (what makes a re-import of the same file change nothing):
 * a product by its slug (Shopify's Handle; WooCommerce: a slug made
 * from Name, or the parent's SKU when the name's slug is taken by
 * another SKU), a variant by its SKU, else by its option values;
 * a category by its path of names; an image by its source_url. A
 * product that is already there with the same data is counted "same"
 * and not written.
 *
 * Images given by URL are fetched by the import (platform/fetch.h,
 * FETCH limits, fetch_allow_private from the configuration) after the
 * product's transaction, outside it; an image that cannot be fetched
 * is a warning on its line, the product stays.
 *
 * Ownership: everything in a report lives in the arena of the ctx
 * given; reasons are untranslated msgids (N_()), to be shown with
 * _() in the reader's language.
 */
#ifndef SOUK_SHOP_CATALOG_IMPORT_H
#define SOUK_SHOP_CATALOG_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/catalog_csv.h"

/* Refused rows kept in a report (the counts go on past it). */
#define CATALOG_IMPORT_MAX_ERRORS	1000
/* The stock of a product the file says is in stock without a number. */
#define CATALOG_IMPORT_UNTRACKED_STOCK	100000

enum catalog_import_mode {
	CATALOG_IMPORT_PREVIEW,	/* read, check, count; write nothing */
	CATALOG_IMPORT_APPLY,	/* write */
};

/* A refused row (or a warning: an image not fetched). */
struct catalog_import_error {
	size_t		 line;		/* physical line where the row starts */
	const char	*reason;	/* msgid */
	struct str	 detail;	/* the cell or value at fault, may be empty */
	int		 warning;	/* 1: the row was imported anyway */
};

struct catalog_import_report {
	enum catalog_csv_format	 format;
	size_t	 rows;			/* data rows read */
	size_t	 rows_refused;
	size_t	 products_new, products_updated, products_same;
	size_t	 variants_new, variants_updated, variants_same;
	size_t	 categories_new;
	size_t	 images_new, images_failed;
	struct catalog_import_error *errors;	/* ctx->a */
	size_t	 nerrors;		/* <= CATALOG_IMPORT_MAX_ERRORS */
	/* A refusal of the whole file (not CSV, not UTF-8, unknown
	 * header, too many columns, a field too long): a msgid, and the
	 * line; NULL when the file was read to its end. */
	const char	*file_error;
	size_t		 file_error_line;
};

/*
 * Called now and then (at least every few hundred rows and at the end)
 * with the bytes of the file read so far and its size, so a caller can
 * show progress and record it; returns 0 to go on, -1 to stop (the
 * products read whole so far are written, each whole; the one being
 * read is not).
 */
typedef int (*catalog_import_progress)(void *arg, uint64_t done,
    uint64_t total);

/*
 * Reads the CSV at fd (a regular file: its size is the total of the
 * progress) in mode, for the shop of ctx, filling *r (zeroed here).
 * Returns SHOP_OK when the file was read (rows may have been refused:
 * see *r), SHOP_EINVAL when the whole file was refused (r->file_error),
 * SHOP_EDB when the database failed (the products written stay).
 */
int	catalog_import_run(struct shop_ctx *ctx, int fd,
	    enum catalog_import_mode mode, catalog_import_progress progress,
	    void *arg, struct catalog_import_report *r);

#endif
