/* order_place.c: placing an order in one transaction (order_place.h). */
#include "core/common.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "db/db.h"
#include "platform/jobs.h"
#include "shop/order_place.h"
#include "shop/settings.h"
#include "shop/shop.h"
#include "shop/wc_webhook.h"

#include <stdlib.h>

enum stmt {
	ST_BY_IDEM,
	ST_TAKE_PRODUCT,
	ST_TAKE_VARIANT,
	ST_LEFT_PRODUCT,
	ST_LEFT_VARIANT,
	ST_INSERT,
	ST_NUMBER,
	ST_LINE,
	ST_EVENT,
	ST_EVENT_BY,
	ST__MAX
};

#define ADDR_COLS(x) \
	x "name, " x "company, " x "line1, " x "line2, " x "city, " \
	x "region, " x "postcode, " x "country, " x "phone"

static const struct shop_sql sql[ST__MAX] = {
	[ST_BY_IDEM] = { "order_place.by_idem",
	    "SELECT number, access_key FROM {p}orders WHERE idem_key = ?" },
	/* The one guard against overselling: the row changes only when
	 * there is enough, whatever other orders run at the same time. */
	[ST_TAKE_PRODUCT] = { "order_place.take_product",
	    "UPDATE {p}products SET stock = stock - ?"
	    " WHERE id = ? AND stock >= ?" },
	[ST_TAKE_VARIANT] = { "order_place.take_variant",
	    "UPDATE {p}variants SET stock = stock - ?"
	    " WHERE id = ? AND product_id = ? AND stock >= ?" },
	/* A locking read: the stock as it is now, not as the
	 * transaction's first read saw it (repeatable read). */
	[ST_LEFT_PRODUCT] = { "order_place.left_product",
	    "SELECT stock FROM {p}products WHERE id = ? FOR UPDATE" },
	[ST_LEFT_VARIANT] = { "order_place.left_variant",
	    "SELECT stock FROM {p}variants WHERE id = ? FOR UPDATE" },
	[ST_INSERT] = { "order_place.insert",
	    "INSERT INTO {p}orders (number, status, customer_id, email,"
	    " locale, idem_key, access_key, currency, prices_include_tax,"
	    " subtotal, discount, shipping, shipping_tax, tax, total,"
	    " display_currency, fx_rate, display_total, coupon_id,"
	    " coupon_code, ship_method_id, ship_kind, ship_method,"
	    " payment_method, " ADDR_COLS("bill_") ", " ADDR_COLS("ship_")
	    ", created_via, customer_note"
	    ") VALUES (UUID_SHORT(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
	/* The order is written with a number no order has (UUID_SHORT():
	 * unique on the server), then gets its own, made of its id. */
	[ST_NUMBER] = { "order_place.number",
	    "UPDATE {p}orders SET number = ? WHERE id = ?" },
	[ST_LINE] = { "order_place.line",
	    "INSERT INTO {p}order_lines (order_id, product_id, variant_id,"
	    " sku, name, variant, qty, unit_price, tax_class, tax_rate,"
	    " subtotal, discount, tax, total)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" },
	[ST_EVENT] = { "order_place.event",
	    "INSERT INTO {p}order_events (order_id, actor, kind, to_status,"
	    " note) VALUES (?, 'shopper', 'status', ?, '')" },
	/* Placed by an integration: the key, as staff without an id. */
	[ST_EVENT_BY] = { "order_place.event_by",
	    "INSERT INTO {p}order_events (order_id, actor, actor_email, kind,"
	    " to_status, note) VALUES (?, 'staff', ?, 'status', ?, '')" },
};

static int
key_valid(struct str k)
{
	size_t i;

	if (k.len != ORDER_KEY_HEX)
		return 0;
	for (i = 0; i < k.len; i++)
		if (!((k.p[i] >= '0' && k.p[i] <= '9') ||
		    (k.p[i] >= 'a' && k.p[i] <= 'f')))
			return 0;
	return 1;
}

int
order_by_idem_key(struct shop_ctx *ctx, struct str key,
    struct order_place_out *out)
{
	struct db_stmt	*st;
	int		 rc;

	if (!key_valid(key))
		return SHOP_ENOTFOUND;
	if ((st = shop_stmt(ctx, &sql[ST_BY_IDEM])) == NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, key);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		out->number = db_col_i64(st, 0);
		str_copy(out->access_key, sizeof(out->access_key),
		    db_col_str(st, 1));
		out->existing = 1;
	}
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

/* Lines in the order their rows are locked: the same for every order,
 * so two orders never wait for each other in a circle. */
static int
line_cmp(const void *a, const void *b)
{
	const struct cart_line *x = a, *y = b;

	if (x->product_id != y->product_id)
		return x->product_id < y->product_id ? -1 : 1;
	if (x->variant_id != y->variant_id)
		return x->variant_id < y->variant_id ? -1 : 1;
	return 0;
}

struct place {
	const struct order_place_in	*in;
	struct order_place_out		*out;
	struct field_errors		*errs;
	struct cart			 cart;
	struct quote_line		*ql;
	int64_t				 display_total, fx_rate;
	const char			*display_currency;
};

/* The lines of an order without a cart, as a cart's (a product not
 * found is a line not available: "stock" names it). */
static int
lines_of(struct shop_ctx *ctx, struct place *p)
{
	size_t	i;
	int	rc;

	memset(&p->cart, 0, sizeof(p->cart));
	if (p->in->nlines > CART_LINES_MAX)
		return SHOP_EINVAL;
	p->cart.coupon_code = p->in->coupon;
	p->cart.lines = arena_calloc(ctx->a, p->in->nlines + 1,
	    sizeof(*p->cart.lines));
	for (i = 0; i < p->in->nlines; i++) {
		const struct order_place_line *l = &p->in->lines[i];
		struct cart_line *c = &p->cart.lines[p->cart.nlines++];

		rc = cart_line_read(ctx, l->product_id, l->variant_id, l->qty,
		    c);
		if (rc == SHOP_ENOTFOUND) {
			c->product_id = l->product_id;
			c->variant_id = l->variant_id;
			c->qty = l->qty;
			c->name = str_c(arena_printf(ctx->a, "#%lld",
			    (long long)l->product_id));
			c->available = 0;
		} else if (rc != SHOP_OK)
			return rc;
		p->cart.items += l->qty;
	}
	return SHOP_OK;
}

/* The cart and its quote, today's figures. */
static int
price(struct shop_ctx *ctx, struct place *p)
{
	struct quote_in	 qi;
	size_t		 i;
	int		 rc;

	if (p->in->cart_id == 0)
		rc = lines_of(ctx, p);
	else
		rc = cart_get_by_id(ctx, p->in->cart_id, &p->cart);
	if (rc == SHOP_ENOTFOUND || (rc == SHOP_OK && p->cart.nlines == 0)) {
		field_errors_add(p->errs, "cart", N_("Your cart is empty."));
		return SHOP_EINVAL;
	}
	if (rc != SHOP_OK)
		return rc;
	qsort(p->cart.lines, p->cart.nlines, sizeof(*p->cart.lines),
	    line_cmp);
	p->ql = arena_calloc(ctx->a, p->cart.nlines, sizeof(*p->ql));
	for (i = 0; i < p->cart.nlines; i++) {
		const struct cart_line	*l = &p->cart.lines[i];
		struct quote_line	*q = &p->ql[i];
		enum tax_class		 tc = TAX_STANDARD;

		if (!l->available || l->stock <= 0) {
			p->out->short_line.name = l->name;
			p->out->short_line.variant = l->variant;
			p->out->short_line.left = 0;
			field_errors_add(p->errs, "stock",
			    N_("An item in your cart is out of stock."));
			return SHOP_EINVAL;
		}
		(void)tax_class_parse(l->tax_class, &tc);
		q->product_id = l->product_id;
		q->variant_id = l->variant_id;
		q->category_id = l->category_id;
		q->unit_price = l->unit_price;
		q->qty = l->qty;
		q->weight_g = l->weight_g;
		q->tax_class = tc;
	}
	memset(&qi, 0, sizeof(qi));
	qi.lines = p->ql;
	qi.nlines = p->cart.nlines;
	qi.ship_to = &p->in->ship;
	qi.method_id = p->in->method_id;
	qi.coupon = p->cart.coupon_code;
	qi.email = p->in->email;
	if ((rc = quote_compute(ctx, &qi, &p->out->quote, p->errs)) !=
	    SHOP_OK)
		return rc;
	if (p->errs->n > 0)
		return SHOP_EINVAL;
	if (p->in->cart_id != 0 &&
	    p->out->quote.total != p->in->reviewed_total) {
		field_errors_add(p->errs, "total", N_("Prices or costs changed "
		    "since you reviewed your order: please check the new "
		    "total and place your order again."));
		return SHOP_EINVAL;
	}
	return SHOP_OK;
}

/* How many of the line are left, for the shopper's message. */
static int64_t
left_of(struct shop_ctx *ctx, const struct cart_line *l)
{
	struct db_stmt	*st;
	int64_t		 n = 0;

	st = shop_stmt(ctx, &sql[l->variant_id ? ST_LEFT_VARIANT :
	    ST_LEFT_PRODUCT]);
	if (st == NULL)
		return 0;
	db_bind_i64(st, 0, l->variant_id ? l->variant_id : l->product_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return 0;
	if (db_step(st) == 1)
		n = db_col_i64(st, 0);
	db_done(st);
	return n < 0 ? 0 : n;
}

/* Takes the stock of every line, or says which one ran short. */
static int
take_stock(struct shop_ctx *ctx, struct place *p)
{
	size_t i;

	for (i = 0; i < p->cart.nlines; i++) {
		const struct cart_line	*l = &p->cart.lines[i];
		struct db_stmt		*st;
		unsigned		 k = 0;
		uint64_t		 n;
		int			 rc;

		st = shop_stmt(ctx, &sql[l->variant_id ? ST_TAKE_VARIANT :
		    ST_TAKE_PRODUCT]);
		if (st == NULL)
			return SHOP_EDB;
		db_bind_i64(st, k++, l->qty);
		if (l->variant_id) {
			db_bind_i64(st, k++, l->variant_id);
			db_bind_i64(st, k++, l->product_id);
		} else
			db_bind_i64(st, k++, l->product_id);
		db_bind_i64(st, k, l->qty);
		if ((rc = shop_exec(ctx, st)) != SHOP_OK)
			return rc;
		n = db_affected(st);
		db_done(st);
		if (n == 1)
			continue;
		p->out->short_line.name = l->name;
		p->out->short_line.variant = l->variant;
		p->out->short_line.left = left_of(ctx, l);
		field_errors_add(p->errs, "stock", p->out->short_line.left ?
		    N_("Not enough in stock for this quantity.") :
		    N_("An item in your cart is out of stock."));
		return SHOP_EINVAL;
	}
	return SHOP_OK;
}

static unsigned
bind_address(struct db_stmt *st, unsigned i, const struct address *ad)
{
	db_bind_str(st, i++, ad->name);
	db_bind_str(st, i++, ad->company);
	db_bind_str(st, i++, ad->line1);
	db_bind_str(st, i++, ad->line2);
	db_bind_str(st, i++, ad->city);
	db_bind_str(st, i++, ad->region);
	db_bind_str(st, i++, ad->postcode);
	db_bind_str(st, i++, ad->country);
	db_bind_str(st, i++, ad->phone);
	return i;
}

static int
insert_order(struct shop_ctx *ctx, struct place *p, int64_t *id)
{
	const struct order_place_in	*in = p->in;
	const struct quote		*q = &p->out->quote;
	struct db_stmt			*st;
	unsigned			 i = 0;
	int				 rc;

	if ((st = shop_stmt(ctx, &sql[ST_INSERT])) == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, i++, order_status_name(in->pay->start));
	if (in->customer_id > 0)
		db_bind_i64(st, i++, in->customer_id);
	else
		db_bind_null(st, i++);
	db_bind_str(st, i++, in->email);
	db_bind_str(st, i++, in->locale);
	db_bind_str(st, i++, in->idem_key);
	db_bind_cstr(st, i++, p->out->access_key);
	db_bind_cstr(st, i++, ctx->currency);
	db_bind_i64(st, i++, q->prices_include_tax ? 1 : 0);
	db_bind_i64(st, i++, q->subtotal);
	db_bind_i64(st, i++, q->discount);
	db_bind_i64(st, i++, q->shipping);
	db_bind_i64(st, i++, q->shipping_tax);
	db_bind_i64(st, i++, q->tax);
	db_bind_i64(st, i++, q->total);
	db_bind_cstr(st, i++, p->display_currency);
	db_bind_i64(st, i++, p->fx_rate);
	db_bind_i64(st, i++, p->display_total);
	if (q->coupon_id > 0)
		db_bind_i64(st, i++, q->coupon_id);
	else
		db_bind_null(st, i++);
	db_bind_str(st, i++, q->coupon_id > 0 ? q->coupon_code : STR(""));
	if (q->method_id > 0)
		db_bind_i64(st, i++, q->method_id);
	else
		db_bind_null(st, i++);
	db_bind_cstr(st, i++, q->method_id > 0 ?
	    ship_kind_name(q->method_kind) : "");
	db_bind_str(st, i++, q->method_id > 0 ? q->method_name : STR(""));
	db_bind_cstr(st, i++, in->pay->code);
	i = bind_address(st, i, &in->bill);
	i = bind_address(st, i, &in->ship);
	db_bind_cstr(st, i++, in->created_via ? in->created_via : "checkout");
	db_bind_str(st, i, in->customer_note);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*id = (int64_t)db_insert_id(st);
	db_done(st);
	return SHOP_OK;
}

static int
insert_lines(struct shop_ctx *ctx, struct place *p, int64_t id)
{
	size_t i;

	for (i = 0; i < p->cart.nlines; i++) {
		const struct cart_line	*l = &p->cart.lines[i];
		const struct quote_line	*q = &p->ql[i];
		struct db_stmt		*st = shop_stmt(ctx, &sql[ST_LINE]);
		int			 rc;

		if (st == NULL)
			return SHOP_EDB;
		db_bind_i64(st, 0, id);
		db_bind_i64(st, 1, l->product_id);
		db_bind_i64(st, 2, l->variant_id);
		db_bind_str(st, 3, l->sku);
		db_bind_str(st, 4, l->name);
		db_bind_str(st, 5, l->variant);
		db_bind_i64(st, 6, q->qty);
		db_bind_i64(st, 7, q->unit_price);
		db_bind_cstr(st, 8, tax_class_name(q->tax_class));
		db_bind_i64(st, 9, q->tax_rate);
		db_bind_i64(st, 10, q->subtotal);
		db_bind_i64(st, 11, q->discount);
		db_bind_i64(st, 12, q->tax);
		db_bind_i64(st, 13, q->total);
		if ((rc = shop_exec(ctx, st)) != SHOP_OK)
			return rc;
		db_done(st);
	}
	return SHOP_OK;
}

static int
history(struct shop_ctx *ctx, struct place *p, int64_t id)
{
	int		 by = p->in->placed_by.len > 0;
	struct db_stmt	*st = shop_stmt(ctx, &sql[by ? ST_EVENT_BY :
			    ST_EVENT]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (by)
		db_bind_str(st, 1, p->in->placed_by);
	db_bind_cstr(st, 1 + by, order_status_name(p->in->pay->start));
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	db_done(st);
	return SHOP_OK;
}

/*
 * The mail jobs, which name the order by its id: "order received" to
 * the shopper and "new order" to the merchant. An order paid online
 * gets them once it is paid (order_status.c): a shopper who leaves the
 * card page is not told the order went through, and the merchant
 * prepares nothing unpaid.
 */
int
order_place_mails(struct shop_ctx *ctx, int64_t id)
{
	char	payload[48];
	int	n;

	n = snprintf(payload, sizeof(payload), "{\"order_id\": %lld}",
	    (long long)id);
	if (n < 0 || (size_t)n >= sizeof(payload))
		return SHOP_EDB;
	if (jobs_enqueue_pair(ctx->db, ctx->tenant, "shop.order_received",
	    "shop.order_new", str_c(payload)) == -1)
		return SHOP_EDB;
	return SHOP_OK;
}

/*
 * The order's number: its id in the shop's orders table, from
 * ORDER_FIRST_NUMBER. A counter row taken in the transaction gave
 * numbers without gaps, but its lock queued every order of the shop
 * from the number to the commit: 30% fewer orders a second (make
 * bench). The auto-increment leaves a gap only when a transaction is
 * rolled back after its insert (a deadlock's retry), as WooCommerce's
 * and Shopify's numbers do; invoices, which need numbers without
 * gaps, are not orders.
 */
static int
number(struct shop_ctx *ctx, int64_t id, int64_t *num)
{
	struct db_stmt	*st;
	int		 rc;

	*num = id + ORDER_FIRST_NUMBER - 1;
	if ((st = shop_stmt(ctx, &sql[ST_NUMBER])) == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, *num);
	db_bind_i64(st, 1, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	db_done(st);
	return SHOP_OK;
}

static int
place_tx(struct shop_ctx *ctx, void *arg)
{
	struct place	*p = arg;
	int64_t		 num, id;
	int		 rc;

	/* A retry (deadlock) starts from nothing. */
	p->errs->n = 0;
	memset(&p->out->short_line, 0, sizeof(p->out->short_line));
	p->out->short_line.left = -1;
	if ((rc = price(ctx, p)) != SHOP_OK ||
	    (rc = take_stock(ctx, p)) != SHOP_OK)
		return rc;
	if (p->out->quote.coupon_id > 0 && (rc = coupon_use(ctx,
	    p->out->quote.coupon_id, p->in->email)) != SHOP_OK) {
		if (rc == SHOP_EINVAL)
			field_errors_add(p->errs, "coupon", N_("This coupon "
			    "has been used up meanwhile: remove it to place "
			    "your order."));
		return rc;
	}
	if ((rc = insert_order(ctx, p, &id)) != SHOP_OK ||
	    (rc = insert_lines(ctx, p, id)) != SHOP_OK ||
	    (rc = history(ctx, p, id)) != SHOP_OK ||
	    (p->in->cart_id != 0 &&
	    (rc = cart_empty(ctx, p->in->cart_id)) != SHOP_OK) ||
	    (!p->in->pay->online &&
	    (rc = order_place_mails(ctx, id)) != SHOP_OK) ||
	    (rc = number(ctx, id, &num)) != SHOP_OK)
		return rc;
	p->out->number = num;
	/* No statement at all for a shop without an order.created
	 * webhook (wc_webhook.h). */
	return wc_webhook_fire(ctx, "order.created", id);
}

/* The display currency and rate of the order: the base at 10^8 when
 * the shopper saw the base, or no rate is known. */
static void
display(struct shop_ctx *ctx, struct place *p)
{
	const struct order_place_in	*in = p->in;
	struct fx_conversion		 c;

	p->display_currency = ctx->currency;
	p->fx_rate = FX_SCALE;
	p->display_total = p->out->quote.total;
	if (in->display_currency == NULL || in->rates == NULL ||
	    strcmp(in->display_currency, ctx->currency) == 0)
		return;
	if (fx_convert(in->rates, p->out->quote.total, ctx->currency,
	    in->display_currency, FX_ROUND_HALF_UP, &c) == -1)
		return;
	p->display_currency = in->display_currency;
	p->fx_rate = c.rate;
	p->display_total = c.amount;
}

/* place_tx(), with the display figures computed from the total the
 * shopper reviewed (the order is refused when it is not the total). */
int
order_place(struct shop_ctx *ctx, const struct order_place_in *in,
    struct order_place_out *out, struct field_errors *errs)
{
	struct place	 p;
	int		 rc;

	memset(out, 0, sizeof(*out));
	out->short_line.left = -1;
	if (!key_valid(in->idem_key)) {
		field_errors_add(errs, "idem_key",
		    N_("This form is not valid any more: review your order "
		    "and place it again."));
		return SHOP_EINVAL;
	}
	memset(&p, 0, sizeof(p));
	p.in = in;
	p.out = out;
	p.errs = errs;
	out->quote.total = in->reviewed_total;
	display(ctx, &p);
	crypto_random_hex(out->access_key, ORDER_KEY_HEX / 2);
	rc = shop_tx_sales(ctx, place_tx, &p);
	if (rc == SHOP_EINVAL && strcmp(errs->v[0].field, "cart") == 0 &&
	    order_by_idem_key(ctx, in->idem_key, out) == SHOP_OK) {
		/* The cart went with the order this key placed before. */
		errs->n = 0;
		return SHOP_OK;
	}
	if (rc == SHOP_ECONFLICT) {
		/* The same key placed an order already, or meanwhile (a
		 * double click): that order. Not looked up before: the
		 * unique key is the check, a round trip less. */
		errs->n = 0;
		memset(out, 0, sizeof(*out));
		rc = order_by_idem_key(ctx, in->idem_key, out);
		return rc == SHOP_ENOTFOUND ? SHOP_EDB : rc;
	}
	return rc;
}
