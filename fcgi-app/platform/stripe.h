/*
 * stripe.h: the client of Stripe's API, as far as souk uses it: Checkout
 * Sessions (hosted payment page), refunds, the account check, and the
 * verification and parsing of webhook events.
 *
 * Configuration (core/config.h):
 *   stripe_api_url (https://api.stripe.com): any https:// URL, or
 *     http:// only to 127.0.0.1 (the tests' stand-in,
 *     tests/stripe_server.py); anything else is STRIPE_ECONFIG.
 *   stripe_webhook_tolerance (300): seconds a webhook's signed
 *     timestamp may be away from now.
 *
 * Every call sends the shop's secret key as a Bearer token, a pinned
 * Stripe-Version (STRIPE_API_VERSION: the shapes parsed here are that
 * version's), and a form-encoded body in Stripe's bracket syntax
 * (metadata[order_id]=7, line_items[0][quantity]=2). Every POST carries
 * an Idempotency-Key the caller chooses ("order-42-session"): Stripe
 * answers a repeated key with the first answer, so a retry after a
 * timeout never makes a second session or refund. Timeouts: connect
 * STRIPE_CONNECT_MS, whole call STRIPE_TIMEOUT_MS; answers over
 * STRIPE_MAX_REPLY bytes are refused.
 *
 * Ownership: a struct stripe is the caller's (on its stack) and names
 * an arena; every string a call returns, and every parsed event, lives
 * in that arena (JSON trees are released with it by
 * arena_cleanup_add()). Nothing here keeps state between calls but
 * curl_global_init(), done once per process. Errors: an enum, and in
 * s->err Stripe's own message (English, for the log and for a
 * merchant's form: "Invalid API Key provided: sk_test_****abcd") or
 * our reason. Amounts are int64 minor units as Stripe counts them
 * (zero-decimal currencies such as JPY in their unit, as souk does).
 */
#ifndef SOUK_STRIPE_H
#define SOUK_STRIPE_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/str.h"

#define STRIPE_DEFAULT_URL	"https://api.stripe.com"
#define STRIPE_API_VERSION	"2024-06-20"
#define STRIPE_CONNECT_MS	5000
#define STRIPE_TIMEOUT_MS	15000
#define STRIPE_MAX_REPLY	(1024 * 1024)
#define STRIPE_TOLERANCE	300	/* seconds, default */
#define STRIPE_SIG_MAX_V1	8	/* v1= values looked at */
#define STRIPE_SIG_MAX_HEADER	1024	/* bytes of Stripe-Signature */
#define STRIPE_EVENT_MAX	(256 * 1024)	/* bytes of a webhook body */
#define STRIPE_MAX_ITEMS	100	/* Checkout's line item limit */

enum stripe_err {
	STRIPE_OK = 0,
	STRIPE_ECONFIG,	/* stripe_api_url refused, no key */
	STRIPE_ENET,	/* DNS, connection, TLS, timeout */
	STRIPE_EAUTH,	/* 401/403: the key was refused */
	STRIPE_EINVAL,	/* 400/402/404/409: the request was refused */
	STRIPE_ERATE,	/* 429 */
	STRIPE_ESERVER,	/* 5xx */
	STRIPE_EREPLY,	/* an answer that is not what Stripe sends */
	STRIPE_ESIG,	/* a webhook's signature does not verify */
};

struct stripe {
	struct arena	*a;		/* results live here */
	const char	*key;		/* the shop's secret key */
	const char	*api_url;	/* NULL: the configuration's */
	long		 status;	/* HTTP status of the last call, 0 */
	char		 err[512];	/* why the last call failed */
	char		 err_code[64];	/* Stripe's error code, or "" */
	char		 err_param[64];	/* the parameter it names, or "" */
};

/* A client for the account whose secret key is key (copied into a). */
void	stripe_init(struct stripe *s, struct arena *a, const char *key);

/* --- Checkout Sessions ------------------------------------------------- */

/* A line the shopper pays: qty times something, amount in all. */
struct stripe_line {
	const char	*name;
	int64_t		 qty;		/* >= 1 */
	int64_t		 amount;	/* the line's total, >= 0 */
};

