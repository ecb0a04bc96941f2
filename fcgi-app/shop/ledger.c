/*
 * ledger.c: the shop's books (ledger.h): the chart of accounts, the
 * sale entry from an order's snapshot, posting, and the check.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "db/db.h"
#include "shop/ledger.h"
#include "shop/order.h"
#include "shop/quote.h"
#include "shop/shop.h"

#define RATE_ONE	1000000		/* millionths */
#define REPORT_MAX	10		/* problems written out */

static const struct account {
	int		 code;
	const char	*name;
} chart[] = {
	{ LEDGER_RECEIVABLE, N_("Receivable from customers") },
	{ LEDGER_BANK, N_("Bank (bank transfer)") },
	{ LEDGER_CASH, N_("Cash (cash on delivery)") },
	{ LEDGER_CHEQUES, N_("Cheques") },
	{ LEDGER_GATEWAY, N_("Card gateway balance") },
	{ LEDGER_TAX, N_("Tax payable") },
	{ LEDGER_SALES, N_("Sales") },
	{ LEDGER_DISCOUNTS, N_("Discounts") },
	{ LEDGER_REFUNDS, N_("Refunds") },
	{ LEDGER_SHIPPING, N_("Shipping") },
	{ LEDGER_FEES, N_("Payment fees") },
};

enum stmt {
	ST_MONEY,
	ST_UNBALANCED,
	ST_TOTALS,
	ST_ORDERS,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_MONEY] = { "ledger.money",
	    "SELECT o.total, o.status,"
	    " (SELECT COALESCE(SUM(p.amount), 0) FROM {p}payments p"
	    "  WHERE p.order_id = o.id),"
	    " (SELECT COALESCE(SUM(r.amount), 0) FROM {p}refunds r"
	    "  WHERE r.order_id = o.id AND r.status = 'succeeded')"
	    " FROM {p}orders o WHERE o.id = ?" },
	[ST_UNBALANCED] = { "ledger.unbalanced",
	    "SELECT entry_kind, ref_id, SUM(debit), SUM(credit)"
	    " FROM {p}ledger GROUP BY entry_kind, ref_id"
	    " HAVING SUM(debit) <> SUM(credit) LIMIT 10" },
	[ST_TOTALS] = { "ledger.totals",
	    "SELECT COUNT(*), COALESCE(SUM(debit), 0),"
	    " COALESCE(SUM(credit), 0) FROM {p}ledger" },
	/* NEEDSWORK: one row per order of the shop, read whole; a shop
	 * of millions of orders wants this in pages of ids. */
	[ST_ORDERS] = { "ledger.orders",
	    "SELECT o.number, o.paid_at IS NOT NULL, o.total,"
	    " o.subtotal + o.shipping,"
	    " (SELECT COUNT(*) FROM {p}ledger l WHERE l.entry_kind = 'sale'"
	    "  AND l.ref_id = o.id),"
	    " (SELECT COALESCE(SUM(l.debit - l.credit), 0) FROM {p}ledger l"
	    "  WHERE l.order_id = o.id AND l.account = 1100),"
	    " (SELECT COALESCE(SUM(p.amount), 0) FROM {p}payments p"
	    "  WHERE p.order_id = o.id),"
	    " (SELECT COALESCE(SUM(r.amount), 0) FROM {p}refunds r"
	    "  WHERE r.order_id = o.id AND r.status = 'succeeded'),"
	    " (SELECT COALESCE(SUM(l.credit), 0) FROM {p}ledger l"
	    "  WHERE l.order_id = o.id AND l.entry_kind = 'refund')"
	    " FROM {p}orders o ORDER BY o.id" },
};

const char *
ledger_account_name(int code)
{
	size_t i;

	for (i = 0; i < NELEM(chart); i++)
		if (chart[i].code == code)
			return chart[i].name;
	return NULL;
}

void
ledger_entry_init(struct ledger_entry *e, const char *kind, int64_t ref_id,
    int64_t order_id)
{
	e->kind = kind;
	e->ref_id = ref_id;
	e->order_id = order_id;
	e->n = 0;
	e->overflow = 0;
}

