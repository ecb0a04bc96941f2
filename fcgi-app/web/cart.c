/*
 * cart.c (web): the cart page and its forms, the checkout in three
 * steps (address, shipping and payment, review), placing the order and
 * its confirmation page. Every step works without JavaScript: each is
 * a form posted to the server, which keeps what was filled in on the
 * cart (shop/cart.h) and answers with the next step or the same one
 * with the messages beside the fields.
 *
 * Every page here is the shopper's own: Cache-Control: no-store.
 */
#include "core/common.h"
#include "core/config.h"
#include "core/country.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/log.h"
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/card.h"
#include "shop/cart.h"
#include "shop/customer.h"
#include "shop/order.h"
#include "shop/order_place.h"
#include "shop/payment.h"
#include "shop/quote.h"
#include "shop/selling.h"
#include "shop/settings.h"
#include "web/cart.h"
#include "web/page.h"

/* --- the shopper's cart, CSRF, caching --------------------------------- */

static void
owner_of(struct web *w, struct cart_owner *o)
{
	const struct str *c = req_cookie(w->r, CART_COOKIE);

	memset(o, 0, sizeof(*o));
	o->token = c != NULL && c->len == CART_TOKEN_HEX ? *c : STR("");
	o->customer_id = w->has_customer ? w->customer.id : 0;
}

/* After a read or write: the cookie goes when its cart became the
 * customer's. */
static void
owner_done(struct web *w, const struct cart_owner *o)
{
	if (o->token_spent)
		resp_cookie(w->r, CART_COOKIE, "", 0,
		    COOKIE_HTTPONLY | COOKIE_LAX);
}

/* Before a write: a browser without a cart gets its cookie (a year,
 * renewed with each write); a customer's cart needs none. */
static void
owner_for_write(struct web *w, struct cart_owner *o)
{
	char *tok;

	if (o->customer_id > 0)
		return;
	if (o->token.len != CART_TOKEN_HEX) {
		tok = arena_alloc(w->r->arena, CART_TOKEN_HEX + 1);
		cart_token_new(tok);
		o->token = str_c(tok);
		o->token_new = 1;
	}
	resp_cookie(w->r, CART_COOKIE, o->token.p, CART_COOKIE_SECS,
	    COOKIE_HTTPONLY | COOKIE_LAX);
}

/* The token this page's forms carry: the session's, or the anonymous
 * double-submit one. */
static void
csrf_setup(struct web *w)
{
	if (w->csrf != NULL)
		return;
	if (w->has_customer && w->customer.csrf[0] != '\0')
		w->csrf = w->customer.csrf;
	else
		page_anon_csrf(w);
}

/* The host of an Origin or Referer value, compared with the request's
 * (without port; the request's host has none). */
static int
same_host(struct web *w, const char *url)
{
	const char	*p = strstr(url, "://"), *end;
	size_t		 n;

	if (p == NULL)
		return 0;
	p += 3;
	end = p + strcspn(p, ":/?#");
	n = (size_t)(end - p);
	return n == w->r->host.len && n > 0 &&
	    str_casecmp_eq((struct str){ p, n }, w->r->host);
}

/*
 * A POST of the storefront is the shopper's when its token matches.
 * The product page's add-to-cart form is in the microcache, shared by
 * every anonymous visitor, so it cannot carry a token: an add without
 * one is taken when the browser says it comes from this shop's own
 * page (Origin, or Referer when there is no Origin; browsers send one
 * with every form POST).
 */
static int
post_ok(struct web *w, int tokenless)
{
	const char *origin;

	csrf_setup(w);
	if (page_csrf_ok(w))
		return 1;
	if (!tokenless || req_form(w->r, "csrf") != NULL)
		return 0;
	origin = req_header(w->r, "Origin");
	if (origin == NULL || strcmp(origin, "null") == 0)
		origin = req_header(w->r, "Referer");
	return origin != NULL && same_host(w, origin);
}

static void
no_store(struct web *w)
{
	resp_header(w->r, "Cache-Control", "no-store");
}

int
cart_header_model(struct web *w, json_object *m)
{
	struct cart_owner	o;
	int64_t			n = 0;

	jset_bool(m, "storefront", 1);
	owner_of(w, &o);
	if (o.token.len == 0 && o.customer_id == 0 &&
	    req_cookie(w->r, CUSTOMER_COOKIE) == NULL)
		return 0;
	no_store(w);
	if (cart_count(&w->shop, &o, &n) == SHOP_OK && n > 0)
		jset_i64(m, "cart_count", n);
	owner_done(w, &o);
	return 1;
}

/* --- model helpers ----------------------------------------------------- */

static const char *
money(struct web *w, int64_t minor)
{
	return page_money(w, minor, w->tenant->currency);
}

/* "19 %", "7.25 %" from millionths. */
static const char *
rate_text(struct web *w, int32_t rate)
{
	int whole = rate / 10000, frac = rate % 10000;

	if (frac == 0)
		return arena_printf(w->r->arena, "%d %%", whole);
	while (frac % 10 == 0)
		frac /= 10;
	return arena_printf(w->r->arena, "%d.%d %%", whole, frac);
}

/* The page model with the header's cart link and the shop's branding;
 * the cart's pages are the shopper's own. */
static json_object *
cart_model(struct web *w, const char *title)
{
	json_object *m;

	csrf_setup(w);
	m = page_model(w, title);
	page_currency_model(w, m);
	jset_bool(m, "storefront", 1);
	no_store(w);
	return m;
}

static const char *
initial(struct web *w, struct str name)
{
	size_t n = 1;

	if (name.len == 0)
		return "";
	if (((unsigned char)name.p[0] & 0xe0) == 0xc0)
		n = 2;
	else if (((unsigned char)name.p[0] & 0xf0) == 0xe0)
		n = 3;
	else if (((unsigned char)name.p[0] & 0xf8) == 0xf0)
		n = 4;
	return arena_strndup(w->r->arena, name.p, n > name.len ? name.len : n);
}

/* The shipping method's name for the shopper: the merchant's, or its
 * kind's. */
static const char *
method_label(struct str name, enum ship_kind k)
{
	static char buf[256];

	if (name.len > 0) {
		str_copy(buf, sizeof(buf), name);
		return buf;
	}
	switch (k) {
	case SHIP_FREE:
		return _("Free shipping");
	case SHIP_WEIGHT:
		return _("Shipping by weight");
	case SHIP_PICKUP:
		return _("Local pickup");
	default:
		return _("Standard shipping");
	}
}

