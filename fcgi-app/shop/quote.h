/*
 * quote.h: what a cart costs, delivered to an address: the lines with
 * their discounts and taxes, the shipping methods on offer and their
 * costs, the coupon, and every total. The one computation the cart
 * page, each checkout step, the review page and the placing of an
 * order run (the order stores what it returned, shop/order.h).
 *
 * quote_compute() reads the shop's settings, tax rates, shipping zones
 * and methods and the coupon (in the caller's transaction when one is
 * open: the order's), then calls quote_totals(), which is pure
 * arithmetic on integers, unit-tested on real cases (German VAT with
 * prices that include it, a US state's sales tax added at checkout, a
 * zero-rated item, a coupon spread over lines of different rates).
 *
 * The arithmetic, every amount in minor units of the shop's currency:
 * - A line's subtotal is unit_price * qty, as prices are entered (with
 *   tax or without, settings.h). A coupon's discount is spread over the
 *   lines it applies to in proportion to their subtotals (each line gets
 *   the floor of its share, and the cents left over go one each to the
 *   lines whose shares lost the largest fractions, ties to the larger
 *   line: the largest remainder method, so the parts add up to the
 *   whole and no line is off by more than a cent), never more than a
 *   line's subtotal. A percentage is taken once of the lines' sum,
 *   rounded, then spread; a fixed amount is at most that sum.
 * - Tax is figured on subtotal - discount at the line's rate: taken out
 *   of it when prices include tax (tax = gross * r / (1 + r)), added to
 *   it otherwise. Rounded half away from zero, per line, or, when the
 *   shop rounds on the total, once per rate over the sum of its lines
 *   (the lines then get that tax shared as the discount is).
 * - Shipping is taxed when the shop says so and the address's standard
 *   rate applies to shipping. It is then taxed as the goods it carries:
 *   shared over the lines in proportion to their cost after the
 *   discount, each rate's part at that rate, rounded once per rate (EU
 *   and UK VAT's rule for a delivery of goods at several rates; one
 *   rate when the lines have one). A cart whose lines cost nothing:
 *   the standard rate.
 * - total = sum of the lines' totals + shipping (with its tax).
 *
 * Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_QUOTE_H
#define SOUK_SHOP_QUOTE_H

#include <stddef.h>
#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/address.h"
#include "shop/ctx.h"

enum tax_class {
	TAX_STANDARD = 0,
	TAX_REDUCED,
	TAX_ZERO,
	TAX__MAX
};

/* "standard", "reduced", "zero" (the column's values) and back;
 * parse returns -1 for anything else. */
const char	*tax_class_name(enum tax_class c);
int		 tax_class_parse(struct str s, enum tax_class *out);

struct quote_line {
	/* in */
	int64_t		 product_id;
	int64_t		 variant_id;	/* 0: none */
	int64_t		 category_id;	/* 0: none */
	int64_t		 unit_price;	/* as entered */
	int64_t		 qty;		/* > 0 */
	int64_t		 weight_g;	/* of one */
	enum tax_class	 tax_class;
	/* out */
	int64_t		 subtotal;	/* unit_price * qty */
	int64_t		 discount;
	int64_t		 tax;
	int64_t		 total;		/* subtotal - discount (+ tax when
					 * prices exclude it) */
	int32_t		 tax_rate;	/* millionths */
};

enum ship_kind {
	SHIP_FLAT = 0,
	SHIP_FREE,
	SHIP_WEIGHT,
	SHIP_PICKUP,
	SHIP__MAX
};

/* "flat", "free", "weight", "pickup" and back (-1 for anything else). */
const char	*ship_kind_name(enum ship_kind k);
int		 ship_kind_parse(struct str s, enum ship_kind *out);

/* A shipping method on offer for the address, with its cost. */
struct ship_option {
	int64_t		 id;
	enum ship_kind	 kind;
	struct str	 name;		/* the merchant's, or "" */
	int64_t		 cost;		/* as entered, for this cart; 0 when
					 * free (also by coupon) */
};

/* One tax rate's part of the total, for the review page and the
 * invoice ("MwSt. 19 %: 3,19 €"). */
struct quote_tax {
	struct str	 name;		/* the rate's, or "" */
	int32_t		 rate;		/* millionths */
	int64_t		 amount;	/* lines' and shipping's */
};

struct quote_in {
	struct quote_line *lines;	/* filled in place */
	size_t		 nlines;
	/* Where it goes; NULL before the shopper said: then no shipping
	 * is priced, and taxes are the shop's own country's. */
	const struct address *ship_to;
	int64_t		 method_id;	/* 0: the first on offer */
	struct str	 coupon;	/* as typed; empty: none */
	struct str	 email;		/* for a coupon's uses per customer;
					 * may be empty */
};

