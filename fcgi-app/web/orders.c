/*
 * orders.c: the shopper's orders on the storefront (orders.h).
 *
 * A signed-in shopper sees their own orders under /account/orders; a
 * guest sees one order at /order/:number?key=ACCESS_KEY, the key of the
 * confirmation page and e-mail. The key is compared in constant time,
 * and a wrong key is the same 404 as a number that does not exist: the
 * page never tells that an order exists. Every page here is about one
 * person's order: never cached (Cache-Control: no-store).
 */
#include "core/common.h"
#include "core/country.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/tz.h"
#include "platform/tenant.h"
#include "shop/invoice.h"
#include "shop/ledger.h"
#include "shop/order.h"
#include "shop/order_list.h"
#include "shop/order_status.h"
#include "shop/payment.h"
#include "shop/quote.h"
#include "shop/settings.h"
#include "shop/tax.h"
#include "web/credit_notes.h"
#include "web/orders.h"
#include "web/page.h"
#include "web/returns.h"

static const char *const done_choices[] = { "cancelled", "same", NULL };

static const struct field history_fields[] = {
	{ "before", FIELD_ID, 0, 0, FIELD_QUERY,
	    N_("This page link is not valid."), NULL },
	{ 0 }
};

static const struct field account_order_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "done", FIELD_ENUM, 0, 0, FIELD_QUERY, NULL, done_choices },
	{ 0 }
};

static const struct field account_cancel_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

/* The key is checked by the handler, not the table: a malformed key
 * and a wrong one must be the same 404. */
static const struct field guest_order_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "key", FIELD_TEXT, 0, 64, FIELD_QUERY | FIELD_ASCII, NULL, NULL },
	{ "done", FIELD_ENUM, 0, 0, FIELD_QUERY, NULL, done_choices },
	{ 0 }
};

static const struct field guest_note_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "refund", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "key", FIELD_TEXT, 0, 64, FIELD_QUERY | FIELD_ASCII, NULL, NULL },
	{ 0 }
};

static const struct field guest_cancel_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "key", FIELD_TEXT, 0, 64, FIELD_ASCII, NULL, NULL },
	{ 0 }
};

/* --- the model of one order ------------------------------------------- */

const char *
orders_date(struct web *w, struct str at)
{
	struct tm	 tm;
	char		 local[TZ_LOCAL_LEN], buf[20];

	if (at.len < 16)
		return "";
	memset(&tm, 0, sizeof(tm));
	str_copy(buf, sizeof(buf), at);
	if (strptime(buf, "%Y-%m-%d %H:%M", &tm) != NULL &&
	    tz_local(w->tenant->time_zone, timegm(&tm), local) == 0)
		/* TRANSLATORS: a date and time on the shop's clock, then
		 * its time zone: "2026-03-31 16:05 (Europe/Berlin)". */
		return arena_printf(w->r->arena, _("%s (%s)"),
		    arena_strndup(w->r->arena, local, 16),
		    w->tenant->time_zone);
	/* TRANSLATORS: a date and time in UTC: "2026-03-31 14:05 UTC". */
	return arena_printf(w->r->arena, _("%.16s UTC"), at.p);
}

static const char *
cstr(struct web *w, struct str s)
{
	return arena_strndup(w->r->arena, s.p, s.len);
}

static const char *
money(struct web *w, const struct order *o, int64_t minor)
{
	return page_money(w, minor, cstr(w, o->currency));
}

/* The method's name (payment.h's table), or NULL for a code it no
 * longer has. */
static const char *
payment_label(struct str method)
{
	const struct payment_method *pm = payment_find(method);

	return pm != NULL ? _(pm->label) : NULL;
}

/* An address under key, or nothing when it is empty (pickup, or a
 * billing address the same as shipping's). */