/* A line's message about its stock, or NULL when all is well. */
static const char *
stock_note(struct web *w, const struct cart_line *l)
{
	if (!l->available || l->stock <= 0)
		return _("Out of stock");
	if (l->qty > l->stock)
		return arena_printf(w->r->arena, ngettext("Only %lld left: "
		    "lower the quantity.", "Only %lld left: lower the "
		    "quantity.", (unsigned long)l->stock), (long long)l->stock);
	if (l->stock <= 10)
		return arena_printf(w->r->arena, ngettext("Only %lld left",
		    "Only %lld left", (unsigned long)l->stock),
		    (long long)l->stock);
	return NULL;
}

/* The sentence for a line that ran short (name, variant, left). */
static const char *
problem_text(struct web *w, const struct cart_problem *p)
{
	const char *name = p->variant.len ? arena_printf(w->r->arena,
	    "%s (%s)", p->name.p, p->variant.p) : p->name.p;

	if (p->left <= 0)
		/* TRANSLATORS: %s is a product's name. */
		return arena_printf(w->r->arena, _("Sorry, “%s” is out of "
		    "stock."), name);
	/* TRANSLATORS: %1$s is a product's name, %2$lld how many are left. */
	return arena_printf(w->r->arena, ngettext("Sorry, only %2$lld of "
	    "“%1$s” is left. Lower the quantity and try again.", "Sorry, "
	    "only %2$lld of “%1$s” are left. Lower the quantity and try "
	    "again.", (unsigned long)p->left), name, (long long)p->left);
}

/* quote_in for the cart's lines (quote_compute() fills them). */
static struct quote_line *
quote_lines(struct web *w, const struct cart *c)
{
	struct quote_line	*ql = arena_calloc(w->r->arena,
				    c->nlines ? c->nlines : 1, sizeof(*ql));
	size_t			 i;

	for (i = 0; i < c->nlines; i++) {
		const struct cart_line	*l = &c->lines[i];
		enum tax_class		 tc = TAX_STANDARD;

		(void)tax_class_parse(l->tax_class, &tc);
		ql[i].product_id = l->product_id;
		ql[i].variant_id = l->variant_id;
		ql[i].category_id = l->category_id;
		ql[i].unit_price = l->unit_price;
		ql[i].qty = l->qty;
		ql[i].weight_g = l->weight_g;
		ql[i].tax_class = tc;
	}
	return ql;
}

/* The totals of q into o: subtotal, discount, shipping, taxes by
 * rate, total, and the total as the shopper's currency shows it. */
static void
totals_model(struct web *w, json_object *o, const struct quote *q,
    int with_shipping)
{
	json_object	*arr;
	size_t		 i;

	jset_cstr(o, "subtotal", money(w, q->subtotal));
	if (q->discount > 0) {
		jset_cstr(o, "discount", money(w, -q->discount));
		jset_str(o, "coupon_code", q->coupon_code);
	}
	if (with_shipping) {
		jset_cstr(o, "shipping", q->shipping > 0 ?
		    money(w, q->shipping) : _("Free"));
		jset_cstr(o, "method", method_label(q->method_name,
		    q->method_kind));
	}
	jset_bool(o, "prices_include_tax", q->prices_include_tax);
	arr = jset_arr(o, "taxes");
	for (i = 0; i < q->ntaxes; i++) {
		json_object	*t = jarr_obj(arr);
		const char	*name = q->taxes[i].name.len ?
				    q->taxes[i].name.p : _("Tax");

		jset_cstr(t, "label", arena_printf(w->r->arena, "%s %s", name,
		    rate_text(w, q->taxes[i].rate)));
		jset_cstr(t, "amount", money(w, q->taxes[i].amount));
	}
	jset_cstr(o, "total", money(w, q->total));
	if (page_price_converted(w))
		jset_cstr(o, "total_converted", page_price(w, q->total));
}

static void
lines_model(struct web *w, json_object *m, const struct cart *c,
    const struct quote_line *ql)
{
	json_object	*arr = jset_arr(m, "lines");
	size_t		 i;

	for (i = 0; i < c->nlines; i++) {
		const struct cart_line	*l = &c->lines[i];
		json_object		*o = jarr_obj(arr);
		const char		*note = stock_note(w, l);

		jset_i64(o, "product_id", l->product_id);
		jset_i64(o, "variant_id", l->variant_id);
		jset_str(o, "slug", l->slug);
		jset_str(o, "name", l->name);
		jset_str(o, "variant", l->variant);
		jset_str(o, "image", l->image);
		jset_cstr(o, "initial", initial(w, l->name));
		jset_i64(o, "qty", l->qty);
		jset_i64(o, "max", l->stock > 0 ? (l->stock < CART_QTY_MAX ?
		    l->stock : CART_QTY_MAX) : 1);
		jset_cstr(o, "unit_price", money(w, l->unit_price));
		jset_cstr(o, "line_total", money(w, ql != NULL &&
		    ql[i].subtotal ? ql[i].subtotal : l->unit_price * l->qty));
		if (note != NULL) {
			jset_cstr(o, "stock_note", note);
			jset_bool(o, "stock_problem", !l->available ||
			    l->stock <= 0 || l->qty > l->stock);
		}
	}
}

/* Nonzero when a line cannot be ordered as it is. */
static int
cart_blocked(const struct cart *c)
{
	size_t i;

	for (i = 0; i < c->nlines; i++)
		if (!c->lines[i].available || c->lines[i].qty >
		    c->lines[i].stock)
			return 1;
	return 0;
}

/* --- the cart page ----------------------------------------------------- */

/*
 * Renders the cart with status, an error message (may be NULL) and,
 * when coupon_errs is not NULL, the coupon form's messages and the code
 * as typed.
 */
