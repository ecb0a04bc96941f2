/*
 * wc_customers.c: /wp-json/wc/v3/customers in WooCommerce v3's JSON
 * (shop/wc_json.h, the same the customer.* webhooks deliver).
 *
 * Writes are the shopper's own functions (shop/customer.h), which fire
 * the webhooks: a new account is customer_register() (its mails; a
 * password, or a random one nobody knows: the shopper sets theirs with
 * "forgot password"); names and billing.phone are customer_set_profile();
 * billing and shipping are the account's default address (souk keeps
 * one address book, not two addresses: billing's members, then
 * shipping's, over the default address); a deletion is the shopper's
 * own, customer_erase(): the account goes, its orders stay with their
 * personal data erased. WooCommerce deletes customers only with
 * force=true (501 without).
 *
 * Not possible through the API: the e-mail of an existing account (it
 * changes only when its owner confirms the new address; 400) and its
 * password (customer_set_password() asks for the current one; 400).
 * role is always "customer"; a list by another role is empty.
 */
#include "core/common.h"

#include "core/crypto.h"
#include "core/i18n.h"
#include "platform/tenant.h"
#include "shop/customer.h"
#include "shop/customer_query.h"
#include "shop/wc_json.h"
#include "shop/wc_order_body.h"
#include "web/json_api.h"
#include "web/wc_api.h"

#define INVALID_ID	"woocommerce_rest_invalid_id"

static int
unavailable(struct web *w)
{
	resp_header(w->r, "Retry-After", "60");
	return json_api_error(w, 503, "souk_unavailable", _("The shop cannot "
	    "answer just now. Try again in a minute."));
}

static int
no_customer(struct web *w)
{
	return json_api_error(w, 404, INVALID_ID, _("Invalid resource ID."));
}

static void
body_release(void *body)
{
	json_object_put(body);
}

/* An error as one item of a batch's answer, or the answer itself. */
struct outcome {
	int		 status;
	const char	*code;
	const char	*message;	/* translated */
	const char	*param;		/* NULL: none */
	json_object	*ok;		/* the customer, on success */
};

static void
fail(struct outcome *o, int status, const char *code, const char *param,
    const char *message)
{
	o->status = status;
	o->code = code;
	o->param = param;
	o->message = message;
	o->ok = NULL;
}

static json_object *
error_json(const struct outcome *o)
{
	json_object *e = json_object_new_object(), *d;

	jset_cstr(e, "code", o->code);
	jset_cstr(e, "message", o->message);
	d = jset_obj(e, "data");
	jset_i64(d, "status", o->status);
	if (o->param != NULL)
		jset_cstr(jset_obj(d, "params"), o->param, o->message);
	return e;
}

static int
answer(struct web *w, struct outcome *o)
{
	if (o->ok != NULL)
		return json_api_send(w, o->status, o->ok);
	return json_api_send(w, o->status, error_json(o));
}

static void
invalid(struct outcome *o, const struct field_errors *errs)
{
	fail(o, 400, "rest_invalid_param", errs->n ? errs->v[0].field :
	    "body", errs->n ? _(errs->v[0].msgid) : _("The body is not "
	    "valid."));
}

/* Members given in in over cur. */
static void
merge(struct address *cur, const struct wc_address_in *in)
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
address_param(struct web *w, const struct wc_customer_in *c, const char *f)
{
	static const struct { const char *souk, *wc; } m[] = {
		{ "name", "first_name" }, { "line1", "address_1" },
		{ "line2", "address_2" }, { "region", "state" },
	};
	size_t i;

	for (i = 0; i < NELEM(m); i++)
		if (strcmp(m[i].souk, f) == 0)
			f = m[i].wc;
	return arena_printf(w->r->arena, "%s.%s", c->shipping.present ?
	    "shipping" : "billing", f);
}

/*
 * What the body checks beyond types, before anything is written:
 * names within the account's limit, the address (merged over cur, or
 * over nothing) complete and valid. 0, or -1 with o set.
 */
