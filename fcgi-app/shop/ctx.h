/*
 * ctx.h: the context every shop/ function runs in.
 *
 * A struct shop_ctx names one shop (tenant id, for the table prefix),
 * the language of the request (texts fall back to the shop's default
 * language), the database connection and the request's arena, where
 * every result lives. shop/ functions return 0 or a negative enum
 * shop_err; they never know about HTTP.
 */
#ifndef SOUK_SHOP_CTX_H
#define SOUK_SHOP_CTX_H

#include <stdint.h>
#include "core/arena.h"

struct db;
struct selling;

enum shop_err {
	SHOP_OK = 0,
	SHOP_ENOTFOUND = -1,	/* no such row in this shop */
	SHOP_EINVAL = -2,	/* input failed validation: see errors */
	SHOP_ECONFLICT = -3,	/* unique key taken (slug, sku, e-mail) */
	SHOP_EDB = -4,		/* database unavailable or failed */
	SHOP_ELOCKED = -5,	/* too many failed logins */
	SHOP_EDENIED = -6,	/* wrong credentials */
	SHOP_EQUOTA = -7,	/* the shop's plan allows no more of this
				 * (platform/quota.h says which) */
};

struct shop_ctx {
	struct db	*db;
	struct arena	*a;
	int64_t		 tenant;	/* > 0 */
	const char	*locale;	/* of the request: "de" */
	const char	*default_locale;/* of the shop */
	const char	*currency;	/* the shop's base currency */
	const char	*time_zone;	/* the shop's clock (core/tz.h);
					 * NULL: UTC */
	/* What selling_get() returned this request (selling.h); NULL
	 * before, and again at each new request. */
	const struct selling *selling;
	/* Whether search reads the shop's own index (search_index.h);
	 * 0 until souk-worker has built it. */
	int		 search_indexed;
};

#endif
