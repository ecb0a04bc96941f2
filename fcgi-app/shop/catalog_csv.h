/*
 * catalog_csv.h: the two product CSV formats souk imports and exports,
 * WooCommerce's and Shopify's, as far as they are plain data: which
 * columns souk reads, where they are in a file's header, and how their
 * prices, weights and lists are written. Pure: no database, no I/O (the
 * rows come from core/csv.h; the importer and exporter use this).
 *
 * The formats are told apart by their header row, matched column by
 * column (ASCII case and surrounding spaces ignored) against the names
 * each platform's own exporter writes in English:
 *
 * WooCommerce (Products > Export), columns souk reads:
 *   ID, Type (simple, variable, variation; others are refused by the
 *   importer), SKU, Name, Published (1, 0 = draft, -1 = private, taken
 *   as draft), "Is featured?", "Short description", Description (HTML),
 *   "Date sale price starts", "Date sale price ends", "Tax class" (""
 *   standard, reduced-rate, zero-rate), "In stock?", Stock, "Weight
 *   (kg)" (or (g), (lbs), (oz): the shop's unit is in the header),
 *   "Sale price", "Regular price", Categories (comma-separated, "A > B"
 *   paths), Images (comma-separated URLs, the first the main one),
 *   Parent ("id:42" or a SKU), Position, "Attribute N name", "Attribute
 *   N value(s)" (comma-separated; a variation has one) for N from 1 to
 *   CATALOG_CSV_MAX_ATTRS.
 * WooCommerce columns souk ignores: "Visibility in catalog", "Tax
 *   status", "Low stock amount", "Backorders allowed?", "Sold
 *   individually?", "Length/Width/Height (cm)", "Allow customer
 *   reviews?", "Purchase note", Tags, "Shipping class", "Download
 *   limit", "Download expiry days", "Grouped products", Upsells,
 *   Cross-sells, "External URL", "Button text", Brands,
 *   "GTIN, UPC, EAN, or ISBN", "Attribute N visible", "Attribute N
 *   global", "Attribute N default", "Meta: ..." and any column not
 *   named above.
 *
 * Shopify (Products > Export, "CSV for Excel, Numbers, or other
 * spreadsheet programs"), columns souk reads:
 *   Handle (rows of one product share it), Title (on a product's first
 *   row only), "Body (HTML)", Type (souk's category; "A > B"
 *   nests, as souk's export writes it),
 *   Published (TRUE/FALSE), Status (active, draft, archived = draft),
 *   "Option1 Name", "Option1 Value" .. Option3, "Variant SKU",
 *   "Variant Grams" (always grams, whatever "Variant Weight Unit"
 *   says), "Variant Inventory Qty", "Variant Price", "Variant Compare
 *   At Price" (when above the price: the price is the sale price and
 *   this the regular one), "Variant Taxable" (FALSE: tax class zero),
 *   "Image Src", "Image Position", "Image Alt Text", "Variant Image".
 * Shopify columns souk ignores: Vendor, "Product Category" (Shopify's
 *   standard taxonomy, not the merchant's categories), Tags, "OptionN
 *   Linked To", "Variant Inventory Tracker", "Variant Inventory
 *   Policy", "Variant Fulfillment Service", "Variant Requires
 *   Shipping", "Variant Barcode", "Variant Weight Unit", "Variant Tax
 *   Code", "Unit Price ...", "Gift Card", "SEO Title", "SEO
 *   Description", "Google Shopping / ...", "Cost per item", the
 *   per-market "Included / ...", "Price / ...", "Compare At Price /
 *   ..." columns, metafields ("... (product.metafields...)") and any
 *   column not named above.
 *
 * Ownership: column names are static strings; views returned point
 * into what was passed in, or into the arena given; error reasons are
 * untranslated msgids (N_()), literals.
 *
 * NEEDSWORK: WooCommerce translates its exporter's column names into
 * the shop's language ("Artikelnummer"); only the English ones are
 * recognised, as its importer's mapping screen would need otherwise.
 */