static int
cart_render(struct web *w, int status, const char *error,
    const struct field_errors *coupon_errs, struct str typed)
{
	struct cart_owner	 o;
	struct cart		 c;
	struct quote		 q;
	struct quote_in		 qi;
	struct quote_line	*ql;
	struct field_errors	 errs = { .n = 0 };
	json_object		*m, *e;

	owner_of(w, &o);
	if (cart_get(&w->shop, &o, &c) != SHOP_OK)
		return page_error(w, 503, NULL);
	owner_done(w, &o);
	m = cart_model(w, _("Your cart"));
	if (c.items > 0)
		jset_i64(m, "cart_count", c.items);
	if (error != NULL)
		jset_cstr(m, "error", error);
	e = jset_obj(m, "errors");
	jset_str(m, "coupon", coupon_errs ? typed : c.coupon_code);
	if (coupon_errs != NULL)
		page_field_errors(e, NULL, coupon_errs);
	if (c.nlines == 0)
		return page_render(w, status, "cart");
	ql = quote_lines(w, &c);
	memset(&qi, 0, sizeof(qi));
	qi.lines = ql;
	qi.nlines = c.nlines;
	qi.coupon = c.coupon_code;
	if (quote_compute(&w->shop, &qi, &q, &errs) != SHOP_OK)
		return page_error(w, 503, NULL);
	lines_model(w, m, &c, ql);
	totals_model(w, jset_obj(m, "totals"), &q, 0);
	jset_str(m, "coupon_applied", q.coupon_id ? q.coupon_code : STR(""));
	if (coupon_errs == NULL && c.coupon_code.len && q.coupon_id == 0)
		/* The code was good when applied; it is not any more. */
		page_field_errors(e, NULL, &errs);
	jset_bool(m, "blocked", cart_blocked(&c));
	return page_render(w, status, "cart");
}

static int
cart_page(struct req *r)
{
	return cart_render(web_of(r), 200, NULL, NULL, STR(""));
}

/* The fields of the cart's forms. */
static const struct field add_fields[] = {
	{ "product_id", FIELD_ID, 0, 0, FIELD_REQUIRED,
	    N_("This product does not exist."), NULL },
	{ "variant_id", FIELD_ID, 0, 0, 0,
	    N_("This option does not exist for this product."), NULL },
	{ "qty", FIELD_INT, 1, CART_QTY_MAX, 0,
	    N_("Enter a quantity from 1 to 999."), NULL },
	{ 0 }
};

static const struct field update_fields[] = {
	{ "product_id", FIELD_ID, 0, 0, FIELD_REQUIRED,
	    N_("This product does not exist."), NULL },
	{ "variant_id", FIELD_ID, 0, 0, 0,
	    N_("This option does not exist for this product."), NULL },
	{ "qty", FIELD_INT, 0, CART_QTY_MAX, FIELD_REQUIRED,
	    N_("Enter a quantity from 0 to 999."), NULL },
	{ 0 }
};

static const struct field remove_fields[] = {
	{ "product_id", FIELD_ID, 0, 0, FIELD_REQUIRED,
	    N_("This product does not exist."), NULL },
	{ "variant_id", FIELD_ID, 0, 0, 0,
	    N_("This option does not exist for this product."), NULL },
	{ 0 }
};

static const struct field coupon_fields[] = {
	{ "coupon", FIELD_TEXT, 0, CART_COUPON_MAX, 0,
	    N_("A coupon code has at most 40 characters."), NULL },
	{ "remove", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ 0 }
};

/* The answer to a cart write that failed as rc says. */
static int
write_failed(struct web *w, int rc, const struct field_errors *errs,
    const struct cart_problem *p)
{
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This product does not exist or "
		    "is no longer sold."));
	if (rc != SHOP_EINVAL)
		return page_error(w, 503, NULL);
	if (p->left >= 0)
		return cart_render(w, 409, problem_text(w, p), NULL, STR(""));
	return cart_render(w, 422, _(errs->v[0].msgid), NULL, STR(""));
}

static int
cart_add_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct cart_owner	 o;
	struct field_errors	 errs = { .n = 0 };
	struct cart_problem	 p;
	int64_t			 qty = form_has(&w->form, "qty") ?
				    form_i64(&w->form, "qty") : 1;
	int			 rc;

	if (!post_ok(w, 1))
		return 403;
	owner_of(w, &o);
	owner_for_write(w, &o);
	rc = cart_add(&w->shop, &o, form_i64(&w->form, "product_id"),
	    form_i64(&w->form, "variant_id"), qty, &errs, &p);
	owner_done(w, &o);
	if (rc != SHOP_OK)
		return write_failed(w, rc, &errs, &p);
	no_store(w);
	return page_redirect(w, "/cart");
}

static int
cart_update_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct cart_owner	 o;
	struct field_errors	 errs = { .n = 0 };
	struct cart_problem	 p;
	int			 rc;

	if (!post_ok(w, 0))
		return 403;
	owner_of(w, &o);
	rc = cart_set_qty(&w->shop, &o, form_i64(&w->form, "product_id"),
	    form_i64(&w->form, "variant_id"), form_i64(&w->form, "qty"),
	    &errs, &p);
	owner_done(w, &o);
	if (rc != SHOP_OK)
		return write_failed(w, rc, &errs, &p);
	no_store(w);
	return page_redirect(w, "/cart");
}

static int
cart_remove_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct cart_owner	 o;

	if (!post_ok(w, 0))
		return 403;
	owner_of(w, &o);
	if (cart_remove(&w->shop, &o, form_i64(&w->form, "product_id"),
	    form_i64(&w->form, "variant_id")) != SHOP_OK)
		return page_error(w, 503, NULL);
	owner_done(w, &o);
	no_store(w);
	return page_redirect(w, "/cart");
}

/* Applies a code after quote_compute() took it, or shows why not. */
static int
cart_coupon_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct str		 code = form_text(&w->form, "coupon");
	struct cart_owner	 o;
	struct cart		 c;
	struct quote		 q;
	struct quote_in		 qi;
	struct field_errors	 errs = { .n = 0 };

	if (!post_ok(w, 0))
		return 403;
	if (form_bool(&w->form, "remove"))
		code = STR("");
	owner_of(w, &o);
	if (cart_get(&w->shop, &o, &c) != SHOP_OK)
		return page_error(w, 503, NULL);
	owner_done(w, &o);
	if (c.id == 0 || c.nlines == 0)
		return page_redirect(w, "/cart");
	if (code.len > 0) {
		memset(&qi, 0, sizeof(qi));
		qi.lines = quote_lines(w, &c);
		qi.nlines = c.nlines;
		qi.coupon = code;
		if (quote_compute(&w->shop, &qi, &q, &errs) != SHOP_OK)
			return page_error(w, 503, NULL);
		if (q.coupon_id == 0 && errs.n == 0)
			field_errors_add(&errs, "coupon",
			    N_("This coupon code is not valid."));
		if (q.coupon_id == 0)
			return cart_render(w, 422, NULL, &errs, code);
		code = q.coupon_code;
	}
	if (cart_set_coupon(&w->shop, c.id, code) != SHOP_OK)
		return page_error(w, 503, NULL);
	no_store(w);
	return page_redirect(w, "/cart");
}

