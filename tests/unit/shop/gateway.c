/*
 * tests/unit/shop/gateway.c: connecting a shop's Stripe account against
 * the stand-in (tests/stripe_server.py): shapes checked before Stripe
 * is asked, a key Stripe refuses stores nothing, a good one stores the
 * account and the secrets sealed (the columns hold "s1:..." and never
 * the key), gateway_secrets() opens them to what was entered, another
 * shop sees nothing, and without the server's key nothing is stored and
 * the merchant is told; disconnecting deletes the row.
 */
#include "core/common.h"
#include "core/secret.h"
#include "platform/stripe.h"
#include "shop/gateway.h"
#include "shop/order.h"
#include "shop/shop.h"
#include "test.h"
#include "dbtest.h"
#include "stripetest.h"

#define KEY	"sk_test_gw000000000000000001"
#define WHSEC	"whsec_gw0000000000000000001"

static int
has_error(const struct field_errors *e, const char *field)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0)
			return 1;
	return 0;
}

/* The raw sealed columns of shop t. */
static int
raw_row(struct db *db, int64_t t, struct arena *a, struct str *sk,
    struct str *wh)
{
	struct db_stmt	*st = db_prepare(db, "SELECT secret_key, "
	    "webhook_secret FROM {p}gateways", t);
	int		 rc;

	if (st == NULL || db_exec(st, a) != 0)
		return -1;
	if ((rc = db_step(st)) == 1) {
		*sk = arena_str(a, db_col_str(st, 0));
		*wh = arena_str(a, db_col_str(st, 1));
	}
	db_done(st);
	return rc;
}

static struct gateway_connect
conn(const char *key, const char *whsec)
{
	return (struct gateway_connect){ str_c(key), str_c(whsec), 7 };
}

static int64_t
sum(const struct stripe_item *v, int n)
{
	int64_t	t = 0;
	int	i;

	for (i = 0; i < n; i++)
		t += v[i].unit_amount * v[i].quantity;
	return t;
}

static void
test_items(struct shop_ctx *ctx)
{
	struct stripe_item	*v;
	int			 n;
	/* EUR, prices with VAT, 10 % off: shirts 3 x 19.95 less 5.99,
	 * mugs 2 x 8.50 less 1.70; DHL 4.90 with its VAT. */
	struct order_line eur_lines[] = {
		{ .name = STR("Shirt"), .variant = STR("M / Blue"), .qty = 3,
		  .subtotal = 5985, .discount = 599, .tax = 860,
		  .total = 5386 },
		{ .name = STR("Mug"), .variant = STR(""), .qty = 2,
		  .subtotal = 1700, .discount = 170, .tax = 244,
		  .total = 1530 },
	};
	struct order eur = { .id = 1, .prices_include_tax = 1,
	    .lines = eur_lines, .nlines = 2, .shipping = 490,
	    .shipping_tax = 78, .tax = 1182, .total = 7406,
	    .ship_method = STR("DHL") };
	/* USD, prices without tax, 8.875 %: 2 x 25.00 + 5.00 shipping. */
	struct order_line usd_lines[] = {
		{ .name = STR("Lamp"), .variant = STR(""), .qty = 2,
		  .subtotal = 5000, .tax = 444, .total = 5444 },
	};
	struct order usd = { .id = 2, .prices_include_tax = 0,
	    .lines = usd_lines, .nlines = 1, .shipping = 500,
	    .shipping_tax = 44, .tax = 488, .total = 5988,
	    .ship_method = STR("") };
	/* JPY, free shipping. */
	struct order_line jpy_lines[] = {
		{ .name = STR("Sencha"), .variant = STR(""), .qty = 3,
		  .subtotal = 4500, .tax = 333, .total = 4500 },
	};
	struct order jpy = { .id = 3, .prices_include_tax = 1,
	    .lines = jpy_lines, .nlines = 1, .total = 4500, .tax = 333 };

	n = gateway_stripe_items(ctx, &eur, &v);
	TEST_CHECK(n == 3 && sum(v, n) == 7406);
	if (n == 3) {
		TEST_STREQ(v[0].name, "Shirt (M / Blue) \xc3\x97 3");
		TEST_CHECK(v[0].quantity == 1 && v[0].unit_amount == 5386);
		TEST_CHECK(v[1].quantity == 2 && v[1].unit_amount == 765);
		TEST_STREQ(v[2].name, "DHL");
	}
	n = gateway_stripe_items(ctx, &usd, &v);
	TEST_CHECK(n == 3 && sum(v, n) == 5988);
	if (n == 3) {
		TEST_CHECK(v[0].quantity == 2 && v[0].unit_amount == 2500);
		TEST_CHECK(v[1].unit_amount == 500);
		TEST_CHECK(v[2].unit_amount == 488);
	}
	n = gateway_stripe_items(ctx, &jpy, &v);
	TEST_CHECK(n == 1 && v[0].quantity == 3 && v[0].unit_amount == 1500);
	jpy.total = 4501;
	TEST_CHECK(gateway_stripe_items(ctx, &jpy, &v) == -1);
}

