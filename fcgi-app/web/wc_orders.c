/*
 * wc_orders.c: /wp-json/wc/v3/orders, its notes and its refunds, in
 * WooCommerce v3's JSON (shop/wc_json.h, the same the webhooks
 * deliver).
 *
 * Every write goes through the shop function the admin's page calls,
 * with the key as who made it (staff, no staff id, its description
 * as the history's e-mail column): a status through order_status_set()
 * (the life cycle's table, its history row, stock and coupon back on
 * cancel, mails, webhooks), a note through order_note_add(), a refund
 * through refund_issue() (a card payment refunded at the gateway).
 * Bodies are read and checked whole first (shop/wc_order_body.h).
 *
 * Choices (README, "WooCommerce API"):
 * - DELETE /orders/{id} is refused (400 woocommerce_rest_cannot_delete)
 *   with or without force: souk keeps every order for the books
 *   (invoices, ledger entries and credit notes name it); an order not
 *   wanted is cancelled (PUT status "cancelled"), which gives its stock
 *   and coupon back.
 * - DELETE of a refund is refused the same way: the ledger does not
 *   undo a refund, and the money went back to the shopper.
 * - A note to the shopper (customer_note true) is shown on their order
 *   page, as the admin's is; neither mails (order_status.h).
 * - PUT status: WooCommerce's names map onto souk's (wc_json.h);
 *   "refunded" is refused (refunds are made with orders/{id}/refunds),
 *   and "failed" and "trash" too (souk has neither). set_paid true is
 *   the admin's "mark paid" (to processing).
 *
 * NEEDSWORK: a PUT that changes addresses and the status is up to
 * three transactions (the edit, mark paid, the status), each checked
 * before the first is written; an order changed by someone else in
 * between may refuse the later ones (answered 400 with what was
 * refused; what was written stays). No orders/batch yet.
 */
#include "core/common.h"

#include "core/crypto.h"
#include "core/i18n.h"
#include "core/money.h"
#include "platform/tenant.h"
#include "shop/api_key.h"
#include "shop/customer.h"
#include "shop/order.h"
#include "shop/order_place.h"
#include "shop/order_query.h"
#include "shop/order_status.h"
#include "shop/payment.h"
#include "shop/refund.h"
#include "shop/refund_issue.h"
#include "shop/wc_json.h"
#include "shop/wc_order_body.h"
#include "web/json_api.h"
#include "web/wc_api.h"

#define INVALID_ORDER	"woocommerce_rest_shop_order_invalid_id"

static int
unavailable(struct web *w)
{
	resp_header(w->r, "Retry-After", "60");
	return json_api_error(w, 503, "souk_unavailable", _("The shop cannot "
	    "answer just now. Try again in a minute."));
}

static int
no_order(struct web *w)
{
	return json_api_error(w, 404, INVALID_ORDER, _("Invalid ID."));
}

/* 400 rest_invalid_param naming the first bad field. */
static int
body_invalid(struct web *w, const struct field_errors *errs)
{
	if (errs->n == 0)
		return wc_api_invalid_param(w, "body", _("The body is not "
		    "valid."));
	return wc_api_invalid_param(w, errs->v[0].field, _(errs->v[0].msgid));
}

/* The key as who made a change: staff without an id, its description
 * in the history. */
static void
api_who(struct web *w, struct order_who *who)
{
	const struct api_key *k = wc_api_key();

	who->actor = ORDER_BY_STAFF;
	who->staff_id = 0;
	who->email = k != NULL ? str_c(arena_printf(w->r->arena,
	    "API: %.*s", (int)k->description.len, k->description.p)) :
	    STR("API");
}

static void
body_release(void *body)
{
	json_object_put(body);
}

/* The request's body as an object, or -1 answered; released with the
 * request's arena (the parsed body's strings are read until the
 * answer is sent). */
static int
body_of(struct web *w, json_object **out)
{
	return json_api_body(w, 1, "rest_invalid_json", out);
}

static int
send_order(struct web *w, int status, int64_t id)
{
	json_object	*o;
	int		 rc;

	if ((rc = wc_json_order_load(&w->shop, id, &o)) == SHOP_ENOTFOUND)
		return no_order(w);
	if (rc != SHOP_OK)
		return unavailable(w);
	return json_api_send(w, status, o);
}

/* The query's date parameter name (after, before) in UTC into out
 * ("" absent): 0, or -1 answered. */
static int
date_param(struct web *w, const char *name, int gmt, char out[20],
    struct str *s)
{
	const struct str *v = req_query(w->r, name);

	*s = STR("");
	if (v == NULL)
		return 0;
	if (wc_body_date(*v, w->tenant->time_zone, gmt, out) == -1)
		return wc_api_invalid_param(w, name, arena_printf(w->r->arena,
		    _("Invalid date.")));
	*s = (struct str){ out, 19 };
	return 0;
}