static int
check(struct web *w, const struct wc_customer_in *c, struct address *ad,
    struct str *name, struct outcome *o)
{
	struct field_errors errs = { .n = 0 };

	if (c->has_first_name || c->has_last_name) {
		*name = wc_body_name(w->r->arena, c->first_name, c->last_name);
		if (str_chars(*name) > CUSTOMER_NAME_MAX) {
			fail(o, 400, "rest_invalid_param", "last_name",
			    _("This text is too long."));
			return -1;
		}
	}
	if (c->billing.present)
		merge(ad, &c->billing);
	if (c->shipping.present)
		merge(ad, &c->shipping);
	if ((c->billing.present || c->shipping.present) &&
	    address_check(ad, ADDRESS_FORM_PLAIN, &errs) > 0) {
		fail(o, 400, "rest_invalid_param", address_param(w, c,
		    errs.v[0].field), _(errs.v[0].msgid));
		return -1;
	}
	return 0;
}

/* The customer as JSON into o->ok with status. */
static void
loaded(struct web *w, int64_t id, int status, struct outcome *o)
{
	int rc = wc_json_customer_load(&w->shop, id, &o->ok);

	if (rc == SHOP_OK)
		o->status = status;
	else if (rc == SHOP_ENOTFOUND)
		fail(o, 404, INVALID_ID, NULL, _("Invalid resource ID."));
	else
		fail(o, 503, "souk_unavailable", NULL, _("The shop cannot "
		    "answer just now. Try again in a minute."));
}

/* Saves the default address when the body gave one. */
static int
save_address(struct web *w, int64_t id, const struct wc_customer_in *c,
    struct address *ad, int64_t def, struct outcome *o)
{
	struct field_errors	errs = { .n = 0 };
	int			rc;

	if (!c->billing.present && !c->shipping.present)
		return 0;
	rc = customer_address_save(&w->shop, id, def, ad, 1, &errs, NULL);
	if (rc == SHOP_OK)
		return 0;
	if (rc == SHOP_EINVAL)
		invalid(o, &errs);
	else
		fail(o, 503, "souk_unavailable", NULL, _("The shop cannot "
		    "answer just now. Try again in a minute."));
	return -1;
}

/* A new account from body b: o set. */
static void
create_one(struct web *w, json_object *b, struct outcome *o)
{
	struct wc_customer_in	 c;
	struct customer_reg	 reg;
	struct field_errors	 errs;
	struct address		 ad;
	struct str		 name = STR("");
	char			 pw[33];
	int64_t			 id = 0;
	int			 rc;

	memset(o, 0, sizeof(*o));
	if (wc_customer_parse(b, w->r->arena, &c, &errs) == -1)
		{ invalid(o, &errs); return; }
	if (!c.has_email) {
		fail(o, 400, "rest_missing_callback_param", "email",
		    _("Missing parameter(s): email"));
		return;
	}
	memset(&ad, 0, sizeof(ad));
	if (check(w, &c, &ad, &name, o) == -1)
		return;
	memset(&reg, 0, sizeof(reg));
	reg.email = str_trim(c.email);
	reg.name = name;
	if (c.has_password && c.password.len > 0)
		reg.password = c.password;
	else {
		/* Nobody knows it: the shopper sets theirs with the
		 * reset link. */
		crypto_random_hex(pw, 16);
		reg.password = (struct str){ pw, 32 };
	}
	reg.reset_url = arena_printf(w->r->arena, "%s/account/reset/",
	    wc_api_origin(w));
	rc = customer_register(&w->shop, &reg, &errs, &id);
	if (rc == SHOP_EINVAL) {
		invalid(o, &errs);
		return;
	}
	if (rc != SHOP_OK) {
		fail(o, 503, "souk_unavailable", NULL, _("The shop cannot "
		    "answer just now. Try again in a minute."));
		return;
	}
	if (id == 0) {
		fail(o, 400, "registration-error-email-exists", "email",
		    _("An account is already registered with this e-mail "
		    "address."));
		return;
	}
	if (save_address(w, id, &c, &ad, 0, o) == -1)
		return;
	loaded(w, id, 201, o);
}

