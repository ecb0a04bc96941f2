/*
 * tests/unit/shop/returns.c: returns (shop/rma.c) on the real
 * database: the table of changes for staff and shopper; what may be
 * asked (shipped or completed, within return_days, 0 = none, units
 * not refunded nor on an open return, lines of this order only, the
 * reason and the note's limit in characters); approve, receive with
 * the stock back, refund through refund_create() (the refund's lines,
 * the return's refund id, no second restock); refused units free
 * again; the mails queued with each change, rendered in the order's
 * language (German, Japanese with its numbers in its own order), the
 * merchant's copy of a request in the shop's; another shop's return is
 * not there.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/i18n.h"
#include "platform/jobs.h"
#include "platform/tenant.h"
#include "shop/notify.h"
#include "shop/rma.h"
#include "shop/settings.h"
#include "test.h"
#include "dbtest.h"

static int64_t shop1, shop2, product;

static int64_t
num(struct db *db, int64_t shop, const char *q, int64_t arg)
{
	struct db_stmt	*st = db_prepare(db, q, shop);
	int64_t		 v = -1;

	if (st == NULL)
		return -1;
	if (strchr(q, '?') != NULL)
		db_bind_i64(st, 0, arg);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

static int
run(struct db *db, int64_t shop, const char *q, int64_t arg)
{
	struct db_stmt	*st = db_prepare(db, q, shop);
	int		 rc;

	if (st == NULL)
		return -1;
	if (strchr(q, '?') != NULL)
		db_bind_i64(st, 0, arg);
	rc = db_exec(st, NULL);
	db_done(st);
	return rc;
}

/*
 * Order number of shop in status, paid by bank transfer, with 2 caps
 * (line 1) and 1 more cap (line 2), shipped days_ago days ago (-1: not
 * shipped). Its id.
 */
static int64_t
order(struct db *db, int64_t shop, int64_t number, const char *status,
    int days_ago)
{
	struct db_stmt	*st;
	char		 idem[33];
	int64_t		 id;

	st = db_prepare(db, "INSERT INTO {p}orders (number, status, email,"
	    " locale, idem_key, access_key, currency, prices_include_tax,"
	    " subtotal, discount, shipping, shipping_tax, tax, total,"
	    " display_currency, fx_rate, display_total, payment_method,"
	    " bill_name, paid_at) VALUES (?, ?, 'anna@example.com', 'de', ?,"
	    " '00112233445566778899aabbccddeeff', 'EUR', 1, 5985, 0, 0, 0,"
	    " 956, 5985, 'EUR', 100000000, 5985, 'bacs', 'Anna Schmidt',"
	    " UTC_TIMESTAMP())", shop);
	if (st == NULL)
		return 0;
	crypto_random_hex(idem, 16);
	db_bind_i64(st, 0, number);
	db_bind_cstr(st, 1, status);
	db_bind_cstr(st, 2, idem);
	if (db_exec(st, NULL) == -1)
		return 0;
	id = (int64_t)db_insert_id(st);
	db_done(st);
	st = db_prepare(db, "INSERT INTO {p}order_lines (order_id, product_id,"
	    " variant_id, name, variant, qty, unit_price, tax_class, tax_rate,"
	    " subtotal, discount, tax, total) VALUES"
	    " (?, ?, 0, 'Mütze', '', 2, 1995, 'standard', 190000, 3990, 0, 637,"
	    " 3990), (?, ?, 0, 'Mütze', 'blau', 1, 1995, 'standard', 190000,"
	    " 1995, 0, 319, 1995)", shop);
	db_bind_i64(st, 0, id);
	db_bind_i64(st, 1, product);
	db_bind_i64(st, 2, id);
	db_bind_i64(st, 3, product);
	if (db_exec(st, NULL) == -1)
		return 0;
	db_done(st);
	TEST_CHECK(run(db, shop, "INSERT INTO {p}payments (order_id, method,"
	    " amount) VALUES (?, 'bacs', 5985)", id) == 0);
	if (days_ago >= 0) {
		st = db_prepare(db, "UPDATE {p}orders SET shipped_at ="
		    " UTC_TIMESTAMP() - INTERVAL ? DAY WHERE id = ?", shop);
		db_bind_i64(st, 0, days_ago);
		db_bind_i64(st, 1, id);
		TEST_CHECK(db_exec(st, NULL) == 0);
		db_done(st);
	}
	return id;
}