#ifndef SOUK_SHOP_CATALOG_CSV_H
#define SOUK_SHOP_CATALOG_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/str.h"

/* Attributes (WooCommerce) or options (Shopify: 3) a row may carry. */
#define CATALOG_CSV_MAX_ATTRS	8
#define CATALOG_CSV_SHOPIFY_OPTIONS 3
/* The most columns catalog_csv_header() writes. */
#define CATALOG_CSV_HEADER_MAX	80

enum catalog_csv_format {
	CATALOG_CSV_WOO,
	CATALOG_CSV_SHOPIFY,
	CATALOG_CSV__FORMATS
};

/* The fields souk reads; each format has some of them (above). */
enum catalog_csv_field {
	CATALOG_CSV_ID,			/* Woo ID */
	CATALOG_CSV_TYPE,		/* Woo Type */
	CATALOG_CSV_SKU,		/* SKU, Variant SKU */
	CATALOG_CSV_HANDLE,		/* Shopify Handle */
	CATALOG_CSV_PARENT,		/* Woo Parent */
	CATALOG_CSV_NAME,		/* Name, Title */
	CATALOG_CSV_PUBLISHED,		/* Published */
	CATALOG_CSV_STATUS,		/* Shopify Status */
	CATALOG_CSV_FEATURED,		/* Woo Is featured? */
	CATALOG_CSV_SHORT_DESC,		/* Woo Short description */
	CATALOG_CSV_DESCRIPTION,	/* Description, Body (HTML) */
	CATALOG_CSV_SALE_FROM,		/* Woo Date sale price starts */
	CATALOG_CSV_SALE_TO,		/* Woo Date sale price ends */
	CATALOG_CSV_TAX_CLASS,		/* Woo Tax class */
	CATALOG_CSV_TAXABLE,		/* Shopify Variant Taxable */
	CATALOG_CSV_IN_STOCK,		/* Woo In stock? */
	CATALOG_CSV_STOCK,		/* Stock, Variant Inventory Qty */
	CATALOG_CSV_WEIGHT,		/* Weight (kg), Variant Grams */
	CATALOG_CSV_REGULAR_PRICE,	/* Regular price, Variant Price */
	CATALOG_CSV_SALE_PRICE,		/* Woo Sale price */
	CATALOG_CSV_COMPARE_AT_PRICE,	/* Variant Compare At Price */
	CATALOG_CSV_CATEGORIES,		/* Categories, Type */
	CATALOG_CSV_IMAGES,		/* Images, Image Src */
	CATALOG_CSV_IMAGE_POSITION,	/* Shopify Image Position */
	CATALOG_CSV_IMAGE_ALT,		/* Shopify Image Alt Text */
	CATALOG_CSV_VARIANT_IMAGE,	/* Shopify Variant Image */
	CATALOG_CSV_POSITION,		/* Woo Position */
	CATALOG_CSV__MAX
};

/* The unit of a weight column. */
enum catalog_csv_unit {
	CATALOG_CSV_KG,
	CATALOG_CSV_G,
	CATALOG_CSV_LBS,
	CATALOG_CSV_OZ,
};

/* Where each field is in one file's rows: a column index, or -1. */
struct catalog_csv_map {
	enum catalog_csv_format	 format;
	enum catalog_csv_unit	 weight_unit;
	int			 col[CATALOG_CSV__MAX];
	int			 attr_name[CATALOG_CSV_MAX_ATTRS];
	int			 attr_value[CATALOG_CSV_MAX_ATTRS];
	size_t			 nattrs;	/* the last with a name */
	size_t			 ncols;		/* the header's columns */
	int			 bad_col;	/* on error, or -1 */
};

/*
 * Tells the format of a file from its header row (n columns) and fills
 * *map. Returns 0, or -1 with *reason a msgid: the header is neither
 * format's (the message names the columns each needs: WooCommerce's
 * Type, SKU and Name, Shopify's Handle and Title), or a column souk
 * reads appears twice (map->bad_col is the second).
 */
