/* wc_json.c: orders and customers in WooCommerce REST API v3's JSON
 * (see wc_json.h). */
#include "core/common.h"

#include <time.h>
#include "core/money.h"
#include "core/strbuf.h"
#include "core/tz.h"
#include "db/db.h"
#include "shop/shop.h"
#include "shop/wc_json.h"

enum stmt {
	ST_PAYING,
	ST_EXTRA,
	ST_REFUND_LINES,
	ST__MAX
};

static const struct shop_sql sql[ST__MAX] = {
	[ST_PAYING] = { "wc_json.paying",
	    "SELECT 1 FROM {p}orders WHERE customer_id = ?"
	    " AND paid_at IS NOT NULL LIMIT 1" },
	/* What sql/shop/016 added (order.h does not read it). */
	[ST_EXTRA] = { "wc_json.extra",
	    "SELECT customer_note, created_via FROM {p}orders WHERE id = ?" },
	[ST_REFUND_LINES] = { "wc_json.refund_lines",
	    "SELECT order_line_id, qty, amount, tax FROM {p}refund_lines"
	    " WHERE refund_id = ? ORDER BY order_line_id LIMIT 1000" },
};

static json_object *
jstr(struct str s)
{
	return json_object_new_string_len(s.p ? s.p : "", (int)s.len);
}

