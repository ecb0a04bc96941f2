/*
 * catalog_import.c: a WooCommerce or Shopify product CSV brought into a
 * shop (see catalog_import.h).
 *
 * One pass over the rows: consecutive rows of one product are gathered
 * in a group and checked, and checked groups wait in a batch (their rows
 * in the batch's arena) of up to IMPORT_BATCH. A batch is then written
 * in one transaction through db_tx_run(): each product compared with
 * what the shop has under its slug (one read of the product and its
 * text, one of its variants with their values), what differs written,
 * what is the same counted and not written. A deadlock runs the batch
 * again from its first product, so what it counts and notes waits until
 * the commit (batch_tx()). Categories and attributes are read once at
 * the start and kept in memory; those missing are made by category.h
 * and attribute.h in the batch's transaction. A new product of 4
 * variants costs 11 round trips.
 */
#include "core/common.h"
#include "core/cache.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/richtext.h"
#include "core/strbuf.h"
#include "core/tz.h"
#include "db/db.h"
#include "platform/fetch.h"
#include "platform/image.h"
#include "platform/quota.h"
#include "shop/attribute.h"
#include "shop/catalog_import.h"
#include "shop/category.h"
#include "shop/gallery.h"
#include "shop/sale.h"
#include "shop/search_index.h"
#include "shop/shop.h"

#include <sys/stat.h>
#include <unistd.h>

/* NEEDSWORK: an "untracked" stock of souk's own (catalog_import.h). */
#define IMPORT_UNTRACKED_STOCK	CATALOG_IMPORT_UNTRACKED_STOCK
#define IMPORT_MAX_VARIANTS	ATTRIBUTE_MAX_VARIANTS
#define STOCK_OF_PARENT		(-2)	/* a variation's "parent" stock */
#define IMPORT_MAX_IMAGES	GALLERY_MAX
#define IMPORT_MAX_CATS		16	/* categories listed on one row */
#define IMPORT_DETAIL_MAX	200	/* bytes of a cell quoted in a reason */
#define IMPORT_PROGRESS_ROWS	256
#define IMPORT_VV_IN		8	/* ST_VV_INSERT's list */
/* Products written in one transaction: a commit (a redo log flush)
 * per product would cost more than its statements. */
#define IMPORT_BATCH		100
/* A batch's rows wait in memory until it is written: a file of long
 * descriptions makes smaller batches. */
#define IMPORT_BATCH_BYTES	(8u << 20)
/* im->note_at while no batch is being written: notes go to the report
 * at once. */
#define NOTE_NOW		SIZE_MAX

_Static_assert(IMPORT_VV_IN >= CATALOG_CSV_MAX_ATTRS,
    "a variant's values fit ST_VV_INSERT");

/* Reasons (msgids). */
static const char r_type[] =
    N_("The type is not simple, variable or variation.");
static const char r_orphan[] =
    N_("The variation does not follow its variable product.");
static const char r_no_name[] = N_("The product has no name.");
static const char r_name[] =
    N_("The name is longer than 200 characters or not text.");
static const char r_sku[] = N_("The SKU is longer than 64 characters.");
static const char r_no_price[] = N_("The row has no regular price.");
static const char r_no_variations[] =
    N_("The variable product has no variations.");
static const char r_stock[] = N_("The stock is not a whole number.");
static const char r_tax[] = N_("The tax class is not one souk knows "
    "(empty for standard, reduced-rate or zero-rate).");
static const char r_desc[] = N_("The description is not text, or longer "
    "than 20,000 characters (65,536 with its tags).");
static const char r_date_range[] =
    N_("The sale date is after the year 2037.");
static const char r_too_many_variants[] =
    N_("The product has more than 200 variants.");
static const char r_same_values[] =
    N_("Two variants of the product have the same attribute values.");
static const char r_no_handle[] = N_("The row has no Handle.");
static const char r_slug[] =
    N_("No web address (slug) can be made of the product's handle or "
    "name.");
static const char r_slug_taken[] =
    N_("The product's web address (slug) is taken by another product.");
static const char r_category[] = N_("A category name is longer than 200 "
    "characters, not text, or cannot be created.");
static const char r_attribute[] = N_("An attribute or value name is "
    "longer than 200 characters, not text, or cannot be created.");
static const char r_too_many_attrs[] =
    N_("The product has more than 8 attributes.");
static const char r_product_refused[] =
    N_("The product is not imported: one of its rows is refused.");
static const char r_image_url[] =
    N_("The image was not fetched: its address is not an http or https "
    "URL.");
static const char r_image_addr[] =
    N_("The image was not fetched: its address is on a local or private "
    "network.");
static const char r_image_big[] =
    N_("The image was not fetched: it is larger than 5 MB.");
static const char r_image_slow[] =
    N_("The image was not fetched: the server was too slow.");
static const char r_image_http[] =
    N_("The image was not fetched: the server answered with an error or "
    "too many redirects.");
static const char r_image_net[] =
    N_("The image was not fetched: the server could not be reached.");
static const char r_image_bad[] =
    N_("The image is not a PNG, JPEG, GIF or WebP image souk can read.");
static const char r_image_full[] =
    N_("The product has 20 images already.");
static const char r_image_quota[] =
    N_("The image was not added: the shop's plan has no room for more "
    "images. Choose a larger plan on the Plan page of the admin.");
static const char r_plan_full[] =
    N_("The product was not added: the shop's plan allows no more "
    "products. Choose a larger plan on the Plan page of the admin.");

enum stmt {
	ST_PRODUCT_BY_SLUG,
	ST_VARIANTS_OF,
	ST_PRODUCT_INSERT,
	ST_PRODUCT_UPDATE,
	ST_TEXT_UPSERT,
	ST_VARIANT_INSERT,
	ST_VARIANT_UPDATE,
	ST_VV_DELETE,
	ST_VV_INSERT,
	ST_VARIANT_IMAGE,
	ST_PRICE_FROM_VARIANTS,
	ST__MAX
};

/* The session's time zone is UTC (db.c): UNIX_TIMESTAMP() and
 * FROM_UNIXTIME() read and write UTC. */
static const struct shop_sql sql[ST__MAX] = {
	[ST_PRODUCT_BY_SLUG] = { "catalog_import.product_by_slug",
	    "SELECT p.id, p.sku, COALESCE(p.category_id, 0), p.price,"
	    " COALESCE(p.sale_price, -1),"
	    " COALESCE(UNIX_TIMESTAMP(p.sale_from), 0),"
	    " COALESCE(UNIX_TIMESTAMP(p.sale_to), 0), p.tax_class,"
	    " p.weight_g, p.stock, p.status = 'active', p.featured,"
	    " t.name IS NOT NULL, COALESCE(t.name, ''),"
	    " COALESCE(t.description, ''), t.description_html IS NOT NULL,"
	    " COALESCE(t.description_html, '')"
	    " FROM {p}products p LEFT JOIN {p}product_texts t"
	    " ON t.product_id = p.id AND t.locale = ?"
	    " WHERE p.slug = ?" },
	[ST_VARIANTS_OF] = { "catalog_import.variants_of",
	    "SELECT v.id, v.sku, COALESCE(v.price, -1),"
	    " COALESCE(v.sale_price, -1),"
	    " COALESCE(UNIX_TIMESTAMP(v.sale_from), 0),"
	    " COALESCE(UNIX_TIMESTAMP(v.sale_to), 0), v.stock,"
	    " COALESCE(v.weight_g, -1), COALESCE(v.image_id, 0),"
	    " COALESCE(GROUP_CONCAT(vv.value_id ORDER BY vv.value_id), '')"
	    " FROM {p}variants v LEFT JOIN {p}variant_values vv"
	    " ON vv.variant_id = v.id WHERE v.product_id = ?"
	    " GROUP BY v.id ORDER BY v.position, v.id LIMIT 1000" },
	[ST_PRODUCT_INSERT] = { "catalog_import.product_insert",
	    "INSERT INTO {p}products (sku, category_id, price, sale_price,"
	    " sale_from, sale_to, tax_class, weight_g, stock, status,"
	    " featured, slug) VALUES (?, NULLIF(?, 0), ?, ?,"
	    " FROM_UNIXTIME(NULLIF(?, 0)), FROM_UNIXTIME(NULLIF(?, 0)),"
	    " ?, ?, ?, IF(?, 'active', 'draft'), ?, ?)" },
	[ST_PRODUCT_UPDATE] = { "catalog_import.product_update",
	    "UPDATE {p}products SET sku = ?, category_id = NULLIF(?, 0),"
	    " price = ?, sale_price = ?,"
	    " sale_from = FROM_UNIXTIME(NULLIF(?, 0)),"
	    " sale_to = FROM_UNIXTIME(NULLIF(?, 0)), tax_class = ?,"
	    " weight_g = ?, stock = ?, status = IF(?, 'active', 'draft'),"
	    " featured = ? WHERE id = ?" },
	[ST_TEXT_UPSERT] = { "catalog_import.text_upsert",
	    "INSERT INTO {p}product_texts (product_id, locale, name,"
	    " description, description_html) VALUES (?, ?, ?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE name = VALUES(name),"
	    " description = VALUES(description),"
	    " description_html = VALUES(description_html)" },
	[ST_VARIANT_INSERT] = { "catalog_import.variant_insert",
	    "INSERT INTO {p}variants (product_id, sku, price, sale_price,"
	    " sale_from, sale_to, stock, weight_g, name, position)"
	    " VALUES (?, ?, ?, ?, FROM_UNIXTIME(NULLIF(?, 0)),"
	    " FROM_UNIXTIME(NULLIF(?, 0)), ?, ?, ?, ?)" },
	[ST_VARIANT_UPDATE] = { "catalog_import.variant_update",
	    "UPDATE {p}variants SET sku = ?, price = ?, sale_price = ?,"
	    " sale_from = FROM_UNIXTIME(NULLIF(?, 0)),"
	    " sale_to = FROM_UNIXTIME(NULLIF(?, 0)), stock = ?,"
	    " weight_g = ?, name = ? WHERE id = ? AND product_id = ?" },
	[ST_VV_DELETE] = { "catalog_import.vv_delete",
	    "DELETE FROM {p}variant_values WHERE variant_id = ?" },
	/* A variant's values in one round trip: IMPORT_VV_IN ids, the
	 * unused ones 0 (no row has it). */
	[ST_VV_INSERT] = { "catalog_import.vv_insert",
	    "INSERT INTO {p}variant_values (variant_id, value_id)"
	    " SELECT ?, id FROM {p}attributes"
	    " WHERE id IN (?, ?, ?, ?, ?, ?, ?, ?) AND parent_id <> 0" },
	/* A product with variants: its card's price is the cheapest
	 * one's, its stock theirs (some may come later in the file). */
	[ST_PRICE_FROM_VARIANTS] = { "catalog_import.price_from_variants",
	    "UPDATE {p}products p SET"
	    " p.price = COALESCE((SELECT MIN(v.price) FROM {p}variants v"
	    " WHERE v.product_id = p.id), p.price),"
	    " p.stock = LEAST(2147483647, (SELECT COALESCE(SUM(v.stock), 0)"
	    " FROM {p}variants v WHERE v.product_id = p.id))"
	    " WHERE p.id = ?" },
	[ST_VARIANT_IMAGE] = { "catalog_import.variant_image",
	    "UPDATE {p}variants SET image_id = NULLIF(?, 0)"
	    " WHERE id = ? AND product_id = ?" },
};

