/*
 * card.c: card payments through Stripe Checkout (card.h).
 */
#include "core/common.h"

#include <time.h>
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "db/db.h"
#include "platform/stripe.h"
#include "shop/card.h"
#include "shop/gateway.h"
#include "shop/order.h"
#include "shop/order_status.h"
#include "shop/payments.h"
#include "shop/refund_issue.h"
#include "shop/settings.h"
#include "shop/shop.h"

/* Stripe refuses a session that expires sooner than 30 minutes after
 * it is made; a minute more for the clocks. */
#define SESSION_MIN_LIFE	(31 * 60)
#define PENDING_BATCH		200

enum stmt {
	ST_AGE,
	ST_OPEN,
	ST_COUNT,
	ST_INSERT,
	ST_FIND,
	ST_STATE,
	ST_OTHERS_OPEN,
	ST_PENDING,
	ST_ANY,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	/* Seconds since the order was placed, by the database's clock
	 * (created_at is UTC). */
	[ST_AGE] = { "card.age",
	    "SELECT TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP())"
	    " FROM {p}orders WHERE id = ?" },
	[ST_OPEN] = { "card.open",
	    "SELECT session_id, url FROM {p}card_sessions"
	    " WHERE order_id = ? AND state = 'open'"
	    " ORDER BY created_at DESC, session_id LIMIT 20" },
	[ST_COUNT] = { "card.count",
	    "SELECT COUNT(*) FROM {p}card_sessions WHERE order_id = ?" },
	[ST_INSERT] = { "card.insert",
	    "INSERT INTO {p}card_sessions (session_id, order_id, url,"
	    " created_at) VALUES (?, ?, ?, UTC_TIMESTAMP())" },
	[ST_FIND] = { "card.find",
	    "SELECT s.order_id, o.number FROM {p}card_sessions s"
	    " JOIN {p}orders o ON o.id = s.order_id"
	    " WHERE s.session_id = ?" },
	/* A session once complete stays so (a payment is never undone). */
	[ST_STATE] = { "card.state",
	    "UPDATE {p}card_sessions SET state = ?"
	    " WHERE session_id = ? AND state <> 'complete'" },
	[ST_OTHERS_OPEN] = { "card.others_open",
	    "SELECT COUNT(*) FROM {p}card_sessions"
	    " WHERE order_id = ? AND state = 'open' AND session_id <> ?" },
	[ST_PENDING] = { "card.pending",
	    "SELECT number, id,"
	    " TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP())"
	    " FROM {p}orders WHERE status = 'pending'"
	    " AND payment_method = 'card' AND id > ?"
	    " AND created_at <= UTC_TIMESTAMP() - INTERVAL ? SECOND"
	    " ORDER BY id LIMIT 200" },
	/* The job's first look at a shop, every minute: one statement. */
	[ST_ANY] = { "card.any",
	    "SELECT EXISTS(SELECT 1 FROM {p}orders WHERE status = 'pending'"
	    " AND payment_method = 'card') OR EXISTS(SELECT 1 FROM"
	    " {p}refunds WHERE status = 'pending' AND gateway = 'stripe')" },
};

static const struct order_who system_who = { ORDER_BY_SYSTEM, 0, { "", 0 } };

/* One number out of a statement with one id parameter (and a text
 * second one when s is not NULL). */
static int
one_i64(struct shop_ctx *ctx, enum stmt q, int64_t id, const char *s,
    int64_t *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	int		 rc;

	*out = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (s != NULL)
		db_bind_cstr(st, 1, s);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	if (rc == 1)
		*out = db_col_i64(st, 0);
	db_done(st);
	return rc == -1 ? SHOP_EDB : rc == 0 ? SHOP_ENOTFOUND : SHOP_OK;
}

static int
set_state(struct shop_ctx *ctx, const char *sid, const char *state)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_STATE]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, state);
	db_bind_cstr(st, 1, sid);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

/* The shop's Stripe client; SHOP_ENOTFOUND when no account is
 * connected. whsec (may be NULL) gets the webhook secret. */
