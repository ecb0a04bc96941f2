/*
 * tests/unit/shop/card.c: card payments against the Stripe stand-in
 * (tests/stripe_server.py) and the private database. A pending card
 * order gets a Checkout Session (the same one while it is open); its
 * payment found by the reconciliation pays it once, with the fee, the
 * sale and the invoice; the webhook of the same payment, signed, is a
 * no-op, and one with a wrong signature, an old timestamp or a broken
 * body is refused; an "expired" after the payment changes nothing; an
 * event about a session of no order of this shop changes nothing; an
 * order past its hold has its session expired at Stripe and is
 * cancelled with its stock back, while one within it is kept; another
 * shop's reconciliation sees none of it.
 */
#include "core/common.h"

#include <time.h>
#include "core/secret.h"
#include "platform/stripe.h"
#include "shop/card.h"
#include "shop/gateway.h"
#include "shop/order.h"
#include "shop/payments.h"
#include "shop/refund_issue.h"
#include "shop/shop.h"
#include "test.h"
#include "dbtest.h"
#include "stripetest.h"

#define KEY	"sk_test_card00000000000000001"
#define WHSEC	"whsec_card000000000000000001"

static struct arena a;

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

static void
run(struct db *db, int64_t shop, const char *q, int64_t arg)
{
	struct db_stmt *st = db_prepare(db, q, shop);

	TEST_CHECK(st != NULL);
	if (st == NULL)
		return;
	if (strchr(q, '?') != NULL)
		db_bind_i64(st, 0, arg);
	TEST_CHECK(db_exec(st, NULL) == 0);
	db_done(st);
}

/* A pending card order of 2 x 5.00 of product (with VAT 19 %), taken
 * from its stock as order_place() does; its id. */
static int64_t
pending_order(struct db *db, int64_t shop, int64_t number, int64_t product)
{
	struct db_stmt	*st;
	char		 idem[33];
	int64_t		 id;

	st = db_prepare(db, "INSERT INTO {p}orders (number, status, email,"
	    " locale, idem_key, access_key, currency, prices_include_tax,"
	    " subtotal, discount, shipping, shipping_tax, tax, total,"
	    " display_currency, fx_rate, display_total, payment_method,"
	    " ship_country, created_at) VALUES (?, 'pending',"
	    " 'anna@example.com', 'de', ?, '00112233445566778899aabbccddeeff',"
	    " 'EUR', 1, 1000, 0, 0, 0, 160, 1000, 'EUR', 100000000, 1000,"
	    " 'card', 'DE', UTC_TIMESTAMP())", shop);
	TEST_CHECK(st != NULL);
	crypto_random_hex(idem, 16);
	db_bind_i64(st, 0, number);
	db_bind_cstr(st, 1, idem);
	TEST_CHECK(db_exec(st, NULL) == 0);
	id = (int64_t)db_insert_id(st);
	db_done(st);
	st = db_prepare(db, "INSERT INTO {p}order_lines (order_id,"
	    " product_id, name, qty, unit_price, tax_class, tax_rate,"
	    " subtotal, discount, tax, total) VALUES (?, ?, 'Cap', 2, 500,"
	    " 'standard', 190000, 1000, 0, 160, 1000)", shop);
	db_bind_i64(st, 0, id);
	db_bind_i64(st, 1, product);
	TEST_CHECK(db_exec(st, NULL) == 0);
	db_done(st);
	run(db, shop, "UPDATE {p}products SET stock = stock - 2 WHERE id = ?",
	    product);
	return id;
}

static const struct card_return ret = {
	"http://shop.test/checkout/done/1?key=k&session_id="
	    "{CHECKOUT_SESSION_ID}",
	"http://shop.test/checkout/done/1?key=k&pay=cancelled", "de"
};

/* The session id at the end of the hosted page's url. */
static const char *
sid_of(const char *url)
{
	const char *p = url ? strrchr(url, '/') : NULL;

	return p ? p + 1 : "";
}

