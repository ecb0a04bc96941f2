/*
 * operator_usage.h: the operator console's usage pages
 * (platform/usage.h): /operator/usage, every shop's figures over a
 * period (default the last 30 days, UTC), sortable by any column, 100
 * a page, with the platform's page views, API requests, orders and
 * products per day drawn above; /operator/usage.csv, the same table for
 * a spreadsheet (every shop, no paging); /operator/usage/:id, one
 * shop's charts and days.
 */
#ifndef SOUK_WEB_OPERATOR_USAGE_H
#define SOUK_WEB_OPERATOR_USAGE_H

#include "http/router.h"

extern const struct route	operator_usage_routes[];
extern const size_t		operator_usage_nroutes;

#endif