int
main(void)
{
	struct db		*db = dbtest_open("unit/shop/gateway");
	static const unsigned char k[SECRET_KEY_BYTES] = "gateway test key";
	struct arena		 a;
	struct field_errors	 errs = { .n = 0 };
	struct gateway_connect	 in;
	struct gateway		 g;
	struct str		 sk, wh;
	char			 detail[256];
	int64_t			 s1, s2;

	arena_init(&a);
	secret_set_key(k);
	s1 = dbtest_shop(db, "gw1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "gw2", NULL, NULL, "en", "USD");
	TEST_CHECK(s1 > 0 && s2 > 0);
	if (stripetest_start(KEY, NULL) == -1) {
		TEST_CHECK(!"stand-in started");
		stripetest_stop();
		return test_done();
	}
	{
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "en", "en", "USD", NULL,
		    NULL, 0 };

		test_items(&c1);
		TEST_CHECK(gateway_get(&c1, GATEWAY_STRIPE, &g) ==
		    SHOP_ENOTFOUND);

		/* Shapes: refused before Stripe is asked. */
		in = conn("pk_test_abc", "whsec_x");
		TEST_CHECK(gateway_stripe_connect(&c1, &in, &errs, detail,
		    sizeof(detail)) == SHOP_EINVAL);
		TEST_CHECK(has_error(&errs, "stripe_secret_key") &&
		    !has_error(&errs, "stripe_webhook_secret"));
		TEST_CHECK(detail[0] == '\0');
		errs.n = 0;
		in = conn(KEY, "whsec_a b");
		TEST_CHECK(gateway_stripe_connect(&c1, &in, &errs, detail,
		    sizeof(detail)) == SHOP_EINVAL);
		TEST_CHECK(has_error(&errs, "stripe_webhook_secret"));
		errs.n = 0;

		/* A key Stripe refuses: its message, nothing stored. */
		in = conn("sk_test_unknown00000000000009", WHSEC);
		TEST_CHECK(gateway_stripe_connect(&c1, &in, &errs, detail,
		    sizeof(detail)) == SHOP_EINVAL);
		TEST_CHECK(has_error(&errs, "stripe_secret_key"));
		TEST_CHECK(strstr(detail, "Invalid API Key") != NULL);
		TEST_CHECK(raw_row(db, s1, &a, &sk, &wh) == 0);
		errs.n = 0;

		/* Connected: the account in clear, the secrets sealed. */
		in = conn(KEY, WHSEC);
		TEST_CHECK(gateway_stripe_connect(&c1, &in, &errs, detail,
		    sizeof(detail)) == SHOP_OK);
		TEST_CHECK(errs.n == 0);
		TEST_CHECK(gateway_get(&c1, GATEWAY_STRIPE, &g) == SHOP_OK);
		TEST_CHECK(str_starts(g.account_id, STR("acct_")));
		TEST_CHECK(str_eqc(g.key_last4, "0001"));
		TEST_CHECK(g.livemode == 0 && g.staff_id == 7);
		TEST_CHECK(str_eqc(g.account_name, "Test shop"));
		TEST_CHECK(raw_row(db, s1, &a, &sk, &wh) == 1);
		TEST_CHECK(secret_is_sealed(sk) && secret_is_sealed(wh));
		TEST_CHECK(memmem(sk.p, sk.len, "gw0000", 6) == NULL);
		TEST_CHECK(memmem(wh.p, wh.len, "gw0000", 6) == NULL);
		sk = wh = STR_NULL;
		TEST_CHECK(gateway_secrets(&c1, GATEWAY_STRIPE, &sk, &wh) ==
		    SHOP_OK);
		TEST_CHECK(str_eqc(sk, KEY) && str_eqc(wh, WHSEC));

		/* Another shop: nothing. */
		TEST_CHECK(gateway_get(&c2, GATEWAY_STRIPE, &g) ==
		    SHOP_ENOTFOUND);
		TEST_CHECK(gateway_secrets(&c2, GATEWAY_STRIPE, &sk, &wh) ==
		    SHOP_ENOTFOUND);
		TEST_CHECK(gateway_disconnect(&c2, GATEWAY_STRIPE) ==
		    SHOP_ENOTFOUND);

		/* Under another server key the secrets do not open. */
		secret_set_key((const unsigned char *)
		    "another key, 32 bytes long.....");
		TEST_CHECK(gateway_secrets(&c1, GATEWAY_STRIPE, &sk, &wh) ==
		    SHOP_EDB);
		/* Without one, nothing is stored and the merchant is told. */
		secret_set_key(NULL);
		config_set("secret_key_file", "/nonexistent/secret.key");
		TEST_CHECK(gateway_stripe_connect(&c2, &in, &errs, detail,
		    sizeof(detail)) == SHOP_EINVAL);
		TEST_CHECK(has_error(&errs, "stripe_secret_key"));
		TEST_CHECK(raw_row(db, s2, &a, &sk, &wh) == 0);
		errs.n = 0;

		/* Disconnected: the row is gone. */
		TEST_CHECK(gateway_disconnect(&c1, GATEWAY_STRIPE) == SHOP_OK);
		TEST_CHECK(raw_row(db, s1, &a, &sk, &wh) == 0);
		TEST_CHECK(gateway_get(&c1, GATEWAY_STRIPE, &g) ==
		    SHOP_ENOTFOUND);
	}
	stripetest_stop();
	arena_free(&a);
	db_close(db);
	config_free();
	return test_done();
}
