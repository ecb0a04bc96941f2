/*
 * admin_api_keys.h: the admin's page of the shop's API keys
 * (/admin/api-keys): make one (shown once), list them, revoke one.
 * Owners and managers only: a key reads (or writes) the whole shop.
 */
#ifndef SOUK_WEB_ADMIN_API_KEYS_H
#define SOUK_WEB_ADMIN_API_KEYS_H

#include "http/router.h"

/* For admin_dispatch()'s tables. */
extern const struct route	admin_api_keys_routes[];
extern const size_t		admin_api_keys_nroutes;

#endif