int	catalog_csv_detect(const struct str *header, size_t n,
	    struct catalog_csv_map *map, const char **reason);

/*
 * The header souk writes for format f, with nattrs attributes (Woo; at
 * most CATALOG_CSV_MAX_ATTRS; Shopify always has its 3 options): fills
 * out[0..return) with static names. out has room for
 * CATALOG_CSV_HEADER_MAX. Give the result to catalog_csv_detect() for
 * the map of where the exporter puts each field.
 */
size_t	catalog_csv_header(enum catalog_csv_format f, size_t nattrs,
	    struct str *out);

/* A format's name for people and logs: "WooCommerce", "Shopify". */
const char	*catalog_csv_format_name(enum catalog_csv_format f);

/*
 * Parses a price cell of format f into minor units of currency (the
 * shop's, core/money.h). WooCommerce stores prices with '.' whatever
 * the shop shows, but a shop set to ',' may have a file edited by hand
 * with it: one '.' or ',' is the decimal separator. Shopify writes '.'
 * only: a ',' there is a spreadsheet's thousands separator, refused.
 * Both write more decimals than some currencies have ("1500.00" yen):
 * trailing zeros past the currency's exponent are dropped, other
 * digits there refused. No sign, no thousands separators, no currency
 * symbol. Returns 0 and sets *minor; 1 for an empty (or blank) cell
 * ("no sale price"), *minor untouched; -1 with *reason a msgid.
 */
int	catalog_csv_price(enum catalog_csv_format f, struct str s,
	    const char *currency, int64_t *minor, const char **reason);

/*
 * Parses a weight cell in unit u ("0.25" kg, "250" g, "1.5" lbs) into
 * whole grams, rounded half up; at most 6 decimals, '.' only (both
 * platforms write it so), at most 2,147,483,647 g. Returns 0 and sets
 * *grams; 1 for an empty cell; -1 with *reason a msgid.
 */
int	catalog_csv_weight(struct str s, enum catalog_csv_unit u,
	    int64_t *grams, const char **reason);

/* "YYYY-MM-DD HH:MM:SS" and its NUL. */
#define CATALOG_CSV_DATE_LEN	20

/*
 * Parses a WooCommerce sale date cell: "2024-05-01" (midnight) or
 * "2024-05-01 13:30:00" ('T' for the space too, seconds optional), a
 * real calendar date from 1970 to 9999. Writes it to out as
 * "YYYY-MM-DD HH:MM:SS" (a DATETIME's text), in the same time zone as
 * the cell: WooCommerce writes the shop's local time, which the
 * importer converts. Returns 0; 1 for an empty cell; -1 with *reason a
 * msgid.
 */
int	catalog_csv_date(struct str s, char out[CATALOG_CSV_DATE_LEN],
	    const char **reason);

/*
 * A yes/no cell: WooCommerce writes 1 and 0 (Published also -1,
 * private), Shopify TRUE and FALSE; "yes"/"no" as hand-edited files
 * have them. ASCII case and surrounding spaces are ignored. Returns 1,
 * 0, or -1 for anything else, the empty cell included (the caller
 * knows the column's default).
 */
int	catalog_csv_bool(struct str s);

/*
 * The next item of a comma-separated list cell (Woo Categories,
 * Images, Attribute N value(s); Shopify Tags): *rest is what is left
 * to read, advanced past the item. Items are trimmed; empty ones are
 * skipped; WooCommerce's "\," is a comma inside an item (the copy of
 * such an item lives in a, others point into the cell). Returns 1
 * with *item set, or 0 at the end of the list.
 */
int	catalog_csv_list_next(struct arena *a, struct str *rest,
	    struct str *item);

/*
 * The next level of a category path ("Clothing > Hoodies"): the same
 * as catalog_csv_list_next() with '>' for ',' and no escapes.
 */
int	catalog_csv_path_next(struct str *rest, struct str *item);

#endif