/* status: one name, a comma list, or "any": "" for any. */
static int
status_param(struct web *w, struct str *out)
{
	const struct str	*v = req_query(w->r, "status");
	struct strbuf		 sb;
	size_t			 i, s;
	int			 any = 0;

	*out = STR("");
	if (v == NULL)
		return 0;
	strbuf_init(&sb, v->len + 1);
	for (i = s = 0; i <= v->len; i++) {
		struct str t;

		if (i < v->len && v->p[i] != ',')
			continue;
		t = str_trim((struct str){ v->p + s, i - s });
		s = i + 1;
		if (str_eqc(t, "any")) {
			any = 1;
			continue;
		}
		if (wc_order_status_parse(t) < 0) {
			strbuf_release(&sb);
			return wc_api_invalid_param(w, "status", _("status is "
			    "not one of any, pending, processing, on-hold, "
			    "completed, cancelled, refunded, failed, "
			    "trash."));
		}
		if (sb.len)
			strbuf_addch(&sb, ',');
		strbuf_add(&sb, t.p, t.len);
	}
	if (!any)
		*out = str_c(arena_strndup(w->r->arena, sb.buf, sb.len));
	strbuf_release(&sb);
	return 0;
}

static int
int_query(struct web *w, const char *name, int64_t *out)
{
	const struct str *v = req_query(w->r, name);

	if (v != NULL && str_to_i64(*v, 0, INT64_MAX, out) == -1)
		return wc_api_invalid_param(w, name, arena_printf(w->r->arena,
		    _("%s is not of type integer."), name));
	return 0;
}

/* The query's choice among names (index), def when absent: 0, or -1
 * answered 400. */
static int
enum_query(struct web *w, const char *name, const char *const *names,
    size_t n, int def, const char *msg, int *out)
{
	const struct str *s = req_query(w->r, name);

	*out = def;
	if (s == NULL || (*out = str_index(*s, names, n)) >= 0)
		return 0;
	return wc_api_invalid_param(w, name, msg);
}

static int
list(struct req *r)
{
	static const char *const orderby[] = { "date", "id" };
	static const char *const order[] = { "asc", "desc" };
	static const char *const bools[] = { "false", "true", "0", "1" };
	struct web		*w = web_of(r);
	struct wc_paging	 pg;
	struct order_query	 q;
	struct oq_result	 res;
	char			 after[20], before[20];
	const struct str	*s;
	json_object		*a, *o;
	int			 ob, od, gmt;
	size_t			 i;

	memset(&q, 0, sizeof(q));
	if (wc_api_paging(w, &pg) == -1 ||
	    enum_query(w, "orderby", orderby, NELEM(orderby), 0,
	    _("orderby is not one of date, id."), &ob) == -1 ||
	    enum_query(w, "order", order, NELEM(order), 1,
	    _("order is not one of asc, desc."), &od) == -1 ||
	    enum_query(w, "dates_are_gmt", bools, NELEM(bools), 0,
	    _("dates_are_gmt is not of type boolean."), &gmt) == -1 ||
	    status_param(w, &q.statuses) == -1 ||
	    date_param(w, "after", gmt % 2, after, &q.after) == -1 ||
	    date_param(w, "before", gmt % 2, before, &q.before) == -1 ||
	    int_query(w, "product", &q.product_id) == -1)
		return 0;
	if ((s = req_query(r, "customer")) != NULL) {
		if (int_query(w, "customer", &q.customer_id) == -1)
			return 0;
		/* customer=0: the guests' orders, as WooCommerce. */
		if (q.customer_id == 0)
			q.customer_id = -1;
	}
	if ((s = req_query(r, "search")) != NULL) {
		if (!str_valid_text(*s) ||
		    str_chars(*s) > ORDER_QUERY_SEARCH_MAX)
			return wc_api_invalid_param(w, "search",
			    _("search is too long or not text.")), 0;
		q.search = str_trim(*s);
	}
	q.order = (enum order_query_order)ob;
	q.desc = od == 1;
	q.offset = pg.offset;
	q.limit = pg.per_page;
	if (order_query(&w->shop, &q, &res) != SHOP_OK)
		return unavailable(w);
	a = json_object_new_array_ext((int)res.n);
	for (i = 0; i < res.n; i++) {
		int rc = wc_json_order_load(&w->shop, res.ids[i], &o);

		if (rc == SHOP_ENOTFOUND)
			continue;
		if (rc != SHOP_OK) {
			json_object_put(a);
			return unavailable(w);
		}
		json_object_array_add(a, o);
	}
	wc_api_page_headers(w, &pg, res.total);
	return json_api_send(w, 200, a);
}

static int
get(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = wc_api_id(r, "id");

	if (id == 0)
		return no_order(w);
	return send_order(w, 200, id);
}

/* WooCommerce's status to souk's, for a change; -1 for those souk
 * refuses (refunded, failed, trash). */
static int
souk_status(enum wc_status s)
{
	switch (s) {
	case WC_ST_PENDING:	return ORDER_PENDING;
	case WC_ST_PROCESSING:	return ORDER_PROCESSING;
	case WC_ST_ON_HOLD:	return ORDER_ON_HOLD;
	case WC_ST_COMPLETED:	return ORDER_COMPLETED;
	case WC_ST_CANCELLED:	return ORDER_CANCELLED;
	default:		return -1;
	}
}

