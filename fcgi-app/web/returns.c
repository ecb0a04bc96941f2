/*
 * returns.c: the shopper's return form (returns.h).
 *
 * The order is found as its page finds it (web/orders.c): the signed-in
 * customer's own, or a guest's by its access key compared in constant
 * time, a wrong key the same 404 as a missing order. The form offers
 * the units left to return of each line (shop/rma.h's rma_open()); the
 * request is checked again under the order's lock. Never cached.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "shop/order.h"
#include "shop/rma.h"
#include "shop/settings.h"
#include "web/orders.h"
#include "web/page.h"
#include "web/returns.h"

/* enum rma_reason's order: form_i64() is the reason. */
static const char *const reason_choices[] = {
	"damaged", "wrong_item", "not_as_described", "unwanted", "other",
	NULL
};

static const struct field account_get_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

/* The key is checked by the handler: a malformed key and a wrong one
 * must be the same 404. */
static const struct field guest_get_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "key", FIELD_TEXT, 0, 64, FIELD_QUERY | FIELD_ASCII, NULL, NULL },
	{ 0 }
};

#define POST_FIELDS \
	{ "qty_", FIELD_INT, 0, 1000000, FIELD_PREFIX, \
	    N_("Enter a quantity of 0 or more for each line."), NULL }, \
	{ "reason", FIELD_ENUM, 0, 0, FIELD_REQUIRED, \
	    N_("Choose a reason from the list."), reason_choices }, \
	{ "note", FIELD_TEXT, 0, RMA_NOTE_MAX, 0, \
	    N_("A note has at most 1000 characters."), NULL }

static const struct field account_cancel_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const struct field guest_cancel_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "key", FIELD_TEXT, 0, 64, FIELD_ASCII, NULL, NULL },
	{ 0 }
};

static const struct field account_post_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	POST_FIELDS,
	{ 0 }
};

static const struct field guest_post_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "key", FIELD_TEXT, 0, 64, FIELD_ASCII, NULL, NULL },
	POST_FIELDS,
	{ 0 }
};

/* --- the returns of an order, on its pages ----------------------------- */

static const char *
why_message(enum rma_why why)
{
	switch (why) {
	case RMA_NO_RETURNS:
		return _("This shop does not take returns.");
	case RMA_NOT_SHIPPED:
		return _("Items can be returned once the order has been "
		    "shipped.");
	case RMA_NOTHING_LEFT:
		return _("Every item of this order has been returned or "
		    "refunded already.");
	default:
		return NULL;
	}
}

/* why_message() with the window's days in the request's arena. */
static const char *
why_text(struct web *w, enum rma_why why, int64_t days)
{
	if (why == RMA_TOO_LATE)
		return arena_printf(w->r->arena, ngettext(
		    "Items can be returned within %lld day of shipping; that "
		    "time has passed for this order.",
		    "Items can be returned within %lld days of shipping; that "
		    "time has passed for this order.", (unsigned long)days),
		    (long long)days);
	return why_message(why);
}

static const char *
order_url(struct web *w, int64_t number, const char *key)
{
	if (key != NULL)
		return arena_printf(w->r->arena, "/order/%lld?key=%s",
		    (long long)number, key);
	return arena_printf(w->r->arena, "/account/orders/%lld",
	    (long long)number);
}

static const char *
return_url(struct web *w, int64_t number, const char *key)
{
	if (key != NULL)
		return arena_printf(w->r->arena, "/order/%lld/return?key=%s",
		    (long long)number, key);
	return arena_printf(w->r->arena, "/account/orders/%lld/return",
	    (long long)number);
}

static void
rma_model(struct web *w, json_object *x, const struct rma *r, int merchant,
    const char *key)
{
	json_object	*arr;
	size_t		 i;

	jset_i64(x, "id", r->id);
	/* TRANSLATORS: %lld is a return's number in the shop. */
	jset_cstr(x, "title", arena_printf(w->r->arena, _("Return %lld"),
	    (long long)r->id));
	jset_cstr(x, "status", rma_status_name(r->status));
	jset_cstr(x, "status_label", _(rma_status_label(r->status)));
	jset_cstr(x, "reason", _(rma_reason_label(r->reason)));
	jset_cstr(x, "created", orders_date(w, r->created_at));
	jset_cstr(x, "updated", orders_date(w, r->updated_at));
	jset_str(x, "note", r->note);
	jset_str(x, "merchant_note", r->merchant_note);
	jset_bool(x, "restock", r->restock);
	arr = jset_arr(x, "lines");
	for (i = 0; i < r->nlines; i++) {
		json_object *l = jarr_obj(arr);

		jset_i64(l, "qty", r->lines[i].qty);
		jset_str(l, "name", r->lines[i].name);
		jset_str(l, "variant", r->lines[i].variant);
		jset_str(l, "sku", r->lines[i].sku);
	}
	if (merchant)
		jset_cstr(x, "url", arena_printf(w->r->arena,
		    "/admin/returns/%lld", (long long)r->id));
	else if (rma_allowed(r->status, RMA_CANCELLED, ORDER_BY_SHOPPER))
		jset_cstr(x, "cancel_action", key != NULL ?
		    arena_printf(w->r->arena, "/order/%lld/returns/%lld/cancel",
		    (long long)r->order_number, (long long)r->id) :
		    arena_printf(w->r->arena,
		    "/account/orders/%lld/returns/%lld/cancel",
		    (long long)r->order_number, (long long)r->id));
}

