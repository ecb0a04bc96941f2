/*
 * tests/unit/platform/tenant.c: host resolution, the worker cache,
 * settings, status and custom domains against the private MariaDB.
 */
#include "core/common.h"
#include "platform/account.h"
#include "platform/domain.h"
#include "platform/provision.h"
#include "platform/tenant.h"
#include "test.h"
#include "dbtest.h"

static struct db	*db;

static enum tenant_where
resolve(const char *host, const struct tenant **t)
{
	return tenant_resolve(db, str_c(host), t);
}

static void
test_validators(void)
{
	TEST_CHECK(tenant_locale_known(STR("ja")));
	TEST_CHECK(!tenant_locale_known(STR("JA")));
	TEST_CHECK(!tenant_locale_known(STR("it")));
	TEST_CHECK(tenant_currency_known(STR("KWD")));
	TEST_CHECK(tenant_currency_known(STR("JPY")));
	TEST_CHECK(!tenant_currency_known(STR("jpy")));
	TEST_CHECK(!tenant_currency_known(STR("EURO")));
	TEST_CHECK(tenant_color_valid(STR("#1f6feb")));
	TEST_CHECK(tenant_color_valid(STR("#ABCDEF")));
	TEST_CHECK(!tenant_color_valid(STR("#abcde")));
	TEST_CHECK(!tenant_color_valid(STR("red")));
	TEST_CHECK(!tenant_color_valid(STR("#12345g")));
	TEST_CHECK(!tenant_color_valid(STR("#123456;}")));
	TEST_CHECK(tenant_logo_valid(STR("")));
	TEST_CHECK(tenant_logo_valid(STR("s4/logo.png")));
	TEST_CHECK(!tenant_logo_valid(STR("/etc/passwd")));
	TEST_CHECK(!tenant_logo_valid(STR("../x.png")));
	TEST_CHECK(!tenant_logo_valid(STR("a/../../x.png")));
	TEST_CHECK(!tenant_logo_valid(STR("a//x.png")));
	TEST_CHECK(!tenant_logo_valid(STR("a/x.png\"onload=")));
	TEST_CHECK(!tenant_logo_valid(STR("a/")));
	TEST_CHECK(tenant_name_valid(STR("\xe6\x97\xa5\xe6\x9c\xac")));
	TEST_CHECK(!tenant_name_valid(STR("")));
	TEST_CHECK(!tenant_name_valid(STR("a\tb")));
	TEST_CHECK(tenant_status_parse(STR("suspended")) == TENANT_SUSPENDED);
	TEST_CHECK(tenant_status_parse(STR("bogus")) == -1);
	TEST_STREQ(tenant_status_name(TENANT_READY), "ready");
}

