/*
 * tests/unit/shop/quote_totals.c: the arithmetic of a quote on real
 * cases, to the cent, worked by hand in the comments: German VAT in
 * prices that include it (19 % and 7 % lines, shipping shared over
 * them), a
 * Californian sales tax added at checkout, a zero-rated item, a coupon
 * (percent and fixed) spread over lines of different rates by largest
 * remainder, rounding per line and on the total giving different
 * cents, and a cart that would overflow.
 */
#include "core/common.h"
#include "shop/quote.h"
#include "test.h"

static struct arena a;

static struct quote_line
line(int64_t price, int64_t qty, int32_t rate)
{
	struct quote_line l;

	memset(&l, 0, sizeof(l));
	l.unit_price = price;
	l.qty = qty;
	l.tax_rate = rate;
	return l;
}

/* Two 19,99 € shirts (19 %) and a 12,00 € book (7 %), prices with
 * VAT, DHL 4,90 € taxed as the goods it carries:
 *   shirts 39,98 € hold 39,98 * 19/119 = 6,3833 -> 6,38 €
 *   book   12,00 € holds 12,00 * 7/107 = 0,78505 -> 0,79 €
 *   shipping 4,90 € shared 4,90 * 39,98/51,98 = 3,7687 and
 *   4,90 * 12/51,98 = 1,1312: floors 3,76 + 1,13, the cent left to the
 *   shirts' ,87: 3,77 € at 19 % holds 0,6019 -> 0,60 €, 1,13 € at 7 %
 *   holds 0,0739 -> 0,07 €
 *   total 39,98 + 12,00 + 4,90 = 56,88 €; VAT 19 %: 6,98, 7 %: 0,86. */
static void
german_vat(void)
{
	struct quote_line	l[2] = { line(1999, 2, 190000),
				    line(1200, 1, 70000) };
	struct str		names[2] = { STR("MwSt."), STR("MwSt.") };
	struct quote_totals_in	in = { .lines = l, .nlines = 2,
				    .prices_include_tax = 1,
				    .rate_names = names,
				    .shipping = 490, .shipping_rate = 190000,
				    .shipping_rate_name = STR("MwSt.") };
	struct quote		q;

	memset(&q, 0, sizeof(q));
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(l[0].subtotal == 3998 && l[0].tax == 638 &&
	    l[0].total == 3998 && l[0].discount == 0);
	TEST_CHECK(l[1].subtotal == 1200 && l[1].tax == 79 &&
	    l[1].total == 1200);
	TEST_CHECK(q.prices_include_tax == 1 && q.subtotal == 5198 &&
	    q.discount == 0);
	TEST_CHECK(q.shipping == 490 && q.shipping_tax == 60 + 7);
	TEST_CHECK(q.tax == 638 + 79 + 67 && q.total == 5688);
	TEST_CHECK(q.ntaxes == 2 && q.taxes[0].rate == 190000 &&
	    q.taxes[0].amount == 698 && q.taxes[1].rate == 70000 &&
	    q.taxes[1].amount == 86 && str_eqc(q.taxes[0].name, "MwSt."));

	/* A bakery's cart of 7 % bread alone ships at 7 %: 4,90 * 7/107 =
	 * 0,3206 -> 0,32 €, not 19 %'s 0,78 €. */
	in.lines = &l[1];
	in.nlines = 1;
	in.rate_names = &names[1];
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(q.shipping_tax == 32 && q.tax == 79 + 32 &&
	    q.ntaxes == 1 && q.taxes[0].rate == 70000 &&
	    q.taxes[0].amount == 111);
}

/* A Los Angeles order, prices without tax: two $24.99 hoodies at
 * California's 7.25 %: 49.98 * 0.0725 = 3.62355 -> $3.62, added;
 * shipping $5.00 is not taxed in California (the rate says so: 0).
 * Total 49.98 + 3.62 + 5.00 = $58.60. */
