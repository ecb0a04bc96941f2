/*
 * admin_customers.h: the shop admin's customers (admin_customers.c):
 * the list with search and keyset pages, and a customer's page (profile,
 * addresses, orders).
 */
#ifndef SOUK_WEB_ADMIN_CUSTOMERS_H
#define SOUK_WEB_ADMIN_CUSTOMERS_H

#include <stddef.h>
#include "http/router.h"

extern const struct route	admin_customers_routes[];
extern const size_t		admin_customers_nroutes;

#endif
