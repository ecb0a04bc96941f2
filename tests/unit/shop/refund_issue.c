/*
 * tests/unit/shop/refund_issue.c: refunds of a card payment through the
 * Stripe stand-in. A refund is sent under "refund-<id>" and settled by
 * Stripe's answer (its id kept, the entry posted); with Stripe down it
 * stays pending with no answer, and refund_issue_retry() sends it again
 * once it is a minute old, settling it; an offline order's refund never
 * reaches Stripe.
 */
#include "core/common.h"

#include <time.h>
#include "core/secret.h"
#include "platform/stripe.h"
#include "shop/card.h"
#include "shop/gateway.h"
#include "shop/order.h"
#include "shop/refund_issue.h"
#include "shop/shop.h"
#include "test.h"
#include "dbtest.h"
#include "stripetest.h"

#define KEY	"sk_test_refund000000000000001"
#define WHSEC	"whsec_refund0000000000000001"

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

static void
refunds(struct db *db, struct shop_ctx *c, int64_t product)
{
	struct card_reconcile_stats	 st;
	struct refund_in		 in;
	struct refund			 out;
	struct order_who		 who = { ORDER_BY_STAFF, 1,
					    STR("a@b.test") };
	struct field_errors		 errs = { .n = 0 };
	struct strbuf			 sb = STRBUF_INIT;
	const char			*url = NULL;
	char				 detail[256], path[128];
	int64_t				 sent = 0;

	(void)pending_order(db, c->tenant, 1001, product);
	TEST_CHECK(card_checkout(c, 1001, &ret, &url, detail,
	    sizeof(detail)) == SHOP_OK);
	TEST_CHECK(snprintf(path, sizeof(path), "/_test/pay/%s",
	    sid_of(url)) < (int)sizeof(path));
	TEST_CHECK(stripetest_control(path, "{}") == 200);
	TEST_CHECK(card_reconcile(c, 0, &st) == SHOP_OK && st.paid == 1);

	memset(&in, 0, sizeof(in));
	in.amount = 300;
	in.reason = STR("");
	TEST_CHECK(refund_issue(c, 1001, &in, &who, &out, &errs) == SHOP_OK);
	TEST_CHECK(out.status == REFUND_SUCCEEDED);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}refunds WHERE"
	    " status = 'succeeded' AND gateway_ref LIKE 're\\_%'", 0) == 1);
	TEST_CHECK(stripetest_get("/_test/requests", &sb) == 200);
	TEST_CHECK(strstr(sb.buf, arena_printf(&a, "\"refund-%lld\"",
	    (long long)out.id)) != NULL);

	/* Stripe down: pending, no answer; sent again later. */
	TEST_CHECK(stripetest_control("/_test/down", "{\"on\": true}") ==
	    200);
	in.amount = 200;
	TEST_CHECK(refund_issue(c, 1001, &in, &who, &out, &errs) == SHOP_OK);
	TEST_CHECK(out.status == REFUND_PENDING);
	TEST_CHECK(refund_issue_retry(c, &sent) == SHOP_OK && sent == 0);
	TEST_CHECK(stripetest_control("/_test/down", "{\"on\": false}") ==
	    200);
	/* Younger than a minute: left to the request that sends it. */
	TEST_CHECK(refund_issue_retry(c, &sent) == SHOP_OK && sent == 0);
	run(db, c->tenant, "UPDATE {p}refunds SET created_at = created_at -"
	    " INTERVAL 2 MINUTE WHERE id = ?", out.id);
	TEST_CHECK(refund_issue_retry(c, &sent) == SHOP_OK && sent == 1);
	TEST_CHECK(num(db, c->tenant, "SELECT COUNT(*) FROM {p}refunds WHERE"
	    " status = 'succeeded'", 0) == 2);
	TEST_CHECK(refund_issue_retry(c, &sent) == SHOP_OK && sent == 0);
	strbuf_release(&sb);
}

int
main(void)
{
	struct db		*db = dbtest_open("unit/shop/refund_issue");
	static const unsigned char k[SECRET_KEY_BYTES] = "refund test key";
	struct field_errors	 errs = { .n = 0 };
	struct gateway_connect	 in = { STR(KEY), STR(WHSEC), 1 };
	char			 detail[256];
	int64_t			 s1, product = 0;

	arena_init(&a);
	secret_set_key(k);
	s1 = dbtest_shop(db, "refiss", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0);
	if (stripetest_start(KEY, NULL) == -1) {
		TEST_CHECK(!"stand-in started");
		stripetest_stop();
		return test_done();
	}
	{
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct db_stmt *st = db_prepare(db, "INSERT INTO {p}products"
		    " (slug, price, stock) VALUES ('cap', 500, 48)", s1);

		TEST_CHECK(st != NULL && db_exec(st, NULL) == 0);
		product = (int64_t)db_insert_id(st);
		db_done(st);
		TEST_CHECK(gateway_stripe_connect(&c1, &in, &errs, detail,
		    sizeof(detail)) == SHOP_OK);
		refunds(db, &c1, product);
	}
	stripetest_stop();
	arena_free(&a);
	db_close(db);
	config_free();
	return test_done();
}
