/*
 * quote_totals.c: the arithmetic of a quote (quote.h), pure: no
 * database, no clock, so the unit test states real cases to the cent.
 * Products of two amounts can pass 2^63 (a rate in millionths times a
 * large total), so they are taken in 128 bits and the results checked
 * back into int64.
 */
#include "core/common.h"
#include "shop/quote.h"

#define RATE_ONE	1000000		/* millionths */
#define AMOUNT_MAX	((int64_t)1 << 52)	/* far above any cart */

int64_t
quote_muldiv(int64_t x, int64_t num, int64_t den)
{
	__int128	p = (__int128)x * num;
	__int128	q = p / den, r = p % den;

	/* Half away from zero: compare twice the remainder with den. */
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += p < 0 ? -1 : 1;
	if (q > INT64_MAX || q < -INT64_MAX)
		return p < 0 ? -INT64_MAX : INT64_MAX;
	return (int64_t)q;
}

/*
 * Shares total among n parts in proportion to weights[i] where pick[i]
 * (NULL: all), adding each share to out[i]: floors first, then one
 * unit each to the largest fractions lost (ties to the larger weight,
 * then the first line). total <= the sum of the picked weights, all
 * >= 0, so no share exceeds its weight. frac is scratch of n entries.
 */
static void
spread(int64_t total, const int64_t *weights, const unsigned char *pick,
    size_t n, int64_t *out, __int128 *frac)
{
	__int128	sum = 0;
	int64_t		given = 0;
	size_t		i, j, best;

	for (i = 0; i < n; i++)
		if (pick == NULL || pick[i])
			sum += weights[i];
	if (sum == 0 || total == 0)
		return;
	for (i = 0; i < n; i++) {
		__int128 p;

		frac[i] = -1;
		if (pick != NULL && !pick[i])
			continue;
		p = (__int128)total * weights[i];
		out[i] += (int64_t)(p / sum);
		given += (int64_t)(p / sum);
		frac[i] = p % sum;
	}
	for (j = 0; given < total && j < n; j++, given++) {
		best = n;
		for (i = 0; i < n; i++) {
			if (frac[i] < 0)
				continue;
			if (best == n || frac[i] > frac[best] ||
			    (frac[i] == frac[best] &&
			    weights[i] > weights[best]))
				best = i;
		}
		if (best == n)
			break;
		out[best]++;
		frac[best] = -1;	/* one unit each at most */
	}
}

/* Tax in an amount at rate: taken out of it or added to it. */
static int64_t
tax_of(int64_t amount, int32_t rate, int inclusive)
{
	if (rate <= 0 || amount == 0)
		return 0;
	return inclusive ? quote_muldiv(amount, rate, RATE_ONE + rate) :
	    quote_muldiv(amount, rate, RATE_ONE);
}

static int64_t
coupon_total(const struct quote_totals_in *in, int64_t eligible_sum)
{
	if (!in->has_coupon || eligible_sum <= 0)
		return 0;
	switch (in->coupon_kind) {
	case COUPON_PERCENT:
		if (in->coupon_amount >= 10000)
			return eligible_sum;
		return quote_muldiv(eligible_sum, in->coupon_amount, 10000);
	case COUPON_FIXED:
		return in->coupon_amount < eligible_sum ? in->coupon_amount :
		    eligible_sum;
	default:
		return 0;
	}
}

/* Lines' tax when the shop rounds on the total: per rate, the tax of
 * the rate's sum, shared over its lines as a discount is. */
static void
tax_round_total(const struct quote_totals_in *in, const int64_t *net,
    unsigned char *pick, __int128 *frac, int64_t *taxes)
{
	size_t		i, j;
	int64_t		sum, tax;

	for (i = 0; i < in->nlines; i++) {
		int done = 0;

		for (j = 0; j < i; j++)
			done |= in->lines[j].tax_rate == in->lines[i].tax_rate;
		if (done)
			continue;
		sum = 0;
		for (j = 0; j < in->nlines; j++) {
			pick[j] = in->lines[j].tax_rate ==
			    in->lines[i].tax_rate;
			if (pick[j])
				sum += net[j];
		}
		tax = tax_of(sum, in->lines[i].tax_rate,
		    in->prices_include_tax);
		spread(tax, net, pick, in->nlines, taxes, frac);
	}
}

/* Adds amount to the entry of rate in out->taxes (room for every line
 * and the shipping was made). */
