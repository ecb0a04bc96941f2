/*
 * admin_export.h: the catalog as a product CSV from the shop admin
 * (admin_export.c): GET /admin/products/export?format=woo|shopify,
 * linked from the products list, answers the whole catalog
 * (shop/catalog_export.h) as an attachment, streamed as it is read.
 */
#ifndef SOUK_WEB_ADMIN_EXPORT_H
#define SOUK_WEB_ADMIN_EXPORT_H

#include <stddef.h>
#include "http/router.h"

/* Listed before admin.c's table in admin_dispatch(): its
 * "/admin/products/:id" would take "export" for an id. */
extern const struct route	admin_export_routes[];
extern const size_t		admin_export_nroutes;

#endif
