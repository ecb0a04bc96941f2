/*
 * tenant_api.h: the platform's tenant API, /api/v1/ on the platform
 * host (README "Tenant API").
 *
 * Callers: operators with an API key (platform/opkey.h) see and manage
 * every shop; platform accounts with an access token (a JWT from
 * /api/v1/auth/token, platform/apitoken.h) see and manage their own
 * shops only, and another account's shop is a 404, never a 403 that
 * would tell it exists. Both send "Authorization: Bearer ...".
 *
 * Every body goes through json_api_body() and a table of the fields
 * each endpoint takes: an unknown field, a wrong type, an unknown
 * language or currency, a text over its length in characters is a
 * 400 in WooCommerce's error shape (web/json_api.h) naming the field,
 * before anything is written. The shop functions are the ones soukctl
 * and the consoles call (platform/provision.h, platform/tenant.h).
 */
#ifndef SOUK_WEB_TENANT_API_H
#define SOUK_WEB_TENANT_API_H

#include "web/page.h"

#define TENANT_API_PREFIX	"/api/v1/"
#define TENANT_API_PER_PAGE_MAX	100

/* Answers a request whose path starts with TENANT_API_PREFIX on the
 * platform host. Returns what resp_send() returns. */
int	tenant_api_dispatch(struct web *w);

#endif
