/*
 * order_status.c: an order's life after it was placed (order_status.h).
 * The transitions are the table below and nothing else: every check
 * reads it, the buttons of the pages too.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "platform/jobs.h"
#include "platform/audit.h"
#include "shop/invoice.h"
#include "shop/order_place.h"
#include "shop/order_status.h"
#include "shop/payment.h"
#include "shop/payments.h"
#include "shop/quote.h"
#include "shop/shop.h"
#include "shop/wc_webhook.h"

#define BY(a)		(1u << (a))
#define STAFF		(BY(ORDER_BY_STAFF) | BY(ORDER_BY_SYSTEM))
#define ANYONE		(STAFF | BY(ORDER_BY_SHOPPER))

/* Who may take an order from one state to another; the mail job each
 * change enqueues (NULL: none). */
static const struct transition {
	enum order_status	 from, to;
	unsigned		 who;
	const char		*job;
} transitions[] = {
	{ ORDER_PENDING, ORDER_ON_HOLD, STAFF, NULL },
	{ ORDER_PENDING, ORDER_PROCESSING, STAFF, "shop.order_paid" },
	{ ORDER_PENDING, ORDER_CANCELLED, ANYONE, "shop.order_cancelled" },
	{ ORDER_ON_HOLD, ORDER_PROCESSING, STAFF, "shop.order_paid" },
	{ ORDER_ON_HOLD, ORDER_CANCELLED, ANYONE, "shop.order_cancelled" },
	{ ORDER_PROCESSING, ORDER_SHIPPED, STAFF, "shop.order_shipped" },
	{ ORDER_PROCESSING, ORDER_COMPLETED, STAFF, NULL },
	{ ORDER_PROCESSING, ORDER_CANCELLED, STAFF, "shop.order_cancelled" },
	{ ORDER_SHIPPED, ORDER_COMPLETED, STAFF, NULL },
};

static const char *const actor_names[] = {
	[ORDER_BY_SHOPPER] = "shopper",
	[ORDER_BY_STAFF] = "staff",
	[ORDER_BY_SYSTEM] = "system",
};

enum stmt {
	ST_SET_STATUS,
	ST_SET_PAID,
	ST_SET_SHIPPED,
	ST_EVENT,
	ST_LINES,
	ST_STOCK_PRODUCT,
	ST_STOCK_VARIANT,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_SET_STATUS] = { "order_status.set",
	    "UPDATE {p}orders SET status = ? WHERE id = ?" },
	/* paid_at is the first time it was marked paid. */
	[ST_SET_PAID] = { "order_status.set_paid",
	    "UPDATE {p}orders SET status = ?,"
	    " paid_at = COALESCE(paid_at, UTC_TIMESTAMP()) WHERE id = ?" },
	[ST_SET_SHIPPED] = { "order_status.set_shipped",
	    "UPDATE {p}orders SET status = ?, shipped_at = UTC_TIMESTAMP(),"
	    " carrier = ?, tracking_number = ?, tracking_url = ?"
	    " WHERE id = ?" },
	[ST_EVENT] = { "order_status.event",
	    "INSERT INTO {p}order_events (order_id, at, actor, staff_id,"
	    " actor_email, kind, from_status, to_status, note)"
	    " VALUES (?, UTC_TIMESTAMP(), ?, ?, ?, ?, ?, ?, ?)" },
	/* Units a refund put back in stock already (refund.h) are not
	 * given back twice. */
	[ST_LINES] = { "order_status.lines",
	    "SELECT l.product_id, l.variant_id, l.qty - COALESCE((SELECT"
	    " SUM(rl.qty) FROM {p}refund_lines rl JOIN {p}refunds r"
	    " ON r.id = rl.refund_id WHERE rl.order_line_id = l.id"
	    " AND r.restock = 1 AND r.status <> 'failed'), 0)"
	    " FROM {p}order_lines l"
	    " WHERE l.order_id = ? ORDER BY l.id LIMIT 1000" },
	/* A product or variant deleted since has no stock to get back. */
	[ST_STOCK_PRODUCT] = { "order_status.stock_product",
	    "UPDATE {p}products SET stock = stock + ? WHERE id = ?" },
	[ST_STOCK_VARIANT] = { "order_status.stock_variant",
	    "UPDATE {p}variants SET stock = stock + ?"
	    " WHERE id = ? AND product_id = ?" },
};