static int64_t
line_id(struct db *db, int64_t order_id, int which)
{
	return num(db, shop1, which == 1 ? "SELECT MIN(id) FROM"
	    " {p}order_lines WHERE order_id = ?" : "SELECT MAX(id) FROM"
	    " {p}order_lines WHERE order_id = ?", order_id);
}

static int64_t
stock(struct db *db)
{
	return num(db, shop1, "SELECT stock FROM {p}products WHERE id = ?",
	    product);
}

static int64_t
jobs(struct db *db, const char *kind)
{
	struct db_stmt	*st;
	int64_t		 v = -1;

	st = db_prepare(db, "SELECT COUNT(*) FROM souk_jobs WHERE tenant_id = ?"
	    " AND kind = ?", 0);
	db_bind_i64(st, 0, shop1);
	db_bind_cstr(st, 1, kind);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	db_done(st);
	return v;
}

/* Asks to return qty1 of line 1 and qty2 of line 2 of order number. */
static int
ask(struct shop_ctx *c, int64_t number, int64_t l1, int64_t qty1,
    int64_t l2, int64_t qty2, struct rma *out, enum rma_why *why,
    struct field_errors *errs)
{
	struct order_who	who = { ORDER_BY_SHOPPER, 0, STR("") };
	struct rma_line_in	lines[2] = { { l1, qty1 }, { l2, qty2 } };
	struct rma_in		in;

	memset(&in, 0, sizeof(in));
	in.lines = lines;
	in.nlines = 2;
	in.reason = RMA_DAMAGED;
	in.note = STR("Der Deckel war kaputt.");
	in.locale = STR("de");
	return rma_request(c, number, &in, &who, out, why, errs);
}

static int
has_error(const struct field_errors *errs, const char *field)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		if (strcmp(errs->v[i].field, field) == 0)
			return 1;
	return 0;
}

static void
table(void)
{
	static const int staff[RMA__MAX][RMA__MAX] = {
		[RMA_REQUESTED] = { [RMA_APPROVED] = 1, [RMA_REFUSED] = 1,
		    [RMA_CANCELLED] = 1 },
		[RMA_APPROVED] = { [RMA_RECEIVED] = 1, [RMA_CANCELLED] = 1,
		    [RMA_REFUNDED] = 1 },
		[RMA_RECEIVED] = { [RMA_REFUNDED] = 1 },
	};
	int from, to;
	enum rma_status s;
	enum rma_reason r;

	for (from = 0; from < RMA__MAX; from++)
		for (to = 0; to < RMA__MAX; to++) {
			TEST_CHECK(rma_allowed(from, to, ORDER_BY_STAFF) ==
			    staff[from][to]);
			TEST_CHECK(rma_allowed(from, to, ORDER_BY_SHOPPER) ==
			    (from == RMA_REQUESTED && to == RMA_CANCELLED));
		}
	for (from = 0; from < RMA__MAX; from++) {
		TEST_CHECK(rma_status_parse(str_c(rma_status_name(from)), &s)
		    == 0 && (int)s == from);
		TEST_CHECK(rma_status_label(from)[0] != '\0');
	}
	for (from = 0; from < RMA_REASON__MAX; from++)
		TEST_CHECK(rma_reason_parse(str_c(rma_reason_name(from)), &r)
		    == 0 && (int)r == from);
	TEST_CHECK(rma_status_parse(STR("lost"), &s) == -1);
	TEST_CHECK(rma_reason_parse(STR(""), &r) == -1);
}