static void
test_resolve(int64_t id, int64_t id2)
{
	const struct tenant	*t;
	struct db_stmt		*st;
	char			 host[128], upper[128];
	size_t			 i;

	TEST_CHECK(resolve("souk.test", &t) == TENANT_PLATFORM && t == NULL);
	TEST_CHECK(resolve("WWW.Souk.Test", &t) == TENANT_PLATFORM);
	TEST_CHECK(resolve("www2.souk.test", &t) == TENANT_UNKNOWN);

	snprintf(host, sizeof(host), "%s-a.souk.test", dbtest_tag());
	TEST_CHECK(resolve(host, &t) == TENANT_FOUND);
	TEST_CHECK(t != NULL && t->id == id && t->status == TENANT_READY);
	for (i = 0; host[i] != '\0'; i++)
		upper[i] = (char)(host[i] >= 'a' && host[i] <= 'z' ?
		    host[i] - 32 : host[i]);
	upper[i] = '\0';
	TEST_CHECK(resolve(upper, &t) == TENANT_FOUND && t->id == id);

	/* Only one label below the platform domain. */
	snprintf(host, sizeof(host), "x.%s-a.souk.test", dbtest_tag());
	TEST_CHECK(resolve(host, &t) == TENANT_UNKNOWN);
	TEST_CHECK(resolve("nosuchshop.souk.test", &t) == TENANT_UNKNOWN);
	TEST_CHECK(resolve("souk.test.evil.com", &t) == TENANT_UNKNOWN);
	TEST_CHECK(resolve("", &t) == TENANT_UNKNOWN);
	TEST_CHECK(resolve("a b.souk.test", &t) == TENANT_UNKNOWN);
	TEST_CHECK(resolve("x'or'1'='1.souk.test", &t) == TENANT_UNKNOWN);
	TEST_CHECK(tenant_resolve(db, (struct str){ "ab\0c.souk.test", 14 },
	    &t) == TENANT_UNKNOWN);

	/* Custom domains. */
	snprintf(host, sizeof(host), "shop-%s.example.org", dbtest_tag());
	TEST_CHECK(resolve(host, &t) == TENANT_UNKNOWN);
	TEST_CHECK(domain_add(db, id2, str_c(host)) == DOMAIN_OK);
	TEST_CHECK(resolve(host, &t) == TENANT_FOUND && t->id == id2);
	TEST_CHECK(domain_add(db, id, str_c(host)) ==
	    DOMAIN_ETAKEN);
	TEST_CHECK(domain_add(db, id, STR("x.souk.test")) ==
	    DOMAIN_EINVAL_HOST);
	TEST_CHECK(domain_add(db, id, STR("souk.test")) ==
	    DOMAIN_EINVAL_HOST);
	TEST_CHECK(domain_add(db, id, STR("localhost")) ==
	    DOMAIN_EINVAL_HOST);
	TEST_CHECK(domain_add(db, id, STR("1.2.3.4")) ==
	    DOMAIN_EINVAL_HOST);
	TEST_CHECK(domain_add(db, id, STR("-a.example.com")) ==
	    DOMAIN_EINVAL_HOST);
	TEST_CHECK(domain_add(db, id, STR("a..example.com")) ==
	    DOMAIN_EINVAL_HOST);
	TEST_CHECK(domain_add(db, id, STR("a_b.example.com")) ==
	    DOMAIN_EINVAL_HOST);

	/* The cache answers without the database until it expires or is
	 * invalidated: change the row behind its back. */
	snprintf(host, sizeof(host), "%s-a.souk.test", dbtest_tag());
	TEST_CHECK(resolve(host, &t) == TENANT_FOUND);
	st = db_prepare(db, "UPDATE souk_tenants SET name = 'Renamed' "
	    "WHERE id = ?", 0);
	db_bind_i64(st, 0, id);
	TEST_CHECK(db_exec(st, NULL) == 0);
	TEST_CHECK(resolve(host, &t) == TENANT_FOUND);
	TEST_STREQ(t->name, "Test shop");
	tenant_cache_invalidate();
	TEST_CHECK(resolve(host, &t) == TENANT_FOUND);
	TEST_STREQ(t->name, "Renamed");

	/* Status changes through tenant_set_status show at once here. */
	TEST_CHECK(tenant_set_status(db, id, TENANT_SUSPENDED, "unpaid") ==
	    TENANT_OK);
	TEST_CHECK(resolve(host, &t) == TENANT_FOUND);
	TEST_CHECK(t->status == TENANT_SUSPENDED);
	TEST_STREQ(t->status_reason, "unpaid");
	TEST_CHECK(tenant_set_status(db, id, TENANT_READY, NULL) ==
	    TENANT_OK);
	TEST_CHECK(resolve(host, &t) == TENANT_FOUND &&
	    t->status == TENANT_READY);
	TEST_CHECK(tenant_set_status(db, 999999999, TENANT_READY, NULL) ==
	    TENANT_ENOTFOUND);

	/* Per-shop generations: a change of shop id leaves the other
	 * shop's cached entry (its row changed behind the cache's back
	 * stays unseen), and a change of that shop drops it. */
	{
		char host2[128];

		snprintf(host2, sizeof(host2), "%s-b.souk.test", dbtest_tag());
		TEST_CHECK(resolve(host2, &t) == TENANT_FOUND &&
		    t->id == id2);
		st = db_prepare(db, "UPDATE souk_tenants SET name = "
		    "'Behind' WHERE id = ?", 0);
		db_bind_i64(st, 0, id2);
		TEST_CHECK(db_exec(st, NULL) == 0);
		TEST_CHECK(tenant_set_status(db, id, TENANT_READY, "a") ==
		    TENANT_OK);
		TEST_CHECK(resolve(host2, &t) == TENANT_FOUND);
		TEST_STREQ(t->name, "Test shop");
		TEST_CHECK(tenant_set_status(db, id2, TENANT_READY, NULL) ==
		    TENANT_OK);
		TEST_CHECK(resolve(host2, &t) == TENANT_FOUND);
		TEST_STREQ(t->name, "Behind");
	}

	/* Removing the domain. */
	snprintf(host, sizeof(host), "shop-%s.example.org", dbtest_tag());
	TEST_CHECK(domain_remove(db, id2, str_c(host)) == DOMAIN_OK);
	TEST_CHECK(resolve(host, &t) == TENANT_UNKNOWN);
}

