/*
 * order.c: reading an order back (order.h). Placing one is
 * order_place.c's; its life afterwards is order_status.c's.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "db/db.h"
#include "shop/order.h"
#include "shop/shop.h"

static const char *const status_names[ORDER__MAX] = {
	"pending", "on-hold", "processing", "shipped", "completed",
	"cancelled"
};

static const char *const status_labels[ORDER__MAX] = {
	N_("Pending payment"), N_("On hold"), N_("Processing"),
	N_("Shipped"), N_("Completed"), N_("Cancelled")
};

const char *
order_status_name(enum order_status s)
{
	return (unsigned)s < ORDER__MAX ? status_names[s] : "pending";
}

const char *
order_status_label(enum order_status s)
{
	return (unsigned)s < ORDER__MAX ? status_labels[s] : status_labels[0];
}

int
order_status_parse(struct str s, enum order_status *out)
{
	int	i = str_index(s, status_names, ORDER__MAX);

	if (i < 0)
		return -1;
	*out = (enum order_status)i;
	return 0;
}

enum stmt {
	ST_BY_NUMBER,
	ST_BY_ID,
	ST_LOCK,
	ST_LINES,
	ST_EVENTS,
	ST__MAX
};

#define ORDER_COLS \
	"id, number, status, COALESCE(customer_id, 0), email, locale, " \
	"access_key, currency, prices_include_tax, subtotal, discount, " \
	"shipping, shipping_tax, tax, total, display_currency, fx_rate, " \
	"display_total, COALESCE(coupon_id, 0), coupon_code, " \
	"COALESCE(ship_method_id, 0), ship_kind, ship_method, " \
	"payment_method, " \
	"bill_name, bill_company, bill_line1, bill_line2, bill_city, " \
	"bill_region, bill_postcode, bill_country, bill_phone, " \
	"ship_name, ship_company, ship_line1, ship_line2, ship_city, " \
	"ship_region, ship_postcode, ship_country, ship_phone, " \
	"carrier, tracking_number, tracking_url, " \
	"DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), " \
	"COALESCE(DATE_FORMAT(paid_at, '%Y-%m-%d %H:%i:%s'), ''), " \
	"COALESCE(DATE_FORMAT(shipped_at, '%Y-%m-%d %H:%i:%s'), '')"

static const struct shop_sql sql[ST__MAX] = {
	[ST_BY_NUMBER] = { "order.by_number",
	    "SELECT " ORDER_COLS " FROM {p}orders WHERE number = ?" },
	[ST_BY_ID] = { "order.by_id",
	    "SELECT " ORDER_COLS " FROM {p}orders WHERE id = ?" },
	[ST_LOCK] = { "order.lock",
	    "SELECT " ORDER_COLS " FROM {p}orders WHERE number = ?"
	    " FOR UPDATE" },
	[ST_LINES] = { "order.lines",
	    "SELECT id, product_id, variant_id, sku, name, variant, qty,"
	    " unit_price, tax_class, tax_rate, subtotal, discount, tax, total"
	    " FROM {p}order_lines WHERE order_id = ? ORDER BY id LIMIT 1000" },
	[ST_EVENTS] = { "order.events",
	    "SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s'), actor,"
	    " COALESCE(staff_id, 0), actor_email, kind, from_status,"
	    " to_status, note"
	    " FROM {p}order_events WHERE order_id = ? ORDER BY id LIMIT 1000" },
};

static void
read_address(struct db_stmt *st, unsigned i, struct address *ad)
{
	ad->name = db_col_str(st, i);
	ad->company = db_col_str(st, i + 1);
	ad->line1 = db_col_str(st, i + 2);
	ad->line2 = db_col_str(st, i + 3);
	ad->city = db_col_str(st, i + 4);
	ad->region = db_col_str(st, i + 5);
	ad->postcode = db_col_str(st, i + 6);
	ad->country = db_col_str(st, i + 7);
	ad->phone = db_col_str(st, i + 8);
}

static void
read_order(struct db_stmt *st, struct order *o)
{
	enum order_status s = ORDER_PENDING;

	memset(o, 0, sizeof(*o));
	o->id = db_col_i64(st, 0);
	o->number = db_col_i64(st, 1);
	(void)order_status_parse(db_col_str(st, 2), &s);
	o->status = s;
	o->customer_id = db_col_i64(st, 3);
	o->email = db_col_str(st, 4);
	o->locale = db_col_str(st, 5);
	o->access_key = db_col_str(st, 6);
	o->currency = db_col_str(st, 7);
	o->prices_include_tax = db_col_i64(st, 8) != 0;
	o->subtotal = db_col_i64(st, 9);
	o->discount = db_col_i64(st, 10);
	o->shipping = db_col_i64(st, 11);
	o->shipping_tax = db_col_i64(st, 12);
	o->tax = db_col_i64(st, 13);
	o->total = db_col_i64(st, 14);
	o->display_currency = db_col_str(st, 15);
	o->fx_rate = db_col_i64(st, 16);
	o->display_total = db_col_i64(st, 17);
	o->coupon_id = db_col_i64(st, 18);
	o->coupon_code = db_col_str(st, 19);
	o->ship_method_id = db_col_i64(st, 20);
	o->ship_kind = db_col_str(st, 21);
	o->ship_method = db_col_str(st, 22);
	o->payment_method = db_col_str(st, 23);
	read_address(st, 24, &o->bill);
	read_address(st, 33, &o->ship);
	o->carrier = db_col_str(st, 42);
	o->tracking_number = db_col_str(st, 43);
	o->tracking_url = db_col_str(st, 44);
	o->created_at = db_col_str(st, 45);
	o->paid_at = db_col_str(st, 46);
	o->shipped_at = db_col_str(st, 47);
}

/* Runs q with id, reads the one order row into out. */
static int
one(struct shop_ctx *ctx, enum stmt q, int64_t id, struct order *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	rc = db_step(st);
	if (rc == 1)
		read_order(st, out);
	db_done(st);
	return rc == 1 ? SHOP_OK : rc == 0 ? SHOP_ENOTFOUND : SHOP_EDB;
}

