/*
 * admin_customers.c: the merchant's view of the shop's customers, at
 * /admin/customers: the list (search by e-mail or name, newest first,
 * keyset pages) and a customer's page (profile, address book, their
 * orders: the newest page of them, shop/order_list.h).
 * Read-only: a shopper's data is theirs to change.
 */
#include "core/common.h"
#include "core/country.h"
#include "core/i18n.h"
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/customer.h"
#include "shop/order_list.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_customers.h"
#include "web/page.h"

static const struct field list_fields[] = {
	{ "q", FIELD_TEXT, 0, 200, FIELD_QUERY,
	    N_("Search for at most 200 characters."), NULL },
	{ "after", FIELD_ID, 0, 0, FIELD_QUERY,
	    N_("This page link is not valid."), NULL },
	{ 0 }
};

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This customer does not exist."), NULL },
	{ 0 }
};

static int
customers(struct req *r)
{
	struct web		*w = web_of(r);
	struct str		 q = form_text(&w->form, "q");
	struct customer_list	 l;
	json_object		*m, *arr;
	size_t			 i;
	int			 rc;

	rc = customer_admin_list(&w->shop, q, form_i64(&w->form, "after"), &l);
	if (rc != SHOP_OK)
		return page_error(w, rc == SHOP_EINVAL ? 400 : 503, NULL);
	m = admin_model(w, _("Customers"), "nav_customers");
	jset_str(m, "q", q);
	arr = jset_arr(m, "customers");
	for (i = 0; i < l.n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", l.v[i].id);
		jset_str(o, "email", l.v[i].email);
		jset_str(o, "name", l.v[i].name);
		jset_str(o, "phone", l.v[i].phone);
		jset_cstr(o, "language", page_lang_label(l.v[i].locale.p ?
		    l.v[i].locale.p : "en"));
		jset_str(o, "created_at", l.v[i].created_at);
	}
	if (l.more) {
		struct strbuf next = STRBUF_INIT;

		strbuf_addf(&next, "/admin/customers?after=%lld",
		    (long long)l.next);
		if (q.len) {
			strbuf_addstr(&next, "&q=");
			url_escape(&next, q);
		}
		jset_cstr(m, "next_url", next.buf);
		strbuf_release(&next);
	}
	if (form_i64(&w->form, "after"))
		jset_cstr(m, "first_url", "/admin/customers");
	return page_render(w, 200, "admin/customers");
}

static int
customer_page(struct req *r)
{
	struct web		*w = web_of(r);
	struct customer		 c;
	struct customer_address	*v;
	struct order_page	 op;
	size_t			 n, i;
	json_object		*m, *o, *arr;
	int			 rc;

	rc = customer_get(&w->shop, form_i64(&w->form, "id"), &c);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This customer does not exist."));
	if (rc != SHOP_OK ||
	    customer_addresses(&w->shop, c.id, &v, &n) != SHOP_OK ||
	    order_list_customer(&w->shop, c.id, 0, &op) != SHOP_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, c.name.len ? arena_strndup(r->arena, c.name.p,
	    c.name.len) : arena_strndup(r->arena, c.email.p, c.email.len),
	    "nav_customers");
	o = jset_obj(m, "customer");
	jset_i64(o, "id", c.id);
	jset_str(o, "email", c.email);
	jset_str(o, "name", c.name);
	jset_str(o, "phone", c.phone);
	jset_cstr(o, "language", page_lang_label(c.locale.p ? c.locale.p :
	    "en"));
	jset_str(o, "created_at", c.created_at);
	arr = jset_arr(m, "addresses");
	for (i = 0; i < n; i++) {
		const struct address	*a = &v[i].a;
		json_object		*ao = jarr_obj(arr);

		jset_bool(ao, "is_default", v[i].is_default);
		jset_str(ao, "name", a->name);
		jset_str(ao, "company", a->company);
		jset_str(ao, "line1", a->line1);
		jset_str(ao, "line2", a->line2);
		jset_str(ao, "city", a->city);
		jset_str(ao, "region", a->region);
		jset_str(ao, "postcode", a->postcode);
		jset_str(ao, "phone", a->phone);
		if (a->country.len == 2)
			jset_cstr(ao, "country", country_name(r->arena,
			    a->country.p, w->icu_locale));
	}
	jset_bool(m, "orders_shown", 1);
	arr = jset_arr(m, "orders");
	for (i = 0; i < op.n; i++) {
		const struct order_summary	*os = &op.v[i];
		json_object			*oo = jarr_obj(arr);

		jset_i64(oo, "number", os->number);
		jset_str(oo, "date", os->created_at);
		jset_cstr(oo, "status", _(order_status_label(os->status)));
		jset_cstr(oo, "total", page_money(w, os->total,
		    os->currency.p ? os->currency.p : w->tenant->currency));
	}
	if (op.next) {
		struct strbuf more = STRBUF_INIT;

		strbuf_addstr(&more, "/admin/orders?q=");
		url_escape(&more, c.email);
		jset_cstr(m, "orders_more_url", more.buf);
		strbuf_release(&more);
	}
	return page_render(w, 200, "admin/customer");
}

const struct route admin_customers_routes[] = {
	{ HTTP_GET, "/admin/customers", customers,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CUSTOMERS), list_fields },
	{ HTTP_GET, "/admin/customers/:id", customer_page,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CUSTOMERS),
	    id_fields },
};

const size_t admin_customers_nroutes = NELEM(admin_customers_routes);