static void
california(void)
{
	struct quote_line	l[1] = { line(2499, 2, 72500) };
	struct quote_totals_in	in = { .lines = l, .nlines = 1,
				    .shipping = 500 };
	struct quote		q;

	memset(&q, 0, sizeof(q));
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(l[0].tax == 362 && l[0].total == 4998 + 362);
	TEST_CHECK(q.subtotal == 4998 && q.tax == 362 &&
	    q.shipping_tax == 0 && q.total == 5860);
	TEST_CHECK(q.ntaxes == 1 && q.taxes[0].rate == 72500);
	/* Were shipping taxed at 7.25 %: 5.00 * 0.0725 = 0.3625 -> 0.36,
	 * added too. */
	in.shipping_rate = 72500;
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(q.shipping_tax == 36 && q.tax == 398 &&
	    q.total == 4998 + 362 + 500 + 36);
}

/* A British shop: a £10.00 mug at 20 % and a £8.99 book zero-rated.
 * The mug holds 10.00 / 6 = 1.6667 -> £1.67; the book none; no 0 %
 * line in the breakdown. */
static void
zero_rated(void)
{
	struct quote_line	l[2] = { line(1000, 1, 200000),
				    line(899, 1, 0) };
	struct quote_totals_in	in = { .lines = l, .nlines = 2,
				    .prices_include_tax = 1 };
	struct quote		q;

	memset(&q, 0, sizeof(q));
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(l[0].tax == 167 && l[1].tax == 0 && l[1].total == 899);
	TEST_CHECK(q.tax == 167 && q.total == 1899 && q.ntaxes == 1);

	/* Royal Mail £3.00, taxed: shared 3.00 * 10/18.99 = 1.5798 and
	 * 3.00 * 8.99/18.99 = 1.4202: 1.57 + 1.42, the penny to the mug's
	 * ,98: £1.58 at 20 % holds 0.2633 -> £0.26, the book's £1.42 none.
	 * The book alone: its shipping is zero-rated too. */
	in.shipping = 300;
	in.shipping_rate = 200000;
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(q.shipping_tax == 26 && q.tax == 167 + 26 &&
	    q.total == 1899 + 300 && q.ntaxes == 1 &&
	    q.taxes[0].amount == 193);
	in.lines = &l[1];
	in.nlines = 1;
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(q.shipping_tax == 0 && q.tax == 0 && q.ntaxes == 0 &&
	    q.total == 899 + 300);
}

/* The German cart with WILLKOMMEN10 (10 %): 51,98 * 10 % = 5,198 ->
 * 5,20 € off, spread 5,20 * 39,98/51,98 = 3,9995 and 5,20 * 12/51,98 =
 * 1,2005: floors 3,99 + 1,20 = 5,19, the cent left to the shirts
 * (fraction ,95 beats ,05): 4,00 and 1,20. VAT then on 35,98 € ->
 * 5,7447 -> 5,74 € and on 10,80 € -> 0,7065 -> 0,71 €.
 * A fixed 10,00 € instead: 7,6914 and 2,3086: floors 7,69 + 2,30, the
 * cent to the book (,86 beats ,14; giving it to the larger line would
 * be 7,70 / 2,30): 7,69 and 2,31. */