/* What a row says about prices, stock and weight: a simple product's
 * own, or one variant's. -1: none. */
struct ivar {
	size_t		 line;
	struct str	 sku;
	int64_t		 price, sale, from, to, stock, weight;
	struct str	 values[CATALOG_CSV_MAX_ATTRS];	/* by group attr */
	int64_t		 ids[CATALOG_CSV_MAX_ATTRS];	/* their value ids */
	size_t		 nids;
	struct str	 idkey;		/* ids ascending, "3,7" */
	struct str	 name;		/* "M / Blue" */
	struct str	 image;		/* its image's URL, or "" */
	/* Matched and written. */
	int64_t		 id;		/* 0: new */
	int64_t		 image_id;	/* the existing variant's */
	int		 changed, values_changed;
};

/* A product's rows gathered. Everything lives in the group's arena. */
struct group {
	int		 open, refused;
	/* WooCommerce variations after other products than their parent,
	 * as its exporter writes variations added later (by ID): added to
	 * the product made of the parent earlier in the file. */
	int		 late;
	struct str	 late_slug;
	int		 refused_below;	/* for a row past its first */
	size_t		 line, nrows;
	int		 variable;	/* has variants */
	struct str	 woo_id, handle, sku, name, desc, short_desc;
	int		 active, featured;
	const char	*tax;
	struct str	 cats[IMPORT_MAX_CATS];
	size_t		 ncats;
	struct str	 attrs[CATALOG_CSV_MAX_ATTRS];	/* names */
	struct str	 avalues[CATALOG_CSV_MAX_ATTRS]; /* simple: lists */
	int64_t		 attr_ids[CATALOG_CSV_MAX_ATTRS];
	size_t		 nattrs;
	struct str	 images[IMPORT_MAX_IMAGES];
	struct str	 image_alt[IMPORT_MAX_IMAGES];	/* Shopify's */
	size_t		 image_line[IMPORT_MAX_IMAGES];
	int64_t		 image_pos[IMPORT_MAX_IMAGES];
	size_t		 nimages;
	struct ivar	 base;		/* a simple product's */
	struct ivar	*v;
	size_t		 nv, vcap;
};

/* A variable WooCommerce product of the file, for its late
 * variations. */
struct parent_ref {
	struct str	 woo_id, sku, slug;
};

/* A category or attribute (value) the shop has, or the import made. */
struct known {
	int64_t		 id;		/* < 0: one a preview would make */
	int64_t		 parent;
	struct str	 name;
	struct str	 slug;
};

/* The product as it will be written. */
struct product_plan {
	struct group	*g;
	struct str	 slug;
	int64_t		 id;		/* 0: new */
	int64_t		 cat, price, sale, from, to, weight, stock;
	int		 active, featured;
	struct richtext	 desc;		/* html.p NULL: plain text */
	int		 product_changed, text_changed;
	int		 pvalues_changed;	/* a simple product's values */
	struct attribute_pick picks[ATTRIBUTE_MAX_PICKS];
	size_t		 npicks;
	size_t		 nnew_images;
	struct str	*new_images, *new_alts;
	size_t		*new_image_line;
};

/* A product read whole and checked, waiting for its batch. */
struct pending {
	struct group		 g;	/* lives in im->ga */
	struct product_plan	 pl;	/* check_group()'s fields */
	size_t			 at;	/* r->nerrors once it was read */
};

/* A note of a batch not committed yet, and its place in the report. */
struct pnote {
	size_t				 pos;
	struct catalog_import_error	 e;
};

struct imp {
	struct shop_ctx			*ctx;	/* the caller's: the report */
	struct shop_ctx			 g_ctx;	/* default language, wa */
	struct arena			 ga;	/* the batch's rows */
	struct arena			 wa;	/* the product being written */
	enum catalog_import_mode	 mode;
	struct catalog_import_report	*r;
	struct catalog_csv_map		 map;
	struct group			 g;	/* being read, or written */
	struct product_plan		 pl;	/* being written */
	struct known			*cats, *attrs;
	struct parent_ref		*parents;	/* ctx->a */
	size_t				 nparents, parentcap;
	size_t				 ncats, catcap, nattrs, attrcap;
	int64_t				 fake_id;
	size_t				 errcap;
	int				 dberr;
	/*
	 * The batch: products read whole, written by batch_tx() from
	 * `from` to `to` (a run ends after a product whose images are
	 * fetched: fetch). A run counts in pend and notes in pnotes, each
	 * at its place in the report (its product's, note_at, after the
	 * `merged` notes of the batch's runs committed before); both join
	 * the report at the commit. A run that starts again forgets the
	 * categories, attributes and parents learnt past ncats0, nattrs0
	 * and nparents0. fail_*: the product not written, for the log.
	 */
	struct pending			*pending;	/* ctx->a */
	size_t				 npending, from, to;
	int				 fetch;
	size_t				 ncats0, nattrs0, nparents0;
	struct catalog_import_report	 pend;
	struct pnote			*pnotes;	/* ctx->a */
	size_t				 npnotes, pnotecap;
	size_t				 note_at, merged;
	size_t				 fail_line;
	struct str			 fail_slug;
	/* New products the plan still allows (platform/quota.h;
	 * PLAN_UNLIMITED: no limit), read again by each run of a batch,
	 * under the quota row's lock that the batch then holds. */
	int64_t				 room;
	int				 room_read;
	struct fetch_limits		 lim;
	struct strbuf			 body;
};

/* --- errors --------------------------------------------------------------- */

static void
note(struct imp *im, size_t line, const char *reason, struct str detail,
    int warning)
{
	struct catalog_import_report	*r = im->r;
	struct catalog_import_error	*e;
	size_t				 n = detail.len, pos;

	if (im->note_at != NOTE_NOW) {
		/* A batch's note waits for its commit (batch_merge()), to
		 * go where the product's rows were read. */
		pos = im->note_at + im->merged + im->npnotes;
		if (pos >= CATALOG_IMPORT_MAX_ERRORS)
			return;
		im->pnotes = shop_grow(im->ctx->a, im->pnotes,
		    sizeof(*im->pnotes), im->npnotes, &im->pnotecap);
		im->pnotes[im->npnotes].pos = pos;
		e = &im->pnotes[im->npnotes++].e;
	} else {
		if (r->nerrors >= CATALOG_IMPORT_MAX_ERRORS)
			return;
		r->errors = shop_grow(im->ctx->a, r->errors,
		    sizeof(*r->errors), r->nerrors, &im->errcap);
		e = &r->errors[r->nerrors++];
	}
	/* Cut at a character's start: the detail is shown as text. */
	if (n > IMPORT_DETAIL_MAX) {
		n = IMPORT_DETAIL_MAX;
		while (n > 0 && ((unsigned char)detail.p[n] & 0xc0) == 0x80)
			n--;
	}
	e->line = line;
	e->reason = reason;
	e->detail = arena_str(im->ctx->a, (struct str){ detail.p, n });
	e->warning = warning;
}

/* Refuses the group (the product) for a reason on line. */
static void
refuse(struct imp *im, size_t line, const char *reason, struct str detail)
{
	note(im, line, reason, detail, 0);
	im->g.refused = 1;
	if (line != im->g.line)
		im->g.refused_below = 1;
}

/* --- cells ---------------------------------------------------------------- */

/* A cell of field f, trimmed, without the apostrophe of souk's export
 * (csv.h); "" when the file has no such column. */
static struct str
cell(const struct imp *im, const struct csv_row *row, int col)
{
	if (col < 0 || (size_t)col >= row->n)
		return STR("");
	return str_trim(csv_unneutralise(str_trim(row->v[col])));
}

static struct str
field(const struct imp *im, const struct csv_row *row,
    enum catalog_csv_field f)
{
	return cell(im, row, im->map.col[f]);
}

static struct str
keep(struct imp *im, struct str s)
{
	return arena_str(&im->ga, s);
}

/* A sale date cell into UTC seconds (0: open). WooCommerce writes the
 * shop's local time: read on the shop's clock (core/tz.h). */
static int
date_of(struct imp *im, struct str s, size_t line, int64_t *out)
{
	char		 buf[CATALOG_CSV_DATE_LEN];
	const char	*why, *tz = im->ctx->time_zone;
	int		 f[6];
	time_t		 t;
	int		 rc;

	*out = 0;
	if ((rc = catalog_csv_date(s, buf, &why)) == 1)
		return 0;
	if (rc == -1) {
		refuse(im, line, why, s);
		return -1;
	}
	if (tz == NULL || !tz_known(str_c(tz)))
		tz = "UTC";
	/* catalog_csv_date() wrote a real date "YYYY-MM-DD HH:MM:SS". */
	if (sscanf(buf, "%d-%d-%d %d:%d:%d", &f[0], &f[1], &f[2], &f[3],
	    &f[4], &f[5]) != 6 ||
	    (t = tz_utc(tz, f[0], f[1], f[2], f[3], f[4], f[5])) <= 0) {
		refuse(im, line, r_date_range, s);
		return -1;
	}
	*out = (int64_t)t;
	return 0;
}

/* A price cell: 0 and *out, 1 empty (*out -1), -1 refused. */
static int
price_of(struct imp *im, struct str s, size_t line, int64_t *out)
{
	const char	*why;
	int		 rc;

	*out = -1;
	rc = catalog_csv_price(im->map.format, s, im->ctx->currency, out,
	    &why);
	if (rc == -1)
		refuse(im, line, why, s);
	if (rc != 0)
		*out = -1;
	return rc;
}

/* A stock cell; in_stock is the "In stock?" cell's value (-1: none). */
static int
stock_of(struct imp *im, struct str s, int in_stock, size_t line,
    int64_t *out)
{
	if (s.len == 0) {
		*out = in_stock == 0 ? 0 : IMPORT_UNTRACKED_STOCK;
		return 0;
	}
	if (str_to_i64(s, INT64_MIN / 2, INT64_MAX / 2, out) == -1 ||
	    *out > INT32_MAX) {
		refuse(im, line, r_stock, s);
		return -1;
	}
	/* Backorders leave a negative stock: souk's is never below 0. */
	if (*out < 0 || in_stock == 0)
		*out = 0;
	return 0;
}

