/*
 * tests/unit/platform/stripe.c: the Stripe client against the stand-in
 * (tests/stripe_server.py, started here as a child on a free port), and
 * the webhook verifier and event parser on their own.
 *
 * Covered: line items summing exactly to the order's total (VAT
 * inclusive EUR with a coupon shared over the lines, US sales tax
 * added, JPY), the form encoding, idempotency (a repeated key gives the
 * same session; the key with other parameters is refused), retrieve
 * with the fee, expire, refunds (partial, repeated, too large), the
 * account check, errors (wrong key, unknown id, refused URL, nothing
 * listening); signatures (good, wrong secret, old and future
 * timestamps, two v1 values one good, v0 ignored, malformed headers,
 * the stand-in's own signature); events of each kind and unknown ones.
 */
#include "core/common.h"

#include <json-c/json.h>
#include <strings.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/strbuf.h"
#include "platform/stripe.h"
#include "test.h"
#include "stripetest.h"

#define KEY	"sk_test_unit0000000000000001"
#define KEY2	"sk_test_unit0000000000000002"

static int64_t
items_sum(const struct stripe_item *v, int n)
{
	int64_t	sum = 0;
	int	i;

	for (i = 0; i < n; i++)
		sum += v[i].unit_amount * v[i].quantity;
	return sum;
}

/* A session for items under idem; its amount_total checked. */
static enum stripe_err
session(struct stripe *s, const char *cur, struct stripe_item *items,
    int n, const char *idem, struct stripe_session *out)
{
	struct stripe_session_new in = {
		.currency = cur, .items = items, .nitems = (size_t)n,
		.success_url = "http://shop.test/checkout/done?s="
		    "{CHECKOUT_SESSION_ID}",
		.cancel_url = "http://shop.test/checkout",
		.client_reference_id = "42", .order_id = "42",
		.shop = "shop-a", .customer_email = "ana@example.com",
		.locale = "de", .expires_at = time(NULL) + 3600,
		.idempotency_key = idem,
	};

	return stripe_session_create(s, &in, out);
}

static void
test_form(void)
{
	struct strbuf	sb;

	strbuf_init(&sb, 64);
	stripe_form_add(&sb, "metadata[order_id]", "7");
	stripe_form_add(&sb, "line_items[0][price_data][product_data][name]",
	    "T-Shirt \xc3\x97 3 & co=1+1");
	TEST_STREQ(sb.buf, "metadata%5Border_id%5D=7&line_items%5B0%5D%5B"
	    "price_data%5D%5Bproduct_data%5D%5Bname%5D=T-Shirt%20%C3%97%203"
	    "%20%26%20co%3D1%2B1");
	strbuf_release(&sb);

	TEST_CHECK(stripe_url_ok("https://api.stripe.com", NULL, 0) == 0);
	TEST_CHECK(stripe_url_ok("http://127.0.0.1:8080", NULL, 0) == 0);
	TEST_CHECK(stripe_url_ok("http://127.0.0.1", NULL, 0) == 0);
	TEST_CHECK(stripe_url_ok("http://127.0.0.1.evil.com", NULL, 0) == -1);
	TEST_CHECK(stripe_url_ok("http://api.stripe.com", NULL, 0) == -1);
	TEST_CHECK(stripe_url_ok("ftp://x", NULL, 0) == -1);
	TEST_CHECK(stripe_url_ok("", NULL, 0) == -1);

	TEST_CHECK(stripe_key_mode("sk_test_abc") == 1);
	TEST_CHECK(stripe_key_mode("rk_live_abc") == 0);
	TEST_CHECK(stripe_key_mode("pk_test_abc") == -1);
}