/* An update of account id from body b: o set. */
static void
update_one(struct web *w, int64_t id, json_object *b, struct outcome *o)
{
	struct wc_customer_in	 c;
	struct customer_address	*ads = NULL;
	struct field_errors	 errs;
	struct customer		 cu;
	struct address		 ad;
	struct str		 name, phone;
	size_t			 n = 0;
	int64_t			 def = 0;
	int			 rc;

	memset(o, 0, sizeof(*o));
	if (wc_customer_parse(b, w->r->arena, &c, &errs) == -1)
		{ invalid(o, &errs); return; }
	if ((rc = customer_get(&w->shop, id, &cu)) == SHOP_ENOTFOUND) {
		fail(o, 404, INVALID_ID, NULL, _("Invalid resource ID."));
		return;
	}
	if (rc != SHOP_OK || customer_addresses(&w->shop, id, &ads, &n) !=
	    SHOP_OK) {
		fail(o, 503, "souk_unavailable", NULL, _("The shop cannot "
		    "answer just now. Try again in a minute."));
		return;
	}
	if (c.has_email && !str_eq(str_trim(c.email), cu.email)) {
		fail(o, 400, "rest_invalid_param", "email", _("The e-mail "
		    "of an account changes only when its owner confirms the "
		    "new address (on their account page)."));
		return;
	}
	if (c.has_password) {
		fail(o, 400, "rest_invalid_param", "password", _("A password "
		    "changes only by its owner (on their account page, or "
		    "with the reset link)."));
		return;
	}
	memset(&ad, 0, sizeof(ad));
	if (n > 0 && ads[0].is_default) {
		ad = ads[0].a;
		def = ads[0].id;
	}
	name = cu.name;
	if (check(w, &c, &ad, &name, o) == -1)
		return;
	phone = c.billing.has_phone ? c.billing.a.phone : cu.phone;
	if (c.has_first_name || c.has_last_name || c.billing.has_phone) {
		rc = customer_set_profile(&w->shop, id, name, phone, &errs);
		if (rc == SHOP_EINVAL)
			{ invalid(o, &errs); return; }
		if (rc != SHOP_OK) {
			fail(o, 503, "souk_unavailable", NULL, _("The shop "
			    "cannot answer just now. Try again in a "
			    "minute."));
			return;
		}
	}
	if (save_address(w, id, &c, &ad, def, o) == -1)
		return;
	loaded(w, id, 200, o);
}

/* The deletion of account id: o set (the customer as it was). */
static void
delete_one(struct web *w, int64_t id, struct outcome *o)
{
	json_object	*before = NULL;
	int		 rc;

	memset(o, 0, sizeof(*o));
	loaded(w, id, 200, o);
	if (o->ok == NULL)
		return;
	before = o->ok;
	if ((rc = customer_erase(&w->shop, id)) == SHOP_OK)
		return;
	json_object_put(before);
	if (rc == SHOP_ENOTFOUND)
		fail(o, 404, INVALID_ID, NULL, _("Invalid resource ID."));
	else
		fail(o, 503, "souk_unavailable", NULL, _("The shop cannot "
		    "answer just now. Try again in a minute."));
}