static int
status_refused(struct web *w, const char *msg)
{
	json_object *e = json_object_new_object(), *d;

	jset_cstr(e, "code", "woocommerce_rest_invalid_order_status");
	jset_cstr(e, "message", msg);
	d = jset_obj(e, "data");
	jset_i64(d, "status", 400);
	jset_cstr(jset_obj(d, "params"), "status", msg);
	return json_api_send(w, 400, e);
}

/* Members given in in over what the order has in cur. */
static void
merge_address(struct address *cur, const struct wc_address_in *in)
{
	if (in->has_name)
		cur->name = in->a.name;
	if (in->has_company)
		cur->company = in->a.company;
	if (in->has_line1)
		cur->line1 = in->a.line1;
	if (in->has_line2)
		cur->line2 = in->a.line2;
	if (in->has_city)
		cur->city = in->a.city;
	if (in->has_region)
		cur->region = in->a.region;
	if (in->has_postcode)
		cur->postcode = in->a.postcode;
	if (in->has_country)
		cur->country = in->a.country;
	if (in->has_phone)
		cur->phone = in->a.phone;
}

static const char *
wc_address_field(const char *obj, const char *souk_field)
{
	static const struct { const char *souk, *wc; } m[] = {
		{ "name", "first_name" }, { "company", "company" },
		{ "line1", "address_1" }, { "line2", "address_2" },
		{ "city", "city" }, { "region", "state" },
		{ "postcode", "postcode" }, { "country", "country" },
		{ "phone", "phone" },
	};
	size_t i;

	for (i = 0; i < NELEM(m); i++)
		if (strcmp(m[i].souk, souk_field) == 0)
			return m[i].wc;
	return souk_field;
	(void)obj;
}

/* Checks an address a PUT changed: 0, or -1 answered 400. */
static int
check_address(struct web *w, const char *obj, struct address *a)
{
	struct field_errors errs = { .n = 0 };

	if (address_check(a, ADDRESS_FORM_PLAIN, &errs) == 0)
		return 0;
	return wc_api_invalid_param(w, arena_printf(w->r->arena, "%s.%s", obj,
	    wc_address_field(obj, errs.v[0].field)), _(errs.v[0].msgid));
}

/* One status change through order_status_set(): 0, or -1 answered. */
static int
change_status(struct web *w, const struct order *o, enum order_status to)
{
	struct order_change	c = { .to = to };
	struct order_who	who;
	struct field_errors	errs;
	int			rc;

	api_who(w, &who);
	rc = order_status_set(&w->shop, o->number, &who, &c, &errs);
	if (rc == SHOP_OK || rc == ORDER_SAME)
		return 0;
	if (rc == SHOP_ENOTFOUND)
		return no_order(w), -1;
	if (rc == SHOP_EDENIED || rc == SHOP_EINVAL)
		return status_refused(w, errs.n ? _(errs.v[0].msgid) :
		    _("This change is not possible from the order's present "
		    "state.")), -1;
	return unavailable(w), -1;
}

static int
update(struct req *r)
{
	struct web		*w = web_of(r);
	int64_t			 id = wc_api_id(r, "id");
	struct wc_order_update	 u;
	struct field_errors	 errs;
	struct order_edit	 e;
	struct order		 o;
	json_object		*body;
	enum order_status	 at;
	int			 to = -1, rc;

	if (body_of(w, &body) == -1)
		return 0;
	arena_cleanup_add(r->arena, body_release, body);
	if (wc_order_update_parse(body, r->arena, &u, &errs) == -1)
		return body_invalid(w, &errs), 0;
	if (id == 0 || (rc = order_get_by_id(&w->shop, id, 0, &o)) ==
	    SHOP_ENOTFOUND)
		return no_order(w);
	if (rc != SHOP_OK)
		return unavailable(w);
	/* Everything is checked before anything is written. */
	at = o.status;
	if (u.set_paid == 1 && at != ORDER_PROCESSING &&
	    at != ORDER_SHIPPED && at != ORDER_COMPLETED) {
		if (!order_status_allowed(at, ORDER_PROCESSING,
		    ORDER_BY_STAFF))
			return status_refused(w, _("This order cannot be "
			    "marked paid from its present state."));
		at = ORDER_PROCESSING;
	}
	if (u.status >= 0) {
		if ((to = souk_status((enum wc_status)u.status)) < 0)
			return status_refused(w, u.status == WC_ST_REFUNDED ?
			    _("An order is refunded by a refund: POST "
			    "orders/{id}/refunds.") : _("souk has no such "
			    "order status: use cancelled."));
		/* "completed" is shipped too (wc_json.h): no change. */
		if (to == ORDER_COMPLETED && at == ORDER_SHIPPED)
			to = -1;
		else if (to == (int)at)
			to = -1;
		else if (!order_status_allowed(at, (enum order_status)to,
		    ORDER_BY_STAFF))
			return status_refused(w, _("This change is not "
			    "possible from the order's present state."));
	}
	memset(&e, 0, sizeof(e));
	if (u.billing.present || u.shipping.present) {
		if (o.status == ORDER_SHIPPED || o.status == ORDER_COMPLETED ||
		    o.status == ORDER_CANCELLED)
			return wc_api_invalid_param(w, u.billing.present ?
			    "billing" : "shipping", _("The addresses of an "
			    "order cannot change once it is shipped, "
			    "completed or cancelled.")), 0;
		e.addresses = 1;
		e.bill = o.bill;
		e.ship = o.ship;
		e.email = o.email;
		merge_address(&e.bill, &u.billing);
		merge_address(&e.ship, &u.shipping);
		if (u.billing.has_email)
			e.email = str_trim(u.billing.email);
		if ((u.billing.present && check_address(w, "billing",
		    &e.bill) == -1) || (u.shipping.present &&
		    check_address(w, "shipping", &e.ship) == -1))
			return 0;
		if (e.email.len == 0 || memchr(e.email.p, '@',
		    e.email.len) == NULL)
			return wc_api_invalid_param(w, "billing.email",
			    _("Enter a valid e-mail address.")), 0;
	}
	e.has_note = u.has_customer_note;
	e.customer_note = u.customer_note;
	/* The writes, each the admin's. */
	rc = order_query_edit(&w->shop, o.id, &e);
	if (rc == SHOP_EDENIED)
		return wc_api_invalid_param(w, "billing", _("The addresses "
		    "of an order cannot change once it is shipped, "
		    "completed or cancelled.")), 0;
	if (rc == SHOP_ENOTFOUND)
		return no_order(w);
	if (rc != SHOP_OK)
		return unavailable(w);
	if (at != o.status && change_status(w, &o, ORDER_PROCESSING) == -1)
		return 0;
	if (to >= 0 && change_status(w, &o, (enum order_status)to) == -1)
		return 0;
	return send_order(w, 200, o.id);
}