static void
test_items(struct arena *a)
{
	struct stripe_item	*v;
	char			 err[256];
	int			 n;
	/* EUR, prices with VAT, a 10 % coupon shared over the lines:
	 * 3 shirts 3 x 19.95 = 59.85 less 5.99 = 53.86 (not 3 x a whole
	 * cent), 2 mugs 2 x 8.50 = 17.00 less 1.70 = 15.30 (2 x 7.65),
	 * shipping 4.90; total 74.06. */
	struct stripe_line eur[] = {
		{ "Shirt", 3, 5386 }, { "Mug", 2, 1530 },
		{ "Shipping", 1, 490 },
	};
	/* USD, prices without tax: 2 x 25.00, shipping 5.00, tax 8.875 %
	 * of 55.00 = 4.88; total 59.88. */
	struct stripe_line usd[] = {
		{ "Lamp", 2, 5000 }, { "Shipping", 1, 500 }, { "Tax", 1, 488 },
	};
	/* JPY has no minor unit: 3 x 1,500 yen, free shipping left out. */
	struct stripe_line jpy[] = {
		{ "Tea", 3, 4500 }, { "Shipping", 1, 0 },
	};
	struct stripe_line bad[] = { { "X", 0, 100 } };
	struct stripe_line neg[] = { { "X", 1, -5 } };

	n = stripe_items(a, eur, 3, 7406, &v, err, sizeof(err));
	TEST_CHECK(n == 3);
	if (n == 3) {
		TEST_STREQ(v[0].name, "Shirt \xc3\x97 3");
		TEST_CHECK(v[0].quantity == 1 && v[0].unit_amount == 5386);
		TEST_STREQ(v[1].name, "Mug");
		TEST_CHECK(v[1].quantity == 2 && v[1].unit_amount == 765);
		TEST_CHECK(items_sum(v, n) == 7406);
	}
	n = stripe_items(a, usd, 3, 5988, &v, err, sizeof(err));
	TEST_CHECK(n == 3 && items_sum(v, n) == 5988);
	n = stripe_items(a, jpy, 2, 4500, &v, err, sizeof(err));
	TEST_CHECK(n == 1 && v[0].quantity == 3 && v[0].unit_amount == 1500);
	/* A sum other than the total is refused: never charge otherwise. */
	TEST_CHECK(stripe_items(a, eur, 3, 7416, &v, err, sizeof(err)) == -1);
	TEST_CHECK(strstr(err, "not the total") != NULL);
	TEST_CHECK(stripe_items(a, bad, 1, 100, &v, err, sizeof(err)) == -1);
	TEST_CHECK(stripe_items(a, neg, 1, -5, &v, err, sizeof(err)) == -1);
}

