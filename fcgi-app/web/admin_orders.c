/*
 * admin_orders.c: the merchant's orders (admin_orders.h). Every page
 * needs a staff session (ADMIN_AUTH); every form carries its CSRF
 * token (admin_before() checks it). An order number of another shop is
 * a number this shop does not have: 404.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/order.h"
#include "shop/order_list.h"
#include "shop/order_status.h"
#include "web/admin.h"
#include "web/admin_charts.h"
#include "web/admin_orders.h"
#include "web/orders.h"
#include "web/page.h"

#define AUTH		ADMIN_AUTH

/* The status filter's values: order_status_name()'s, in enum order. */
static const char *const status_choices[] = {
	"pending", "on-hold", "processing", "shipped", "completed",
	"cancelled", NULL
};

/* What the page says after an action (?done=). */
static const char *const done_choices[] = {
	"paid", "shipped", "completed", "cancelled", "note", "same", NULL
};

static const struct field list_fields[] = {
	{ "status", FIELD_ENUM, 0, 0, FIELD_QUERY,
	    N_("Choose a status from the list."), status_choices },
	{ "from", FIELD_TEXT, 0, 10, FIELD_QUERY | FIELD_ASCII,
	    N_("Enter a date such as 2026-03-31."), NULL },
	{ "to", FIELD_TEXT, 0, 10, FIELD_QUERY | FIELD_ASCII,
	    N_("Enter a date such as 2026-03-31."), NULL },
	{ "q", FIELD_TEXT, 0, ORDER_LIST_Q_MAX, FIELD_QUERY,
	    N_("Search for at most 200 characters."), NULL },
	{ "before", FIELD_ID, 0, 0, FIELD_QUERY,
	    N_("This page link is not valid."), NULL },
	{ 0 }
};

static const struct field order_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "done", FIELD_ENUM, 0, 0, FIELD_QUERY, NULL, done_choices },
	{ 0 }
};

static const struct field action_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const struct field ship_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "carrier", FIELD_TEXT, 0, ORDER_CARRIER_MAX, 0,
	    N_("A carrier's name has at most 100 characters."), NULL },
	{ "tracking_number", FIELD_TEXT, 0, ORDER_TRACKING_MAX, 0,
	    N_("A tracking number has at most 100 characters."), NULL },
	{ "tracking_url", FIELD_TEXT, 0, ORDER_TRACKING_URL_MAX, FIELD_ASCII,
	    N_("Enter a tracking link starting with https:// or http://, of "
	    "at most 500 characters."), NULL },
	{ 0 }
};

static const struct field cancel_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "reason", FIELD_TEXT, 0, ORDER_NOTE_MAX, 0,
	    N_("A note has at most 2000 characters."), NULL },
	{ 0 }
};

static const struct field note_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "note", FIELD_TEXT, 1, ORDER_NOTE_MAX, FIELD_REQUIRED,
	    N_("Write a note of 1 to 2000 characters."), NULL },
	{ "private", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ 0 }
};

static const char *
base_money(struct web *w, int64_t minor)
{
	return page_money(w, minor, w->tenant->currency);
}

static void
summaries(struct web *w, json_object *arr, const struct order_page *p,
    size_t max)
{
	size_t i;

	for (i = 0; i < p->n && i < max; i++) {
		const struct order_summary	*s = &p->v[i];
		json_object			*o = jarr_obj(arr);

		jset_i64(o, "number", s->number);
		jset_cstr(o, "created", orders_date(w, s->created_at));
		jset_str(o, "name", s->name);
		jset_str(o, "email", s->email);
		jset_cstr(o, "status", order_status_name(s->status));
		jset_cstr(o, "status_label", _(order_status_label(s->status)));
		jset_i64(o, "items", s->items);
		jset_cstr(o, "total", page_money(w, s->total,
		    arena_strndup(w->r->arena, s->currency.p,
		    s->currency.len)));
	}
}

/* --- dashboard --------------------------------------------------------- */

