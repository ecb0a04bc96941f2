/* Unit test of shop/wc_order_body.c: the API's bodies read and checked,
 * each refusal naming its field, and after/before dates in UTC. */
#include "core/common.h"

#include <json.h>
#include "shop/wc_order_body.h"
#include "test.h"

static json_object *
parse(const char *s)
{
	json_object *o = json_tokener_parse(s);

	TEST_CHECK(o != NULL);
	return o;
}

/* The body s refused by fn with its first error on field. */
#define REFUSED(fn, type, s, want) do {				\
	json_object *o_ = parse(s);					\
	type v_;							\
									\
	TEST_CHECK(fn(o_, &a, &v_, &errs) == -1);			\
	TEST_CHECK(errs.n > 0);						\
	if (errs.n > 0)							\
		TEST_STREQ(errs.v[0].field, want);			\
	json_object_put(o_);						\
} while (0)

static void
test_update(void)
{
	struct arena		 a;
	struct field_errors	 errs;
	struct wc_order_update	 u;
	json_object		*o;

	arena_init(&a);
	o = parse("{\"status\": \"on-hold\", \"set_paid\": \"1\","
	    " \"billing\": {\"first_name\": \" Ada \", \"last_name\": \"K\","
	    " \"email\": \"a@b.c\"}, \"shipping\": null, \"x\": [1]}");
	TEST_CHECK(wc_order_update_parse(o, &a, &u, &errs) == 0);
	TEST_CHECK(u.status == WC_ST_ON_HOLD && u.set_paid == 1);
	TEST_CHECK(u.billing.present && u.billing.has_name &&
	    u.billing.has_email && !u.billing.has_city);
	TEST_CHECK(str_eqc(u.billing.a.name, "Ada K"));
	TEST_CHECK(!u.shipping.present && !u.has_customer_note);
	json_object_put(o);
	REFUSED(wc_order_update_parse, struct wc_order_update,
	    "{\"status\": \"shipped\"}", "status");
	REFUSED(wc_order_update_parse, struct wc_order_update,
	    "{\"set_paid\": 2}", "set_paid");
	REFUSED(wc_order_update_parse, struct wc_order_update,
	    "{\"billing\": {\"country\": \"DEU\"}}", "billing.country");
	REFUSED(wc_order_update_parse, struct wc_order_update,
	    "{\"customer_note\": \"a\\u0001b\"}", "customer_note");
	arena_free(&a);
}

static void
test_create(void)
{
	struct arena		 a;
	struct field_errors	 errs;
	struct wc_order_create	 c;
	json_object		*o;

	arena_init(&a);
	o = parse("{\"line_items\": [{\"product_id\": 4, \"quantity\": 2},"
	    " {\"product_id\": \"5\", \"variation_id\": 7}],"
	    " \"shipping_lines\": [{\"method_id\": \"3\"}],"
	    " \"coupon_lines\": [{\"code\": \"TEN\"}], \"set_paid\": true}");
	TEST_CHECK(wc_order_create_parse(o, &a, &c, &errs) == 0);
	TEST_CHECK(c.nlines == 2 && c.lines[0].product_id == 4 &&
	    c.lines[0].quantity == 2 && c.lines[1].product_id == 5 &&
	    c.lines[1].variation_id == 7 && c.lines[1].quantity == 1);
	TEST_CHECK(c.shipping_method_id == 3 && c.set_paid == 1);
	TEST_CHECK(str_eqc(c.coupon_code, "TEN") && c.status == -1);
	json_object_put(o);
	REFUSED(wc_order_create_parse, struct wc_order_create,
	    "{\"line_items\": [{\"product_id\": 4, \"quantity\": -1}]}",
	    "line_items[0].quantity");
	REFUSED(wc_order_create_parse, struct wc_order_create,
	    "{\"line_items\": [{\"product_id\": 4}, {\"quantity\": 1}]}",
	    "line_items[1].product_id");
	REFUSED(wc_order_create_parse, struct wc_order_create,
	    "{\"line_items\": [{\"product_id\": 99999999999999999999}]}",
	    "line_items[0].product_id");
	REFUSED(wc_order_create_parse, struct wc_order_create, "{}",
	    "line_items");
	REFUSED(wc_order_create_parse, struct wc_order_create,
	    "{\"line_items\": [{\"product_id\": 1}], \"shipping_lines\":"
	    " [{\"method_id\": \"flat_rate\"}]}", "shipping_lines[0].method_id");
	arena_free(&a);
}

