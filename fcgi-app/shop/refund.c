/*
 * refund.c: money given back (refund.h).
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "db/db.h"
#include "platform/jobs.h"
#include "shop/credit_note.h"
#include "shop/ledger.h"
#include "shop/order_status.h"
#include "shop/payment.h"
#include "shop/quote.h"
#include "shop/refund.h"
#include "shop/shop.h"
#include "shop/wc_webhook.h"

static const char *const status_names[] = {
	[REFUND_PENDING] = "pending",
	[REFUND_SUCCEEDED] = "succeeded",
	[REFUND_FAILED] = "failed",
};

enum stmt {
	ST_SUMS,
	ST_QTY_DONE,
	ST_PAYMENT_LAST,
	ST_PAYMENT_METHOD,
	ST_INSERT,
	ST_INSERT_LINE,
	ST_GET,
	ST_LIST,
	ST_LINES_OF,
	ST_SETTLE,
	ST_EVENT,
	ST__MAX
};

#define REFUND_COLS \
	"id, order_id, COALESCE(payment_id, 0), amount, tax, shipping," \
	" reason, restock, status, gateway, gateway_ref," \
	" DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), COALESCE(staff_id, 0)"

static const struct shop_sql sql[ST__MAX] = {
	/* A failed refund gave nothing back. */
	[ST_SUMS] = { "refund.sums",
	    "SELECT (SELECT COALESCE(SUM(amount), 0) FROM {p}payments"
	    "  WHERE order_id = ?),"
	    " (SELECT COALESCE(SUM(amount), 0) FROM {p}refunds"
	    "  WHERE order_id = ? AND status <> 'failed')" },
	[ST_QTY_DONE] = { "refund.qty_done",
	    "SELECT rl.order_line_id, SUM(rl.qty) FROM {p}refund_lines rl"
	    " JOIN {p}refunds r ON r.id = rl.refund_id"
	    " WHERE r.order_id = ? AND r.status <> 'failed'"
	    " GROUP BY rl.order_line_id" },
	[ST_PAYMENT_LAST] = { "refund.payment_last",
	    "SELECT id, method, gateway FROM {p}payments WHERE order_id = ?"
	    " ORDER BY id DESC LIMIT 1" },
	[ST_PAYMENT_METHOD] = { "refund.payment_method",
	    "SELECT method FROM {p}payments WHERE id = ?" },
	[ST_INSERT] = { "refund.insert",
	    "INSERT INTO {p}refunds (order_id, payment_id, amount, tax,"
	    " shipping, reason, restock, status, gateway, staff_id,"
	    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " UTC_TIMESTAMP())" },
	[ST_INSERT_LINE] = { "refund.insert_line",
	    "INSERT INTO {p}refund_lines (refund_id, order_line_id, qty,"
	    " amount, tax) VALUES (?, ?, ?, ?, ?)" },
	[ST_GET] = { "refund.get",
	    "SELECT " REFUND_COLS " FROM {p}refunds WHERE id = ? FOR UPDATE" },
	[ST_LIST] = { "refund.list",
	    "SELECT " REFUND_COLS " FROM {p}refunds WHERE order_id = ?"
	    " ORDER BY id LIMIT 1000" },
	[ST_LINES_OF] = { "refund.lines_of",
	    "SELECT rl.amount, rl.tax, ol.tax_rate FROM {p}refund_lines rl"
	    " JOIN {p}order_lines ol ON ol.id = rl.order_line_id"
	    " WHERE rl.refund_id = ? ORDER BY rl.order_line_id" },
	[ST_SETTLE] = { "refund.settle",
	    "UPDATE {p}refunds SET status = ?, gateway_ref = ?"
	    " WHERE id = ? AND status = 'pending'" },
	[ST_EVENT] = { "refund.event",
	    "INSERT INTO {p}order_events (order_id, at, actor, staff_id,"
	    " actor_email, kind, from_status, to_status, note)"
	    " VALUES (?, UTC_TIMESTAMP(), ?, ?, ?, 'private_note', '', '',"
	    " ?)" },
	/* As a cancel gives stock back (order_status.c): a product or
	 * variant deleted since has none to get back. */
};

static const char *const actor_names[] = {
	[ORDER_BY_SHOPPER] = "shopper",
	[ORDER_BY_STAFF] = "staff",
	[ORDER_BY_SYSTEM] = "system",
};