static void
add_tax(struct quote *out, int32_t rate, struct str name, int64_t amount)
{
	size_t i;

	if (rate <= 0)
		return;
	for (i = 0; i < out->ntaxes; i++)
		if (out->taxes[i].rate == rate) {
			out->taxes[i].amount += amount;
			if (out->taxes[i].name.len == 0)
				out->taxes[i].name = name;
			return;
		}
	out->taxes[out->ntaxes].rate = rate;
	out->taxes[out->ntaxes].name = name;
	out->taxes[out->ntaxes].amount = amount;
	out->ntaxes++;
}

/*
 * The tax in the shipping, when it is taxed (in->shipping_rate > 0):
 * a delivery follows what it carries, so its amount is shared over the
 * lines in proportion to what they cost after the discount (spread())
 * and each rate's part is taxed at that rate, rounded once per rate,
 * as EU and UK VAT want for goods of several rates (a bakery's 7 %
 * bread ships at 7 %; zero-rated books ship untaxed). Lines that cost
 * nothing leave the whole to the standard rate. Adds each part to
 * out->taxes; returns the sum. parts, pick and frac are scratch of
 * in->nlines entries.
 */
static int64_t
shipping_tax(const struct quote_totals_in *in, const int64_t *net,
    int64_t *parts, unsigned char *pick, __int128 *frac, struct quote *out)
{
	size_t		 i, j;
	int64_t		 goods = 0, part, tax, sum = 0;

	if (in->shipping_rate <= 0 || in->shipping == 0)
		return 0;
	for (i = 0; i < in->nlines; i++)
		goods += net[i];
	if (goods <= 0) {
		tax = tax_of(in->shipping, in->shipping_rate,
		    in->prices_include_tax);
		add_tax(out, in->shipping_rate, in->shipping_rate_name, tax);
		return tax;
	}
	/* The lines' shares; pick marks the rates done. */
	memset(parts, 0, in->nlines * sizeof(*parts));
	spread(in->shipping, net, NULL, in->nlines, parts, frac);
	memset(pick, 0, in->nlines);
	for (i = 0; i < in->nlines; i++) {
		if (pick[i])
			continue;
		part = 0;
		for (j = i; j < in->nlines; j++)
			if (in->lines[j].tax_rate == in->lines[i].tax_rate) {
				part += parts[j];
				pick[j] = 1;
			}
		tax = tax_of(part, in->lines[i].tax_rate,
		    in->prices_include_tax);
		add_tax(out, in->lines[i].tax_rate, in->rate_names ?
		    in->rate_names[i] : STR(""), tax);
		sum += tax;
	}
	return sum;
}

int64_t
quote_shipping_tax_split(const int64_t *net, const int32_t *rates,
    size_t n, int64_t shipping, int prices_include_tax, int64_t *out)
{
	struct arena	 a;
	struct quote_line *lines;
	struct quote_totals_in in = { 0 };
	struct quote	 q = { 0 };
	int64_t		*parts, sum;
	unsigned char	*pick;
	__int128	*frac;
	size_t		 i, j;

	if (n == 0 || shipping < 0 || shipping > AMOUNT_MAX)
		return -1;
	for (i = 0, sum = 0; i < n; i++) {
		if (net[i] < 0 || net[i] > AMOUNT_MAX || rates[i] < 0 ||
		    rates[i] > RATE_ONE)
			return -1;
		sum += net[i];
	}
	if (sum == 0)
		return -1;	/* the shipping's own rate, not known here */
	/* shipping_tax() itself, on the lines' rates alone (the shipping's
	 * own rate only matters when the lines cost nothing). */
	arena_init(&a);
	lines = arena_calloc(&a, n, sizeof(*lines));
	for (i = 0; i < n; i++)
		lines[i].tax_rate = rates[i];
	in.lines = lines;
	in.nlines = n;
	in.prices_include_tax = prices_include_tax;
	in.shipping = shipping;
	in.shipping_rate = RATE_ONE;	/* "taxed"; unused below */
	parts = arena_calloc(&a, n, sizeof(*parts));
	pick = arena_calloc(&a, n, 1);
	frac = arena_calloc(&a, n, sizeof(*frac));
	q.taxes = arena_calloc(&a, n + 1, sizeof(*q.taxes));
	sum = shipping_tax(&in, net, parts, pick, frac, &q);
	for (i = 0; i < n; i++) {
		out[i] = 0;
		for (j = 0; j < i && rates[j] != rates[i]; j++)
			;
		if (j < i)
			continue;
		for (j = 0; j < q.ntaxes; j++)
			if (q.taxes[j].rate == rates[i])
				out[i] = q.taxes[j].amount;
	}
	arena_free(&a);
	return sum;
}