/* Orders not shipped, too old, or of a shop without returns: none. */
static void
closed(struct db *db, struct shop_ctx *c)
{
	struct field_errors	 errs;
	struct shop_settings	 s;
	enum rma_why		 why;
	struct rma		 out;
	struct order		 o;
	struct rma_open		 op;
	int64_t			 id;

	id = order(db, shop1, 2001, "processing", -1);
	TEST_CHECK(ask(c, 2001, line_id(db, id, 1), 1, 0, 0, &out, &why,
	    &errs) == SHOP_EDENIED && why == RMA_NOT_SHIPPED);
	id = order(db, shop1, 2002, "shipped", 31);
	TEST_CHECK(ask(c, 2002, line_id(db, id, 1), 1, 0, 0, &out, &why,
	    &errs) == SHOP_EDENIED && why == RMA_TOO_LATE);
	TEST_CHECK(order_get(c, 2002, 0, &o) == SHOP_OK);
	TEST_CHECK(rma_open(c, &o, &op) == SHOP_OK && op.why == RMA_TOO_LATE &&
	    op.days == 30);
	/* Completed without a shipment: from its completion. */
	id = order(db, shop1, 2003, "completed", -1);
	TEST_CHECK(run(db, shop1, "INSERT INTO {p}order_events (order_id, at,"
	    " actor, kind, from_status, to_status, note) VALUES (?,"
	    " UTC_TIMESTAMP() - INTERVAL 2 DAY, 'staff', 'status',"
	    " 'processing', 'completed', '')", id) == 0);
	TEST_CHECK(order_get(c, 2003, 0, &o) == SHOP_OK);
	TEST_CHECK(rma_open(c, &o, &op) == SHOP_OK && op.why == RMA_OPEN &&
	    op.left[0] == 2 && op.left[1] == 1);
	/* return_days 0: the shop takes none. */
	TEST_CHECK(settings_get(c, &s) == SHOP_OK);
	s.return_days = 0;
	TEST_CHECK(settings_save(c, &s, &errs) == SHOP_OK);
	TEST_CHECK(rma_open(c, &o, &op) == SHOP_OK &&
	    op.why == RMA_NO_RETURNS);
	s.return_days = 3651;
	TEST_CHECK(settings_save(c, &s, &errs) == SHOP_EINVAL &&
	    has_error(&errs, "return_days"));
	s.return_days = 30;
	TEST_CHECK(settings_save(c, &s, &errs) == SHOP_OK);
	TEST_CHECK(rma_open(c, &o, &op) == SHOP_OK && op.why == RMA_OPEN);
	TEST_CHECK(ask(c, 999999, 1, 1, 0, 0, &out, &why, &errs) ==
	    SHOP_ENOTFOUND);
}

/* Bad requests: nothing written. */
static void
refused_input(struct db *db, struct shop_ctx *c, int64_t id, int64_t other)
{
	struct order_who	 who = { ORDER_BY_SHOPPER, 0, STR("") };
	struct rma_line_in	 one = { line_id(db, id, 1), 1 };
	struct field_errors	 errs;
	struct rma_in		 in;
	struct rma		 out;
	int64_t			 l1 = line_id(db, id, 1), l2 = line_id(db, id,
				    2);
	int64_t			 before = num(db, shop1, "SELECT COUNT(*) FROM"
				    " {p}returns", 0);
	char			 note[3 * (RMA_NOTE_MAX + 1) + 1];
	size_t			 i;

	TEST_CHECK(ask(c, 3001, l1, 3, 0, 0, &out, NULL, &errs) ==
	    SHOP_EINVAL && errs.n == 1 && strncmp(errs.v[0].field, "qty_", 4)
	    == 0);
	TEST_CHECK(ask(c, 3001, line_id(db, other, 1), 1, 0, 0, &out, NULL,
	    &errs) == SHOP_EINVAL && has_error(&errs, "lines"));
	TEST_CHECK(ask(c, 3001, l1, 0, l2, 0, &out, NULL, &errs) ==
	    SHOP_EINVAL && has_error(&errs, "lines"));
	TEST_CHECK(ask(c, 3001, l1, -1, 0, 0, &out, NULL, &errs) ==
	    SHOP_EINVAL && has_error(&errs, "lines"));
	/* The same line twice is one line asked twice: refused. */
	TEST_CHECK(ask(c, 3001, l1, 1, l1, 1, &out, NULL, &errs) ==
	    SHOP_EINVAL && has_error(&errs, "lines"));
	memset(&in, 0, sizeof(in));
	in.lines = &one;
	in.nlines = 1;
	in.reason = RMA_REASON__MAX;
	TEST_CHECK(rma_request(c, 3001, &in, &who, &out, NULL, &errs) ==
	    SHOP_EINVAL && has_error(&errs, "reason"));
	/* 1001 characters of three bytes: too long; 1000: fine. */
	in.reason = RMA_OTHER;
	for (i = 0; i < RMA_NOTE_MAX + 1; i++)
		memcpy(note + 3 * i, "\xe8\xbf\x94", 3);
	in.note = (struct str){ note, 3 * (RMA_NOTE_MAX + 1) };
	TEST_CHECK(rma_request(c, 3001, &in, &who, &out, NULL, &errs) ==
	    SHOP_EINVAL && has_error(&errs, "note"));
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}returns", 0) ==
	    before);
	in.note.len = 3 * RMA_NOTE_MAX;
	TEST_CHECK(rma_request(c, 3001, &in, &who, &out, NULL, &errs) ==
	    SHOP_OK && out.note.len == 3 * RMA_NOTE_MAX);
	/* Cancelled by the shopper: its unit is free again. */
	{
		struct rma_change ch = { .to = RMA_CANCELLED };

		TEST_CHECK(rma_set(c, out.id, &who, &ch, &errs) == SHOP_OK);
	}
}