static int
dashboard(struct req *r)
{
	struct web		*w = web_of(r);
	struct order_dashboard	 d;
	struct order_filter	 f;
	struct order_page	 p;
	struct field_errors	 errs;
	json_object		*m, *arr;
	size_t			 i;

	memset(&f, 0, sizeof(f));
	if (order_dashboard(&w->shop, &d) != SHOP_OK ||
	    order_list(&w->shop, &f, &p, &errs) != SHOP_OK)
		return 503;
	m = admin_model(w, _("Dashboard"), "nav_dashboard");
	jset_i64(m, "today_orders", d.today_orders);
	jset_cstr(m, "today_revenue", base_money(w, d.today_revenue));
	jset_i64(m, "month_orders", d.month_orders);
	jset_cstr(m, "month_revenue", base_money(w, d.month_revenue));
	jset_i64(m, "on_hold", d.on_hold);
	jset_i64(m, "processing", d.processing);
	jset_i64(m, "low_stock_at", d.low_stock_at);
	jset_cstr(m, "low_stock_text", arena_printf(r->arena,
	    ngettext("Products with %lld unit or fewer in stock.",
	    "Products with %lld units or fewer in stock.",
	    (unsigned long)d.low_stock_at), (long long)d.low_stock_at));
	arr = jset_arr(m, "low");
	for (i = 0; i < d.nlow; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "product_id", d.low[i].product_id);
		jset_str(o, "name", d.low[i].name);
		jset_str(o, "variant", d.low[i].variant);
		jset_str(o, "sku", d.low[i].sku);
		jset_i64(o, "stock", d.low[i].stock);
		jset_bool(o, "out", d.low[i].stock <= 0);
	}
	jset_bool(m, "low_more", d.low_more);
	summaries(w, jset_arr(m, "recent"), &p, 10);
	if (admin_charts_dashboard(w, m, time(NULL)) != 0)
		return 503;
	return page_render(w, 200, "admin/dashboard");
}

/* --- the list ---------------------------------------------------------- */

/* The filter's link without its page: "/admin/orders?status=...". */
static void
filter_url(struct strbuf *sb, const struct order_filter *f)
{
	char sep = '?';

	strbuf_addstr(sb, "/admin/orders");
	if (f->has_status) {
		strbuf_addf(sb, "%cstatus=%s", sep,
		    order_status_name(f->status));
		sep = '&';
	}
	if (f->from.len) {
		strbuf_addf(sb, "%cfrom=", sep);
		url_escape(sb, f->from);
		sep = '&';
	}
	if (f->to.len) {
		strbuf_addf(sb, "%cto=", sep);
		url_escape(sb, f->to);
		sep = '&';
	}
	if (f->q.len) {
		strbuf_addf(sb, "%cq=", sep);
		url_escape(sb, f->q);
	}
}

static int
orders_list(struct req *r)
{
	struct web		*w = web_of(r);
	struct order_filter	 f;
	struct order_page	 p;
	struct field_errors	 errs;
	json_object		*m, *arr, *e;
	size_t			 i;
	int			 rc;

	memset(&f, 0, sizeof(f));
	f.has_status = form_has(&w->form, "status");
	f.status = (enum order_status)form_i64(&w->form, "status");
	f.from = form_text(&w->form, "from");
	f.to = form_text(&w->form, "to");
	f.q = form_text(&w->form, "q");
	f.before = form_i64(&w->form, "before");
	rc = order_list(&w->shop, &f, &p, &errs);
	if (rc != SHOP_OK && rc != SHOP_EINVAL)
		return 503;
	m = admin_model(w, _("Orders"), "nav_orders");
	jset_str(m, "from", f.from);
	jset_str(m, "to", f.to);
	jset_str(m, "q", f.q);
	arr = jset_arr(m, "statuses");
	for (i = 0; i < ORDER__MAX; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "value", order_status_name(i));
		jset_cstr(o, "label", _(order_status_label(i)));
		jset_bool(o, "selected", f.has_status && f.status == i);
	}
	e = jset_obj(m, "e");
	if (rc == SHOP_EINVAL) {
		page_field_errors(e, jset_arr(m, "errors"), &errs);
		return page_render(w, 400, "admin/orders");
	}
	summaries(w, jset_arr(m, "orders"), &p, p.n);
	jset_bool(m, "filtered", f.has_status || f.from.len || f.to.len ||
	    f.q.len);
	if (p.next) {
		struct strbuf next = STRBUF_INIT;

		filter_url(&next, &f);
		strbuf_addf(&next, "%cbefore=%lld",
		    strchr(next.buf, '?') ? '&' : '?', (long long)p.next);
		jset_cstr(m, "next_url", next.buf);
		strbuf_release(&next);
	}
	if (f.before)
		jset_bool(m, "paged", 1);
	return page_render(w, 200, "admin/orders");
}