static int
list(struct req *r)
{
	static const char *const orderby[] = { "id", "registered_date",
	    "email", "name", "include" };
	static const char *const order[] = { "asc", "desc" };
	struct web		*w = web_of(r);
	struct wc_paging	 pg;
	struct customer_query	 q;
	struct cq_result	 res;
	const struct str	*s;
	json_object		*a, *c;
	int			 ob = 3, od = 0, none = 0;
	size_t			 i;

	memset(&q, 0, sizeof(q));
	if (wc_api_paging(w, &pg) == -1)
		return 0;
	/* WooCommerce's defaults: by name, ascending. */
	if ((s = req_query(r, "orderby")) != NULL &&
	    (ob = str_index(*s, orderby, NELEM(orderby))) < 0)
		return wc_api_invalid_param(w, "orderby", _("orderby is not "
		    "one of id, include, name, registered_date, email.")), 0;
	if ((s = req_query(r, "order")) != NULL &&
	    (od = str_index(*s, order, NELEM(order))) < 0)
		return wc_api_invalid_param(w, "order", _("order is not one "
		    "of asc, desc.")), 0;
	if ((s = req_query(r, "role")) != NULL && !str_eqc(*s, "all") &&
	    !str_eqc(*s, "customer"))
		none = 1;
	if ((s = req_query(r, "search")) != NULL) {
		if (!str_valid_text(*s) || str_chars(*s) > 200)
			return wc_api_invalid_param(w, "search",
			    _("search is too long or not text.")), 0;
		q.search = str_trim(*s);
	}
	if ((s = req_query(r, "email")) != NULL) {
		if (!str_valid_text(*s) || s->len > WC_BODY_EMAIL_MAX)
			return wc_api_invalid_param(w, "email",
			    _("email is not a valid e-mail address.")), 0;
		q.email = arena_strlower(r->arena, str_trim(*s));
	}
	q.order = ob == 0 || ob == 4 ? CQ_ORDER_ID : ob == 1 ?
	    CQ_ORDER_REGISTERED : ob == 2 ? CQ_ORDER_EMAIL : CQ_ORDER_NAME;
	q.desc = od == 1;
	q.offset = pg.offset;
	q.limit = pg.per_page;
	memset(&res, 0, sizeof(res));
	if (!none && customer_query(&w->shop, &q, &res) != SHOP_OK)
		return unavailable(w);
	a = json_object_new_array();
	for (i = 0; i < res.n; i++) {
		int rc = wc_json_customer_load(&w->shop, res.ids[i], &c);

		if (rc == SHOP_ENOTFOUND)
			continue;
		if (rc != SHOP_OK) {
			json_object_put(a);
			return unavailable(w);
		}
		json_object_array_add(a, c);
	}
	wc_api_page_headers(w, &pg, res.total);
	return json_api_send(w, 200, a);
}

static int
get(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = wc_api_id(r, "id");
	struct outcome	 o;

	if (id == 0)
		return no_customer(w);
	memset(&o, 0, sizeof(o));
	loaded(w, id, 200, &o);
	return answer(w, &o);
}

static int
body_of(struct web *w, json_object **out)
{
	if (json_api_body(w, 1, "rest_invalid_json", out) == -1)
		return -1;
	arena_cleanup_add(w->r->arena, body_release, *out);
	return 0;
}

static int
create(struct req *r)
{
	struct web	*w = web_of(r);
	struct outcome	 o;
	json_object	*b;

	if (body_of(w, &b) == -1)
		return 0;
	create_one(w, b, &o);
	return answer(w, &o);
}

static int
update(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = wc_api_id(r, "id");
	struct outcome	 o;
	json_object	*b;

	if (body_of(w, &b) == -1)
		return 0;
	if (id == 0)
		return no_customer(w);
	update_one(w, id, b, &o);
	return answer(w, &o);
}

static int
forced(struct web *w)
{
	const struct str *f = req_query(w->r, "force");

	return f != NULL && (str_eqc(*f, "true") || str_eqc(*f, "1"));
}

static int
delete(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = wc_api_id(r, "id");
	struct outcome	 o;
	struct customer	 cu;
	int		 rc;

	if (id == 0 || (rc = customer_get(&w->shop, id, &cu)) ==
	    SHOP_ENOTFOUND)
		return no_customer(w);
	if (rc != SHOP_OK)
		return unavailable(w);
	if (!forced(w))
		return json_api_error(w, 501,
		    "woocommerce_rest_trash_not_supported",
		    _("Customers do not support trashing."));
	delete_one(w, id, &o);
	return answer(w, &o);
}