static int64_t
one_i64(int64_t shop, const char *sql)
{
	struct db_stmt	*st = db_prepare(db, sql, shop);
	int64_t		 v = -1;

	if (st != NULL && db_exec(st, NULL) == 0 && db_step(st) == 1)
		v = db_col_i64(st, 0);
	if (st != NULL)
		db_done(st);
	return v;
}

/*
 * A new base currency rescales the shop's amounts, shipping costs and
 * fixed coupons too (not percentages); once the shop has an order it
 * is refused, and nothing changes.
 */
static void
test_currency_locked(int64_t id, struct tenant_settings *s)
{
	struct tenant t;

	s->name = STR("Shop");
	s->color_primary = STR("#000000");
	s->logo = STR("");
	s->currency = STR("JPY");
	TEST_CHECK(tenant_update_settings(db, id, s) == TENANT_OK);
	TEST_CHECK(one_i64(id, "INSERT INTO {p}ship_methods (zone_id, kind,"
	    " cost, min_total) VALUES (1, 'flat', 800, 5000)") == -1);
	TEST_CHECK(one_i64(id, "INSERT INTO {p}ship_methods (zone_id, kind,"
	    " name, bands) VALUES (1, 'weight', 'By weight',"
	    " '1000:490, 5000:990\n*:99999999'), (1, 'weight', 'Heavy',"
	    " '*:2500')") == -1);
	TEST_CHECK(one_i64(id, "INSERT INTO {p}coupons (code, kind, amount,"
	    " min_spend) VALUES ('TEN', 'percent', 1000, 3000), ('FIVE',"
	    " 'fixed', 500, 0)") == -1);
	TEST_CHECK(one_i64(id, "INSERT INTO {p}products (slug, price,"
	    " sale_price) VALUES ('rescaled', 1500, 1200)") == -1);
	TEST_CHECK(one_i64(id, "INSERT INTO {p}variants (product_id, sku, name,"
	    " price, sale_price) SELECT id, 'R-1', 'S', NULL, 1100 FROM"
	    " {p}products WHERE slug = 'rescaled'") == -1);
	s->currency = STR("EUR");
	TEST_CHECK(tenant_update_settings(db, id, s) == TENANT_OK);
	TEST_CHECK(one_i64(id, "SELECT sale_price FROM {p}products WHERE"
	    " slug = 'rescaled'") == 120000);
	TEST_CHECK(one_i64(id, "SELECT sale_price FROM {p}variants WHERE"
	    " sku = 'R-1'") == 110000);
	TEST_CHECK(one_i64(id, "SELECT COUNT(*) FROM {p}variants WHERE"
	    " sku = 'R-1' AND price IS NULL") == 1);
	TEST_CHECK(one_i64(id, "SELECT cost FROM {p}ship_methods WHERE"
	    " kind = 'flat'") == 80000);
	TEST_CHECK(one_i64(id, "SELECT min_total FROM {p}ship_methods WHERE"
	    " kind = 'flat'") == 500000);
	/* The bands' costs too, capped at what a band may cost. */
	TEST_CHECK(one_i64(id, "SELECT COUNT(*) FROM {p}ship_methods WHERE"
	    " bands = '1000:49000 5000:99000 *:1000000000'") == 1);
	TEST_CHECK(one_i64(id, "SELECT COUNT(*) FROM {p}ship_methods WHERE"
	    " bands = '*:250000'") == 1);
	TEST_CHECK(one_i64(id, "SELECT amount FROM {p}coupons WHERE"
	    " code = 'TEN'") == 1000);
	TEST_CHECK(one_i64(id, "SELECT min_spend FROM {p}coupons WHERE"
	    " code = 'TEN'") == 300000);
	TEST_CHECK(one_i64(id, "SELECT amount FROM {p}coupons WHERE"
	    " code = 'FIVE'") == 50000);
	TEST_CHECK(one_i64(id, "INSERT INTO {p}orders (number, status, email,"
	    " locale, idem_key, access_key, currency, prices_include_tax,"
	    " subtotal, discount, shipping, shipping_tax, tax, total,"
	    " display_currency, fx_rate, display_total, payment_method)"
	    " VALUES (1001, 'on-hold', 'a@example.com', 'en', REPEAT('a', 32),"
	    " REPEAT('b', 32), 'EUR', 1, 100, 0, 0, 0, 0, 100, 'EUR',"
	    " 100000000, 100, 'bacs')") == -1);
	s->currency = STR("USD");
	TEST_CHECK(tenant_update_settings(db, id, s) ==
	    TENANT_ECURRENCY_LOCKED);
	TEST_CHECK(tenant_get_by_id(db, id, &t) == TENANT_OK);
	TEST_STREQ(t.currency, "EUR");
	TEST_CHECK(one_i64(id, "SELECT cost FROM {p}ship_methods WHERE"
	    " kind = 'flat'") == 80000);
	/* The rest of the form still saves with the currency it has. */
	s->currency = STR("EUR");
	s->name = STR("Shop with orders");
	TEST_CHECK(tenant_update_settings(db, id, s) == TENANT_OK);
	TEST_CHECK(tenant_get_by_id(db, id, &t) == TENANT_OK);
	TEST_STREQ(t.name, "Shop with orders");
	TEST_CHECK(strcmp(tenant_strerror(TENANT_ECURRENCY_LOCKED),
	    "unknown error") != 0);
}

