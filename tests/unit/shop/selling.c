/*
 * tests/unit/shop/selling.c: the worker's copy of a shop's settings,
 * tax rates, zones and methods. A request reads them once; the next
 * request of the same worker reads none (a change made behind souk's
 * back, by SQL, is not seen within the lifetime); every save through
 * settings, tax and shipping is seen by the next request, also when
 * another process of the pool saved it; one shop's are not another's;
 * selling_methods() gives a zone's methods only.
 */
#include <sys/wait.h>
#include "core/common.h"
#include "shop/selling.h"
#include "test.h"
#include "dbtest.h"

static struct db	*db;
static struct arena	 a;

static void
sql(int64_t shop, const char *text)
{
	struct db_stmt *st = db_prepare(db, text, shop);

	TEST_CHECK(st != NULL && db_exec(st, NULL) == 0);
	if (st != NULL)
		db_done(st);
}

/* A new request of this worker in shop. */
static struct shop_ctx
request(int64_t shop)
{
	arena_reset(&a);
	return (struct shop_ctx){ db, &a, shop, "de", "de", "EUR", NULL,
	    NULL, 0 };
}

static int64_t
zone(struct shop_ctx *c, const char *name, const char *countries)
{
	struct ship_zone	z = { 0 };
	struct field_errors	e = { .n = 0 };

	z.name = str_c(name);
	z.countries = str_c(countries);
	z.regions = z.postcodes = STR("");
	TEST_CHECK(ship_zone_save(c, &z, &e) == SHOP_OK && e.n == 0);
	return z.id;
}

static int64_t
method(struct shop_ctx *c, int64_t zone_id, const char *name, int64_t cost)
{
	struct ship_method	m = { 0 };
	struct field_errors	e = { .n = 0 };

	m.zone_id = zone_id;
	m.kind = SHIP_FLAT;
	m.name = str_c(name);
	m.cost = cost;
	m.bands = STR("");
	m.enabled = 1;
	TEST_CHECK(ship_method_save(c, &m, &e) == SHOP_OK && e.n == 0);
	return m.id;
}

static int64_t
rate(struct shop_ctx *c, int32_t r)
{
	struct tax_rate		t = { 0 };
	struct field_errors	e = { .n = 0 };

	t.tax_class = TAX_STANDARD;
	memcpy(t.country, "DE", 3);
	t.region = t.postcodes = STR("");
	t.rate = r;
	t.name = STR("MwSt.");
	TEST_CHECK(tax_rate_save(c, &t, &e) == SHOP_OK && e.n == 0);
	return t.id;
}

int
main(void)
{
	const struct selling		*s, *s2;
	const struct ship_method	*m;
	struct shop_ctx			 c;
	struct shop_settings		 set;
	struct field_errors		 e = { .n = 0 };
	int64_t				 s1, sb, de, at, dhl;
	int				 st;
	size_t				 n;
	pid_t				 pid;

	db = dbtest_open("unit/shop/selling");
	arena_init(&a);
	s1 = dbtest_shop(db, "sell1", NULL, NULL, "de", "EUR");
	sb = dbtest_shop(db, "sell2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && sb > 0);

	/* A shop never set up: defaults, nothing else. */
	c = request(s1);
	TEST_CHECK(selling_get(&c, &s) == SHOP_OK);
	TEST_CHECK(s->settings.prices_include_tax == 1 &&
	    s->settings.pay_bacs == 1 && s->nrates == 0 && s->nzones == 0 &&
	    s->nmethods == 0);

	/* Saves through the modules: seen by the next request. */
	c = request(s1);
	(void)rate(&c, 190000);
	de = zone(&c, "Deutschland", "DE");
	at = zone(&c, "Österreich", "AT");
	dhl = method(&c, de, "DHL", 490);
	(void)method(&c, at, "Post AT", 990);
	(void)method(&c, de, "Hermes", 390);
	c = request(s1);
	TEST_CHECK(selling_get(&c, &s) == SHOP_OK);
	TEST_CHECK(s->nrates == 1 && s->rates[0].rate == 190000 &&
	    s->nzones == 2 && s->nmethods == 3);
	m = selling_methods(s, de, &n);
	TEST_CHECK(n == 2 && m[0].id == dhl && str_eqc(m[1].name, "Hermes"));
	m = selling_methods(s, at, &n);
	TEST_CHECK(n == 1 && m[0].cost == 990);
	m = selling_methods(s, 999999, &n);
	TEST_CHECK(n == 0);
	/* The same request: the same copy. */
	TEST_CHECK(selling_get(&c, &s2) == SHOP_OK && s2 == s);

	/* The next request reads nothing: a change by SQL, behind souk's
	 * back, shows only after SELLING_TTL_MS. */
	sql(s1, "UPDATE {p}tax_rates SET rate = 70000");
	c = request(s1);
	TEST_CHECK(selling_get(&c, &s) == SHOP_OK && s->nrates == 1 &&
	    s->rates[0].rate == 190000);

	/* A save drops it: the SQL change shows with the save's. */
	(void)rate(&c, 100000);
	TEST_CHECK(c.selling == NULL);
	c = request(s1);
	TEST_CHECK(selling_get(&c, &s) == SHOP_OK && s->nrates == 2 &&
	    s->rates[0].rate + s->rates[1].rate == 170000);

	/* Settings. */
	TEST_CHECK(settings_get(&c, &set) == SHOP_OK);
	set.pay_cod = 1;
	TEST_CHECK(settings_save(&c, &set, &e) == SHOP_OK);
	c = request(s1);
	TEST_CHECK(selling_get(&c, &s) == SHOP_OK && s->settings.pay_cod == 1);

	/* Another worker of the pool deletes a method. */
	if ((pid = fork()) == 0) {
		struct db	*own = db_open();
		struct arena	 oa;
		struct shop_ctx	 oc = { own, &oa, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };

		arena_init(&oa);
		_exit(ship_method_delete(&oc, dhl) == SHOP_OK ? 0 : 1);
	}
	TEST_CHECK(pid > 0 && waitpid(pid, &st, 0) == pid &&
	    WIFEXITED(st) && WEXITSTATUS(st) == 0);
	c = request(s1);
	TEST_CHECK(selling_get(&c, &s) == SHOP_OK && s->nmethods == 2);
	m = selling_methods(s, de, &n);
	TEST_CHECK(n == 1 && str_eqc(m[0].name, "Hermes"));

	/* Another shop: its own. */
	c = request(sb);
	TEST_CHECK(selling_get(&c, &s) == SHOP_OK && s->nrates == 0 &&
	    s->nzones == 0 && s->settings.pay_cod == 0);

	/* A zone's deletion takes its methods along. */
	c = request(s1);
	TEST_CHECK(ship_zone_delete(&c, de) == SHOP_OK);
	c = request(s1);
	TEST_CHECK(selling_get(&c, &s) == SHOP_OK && s->nzones == 1 &&
	    s->nmethods == 1 && s->methods[0].zone_id == at);

	selling_cache_free();
	arena_free(&a);
	db_close(db);
	return test_done();
}
