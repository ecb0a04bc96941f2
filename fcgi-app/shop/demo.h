/*
 * demo.h: the demo catalogs `make run` fills its three shops with: a
 * German bakery, a Japanese tea shop and a surf shop, about 20 products
 * each with their texts in the shop's languages, their sizes as
 * variants of one product, tax classes and weights, and images (PNG
 * drawn here, so nothing is downloaded); and each shop's selling
 * set-up: its country, bank details and offline payment methods, tax
 * rates, shipping zones with their methods, and a welcome coupon
 * (WILLKOMMEN10 / WELCOME10, 10 % once per shopper).
 */
#ifndef SOUK_SHOP_DEMO_H
#define SOUK_SHOP_DEMO_H

#include "shop/ctx.h"

/* The names of the demo catalogs ("bakery", "tea", "surf"). */
int	demo_known(const char *kind);

/* The languages of catalog kind into out (room for 3); the count. */
size_t	demo_locales(const char *kind, const char **out);

/*
 * Fills the shop of ctx with the demo catalog kind, unless it already
 * has products (then does nothing). ctx->locale must be the shop's
 * default language. Returns SHOP_OK or an enum shop_err; *added is the
 * number of products created.
 */
int	demo_load(struct shop_ctx *ctx, const char *kind, int *added);

#endif