static void
coupon_over_rates(void)
{
	struct quote_line	l[2] = { line(1999, 2, 190000),
				    line(1200, 1, 70000) };
	struct quote_totals_in	in = { .lines = l, .nlines = 2,
				    .prices_include_tax = 1, .has_coupon = 1,
				    .coupon_kind = COUPON_PERCENT,
				    .coupon_amount = 1000,
				    .shipping = 490, .shipping_rate = 190000 };
	struct quote		q;
	unsigned char		only_book[2] = { 0, 1 };

	memset(&q, 0, sizeof(q));
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(q.discount == 520 && l[0].discount == 400 &&
	    l[1].discount == 120);
	TEST_CHECK(l[0].tax == 574 && l[1].tax == 71);
	TEST_CHECK(l[0].total == 3598 && l[1].total == 1080);
	/* Shipping shared over 35,98 and 10,80: 3,7687 and 1,1313, as
	 * above: 3,77 € (0,60 €) and 1,13 € (0,07 €). */
	TEST_CHECK(q.subtotal == 5198 && q.total == 3598 + 1080 + 490 &&
	    q.tax == 574 + 71 + 60 + 7);

	in.coupon_kind = COUPON_FIXED;
	in.coupon_amount = 1000;
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(l[0].discount == 769 && l[1].discount == 231 &&
	    q.discount == 1000);
	TEST_CHECK(q.total == 5198 - 1000 + 490);

	/* Limited to the book: never more than its 12,00 €. */
	in.eligible = only_book;
	in.coupon_amount = 5000;
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(l[0].discount == 0 && l[1].discount == 1200 &&
	    l[1].tax == 0 && l[1].total == 0 && q.discount == 1200);
	/* 100 % and more is the whole. */
	in.eligible = NULL;
	in.coupon_kind = COUPON_PERCENT;
	in.coupon_amount = 10000;
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	/* Lines that cost nothing: shipping at the standard rate. */
	TEST_CHECK(q.discount == 5198 && q.total == 490 &&
	    q.shipping_tax == 78 && q.tax == q.shipping_tax);
	/* Free shipping takes nothing off the lines. */
	in.coupon_kind = COUPON_FREE_SHIPPING;
	in.shipping = 0;
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(q.discount == 0 && q.total == 5198);
}

/* Three $1.99 items at 7.25 %, tax added: per line 1.99 * 0.0725 =
 * 0.144275 -> 0.14 each, $0.42; on the total 5.97 * 0.0725 = 0.432825
 * -> $0.43, shared 0.15 + 0.14 + 0.14 (the same fractions: the cent
 * to the first). */
static void
rounding(void)
{
	struct quote_line	l[3] = { line(199, 1, 72500),
				    line(199, 1, 72500), line(199, 1, 72500) };
	struct quote_totals_in	in = { .lines = l, .nlines = 3 };
	struct quote		q;

	memset(&q, 0, sizeof(q));
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(q.tax == 42 && l[0].tax == 14 && q.total == 597 + 42);
	in.round_total = 1;
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	TEST_CHECK(q.tax == 43 && l[0].tax + l[1].tax + l[2].tax == 43 &&
	    l[0].tax == 15 && l[1].tax == 14 && q.total == 597 + 43);
	/* Per rate: a 7 % line is rounded apart from the 7.25 % ones. */
	l[2].tax_rate = 70000;
	TEST_CHECK(quote_totals(&a, &in, &q) == 0);
	/* 3.98 * 0.0725 = 0.28855 -> 0.29; 1.99 * 0.07 = 0.1393 -> 0.14 */
	TEST_CHECK(q.tax == 29 + 14 && l[2].tax == 14 &&
	    l[0].tax + l[1].tax == 29 && q.ntaxes == 2);
}

static void
limits(void)
{
	struct quote_line	l[1] = { line(INT64_MAX / 2, 3, 0) };
	struct quote_totals_in	in = { .lines = l, .nlines = 1 };
	struct quote		q;

	memset(&q, 0, sizeof(q));
	TEST_CHECK(quote_totals(&a, &in, &q) == -1);
	l[0] = line(100, 0, 0);
	TEST_CHECK(quote_totals(&a, &in, &q) == -1);
	l[0] = line(-100, 1, 0);
	TEST_CHECK(quote_totals(&a, &in, &q) == -1);
	l[0] = line(100, 1, 1000001);
	TEST_CHECK(quote_totals(&a, &in, &q) == -1);
	in.nlines = 0;
	TEST_CHECK(quote_totals(&a, &in, &q) == 0 && q.total == 0 &&
	    q.ntaxes == 0);
	TEST_CHECK(quote_muldiv(5, 1, 2) == 3 && quote_muldiv(-5, 1, 2) == -3);
	TEST_CHECK(quote_muldiv(4, 1, 3) == 1 && quote_muldiv(-4, 1, 3) == -1);
}

int
main(void)
{
	arena_init(&a);
	german_vat();
	california();
	zero_rated();
	coupon_over_rates();
	rounding();
	limits();
	arena_free(&a);
	return test_done();
}
