/*
 * quote.c: what a cart costs delivered to an address (see quote.h):
 * takes the shop's settings, tax rates, shipping zone and methods from
 * selling.h (the worker's copy: no statement) and looks up the coupon,
 * then leaves the arithmetic to quote_totals() (quote_totals.c).
 */
#include "core/common.h"
#include "core/i18n.h"
#include "shop/coupon.h"
#include "shop/quote.h"
#include "shop/selling.h"
#include "shop/shop.h"

/* Where taxes and shipping are figured. */
struct place {
	struct str	country, region, postcode_key;
};

struct rates {
	int32_t		rate[TAX__MAX];
	struct str	name[TAX__MAX];
	int		ships[TAX__MAX];	/* the row taxes shipping */
};

static void
pick_rates(const struct selling *sell, const struct place *pl,
    struct rates *r)
{
	const struct tax_rate	*t;
	size_t			 c;

	memset(r, 0, sizeof(*r));
	for (c = 0; c < TAX__MAX; c++) {
		r->name[c] = STR("");
		t = tax_rate_pick(sell->rates, sell->nrates, (enum tax_class)c,
		    pl->country, pl->region, pl->postcode_key);
		if (t == NULL)
			continue;
		r->rate[c] = t->rate;
		r->name[c] = t->name;
		r->ships[c] = t->shipping;
	}
}

/* The coupon of in->coupon into tin (has_coupon, kind, amount,
 * eligible) and out (id, code, free_shipping), or a field error. */
static int
apply_coupon(struct shop_ctx *ctx, const struct quote_in *in,
    struct quote_totals_in *tin, struct quote *out,
    struct field_errors *errs)
{
	struct coupon	 c;
	unsigned char	*elig;
	int64_t		 subtotal = 0, uses = 0;
	size_t		 i, neligible = 0;
	const char	*why;
	int		 rc;

	rc = coupon_by_code(ctx, in->coupon, &c);
	if (rc == SHOP_ENOTFOUND) {
		field_errors_add(errs, "coupon", N_("This coupon code is not "
		    "valid."));
		return SHOP_OK;
	}
	if (rc != SHOP_OK)
		return rc;
	elig = arena_calloc(ctx->a, in->nlines + 1, 1);
	for (i = 0; i < in->nlines; i++) {
		const struct quote_line *l = &in->lines[i];

		subtotal += l->unit_price * l->qty;
		elig[i] = (unsigned char)coupon_applies(&c, l->product_id,
		    l->category_id);
		neligible += elig[i];
	}
	if (c.per_customer > 0 && str_trim(in->email).len > 0 &&
	    (uses = coupon_uses_by(ctx, c.id, in->email)) < 0)
		return SHOP_EDB;
	if ((why = coupon_refusal(&c, subtotal, neligible, uses)) != NULL) {
		field_errors_add(errs, "coupon", why);
		return SHOP_OK;
	}
	tin->has_coupon = 1;
	tin->coupon_kind = c.kind;
	tin->coupon_amount = c.amount;
	tin->eligible = elig;
	out->coupon_id = c.id;
	out->coupon_code = c.code;
	out->free_shipping = c.kind == COUPON_FREE_SHIPPING;
	return SHOP_OK;
}

/* The zone of the address, and the methods it offers for this cart
 * into out->options. */
static void
ship_options(struct shop_ctx *ctx, const struct selling *sell,
    const struct place *pl, int64_t goods_total, struct quote *out,
    struct field_errors *errs)
{
	const struct ship_method	*m;
	size_t				 nm, i;
	int64_t				 cost;

	for (i = 0; i < sell->nzones; i++)
		if (ship_zone_covers(&sell->zones[i], pl->country, pl->region,
		    pl->postcode_key))
			break;
	if (i == sell->nzones) {
		out->no_zone = 1;
		field_errors_add(errs, "ship_country", N_("We do not ship to "
		    "this country or address."));
		return;
	}
	m = selling_methods(sell, sell->zones[i].id, &nm);
	out->options = arena_calloc(ctx->a, nm + 1, sizeof(*out->options));
	for (i = 0; i < nm; i++) {
		if (!ship_method_offered(&m[i], goods_total, out->weight_g,
		    &cost))
			continue;
		out->options[out->noptions].id = m[i].id;
		out->options[out->noptions].kind = m[i].kind;
		out->options[out->noptions].name = m[i].name;
		out->options[out->noptions].cost = out->free_shipping ? 0 :
		    cost;
		out->noptions++;
	}
}

