/*
 * admin_reports.h: the shop admin's reports (admin_reports.c), from
 * shop/reports.h. GET /admin/reports?from=&to=&group=day|week|month
 * (or ?preset=this-month|last-month|this-year|last-30; no query: this
 * month by day) is one page with every report: sales with a chart, tax
 * by rate and country, payments by method, refunds, top products and
 * categories, money and dates formatted by ICU in the merchant's
 * language. GET /admin/reports/export?report=sales|tax|payments|
 * refunds|products|categories and the same range answers one report
 * as a CSV attachment (UTF-8 with a byte order mark, a header row,
 * amounts in decimal form "12.50" beside a currency column), never
 * cached. A bad range is a 400 with the reason: on the page beside its
 * field, for the CSV as the error page.
 */
#ifndef SOUK_WEB_ADMIN_REPORTS_H
#define SOUK_WEB_ADMIN_REPORTS_H

#include <stddef.h>
#include "http/router.h"

extern const struct route	admin_reports_routes[];
extern const size_t		admin_reports_nroutes;

#endif
