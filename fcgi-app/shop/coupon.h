/*
 * coupon.h: a shop's coupons ({p}coupons): the merchant's list and
 * form, and the check of a coupon against a cart that quote_compute()
 * runs. Taking and giving back a use is in quote.h (coupon_use(),
 * coupon_release()): call coupon_use() in the order's transaction
 * BEFORE inserting the order row (it counts the shopper's orders that
 * took the coupon, and the new one must not count itself).
 *
 * Codes are letters, digits, '-' and '_', stored upper case and found
 * in any case. Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_COUPON_H
#define SOUK_SHOP_COUPON_H

#include <stddef.h>
#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"
#include "shop/quote.h"

#define COUPON_CODE_MAX		40
#define COUPON_IDS_MAX		1000	/* bytes of a product/category list */
#define COUPON_AMOUNT_MAX	1000000000	/* minor units */

struct coupon {
	int64_t		 id;
	struct str	 code;
	enum coupon_kind kind;
	int64_t		 amount;	/* basis points, or minor units */
	int64_t		 min_spend;	/* minor units, 0: none */
	struct str	 expires_on;	/* "2026-12-31" (ends that day, UTC);
					 * "" never */
	struct str	 product_ids;	/* "3 17"; "" all */
	struct str	 category_ids;
	int64_t		 usage_limit;	/* 0: none */
	int64_t		 per_customer;	/* 0: none */
	int64_t		 used;
	int		 active;
	int		 expired;	/* read: past expires_on now */
	struct str	 created_at;	/* read: UTC, "YYYY-MM-DD HH:MM:SS" */
	struct str	 updated_at;	/* read: the last change, a use too */
};

/* The shop's coupons, newest first (at most 500); SHOP_OK, SHOP_EDB. */
int	coupons_list(struct shop_ctx *ctx, struct coupon **out, size_t *n);

/* SHOP_OK, SHOP_ENOTFOUND (not this shop's), SHOP_EDB. */
int	coupon_get(struct shop_ctx *ctx, int64_t id, struct coupon *out);

/* The coupon of code (any case, trimmed): SHOP_OK, SHOP_ENOTFOUND (also
 * for a code that cannot be one), SHOP_EDB. */
int	coupon_by_code(struct shop_ctx *ctx, struct str code,
	    struct coupon *out);

/*
 * Validates c (code upper-cased, lists normalised in place) and inserts
 * it (c->id 0: sets it) or updates row c->id (used is not written).
 * Errors on "code" (also: taken), "kind", "amount", "min_spend",
 * "expires_on", "product_ids", "category_ids", "usage_limit",
 * "per_customer". SHOP_OK, SHOP_EINVAL, SHOP_ENOTFOUND, SHOP_EDB.
 */
int	coupon_save(struct shop_ctx *ctx, struct coupon *c,
	    struct field_errors *errs);

/* coupon_save()'s checks alone (not the code's uniqueness), adding to
 * errs (not cleared). */
int	coupon_check(struct shop_ctx *ctx, struct coupon *c,
	    struct field_errors *errs);

/* Turns a coupon off (or on again); SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	coupon_set_active(struct shop_ctx *ctx, int64_t id, int active);

/* Deletes it for good (orders keep its code; the API's
 * DELETE ?force=true). SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	coupon_delete(struct shop_ctx *ctx, int64_t id);

/* Who used coupon id, one entry per standing order that took it, oldest
 * first, at most 1000: the customer's id as text ("12") for an account,
 * else the order's e-mail (WooCommerce's used_by). SHOP_OK, SHOP_EDB. */
int	coupon_used_by(struct shop_ctx *ctx, int64_t id, struct str **out,
	    size_t *n);

/* Orders of email that took coupon id and stand (not cancelled), or
 * -1 on error. */
int64_t	coupon_uses_by(struct shop_ctx *ctx, int64_t id, struct str email);

/* --- pure ------------------------------------------------------------ */

/* 1 when c applies to a line of product_id in category_id. */
int	coupon_applies(const struct coupon *c, int64_t product_id,
	    int64_t category_id);

/*
 * Why c cannot be used on a cart whose lines sum to subtotal, of which
 * eligible_lines lines it applies to, by a shopper who used it uses
 * times: an untranslated msgid (N_()), or NULL when it can.
 */
const char	*coupon_refusal(const struct coupon *c, int64_t subtotal,
		    size_t eligible_lines, int64_t uses);

/* A percentage as typed ("10", "12.5", at most 2 decimals, over 0 and
 * at most 100) into basis points: 0, or -1. */
int	coupon_percent_parse(struct str s, int64_t *bp);

/* 1 when s is a list of ids ("3 17", spaces or commas) that fits. */
int	coupon_ids_valid(struct str s);

#endif
