/*
 * admin_returns.c: the merchant's returns (admin_returns.h): the list
 * with its status filter and the shop's return settings, a return's
 * page and its actions. Every page needs a staff session; every form
 * carries its CSRF token (admin_before() checks both). A return id of
 * another shop is one this shop does not have: 404.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "http/router.h"
#include "shop/order.h"
#include "shop/refund.h"
#include "shop/rma.h"
#include "shop/settings.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_returns.h"
#include "web/orders.h"
#include "web/page.h"

#define AUTH		ADMIN_AUTH

/* rma_status_name()'s values, in enum order. */
static const char *const status_choices[] = {
	"requested", "approved", "refused", "received", "refunded",
	"cancelled", NULL
};

/* What the page says after an action (?done=). */
static const char *const done_choices[] = {
	"approved", "refused", "received", "refunded", "cancelled", "same",
	"settings", NULL
};

static const struct field list_fields[] = {
	{ "status", FIELD_ENUM, 0, 0, FIELD_QUERY,
	    N_("Choose a status from the list."), status_choices },
	{ "before", FIELD_ID, 0, 0, FIELD_QUERY,
	    N_("This page link is not valid."), NULL },
	{ "done", FIELD_ENUM, 0, 0, FIELD_QUERY, NULL, done_choices },
	{ 0 }
};

static const struct field settings_fields[] = {
	{ "return_days", FIELD_INT, 0, RMA_DAYS_MAX, FIELD_REQUIRED,
	    N_("Enter a number of days from 0 to 3650."), NULL },
	{ "return_policy", FIELD_TEXT, 0, SETTINGS_TEXT_MAX, 0,
	    N_("A return policy has at most 2000 characters."), NULL },
	{ 0 }
};

static const struct field page_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "done", FIELD_ENUM, 0, 0, FIELD_QUERY, NULL, done_choices },
	{ 0 }
};

static const struct field note_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "note", FIELD_TEXT, 0, RMA_NOTE_MAX, 0,
	    N_("A note has at most 1000 characters."), NULL },
	{ 0 }
};

static const struct field receive_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "restock", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ 0 }
};

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const char *
done_message(int64_t i)
{
	switch (i) {
	case 0:
		return _("The return is approved; the shopper was told.");
	case 1:
		return _("The return is refused; the shopper was told.");
	case 2:
		return _("The goods are marked received.");
	case 3:
		return _("The return is refunded.");
	case 4:
		return _("The return is cancelled.");
	case 5:
		return _("Nothing changed: the return already was in that "
		    "state.");
	default:
		return _("The return settings are saved.");
	}
}

static void
rma_row(struct web *w, json_object *x, const struct rma *r)
{
	jset_i64(x, "id", r->id);
	jset_i64(x, "order", r->order_number);
	jset_cstr(x, "status", rma_status_name(r->status));
	jset_cstr(x, "status_label", _(rma_status_label(r->status)));
	jset_cstr(x, "reason", _(rma_reason_label(r->reason)));
	jset_cstr(x, "created", orders_date(w, r->created_at));
	jset_str(x, "email", r->email);
}

/* The list, and the settings form (with errs after a refused save). */
static int
list_page(struct web *w, int status, const struct field_errors *errs)
{
	struct shop_settings	 s;
	struct rma		*v;
	size_t			 n, i;
	int64_t			 next, st = -1;
	json_object		*m, *arr, *f;

	if (form_has(&w->form, "status"))
		st = form_i64(&w->form, "status");
	if (rma_list(&w->shop, (int)st, form_i64(&w->form, "before"), &v, &n,
	    &next) != SHOP_OK || settings_get(&w->shop, &s) != SHOP_OK)
		return 503;
	m = admin_model(w, _("Returns"), "nav_returns");
	arr = jset_arr(m, "statuses");
	for (i = 0; i < RMA__MAX; i++) {
		json_object *x = jarr_obj(arr);

		jset_cstr(x, "value", status_choices[i]);
		jset_cstr(x, "label", _(rma_status_label((enum rma_status)i)));
		jset_bool(x, "selected", (int64_t)i == st);
	}
	jset_bool(m, "filtered", st >= 0);
	arr = jset_arr(m, "returns");
	for (i = 0; i < n; i++)
		rma_row(w, jarr_obj(arr), &v[i]);
	if (next)
		jset_cstr(m, "next_url", st >= 0 ? arena_printf(w->r->arena,
		    "/admin/returns?status=%s&before=%lld",
		    status_choices[st], (long long)next) :
		    arena_printf(w->r->arena, "/admin/returns?before=%lld",
		    (long long)next));
	f = jset_obj(m, "f");
	if (errs != NULL) {
		jset_str(f, "return_days", page_field(w, "return_days"));
		jset_str(f, "return_policy", page_field(w, "return_policy"));
		page_field_errors(jset_obj(m, "e"), jset_arr(m, "errors"),
		    errs);
	} else {
		jset_i64(f, "return_days", s.return_days);
		jset_str(f, "return_policy", s.return_policy);
	}
	if (form_has(&w->form, "done"))
		jset_cstr(m, "flash", done_message(form_i64(&w->form,
		    "done")));
	return page_render(w, status, "admin/returns");
}

