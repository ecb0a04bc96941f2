/*
 * tests/unit/shop/settings.c: a new shop's defaults (prices with tax
 * but in USD and CAD), a save validated field by field with nothing
 * written on a bad one, read back as saved; order numbers from 1001,
 * without gaps, given back by a rollback, and distinct when taken by
 * several connections at once (forked processes); one shop's settings
 * and counter are not another's.
 */
#include <sys/wait.h>
#include "core/common.h"
#include "shop/settings.h"
#include "test.h"
#include "dbtest.h"

#define CHILDREN	6

static int
has_error(const struct field_errors *e, const char *field)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0)
			return 1;
	return 0;
}

/* In a child: its own connection takes one number in a transaction
 * and commits; the number goes back through the pipe. */
static void
take_number(int64_t shop, int fd)
{
	struct db	*db = db_open();
	struct arena	 a;
	struct shop_ctx	 c = { db, &a, shop, "de", "de", "EUR", NULL, NULL };
	int64_t		 n = 0;

	arena_init(&a);
	if (db_tx_begin(db) == 0) {
		if (settings_next_order_number(&c, &n) != SHOP_OK)
			n = 0;
		if (db_tx_end(db, 1) == -1)
			n = 0;
	}
	if (write(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		_exit(1);
	_exit(0);
}

static void
concurrent_numbers(int64_t shop, int64_t after)
{
	int64_t	got[CHILDREN];
	int	fds[2], i, j, st, seen;
	pid_t	pid;

	TEST_CHECK(pipe(fds) == 0);
	for (i = 0; i < CHILDREN; i++) {
		if ((pid = fork()) == 0) {
			close(fds[0]);
			take_number(shop, fds[1]);
		}
		TEST_CHECK(pid > 0);
	}
	close(fds[1]);
	for (i = 0; i < CHILDREN; i++) {
		got[i] = 0;
		TEST_CHECK(read(fds[0], &got[i], sizeof(got[i])) ==
		    (ssize_t)sizeof(got[i]));
	}
	close(fds[0]);
	while (wait(&st) > 0)
		TEST_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* after+1 .. after+CHILDREN, each once. */
	for (j = 1; j <= CHILDREN; j++) {
		seen = 0;
		for (i = 0; i < CHILDREN; i++)
			seen += got[i] == after + j;
		TEST_CHECK(seen == 1);
	}
}

int
main(void)
{
	struct db		*db = dbtest_open("unit/shop/settings");
	struct arena		 a;
	struct shop_settings	 s, t;
	struct field_errors	 errs = { .n = 0 };
	char			 big[SETTINGS_TEXT_MAX + 2];
	int64_t			 s1, s2, s3, n;

	arena_init(&a);
	s1 = dbtest_shop(db, "set1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "set2", NULL, NULL, "en", "USD");
	s3 = dbtest_shop(db, "set3", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0 && s3 > 0);
	{
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL };
		struct shop_ctx c2 = { db, &a, s2, "en", "en", "USD", NULL,
		    NULL };
		struct shop_ctx c3 = { db, &a, s3, "de", "de", "EUR", NULL,
		    NULL };

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

		/* Order numbers: 1001 first, then on; a rollback gives its
		 * number back; another shop counts on its own. */
		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(settings_next_order_number(&c1, &n) == SHOP_OK &&
		    n == ORDER_FIRST_NUMBER);
		TEST_CHECK(db_tx_end(db, 1) == 0);
		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(settings_next_order_number(&c1, &n) == SHOP_OK &&
		    n == 1002);
		TEST_CHECK(db_tx_end(db, 0) == 0);
		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(settings_next_order_number(&c1, &n) == SHOP_OK &&
		    n == 1002);
		TEST_CHECK(db_tx_end(db, 1) == 0);
		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(settings_next_order_number(&c3, &n) == SHOP_OK &&
		    n == ORDER_FIRST_NUMBER);
		TEST_CHECK(db_tx_end(db, 1) == 0);
		/* The counter row is no setting. */
		TEST_CHECK(settings_get(&c1, &t) == SHOP_OK &&
		    t.low_stock == 0);
	}
	/* Several connections at once, first order of a shop included. */
	concurrent_numbers(s2, ORDER_FIRST_NUMBER - 1);
	concurrent_numbers(s2, ORDER_FIRST_NUMBER - 1 + CHILDREN);
	arena_free(&a);
	db_close(db);
	return test_done();
}