int
quote_shipping_shares(const int64_t *net, const int32_t *rates, size_t n,
    int64_t shipping, int64_t *share)
{
	struct arena	 a;
	int32_t		*one;
	int64_t		*part;
	size_t		 i, j;
	int		 rc = 0;

	arena_init(&a);
	one = arena_calloc(&a, n + 1, sizeof(*one));
	part = arena_calloc(&a, n + 1, sizeof(*part));
	for (i = 0; i < n && rc == 0; i++) {
		share[i] = 0;
		for (j = 0; j < i && rates[j] != rates[i]; j++)
			;
		if (j < i)
			continue;	/* not the rate's first line */
		/* The rate's lines at 100 %, tax added, the others at 0:
		 * the "tax" is the rate's share of the shipping itself. */
		for (j = 0; j < n; j++)
			one[j] = rates[j] == rates[i] ? RATE_ONE : 0;
		if (quote_shipping_tax_split(net, one, n, shipping, 0,
		    part) < 0)
			rc = -1;
		else
			share[i] = part[i];
	}
	arena_free(&a);
	return rc;
}

static void
sort_taxes(struct quote *out)
{
	size_t i, j;

	for (i = 1; i < out->ntaxes; i++)
		for (j = i; j > 0 && out->taxes[j - 1].rate <
		    out->taxes[j].rate; j--) {
			struct quote_tax t = out->taxes[j];

			out->taxes[j] = out->taxes[j - 1];
			out->taxes[j - 1] = t;
		}
}

int
quote_totals(struct arena *a, const struct quote_totals_in *in,
    struct quote *out)
{
	size_t		 n = in->nlines, i;
	int64_t		*sub, *disc, *taxes, *parts, eligible = 0, total;
	unsigned char	*pick;
	__int128	*frac;

	sub = arena_calloc(a, n + 1, sizeof(*sub));
	disc = arena_calloc(a, n + 1, sizeof(*disc));
	pick = arena_calloc(a, n + 1, 1);
	taxes = arena_calloc(a, n + 1, sizeof(*taxes));
	frac = arena_calloc(a, n + 1, sizeof(*frac));	/* spread()'s */
	parts = arena_calloc(a, n + 1, sizeof(*parts));
	out->prices_include_tax = in->prices_include_tax;
	out->subtotal = out->discount = out->tax = 0;
	for (i = 0; i < n; i++) {
		struct quote_line *l = &in->lines[i];

		if (l->qty <= 0 || l->unit_price < 0 ||
		    l->unit_price > AMOUNT_MAX / l->qty ||
		    l->tax_rate < 0 || l->tax_rate > RATE_ONE)
			return -1;
		sub[i] = l->subtotal = l->unit_price * l->qty;
		out->subtotal += sub[i];
		if (out->subtotal > AMOUNT_MAX)
			return -1;
		if (in->eligible == NULL || in->eligible[i])
			eligible += sub[i];
	}
	if (in->shipping < 0 || in->shipping > AMOUNT_MAX ||
	    in->coupon_amount < 0)
		return -1;
	out->discount = coupon_total(in, eligible);
	spread(out->discount, sub, in->eligible, n, disc, frac);
	for (i = 0; i < n; i++) {
		in->lines[i].discount = disc[i];
		sub[i] -= disc[i];	/* now what is taxed */
	}
	if (in->round_total)
		tax_round_total(in, sub, pick, frac, taxes);
	else
		for (i = 0; i < n; i++)
			taxes[i] = tax_of(sub[i], in->lines[i].tax_rate,
			    in->prices_include_tax);
	for (i = 0; i < n; i++)
		in->lines[i].tax = taxes[i];
	out->taxes = arena_calloc(a, n + 1, sizeof(*out->taxes));
	out->ntaxes = 0;
	total = 0;
	for (i = 0; i < n; i++) {
		struct quote_line *l = &in->lines[i];

		l->total = sub[i] + (in->prices_include_tax ? 0 : l->tax);
		total += l->total;
		out->tax += l->tax;
		add_tax(out, l->tax_rate, in->rate_names ?
		    in->rate_names[i] : STR(""), l->tax);
	}
	out->shipping = in->shipping;
	out->shipping_tax = shipping_tax(in, sub, parts, pick, frac,
	    out);
	out->tax += out->shipping_tax;
	out->total = total + in->shipping +
	    (in->prices_include_tax ? 0 : out->shipping_tax);
	sort_taxes(out);
	return 0;
}