static int
list(struct req *r)
{
	return list_page(web_of(r), 200, NULL);
}

static int
settings_save_page(struct req *r)
{
	struct web		*w = web_of(r);
	struct shop_settings	 s;
	struct field_errors	 errs;
	int			 rc;

	if (w->form.errs.n)
		return list_page(w, 422, &w->form.errs);
	if (settings_get(&w->shop, &s) != SHOP_OK)
		return 503;
	s.return_days = form_i64(&w->form, "return_days");
	s.return_policy = form_text(&w->form, "return_policy");
	rc = settings_save(&w->shop, &s, &errs);
	if (rc == SHOP_EINVAL)
		return list_page(w, 422, &errs);
	if (rc != SHOP_OK)
		return 503;
	log_info("return settings saved: %lld days",
	    (long long)s.return_days);
	return page_redirect(w, "/admin/returns?done=settings");
}

/* A return's page; error: an action's message (409), errs: the
 * fields' (422). */
static int
return_page(struct web *w, int status, int64_t id, const char *error,
    const struct field_errors *errs)
{
	struct rma	 r;
	json_object	*m, *x, *arr;
	size_t		 i;
	int		 rc;

	if ((rc = rma_get(&w->shop, id, &r)) == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This return does not exist."));
	if (rc != SHOP_OK)
		return 503;
	m = admin_model(w, arena_printf(w->r->arena, _("Return %lld"),
	    (long long)r.id), "nav_returns");
	x = jset_obj(m, "rma");
	rma_row(w, x, &r);
	jset_str(x, "note", r.note);
	jset_str(x, "merchant_note", r.merchant_note);
	jset_bool(x, "restock", r.restock);
	jset_cstr(x, "updated", orders_date(w, r.updated_at));
	arr = jset_arr(x, "lines");
	for (i = 0; i < r.nlines; i++) {
		json_object *l = jarr_obj(arr);

		jset_i64(l, "qty", r.lines[i].qty);
		jset_str(l, "name", r.lines[i].name);
		jset_str(l, "variant", r.lines[i].variant);
		jset_str(l, "sku", r.lines[i].sku);
	}
	if (r.refund_id > 0)
		jset_i64(x, "refund_id", r.refund_id);
	jset_bool(m, "can_approve", rma_allowed(r.status, RMA_APPROVED,
	    ORDER_BY_STAFF));
	jset_bool(m, "can_refuse", rma_allowed(r.status, RMA_REFUSED,
	    ORDER_BY_STAFF));
	jset_bool(m, "can_receive", rma_allowed(r.status, RMA_RECEIVED,
	    ORDER_BY_STAFF));
	jset_bool(m, "can_refund", rma_allowed(r.status, RMA_REFUNDED,
	    ORDER_BY_STAFF) && !r.refunding);
	jset_bool(x, "refunding", r.refunding);
	jset_bool(m, "can_cancel", rma_allowed(r.status, RMA_CANCELLED,
	    ORDER_BY_STAFF));
	if (error != NULL)
		json_object_array_add(jset_arr(m, "errors"),
		    json_object_new_string(error));
	if (errs != NULL) {
		jset_str(m, "note", page_field(w, "note"));
		page_field_errors(jset_obj(m, "e"), jset_arr(m, "errors"),
		    errs);
	}
	if (form_has(&w->form, "done"))
		jset_cstr(m, "flash", done_message(form_i64(&w->form,
		    "done")));
	return page_render(w, status, "admin/return");
}

static int
show(struct req *r)
{
	struct web *w = web_of(r);

	return return_page(w, 200, form_i64(&w->form, "id"), NULL, NULL);
}

static void
staff_who(struct web *w, struct order_who *who)
{
	who->actor = ORDER_BY_STAFF;
	who->staff_id = w->staff.id;
	who->email = w->staff.email;
}

/* Answers a change's result rc: back to the return with ?done=. */
static int
answer(struct web *w, int64_t id, int rc, const struct field_errors *errs,
    const char *done)
{
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This return does not exist."));
	if (rc == SHOP_EDENIED)
		return return_page(w, 409, id, errs->n ? _(errs->v[0].msgid) :
		    NULL, NULL);
	if (rc == SHOP_EINVAL)
		return return_page(w, 422, id, NULL, errs);
	if (rc != SHOP_OK && rc != ORDER_SAME)
		return 503;
	if (rc == SHOP_OK)
		log_info("return %lld %s", (long long)id, done);
	return page_redirect(w, arena_printf(w->r->arena,
	    "/admin/returns/%lld?done=%s", (long long)id,
	    rc == ORDER_SAME ? "same" : done));
}

static int
change(struct req *r, enum rma_status to, const char *done)
{
	struct web		*w = web_of(r);
	int64_t			 id = form_i64(&w->form, "id");
	struct rma_change	 c;
	struct order_who	 who;
	struct field_errors	 errs;

	if (w->form.errs.n)
		return return_page(w, 422, id, NULL, &w->form.errs);
	memset(&c, 0, sizeof(c));
	c.to = to;
	c.note = form_text(&w->form, "note");
	c.restock = form_bool(&w->form, "restock");
	staff_who(w, &who);
	return answer(w, id, rma_set(&w->shop, id, &who, &c, &errs), &errs,
	    done);
}

static int
approve(struct req *r)
{
	return change(r, RMA_APPROVED, "approved");
}

static int
refuse(struct req *r)
{
	return change(r, RMA_REFUSED, "refused");
}

static int
receive(struct req *r)
{
	return change(r, RMA_RECEIVED, "received");
}

static int
cancel(struct req *r)
{
	return change(r, RMA_CANCELLED, "cancelled");
}

static int
refund(struct req *r)
{
	struct web		*w = web_of(r);
	int64_t			 id = form_i64(&w->form, "id");
	struct order_who	 who;
	struct field_errors	 errs;
	struct refund		 out;
	int			 rc;

	staff_who(w, &who);
	rc = rma_refund(&w->shop, id, &who, &out, &errs);
	/* The refund's own refusals (the order not paid, its lines
	 * refunded since by hand) are the page's message. */
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT)
		return return_page(w, 409, id, errs.n ? _(errs.v[0].msgid) :
		    NULL, NULL);
	return answer(w, id, rc, &errs, "refunded");
}

const struct route admin_returns_routes[] = {
	{ HTTP_GET, "/admin/returns", list, AUTH | ADMIN_PERM(PERM_RETURNS),
	    list_fields },
	{ HTTP_POST, "/admin/returns/settings", settings_save_page,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_SETTINGS),
	    settings_fields },
	{ HTTP_GET, "/admin/returns/:id", show, AUTH | ADMIN_PERM(PERM_RETURNS),
	    page_fields },
	{ HTTP_POST, "/admin/returns/:id/approve", approve,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_RETURNS), note_fields },
	{ HTTP_POST, "/admin/returns/:id/refuse", refuse,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_RETURNS), note_fields },
	{ HTTP_POST, "/admin/returns/:id/receive", receive,
	    AUTH | ADMIN_PERM(PERM_RETURNS),
	    receive_fields },
	{ HTTP_POST, "/admin/returns/:id/cancel", cancel,
	    AUTH | ADMIN_PERM(PERM_RETURNS), id_fields },
	{ HTTP_POST, "/admin/returns/:id/refund", refund,
	    AUTH | ADMIN_PERM(PERM_REFUNDS), id_fields },
};
const size_t admin_returns_nroutes = NELEM(admin_returns_routes);