static int
client(struct shop_ctx *ctx, struct stripe *s, const char **whsec)
{
	struct str	key, wh;
	int		rc;

	if ((rc = gateway_secrets(ctx, GATEWAY_STRIPE, &key, &wh)) != SHOP_OK)
		return rc;
	stripe_init(s, ctx->a, arena_strndup(ctx->a, key.p, key.len));
	if (whsec != NULL)
		*whsec = arena_strndup(ctx->a, wh.p, wh.len);
	return SHOP_OK;
}

struct open_session {
	const char	*id;
	const char	*url;
};

/* The order's sessions still open as far as we know, newest first. */
static int
open_sessions(struct shop_ctx *ctx, int64_t order_id,
    struct open_session **out, size_t *n)
{
	struct db_stmt		*st = shop_stmt(ctx, &sql[ST_OPEN]);
	struct open_session	*v = NULL;
	size_t			 cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		struct str id = db_col_str(st, 0), url = db_col_str(st, 1);

		v = shop_grow(ctx->a, v, sizeof(*v), *n, &cap);
		v[*n].id = arena_strndup(ctx->a, id.p, id.len);
		v[*n].url = arena_strndup(ctx->a, url.p, url.len);
		(*n)++;
	}
	db_done(st);
	*out = v;
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* --- paying, expiring -------------------------------------------------- */

struct pay_arg {
	int64_t				 number;
	const struct stripe_session	*s;
	int64_t				 fee;
	int				 already;
};

static int
pay_tx(struct shop_ctx *ctx, void *arg)
{
	struct pay_arg		*a = arg;
	struct order		 o;
	struct order_change	 c;
	struct field_errors	 errs = { .n = 0 };
	const char		*ref = a->s->payment_intent[0] ?
				    a->s->payment_intent : a->s->id;
	int			 rc;

	if ((rc = order_lock(ctx, a->number, &o)) != SHOP_OK)
		return rc;
	rc = payment_record(ctx, o.id, STR("card"), a->s->amount_total,
	    a->fee, STR(GATEWAY_STRIPE), str_c(ref), &system_who, NULL);
	if (rc == PAYMENT_ALREADY) {
		a->already = 1;
		return set_state(ctx, a->s->id, "complete");
	}
	if (rc != SHOP_OK || (rc = set_state(ctx, a->s->id, "complete")) !=
	    SHOP_OK)
		return rc;
	if (o.status == ORDER_PENDING || o.status == ORDER_ON_HOLD) {
		memset(&c, 0, sizeof(c));
		c.to = ORDER_PROCESSING;
		c.note = STR("");
		rc = order_status_set(ctx, a->number, &system_who, &c, &errs);
		return rc == ORDER_SAME ? SHOP_OK : rc;
	}
	/* Money taken for an order that no longer wants it: kept in the
	 * books (it was taken), and the merchant is asked to give it back
	 * (the order page shows it as "to refund"). */
	log_warn("order %lld was %s when stripe payment '%s' arrived: "
	    "recorded, to refund", (long long)o.number,
	    order_status_name(o.status), ref);
	return order_note_add(ctx, a->number, &system_who, str_c(arena_printf(
	    ctx->a, _("A card payment (Stripe %s) arrived after this order "
	    "was %s. Refund it to the customer."), ref,
	    _(order_status_label(o.status)))), 1, &errs);
}

/*
 * Acts on what Stripe says of session s (from a verified webhook, or
 * from Stripe's API itself): pays or expires (card.h). st is the
 * shop's client, for the fee when s lacks it. SHOP_OK (done, or
 * nothing to do); SHOP_EDB; CARD_EGATEWAY (the fee could not be
 * learnt: try again).
 */
static int
session_settle(struct shop_ctx *ctx, struct stripe *st,
    const struct stripe_session *s, int *paid);

struct expire_arg {
	int64_t		 number;
	const char	*sid;
	int		 cancelled;
};

/* Cancels the order when still pending and no other session of it is
 * open; sid (may be NULL: the hold ran out) is marked expired. */