static void
test_sessions(struct arena *a)
{
	struct stripe		 s, bad;
	struct stripe_session	 ss, ss2, got;
	struct stripe_refund	 r, r2;
	struct stripe_account	 acct;
	struct stripe_item	*v;
	char			 err[256], path[128];
	int			 n;
	struct stripe_line eur[] = {
		{ "Shirt", 3, 5386 }, { "Mug", 2, 1530 },
		{ "Shipping", 1, 490 },
	};
	struct stripe_line usd[] = {
		{ "Lamp", 2, 5000 }, { "Shipping", 1, 500 }, { "Tax", 1, 488 },
	};
	struct stripe_line jpy[] = { { "Tea", 3, 4500 } };

	stripe_init(&s, a, KEY);

	/* The account check. */
	TEST_CHECK(stripe_account_get(&s, &acct) == STRIPE_OK);
	TEST_CHECK(strncmp(acct.id, "acct_", 5) == 0);
	TEST_STREQ(acct.default_currency, "EUR");
	stripe_init(&bad, a, "sk_test_wrongwrongwrong1234");
	TEST_CHECK(stripe_account_get(&bad, &acct) == STRIPE_EAUTH);
	TEST_CHECK(bad.status == 401);
	TEST_CHECK(strstr(bad.err, "Invalid API Key") != NULL);
	TEST_CHECK(strstr(bad.err, "1234") != NULL);

	/* EUR with the coupon: Stripe's total is the order's. */
	n = stripe_items(a, eur, 3, 7406, &v, err, sizeof(err));
	TEST_CHECK(session(&s, "EUR", v, n, "order-42-session", &ss) ==
	    STRIPE_OK);
	TEST_CHECK(ss.amount_total == 7406);
	TEST_STREQ(ss.currency, "EUR");
	TEST_STREQ(ss.status, "open");
	TEST_STREQ(ss.payment_status, "unpaid");
	TEST_STREQ(ss.order_id, "42");
	TEST_STREQ(ss.shop, "shop-a");
	TEST_STREQ(ss.client_reference_id, "42");
	TEST_CHECK(strncmp(ss.id, "cs_test_", 8) == 0);
	TEST_CHECK(strncmp(ss.url, stripetest_url,
	    strlen(stripetest_url)) == 0);

	/* Idempotency: the same key gives the same session... */
	TEST_CHECK(session(&s, "EUR", v, n, "order-42-session", &ss2) ==
	    STRIPE_OK);
	TEST_STREQ(ss2.id, ss.id);
	/* ... and with other parameters is refused, saying why. */
	v[2].unit_amount += 1;
	TEST_CHECK(session(&s, "EUR", v, n, "order-42-session", &ss2) ==
	    STRIPE_EINVAL);
	TEST_CHECK(strstr(s.err, "same parameters") != NULL);
	v[2].unit_amount -= 1;

	/* US tax added, and JPY in its unit. */
	n = stripe_items(a, usd, 3, 5988, &v, err, sizeof(err));
	TEST_CHECK(session(&s, "usd", v, n, "order-43-session", &ss2) ==
	    STRIPE_OK);
	TEST_CHECK(ss2.amount_total == 5988);
	TEST_STREQ(ss2.currency, "USD");
	n = stripe_items(a, jpy, 1, 4500, &v, err, sizeof(err));
	TEST_CHECK(session(&s, "JPY", v, n, "order-44-session", &ss2) ==
	    STRIPE_OK);
	TEST_CHECK(ss2.amount_total == 4500);
	TEST_STREQ(ss2.currency, "JPY");

	/* Bad parameters: Stripe's message and parameter. */
	v[0].name = "";
	TEST_CHECK(session(&s, "JPY", v, n, "order-45-session", &ss2) ==
	    STRIPE_EINVAL);
	TEST_CHECK(s.status == 400);
	TEST_STREQ(s.err_code, "parameter_missing");
	TEST_CHECK(strstr(s.err_param, "product_data") != NULL);

	/* Retrieve: open, no payment yet. */
	TEST_CHECK(stripe_session_get(&s, ss.id, &got) == STRIPE_OK);
	TEST_STREQ(got.status, "open");
	TEST_STREQ(got.payment_intent, "");
	TEST_CHECK(got.fee == -1);
	/* Another account's key does not see it. */
	{
		struct stripe s2;

		stripe_init(&s2, a, KEY2);
		TEST_CHECK(stripe_session_get(&s2, ss.id, &got) ==
		    STRIPE_EINVAL);
		TEST_STREQ(s2.err_code, "resource_missing");
	}
	TEST_CHECK(stripe_session_get(&s, "cs_test_nosuch", &got) ==
	    STRIPE_EINVAL);
	TEST_CHECK(s.status == 404);
	TEST_CHECK(stripe_session_get(&s, "../v1/account", &got) ==
	    STRIPE_EINVAL);

	/* Paid (as the hosted page's button does): the fee is learnt. */
	n = snprintf(path, sizeof(path), "/_test/pay/%s", ss.id);
	TEST_CHECK(n > 0 && (size_t)n < sizeof(path));
	TEST_CHECK(stripetest_control(path, "{}") == 200);
	TEST_CHECK(stripe_session_get(&s, ss.id, &got) == STRIPE_OK);
	TEST_STREQ(got.status, "complete");
	TEST_STREQ(got.payment_status, "paid");
	TEST_CHECK(strncmp(got.payment_intent, "pi_", 3) == 0);
	TEST_CHECK(got.fee == 7406 * 140 / 10000 + 25);
	TEST_CHECK(got.amount_total == 7406);

	/* A completed session cannot expire; an open one can, once. */
	TEST_CHECK(stripe_session_expire(&s, ss.id, &ss2) == STRIPE_EINVAL);
	n = stripe_items(a, jpy, 1, 4500, &v, err, sizeof(err));
	TEST_CHECK(session(&s, "JPY", v, n, "order-46-session", &ss2) ==
	    STRIPE_OK);
	TEST_CHECK(stripe_session_expire(&s, ss2.id, &ss2) == STRIPE_OK);
	TEST_STREQ(ss2.status, "expired");
	TEST_STREQ(ss2.url, "");

	/* Refunds: partial; the same key again is the same refund; more
	 * than is left is refused with Stripe's message. */
	TEST_CHECK(stripe_refund_create(&s, got.payment_intent, 1000, "42",
	    "1", "order-42-refund-1", &r) == STRIPE_OK);
	TEST_CHECK(strncmp(r.id, "re_", 3) == 0);
	TEST_STREQ(r.status, "succeeded");
	TEST_CHECK(r.amount == 1000);
	TEST_STREQ(r.payment_intent, got.payment_intent);
	TEST_CHECK(stripe_refund_create(&s, got.payment_intent, 1000, "42",
	    "1", "order-42-refund-1", &r2) == STRIPE_OK);
	TEST_STREQ(r2.id, r.id);
	TEST_CHECK(stripe_refund_create(&s, got.payment_intent, 7406, "42",
	    "2", "order-42-refund-2", &r2) == STRIPE_EINVAL);
	TEST_STREQ(s.err_code, "amount_too_large");
	TEST_CHECK(stripe_refund_create(&s, got.payment_intent, 6406, "42",
	    "3", "order-42-refund-3", &r2) == STRIPE_OK);
	TEST_CHECK(stripe_refund_create(&s, "pi_nosuch", 100, NULL, NULL,
	    "x-1", &r2) == STRIPE_EINVAL);
	TEST_CHECK(stripe_refund_create(&s, got.payment_intent, 100, NULL,
	    NULL, NULL, &r2) == STRIPE_EINVAL);
	TEST_CHECK(stripe_refund_create(&s, got.payment_intent, 100, NULL,
	    NULL, "x\r\nX-Evil: 1", &r2) == STRIPE_EINVAL);

	/* Configuration and network errors. */
	s.api_url = "http://example.com";
	TEST_CHECK(stripe_account_get(&s, &acct) == STRIPE_ECONFIG);
	s.api_url = "http://127.0.0.1:1";
	TEST_CHECK(stripe_account_get(&s, &acct) == STRIPE_ENET);
	TEST_CHECK(s.err[0] != '\0');
	stripe_init(&bad, a, "");
	TEST_CHECK(stripe_account_get(&bad, &acct) == STRIPE_ECONFIG);
}

