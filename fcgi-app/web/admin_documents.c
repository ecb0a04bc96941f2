/*
 * admin_documents.c: an order's printed papers (see admin_documents.h).
 * Staff only (ADMIN_AUTH); never stored by a cache (admin_dispatch()).
 */
#include "core/common.h"
#include "core/i18n.h"
#include "http/router.h"
#include "shop/order.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_documents.h"
#include "web/orders.h"
#include "web/page.h"

static const struct field slip_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static int
packing_slip(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	json_object	*m;
	int		 rc;

	rc = order_get(&w->shop, form_i64(&w->form, "number"), 1, &o);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This order does not exist."));
	if (rc != SHOP_OK)
		return 503;
	m = admin_model(w, arena_printf(r->arena, _("Packing slip, order "
	    "%lld"), (long long)o.number), "nav_orders");
	/* The order's own model, prices and all: the template shows none
	 * of them. */
	orders_model(w, m, &o, 0);
	jset_bool(m, "cancelled", o.status == ORDER_CANCELLED);
	return page_render(w, 200, "admin/packing_slip");
}

static int
invoice(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	int		 rc;

	rc = order_get(&w->shop, form_i64(&w->form, "number"), 1, &o);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This order does not exist."));
	if (rc != SHOP_OK)
		return 503;
	return orders_invoice_page(w, &o, arena_printf(r->arena,
	    "/admin/orders/%lld", (long long)o.number));
}

const struct route admin_documents_routes[] = {
	{ HTTP_GET, "/admin/orders/:number/packing-slip", packing_slip,
	    ADMIN_AUTH | ADMIN_PERM(PERM_ORDERS), slip_fields },
	{ HTTP_GET, "/admin/orders/:number/invoice", invoice,
	    ADMIN_AUTH | ADMIN_PERM(PERM_ORDERS),
	    slip_fields },
};

const size_t admin_documents_nroutes = NELEM(admin_documents_routes);