static void
address(struct web *w, json_object *m, const char *key,
    const struct address *ad)
{
	json_object	*o;
	char		 code[3];

	if (ad->name.len == 0 && ad->line1.len == 0)
		return;
	o = jset_obj(m, key);
	jset_str(o, "name", ad->name);
	jset_str(o, "company", ad->company);
	jset_str(o, "line1", ad->line1);
	jset_str(o, "line2", ad->line2);
	jset_str(o, "city", ad->city);
	jset_str(o, "region", ad->region);
	jset_str(o, "postcode", ad->postcode);
	jset_str(o, "phone", ad->phone);
	str_copy(code, sizeof(code), ad->country);
	if (country_valid(ad->country))
		jset_cstr(o, "country", country_name(w->r->arena, code,
		    w->icu_locale));
	else
		jset_str(o, "country", ad->country);
}

static void
lines(struct web *w, json_object *m, const struct order *o)
{
	json_object	*arr = jset_arr(m, "lines");
	size_t		 i;

	for (i = 0; i < o->nlines; i++) {
		const struct order_line	*l = &o->lines[i];
		json_object		*x = jarr_obj(arr);

		jset_str(x, "name", l->name);
		jset_str(x, "variant", l->variant);
		jset_str(x, "sku", l->sku);
		jset_i64(x, "qty", l->qty);
		jset_i64(x, "product_id", l->product_id);
		jset_cstr(x, "unit_price", money(w, o, l->unit_price));
		jset_cstr(x, "subtotal", money(w, o, l->subtotal));
	}
}

static void
totals(struct web *w, json_object *m, const struct order *o)
{
	jset_cstr(m, "subtotal", money(w, o, o->subtotal));
	if (o->discount > 0)
		jset_cstr(m, "discount", money(w, o, o->discount));
	jset_str(m, "coupon_code", o->coupon_code);
	jset_cstr(m, "shipping", money(w, o, o->shipping));
	jset_str(m, "ship_method", o->ship_method);
	jset_cstr(m, "tax", money(w, o, o->tax));
	jset_bool(m, "tax_included", o->prices_include_tax);
	jset_cstr(m, "total", money(w, o, o->total));
	if (!str_eq(o->display_currency, o->currency) && o->display_total > 0)
		jset_cstr(m, "display_total", page_money(w, o->display_total,
		    cstr(w, o->display_currency)));
}

static const char *
actor_label(struct web *w, const struct order_event *e)
{
	switch (e->actor) {
	case ORDER_BY_STAFF:
		if (e->actor_email.len)
			return cstr(w, e->actor_email);
		return _("Staff");
	case ORDER_BY_SYSTEM:
		return _("System");
	default:
		return _("Customer");
	}
}

static const char *
status_label_of(struct str name)
{
	enum order_status s;

	if (order_status_parse(name, &s) == -1)
		return "";
	return _(order_status_label(s));
}

static void
history(struct web *w, json_object *m, const struct order *o, int merchant)
{
	json_object	*events = jset_arr(m, "events");
	json_object	*notes = jset_arr(m, "notes");
	size_t		 i;

	for (i = 0; i < o->nevents; i++) {
		const struct order_event	*e = &o->events[i];
		json_object			*x;

		if (!merchant) {
			/* The shopper reads the notes meant for them. */
			if (e->kind != ORDER_EV_NOTE)
				continue;
			x = jarr_obj(notes);
			jset_cstr(x, "at", orders_date(w, e->at));
			jset_str(x, "note", e->note);
			continue;
		}
		x = jarr_obj(events);
		jset_cstr(x, "at", orders_date(w, e->at));
		jset_cstr(x, "who", actor_label(w, e));
		jset_bool(x, "staff", e->actor == ORDER_BY_STAFF);
		jset_str(x, "note", e->note);
		if (e->kind == ORDER_EV_STATUS) {
			jset_bool(x, "status", 1);
			if (e->from_status.len)
				jset_cstr(x, "from", status_label_of(
				    e->from_status));
			jset_cstr(x, "to", status_label_of(e->to_status));
		} else if (e->kind == ORDER_EV_PRIVATE) {
			jset_bool(x, "private", 1);
		} else {
			jset_bool(x, "to_shopper", 1);
		}
	}
}