/* --- one order --------------------------------------------------------- */

static const char *
done_message(int64_t done)
{
	switch (done) {
	case 0:
		return _("The order is marked paid.");
	case 1:
		return _("The order is marked shipped.");
	case 2:
		return _("The order is completed.");
	case 3:
		return _("The order is cancelled; its stock is back.");
	case 4:
		return _("Note added.");
	default:
		return _("Nothing changed: the order already was in that "
		    "state.");
	}
}

/*
 * The order page: the order, the actions the table allows from its
 * state, and, after a failed action, its message (error) or the fields'
 * (errs, beside the ship and note forms, with what was typed).
 */
static int
order_page(struct web *w, int status, const struct order *o,
    const char *error, const struct field_errors *errs)
{
	json_object *m, *f, *e;

	m = admin_model(w, arena_printf(w->r->arena, _("Order %lld"),
	    (long long)o->number), "nav_orders");
	orders_model(w, m, o, 1);
	jset_bool(m, "can_pay", order_status_allowed(o->status,
	    ORDER_PROCESSING, ORDER_BY_STAFF));
	jset_bool(m, "can_ship", order_status_allowed(o->status,
	    ORDER_SHIPPED, ORDER_BY_STAFF));
	jset_bool(m, "can_complete", order_status_allowed(o->status,
	    ORDER_COMPLETED, ORDER_BY_STAFF));
	jset_bool(m, "can_cancel", order_status_allowed(o->status,
	    ORDER_CANCELLED, ORDER_BY_STAFF));
	if (error != NULL)
		json_object_array_add(jset_arr(m, "errors"),
		    json_object_new_string(error));
	f = jset_obj(m, "f");
	e = jset_obj(m, "e");
	if (errs != NULL) {
		jset_str(f, "carrier", page_field(w, "carrier"));
		jset_str(f, "tracking_number", page_field(w,
		    "tracking_number"));
		jset_str(f, "tracking_url", page_field(w, "tracking_url"));
		jset_str(f, "note", page_field(w, "note"));
		jset_str(f, "reason", page_field(w, "reason"));
		jset_bool(f, "private", page_field(w, "private").len > 0);
		page_field_errors(e, jset_arr(m, "errors"), errs);
	} else {
		jset_bool(f, "private", 1);
	}
	if (form_has(&w->form, "done"))
		jset_cstr(m, "flash", done_message(form_i64(&w->form,
		    "done")));
	return page_render(w, status, "admin/order");
}

static int
not_found(struct web *w)
{
	return page_error(w, 404, _("This order does not exist."));
}

static int
order_show(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	int		 rc;

	rc = order_get(&w->shop, form_i64(&w->form, "number"), 1, &o);
	if (rc == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc != SHOP_OK)
		return 503;
	return order_page(w, 200, &o, NULL, NULL);
}

/* The page again after a refused action: 409 (not from this state) or
 * 422 (a field), with the order as it is now. */
static int
refused(struct web *w, int64_t number, int rc, const struct field_errors *errs)
{
	struct order o;

	if (order_get(&w->shop, number, 1, &o) != SHOP_OK)
		return 503;
	if (rc == SHOP_EDENIED)
		return order_page(w, 409, &o, errs->n ?
		    _(errs->v[0].msgid) : NULL, NULL);
	return order_page(w, 422, &o, NULL, errs);
}