int
returns_model(struct web *w, json_object *m, const struct order *o,
    const char *key, int merchant)
{
	struct rma	*v;
	struct rma_open	 op;
	json_object	*arr;
	size_t		 n, i;

	if (rma_of_order(&w->shop, o->id, &v, &n) != SHOP_OK)
		return -1;
	arr = jset_arr(m, "returns");
	for (i = 0; i < n; i++)
		rma_model(w, jarr_obj(arr), &v[i], merchant, key);
	if (merchant)
		return 0;
	if (rma_open(&w->shop, o, &op) != SHOP_OK)
		return -1;
	if (op.why == RMA_OPEN)
		jset_cstr(m, "return_url", return_url(w, o->number, key));
	return 0;
}

/* --- the form ---------------------------------------------------------- */

static void
no_store(struct web *w)
{
	resp_header(w->r, "Cache-Control", "no-store");
}

static int
not_found(struct web *w)
{
	return orders_not_found(w);
}

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
 * The form for o (key: the guest's; NULL the account's), after a
 * refused request with errs (the values sent shown again), or the
 * message why o takes no return (409).
 */
static int
form_page(struct web *w, int status, const struct order *o, const char *key,
    const struct field_errors *errs)
{
	struct shop_settings	 s;
	struct rma_open		 op;
	json_object		*m, *arr, *e;
	size_t			 i;
	int64_t			 reason = -1;

	if (rma_open(&w->shop, o, &op) != SHOP_OK ||
	    settings_get(&w->shop, &s) != SHOP_OK)
		return 503;
	if (op.why != RMA_OPEN)
		return page_error(w, 409, why_text(w, op.why, op.days));
	m = page_model(w, arena_printf(w->r->arena, _("Return items of order "
	    "%lld"), (long long)o->number));
	if (key != NULL) {
		jset_cstr(m, "key", key);
		jset_cstr(m, "action", arena_printf(w->r->arena,
		    "/order/%lld/return", (long long)o->number));
	} else {
		jset_bool(m, "account", 1);
		jset_bool(m, "nav_orders", 1);
		jset_cstr(m, "action", return_url(w, o->number, NULL));
	}
	jset_i64(m, "number", o->number);
	jset_cstr(m, "order_url", order_url(w, o->number, key));
	jset_str(m, "policy", s.return_policy);
	jset_cstr(m, "window", arena_printf(w->r->arena, ngettext(
	    "You can return items within %lld day of shipping.",
	    "You can return items within %lld days of shipping.",
	    (unsigned long)op.days), (long long)op.days));
	arr = jset_arr(m, "lines");
	for (i = 0; i < o->nlines; i++) {
		const struct order_line	*l = &o->lines[i];
		const char		*name;
		json_object		*x;

		if (op.left[i] <= 0)
			continue;
		name = arena_printf(w->r->arena, "qty_%lld", (long long)l->id);
		x = jarr_obj(arr);
		jset_cstr(x, "field", name);
		jset_str(x, "name", l->name);
		jset_str(x, "variant", l->variant);
		jset_str(x, "sku", l->sku);
		jset_i64(x, "bought", l->qty);
		jset_i64(x, "left", op.left[i]);
		if (errs != NULL) {
			const char *msg = error_on(errs, name);

			jset_str(x, "value", page_field(w, name));
			if (msg != NULL)
				jset_cstr(x, "error", msg);
		} else
			jset_cstr(x, "value", "0");
	}
	if (errs != NULL) {
		reason = form_has(&w->form, "reason") ? form_i64(&w->form,
		    "reason") : -1;
		jset_str(m, "note", page_field(w, "note"));
		e = jset_obj(m, "e");
		page_field_errors(e, jset_arr(m, "errors"), errs);
	}
	arr = jset_arr(m, "reasons");
	for (i = 0; i < RMA_REASON__MAX; i++) {
		json_object *x = jarr_obj(arr);

		jset_cstr(x, "value", rma_reason_name((enum rma_reason)i));
		jset_cstr(x, "label", _(rma_reason_label((enum rma_reason)i)));
		jset_bool(x, "selected", (int64_t)i == reason);
	}
	return page_render(w, status, "return");
}

/* The shopper's order, without its lines (rma.h reads what it needs):
 * web/orders.h's lookups. */
static int
own_order(struct web *w, struct order *o)
{
	return orders_own(w, 0, o);
}

static int
keyed_order(struct web *w, struct str key, struct order *o)
{
	return orders_keyed(w, key, 0, o);
}

/* Asks for the return the form sent, and answers: the order's page, or
 * the form again with its errors. */
