/*
 * tests/unit/shop/notify.c: every shop mail renders from real rows (an
 * order and customers inserted with SQL) in German and Japanese; the
 * bank details appear for bank transfer only; the HTML escapes what the
 * shop's texts hold; a payload naming another shop's order, a missing
 * order or customer, or nothing readable, buries the job. Each kind's
 * HTML is saved under build/mail-preview/ to be looked at.
 */
#include "core/common.h"

#include <sys/stat.h>
#include "core/i18n.h"
#include "core/money.h"
#include "platform/jobs.h"
#include "platform/tenant.h"
#include "shop/notify.h"
#include "test.h"
#include "dbtest.h"

static int
exec(struct db *db, int64_t shop, const char *q)
{
	struct db_stmt *st = db_prepare(db, q, shop);

	if (st == NULL || db_exec(st, NULL) == -1) {
		fprintf(stderr, "%s: %s\n", q, db_error(db));
		return -1;
	}
	db_done(st);
	return 0;
}

static int64_t
order_id(struct db *db, int64_t shop, int64_t number)
{
	struct db_stmt	*st = db_prepare(db, "SELECT id FROM {p}orders"
			    " WHERE number = ?", shop);
	int64_t		 id = 0;

	if (st == NULL)
		return 0;
	db_bind_i64(st, 0, number);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		id = db_col_i64(st, 0);
	db_done(st);
	return id;
}

static int64_t
insert_order(struct db *db, int64_t shop, int64_t number, const char *locale,
    const char *payment)
{
	struct db_stmt	*st;
	int64_t		 id;
	char		 idem[33];

	st = db_prepare(db, "INSERT INTO {p}orders (number, status, email,"
	    " locale, idem_key, access_key, currency, prices_include_tax,"
	    " subtotal, discount, shipping, shipping_tax, tax, total,"
	    " display_currency, fx_rate, display_total, payment_method,"
	    " coupon_code, bill_name, bill_line1, bill_postcode, bill_city,"
	    " bill_country, ship_name, ship_line1, ship_postcode, ship_city,"
	    " ship_country, ship_kind, ship_method, carrier, tracking_number,"
	    " tracking_url)"
	    " VALUES (?, 'on-hold', 'kaethe@example.com', ?, ?,"
	    " '00112233445566778899aabbccddeeff', 'EUR', 1, 4390, 399, 490, 78,"
	    " 677, 4481, 'EUR', 100000000, 4481, ?, 'SOMMER10',"
	    " 'Käthe Kruse', 'Heidestraße 17', '50667', 'Köln', 'DE',"
	    " 'Käthe Kruse', 'Heidestraße 17', '50667', 'Köln', 'DE', 'flat',"
	    " 'DHL Paket', 'DHL', '00340434161094042557',"
	    " 'https://track.example/?n=00340434161094042557&lang=de')", shop);
	if (st == NULL)
		return 0;
	snprintf(idem, sizeof(idem), "%032lld", (long long)number);
	db_bind_i64(st, 0, number);
	db_bind_cstr(st, 1, locale);
	db_bind_cstr(st, 2, idem);
	db_bind_cstr(st, 3, payment);
	if (db_exec(st, NULL) == -1)
		return 0;
	id = (int64_t)db_insert_id(st);
	db_done(st);
	/* Two rates: a cap at 19 %, bread at 7 %; 573 + 26 + 78 = 677. */
	st = db_prepare(db, "INSERT INTO {p}order_lines (order_id, product_id,"
	    " variant_id, sku, name, variant, qty, unit_price, tax_class,"
	    " tax_rate, subtotal, discount, tax, total) VALUES"
	    " (?, 7, 3, 'CAP-M', '<script>alert(1)</script> Mütze', 'M', 2,"
	    " 1995, 'standard', 190000, 3990, 399, 573, 3591),"
	    " (?, 8, 0, 'BROT', 'Roggenbrot', '', 1, 400, 'reduced', 70000,"
	    " 400, 0, 26, 400)", shop);
	db_bind_i64(st, 0, id);
	db_bind_i64(st, 1, id);
	if (db_exec(st, NULL) == -1)
		return 0;
	db_done(st);
	return id;
}