static void
test_settings(int64_t id)
{
	struct tenant_settings	 s;
	struct tenant		 t;

	memset(&s, 0, sizeof(s));
	s.name = STR("New \xc3\x9cName");
	s.color_primary = STR("#112233");
	s.color_accent = STR("#AABBCC");
	s.locales[0] = STR("en");
	s.locales[1] = STR("ja");
	s.nlocales = 2;
	s.default_locale = STR("ja");
	s.currency = STR("JPY");
	s.logo = STR("logo.png");
	TEST_CHECK(tenant_update_settings(db, id, &s) == TENANT_OK);
	TEST_CHECK(tenant_update_settings(db, id, &s) == TENANT_OK);
	TEST_CHECK(tenant_get_by_id(db, id, &t) == TENANT_OK);
	TEST_STREQ(t.name, "New \xc3\x9cName");
	TEST_STREQ(t.color_accent, "#AABBCC");
	TEST_CHECK(t.nlocales == 2);
	TEST_STREQ(t.locales[1], "ja");
	TEST_STREQ(t.default_locale, "ja");
	TEST_STREQ(t.currency, "JPY");
	TEST_STREQ(t.logo, "logo.png");
	TEST_CHECK(tenant_update_settings(db, 999999999, &s) ==
	    TENANT_ENOTFOUND);

	s.default_locale = STR("de");
	TEST_CHECK(tenant_update_settings(db, id, &s) ==
	    TENANT_EINVAL_LOCALE);
	s.default_locale = STR("en");
	s.locales[1] = STR("en");
	TEST_CHECK(tenant_update_settings(db, id, &s) ==
	    TENANT_EINVAL_LOCALE);
	s.locales[1] = STR("ja");
	s.nlocales = 0;
	TEST_CHECK(tenant_update_settings(db, id, &s) ==
	    TENANT_EINVAL_LOCALE);
	s.nlocales = 2;
	s.currency = STR("ABC");
	TEST_CHECK(tenant_update_settings(db, id, &s) ==
	    TENANT_EINVAL_CURRENCY);
	s.currency = STR("EUR");
	s.color_primary = STR("blue");
	TEST_CHECK(tenant_update_settings(db, id, &s) == TENANT_EINVAL_COLOR);
	s.color_primary = STR("#000000");
	s.logo = STR("../../etc/passwd");
	TEST_CHECK(tenant_update_settings(db, id, &s) == TENANT_EINVAL_LOGO);
	s.logo = STR("");
	s.name = STR("");
	TEST_CHECK(tenant_update_settings(db, id, &s) == TENANT_EINVAL_NAME);
	/* Nothing of the rejected ones was stored. */
	TEST_CHECK(tenant_get_by_id(db, id, &t) == TENANT_OK);
	TEST_STREQ(t.currency, "JPY");
	test_currency_locked(id, &s);
}