/* The error of a refused create: 400 woocommerce_rest_cannot_create_order
 * naming param. */
static int
create_refused(struct web *w, const char *param, const char *msg)
{
	json_object *e = json_object_new_object(), *d;

	jset_cstr(e, "code", "woocommerce_rest_cannot_create_order");
	jset_cstr(e, "message", msg);
	d = jset_obj(e, "data");
	jset_i64(d, "status", 400);
	jset_cstr(jset_obj(d, "params"), param, msg);
	return json_api_send(w, 400, e);
}

/* An address of the body as an order's: billing falls back on
 * shipping and the other way round; the e-mail is billing's. */
static void
create_address(struct address *out, const struct wc_address_in *in,
    const struct wc_address_in *other)
{
	memset(out, 0, sizeof(*out));
	if (in->present)
		merge_address(out, in);
	else if (other->present)
		merge_address(out, other);
}

/* order_place()'s error fields as the body names them. */
static const char *
place_field(const char *f)
{
	if (strcmp(f, "method_id") == 0)
		return "shipping_lines";
	if (strcmp(f, "ship_country") == 0)
		return "shipping.country";
	if (strcmp(f, "coupon") == 0)
		return "coupon_lines";
	if (strcmp(f, "cart") == 0 || strcmp(f, "stock") == 0)
		return "line_items";
	return f;
}

/*
 * POST /orders: an order an integration places, priced by souk's own
 * quote (shop/quote.h) with today's prices, never the body's; its
 * stock taken in order_place()'s one transaction, as a shopper's.
 * An Idempotency-Key header (any text) places it once: the same key
 * again answers the order it placed (200), as the checkout's form key
 * does. The payment is offline (an integration has no shopper at a
 * card page): bacs when payment_method is absent.
 */
