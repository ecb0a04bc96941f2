/*
 * admin_orders.c: the merchant's orders (admin_orders.h). Every page
 * needs a staff session (ADMIN_AUTH); every form carries its CSRF
 * token (admin_before() checks it). An order number of another shop is
 * a number this shop does not have: 404.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "core/strbuf.h"
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/order.h"
#include "shop/order_list.h"
#include "shop/order_status.h"
#include "shop/payment.h"
#include "shop/payments.h"
#include "shop/refund.h"
#include "shop/refund_issue.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_charts.h"
#include "web/admin_orders.h"
#include "web/credit_notes.h"
#include "web/orders.h"
#include "web/page.h"
#include "web/returns.h"

#define AUTH		ADMIN_AUTH

/* The status filter's values: order_status_name()'s, in enum order. */
static const char *const status_choices[] = {
	"pending", "on-hold", "processing", "shipped", "completed",
	"cancelled", NULL
};

/* What the page says after an action (?done=). */
static const char *const done_choices[] = {
	"paid", "shipped", "completed", "cancelled", "note", "same",
	"refunded", "refund_failed", "refund_pending", NULL
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

/* A refund: an amount, or per line "qty_<line id>" units. */
static const struct field refund_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "amount", FIELD_MONEY, 0, 24, 0,
	    N_("Enter an amount such as 12.50."), NULL },
	{ "qty_", FIELD_INT, 0, 1000000, FIELD_PREFIX,
	    N_("Enter a quantity of 0 or more for each line."), NULL },
	{ "restock", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ "refund_reason", FIELD_TEXT, 0, REFUND_REASON_MAX, 0,
	    N_("A reason has at most 500 characters."), NULL },
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
	case 6:
		return _("The refund is recorded.");
	case 7:
		return _("The payment provider refused the refund: see its "
		    "reason below. Nothing was given back.");
	case 8:
		return _("The refund is sent to the payment provider, which "
		    "has not confirmed it yet.");
	default:
		return _("Nothing changed: the order already was in that "
		    "state.");
	}
}

static const char *
refund_status_label(enum refund_status s)
{
	switch (s) {
	case REFUND_PENDING:
		return _("Waiting for the payment provider");
	case REFUND_SUCCEEDED:
		return _("Refunded");
	default:
		return _("Failed");
	}
}

/* The message of errs on field, or NULL. */
static const char *
error_on(const struct field_errors *errs, const char *field)
{
	size_t i;

	for (i = 0; errs != NULL && i < errs->n; i++)
		if (strcmp(errs->v[i].field, field) == 0)
			return _(errs->v[i].msgid);
	return NULL;
}

/*
 * The order's money: paid, refunded, due (or to refund), its payments
 * and refunds, and the refund form's lines with what is left of each.
 * Returns 0, or -1 when the database failed.
 */
static int
books_model(struct web *w, json_object *m, const struct order *o,
    const struct field_errors *errs)
{
	struct payment	*pay;
	struct refund	*ref;
	int64_t		 paid, refunded, due, *done;
	size_t		 npay, nref, i;
	json_object	*x, *arr;

	if (ledger_order_money(&w->shop, o->id, &paid, &refunded, &due) !=
	    SHOP_OK || payment_list(&w->shop, o->id, &pay, &npay) !=
	    SHOP_OK || refund_list(&w->shop, o->id, &ref, &nref) != SHOP_OK ||
	    refund_qty_done(&w->shop, o, &done) != SHOP_OK)
		return -1;
	x = jset_obj(m, "money");
	jset_cstr(x, "paid", base_money(w, paid));
	jset_cstr(x, "refunded", base_money(w, refunded));
	if (due >= 0)
		jset_cstr(x, "due", base_money(w, due));
	else
		jset_cstr(x, "to_refund", base_money(w, -due));
	if (due < 0 && o->status == ORDER_CANCELLED)
		jset_bool(x, "cancelled_paid", 1);
	arr = jset_arr(x, "payments");
	for (i = 0; i < npay; i++) {
		const struct payment_method *pm = payment_find(pay[i].method);
		json_object *y = jarr_obj(arr);

		jset_cstr(y, "at", orders_date(w, pay[i].created_at));
		jset_cstr(y, "method", pm ? _(pm->label) : "");
		jset_cstr(y, "amount", base_money(w, pay[i].amount));
		if (pay[i].fee > 0)
			jset_cstr(y, "fee", base_money(w, pay[i].fee));
		jset_str(y, "ref", pay[i].gateway_ref);
	}
	arr = jset_arr(x, "refunds");
	for (i = 0; i < nref; i++) {
		json_object *y = jarr_obj(arr);

		jset_cstr(y, "at", orders_date(w, ref[i].created_at));
		jset_cstr(y, "amount", base_money(w, ref[i].amount));
		jset_cstr(y, "status", refund_status_label(ref[i].status));
		jset_str(y, "reason", ref[i].reason);
		jset_bool(y, "restock", ref[i].restock);
		/* Why the gateway refused it, in its own words. */
		if (ref[i].status == REFUND_FAILED && ref[i].gateway.len) {
			struct str e;

			if (refund_issue_error(&w->shop, ref[i].id, &e) !=
			    SHOP_OK)
				return -1;
			jset_str(y, "gateway_error", e);
		}
	}
	if (credit_notes_links(w, m, o, NULL) != 0)
		return -1;
	if (paid - refunded <= 0)
		return 0;
	x = jset_obj(m, "refund");
	/* Paid through a gateway: the form says where the money goes. */
	if (npay > 0 && pay[npay - 1].gateway.len > 0)
		jset_bool(x, "card", 1);
	jset_cstr(x, "left", base_money(w, paid - refunded));
	arr = jset_arr(x, "lines");
	for (i = 0; i < o->nlines; i++) {
		const struct order_line	*l = &o->lines[i];
		const char		*name = arena_printf(w->r->arena,
					    "qty_%lld", (long long)l->id);
		json_object		*y;

		if (l->qty - done[i] <= 0)
			continue;
		y = jarr_obj(arr);
		jset_cstr(y, "field", name);
		jset_str(y, "name", l->name);
		jset_str(y, "variant", l->variant);
		jset_i64(y, "left", l->qty - done[i]);
		if (errs != NULL) {
			const char *msg = error_on(errs, name);

			jset_str(y, "value", page_field(w, name));
			if (msg != NULL)
				jset_cstr(y, "error", msg);
		}
	}
	return 0;
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
		jset_str(f, "amount", page_field(w, "amount"));
		jset_str(f, "refund_reason", page_field(w, "refund_reason"));
		jset_bool(f, "restock", page_field(w, "restock").len > 0);
		page_field_errors(e, jset_arr(m, "errors"), errs);
	} else {
		jset_bool(f, "private", 1);
	}
	if (form_has(&w->form, "done"))
		jset_cstr(m, "flash", done_message(form_i64(&w->form,
		    "done")));
	if (books_model(w, m, o, errs) == -1 ||
	    returns_model(w, m, o, NULL, 1) == -1)
		return 503;
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
	int rc2 = order_get(&w->shop, number, 1, &o);

	if (rc2 == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc2 != SHOP_OK)
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

