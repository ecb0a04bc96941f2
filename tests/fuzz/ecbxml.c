/*
 * libFuzzer target: fx_parse_ecb(), the parser of the ECB daily feed
 * (what souk-rates downloads), and the conversions fed with what it
 * accepts.
 *
 * Checked: a rejected document leaves the result empty; an accepted one
 * has a valid date, 1 to FX_MAX_RATES distinct upper-case codes (never
 * EUR) with rates in (0, FX_RATE_MAX], passes the change guard against
 * itself, and every conversion through it either fails cleanly or gives
 * an amount of the right sign.
 */
#include "core/common.h"

#include "core/fx.c"
#include "core/money.c"
#include "core/str.c"
#include "core/strbuf.c"
#include "core/xalloc.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fx_rates	r;
	struct fx_conversion	c;
	char			err[256];
	size_t			i, j;

	if (fx_parse_ecb((const char *)data, size, &r, err, sizeof(err)) ==
	    -1) {
		if (r.n != 0 || r.date[0] != '\0' || err[0] == '\0')
			abort();
		return 0;
	}
	if (!fx_date_valid(str_c(r.date)) || r.n == 0 || r.n > FX_MAX_RATES)
		abort();
	for (i = 0; i < r.n; i++) {
		if (!code_valid(r.v[i].code) ||
		    strcmp(r.v[i].code, "EUR") == 0 || r.v[i].rate <= 0 ||
		    r.v[i].rate > FX_RATE_MAX)
			abort();
		for (j = 0; j < i; j++)
			if (strcmp(r.v[i].code, r.v[j].code) == 0)
				abort();
		if (fx_convert(&r, 123456, "EUR", r.v[i].code,
		    FX_ROUND_HALF_EVEN, &c) == 0 && c.amount < 0)
			abort();
		if (fx_convert(&r, -FX_AMOUNT_MAX, r.v[i].code, "EUR",
		    FX_ROUND_HALF_UP, &c) == 0 && c.amount > 0)
			abort();
	}
	if (fx_check_change(&r, &r, FX_SCALE, err, sizeof(err)) != 0)
		abort();
	return 0;
}
