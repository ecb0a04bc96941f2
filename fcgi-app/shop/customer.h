/*
 * customer.h: a shop's shoppers with an account, their sessions,
 * password resets, profile, address book, and the deletion of an
 * account (its personal data erased, its orders kept anonymised).
 *
 * Accounts are per shop: the same e-mail may have an account in many
 * shops, each its own. E-mails are stored as account_email_norm()
 * makes them (lower-cased); passwords are argon2id hashes under the
 * platform's rules (account_password_check(): 8 to 1024 characters).
 *
 * Logins go through the platform's throttle (platform/lockout.h) in
 * the scope customer_scope(): CUSTOMER_SCOPE_BASE + the shop's id, so a
 * shopper's failures never count against the shop's staff logins
 * (scope: the shop's id) nor the platform's (0), even for the same
 * e-mail. (Not the negative shop id: souk_login_throttles.scope is
 * unsigned; shop ids never come near 2^62.)
 *
 * Nothing answers whether an account exists:
 *   - customer_register() answers SHOP_OK for a new address and for one
 *     that has an account, after the same work (one argon2id hash, one
 *     transaction with a mail job). A new address gets its account and
 *     a CUSTOMER_JOB_CREATED mail; an address with an account gets none
 *     made: its owner is mailed a CUSTOMER_JOB_RESET link instead, whose
 *     payload carries "reason": "register" so the mail can say "someone
 *     tried to open an account with your address; if it was you, sign
 *     in, or choose a new password with this link". So nobody is signed
 *     in by registering: the page says "check your mail, then sign in"
 *     either way.
 *   - customer_reset_request() answers SHOP_OK whether or not the
 *     address has an account; only an account's owner gets a mail. A
 *     reset link asked less than CUSTOMER_RESET_GAP seconds after the
 *     last one sends nothing more (the owner's mailbox is not a target).
 *
 * Sessions are random cookie tokens (CUSTOMER_COOKIE) stored as SHA-256
 * with the CSRF token of their forms, as staff sessions (shop/staff.h);
 * each new one first deletes up to CUSTOMER_SESSION_PURGE expired ones.
 * A reset link is a random token mailed once; the shop keeps its SHA-256
 * in customers.reset_hash for CUSTOMER_RESET_TTL seconds, and using it
 * clears it (a conditional UPDATE decides, race-free) and ends every
 * session of the customer.
 *
 * Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_CUSTOMER_H
#define SOUK_SHOP_CUSTOMER_H

#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/address.h"
#include "shop/ctx.h"

#define CUSTOMER_TOKEN_HEX	64	/* cookie value: 32 random bytes */
#define CUSTOMER_COOKIE		"cid"	/* the session cookie's name */
#define CUSTOMER_SCOPE_BASE	((int64_t)1 << 62)	/* lock-out scopes */
#define CUSTOMER_SESSION_PURGE	8	/* expired rows deleted per new one */
#define CUSTOMER_RESET_HEX	64	/* reset link token: 32 random bytes */
#define CUSTOMER_RESET_TTL	3600	/* seconds a reset link is good for */
#define CUSTOMER_RESET_GAP	60	/* seconds between two reset mails */
#define CUSTOMER_NAME_MAX	200	/* characters */
#define CUSTOMER_PHONE_MAX	40	/* characters */
#define CUSTOMER_ADDRESSES_MAX	50	/* address book entries */
#define CUSTOMER_ORDER_KEY_HEX	32	/* an order's access_key */
#define CUSTOMER_PAGE		50	/* admin list page */

#define CUSTOMER_JOB_CREATED	"shop.account_created"	/* {"customer": id} */
#define CUSTOMER_EMAIL_TTL	86400	/* seconds a change link is good for */
#define CUSTOMER_JOB_EMAIL	"shop.email_change"	/* {"customer": id,
							 * "url": link} */
#define CUSTOMER_JOB_RESET	"shop.password_reset"	/* {"customer": id,
							   "url": link,
							   "reason": "reset" |
							   "register"} */

struct customer {
	int64_t		 id;
	struct str	 email;
	struct str	 name;
	struct str	 phone;
	struct str	 locale;
	struct str	 created_at;	/* "YYYY-MM-DD HH:MM:SS" UTC; not
					   read from a session */
	char		 csrf[33];	/* of the session, when from one */
};