void
ledger_add(struct ledger_entry *e, int account, int debit, int64_t amount,
    int32_t tax_rate, const char *country)
{
	struct ledger_line	*l;
	size_t			 i;

	if (amount == 0)
		return;
	if (amount < 0) {
		debit = !debit;
		amount = -amount;
	}
	if (country == NULL)
		country = "";
	for (i = 0; i < e->n; i++) {
		l = &e->lines[i];
		if (l->account == account && (l->debit > 0) == !!debit &&
		    l->tax_rate == tax_rate && strcmp(l->country, country) ==
		    0) {
			*(debit ? &l->debit : &l->credit) += amount;
			return;
		}
	}
	if (e->n == LEDGER_LINES_MAX) {
		e->overflow = 1;
		return;
	}
	l = &e->lines[e->n++];
	l->account = account;
	l->debit = debit ? amount : 0;
	l->credit = debit ? 0 : amount;
	l->tax_rate = tax_rate;
	l->country[0] = l->country[1] = l->country[2] = '\0';
	if (strlen(country) == 2)
		memcpy(l->country, country, 2);
}

int
ledger_balanced(const struct ledger_entry *e)
{
	int64_t	dr = 0, cr = 0;
	size_t	i;

	if (e->n == 0 || e->overflow)
		return 0;
	for (i = 0; i < e->n; i++) {
		if (e->lines[i].debit < 0 || e->lines[i].credit < 0 ||
		    (e->lines[i].debit > 0) == (e->lines[i].credit > 0))
			return 0;
		dr += e->lines[i].debit;
		cr += e->lines[i].credit;
	}
	return dr == cr;
}

int64_t
ledger_net(const struct ledger_entry *e, int account)
{
	int64_t	v = 0;
	size_t	i;

	for (i = 0; i < e->n; i++)
		if (e->lines[i].account == account)
			v += e->lines[i].debit - e->lines[i].credit;
	return v;
}

const char *
ledger_tax_country(const struct order *o, char buf[3])
{
	struct str c = o->ship.country.len == 2 ? o->ship.country :
	    o->bill.country;

	buf[0] = buf[1] = buf[2] = '\0';
	if (c.len == 2)
		memcpy(buf, c.p, 2);
	return buf;
}

/*
 * The shipping: its net (4100) and its tax (2200) per rate, as the
 * quote split it over the lines, so a VAT return finds the shipping's
 * taxable amount under each rate. Untaxed shipping, or a split that
 * does not give back the stored tax (the lines cost nothing: the
 * shipping's own rate, not stored, applied), is one line of each
 * without a rate.
 */
static void
shipping_lines(const struct order *o, struct ledger_entry *e,
    const char *country)
{
	struct arena	 a;
	int64_t		*net, *out, *share, sum = -1;
	int64_t		 whole = o->prices_include_tax ?
			    o->shipping - o->shipping_tax : o->shipping;
	int32_t		*rates;
	size_t		 i, n = o->nlines;

	/* Scratch of its own: the entry is built without a context. */
	arena_init(&a);
	net = arena_calloc(&a, n + 1, sizeof(*net));
	out = arena_calloc(&a, n + 1, sizeof(*out));
	share = arena_calloc(&a, n + 1, sizeof(*share));
	rates = arena_calloc(&a, n + 1, sizeof(*rates));
	if (n > 0 && o->shipping_tax > 0) {
		for (i = 0; i < n; i++) {
			/* What quote_totals() shared the shipping by:
			 * the line after its discount, as entered. */
			net[i] = o->lines[i].subtotal - o->lines[i].discount;
			rates[i] = o->lines[i].tax_rate;
		}
		sum = quote_shipping_tax_split(net, rates, n, o->shipping,
		    o->prices_include_tax, out);
		if (sum == o->shipping_tax && quote_shipping_shares(net,
		    rates, n, o->shipping, share) == -1)
			sum = -1;
	}
	if (sum != o->shipping_tax || o->shipping_tax == 0) {
		ledger_add(e, LEDGER_SHIPPING, 0, whole, LEDGER_NO_RATE, "");
		if (o->shipping_tax != 0)
			ledger_add(e, LEDGER_TAX, 0, o->shipping_tax,
			    LEDGER_NO_RATE, country);
	} else
		for (i = 0; i < n; i++) {
			if (share[i] == 0 && out[i] == 0)
				continue;	/* not a rate's first line */
			ledger_add(e, LEDGER_SHIPPING, 0,
			    o->prices_include_tax ? share[i] - out[i] :
			    share[i], rates[i], "");
			ledger_add(e, LEDGER_TAX, 0, out[i], rates[i],
			    country);
		}
	arena_free(&a);
}

