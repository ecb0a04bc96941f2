/*
 * admin_theme.h: the admin's Theme page (/admin/theme): the storefront
 * theme the shop uses (platform/theme.h: the shipped ones and any the
 * operator installed) and its own CSS, checked by core/css.h and kept
 * as a file under the shop's media that the storefront links after the
 * theme's stylesheets. Owners and managers (PERM_SETTINGS).
 */
#ifndef SOUK_WEB_ADMIN_THEME_H
#define SOUK_WEB_ADMIN_THEME_H

#include "http/router.h"

extern const struct route	admin_theme_routes[];
extern const size_t		admin_theme_nroutes;

#endif