static struct str
event(const char *type, const char *sid, const char *status,
    int64_t amount)
{
	return str_c(arena_printf(&a, "{\"id\": \"evt_%s\", \"object\": "
	    "\"event\", \"type\": \"%s\", \"created\": %lld, \"livemode\": "
	    "false, \"data\": {\"object\": {\"id\": \"%s\", \"object\": "
	    "\"checkout.session\", \"status\": \"%s\", \"payment_status\": "
	    "\"%s\", \"amount_total\": %lld, \"currency\": \"eur\", "
	    "\"payment_intent\": \"pi_forged\", \"metadata\": {}}}}", sid,
	    type, (long long)time(NULL), sid, status,
	    strcmp(status, "complete") == 0 ? "paid" : "unpaid",
	    (long long)amount));
}

static enum card_webhook_result
deliver(struct shop_ctx *c, struct str body, const char *secret, int64_t t)
{
	return card_webhook(c, body, str_c(stripe_sig_make(&a, body, secret,
	    t)), (int64_t)time(NULL));
}

/*
 * A refund's event that arrives before Stripe's answer to the request
 * that made it (so before souk kept Stripe's id): found by the refund
 * id souk put in its metadata, for that payment only, and settled once.
 */
static void
refund_event(struct db *db, struct shop_ctx *c, int64_t order_id)
{
	struct refund_in	 in;
	struct refund		 out;
	struct order_who	 who = { ORDER_BY_STAFF, 1, STR("a@b.test") };
	struct field_errors	 errs = { .n = 0 };
	struct payment		*p;
	struct stripe_refund	 ev;
	size_t			 n;

	memset(&in, 0, sizeof(in));
	in.amount = 100;
	in.reason = STR("");
	TEST_CHECK(payment_list(c, order_id, &p, &n) == SHOP_OK && n == 1);
	if (n != 1)
		return;
	TEST_CHECK(refund_create(c, 1001, &in, &who, &out, &errs) ==
	    SHOP_OK);
	TEST_CHECK(out.status == REFUND_PENDING);
	memset(&ev, 0, sizeof(ev));
	ev.id = "re_early";
	ev.status = "succeeded";
	ev.amount = 100;
	ev.refund_id = arena_printf(&a, "%lld", (long long)out.id);
	/* Another payment's: nothing. */
	ev.payment_intent = "pi_someone_else";
	TEST_CHECK(refund_issue_event(c, &ev) == SHOP_OK);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}refunds"
	    " WHERE status = 'pending'", 0) == 1);
	ev.payment_intent = arena_strndup(&a, p[0].gateway_ref.p,
	    p[0].gateway_ref.len);
	TEST_CHECK(refund_issue_event(c, &ev) == SHOP_OK);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}refunds"
	    " WHERE status = 'succeeded' AND gateway_ref = 're_early'",
	    0) == 1);
	/* Again (charge.refunded after refund.created): nothing more. */
	TEST_CHECK(refund_issue_event(c, &ev) == SHOP_OK);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}ledger"
	    " WHERE entry_kind = 'refund'", 0) > 0);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(DISTINCT ref_id) FROM"
	    " {p}ledger WHERE entry_kind = 'refund'", 0) == 1);
}