/* The request headers the stand-in saw, by name (case-insensitive). */
static const char *
header(json_object *req, const char *name)
{
	json_object *h;

	if (!json_object_object_get_ex(req, "headers", &h))
		return NULL;
	json_object_object_foreach(h, k, v)
		if (strcasecmp(k, name) == 0)
			return json_object_get_string(v);
	return NULL;
}

/* Every request carried the key and the pinned version; every POST an
 * Idempotency-Key and a form body. */
static void
test_headers(void)
{
	struct strbuf	 sb;
	json_object	*all;
	size_t		 i, posts = 0;

	strbuf_init(&sb, 4096);
	TEST_CHECK(stripetest_get("/_test/requests", &sb) == 200);
	all = json_tokener_parse(sb.buf);
	TEST_CHECK(all != NULL && json_object_is_type(all, json_type_array));
	for (i = 0; all != NULL && i < json_object_array_length(all); i++) {
		json_object	*r = json_object_array_get_idx(all, i), *m;
		const char	*auth = header(r, "Authorization");
		const char	*ver = header(r, "Stripe-Version");
		const char	*idem = header(r, "Idempotency-Key");
		const char	*ct = header(r, "Content-Type");

		TEST_CHECK(auth != NULL && strncmp(auth, "Bearer sk_", 10) ==
		    0);
		TEST_CHECK(ver != NULL && strcmp(ver, STRIPE_API_VERSION) ==
		    0);
		if (json_object_object_get_ex(r, "method", &m) &&
		    strcmp(json_object_get_string(m), "POST") == 0) {
			posts++;
			TEST_CHECK(idem != NULL && idem[0] != '\0');
			TEST_CHECK(ct != NULL && strcmp(ct,
			    "application/x-www-form-urlencoded") == 0);
		}
	}
	TEST_CHECK(posts >= 10);
	json_object_put(all);
	strbuf_release(&sb);
}