static void
put(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

static void
put_str(json_object *o, const char *k, struct str v)
{
	put(o, k, jstr(v));
}

static void
put_cstr(json_object *o, const char *k, const char *v)
{
	put(o, k, json_object_new_string(v));
}

static void
put_i64(json_object *o, const char *k, int64_t v)
{
	put(o, k, json_object_new_int64(v));
}

/* minor units of code as WooCommerce's decimal string. */
static void
put_money(json_object *o, const char *k, int64_t v, const char *code)
{
	char	buf[MONEY_PLAIN_MAX];

	if (money_format_plain(v, code, buf, sizeof(buf)) < 0)
		buf[0] = '\0';	/* an unknown currency: never stored */
	put_cstr(o, k, buf);
}

/* "YYYY-MM-DD HH:MM:SS" UTC as WooCommerce's date and date_gmt pair;
 * null both when s is empty (not paid, not completed). */
static void
put_date(json_object *o, const char *k, struct str s, const char *tz)
{
	char		 gmt[32], local[TZ_LOCAL_LEN], key[48];
	struct tm	 tm;
	time_t		 t;
	int		 n;

	n = snprintf(key, sizeof(key), "%s_gmt", k);
	if (n < 0 || (size_t)n >= sizeof(key))
		return;
	memset(&tm, 0, sizeof(tm));
	if (s.len != 19 || sscanf(s.p, "%4d-%2d-%2d %2d:%2d:%2d",
	    &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec) != 6) {
		put(o, k, NULL);
		put(o, key, NULL);
		return;
	}
	memcpy(gmt, s.p, 19);
	gmt[10] = 'T';
	gmt[19] = '\0';
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (tz == NULL || tz_local(tz, t, local) == -1)
		memcpy(local, gmt, 20);
	local[10] = 'T';
	put_cstr(o, k, local);
	put_cstr(o, key, gmt);
}

/* a * num / den, rounded half away from zero. */
static int64_t
muldiv(int64_t a, int64_t num, int64_t den)
{
	__int128 p = (__int128)a * num;
	__int128 q = p / den, r = p % den;

	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += p < 0 ? -1 : 1;
	return (int64_t)q;
}

/* The first word of a name and the rest. */
static void
split_name(struct str name, struct str *first, struct str *last)
{
	size_t i;

	for (i = 0; i < name.len && name.p[i] != ' '; i++)
		;
	*first = (struct str){ name.p, i };
	while (i < name.len && name.p[i] == ' ')
		i++;
	*last = (struct str){ name.p + i, name.len - i };
}

/* An address in WooCommerce's shape; email (billing only: NULL
 * otherwise); a is NULL for none. */
static json_object *
address(const struct address *a, const struct str *email)
{
	json_object	*o = json_object_new_object();
	struct address	 none;
	struct str	 first, last;

	if (a == NULL) {
		memset(&none, 0, sizeof(none));
		a = &none;
	}
	split_name(a->name, &first, &last);
	put_str(o, "first_name", first);
	put_str(o, "last_name", last);
	put_str(o, "company", a->company);
	put_str(o, "address_1", a->line1);
	put_str(o, "address_2", a->line2);
	put_str(o, "city", a->city);
	put_str(o, "state", a->region);
	put_str(o, "postcode", a->postcode);
	put_str(o, "country", a->country);
	if (email != NULL)
		put_str(o, "email", *email);
	put_str(o, "phone", a->phone);
	return o;
}

/* The order's currency code, NUL-terminated, into buf. */
static void
currency(const struct order *o, char buf[8])
{
	size_t n = o->currency.len < 7 ? o->currency.len : 7;

	memcpy(buf, o->currency.p ? o->currency.p : "", n);
	buf[n] = '\0';
}

static const char *
tax_class(struct str c)
{
	if (str_eq(c, STR("reduced")))
		return "reduced-rate";
	if (str_eq(c, STR("zero")))
		return "zero-rate";
	return "";
}

const char *
wc_json_status(const struct order *o, int64_t refunded)
{
	if (o->total > 0 && refunded >= o->total)
		return "refunded";
	switch (o->status) {
	case ORDER_PENDING:	return "pending";
	case ORDER_ON_HOLD:	return "on-hold";
	case ORDER_PROCESSING:	return "processing";
	case ORDER_SHIPPED:	/* FALLTHROUGH: see wc_json.h */
	case ORDER_COMPLETED:	return "completed";
	case ORDER_CANCELLED:	return "cancelled";
	case ORDER__MAX:	break;
	}
	return "pending";
}

/* A line's amounts without tax, as WooCommerce keeps them. */
struct line_ex {
	int64_t	subtotal, subtotal_tax, total, total_tax;
};

static void
line_ex(const struct order *o, const struct order_line *l,
    struct line_ex *x)
{
	int64_t net = l->subtotal - l->discount;

	x->total_tax = l->tax;
	if (o->prices_include_tax) {
		x->subtotal_tax = muldiv(l->subtotal, l->tax_rate,
		    1000000 + (int64_t)l->tax_rate);
		x->subtotal = l->subtotal - x->subtotal_tax;
		x->total = net - l->tax;
	} else {
		x->subtotal_tax = muldiv(l->subtotal, l->tax_rate, 1000000);
		x->subtotal = l->subtotal;
		x->total = net;
	}
}

static json_object *
line_item(const struct order *o, const struct order_line *l)
{
	json_object	*it = json_object_new_object(), *taxes, *tx;
	struct line_ex	 x;
	char		 price[MONEY_PLAIN_MAX], cur[8];

	currency(o, cur);
	line_ex(o, l, &x);
	put_i64(it, "id", l->id);
	if (l->variant.len > 0) {
		/* WooCommerce names a variation "Product - M, Blue". */
		struct strbuf sb = STRBUF_INIT;

		strbuf_add(&sb, l->name.p, l->name.len);
		strbuf_addstr(&sb, " - ");
		strbuf_add(&sb, l->variant.p, l->variant.len);
		put_cstr(it, "name", sb.buf);
		strbuf_release(&sb);
	} else
		put_str(it, "name", l->name);
	put_i64(it, "product_id", l->product_id);
	put_i64(it, "variation_id", l->variant_id);
	put_i64(it, "quantity", l->qty);
	put_cstr(it, "tax_class", tax_class(l->tax_class));
	put_money(it, "subtotal", x.subtotal, cur);
	put_money(it, "subtotal_tax", x.subtotal_tax, cur);
	put_money(it, "total", x.total, cur);
	put_money(it, "total_tax", x.total_tax, cur);
	taxes = json_object_new_array();
	if (l->tax != 0 || x.subtotal_tax != 0) {
		/* souk's rates have no ids of their own: the line's rate
		 * is the only one, id 0. */
		tx = json_object_new_object();
		put_i64(tx, "id", 0);
		put_money(tx, "total", x.total_tax, cur);
		put_money(tx, "subtotal", x.subtotal_tax, cur);
		json_object_array_add(taxes, tx);
	}
	put(it, "taxes", taxes);
	put(it, "meta_data", json_object_new_array());
	put_str(it, "sku", l->sku);
	/* WooCommerce's price is a number: the line's total per unit. */
	if (l->qty > 0 && money_format_plain(muldiv(x.total, 1, l->qty),
	    cur, price, sizeof(price)) >= 0)
		put(it, "price", json_object_new_double_s(strtod(price, NULL),
		    price));
	else
		put(it, "price", json_object_new_int(0));
	put(it, "parent_name", l->variant.len > 0 ? jstr(l->name) : NULL);
	return it;
}

static void
put_events(json_object *o, const struct order *ord, const char *tz)
{
	struct str	modified = ord->created_at, completed = { "", 0 };
	size_t		i;

	for (i = 0; i < ord->nevents; i++) {
		const struct order_event *e = &ord->events[i];

		modified = e->at;
		if (e->kind == ORDER_EV_STATUS &&
		    (str_eq(e->to_status, STR("shipped")) ||
		    str_eq(e->to_status, STR("completed"))) &&
		    completed.len == 0)
			completed = e->at;
	}
	put_date(o, "date_modified", modified, tz);
	put_date(o, "date_completed", completed, tz);
}

json_object *
wc_json_order(const struct order *o, const struct refund *r, size_t nr,
    const char *tz)
{
	json_object	*j = json_object_new_object(), *arr, *x;
	char		 cur[8];
	int64_t		 refunded = 0, disc = 0, disc_tax = 0, cart_tax = 0;
	char		 num[24];
	size_t		 i;
	int		 n;

	currency(o, cur);
	for (i = 0; i < nr; i++)
		if (r[i].status == REFUND_SUCCEEDED)
			refunded += r[i].amount;
	for (i = 0; i < o->nlines; i++) {
		struct line_ex lx;

		line_ex(o, &o->lines[i], &lx);
		disc += lx.subtotal - lx.total;
		disc_tax += lx.subtotal_tax - lx.total_tax;
		cart_tax += lx.total_tax;
	}
	n = snprintf(num, sizeof(num), "%lld", (long long)o->number);
	if (n < 0 || (size_t)n >= sizeof(num))
		num[0] = '\0';
	put_i64(j, "id", o->id);
	put_i64(j, "parent_id", 0);
	put_cstr(j, "number", num);
	put_str(j, "order_key", o->access_key);
	put_cstr(j, "created_via", "checkout");
	put_cstr(j, "version", "");
	put_cstr(j, "status", wc_json_status(o, refunded));
	put_str(j, "currency", o->currency);
	put_date(j, "date_created", o->created_at, tz);
	put_events(j, o, tz);
	put_money(j, "discount_total", disc, cur);
	put_money(j, "discount_tax", disc_tax, cur);
	put_money(j, "shipping_total", o->prices_include_tax ?
	    o->shipping - o->shipping_tax : o->shipping, cur);
	put_money(j, "shipping_tax", o->shipping_tax, cur);
	put_money(j, "cart_tax", cart_tax, cur);
	put_money(j, "total", o->total, cur);
	put_money(j, "total_tax", o->tax, cur);
	put(j, "prices_include_tax",
	    json_object_new_boolean(o->prices_include_tax != 0));
	put_i64(j, "customer_id", o->customer_id);
	put_cstr(j, "customer_ip_address", "");
	put_cstr(j, "customer_user_agent", "");
	put_cstr(j, "customer_note", "");
	put(j, "billing", address(&o->bill, &o->email));
	put(j, "shipping", address(&o->ship, NULL));
	put_str(j, "payment_method", o->payment_method);
	/* The code, not a translated label: the same in every language. */
	put_str(j, "payment_method_title", o->payment_method);
	put_cstr(j, "transaction_id", "");
	put_date(j, "date_paid", o->paid_at, tz);
	put_cstr(j, "cart_hash", "");
	put(j, "meta_data", json_object_new_array());
	arr = json_object_new_array();
	for (i = 0; i < o->nlines; i++)
		json_object_array_add(arr, line_item(o, &o->lines[i]));
	put(j, "line_items", arr);
	arr = json_object_new_array();
	if (o->tax != 0) {
		x = json_object_new_object();
		put_i64(x, "id", 0);
		put_cstr(x, "rate_code", "");
		put_i64(x, "rate_id", 0);
		put_cstr(x, "label", "");
		put(x, "compound", json_object_new_boolean(0));
		put_money(x, "tax_total", cart_tax, cur);
		put_money(x, "shipping_tax_total", o->shipping_tax, cur);
		put(x, "meta_data", json_object_new_array());
		json_object_array_add(arr, x);
	}
	put(j, "tax_lines", arr);
	arr = json_object_new_array();
	if (o->ship_kind.len > 0) {
		x = json_object_new_object();
		put_i64(x, "id", o->ship_method_id);
		put_str(x, "method_title", o->ship_method);
		put_str(x, "method_id", o->ship_kind);
		put_money(x, "total", o->prices_include_tax ?
		    o->shipping - o->shipping_tax : o->shipping, cur);
		put_money(x, "total_tax", o->shipping_tax, cur);
		put(x, "taxes", json_object_new_array());
		put(x, "meta_data", json_object_new_array());
		json_object_array_add(arr, x);
	}
	put(j, "shipping_lines", arr);
	put(j, "fee_lines", json_object_new_array());
	arr = json_object_new_array();
	if (o->coupon_code.len > 0) {
		x = json_object_new_object();
		put_i64(x, "id", o->coupon_id);
		put_str(x, "code", o->coupon_code);
		put_money(x, "discount", disc, cur);
		put_money(x, "discount_tax", disc_tax, cur);
		put(x, "meta_data", json_object_new_array());
		json_object_array_add(arr, x);
	}
	put(j, "coupon_lines", arr);
	arr = json_object_new_array();
	for (i = 0; i < nr; i++) {
		if (r[i].status != REFUND_SUCCEEDED)
			continue;
		x = json_object_new_object();
		put_i64(x, "id", r[i].id);
		put_str(x, "reason", r[i].reason);
		/* WooCommerce lists refunds as negative totals. */
		put_money(x, "total", -r[i].amount, cur);
		json_object_array_add(arr, x);
	}
	put(j, "refunds", arr);
	put_cstr(j, "currency_symbol", "");
	return j;
}

json_object *
wc_json_customer(const struct customer *c, const struct address *bill,
    const struct address *ship, int paying, const char *tz)
{
	json_object	*j = json_object_new_object();
	struct str	 first, last;

	split_name(c->name, &first, &last);
	put_i64(j, "id", c->id);
	put_date(j, "date_created", c->created_at, tz);
	/* souk does not keep when an account changed. */
	put(j, "date_modified", NULL);
	put(j, "date_modified_gmt", NULL);
	put_str(j, "email", c->email);
	put_str(j, "first_name", first);
	put_str(j, "last_name", last);
	put_cstr(j, "role", "customer");
	/* Shoppers sign in with their e-mail address: no user name. */
	put_cstr(j, "username", "");
	put(j, "billing", address(bill, &c->email));
	put(j, "shipping", address(ship, NULL));
	put(j, "is_paying_customer", json_object_new_boolean(paying != 0));
	put_cstr(j, "avatar_url", "");
	put(j, "meta_data", json_object_new_array());
	return j;
}

/* customer_note and created_via from the order's row into j. */
static int
extra(struct shop_ctx *ctx, int64_t id, json_object *j)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_EXTRA]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	if ((rc = db_step(st)) == 1) {
		put_str(j, "customer_note", db_col_str(st, 0));
		put_str(j, "created_via", db_col_str(st, 1));
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

json_object *
wc_json_note(const struct order_event *e, const char *tz)
{
	json_object *j = json_object_new_object();

	put_i64(j, "id", e->id);
	/* WooCommerce names the user who wrote it, or "system". */
	if (e->actor == ORDER_BY_STAFF && e->actor_email.len > 0)
		put_str(j, "author", e->actor_email);
	else
		put_cstr(j, "author", e->actor == ORDER_BY_SHOPPER ?
		    "customer" : "system");
	put_date(j, "date_created", e->at, tz);
	put_str(j, "note", e->note);
	put(j, "customer_note", json_object_new_boolean(
	    e->kind == ORDER_EV_NOTE));
	return j;
}

int
wc_json_refund_lines(struct shop_ctx *ctx, int64_t refund_id,
    struct refund_line_view **out, size_t *n)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_REFUND_LINES]);
	size_t		 cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, refund_id);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	while ((rc = db_step(st)) == 1) {
		struct refund_line_view *l;

		*out = shop_grow(ctx->a, *out, sizeof(**out), *n, &cap);
		l = &(*out)[(*n)++];
		l->order_line_id = db_col_i64(st, 0);
		l->qty = db_col_i64(st, 1);
		l->amount = db_col_i64(st, 2);
		l->tax = db_col_i64(st, 3);
	}
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