static void
test_list(int64_t id, int64_t id2, int64_t owner)
{
	struct arena	 a;
	struct tenant	*ts;
	size_t		 n, i;
	int		 seen = 0;

	arena_init(&a);
	TEST_CHECK(tenant_list(db, &a, owner, 100, 0, &ts, &n) == TENANT_OK);
	TEST_CHECK(n == 2);
	if (n == 2)
		TEST_CHECK(ts[0].id == id && ts[1].id == id2);
	TEST_CHECK(tenant_list(db, &a, owner, 1, 1, &ts, &n) == TENANT_OK);
	TEST_CHECK(n == 1 && ts[0].id == id2);
	TEST_CHECK(tenant_list(db, &a, 0, 10000, 0, &ts, &n) == TENANT_OK);
	for (i = 0; i < n; i++)
		seen += ts[i].id == id || ts[i].id == id2;
	TEST_CHECK(seen == 2);
	arena_free(&a);
}

/* What soukctl, the operator console and the tenant API share:
 * counting, suspending and resuming, the theme. */
static void
test_api_functions(int64_t id, int64_t id2, int64_t owner)
{
	struct tenant	t;
	int64_t		n = 0, all = 0;

	TEST_CHECK(tenant_count(db, owner, &n) == TENANT_OK && n == 2);
	TEST_CHECK(tenant_count(db, 0, &all) == TENANT_OK && all >= 2);
	TEST_CHECK(tenant_get_by_id(db, id, &t) == TENANT_OK);
	TEST_CHECK(tenant_resume(db, &t) == TENANT_ESTATE);
	TEST_CHECK(tenant_suspend(db, &t, "unpaid") == TENANT_OK);
	TEST_CHECK(tenant_get_by_id(db, id, &t) == TENANT_OK);
	TEST_CHECK(t.status == TENANT_SUSPENDED);
	TEST_STREQ(t.status_reason, "unpaid");
	TEST_CHECK(tenant_suspend(db, &t, NULL) == TENANT_OK);
	TEST_CHECK(tenant_get_by_id(db, id, &t) == TENANT_OK);
	TEST_STREQ(t.status_reason, "suspended by an operator");
	TEST_CHECK(tenant_resume(db, &t) == TENANT_OK);
	TEST_CHECK(tenant_get_by_id(db, id, &t) == TENANT_OK);
	TEST_CHECK(t.status == TENANT_READY && t.status_reason[0] == '\0');
	TEST_CHECK(tenant_set_status(db, id2, TENANT_FAILED, "x") ==
	    TENANT_OK);
	TEST_CHECK(tenant_get_by_id(db, id2, &t) == TENANT_OK);
	TEST_CHECK(tenant_suspend(db, &t, NULL) == TENANT_ESTATE);
	TEST_CHECK(tenant_set_status(db, id2, TENANT_READY, NULL) ==
	    TENANT_OK);
	TEST_CHECK(tenant_theme_valid(STR("default")));
	TEST_CHECK(!tenant_theme_valid(STR("nope")));
	TEST_CHECK(!tenant_theme_valid(STR("../default")));
	TEST_CHECK(!tenant_theme_valid(STR("")));
	TEST_CHECK(tenant_set_theme(db, id, STR("Default")) ==
	    TENANT_EINVAL_THEME);
	TEST_CHECK(tenant_set_theme(db, id, STR("default")) == TENANT_OK);
}

int
main(void)
{
	struct account	acct;
	char		email[80], err[512];
	int64_t		id, id2;

	test_validators();
	db = dbtest_open("test-tenant");
	/* The environment beats the file (config.h): set it there, since
	 * the test runner exports SOUK_PLATFORM_DOMAIN for other tests. */
	setenv("SOUK_PLATFORM_DOMAIN", "souk.test", 1);
	snprintf(email, sizeof(email), "tenant-%s@example.com", dbtest_tag());
	id = dbtest_shop(db, "a", email, NULL, NULL, NULL);
	id2 = dbtest_shop(db, "b", email, NULL, NULL, NULL);
	TEST_CHECK(id > 0 && id2 > 0);
	TEST_CHECK(account_get_by_email(db, str_c(email), &acct) ==
	    ACCOUNT_OK);
	test_resolve(id, id2);
	test_settings(id);
	test_list(id, id2, acct.id);
	test_api_functions(id, id2, acct.id);
	TEST_CHECK(provision_delete(db, id, err, sizeof(err)) == PROVISION_OK);
	TEST_CHECK(provision_delete(db, id2, err, sizeof(err)) ==
	    PROVISION_OK);
	tenant_cache_free();
	db_close(db);
	migrate_free();
	config_free();
	return test_done();
}