/* What one row says of prices, stock, weight and SKU into v. */
static void
read_ivar(struct imp *im, const struct csv_row *row, struct ivar *v)
{
	const char	*why;
	struct str	 s;
	int64_t		 cmp;
	int		 in_stock;

	memset(v, 0, sizeof(*v));
	v->line = row->line;
	v->sku = keep(im, field(im, row, CATALOG_CSV_SKU));
	if (str_chars(v->sku) > 64 || !str_valid_text(v->sku))
		refuse(im, row->line, r_sku, v->sku);
	price_of(im, field(im, row, CATALOG_CSV_REGULAR_PRICE), row->line,
	    &v->price);
	v->sale = -1;
	if (im->map.format == CATALOG_CSV_WOO) {
		price_of(im, field(im, row, CATALOG_CSV_SALE_PRICE), row->line,
		    &v->sale);
		date_of(im, field(im, row, CATALOG_CSV_SALE_FROM), row->line,
		    &v->from);
		date_of(im, field(im, row, CATALOG_CSV_SALE_TO), row->line,
		    &v->to);
	} else if (price_of(im, field(im, row, CATALOG_CSV_COMPARE_AT_PRICE),
	    row->line, &cmp) == 0 && v->price >= 0 && cmp > v->price) {
		/* Shopify: the price is what is charged, the compare-at
		 * price the regular one struck through. */
		v->sale = v->price;
		v->price = cmp;
	}
	in_stock = im->map.col[CATALOG_CSV_IN_STOCK] >= 0 ?
	    catalog_csv_bool(field(im, row, CATALOG_CSV_IN_STOCK)) : -1;
	s = field(im, row, CATALOG_CSV_STOCK);
	/* WooCommerce: a variation whose stock its parent manages. */
	if (str_casecmp_eq(s, STR("parent")))
		v->stock = STOCK_OF_PARENT;
	else
		stock_of(im, s, in_stock, row->line, &v->stock);
	s = field(im, row, CATALOG_CSV_WEIGHT);
	if (catalog_csv_weight(s, im->map.weight_unit, &v->weight, &why) != 0)
		v->weight = -1;
	if (v->weight == -1 && s.len != 0)
		refuse(im, row->line, why, s);
	if (v->sale >= 0 && v->price >= 0 &&
	    (why = sale_check(v->price, v->sale, (time_t)v->from,
	    (time_t)v->to, &(const char *){ NULL })) != NULL)
		refuse(im, row->line, why, field(im, row,
		    im->map.format == CATALOG_CSV_WOO ?
		    CATALOG_CSV_SALE_PRICE : CATALOG_CSV_COMPARE_AT_PRICE));
	else if (v->from != 0 && v->to != 0 && v->to <= v->from &&
	    (why = sale_check(0, -1, (time_t)v->from, (time_t)v->to,
	    &(const char *){ NULL })) != NULL)
		refuse(im, row->line, why, field(im, row,
		    CATALOG_CSV_SALE_TO));
}

/* The group's attribute named name (ASCII case ignored), added when
 * new; -1 when there are too many. */
static int
group_attr(struct imp *im, struct str name, size_t line)
{
	struct group	*g = &im->g;
	size_t		 k;

	for (k = 0; k < g->nattrs; k++)
		if (str_casecmp_eq(g->attrs[k], name))
			return (int)k;
	if (g->nattrs == CATALOG_CSV_MAX_ATTRS) {
		refuse(im, line, r_too_many_attrs, name);
		return -1;
	}
	g->attrs[g->nattrs] = keep(im, name);
	g->avalues[g->nattrs] = STR("");
	return (int)g->nattrs++;
}

static void
add_image(struct imp *im, struct str url, struct str alt, size_t line,
    int64_t pos)
{
	struct group	*g = &im->g;
	size_t		 i;

	if (url.len == 0)
		return;
	for (i = 0; i < g->nimages; i++)
		if (str_eq(g->images[i], url))
			return;
	if (g->nimages == IMPORT_MAX_IMAGES) {
		note(im, line, r_image_full, url, 1);
		return;
	}
	g->image_line[g->nimages] = line;
	g->image_pos[g->nimages] = pos;
	g->image_alt[g->nimages] = alt.len <= GALLERY_ALT_MAX &&
	    str_valid_text(alt) ? keep(im, alt) : STR("");
	g->images[g->nimages++] = keep(im, url);
}

static struct ivar *
new_variant(struct imp *im, const struct csv_row *row)
{
	struct group	*g = &im->g;
	struct ivar	*v;

	if (g->nv == IMPORT_MAX_VARIANTS) {
		refuse(im, row->line, r_too_many_variants, STR(""));
		return NULL;
	}
	g->v = shop_grow(&im->ga, g->v, sizeof(*g->v), g->nv, &g->vcap);
	v = &g->v[g->nv++];
	read_ivar(im, row, v);
	return v;
}

/* Opens a group at row: what every format's first row gives. */
static void
open_group(struct imp *im, const struct csv_row *row)
{
	struct group	*g = &im->g;

	memset(g, 0, sizeof(*g));
	g->open = 1;
	g->line = row->line;
	g->name = keep(im, field(im, row, CATALOG_CSV_NAME));
	g->desc = keep(im, field(im, row, CATALOG_CSV_DESCRIPTION));
	g->tax = "standard";
}

/* --- WooCommerce ---------------------------------------------------------- */

enum woo_type { WOO_SIMPLE, WOO_VARIABLE, WOO_VARIATION, WOO_OTHER };

/* "simple", "variable, virtual", "variation, downloadable" */
static enum woo_type
woo_type(struct imp *im, struct str s)
{
	struct str	 item;
	enum woo_type	 t = WOO_OTHER;

	while (catalog_csv_list_next(&im->ga, &s, &item)) {
		if (str_casecmp_eq(item, STR("simple")))
			t = WOO_SIMPLE;
		else if (str_casecmp_eq(item, STR("variable")))
			t = WOO_VARIABLE;
		else if (str_casecmp_eq(item, STR("variation")))
			t = WOO_VARIATION;
		else if (!str_casecmp_eq(item, STR("virtual")) &&
		    !str_casecmp_eq(item, STR("downloadable")))
			return WOO_OTHER;
	}
	return t;
}

static void	flush(struct imp *);
static void	batch_run(struct imp *);

/* A description as WooCommerce's exporter writes it: each line break
 * as the two characters "\n" (and a "\n" typed by the merchant as
 * "\\n"); a copy in the group's arena. */
static struct str
woo_text(struct imp *im, struct str s)
{
	char	*out;
	size_t	 i, o = 0;

	if (memchr(s.p, '\\', s.len) == NULL)
		return keep(im, s);
	out = arena_alloc(&im->ga, s.len + 1);
	for (i = 0; i < s.len; i++) {
		if (s.p[i] == '\\' && i + 2 < s.len && s.p[i + 1] == '\\' &&
		    s.p[i + 2] == 'n') {
			out[o++] = '\\';
			out[o++] = 'n';
			i += 2;
		} else if (s.p[i] == '\\' && i + 1 < s.len &&
		    s.p[i + 1] == 'n') {
			out[o++] = '\n';
			i++;
		} else
			out[o++] = s.p[i];
	}
	out[o] = '\0';
	return (struct str){ out, o };
}

static void
woo_first(struct imp *im, const struct csv_row *row, enum woo_type t)
{
	struct group	*g = &im->g;
	struct str	 s, item;
	size_t		 k;
	int		 b, i;

	open_group(im, row);
	g->variable = t == WOO_VARIABLE;
	g->woo_id = keep(im, field(im, row, CATALOG_CSV_ID));
	g->sku = keep(im, field(im, row, CATALOG_CSV_SKU));
	g->short_desc = woo_text(im, field(im, row, CATALOG_CSV_SHORT_DESC));
	g->desc = woo_text(im, g->desc);
	b = catalog_csv_bool(field(im, row, CATALOG_CSV_PUBLISHED));
	g->active = b == 1 || im->map.col[CATALOG_CSV_PUBLISHED] < 0;
	g->featured = catalog_csv_bool(field(im, row,
	    CATALOG_CSV_FEATURED)) == 1;
	s = field(im, row, CATALOG_CSV_TAX_CLASS);
	if (s.len == 0 || str_casecmp_eq(s, STR("standard")))
		g->tax = "standard";
	else if (str_casecmp_eq(s, STR("reduced-rate")))
		g->tax = "reduced";
	else if (str_casecmp_eq(s, STR("zero-rate")))
		g->tax = "zero";
	else
		refuse(im, row->line, r_tax, s);
	s = field(im, row, CATALOG_CSV_CATEGORIES);
	while (catalog_csv_list_next(&im->ga, &s, &item))
		if (g->ncats < IMPORT_MAX_CATS)
			g->cats[g->ncats++] = keep(im, item);
	s = field(im, row, CATALOG_CSV_IMAGES);
	while (catalog_csv_list_next(&im->ga, &s, &item))
		add_image(im, item, STR(""), row->line, -1);
	for (k = 0; k < im->map.nattrs; k++) {
		struct str name = cell(im, row, im->map.attr_name[k]);

		if (name.len == 0)
			continue;
		if ((i = group_attr(im, name, row->line)) >= 0)
			g->avalues[i] = keep(im, cell(im, row,
			    im->map.attr_value[k]));
	}
	/* A variable product's row may give the weight its variants
	 * fall back to. */
	read_ivar(im, row, &g->base);
}

static void
woo_variation(struct imp *im, const struct csv_row *row)
{
	struct ivar	*v;
	struct str	 s, item;
	size_t		 k;
	int		 i;

	if ((v = new_variant(im, row)) == NULL)
		return;
	for (k = 0; k < im->map.nattrs; k++) {
		struct str name = cell(im, row, im->map.attr_name[k]);

		s = cell(im, row, im->map.attr_value[k]);
		/* An empty value is WooCommerce's "any": no value. */
		if (name.len == 0 || !catalog_csv_list_next(&im->ga, &s,
		    &item))
			continue;
		if ((i = group_attr(im, name, row->line)) >= 0)
			v->values[i] = keep(im, item);
	}
	s = field(im, row, CATALOG_CSV_IMAGES);
	if (catalog_csv_list_next(&im->ga, &s, &item)) {
		v->image = keep(im, item);
		add_image(im, item, STR(""), row->line, -1);
	}
}

/* Whether a Parent cell ("id:42" or a SKU) names the product of woo_id
 * and sku. */
static int
parent_is(struct str p, struct str woo_id, struct str sku)
{
	if (p.len > 3 && strncmp(p.p, "id:", 3) == 0)
		return str_eq((struct str){ p.p + 3, p.len - 3 }, woo_id);
	return p.len != 0 && str_eq(p, sku);
}

