/*
 * cart.h: a shopper's cart and what they filled in at checkout so far.
 *
 * A cart belongs to a browser, by the cookie CART_COOKIE (32 random
 * bytes as hex; only its SHA-256 is stored, as for sessions), or to a
 * signed-in customer (one cart each). When a request carries both, the
 * first read of the cart (cart_resolve(), which every function here
 * runs first) moves the cookie cart's items into the customer's cart
 * (quantities added, capped by stock) and deletes the cookie cart; the
 * caller then drops the cookie (struct cart_owner's token_spent).
 *
 * A line is a product and a variant (0 when the product has none). A
 * product with variants is only ever in a cart with one of its own.
 * Quantities run 1..CART_QTY_MAX, and a cart never holds more of a line
 * than is in stock when it is written (stock is taken only when the
 * order is placed, shop/order_place.h, which checks again).
 *
 * Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_CART_H
#define SOUK_SHOP_CART_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/field.h"
#include "core/str.h"
#include "shop/address.h"
#include "shop/ctx.h"

#define CART_COOKIE		"cart"
#define CART_TOKEN_HEX		64		/* the cookie's value */
#define CART_COOKIE_SECS	(365L * 86400)	/* across browser restarts */
#define CART_QTY_MAX		999
#define CART_LINES_MAX		100		/* lines a cart may hold */
#define CART_PURGE_DAYS		60		/* anonymous carts kept */
#define CART_COUPON_MAX		40		/* characters of a code */

/* Whose cart: the cookie's token (may be empty) and the signed-in
 * customer (0: none). */
struct cart_owner {
	struct str	 token;
	int64_t		 customer_id;
	/* out: the token's cart was merged into the customer's, or taken
	 * over by them: the caller deletes the cookie. */
	int		 token_spent;
	/* in: the token was made for this request (no cart has it). */
	int		 token_new;
};

struct cart_line {
	int64_t		 product_id;
	int64_t		 variant_id;	/* 0: none */
	int64_t		 qty;
	struct str	 slug;
	struct str	 name;		/* in the context's language */
	struct str	 variant;	/* the variant's name, or "" */
	struct str	 sku;
	struct str	 image;
	int64_t		 unit_price;	/* as entered, today's */
	int64_t		 stock;		/* of the variant, or the product */
	int64_t		 weight_g;	/* of one */
	int64_t		 category_id;
	struct str	 tax_class;	/* "standard", ... */
	int		 available;	/* still sold (active, variant there) */
	int64_t		 added;		/* when, in seconds: the lines' order */
};

struct cart {
	int64_t		 id;		/* 0: none yet (empty) */
	struct str	 coupon_code;
	struct str	 checkout;	/* JSON, cart_checkout_parse() */
	struct cart_line *lines;
	size_t		 nlines;
	int64_t		 items;		/* sum of the quantities */
};

/* A fresh cookie value: CART_TOKEN_HEX hex digits and a NUL. */
void	cart_token_new(char out[CART_TOKEN_HEX + 1]);

/*
 * The cart of owner into *id (0 when it has none and create is 0),
 * merging a cookie cart into the customer's as said above; with create,
 * a new one when there is none (the caller set the cookie, or the owner
 * is a customer). SHOP_OK, SHOP_EDB.
 */
int	cart_resolve(struct shop_ctx *ctx, struct cart_owner *o, int create,
	    int64_t *id);

/* The cart of owner with its lines (an empty cart, id 0, when none).
 * SHOP_OK, SHOP_EDB. */
int	cart_get(struct shop_ctx *ctx, struct cart_owner *o, struct cart *out);

/* The same for cart id (the order's transaction reads it again);
 * SHOP_ENOTFOUND when there is no such cart. */
int	cart_get_by_id(struct shop_ctx *ctx, int64_t id, struct cart *out);

/* The cart of owner without its lines (items 0): what placing an order
 * needs before its transaction reads them. SHOP_OK, SHOP_EDB. */
int	cart_head(struct shop_ctx *ctx, struct cart_owner *o, struct cart *out);

