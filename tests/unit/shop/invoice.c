/*
 * tests/unit/shop/invoice.c: invoices numbered per shop from 1 without
 * gaps: a rollback gives its number back, an order paid twice keeps its
 * one invoice, another shop counts on its own, and orders paid by
 * several connections at once (forked processes) get distinct numbers
 * with none missing.
 */
#include <sys/wait.h>
#include "core/common.h"
#include "shop/invoice.h"
#include "test.h"
#include "dbtest.h"

#define CHILDREN	6

/* In a child: its own connection issues the invoice of order_id in a
 * transaction and commits; the number goes back through the pipe. */
static void
issue_in_child(int64_t shop, int64_t order_id, int fd)
{
	struct db	*db = db_open();
	struct arena	 a;
	struct shop_ctx	 c = { db, &a, shop, "de", "de", "EUR", NULL, NULL, 0 };
	int64_t		 n = 0;

	arena_init(&a);
	if (db_tx_begin(db) == 0) {
		if (invoice_issue(&c, order_id, &n) != SHOP_OK)
			n = 0;
		if (db_tx_end(db, 1) == -1)
			n = 0;
	}
	if (write(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		_exit(1);
	_exit(0);
}

static void
concurrent(int64_t shop, int64_t first_order, int64_t after)
{
	int64_t	got[CHILDREN];
	int	fds[2], i, j, st, seen;
	pid_t	pid;

	TEST_CHECK(pipe(fds) == 0);
	for (i = 0; i < CHILDREN; i++) {
		if ((pid = fork()) == 0) {
			close(fds[0]);
			issue_in_child(shop, first_order + i, fds[1]);
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

static int64_t
issue(struct shop_ctx *c, int64_t order_id, int commit)
{
	int64_t n = 0;

	TEST_CHECK(db_tx_begin(c->db) == 0);
	TEST_CHECK(invoice_issue(c, order_id, &n) == SHOP_OK);
	TEST_CHECK(db_tx_end(c->db, commit) == 0);
	return n;
}

int
main(void)
{
	struct db	*db = dbtest_open("unit/shop/invoice");
	struct arena	 a;
	struct invoice	 inv;
	int64_t		 s1, s2;

	arena_init(&a);
	s1 = dbtest_shop(db, "inv1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "inv2", NULL, NULL, "en", "USD");
	TEST_CHECK(s1 > 0 && s2 > 0);
	{
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "en", "en", "USD", NULL,
		    NULL, 0 };

		TEST_CHECK(invoice_of_order(&c1, 7, &inv) == SHOP_ENOTFOUND);
		TEST_CHECK(issue(&c1, 7, 1) == 1);
		TEST_CHECK(invoice_of_order(&c1, 7, &inv) == SHOP_OK &&
		    inv.number == 1 && inv.order_id == 7 &&
		    inv.issued_at.len == 19);
		/* Rolled back: the number comes back. */
		TEST_CHECK(issue(&c1, 8, 0) == 2);
		TEST_CHECK(invoice_of_order(&c1, 8, &inv) == SHOP_ENOTFOUND);
		TEST_CHECK(issue(&c1, 9, 1) == 2);
		/* Paid again (a second call): the same invoice. */
		TEST_CHECK(issue(&c1, 7, 1) == 1);
		/* Another shop counts on its own; shop 1's is nothing there. */
		TEST_CHECK(invoice_of_order(&c2, 7, &inv) == SHOP_ENOTFOUND);
		TEST_CHECK(issue(&c2, 7, 1) == 1);
		TEST_CHECK(issue(&c1, 10, 1) == 3);
	}
	/* Several connections at once, a shop's first invoice included. */
	{
		int64_t s3 = dbtest_shop(db, "inv3", NULL, NULL, "de", "EUR");

		TEST_CHECK(s3 > 0);
		concurrent(s3, 100, 0);
		concurrent(s3, 200, CHILDREN);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
