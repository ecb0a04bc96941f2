/*
 * tests/unit/shop/credit_note.c: credit notes numbered per shop from 1
 * without gaps in their own series (invoices count on theirs): one per
 * refund however often it is issued, a rollback gives its number back,
 * another shop counts on its own, a note is found only with its order,
 * and refunds made by several connections at once (forked processes)
 * get distinct numbers with none missing.
 */
#include <sys/wait.h>
#include "core/common.h"
#include "shop/credit_note.h"
#include "shop/invoice.h"
#include "test.h"
#include "dbtest.h"

#define CHILDREN	6

/* In a child: its own connection issues the note of refund_id in a
 * transaction and commits; the number goes back through the pipe. */
static void
issue_in_child(int64_t shop, int64_t refund_id, int fd)
{
	struct db	*db = db_open();
	struct arena	 a;
	struct shop_ctx	 c = { db, &a, shop, "de", "de", "EUR", NULL, NULL, 0 };
	int64_t		 n = 0;

	arena_init(&a);
	if (db_tx_begin(db) == 0) {
		if (credit_note_issue(&c, 1, refund_id, &n) != SHOP_OK)
			n = 0;
		if (db_tx_end(db, 1) == -1)
			n = 0;
	}
	if (write(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		_exit(1);
	_exit(0);
}

static void
concurrent(int64_t shop, int64_t first_refund, int64_t after)
{
	int64_t	got[CHILDREN];
	int	fds[2], i, j, st, seen;
	pid_t	pid;

	TEST_CHECK(pipe(fds) == 0);
	for (i = 0; i < CHILDREN; i++) {
		if ((pid = fork()) == 0) {
			close(fds[0]);
			issue_in_child(shop, first_refund + i, fds[1]);
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
	for (j = 1; j <= CHILDREN; j++) {
		seen = 0;
		for (i = 0; i < CHILDREN; i++)
			seen += got[i] == after + j;
		TEST_CHECK(seen == 1);
	}
}

static int64_t
issue(struct shop_ctx *c, int64_t order_id, int64_t refund_id, int commit)
{
	int64_t n = 0;

	TEST_CHECK(db_tx_begin(c->db) == 0);
	TEST_CHECK(credit_note_issue(c, order_id, refund_id, &n) == SHOP_OK);
	TEST_CHECK(db_tx_end(c->db, commit) == 0);
	return n;
}

int
main(void)
{
	struct db		*db = dbtest_open("unit/shop/credit_note");
	struct arena		 a;
	struct credit_note	 cn, *list;
	size_t			 n;
	int64_t			 s1, s2, inv = 0;

	arena_init(&a);
	s1 = dbtest_shop(db, "cn1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "cn2", NULL, NULL, "en", "USD");
	TEST_CHECK(s1 > 0 && s2 > 0);
	{
		struct shop_ctx c1 = { db, &a, s1, "de", "de", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "en", "en", "USD", NULL,
		    NULL, 0 };

		/* The order's invoice first: its own series. */
		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(invoice_issue(&c1, 7, &inv) == SHOP_OK);
		TEST_CHECK(db_tx_end(db, 1) == 0 && inv == 1);

		TEST_CHECK(credit_note_of_refund(&c1, 7, 1, &cn) ==
		    SHOP_ENOTFOUND);
		TEST_CHECK(issue(&c1, 7, 1, 1) == 1);
		TEST_CHECK(credit_note_of_refund(&c1, 7, 1, &cn) == SHOP_OK &&
		    cn.number == 1 && cn.order_id == 7 && cn.refund_id == 1 &&
		    cn.issued_at.len == 19);
		/* Not with another order's number. */
		TEST_CHECK(credit_note_of_refund(&c1, 8, 1, &cn) ==
		    SHOP_ENOTFOUND);
		/* Rolled back: the number comes back. */
		TEST_CHECK(issue(&c1, 7, 2, 0) == 2);
		TEST_CHECK(credit_note_of_refund(&c1, 7, 2, &cn) ==
		    SHOP_ENOTFOUND);
		TEST_CHECK(issue(&c1, 7, 3, 1) == 2);
		/* The same refund again: the same note. */
		TEST_CHECK(issue(&c1, 7, 1, 1) == 1);
		TEST_CHECK(credit_note_list(&c1, 7, &list, &n) == SHOP_OK &&
		    n == 2 && list[0].number == 1 && list[0].refund_id == 1 &&
		    list[1].number == 2 && list[1].refund_id == 3);
		/* The invoices' series goes on from its own count. */
		TEST_CHECK(db_tx_begin(db) == 0);
		TEST_CHECK(invoice_issue(&c1, 8, &inv) == SHOP_OK);
		TEST_CHECK(db_tx_end(db, 1) == 0 && inv == 2);
		/* Another shop counts on its own; shop 1's is nothing there. */
		TEST_CHECK(credit_note_of_refund(&c2, 7, 1, &cn) ==
		    SHOP_ENOTFOUND);
		TEST_CHECK(credit_note_list(&c2, 7, &list, &n) == SHOP_OK &&
		    n == 0);
		TEST_CHECK(issue(&c2, 7, 1, 1) == 1);
		TEST_CHECK(issue(&c1, 9, 4, 1) == 3);
	}
	/* Several connections at once, a shop's first note included. */
	{
		int64_t s3 = dbtest_shop(db, "cn3", NULL, NULL, "de", "EUR");

		TEST_CHECK(s3 > 0);
		concurrent(s3, 100, 0);
		concurrent(s3, 200, CHILDREN);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