/*
 * The line qty of product_id (variant_id, 0 none) would be in a cart,
 * with today's price and stock, without a cart (an order an
 * integration places: order_place.h's lines). available is 0 when
 * the product is not sold, the variant not the product's, or the
 * product has variants and none was named. SHOP_OK, SHOP_ENOTFOUND (no
 * such product), SHOP_EDB.
 */
int	cart_line_read(struct shop_ctx *ctx, int64_t product_id,
	    int64_t variant_id, int64_t qty, struct cart_line *out);

/* The number of items in owner's cart (0 when none): the header's. */
int	cart_count(struct shop_ctx *ctx, struct cart_owner *o, int64_t *n);

/*
 * What failed in an add or a change, for the shopper's message: the
 * product's name (and variant's) and how many are left in stock.
 */
struct cart_problem {
	struct str	 name;
	struct str	 variant;
	int64_t		 left;		/* -1: not a stock problem */
};

/*
 * Adds qty of product_id (variant_id, 0 for none) to owner's cart,
 * creating the cart. SHOP_ENOTFOUND: no such product sold by this shop
 * (another shop's id too). SHOP_EINVAL with errs: "variant_id" (a
 * product with variants needs one of its own; one without takes none),
 * "qty" (outside 1..CART_QTY_MAX, or more than in stock with what the
 * cart holds already: problem->left says how many are left). SHOP_OK,
 * SHOP_EDB.
 */
int	cart_add(struct shop_ctx *ctx, struct cart_owner *o, int64_t product_id,
	    int64_t variant_id, int64_t qty, struct field_errors *errs,
	    struct cart_problem *problem);

/* Sets the quantity of a line (0 removes it); errors as cart_add()'s,
 * SHOP_ENOTFOUND when the cart has no such line. */
int	cart_set_qty(struct shop_ctx *ctx, struct cart_owner *o,
	    int64_t product_id, int64_t variant_id, int64_t qty,
	    struct field_errors *errs, struct cart_problem *problem);

/* Removes a line; SHOP_OK also when it was not there. */
int	cart_remove(struct shop_ctx *ctx, struct cart_owner *o,
	    int64_t product_id, int64_t variant_id);

/* Stores the coupon code (already checked by quote_compute(); "" for
 * none) on cart id. */
int	cart_set_coupon(struct shop_ctx *ctx, int64_t cart_id, struct str code);

/* What the checkout's steps filled in so far, kept in carts.checkout. */
struct cart_checkout {
	struct str	 email;
	struct address	 ship;
	struct address	 bill;
	int		 bill_same;	/* billing address = shipping */
	int64_t		 method_id;	/* shipping; 0: none chosen */
	struct str	 payment;	/* "bacs", ...; "" none */
	int		 has_address;	/* the first step was completed */
};

/* Parses cart->checkout (an empty or unreadable text: nothing filled
 * in) into out, in ctx->a. */
void	cart_checkout_parse(struct shop_ctx *ctx, struct str json,
	    struct cart_checkout *out);

/* c as that JSON text, in a (cart_checkout.c, with the parser). */
char	*cart_checkout_json(struct arena *a, const struct cart_checkout *c);

/* Stores c as the JSON of cart id. SHOP_OK, SHOP_EDB. */
int	cart_checkout_save(struct shop_ctx *ctx, int64_t cart_id,
	    const struct cart_checkout *c);

/* Deletes cart id with its lines and what the checkout filled in (the
 * order was placed), in the caller's transaction. The next add makes a
 * new cart, for the same cookie. */
int	cart_empty(struct shop_ctx *ctx, int64_t cart_id);

/*
 * Deletes the anonymous carts (no customer) of ctx's shop untouched for
 * days days (CART_PURGE_DAYS), with their lines; *n gets how many. For
 * souk-worker's daily housekeeping. SHOP_OK, SHOP_EDB.
 */
int	cart_purge(struct shop_ctx *ctx, int days, int64_t *n);

#endif