const char *
refund_status_name(enum refund_status s)
{
	return (unsigned)s < NELEM(status_names) ? status_names[s] : "";
}

static void
read_refund(struct db_stmt *st, struct refund *r)
{
	struct str s;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->id = db_col_i64(st, 0);
	r->order_id = db_col_i64(st, 1);
	r->payment_id = db_col_i64(st, 2);
	r->amount = db_col_i64(st, 3);
	r->tax = db_col_i64(st, 4);
	r->shipping = db_col_i64(st, 5);
	r->reason = db_col_str(st, 6);
	r->restock = db_col_i64(st, 7) != 0;
	s = db_col_str(st, 8);
	for (i = 0; i < NELEM(status_names); i++)
		if (str_eqc(s, status_names[i]))
			r->status = (enum refund_status)i;
	r->gateway = db_col_str(st, 9);
	r->gateway_ref = db_col_str(st, 10);
	r->created_at = db_col_str(st, 11);
	r->staff_id = db_col_i64(st, 12);
}

/* Paid and refunded (not failed) so far for order_id. */
static int
sums(struct shop_ctx *ctx, int64_t order_id, int64_t *paid,
    int64_t *refunded)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_SUMS]);
	int		 rc;

	*paid = *refunded = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	db_bind_i64(st, 1, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		*paid = db_col_i64(st, 0);
		*refunded = db_col_i64(st, 1);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
refund_qty_done(struct shop_ctx *ctx, const struct order *o, int64_t **qty)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_QTY_DONE]);
	size_t		 i;
	int		 rc;

	*qty = arena_calloc(ctx->a, o->nlines + 1, sizeof(**qty));
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, o->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		int64_t id = db_col_i64(st, 0);

		for (i = 0; i < o->nlines; i++)
			if (o->lines[i].id == id)
				(*qty)[i] = db_col_i64(st, 1);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

/* What k of a line's units are of its figure v (total or tax) for q
 * units: v * k / q, so the pieces of a line sum to v exactly. */
static int64_t
part(int64_t v, int64_t k, int64_t q)
{
	return q > 0 ? quote_muldiv(v, k, q) : 0;
}

/* The 2200 lines of a by-amount refund: tax shared over the sale's tax
 * lines (o with its lines) by their amounts, the units lost to
 * flooring to the largest. */
static void
tax_by_amount(const struct order *o, int64_t tax, struct ledger_entry *e)
{
	struct ledger_entry	 sale;
	__int128		 w = 0;
	int64_t			 given = 0, share;
	size_t			 i, big = SIZE_MAX;

	if (tax == 0)
		return;
	if (ledger_sale_entry(o, &sale) == SHOP_OK)
		for (i = 0; i < sale.n; i++)
			if (sale.lines[i].account == LEDGER_TAX &&
			    sale.lines[i].credit > 0) {
				w += sale.lines[i].credit;
				if (big == SIZE_MAX || sale.lines[i].credit >
				    sale.lines[big].credit)
					big = i;
			}
	if (w == 0) {
		ledger_add(e, LEDGER_TAX, 1, tax, LEDGER_NO_RATE, "");
		return;
	}
	for (i = 0; i < sale.n; i++) {
		const struct ledger_line *l = &sale.lines[i];

		if (l->account != LEDGER_TAX || l->credit <= 0)
			continue;
		share = (int64_t)((__int128)tax * l->credit / w);
		ledger_add(e, LEDGER_TAX, 1, share, l->tax_rate, l->country);
		given += share;
	}
	ledger_add(e, LEDGER_TAX, 1, tax - given, sale.lines[big].tax_rate,
	    sale.lines[big].country);
}

/* The 4020 lines of a by-amount refund: its net shared over the rates
 * of what the sale sold net (4000 less 4010, and 4100 shipping, which
 * the sale splits by rate too), the units lost to flooring to the
 * largest: the tax report's taxable amounts then fall under rates. */