static int
expire_tx(struct shop_ctx *ctx, void *arg)
{
	struct expire_arg	*a = arg;
	struct order		 o;
	struct order_change	 c;
	struct field_errors	 errs = { .n = 0 };
	int64_t			 others = 0;
	int			 rc;

	if ((rc = order_lock(ctx, a->number, &o)) != SHOP_OK)
		return rc;
	if (a->sid != NULL) {
		if ((rc = set_state(ctx, a->sid, "expired")) != SHOP_OK)
			return rc;
		if ((rc = one_i64(ctx, ST_OTHERS_OPEN, o.id, a->sid,
		    &others)) != SHOP_OK)
			return rc;
	}
	if (o.status != ORDER_PENDING || others > 0)
		return SHOP_OK;
	memset(&c, 0, sizeof(c));
	c.to = ORDER_CANCELLED;
	c.note = str_c(_("The card payment was not made in time."));
	rc = order_status_set(ctx, a->number, &system_who, &c, &errs);
	if (rc == SHOP_OK)
		a->cancelled = 1;
	return rc == ORDER_SAME ? SHOP_OK : rc;
}

/* The order number of session sid of this shop: SHOP_ENOTFOUND when it
 * is not one of ours. */
static int
session_order(struct shop_ctx *ctx, const char *sid, int64_t *order_id,
    int64_t *number)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_FIND]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, sid);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	if (rc == 1) {
		*order_id = db_col_i64(st, 0);
		*number = db_col_i64(st, 1);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : rc == 0 ? SHOP_ENOTFOUND : SHOP_OK;
}

static int
session_settle(struct shop_ctx *ctx, struct stripe *st,
    const struct stripe_session *s, int *paid)
{
	struct stripe_session	 full;
	struct order		 o;
	int64_t			 order_id = 0, number = 0;
	int			 rc;

	*paid = 0;
	if ((rc = session_order(ctx, s->id, &order_id, &number)) != SHOP_OK) {
		if (rc == SHOP_ENOTFOUND)
			log_info("stripe session '%s' is not this shop's: "
			    "ignored", s->id);
		return rc == SHOP_ENOTFOUND ? SHOP_OK : rc;
	}
	if (strcmp(s->status, "expired") == 0) {
		struct expire_arg a = { number, s->id, 0 };

		return shop_tx_sales(ctx, expire_tx, &a);
	}
	if (strcmp(s->status, "complete") != 0 ||
	    strcmp(s->payment_status, "paid") != 0)
		return SHOP_OK;		/* open, or paid later (async) */
	if ((rc = order_get_by_id(ctx, order_id, 0, &o)) != SHOP_OK)
		return rc == SHOP_ENOTFOUND ? SHOP_OK : rc;
	if (s->amount_total != o.total ||
	    !str_casecmp_eq(str_c(s->currency), o.currency)) {
		log_err("stripe session '%s' paid %lld %s for order %lld of "
		    "%lld %.*s: not paid", s->id, (long long)s->amount_total,
		    s->currency, (long long)number, (long long)o.total,
		    (int)o.currency.len, o.currency.p);
		return SHOP_OK;
	}
	/* The fee only comes with the expanded session. */
	if (s->fee < 0) {
		enum stripe_err e = stripe_session_get(st, s->id, &full);

		if (e != STRIPE_OK) {
			log_warn("cannot get stripe session '%s' for its "
			    "fee: %s (%s)", s->id, stripe_strerror(e), st->err);
			return CARD_EGATEWAY;
		}
		s = &full;
		if (strcmp(s->status, "complete") != 0 ||
		    strcmp(s->payment_status, "paid") != 0)
			return SHOP_OK;
	}
	{
		struct pay_arg a = { number, s, s->fee < 0 ? 0 :
		    s->fee > s->amount_total ? s->amount_total : s->fee, 0 };

		if ((rc = shop_tx(ctx, pay_tx, &a)) != SHOP_OK)
			return rc;
		if (a.already)
			log_info("stripe session '%s' of order %lld was paid "
			    "before: nothing to do", s->id, (long long)number);
		else {
			log_info("order %lld paid by stripe session '%s'",
			    (long long)number, s->id);
			*paid = 1;
		}
	}
	return SHOP_OK;
}

/* --- the checkout ------------------------------------------------------ */

static int
insert_session(struct shop_ctx *ctx, int64_t order_id,
    const struct stripe_session *s)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_INSERT]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, s->id);
	db_bind_i64(st, 1, order_id);
	db_bind_cstr(st, 2, strlen(s->url) < 1000 ? s->url : "");
	rc = shop_exec(ctx, st);
	db_done(st);
	/* The same session again (an idempotent replay): known. */
	return rc == SHOP_ECONFLICT ? SHOP_OK : rc;
}