/* --- checkout: what every step reads ----------------------------------- */

struct checkout {
	struct cart_owner	 o;
	struct cart		 cart;
	struct cart_checkout	 ck;
	struct shop_settings	 settings;
	struct quote_line	*ql;
	struct quote		 q;
	struct field_errors	 qerrs;
};

/*
 * The cart and the checkout's progress. Returns 0, or the status of
 * the answer it sent (an empty cart goes back to the cart page).
 */
static int
checkout_load(struct web *w, struct checkout *k, int placing)
{
	const struct selling *sell;

	memset(k, 0, sizeof(*k));
	owner_of(w, &k->o);
	/* Placing reads the lines in its transaction: not here too. */
	if ((placing ? cart_head(&w->shop, &k->o, &k->cart) :
	    cart_get(&w->shop, &k->o, &k->cart)) != SHOP_OK ||
	    selling_get(&w->shop, &sell) != SHOP_OK) {
		page_error(w, 503, NULL);
		return 503;
	}
	k->settings = sell->settings;
	owner_done(w, &k->o);
	/* Placing checks stock itself, and says which line ran short; it
	 * answers a missing cart itself (a double click's). */
	if (!placing && (k->cart.id == 0 || k->cart.nlines == 0 ||
	    cart_blocked(&k->cart))) {
		no_store(w);
		page_redirect(w, "/cart");
		return 303;
	}
	cart_checkout_parse(&w->shop, k->cart.checkout, &k->ck);
	if (k->ck.email.len == 0 && w->has_customer)
		k->ck.email = w->customer.email;
	return 0;
}

/* Prices the cart for the address and method the checkout holds. */
static int
checkout_quote(struct web *w, struct checkout *k, int with_address)
{
	struct quote_in qi;

	memset(&qi, 0, sizeof(qi));
	k->ql = quote_lines(w, &k->cart);
	qi.lines = k->ql;
	qi.nlines = k->cart.nlines;
	qi.ship_to = with_address ? &k->ck.ship : NULL;
	qi.method_id = k->ck.method_id;
	qi.coupon = k->cart.coupon_code;
	qi.email = k->ck.email;
	k->qerrs.n = 0;
	if (quote_compute(&w->shop, &qi, &k->q, &k->qerrs) != SHOP_OK) {
		page_error(w, 503, NULL);
		return 503;
	}
	return 0;
}

static void
steps_model(json_object *m, int step)
{
	json_object	*arr = jset_arr(m, "steps");
	const char	*names[] = { N_("Address"), N_("Shipping and payment"),
			    N_("Review") };
	const char	*urls[] = { "/checkout", "/checkout/shipping",
			    "/checkout/review" };
	int		 i;

	for (i = 0; i < 3; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "name", _(names[i]));
		jset_i64(o, "n", i + 1);
		if (i < step)
			jset_cstr(o, "url", urls[i]);
		jset_bool(o, "current", i == step);
	}
}

/* --- step 1: e-mail and addresses -------------------------------------- */

#define ADDRESS_FIELDS(p) \
	{ p "name", FIELD_TEXT, 0, ADDRESS_NAME_MAX, 0, \
	    N_("A name has at most 200 characters."), NULL }, \
	{ p "company", FIELD_TEXT, 0, ADDRESS_NAME_MAX, 0, \
	    N_("A company name has at most 200 characters."), NULL }, \
	{ p "line1", FIELD_TEXT, 0, ADDRESS_LINE_MAX, 0, \
	    N_("An address line has at most 200 characters."), NULL }, \
	{ p "line2", FIELD_TEXT, 0, ADDRESS_LINE_MAX, 0, \
	    N_("An address line has at most 200 characters."), NULL }, \
	{ p "city", FIELD_TEXT, 0, ADDRESS_CITY_MAX, 0, \
	    N_("A city has at most 100 characters."), NULL }, \
	{ p "region", FIELD_TEXT, 0, ADDRESS_REGION_MAX, 0, \
	    N_("A state or region has at most 100 characters."), NULL }, \
	{ p "postcode", FIELD_TEXT, 0, ADDRESS_POSTCODE_MAX, 0, \
	    N_("A postcode has at most 20 characters."), NULL }, \
	{ p "country", FIELD_TEXT, 0, 2, FIELD_ASCII, \
	    N_("Choose a country from the list."), NULL }, \
	{ p "phone", FIELD_TEXT, 0, ADDRESS_PHONE_MAX, 0, \
	    N_("A phone number has at most 40 characters."), NULL }

static const struct field address_fields[] = {
	{ "email", FIELD_EMAIL, 0, 254, FIELD_REQUIRED,
	    N_("Enter your e-mail address, such as name@example.com."), NULL },
	ADDRESS_FIELDS("ship_"),
	{ "bill_same", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	ADDRESS_FIELDS("bill_"),
	{ 0 }
};

static const char *const address_members[] = {
	"name", "company", "line1", "line2", "city", "region", "postcode",
	"country", "phone",
};

static struct str *
member(struct address *ad, size_t i)
{
	struct str *v[] = {
		&ad->name, &ad->company, &ad->line1, &ad->line2, &ad->city,
		&ad->region, &ad->postcode, &ad->country, &ad->phone,
	};

	return v[i];
}

/* An address's fields into the model object f as prefix_member. */
static void
address_values(struct web *w, json_object *f, const char *prefix,
    struct address *ad)
{
	size_t i;

	for (i = 0; i < NELEM(address_members); i++)
		jset_str(f, arena_printf(w->r->arena, "%s%s", prefix,
		    address_members[i]), *member(ad, i));
}

/* The address the form sent under prefix, as typed. */
static void
address_from_form(struct web *w, const char *prefix, struct address *ad)
{
	size_t i;

	for (i = 0; i < NELEM(address_members); i++)
		*member(ad, i) = str_trim(page_field(w, arena_printf(
		    w->r->arena, "%s%s", prefix, address_members[i])));
}

static void
country_menu(struct web *w, json_object *m, const char *key,
    struct str current)
{
	const struct country	*v;
	size_t			 n, i;
	json_object		*arr = jset_arr(m, key);

	v = country_list(w->r->arena, w->icu_locale, &n);
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "code", v[i].code);
		jset_cstr(o, "name", v[i].name);
		if (str_eqc(current, v[i].code))
			jset_bool(o, "selected", 1);
	}
}