static int
create(struct req *r)
{
	struct web			*w = web_of(r);
	struct wc_order_create		 c;
	struct order_place_line		*lines;
	struct order_place_in		 in;
	struct order_place_out		 out;
	struct field_errors		 errs;
	struct customer			 cu;
	struct order			 o;
	struct order_who		 who;
	const struct payment_method	*pm;
	const char			*idem;
	char				 key[ORDER_KEY_HEX + 1];
	unsigned char			 h[32];
	json_object			*body;
	enum order_status		 at;
	int				 to = -1, rc;
	size_t				 i;

	if (body_of(w, &body) == -1)
		return 0;
	arena_cleanup_add(r->arena, body_release, body);
	if (wc_order_create_parse(body, r->arena, &c, &errs) == -1)
		return body_invalid(w, &errs), 0;
	memset(&in, 0, sizeof(in));
	pm = payment_find(c.payment_method.len ? c.payment_method :
	    STR("bacs"));
	if (pm == NULL || pm->online)
		return wc_api_invalid_param(w, "payment_method", _("Give an "
		    "offline payment method: bacs, cheque or cod.")), 0;
	in.pay = pm;
	/* Checked before anything is written: the status it will go to. */
	at = pm->start;
	if (c.set_paid && !order_status_allowed(at, ORDER_PROCESSING,
	    ORDER_BY_STAFF))
		return status_refused(w, _("This order cannot be marked paid "
		    "from its present state."));
	if (c.set_paid)
		at = ORDER_PROCESSING;
	if (c.status >= 0) {
		if ((to = souk_status((enum wc_status)c.status)) < 0)
			return status_refused(w, _("souk has no such order "
			    "status: use cancelled."));
		if (to == (int)at)
			to = -1;
		else if (!order_status_allowed(at, (enum order_status)to,
		    ORDER_BY_STAFF))
			return status_refused(w, _("This change is not "
			    "possible from the order's present state."));
	}
	create_address(&in.bill, &c.billing, &c.shipping);
	create_address(&in.ship, &c.shipping, &c.billing);
	if (check_address(w, c.shipping.present ? "shipping" : "billing",
	    &in.ship) == -1 || (c.billing.present &&
	    check_address(w, "billing", &in.bill) == -1))
		return 0;
	in.email = str_trim(c.billing.email);
	if (in.email.len == 0 || memchr(in.email.p, '@', in.email.len) ==
	    NULL)
		return wc_api_invalid_param(w, "billing.email", _("Enter a "
		    "valid e-mail address.")), 0;
	if (c.customer_id > 0) {
		if ((rc = customer_get(&w->shop, c.customer_id, &cu)) ==
		    SHOP_ENOTFOUND)
			return wc_api_invalid_param(w, "customer_id",
			    _("Invalid customer ID.")), 0;
		if (rc != SHOP_OK)
			return unavailable(w);
		in.customer_id = c.customer_id;
	}
	lines = arena_calloc(r->arena, c.nlines, sizeof(*lines));
	for (i = 0; i < c.nlines; i++) {
		lines[i].product_id = c.lines[i].product_id;
		lines[i].variant_id = c.lines[i].variation_id;
		lines[i].qty = c.lines[i].quantity;
	}
	in.lines = lines;
	in.nlines = c.nlines;
	in.coupon = c.coupon_code;
	in.method_id = c.shipping_method_id;
	in.locale = str_c(w->shop.default_locale);
	in.created_via = "rest-api";
	api_who(w, &who);
	in.placed_by = who.email;
	in.customer_note = c.customer_note;
	if ((idem = req_header(r, "Idempotency-Key")) != NULL &&
	    idem[0] != '\0') {
		/* The key's text, hashed with the API key's id: another
		 * key's same text is another order. */
		const struct api_key *k = wc_api_key();
		const char *item = wc_api_batch_item();
		const char *s = arena_printf(r->arena, "wc-api:%lld:%s%s%s",
		    (long long)(k ? k->id : 0), idem, item ? "\n" : "",
		    item ? item : "");

		crypto_sha256(h, s, strlen(s));
		crypto_hex(key, h, ORDER_KEY_HEX / 2);
	} else
		crypto_random_hex(key, ORDER_KEY_HEX / 2);
	in.idem_key = (struct str){ key, ORDER_KEY_HEX };
	errs.n = 0;
	rc = order_place(&w->shop, &in, &out, &errs);
	if (rc == SHOP_EINVAL) {
		const char *f = errs.n ? errs.v[0].field : "line_items";

		if (strcmp(f, "stock") == 0 && out.short_line.name.len > 0)
			return create_refused(w, "line_items", arena_printf(
			    r->arena, out.short_line.left > 0 ?
			    _("Not enough in stock of %.*s%s%.*s: %lld "
			    "left.") : _("%.*s%s%.*s is out of stock or not "
			    "sold."), (int)out.short_line.name.len,
			    out.short_line.name.p,
			    out.short_line.variant.len ? " - " : "",
			    (int)out.short_line.variant.len,
			    out.short_line.variant.p,
			    (long long)out.short_line.left));
		return create_refused(w, place_field(f), errs.n ?
		    _(errs.v[0].msgid) : _("The order is not possible."));
	}
	if (rc != SHOP_OK)
		return unavailable(w);
	if ((rc = order_get(&w->shop, out.number, 0, &o)) != SHOP_OK)
		return unavailable(w);
	if (out.existing)
		return send_order(w, 200, o.id);
	if (c.set_paid && change_status(w, &o, ORDER_PROCESSING) == -1)
		return 0;
	if (to >= 0 && change_status(w, &o, (enum order_status)to) == -1)
		return 0;
	return send_order(w, 201, o.id);
}

static int	delete(struct req *);

/*
 * POST /orders/batch: each item as its own create, update or delete
 * request (wc_api_batch_run()), answered in WooCommerce's arrays, an
 * item's failure as its {"id", "error"}. Every item's body is checked
 * first: one that is not valid answers 400 naming it ("create[2].
 * billing.email"), before anything is written. An Idempotency-Key
 * applies to each create item with its place ("create[2]"): the same
 * batch sent again places nothing twice. Deleting is refused item by
 * item, as DELETE is.
 */