static void
net_by_amount(const struct order *o, int64_t net, struct ledger_entry *e)
{
	struct ledger_entry	 sale;
	int32_t			 rate[LEDGER_LINES_MAX];
	int64_t			 w[LEDGER_LINES_MAX], given = 0, share;
	__int128		 sum = 0;
	size_t			 i, j, k = 0, big = 0;

	if (net == 0)
		return;
	if (ledger_sale_entry(o, &sale) == SHOP_OK)
		for (i = 0; i < sale.n; i++) {
			const struct ledger_line *l = &sale.lines[i];
			int64_t v;

			if (l->account != LEDGER_SALES &&
			    l->account != LEDGER_DISCOUNTS &&
			    l->account != LEDGER_SHIPPING)
				continue;
			v = l->credit - l->debit;
			for (j = 0; j < k && rate[j] != l->tax_rate; j++)
				;
			if (j == k) {
				rate[k] = l->tax_rate;
				w[k++] = 0;
			}
			w[j] += v;
		}
	for (j = 0; j < k; j++) {
		if (w[j] < 0)
			w[j] = 0;
		sum += w[j];
		if (w[j] > w[big])
			big = j;
	}
	if (sum == 0) {
		ledger_add(e, LEDGER_REFUNDS, 1, net, LEDGER_NO_RATE, "");
		return;
	}
	for (j = 0; j < k; j++) {
		share = (int64_t)((__int128)net * w[j] / sum);
		ledger_add(e, LEDGER_REFUNDS, 1, share, rate[j], "");
		given += share;
	}
	ledger_add(e, LEDGER_REFUNDS, 1, net - given, rate[big], "");
}

/*
 * The refund entry of r (written: its lines are read back), for o with
 * its lines: Dr 4020 net and 2200 tax, Cr the payment's account.
 */