int
ledger_sale_entry(const struct order *o, struct ledger_entry *e)
{
	char		 cbuf[3];
	const char	*country = ledger_tax_country(o, cbuf);
	size_t		 i;

	ledger_entry_init(e, "sale", o->id, o->id);
	ledger_add(e, LEDGER_RECEIVABLE, 1, o->total, LEDGER_NO_RATE, "");
	for (i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];
		int64_t	dnet = l->discount;

		/* The discount net of its tax share at the line's rate
		 * (any integer balances: the same one goes to 4000 and
		 * 4010). */
		if (o->prices_include_tax && l->tax_rate > 0 && dnet > 0)
			dnet -= quote_muldiv(dnet, l->tax_rate,
			    RATE_ONE + l->tax_rate);
		ledger_add(e, LEDGER_SALES, 0, l->total - l->tax + dnet,
		    l->tax_rate, "");
		ledger_add(e, LEDGER_DISCOUNTS, 1, dnet, l->tax_rate, "");
		ledger_add(e, LEDGER_TAX, 0, l->tax, l->tax_rate, country);
	}
	shipping_lines(o, e, country);
	if (e->n > 0 && !ledger_balanced(e)) {
		log_err("order %lld: sale entry does not balance",
		    (long long)o->number);
		return SHOP_EINVAL;
	}
	return SHOP_OK;
}

#define ROW_PARAMS	9