static int
batch(struct req *r)
{
	static int (*const fns[3])(struct req *) = { create, update,
	    delete };
	struct web		*w = web_of(r);
	json_object		*body, *arr[3], *e;
	size_t			 n[3], k, i;
	struct wc_order_create	 c;
	struct wc_order_update	 u;
	struct field_errors	 errs;
	const char		*at;
	int			 bad;

	if (body_of(w, &body) == -1)
		return 0;
	if (wc_api_batch_arrays(w, body, arr, n) == -1)
		return 0;
	arena_cleanup_add(r->arena, body_release, body);
	for (k = 0; k < 3; k++)
		for (i = 0; i < n[k]; i++) {
			e = json_object_array_get_idx(arr[k], i);
			at = arena_printf(r->arena, "%s[%zu]",
			    wc_api_batch_keys[k], i);
			if (k > 0 && wc_api_item_id(e) == 0)
				return wc_api_invalid_param(w, at, _("The item "
				    "needs the id of an order.")), 0;
			errs.n = 0;
			if (k == 0 && !json_object_is_type(e,
			    json_type_object))
				bad = 1;
			else if (k == 0)
				bad = wc_order_create_parse(e, r->arena, &c,
				    &errs) == -1;
			else if (k == 1)
				bad = !json_object_is_type(e,
				    json_type_object) || wc_order_update_parse(e,
				    r->arena, &u, &errs) == -1;
			else
				bad = 0;
			if (bad)
				return wc_api_invalid_param(w, errs.n ?
				    arena_printf(r->arena, "%s.%s", at,
				    errs.v[0].field) : at, errs.n ?
				    _(errs.v[0].msgid) : _("The item must be "
				    "a JSON object.")), 0;
		}
	return wc_api_batch_send(w, arr, n, fns, "id");
}

static int
delete(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = wc_api_id(r, "id");
	struct order	 o;
	int		 rc;

	if (id == 0 || (rc = order_get_by_id(&w->shop, id, 0, &o)) ==
	    SHOP_ENOTFOUND)
		return no_order(w);
	if (rc != SHOP_OK)
		return unavailable(w);
	return json_api_error(w, 400, "woocommerce_rest_cannot_delete",
	    _("souk keeps every order for the books: an order cannot be "
	    "deleted. Cancel it instead (status cancelled)."));
}

/* The order of the route's :id with its history into *o: 0, or -1
 * answered. */
static int
order_of(struct web *w, struct order *o, int events)
{
	int64_t	id = wc_api_id(w->r, "id");
	int	rc;

	if (id == 0 || (rc = order_get_by_id(&w->shop, id, events, o)) ==
	    SHOP_ENOTFOUND)
		return no_order(w), -1;
	if (rc != SHOP_OK)
		return unavailable(w), -1;
	return 0;
}

static const struct order_event *
find_note(const struct order *o, int64_t id)
{
	size_t i;

	for (i = 0; i < o->nevents; i++)
		if (o->events[i].id == id &&
		    o->events[i].kind != ORDER_EV_STATUS)
			return &o->events[i];
	return NULL;
}

static int
notes_list(struct req *r)
{
	static const char *const types[] = { "any", "customer", "internal" };
	struct web	*w = web_of(r);
	struct order	 o;
	json_object	*a;
	int		 type;
	size_t		 i;

	if (enum_query(w, "type", types, NELEM(types), 0, _("type is not "
	    "one of any, customer, internal."), &type) == -1 ||
	    order_of(w, &o, 1) == -1)
		return 0;
	a = json_object_new_array();
	/* Newest first, as WooCommerce lists them. */
	for (i = o.nevents; i-- > 0;) {
		const struct order_event *e = &o.events[i];

		if (e->kind == ORDER_EV_STATUS ||
		    (type == 1 && e->kind != ORDER_EV_NOTE) ||
		    (type == 2 && e->kind != ORDER_EV_PRIVATE))
			continue;
		json_object_array_add(a, wc_json_note(e,
		    w->shop.time_zone));
	}
	return json_api_send(w, 200, a);
}

static int
note_invalid(struct web *w)
{
	return json_api_error(w, 404, "woocommerce_rest_order_note_invalid_id",
	    _("Invalid resource ID."));
}

static int
note_get(struct req *r)
{
	struct web			*w = web_of(r);
	struct order			 o;
	const struct order_event	*e;

	if (order_of(w, &o, 1) == -1)
		return 0;
	if ((e = find_note(&o, wc_api_id(r, "note_id"))) == NULL)
		return note_invalid(w);
	return json_api_send(w, 200, wc_json_note(e, w->shop.time_zone));
}

static int
note_create(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_note_in	 n;
	struct field_errors	 errs;
	struct order_who	 who;
	struct order		 o;
	json_object		*body;
	size_t			 i;
	int			 rc;

	if (body_of(w, &body) == -1)
		return 0;
	arena_cleanup_add(r->arena, body_release, body);
	if (wc_note_parse(body, r->arena, &n, &errs) == -1)
		return body_invalid(w, &errs), 0;
	if (order_of(w, &o, 0) == -1)
		return 0;
	api_who(w, &who);
	rc = order_note_add(&w->shop, o.number, &who, n.note,
	    !n.customer_note, &errs);
	if (rc == SHOP_EINVAL)
		return wc_api_invalid_param(w, "note", _(errs.v[0].msgid)), 0;
	if (rc == SHOP_ENOTFOUND)
		return no_order(w);
	if (rc != SHOP_OK)
		return unavailable(w);
	if (order_of(w, &o, 1) == -1)
		return 0;
	/* The newest note is the one just written (the order's row was
	 * locked for it). */
	for (i = o.nevents; i-- > 0;)
		if (o.events[i].kind != ORDER_EV_STATUS)
			return json_api_send(w, 201, wc_json_note(
			    &o.events[i], w->shop.time_zone));
	return unavailable(w);
}