/* A session still open at Stripe among the order's: *url set. Others
 * found paid pay the order (*paid); found expired are marked so. */
static int
reuse_open(struct shop_ctx *ctx, struct stripe *st, int64_t order_id,
    const char **url, int *paid)
{
	struct open_session	*v;
	struct stripe_session	 s;
	size_t			 n, i;
	int			 rc;

	*url = NULL;
	*paid = 0;
	if ((rc = open_sessions(ctx, order_id, &v, &n)) != SHOP_OK)
		return rc;
	for (i = 0; i < n && *url == NULL && !*paid; i++) {
		enum stripe_err e = stripe_session_get(st, v[i].id, &s);

		/* Unknown to Stripe (another account connected since):
		 * it can never be paid. */
		if (e == STRIPE_EINVAL)
			s.status = "expired";
		else if (e != STRIPE_OK)
			return CARD_EGATEWAY;
		if (strcmp(s.status, "open") == 0 && s.url[0] != '\0')
			*url = s.url;
		else if (strcmp(s.status, "complete") == 0) {
			if ((rc = session_settle(ctx, st, &s, paid)) !=
			    SHOP_OK)
				return rc;
			*paid = 1;
		} else if ((rc = set_state(ctx, v[i].id, "expired")) !=
		    SHOP_OK)
			return rc;
	}
	return SHOP_OK;
}

int
card_checkout(struct shop_ctx *ctx, int64_t number,
    const struct card_return *ret, const char **url, char *detail,
    size_t dlen)
{
	struct stripe_session_new	 in;
	struct stripe_session		 out;
	struct stripe_item		*items;
	struct shop_settings		 set;
	struct stripe			 st;
	struct order			 o;
	enum stripe_err			 e;
	int64_t				 age, count, exp;
	int64_t				 now = time(NULL);
	int				 n, rc, paid;

	*url = NULL;
	if (dlen > 0)
		detail[0] = '\0';
	if ((rc = order_get(ctx, number, 0, &o)) != SHOP_OK)
		return rc;
	if (!str_eqc(o.payment_method, "card") || o.status != ORDER_PENDING)
		return CARD_ENOTDUE;
	if ((rc = client(ctx, &st, NULL)) != SHOP_OK) {
		str_errf(detail, dlen, "no stripe account connected");
		return rc == SHOP_ENOTFOUND ? CARD_EGATEWAY : rc;
	}
	rc = reuse_open(ctx, &st, o.id, url, &paid);
	if (rc == CARD_EGATEWAY)
		str_errf(detail, dlen, "%s", st.err);
	if (rc != SHOP_OK || *url != NULL)
		return rc;
	if (paid)
		return CARD_ENOTDUE;
	if (settings_get(ctx, &set) != SHOP_OK ||
	    one_i64(ctx, ST_AGE, o.id, NULL, &age) != SHOP_OK ||
	    one_i64(ctx, ST_COUNT, o.id, NULL, &count) != SHOP_OK)
		return SHOP_EDB;
	/* Past its hold, the order is the reconciliation's to cancel. */
	if (age >= set.card_hold_minutes * 60) {
		str_errf(detail, dlen, "order %lld is past its hold",
		    (long long)number);
		return CARD_ENOTDUE;
	}
	if ((n = gateway_stripe_items(ctx, &o, &items)) < 0) {
		str_errf(detail, dlen, "the order's lines do not add up");
		return CARD_EGATEWAY;
	}
	exp = now - age + set.card_hold_minutes * 60;
	if (exp < now + SESSION_MIN_LIFE)
		exp = now + SESSION_MIN_LIFE;
	memset(&in, 0, sizeof(in));
	in.currency = arena_strndup(ctx->a, o.currency.p, o.currency.len);
	in.items = items;
	in.nitems = (size_t)n;
	in.success_url = ret->success_url;
	in.cancel_url = ret->cancel_url;
	in.client_reference_id = arena_printf(ctx->a, "%lld",
	    (long long)o.number);
	in.order_id = arena_printf(ctx->a, "%lld", (long long)o.id);
	in.shop = arena_printf(ctx->a, "%lld", (long long)ctx->tenant);
	in.customer_email = o.email.len ? arena_strndup(ctx->a, o.email.p,
	    o.email.len) : NULL;
	in.locale = ret->locale;
	in.expires_at = exp;
	/* A retry after a lost answer replays the first; a new try after
	 * a session expired needs a key of its own. */
	in.idempotency_key = count == 0 ? arena_printf(ctx->a,
	    "order-%lld-session", (long long)o.id) : arena_printf(ctx->a,
	    "order-%lld-session-%lld", (long long)o.id,
	    (long long)count + 1);
	if ((e = stripe_session_create(&st, &in, &out)) != STRIPE_OK) {
		log_warn("order %lld: cannot create a stripe session: %s (%s)",
		    (long long)number, stripe_strerror(e), st.err);
		str_errf(detail, dlen, "%s", st.err);
		return CARD_EGATEWAY;
	}
	if ((rc = insert_session(ctx, o.id, &out)) != SHOP_OK)
		return rc;
	log_info("order %lld: stripe session '%s'", (long long)number,
	    out.id);
	*url = out.url;
	return SHOP_OK;
}

