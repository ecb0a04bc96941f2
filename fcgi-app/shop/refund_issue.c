/*
 * refund_issue.c: a refund carried through to the gateway
 * (refund_issue.h).
 */
#include "core/common.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/stripe.h"
#include "shop/gateway.h"
#include "shop/refund_issue.h"
#include "shop/shop.h"

#define ERROR_MAX	500	/* characters of card_refunds.error */

enum stmt {
	ST_PAYMENT_REF,
	ST_PUT,
	ST_BY_REF,
	ST_ERROR,
	ST_UNANSWERED,
	ST_AWAITED,
	ST_BY_META,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_PAYMENT_REF] = { "refund_issue.payment_ref",
	    "SELECT gateway, gateway_ref FROM {p}payments WHERE id = ?" },
	[ST_PUT] = { "refund_issue.put",
	    "INSERT INTO {p}card_refunds (refund_id, gateway_ref, error)"
	    " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE"
	    " gateway_ref = COALESCE(VALUES(gateway_ref), gateway_ref),"
	    " error = VALUES(error)" },
	[ST_BY_REF] = { "refund_issue.by_ref",
	    "SELECT refund_id FROM {p}card_refunds WHERE gateway_ref = ?" },
	[ST_ERROR] = { "refund_issue.error",
	    "SELECT error FROM {p}card_refunds WHERE refund_id = ?" },
	/* Sent, and no answer came (the gateway could not be reached):
	 * a minute on, so a refund being sent right now is left alone. */
	[ST_UNANSWERED] = { "refund_issue.unanswered",
	    "SELECT r.id, r.order_id, r.amount, p.gateway_ref"
	    " FROM {p}refunds r JOIN {p}payments p ON p.id = r.payment_id"
	    " LEFT JOIN {p}card_refunds c ON c.refund_id = r.id"
	    " WHERE r.status = 'pending' AND r.gateway = 'stripe'"
	    " AND c.gateway_ref IS NULL"
	    " AND r.created_at < UTC_TIMESTAMP() - INTERVAL 60 SECOND"
	    " ORDER BY r.id LIMIT 100" },
	/* Answered "pending" by Stripe (the bank has not said yet) and
	 * no webhook settled it for ten minutes: asked again. */
	[ST_AWAITED] = { "refund_issue.awaited",
	    "SELECT c.gateway_ref FROM {p}refunds r"
	    " JOIN {p}card_refunds c ON c.refund_id = r.id"
	    " WHERE r.status = 'pending' AND r.gateway = 'stripe'"
	    " AND c.gateway_ref IS NOT NULL"
	    " AND r.created_at < UTC_TIMESTAMP() - INTERVAL 10 MINUTE"
	    " ORDER BY r.id LIMIT 100" },
	/* The refund souk named in the metadata, when it is a pending one
	 * of that very payment with no Stripe id kept yet: its event came
	 * before Stripe's answer to the request that made it. */
	[ST_BY_META] = { "refund_issue.by_meta",
	    "SELECT r.id FROM {p}refunds r"
	    " JOIN {p}payments p ON p.id = r.payment_id"
	    " LEFT JOIN {p}card_refunds c ON c.refund_id = r.id"
	    " WHERE r.id = ? AND r.status = 'pending'"
	    " AND r.gateway = 'stripe' AND p.gateway_ref = ?"
	    " AND c.gateway_ref IS NULL" },
};

/* Keeps Stripe's id (NULL: none yet) and the reason it gave. */
static int
put(struct shop_ctx *ctx, int64_t refund_id, const char *ref,
    const char *error)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_PUT]);
	struct str	 e = str_c(error);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	/* Stripe's messages are ASCII; a cut at ERROR_MAX bytes is one at
	 * ERROR_MAX characters. */
	if (e.len > ERROR_MAX)
		e.len = ERROR_MAX;
	db_bind_i64(st, 0, refund_id);
	if (ref != NULL && ref[0] != '\0')
		db_bind_cstr(st, 1, ref);
	else
		db_bind_null(st, 1);
	db_bind_str(st, 2, e);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

