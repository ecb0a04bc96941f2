/*
 * domain.h: a shop's custom domains (souk_domains): host names besides
 * "{slug}.{platform_domain}" that reach it (tenant.h resolves them).
 *
 * A host is stored lower-cased, without port: LDH labels, two or more,
 * the last not numeric, never the platform's domain or a name under
 * it. How many a shop may have is its plan's (platform/quota.h),
 * checked in the adding transaction.
 *
 * An operator's domain (soukctl) is trusted at once. A merchant's
 * (domain_request(), from the admin) waits for its check: the merchant
 * points the name at the platform (DNS), souk answers
 * /.well-known/souk-domain/TOKEN on that host with the token
 * (domain_token_ok()), and domain_verify() fetches that URL from the
 * outside: the answer proves the name reaches this platform. Until
 * then the host serves nothing of the shop (tenant.h resolves verified
 * domains only). The fetch goes to port domain_verify_port (default:
 * public_port, else 80); tests set domain_verify_resolve to the address
 * every name is to resolve to in place of DNS.
 */
#ifndef SOUK_DOMAIN_H
#define SOUK_DOMAIN_H

#include <stdint.h>
#include "core/arena.h"
#include "core/str.h"

struct db;

#define DOMAIN_TOKEN_HEX	32
#define DOMAIN_WELL_KNOWN	"/.well-known/souk-domain/"

enum domain_err {
	DOMAIN_OK = 0,
	DOMAIN_EDB,
	DOMAIN_EINVAL_HOST,	/* not a host name, or under the platform */
	DOMAIN_ETAKEN,		/* another shop's, or this one's already */
	DOMAIN_EQUOTA,		/* the shop's plan allows no more */
	DOMAIN_ENOTFOUND,	/* not a domain of this shop */
	DOMAIN_EUNVERIFIED,	/* the check failed: see the reason */
};

struct domain {
	char	host[254];
	char	token[DOMAIN_TOKEN_HEX + 1];
	int	verified;
	char	checked_at[20];		/* "" never; UTC */
	char	error[256];		/* the last check's, or "" */
};

/* Adds host to shop tenant_id, verified (an operator's). */
enum domain_err domain_add(struct db *db, int64_t tenant_id, struct str host);

/* Adds host to shop tenant_id waiting for its check (a merchant's). */
enum domain_err domain_request(struct db *db, int64_t tenant_id,
		    struct str host);

/* The shop's domains, in a. */
enum domain_err domain_list(struct db *db, struct arena *a, int64_t tenant_id,
		    struct domain **out, size_t *n);

/* Checks host of shop tenant_id now (a blocking fetch of at most 10 s):
 * DOMAIN_OK (verified, or was), DOMAIN_EUNVERIFIED (why in err),
 * DOMAIN_ENOTFOUND, DOMAIN_EDB. */
enum domain_err domain_verify(struct db *db, int64_t tenant_id,
		    struct str host, char *err, size_t errlen);

/* 1 when host (lower case, no port) has token (what the well-known URL
 * answers), 0 when not, -1 on a database error. */
int	domain_token_ok(struct db *db, struct str host, struct str token);

/* Removes host of shop tenant_id (no error when it has none such). */
enum domain_err domain_remove(struct db *db, int64_t tenant_id,
		    struct str host);

/* 1 when host (lower case, no port) may be a custom domain. */
int	domain_valid(const char *host, size_t len);

/* English text of an error code, for soukctl and logs. */
const char	*domain_strerror(enum domain_err e);

#endif
