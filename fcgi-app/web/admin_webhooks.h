/*
 * admin_webhooks.h: the shop admin's WooCommerce webhooks
 * (/admin/webhooks; shop/wc_webhook.h): the list with each webhook's
 * last deliveries, adding, editing, pausing and deleting one. Owners
 * and managers only: a webhook sends the shop's orders and customers
 * wherever its URL says. Listed in admin_dispatch()'s tables
 * (web/admin.c).
 */
#ifndef SOUK_WEB_ADMIN_WEBHOOKS_H
#define SOUK_WEB_ADMIN_WEBHOOKS_H

#include <stddef.h>
#include "http/router.h"

extern const struct route	admin_webhooks_routes[];
extern const size_t		admin_webhooks_nroutes;

#endif