static int64_t
insert_customer(struct db *db, int64_t shop, const char *email,
    const char *name, const char *locale)
{
	struct db_stmt	*st;
	int64_t		 id;

	st = db_prepare(db, "INSERT INTO {p}customers (email, pw_hash, name,"
	    " locale) VALUES (?, 'x', ?, ?)", shop);
	if (st == NULL)
		return 0;
	db_bind_cstr(st, 0, email);
	db_bind_cstr(st, 1, name);
	db_bind_cstr(st, 2, locale);
	if (db_exec(st, NULL) == -1)
		return 0;
	id = (int64_t)db_insert_id(st);
	db_done(st);
	return id;
}

struct out {
	struct strbuf	subject, text, html;
	char		to[NOTIFY_TO_MAX + 1];
	char		err[512];
};

static enum notify_result
render(struct notify *n, struct shop_ctx *ctx, const struct tenant *t,
    const char *kind, const char *payload, struct out *o)
{
	struct job job;

	memset(&job, 0, sizeof(job));
	job.id = 77;
	job.tenant_id = t->id;
	str_copy(job.kind, sizeof(job.kind), str_c(kind));
	strbuf_init(&job.payload, 0);
	strbuf_addstr(&job.payload, payload);
	strbuf_reset(&o->subject);
	strbuf_reset(&o->text);
	strbuf_reset(&o->html);
	{
		enum notify_result rc = notify_parts(n, ctx, t, &job,
		    &o->subject, &o->text, &o->html, o->to, o->err,
		    sizeof(o->err));

		jobs_release(&job);
		arena_reset(ctx->a);
		return rc;
	}
}

static void
save_one(const char *kind, const char *lang, const char *ext,
    const struct strbuf *sb)
{
	char	 path[200];
	FILE	*f;

	(void)mkdir("build", 0755);
	(void)mkdir("build/mail-preview", 0755);
	snprintf(path, sizeof(path), "build/mail-preview/%s.%s.%s",
	    kind + 5, lang, ext);
	if ((f = fopen(path, "w")) != NULL) {
		fwrite(sb->buf, 1, sb->len, f);
		fclose(f);
	}
}

/* The HTML and text parts of o, to look at. */
static void
save(const char *kind, const char *lang, const struct out *o)
{
	save_one(kind, lang, "html", &o->html);
	save_one(kind, lang, "txt", &o->text);
}

static int
in(const struct strbuf *sb, const char *s)
{
	return sb->buf != NULL && strstr(sb->buf, s) != NULL;
}

static const char *const order_kinds[] = {
	NOTIFY_ORDER_RECEIVED, NOTIFY_ORDER_NEW, NOTIFY_ORDER_PAID,
	NOTIFY_ORDER_SHIPPED, NOTIFY_ORDER_CANCELLED,
};

/* What each kind says in German and in Japanese (po/de.po, ja.po). */
static const char *const said[][3] = {
	{ NOTIFY_ORDER_RECEIVED, "Vielen Dank für Ihre Bestellung",
	    "ご注文ありがとうございます" },
	{ NOTIFY_ORDER_NEW, "Sie haben eine neue Bestellung",
	    "新しい注文が入りました" },
	{ NOTIFY_ORDER_PAID, "Zahlung eingegangen", "お支払いを確認しました" },
	{ NOTIFY_ORDER_SHIPPED, "Ihre Bestellung ist unterwegs",
	    "ご注文の商品を発送しました" },
	{ NOTIFY_ORDER_CANCELLED, "Ihre Bestellung wurde storniert",
	    "ご注文はキャンセルされました" },
	{ NOTIFY_ACCOUNT_CREATED, "Ihr Konto ist eingerichtet",
	    "アカウントが作成されました" },
	{ NOTIFY_PASSWORD_RESET, "Passwort zurücksetzen",
	    "パスワードの再設定" },
};

static const char *
heading(const char *kind, int ja)
{
	size_t i;

	for (i = 0; i < NELEM(said); i++)
		if (strcmp(said[i][0], kind) == 0)
			return said[i][ja ? 2 : 1];
	return "?";
}

static void
check_orders(struct notify *n, struct shop_ctx *ctx, const struct tenant *t,
    struct out *o)
{
	size_t	i;
	int	ja;

