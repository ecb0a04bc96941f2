/*
 * admin_documents.h: an order's printed papers in the shop admin
 * (admin_documents.c). GET /admin/orders/:number/packing-slip is the
 * slip that goes in the parcel: the shop, the order's number and date,
 * the address it ships to, and each line's product, option, SKU and
 * quantity, without prices (a gift's receiver sees none). A page of
 * its own, made to be printed (A4 or Letter, the browser's print
 * dialog), linked from the order's page. GET
 * /admin/orders/:number/invoice is the invoice of a paid order
 * (web/orders.h's orders_invoice_page(), which the shopper also gets).
 */
#ifndef SOUK_WEB_ADMIN_DOCUMENTS_H
#define SOUK_WEB_ADMIN_DOCUMENTS_H

#include <stddef.h>
#include "http/router.h"

extern const struct route	admin_documents_routes[];
extern const size_t		admin_documents_nroutes;

#endif
