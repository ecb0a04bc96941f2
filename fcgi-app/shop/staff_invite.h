/*
 * staff_invite.h: the owner's team. The owner invites a manager or a
 * clerk by e-mail; the link in the mail (single use, STAFF_INVITE_DAYS
 * days) lets them choose a password, which makes their staff row. The
 * owner changes a role or removes someone; removing ends their sessions
 * at once (the next request with one is a login page).
 *
 * The plan's staff limit (platform/quota.h) counts staff besides the
 * owner and the open invitations, checked in the inviting transaction.
 * Invitations are platform rows (souk_staff_invites, keyed by shop), so
 * no shop gets a table more. The invitation's mail is a job
 * ("shop.staff_invite", shop/notify.h) queued in the same transaction.
 *
 * Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_STAFF_INVITE_H
#define SOUK_SHOP_STAFF_INVITE_H

#include <stddef.h>
#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"

#define STAFF_INVITE_DAYS	7
#define STAFF_INVITE_TOKEN_HEX	64
#define STAFF_INVITE_JOB	"shop.staff_invite"	/* NOTIFY_STAFF_INVITE */

struct staff_member {
	int64_t		id;
	struct str	email;
	struct str	role;		/* "owner", "manager", "clerk" */
	struct str	created_at;	/* "YYYY-MM-DD HH:MM:SS" UTC */
};

struct staff_invitation {
	int64_t		id;
	struct str	email;
	struct str	role;
	struct str	expires_at;	/* UTC */
};

/*
 * Invites email as role ("manager" or "clerk") on behalf of staff
 * member by; the mail's link is base_url (the shop's, ending in '/')
 * + "admin/invite/" + token, written in locale. An open invitation of
 * the same address is replaced (a new link; the old one stops working).
 * SHOP_OK; SHOP_EINVAL (errs: "email", "role"); SHOP_ECONFLICT (the
 * address is staff already: errs "email"); SHOP_EQUOTA (the plan's
 * staff); SHOP_EDB.
 */
int	staff_invite(struct shop_ctx *ctx, struct str email, struct str role,
	    int64_t by, const char *base_url, const char *locale,
	    struct field_errors *errs);

/* The shop's staff (owner first) and its open invitations. */
int	staff_list(struct shop_ctx *ctx, struct staff_member **out, size_t *n);
int	staff_invitations(struct shop_ctx *ctx, struct staff_invitation **out,
	    size_t *n);

/* Withdraws invitation id (no error when it is gone). */
int	staff_invite_cancel(struct shop_ctx *ctx, int64_t id);

/* The open invitation of token into *out; SHOP_ENOTFOUND when the token
 * is unknown, malformed, used or expired (one answer for all). */
int	staff_invite_get(struct shop_ctx *ctx, struct str token,
	    struct staff_invitation *out);

/*
 * Accepts the invitation of token with password: makes the staff row
 * (*staff_id), deletes the invitation. SHOP_ENOTFOUND (as above);
 * SHOP_EINVAL (errs "password": too short or long); SHOP_ECONFLICT
 * (the address became staff meanwhile); SHOP_EDB.
 */
int	staff_invite_accept(struct shop_ctx *ctx, struct str token,
	    struct str password, struct field_errors *errs,
	    int64_t *staff_id);

/* Gives staff member id role ("manager" or "clerk"). The owner's row
 * never changes: SHOP_ENOTFOUND for it as for none. */
int	staff_set_role(struct shop_ctx *ctx, int64_t id, struct str role);

/* Removes staff member id (never the owner) and ends their sessions. */
int	staff_remove(struct shop_ctx *ctx, int64_t id);

#endif