static void
test_signature(struct arena *a)
{
	struct stripe		 s;
	struct stripe_sig	 sig;
	const char		*body = "{\"id\":\"evt_1\"}";
	struct str		 p = str_c(body);
	int64_t			 now = 1700000000;
	char			*h, *h2;

	stripe_init(&s, a, KEY);
	/* What the stand-in (and Stripe) sends for this body at now. */
	h = stripe_sig_make(a, p, "whsec_test", now);
	TEST_STREQ(h, "t=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea90"
	    "22bd80ccc78230f3942d632925");
	TEST_CHECK(stripe_sig_verify(&s, str_c(h), p, "whsec_test", now, 300)
	    == STRIPE_OK);
	/* Within the tolerance either way; beyond it refused. */
	TEST_CHECK(stripe_sig_verify(&s, str_c(h), p, "whsec_test", now + 300,
	    300) == STRIPE_OK);
	TEST_CHECK(stripe_sig_verify(&s, str_c(h), p, "whsec_test", now + 301,
	    300) == STRIPE_ESIG);
	TEST_CHECK(strstr(s.err, "timestamp") != NULL);
	TEST_CHECK(stripe_sig_verify(&s, str_c(h), p, "whsec_test", now - 301,
	    300) == STRIPE_ESIG);
	/* Wrong secret, changed body, no secret. */
	TEST_CHECK(stripe_sig_verify(&s, str_c(h), p, "whsec_other", now, 300)
	    == STRIPE_ESIG);
	TEST_CHECK(strstr(s.err, "no v1") != NULL);
	TEST_CHECK(stripe_sig_verify(&s, str_c(h), STR("{\"id\":\"evt_2\"}"),
	    "whsec_test", now, 300) == STRIPE_ESIG);
	TEST_CHECK(stripe_sig_verify(&s, str_c(h), p, "", now, 300) ==
	    STRIPE_ESIG);
	/* A replayed signature with a new timestamp does not verify. */
	h2 = arena_printf(a, "t=%lld,%s", (long long)now + 100, h + 13);
	TEST_CHECK(stripe_sig_verify(&s, str_c(h2), p, "whsec_test", now + 100,
	    300) == STRIPE_ESIG);
	/* Two v1 values (a secret being rolled), one good: either order;
	 * a v0 is ignored. */
	h2 = arena_printf(a, "t=%lld,v1=%064d,v0=abc,%s", (long long)now, 0,
	    h + 13);
	TEST_CHECK(stripe_sig_verify(&s, str_c(h2), p, "whsec_test", now, 300)
	    == STRIPE_OK);
	h2 = arena_printf(a, "%s,v1=%064d", h, 7);
	TEST_CHECK(stripe_sig_verify(&s, str_c(h2), p, "whsec_test", now, 300)
	    == STRIPE_OK);
	TEST_CHECK(stripe_sig_parse(str_c(h2), &sig) == 0 && sig.nv1 == 2 &&
	    sig.t == now);
	/* Malformed headers. */
	TEST_CHECK(stripe_sig_parse(STR(""), &sig) == -1);
	TEST_CHECK(stripe_sig_parse(STR("t=1700000000"), &sig) == -1);
	TEST_CHECK(stripe_sig_parse(str_c(h + 13), &sig) == -1);
	TEST_CHECK(stripe_sig_parse(STR("t=abc,v1=00"), &sig) == -1);
	TEST_CHECK(stripe_sig_parse(STR("t=1,v1=zz"), &sig) == -1);
	TEST_CHECK(stripe_sig_parse(STR(",,,="), &sig) == -1);
	h2 = arena_printf(a, "t=1,t=2,%s", h + 13);
	TEST_CHECK(stripe_sig_parse(str_c(h2), &sig) == -1);
	h2 = arena_printf(a, "t=%lld,v1=%s", (long long)now, "c89214b5");
	TEST_CHECK(stripe_sig_verify(&s, str_c(h2), p, "whsec_test", now, 300)
	    == STRIPE_ESIG);
	TEST_CHECK(strstr(s.err, "malformed") != NULL);
	/* The tolerance from the configuration. */
	config_set("stripe_webhook_tolerance", "10");
	TEST_CHECK(stripe_sig_verify(&s, str_c(h), p, "whsec_test", now + 11,
	    -1) == STRIPE_ESIG);
	TEST_CHECK(stripe_sig_verify(&s, str_c(h), p, "whsec_test", now + 10,
	    -1) == STRIPE_OK);
}