/* The variable product of the file a Parent cell names, or NULL. */
static const struct parent_ref *
parent_seen(struct imp *im, struct str p)
{
	size_t i;

	for (i = im->nparents; i-- > 0; )
		if (parent_is(p, im->parents[i].woo_id, im->parents[i].sku))
			return &im->parents[i];
	return NULL;
}

/* Whether a Parent cell names a product of the batch, not written yet:
 * its slug, which its late variations join, is known once it is. */
static int
parent_pending(const struct imp *im, struct str p)
{
	size_t i;

	for (i = 0; i < im->npending; i++) {
		const struct group *g = &im->pending[i].g;

		if (!g->late && g->variable && parent_is(p, g->woo_id,
		    g->sku))
			return 1;
	}
	return 0;
}

static void
open_late(struct imp *im, const struct csv_row *row,
    const struct parent_ref *ref)
{
	struct group *g = &im->g;

	memset(g, 0, sizeof(*g));
	g->open = g->late = g->variable = 1;
	g->line = row->line;
	g->tax = "standard";
	g->woo_id = keep(im, ref->woo_id);
	g->sku = keep(im, ref->sku);
	g->late_slug = keep(im, ref->slug);
	g->base.stock = -1;
}

/* Whether row's Parent names the open group ("id:42" or its SKU). */
static int
woo_is_parent(struct imp *im, const struct csv_row *row)
{
	struct group	*g = &im->g;
	struct str	 p = field(im, row, CATALOG_CSV_PARENT);

	if (!g->open || !g->variable)
		return 0;
	return parent_is(p, g->woo_id, g->sku);
}

static void
woo_row(struct imp *im, const struct csv_row *row)
{
	enum woo_type t = woo_type(im, field(im, row, CATALOG_CSV_TYPE));

	if (t == WOO_VARIATION) {
		const struct parent_ref	*ref;
		struct str		 parent = field(im, row,
					    CATALOG_CSV_PARENT);

		if (woo_is_parent(im, row)) {
			im->g.nrows++;
			woo_variation(im, row);
			return;
		}
		if (parent_pending(im, parent)) {
			/* Its slug is known once it is written: the batch
			 * is written first, the open product set aside
			 * (its rows stay in im->ga). */
			struct group open = im->g;

			batch_run(im);
			im->g = open;
			if (im->dberr)
				return;
		}
		if ((ref = parent_seen(im, parent)) != NULL) {
			flush(im);
			open_late(im, row, ref);
			im->g.nrows = 1;
			woo_variation(im, row);
			return;
		}
		note(im, row->line, r_orphan, parent, 0);
		im->r->rows_refused++;
		return;
	}
	flush(im);
	if (t == WOO_OTHER) {
		note(im, row->line, r_type, field(im, row, CATALOG_CSV_TYPE),
		    0);
		im->r->rows_refused++;
		return;
	}
	woo_first(im, row, t);
	im->g.nrows = 1;
}

/* --- Shopify -------------------------------------------------------------- */

static void
shopify_first(struct imp *im, const struct csv_row *row, struct str handle)
{
	struct group	*g = &im->g;
	struct str	 s;
	size_t		 k;

	open_group(im, row);
	g->handle = keep(im, handle);
	s = field(im, row, CATALOG_CSV_STATUS);
	if (im->map.col[CATALOG_CSV_STATUS] >= 0 && s.len != 0)
		g->active = str_casecmp_eq(s, STR("active"));
	else
		g->active = catalog_csv_bool(field(im, row,
		    CATALOG_CSV_PUBLISHED)) != 0;
	s = field(im, row, CATALOG_CSV_CATEGORIES);
	if (s.len != 0)
		g->cats[g->ncats++] = keep(im, s);
	for (k = 0; k < CATALOG_CSV_SHOPIFY_OPTIONS; k++) {
		struct str name = cell(im, row, im->map.attr_name[k]);

		/* Option k stays at index k: rows give values by index. */
		g->attrs[k] = keep(im, name);
		if (name.len != 0)
			g->nattrs = k + 1;
	}
	if (catalog_csv_bool(field(im, row, CATALOG_CSV_TAXABLE)) == 0)
		g->tax = "zero";
}

static void
shopify_row(struct imp *im, const struct csv_row *row)
{
	struct group	*g = &im->g;
	struct str	 handle = field(im, row, CATALOG_CSV_HANDLE), s;
	struct ivar	*v;
	int64_t		 pos = -1;
	size_t		 k;
	int		 is_variant = 0;

	if (handle.len == 0) {
		note(im, row->line, r_no_handle, STR(""), 0);
		im->r->rows_refused++;
		return;
	}
	if (!g->open || !str_eq(handle, g->handle)) {
		flush(im);
		shopify_first(im, row, handle);
	}
	g->nrows++;
	/* Rows past the first may hold only an image. */
	if (field(im, row, CATALOG_CSV_SKU).len != 0 ||
	    field(im, row, CATALOG_CSV_REGULAR_PRICE).len != 0)
		is_variant = 1;
	for (k = 0; k < CATALOG_CSV_SHOPIFY_OPTIONS; k++)
		if (cell(im, row, im->map.attr_value[k]).len != 0)
			is_variant = 1;
	if (is_variant && (v = new_variant(im, row)) != NULL) {
		for (k = 0; k < CATALOG_CSV_SHOPIFY_OPTIONS; k++)
			v->values[k] = keep(im, cell(im, row,
			    im->map.attr_value[k]));
		s = field(im, row, CATALOG_CSV_VARIANT_IMAGE);
		if (s.len != 0) {
			v->image = keep(im, s);
			add_image(im, s, STR(""), row->line, INT32_MAX);
		}
	}
	s = field(im, row, CATALOG_CSV_IMAGE_POSITION);
	if (s.len != 0 && str_to_i64(s, 0, INT32_MAX - 1, &pos) == -1)
		pos = -1;
	add_image(im, field(im, row, CATALOG_CSV_IMAGES), field(im, row,
	    CATALOG_CSV_IMAGE_ALT), row->line, pos);
}

/* --- the shop's categories and attributes --------------------------------- */

static int
load_known(struct imp *im)
{
	struct shop_ctx		*c = &im->g_ctx;
	struct category		*cv;
	struct attribute	*av;
	size_t			 n, i;

	if (category_list(c, &cv, &n) != SHOP_OK)
		return -1;
	for (i = 0; i < n; i++) {
		im->cats = shop_grow(im->ctx->a, im->cats, sizeof(*im->cats),
		    im->ncats, &im->catcap);
		im->cats[im->ncats++] = (struct known){ cv[i].id,
		    cv[i].parent_id, arena_str(im->ctx->a, cv[i].name),
		    arena_str(im->ctx->a, cv[i].slug) };
	}
	if (attribute_list(c, &av, &n) != SHOP_OK)
		return -1;
	for (i = 0; i < n; i++) {
		im->attrs = shop_grow(im->ctx->a, im->attrs,
		    sizeof(*im->attrs), im->nattrs, &im->attrcap);
		im->attrs[im->nattrs++] = (struct known){ av[i].id,
		    av[i].parent_id, arena_str(im->ctx->a, av[i].name),
		    arena_str(im->ctx->a, av[i].slug) };
	}
	arena_reset(&im->wa);
	return 0;
}

static const struct known *
find_known(const struct known *v, size_t n, int64_t parent, struct str name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].parent == parent && (str_casecmp_eq(v[i].name, name)
		    || str_eq(v[i].slug, name)))
			return &v[i];
	return NULL;
}

static int64_t
remember(struct imp *im, struct known **v, size_t *n, size_t *cap,
    int64_t id, int64_t parent, struct str name, struct str slug)
{
	*v = shop_grow(im->ctx->a, *v, sizeof(**v), *n, cap);
	(*v)[(*n)++] = (struct known){ id, parent, arena_str(im->ctx->a,
	    name), arena_str(im->ctx->a, slug) };
	return id;
}

/* A name usable as a category's or attribute's: text, 1..200. */
static int
name_ok(struct str s)
{
	return s.len != 0 && str_valid_text(s) && str_chars(s) <= 200;
}

/* The slug of try k for name (k 0: the name's own). */
static struct str
slug_try(struct imp *im, struct str base, const char *fallback, int k,
    size_t max)
{
	struct str s = shop_slugify(&im->wa, base);

	if (s.len == 0)
		s = str_c(fallback);
	if (s.len > max - 4)
		s.len = max - 4;
	while (s.len > 0 && s.p[s.len - 1] == '-')
		s.len--;
	if (k == 0)
		return s;
	return str_c(arena_printf(&im->wa, "%.*s-%d", (int)s.len, s.p,
	    k + 1));
}

/* The id of a category path ("A > B"), made when missing; 0 and the
 * group refused when a name is wrong. */
static int64_t
category_of(struct imp *im, struct str path)
{
	const struct known	*k;
	struct field_errors	 errs;
	struct str		 name, slug;
	int64_t			 parent = 0, id;
	int			 t, rc;

	while (catalog_csv_path_next(&path, &name)) {
		if (!name_ok(name)) {
			refuse(im, im->g.line, r_category, name);
			return 0;
		}
		if ((k = find_known(im->cats, im->ncats, parent, name)) !=
		    NULL) {
			parent = k->id;
			continue;
		}
		im->pend.categories_new++;
		if (im->mode == CATALOG_IMPORT_PREVIEW || parent < 0) {
			parent = remember(im, &im->cats, &im->ncats,
			    &im->catcap, --im->fake_id, parent, name, name);
			continue;
		}
		/* A slug is the shop's: "Men > Hoodies" after "Women >
		 * Hoodies" takes "hoodies-2". */
		rc = SHOP_ECONFLICT;
		for (t = 0; t < 20 && rc == SHOP_ECONFLICT; t++) {
			slug = slug_try(im, name, "category", t, 80);
			rc = category_add(&im->g_ctx, slug, name, parent,
			    &errs, &id);
		}
		if (rc == SHOP_EDB) {
			im->dberr = 1;
			return 0;
		}
		if (rc != SHOP_OK) {
			im->pend.categories_new--;
			refuse(im, im->g.line, r_category, name);
			return 0;
		}
		parent = remember(im, &im->cats, &im->ncats, &im->catcap, id,
		    parent, name, slug);
	}
	return parent;
}