/* The gateway's part of refund id of amount, of payment intent pi. */
static int
send(struct shop_ctx *ctx, int64_t id, int64_t order_id, int64_t amount,
    const char *pi, enum refund_status *status)
{
	struct stripe		 st;
	struct stripe_refund	 out;
	struct str		 key;
	enum stripe_err		 e;
	int			 rc;

	*status = REFUND_PENDING;
	if ((rc = gateway_secrets(ctx, GATEWAY_STRIPE, &key, NULL)) !=
	    SHOP_OK) {
		log_err("refund %lld: no stripe account to refund through",
		    (long long)id);
		if (rc != SHOP_ENOTFOUND)
			return rc;
		*status = REFUND_FAILED;
		(void)put(ctx, id, NULL, "No Stripe account is connected.");
		return refund_settle(ctx, id, 0, STR(""));
	}
	stripe_init(&st, ctx->a, arena_strndup(ctx->a, key.p, key.len));
	e = stripe_refund_create(&st, pi, amount, arena_printf(ctx->a,
	    "%lld", (long long)order_id), arena_printf(ctx->a, "%lld",
	    (long long)id), arena_printf(ctx->a, "refund-%lld",
	    (long long)id), &out);
	if (e == STRIPE_ENET || e == STRIPE_ESERVER || e == STRIPE_ERATE ||
	    e == STRIPE_EREPLY) {
		/* Maybe made, maybe not: the same key again later. */
		log_warn("refund %lld: stripe did not answer: %s (%s)",
		    (long long)id, stripe_strerror(e), st.err);
		return put(ctx, id, NULL, st.err);
	}
	if (e != STRIPE_OK || strcmp(out.status, "failed") == 0 ||
	    strcmp(out.status, "canceled") == 0) {
		log_warn("refund %lld: stripe refused it: %s (%s)",
		    (long long)id, stripe_strerror(e), st.err);
		if ((rc = put(ctx, id, e == STRIPE_OK ? out.id : NULL,
		    e == STRIPE_OK ? "The card issuer refused the refund." :
		    st.err)) != SHOP_OK)
			return rc;
		*status = REFUND_FAILED;
		return refund_settle(ctx, id, 0, STR(""));
	}
	if ((rc = put(ctx, id, out.id, "")) != SHOP_OK)
		return rc;
	if (strcmp(out.status, "succeeded") != 0)
		return SHOP_OK;		/* its webhook settles it */
	*status = REFUND_SUCCEEDED;
	rc = refund_settle(ctx, id, 1, str_c(out.id));
	return rc == SHOP_ECONFLICT ? SHOP_OK : rc;
}

int
refund_issue(struct shop_ctx *ctx, int64_t number, const struct refund_in *in,
    const struct order_who *who, struct refund *out,
    struct field_errors *errs)
{
	struct db_stmt	*st;
	struct str	 gw = STR(""), ref = STR("");
	const char	*pi;
	int		 rc;

	if ((rc = refund_create(ctx, number, in, who, out, errs)) != SHOP_OK)
		return rc;
	if (out->status != REFUND_PENDING)
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[ST_PAYMENT_REF])) == NULL)
		return SHOP_OK;		/* pending: sent again later */
	db_bind_i64(st, 0, out->payment_id);
	if (shop_exec(ctx, st) == SHOP_OK && db_step(st) == 1) {
		gw = db_col_str(st, 0);
		ref = db_col_str(st, 1);
	}
	db_done(st);
	if (!str_eqc(gw, GATEWAY_STRIPE) || ref.len == 0) {
		log_err("refund %lld: its payment is no stripe payment",
		    (long long)out->id);
		return SHOP_OK;
	}
	pi = arena_strndup(ctx->a, ref.p, ref.len);
	/* The refund is written: what the gateway says is its state, not
	 * this call's success. */
	if (send(ctx, out->id, out->order_id, out->amount, pi,
	    &out->status) != SHOP_OK)
		log_err("refund %lld: its gateway answer is not recorded "
		    "(the reconciliation sends it again)", (long long)out->id);
	return SHOP_OK;
}

/* The refund r's metadata names, as ST_BY_META finds it (its Stripe id
 * then kept): 1 found, 0 not, -1 the database failed. */
static int
by_meta(struct shop_ctx *ctx, const struct stripe_refund *r, int64_t *id)
{
	struct db_stmt	*st;
	int64_t		 want;
	int		 rc;

	if (r->refund_id == NULL || str_to_i64(str_c(r->refund_id), 1,
	    INT64_MAX, &want) != 0)
		return 0;
	if ((st = shop_stmt(ctx, &sql[ST_BY_META])) == NULL)
		return -1;
	db_bind_i64(st, 0, want);
	db_bind_cstr(st, 1, r->payment_intent);
	if (shop_exec(ctx, st) != SHOP_OK)
		return -1;
	rc = db_step(st);
	db_done(st);
	if (rc != 1)
		return rc;
	*id = want;
	return put(ctx, want, r->id, "") == SHOP_OK ? 1 : -1;
}