/*
 * A signed-in customer's address book beside the form: each a link
 * that fills the form with it (?address=ID; nothing is saved until the
 * form is sent). The default fills an empty form. chosen: the ID asked
 * for (0: none).
 */
static void
saved_addresses(struct web *w, json_object *m, struct checkout *k,
    int64_t chosen)
{
	struct customer_address	*v;
	json_object		*arr;
	size_t			 n, i;

	if (!w->has_customer || customer_addresses(&w->shop,
	    w->customer.id, &v, &n) != SHOP_OK || n == 0)
		return;
	arr = jset_arr(m, "saved");
	for (i = 0; i < n; i++) {
		json_object	*o = jarr_obj(arr);
		const char	*cn = country_name(w->r->arena,
				    v[i].a.country.p, w->icu_locale);
		int		 pick = chosen == v[i].id ||
				    (chosen == 0 && v[i].is_default &&
				    k->ck.ship.line1.len == 0);

		jset_i64(o, "id", v[i].id);
		jset_cstr(o, "label", arena_printf(w->r->arena,
		    "%.*s, %.*s, %.*s %.*s, %s", (int)v[i].a.name.len,
		    v[i].a.name.p, (int)v[i].a.line1.len, v[i].a.line1.p,
		    (int)v[i].a.postcode.len, v[i].a.postcode.p,
		    (int)v[i].a.city.len, v[i].a.city.p, cn ? cn :
		    v[i].a.country.p));
		/* Set either way: a section looks a missing name up in
		 * the enclosing contexts. */
		jset_bool(o, "chosen", pick);
		if (pick)
			k->ck.ship = v[i].a;
	}
}

static int
address_render(struct web *w, struct checkout *k, int status,
    const struct field_errors *errs)
{
	json_object	*m, *f;

	if (checkout_quote(w, k, 0) != 0)
		return 0;
	m = cart_model(w, _("Checkout"));
	/* The form as sent when it comes back with errors. */
	if (errs == NULL)
		saved_addresses(w, m, k, form_has(&w->form, "address") ?
		    form_i64(&w->form, "address") : 0);
	f = jset_obj(m, "f");
	steps_model(m, 0);
	lines_model(w, m, &k->cart, k->ql);
	totals_model(w, jset_obj(m, "totals"), &k->q, 0);
	jset_i64(m, "cart_count", k->cart.items);
	jset_str(f, "email", k->ck.email);
	if (k->ck.ship.country.len == 0 && k->settings.country[0])
		k->ck.ship.country = str_c(k->settings.country);
	address_values(w, f, "ship_", &k->ck.ship);
	address_values(w, f, "bill_", &k->ck.bill);
	jset_bool(f, "bill_same", k->ck.bill_same);
	country_menu(w, m, "ship_countries", k->ck.ship.country);
	country_menu(w, m, "bill_countries", k->ck.bill.country);
	if (errs != NULL && errs->n > 0) {
		page_field_errors(jset_obj(m, "errors"), jset_arr(m,
		    "error_list"), errs);
		jset_bool(m, "has_errors", 1);
	}
	return page_render(w, status, "checkout");
}

static const struct field checkout_get_fields[] = {
	{ "address", FIELD_ID, 0, 0, FIELD_QUERY,
	    N_("This address is not in your address book."), NULL },
	{ 0 }
};

static int
checkout_page(struct req *r)
{
	struct web	*w = web_of(r);
	struct checkout	 k;
	int		 st;

	if ((st = checkout_load(w, &k, 0)) != 0)
		return 0;
	return address_render(w, &k, 200, NULL);
}

static int
checkout_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct checkout		 k;
	struct field_errors	 errs = w->form.errs;
	int			 st;

	if (!post_ok(w, 0))
		return 403;
	if ((st = checkout_load(w, &k, 0)) != 0)
		return 0;
	k.ck.email = str_trim(page_field(w, "email"));
	address_from_form(w, "ship_", &k.ck.ship);
	address_from_form(w, "bill_", &k.ck.bill);
	k.ck.bill_same = form_bool(&w->form, "bill_same");
	/* Every message at once: the contract's first (they come first
	 * beside their field), then the address's own. */
	(void)address_check(&k.ck.ship, ADDRESS_FORM_SHIP, &errs);
	if (!k.ck.bill_same)
		(void)address_check(&k.ck.bill, ADDRESS_FORM_BILL, &errs);
	if (errs.n > 0)
		return address_render(w, &k, 422, &errs);
	if (k.ck.bill_same)
		memset(&k.ck.bill, 0, sizeof(k.ck.bill));
	k.ck.has_address = 1;
	if (cart_checkout_save(&w->shop, k.cart.id, &k.ck) != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/checkout/shipping");
}

/* --- step 2: shipping method and payment ------------------------------- */

static const struct field shipping_fields[] = {
	{ "method_id", FIELD_ID, 0, 0, FIELD_REQUIRED,
	    N_("Choose a shipping method."), NULL },
	{ "payment", FIELD_TEXT, 1, 20, FIELD_REQUIRED | FIELD_ASCII,
	    N_("Choose a payment method."), NULL },
	{ 0 }
};

