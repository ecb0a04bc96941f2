/*
 * tests/unit/shop/imports.c: a shop's CSV imports against the real
 * MariaDB and upload_dir: an upload keeps its file and queues its
 * preview in one go; the job previews, then (started) imports, each
 * recording its report and state; a job run again finds its work done;
 * a run stopped by its worker leaves the row for the next; the file
 * goes when the import is over; start and discard only from the right
 * state; another shop reaches none of it.
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/config.h"
#include "platform/jobs.h"
#include "shop/imports.h"
#include "dbtest.h"
#include "test.h"

#include <sys/stat.h>

static struct arena a;

static const char woo[] =
    "ID,Type,SKU,Name,Published,Regular price,Categories,Stock\n"
    "1,simple,MUG-1,Striped mug,1,12.50,Home,5\n"
    "2,simple,VASE-1,Broken vase,1,abc,Home,5\n";

static struct shop_ctx
ctx_of(struct db *db, int64_t tenant)
{
	struct shop_ctx c = { db, &a, tenant, "en", "en", "EUR", NULL,
	    NULL, 0 };

	return c;
}

static int
exists(struct str path)
{
	struct stat	st;
	char		full[1024];
	int		n;

	n = snprintf(full, sizeof(full), "%s/%.*s",
	    config_get("upload_dir", "var/uploads"), (int)path.len, path.p);
	return n > 0 && (size_t)n < sizeof(full) && stat(full, &st) == 0;
}

/* The payload of the newest catalog.import job of tenant, in *out. */
static int
last_job(struct db *db, int64_t tenant, char *out, size_t len)
{
	struct db_stmt	*st;
	int		 rc;

	st = db_prepare(db, "SELECT payload FROM souk_jobs WHERE tenant_id = ?"
	    " AND kind = 'catalog.import' ORDER BY id DESC LIMIT 1", 0);
	if (st == NULL)
		return -1;
	db_bind_i64(st, 0, tenant);
	if (db_exec(st, &a) == -1)
		return -1;
	if ((rc = db_step(st)) == 1)
		str_copy(out, len, db_col_str(st, 0));
	db_done(st);
	return rc;
}

