/*
 * tax.h: a shop's tax rates ({p}tax_rates) and the rate of a tax class
 * for an address.
 *
 * A rate row applies to a class (standard, reduced, zero: products say
 * which, quote.h) in a country ("" any), optionally one region of it
 * (matched without regard to case: "CA", "ca") and some postcodes
 * (postcode.h). For an address, a class's rate is the most specific
 * matching row (postcodes, then region, then country, then any), then
 * the lowest position, then the oldest. No row: no tax (0).
 *
 * Rates are millionths: 19 % is 190000, 7.25 % is 72500. Everything
 * returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_TAX_H
#define SOUK_SHOP_TAX_H

#include <stddef.h>
#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/quote.h"

#define TAX_RATES_MAX		500	/* rows a shop may have */
#define TAX_NAME_MAX		100	/* characters */

struct tax_rate {
	int64_t		 id;
	enum tax_class	 tax_class;
	char		 country[3];	/* "" any */
	struct str	 region;	/* "" any */
	struct str	 postcodes;	/* "" any */
	int32_t		 rate;		/* millionths */
	struct str	 name;		/* "MwSt.", "VAT", "Sales tax" */
	int		 shipping;	/* also taxes shipping (standard) */
	int64_t		 position;
};

/* Every rate of the shop, by country, class, position; SHOP_OK or
 * SHOP_EDB. */
int	tax_rates_list(struct shop_ctx *ctx, struct tax_rate **out,
	    size_t *n);

/* One rate: SHOP_OK, SHOP_ENOTFOUND (not this shop's), SHOP_EDB. */
int	tax_rate_get(struct shop_ctx *ctx, int64_t id, struct tax_rate *out);

/*
 * Validates r (texts trimmed in place) and inserts it (r->id 0: sets
 * r->id) or updates row r->id. Errors are on the fields "tax_class",
 * "country", "region", "postcodes", "rate", "name", "position".
 * SHOP_OK, SHOP_EINVAL, SHOP_ENOTFOUND, SHOP_EDB.
 */
int	tax_rate_save(struct shop_ctx *ctx, struct tax_rate *r,
	    struct field_errors *errs);

/* tax_rate_save()'s checks alone, adding to errs (not cleared). */
int	tax_rate_check(struct shop_ctx *ctx, struct tax_rate *r,
	    struct field_errors *errs);

/* Deletes one: SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	tax_rate_delete(struct shop_ctx *ctx, int64_t id);

/* The row of v that sets class c's rate for the address (country "DE",
 * region as typed, postcode_key as address_postcode_key()), or NULL:
 * untaxed. Pure. */
const struct tax_rate *tax_rate_pick(const struct tax_rate *v, size_t n,
	    enum tax_class c, struct str country, struct str region,
	    struct str postcode_key);

/* A percentage as typed ("19", "7.25", "7,25": at most 4 decimals,
 * 0 to 100) into millionths: 0, or -1 when it is none. Pure. */
int	tax_rate_parse(struct str s, int32_t *out);

/* rate as a percentage without trailing zeros ("19", "7.25") into buf
 * (at least 16 bytes). */
void	tax_rate_format(int32_t rate, char *buf, size_t len);

#endif
