/*
 * tests/unit/shop/catalog_import.c: the CSV import against the real
 * MariaDB, called as souk-worker's job calls it: a preview writes
 * nothing; the progress callback is called as the header says (the
 * last call with the whole size) and stopping it leaves the products
 * written so far whole; a second run is "same"; a variant deleted by
 * the admin is made again; a yen shop reads "1500.00" as 1500; a file
 * refused whole says why; another shop is never touched; WooCommerce's
 * variations after other products (its exporter orders by ID), its
 * "parent" stock and its "\n" line breaks; a batch that waited too
 * long for a lock is run again and counted once.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "shop/catalog.h"
#include "shop/catalog_import.h"
#include "dbtest.h"
#include "test.h"

#include <pthread.h>
#include <unistd.h>

static struct arena a;

/* An fd of a temporary file holding text (unlinked at once). */
static int
file_of(const char *text, size_t len)
{
	char	path[] = "/tmp/souk-import-XXXXXX";
	int	fd = mkstemp(path);

	if (fd == -1)
		exit(1);
	unlink(path);
	if (write(fd, text, len) != (ssize_t)len || lseek(fd, 0,
	    SEEK_SET) != 0)
		exit(1);
	return fd;
}

struct progress {
	int		 calls, stop_at;
	uint64_t	 last, total;
};

static int
on_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;

	TEST_CHECK(done <= total && done >= p->last);
	p->last = done;
	p->total = total;
	return ++p->calls == p->stop_at ? -1 : 0;
}

static int64_t
count(struct db *db, int64_t tenant, const char *what)
{
	struct db_stmt	*st;
	char		 sql[128];
	int64_t		 n = -1;

	if (snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM {p}%s",
	    what) >= (int)sizeof(sql))
		return -1;
	st = db_prepare(db, sql, tenant);
	if (st != NULL && db_exec(st, &a) == 0 && db_step(st) == 1)
		n = db_col_i64(st, 0);
	if (st != NULL)
		db_done(st);
	return n;
}

static const char woo[] =
    "ID,Type,SKU,Name,Published,Description,In stock?,Stock,"
    "Sale price,Regular price,Categories,Parent,"
    "Attribute 1 name,Attribute 1 value(s)\r\n"
    "1,variable,TEE,Tee,1,<p>Soft</p>,1,,,,Tops > Tees,,Size,\"S, M\"\r\n"
    "2,variation,TEE-S,,1,,1,4,9.00,12.00,,id:1,Size,S\r\n"
    "3,variation,TEE-M,,1,,1,2,,12.00,,id:1,Size,M\r\n"
    "4,simple,MUG,Mug,1,Plain text.,1,10,,8.50,Home,,,\r\n";

/* As WooCommerce's exporter writes a variation added later. */
static const char late[] =
    "ID,Type,SKU,Name,Published,Description,In stock?,Stock,"
    "Regular price,Parent,Attribute 1 name,Attribute 1 value(s)\r\n"
    "1,variable,LV,Late,1,One\\nTwo,1,6,,,Size,\"S, M, L\"\r\n"
    "2,variation,LV-S,,1,,1,parent,20.00,id:1,Size,S\r\n"
    "3,simple,MID,Middle,1,,1,3,5.00,,,\r\n"
    "9,variation,LV-M,,1,,1,2,15.00,id:1,Size,M\r\n"
    "10,variation,LV-L,,1,,1,1,25.00,LV,Size,L\r\n"
    "11,variation,NOPE,,1,,1,1,25.00,id:77,Size,L\r\n";

static void
run(struct shop_ctx *c, const char *text, enum catalog_import_mode mode,
    struct progress *pr, int want, struct catalog_import_report *r)
{
	int fd = file_of(text, strlen(text));

	TEST_CHECK(catalog_import_run(c, fd, mode, pr ? on_progress : NULL,
	    pr, r) == want);
	close(fd);
}

/*
 * An import in a thread while another connection (held) holds the row
 * of its batch's last product: the batch's first attempt gives up after
 * innodb_lock_wait_timeout (1 s), and the row is let go only once the
 * second one waits for it.
 */
struct held_import {
	struct shop_ctx			*c;
	const char			*text;
	struct catalog_import_report	 r;
	int				 rc;
	struct db			*held;
	int64_t				 conn;	/* the import's connection */
	int64_t				 waited_ms;
	int				 seen;
};