static const struct transition *
find(enum order_status from, enum order_status to)
{
	size_t i;

	for (i = 0; i < NELEM(transitions); i++)
		if (transitions[i].from == from && transitions[i].to == to)
			return &transitions[i];
	return NULL;
}

int
order_status_allowed(enum order_status from, enum order_status to,
    enum order_actor who)
{
	const struct transition *t = find(from, to);

	return t != NULL && (unsigned)who < NELEM(actor_names) &&
	    (t->who & BY(who)) != 0;
}

int
order_tracking_url_valid(struct str url)
{
	size_t	skip, i, host = 0;

	if (url.len > ORDER_TRACKING_URL_MAX)
		return 0;
	if (url.len > 8 && str_casecmp_eq((struct str){ url.p, 8 },
	    STR("https://")))
		skip = 8;
	else if (url.len > 7 && str_casecmp_eq((struct str){ url.p, 7 },
	    STR("http://")))
		skip = 7;
	else
		return 0;
	for (i = skip; i < url.len; i++) {
		unsigned char c = (unsigned char)url.p[i];

		if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'' ||
		    c == '<' || c == '>' || c == '\\' || c == '`')
			return 0;
		if (host == 0 && (c == '/' || c == '?' || c == '#'))
			host = i;
	}
	if (host == 0)
		host = url.len;
	/* A host: something before the path, and no "user@" in it (a
	 * link that shows one site's name and opens another's). */
	if (host == skip)
		return 0;
	for (i = skip; i < host; i++)
		if (url.p[i] == '@')
			return 0;
	return 1;
}

/* Checks a text field of at most max characters into errs. */
static void
check_text(struct str s, size_t max, const char *field, const char *msgid,
    struct field_errors *errs)
{
	if (!str_valid_text(s) || str_chars(s) > max)
		field_errors_add(errs, field, msgid);
}

static void
check_change(const struct order_change *c, struct field_errors *errs)
{
	check_text(c->note, ORDER_NOTE_MAX, "note",
	    N_("A note has at most 2000 characters."), errs);
	if (c->to != ORDER_SHIPPED)
		return;
	check_text(c->carrier, ORDER_CARRIER_MAX, "carrier",
	    N_("A carrier's name has at most 100 characters."), errs);
	check_text(c->tracking_number, ORDER_TRACKING_MAX, "tracking_number",
	    N_("A tracking number has at most 100 characters."), errs);
	if (c->tracking_url.len && !order_tracking_url_valid(c->tracking_url))
		field_errors_add(errs, "tracking_url",
		    N_("Enter a tracking link starting with https:// or "
		    "http://, of at most 500 characters."));
}

static const char *
event_kind_name(enum order_event_kind k)
{
	return k == ORDER_EV_NOTE ? "note" : k == ORDER_EV_PRIVATE ?
	    "private_note" : "status";
}

/* The history's row: from and to are "" for a note. */
static int
event_add(struct shop_ctx *ctx, int64_t order_id, const struct order_who *who,
    enum order_event_kind kind, const char *from, const char *to,
    struct str note)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_EVENT]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	db_bind_cstr(st, 1, actor_names[who->actor]);
	if (who->actor == ORDER_BY_STAFF && who->staff_id > 0)
		db_bind_i64(st, 2, who->staff_id);
	else
		db_bind_null(st, 2);
	db_bind_str(st, 3, who->actor == ORDER_BY_STAFF ? who->email :
	    STR(""));
	db_bind_cstr(st, 4, event_kind_name(kind));
	db_bind_cstr(st, 5, from);
	db_bind_cstr(st, 6, to);
	db_bind_str(st, 7, note);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

struct stock_line {
	int64_t	product_id, variant_id, qty;
};