static void
staff_who(struct web *w, struct order_who *who)
{
	who->actor = ORDER_BY_STAFF;
	who->staff_id = w->staff.id;
	who->email = w->staff.email;
}

/* Runs the change and answers: back to the order with ?done=. */
static int
change(struct web *w, const struct order_change *c, const char *done)
{
	int64_t			number = form_i64(&w->form, "number");
	struct order_who	who;
	struct field_errors	errs;
	int			rc;

	staff_who(w, &who);
	rc = order_status_set(&w->shop, number, &who, c, &errs);
	if (rc == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc == SHOP_EDENIED || rc == SHOP_EINVAL)
		return refused(w, number, rc, &errs);
	if (rc != SHOP_OK && rc != ORDER_SAME)
		return 503;
	if (rc == SHOP_OK)
		log_info("order %lld now %s", (long long)number,
		    order_status_name(c->to));
	return page_redirect(w, arena_printf(w->r->arena,
	    "/admin/orders/%lld?done=%s", (long long)number,
	    rc == ORDER_SAME ? "same" : done));
}

static int
mark_paid(struct req *r)
{
	struct order_change c = { .to = ORDER_PROCESSING };

	return change(web_of(r), &c, "paid");
}

static int
ship(struct req *r)
{
	struct web		*w = web_of(r);
	struct order_change	 c = { .to = ORDER_SHIPPED };

	if (w->form.errs.n)
		return refused(w, form_i64(&w->form, "number"), SHOP_EINVAL,
		    &w->form.errs);
	c.carrier = form_text(&w->form, "carrier");
	c.tracking_number = form_text(&w->form, "tracking_number");
	c.tracking_url = form_text(&w->form, "tracking_url");
	return change(w, &c, "shipped");
}

static int
complete(struct req *r)
{
	struct order_change c = { .to = ORDER_COMPLETED };

	return change(web_of(r), &c, "completed");
}

static int
cancel(struct req *r)
{
	struct web		*w = web_of(r);
	struct order_change	 c = { .to = ORDER_CANCELLED };

	if (w->form.errs.n)
		return refused(w, form_i64(&w->form, "number"), SHOP_EINVAL,
		    &w->form.errs);
	c.note = form_text(&w->form, "reason");
	return change(w, &c, "cancelled");
}

static int
note(struct req *r)
{
	struct web		*w = web_of(r);
	int64_t			 number = form_i64(&w->form, "number");
	struct order_who	 who;
	struct field_errors	 errs;
	int			 rc;

	if (w->form.errs.n)
		return refused(w, number, SHOP_EINVAL, &w->form.errs);
	staff_who(w, &who);
	rc = order_note_add(&w->shop, number, &who,
	    form_text(&w->form, "note"), form_bool(&w->form, "private"),
	    &errs);
	if (rc == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc == SHOP_EINVAL)
		return refused(w, number, rc, &errs);
	if (rc != SHOP_OK)
		return 503;
	return page_redirect(w, arena_printf(r->arena,
	    "/admin/orders/%lld?done=note", (long long)number));
}

const struct route admin_orders_routes[] = {
	{ HTTP_GET, "/admin", dashboard, AUTH, NULL },
	{ HTTP_GET, "/admin/orders", orders_list, AUTH, list_fields },
	{ HTTP_GET, "/admin/orders/:number", order_show, AUTH, order_fields },
	{ HTTP_POST, "/admin/orders/:number/paid", mark_paid, AUTH,
	    action_fields },
	{ HTTP_POST, "/admin/orders/:number/ship", ship,
	    AUTH | ROUTE_FORM_ERRORS, ship_fields },
	{ HTTP_POST, "/admin/orders/:number/complete", complete, AUTH,
	    action_fields },
	{ HTTP_POST, "/admin/orders/:number/cancel", cancel,
	    AUTH | ROUTE_FORM_ERRORS, cancel_fields },
	{ HTTP_POST, "/admin/orders/:number/note", note,
	    AUTH | ROUTE_FORM_ERRORS, note_fields },
};
const size_t admin_orders_nroutes = NELEM(admin_orders_routes);
