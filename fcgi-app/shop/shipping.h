/*
 * shipping.h: a shop's shipping zones ({p}ship_zones) with their
 * methods ({p}ship_methods), and what a cart costs to ship.
 *
 * A zone covers countries ("DE AT", or "*" for every country), regions
 * of countries ("US:CA US:NY"; separated by commas or line breaks when
 * a region has a space: "US:New York, US:CA") and, when its postcodes
 * list is not empty, only those postcodes (postcode.h). An address's
 * zone is the first by position (then id) that covers it; no zone: it
 * cannot be shipped to.
 *
 * A method's kind says its cost: flat (cost), free (nothing, offered
 * once the goods after discounts reach min_total), weight (by bands,
 * "1000:490 5000:990 *:1990": up to 1000 g costs 490, up to 5000 g
 * 990, heavier 1990, in minor units; without "*" heavier carts are not
 * offered the method), pickup (cost, usually 0). Costs are entered as
 * prices are (settings.h prices_include_tax).
 *
 * Everything returned lives in ctx->a; the pure functions allocate
 * nothing.
 */
#ifndef SOUK_SHOP_SHIPPING_H
#define SOUK_SHOP_SHIPPING_H

#include <stddef.h>
#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "core/weight_bands.h"
#include "shop/ctx.h"
#include "shop/quote.h"

#define SHIP_ZONES_MAX		100	/* zones a shop may have */
#define SHIP_METHODS_MAX	50	/* methods a zone may have */
#define SHIP_NAME_MAX		200	/* characters */
#define SHIP_LIST_MAX		2000	/* bytes of a countries/regions list */
#define SHIP_AMOUNT_MAX		1000000000	/* minor units */
#define SHIP_WEIGHT_MAX		100000000	/* grams: 100 t */

struct ship_zone {
	int64_t		 id;
	struct str	 name;
	int64_t		 position;
	struct str	 countries;	/* "DE AT", "*" */
	struct str	 regions;	/* "US:CA US:NY" */
	struct str	 postcodes;	/* postcode.h */
};

struct ship_method {
	int64_t		 id;
	int64_t		 zone_id;
	enum ship_kind	 kind;
	struct str	 name;
	int64_t		 cost;
	int64_t		 min_total;
	struct str	 bands;
	int64_t		 position;
	int		 enabled;
};

/* Every zone by position; SHOP_OK or SHOP_EDB. */
int	ship_zones_list(struct shop_ctx *ctx, struct ship_zone **out,
	    size_t *n);
/* One zone: SHOP_OK, SHOP_ENOTFOUND (not this shop's), SHOP_EDB. */
int	ship_zone_get(struct shop_ctx *ctx, int64_t id, struct ship_zone *out);

/*
 * Validates z (texts trimmed and lists normalised in place) and
 * inserts it (z->id 0: sets it) or updates row z->id. Errors on
 * "name", "countries" (unknown codes), "regions", "postcodes",
 * "position"; a zone must cover some country or region. SHOP_OK,
 * SHOP_EINVAL, SHOP_ENOTFOUND, SHOP_EDB.
 */
int	ship_zone_save(struct shop_ctx *ctx, struct ship_zone *z,
	    struct field_errors *errs);

/* ship_zone_save()'s checks alone, adding to errs (not cleared):
 * the number of errors added. */
int	ship_zone_check(struct shop_ctx *ctx, struct ship_zone *z,
	    struct field_errors *errs);

/* Deletes a zone and its methods in one transaction: SHOP_OK,
 * SHOP_ENOTFOUND, SHOP_EDB. */
int	ship_zone_delete(struct shop_ctx *ctx, int64_t id);

/* The methods of a zone by position (disabled ones too); SHOP_OK or
 * SHOP_EDB. */
int	ship_methods_list(struct shop_ctx *ctx, int64_t zone_id,
	    struct ship_method **out, size_t *n);
/* Every zone's methods, by zone id then position (selling.h keeps
 * them); SHOP_OK or SHOP_EDB. */
int	ship_methods_all(struct shop_ctx *ctx, struct ship_method **out,
	    size_t *n);
/* One method: SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	ship_method_get(struct shop_ctx *ctx, int64_t id,
	    struct ship_method *out);

/*
 * Validates m and inserts it into zone m->zone_id (m->id 0) or updates
 * row m->id (its zone stays). Errors on "kind", "name", "cost",
 * "min_total", "bands", "position". SHOP_OK, SHOP_EINVAL,
 * SHOP_ENOTFOUND (no such zone or method), SHOP_EDB.
 */
int	ship_method_save(struct shop_ctx *ctx, struct ship_method *m,
	    struct field_errors *errs);

/* ship_method_save()'s checks alone, adding to errs (not cleared). */
int	ship_method_check(struct ship_method *m, struct field_errors *errs);

/* SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	ship_method_delete(struct shop_ctx *ctx, int64_t id);

/* --- pure ------------------------------------------------------------ */

/* 1 when z covers the address (country "DE", region as typed,
 * postcode_key as address_postcode_key()). */
int	ship_zone_covers(const struct ship_zone *z, struct str country,
	    struct str region, struct str postcode_key);

/* 1 and *cost when m is offered for goods (after discounts) of
 * goods_total weighing weight_g; 0 when it is not. */
int	ship_method_offered(const struct ship_method *m, int64_t goods_total,
	    int64_t weight_g, int64_t *cost);

#endif