static void *
held_thread(void *arg)
{
	struct held_import	*h = arg;
	int			 fd = file_of(h->text, strlen(h->text));

	h->rc = catalog_import_run(h->c, fd, CATALOG_IMPORT_APPLY, NULL, NULL,
	    &h->r);
	close(fd);
	return NULL;
}

/* For test_wait_until(): the import's connection waits in an UPDATE of
 * a product begun after the one seen waiting before: the batch's second
 * attempt. */
static int
retry_waits(void *arg)
{
	struct held_import	*h = arg;
	struct db_stmt		*st;
	int64_t			 ms;
	int			 rc;

	st = db_prepare(h->held, "SELECT CAST(TIME_MS AS INTEGER) FROM "
	    "information_schema.PROCESSLIST WHERE ID = ? AND "
	    "INFO LIKE 'UPDATE %products SET sku%'", 0);
	if (st == NULL)
		return 0;
	db_bind_i64(st, 0, h->conn);
	if (db_exec(st, NULL) == -1)
		return 0;
	rc = db_step(st);
	ms = rc == 1 ? db_col_i64(st, 0) : 0;
	db_done(st);
	if (rc != 1)
		return 0;
	if (h->seen && ms < h->waited_ms)
		return 1;
	h->seen = 1;
	h->waited_ms = ms;
	return 0;
}

/*
 * A batch that meets a lock wait timeout (as a deadlock) is run again
 * from its first product: its new category is made again (the first
 * was rolled back, and the product points at the second), a product
 * refused is noted once, each product counted once.
 */
static void
test_held_row(struct db *db)
{
	struct held_import		 h;
	struct catalog_import_report	 r;
	struct shop_ctx			 c;
	struct strbuf			 f = STRBUF_INIT;
	struct db_stmt			*st;
	pthread_t			 t;
	char				 longname[202];
	uint64_t			 retries;
	int64_t				 s, id;

	s = dbtest_shop(db, "imp5", NULL, NULL, "en", "EUR");
	TEST_CHECK(s > 0);
	c = (struct shop_ctx){ db, &a, s, "en", "en", "EUR", NULL, NULL, 0 };
	run(&c, "ID,Type,SKU,Name,Published,Regular price\r\n"
	    "1,simple,RX,Held,1,3.00\r\n", CATALOG_IMPORT_APPLY, NULL,
	    SHOP_OK, &r);
	TEST_CHECK(r.products_new == 1);

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	strbuf_addstr(&f, "ID,Type,SKU,Name,Published,Regular price,"
	    "Categories\r\n"
	    "1,simple,RA,Ahead,1,2.00,Fresh\r\n");
	strbuf_addf(&f, "2,simple,RB,Refused,1,2.00,%s\r\n", longname);
	strbuf_addstr(&f, "3,simple,RX,Held,1,4.00,\r\n");

	memset(&h, 0, sizeof(h));
	st = db_prepare(db, "SELECT CONNECTION_ID()", 0);
	TEST_CHECK(st != NULL && db_exec_first(st) == 1);
	h.conn = st ? db_col_i64(st, 0) : 0;
	if (st != NULL)
		db_done(st);
	TEST_CHECK(db_exec_ddl(db, "SET SESSION innodb_lock_wait_timeout = 1",
	    0) == 0);
	h.held = db_open();
	TEST_CHECK(db_alive(h.held, 1));
	/* By its primary key: the row alone, not a gap new rows go to. */
	st = db_prepare(db, "SELECT id FROM {p}products WHERE sku = 'RX'", s);
	TEST_CHECK(st != NULL && db_exec_first(st) == 1);
	id = st ? db_col_i64(st, 0) : 0;
	if (st != NULL)
		db_done(st);
	TEST_CHECK(db_tx_begin(h.held) == 0);
	st = db_prepare(h.held, "SELECT id FROM {p}products WHERE id = ? "
	    "FOR UPDATE", s);
	if (st != NULL)
		db_bind_i64(st, 0, id);
	TEST_CHECK(st != NULL && db_exec_first(st) == 1);
	if (st != NULL)
		db_done(st);

	h.c = &c;
	h.text = f.buf;
	retries = db_tx_retries(db);
	TEST_CHECK(pthread_create(&t, NULL, held_thread, &h) == 0);
	TEST_CHECK(test_wait_until(retry_waits, &h, TEST_WAIT_MS));
	TEST_CHECK(db_tx_end(h.held, 0) == 0);
	pthread_join(t, NULL);

	TEST_CHECK(h.rc == SHOP_OK);
	TEST_CHECK(db_tx_retries(db) > retries);
	TEST_CHECK(h.r.products_new == 1 && h.r.products_updated == 1 &&
	    h.r.products_same == 0);
	TEST_CHECK(h.r.categories_new == 1 && h.r.rows_refused == 1);
	TEST_CHECK(h.r.nerrors == 1 && h.r.errors[0].line == 3);
	TEST_CHECK(count(db, s, "products") == 2);
	TEST_CHECK(count(db, s, "categories") == 1);
	TEST_CHECK(count(db, s, "products p JOIN {p}categories c ON "
	    "c.id = p.category_id WHERE p.sku = 'RA'") == 1);
	TEST_CHECK(count(db, s, "products WHERE sku = 'RX' AND "
	    "price = 400") == 1);

	TEST_CHECK(db_exec_ddl(db, "SET SESSION innodb_lock_wait_timeout = "
	    "DEFAULT", 0) == 0);
	db_close(h.held);
	strbuf_release(&f);
}