static void
test_others(void)
{
	struct arena		 a;
	struct field_errors	 errs;
	struct wc_refund_body	 r;
	struct wc_batch		 b;
	json_object		*o;

	arena_init(&a);
	o = parse("{\"amount\": \"1.50\", \"line_items\": [{\"id\": 3,"
	    " \"quantity\": 0}], \"restock_items\": \"true\"}");
	TEST_CHECK(wc_refund_parse(o, &a, &r, &errs) == 0);
	TEST_CHECK(r.has_amount && str_eqc(r.amount, "1.50") &&
	    r.nlines == 1 && r.lines[0].quantity == 0 && r.restock &&
	    r.api_refund);
	json_object_put(o);
	REFUSED(wc_note_parse, struct wc_note_in, "{\"note\": \"  \"}",
	    "note");
	REFUSED(wc_customer_parse, struct wc_customer_in,
	    "{\"email\": [\"a@b.c\"]}", "email");
	o = parse("{\"create\": [{}], \"update\": [{\"id\": 2}],"
	    " \"delete\": [3, \"4\"]}");
	TEST_CHECK(wc_batch_parse(o, &a, &b, &errs) == 0);
	TEST_CHECK(b.ncreate == 1 && b.nupdate == 1 && b.ndel == 2 &&
	    b.del[1] == 4);
	TEST_CHECK(wc_body_id(b.update[0], &a, "update", &errs) == 2);
	json_object_put(o);
	REFUSED(wc_batch_parse, struct wc_batch, "{\"delete\": [0]}",
	    "delete[0]");
	arena_free(&a);
}

static void
test_dates(void)
{
	char out[20];

	TEST_CHECK(wc_body_date(STR("2026-01-02T10:00:00"), NULL, 0,
	    out) == 0);
	TEST_STREQ(out, "2026-01-02 10:00:00");
	/* The shop's clock, unless an offset or gmt says otherwise. */
	TEST_CHECK(wc_body_date(STR("2026-01-02T10:00:00"), "Europe/Berlin",
	    0, out) == 0);
	TEST_STREQ(out, "2026-01-02 09:00:00");
	TEST_CHECK(wc_body_date(STR("2026-07-02T10:00:00"), "Europe/Berlin",
	    1, out) == 0);
	TEST_STREQ(out, "2026-07-02 10:00:00");
	TEST_CHECK(wc_body_date(STR("2026-01-02T10:00:00.123Z"),
	    "Europe/Berlin", 0, out) == 0);
	TEST_STREQ(out, "2026-01-02 10:00:00");
	TEST_CHECK(wc_body_date(STR("2026-01-02 01:30:00-05:30"), NULL, 0,
	    out) == 0);
	TEST_STREQ(out, "2026-01-02 07:00:00");
	TEST_CHECK(wc_body_date(STR("2026-01-02"), NULL, 0, out) == -1);
	TEST_CHECK(wc_body_date(STR("2026-01-02T25:00:00"), NULL, 0,
	    out) == -1);
	TEST_CHECK(wc_body_date(STR("2026-01-02T10:00:00+0"), NULL, 0,
	    out) == -1);
	TEST_CHECK(wc_body_date(STR("2026-01-02T10:00:00Zx"), NULL, 0,
	    out) == -1);
	TEST_CHECK(wc_body_date(STR("1969-12-31T23:00:00"), NULL, 0,
	    out) == -1);
}

int
main(void)
{
	test_update();
	test_create();
	test_others();
	test_dates();
	return test_done();
}