/* ?force=true, as WooCommerce asks to delete what it cannot trash. */
static int
forced(struct web *w)
{
	const struct str *f = req_query(w->r, "force");

	return f != NULL && (str_eqc(*f, "true") || str_eqc(*f, "1"));
}

static int
note_delete(struct req *r)
{
	struct web			*w = web_of(r);
	struct order			 o;
	const struct order_event	*e;
	json_object			*j;
	int				 rc;

	if (order_of(w, &o, 1) == -1)
		return 0;
	if ((e = find_note(&o, wc_api_id(r, "note_id"))) == NULL)
		return note_invalid(w);
	if (!forced(w))
		return json_api_error(w, 501,
		    "woocommerce_rest_trash_not_supported",
		    _("The resource does not support trashing. Set 'force' "
		    "to true to delete."));
	j = wc_json_note(e, w->shop.time_zone);
	if ((rc = order_query_note_delete(&w->shop, o.id, e->id)) != SHOP_OK) {
		json_object_put(j);
		return rc == SHOP_ENOTFOUND ? note_invalid(w) :
		    unavailable(w);
	}
	return json_api_send(w, 200, j);
}

static int
refund_invalid(struct web *w)
{
	return json_api_error(w, 404, "woocommerce_rest_shop_order_refund_"
	    "invalid_id", _("Invalid ID."));
}

static json_object *
refund_json(struct web *w, const struct order *o, const struct refund *rf)
{
	struct refund_line_view	*l;
	size_t			 n;

	if (wc_json_refund_lines(&w->shop, rf->id, &l, &n) != SHOP_OK)
		return NULL;
	return wc_json_refund(o, rf, l, n, w->shop.time_zone);
}

static int
refunds_list(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	struct refund	*rf;
	json_object	*a, *j;
	size_t		 n, i;

	if (order_of(w, &o, 0) == -1)
		return 0;
	if (refund_list(&w->shop, o.id, &rf, &n) != SHOP_OK)
		return unavailable(w);
	a = json_object_new_array();
	/* Newest first; failed ones gave nothing back: left out. */
	for (i = n; i-- > 0;) {
		if (rf[i].status == REFUND_FAILED)
			continue;
		if ((j = refund_json(w, &o, &rf[i])) == NULL) {
			json_object_put(a);
			return unavailable(w);
		}
		json_object_array_add(a, j);
	}
	return json_api_send(w, 200, a);
}

/* Refund :refund_id of the order into *out: 0, or -1 answered. */
static int
refund_of(struct web *w, const struct order *o, struct refund *out)
{
	int64_t		 id = wc_api_id(w->r, "refund_id");
	struct refund	*rf;
	size_t		 n, i;

	if (refund_list(&w->shop, o->id, &rf, &n) != SHOP_OK)
		return unavailable(w), -1;
	for (i = 0; i < n; i++)
		if (rf[i].id == id && rf[i].status != REFUND_FAILED) {
			*out = rf[i];
			return 0;
		}
	return refund_invalid(w), -1;
}

static int
refund_get(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	struct refund	 rf;
	json_object	*j;

	if (order_of(w, &o, 0) == -1 || refund_of(w, &o, &rf) == -1)
		return 0;
	if ((j = refund_json(w, &o, &rf)) == NULL)
		return unavailable(w);
	return json_api_send(w, 200, j);
}

/* refund_create()'s error fields as the body names them. */
static const char *
refund_field(struct web *w, const char *f, const struct wc_refund_body *b)
{
	int64_t	id;
	size_t	i;

	if (strcmp(f, "lines") == 0)
		return "line_items";
	if (strcmp(f, "restock") == 0)
		return "restock_items";
	if (strcmp(f, "refund_reason") == 0)
		return "reason";
	if (strncmp(f, "qty_", 4) == 0 &&
	    str_to_i64c(f + 4, 1, INT64_MAX, &id) == 0)
		for (i = 0; i < b->nlines; i++)
			if (b->lines[i].id == id)
				return arena_printf(w->r->arena,
				    "line_items[%zu].quantity", i);
	return f;
}