static void
flow(struct db *db, struct shop_ctx *c, struct shop_ctx *c2, int64_t product)
{
	struct card_reconcile_stats	 st;
	const char			*url = NULL, *url2 = NULL, *sid;
	char				 detail[256], path[128];
	int64_t				 o1, o2, now = time(NULL);
	struct strbuf			 sb = STRBUF_INIT;

	o1 = pending_order(db, c->tenant, 1001, product);
	TEST_CHECK(card_checkout(c, 1001, &ret, &url, detail,
	    sizeof(detail)) == SHOP_OK);
	TEST_CHECK(url != NULL && strstr(url, "/pay/cs_test_") != NULL);
	sid = arena_strdup(&a, sid_of(url));
	/* Open: the same session again, no second one. */
	TEST_CHECK(card_checkout(c, 1001, &ret, &url2, detail,
	    sizeof(detail)) == SHOP_OK);
	TEST_CHECK(url2 != NULL && url != NULL && strcmp(url, url2) == 0);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}card_sessions",
	    0) == 1);
	TEST_CHECK(snprintf(path, sizeof(path), "/_test/sessions/%s", sid) <
	    (int)sizeof(path));
	TEST_CHECK(stripetest_get(path, &sb) == 200);
	TEST_CHECK(strstr(sb.buf, "\"amount_total\": 1000") != NULL);
	TEST_CHECK(strstr(sb.buf, "\"locale\": \"de\"") != NULL);

	/* Not a card order, or not this shop's: nothing to start. */
	TEST_CHECK(card_checkout(c2, 1001, &ret, &url2, detail,
	    sizeof(detail)) == SHOP_ENOTFOUND);

	/* Paid at Stripe, no webhook: the reconciliation pays it. */
	TEST_CHECK(snprintf(path, sizeof(path), "/_test/pay/%s", sid) <
	    (int)sizeof(path));
	TEST_CHECK(stripetest_control(path, "{}") == 200);
	TEST_CHECK(card_reconcile(c, 0, &st) == SHOP_OK);
	TEST_CHECK(st.checked == 1 && st.paid == 1 && st.failed == 0);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}payments"
	    " WHERE order_id = ?", o1) == 1);
	TEST_CHECK(num(db, c->tenant, "SELECT fee FROM {p}payments"
	    " WHERE order_id = ?", o1) == 1000 * 140 / 10000 + 25);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}orders"
	    " WHERE id = ? AND status = 'processing'", o1) == 1);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}invoices"
	    " WHERE order_id = ?", o1) == 1);
	TEST_CHECK(card_reconcile(c, 0, &st) == SHOP_OK && st.checked == 0);

	/* The webhook of it, signed: a no-op (Stripe's own session says
	 * which payment it is). */
	TEST_CHECK(deliver(c, event("checkout.session.completed", sid,
	    "complete", 1000), WHSEC, now) == CARD_WH_OK);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}payments",
	    0) == 1);
	/* Refused: another secret, an old timestamp, a broken body. */
	TEST_CHECK(deliver(c, event("checkout.session.completed", sid,
	    "complete", 1000), "whsec_other", now) == CARD_WH_BAD);
	TEST_CHECK(deliver(c, event("checkout.session.completed", sid,
	    "complete", 1000), WHSEC, now - 3600) == CARD_WH_BAD);
	TEST_CHECK(deliver(c, STR("{\"id\": 1}"), WHSEC, now) ==
	    CARD_WH_BAD);
	TEST_CHECK(card_webhook(c, STR("{}"), STR(""), now) == CARD_WH_BAD);
	/* Expired after completed: still paid. */
	TEST_CHECK(deliver(c, event("checkout.session.expired", sid,
	    "expired", 1000), WHSEC, now) == CARD_WH_OK);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}orders"
	    " WHERE id = ? AND status = 'processing'", o1) == 1);
	/* A session of no order of this shop: nothing. */
	TEST_CHECK(deliver(c, event("checkout.session.completed",
	    "cs_test_nobody", "complete", 1000), WHSEC, now) == CARD_WH_OK);
	/* Not connected: nothing verifies. */
	TEST_CHECK(deliver(c2, event("checkout.session.completed", sid,
	    "complete", 1000), WHSEC, now) == CARD_WH_BAD);

	refund_event(db, c, o1);

	/* Past its hold: expired at Stripe, cancelled, stock back; one
	 * within it is kept. */
	TEST_CHECK(num(db, c->tenant, "SELECT stock FROM {p}products WHERE"
	    " id = ?", product) == 46);
	o2 = pending_order(db, c->tenant, 1002, product);
	TEST_CHECK(card_checkout(c, 1002, &ret, &url, detail,
	    sizeof(detail)) == SHOP_OK);
	sid = arena_strdup(&a, sid_of(url));
	(void)pending_order(db, c->tenant, 1003, product);
	TEST_CHECK(num(db, c->tenant, "SELECT stock FROM {p}products WHERE"
	    " id = ?", product) == 42);
	run(db, c->tenant, "UPDATE {p}orders SET created_at = created_at -"
	    " INTERVAL 61 MINUTE WHERE id = ?", o2);
	TEST_CHECK(card_reconcile(c2, 0, &st) == SHOP_OK && st.checked == 0);
	TEST_CHECK(card_reconcile(c, 0, &st) == SHOP_OK);
	TEST_CHECK(st.checked == 2 && st.cancelled == 1 && st.paid == 0 &&
	    st.failed == 0);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}orders"
	    " WHERE id = ? AND status = 'cancelled'", o2) == 1);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}orders"
	    " WHERE number = 1003 AND status = 'pending'", 0) == 1);
	TEST_CHECK(num(db, c->tenant, "SELECT stock FROM {p}products WHERE"
	    " id = ?", product) == 44);
	TEST_CHECK(snprintf(path, sizeof(path), "/_test/sessions/%s", sid) <
	    (int)sizeof(path));
	TEST_CHECK(stripetest_get(path, &sb) == 200);
	TEST_CHECK(strstr(sb.buf, "\"status\": \"expired\"") != NULL);
	/* Its session cannot be restarted: the order is not due. */
	TEST_CHECK(card_checkout(c, 1002, &ret, &url, detail,
	    sizeof(detail)) == CARD_ENOTDUE);
	/* A session Stripe does not know (another account since): given
	 * up, and a new one made. */
	run(db, c->tenant, "INSERT INTO {p}card_sessions (session_id,"
	    " order_id, url) SELECT 'cs_test_gone', id, 'http://x/pay/gone'"
	    " FROM {p}orders WHERE number = ?", 1003);
	TEST_CHECK(card_checkout(c, 1003, &ret, &url, detail,
	    sizeof(detail)) == SHOP_OK);
	TEST_CHECK(url != NULL && strstr(url, "/pay/cs_test_") != NULL &&
	    strstr(url, "gone") == NULL);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}card_sessions"
	    " WHERE session_id = 'cs_test_gone' AND state = 'expired'",
	    0) == 1);
	strbuf_release(&sb);
}