/* The lock-out scope of the shop's customers: CUSTOMER_SCOPE_BASE +
 * tenant. */
int64_t	customer_scope(int64_t tenant);

/*
 * What registering sends. order_number and order_key (32 hex, may be
 * empty) name a guest order to attach: it is attached when it is an
 * order of this shop with that key, the same e-mail and no customer
 * (one conditional UPDATE; otherwise silently not). reset_url is the
 * link without its token ("https://shop.example/account/reset/"), for
 * the mail to an address that has an account.
 */
struct customer_reg {
	struct str	 email;
	struct str	 password;
	struct str	 name;
	int64_t		 order_number;	/* 0: none */
	struct str	 order_key;
	const char	*reset_url;
};

/*
 * Registers (see above). SHOP_OK for every valid request, new address
 * or not; SHOP_EINVAL with errs (fields "email", "password", "name");
 * SHOP_EDB. *id_out (may be NULL) is the new account's id, 0 when the
 * address had one: callers must not show the difference.
 */
int	customer_register(struct shop_ctx *ctx, const struct customer_reg *in,
	    struct field_errors *errs, int64_t *id_out);

/*
 * Checks email and password through the lock-out. SHOP_OK fills out;
 * SHOP_EDENIED for an unknown e-mail or a wrong password (the same
 * answer and time); SHOP_ELOCKED; SHOP_EDB.
 */
int	customer_login(struct shop_ctx *ctx, struct str email,
	    struct str password, struct customer *out);

/* Starts a session for customer id valid for ttl seconds: token (the
 * cookie value) and csrf are written by the function. */
int	customer_session_new(struct shop_ctx *ctx, int64_t customer_id,
	    long ttl, char token[CUSTOMER_TOKEN_HEX + 1], char csrf[33]);

/* The customer of a live session token; SHOP_ENOTFOUND when the token
 * is unknown, malformed or expired. One select by primary keys. */
int	customer_session_get(struct shop_ctx *ctx, struct str token,
	    struct customer *out);

/* Ends the session of token (no error when there is none). */
int	customer_session_end(struct shop_ctx *ctx, struct str token);

/*
 * Mails a reset link (base url + token) to the account of email, if
 * there is one (see above). SHOP_OK whether there is or not; SHOP_EDB.
 * A malformed address is SHOP_OK too (nothing sent): the web form
 * checks the syntax first.
 */
int	customer_reset_request(struct shop_ctx *ctx, struct str email,
	    const char *url);

/* The customer whose live reset link token is: SHOP_OK and *id;
 * SHOP_ENOTFOUND when unknown, malformed, used or expired. */
int	customer_reset_check(struct shop_ctx *ctx, struct str token,
	    int64_t *id);

/*
 * Uses the reset link token: sets password (errs: "password"), clears
 * the token, ends every session of the customer, clears the lock-out
 * of their e-mail. SHOP_OK and *id; SHOP_ENOTFOUND (unknown, used,
 * expired: nothing changed); SHOP_EINVAL; SHOP_EDB.
 */
int	customer_reset_finish(struct shop_ctx *ctx, struct str token,
	    struct str password, struct field_errors *errs, int64_t *id);

/* The customer of id (no csrf). SHOP_ENOTFOUND or SHOP_EDB. */
int	customer_get(struct shop_ctx *ctx, int64_t id, struct customer *out);

/* Sets name and phone (errs: "name", "phone"). SHOP_OK, SHOP_EINVAL,
 * SHOP_ENOTFOUND, SHOP_EDB. */
int	customer_set_profile(struct shop_ctx *ctx, int64_t id,
	    struct str name, struct str phone, struct field_errors *errs);

/*
 * Asks to change the e-mail, after checking password (through the
 * lock-out of the current e-mail): the new address is kept aside with
 * a token valid CUSTOMER_EMAIL_TTL, and a CUSTOMER_JOB_EMAIL mail goes
 * to it with confirm_url and the token. The answer is the same whether
 * or not the new address has an account here (that mail says so to
 * the address's owner, not to the one asking). SHOP_OK; SHOP_EDENIED
 * (errs "password"); SHOP_ELOCKED; SHOP_EINVAL (errs "email":
 * malformed, or the account's own address); SHOP_EDB.
 */
