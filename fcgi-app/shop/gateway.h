/*
 * gateway.h: the card payment gateways a shop has connected, rows of
 * {p}gateways (sql/shop/008_gateways.sql), one per provider. Stripe is
 * the only one so far.
 *
 * Connecting checks the secret key with the gateway itself (Stripe's
 * GET /v1/account) before anything is stored, then stores the key and
 * the webhook signing secret sealed with the server's key
 * (core/secret.h): the database never holds either in clear, and no
 * page shows them again, only the account, the key's last four
 * characters and whether it is a test key. gateway_secrets() opens
 * them for the code that talks to the gateway (checkout, refunds,
 * webhooks: the next slices).
 *
 * The gateway is called outside any transaction; the row is written by
 * one statement. Results live in ctx->a.
 */
#ifndef SOUK_SHOP_GATEWAY_H
#define SOUK_SHOP_GATEWAY_H

#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"

#define GATEWAY_STRIPE		"stripe"
#define GATEWAY_KEY_MAX		255	/* characters of a key or secret */

struct gateway {
	struct str	provider;	/* "stripe" */
	struct str	account_id;	/* "acct_..." */
	struct str	account_name;	/* as the gateway knows it, or "" */
	struct str	key_last4;	/* the secret key's last 4 */
	int		livemode;	/* 0: a test key */
	int64_t		staff_id;	/* who connected it, 0 unknown */
	struct str	connected_at;	/* "YYYY-MM-DD HH:MM:SS" UTC */
};

/* The provider's row: SHOP_OK, SHOP_ENOTFOUND (not connected), or
 * SHOP_EDB. */
int	gateway_get(struct shop_ctx *ctx, const char *provider,
	    struct gateway *out);

struct gateway_connect {
	struct str	secret_key;	/* "sk_test_...", "rk_live_..." */
	struct str	webhook_secret;	/* "whsec_..." */
	int64_t		staff_id;
};

/*
 * Connects the shop's Stripe account: checks the shapes of both
 * secrets, asks Stripe whether the key is good, seals both and stores
 * them (replacing an earlier connection). SHOP_OK; SHOP_EINVAL with
 * errs ("stripe_secret_key", "stripe_webhook_secret": untranslated
 * msgids) and, when Stripe answered, its own message in detail
 * (English, "" otherwise); SHOP_EDB.
 */
int	gateway_stripe_connect(struct shop_ctx *ctx,
	    const struct gateway_connect *in, struct field_errors *errs,
	    char *detail, size_t dlen);

/* Forgets the provider's keys (deletes the row). SHOP_OK,
 * SHOP_ENOTFOUND, SHOP_EDB. */
int	gateway_disconnect(struct shop_ctx *ctx, const char *provider);

/*
 * The provider's secret key and webhook signing secret, opened (in
 * ctx->a; either pointer may be NULL). SHOP_OK; SHOP_ENOTFOUND when not
 * connected; SHOP_EDB when the row cannot be read or does not open
 * (the server's key is missing or another: logged).
 */
int	gateway_secrets(struct shop_ctx *ctx, const char *provider,
	    struct str *secret_key, struct str *webhook_secret);

/*
 * Seals the shop's stored secrets again under the server's current key
 * (core/secret.h, rotating it), in one transaction; rows sealed under
 * it already are left alone. *count gets how many rows were sealed
 * again. SHOP_OK; SHOP_EINVAL when a secret does not open (its key is
 * neither the current one nor in secret_old_key_files: logged, nothing
 * written); SHOP_EDB.
 */
int	gateway_reseal(struct shop_ctx *ctx, int *count);

struct order;
struct stripe_item;

/*
 * The Checkout line items of order o (platform/stripe.h), summing
 * exactly to o->total: each line at what the shopper pays for it after
 * its share of the coupon ("Name (variant)"); shipping as one item
 * named after its method; and, when prices exclude tax, the order's
 * tax (shipping's included) as one item. Items whose amount is not qty
 * times a whole unit go as quantity 1 (stripe_items()). Names are in
 * the language of the request (_()). Returns the count (in ctx->a),
 * or -1 when the amounts do not add up (logged: the order is not sent
 * to Stripe rather than charged otherwise).
 */
int	gateway_stripe_items(struct shop_ctx *ctx, const struct order *o,
	    struct stripe_item **out);

#endif
