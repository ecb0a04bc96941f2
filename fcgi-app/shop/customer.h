/*
 * customer.h: a shop's shoppers with an account, their sessions,
 * password resets, profile, address book, and the deletion of an
 * account (its personal data erased, its orders kept anonymised).
 *
 * Accounts are per shop: the same e-mail may have an account in many
 * shops, each its own. E-mails are stored lower-cased. A login goes
 * through the platform's throttle (platform/lockout.h, scope: the
 * shop's id) as staff logins do; no answer tells whether an account
 * exists. Sessions are random cookie tokens stored as SHA-256 with the
 * CSRF token of their forms, as staff sessions (shop/staff.h).
 *
 * Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_CUSTOMER_H
#define SOUK_SHOP_CUSTOMER_H

#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

#define CUSTOMER_TOKEN_HEX	64	/* cookie value: 32 random bytes */
#define CUSTOMER_COOKIE		"cid"	/* the session cookie's name */

struct customer {
	int64_t		 id;
	struct str	 email;
	struct str	 name;
	struct str	 phone;
	struct str	 locale;
	char		 csrf[33];	/* of the session, when from one */
};

/* The customer of a live session token; SHOP_ENOTFOUND when the token
 * is unknown, malformed or expired. */
int	customer_session_get(struct shop_ctx *ctx, struct str token,
	    struct customer *out);

#endif
