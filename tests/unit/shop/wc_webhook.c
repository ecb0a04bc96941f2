/* Unit test of shop/wc_webhook.c: the signature, saving (a local or
 * private target refused, the secret sealed), and firing: one job per
 * active webhook of the topic, none for a paused one, another topic or
 * another shop. Delivery itself is tests/http/test_wc-webhooks.py's. */
#include "core/common.h"

#include "core/secret.h"
#include "shop/shop.h"
#include "shop/wc_webhook.h"
#include "test.h"
#include "dbtest.h"

static struct db *db;

static int64_t
jobs_of(int64_t shop, int64_t id)
{
	struct db_stmt	*st;
	char		 like[64];
	int64_t		 n = -1;

	snprintf(like, sizeof(like), "%%\"id\": %lld}", (long long)id);
	st = db_prepare(db, "SELECT COUNT(*) FROM souk_jobs WHERE"
	    " tenant_id = ? AND kind = '" WC_WEBHOOK_JOB_KIND "'"
	    " AND payload LIKE ?", 0);
	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, shop);
	db_bind_cstr(st, 1, like);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	return n;
}

static void
drop_jobs(int64_t shop)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM souk_jobs WHERE"
	    " tenant_id = ? AND kind = '" WC_WEBHOOK_JOB_KIND "'", 0);

	if (st == NULL)
		return;
	db_bind_i64(st, 0, shop);
	(void)db_exec(st, NULL);
	db_done(st);
}

static int
save(struct shop_ctx *ctx, const char *topic, const char *url,
    enum wc_webhook_status s, int64_t *id, struct field_errors *errs)
{
	struct wc_webhook_in in;

	memset(&in, 0, sizeof(in));
	memset(errs, 0, sizeof(*errs));
	in.name = STR("Sync");
	in.status = s;
	in.topic = str_c(topic);
	in.delivery_url = str_c(url);
	in.secret = STR("");
	return wc_webhook_save(ctx, &in, id, errs);
}

static void
test_sign(void)
{
	char sig[45];

	/* Python: base64(hmac.new(b'sekret', b'{"id": 7}', sha256)). */
	wc_webhook_sign(STR("{\"id\": 7}"), STR("sekret"), sig);
	TEST_STREQ(sig, "dUwyDITDCDoMhxSHAwo4odpsoXhZamAKNQV+zVY1jbI=");
}

static void
test_save(struct shop_ctx *c1)
{
	static const char *const refused[] = {
		"http://127.0.0.1:8080/hook", "http://10.1.2.3/",
		"http://[::1]/x", "http://169.254.169.254/latest",
		"http://192.168.0.1/", "ftp://192.0.2.10/x", "not a url",
		"http://localhost/",
	};
	struct field_errors	 errs;
	struct wc_webhook	 w;
	int64_t			 id;
	size_t			 i;

	for (i = 0; i < NELEM(refused); i++) {
		id = 0;
		TEST_CHECK(save(c1, "order.created", refused[i],
		    WC_WEBHOOK_ACTIVE, &id, &errs) == SHOP_EINVAL);
		TEST_CHECK(errs.n == 1 &&
		    strcmp(errs.v[0].field, "delivery_url") == 0);
	}
	id = 0;
	TEST_CHECK(save(c1, "order.nonsense", "http://192.0.2.10/",
	    WC_WEBHOOK_ACTIVE, &id, &errs) == SHOP_EINVAL);
	TEST_CHECK(errs.n == 1 && strcmp(errs.v[0].field, "topic") == 0);
	/* order.deleted: souk never deletes an order, so never fires it. */
	TEST_CHECK(save(c1, "order.deleted", "http://192.0.2.10/",
	    WC_WEBHOOK_ACTIVE, &id, &errs) == SHOP_EINVAL);
	TEST_CHECK(save(c1, "order.created", "http://192.0.2.10/hook",
	    WC_WEBHOOK_ACTIVE, &id, &errs) == SHOP_OK && id > 0);
	TEST_CHECK(wc_webhook_get(c1, id, &w) == SHOP_OK);
	TEST_CHECK(str_eqc(w.topic, "order.created"));
	TEST_CHECK(str_eqc(w.api_version, "wp_api_v3"));
	TEST_CHECK(w.status == WC_WEBHOOK_ACTIVE);
	TEST_CHECK(wc_webhook_get(c1, id + 1000, &w) == SHOP_ENOTFOUND);
}