int
main(void)
{
	struct db		*db = dbtest_open("unit/shop/card");
	static const unsigned char k[SECRET_KEY_BYTES] = "card test key";
	struct field_errors	 errs = { .n = 0 };
	struct gateway_connect	 in = { STR(KEY), STR(WHSEC), 1 };
	char			 detail[256];
	int64_t			 s1, s2, product = 0;

	arena_init(&a);
	secret_set_key(k);
	s1 = dbtest_shop(db, "card1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "card2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	if (stripetest_start(KEY, NULL) == -1) {
		TEST_CHECK(!"stand-in started");
		stripetest_stop();
		return test_done();
	}
	{
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct db_stmt *st = db_prepare(db, "INSERT INTO {p}products"
		    " (slug, price, stock) VALUES ('cap', 500, 48)", s1);

		TEST_CHECK(st != NULL && db_exec(st, NULL) == 0);
		product = (int64_t)db_insert_id(st);
		db_done(st);
		TEST_CHECK(gateway_stripe_connect(&c1, &in, &errs, detail,
		    sizeof(detail)) == SHOP_OK);
		TEST_CHECK(num(db, s1, "SELECT num FROM {p}settings WHERE"
		    " name = 'pay_card'", 0) == 1);
		flow(db, &c1, &c2, product);
	}
	stripetest_stop();
	arena_free(&a);
	db_close(db);
	config_free();
	return test_done();
}