int
main(void)
{
	struct db			*db = dbtest_open("test-catalog-import");
	struct catalog_import_report	 r;
	struct progress			 pr;
	struct shop_ctx			 c, other, yen, lc;
	struct strbuf			 big = STRBUF_INIT;
	int64_t				 s1, s2, s3, s4, n;
	int				 i;

	arena_init(&a);
	s1 = dbtest_shop(db, "imp1", NULL, NULL, "en", "EUR");
	s2 = dbtest_shop(db, "imp2", NULL, NULL, "en", "EUR");
	s3 = dbtest_shop(db, "imp3", NULL, NULL, "ja", "JPY");
	s4 = dbtest_shop(db, "imp4", NULL, NULL, "en", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0 && s3 > 0 && s4 > 0);
	c = (struct shop_ctx){ db, &a, s1, "de", "en", "EUR", NULL, NULL, 0 };
	other = (struct shop_ctx){ db, &a, s2, "en", "en", "EUR", NULL,
	    NULL, 0 };
	lc = (struct shop_ctx){ db, &a, s4, "en", "en", "EUR", NULL, NULL, 0 };
	yen = (struct shop_ctx){ db, &a, s3, "ja", "ja", "JPY", NULL, NULL, 0 };

	/* The preview counts and writes nothing. */
	run(&c, woo, CATALOG_IMPORT_PREVIEW, NULL, SHOP_OK, &r);
	TEST_CHECK(r.format == CATALOG_CSV_WOO && r.rows == 4);
	TEST_CHECK(r.products_new == 2 && r.variants_new == 2);
	TEST_CHECK(r.categories_new == 3 && r.nerrors == 0);
	TEST_CHECK(count(db, s1, "products") == 0);
	TEST_CHECK(count(db, s1, "categories") == 0);
	TEST_CHECK(count(db, s1, "attributes") == 0);

	/* The import, with its progress: the last call is the whole. */
	memset(&pr, 0, sizeof(pr));
	run(&c, woo, CATALOG_IMPORT_APPLY, &pr, SHOP_OK, &r);
	TEST_CHECK(r.products_new == 2 && r.variants_new == 2);
	TEST_CHECK(pr.calls >= 1 && pr.last == strlen(woo) &&
	    pr.total == strlen(woo));
	TEST_CHECK(count(db, s1, "products") == 2);
	TEST_CHECK(count(db, s1, "variants") == 2);
	/* Names in the shop's default language, whatever ctx->locale. */
	TEST_CHECK(count(db, s1, "attribute_texts WHERE locale = 'en'") == 3);
	TEST_CHECK(count(db, s1, "product_texts WHERE locale = 'en'") == 2);
	TEST_CHECK(count(db, s1, "product_values") == 2);
	TEST_CHECK(count(db, s2, "products") == 0);

	/* Again: the same. */
	run(&c, woo, CATALOG_IMPORT_APPLY, NULL, SHOP_OK, &r);
	TEST_CHECK(r.products_same == 2 && r.products_new == 0 &&
	    r.products_updated == 0);
	TEST_CHECK(r.variants_same == 2 && r.categories_new == 0);

	/* A variant the admin deleted is made again. */
	TEST_CHECK(db_exec_ddl(db, "DELETE vv FROM {p}variant_values vv "
	    "JOIN {p}variants v ON v.id = vv.variant_id WHERE v.sku = "
	    "'TEE-M'", s1) == 0);
	TEST_CHECK(db_exec_ddl(db, "DELETE FROM {p}variants WHERE sku = "
	    "'TEE-M'", s1) == 0);
	run(&c, woo, CATALOG_IMPORT_APPLY, NULL, SHOP_OK, &r);
	TEST_CHECK(r.products_updated == 1 && r.products_same == 1);
	TEST_CHECK(r.variants_new == 1 && r.variants_same == 1);
	TEST_CHECK(count(db, s1, "variants") == 2);
	TEST_CHECK(count(db, s1, "variant_values") == 2);

	/* Stopped by its progress: what was written is whole. */
	strbuf_addstr(&big, "ID,Type,SKU,Name,Published,Regular price\r\n");
	for (i = 1; i <= 600; i++)
		strbuf_addf(&big, "%d,simple,B%d,Bulk %d,1,1.00\r\n", i, i, i);
	memset(&pr, 0, sizeof(pr));
	pr.stop_at = 1;
	run(&other, big.buf, CATALOG_IMPORT_APPLY, &pr, SHOP_OK, &r);
	TEST_CHECK(pr.calls == 1);
	n = count(db, s2, "products");
	TEST_CHECK(n > 0 && n < 600 && (size_t)n == r.products_new);
	TEST_CHECK(count(db, s2, "product_texts") == n);
	strbuf_release(&big);

	/* Yen: no minor unit, WooCommerce's two decimals. */
	run(&yen, "ID,Type,SKU,Name,Published,Regular price\r\n"
	    "1,simple,Y1,Yunomi,1,1500.00\r\n"
	    "2,simple,Y2,Bad,1,1500.50\r\n", CATALOG_IMPORT_APPLY, NULL,
	    SHOP_OK, &r);
	TEST_CHECK(r.products_new == 1 && r.rows_refused == 1 &&
	    r.nerrors == 1 && r.errors[0].line == 3);
	TEST_CHECK(count(db, s3, "products WHERE price = 1500") == 1);

	/* Refused whole: why, and where. */
	run(&yen, "Handle,Titel\r\nx,y\r\n", CATALOG_IMPORT_APPLY, NULL,
	    SHOP_EINVAL, &r);
	TEST_CHECK(r.file_error != NULL && r.file_error_line == 1);
	run(&yen, "ID,Type,SKU,Name\r\n1,simple,A,\xff\r\n",
	    CATALOG_IMPORT_APPLY, NULL, SHOP_EINVAL, &r);
	TEST_CHECK(r.file_error != NULL && r.file_error_line == 2);
	TEST_CHECK(count(db, s3, "products") == 1);

	/* Late variations join their product; the preview counts them. */
	run(&lc, late, CATALOG_IMPORT_PREVIEW, NULL, SHOP_OK, &r);
	TEST_CHECK(r.products_new == 2 && r.variants_new == 3);
	TEST_CHECK(r.rows_refused == 1 && r.nerrors == 1 &&
	    r.errors[0].line == 7);
	run(&lc, late, CATALOG_IMPORT_APPLY, NULL, SHOP_OK, &r);
	TEST_CHECK(r.products_new == 2 && r.variants_new == 3);
	TEST_CHECK(r.rows_refused == 1);
	TEST_CHECK(count(db, s4, "variants") == 3);
	/* The cheapest variant's price; the parent's stock for LV-S. */
	TEST_CHECK(count(db, s4, "products WHERE slug = 'late' AND "
	    "price = 1500 AND stock = 9") == 1);
	TEST_CHECK(count(db, s4, "variants WHERE sku = 'LV-S' AND "
	    "stock = 6") == 1);
	TEST_CHECK(count(db, s4, "product_texts WHERE description = "
	    "'One\\nTwo'") == 1);
	run(&lc, late, CATALOG_IMPORT_APPLY, NULL, SHOP_OK, &r);
	TEST_CHECK(r.products_same == 2 && r.products_updated == 0);
	TEST_CHECK(r.variants_same == 3 && r.variants_new == 0);

	test_held_row(db);

	arena_free(&a);
	db_close(db);
	return test_done();
}