int	customer_set_email(struct shop_ctx *ctx, int64_t id,
	    struct str password, struct str email, const char *confirm_url,
	    struct field_errors *errs);

/* The address a change link asks for, into *email (in ctx->a):
 * SHOP_OK, SHOP_ENOTFOUND (unknown, used, expired), SHOP_EDB. */
int	customer_email_check(struct shop_ctx *ctx, struct str token,
	    struct str *email);

/*
 * Confirms a change link: the account's e-mail becomes the new one
 * (*email), and the link is spent. SHOP_OK; SHOP_ENOTFOUND (unknown,
 * used, expired); SHOP_ECONFLICT (another account has the address:
 * nothing changed, the link spent); SHOP_EDB.
 */
int	customer_email_confirm(struct shop_ctx *ctx, struct str token,
	    struct str *email);

/*
 * Changes the password after checking the current one (errs
 * "current_password" or "password"); ends the customer's other
 * sessions (all but keep_token's). SHOP_OK, SHOP_EDENIED, SHOP_ELOCKED,
 * SHOP_EINVAL, SHOP_EDB.
 */
int	customer_set_password(struct shop_ctx *ctx, int64_t id,
	    struct str current, struct str password, struct str keep_token,
	    struct field_errors *errs);

/* --- address book --------------------------------------------------- */

struct customer_address {
	int64_t		id;
	struct address	a;
	int		is_default;
};

/* The customer's addresses, the default first then newest first (at
 * most CUSTOMER_ADDRESSES_MAX). */
int	customer_addresses(struct shop_ctx *ctx, int64_t customer_id,
	    struct customer_address **out, size_t *n);

/* One address of the customer; SHOP_ENOTFOUND when it is not theirs. */
int	customer_address_get(struct shop_ctx *ctx, int64_t customer_id,
	    int64_t id, struct customer_address *out);

/*
 * Saves *ad (address_check(), field names plain) as address id of the
 * customer (0: a new one; the first becomes the default), the default
 * when make_default. SHOP_OK and *id_out (may be NULL); SHOP_EINVAL
 * with errs (also "address" when the book is full); SHOP_ENOTFOUND
 * (not theirs); SHOP_EDB.
 */
int	customer_address_save(struct shop_ctx *ctx, int64_t customer_id,
	    int64_t id, struct address *ad, int make_default,
	    struct field_errors *errs, int64_t *id_out);

/* Deletes an address (the oldest left becomes the default when it was
 * the default). SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	customer_address_delete(struct shop_ctx *ctx, int64_t customer_id,
	    int64_t id);

/* Makes address id the default. SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	customer_address_default(struct shop_ctx *ctx, int64_t customer_id,
	    int64_t id);

/* --- deletion --------------------------------------------------------- */

/*
 * Deletes the account after checking password (through the lock-out):
 * in one transaction the customer row, addresses, sessions and cart go;
 * the shop's orders of the customer keep their numbers, amounts,
 * countries, regions and postcodes (tax records) but lose e-mail,
 * names, companies, street lines, cities and phones, each with an
 * order_events 'system' note saying so. SHOP_OK, SHOP_EDENIED,
 * SHOP_ELOCKED, SHOP_ENOTFOUND, SHOP_EDB.
 */
int	customer_delete(struct shop_ctx *ctx, int64_t id, struct str password);

/* The same without a password, for tests and the operator: the erasure
 * as above. SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	customer_erase(struct shop_ctx *ctx, int64_t id);

/* --- admin ------------------------------------------------------------ */

struct customer_list {
	struct customer	*v;
	size_t		 n;
	int		 more;		/* another page after v[n - 1] */
	int64_t		 next;		/* its "after": v[n - 1].id */
};

/*
 * The shop's customers newest first, CUSTOMER_PAGE at a time after id
 * after (0: from the newest), whose e-mail starts with q or whose name
 * contains q (q empty: all; at most 200 characters).
 */
int	customer_admin_list(struct shop_ctx *ctx, struct str q, int64_t after,
	    struct customer_list *out);

#endif
