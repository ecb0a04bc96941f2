/*
 * staff.h: the people who run a shop, their logins and sessions.
 *
 * The owner is copied from the platform account when the shop is
 * provisioned (staff_create_owner(), called by platform/provision.c);
 * other staff come later. E-mails are stored as account_email_norm()
 * makes them. A login checks the argon2id hash through the platform's
 * one throttle (platform/lockout.h, scope: the shop's id): 5 failures
 * for an e-mail within 15 minutes lock it for 15 minutes, known and
 * unknown e-mails alike, at most 5 checks however many arrive at once.
 *
 * A session is a random token the browser keeps in a cookie; the shop
 * stores only its SHA-256, with the CSRF token its forms must carry.
 * Each new session first deletes up to STAFF_SESSION_PURGE expired ones
 * of the shop, so expired rows cannot pile up.
 *
 * Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_STAFF_H
#define SOUK_SHOP_STAFF_H

#include <stdint.h>
#include "core/str.h"
#include "shop/ctx.h"

#define STAFF_TOKEN_HEX		64	/* cookie value: 32 random bytes */
#define STAFF_SESSION_PURGE	8	/* expired rows deleted per new one */

struct staff {
	int64_t		 id;
	struct str	 email;
	struct str	 role;		/* "owner", "manager", "clerk" */
	char		 csrf[33];	/* of the session, when from one */
};

/*
 * Checks email and password. SHOP_OK fills out; SHOP_EDENIED for an
 * unknown e-mail or a wrong password (the same answer and the same
 * time for both); SHOP_ELOCKED while the e-mail is locked out (known or
 * not; no password was checked); SHOP_EDB.
 */
int	staff_login(struct shop_ctx *ctx, struct str email, struct str password,
	    struct staff *out);

/*
 * Makes the platform account email (normalised, as stored in
 * souk_accounts) with its argon2id pw_hash the shop's owner: inserts the
 * staff row, or gives an existing row of that e-mail the role owner
 * (provisioning may run again). SHOP_OK or SHOP_EDB. ctx->a is not
 * used (may be NULL).
 */
int	staff_create_owner(struct shop_ctx *ctx, const char *email,
	    const char *pw_hash);

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