json_object *
wc_json_refund(const struct order *o, const struct refund *r,
    const struct refund_line_view *lines, size_t nlines, const char *tz)
{
	json_object	*j = json_object_new_object(), *arr, *it;
	char		 cur[8];
	size_t		 i;

	currency(o, cur);
	put_i64(j, "id", r->id);
	put_date(j, "date_created", r->created_at, tz);
	put_money(j, "amount", r->amount, cur);
	put_str(j, "reason", r->reason);
	/* The staff member who made it; 0 when the API or the system
	 * did (souk keeps no user for a key). */
	put_i64(j, "refunded_by", r->staff_id);
	/* souk refunds through the gateway that took the payment
	 * (refund_issue.h): every online refund is one. */
	put(j, "refunded_payment", json_object_new_boolean(
	    r->gateway.len > 0 && r->status == REFUND_SUCCEEDED));
	put(j, "meta_data", json_object_new_array());
	arr = json_object_new_array();
	for (i = 0; i < nlines; i++) {
		const struct order_line *l = NULL;
		size_t k;

		for (k = 0; k < o->nlines; k++)
			if (o->lines[k].id == lines[i].order_line_id)
				l = &o->lines[k];
		if (l == NULL)
			continue;
		it = json_object_new_object();
		put_i64(it, "id", l->id);
		put_str(it, "name", l->name);
		put_i64(it, "product_id", l->product_id);
		put_i64(it, "variation_id", l->variant_id);
		/* WooCommerce's refund lines are negative. */
		put_i64(it, "quantity", -lines[i].qty);
		put_cstr(it, "tax_class", tax_class(l->tax_class));
		put_money(it, "subtotal", -(lines[i].amount - lines[i].tax),
		    cur);
		put_money(it, "subtotal_tax", -lines[i].tax, cur);
		put_money(it, "total", -(lines[i].amount - lines[i].tax), cur);
		put_money(it, "total_tax", -lines[i].tax, cur);
		put(it, "taxes", json_object_new_array());
		put(it, "meta_data", json_object_new_array());
		put_str(it, "sku", l->sku);
		put(it, "price", json_object_new_int(0));
		json_object_array_add(arr, it);
	}
	put(j, "line_items", arr);
	return j;
}

