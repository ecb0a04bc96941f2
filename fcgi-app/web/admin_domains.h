/*
 * admin_domains.h: the admin's Domains page (/admin/domains): the
 * shop's custom domains, the DNS record each needs, its check and its
 * removal (platform/domain.h). Owners and managers (PERM_SETTINGS).
 */
#ifndef SOUK_WEB_ADMIN_DOMAINS_H
#define SOUK_WEB_ADMIN_DOMAINS_H

#include "http/router.h"

extern const struct route	admin_domains_routes[];
extern const size_t		admin_domains_nroutes;

#endif
