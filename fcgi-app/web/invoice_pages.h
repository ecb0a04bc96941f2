/*
 * invoice_pages.h: the platform's invoices as pages (platform/
 * billing.h): an account's list (/invoices) and one invoice
 * (/invoices/:number), plain HTML its owner prints (no PDF); operators
 * see every account's, and all of them on /operator/invoices
 * (?status=).
 */
#ifndef SOUK_WEB_INVOICE_PAGES_H
#define SOUK_WEB_INVOICE_PAGES_H

#include "http/router.h"

extern const struct route	invoice_page_routes[];
extern const size_t		invoice_page_nroutes;

#endif