void
orders_model(struct web *w, json_object *m, const struct order *o,
    int merchant)
{
	json_object	*x = jset_obj(m, "order");
	const char	*pay = payment_label(o->payment_method);

	jset_i64(x, "number", o->number);
	jset_cstr(x, "status", order_status_name(o->status));
	jset_cstr(x, "status_label", _(order_status_label(o->status)));
	jset_cstr(x, "created", orders_date(w, o->created_at));
	jset_cstr(x, "paid_at", orders_date(w, o->paid_at));
	jset_cstr(x, "shipped_at", orders_date(w, o->shipped_at));
	jset_str(x, "email", o->email);
	if (pay != NULL)
		jset_cstr(x, "payment", pay);
	else
		jset_str(x, "payment", o->payment_method);
	lines(w, x, o);
	totals(w, x, o);
	address(w, x, "ship_to", &o->ship);
	address(w, x, "bill_to", &o->bill);
	if ((o->status == ORDER_SHIPPED || o->status == ORDER_COMPLETED) &&
	    (o->carrier.len || o->tracking_number.len ||
	    o->tracking_url.len)) {
		json_object *t = jset_obj(x, "tracking");

		jset_str(t, "carrier", o->carrier);
		jset_str(t, "number", o->tracking_number);
		/* Checked http(s) when it was saved (order_status.c). */
		if (order_tracking_url_valid(o->tracking_url))
			jset_str(t, "url", o->tracking_url);
	}
	/* The admin's customer page (web/admin_customers.c) for an order
	 * placed signed in; 0 for a guest, or an account deleted since. */
	if (merchant && o->customer_id > 0)
		jset_i64(x, "customer_id", o->customer_id);
	history(w, x, o, merchant);
}

/* --- the invoice -------------------------------------------------------- */

/* One rate's figures of the invoice's tax summary. */
struct rate_sum {
	int32_t		 rate;
	int64_t		 net, tax;
};

static void
rate_row(struct web *w, json_object *arr, const struct order *o,
    const char *label, int64_t net, int64_t tax)
{
	json_object *x = jarr_obj(arr);

	jset_cstr(x, "label", label);
	jset_cstr(x, "net", money(w, o, net));
	jset_cstr(x, "tax", money(w, o, tax));
}

/*
 * The tax summary's shipping rows, one per rate of the goods, as
 * quote_totals() split the shipping and its tax
 * (quote_shipping_tax_split() and quote_shipping_shares(), which the
 * books use too). Returns 0 when the shipping is untaxed or the split
 * is not the order's: then one row says it all.
 */
static int
shipping_rows(struct web *w, json_object *sums, const struct order *o)
{
	struct arena	*a = w->r->arena;
	size_t		 n = o->nlines, i;
	int64_t		*net = arena_calloc(a, n + 1, sizeof(*net));
	int64_t		*tax = arena_calloc(a, n + 1, sizeof(*tax));
	int64_t		*share = arena_calloc(a, n + 1, sizeof(*share));
	int32_t		*rates = arena_calloc(a, n + 1, sizeof(*rates));
	char		 pct[16];

	if (o->shipping_tax <= 0 || n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		net[i] = o->lines[i].subtotal - o->lines[i].discount;
		rates[i] = o->lines[i].tax_rate;
	}
	if (quote_shipping_tax_split(net, rates, n, o->shipping,
	    o->prices_include_tax, tax) != o->shipping_tax ||
	    quote_shipping_shares(net, rates, n, o->shipping, share) == -1)
		return 0;
	for (i = 0; i < n; i++) {
		if (share[i] == 0)
			continue;	/* not a rate's first line, or none */
		tax_rate_format(rates[i], pct, sizeof(pct));
		/* TRANSLATORS: a row of an invoice's tax summary: the part
		 * of the shipping taxed at one rate, "Shipping, tax 7 %". */
		rate_row(w, sums, o, arena_printf(a, _("Shipping, tax %s %%"),
		    pct), o->prices_include_tax ? share[i] - tax[i] :
		    share[i], tax[i]);
	}
	return 1;
}

