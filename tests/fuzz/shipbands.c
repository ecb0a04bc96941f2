/*
 * libFuzzer target: weight bands of a shipping method
 * (ship_bands_parse(), shop/ship_bands.c), as a merchant types them.
 *
 * Checked: accepted bands are 1..SHIP_BANDS_MAX, grams strictly
 * ascending and positive with "*" (max_g -1) only last, costs in
 * 0..SHIP_AMOUNT_MAX; ship_bands_cost() agrees with the bands for a
 * few weights, and fails exactly when no band takes the weight.
 */
#include "core/common.h"

#include "core/str.c"
#include "shop/ship_bands.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ship_band	b[SHIP_BANDS_MAX];
	struct str		s = { (const char *)data, size };
	static const int64_t	weights[] = { 0, 1, 999, 1000, 5001,
				    SHIP_WEIGHT_MAX + 1 };
	int64_t			cost, want;
	int			n, i, j, found;

	n = ship_bands_parse(s, b, SHIP_BANDS_MAX);
	if (n < 0) {
		if (ship_bands_cost(s, 1, &cost) != -1)
			abort();
		return 0;
	}
	if (n == 0 || n > SHIP_BANDS_MAX)
		abort();
	for (i = 0; i < n; i++) {
		if (b[i].cost < 0 || b[i].cost > SHIP_AMOUNT_MAX)
			abort();
		if (b[i].max_g == -1 ? i != n - 1 : (b[i].max_g < 1 ||
		    (i > 0 && b[i].max_g <= b[i - 1].max_g)))
			abort();
	}
	for (j = 0; j < (int)NELEM(weights); j++) {
		found = 0;
		want = 0;
		for (i = 0; i < n && !found; i++)
			if (b[i].max_g == -1 || weights[j] <= b[i].max_g) {
				found = 1;
				want = b[i].cost;
			}
		if (found != (ship_bands_cost(s, weights[j], &cost) == 0) ||
		    (found && cost != want))
			abort();
	}
	return 0;
}
