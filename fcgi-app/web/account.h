/*
 * account.h: the shopper's account pages of a storefront, /account/...
 * (account.c: register, sign in and out, reset links, profile, address
 * book, deleting the account), and the session loading every
 * storefront request does (store_before(), web/store.c).
 */
#ifndef SOUK_WEB_ACCOUNT_H
#define SOUK_WEB_ACCOUNT_H

#include <stddef.h>
#include "http/router.h"

struct web;

extern const struct route	account_routes[];
extern const size_t		account_nroutes;

/*
 * Loads the signed-in shopper of the CUSTOMER_COOKIE cookie into
 * w->customer (w->has_customer) and makes its CSRF token the page's:
 * one select by primary keys, only when the cookie is there; a cookie
 * of no live session is deleted. 0, or 503 when the database failed.
 */
int	account_load_session(struct web *w);

#endif