/* A Checkout line item (price_data): unit_amount times quantity. */
struct stripe_item {
	const char	*name;
	int64_t		 unit_amount;
	int64_t		 quantity;
};

/*
 * The line items for lines (the order's lines, then shipping and tax
 * as lines of qty 1, each with what the shopper pays for it), checked
 * to sum exactly to total. A line whose amount is qty times a whole
 * unit goes as that unit and quantity; any other (a discount shared
 * out, tax rounded per line) as quantity 1 named "Name × 3", so no
 * cent is lost or made up. Lines of amount 0 and qty 1 (free shipping)
 * are left out. Items and names live in a. Returns the count, or -1
 * with err (a negative amount, qty < 1, more than STRIPE_MAX_ITEMS,
 * or a sum other than total).
 */
int	stripe_items(struct arena *a, const struct stripe_line *lines,
	    size_t n, int64_t total, struct stripe_item **out, char *err,
	    size_t errlen);

struct stripe_session_new {
	const char		*currency;	/* "EUR" (sent lower case) */
	const struct stripe_item *items;
	size_t			 nitems;
	const char		*success_url;	/* may hold
						 * {CHECKOUT_SESSION_ID} */
	const char		*cancel_url;
	const char		*client_reference_id;	/* or NULL */
	const char		*order_id;	/* metadata[order_id] */
	const char		*shop;		/* metadata[shop] */
	const char		*customer_email;	/* or NULL */
	const char		*locale;	/* "de", or NULL: auto */
	int64_t			 expires_at;	/* Unix time, 0: Stripe's
						 * default (24 h) */
	const char		*idempotency_key;	/* required */
};

/* A Checkout Session as souk reads it. Strings in the arena, "" when
 * absent. */
struct stripe_session {
	const char	*id;		/* "cs_test_..." */
	const char	*url;		/* the hosted page; "" once done */
	const char	*status;	/* "open", "complete", "expired" */
	const char	*payment_status;	/* "paid", "unpaid", ... */
	const char	*payment_intent;	/* "pi_..." or "" */
	const char	*currency;	/* upper case: "EUR" */
	const char	*client_reference_id;
	const char	*order_id;	/* metadata[order_id] */
	const char	*shop;		/* metadata[shop] */
	int64_t		 amount_total;
	int64_t		 fee;		/* the gateway's fee, -1: unknown
					 * (only a retrieve expands it) */
};

/* POST /v1/checkout/sessions (mode=payment). */
enum stripe_err	stripe_session_create(struct stripe *s,
		    const struct stripe_session_new *in,
		    struct stripe_session *out);

/* GET /v1/checkout/sessions/:id, with
 * expand[]=payment_intent.latest_charge.balance_transaction (the fee). */
enum stripe_err	stripe_session_get(struct stripe *s, const char *id,
		    struct stripe_session *out);

/* POST /v1/checkout/sessions/:id/expire (idempotency key
 * "expire-<id>"). An already expired session is STRIPE_EINVAL. */
enum stripe_err	stripe_session_expire(struct stripe *s, const char *id,
		    struct stripe_session *out);

/* --- refunds ----------------------------------------------------------- */

struct stripe_refund {
	const char	*id;		/* "re_..." */
	const char	*status;	/* "succeeded", "pending", "failed" */
	const char	*payment_intent;
	int64_t		 amount;
	const char	*refund_id;	/* metadata[refund_id], or "" */
};

/*
 * POST /v1/refunds of amount (> 0) of payment_intent, with
 * metadata[order_id] and metadata[refund_id] when not NULL, under
 * idempotency_key (required).
 */
enum stripe_err	stripe_refund_create(struct stripe *s,
		    const char *payment_intent, int64_t amount,
		    const char *order_id, const char *refund_id,
		    const char *idempotency_key, struct stripe_refund *out);

/* GET /v1/refunds/<id>: the refund as Stripe knows it now (a refund
 * answered "pending" whose webhook never came). */