int
ledger_post(struct shop_ctx *ctx, const struct ledger_entry *e)
{
	static const char head[] = "INSERT INTO {p}ledger (entry_kind,"
	    " ref_id, order_id, line_no, account, debit, credit, tax_rate,"
	    " tax_country, posted_at) VALUES ";
	static const char row[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " UTC_TIMESTAMP())";
	struct shop_sql	 q;
	struct db_stmt	*st;
	char		*text, *p;
	size_t		 i;
	unsigned	 k = 0;
	int		 rc;

	if (!ledger_balanced(e)) {
		log_err("refusing to post %s %lld: it does not balance",
		    e->kind, (long long)e->ref_id);
		return SHOP_EDB;
	}
	/* One statement text per line count: the cache keeps each. */
	text = p = arena_alloc(ctx->a, sizeof(head) + e->n * (sizeof(row) +
	    2));
	memcpy(p, head, sizeof(head) - 1);
	p += sizeof(head) - 1;
	for (i = 0; i < e->n; i++) {
		if (i > 0) {
			*p++ = ',';
			*p++ = ' ';
		}
		memcpy(p, row, sizeof(row) - 1);
		p += sizeof(row) - 1;
	}
	*p = '\0';
	q.name = "ledger.post";
	q.text = text;
	if ((st = shop_stmt(ctx, &q)) == NULL)
		return SHOP_EDB;
	for (i = 0; i < e->n; i++) {
		const struct ledger_line *l = &e->lines[i];

		db_bind_cstr(st, k++, e->kind);
		db_bind_i64(st, k++, e->ref_id);
		db_bind_i64(st, k++, e->order_id);
		db_bind_i64(st, k++, (int64_t)i + 1);
		db_bind_i64(st, k++, l->account);
		db_bind_i64(st, k++, l->debit);
		db_bind_i64(st, k++, l->credit);
		if (l->tax_rate == LEDGER_NO_RATE)
			db_bind_null(st, k++);
		else
			db_bind_i64(st, k++, l->tax_rate);
		db_bind_cstr(st, k++, l->country);
	}
	rc = shop_exec(ctx, st);
	db_done(st);
	return rc;
}

int
ledger_post_sale(struct shop_ctx *ctx, const struct order *o)
{
	struct ledger_entry	*e = arena_alloc(ctx->a, sizeof(*e));
	int			 rc;

	if (ledger_sale_entry(o, e) != SHOP_OK)
		return SHOP_EDB;
	if (e->n == 0)
		return SHOP_OK;
	rc = ledger_post(ctx, e);
	return rc == SHOP_ECONFLICT ? SHOP_OK : rc;
}

int
ledger_order_money(struct shop_ctx *ctx, int64_t order_id, int64_t *paid,
    int64_t *refunded, int64_t *due)
{
	struct db_stmt		*st = shop_stmt(ctx, &sql[ST_MONEY]);
	enum order_status	 status = ORDER_PENDING;
	int64_t			 total = 0;
	int			 rc;

	*paid = *refunded = *due = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, order_id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	if (rc == 1) {
		total = db_col_i64(st, 0);
		(void)order_status_parse(db_col_str(st, 1), &status);
		*paid = db_col_i64(st, 2);
		*refunded = db_col_i64(st, 3);
	}
	db_done(st);
	if (rc != 1)
		return rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
	/* A refund lowers what was owed as much as what was received. */
	*due = status == ORDER_CANCELLED ? *refunded - *paid : total - *paid;
	return SHOP_OK;
}

/* Adds a problem line while fewer than REPORT_MAX were written. */
static void
problem(struct strbuf *report, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(struct strbuf *report, size_t *n, const char *fmt, ...)
{
	va_list ap;

	if ((*n)++ >= REPORT_MAX)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(report, fmt, ap);
	va_end(ap);
	strbuf_addch(report, '\n');
}

static int
check_entries(struct shop_ctx *ctx, struct strbuf *report, size_t *n,
    int64_t *lines)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_UNBALANCED]);
	int		 rc;

	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1)
		problem(report, n, "entry %s %lld does not balance: debits "
		    "%lld, credits %lld", db_col_str(st, 0).p,
		    (long long)db_col_i64(st, 1),
		    (long long)db_col_i64(st, 2),
		    (long long)db_col_i64(st, 3));
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	if ((st = shop_stmt(ctx, &sql[ST_TOTALS])) == NULL ||
	    shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1) {
		*lines = db_col_i64(st, 0);
		if (db_col_i64(st, 1) != db_col_i64(st, 2))
			problem(report, n, "the ledger does not balance: "
			    "debits %lld, credits %lld",
			    (long long)db_col_i64(st, 1),
			    (long long)db_col_i64(st, 2));
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
check_orders(struct shop_ctx *ctx, struct strbuf *report, size_t *n,
    int64_t *orders)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_ORDERS]);
	int		 rc;

	if (st == NULL || shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		long long	number = db_col_i64(st, 0);
		int		paid = db_col_i64(st, 1) != 0;
		int64_t		total = db_col_i64(st, 2);
		int		something = db_col_i64(st, 3) != 0;
		int		sale = db_col_i64(st, 4) > 0;
		int64_t		recv = db_col_i64(st, 5);
		int64_t		payments = db_col_i64(st, 6);
		int64_t		refunds = db_col_i64(st, 7);
		int64_t		posted = db_col_i64(st, 8);

		(*orders)++;
		if (paid && !sale && something)
			problem(report, n, "order %lld: paid, but its sale "
			    "is not posted", number);
		if (!paid && sale)
			problem(report, n, "order %lld: sale posted, but "
			    "not paid", number);
		if (paid && recv != 0)
			problem(report, n, "order %lld: receivable is %lld, "
			    "not 0", number, (long long)recv);
		if (paid && payments != total)
			problem(report, n, "order %lld: payments %lld, "
			    "total %lld", number, (long long)payments,
			    (long long)total);
		if (!paid && payments != 0)
			problem(report, n, "order %lld: payments %lld, but "
			    "not paid", number, (long long)payments);
		if (refunds != posted)
			problem(report, n, "order %lld: refunds %lld, "
			    "posted %lld", number, (long long)refunds,
			    (long long)posted);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

int
ledger_check(struct shop_ctx *ctx, struct strbuf *report, size_t *problems)
{
	int64_t	lines = 0, orders = 0;
	int	rc;

	*problems = 0;
	if ((rc = check_entries(ctx, report, problems, &lines)) != SHOP_OK)
		return rc;
	if ((rc = check_orders(ctx, report, problems, &orders)) != SHOP_OK)
		return rc;
	if (*problems > REPORT_MAX)
		strbuf_addf(report, "(and %zu more)\n", *problems -
		    REPORT_MAX);
	strbuf_addf(report, "%lld ledger lines, %lld orders: %zu "
	    "problem%s\n", (long long)lines, (long long)orders, *problems,
	    *problems == 1 ? "" : "s");
	return SHOP_OK;
}