/* The id of attribute (parent 0) or value name, made when missing. */
static int64_t
attribute_of(struct imp *im, int64_t parent, struct str name)
{
	const struct known	*k;
	struct attribute_input	 in;
	struct field_errors	 errs;
	struct str		 slug;
	int64_t			 id;
	int			 t, rc;

	name = str_trim(name);
	if (!name_ok(name)) {
		refuse(im, im->g.line, r_attribute, name);
		return 0;
	}
	if ((k = find_known(im->attrs, im->nattrs, parent, name)) != NULL)
		return k->id;
	if (im->mode == CATALOG_IMPORT_PREVIEW || parent < 0)
		return remember(im, &im->attrs, &im->nattrs, &im->attrcap,
		    --im->fake_id, parent, name, name);
	memset(&in, 0, sizeof(in));
	str_copy(in.texts[0].locale, sizeof(in.texts[0].locale),
	    str_c(im->g_ctx.default_locale));
	in.texts[0].name = name;
	in.ntexts = 1;
	rc = SHOP_ECONFLICT;
	for (t = 0; t < 20 && rc == SHOP_ECONFLICT; t++) {
		in.slug = slug = slug_try(im, name, parent ? "value" :
		    "attribute", t, 120);
		errs.n = 0;
		rc = attribute_save(&im->g_ctx, 0, parent, &in, &errs, &id);
	}
	if (rc == SHOP_EDB) {
		im->dberr = 1;
		return 0;
	}
	if (rc != SHOP_OK) {
		refuse(im, im->g.line, r_attribute, name);
		return 0;
	}
	return remember(im, &im->attrs, &im->nattrs, &im->attrcap, id,
	    parent, name, slug);
}

