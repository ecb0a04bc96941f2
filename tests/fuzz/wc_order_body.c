/*
 * libFuzzer target: the WooCommerce API's order, note, refund,
 * customer and batch bodies (shop/wc_order_body.h), from bytes: json-c's
 * parser with the limits json_api_body() sets (depth, strict, UTF-8),
 * then every parser of the module on the same object, and the
 * after/before date reader on the raw bytes.
 *
 * Checked: a refusal names a field and a message; an accepted body's
 * views lie inside the parsed object's strings (read in full here),
 * quantities are in range, texts within their limits in characters;
 * an accepted date is "YYYY-MM-DD HH:MM:SS".
 */
#include "core/common.h"

#include "../../fcgi-app/core/arena.c"
#include "../../fcgi-app/core/config.c"
#include "../../fcgi-app/core/log.c"
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/strbuf.c"
#include "../../fcgi-app/core/xalloc.c"
#include "../../fcgi-app/core/tz.c"
#include "../../fcgi-app/shop/wc_order_body.c"

#include "web/json_api.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static void
touch(struct str s, size_t max)
{
	size_t i;

	if (!str_valid_text(s) || str_chars(s) > max)
		abort();
	for (i = 0; i < s.len; i++)
		sink += (unsigned char)s.p[i];
}

static void
refused(const struct field_errors *e)
{
	size_t i;

	if (e->n == 0)
		abort();
	for (i = 0; i < e->n; i++)
		if (e->v[i].field == NULL || e->v[i].msgid == NULL ||
		    e->v[i].field[0] == '\0' || e->v[i].msgid[0] == '\0')
			abort();
}

static void
address(const struct wc_address_in *a)
{
	touch(a->a.name, ADDRESS_NAME_MAX);
	touch(a->a.line1, ADDRESS_LINE_MAX);
	touch(a->a.city, ADDRESS_CITY_MAX);
	touch(a->a.country, 2);
	touch(a->email, WC_BODY_EMAIL_MAX);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener	*tok;
	struct field_errors	 errs;
	struct arena		 a;
	json_object		*o;
	struct wc_order_update	 u;
	struct wc_order_create	 c;
	struct wc_note_in	 n;
	struct wc_refund_body	 rf;
	struct wc_customer_in	 cu;
	struct wc_batch		 b;
	char			 date[20];
	size_t			 i;

	if (size > JSON_API_BODY_MAX)
		return 0;
	if (wc_body_date((struct str){ (const char *)data, size }, "Europe/"
	    "Berlin", size % 2, date) == 0 && (strlen(date) != 19 ||
	    date[4] != '-' || date[10] != ' '))
		abort();
	tok = json_tokener_new_ex(JSON_API_DEPTH_MAX);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (o == NULL)
		return 0;
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return 0;
	}
	arena_init(&a);
	if (wc_order_update_parse(o, &a, &u, &errs) == 0) {
		if (u.status >= WC_ST__MAX || u.set_paid > 1)
			abort();
		touch(u.customer_note, WC_BODY_CUSTOMER_NOTE_MAX);
		address(&u.billing);
		address(&u.shipping);
	} else
		refused(&errs);
	if (wc_order_create_parse(o, &a, &c, &errs) == 0) {
		if (c.nlines == 0 || c.nlines > WC_BODY_LINES_MAX)
			abort();
		for (i = 0; i < c.nlines; i++)
			if (c.lines[i].product_id < 1 ||
			    c.lines[i].quantity < 1 ||
			    c.lines[i].variation_id < 0)
				abort();
		touch(c.payment_method, 20);
		touch(c.coupon_code, 40);
	} else
		refused(&errs);
	if (wc_note_parse(o, &a, &n, &errs) == 0) {
		if (n.note.len == 0)
			abort();
		touch(n.note, WC_BODY_NOTE_MAX);
	} else
		refused(&errs);
	if (wc_refund_parse(o, &a, &rf, &errs) == 0) {
		for (i = 0; i < rf.nlines; i++)
			if (rf.lines[i].id < 1 || rf.lines[i].quantity < 0)
				abort();
		touch(rf.reason, 500);
		touch(rf.amount, 30);
	} else
		refused(&errs);
	if (wc_customer_parse(o, &a, &cu, &errs) == 0) {
		touch(cu.email, WC_BODY_EMAIL_MAX);
		touch(cu.password, WC_BODY_PASSWORD_MAX);
		address(&cu.billing);
	} else
		refused(&errs);
	if (wc_batch_parse(o, &a, &b, &errs) == 0) {
		if (b.ncreate + b.nupdate + b.ndel > WC_BODY_BATCH_MAX)
			abort();
		for (i = 0; i < b.ndel; i++)
			if (b.del[i] < 1)
				abort();
		for (i = 0; i < b.nupdate; i++)
			(void)wc_body_id(b.update[i], &a, "update", &errs);
	} else
		refused(&errs);
	arena_free(&a);
	json_object_put(o);
	return 0;
}