/* --- the webhook ------------------------------------------------------- */

enum card_webhook_result
card_webhook(struct shop_ctx *ctx, struct str body, struct str sig,
    int64_t now)
{
	struct stripe		 st;
	struct stripe_event	 ev;
	const char		*whsec;
	int			 rc, paid;

	if ((rc = client(ctx, &st, &whsec)) != SHOP_OK) {
		if (rc == SHOP_ENOTFOUND)
			log_warn("stripe webhook refused: no stripe account "
			    "connected");
		return rc == SHOP_ENOTFOUND ? CARD_WH_BAD : CARD_WH_RETRY;
	}
	if (stripe_sig_verify(&st, sig, body, whsec, now, -1) != STRIPE_OK) {
		log_warn("stripe webhook refused: %s", st.err);
		return CARD_WH_BAD;
	}
	if (stripe_event_parse(&st, body, &ev) != STRIPE_OK) {
		log_warn("stripe webhook refused: %s", st.err);
		return CARD_WH_BAD;
	}
	log_info("stripe event '%s' (%s)", ev.id, ev.type);
	switch (ev.kind) {
	case STRIPE_EV_SESSION:
		rc = session_settle(ctx, &st, &ev.session, &paid);
		break;
	case STRIPE_EV_REFUND:
		rc = refund_issue_event(ctx, &ev.refund);
		break;
	default:
		rc = SHOP_OK;
	}
	return rc == SHOP_OK ? CARD_WH_OK : CARD_WH_RETRY;
}

/* --- reconciliation ---------------------------------------------------- */

struct pending {
	int64_t	number, id, age;
};

static int
pending_orders(struct shop_ctx *ctx, int64_t after, int64_t min_age,
    struct pending **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_PENDING]);
	struct pending	*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, after);
	db_bind_i64(st, 1, min_age);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		v = shop_grow(ctx->a, v, sizeof(*v), *n, &cap);
		v[*n].number = db_col_i64(st, 0);
		v[*n].id = db_col_i64(st, 1);
		v[*n].age = db_col_i64(st, 2);
		(*n)++;
	}
	db_done(st);
	*out = v;
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/*
 * One pending order: its open sessions asked of Stripe (paid: paid);
 * past the hold, the open ones expired at Stripe first (one paid
 * meanwhile pays the order instead), then the order cancelled.
 */