static int
refund_create_h(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_refund_body	 b;
	struct refund_line_in	*lines;
	struct refund_in	 in;
	struct refund		 out, *rf;
	struct field_errors	 errs;
	struct order_who	 who;
	struct order		 o;
	const struct payment_method *pm;
	json_object		*body, *j;
	size_t			 i, n;
	int			 rc;

	if (body_of(w, &body) == -1)
		return 0;
	arena_cleanup_add(r->arena, body_release, body);
	if (wc_refund_parse(body, r->arena, &b, &errs) == -1)
		return body_invalid(w, &errs), 0;
	if (order_of(w, &o, 0) == -1)
		return 0;
	memset(&in, 0, sizeof(in));
	lines = arena_calloc(r->arena, b.nlines + 1, sizeof(*lines));
	for (i = 0; i < b.nlines; i++)
		if (b.lines[i].quantity > 0) {
			lines[in.nlines].order_line_id = b.lines[i].id;
			lines[in.nlines++].qty = b.lines[i].quantity;
		}
	/* Lines with quantities refund those lines at their own
	 * figures (refund.h); amount is then not used. */
	if (in.nlines > 0)
		in.lines = lines;
	else if (!b.has_amount || money_parse(str_trim(b.amount),
	    w->tenant->currency, &in.amount) == -1 || in.amount <= 0)
		return wc_api_invalid_param(w, "amount", _("Give the amount "
		    "to refund (a decimal greater than 0), or line_items "
		    "with quantities.")), 0;
	in.restock = b.restock && in.nlines > 0;
	in.reason = b.reason;
	pm = payment_find(o.payment_method);
	if (!b.api_refund && pm != NULL && pm->online)
		return wc_api_invalid_param(w, "api_refund", _("An order paid "
		    "online is refunded through its payment gateway: "
		    "api_refund must be true.")), 0;
	api_who(w, &who);
	rc = refund_issue(&w->shop, o.number, &in, &who, &out, &errs);
	if (rc == SHOP_ENOTFOUND)
		return no_order(w);
	if (rc == SHOP_EINVAL) {
		json_object *e = json_object_new_object(), *d;
		const char *f = errs.n ? refund_field(w, errs.v[0].field, &b) :
		    "amount";
		const char *m = errs.n ? _(errs.v[0].msgid) : _("The refund "
		    "is not possible.");

		jset_cstr(e, "code",
		    "woocommerce_rest_cannot_create_order_refund");
		jset_cstr(e, "message", m);
		d = jset_obj(e, "data");
		jset_i64(d, "status", 400);
		jset_cstr(jset_obj(d, "params"), f, m);
		return json_api_send(w, 400, e);
	}
	if (rc != SHOP_OK)
		return unavailable(w);
	/* As a GET reads it (refund_issue()'s out lacks the row's
	 * defaults: its date). */
	if ((rc = order_get_by_id(&w->shop, o.id, 0, &o)) != SHOP_OK ||
	    refund_list(&w->shop, o.id, &rf, &n) != SHOP_OK)
		return unavailable(w);
	for (i = 0; i < n; i++)
		if (rf[i].id == out.id) {
			if ((j = refund_json(w, &o, &rf[i])) == NULL)
				return unavailable(w);
			return json_api_send(w, 201, j);
		}
	return unavailable(w);
}

static int
refund_delete(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	struct refund	 rf;

	if (order_of(w, &o, 0) == -1 || refund_of(w, &o, &rf) == -1)
		return 0;
	return json_api_error(w, 400, "woocommerce_rest_cannot_delete",
	    _("souk's books keep every refund: a refund cannot be deleted "
	    "(the money went back to the shopper)."));
}

const struct route wc_orders_routes[] = {
	{ HTTP_GET, WC_API_NS "/orders", list, 0, NULL },
	{ HTTP_POST, WC_API_NS "/orders", create, 0, NULL },
	{ HTTP_POST, WC_API_NS "/orders/batch", batch, 0, NULL },
	{ HTTP_GET, WC_API_NS "/orders/:id", get, 0, NULL },
	{ HTTP_PUT, WC_API_NS "/orders/:id", update, 0, NULL },
	{ HTTP_PATCH, WC_API_NS "/orders/:id", update, 0, NULL },
	{ HTTP_POST, WC_API_NS "/orders/:id", update, 0, NULL },
	{ HTTP_DELETE, WC_API_NS "/orders/:id", delete, 0, NULL },
	{ HTTP_GET, WC_API_NS "/orders/:id/notes", notes_list, 0, NULL },
	{ HTTP_POST, WC_API_NS "/orders/:id/notes", note_create, 0, NULL },
	{ HTTP_GET, WC_API_NS "/orders/:id/notes/:note_id", note_get, 0,
	    NULL },
	{ HTTP_DELETE, WC_API_NS "/orders/:id/notes/:note_id", note_delete,
	    0, NULL },
	{ HTTP_GET, WC_API_NS "/orders/:id/refunds", refunds_list, 0, NULL },
	{ HTTP_POST, WC_API_NS "/orders/:id/refunds", refund_create_h, 0,
	    NULL },
	{ HTTP_GET, WC_API_NS "/orders/:id/refunds/:refund_id", refund_get,
	    0, NULL },
	{ HTTP_DELETE, WC_API_NS "/orders/:id/refunds/:refund_id",
	    refund_delete, 0, NULL },
};

const size_t wc_orders_nroutes = NELEM(wc_orders_routes);