static int
go_on(void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int
stop_now(void *arg)
{
	(void)arg;
	return -1;
}

static int
run(struct shop_ctx *c, int64_t id, const char *mode, int (*tick)(void *),
    void *arg)
{
	char	payload[100], err[256];

	snprintf(payload, sizeof(payload),
	    "{\"import_id\": %lld, \"mode\": \"%s\"}", (long long)id, mode);
	return imports_job_run(c, str_c(payload), tick, arg, err, sizeof(err));
}

int
main(void)
{
	struct db		*db = dbtest_open("test-imports");
	struct shop_ctx		 c, other;
	struct imports_row	 r, *v;
	struct strbuf		 big = STRBUF_INIT;
	char			 payload[200], want[200], err[256];
	size_t			 n;
	int64_t			 s1, s2, id, id2, id3;
	int			 ticks = 0;

	arena_init(&a);
	s1 = dbtest_shop(db, "imp1", NULL, NULL, "en", "EUR");
	s2 = dbtest_shop(db, "imp2", NULL, NULL, "en", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	c = ctx_of(db, s1);
	other = ctx_of(db, s2);

	/* Nothing to keep. */
	TEST_CHECK(imports_create(&c, 1, STR("x.csv"), STR(""), &id) ==
	    SHOP_EINVAL);

	/* The file kept, the row previewing, its job queued. */
	TEST_CHECK(imports_create(&c, 1, STR("C:\\fakepath\\products.csv"),
	    str_c(woo), &id) == SHOP_OK && id > 0);
	TEST_CHECK(imports_get(&c, id, &r) == SHOP_OK);
	TEST_CHECK(str_eqc(r.file_name, "products.csv"));
	TEST_CHECK(r.state == IMPORTS_PREVIEWING);
	TEST_CHECK(r.bytes_total == sizeof(woo) - 1 && r.bytes_done == 0);
	TEST_CHECK(exists(r.path));
	TEST_CHECK(r.path.len > 4 && memcmp(r.path.p, "s", 1) == 0);
	TEST_CHECK(last_job(db, s1, payload, sizeof(payload)) == 1);
	snprintf(want, sizeof(want), "{\"import_id\": %lld, \"mode\": "
	    "\"preview\"}", (long long)id);
	TEST_STREQ(payload, want);

	/* Another shop's id is none of its business. */
	TEST_CHECK(imports_get(&other, id, &r) == SHOP_ENOTFOUND);
	TEST_CHECK(imports_start(&other, id) == SHOP_ENOTFOUND);
	TEST_CHECK(imports_cancel(&other, id) == SHOP_ENOTFOUND);
	TEST_CHECK(imports_list(&other, &v, &n) == SHOP_OK && n == 0);

	/* Not previewed yet: cannot be started or discarded. */
	TEST_CHECK(imports_start(&c, id) == SHOP_ECONFLICT);
	TEST_CHECK(imports_cancel(&c, id) == SHOP_ECONFLICT);

	/* A worker stopping: the run gives up, the row waits for the
	 * next (the last progress call asks the worker too). */
	TEST_CHECK(run(&c, id, "preview", stop_now, NULL) == 0);
	TEST_CHECK(imports_get(&c, id, &r) == SHOP_OK &&
	    r.state == IMPORTS_PREVIEWING);

	/* The preview: counts and the refused row, nothing written. */
	TEST_CHECK(run(&c, id, "preview", go_on, &ticks) == 1);
	TEST_CHECK(ticks > 0);
	TEST_CHECK(imports_get(&c, id, &r) == SHOP_OK);
	TEST_CHECK(r.state == IMPORTS_PREVIEWED);
	TEST_CHECK(str_eqc(r.format, "WooCommerce"));
	TEST_CHECK(r.bytes_done == r.bytes_total);
	TEST_CHECK(strstr(r.preview.p, "\"products\":{\"new\":1,") != NULL);
	TEST_CHECK(strstr(r.preview.p, "\"line\":3,") != NULL);
	TEST_CHECK(r.report.len == 0);
	TEST_CHECK(exists(r.path));
	/* Run again (a lease ran out just after it): nothing to do. */
	TEST_CHECK(run(&c, id, "preview", NULL, NULL) == 1);
	TEST_CHECK(run(&c, id, "apply", NULL, NULL) == 1);
	TEST_CHECK(imports_get(&c, id, &r) == SHOP_OK &&
	    r.state == IMPORTS_PREVIEWED && r.report.len == 0);

	/* Started: once; its job queued in the same transaction. */
	TEST_CHECK(imports_start(&c, id) == SHOP_OK);
	TEST_CHECK(imports_start(&c, id) == SHOP_ECONFLICT);
	TEST_CHECK(last_job(db, s1, payload, sizeof(payload)) == 1);
	snprintf(want, sizeof(want), "{\"import_id\": %lld, \"mode\": "
	    "\"apply\"}", (long long)id);
	TEST_STREQ(payload, want);
	TEST_CHECK(imports_cancel(&c, id) == SHOP_ECONFLICT);
	TEST_CHECK(run(&c, id, "apply", NULL, NULL) == 1);
	TEST_CHECK(imports_get(&c, id, &r) == SHOP_OK);
	TEST_CHECK(r.state == IMPORTS_DONE);
	TEST_CHECK(strstr(r.report.p, "\"products\":{\"new\":1,") != NULL);
	TEST_CHECK(r.preview.len > 0);
	TEST_CHECK(!exists(r.path));	/* over: the file goes */
	TEST_CHECK(run(&c, id, "apply", NULL, NULL) == 1);

	/* Not a product CSV: the preview fails with the file's reason. */
	TEST_CHECK(imports_create(&c, 1, STR("\xff\xfe.csv"),
	    STR("hello,world\n1,2\n"), &id2) == SHOP_OK);
	TEST_CHECK(run(&c, id2, "preview", NULL, NULL) == 1);
	TEST_CHECK(imports_get(&c, id2, &r) == SHOP_OK);
	TEST_CHECK(r.state == IMPORTS_FAILED);
	TEST_CHECK(r.file_name.len == 0);	/* not UTF-8: not kept */
	TEST_CHECK(strstr(r.preview.p, "\"file_error\":\"") != NULL);
	TEST_CHECK(!exists(r.path));
	TEST_CHECK(imports_start(&c, id2) == SHOP_ECONFLICT);
	TEST_CHECK(imports_cancel(&c, id2) == SHOP_OK);
	TEST_CHECK(imports_get(&c, id2, &r) == SHOP_OK &&
	    r.state == IMPORTS_CANCELLED);

	/* Previewed, then discarded: its file goes. A refused cell of
	 * 5,000 bytes is kept cut short in the report. */
	strbuf_addstr(&big, woo);
	strbuf_addstr(&big, "3,simple,LONG,Long price,1,");
	for (n = 0; n < 5000; n++)
		strbuf_addch(&big, 'x');
	strbuf_addstr(&big, ",Home,5\n");
	TEST_CHECK(imports_create(&c, 1, STR("again.csv"), strbuf_str(&big),
	    &id3) == SHOP_OK);
	TEST_CHECK(run(&c, id3, "preview", NULL, NULL) == 1);
	TEST_CHECK(imports_get(&c, id3, &r) == SHOP_OK && exists(r.path));
	TEST_CHECK(strstr(r.preview.p, "\"line\":4,") != NULL);
	TEST_CHECK(strstr(r.preview.p, "\"detail\":\"xxx") != NULL);
	TEST_CHECK(r.preview.len < 1000);
	TEST_CHECK(imports_cancel(&c, id3) == SHOP_OK);
	TEST_CHECK(!exists(r.path));
	TEST_CHECK(imports_cancel(&c, id3) == SHOP_ECONFLICT);

	/* Newest first. */
	TEST_CHECK(imports_list(&c, &v, &n) == SHOP_OK && n == 3);
	TEST_CHECK(n == 3 && v[0].id == id3 && v[2].id == id);

	/* Payloads it cannot read, imports that are not there. */
	TEST_CHECK(imports_job_run(&c, STR("{}"), NULL, NULL, err,
	    sizeof(err)) == -1);
	TEST_CHECK(imports_job_run(&c, STR("{\"import_id\": 1, \"mode\": "
	    "\"delete\"}"), NULL, NULL, err, sizeof(err)) == -1);
	TEST_CHECK(run(&c, 999999, "preview", NULL, NULL) == -1);
	TEST_CHECK(run(&other, id3, "preview", NULL, NULL) == -1);

	strbuf_release(&big);
	arena_free(&a);
	db_close(db);
	return test_done();
}
