/*
 * ledger.h: the shop's books, in double entry.
 *
 * The ledger is one table ({p}ledger, sql/shop/007), one row per line,
 * never updated or deleted: a mistake is reversed by new lines. An
 * entry is the lines sharing (kind, ref): "sale" (ref: the order's id),
 * "payment" (the payment's id), "refund" (the refund's id). A unique
 * key on (kind, ref, line_no) posts each entry once, so the second
 * "paid" of an order fails on the key. An entry is posted with one
 * multi-row INSERT, and only when its debits equal its credits: the C
 * code refuses (and logs) an entry that does not balance.
 *
 * Revenue is recognised when an order is paid (ledger_post_sale(),
 * called by payments.c in the transaction that marks it paid): placing
 * an order posts nothing, and an unpaid order that is cancelled never
 * touched the books. Cancelling a paid order posts nothing either: the
 * merchant refunds (refund.h).
 *
 * The accounts are a fixed chart (ledger.c); a payment method names
 * the account its money reaches (payment.h).
 *
 * Entries built here live in the arena given; nothing is kept past a
 * call.
 */
#ifndef SOUK_SHOP_LEDGER_H
#define SOUK_SHOP_LEDGER_H

#include <stddef.h>
#include <stdint.h>
#include "core/arena.h"
#include "core/strbuf.h"
#include "shop/ctx.h"

struct order;

/* The chart of accounts: the code is the account's number in the
 * books and in {p}ledger.account. */
enum ledger_account {
	LEDGER_RECEIVABLE = 1100,	/* owed by customers */
	LEDGER_BANK = 1210,		/* bank transfers */
	LEDGER_CASH = 1220,		/* cash on delivery */
	LEDGER_CHEQUES = 1230,
	LEDGER_GATEWAY = 1240,		/* the card gateway's balance */
	LEDGER_TAX = 2200,		/* tax payable */
	LEDGER_SALES = 4000,
	LEDGER_DISCOUNTS = 4010,	/* debit */
	LEDGER_REFUNDS = 4020,		/* debit */
	LEDGER_SHIPPING = 4100,
	LEDGER_FEES = 6100,		/* payment fees */
};

/* The account's name, untranslated (N_(): the caller gettexts it), or
 * NULL for a code not in the chart. */
const char	*ledger_account_name(int code);

#define LEDGER_NO_RATE		(-1)	/* tax_rate NULL */
#define LEDGER_LINES_MAX	64	/* lines of one entry */

struct ledger_line {
	int		account;
	int64_t		debit;		/* >= 0, exactly one of them > 0 */
	int64_t		credit;
	int32_t		tax_rate;	/* millionths, or LEDGER_NO_RATE */
	char		country[3];	/* "DE", or "" */
};

struct ledger_entry {
	const char	*kind;		/* "sale", "payment", "refund" */
	int64_t		 ref_id;
	int64_t		 order_id;
	struct ledger_line lines[LEDGER_LINES_MAX];
	size_t		 n;
	int		 overflow;	/* a line did not fit: not posted */
};

/* An empty entry of kind (a literal) for ref and order. */
void	ledger_entry_init(struct ledger_entry *e, const char *kind,
	    int64_t ref_id, int64_t order_id);

/*
 * Adds amount to account on the debit (debit nonzero) or credit side,
 * at tax_rate and country ("" or NULL: none), merged with a line of
 * the same account, side, rate and country. A zero amount adds
 * nothing; a negative one goes to the other side.
 */
void	ledger_add(struct ledger_entry *e, int account, int debit,
	    int64_t amount, int32_t tax_rate, const char *country);

/* Nonzero when e has lines, all fitted, and its debits equal its
 * credits. */
int	ledger_balanced(const struct ledger_entry *e);

/* Sums of e's lines on account: debit minus credit. */
int64_t	ledger_net(const struct ledger_entry *e, int account);

/*
 * The sale entry of order o (with its lines, order_get()) from its
 * stored figures: Dr 1100 total; Dr 4010 the discounts net of their
 * tax, per rate; Cr 4000 the lines net of tax before discount, per
 * rate; Cr 4100 the shipping net of its tax; Cr 2200 per (rate,
 * country) the lines' tax and the shipping's, split over the lines'
 * rates as the quote did (quote_shipping_tax_split()). country is the
 * shipping address's, else the billing's. Returns SHOP_OK, or
 * SHOP_EINVAL when the order's figures do not add up (the entry would
 * not balance): logged, nothing to post.
 */
int	ledger_sale_entry(const struct order *o, struct ledger_entry *e);

/* The country whose tax an order's is, in buf ("" when none): where
 * it was shipped, else the billing address's. Returns buf. */
const char	*ledger_tax_country(const struct order *o, char buf[3]);

/*
 * Posts e in the caller's transaction with one INSERT. Returns SHOP_OK;
 * SHOP_ECONFLICT when this entry was posted already (nothing written);
 * SHOP_EDB when e does not balance (logged, never posted) or the
 * database fails.
 */
int	ledger_post(struct shop_ctx *ctx, const struct ledger_entry *e);

/*
 * The order's sale entry (o with its lines), in the caller's
 * transaction, unless it is posted already (then SHOP_OK too: the key
 * says so). An order of nothing (every figure 0) has no entry.
 * SHOP_OK, SHOP_EDB (the entry does not balance, or the database).
 */
int	ledger_post_sale(struct shop_ctx *ctx, const struct order *o);

/*
 * What order order_id was paid, refunded (succeeded refunds) and is
 * still due: total - paid for an open order; refunded - paid once it
 * is cancelled (negative: to refund). SHOP_OK, SHOP_ENOTFOUND,
 * SHOP_EDB.
 */
int	ledger_order_money(struct shop_ctx *ctx, int64_t order_id,
	    int64_t *paid, int64_t *refunded, int64_t *due);

/*
 * Checks the shop's books: every entry balances, the whole ledger
 * balances, and for each order: its sale is posted iff it was paid
 * (paid_at set), 1100 nets to 0 once paid, its payments sum to its
 * total, and its refund entries to its succeeded refunds. Appends the
 * first problems found to report, one a line (untranslated: for
 * sysadmins and tests), and a last line with the counts. *problems
 * gets how many were found. SHOP_OK (look at *problems) or SHOP_EDB.
 */
int	ledger_check(struct shop_ctx *ctx, struct strbuf *report,
	    size_t *problems);

#endif