int
refund_issue_event(struct shop_ctx *ctx, const struct stripe_refund *r)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_BY_REF]);
	int64_t		 id = 0;
	int		 rc, ok;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, r->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		id = db_col_i64(st, 0);
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (rc == 0 && (rc = by_meta(ctx, r, &id)) != 1) {
		if (rc == 0)
			log_info("stripe refund '%s' is none of this shop's: "
			    "ignored", r->id);
		return rc == 0 ? SHOP_OK : SHOP_EDB;
	}
	if (strcmp(r->status, "succeeded") == 0)
		ok = 1;
	else if (strcmp(r->status, "failed") == 0 ||
	    strcmp(r->status, "canceled") == 0)
		ok = 0;
	else
		return SHOP_OK;
	if (!ok && (rc = put(ctx, id, r->id, "The card issuer refused the "
	    "refund.")) != SHOP_OK)
		return rc;
	rc = refund_settle(ctx, id, ok, str_c(r->id));
	if (rc == SHOP_OK)
		log_info("refund %lld settled by stripe: %s", (long long)id,
		    r->status);
	/* Settled before (by the answer, or an earlier delivery). */
	return rc == SHOP_ECONFLICT || rc == SHOP_ENOTFOUND ? SHOP_OK : rc;
}

/* Asks Stripe about each refund it answered "pending" long ago, as if
 * its webhook had come (refund_issue_event()); *settled counts those
 * settled. */
static int
awaited(struct shop_ctx *ctx, int64_t *settled)
{
	struct db_stmt		*st = shop_stmt(ctx, &sql[ST_AWAITED]);
	struct stripe		 api;
	struct stripe_refund	 r;
	struct str		 key, *refs = NULL;
	enum stripe_err		 e;
	size_t			 n = 0, cap = 0, i;
	int			 rc;

	if (st == NULL)
		return SHOP_EDB;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		refs = shop_grow(ctx->a, refs, sizeof(*refs), n, &cap);
		refs[n++] = db_col_str(st, 0);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (n == 0)
		return SHOP_OK;
	if ((rc = gateway_secrets(ctx, GATEWAY_STRIPE, &key, NULL)) !=
	    SHOP_OK)
		return rc == SHOP_ENOTFOUND ? SHOP_OK : rc;
	stripe_init(&api, ctx->a, arena_strndup(ctx->a, key.p, key.len));
	for (i = 0; i < n; i++) {
		e = stripe_refund_get(&api, arena_strndup(ctx->a, refs[i].p,
		    refs[i].len), &r);
		if (e != STRIPE_OK) {
			log_warn("stripe refund '%.*s': %s (%s)",
			    (int)refs[i].len, refs[i].p, stripe_strerror(e),
			    api.err);
			continue;	/* the next run asks again */
		}
		if (strcmp(r.status, "pending") == 0)
			continue;
		if ((rc = refund_issue_event(ctx, &r)) != SHOP_OK)
			return rc;
		(*settled)++;
	}
	return SHOP_OK;
}

struct unanswered {
	int64_t		 id, order_id, amount;
	const char	*pi;
};

int
refund_issue_retry(struct shop_ctx *ctx, int64_t *sent)
{
	struct db_stmt		*st = shop_stmt(ctx, &sql[ST_UNANSWERED]);
	struct unanswered	*v = NULL;
	enum refund_status	 status;
	size_t			 n = 0, cap = 0, i;
	int			 rc;

	*sent = 0;
	if (st == NULL)
		return SHOP_EDB;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		struct str pi = db_col_str(st, 3);

		v = shop_grow(ctx->a, v, sizeof(*v), n, &cap);
		v[n].id = db_col_i64(st, 0);
		v[n].order_id = db_col_i64(st, 1);
		v[n].amount = db_col_i64(st, 2);
		v[n].pi = arena_strndup(ctx->a, pi.p, pi.len);
		n++;
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	for (i = 0; i < n; i++) {
		if ((rc = send(ctx, v[i].id, v[i].order_id, v[i].amount,
		    v[i].pi, &status)) != SHOP_OK)
			return rc;
		if (status != REFUND_PENDING)
			(*sent)++;
	}
	return awaited(ctx, sent);
}

int
refund_issue_error(struct shop_ctx *ctx, int64_t refund_id, struct str *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_ERROR]);
	int		 rc;

	*out = STR("");
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, refund_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		struct str e = db_col_str(st, 0);

		*out = (struct str){ arena_strndup(ctx->a, e.p, e.len),
		    e.len };
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}