/* A line's net is what it costs after its discount without its tax
 * (line.total - line.tax whether prices include tax or not:
 * quote_totals.c); the rows of each rate, then shipping's, sum to the
 * order's total with the taxes. */
static void
invoice_model(struct web *w, json_object *m, const struct order *o,
    const struct invoice *inv)
{
	json_object		*x = jset_obj(m, "invoice");
	json_object		*arr = jset_arr(x, "lines"), *sums;
	struct rate_sum		*rs = arena_calloc(w->r->arena, o->nlines + 1,
				    sizeof(*rs));
	size_t			 i, j, n = 0;
	int64_t			 net = 0, ship_net, ship_gross;
	char			 pct[16];

	jset_i64(x, "number", inv->number);
	jset_cstr(x, "date", orders_date(w, inv->issued_at));
	for (i = 0; i < o->nlines; i++) {
		const struct order_line	*l = &o->lines[i];
		json_object		*y = jarr_obj(arr);

		tax_rate_format(l->tax_rate, pct, sizeof(pct));
		jset_str(y, "name", l->name);
		jset_str(y, "variant", l->variant);
		jset_str(y, "sku", l->sku);
		jset_i64(y, "qty", l->qty);
		jset_cstr(y, "unit_price", money(w, o, l->unit_price));
		if (l->discount > 0)
			jset_cstr(y, "discount", money(w, o, l->discount));
		jset_cstr(y, "rate", arena_printf(w->r->arena, "%s %%", pct));
		jset_cstr(y, "net", money(w, o, l->total - l->tax));
		net += l->total - l->tax;
		for (j = 0; j < n && rs[j].rate != l->tax_rate; j++)
			;
		if (j == n)
			rs[n++].rate = l->tax_rate;
		rs[j].net += l->total - l->tax;
		rs[j].tax += l->tax;
	}
	ship_gross = o->shipping + (o->prices_include_tax ? 0 :
	    o->shipping_tax);
	ship_net = ship_gross - o->shipping_tax;
	sums = jset_arr(x, "taxes");
	for (j = 0; j < n; j++) {
		tax_rate_format(rs[j].rate, pct, sizeof(pct));
		/* TRANSLATORS: a row of an invoice's tax summary: the goods
		 * taxed at one rate, "VAT 19 %". */
		rate_row(w, sums, o, arena_printf(w->r->arena, _("Tax %s %%"),
		    pct), rs[j].net, rs[j].tax);
	}
	if (ship_gross > 0) {
		/* Its tax follows the goods' rates (quote_totals.c): a row
		 * per rate when the split is the order's. */
		if (!shipping_rows(w, sums, o))
			rate_row(w, sums, o, _("Shipping"), ship_net,
			    o->shipping_tax);
		jset_cstr(x, "shipping_net", money(w, o, ship_net));
	}
	jset_cstr(x, "net", money(w, o, net + ship_net));
	jset_cstr(x, "tax", money(w, o, o->tax));
	jset_cstr(x, "total", money(w, o, o->total));
}

int
orders_invoice_page(struct web *w, const struct order *o, const char *back)
{
	struct invoice		 inv;
	struct shop_settings	 s;
	json_object		*m;
	int			 rc;

	if ((rc = invoice_of_order(&w->shop, o->id, &inv)) == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This order has no invoice yet: "
		    "it is issued when the order is paid."));
	if (rc != SHOP_OK || settings_get(&w->shop, &s) != SHOP_OK)
		return 503;
	m = page_model(w, arena_printf(w->r->arena, _("Invoice %lld"),
	    (long long)inv.number));
	orders_model(w, m, o, 0);
	invoice_model(w, m, o, &inv);
	jset_str(m, "seller", s.legal_details);
	jset_cstr(m, "back", back);
	return page_render(w, 200, "invoice");
}