static void
test_events(struct arena *a)
{
	struct stripe		s;
	struct stripe_event	ev;

	stripe_init(&s, a, KEY);
	TEST_CHECK(stripe_event_parse(&s, STR("{\"id\":\"evt_1\",\"type\":"
	    "\"checkout.session.completed\",\"created\":1700000000,"
	    "\"livemode\":false,\"data\":{\"object\":{\"id\":\"cs_test_1\","
	    "\"object\":\"checkout.session\",\"status\":\"complete\","
	    "\"payment_status\":\"paid\",\"payment_intent\":\"pi_1\","
	    "\"amount_total\":7406,\"currency\":\"eur\","
	    "\"client_reference_id\":\"42\",\"metadata\":{\"order_id\":\"42\","
	    "\"shop\":\"shop-a\"}}}}"), &ev) == STRIPE_OK);
	TEST_CHECK(ev.kind == STRIPE_EV_SESSION);
	TEST_STREQ(ev.id, "evt_1");
	TEST_CHECK(ev.created == 1700000000);
	TEST_STREQ(ev.session.id, "cs_test_1");
	TEST_STREQ(ev.session.payment_status, "paid");
	TEST_STREQ(ev.session.payment_intent, "pi_1");
	TEST_STREQ(ev.session.currency, "EUR");
	TEST_STREQ(ev.session.order_id, "42");
	TEST_CHECK(ev.session.amount_total == 7406);

	TEST_CHECK(stripe_event_parse(&s, STR("{\"id\":\"evt_2\",\"type\":"
	    "\"refund.created\",\"created\":1,\"data\":{\"object\":{\"id\":"
	    "\"re_1\",\"status\":\"succeeded\",\"amount\":1000,"
	    "\"payment_intent\":\"pi_1\"}}}"), &ev) == STRIPE_OK);
	TEST_CHECK(ev.kind == STRIPE_EV_REFUND);
	TEST_STREQ(ev.refund.id, "re_1");
	TEST_CHECK(ev.refund.amount == 1000);

	TEST_CHECK(stripe_event_parse(&s, STR("{\"id\":\"evt_3\",\"type\":"
	    "\"charge.refunded\",\"created\":1,\"data\":{\"object\":{\"id\":"
	    "\"ch_1\",\"payment_intent\":\"pi_1\",\"amount_refunded\":1500,"
	    "\"refunds\":{\"data\":[{\"id\":\"re_2\",\"status\":\"succeeded\","
	    "\"amount\":500}]}}}}"), &ev) == STRIPE_OK);
	TEST_CHECK(ev.kind == STRIPE_EV_REFUND);
	TEST_STREQ(ev.refund.id, "re_2");
	TEST_STREQ(ev.refund.payment_intent, "pi_1");
	TEST_CHECK(ev.refund.amount == 500);

	/* Unknown types are ignored, not errors. */
	TEST_CHECK(stripe_event_parse(&s, STR("{\"id\":\"evt_4\",\"type\":"
	    "\"customer.created\",\"data\":{\"object\":{}}}"), &ev) ==
	    STRIPE_OK);
	TEST_CHECK(ev.kind == STRIPE_EV_IGNORED);
	TEST_STREQ(ev.type, "customer.created");

	/* Not events. */
	TEST_CHECK(stripe_event_parse(&s, STR(""), &ev) == STRIPE_EREPLY);
	TEST_CHECK(stripe_event_parse(&s, STR("[]"), &ev) == STRIPE_EREPLY);
	TEST_CHECK(stripe_event_parse(&s, STR("{\"id\":\"evt_5\"}"), &ev) ==
	    STRIPE_EREPLY);
	TEST_CHECK(stripe_event_parse(&s, STR("{\"id\":\"e\",\"type\":"
	    "\"checkout.session.completed\",\"data\":{}}"), &ev) ==
	    STRIPE_EREPLY);
	TEST_CHECK(stripe_event_parse(&s, STR("{\"id\":\"e\",\"type\":\"x\"}"
	    " junk"), &ev) == STRIPE_EREPLY);
	TEST_CHECK(stripe_event_parse(&s, STR("{\"id\":\"e\",\"type\":\"x\"}"
	    "\n"), &ev) == STRIPE_OK);
}

int
main(void)
{
	struct arena a;

	arena_init(&a);
	test_form();
	test_items(&a);
	test_signature(&a);
	test_events(&a);
	if (stripetest_start(KEY, KEY2) == -1) {
		stripetest_stop();
		printf("cannot start tests/stripe_server.py\n");
		TEST_CHECK(!"stand-in started");
	} else {
		test_sessions(&a);
		test_headers();
		stripetest_stop();
	}
	arena_free(&a);
	config_free();
	return test_done();
}
