/*
 * weight_bands.h: the weight bands of a shipping method, a text the
 * merchant types: "1000:490 5000:990 *:1990" (up to 1000 g costs 490
 * minor units of the shop's currency, up to 5000 g 990, heavier 1990).
 * Grams ascend; "*", when there, is last; bands are separated by
 * spaces, commas or new lines.
 *
 * Pure, in core because two layers read it: the shop's shipping prices
 * a parcel by it, and the platform rescales its costs when a shop
 * changes its currency. Nothing here allocates but into the caller's
 * strbuf.
 */
#ifndef SOUK_CORE_WEIGHT_BANDS_H
#define SOUK_CORE_WEIGHT_BANDS_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"
#include "core/strbuf.h"

#define WEIGHT_BANDS_MAX	32
#define WEIGHT_BAND_COST_MAX	1000000000	/* minor units */
#define WEIGHT_BAND_GRAMS_MAX	100000000	/* 100 t */

struct weight_band {
	int64_t		 max_g;		/* -1: any weight ("*") */
	int64_t		 cost;
};

/* Parses s into out (room for max): the number of bands (>= 1), or -1
 * when s is malformed (a cost outside 0..WEIGHT_BAND_COST_MAX, grams
 * outside 1..WEIGHT_BAND_GRAMS_MAX or not ascending, "*" not last). */
int	weight_bands_parse(struct str s, struct weight_band *out, size_t max);

/* The cost of weight_g: 0 and *cost, or -1 when no band takes that
 * weight (or the bands are malformed). */
int	weight_bands_cost(struct str bands, int64_t weight_g, int64_t *cost);

/* Appends bands to sb with every cost times mul / div, rounded half up
 * as the shop's prices are when its currency changes (and capped at
 * WEIGHT_BAND_COST_MAX), written as "1000:490 *:1990". 0, or -1 when
 * bands are malformed (sb untouched). mul and div >= 1. */
int	weight_bands_rescale(struct str bands, int64_t mul, int64_t div,
	    struct strbuf *sb);

#endif