/* --- the shopper's pages ----------------------------------------------- */

static void
no_store(struct web *w)
{
	resp_header(w->r, "Cache-Control", "no-store");
}

static int
need_customer(struct web *w)
{
	return page_redirect(w, "/account/login?next=/account/orders");
}

static int
history_page(struct req *r)
{
	struct web		*w = web_of(r);
	struct order_page	 p;
	json_object		*m, *arr;
	size_t			 i;

	no_store(w);
	if (!w->has_customer)
		return need_customer(w);
	if (order_list_customer(&w->shop, w->customer.id,
	    form_i64(&w->form, "before"), &p) != SHOP_OK)
		return 503;
	m = page_model(w, _("My orders"));
	jset_bool(m, "nav_orders", 1);
	arr = jset_arr(m, "orders");
	for (i = 0; i < p.n; i++) {
		const struct order_summary	*s = &p.v[i];
		json_object			*o = jarr_obj(arr);

		jset_i64(o, "number", s->number);
		jset_cstr(o, "created", orders_date(w, s->created_at));
		jset_cstr(o, "status", order_status_name(s->status));
		jset_cstr(o, "status_label", _(order_status_label(s->status)));
		jset_i64(o, "items", s->items);
		jset_cstr(o, "total", page_money(w, s->total,
		    cstr(w, s->currency)));
	}
	if (p.next)
		jset_cstr(m, "next_url", arena_printf(r->arena,
		    "/account/orders?before=%lld", (long long)p.next));
	return page_render(w, 200, "orders");
}

static void
done_flash(struct web *w, json_object *m)
{
	if (!form_has(&w->form, "done"))
		return;
	if (form_i64(&w->form, "done") == 0)
		jset_cstr(m, "flash", _("Your order is cancelled."));
	else
		jset_cstr(m, "flash", _("Nothing changed: the order already "
		    "was in that state."));
}

/* What the shopper paid, was refunded and still owes (or is owed),
 * once money moved: the books' figures (ledger.h). 0, or -1. */
static int
money_model(struct web *w, json_object *m, const struct order *o)
{
	int64_t		 paid, refunded, due;
	json_object	*x;

	if (ledger_order_money(&w->shop, o->id, &paid, &refunded, &due) !=
	    SHOP_OK)
		return -1;
	if (paid == 0 && refunded == 0)
		return 0;
	x = jset_obj(m, "money");
	jset_cstr(x, "paid", money(w, o, paid));
	if (refunded > 0)
		jset_cstr(x, "refunded", money(w, o, refunded));
	if (due > 0)
		jset_cstr(x, "due", money(w, o, due));
	else if (due < 0)
		jset_cstr(x, "to_refund", money(w, o, -due));
	return 0;
}