int
order_stock_return(struct shop_ctx *ctx, int64_t product_id,
    int64_t variant_id, int64_t qty)
{
	int		 var = variant_id > 0;
	struct db_stmt	*st = shop_stmt(ctx, &sql[var ? ST_STOCK_VARIANT :
			    ST_STOCK_PRODUCT]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, qty);
	db_bind_i64(st, 1, var ? variant_id : product_id);
	if (var)
		db_bind_i64(st, 2, product_id);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

/* Every line's units back on its variant, or its product. The lines
 * are read whole first: a statement's results must be consumed before
 * the next one runs on the connection. */
static int
stock_back(struct shop_ctx *ctx, int64_t order_id)
{
	struct db_stmt		*st = shop_stmt(ctx, &sql[ST_LINES]);
	struct stock_line	*v = NULL;
	size_t			 n = 0, cap = 0, i;
	int			 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		if (n == cap) {
			struct stock_line *w;

			cap = cap ? 2 * cap : 16;
			w = arena_alloc(ctx->a, cap * sizeof(*w));
			if (n)
				memcpy(w, v, n * sizeof(*w));
			v = w;
		}
		v[n].product_id = db_col_i64(st, 0);
		v[n].variant_id = db_col_i64(st, 1);
		v[n].qty = db_col_i64(st, 2);
		n++;
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	for (i = 0; i < n; i++)
		if (v[i].qty > 0 && (rc = order_stock_return(ctx,
		    v[i].product_id, v[i].variant_id, v[i].qty)) != SHOP_OK)
			return rc;
	return SHOP_OK;
}

static int
update_row(struct shop_ctx *ctx, const struct order *o,
    const struct order_change *c)
{
	enum stmt	 q = c->to == ORDER_SHIPPED ? ST_SET_SHIPPED :
			    c->to == ORDER_PROCESSING ? ST_SET_PAID :
			    ST_SET_STATUS;
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	unsigned	 i = 0;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, i++, order_status_name(c->to));
	if (q == ST_SET_SHIPPED) {
		db_bind_str(st, i++, c->carrier);
		db_bind_str(st, i++, c->tracking_number);
		db_bind_str(st, i++, c->tracking_url);
	}
	db_bind_i64(st, i, o->id);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

static int
enqueue(struct shop_ctx *ctx, const char *kind, int64_t number)
{
	char	payload[64];
	int	n;

	n = snprintf(payload, sizeof(payload), "{\"order\": %lld}",
	    (long long)number);
	if (n < 0 || (size_t)n >= sizeof(payload))
		return SHOP_EDB;
	if (jobs_enqueue(ctx->db, ctx->tenant, kind,
	    (struct str){ payload, (size_t)n }, 0, NULL) == -1)
		return SHOP_EDB;
	return SHOP_OK;
}

struct set_arg {
	int64_t			 number;
	const struct order_who	*who;
	const struct order_change *c;
	struct field_errors	*errs;
};

/* The audit's entry of a change made by someone (staff, an API key);
 * a shopper's and the system's are the order's own events. */
static int
audit_status(struct shop_ctx *ctx, const struct order *o, enum order_status to)
{
	json_object	*b, *a;
	int		 rc;

	if (audit_actor()->by == AUDIT_SYSTEM)
		return SHOP_OK;
	b = json_object_new_object();
	a = json_object_new_object();
	json_object_object_add(b, "status", json_object_new_string(
	    order_status_name(o->status)));
	json_object_object_add(a, "status", json_object_new_string(
	    order_status_name(to)));
	rc = audit_log(ctx->db, ctx->tenant, "order.status", "order",
	    o->number, b, a);
	json_object_put(b);
	json_object_put(a);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
set_tx(struct shop_ctx *ctx, void *arg)
{
	struct set_arg		 *a = arg;
	const struct transition	 *t;
	const struct payment_method *pm;
	struct order		  o;
	int			  rc, online;

	if ((rc = order_lock(ctx, a->number, &o)) != SHOP_OK)
		return rc;
	if (o.status == a->c->to)
		return ORDER_SAME;
	if (!order_status_allowed(o.status, a->c->to, a->who->actor)) {
		field_errors_add(a->errs, "status",
		    a->c->to == ORDER_CANCELLED ?
		    N_("This order can no longer be cancelled.") :
		    N_("This change is not possible from the order's present "
		    "state."));
		return SHOP_EDENIED;
	}
	t = find(o.status, a->c->to);
	if ((rc = update_row(ctx, &o, a->c)) != SHOP_OK)
		return rc;
	if ((rc = event_add(ctx, o.id, a->who, ORDER_EV_STATUS,
	    order_status_name(o.status), order_status_name(a->c->to),
	    a->c->note)) != SHOP_OK ||
	    (rc = wc_webhook_fire(ctx, "order.updated", o.id)) != SHOP_OK ||
	    (rc = audit_status(ctx, &o, a->c->to)) != SHOP_OK)
		return rc;
	/* Paid: its invoice, before the mail that links to it. */
	if (a->c->to == ORDER_PROCESSING &&
	    (rc = invoice_issue(ctx, o.id, NULL)) != SHOP_OK)
		return rc;
	/* Paid online: the mails an offline order had when placed come
	 * now, before the payment's own. An online order cancelled
	 * unpaid never told the shopper it was placed: no mail. */
	pm = payment_find(o.payment_method);
	online = pm != NULL && pm->online && o.status == ORDER_PENDING;
	if (online && a->c->to == ORDER_PROCESSING &&
	    (rc = order_place_mails(ctx, o.id)) != SHOP_OK)
		return rc;
	if (t->job != NULL && !(online && a->c->to == ORDER_CANCELLED) &&
	    (rc = enqueue(ctx, t->job, o.number)) != SHOP_OK)
		return rc;
	/* Paid: the sale and the payment into the books, in this
	 * transaction (payments.h). */
	if (a->c->to == ORDER_PROCESSING &&
	    (rc = payment_mark_paid(ctx, &o, a->who)) != SHOP_OK)
		return rc;
	if (a->c->to != ORDER_CANCELLED)
		return SHOP_OK;
	if ((rc = stock_back(ctx, o.id)) != SHOP_OK)
		return rc;
	return o.coupon_id > 0 ? coupon_release(ctx, o.coupon_id) : SHOP_OK;
}

int
order_status_set(struct shop_ctx *ctx, int64_t number,
    const struct order_who *who, const struct order_change *c,
    struct field_errors *errs)
{
	struct set_arg a = { number, who, c, errs };

	errs->n = 0;
	if ((unsigned)who->actor >= NELEM(actor_names) ||
	    (unsigned)c->to >= ORDER__MAX)
		return SHOP_EINVAL;
	check_change(c, errs);
	if (errs->n)
		return SHOP_EINVAL;
	if (number <= 0)
		return SHOP_ENOTFOUND;
	return shop_tx_sales(ctx, set_tx, &a);
}

struct note_arg {
	int64_t			 number;
	const struct order_who	*who;
	struct str		 note;
	int			 private_note;
};

static int
note_tx(struct shop_ctx *ctx, void *arg)
{
	struct note_arg	*a = arg;
	struct order	 o;
	int		 rc;

	if ((rc = order_lock(ctx, a->number, &o)) != SHOP_OK)
		return rc;
	return event_add(ctx, o.id, a->who, a->private_note ?
	    ORDER_EV_PRIVATE : ORDER_EV_NOTE, "", "", a->note);
}

int
order_note_add(struct shop_ctx *ctx, int64_t number,
    const struct order_who *who, struct str note, int private_note,
    struct field_errors *errs)
{
	struct note_arg a = { number, who, note, private_note };

	errs->n = 0;
	if ((unsigned)who->actor >= NELEM(actor_names))
		return SHOP_EINVAL;
	if (note.len == 0 || !str_valid_text(note) ||
	    str_chars(note) > ORDER_NOTE_MAX) {
		field_errors_add(errs, "note", N_("Write a note of 1 to 2000 "
		    "characters."));
		return SHOP_EINVAL;
	}
	if (number <= 0)
		return SHOP_ENOTFOUND;
	return shop_tx(ctx, note_tx, &a);
}