static int
submit(struct web *w, const struct order *o, const char *key)
{
	struct order_who	 who = { ORDER_BY_SHOPPER, 0, STR("") };
	struct rma_line_in	*lines;
	struct field_errors	 errs;
	struct rma_in		 in;
	struct rma		 out;
	size_t			 i;
	int			 rc;

	if (w->form.errs.n)
		return form_page(w, 422, o, key, &w->form.errs);
	memset(&in, 0, sizeof(in));
	lines = arena_calloc(w->r->arena, w->form.n + 1, sizeof(*lines));
	for (i = 0; i < w->form.n; i++) {
		const struct form_value *v = &w->form.v[i];
		int64_t id;

		if (strncmp(v->name, "qty_", 4) != 0 || v->i == 0)
			continue;
		if (str_to_i64c(v->name + 4, 1, INT64_MAX, &id) == -1)
			id = 0;		/* no line: rma_request() says so */
		lines[in.nlines].order_line_id = id;
		lines[in.nlines++].qty = v->i;
	}
	in.lines = lines;
	in.reason = (enum rma_reason)form_i64(&w->form, "reason");
	in.note = form_text(&w->form, "note");
	in.locale = str_c(w->lang);
	rc = rma_request(&w->shop, o->number, &in, &who, &out, NULL, &errs);
	if (rc == SHOP_ENOTFOUND)
		return not_found(w);
	/* Closed since the form was shown: the page says why. */
	if (rc == SHOP_EDENIED)
		return form_page(w, 409, o, key, NULL);
	if (rc == SHOP_EINVAL)
		return form_page(w, 422, o, key, &errs);
	if (rc != SHOP_OK)
		return 503;
	log_info("order %lld: return %lld requested by the shopper",
	    (long long)o->number, (long long)out.id);
	return page_redirect(w, order_url(w, o->number, key));
}

static int
account_get(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	int		 rc;

	no_store(w);
	if (!w->has_customer)
		return page_redirect(w, "/account/login?next=/account/orders");
	if ((rc = own_order(w, &o)) == SHOP_ENOTFOUND)
		return not_found(w);
	if (rc != SHOP_OK)
		return 503;
	w->csrf = w->customer.csrf;
	return form_page(w, 200, &o, NULL, NULL);
}

static int
account_post(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	const char	*key;
	int		 answer;

	if (!orders_posted(w, 0, 0, &o, &key, &answer))
		return answer;
	return submit(w, &o, NULL);
}

static int
guest_get(struct req *r)
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
	return form_page(w, 200, &o, arena_strndup(r->arena, key.p, key.len),
	    NULL);
}

static int
guest_post(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	const char	*key;
	int		 answer;

	if (!orders_posted(w, 1, 0, &o, &key, &answer))
		return answer;
	return submit(w, &o, key);
}

/* The shopper withdraws a return of o not yet looked at; a return of
 * another order is one this order does not have. */
static int
withdraw(struct web *w, const struct order *o, const char *key)
{
	struct order_who	 who = { ORDER_BY_SHOPPER, 0, STR("") };
	struct rma_change	 c = { .to = RMA_CANCELLED };
	struct field_errors	 errs;
	struct rma		 r;
	int			 rc;

	rc = rma_get(&w->shop, form_i64(&w->form, "id"), &r);
	if (rc == SHOP_ENOTFOUND || (rc == SHOP_OK && r.order_id != o->id))
		return page_error(w, 404, _("This return does not exist."));
	if (rc != SHOP_OK)
		return 503;
	rc = rma_set(&w->shop, r.id, &who, &c, &errs);
	if (rc == SHOP_EDENIED)
		return page_error(w, 409, _("This return is being handled "
		    "already: it can no longer be withdrawn."));
	if (rc != SHOP_OK && rc != ORDER_SAME)
		return 503;
	if (rc == SHOP_OK)
		log_info("order %lld: return %lld withdrawn by the shopper",
		    (long long)o->number, (long long)r.id);
	return page_redirect(w, order_url(w, o->number, key));
}

static int
account_cancel(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	const char	*key;
	int		 answer;

	if (!orders_posted(w, 0, 0, &o, &key, &answer))
		return answer;
	return withdraw(w, &o, NULL);
}

static int
guest_cancel(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 o;
	const char	*key;
	int		 answer;

	if (!orders_posted(w, 1, 0, &o, &key, &answer))
		return answer;
	return withdraw(w, &o, key);
}

const struct route returns_routes[] = {
	{ HTTP_GET, "/account/orders/:number/return", account_get, 0,
	    account_get_fields },
	{ HTTP_POST, "/account/orders/:number/return", account_post,
	    ROUTE_FORM_ERRORS, account_post_fields },
	{ HTTP_GET, "/order/:number/return", guest_get, 0, guest_get_fields },
	{ HTTP_POST, "/order/:number/return", guest_post, ROUTE_FORM_ERRORS,
	    guest_post_fields },
	{ HTTP_POST, "/account/orders/:number/returns/:id/cancel",
	    account_cancel, 0, account_cancel_fields },
	{ HTTP_POST, "/order/:number/returns/:id/cancel", guest_cancel, 0,
	    guest_cancel_fields },
};
const size_t returns_nroutes = NELEM(returns_routes);
