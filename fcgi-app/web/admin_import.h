/*
 * admin_import.h: CSV imports in the shop admin (admin_import.c), at
 * /admin/import: the upload form and the past imports, then one
 * import's page /admin/import/:id, which shows what the row of
 * shop/imports.h says: a progress bar that refreshes itself (a
 * <meta http-equiv="refresh">, no JavaScript) while souk-worker
 * previews or imports, the preview's counts and every refused row,
 * the Import button once previewed, the report when done. Reading the
 * row each time is what makes the page survive a reload.
 */
#ifndef SOUK_WEB_ADMIN_IMPORT_H
#define SOUK_WEB_ADMIN_IMPORT_H

#include <stddef.h>
#include "http/router.h"

extern const struct route	admin_import_routes[];
extern const size_t		admin_import_nroutes;

#endif