/*
 * A refund (refund.h): by amount, or the quantities of the lines; the
 * page again with the errors beside the fields, nothing written, when
 * refused.
 */
static int
refund(struct req *r)
{
	struct web		*w = web_of(r);
	int64_t			 number = form_i64(&w->form, "number");
	struct refund_line_in	*lines;
	struct refund_in	 in;
	struct refund		 out;
	struct order_who	 who;
	struct field_errors	 errs;
	struct order		 o;
	struct str		 amount;
	size_t			 i;
	int			 rc;

	/* Another shop's order is one this shop does not have. */
	if ((rc = order_get(&w->shop, number, 0, &o)) == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc != SHOP_OK)
		return 503;
	if (w->form.errs.n)
		return refused(w, number, SHOP_EINVAL, &w->form.errs);
	memset(&in, 0, sizeof(in));
	errs.n = 0;
	amount = form_text(&w->form, "amount");
	if (amount.len && money_parse(amount, w->tenant->currency,
	    &in.amount) == -1) {
		field_errors_add(&errs, "amount", N_("Enter an amount such as "
		    "12.50."));
		return refused(w, number, SHOP_EINVAL, &errs);
	}
	lines = arena_calloc(r->arena, w->form.n + 1, sizeof(*lines));
	for (i = 0; i < w->form.n; i++) {
		const struct form_value *v = &w->form.v[i];
		int64_t id;

		if (strncmp(v->name, "qty_", 4) != 0 || v->i == 0)
			continue;
		if (str_to_i64c(v->name + 4, 1, INT64_MAX, &id) == -1)
			id = 0;		/* no line: refund_create() says so */
		lines[in.nlines].order_line_id = id;
		lines[in.nlines++].qty = v->i;
	}
	in.lines = lines;
	in.restock = form_bool(&w->form, "restock");
	in.reason = form_text(&w->form, "refund_reason");
	staff_who(w, &who);
	/* A card payment's refund goes through its gateway. */
	rc = refund_issue(&w->shop, number, &in, &who, &out, &errs);
	if (rc == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc == SHOP_EINVAL)
		return refused(w, number, rc, &errs);
	if (rc != SHOP_OK)
		return 503;
	log_info("order %lld: refund %lld of %lld", (long long)number,
	    (long long)out.id, (long long)out.amount);
	return page_redirect(w, arena_printf(r->arena,
	    "/admin/orders/%lld?done=%s", (long long)number,
	    out.status == REFUND_FAILED ? "refund_failed" :
	    out.status == REFUND_PENDING ? "refund_pending" : "refunded"));
}

const struct route admin_orders_routes[] = {
	{ HTTP_GET, "/admin", dashboard, AUTH | ADMIN_PERM(PERM_DASHBOARD),
	    NULL },
	{ HTTP_GET, "/admin/orders", orders_list,
	    AUTH | ADMIN_PERM(PERM_ORDERS),
	    list_fields },
	{ HTTP_GET, "/admin/orders/:number", order_show,
	    AUTH | ADMIN_PERM(PERM_ORDERS), order_fields },
	{ HTTP_POST, "/admin/orders/:number/paid", mark_paid,
	    AUTH | ADMIN_PERM(PERM_ORDERS),
	    action_fields },
	{ HTTP_POST, "/admin/orders/:number/ship", ship,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_ORDERS), ship_fields },
	{ HTTP_POST, "/admin/orders/:number/complete", complete,
	    AUTH | ADMIN_PERM(PERM_ORDERS),
	    action_fields },
	{ HTTP_POST, "/admin/orders/:number/cancel", cancel,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_ORDERS), cancel_fields },
	{ HTTP_POST, "/admin/orders/:number/note", note,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_ORDERS), note_fields },
	{ HTTP_POST, "/admin/orders/:number/refund", refund,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_REFUNDS),
	    refund_fields },
};
const size_t admin_orders_nroutes = NELEM(admin_orders_routes);