static int
refund_entry(struct shop_ctx *ctx, const struct refund *r,
    const struct order *o, struct ledger_entry *e)
{
	const struct payment_method *m = NULL;
	struct db_stmt	*st;
	char		 cbuf[3];
	const char	*country = ledger_tax_country(o, cbuf);
	size_t		 n = 0;
	int		 rc;

	ledger_entry_init(e, "refund", r->id, o->id);
	if ((st = shop_stmt(ctx, &sql[ST_PAYMENT_METHOD])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, r->payment_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		m = payment_find(db_col_str(st, 0));
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (m == NULL) {
		log_err("refund %lld: no payment method to refund to",
		    (long long)r->id);
		return SHOP_EDB;
	}
	if ((st = shop_stmt(ctx, &sql[ST_LINES_OF])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, r->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		int64_t amount = db_col_i64(st, 0), tax = db_col_i64(st, 1);
		int32_t rate = (int32_t)db_col_i64(st, 2);

		ledger_add(e, LEDGER_REFUNDS, 1, amount - tax, rate, "");
		ledger_add(e, LEDGER_TAX, 1, tax, rate, country);
		n++;
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if (n == 0) {
		net_by_amount(o, r->amount - r->tax, e);
		tax_by_amount(o, r->tax, e);
	}
	ledger_add(e, m->account, 0, r->amount, LEDGER_NO_RATE, "");
	return SHOP_OK;
}

static int
post(struct shop_ctx *ctx, const struct refund *r, const struct order *o)
{
	struct ledger_entry	*e = arena_alloc(ctx->a, sizeof(*e));
	int			 rc;

	if ((rc = refund_entry(ctx, r, o, e)) != SHOP_OK)
		return rc;
	rc = ledger_post(ctx, e);
	if (rc == SHOP_OK)	/* the same transaction: credit_note.h */
		rc = credit_note_issue(ctx, o->id, r->id, NULL);
	return rc == SHOP_ECONFLICT ? SHOP_EDB : rc;
}

static int
enqueue(struct shop_ctx *ctx, int64_t number, int64_t refund_id)
{
	char	payload[96];
	int	n;

	n = snprintf(payload, sizeof(payload), "{\"order\": %lld, "
	    "\"refund\": %lld}", (long long)number, (long long)refund_id);
	if (n < 0 || (size_t)n >= sizeof(payload))
		return SHOP_EDB;
	if (jobs_enqueue(ctx->db, ctx->tenant, "shop.order_refunded",
	    (struct str){ payload, (size_t)n }, 0, NULL) == -1)
		return SHOP_EDB;
	return SHOP_OK;
}

/* The merchant's history row: "Refunded 12.50 EUR: reason", in the
 * language of the staff member who made it (as their notes are). */
static int
event(struct shop_ctx *ctx, const struct order *o, const struct refund *r,
    const struct order_who *who)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_EVENT]);
	char		 buf[MONEY_PLAIN_MAX];
	const char	*amount = buf, *note;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	if (money_format_plain(r->amount, o->currency.p, buf,
	    sizeof(buf)) == -1)
		amount = arena_printf(ctx->a, "%lld", (long long)r->amount);
	amount = arena_printf(ctx->a, "%s %s", amount, o->currency.p);
	/* TRANSLATORS: %s is an amount and its currency: "12.50 EUR". */
	note = arena_printf(ctx->a, r->status == REFUND_SUCCEEDED ?
	    _("Refunded %s") : _("Refund requested from the payment "
	    "provider: %s"), amount);
	if (r->reason.len)
		note = arena_printf(ctx->a, "%s: %.*s", note,
		    (int)r->reason.len, r->reason.p);
	db_bind_i64(st, 0, o->id);
	db_bind_cstr(st, 1, actor_names[who->actor]);
	if (who->actor == ORDER_BY_STAFF && who->staff_id > 0)
		db_bind_i64(st, 2, who->staff_id);
	else
		db_bind_null(st, 2);
	db_bind_str(st, 3, who->actor == ORDER_BY_STAFF ? who->email :
	    STR(""));
	db_bind_cstr(st, 4, note);
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

struct create_arg {
	int64_t			 number;
	const struct refund_in	*in;
	const struct order_who	*who;
	struct refund		*out;
	struct field_errors	*errs;
	/* per order line: the qty asked, and its amount and tax */
	int64_t			*qty, *amount, *tax;
};

/* Checks in's lines against o's and fills a->qty, a->amount, a->tax
 * and the refund's amount and tax. */
static int
by_lines(struct shop_ctx *ctx, struct create_arg *a, const struct order *o,
    struct refund *r)
{
	const struct refund_in	*in = a->in;
	int64_t			*done;
	size_t			 i, j;
	int			 rc;

	if ((rc = refund_qty_done(ctx, o, &done)) != SHOP_OK)
		return rc;
	a->qty = arena_calloc(ctx->a, o->nlines + 1, sizeof(int64_t));
	a->amount = arena_calloc(ctx->a, o->nlines + 1, sizeof(int64_t));
	a->tax = arena_calloc(ctx->a, o->nlines + 1, sizeof(int64_t));
	for (i = 0; i < in->nlines; i++) {
		for (j = 0; j < o->nlines; j++)
			if (o->lines[j].id == in->lines[i].order_line_id)
				break;
		if (j == o->nlines || a->qty[j] != 0) {
			field_errors_add(a->errs, "lines",
			    N_("A line to refund is not part of this "
			    "order."));
			continue;
		}
		a->qty[j] = in->lines[i].qty;
		if (a->qty[j] > o->lines[j].qty - done[j])
			field_errors_add(a->errs, arena_printf(ctx->a,
			    "qty_%lld", (long long)o->lines[j].id),
			    N_("That is more than is left to refund of "
			    "this line."));
	}
	if (a->errs->n)
		return SHOP_EINVAL;
	for (j = 0; j < o->nlines; j++) {
		const struct order_line *l = &o->lines[j];
		int64_t k0 = done[j], k1 = done[j] + a->qty[j];

		if (a->qty[j] == 0)
			continue;
		a->amount[j] = part(l->total, k1, l->qty) -
		    part(l->total, k0, l->qty);
		a->tax[j] = part(l->tax, k1, l->qty) - part(l->tax, k0,
		    l->qty);
		r->amount += a->amount[j];
		r->tax += a->tax[j];
	}
	return SHOP_OK;
}

/* The parts of an amount: cumulative over what was refunded before, so
 * refunds by amount that add up to the total give back its tax. */
static void
by_amount(const struct order *o, int64_t before, struct refund *r)
{
	int64_t ship = o->shipping + (o->prices_include_tax ? 0 :
	    o->shipping_tax);

	r->tax = part(o->tax, before + r->amount, o->total) -
	    part(o->tax, before, o->total);
	r->shipping = part(ship, before + r->amount, o->total) -
	    part(ship, before, o->total);
}

static int
write_refund(struct shop_ctx *ctx, struct create_arg *a,
    const struct order *o, struct refund *r)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_INSERT]);
	size_t		 j;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, o->id);
	db_bind_i64(st, 1, r->payment_id);
	db_bind_i64(st, 2, r->amount);
	db_bind_i64(st, 3, r->tax);
	db_bind_i64(st, 4, r->shipping);
	db_bind_str(st, 5, r->reason);
	db_bind_i64(st, 6, r->restock);
	db_bind_cstr(st, 7, refund_status_name(r->status));
	db_bind_str(st, 8, r->gateway);
	if (a->who->actor == ORDER_BY_STAFF && a->who->staff_id > 0)
		db_bind_i64(st, 9, a->who->staff_id);
	else
		db_bind_null(st, 9);
	rc = shop_exec(ctx, st);
	r->id = rc == SHOP_OK ? (int64_t)db_insert_id(st) : 0;
	db_done(st);
	if (rc != SHOP_OK || a->qty == NULL)
		return rc;
	for (j = 0; j < o->nlines; j++) {
		const struct order_line *l = &o->lines[j];

		if (a->qty[j] == 0)
			continue;
		if ((st = shop_stmt(ctx, &sql[ST_INSERT_LINE])) == NULL)
			return SHOP_EDB;
		db_bind_i64(st, 0, r->id);
		db_bind_i64(st, 1, l->id);
		db_bind_i64(st, 2, a->qty[j]);
		db_bind_i64(st, 3, a->amount[j]);
		db_bind_i64(st, 4, a->tax[j]);
		rc = shop_exec(ctx, st);
		db_done(st);
		if (rc != SHOP_OK)
			return rc;
		if (r->restock && (rc = order_stock_return(ctx,
		    l->product_id, l->variant_id, a->qty[j])) != SHOP_OK)
			return rc;
	}
	return SHOP_OK;
}