/* The sealed secret in the row, never the text. */
static void
test_sealed(int64_t shop)
{
	struct db_stmt	*st;
	int		 sealed = 0;

	st = db_prepare(db, "SELECT secret FROM {p}wc_webhooks", shop);
	if (st == NULL || db_exec(st, NULL) != 0) {
		TEST_CHECK(!"read secrets");
		return;
	}
	while (db_step(st) == 1)
		sealed += secret_is_sealed(db_col_str(st, 0)) ? 1 : -100;
	db_done(st);
	TEST_CHECK(sealed > 0);
}

static void
test_fire(struct shop_ctx *c1, struct shop_ctx *c2)
{
	struct field_errors	errs;
	int64_t			id = 0, id2 = 0;

	drop_jobs(c1->tenant);
	drop_jobs(c2->tenant);
	/* Shop 2 has none: nothing, without a statement (cached). */
	TEST_CHECK(wc_webhook_fire(c2, "order.created", 501) == SHOP_OK);
	TEST_CHECK(jobs_of(c2->tenant, 501) == 0);
	/* Shop 1: its one order.created webhook (test_save's). */
	TEST_CHECK(wc_webhook_fire(c1, "order.created", 501) == SHOP_OK);
	TEST_CHECK(jobs_of(c1->tenant, 501) == 1);
	TEST_CHECK(wc_webhook_fire(c1, "order.updated", 502) == SHOP_OK);
	TEST_CHECK(jobs_of(c1->tenant, 502) == 0);
	/* A second one of the topic: two jobs from one INSERT. */
	TEST_CHECK(save(c1, "order.created", "https://192.0.2.11/",
	    WC_WEBHOOK_ACTIVE, &id, &errs) == SHOP_OK);
	TEST_CHECK(wc_webhook_fire(c1, "order.created", 503) == SHOP_OK);
	TEST_CHECK(jobs_of(c1->tenant, 503) == 2);
	/* Paused: not fired; active again: fired. */
	TEST_CHECK(wc_webhook_set_status(c1, id, WC_WEBHOOK_PAUSED) ==
	    SHOP_OK);
	TEST_CHECK(wc_webhook_fire(c1, "order.created", 504) == SHOP_OK);
	TEST_CHECK(jobs_of(c1->tenant, 504) == 1);
	/* A paused webhook saved paused stays out of the topics. */
	TEST_CHECK(save(c1, "customer.created", "https://192.0.2.12/",
	    WC_WEBHOOK_PAUSED, &id2, &errs) == SHOP_OK);
	TEST_CHECK(wc_webhook_fire(c1, "customer.created", 505) == SHOP_OK);
	TEST_CHECK(jobs_of(c1->tenant, 505) == 0);
	TEST_CHECK(wc_webhook_set_status(c1, id2, WC_WEBHOOK_ACTIVE) ==
	    SHOP_OK);
	TEST_CHECK(wc_webhook_fire(c1, "customer.created", 506) == SHOP_OK);
	TEST_CHECK(jobs_of(c1->tenant, 506) == 1);
	/* Deleted: gone from the topics. */
	TEST_CHECK(wc_webhook_delete(c1, id2) == SHOP_OK);
	TEST_CHECK(wc_webhook_delete(c1, id2) == SHOP_ENOTFOUND);
	TEST_CHECK(wc_webhook_fire(c1, "customer.created", 507) == SHOP_OK);
	TEST_CHECK(jobs_of(c1->tenant, 507) == 0);
	/* Never another shop's. */
	TEST_CHECK(jobs_of(c2->tenant, 503) == 0);
	drop_jobs(c1->tenant);
}

int
main(void)
{
	static const unsigned char k[SECRET_KEY_BYTES] = "webhook test key";
	struct arena	a;
	int64_t		s1, s2;

	db = dbtest_open("unit/shop/wc_webhook");
	config_set("fetch_allow_private", "0");
	arena_init(&a);
	secret_set_key(k);
	test_sign();
	s1 = dbtest_shop(db, "wh1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "wh2", NULL, NULL, "en", "USD");
	TEST_CHECK(s1 > 0 && s2 > 0);
	if (s1 > 0 && s2 > 0) {
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "en", "en", "USD", NULL,
		    NULL, 0 };

		test_save(&c1);
		test_sealed(s1);
		test_fire(&c1, &c2);
	}
	wc_webhook_cache_free();
	secret_set_key(NULL);
	arena_free(&a);
	db_close(db);
	return test_done();
}