static int
shipping_render(struct web *w, struct checkout *k, int status,
    const struct field_errors *errs)
{
	const struct payment_method	*pm;
	json_object			*m, *arr;
	size_t				 i, n;
	int64_t				 chosen;

	if (checkout_quote(w, k, 1) != 0)
		return 0;
	m = cart_model(w, _("Checkout"));
	steps_model(m, 1);
	jset_i64(m, "cart_count", k->cart.items);
	chosen = k->q.method_id;
	arr = jset_arr(m, "methods");
	for (i = 0; i < k->q.noptions; i++) {
		const struct ship_option	*s = &k->q.options[i];
		json_object			*o = jarr_obj(arr);

		jset_i64(o, "id", s->id);
		jset_cstr(o, "name", method_label(s->name, s->kind));
		jset_cstr(o, "cost", s->cost > 0 ? money(w, s->cost) :
		    _("Free"));
		jset_bool(o, "checked", s->id == chosen);
	}
	if (k->q.no_zone)
		jset_cstr(m, "no_zone", _("Sorry, we do not ship to this "
		    "country. Choose another address."));
	arr = jset_arr(m, "payments");
	pm = payment_methods(&n);
	for (i = 0; i < n; i++) {
		json_object *o;

		if (!pm[i].enabled(&k->settings))
			continue;
		o = jarr_obj(arr);
		jset_cstr(o, "code", pm[i].code);
		jset_cstr(o, "label", _(pm[i].label));
		jset_cstr(o, "description", _(pm[i].description));
		jset_bool(o, "checked", str_eqc(k->ck.payment, pm[i].code) ||
		    (k->ck.payment.len == 0 && json_object_array_length(arr)
		    == 1));
	}
	totals_model(w, jset_obj(m, "totals"), &k->q, 1);
	jset_str(m, "ship_to", k->ck.ship.city);
	if (errs != NULL && errs->n > 0) {
		page_field_errors(jset_obj(m, "errors"), jset_arr(m,
		    "error_list"), errs);
		jset_bool(m, "has_errors", 1);
	}
	return page_render(w, status, "checkout_shipping");
}

static int
shipping_page(struct req *r)
{
	struct web	*w = web_of(r);
	struct checkout	 k;

	if (checkout_load(w, &k, 0) != 0)
		return 0;
	if (!k.ck.has_address)
		return page_redirect(w, "/checkout");
	return shipping_render(w, &k, 200, NULL);
}

static int
shipping_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct checkout		 k;
	struct field_errors	 errs = w->form.errs;
	size_t			 i;
	int			 offered = 0;

	if (!post_ok(w, 0))
		return 403;
	if (checkout_load(w, &k, 0) != 0)
		return 0;
	if (!k.ck.has_address)
		return page_redirect(w, "/checkout");
	if (errs.n > 0)
		return shipping_render(w, &k, 422, &errs);
	k.ck.method_id = form_i64(&w->form, "method_id");
	if (checkout_quote(w, &k, 1) != 0)
		return 0;
	for (i = 0; i < k.q.noptions; i++)
		offered |= k.q.options[i].id == k.ck.method_id;
	if (!offered)
		field_errors_add(&errs, "method_id", N_("Choose one of the "
		    "shipping methods on offer for your address."));
	if (payment_offered(&k.settings, form_text(&w->form, "payment")) ==
	    NULL)
		field_errors_add(&errs, "payment", N_("Choose one of the "
		    "payment methods on offer."));
	else
		k.ck.payment = form_text(&w->form, "payment");
	if (errs.n > 0)
		return shipping_render(w, &k, 422, &errs);
	if (cart_checkout_save(&w->shop, k.cart.id, &k.ck) != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/checkout/review");
}

/* --- step 3: review and place ------------------------------------------ */

static void
address_model(struct web *w, json_object *o, const struct address *ad)
{
	jset_str(o, "name", ad->name);
	jset_str(o, "company", ad->company);
	jset_str(o, "line1", ad->line1);
	jset_str(o, "line2", ad->line2);
	jset_str(o, "city", ad->city);
	jset_str(o, "region", ad->region);
	jset_str(o, "postcode", ad->postcode);
	jset_str(o, "phone", ad->phone);
	if (country_valid(ad->country))
		jset_cstr(o, "country", country_name(w->r->arena,
		    ad->country.p, w->icu_locale));
}

/* The review page: the figures of k->q (fresh), error a message. */
static int
review_render(struct web *w, struct checkout *k, int status,
    const char *error)
{
	const struct payment_method	*pm;
	json_object			*m;
	char				 key[ORDER_KEY_HEX + 1];

	if (checkout_quote(w, k, 1) != 0)
		return 0;
	if (k->qerrs.n > 0 || k->q.method_id == 0) {
		/* The method or the coupon is not valid any more. */
		return shipping_render(w, k, 409, &k->qerrs);
	}
	m = cart_model(w, _("Review your order"));
	steps_model(m, 2);
	jset_i64(m, "cart_count", k->cart.items);
	if (error != NULL)
		jset_cstr(m, "error", error);
	lines_model(w, m, &k->cart, k->ql);
	totals_model(w, jset_obj(m, "totals"), &k->q, 1);
	jset_str(m, "email", k->ck.email);
	address_model(w, jset_obj(m, "ship"), &k->ck.ship);
	if (!k->ck.bill_same)
		address_model(w, jset_obj(m, "bill"), &k->ck.bill);
	pm = payment_find(k->ck.payment);
	if (pm != NULL)
		jset_cstr(m, "payment", _(pm->label));
	/* A fresh key each time the page is shown: one order per
	 * review, however often its form is sent. */
	crypto_random_hex(key, ORDER_KEY_HEX / 2);
	jset_cstr(m, "idem_key", key);
	jset_i64(m, "total_minor", k->q.total);
	return page_render(w, status, "checkout_review");
}

static int
review_page(struct req *r)
{
	struct web	*w = web_of(r);
	struct checkout	 k;

	if (checkout_load(w, &k, 0) != 0)
		return 0;
	if (!k.ck.has_address)
		return page_redirect(w, "/checkout");
	if (k.ck.method_id == 0 || payment_offered(&k.settings,
	    k.ck.payment) == NULL)
		return page_redirect(w, "/checkout/shipping");
	return review_render(w, &k, 200, NULL);
}

static const struct field place_fields[] = {
	{ "idem_key", FIELD_TEXT, ORDER_KEY_HEX, ORDER_KEY_HEX,
	    FIELD_REQUIRED | FIELD_ASCII, N_("This form is not valid any "
	    "more: review your order and place it again."), NULL },
	{ "total", FIELD_INT, 0, INT64_C(1000000000000000), FIELD_REQUIRED,
	    N_("This form is not valid any more: review your order and "
	    "place it again."), NULL },
	{ 0 }
};