static int
reconcile_one(struct shop_ctx *ctx, struct stripe *st,
    const struct pending *p, int64_t hold, struct card_reconcile_stats *rs)
{
	struct open_session	*v;
	struct stripe_session	 s;
	struct expire_arg	 ea = { p->number, NULL, 0 };
	enum stripe_err		 e;
	size_t			 n, i;
	int			 rc, paid = 0;

	if ((rc = open_sessions(ctx, p->id, &v, &n)) != SHOP_OK)
		return rc;
	for (i = 0; i < n && !paid; i++) {
		/* Unknown to Stripe (another account connected since):
		 * it can never be paid. */
		if ((e = stripe_session_get(st, v[i].id, &s)) ==
		    STRIPE_EINVAL) {
			if ((rc = set_state(ctx, v[i].id, "expired")) !=
			    SHOP_OK)
				return rc;
			continue;
		}
		if (e != STRIPE_OK) {
			log_warn("order %lld: cannot get stripe session "
			    "'%s': %s (%s)", (long long)p->number, v[i].id,
			    stripe_strerror(e), st->err);
			return CARD_EGATEWAY;
		}
		if (strcmp(s.status, "open") == 0 && p->age >= hold) {
			e = stripe_session_expire(st, v[i].id, &s);
			/* Refused: no longer open (paid or expired just
			 * now): Stripe says which. */
			if (e == STRIPE_EINVAL)
				e = stripe_session_get(st, v[i].id, &s);
			if (e != STRIPE_OK) {
				log_warn("order %lld: cannot expire stripe "
				    "session '%s': %s (%s)",
				    (long long)p->number, v[i].id,
				    stripe_strerror(e), st->err);
				return CARD_EGATEWAY;
			}
		}
		if (strcmp(s.status, "open") == 0)
			continue;
		if (strcmp(s.status, "complete") == 0) {
			if ((rc = session_settle(ctx, st, &s, &paid)) !=
			    SHOP_OK)
				return rc;
		} else if ((rc = set_state(ctx, v[i].id, "expired")) !=
		    SHOP_OK)
			return rc;
	}
	if (paid) {
		rs->paid++;
		return SHOP_OK;
	}
	if (p->age < hold)
		return SHOP_OK;
	if ((rc = shop_tx_sales(ctx, expire_tx, &ea)) != SHOP_OK)
		return rc;
	if (ea.cancelled) {
		log_info("order %lld: unpaid after its hold, cancelled",
		    (long long)p->number);
		rs->cancelled++;
	}
	return SHOP_OK;
}

/* 1 when the shop has a pending card order or refund, 0 when not, -1
 * when the database failed. */
static int
any_work(struct shop_ctx *ctx)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_ANY]);
	int		 rc, any = 0;

	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return -1;
	if ((rc = db_step(st)) == 1)
		any = db_col_i64(st, 0) != 0;
	db_done(st);
	return rc == -1 ? -1 : any;
}

int
card_reconcile(struct shop_ctx *ctx, int64_t min_age,
    struct card_reconcile_stats *rs)
{
	struct shop_settings	 set;
	struct pending		*v;
	struct stripe		 st;
	int64_t			 after = 0, sent = 0;
	size_t			 n, i;
	int			 rc, have;

	memset(rs, 0, sizeof(*rs));
	if ((rc = any_work(ctx)) != 1)
		return rc == 0 ? SHOP_OK : SHOP_EDB;
	if (min_age < 0)
		min_age = config_int("card_reconcile_after",
		    CARD_RECONCILE_AFTER, 0, 86400);
	if (settings_get(ctx, &set) != SHOP_OK)
		return SHOP_EDB;
	rc = client(ctx, &st, NULL);
	if (rc != SHOP_OK && rc != SHOP_ENOTFOUND)
		return rc;
	have = rc == SHOP_OK;
	/* Disconnected: orders past their hold are cancelled all the
	 * same (their sessions can no longer be asked about). */
	do {
		if ((rc = pending_orders(ctx, after, min_age, &v, &n)) !=
		    SHOP_OK)
			return rc;
		for (i = 0; i < n; i++) {
			rs->checked++;
			after = v[i].id;
			if (!have) {
				struct expire_arg ea = { v[i].number, NULL,
				    0 };

				if (v[i].age < set.card_hold_minutes * 60)
					continue;
				rc = shop_tx_sales(ctx, expire_tx, &ea);
				rs->cancelled += ea.cancelled;
			} else
				rc = reconcile_one(ctx, &st, &v[i],
				    set.card_hold_minutes * 60, rs);
			if (rc != SHOP_OK)
				rs->failed++;
		}
	} while (n == PENDING_BATCH);
	if (have && refund_issue_retry(ctx, &sent) != SHOP_OK)
		rs->failed++;
	return SHOP_OK;
}