int
wc_json_order_load(struct shop_ctx *ctx, int64_t id, json_object **out)
{
	struct order	 o;
	struct refund	*r = NULL;
	size_t		 nr = 0;
	int		 rc;

	*out = NULL;
	if ((rc = order_get_by_id(ctx, id, 1, &o)) != SHOP_OK)
		return rc;
	if ((rc = refund_list(ctx, o.id, &r, &nr)) != SHOP_OK)
		return rc;
	*out = wc_json_order(&o, r, nr, ctx->time_zone);
	if ((rc = extra(ctx, o.id, *out)) != SHOP_OK) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

int
wc_json_customer_load(struct shop_ctx *ctx, int64_t id, json_object **out)
{
	struct customer		 c;
	struct customer_address	*ads = NULL;
	const struct address	*def = NULL;
	size_t			 n = 0;
	int			 rc, paying;

	*out = NULL;
	if ((rc = customer_get(ctx, id, &c)) != SHOP_OK)
		return rc;
	if ((rc = customer_addresses(ctx, id, &ads, &n)) != SHOP_OK)
		return rc;
	if (n > 0 && ads[0].is_default)
		def = &ads[0].a;
	if ((paying = shop_row_exists(ctx, &sql[ST_PAYING], id)) == -1)
		return SHOP_EDB;
	*out = wc_json_customer(&c, def, def, paying, ctx->time_zone);
	return SHOP_OK;
}

void
wc_json_date(json_object *o, const char *k, struct str utc, const char *tz)
{
	put_date(o, k, utc, tz);
}
