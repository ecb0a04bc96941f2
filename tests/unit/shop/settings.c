/*
 * tests/unit/shop/settings.c: a new shop's defaults (prices with tax
 * but in USD and CAD), a save validated field by field with nothing
 * written on a bad one, read back as saved; one shop's settings are
 * not another's; a row the form does not save (the order counter of
 * shops made before order numbers came from the orders' ids) is no
 * setting.
 */
#include "core/common.h"
#include "shop/settings.h"
#include "test.h"
#include "dbtest.h"

static int
has_error(const struct field_errors *e, const char *field)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0)
			return 1;
	return 0;
}

int
main(void)
{
	struct db		*db = dbtest_open("unit/shop/settings");
	struct arena		 a;
	struct shop_settings	 s, t;
	struct field_errors	 errs = { .n = 0 };
	char			 big[SETTINGS_TEXT_MAX + 2];
	int64_t			 s1, s2, s3;

	arena_init(&a);
	s1 = dbtest_shop(db, "set1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "set2", NULL, NULL, "en", "USD");
	s3 = dbtest_shop(db, "set3", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0 && s3 > 0);
	{
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "en", "en", "USD", NULL,
		    NULL, 0 };
		struct shop_ctx c3 = { db, &a, s3, "de", "de", "EUR", NULL,
		    NULL, 0 };

		/* Defaults, never saved. */
		TEST_CHECK(settings_get(&c1, &s) == SHOP_OK);
		TEST_CHECK(s.prices_include_tax == 1 && s.tax_shipping == 1 &&
		    s.tax_round_total == 0 && s.pay_bacs == 1 &&
		    s.pay_cheque == 0 && s.pay_cod == 0 &&
		    s.low_stock == 3 && s.country[0] == '\0' &&
		    s.bank_details.len == 0 && s.order_email.len == 0);
		TEST_CHECK(settings_get(&c2, &s) == SHOP_OK);
		TEST_CHECK(s.prices_include_tax == 0 && s.tax_shipping == 1);

		/* Every bad field has its error; nothing is written. */
		TEST_CHECK(settings_get(&c1, &s) == SHOP_OK);
		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(s.country, "XX", 3);
		s.bank_details = str_c(big);
		s.cheque_payee = STR("Line one\nline two");
		s.order_email = STR("not an address");
		s.pay_cod = 2;
		s.low_stock = -1;
		TEST_CHECK(settings_save(&c1, &s, &errs) == SHOP_EINVAL);
		TEST_CHECK(has_error(&errs, "country") &&
		    has_error(&errs, "bank_details") &&
		    has_error(&errs, "cheque_payee") &&
		    has_error(&errs, "order_email") &&
		    has_error(&errs, "pay_cod") &&
		    has_error(&errs, "low_stock") &&
		    !has_error(&errs, "pay_bacs"));
		TEST_CHECK(settings_get(&c1, &t) == SHOP_OK &&
		    t.pay_cod == 0 && t.low_stock == 3 && t.country[0] == 0);

		TEST_CHECK(settings_get(&c1, &s) == SHOP_OK);
		/* A good save reads back as saved (texts trimmed, e-mail
		 * lower-cased), and only in its shop. */
		memcpy(s.country, "DE", 3);
		s.prices_include_tax = 1;
		s.tax_round_total = 1;
		s.tax_shipping = 0;
		s.pay_cheque = 1;
		s.pay_cod = 1;
		s.bank_details = STR(" Surf GmbH\nIBAN DE89 3704 0044 0532 "
		    "0130 00\nBIC COBADEFFXXX ");
		s.cheque_payee = STR("Surf GmbH");
		s.order_email = STR("Orders@Example.COM");
		s.low_stock = 5;
		TEST_CHECK(settings_save(&c1, &s, &errs) == SHOP_OK &&
		    errs.n == 0);
		TEST_CHECK(settings_get(&c1, &t) == SHOP_OK);
		TEST_STREQ(t.country, "DE");
		TEST_CHECK(t.tax_round_total == 1 && t.tax_shipping == 0 &&
		    t.pay_cheque == 1 && t.pay_cod == 1 && t.pay_bacs == 1 &&
		    t.low_stock == 5);
		TEST_CHECK(str_eqc(t.bank_details, "Surf GmbH\nIBAN DE89 3704 "
		    "0044 0532 0130 00\nBIC COBADEFFXXX"));
		TEST_CHECK(str_eqc(t.order_email, "orders@example.com"));
		TEST_CHECK(str_eqc(t.cheque_payee, "Surf GmbH"));
		TEST_CHECK(settings_get(&c3, &t) == SHOP_OK &&
		    t.pay_cod == 0 && t.country[0] == '\0');
		/* Saving twice updates in place. */
		s.low_stock = 0;
		TEST_CHECK(settings_save(&c1, &s, &errs) == SHOP_OK);
		TEST_CHECK(settings_get(&c1, &t) == SHOP_OK &&
		    t.low_stock == 0);

		/* A row no form saves is no setting. */
		TEST_CHECK(db_exec_ddl(db, "INSERT INTO {p}settings (name,"
		    " num) VALUES ('order_number', 1042)", s1) == 0);
		TEST_CHECK(settings_get(&c1, &t) == SHOP_OK &&
		    t.low_stock == 0);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