static int
done_redirect(struct web *w, const struct order_place_out *out)
{
	no_store(w);
	return page_redirect(w, arena_printf(w->r->arena,
	    "/checkout/done/%lld?key=%s", (long long)out->number,
	    out->access_key));
}

/*
 * A form that cannot be placed as it stands: when its key placed an
 * order already (a double click, the first one's done), that order;
 * else back to where the shopper left off.
 */
static int
place_again(struct web *w, const char *back)
{
	struct order_place_out	out;
	int			rc;

	rc = order_by_idem_key(&w->shop, form_text(&w->form, "idem_key"),
	    &out);
	if (rc == SHOP_OK)
		return done_redirect(w, &out);
	if (rc != SHOP_ENOTFOUND)
		return page_error(w, 503, NULL);
	no_store(w);
	return page_redirect(w, back);
}

/* --- card payments ---------------------------------------------------- */

/* Where the shopper comes back to from the gateway's page: this shop's
 * host as the request named it (it resolved to this shop), with the
 * configured scheme and port. */
static const char *
return_url(struct web *w, int64_t number, const char *key, const char *tail)
{
	const char *port = config_get("public_port", "");

	return arena_printf(w->r->arena, "%s://%.*s%s%s/checkout/done/%lld"
	    "?key=%s%s", config_get("public_scheme", "http"),
	    (int)w->r->host.len, w->r->host.p, *port ? ":" : "", port,
	    (long long)number, key, tail);
}

/*
 * Sends the shopper of pending card order number to the gateway's
 * hosted page (shop/card.h); when the gateway fails, to the order's
 * page saying so, with a button to try again: the order stays pending
 * and keeps its stock until its hold ends.
 */
static int
pay_start(struct web *w, int64_t number, const char *key)
{
	struct card_return	 ret;
	const char		*url;
	char			 detail[256];
	int			 rc;

	ret.success_url = return_url(w, number, key,
	    "&session_id={CHECKOUT_SESSION_ID}");
	ret.cancel_url = return_url(w, number, key, "&pay=cancelled");
	ret.locale = w->lang;
	rc = card_checkout(&w->shop, number, &ret, &url, detail,
	    sizeof(detail));
	no_store(w);
	switch (rc) {
	case SHOP_OK:
		return page_redirect(w, url);
	case CARD_EGATEWAY:
		log_warn("order %lld: card payment not started: %s",
		    (long long)number, detail);
		return page_redirect(w, arena_printf(w->r->arena,
		    "/checkout/done/%lld?key=%s&pay=failed", (long long)number,
		    key));
	case CARD_ENOTDUE:
		return page_redirect(w, arena_printf(w->r->arena,
		    "/checkout/done/%lld?key=%s", (long long)number, key));
	case SHOP_ENOTFOUND:
		return page_error(w, 404, NULL);
	default:
		return page_error(w, 503, NULL);
	}
}

static const struct field pay_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "key", FIELD_TEXT, ORDER_KEY_HEX, ORDER_KEY_HEX,
	    FIELD_REQUIRED | FIELD_ASCII, N_("This link is not valid."),
	    NULL },
	{ 0 }
};

/* "Pay now" / "Try again" on the page of a pending card order. */
static int
pay_post(struct req *r)
{
	struct web	*w = web_of(r);
	struct order	 ord;
	struct str	 key = form_text(&w->form, "key");
	int		 rc;

	if (!post_ok(w, 0))
		return 403;
	rc = order_get(&w->shop, form_i64(&w->form, "number"), 0, &ord);
	if (rc == SHOP_OK && (ord.access_key.len != key.len ||
	    !crypto_eq(ord.access_key.p, key.p, key.len)))
		rc = SHOP_ENOTFOUND;
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This order does not exist, or "
		    "the link is not complete."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return pay_start(w, ord.number, arena_strndup(w->r->arena, key.p,
	    key.len));
}

static int
place_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct checkout		 k;
	struct order_place_in	 in;
	struct order_place_out	 out;
	struct field_errors	 errs = { .n = 0 };
	int			 rc;

	if (!post_ok(w, 0))
		return 403;
	if (checkout_load(w, &k, 1) != 0)
		return 0;
	memset(&in, 0, sizeof(in));
	in.pay = payment_offered(&k.settings, k.ck.payment);
	if (k.cart.id == 0 || !k.ck.has_address || in.pay == NULL ||
	    k.ck.method_id == 0)
		return place_again(w, k.cart.id == 0 ? "/cart" : "/checkout");
	in.cart_id = k.cart.id;
	in.customer_id = w->has_customer ? w->customer.id : 0;
	in.email = k.ck.email;
	in.locale = str_c(w->lang);
	in.ship = k.ck.ship;
	in.bill = k.ck.bill_same ? k.ck.ship : k.ck.bill;
	in.method_id = k.ck.method_id;
	in.idem_key = form_text(&w->form, "idem_key");
	in.reviewed_total = form_i64(&w->form, "total");
	in.display_currency = w->currency;
	in.rates = w->rates;
	rc = order_place(&w->shop, &in, &out, &errs);
	if (rc == SHOP_OK && in.pay->online)
		return pay_start(w, out.number, out.access_key);
	if (rc == SHOP_OK)
		return done_redirect(w, &out);
	if (rc != SHOP_EINVAL)
		return page_error(w, 503, NULL);
	if (strcmp(errs.v[0].field, "stock") == 0)
		return cart_render(w, 409, problem_text(w, &out.short_line),
		    NULL, STR(""));
	if (strcmp(errs.v[0].field, "cart") == 0)
		return page_redirect(w, "/cart");
	/* The review again, with today's figures (the lines too). */
	if (cart_get(&w->shop, &k.o, &k.cart) != SHOP_OK)
		return page_error(w, 503, NULL);
	return review_render(w, &k, 409, _(errs.v[0].msgid));
}

/* --- the confirmation -------------------------------------------------- */

static const struct field done_fields[] = {
	{ "number", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "key", FIELD_TEXT, ORDER_KEY_HEX, ORDER_KEY_HEX,
	    FIELD_QUERY | FIELD_REQUIRED | FIELD_ASCII,
	    N_("This link is not valid."), NULL },
	/* Back from the card gateway's page (pay_start()). */
	{ "session_id", FIELD_TEXT, 0, 255, FIELD_QUERY | FIELD_ASCII,
	    N_("This link is not valid."), NULL },
	{ "pay", FIELD_TEXT, 0, 20, FIELD_QUERY | FIELD_ASCII,
	    N_("This link is not valid."), NULL },
	{ 0 }
};

