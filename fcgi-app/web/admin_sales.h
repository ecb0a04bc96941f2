/*
 * admin_sales.h: the merchant's selling settings in the shop admin:
 * shipping zones and their methods, tax rates and tax settings,
 * payment methods (and where order mail goes), coupons. Listed in
 * admin_dispatch()'s tables (web/admin.c).
 */
#ifndef SOUK_WEB_ADMIN_SALES_H
#define SOUK_WEB_ADMIN_SALES_H

#include <stddef.h>
#include "http/router.h"

extern const struct route	admin_sales_routes[];
extern const size_t		admin_sales_nroutes;

#endif