/* The shopper's order page: the account's (key NULL) or the guest's. */
static int
order_page(struct web *w, int status, const struct order *o, const char *key,
    const char *error)
{
	json_object *m;

	m = page_model(w, arena_printf(w->r->arena, _("Order %lld"),
	    (long long)o->number));
	orders_model(w, m, o, 0);
	if (money_model(w, m, o) == -1)
		return page_error(w, 503, NULL);
	/* Not paid yet by card: its confirmation page has the button
	 * that opens the payment page again (web/cart.c). */
	if (o->status == ORDER_PENDING) {
		const struct payment_method *pm = payment_find(
		    o->payment_method);

		if (pm != NULL && pm->online)
			jset_cstr(m, "pay_url", arena_printf(w->r->arena,
			    "/checkout/done/%lld?key=%s#payment",
			    (long long)o->number, cstr(w, o->access_key)));
	}
	jset_bool(m, "can_cancel", order_status_allowed(o->status,
	    ORDER_CANCELLED, ORDER_BY_SHOPPER));
	if (key != NULL) {
		jset_cstr(m, "key", key);
		jset_cstr(m, "cancel_action", arena_printf(w->r->arena,
		    "/order/%lld/cancel", (long long)o->number));
	} else {
		jset_bool(m, "account", 1);
		jset_bool(m, "nav_orders", 1);
		jset_cstr(m, "cancel_action", arena_printf(w->r->arena,
		    "/account/orders/%lld/cancel", (long long)o->number));
	}
	/* Paid: its invoice, by the order's key (the signed-in
	 * customer's own order may show it). */
	if (o->paid_at.len > 0)
		jset_cstr(m, "invoice_url", arena_printf(w->r->arena,
		    "/order/%lld/invoice?key=%s", (long long)o->number,
		    cstr(w, o->access_key)));
	if (o->paid_at.len > 0 && credit_notes_links(w, m, o,
	    cstr(w, o->access_key)) != 0)
		return 503;
	if (error != NULL)
		jset_cstr(m, "error", error);
	done_flash(w, m);
	/* Its returns, and the link to ask for one (web/returns.c). */
	if (returns_model(w, m, o, key, 0) == -1)
		return 503;
	return page_render(w, status, "order");
}

int
orders_own(struct web *w, int with_lines, struct order *o)
{
	int rc = order_get(&w->shop, form_i64(&w->form, "number"),
	    with_lines, o);

	if (rc == SHOP_OK && o->customer_id != w->customer.id)
		return SHOP_ENOTFOUND;
	return rc;
}

int
orders_not_found(struct web *w)
{
	return page_error(w, 404, _("This order does not exist."));
}

int
orders_posted(struct web *w, int guest, int with_lines, struct order *o,
    const char **key, int *answer)
{
	struct str	k = form_text(&w->form, "key");
	int		rc;

	no_store(w);
	*key = NULL;
	if (guest)
		page_anon_csrf(w);
	else if (!w->has_customer) {
		*answer = page_error(w, 403, _("Please sign in first."));
		return 0;
	} else
		w->csrf = w->customer.csrf;
	if (!page_csrf_ok(w)) {
		*answer = page_error(w, 403, _("This form has expired or did "
		    "not come from this shop. Reload the page and try again."));
		return 0;
	}
	rc = guest ? orders_keyed(w, k, with_lines, o) :
	    orders_own(w, with_lines, o);
	if (rc != SHOP_OK) {
		*answer = rc == SHOP_ENOTFOUND ? orders_not_found(w) : 503;
		return 0;
	}
	if (guest)
		*key = arena_strndup(w->r->arena, k.p, k.len);
	return 1;
}

static int
own_order(struct web *w, struct order *o)
{
	return orders_own(w, 1, o);
}

static int
not_found(struct web *w)
{
	return orders_not_found(w);
}

static int
account_order(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	int		 rc;

	no_store(w);
	if (!w->has_customer)
		return need_customer(w);
	if ((rc = own_order(w, &o)) == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc != SHOP_OK)
		return 503;
	return order_page(w, 200, &o, NULL, NULL);
}

int
orders_keyed(struct web *w, struct str key, int with_lines, struct order *o)
{
	int rc = order_get(&w->shop, form_i64(&w->form, "number"),
	    with_lines, o);

	if (rc != SHOP_OK)
		return rc;
	if (key.len != 32 || o->access_key.len != 32 ||
	    !crypto_eq(key.p, o->access_key.p, 32))
		return SHOP_ENOTFOUND;
	return SHOP_OK;
}

static int
keyed_order(struct web *w, struct str key, struct order *o)
{
	return orders_keyed(w, key, 1, o);
}