/* The payment a refund goes back to: the order's latest. */
static int
last_payment(struct shop_ctx *ctx, int64_t order_id, struct refund *r)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_PAYMENT_LAST]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		r->payment_id = db_col_i64(st, 0);
		r->gateway = db_col_str(st, 2);
	}
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

static int
create_tx(struct shop_ctx *ctx, void *arg)
{
	struct create_arg	*a = arg;
	const struct refund_in	*in = a->in;
	struct refund		*r = a->out;
	struct order		 locked, o;
	int64_t			 paid, refunded;
	int			 rc;

	memset(r, 0, sizeof(*r));
	a->qty = NULL;
	if ((rc = order_lock(ctx, a->number, &locked)) != SHOP_OK)
		return rc;
	if ((rc = order_get_by_id(ctx, locked.id, 0, &o)) != SHOP_OK)
		return rc;
	if ((rc = sums(ctx, o.id, &paid, &refunded)) != SHOP_OK)
		return rc;
	if (o.paid_at.len == 0 || paid <= 0) {
		field_errors_add(a->errs, "amount", N_("Only a paid order can "
		    "be refunded."));
		return SHOP_EINVAL;
	}
	if (in->restock && o.status == ORDER_CANCELLED) {
		field_errors_add(a->errs, "restock", N_("This order was "
		    "cancelled: its items went back in stock then."));
		return SHOP_EINVAL;
	}
	r->order_id = o.id;
	r->reason = in->reason;
	r->restock = in->restock;
	if (in->amount > 0) {
		r->amount = in->amount;
		by_amount(&o, refunded, r);
	} else if ((rc = by_lines(ctx, a, &o, r)) != SHOP_OK)
		return rc;
	if (r->amount <= 0) {
		field_errors_add(a->errs, "amount", N_("There is nothing to "
		    "refund in these lines."));
		return SHOP_EINVAL;
	}
	if (r->amount > paid - refunded) {
		field_errors_add(a->errs, "amount", N_("That is more than is "
		    "left to refund of this order."));
		return SHOP_EINVAL;
	}
	if ((rc = last_payment(ctx, o.id, r)) != SHOP_OK)
		return rc == SHOP_ENOTFOUND ? SHOP_EDB : rc;
	/* A gateway's refund waits for its answer (refund_settle()). */
	r->status = r->gateway.len ? REFUND_PENDING : REFUND_SUCCEEDED;
	if ((rc = write_refund(ctx, a, &o, r)) != SHOP_OK)
		return rc;
	if ((rc = event(ctx, &o, r, a->who)) != SHOP_OK)
		return rc;
	if (r->status != REFUND_SUCCEEDED)
		return SHOP_OK;
	if ((rc = post(ctx, r, &o)) != SHOP_OK ||
	    (rc = wc_webhook_fire(ctx, "order.updated", o.id)) != SHOP_OK)
		return rc;
	return enqueue(ctx, o.number, r->id);
}

