/*
 * returns.h: the shopper's return form on the storefront (a signed-in
 * shopper's /account/orders/:number/return, a guest's
 * /order/:number/return?key=), the shopper's withdrawal of a return
 * not yet looked at (.../returns/:id/cancel), and the returns of one
 * order as the order pages show them (web/orders.c,
 * web/admin_orders.c).
 */
#ifndef SOUK_WEB_RETURNS_H
#define SOUK_WEB_RETURNS_H

#include <json.h>
#include <stddef.h>
#include "http/router.h"
#include "shop/order.h"
#include "web/page.h"

/* The storefront's return routes, for store_dispatch()'s tables. */
extern const struct route	returns_routes[];
extern const size_t		returns_nroutes;

/*
 * Adds to m the returns of o ("returns": number, status, reason, lines,
 * the merchant's note; for the merchant a link to each) and, on the
 * shopper's page when o takes a return now, "return_url" (key: the
 * guest's access key; NULL for the account's page). Strings are copied
 * into m. 0, or -1 when the database failed.
 */
int	returns_model(struct web *w, json_object *m, const struct order *o,
	    const char *key, int merchant);

#endif