	for (ja = 0; ja < 2; ja++)
		for (i = 0; i < NELEM(order_kinds); i++) {
			const char *k = order_kinds[i];
			int merchant = strcmp(k, NOTIFY_ORDER_NEW) == 0;
			int bank = strcmp(k, NOTIFY_ORDER_RECEIVED) == 0 && !ja;

			TEST_CHECK(render(n, ctx, t, k, ja ?
			    "{\"order\": 1002}" : "{\"order\": 1001}", o) ==
			    NOTIFY_OK);
			TEST_CHECK(o->subject.len > 0);
			TEST_CHECK(strcmp(o->to, merchant ?
			    "orders@shop.test" : "kaethe@example.com") == 0);
			/* The merchant reads the shop's language (de). */
			TEST_CHECK(in(&o->html, heading(k, ja && !merchant)));
			TEST_CHECK(in(&o->text, heading(k, ja && !merchant)));
			TEST_CHECK(in(&o->html, ja && !merchant ?
			    "lang=\"ja\"" : "lang=\"de\""));
			/* Bank details: bank transfer's received mail only. */
			TEST_CHECK(in(&o->html, "DE12 3456 7890") == bank);
			TEST_CHECK(in(&o->text, "DE12 3456 7890") == bank);
			/* Escaped in HTML, as typed in the text part. */
			TEST_CHECK(!in(&o->html, "<script>"));
			TEST_CHECK(in(&o->html, "&lt;script&gt;alert(1)"));
			TEST_CHECK(in(&o->text, "<script>alert(1)</script>"));
			/* Money in the order's currency, the language's way;
			 * both tax rates; the shop's colour. */
			TEST_CHECK(in(&o->html, ja && !merchant ? "€44.81" :
			    "44,81\xc2\xa0€"));
			TEST_CHECK(in(&o->html, ja && !merchant ? "19" :
			    "19 %"));
			TEST_CHECK(in(&o->html, ja && !merchant ? "7" : "7 %"));
			TEST_CHECK(in(&o->html, t->text_primary));
			TEST_CHECK(in(&o->html, "Heidestraße 17"));
			TEST_CHECK(in(&o->html, ja && !merchant ? "ドイツ" :
			    "Deutschland"));
			if (strcmp(k, NOTIFY_ORDER_SHIPPED) == 0) {
				TEST_CHECK(in(&o->html,
				    "00340434161094042557"));
				/* The link's & escaped in the attribute. */
				TEST_CHECK(in(&o->html, "href=\"https://track."
				    "example/?n=00340434161094042557&amp;"
				    "lang=de\""));
				TEST_CHECK(in(&o->text, "https://track.example/"
				    "?n=00340434161094042557&lang=de"));
			}
			/* The shopper's link to the order (a guest's, with its
			 * key), the merchant's to the admin's page. */
			if (merchant)
				TEST_CHECK(in(&o->html, ja ?
				    "/admin/orders/1002\"" :
				    "/admin/orders/1001\""));
			else if (strcmp(k, NOTIFY_ORDER_SHIPPED) != 0)
				TEST_CHECK(in(&o->html, ja ? "/order/1002?key="
				    "00112233445566778899aabbccddeeff\"" :
				    "/order/1001?key="
				    "00112233445566778899aabbccddeeff\""));
			if (!merchant || !ja)
				save(k, ja ? "ja" : "de", o);
		}
}