static int
guest_order(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 key = form_text(&w->form, "key");
	struct order	 o;
	int		 rc;

	no_store(w);
	if ((rc = keyed_order(w, key, &o)) == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc != SHOP_OK)
		return 503;
	page_anon_csrf(w);
	return order_page(w, 200, &o, cstr(w, key), NULL);
}

/* The invoice of a paid order, by the order's key (the guest's page
 * and the "order paid" mail link it). */
static int
guest_invoice(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 key = form_text(&w->form, "key");
	struct order	 o;
	int		 rc;

	no_store(w);
	if ((rc = keyed_order(w, key, &o)) == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc != SHOP_OK)
		return 503;
	return orders_invoice_page(w, &o, arena_printf(r->arena,
	    "/order/%lld?key=%s", (long long)o.number, cstr(w, key)));
}

/* A credit note of a paid order, by the order's key, as its invoice. */
static int
guest_credit_note(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 key = form_text(&w->form, "key");
	struct order	 o;
	int		 rc;

	no_store(w);
	if ((rc = keyed_order(w, key, &o)) == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc != SHOP_OK)
		return 503;
	return credit_notes_page(w, &o, form_i64(&w->form, "refund"),
	    arena_printf(r->arena, "/order/%lld?key=%s", (long long)o.number,
	    cstr(w, key)));
}

/* Cancels o for the shopper and answers: back to the page. */
static int
shopper_cancel(struct web *w, const struct order *o, const char *key)
{
	struct order_who	who = { ORDER_BY_SHOPPER, 0, STR("") };
	struct order_change	c = { .to = ORDER_CANCELLED };
	struct field_errors	errs;
	struct order		again;
	const char		*done;
	int			rc;

	rc = order_status_set(&w->shop, o->number, &who, &c, &errs);
	if (rc == SHOP_EDENIED) {
		if (order_get(&w->shop, o->number, 1, &again) != SHOP_OK)
			return 503;
		return order_page(w, 409, &again, key, errs.n ?
		    _(errs.v[0].msgid) : NULL);
	}
	if (rc == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc != SHOP_OK && rc != ORDER_SAME)
		return 503;
	if (rc == SHOP_OK)
		log_info("order %lld cancelled by the shopper",
		    (long long)o->number);
	done = rc == ORDER_SAME ? "same" : "cancelled";
	if (key != NULL)
		return page_redirect(w, arena_printf(w->r->arena,
		    "/order/%lld?key=%s&done=%s", (long long)o->number, key,
		    done));
	return page_redirect(w, arena_printf(w->r->arena,
	    "/account/orders/%lld?done=%s", (long long)o->number, done));
}

static int
account_cancel(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	const char	*key;
	int		 answer;

	if (!orders_posted(w, 0, 1, &o, &key, &answer))
		return answer;
	return shopper_cancel(w, &o, NULL);
}

static int
guest_cancel(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	const char	*key;
	int		 answer;

	if (!orders_posted(w, 1, 1, &o, &key, &answer))
		return answer;
	return shopper_cancel(w, &o, key);
}

const struct route orders_routes[] = {
	{ HTTP_GET, "/account/orders", history_page, 0, history_fields },
	{ HTTP_GET, "/account/orders/:number", account_order, 0,
	    account_order_fields },
	{ HTTP_POST, "/account/orders/:number/cancel", account_cancel, 0,
	    account_cancel_fields },
	{ HTTP_GET, "/order/:number", guest_order, 0, guest_order_fields },
	{ HTTP_GET, "/order/:number/invoice", guest_invoice, 0,
	    guest_order_fields },
	{ HTTP_GET, "/order/:number/credit-notes/:refund", guest_credit_note,
	    0, guest_note_fields },
	{ HTTP_POST, "/order/:number/cancel", guest_cancel, 0,
	    guest_cancel_fields },
};
const size_t orders_nroutes = NELEM(orders_routes);