static void
life(struct db *db, struct shop_ctx *c, struct shop_ctx *c2)
{
	struct order_who	 shopper = { ORDER_BY_SHOPPER, 0, STR("") };
	struct order_who	 staff = { ORDER_BY_STAFF, 0,
				    STR("owner@example.com") };
	struct rma_change	 ch;
	struct field_errors	 errs;
	struct refund		 ref;
	struct rma		 r, r2, *v;
	struct rma_open		 op;
	struct order		 o;
	size_t			 n;
	int64_t			 id, other, l1, l2, s0, next;

	id = order(db, shop1, 3001, "shipped", 2);
	other = order(db, shop1, 3002, "shipped", 2);
	l1 = line_id(db, id, 1);
	l2 = line_id(db, id, 2);
	refused_input(db, c, id, other);

	TEST_CHECK(ask(c, 3001, l1, 1, l2, 1, &r, NULL, &errs) == SHOP_OK);
	TEST_CHECK(r.id > 0 && r.status == RMA_REQUESTED && r.nlines == 2 &&
	    r.order_number == 3001 && str_eqc(r.locale, "de"));
	TEST_CHECK(jobs(db, "shop.return_requested") == 4);
	/* What is on an open return cannot be asked again. */
	TEST_CHECK(order_get(c, 3001, 0, &o) == SHOP_OK);
	TEST_CHECK(rma_open(c, &o, &op) == SHOP_OK && op.left[0] == 1 &&
	    op.left[1] == 0);
	TEST_CHECK(ask(c, 3001, l2, 1, 0, 0, &r2, NULL, &errs) ==
	    SHOP_EINVAL);
	/* The shopper cannot approve; staff can, once. */
	memset(&ch, 0, sizeof(ch));
	ch.to = RMA_APPROVED;
	ch.note = STR("Bitte an Lager 3 senden.");
	TEST_CHECK(rma_set(c, r.id, &shopper, &ch, &errs) == SHOP_EDENIED);
	TEST_CHECK(rma_set(c, r.id, &staff, &ch, &errs) == SHOP_OK);
	TEST_CHECK(rma_set(c, r.id, &staff, &ch, &errs) == ORDER_SAME);
	TEST_CHECK(jobs(db, "shop.return_approved") == 1);
	/* Another shop has no such return. */
	TEST_CHECK(rma_get(c2, r.id, &r2) == SHOP_ENOTFOUND);
	TEST_CHECK(rma_set(c2, r.id, &staff, &ch, &errs) == SHOP_ENOTFOUND);
	TEST_CHECK(rma_refund(c2, r.id, &staff, &ref, &errs) ==
	    SHOP_ENOTFOUND);
	/* Received, back in stock. */
	s0 = stock(db);
	memset(&ch, 0, sizeof(ch));
	ch.to = RMA_RECEIVED;
	ch.restock = 1;
	TEST_CHECK(rma_set(c, r.id, &staff, &ch, &errs) == SHOP_OK);
	TEST_CHECK(stock(db) == s0 + 2);
	TEST_CHECK(jobs(db, "shop.return_received") == 1);
	ch.to = RMA_APPROVED;
	TEST_CHECK(rma_set(c, r.id, &staff, &ch, &errs) == SHOP_EDENIED);
	/* Refunded: the lines' own figures, no second restock. */
	TEST_CHECK(rma_refund(c, r.id, &staff, &ref, &errs) == SHOP_OK);
	TEST_CHECK(ref.id > 0 && ref.amount == 1995 + 1995 && !ref.restock);
	TEST_CHECK(stock(db) == s0 + 2);
	TEST_CHECK(rma_get(c, r.id, &r2) == SHOP_OK &&
	    r2.status == RMA_REFUNDED && r2.refund_id == ref.id &&
	    !r2.refunding &&
	    r2.restock && str_eqc(r2.merchant_note,
	    "Bitte an Lager 3 senden."));
	TEST_CHECK(rma_refund(c, r.id, &staff, &ref, &errs) == ORDER_SAME);
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}refunds WHERE"
	    " order_id = ?", id) == 1);
	/* Left: one unit of line 1 (the refund counts the rest). */
	TEST_CHECK(rma_open(c, &o, &op) == SHOP_OK && op.why == RMA_OPEN &&
	    op.left[0] == 1 && op.left[1] == 0);
	/* A unit refunded by hand cannot be returned. */
	{
		struct refund_line_in	rl = { l1, 1 };
		struct refund_in	in;

		memset(&in, 0, sizeof(in));
		in.lines = &rl;
		in.nlines = 1;
		TEST_CHECK(refund_create(c, 3001, &in, &staff, &ref, &errs) ==
		    SHOP_OK);
	}
	TEST_CHECK(rma_open(c, &o, &op) == SHOP_OK &&
	    op.why == RMA_NOTHING_LEFT);
	TEST_CHECK(ask(c, 3001, l1, 1, 0, 0, &r2, NULL, &errs) ==
	    SHOP_EDENIED);

	/* Refused: the units are free again, and the refusal mailed. */
	TEST_CHECK(ask(c, 3002, line_id(db, other, 1), 2, 0, 0, &r2, NULL,
	    &errs) == SHOP_OK);
	memset(&ch, 0, sizeof(ch));
	ch.to = RMA_REFUSED;
	ch.note = STR("Gebraucht.");
	TEST_CHECK(rma_set(c, r2.id, &staff, &ch, &errs) == SHOP_OK);
	TEST_CHECK(jobs(db, "shop.return_refused") == 1);
	TEST_CHECK(rma_refund(c, r2.id, &staff, &ref, &errs) ==
	    SHOP_EDENIED);
	TEST_CHECK(order_get(c, 3002, 0, &o) == SHOP_OK);
	TEST_CHECK(rma_open(c, &o, &op) == SHOP_OK && op.left[0] == 2);
	/* The lists. */
	TEST_CHECK(rma_of_order(c, id, &v, &n) == SHOP_OK && n == 2 &&
	    v[1].id == r.id && v[1].nlines == 2 && v[0].nlines == 1);
	TEST_CHECK(rma_list(c, RMA_REFUSED, 0, &v, &n, &next) == SHOP_OK &&
	    n == 1 && v[0].id == r2.id && next == 0);
	TEST_CHECK(rma_list(c, -1, 0, &v, &n, &next) == SHOP_OK && n == 3 &&
	    v[0].id > v[1].id);
	TEST_CHECK(rma_count_requested(c) == 0);
	TEST_CHECK(rma_list(c2, -1, 0, &v, &n, &next) == SHOP_OK && n == 0);

	/* Its units refunded by hand since it was approved: the return's
	 * refund is refused, and the return stays approved. */
	TEST_CHECK(ask(c, 3002, line_id(db, other, 1), 2, 0, 0, &r2, NULL,
	    &errs) == SHOP_OK);
	memset(&ch, 0, sizeof(ch));
	ch.to = RMA_APPROVED;
	TEST_CHECK(rma_set(c, r2.id, &staff, &ch, &errs) == SHOP_OK);
	{
		struct refund_line_in	rl = { line_id(db, other, 1), 2 };
		struct refund_in	in;

		memset(&in, 0, sizeof(in));
		in.lines = &rl;
		in.nlines = 1;
		TEST_CHECK(refund_create(c, 3002, &in, &staff, &ref, &errs) ==
		    SHOP_OK);
	}
	s0 = num(db, shop1, "SELECT COUNT(*) FROM {p}refunds", 0);
	TEST_CHECK(rma_refund(c, r2.id, &staff, &ref, &errs) == SHOP_EINVAL &&
	    errs.n > 0);
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}refunds", 0) == s0);
	TEST_CHECK(rma_get(c, r2.id, &r) == SHOP_OK &&
	    r.status == RMA_APPROVED && r.refund_id == 0 && !r.refunding);
	/* A refund under way (another click's): this one stops. */
	TEST_CHECK(run(db, shop1, "UPDATE {p}returns SET refunding = 1 WHERE"
	    " id = ?", r2.id) == 0);
	TEST_CHECK(rma_refund(c, r2.id, &staff, &ref, &errs) ==
	    SHOP_ECONFLICT && has_error(&errs, "status"));
	TEST_CHECK(num(db, shop1, "SELECT COUNT(*) FROM {p}refunds", 0) == s0);
	TEST_CHECK(run(db, shop1, "UPDATE {p}returns SET refunding = 0 WHERE"
	    " id = ?", r2.id) == 0);
}