struct quote {
	int		 prices_include_tax;
	int64_t		 subtotal;
	int64_t		 discount;
	int64_t		 shipping;	/* as entered: with its tax when
					 * prices include tax */
	int64_t		 shipping_tax;
	int64_t		 tax;		/* all of it, shipping's too */
	int64_t		 total;
	struct ship_option *options;	/* methods for ship_to */
	size_t		 noptions;
	int64_t		 method_id;	/* the chosen one; 0 when none */
	enum ship_kind	 method_kind;
	struct str	 method_name;
	int64_t		 coupon_id;	/* 0: none applied */
	struct str	 coupon_code;	/* as stored */
	int		 free_shipping;	/* by the coupon */
	struct quote_tax *taxes;
	size_t		 ntaxes;
	int64_t		 weight_g;
	int		 no_zone;	/* ship_to is in no zone: cannot
					 * be shipped to (an error on
					 * "ship_country" too) */
};

enum coupon_kind {
	COUPON_PERCENT = 0,	/* amount in basis points: 1000 is 10 % */
	COUPON_FIXED,		/* amount in minor units */
	COUPON_FREE_SHIPPING,
	COUPON__MAX
};

/* What quote_totals() works on: everything already looked up. */
struct quote_totals_in {
	struct quote_line *lines;	/* tax_rate set; outs filled */
	size_t		 nlines;
	int		 prices_include_tax;
	int		 round_total;	/* per rate, not per line */
	int		 has_coupon;
	enum coupon_kind coupon_kind;
	int64_t		 coupon_amount;
	const unsigned char *eligible;	/* per line: the coupon applies;
					 * NULL: to every line */
	const struct str *rate_names;	/* per line, for out->taxes; may
					 * be NULL */
	int64_t		 shipping;	/* as entered; 0 when free */
	/* Shipping is taxed: the address's standard rate, which taxes
	 * it when the lines cost nothing (millionths; 0: untaxed). */
	int32_t		 shipping_rate;
	struct str	 shipping_rate_name;
};

/*
 * The arithmetic above, pure: fills the lines' outs and, in out, every
 * amount (prices_include_tax, subtotal, discount, shipping,
 * shipping_tax, tax, total) and taxes (one per non-zero rate, lines'
 * and shipping's, in a; highest rate first). Nothing else of out is
 * touched. Returns 0, or -1 when an amount would overflow (a cart no
 * shop sells: the caller refuses it).
 */
int	quote_totals(struct arena *a, const struct quote_totals_in *in,
	    struct quote *out);

/* x * num / den rounded half away from zero; den > 0. */
int64_t	quote_muldiv(int64_t x, int64_t num, int64_t den);

/*
 * The shipping's tax per rate, as quote_totals() split it when the
 * shipping was taxed: shipping shared over the n lines by net[i] (what
 * each line cost after its discount, with tax when inclusive), each
 * rate's share taxed at that rate once. Writes the tax of each rate to
 * out[i] of its first line (0 on the others). Returns the sum, which is
 * the order's shipping_tax for any order whose lines cost something
 * (the ledger checks that before using it); -1 on bad input. frac is
 * scratch of n entries, out has n.
 */
int64_t	quote_shipping_tax_split(const int64_t *net, const int32_t *rates,
	    size_t n, int64_t shipping, int prices_include_tax, int64_t *out);

/*
 * Each rate's share of the shipping, as quote_totals() shared it over
 * the n lines by net[i] (as for quote_shipping_tax_split()): written to
 * share[i] of the rate's first line (0 on the others); the shares sum
 * to shipping. What a VAT return needs: the shipping's taxable amount
 * per rate. Returns 0, or -1 on bad input (lines that cost nothing).
 */
int	quote_shipping_shares(const int64_t *net, const int32_t *rates,
	    size_t n, int64_t shipping, int64_t *share);

/*
 * Prices the cart in for the address. Problems the shopper can fix are
 * field errors added to errs, the quote still complete without what
 * failed: "coupon" (unknown, expired, used up, below its minimum spend,
 * for other products), "ship_country" (no zone ships there),
 * "method_id" (not on offer for this address). Returns SHOP_OK (look at
 * errs), SHOP_EDB; SHOP_EINVAL (an error on "qty") only for a cart
 * whose amounts would overflow (quote_totals()), which no cart limit
 * lets through. errs is added to, not cleared. Each line's tax_rate
 * is set from the address's rates (the caller's is ignored).
 */
int	quote_compute(struct shop_ctx *ctx, const struct quote_in *in,
	    struct quote *out, struct field_errors *errs);

/*
 * Takes one use of coupon id for email in the caller's (the order's)
 * transaction: SHOP_OK; SHOP_EINVAL when its usage limit, or its limit
 * per customer, was reached meanwhile (the order must not be placed).
 */
int	coupon_use(struct shop_ctx *ctx, int64_t coupon_id, struct str email);

/* Gives back a use taken by an order that was cancelled. */
int	coupon_release(struct shop_ctx *ctx, int64_t coupon_id);

#endif
