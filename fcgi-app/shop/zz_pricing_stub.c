/*
 * zz_pricing_stub.c: NEEDSWORK: stand-ins for the pricing helper's
 * coupon_release() and settings_get() until their branch lands on
 * main; this file goes at that merge.
 */
#include "core/common.h"
#include "shop/quote.h"
#include "shop/settings.h"

int
coupon_release(struct shop_ctx *ctx, int64_t coupon_id)
{
	(void)ctx;
	(void)coupon_id;
	return SHOP_OK;
}

int
settings_get(struct shop_ctx *ctx, struct shop_settings *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	out->low_stock = 3;
	return SHOP_OK;
}
