/* weight_bands.c: a shipping method's weight bands (weight_bands.h). */
#include "core/common.h"
#include "core/weight_bands.h"

static struct str
next_band(struct str *rest)
{
	struct str	t;
	size_t		i = 0, j;

	while (i < rest->len && (rest->p[i] == ' ' || rest->p[i] == ',' ||
	    rest->p[i] == '\t' || rest->p[i] == '\r' || rest->p[i] == '\n'))
		i++;
	j = i;
	while (j < rest->len && !(rest->p[j] == ' ' || rest->p[j] == ',' ||
	    rest->p[j] == '\t' || rest->p[j] == '\r' || rest->p[j] == '\n'))
		j++;
	t = (struct str){ rest->p + i, j - i };
	rest->p += j;
	rest->len -= j;
	return t;
}

int
weight_bands_parse(struct str s, struct weight_band *out, size_t max)
{
	struct str	t;
	size_t		n = 0, i;
	int64_t		last = -1;

	while ((t = next_band(&s)).len > 0) {
		struct str g = STR_NULL, c = STR_NULL;

		for (i = 0; i < t.len; i++)
			if (t.p[i] == ':') {
				g = (struct str){ t.p, i };
				c = (struct str){ t.p + i + 1, t.len - i - 1 };
				break;
			}
		if (g.p == NULL || n == max || last == INT64_MAX)
			return -1;
		if (str_to_i64(c, 0, WEIGHT_BAND_COST_MAX, &out[n].cost) == -1)
			return -1;
		if (str_eqc(g, "*"))
			out[n].max_g = -1, last = INT64_MAX;
		else if (str_to_i64(g, 1, WEIGHT_BAND_GRAMS_MAX, &out[n].max_g) ==
		    -1 || out[n].max_g <= last)
			return -1;
		else
			last = out[n].max_g;
		n++;
	}
	return n > 0 ? (int)n : -1;
}

int
weight_bands_cost(struct str bands, int64_t weight_g, int64_t *cost)
{
	struct weight_band	b[WEIGHT_BANDS_MAX];
	int			n, i;

	if ((n = weight_bands_parse(bands, b, WEIGHT_BANDS_MAX)) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (b[i].max_g == -1 || weight_g <= b[i].max_g) {
			*cost = b[i].cost;
			return 0;
		}
	return -1;
}


int
weight_bands_rescale(struct str bands, int64_t mul, int64_t div,
    struct strbuf *sb)
{
	struct weight_band	b[WEIGHT_BANDS_MAX];
	int			n, i;

	if (mul < 1 || div < 1 ||
	    (n = weight_bands_parse(bands, b, WEIGHT_BANDS_MAX)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		/* cost <= 10^9 and mul a power of ten the currencies'
		 * exponents allow (<= 10^4): no overflow. */
		int64_t c = (b[i].cost * mul + div / 2) / div;

		if (c > WEIGHT_BAND_COST_MAX)
			c = WEIGHT_BAND_COST_MAX;
		if (i > 0)
			strbuf_addch(sb, ' ');
		if (b[i].max_g < 0)
			strbuf_addf(sb, "*:%lld", (long long)c);
		else
			strbuf_addf(sb, "%lld:%lld", (long long)b[i].max_g,
			    (long long)c);
	}
	return 0;
}