static int
lines(struct shop_ctx *ctx, struct order *o)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LINES]);
	size_t		 cap = 0;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, o->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		struct order_line *l;

		o->lines = shop_grow(ctx->a, o->lines, sizeof(*l), o->nlines, &cap);
		l = &o->lines[o->nlines++];
		l->id = db_col_i64(st, 0);
		l->product_id = db_col_i64(st, 1);
		l->variant_id = db_col_i64(st, 2);
		l->sku = db_col_str(st, 3);
		l->name = db_col_str(st, 4);
		l->variant = db_col_str(st, 5);
		l->qty = db_col_i64(st, 6);
		l->unit_price = db_col_i64(st, 7);
		l->tax_class = db_col_str(st, 8);
		l->tax_rate = (int32_t)db_col_i64(st, 9);
		l->subtotal = db_col_i64(st, 10);
		l->discount = db_col_i64(st, 11);
		l->tax = db_col_i64(st, 12);
		l->total = db_col_i64(st, 13);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
events(struct shop_ctx *ctx, struct order *o)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_EVENTS]);
	size_t		 cap = 0;
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, o->id);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	while ((rc = db_step(st)) == 1) {
		struct order_event	*e;
		struct str		 actor, kind;

		o->events = shop_grow(ctx->a, o->events, sizeof(*e), o->nevents,
		    &cap);
		e = &o->events[o->nevents++];
		e->id = db_col_i64(st, 0);
		e->at = db_col_str(st, 1);
		actor = db_col_str(st, 2);
		e->actor = str_eqc(actor, "staff") ? ORDER_BY_STAFF :
		    str_eqc(actor, "system") ? ORDER_BY_SYSTEM :
		    ORDER_BY_SHOPPER;
		e->staff_id = db_col_i64(st, 3);
		e->actor_email = db_col_str(st, 4);
		kind = db_col_str(st, 5);
		e->kind = str_eqc(kind, "note") ? ORDER_EV_NOTE :
		    str_eqc(kind, "private_note") ? ORDER_EV_PRIVATE :
		    ORDER_EV_STATUS;
		e->from_status = db_col_str(st, 6);
		e->to_status = db_col_str(st, 7);
		e->note = db_col_str(st, 8);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
get(struct shop_ctx *ctx, enum stmt q, int64_t key, int with_events,
    struct order *out)
{
	int	rc;

	if (key <= 0)
		return SHOP_ENOTFOUND;
	if ((rc = one(ctx, q, key, out)) != SHOP_OK)
		return rc;
	if ((rc = lines(ctx, out)) != SHOP_OK)
		return rc;
	return with_events ? events(ctx, out) : SHOP_OK;
}

int
order_get(struct shop_ctx *ctx, int64_t number, int with_events,
    struct order *out)
{
	return get(ctx, ST_BY_NUMBER, number, with_events, out);
}

int
order_get_by_id(struct shop_ctx *ctx, int64_t id, int with_events,
    struct order *out)
{
	return get(ctx, ST_BY_ID, id, with_events, out);
}

int
order_lock(struct shop_ctx *ctx, int64_t number, struct order *out)
{
	if (number <= 0)
		return SHOP_ENOTFOUND;
	return one(ctx, ST_LOCK, number, out);
}
