/*
 * orders.h: the shopper's order pages on the storefront (their order
 * history and an order in their account, a guest's order by its access
 * key, the shopper's cancel), and the model of one order that these and
 * the admin's order page (web/admin_orders.c) render.
 */
#ifndef SOUK_WEB_ORDERS_H
#define SOUK_WEB_ORDERS_H

#include <json.h>
#include <stddef.h>
#include "http/router.h"
#include "shop/order.h"
#include "web/page.h"

/* The storefront's order routes, for store_dispatch()'s tables. */
extern const struct route	orders_routes[];
extern const size_t		orders_nroutes;

/*
 * Adds o to m under "order": number, status (label and name), date,
 * lines, totals (discount, shipping, taxes), addresses with country
 * names in the request's language, payment method, tracking link once
 * shipped, and the notes to the shopper; with merchant set, the whole
 * history with who made each change, private notes included. Strings
 * are copied into m (page.h).
 */
void	orders_model(struct web *w, json_object *m, const struct order *o,
	    int merchant);

/*
 * The invoice of o (shop/invoice.h) as a page of its own, made to be
 * printed: the seller, the buyer's billing address, the invoice's number
 * and date, each line with its tax rate and net amount, the tax by rate
 * (shipping's on a row of its own) and the totals. back is the link to
 * the page it was opened from (copied). A 404 page when o is not paid.
 * Returns what page_render() returns.
 */
int	orders_invoice_page(struct web *w, const struct order *o,
	    const char *back);

/*
 * The order the route's :number names, for a shopper: orders_own() the
 * signed-in customer's own (another's is SHOP_ENOTFOUND), orders_keyed()
 * a guest's when key is its access key (compared in constant time; a
 * wrong key is SHOP_ENOTFOUND, as a missing order). With its lines when
 * with_lines is set. SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB.
 */
int	orders_own(struct web *w, int with_lines, struct order *o);
int	orders_keyed(struct web *w, struct str key, int with_lines,
	    struct order *o);

/* The 404 page of an order that does not exist (or is not the
 * shopper's). Returns what page_error() returns. */
int	orders_not_found(struct web *w);

/*
 * The order a shopper's form POSTs about (/account/orders/:number/...
 * or, guest set, /order/:number/...?key=): not stored, the form's token
 * checked, the order the customer's own or the key's. Returns 1 with
 * *o and *key (the guest's, in the arena; NULL signed in); 0 when an
 * answer was made (403, 404, 503): the handler returns *answer.
 */
int	orders_posted(struct web *w, int guest, int with_lines,
	    struct order *o, const char **key, int *answer);

/* An order's date as shown, on the shop's clock: "2026-03-31 16:05
 * (Europe/Berlin)" (UTC when its zone is not known), in the arena. */
const char	*orders_date(struct web *w, struct str at);

#endif