/* The mail of kind about return id of order number: its subject and
 * text into subject and text; the result. */
static enum notify_result
mail(struct shop_ctx *c, const struct tenant *t, const char *kind,
    int64_t number, int64_t id, int merchant, char *subject, char *text,
    size_t n)
{
	struct notify		 nt = NOTIFY_INIT;
	struct strbuf		 sub = STRBUF_INIT, txt = STRBUF_INIT,
				 html = STRBUF_INIT;
	struct job		 job;
	char			 to[NOTIFY_TO_MAX + 1], err[256];
	enum notify_result	 rc;

	memset(&job, 0, sizeof(job));
	job.id = 5;
	job.tenant_id = t->id;
	str_copy(job.kind, sizeof(job.kind), str_c(kind));
	strbuf_init(&job.payload, 0);
	strbuf_addf(&job.payload, "{\"order\": %lld, \"return\": %lld%s}",
	    (long long)number, (long long)id, merchant ? ", \"merchant\": 1" :
	    "");
	rc = notify_parts(&nt, c, t, &job, &sub, &txt, &html, to, err,
	    sizeof(err));
	str_copy(subject, n, (struct str){ sub.buf ? sub.buf : "", sub.len });
	str_copy(text, n, (struct str){ txt.buf ? txt.buf : "", txt.len });
	jobs_release(&job);
	strbuf_release(&sub);
	strbuf_release(&txt);
	strbuf_release(&html);
	notify_free(&nt);
	return rc;
}