/* --- checking a group ----------------------------------------------------- */

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The index of id in im->attrs (the shop's order), or SIZE_MAX. */
static size_t
attr_index(const struct imp *im, int64_t id)
{
	for (size_t i = 0; i < im->nattrs; i++)
		if (im->attrs[i].id == id)
			return i;
	return SIZE_MAX;
}

/* Resolves v's values into ids, its key and its name: its values'
 * names as the shop has them, in the order of their attributes in
 * the shop (attribute.h's names, so no rename is needed). */
static void
variant_values(struct imp *im, struct ivar *v)
{
	struct group	*g = &im->g;
	struct strbuf	 name = STRBUF_INIT, key = STRBUF_INIT;
	int64_t		 sorted[CATALOG_CSV_MAX_ATTRS];
	size_t		 order[CATALOG_CSV_MAX_ATTRS];
	size_t		 val[CATALOG_CSV_MAX_ATTRS];
	size_t		 k, j, n = 0;

	v->nids = 0;
	for (k = 0; k < g->nattrs && !im->dberr; k++) {
		if (v->values[k].len == 0 || g->attr_ids[k] == 0)
			continue;
		v->ids[v->nids] = attribute_of(im, g->attr_ids[k],
		    v->values[k]);
		if (v->ids[v->nids] != 0)
			v->nids++;
	}
	if (im->dberr)
		goto out;
	for (k = 0; k < v->nids; k++) {
		size_t vi = attr_index(im, v->ids[k]);
		size_t ai = vi == SIZE_MAX ? SIZE_MAX :
		    attr_index(im, im->attrs[vi].parent);

		for (j = n; j > 0 && order[j - 1] > ai; j--) {
			order[j] = order[j - 1];
			val[j] = val[j - 1];
		}
		order[j] = ai;
		val[j] = vi;
		n++;
	}
	for (k = 0; k < n; k++) {
		if (val[k] == SIZE_MAX)
			continue;
		if (name.len)
			strbuf_addstr(&name, " / ");
		strbuf_addv(&name, im->attrs[val[k]].name);
	}
	memcpy(sorted, v->ids, v->nids * sizeof(*sorted));
	qsort(sorted, v->nids, sizeof(*sorted), cmp_i64);
	for (k = 0; k < v->nids; k++)
		strbuf_addf(&key, "%s%lld", k ? "," : "",
		    (long long)sorted[k]);
	v->idkey = arena_str(&im->wa, strbuf_str(&key));
	/* The column's 120 characters, cut as attribute.c's LEFT(). */
	if (str_chars(strbuf_str(&name)) > 120) {
		size_t c = 0, i;

		for (i = 0; i < name.len; i++)
			if (((unsigned char)name.buf[i] & 0xc0) != 0x80 &&
			    c++ == 120)
				break;
		strbuf_setlen(&name, i);
	}
	v->name = arena_str(&im->wa, strbuf_str(&name));
out:
	strbuf_release(&name);
	strbuf_release(&key);
}

/* Checks the whole group; fills pl's product fields. */
static void
check_group(struct imp *im, struct product_plan *pl)
{
	struct group	*g = &im->g;
	struct str	 d;
	size_t		 i;

	if (g->late)
		;	/* its product's fields were read with it */
	else if (g->name.len == 0)
		refuse(im, g->line, r_no_name, STR(""));
	else if (!str_valid_text(g->name) || str_chars(g->name) > 200)
		refuse(im, g->line, r_name, g->name);
	/* Shopify's one "Default Title" variant is a simple product. */
	if (im->map.format == CATALOG_CSV_SHOPIFY) {
		if (g->nv == 0) {
			refuse(im, g->line, r_no_price, STR(""));
			return;
		}
		if (g->nv == 1 && (g->nattrs == 0 ||
		    (g->nattrs == 1 && str_casecmp_eq(g->attrs[0],
		    STR("Title")) && str_eq(g->v[0].values[0],
		    STR("Default Title"))))) {
			g->base = g->v[0];
			g->nv = 0;
			g->nattrs = 0;
		} else
			g->variable = 1;
		g->sku = g->v[0].sku;
	}
	if (g->variable && g->nv == 0)
		refuse(im, g->line, r_no_variations, STR(""));
	if (!g->variable && g->base.price < 0 && g->base.sale < 0)
		refuse(im, g->base.line, r_no_price, STR(""));
	for (i = 0; i < g->nv; i++) {
		if (g->v[i].price < 0)
			refuse(im, g->v[i].line, r_no_price, STR(""));
		/* Stock the parent manages: each variant shows it. */
		if (g->v[i].stock == STOCK_OF_PARENT)
			g->v[i].stock = g->base.stock < 0 ?
			    IMPORT_UNTRACKED_STOCK : g->base.stock;
	}
	if (g->late)
		return;
	d = g->desc.len ? g->desc : g->short_desc;
	pl->desc.html = STR_NULL;
	pl->desc.text = d;
	if (!str_valid_text(d) || (richtext_is_html(d) &&
	    richtext_sanitize(&im->ga, d.p, d.len, &pl->desc) == -1) ||
	    str_chars(pl->desc.text) > 20000 || pl->desc.text.len > 65535)
		refuse(im, g->line, r_desc, STR(""));
	if (pl->desc.html.p != NULL && pl->desc.html.len == 0)
		pl->desc.html = STR("");
	if (g->refused)
		return;

	pl->active = g->active;
	pl->featured = g->featured;
	if (!g->variable) {
		pl->price = g->base.price;
		pl->sale = g->base.sale;
		pl->from = g->base.from;
		pl->to = g->base.to;
		pl->stock = g->base.stock;
		pl->weight = g->base.weight < 0 ? 0 : g->base.weight;
		if (pl->price < 0)
			pl->price = pl->sale;
		return;
	}
	/* A product with variants: its card shows the lowest price; its
	 * stock is its variants'. */
	pl->price = INT64_MAX;
	pl->sale = -1;
	pl->stock = 0;
	pl->weight = g->base.weight < 0 ? 0 : g->base.weight;
	for (i = 0; i < g->nv; i++) {
		if (g->v[i].price < pl->price)
			pl->price = g->v[i].price;
		pl->stock += g->v[i].stock;
	}
	if (pl->stock > INT32_MAX)
		pl->stock = INT32_MAX;
}

/* Categories and attributes the group needs, made when missing. */
static void
resolve(struct imp *im, struct product_plan *pl)
{
	struct group	*g = &im->g;
	struct str	 s, item;
	size_t		 i, j, k;

	pl->cat = 0;
	for (i = 0; i < g->ncats && !g->refused && !im->dberr; i++) {
		int64_t id = category_of(im, g->cats[i]);

		if (i == 0)
			pl->cat = id;
	}
	for (k = 0; k < g->nattrs && !g->refused && !im->dberr; k++)
		g->attr_ids[k] = g->attrs[k].len ? attribute_of(im, 0,
		    g->attrs[k]) : 0;
	if (g->refused || im->dberr)
		return;
	for (i = 0; i < g->nv && !im->dberr; i++)
		variant_values(im, &g->v[i]);
	for (i = 0; i < g->nv && !g->refused; i++)
		for (j = 0; j < i; j++)
			if (str_eq(g->v[i].idkey, g->v[j].idkey)) {
				refuse(im, g->v[i].line, r_same_values,
				    g->v[i].name);
				break;
			}
	/* A simple product's values ("made of wool"). */
	pl->npicks = 0;
	for (k = 0; !g->variable && k < g->nattrs && !g->refused; k++) {
		s = g->avalues[k];
		while (catalog_csv_list_next(&im->wa, &s, &item) &&
		    pl->npicks < ATTRIBUTE_MAX_PICKS && !im->dberr) {
			int64_t id = attribute_of(im, g->attr_ids[k], item);

			if (id == 0)
				break;
			pl->picks[pl->npicks].attribute_id = g->attr_ids[k];
			pl->picks[pl->npicks++].value_id = id;
		}
	}
}

/* --- comparing with the shop ---------------------------------------------- */

/* The slug the product is matched by; 0, or -1 with the group
 * refused, or SHOP_EDB. Reads the product when it exists. */
static int
match_product(struct imp *im, struct product_plan *pl)
{
	struct group	*g = &im->g;
	struct shop_ctx	*c = &im->g_ctx;
	struct db_stmt	*st;
	struct str	 tries[2], sku = STR("");
	size_t		 ntries = 0, t;
	int		 rc;

	if (g->late)
		tries[ntries++] = g->late_slug;
	else if (im->map.format == CATALOG_CSV_SHOPIFY)
		tries[ntries++] = shop_slug_valid(g->handle) &&
		    g->handle.len <= 120 ? g->handle :
		    shop_slugify(&im->wa, g->handle);
	else {
		tries[ntries++] = shop_slugify(&im->wa, g->name);
		if (g->sku.len)
			tries[ntries++] = shop_slugify(&im->wa, g->sku);
	}
	for (t = 0; t < ntries; t++) {
		if (!shop_slug_valid(tries[t]))
			continue;
		pl->slug = tries[t];
		if ((st = shop_stmt(c, &sql[ST_PRODUCT_BY_SLUG])) == NULL)
			return SHOP_EDB;
		db_bind_cstr(st, 0, c->default_locale);
		db_bind_str(st, 1, pl->slug);
		if (shop_exec(c, st) != SHOP_OK)
			return SHOP_EDB;
		if ((rc = db_step(st)) == 0) {
			db_done(st);
			pl->id = 0;
			return 0;
		}
		if (rc == -1) {
			db_done(st);
			return SHOP_EDB;
		}
		sku = db_col_str(st, 1);
		/* WooCommerce: a namesake of another SKU is another
		 * product (tried under its SKU's slug next). */
		if (im->map.format == CATALOG_CSV_WOO && g->sku.len != 0 &&
		    sku.len != 0 && !str_eq(sku, g->sku)) {
			db_done(st);
			continue;
		}
		pl->id = db_col_i64(st, 0);
		if (g->late) {
			db_done(st);
			return 0;
		}
		/* A variable product's price and stock are its
		 * variants' (ST_PRICE_FROM_VARIANTS), not compared. */
		pl->product_changed = !str_eq(sku, g->sku) ||
		    db_col_i64(st, 2) != pl->cat ||
		    (!g->variable && db_col_i64(st, 3) != pl->price) ||
		    db_col_i64(st, 4) != pl->sale ||
		    db_col_i64(st, 5) != pl->from ||
		    db_col_i64(st, 6) != pl->to ||
		    !str_eqc(db_col_str(st, 7), g->tax) ||
		    db_col_i64(st, 8) != pl->weight ||
		    (!g->variable && db_col_i64(st, 9) != pl->stock) ||
		    db_col_i64(st, 10) != pl->active ||
		    db_col_i64(st, 11) != pl->featured;
		pl->text_changed = db_col_i64(st, 12) == 0 ||
		    !str_eq(db_col_str(st, 13), g->name) ||
		    !str_eq(db_col_str(st, 14), pl->desc.text) ||
		    (db_col_i64(st, 15) != 0) != (pl->desc.html.p != NULL) ||
		    (pl->desc.html.p != NULL &&
		    !str_eq(db_col_str(st, 16), pl->desc.html));
		db_done(st);
		return 0;
	}
	refuse(im, g->line, ntries && shop_slug_valid(tries[0]) ?
	    r_slug_taken : r_slug, g->handle.len ? g->handle : g->name);
	return -1;
}

struct old_variant {
	int64_t		 id, price, sale, from, to, stock, weight, image_id;
	struct str	 sku, idkey;
	int		 taken;
};

/* Matches the group's variants with the product's: by SKU, else by
 * values. */
static int
match_variants(struct imp *im, struct product_plan *pl)
{
	struct group		*g = &im->g;
	struct shop_ctx		*c = &im->g_ctx;
	struct old_variant	*old = NULL;
	struct db_stmt		*st;
	size_t			 n = 0, cap = 0, i, j;
	int			 rc;

	if (pl->id == 0 || g->nv == 0)
		return 0;
	if ((st = shop_stmt(c, &sql[ST_VARIANTS_OF])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, pl->id);
	if (shop_exec(c, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		old = shop_grow(&im->wa, old, sizeof(*old), n, &cap);
		old[n++] = (struct old_variant){ db_col_i64(st, 0),
		    db_col_i64(st, 2), db_col_i64(st, 3), db_col_i64(st, 4),
		    db_col_i64(st, 5), db_col_i64(st, 6), db_col_i64(st, 7),
		    db_col_i64(st, 8), db_col_str(st, 1), db_col_str(st, 9),
		    0 };
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	for (i = 0; i < g->nv; i++) {
		struct ivar		*v = &g->v[i];
		struct old_variant	*o = NULL;

		for (j = 0; o == NULL && v->sku.len && j < n; j++)
			if (!old[j].taken && str_eq(old[j].sku, v->sku))
				o = &old[j];
		for (j = 0; o == NULL && j < n; j++)
			if (!old[j].taken && str_eq(old[j].idkey, v->idkey))
				o = &old[j];
		if (o == NULL)
			continue;
		o->taken = 1;
		v->id = o->id;
		v->image_id = o->image_id;
		v->values_changed = !str_eq(o->idkey, v->idkey);
		v->changed = v->values_changed || !str_eq(o->sku, v->sku) ||
		    o->price != v->price || o->sale != v->sale ||
		    o->from != v->from || o->to != v->to ||
		    o->stock != v->stock || o->weight != v->weight;
	}
	return 0;
}

/* A simple product's values against the shop's. */
static int
match_values(struct imp *im, struct product_plan *pl)
{
	int64_t	*have, want[ATTRIBUTE_MAX_PICKS];
	size_t	 n, i, nw = 0;

	if (im->g.variable)
		return 0;
	if (pl->id == 0) {
		pl->pvalues_changed = pl->npicks != 0;
		return 0;
	}
	if (attribute_product_values(&im->g_ctx, pl->id, &have, &n) !=
	    SHOP_OK)
		return SHOP_EDB;
	for (i = 0; i < pl->npicks; i++)
		want[nw++] = pl->picks[i].value_id;
	qsort(want, nw, sizeof(*want), cmp_i64);
	for (i = 1; nw && i < nw; i++)
		if (want[i] == want[i - 1]) {
			memmove(&want[i], &want[i + 1], (nw - i - 1) *
			    sizeof(*want));
			nw--;
			i--;
		}
	pl->pvalues_changed = n != nw || (n && memcmp(have, want,
	    n * sizeof(*want)) != 0);
	return 0;
}

/* The group's image URLs the product does not have yet, in order. */
static int
match_images(struct imp *im, struct product_plan *pl)
{
	struct group		*g = &im->g;
	struct gallery_image	*have = NULL;
	size_t			 n = 0, i, j, order[IMPORT_MAX_IMAGES];

	pl->nnew_images = 0;
	if (g->nimages == 0)
		return 0;
	if (pl->id != 0 && gallery_list(&im->g_ctx, pl->id, &have, &n) !=
	    SHOP_OK)
		return SHOP_EDB;
	/* Shopify's Image Position orders them; stable otherwise. */
	for (i = 0; i < g->nimages; i++) {
		for (j = i; j > 0 && g->image_pos[order[j - 1]] >
		    g->image_pos[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	pl->new_images = arena_calloc(&im->wa, g->nimages,
	    sizeof(*pl->new_images));
	pl->new_image_line = arena_calloc(&im->wa, g->nimages,
	    sizeof(*pl->new_image_line));
	pl->new_alts = arena_calloc(&im->wa, g->nimages,
	    sizeof(*pl->new_alts));
	for (i = 0; i < g->nimages; i++) {
		struct str url = g->images[order[i]];

		for (j = 0; j < n; j++)
			if (str_eq(have[j].source_url, url))
				break;
		if (j < n)
			continue;
		pl->new_image_line[pl->nnew_images] =
		    g->image_line[order[i]];
		pl->new_alts[pl->nnew_images] = g->image_alt[order[i]];
		pl->new_images[pl->nnew_images++] = url;
	}
	return 0;
}

/* --- writing -------------------------------------------------------------- */

static void
bind_opt(struct db_stmt *st, unsigned i, int64_t v)
{
	if (v < 0)
		db_bind_null(st, i);
	else
		db_bind_i64(st, i, v);
}

static int
write_product(struct shop_ctx *ctx, struct product_plan *pl)
{
	struct group	*g = pl->g;
	struct db_stmt	*st;
	unsigned	 i = 0;

	st = shop_stmt(ctx, &sql[pl->id ? ST_PRODUCT_UPDATE :
	    ST_PRODUCT_INSERT]);
	if (st == NULL)
		return SHOP_EDB;
	db_bind_str(st, i++, g->sku);
	db_bind_i64(st, i++, pl->cat);
	db_bind_i64(st, i++, pl->price);
	bind_opt(st, i++, pl->sale);
	db_bind_i64(st, i++, pl->from);
	db_bind_i64(st, i++, pl->to);
	db_bind_cstr(st, i++, g->tax);
	db_bind_i64(st, i++, pl->weight);
	db_bind_i64(st, i++, pl->stock);
	db_bind_i64(st, i++, pl->active);
	db_bind_i64(st, i++, pl->featured);
	if (pl->id)
		db_bind_i64(st, i++, pl->id);
	else
		db_bind_str(st, i++, pl->slug);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if (pl->id == 0)
		pl->id = (int64_t)db_insert_id(st);
	db_done(st);
	return SHOP_OK;
}

static int
write_text(struct shop_ctx *ctx, struct product_plan *pl)
{
	struct db_stmt *st = shop_stmt(ctx, &sql[ST_TEXT_UPSERT]);

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, pl->id);
	db_bind_cstr(st, 1, ctx->default_locale);
	db_bind_str(st, 2, pl->g->name);
	db_bind_str(st, 3, pl->desc.text);
	if (pl->desc.html.p != NULL)
		db_bind_str(st, 4, pl->desc.html);
	else
		db_bind_null(st, 4);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}

static int
write_variant(struct shop_ctx *ctx, struct product_plan *pl, struct ivar *v,
    size_t pos, int64_t *id)
{
	struct db_stmt	*st;
	unsigned	 i = 0;
	size_t		 k;

	st = shop_stmt(ctx, &sql[v->id ? ST_VARIANT_UPDATE :
	    ST_VARIANT_INSERT]);
	if (st == NULL)
		return SHOP_EDB;
	if (v->id == 0)
		db_bind_i64(st, i++, pl->id);
	db_bind_str(st, i++, v->sku);
	db_bind_i64(st, i++, v->price);
	bind_opt(st, i++, v->sale);
	db_bind_i64(st, i++, v->from);
	db_bind_i64(st, i++, v->to);
	db_bind_i64(st, i++, v->stock);
	bind_opt(st, i++, v->weight);
	db_bind_str(st, i++, v->name);
	if (v->id == 0)
		db_bind_i64(st, i++, (int64_t)pos);
	else {
		db_bind_i64(st, i++, v->id);
		db_bind_i64(st, i++, pl->id);
	}
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	*id = v->id ? v->id : (int64_t)db_insert_id(st);
	db_done(st);
	if (v->id != 0 && !v->values_changed)
		return SHOP_OK;
	if (v->id != 0) {
		if ((st = shop_stmt(ctx, &sql[ST_VV_DELETE])) == NULL)
			return SHOP_EDB;
		db_bind_i64(st, 0, *id);
		if (shop_exec(ctx, st) != SHOP_OK)
			return SHOP_EDB;
		db_done(st);
	}
	if (v->nids == 0)
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[ST_VV_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, *id);
	for (k = 0; k < IMPORT_VV_IN; k++)
		db_bind_i64(st, (unsigned)k + 1, k < v->nids ? v->ids[k] : 0);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	db_done(st);
	return SHOP_OK;
}

/* The product's statements, in the batch's transaction. */
static int
write_tx(struct shop_ctx *ctx, void *arg)
{
	struct product_plan		*pl = arg;
	struct group		*g = pl->g;
	struct field_errors	 errs;
	int64_t			 id, was = pl->id;
	size_t			 i;
	int			 rc, any = 0;

	if (pl->id == 0 || pl->product_changed)
		if ((rc = write_product(ctx, pl)) != SHOP_OK)
			goto fail;
	if (was == 0 || pl->text_changed)
		if ((rc = write_text(ctx, pl)) != SHOP_OK)
			goto fail;
	if ((was == 0 || pl->text_changed || pl->product_changed) &&
	    (rc = search_index_product(ctx, pl->id)) != SHOP_OK)
		goto fail;
	for (i = 0; i < g->nv; i++) {
		struct ivar *v = &g->v[i];

		if (v->id != 0 && !v->changed)
			continue;
		if ((rc = write_variant(ctx, pl, v, i, &id)) != SHOP_OK)
			goto fail;
		any = 1;
	}
	if (any && (rc = attribute_sync_product(ctx, pl->id,
	    ATTRIBUTE_SYNC_NAMED | (was == 0 ? ATTRIBUTE_SYNC_NEW : 0))) !=
	    SHOP_OK)
		goto fail;
	if (g->variable && (was == 0 || any || pl->product_changed)) {
		struct db_stmt *st = shop_stmt(ctx,
		    &sql[ST_PRICE_FROM_VARIANTS]);

		rc = SHOP_EDB;
		if (st == NULL)
			goto fail;
		db_bind_i64(st, 0, pl->id);
		if ((rc = shop_exec(ctx, st)) != SHOP_OK)
			goto fail;
		db_done(st);
	}
	if (pl->pvalues_changed) {
		errs.n = 0;
		rc = attribute_set_values(ctx, pl->id, pl->picks, pl->npicks,
		    &errs);
		/* Values the shop has: a refusal here is a variant of
		 * another import's, kept. */
		if (rc != SHOP_OK && rc != SHOP_EINVAL &&
		    rc != SHOP_ECONFLICT)
			goto fail;
	}
	return SHOP_OK;
fail:
	pl->id = was;
	return rc;
}

/* The new variants' ids, read back when they have images to point
 * at. */
static int
variant_ids(struct imp *im, struct product_plan *pl)
{
	struct group	*g = &im->g;
	size_t		 i;
	int		 rc;

	for (i = 0; i < g->nv; i++)
		if (g->v[i].id == 0 && g->v[i].image.len != 0)
			break;
	if (i == g->nv)
		return 0;
	for (i = 0; i < g->nv; i++)
		g->v[i].id = 0;
	rc = match_variants(im, pl);
	return rc;
}

static const char *
fetch_reason(enum fetch_err e)
{
	switch (e) {
	case FETCH_EURL:
	case FETCH_ESCHEME:
		return r_image_url;
	case FETCH_EADDR:
		return r_image_addr;
	case FETCH_ETOOBIG:
		return r_image_big;
	case FETCH_ETIMEOUT:
		return r_image_slow;
	case FETCH_EHTTP:
	case FETCH_EREDIRECT:
		return r_image_http;
	default:
		return r_image_net;
	}
}

/* Fetches and adds the product's new images (after its transaction:
 * a slow server never holds a lock); each failure a warning. Then
 * points variants at theirs. */
static void
fetch_images(struct imp *im, struct product_plan *pl)
{
	struct group		*g = &im->g;
	struct gallery_image	*have;
	struct db_stmt		*st;
	char			 err[256], ctype[64];
	size_t			 i, j, n;
	enum fetch_err		 e;
	int64_t			 image_id;
	int			 ierr, rc;

	for (i = 0; i < pl->nnew_images; i++) {
		struct str	url = pl->new_images[i];
		char		*u = arena_strndup(&im->wa, url.p, url.len);

		if (url.len > 1000) {
			e = FETCH_EURL;
			goto failed;
		}
		e = fetch_url(u, &im->lim, &im->body, ctype, sizeof(ctype),
		    err, sizeof(err));
		if (e != FETCH_OK) {
			log_info("import: image '%s' not fetched: %s", u, err);
			goto failed;
		}
		rc = gallery_add_from(&im->g_ctx, pl->id,
		    strbuf_str(&im->body), url, &ierr, &image_id);
		strbuf_reset(&im->body);
		if (rc == SHOP_OK && pl->new_alts[i].len != 0) {
			struct gallery_alt alt = { .text = pl->new_alts[i] };

			str_copy(alt.locale, sizeof(alt.locale),
			    str_c(im->g_ctx.default_locale));
			rc = gallery_set_alt(&im->g_ctx, pl->id, image_id,
			    &alt, 1);
		}
		if (rc == SHOP_EDB) {
			im->dberr = 1;
			return;
		}
		if (rc != SHOP_OK) {
			note(im, pl->new_image_line[i], rc == SHOP_EQUOTA ?
			    r_image_quota : ierr == GALLERY_EFULL ?
			    r_image_full : r_image_bad, url, 1);
			im->pend.images_failed++;
			continue;
		}
		im->pend.images_new++;
		continue;
failed:
		note(im, pl->new_image_line[i], fetch_reason(e), url, 1);
		im->pend.images_failed++;
	}
	for (i = 0; i < g->nv; i++)
		if (g->v[i].image.len != 0)
			break;
	if (i == g->nv)
		return;
	if (gallery_list(&im->g_ctx, pl->id, &have, &n) != SHOP_OK) {
		im->dberr = 1;
		return;
	}
	for (i = 0; i < g->nv; i++) {
		struct ivar	*v = &g->v[i];
		int64_t		 id = 0;

		for (j = 0; v->image.len && j < n; j++)
			if (str_eq(have[j].source_url, v->image))
				id = have[j].id;
		if (id == v->image_id || v->image.len == 0)
			continue;
		if ((st = shop_stmt(&im->g_ctx, &sql[ST_VARIANT_IMAGE])) ==
		    NULL || (db_bind_i64(st, 0, id), db_bind_i64(st, 1, v->id),
		    db_bind_i64(st, 2, pl->id), shop_exec(&im->g_ctx, st)) !=
		    SHOP_OK) {
			im->dberr = 1;
			return;
		}
		db_done(st);
	}
}

static int
has_variant_images(const struct group *g)
{
	for (size_t i = 0; i < g->nv; i++)
		if (g->v[i].image.len != 0)
			return 1;
	return 0;
}

/* --- batches -------------------------------------------------------------- */

static void
report_add(struct catalog_import_report *to,
    const struct catalog_import_report *from)
{
	to->rows_refused += from->rows_refused;
	to->products_new += from->products_new;
	to->products_updated += from->products_updated;
	to->products_same += from->products_same;
	to->variants_new += from->variants_new;
	to->variants_updated += from->variants_updated;
	to->variants_same += from->variants_same;
	to->categories_new += from->categories_new;
	to->images_new += from->images_new;
	to->images_failed += from->images_failed;
}

/* The group refused: its rows counted in r, and a note on its first
 * line when the reason was on a row below. */
static void
count_refused(struct imp *im, struct catalog_import_report *r)
{
	if (im->g.refused_below)
		note(im, im->g.line, r_product_refused, im->g.name, 0);
	r->rows_refused += im->g.nrows;
}

/* 1 when the plan has room for one more new product, which it then
 * counts; 0 when not (or on a database error: im->dberr). Applying,
 * the read is in the batch's transaction, which then holds the quota
 * row's lock. */
static int
plan_room(struct imp *im)
{
	if (!im->room_read) {
		if (quota_room(im->ctx->db, im->ctx->tenant, PLAN_PRODUCTS,
		    &im->room) != QUOTA_OK) {
			im->dberr = 1;
			return 0;
		}
		im->room_read = 1;
	}
	if (im->room == PLAN_UNLIMITED)
		return 1;
	if (im->room == 0)
		return 0;
	im->room--;
	return 1;
}

/*
 * Compares pending product p with the shop and writes what differs (a
 * preview writes nothing), in the batch's transaction. It works on a
 * copy in im->g and im->pl (variants in im->wa): matching marks the
 * variants, and a run of the batch that starts again starts from the
 * product as read. Counts go to im->pend. Returns 0; 1 when its images
 * are fetched once the batch commits (the run ends with it); -1 when
 * the database failed (im->dberr).
 */
static int
write_pending(struct imp *im, const struct pending *p)
{
	struct catalog_import_report	*r = &im->pend;
	struct group			*g = &im->g;
	struct product_plan		*pl = &im->pl;
	size_t				 i, nnew = 0, nupd = 0, nsame = 0;
	int				 rc = 0, was_new, changed;

	arena_reset(&im->wa);
	*g = p->g;
	g->v = arena_calloc(&im->wa, g->nv, sizeof(*g->v));
	if (g->nv != 0)
		memcpy(g->v, p->g.v, g->nv * sizeof(*g->v));
	g->vcap = g->nv;
	*pl = p->pl;
	pl->g = g;
	im->note_at = p->at;

	resolve(im, pl);
	if (!g->refused && !im->dberr)
		rc = match_product(im, pl);
	if (!g->refused && !im->dberr && rc == 0)
		rc = match_variants(im, pl);
	if (!g->refused && !im->dberr && rc == 0)
		rc = match_values(im, pl);
	if (!g->refused && !im->dberr && rc == 0)
		rc = match_images(im, pl);
	if (rc == SHOP_EDB)
		im->dberr = 1;
	if (im->dberr)
		return -1;
	if (g->refused) {
		count_refused(im, r);
		return 0;
	}
	/* Late variations of a product a preview would make. */
	if (g->late && pl->id == 0 && im->mode == CATALOG_IMPORT_APPLY) {
		note(im, g->line, r_orphan, g->sku.len ? g->sku : g->woo_id,
		    0);
		r->rows_refused += g->nrows;
		return 0;
	}
	for (i = 0; i < g->nv; i++) {
		if (g->v[i].id == 0)
			nnew++;
		else if (g->v[i].changed)
			nupd++;
		else
			nsame++;
	}
	was_new = pl->id == 0;
	if (was_new && !g->late && !plan_room(im)) {
		if (im->dberr)
			return -1;
		note(im, g->line, r_plan_full, g->name, 0);
		r->rows_refused += g->nrows;
		return 0;
	}
	changed = pl->product_changed || pl->text_changed ||
	    pl->pvalues_changed || nnew || nupd;
	/*
	 * Each product is written whole: a statement that fails rolls the
	 * batch back and ends the import, so a product is never half
	 * there. A slug taken meanwhile by someone else (checked above in
	 * the same transaction) is such a failure too. batch_run() logs
	 * it, as a deadlock is not one until db_tx_run() gives up.
	 */
	if (im->mode == CATALOG_IMPORT_APPLY && (was_new || changed) &&
	    write_tx(&im->g_ctx, pl) != SHOP_OK) {
		im->fail_line = g->line;
		im->fail_slug = pl->slug;
		im->dberr = 1;
		return -1;
	}
	if (g->late)
		;	/* counted with its first rows */
	else if (was_new)
		r->products_new++;
	else if (changed)
		r->products_updated++;
	else
		r->products_same++;
	r->variants_new += nnew;
	r->variants_updated += nupd;
	r->variants_same += nsame;
	if (!g->late && g->variable && im->map.format == CATALOG_CSV_WOO) {
		im->parents = shop_grow(im->ctx->a, im->parents,
		    sizeof(*im->parents), im->nparents, &im->parentcap);
		im->parents[im->nparents++] = (struct parent_ref){
		    arena_str(im->ctx->a, g->woo_id),
		    arena_str(im->ctx->a, g->sku),
		    arena_str(im->ctx->a, pl->slug) };
	}
	if (im->mode == CATALOG_IMPORT_PREVIEW) {
		r->images_new += pl->nnew_images;
		return 0;
	}
	return pl->nnew_images != 0 || has_variant_images(g);
}

/*
 * The batch's transaction, run by db_tx_run() (a preview's batch calls
 * it alone): the pending products from im->from written in turn, up to
 * the first whose images are fetched once it commits, so that a slow
 * server holds no lock. After a deadlock it runs again from the start,
 * so it first goes back to what the batch's last commit left: counts
 * and notes cleared, the categories, attributes and parents learnt
 * since forgotten (their rows were rolled back), the plan's room read
 * again.
 */
static int
batch_tx(struct db *db, void *arg)
{
	struct imp	*im = arg;
	size_t		 i;
	int		 rc = 0;

	(void)db;
	memset(&im->pend, 0, sizeof(im->pend));
	im->npnotes = 0;
	im->ncats = im->ncats0;
	im->nattrs = im->nattrs0;
	im->nparents = im->nparents0;
	im->dberr = 0;
	im->fail_line = 0;
	if (im->mode == CATALOG_IMPORT_APPLY)
		im->room_read = 0;
	for (i = im->from; i < im->npending && rc == 0; i++)
		rc = write_pending(im, &im->pending[i]);
	im->to = i;
	im->fetch = rc == 1;
	return rc == -1 ? -1 : 0;
}

/*
 * Adds a committed run's counts and notes to the report, each note
 * where its product's rows were read, as if written at once: the
 * report reads in the file's order, and the notes past
 * CATALOG_IMPORT_MAX_ERRORS left out are the file's last.
 */
static void
batch_merge(struct imp *im)
{
	struct catalog_import_report	*r = im->r;
	size_t				 i, pos;

	report_add(r, &im->pend);
	for (i = 0; i < im->npnotes; i++) {
		pos = im->pnotes[i].pos;
		if (r->nerrors < CATALOG_IMPORT_MAX_ERRORS) {
			r->errors = shop_grow(im->ctx->a, r->errors,
			    sizeof(*r->errors), r->nerrors, &im->errcap);
			r->nerrors++;
		}
		memmove(&r->errors[pos + 1], &r->errors[pos],
		    (r->nerrors - pos - 1) * sizeof(*r->errors));
		r->errors[pos] = im->pnotes[i].e;
	}
	im->merged += im->npnotes;
	im->npnotes = 0;
}

/*
 * Writes the batch, in one transaction and one more after each product
 * whose images are fetched, then forgets it (its rows stay in im->ga).
 * It works in im->g: a product being read is set aside. A failure rolls
 * back the products of its transaction and ends the import (im->dberr):
 * those committed before stay, and are the ones counted.
 */
static void
batch_run(struct imp *im)
{
	struct db	*db = im->ctx->db;
	int		 rc;

	for (im->from = 0; im->from < im->npending && !im->dberr;
	    im->from = im->to) {
		im->ncats0 = im->ncats;
		im->nattrs0 = im->nattrs;
		im->nparents0 = im->nparents;
		if (im->mode == CATALOG_IMPORT_APPLY)
			rc = db_tx_run(db, batch_tx, im);
		else
			rc = batch_tx(db, im);
		if (rc != 0) {
			if (im->fail_line != 0)
				log_err("import: product '%.*s' (line %zu) "
				    "not written: %s", (int)im->fail_slug.len,
				    im->fail_slug.p, im->fail_line,
				    db_error(db));
			else if (!im->dberr)
				log_err("import: commit failed: %s",
				    db_error(db));
			im->dberr = 1;
			break;
		}
		/* category_add() bumped the shop's caches before the
		 * commit: a worker may have cached the shop without its new
		 * categories meanwhile. */
		if (im->mode == CATALOG_IMPORT_APPLY &&
		    im->pend.categories_new != 0)
			cache_bump(im->ctx->tenant);
		if (im->fetch && variant_ids(im, &im->pl) != 0)
			im->dberr = 1;
		else if (im->fetch)
			fetch_images(im, &im->pl);
		batch_merge(im);
	}
	im->npending = 0;
	im->npnotes = 0;
	im->merged = 0;
	im->note_at = NOTE_NOW;
}

/* The group is complete: checked at once (that needs no database, so
 * its notes go to the report), then kept for its batch, which is
 * written when full; then no product is being read, and the batch's
 * rows go too. */
static void
flush(struct imp *im)
{
	struct group	*g = &im->g;
	struct pending	*p;

	if (!g->open)
		return;
	g->open = 0;
	p = &im->pending[im->npending];
	memset(&p->pl, 0, sizeof(p->pl));
	if (!g->refused)
		check_group(im, &p->pl);
	if (g->refused)
		count_refused(im, im->r);
	else {
		p->g = *g;
		p->at = im->r->nerrors;
		im->npending++;
	}
	if (im->npending == IMPORT_BATCH ||
	    im->ga.used >= IMPORT_BATCH_BYTES) {
		batch_run(im);
		arena_reset(&im->ga);
	}
}

/* --- the file ------------------------------------------------------------- */

/* Reads the whole file as CSV, writing nothing: a file that is not
 * CSV is refused before a product of it is written. */
static int
prescan(struct imp *im, int fd)
{
	struct csv_reader	rd;
	struct csv_row		row;
	enum csv_result		res;

	csv_reader_fd(&rd, fd);
	while ((res = csv_read(&rd, &row)) == CSV_ROW || res == CSV_SKIP)
		;
	if (res == CSV_FAIL) {
		im->r->file_error = rd.reason;
		im->r->file_error_line = rd.err_line;
	}
	csv_reader_release(&rd);
	if (lseek(fd, 0, SEEK_SET) == -1 && res != CSV_FAIL) {
		im->r->file_error = N_("The file could not be read.");
		return -1;
	}
	return res == CSV_FAIL ? -1 : 0;
}

static int
report_progress(struct imp *im, const struct csv_reader *rd, int fd,
    uint64_t total, catalog_import_progress progress, void *arg)
{
	off_t	at;

	/* No transaction is open between batches: the caller may record
	 * the progress on the same connection. */
	if (progress == NULL)
		return 0;
	at = lseek(fd, 0, SEEK_CUR);
	if (at < 0)
		at = 0;
	return progress(arg, (uint64_t)at > rd->inlen ? (uint64_t)at -
	    rd->inlen : 0, total);
}

int
catalog_import_run(struct shop_ctx *ctx, int fd,
    enum catalog_import_mode mode, catalog_import_progress progress,
    void *arg, struct catalog_import_report *r)
{
	struct imp	 im;
	struct csv_reader rd;
	struct csv_row	 row;
	struct stat	 sb;
	enum csv_result	 res;
	const char	*why;
	uint64_t	 total = 0;
	int		 rc = SHOP_OK, stopped = 0;

	memset(r, 0, sizeof(*r));
	memset(&im, 0, sizeof(im));
	im.ctx = ctx;
	im.r = r;
	im.mode = mode;
	im.note_at = NOTE_NOW;
	im.pending = arena_calloc(ctx->a, IMPORT_BATCH, sizeof(*im.pending));
	arena_init(&im.ga);
	arena_init(&im.wa);
	im.g_ctx = *ctx;
	im.g_ctx.a = &im.wa;
	/* Names are matched and made in the language every visitor
	 * falls back to. */
	im.g_ctx.locale = ctx->default_locale;
	fetch_limits_default(&im.lim);
	if (im.lim.max_bytes > IMAGE_MAX_BYTES)
		im.lim.max_bytes = IMAGE_MAX_BYTES;
	strbuf_init(&im.body, 0);
	if (fstat(fd, &sb) == 0)
		total = (uint64_t)sb.st_size;

	if (mode == CATALOG_IMPORT_APPLY && prescan(&im, fd) == -1) {
		rc = SHOP_EINVAL;
		goto done;
	}
	csv_reader_fd(&rd, fd);
	res = csv_read(&rd, &row);
	if (res != CSV_ROW) {
		r->file_error = res == CSV_END ? N_("The file is empty.") :
		    rd.reason;
		r->file_error_line = res == CSV_END ? 1 : rd.err_line;
		rc = SHOP_EINVAL;
		goto out;
	}
	if (catalog_csv_detect(row.v, row.n, &im.map, &why) == -1) {
		r->file_error = why;
		r->file_error_line = row.line;
		rc = SHOP_EINVAL;
		goto out;
	}
	r->format = im.map.format;
	if (load_known(&im) == -1) {
		rc = SHOP_EDB;
		goto out;
	}
	while (!im.dberr) {
		res = csv_read(&rd, &row);
		if (res == CSV_END || res == CSV_FAIL)
			break;
		r->rows++;
		if (res == CSV_SKIP) {
			/* The row may be one of the open product's (a
			 * variation, a Shopify row of its handle): that
			 * product is not imported, whole. A simple
			 * WooCommerce product has no other rows. */
			note(&im, rd.err_line, rd.reason, STR(""), 0);
			if (im.g.open && (im.map.format ==
			    CATALOG_CSV_SHOPIFY || im.g.variable)) {
				im.g.refused = im.g.refused_below = 1;
				im.g.nrows++;
			} else
				r->rows_refused++;
			continue;
		}
		if (im.map.format == CATALOG_CSV_WOO)
			woo_row(&im, &row);
		else
			shopify_row(&im, &row);
		if (r->rows % IMPORT_PROGRESS_ROWS == 0 && report_progress(&im,
		    &rd, fd, total, progress, arg) != 0) {
			stopped = 1;
			break;
		}
	}
	if (res == CSV_FAIL) {
		/* Past the prescan (a preview): what was read stands. */
		r->file_error = rd.reason;
		r->file_error_line = rd.err_line;
		im.g.open = 0;
		rc = SHOP_EINVAL;
	} else if (!im.dberr && !stopped)
		flush(&im);
	/* Stopped: the products read whole before are written, as the
	 * header says. */
	if (!im.dberr)
		batch_run(&im);
	if (im.dberr)
		rc = SHOP_EDB;
	else if (!stopped && progress != NULL)
		progress(arg, total, total);
out:
	csv_reader_release(&rd);
done:
	strbuf_release(&im.body);
	arena_free(&im.ga);
	arena_free(&im.wa);
	return rc;
}