static void
batch_add(json_object *arr, int64_t id, struct outcome *o)
{
	json_object *it;

	if (o->ok != NULL) {
		json_object_array_add(arr, o->ok);
		o->ok = NULL;
		return;
	}
	it = json_object_new_object();
	jset_i64(it, "id", id);
	json_object_object_add(it, "error", error_json(o));
	json_object_array_add(arr, it);
}

/*
 * POST /customers/batch: the whole body is checked first (its shape,
 * each item's types, each update's id); then each item is written and
 * answered in WooCommerce's shape, an item that fails (an e-mail
 * taken) an error object in its place.
 */
static int
batch(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_batch		 bt;
	struct wc_customer_in	 c;
	struct field_errors	 errs;
	struct outcome		 o;
	json_object		*b, *res, *arr;
	int64_t			*uids;
	size_t			 i;

	if (body_of(w, &b) == -1)
		return 0;
	if (wc_batch_parse(b, r->arena, &bt, &errs) == -1)
		return wc_api_invalid_param(w, errs.v[0].field,
		    _(errs.v[0].msgid)), 0;
	uids = arena_calloc(r->arena, bt.nupdate + 1, sizeof(*uids));
	for (i = 0; i < bt.ncreate; i++)
		if (wc_customer_parse(bt.create[i], r->arena, &c, &errs) ==
		    -1 || !c.has_email)
			return wc_api_invalid_param(w, arena_printf(r->arena,
			    "create[%zu].%s", i, errs.n ? errs.v[0].field :
			    "email"), errs.n ? _(errs.v[0].msgid) :
			    _("Missing parameter(s): email")), 0;
	for (i = 0; i < bt.nupdate; i++) {
		if ((uids[i] = wc_body_id(bt.update[i], r->arena, "id",
		    &errs)) == 0 || wc_customer_parse(bt.update[i], r->arena,
		    &c, &errs) == -1)
			return wc_api_invalid_param(w, arena_printf(r->arena,
			    "update[%zu].%s", i, errs.v[0].field),
			    _(errs.v[0].msgid)), 0;
	}
	res = json_object_new_object();
	if (bt.ncreate > 0) {
		arr = jset_arr(res, "create");
		for (i = 0; i < bt.ncreate; i++) {
			create_one(w, bt.create[i], &o);
			batch_add(arr, 0, &o);
		}
	}
	if (bt.nupdate > 0) {
		arr = jset_arr(res, "update");
		for (i = 0; i < bt.nupdate; i++) {
			update_one(w, uids[i], bt.update[i], &o);
			batch_add(arr, uids[i], &o);
		}
	}
	if (bt.ndel > 0) {
		arr = jset_arr(res, "delete");
		for (i = 0; i < bt.ndel; i++) {
			delete_one(w, bt.del[i], &o);
			batch_add(arr, bt.del[i], &o);
		}
	}
	return json_api_send(w, 200, res);
}

const struct route wc_customers_routes[] = {
	{ HTTP_GET, WC_API_NS "/customers", list, 0, NULL },
	{ HTTP_POST, WC_API_NS "/customers", create, 0, NULL },
	{ HTTP_POST, WC_API_NS "/customers/batch", batch, 0, NULL },
	{ HTTP_GET, WC_API_NS "/customers/:id", get, 0, NULL },
	{ HTTP_PUT, WC_API_NS "/customers/:id", update, 0, NULL },
	{ HTTP_PATCH, WC_API_NS "/customers/:id", update, 0, NULL },
	{ HTTP_POST, WC_API_NS "/customers/:id", update, 0, NULL },
	{ HTTP_DELETE, WC_API_NS "/customers/:id", delete, 0, NULL },
};

const size_t wc_customers_nroutes = NELEM(wc_customers_routes);