int
refund_create(struct shop_ctx *ctx, int64_t number,
    const struct refund_in *in, const struct order_who *who,
    struct refund *out, struct field_errors *errs)
{
	struct create_arg	a = { number, in, who, out, errs, NULL, NULL,
				    NULL };
	size_t			i;
	int			any = 0;

	errs->n = 0;
	if ((unsigned)who->actor >= NELEM(actor_names))
		return SHOP_EINVAL;
	for (i = 0; i < in->nlines; i++) {
		if (in->lines[i].qty < 0 || in->lines[i].qty > INT32_MAX)
			field_errors_add(errs, "lines", N_("Enter a quantity "
			    "of 0 or more for each line."));
		any |= in->lines[i].qty > 0;
	}
	if (in->amount < 0)
		field_errors_add(errs, "amount", N_("Enter an amount greater "
		    "than zero."));
	else if (in->amount > 0 && any)
		field_errors_add(errs, "amount", N_("Refund either an amount "
		    "or lines, not both."));
	else if (in->amount == 0 && !any)
		field_errors_add(errs, "amount", N_("Enter an amount, or the "
		    "quantities of the lines to refund."));
	if (in->restock && !any)
		field_errors_add(errs, "restock", N_("Only refunded lines can "
		    "go back in stock."));
	if (!str_valid_text(in->reason) ||
	    str_chars(in->reason) > REFUND_REASON_MAX)
		field_errors_add(errs, "refund_reason", N_("A reason has at "
		    "most 500 characters."));
	if (errs->n)
		return SHOP_EINVAL;
	if (number <= 0)
		return SHOP_ENOTFOUND;
	return shop_tx_sales(ctx, create_tx, &a);
}

struct settle_arg {
	int64_t		 id;
	int		 ok;
	struct str	 gateway_ref;
};

static int
settle_tx(struct shop_ctx *ctx, void *arg)
{
	struct settle_arg	*a = arg;
	struct db_stmt		*st = shop_stmt(ctx, &sql[ST_GET]);
	struct refund		 r;
	struct order		 o;
	int			 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, a->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1)
		read_refund(st, &r);
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	if (r.status != REFUND_PENDING)
		return SHOP_ECONFLICT;
	r.status = a->ok ? REFUND_SUCCEEDED : REFUND_FAILED;
	if ((st = shop_stmt(ctx, &sql[ST_SETTLE])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, refund_status_name(r.status));
	db_bind_str(st, 1, a->gateway_ref);
	db_bind_i64(st, 2, r.id);
	rc = shop_exec(ctx, st);
	db_done(st);
	if (rc != SHOP_OK || !a->ok)
		return rc;
	if ((rc = order_get_by_id(ctx, r.order_id, 0, &o)) != SHOP_OK)
		return rc == SHOP_ENOTFOUND ? SHOP_EDB : rc;
	if ((rc = post(ctx, &r, &o)) != SHOP_OK ||
	    (rc = wc_webhook_fire(ctx, "order.updated", o.id)) != SHOP_OK)
		return rc;
	return enqueue(ctx, o.number, r.id);
}

int
refund_settle(struct shop_ctx *ctx, int64_t refund_id, int ok,
    struct str gateway_ref)
{
	struct settle_arg a = { refund_id, ok, gateway_ref };
	size_t i;

	if (gateway_ref.len > 255)
		return SHOP_EINVAL;
	for (i = 0; i < gateway_ref.len; i++)
		if (gateway_ref.p[i] <= ' ' || gateway_ref.p[i] >= 0x7f)
			return SHOP_EINVAL;
	if (refund_id <= 0)
		return SHOP_ENOTFOUND;
	return shop_tx_sales(ctx, settle_tx, &a);
}

int
refund_list(struct shop_ctx *ctx, int64_t order_id, struct refund **out,
    size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LIST]);
	struct refund	*v = NULL;
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		v = shop_grow(ctx->a, v, sizeof(*v), *n, &cap);
		read_refund(st, &v[(*n)++]);
	}
	db_done(st);
	*out = v;
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}
