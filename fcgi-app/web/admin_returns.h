/*
 * admin_returns.h: the merchant's returns in the shop admin: the list
 * (newest first, by status) with the shop's return settings (the
 * window in days, the policy shown on the shopper's form), and a
 * return's page with its actions: approve or refuse (with a note to
 * the shopper), mark received (back in stock), refund (shop/rma.h).
 */
#ifndef SOUK_WEB_ADMIN_RETURNS_H
#define SOUK_WEB_ADMIN_RETURNS_H

#include <stddef.h>
#include "http/router.h"

/* For admin_dispatch()'s tables. */
extern const struct route	admin_returns_routes[];
extern const size_t		admin_returns_nroutes;

#endif