enum stripe_err	stripe_refund_get(struct stripe *s, const char *id,
		    struct stripe_refund *out);

/* --- the account ------------------------------------------------------- */

struct stripe_account {
	const char	*id;		/* "acct_..." */
	const char	*name;		/* business name, or "" */
	const char	*country;	/* "DE", or "" */
	const char	*default_currency;	/* upper case, or "" */
};

/* GET /v1/account: checks s->key. STRIPE_EAUTH when Stripe refuses
 * it. */
enum stripe_err	stripe_account_get(struct stripe *s,
		    struct stripe_account *out);

/* 1 for a test-mode key ("sk_test_", "rk_test_"), 0 for a live one,
 * -1 for a text that is no Stripe secret key. */
int	stripe_key_mode(const char *key);

/* --- webhooks ---------------------------------------------------------- */

struct stripe_sig {
	int64_t		 t;			/* the signed timestamp */
	size_t		 nv1;
	struct str	 v1[STRIPE_SIG_MAX_V1];	/* views into the header */
};

/*
 * Parses a Stripe-Signature header: "t=1700000000,v1=hex,v1=hex"
 * (comma-separated key=value; keys other than t and v1, such as v0,
 * are ignored; v1 values beyond STRIPE_SIG_MAX_V1 too). Returns 0, or
 * -1 when there is no valid t, no v1 of 64 hex digits, or the header
 * is longer than STRIPE_SIG_MAX_HEADER. Views point into header.
 */
int	stripe_sig_parse(struct str header, struct stripe_sig *out);

/*
 * Verifies a webhook: the header parses, its timestamp is within
 * tolerance seconds of now (tolerance < 0: stripe_webhook_tolerance),
 * and one v1 equals HMAC-SHA256(secret, "t.payload") in hex, compared
 * in constant time. Returns STRIPE_OK or STRIPE_ESIG with s->err
 * telling which check failed (for the log; the sender learns nothing).
 */
enum stripe_err	stripe_sig_verify(struct stripe *s, struct str header,
		    struct str payload, const char *secret, int64_t now,
		    int64_t tolerance);

/* The header Stripe would send for payload at time t (hex into out,
 * "t=...,v1=..."), for the tests. Lives in a. */
char	*stripe_sig_make(struct arena *a, struct str payload,
	    const char *secret, int64_t t);

enum stripe_event_kind {
	STRIPE_EV_IGNORED = 0,	/* a type souk does not act on */
	STRIPE_EV_SESSION,	/* checkout.session.* */
	STRIPE_EV_REFUND,	/* refund.*, charge.refunded */
};

struct stripe_event {
	const char		*id;		/* "evt_..." */
	const char		*type;		/* "checkout.session.completed" */
	int64_t			 created;
	int			 livemode;
	enum stripe_event_kind	 kind;
	struct stripe_session	 session;	/* STRIPE_EV_SESSION */
	struct stripe_refund	 refund;	/* STRIPE_EV_REFUND */
};

/*
 * Parses a webhook body (at most STRIPE_EVENT_MAX bytes) into ev, in s's
 * arena. Unknown types parse as STRIPE_EV_IGNORED, never an error.
 * Returns STRIPE_OK, or STRIPE_EREPLY when the body is not an event
 * (no JSON object, no id or type, a session or refund without its id).
 */
enum stripe_err	stripe_event_parse(struct stripe *s, struct str body,
		    struct stripe_event *ev);

/* --- the parts, for tests ---------------------------------------------- */

/* Appends key=value to a form body (sb, "&" between pairs), both
 * percent-encoded: every byte but A-Z a-z 0-9 - _ . ~ (so "[" and "]"
 * of Stripe's keys are %5B and %5D, as Stripe's libraries send them). */
struct strbuf;
void	stripe_form_add(struct strbuf *sb, const char *key, const char *value);

/* 0 when url is one stripe_api_url may be, else -1 with err. */
int	stripe_url_ok(const char *url, char *err, size_t errlen);

/* A short English description of e (static). */
const char	*stripe_strerror(enum stripe_err e);

#endif
