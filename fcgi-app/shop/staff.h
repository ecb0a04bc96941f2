/*
 * staff.h: the people who run a shop, their logins and sessions.
 *
 * The owner is copied from the platform account when the shop is
 * provisioned; other staff come later. A login checks the argon2id hash;
 * after STAFF_MAX_FAILURES failures in a row the account is locked for
 * STAFF_LOCK_MINUTES (a success resets the count). A session is a random
 * token the browser keeps in a cookie; the shop stores only its SHA-256,
 * with the CSRF token its forms must carry.
 *
 * Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_STAFF_H
#define SOUK_SHOP_STAFF_H

#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

#define STAFF_MAX_FAILURES	5
#define STAFF_LOCK_MINUTES	15
#define STAFF_TOKEN_HEX		64	/* cookie value: 32 random bytes */

struct staff {
	int64_t		 id;
	struct str	 email;
	struct str	 role;		/* "owner", "manager", "clerk" */
	char		 csrf[33];	/* of the session, when from one */
};

/*
 * Checks email and password. SHOP_OK fills out; SHOP_EDENIED for an
 * unknown e-mail or a wrong password (the same answer and about the same
 * time for both); SHOP_ELOCKED while locked out.
 */
int	staff_login(struct shop_ctx *ctx, struct str email, struct str password,
	    struct staff *out);

/* Starts a session for staff id valid for ttl seconds: token (the cookie
 * value, NUL-terminated) and csrf are written by the function. */
int	staff_session_new(struct shop_ctx *ctx, int64_t staff_id, long ttl,
	    char token[STAFF_TOKEN_HEX + 1], char csrf[33]);

/* The staff member of a live session token; SHOP_ENOTFOUND when the
 * token is unknown, malformed or expired. */
int	staff_session_get(struct shop_ctx *ctx, struct str token,
	    struct staff *out);

/* Ends the session of token (no error when there is none). */
int	staff_session_end(struct shop_ctx *ctx, struct str token);

#endif