/* The chosen option's cost, or 0 with out->method_id 0. */
static int64_t
choose(const struct quote_in *in, struct quote *out,
    struct field_errors *errs)
{
	const struct ship_option	*o = NULL;
	size_t				 i;

	for (i = 0; i < out->noptions; i++)
		if (out->options[i].id == in->method_id)
			o = &out->options[i];
	if (o == NULL && in->method_id != 0)
		field_errors_add(errs, "method_id", N_("Choose a shipping "
		    "method on offer for this address."));
	else if (out->noptions == 0 && !out->no_zone)
		field_errors_add(errs, "method_id", N_("No shipping method "
		    "takes this order to this address."));
	if (o == NULL && out->noptions > 0)
		o = &out->options[0];
	if (o == NULL)
		return 0;
	out->method_id = o->id;
	out->method_kind = o->kind;
	out->method_name = o->name;
	return o->cost;
}

int
quote_compute(struct shop_ctx *ctx, const struct quote_in *in,
    struct quote *out, struct field_errors *errs)
{
	const struct selling	*sell;
	struct quote_totals_in	 tin;
	struct rates		 r;
	struct place		 pl;
	struct str		*names;
	int64_t			 goods = 0, cost = 0;
	size_t			 i;
	int			 rc;

	memset(out, 0, sizeof(*out));
	memset(&tin, 0, sizeof(tin));
	out->coupon_code = out->method_name = STR("");
	if ((rc = selling_get(ctx, &sell)) != SHOP_OK)
		return rc;
	if (in->ship_to != NULL) {
		pl.country = in->ship_to->country;
		pl.region = in->ship_to->region;
		pl.postcode_key = address_postcode_key(ctx->a,
		    in->ship_to->postcode);
	} else {
		pl.country = str_c(arena_strdup(ctx->a,
		    sell->settings.country));
		pl.region = pl.postcode_key = STR("");
	}
	pick_rates(sell, &pl, &r);
	names = arena_calloc(ctx->a, in->nlines + 1, sizeof(*names));
	for (i = 0; i < in->nlines; i++) {
		struct quote_line *l = &in->lines[i];
		enum tax_class c = (unsigned)l->tax_class < TAX__MAX ?
		    l->tax_class : TAX_STANDARD;

		l->tax_rate = r.rate[c];
		names[i] = r.name[c];
		out->weight_g += l->weight_g * l->qty;
	}
	tin.lines = in->lines;
	tin.nlines = in->nlines;
	tin.prices_include_tax = sell->settings.prices_include_tax;
	tin.round_total = sell->settings.tax_round_total;
	tin.rate_names = names;
	if (str_trim(in->coupon).len > 0 &&
	    (rc = apply_coupon(ctx, in, &tin, out, errs)) != SHOP_OK)
		return rc;
	/* The lines first: "free above" looks at the goods after their
	 * discount. */
	if (quote_totals(ctx->a, &tin, out) == -1) {
		field_errors_add(errs, "qty", N_("This order is too large."));
		return SHOP_EINVAL;
	}
	for (i = 0; i < in->nlines; i++)
		goods += in->lines[i].subtotal - in->lines[i].discount;
	if (in->ship_to != NULL) {
		ship_options(ctx, sell, &pl, goods, out, errs);
		cost = choose(in, out, errs);
	}
	tin.shipping = cost;
	if (sell->settings.tax_shipping && r.ships[TAX_STANDARD]) {
		tin.shipping_rate = r.rate[TAX_STANDARD];
		tin.shipping_rate_name = r.name[TAX_STANDARD];
	}
	if (quote_totals(ctx->a, &tin, out) == -1) {
		field_errors_add(errs, "qty", N_("This order is too large."));
		return SHOP_EINVAL;
	}
	return SHOP_OK;
}
