/*
 * admin_orders.h: the merchant's orders in the shop admin: the
 * dashboard (the admin's first page, /admin), the orders list with its
 * filters, and the order page with its actions (mark paid, ship,
 * complete, cancel, note).
 */
#ifndef SOUK_WEB_ADMIN_ORDERS_H
#define SOUK_WEB_ADMIN_ORDERS_H

#include <stddef.h>
#include "http/router.h"

/* For admin_dispatch()'s tables. */
extern const struct route	admin_orders_routes[];
extern const size_t		admin_orders_nroutes;

#endif
