/*
 * cart.h (web): the cart, the checkout's steps and the order's
 * confirmation page of a storefront (web/cart.c), and the cart link
 * every storefront page shows in its header.
 */
#ifndef SOUK_WEB_CART_H
#define SOUK_WEB_CART_H

#include <json.h>
#include <stddef.h>
#include "http/router.h"
#include "web/page.h"

extern const struct route	cart_routes[];
extern const size_t		cart_nroutes;

/*
 * The header's cart link for a storefront page: "storefront" and, when
 * the shopper has a cart or a session, the number of items
 * ("cart_count"). A page that shows them is the shopper's own: it is
 * sent with Cache-Control: no-store (set here; the caller sets its
 * own caching only when this returns 0). Returns 1 when the page is
 * personal.
 */
int	cart_header_model(struct web *w, json_object *m);

#endif
