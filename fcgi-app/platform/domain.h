/*
 * domain.h: a shop's custom domains (souk_domains): host names besides
 * "{slug}.{platform_domain}" that reach it (tenant.h resolves them).
 *
 * A host is stored lower-cased, without port: LDH labels, two or more,
 * the last not numeric, never the platform's domain or a name under
 * it. How many a shop may have is its plan's (platform/quota.h),
 * checked in the adding transaction.
 */
#ifndef SOUK_DOMAIN_H
#define SOUK_DOMAIN_H

#include <stdint.h>
#include "core/str.h"

struct db;

enum domain_err {
	DOMAIN_OK = 0,
	DOMAIN_EDB,
	DOMAIN_EINVAL_HOST,	/* not a host name, or under the platform */
	DOMAIN_ETAKEN,		/* another shop's, or this one's already */
	DOMAIN_EQUOTA,		/* the shop's plan allows no more */
};

/* Adds host to shop tenant_id. */
enum domain_err domain_add(struct db *db, int64_t tenant_id, struct str host);

/* Removes host of shop tenant_id (no error when it has none such). */
enum domain_err domain_remove(struct db *db, int64_t tenant_id,
		    struct str host);

/* 1 when host (lower case, no port) may be a custom domain. */
int	domain_valid(const char *host, size_t len);

/* English text of an error code, for soukctl and logs. */
const char	*domain_strerror(enum domain_err e);

#endif