/* The return mails of return 2 (order 3001, German, refunded) and a
 * Japanese order's. */
static void
mails(struct db *db, struct shop_ctx *c)
{
	struct order_who	 staff = { ORDER_BY_STAFF, 0, STR("") };
	struct rma_change	 ch = { .to = RMA_APPROVED };
	struct field_errors	 errs;
	struct tenant		 t;
	struct rma		 r;
	char			 subject[4096], text[16384];
	int64_t			 id, jid;

	TEST_CHECK(i18n_init(config_get("locale_dir", "build/locale")) == 0);
	TEST_CHECK(tenant_get_by_id(db, shop1, &t) == TENANT_OK);
	id = num(db, shop1, "SELECT MIN(id) FROM {p}returns WHERE status ="
	    " 'refunded'", 0);
	TEST_CHECK(mail(c, &t, NOTIFY_RETURN_REQUESTED, 3001, id, 0, subject,
	    text, sizeof(text)) == NOTIFY_OK);
	TEST_CHECK(strstr(subject, "Rücksendeanfrage zu Bestellung 3001") !=
	    NULL);
	TEST_CHECK(strstr(text, "1 × Mütze\n") != NULL &&
	    strstr(text, "1 × Mütze · blau") != NULL &&
	    strstr(text, "Beschädigt oder defekt angekommen") != NULL &&
	    strstr(text, "Der Deckel war kaputt.") != NULL);
	TEST_CHECK(mail(c, &t, NOTIFY_RETURN_APPROVED, 3001, id, 0, subject,
	    text, sizeof(text)) == NOTIFY_OK);
	TEST_CHECK(strstr(subject, "genehmigt") != NULL &&
	    strstr(text, "Bitte an Lager 3 senden.") != NULL);
	TEST_CHECK(mail(c, &t, NOTIFY_RETURN_RECEIVED, 3001, id, 0, subject,
	    text, sizeof(text)) == NOTIFY_OK && strstr(subject, "angekommen")
	    != NULL);
	/* The merchant's copy: the shop's language, the admin's link. */
	TEST_CHECK(mail(c, &t, NOTIFY_RETURN_REQUESTED, 3001, id, 1, subject,
	    text, sizeof(text)) == NOTIFY_OK);
	TEST_CHECK(strstr(subject, "Rücksendung") != NULL &&
	    strstr(text, "/admin/returns/") != NULL);
	/* Not this order's return, or none: never sent. */
	TEST_CHECK(mail(c, &t, NOTIFY_RETURN_APPROVED, 3002, id, 0, subject,
	    text, sizeof(text)) == NOTIFY_BURY);
	TEST_CHECK(mail(c, &t, NOTIFY_RETURN_APPROVED, 3001, 99999, 0,
	    subject, text, sizeof(text)) == NOTIFY_BURY);
	/* Japanese: the numbers where its sentence puts them. */
	jid = order(db, shop1, 3003, "shipped", 1);
	TEST_CHECK(run(db, shop1, "UPDATE {p}orders SET locale = 'ja' WHERE"
	    " id = ?", jid) == 0);
	TEST_CHECK(ask(c, 3003, line_id(db, jid, 1), 1, 0, 0, &r, NULL,
	    &errs) == SHOP_OK);
	TEST_CHECK(rma_set(c, r.id, &staff, &ch, &errs) == SHOP_OK);
	id = r.id;
	TEST_CHECK(mail(c, &t, NOTIFY_RETURN_REQUESTED, 3003, id, 0, subject,
	    text, sizeof(text)) == NOTIFY_OK);
	TEST_CHECK(strstr(text, arena_printf(c->a, "注文 3003 の商品の返品申請"
	    "（返品 %lld）", (long long)id)) != NULL);
	TEST_CHECK(mail(c, &t, NOTIFY_RETURN_APPROVED, 3003, id, 0, subject,
	    text, sizeof(text)) == NOTIFY_OK);
	TEST_CHECK(strstr(subject, "注文 3003 の返品を承認しました") != NULL);
}

int
main(void)
{
	struct db	*db = dbtest_open("returns");
	struct arena	 a;

	arena_init(&a);
	table();
	shop1 = dbtest_shop(db, "ret1", NULL, NULL, "de", "EUR");
	shop2 = dbtest_shop(db, "ret2", NULL, NULL, "de", "EUR");
	TEST_CHECK(shop1 > 0 && shop2 > 0);
	TEST_CHECK(run(db, shop1, "INSERT INTO {p}products (slug, price, stock)"
	    " VALUES ('cap', 1995, 5)", 0) == 0);
	product = num(db, shop1, "SELECT MAX(id) FROM {p}products", 0);
	{
		struct shop_ctx c1 = { db, &a, shop1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, shop2, "de", "de", "EUR", NULL,
		    NULL, 0 };

		closed(db, &c1);
		life(db, &c1, &c2);
		mails(db, &c1);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
