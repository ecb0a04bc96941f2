/*
 * libFuzzer target: weight bands of a shipping method
 * (core/weight_bands.c), as a merchant types them.
 *
 * Checked: accepted bands are 1..WEIGHT_BANDS_MAX, grams strictly
 * ascending and positive with "*" (max_g -1) only last, costs in
 * 0..WEIGHT_BAND_COST_MAX; weight_bands_cost() agrees with the bands
 * for a few weights, and fails exactly when no band takes the weight;
 * weight_bands_rescale() refuses what the parser refuses, and what it
 * writes parses back to the same grams with the costs rescaled.
 */
#include "core/common.h"

#include "core/str.c"
#include "core/strbuf.c"
#include "core/xalloc.c"
#include "core/weight_bands.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct weight_band	b[WEIGHT_BANDS_MAX];
	struct str		s = { (const char *)data, size };
	static const int64_t	weights[] = { 0, 1, 999, 1000, 5001,
				    WEIGHT_BAND_GRAMS_MAX + 1 };
	int64_t			cost, want;
	int			n, i, j, found;

	struct weight_band	r[WEIGHT_BANDS_MAX];
	struct strbuf		sb = STRBUF_INIT;
	int			m;

	n = weight_bands_parse(s, b, WEIGHT_BANDS_MAX);
	if (n < 0) {
		if (weight_bands_cost(s, 1, &cost) != -1 ||
		    weight_bands_rescale(s, 100, 1, &sb) != -1 || sb.len)
			abort();
		return 0;
	}
	/* JPY to EUR (times 100) and back (a hundredth). */
	if (weight_bands_rescale(s, 1, 100, &sb) != 0)
		abort();
	m = weight_bands_parse(((struct str){ sb.buf, sb.len }), r,
	    WEIGHT_BANDS_MAX);
	if (m != n)
		abort();
	for (i = 0; i < n; i++)
		if (r[i].max_g != b[i].max_g ||
		    r[i].cost != (b[i].cost + 50) / 100)
			abort();
	strbuf_release(&sb);
	if (n == 0 || n > WEIGHT_BANDS_MAX)
		abort();
	for (i = 0; i < n; i++) {
		if (b[i].cost < 0 || b[i].cost > WEIGHT_BAND_COST_MAX)
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
		if (found != (weight_bands_cost(s, weights[j], &cost) == 0) ||
		    (found && cost != want))
			abort();
	}
	return 0;
}