/*
 * The card part of the confirmation of pending order ord: waiting for
 * the gateway's word (back from its page), or not paid (cancelled
 * there, or the gateway failed) with a button to pay. Only the webhook
 * and the reconciliation mark it paid (shop/card.h), never this page.
 */
static void
card_model(struct web *w, json_object *m, const struct order *ord)
{
	struct str	 pay = form_text(&w->form, "pay");
	json_object	*o = jset_obj(m, "card");

	if (ord->status != ORDER_PENDING) {
		if (ord->status == ORDER_CANCELLED)
			jset_cstr(o, "message", _("This order was cancelled: "
			    "its payment was not made in time."));
		else
			jset_cstr(o, "paid", _("Your payment is confirmed. "
			    "Thank you!"));
		return;
	}
	jset_bool(o, "pending", 1);
	if (str_eqc(pay, "failed"))
		jset_cstr(o, "problem", _("We could not reach our payment "
		    "provider just now. Your order is saved and no money was "
		    "taken: please try again in a moment."));
	else if (str_eqc(pay, "cancelled"))
		jset_cstr(o, "problem", _("Your payment was not made. Your "
		    "order is kept for a while: you can pay now."));
	if (form_has(&w->form, "session_id") && pay.len == 0) {
		jset_cstr(o, "message", _("We are waiting for your payment "
		    "confirmation. This page shows it as soon as it has "
		    "arrived: reload it in a moment."));
		jset_str(o, "reload", w->r->raw_query);
	} else
		jset_cstr(o, "button", pay.len ? _("Try again") :
		    _("Pay now"));
}

static void
order_totals_model(struct web *w, json_object *o, const struct order *ord)
{
	jset_cstr(o, "subtotal", money(w, ord->subtotal));
	if (ord->discount > 0) {
		jset_cstr(o, "discount", money(w, -ord->discount));
		jset_str(o, "coupon_code", ord->coupon_code);
	}
	jset_cstr(o, "shipping", ord->shipping > 0 ? money(w, ord->shipping) :
	    _("Free"));
	jset_str(o, "method", ord->ship_method);
	jset_bool(o, "prices_include_tax", ord->prices_include_tax);
	jset_cstr(o, "tax", money(w, ord->tax));
	jset_cstr(o, "total", money(w, ord->total));
	if (!str_eqc(ord->display_currency, ord->currency.p))
		jset_cstr(o, "total_converted", page_money(w,
		    ord->display_total, ord->display_currency.p));
}

static int
done_page(struct req *r)
{
	struct web			*w = web_of(r);
	struct order			 ord;
	struct shop_settings		 s;
	const struct payment_method	*pm;
	json_object			*m, *arr;
	struct str			 key = form_text(&w->form, "key");
	size_t				 i;
	int				 rc;

	rc = order_get(&w->shop, form_i64(&w->form, "number"), 0, &ord);
	if (rc == SHOP_OK && (ord.access_key.len != key.len ||
	    !crypto_eq(ord.access_key.p, key.p, key.len)))
		rc = SHOP_ENOTFOUND;
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This order does not exist, or "
		    "the link is not complete."));
	if (rc != SHOP_OK || settings_get(&w->shop, &s) != SHOP_OK)
		return page_error(w, 503, NULL);
	m = cart_model(w, _("Thank you for your order"));
	cart_header_model(w, m);
	jset_i64(m, "number", ord.number);
	jset_str(m, "email", ord.email);
	jset_str(m, "key", key);
	jset_cstr(m, "status", _(order_status_label(ord.status)));
	arr = jset_arr(m, "lines");
	for (i = 0; i < ord.nlines; i++) {
		json_object *o = jarr_obj(arr);

		jset_str(o, "name", ord.lines[i].name);
		jset_str(o, "variant", ord.lines[i].variant);
		jset_i64(o, "qty", ord.lines[i].qty);
		jset_cstr(o, "unit_price", money(w, ord.lines[i].unit_price));
		jset_cstr(o, "line_total", money(w, ord.lines[i].subtotal));
	}
	order_totals_model(w, jset_obj(m, "totals"), &ord);
	address_model(w, jset_obj(m, "ship"), &ord.ship);
	if ((pm = payment_find(ord.payment_method)) != NULL && pm->online) {
		jset_cstr(m, "payment", _(pm->label));
		card_model(w, m, &ord);
	} else if (pm != NULL) {
		jset_cstr(m, "payment", _(pm->label));
		jset_cstr(m, "instructions", _(pm->instructions));
		if (pm->bank_details && s.bank_details.len)
			jset_str(m, "bank_details", s.bank_details);
		if (pm->cheque_payee && s.cheque_payee.len)
			jset_str(m, "cheque_payee", s.cheque_payee);
	}
	if (ord.customer_id == 0 && !w->has_customer)
		jset_bool(m, "guest", 1);
	return page_render(w, 200, "checkout_done");
}

const struct route cart_routes[] = {
	{ HTTP_GET, "/cart", cart_page, 0, NULL },
	{ HTTP_POST, "/cart/add", cart_add_post, 0, add_fields },
	{ HTTP_POST, "/cart/update", cart_update_post, 0, update_fields },
	{ HTTP_POST, "/cart/remove", cart_remove_post, 0, remove_fields },
	{ HTTP_POST, "/cart/coupon", cart_coupon_post, 0, coupon_fields },
	{ HTTP_GET, "/checkout", checkout_page, 0, checkout_get_fields },
	{ HTTP_POST, "/checkout", checkout_post, ROUTE_FORM_ERRORS,
	    address_fields },
	{ HTTP_GET, "/checkout/shipping", shipping_page, 0, NULL },
	{ HTTP_POST, "/checkout/shipping", shipping_post, ROUTE_FORM_ERRORS,
	    shipping_fields },
	{ HTTP_GET, "/checkout/review", review_page, 0, NULL },
	{ HTTP_POST, "/checkout/place", place_post, 0, place_fields },
	{ HTTP_POST, "/checkout/pay/:number", pay_post, 0, pay_fields },
	{ HTTP_GET, "/checkout/done/:number", done_page, 0, done_fields },
};

const size_t cart_nroutes = NELEM(cart_routes);