int
main(void)
{
	struct db		*db = dbtest_open("notify");
	struct notify		 n = NOTIFY_INIT;
	struct arena		 a;
	struct tenant		 t1, t2;
	struct out		 o;
	int64_t			 s1, s2, c1, c2;
	char			 payload[200];

	arena_init(&a);
	memset(&o, 0, sizeof(o));
	strbuf_init(&o.subject, 0);
	strbuf_init(&o.text, 0);
	strbuf_init(&o.html, 0);
	TEST_CHECK(i18n_init(config_get("locale_dir", "build/locale")) == 0);
	s1 = dbtest_shop(db, "notify1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "notify2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	TEST_CHECK(tenant_get_by_id(db, s1, &t1) == TENANT_OK);
	TEST_CHECK(tenant_get_by_id(db, s2, &t2) == TENANT_OK);
	TEST_CHECK(insert_order(db, s1, 1001, "de", "bacs") > 0);
	TEST_CHECK(insert_order(db, s1, 1002, "ja", "cheque") > 0);
	TEST_CHECK(exec(db, s1, "INSERT INTO {p}settings (name, text) VALUES"
	    " ('bank_details', 'Bäckerei Test GmbH\nIBAN DE12 3456 7890 1234"
	    " 5678 90\nBIC GENODEF1XXX'), ('order_email',"
	    " 'orders@shop.test'), ('cheque_payee', 'Bäckerei Test')") == 0);
	c1 = insert_customer(db, s1, "anna@example.com", "Anna <b>Schmidt</b>",
	    "de");
	c2 = insert_customer(db, s1, "hanako@example.jp", "山田花子", "ja");
	TEST_CHECK(c1 > 0 && c2 > 0);
	{
		struct shop_ctx c = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx d = { db, &a, s2, "de", "de", "EUR", NULL,
		    NULL, 0 };
		int ja;

		check_orders(&n, &c, &t1, &o);
		/* A tracking link that is no http(s) URL is no button: the
		 * order's own page is. */
		TEST_CHECK(exec(db, s1, "UPDATE {p}orders SET tracking_url ="
		    " 'javascript:alert(1)' WHERE number = 1002") == 0);
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_ORDER_SHIPPED,
		    "{\"order\": 1002}", &o) == NOTIFY_OK);
		TEST_CHECK(!in(&o.html, "javascript:"));
		TEST_CHECK(in(&o.html, "/order/1002?key="));
		/* Placing names the order by its id (queued before its
		 * number is taken): the same mail, with the number. */
		{
			int64_t id = order_id(db, s1, 1002);

			snprintf(payload, sizeof(payload), "{\"order_id\": "
			    "%lld}", (long long)id);
			TEST_CHECK(id > 0 && render(&n, &c, &t1,
			    NOTIFY_ORDER_RECEIVED, payload, &o) == NOTIFY_OK);
			TEST_CHECK(in(&o.html, "/order/1002?key=") &&
			    in(&o.subject, "1002"));
			TEST_CHECK(render(&n, &c, &t1, NOTIFY_ORDER_RECEIVED,
			    "{\"order_id\": 99999999}", &o) == NOTIFY_BURY);
		}
		/* A shopper who browsed in dollars reads what they saw
		 * beside the total charged in euros. */
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_ORDER_RECEIVED,
		    "{\"order\": 1002}", &o) == NOTIFY_OK &&
		    !in(&o.text, "48.90"));
		TEST_CHECK(exec(db, s1, "UPDATE {p}orders SET display_currency ="
		    " 'USD', display_total = 4890 WHERE number = 1002") == 0);
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_ORDER_RECEIVED,
		    "{\"order\": 1002}", &o) == NOTIFY_OK);
		TEST_CHECK(in(&o.text, "48.90") && in(&o.html, "48.90"));
		TEST_CHECK(exec(db, s1, "UPDATE {p}orders SET display_currency ="
		    " 'EUR', display_total = 4481 WHERE number = 1002") == 0);
		for (ja = 0; ja < 2; ja++) {
			snprintf(payload, sizeof(payload), "{\"customer\": "
			    "%lld}", (long long)(ja ? c2 : c1));
			TEST_CHECK(render(&n, &c, &t1, NOTIFY_ACCOUNT_CREATED,
			    payload, &o) == NOTIFY_OK);
			TEST_CHECK(strcmp(o.to, ja ? "hanako@example.jp" :
			    "anna@example.com") == 0);
			TEST_CHECK(in(&o.html, heading(NOTIFY_ACCOUNT_CREATED,
			    ja)));
			TEST_CHECK(!in(&o.html, "<b>Schmidt"));
			TEST_CHECK(in(&o.html, ja ? "山田花子" :
			    "Anna &lt;b&gt;Schmidt&lt;/b&gt;"));
			save(NOTIFY_ACCOUNT_CREATED, ja ? "ja" : "de", &o);
			snprintf(payload, sizeof(payload), "{\"customer\": "
			    "%lld, \"url\": \"https://shop.test/account/reset/"
			    "abc?x=1&y=2\"}", (long long)(ja ? c2 : c1));
			TEST_CHECK(render(&n, &c, &t1, NOTIFY_PASSWORD_RESET,
			    payload, &o) == NOTIFY_OK);
			TEST_CHECK(in(&o.html, heading(NOTIFY_PASSWORD_RESET,
			    ja)));
			TEST_CHECK(in(&o.html, "href=\"https://shop.test/"
			    "account/reset/abc?x=1&amp;y=2\""));
			TEST_CHECK(in(&o.text, "https://shop.test/account/"
			    "reset/abc?x=1&y=2"));
			save(NOTIFY_PASSWORD_RESET, ja ? "ja" : "de", &o);
			TEST_CHECK(!in(&o.text, ja ? "作成しようと" :
			    "anzulegen"));
			/* The same link, answering a registration of the
			 * address (shop/customer.h): says so. */
			snprintf(payload, sizeof(payload), "{\"customer\": "
			    "%lld, \"reason\": \"register\", \"url\": "
			    "\"https://shop.test/account/reset/abc\"}",
			    (long long)(ja ? c2 : c1));
			TEST_CHECK(render(&n, &c, &t1, NOTIFY_PASSWORD_RESET,
			    payload, &o) == NOTIFY_OK);
			TEST_CHECK(in(&o.text, ja ? "作成しようと" :
			    "anzulegen"));
		}

		/* Another shop's order, a missing one: buried, no crash. */
		TEST_CHECK(render(&n, &d, &t2, NOTIFY_ORDER_RECEIVED,
		    "{\"order\": 1001}", &o) == NOTIFY_BURY);
		TEST_CHECK(strstr(o.err, "no order 1001") != NULL);
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_ORDER_PAID,
		    "{\"order\": 424242}", &o) == NOTIFY_BURY);
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_ORDER_SHIPPED,
		    "{\"order\": \"1001\"}", &o) == NOTIFY_BURY);
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_ORDER_SHIPPED,
		    "{\"order\": -3}", &o) == NOTIFY_BURY);
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_ORDER_NEW, "[1001]",
		    &o) == NOTIFY_BURY);
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_ORDER_NEW, "{\"order\":",
		    &o) == NOTIFY_BURY);
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_ACCOUNT_CREATED,
		    "{\"customer\": 999999}", &o) == NOTIFY_BURY);
		snprintf(payload, sizeof(payload), "{\"customer\": %lld}",
		    (long long)c1);
		TEST_CHECK(render(&n, &d, &t2, NOTIFY_ACCOUNT_CREATED, payload,
		    &o) == NOTIFY_BURY);
		/* A reset without a link, or with a link that is no URL. */
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_PASSWORD_RESET, payload,
		    &o) == NOTIFY_BURY);
		snprintf(payload, sizeof(payload), "{\"customer\": %lld, "
		    "\"url\": \"javascript:alert(1)\"}", (long long)c1);
		TEST_CHECK(render(&n, &c, &t1, NOTIFY_PASSWORD_RESET, payload,
		    &o) == NOTIFY_BURY);
		TEST_CHECK(render(&n, &c, &t1, "shop.unheard_of", "{}", &o) ==
		    NOTIFY_NOT_MINE);

		/* The whole message: multipart, the job's Message-ID. */
		{
			struct job	job;
			struct strbuf	msg = STRBUF_INIT;
			char		want[100];

			memset(&job, 0, sizeof(job));
			job.id = 4242;
			job.tenant_id = s1;
			str_copy(job.kind, sizeof(job.kind),
			    STR(NOTIFY_ORDER_RECEIVED));
			strbuf_init(&job.payload, 0);
			strbuf_addstr(&job.payload, "{\"order\": 1001}");
			TEST_CHECK(notify_render(&n, &c, &t1, &job,
			    "noreply@souk.example", &msg, o.to, o.err,
			    sizeof(o.err)) == NOTIFY_OK);
			snprintf(want, sizeof(want), "\r\nMessage-ID: "
			    "<job-4242.%lld@souk.example>\r\n", (long long)s1);
			TEST_CHECK(strstr(msg.buf, want) != NULL);
			TEST_CHECK(strstr(msg.buf, "multipart/alternative") !=
			    NULL);
			TEST_CHECK(strstr(msg.buf, "Content-Type: text/html; "
			    "charset=UTF-8") != NULL);
			TEST_CHECK(strstr(msg.buf, "\r\nSubject: Ihre "
			    "Bestellung 1001 bei Test shop\r\n") != NULL);
			strbuf_release(&msg);
			jobs_release(&job);
			arena_reset(&a);
		}
	}
	strbuf_release(&o.subject);
	strbuf_release(&o.text);
	strbuf_release(&o.html);
	notify_free(&n);
	money_free();
	arena_free(&a);
	db_close(db);
	return test_done();
}
