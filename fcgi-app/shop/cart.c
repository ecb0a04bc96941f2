/* cart.c: a shopper's cart (see cart.h). */
#include "core/common.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "db/db.h"
#include "shop/cart.h"
#include "shop/sale.h"
#include "shop/shop.h"


enum stmt {
	ST_BY_TOKEN,
	ST_BY_CUSTOMER,
	ST_INSERT,
	ST_ADOPT,
	ST_MERGE_ITEMS,
	ST_MERGE_COUPON,
	ST_CAP,
	ST_DROP,
	ST_HEAD,
	ST_HEAD_BY_TOKEN,
	ST_HEAD_BY_CUSTOMER,
	ST_WHOLE,
	ST_WHOLE_BY_TOKEN,
	ST_WHOLE_BY_CUSTOMER,
	ST_COUNT,
	ST_COUNT_BY_TOKEN,
	ST_COUNT_BY_CUSTOMER,
	ST_CHECK,
	ST_ADD_ITEM,
	ST_ADD_FIRST,
	ST_ADD_VARIANT_BY_TOKEN,
	ST_ADD_VARIANT_BY_CUSTOMER,
	ST_ADD_PLAIN_BY_TOKEN,
	ST_ADD_PLAIN_BY_CUSTOMER,
	ST_SET_QTY,
	ST_REMOVE,
	ST_TOUCH,
	ST_COUPON,
	ST_CHECKOUT,
	ST_PURGE_ITEMS,
	ST_PURGE_CARTS,
	ST_LINE_OF,
	ST__MAX
};

/* A number constant of cart.h inside a statement's text. */
#define STRINGIFY_(x)	#x
#define STRINGIFY(x)	STRINGIFY_(x)

/* The stock of a line: the variant's when it has one. */
#define LINE_STOCK "IF(i.variant_id = 0, p.stock, COALESCE(v.stock, 0))"

/*
 * The add of ST_ADD_*_BY_*, one INSERT ... SELECT that adds nothing
 * when a rule fails: the product active, the variant the product's (or
 * none when it has none), the cart's quantity of the line within stock
 * and CART_QTY_MAX, and a new line only under CART_LINES_MAX lines.
 * Two forms, each with the fewest tables and subqueries its case needs
 * (MariaDB optimizes a prepared statement at every execution, and the
 * optimizing was most of an add's time in the server):
 *  ADD_VARIANT: parameters the quantity, the product, the cart's owner
 *   (where), the variant, the quantity.
 *  ADD_PLAIN (a product without variants): the quantity, the product,
 *   the owner, the quantity.
 * The line already there is joined by its primary key; no derived
 * table: each costs a temporary table a call. An INSERT ... SELECT
 * takes shared locks on what it reads (repeatable read): cart_add()
 * runs it again when it is chosen as a deadlock's victim.
 */
#define ADD_HEAD(variant, where) \
	"INSERT INTO {p}cart_items (cart_id, product_id, variant_id, qty)" \
	" SELECT c.id, p.id, " variant ", ? FROM {p}products p" \
	" JOIN {p}carts c ON p.id = ? AND " where
#define ADD_TAIL(variant, stock) \
	" LEFT JOIN {p}cart_items i ON i.cart_id = c.id" \
	" AND i.product_id = p.id AND i.variant_id = " variant \
	" WHERE p.status = 'active'" \
	" AND ? + COALESCE(i.qty, 0) <= LEAST(" stock ", " \
	STRINGIFY(CART_QTY_MAX) ")" \
	" AND (i.qty IS NOT NULL OR (SELECT COUNT(*) FROM {p}cart_items n" \
	" WHERE n.cart_id = c.id) < " STRINGIFY(CART_LINES_MAX) ")" \
	" ON DUPLICATE KEY UPDATE {p}cart_items.qty =" \
	" LEAST({p}cart_items.qty + VALUES(qty), " \
	STRINGIFY(CART_QTY_MAX) "), {p}cart_items.added_at = NOW()"
#define ADD_VARIANT(where) \
	ADD_HEAD("v.id", where) \
	" JOIN {p}variants v ON v.id = ? AND v.product_id = p.id" \
	ADD_TAIL("v.id", "v.stock")
#define ADD_PLAIN(where) \
	ADD_HEAD("0", where) \
	" AND NOT EXISTS (SELECT 1 FROM {p}variants x" \
	" WHERE x.product_id = p.id)" \
	ADD_TAIL("0", "p.stock")

/* The columns of a line (read_line()). */
#define LINE_COLS \
	"i.product_id, i.variant_id, i.qty, p.slug," \
	" COALESCE(t.name, d.name, p.slug), COALESCE(v.name, '')," \
	" IF(COALESCE(v.sku, '') = '', p.sku, v.sku), p.image," \
	" " SALE_LINE_PRICE ", " LINE_STOCK "," \
	" COALESCE(v.weight_g, p.weight_g), COALESCE(p.category_id, 0)," \
	" p.tax_class, p.status = 'active' AND" \
	" (i.variant_id = 0 OR v.id IS NOT NULL)"
/* A line's product, variant and texts (t: the shopper's language, d:
 * the shop's). */
#define LINE_JOINS \
	" LEFT JOIN {p}variants v ON v.id = i.variant_id" \
	" AND v.product_id = i.product_id" \
	" LEFT JOIN {p}product_texts t" \
	" ON t.product_id = p.id AND t.locale = ?" \
	" LEFT JOIN {p}product_texts d" \
	" ON d.product_id = p.id AND d.locale = ?"
/*
 * No ORDER BY: sorting a LEFT JOIN's rows made MariaDB build a
 * temporary table, on disk because of the checkout's TEXT column (a
 * file created and removed per read: a fifth of the server's time in
 * place order). whole() sorts the lines (line_cmp()); the LIMIT only
 * bounds what a read can cost.
 */
#define LINE_LIMIT " LIMIT 101"
_Static_assert(CART_LINES_MAX + 1 == 101, "LINE_LIMIT reads one line more");

/* Which cart a read is of: by id, or straight by its owner (a guest's
 * token, a customer without one) to save the lookup of its id. */
#define BY_ID		"c.id = ?"
#define BY_TOKEN	"c.token_hash = ? AND c.customer_id IS NULL"
#define BY_CUSTOMER	"c.customer_id = ?"

/* The cart's row: coupon, checkout, id. */
#define HEAD(where) \
	"SELECT c.coupon_code, COALESCE(c.checkout, ''), c.id" \
	" FROM {p}carts c WHERE " where
/* The cart's row and its lines in one round trip: one row with NULL
 * lines when it has none, none when there is no such cart; its id
 * last. */
#define WHOLE(where) \
	"SELECT c.coupon_code, COALESCE(c.checkout, '')," \
	" i.product_id IS NOT NULL, " LINE_COLS ", c.id," \
	" COALESCE(TO_SECONDS(i.added_at), 0)" \
	" FROM {p}carts c LEFT JOIN ({p}cart_items i JOIN {p}products p" \
	" ON p.id = i.product_id) ON i.cart_id = c.id" \
	LINE_JOINS " WHERE " where LINE_LIMIT
#define COUNT(where) \
	"SELECT COALESCE(SUM(i.qty), 0) FROM {p}carts c" \
	" JOIN {p}cart_items i ON i.cart_id = c.id WHERE " where

static const struct shop_sql sql[ST__MAX] = {
	/* A line without a cart (cart_line_read()): the same columns
	 * from a derived row; last, whether the product has variants. */
	[ST_LINE_OF] = { "cart.line_of",
	    "SELECT " LINE_COLS ", EXISTS (SELECT 1 FROM {p}variants x"
	    " WHERE x.product_id = p.id)"
	    " FROM (SELECT ? AS product_id, ? AS variant_id, ? AS qty) i"
	    " JOIN {p}products p ON p.id = i.product_id" LINE_JOINS },
	[ST_BY_TOKEN] = { "cart.by_token",
	    "SELECT id FROM {p}carts WHERE token_hash = ?"
	    " AND customer_id IS NULL" },
	[ST_BY_CUSTOMER] = { "cart.by_customer",
	    "SELECT id FROM {p}carts WHERE customer_id = ?" },
	[ST_INSERT] = { "cart.insert",
	    "INSERT INTO {p}carts (token_hash, customer_id) VALUES (?, ?)" },
	[ST_ADOPT] = { "cart.adopt",
	    "UPDATE {p}carts SET customer_id = ?, token_hash = NULL"
	    " WHERE id = ?" },
	/* The derived table keeps the insert's and the select's columns
	 * apart (both read cart_items). */
	[ST_MERGE_ITEMS] = { "cart.merge_items",
	    "INSERT INTO {p}cart_items (cart_id, product_id, variant_id, qty)"
	    " SELECT ?, s.pid, s.vid, s.q FROM (SELECT product_id pid,"
	    " variant_id vid, qty q FROM {p}cart_items WHERE cart_id = ?) s"
	    " ON DUPLICATE KEY UPDATE qty = LEAST(qty + VALUES(qty), 999)" },
	[ST_MERGE_COUPON] = { "cart.merge_coupon",
	    "UPDATE {p}carts SET coupon_code = ? WHERE id = ?"
	    " AND coupon_code = ''" },
	/* Capped by stock; a line out of stock keeps one, shown as such
	 * (the shopper decides). */
	[ST_CAP] = { "cart.cap",
	    "UPDATE {p}cart_items i JOIN {p}products p ON p.id = i.product_id"
	    " LEFT JOIN {p}variants v ON v.id = i.variant_id"
	    " SET i.qty = LEAST(i.qty, GREATEST(" LINE_STOCK ", 1))"
	    " WHERE i.cart_id = ?" },
	/* The cart and its lines, one statement. */
	[ST_DROP] = { "cart.drop",
	    "DELETE c, i FROM {p}carts c LEFT JOIN {p}cart_items i"
	    " ON i.cart_id = c.id WHERE c.id = ?" },
	[ST_HEAD] = { "cart.head", HEAD(BY_ID) },
	[ST_HEAD_BY_TOKEN] = { "cart.head_by_token", HEAD(BY_TOKEN) },
	[ST_HEAD_BY_CUSTOMER] = { "cart.head_by_customer", HEAD(BY_CUSTOMER) },
	[ST_WHOLE] = { "cart.whole", WHOLE(BY_ID) },
	[ST_WHOLE_BY_TOKEN] = { "cart.whole_by_token", WHOLE(BY_TOKEN) },
	[ST_WHOLE_BY_CUSTOMER] = { "cart.whole_by_customer",
	    WHOLE(BY_CUSTOMER) },
	[ST_COUNT] = { "cart.count", COUNT(BY_ID) },
	[ST_COUNT_BY_TOKEN] = { "cart.count_by_token", COUNT(BY_TOKEN) },
	[ST_COUNT_BY_CUSTOMER] = { "cart.count_by_customer",
	    COUNT(BY_CUSTOMER) },
	/* Everything an add or a change checks, in one round trip. */
	[ST_CHECK] = { "cart.check",
	    "SELECT p.status = 'active', p.stock,"
	    " (SELECT COUNT(*) FROM {p}variants x WHERE x.product_id = p.id),"
	    " v.id IS NOT NULL, COALESCE(v.stock, 0),"
	    " COALESCE((SELECT i.qty FROM {p}cart_items i WHERE i.cart_id = ?"
	    " AND i.product_id = p.id AND i.variant_id = ?), 0),"
	    " (SELECT COUNT(*) FROM {p}cart_items c WHERE c.cart_id = ?),"
	    " COALESCE(t.name, d.name, p.slug), COALESCE(v.name, '')"
	    " FROM {p}products p"
	    " LEFT JOIN {p}variants v ON v.id = ? AND v.product_id = p.id"
	    " LEFT JOIN {p}product_texts t"
	    " ON t.product_id = p.id AND t.locale = ?"
	    " LEFT JOIN {p}product_texts d"
	    " ON d.product_id = p.id AND d.locale = ?"
	    " WHERE p.id = ?" },
	/* An add is one statement, one commit: the line's added_at says
	 * the cart is in use (the purge reads it), so the cart's row is
	 * not touched. */
	[ST_ADD_ITEM] = { "cart.add_item",
	    "INSERT INTO {p}cart_items (cart_id, product_id, variant_id, qty)"
	    " VALUES (?, ?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE qty = LEAST(qty + VALUES(qty), 999),"
	    " added_at = NOW()" },
	/* An add to an existing cart in one round trip: the line goes in
	 * only when ST_CHECK's rules hold (product active, the variant
	 * right for it, the cart's quantity of the line within stock and
	 * CART_QTY_MAX, at most CART_LINES_MAX lines); no row affected
	 * sends cart_add() to the statements that say which one failed. */
	/* The first line of a cart this transaction made: nothing of
	 * cart_items to read (and lock: new carts' ids are all at the
	 * end of its index, where concurrent first adds would deadlock). */
	[ST_ADD_FIRST] = { "cart.add_first",
	    "INSERT INTO {p}cart_items (cart_id, product_id, variant_id, qty)"
	    " SELECT ?, p.id, a.vid, a.q FROM (SELECT ? pid, ? vid, ? q) a"
	    " JOIN {p}products p ON p.id = a.pid AND p.status = 'active'"
	    " LEFT JOIN {p}variants v ON v.id = a.vid AND v.product_id = p.id"
	    " WHERE IF(a.vid = 0, NOT EXISTS (SELECT 1 FROM {p}variants x"
	    " WHERE x.product_id = p.id), v.id IS NOT NULL)"
	    " AND a.q <= LEAST(IF(a.vid = 0, p.stock, v.stock), "
	    STRINGIFY(CART_QTY_MAX) ")" },
	[ST_ADD_VARIANT_BY_TOKEN] = { "cart.add_variant_by_token",
	    ADD_VARIANT(BY_TOKEN) },
	[ST_ADD_VARIANT_BY_CUSTOMER] = { "cart.add_variant_by_customer",
	    ADD_VARIANT(BY_CUSTOMER) },
	[ST_ADD_PLAIN_BY_TOKEN] = { "cart.add_plain_by_token",
	    ADD_PLAIN(BY_TOKEN) },
	[ST_ADD_PLAIN_BY_CUSTOMER] = { "cart.add_plain_by_customer",
	    ADD_PLAIN(BY_CUSTOMER) },
	[ST_SET_QTY] = { "cart.set_qty",
	    "UPDATE {p}cart_items SET qty = ? WHERE cart_id = ?"
	    " AND product_id = ? AND variant_id = ?" },
	[ST_REMOVE] = { "cart.remove",
	    "DELETE FROM {p}cart_items WHERE cart_id = ?"
	    " AND product_id = ? AND variant_id = ?" },
	[ST_TOUCH] = { "cart.touch",
	    "UPDATE {p}carts SET updated_at = NOW() WHERE id = ?" },
	[ST_COUPON] = { "cart.coupon",
	    "UPDATE {p}carts SET coupon_code = ? WHERE id = ?" },
	[ST_CHECKOUT] = { "cart.checkout",
	    "UPDATE {p}carts SET checkout = ? WHERE id = ?" },
	/* A cart is in use when it or one of its lines changed lately;
	 * the lines of the carts that went go after them. */
	[ST_PURGE_CARTS] = { "cart.purge_carts",
	    "DELETE FROM {p}carts WHERE customer_id IS NULL"
	    " AND updated_at < NOW() - INTERVAL ? DAY"
	    " AND NOT EXISTS (SELECT 1 FROM {p}cart_items n"
	    " WHERE n.cart_id = {p}carts.id"
	    " AND n.added_at >= NOW() - INTERVAL ? DAY)" },
	[ST_PURGE_ITEMS] = { "cart.purge_items",
	    "DELETE i FROM {p}cart_items i LEFT JOIN {p}carts c"
	    " ON c.id = i.cart_id WHERE c.id IS NULL" },
};

void
cart_token_new(char out[CART_TOKEN_HEX + 1])
{
	crypto_random_hex(out, CART_TOKEN_HEX / 2);
}

/* Runs statement q with up to four id parameters (n of them); SHOP_OK
 * or the error. Rows, when any, are the caller's to step. */
static struct db_stmt *
run(struct shop_ctx *ctx, enum stmt q, int *rc, size_t n, int64_t a,
    int64_t b, int64_t c, int64_t d)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[q]);
	int64_t		 v[4] = { a, b, c, d };
	size_t		 i;

	if (st == NULL) {
		*rc = SHOP_EDB;
		return NULL;
	}
	for (i = 0; i < n; i++)
		db_bind_i64(st, (unsigned)i, v[i]);
	*rc = shop_exec(ctx, st);
	return *rc == SHOP_OK ? st : NULL;
}

/* One statement that returns no rows. */
static int
exec_ids(struct shop_ctx *ctx, enum stmt q, size_t n, int64_t a, int64_t b,
    int64_t c, int64_t d)
{
	int		 rc;
	struct db_stmt	*st = run(ctx, q, &rc, n, a, b, c, d);

	if (st != NULL)
		db_done(st);
	return rc;
}

/* The first column of the one row of st as an id; 0 when none. */
static int
one_id(struct shop_ctx *ctx, struct db_stmt *st, int64_t *out)
{
	int rc = db_step(st);

	(void)ctx;
	*out = rc == 1 ? db_col_i64(st, 0) : 0;
	db_done(st);
	return rc == -1 ? SHOP_EDB : SHOP_OK;
}

static int
by_token(struct shop_ctx *ctx, const unsigned char h[32], int64_t *id)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_BY_TOKEN]);

	*id = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_blob(st, 0, h, 32);
	if (shop_exec(ctx, st) != SHOP_OK)
		return SHOP_EDB;
	return one_id(ctx, st, id);
}

static int
by_customer(struct shop_ctx *ctx, int64_t customer, int64_t *id)
{
	int		 rc;
	struct db_stmt	*st = run(ctx, ST_BY_CUSTOMER, &rc, 1, customer, 0, 0,
			    0);

	*id = 0;
	return st == NULL ? rc : one_id(ctx, st, id);
}

struct merge {
	int64_t		 from, into;
};

/* The cookie cart's lines into the customer's, then it goes. */
static int
merge_tx(struct shop_ctx *ctx, void *arg)
{
	struct merge	*m = arg;
	struct db_stmt	*st;
	struct str	 coupon = STR("");
	int		 rc;

	if ((st = run(ctx, ST_HEAD, &rc, 1, m->from, 0, 0, 0)) == NULL)
		return rc;
	if (db_step(st) == 1)
		coupon = db_col_str(st, 0);
	db_done(st);
	if ((rc = exec_ids(ctx, ST_MERGE_ITEMS, 2, m->into, m->from, 0,
	    0)) != SHOP_OK ||
	    (rc = exec_ids(ctx, ST_CAP, 1, m->into, 0, 0, 0)) != SHOP_OK ||
	    (rc = exec_ids(ctx, ST_DROP, 1, m->from, 0, 0, 0)) != SHOP_OK)
		return rc;
	if (coupon.len == 0)
		return SHOP_OK;
	if ((st = shop_stmt(ctx, &sql[ST_MERGE_COUPON])) == NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, coupon);
	db_bind_i64(st, 1, m->into);
	if ((rc = shop_exec(ctx, st)) == SHOP_OK)
		db_done(st);
	return rc;
}

static int
create(struct shop_ctx *ctx, const unsigned char *h, int64_t customer,
    int64_t *id)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_INSERT]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	if (h != NULL)
		db_bind_blob(st, 0, h, 32);
	else
		db_bind_null(st, 0);
	if (customer > 0)
		db_bind_i64(st, 1, customer);
	else
		db_bind_null(st, 1);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	*id = (int64_t)db_insert_id(st);
	db_done(st);
	return SHOP_OK;
}

int
cart_resolve(struct shop_ctx *ctx, struct cart_owner *o, int create_it,
    int64_t *id)
{
	unsigned char	 h[32];
	int		 has_token, rc;
	int64_t		 tok = 0, mine = 0;

	*id = 0;
	has_token = o->token.len == CART_TOKEN_HEX &&
	    crypto_token_hash(o->token.p, o->token.len, CART_TOKEN_HEX, h) == 0;
	if (has_token && (rc = by_token(ctx, h, &tok)) != SHOP_OK)
		return rc;
	if (o->customer_id > 0) {
		if ((rc = by_customer(ctx, o->customer_id, &mine)) != SHOP_OK)
			return rc;
		if (tok != 0 && mine == 0) {
			/* Signed in with a cart and none of their own: it is
			 * theirs now. */
			if ((rc = exec_ids(ctx, ST_ADOPT, 2, o->customer_id,
			    tok, 0, 0)) != SHOP_OK)
				return rc;
			mine = tok;
			o->token_spent = 1;
		} else if (tok != 0) {
			struct merge m = { tok, mine };

			if ((rc = shop_tx(ctx, merge_tx, &m)) != SHOP_OK)
				return rc;
			o->token_spent = 1;
		}
		if (mine == 0 && create_it &&
		    (rc = create(ctx, NULL, o->customer_id, &mine)) ==
		    SHOP_ECONFLICT)
			/* Another request of theirs made it meanwhile. */
			rc = by_customer(ctx, o->customer_id, &mine);
		*id = mine;
		return mine == 0 && create_it ? SHOP_EDB : SHOP_OK;
	}
	if (tok == 0 && create_it && has_token) {
		rc = create(ctx, h, 0, &tok);
		if (rc == SHOP_ECONFLICT)
			rc = by_token(ctx, h, &tok);
		if (rc != SHOP_OK)
			return rc;
	}
	*id = tok;
	return tok == 0 && create_it ? SHOP_EINVAL : SHOP_OK;
}

/* The line of the row st holds, its columns from k on. */
static void
read_line(struct db_stmt *st, unsigned k, struct cart_line *l)
{
	l->product_id = db_col_i64(st, k);
	l->variant_id = db_col_i64(st, k + 1);
	l->qty = db_col_i64(st, k + 2);
	l->slug = db_col_str(st, k + 3);
	l->name = db_col_str(st, k + 4);
	l->variant = db_col_str(st, k + 5);
	l->sku = db_col_str(st, k + 6);
	l->image = db_col_str(st, k + 7);
	l->unit_price = db_col_i64(st, k + 8);
	l->stock = db_col_i64(st, k + 9);
	l->weight_g = db_col_i64(st, k + 10);
	l->category_id = db_col_i64(st, k + 11);
	l->tax_class = db_col_str(st, k + 12);
	l->available = db_col_i64(st, k + 13) != 0;
}

/* A cart as a read finds it: by id, or by its owner straight. */
struct key {
	enum { KEY_ID, KEY_TOKEN, KEY_CUSTOMER } kind;
	unsigned char	 h[32];		/* KEY_TOKEN: the token's hash */
	int64_t		 id;		/* the cart's or the customer's */
};

/*
 * The key that reads o's cart without looking its id up first: a
 * guest's token, or a customer with no cookie cart. 0 when the id must
 * be resolved (a customer bringing a cookie cart: it is adopted or
 * merged first; no owner at all: no cart).
 */
static int
owner_key(const struct cart_owner *o, struct key *k)
{
	int has_token = o->token.len == CART_TOKEN_HEX &&
	    crypto_token_hash(o->token.p, o->token.len, CART_TOKEN_HEX,
	    k->h) == 0;

	if (o->customer_id > 0 && !has_token) {
		k->kind = KEY_CUSTOMER;
		k->id = o->customer_id;
		return 1;
	}
	if (o->customer_id == 0 && has_token) {
		k->kind = KEY_TOKEN;
		return 1;
	}
	return 0;
}

/* o's key: SHOP_OK, SHOP_ENOTFOUND (o has no cart) or the error. */
static int
key_of(struct shop_ctx *ctx, struct cart_owner *o, struct key *k)
{
	int rc;

	if (owner_key(o, k))
		return SHOP_OK;
	k->kind = KEY_ID;
	if ((rc = cart_resolve(ctx, o, 0, &k->id)) != SHOP_OK)
		return rc;
	return k->id == 0 ? SHOP_ENOTFOUND : SHOP_OK;
}

static void
bind_key(struct db_stmt *st, unsigned i, const struct key *k)
{
	if (k->kind == KEY_TOKEN)
		db_bind_blob(st, i, k->h, 32);
	else
		db_bind_i64(st, i, k->id);
}

/* Statement by_id, or its by-token or by-customer twin (the enum keeps
 * them in that order), with the key bound at parameter i. */
static struct db_stmt *
keyed(struct shop_ctx *ctx, enum stmt by_id, const struct key *k,
    unsigned i)
{
	struct db_stmt *st = shop_stmt(ctx, &sql[by_id + (k->kind ==
	    KEY_TOKEN ? 1 : k->kind == KEY_CUSTOMER ? 2 : 0)]);

	if (st != NULL)
		bind_key(st, i, k);
	return st;
}

static void
empty(struct cart *out)
{
	memset(out, 0, sizeof(*out));
	out->coupon_code = STR("");
	out->checkout = STR("");
}

/* The order the shopper added the lines in. */
static int
line_cmp(const void *a, const void *b)
{
	const struct cart_line *x = a, *y = b;

	if (x->added != y->added)
		return x->added < y->added ? -1 : 1;
	if (x->product_id != y->product_id)
		return x->product_id < y->product_id ? -1 : 1;
	if (x->variant_id != y->variant_id)
		return x->variant_id < y->variant_id ? -1 : 1;
	return 0;
}

/* The cart's row and lines into out; SHOP_ENOTFOUND when none. */
static int
whole(struct shop_ctx *ctx, const struct key *k, struct cart *out)
{
	struct db_stmt	*st = keyed(ctx, ST_WHOLE, k, 2);
	int		 rc, found = 0;

	empty(out);
	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, ctx->locale);
	db_bind_cstr(st, 1, ctx->default_locale);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	out->lines = arena_calloc(ctx->a, CART_LINES_MAX + 1,
	    sizeof(*out->lines));
	while ((rc = db_step(st)) == 1) {
		struct cart_line *l;

		if (!found) {
			found = 1;
			out->coupon_code = db_col_str(st, 0);
			out->checkout = db_col_str(st, 1);
			out->id = db_col_i64(st, 17);
		}
		if (db_col_i64(st, 2) == 0 ||
		    out->nlines == CART_LINES_MAX + 1)
			continue;
		l = &out->lines[out->nlines++];
		read_line(st, 3, l);
		l->added = db_col_i64(st, 18);
		out->items += l->qty;
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	qsort(out->lines, out->nlines, sizeof(*out->lines), line_cmp);
	return found ? SHOP_OK : SHOP_ENOTFOUND;
}

/* The cart's row (id, coupon, checkout) into out, no lines. */
static int
head(struct shop_ctx *ctx, const struct key *k, struct cart *out)
{
	struct db_stmt	*st = keyed(ctx, ST_HEAD, k, 0);
	int		 rc;

	empty(out);
	if (st == NULL)
		return SHOP_EDB;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		out->coupon_code = db_col_str(st, 0);
		out->checkout = db_col_str(st, 1);
		out->id = db_col_i64(st, 2);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	return rc == 0 ? SHOP_ENOTFOUND : SHOP_OK;
}

/* read() of o's cart: none is an empty out (id 0) and SHOP_OK. */
static int
by_owner(struct shop_ctx *ctx, struct cart_owner *o, struct cart *out,
    int (*read)(struct shop_ctx *, const struct key *, struct cart *))
{
	struct key	k;
	int		rc;

	empty(out);
	if ((rc = key_of(ctx, o, &k)) == SHOP_OK)
		rc = read(ctx, &k, out);
	if (rc == SHOP_ENOTFOUND) {
		empty(out);
		rc = SHOP_OK;
	}
	return rc;
}

int
cart_get(struct shop_ctx *ctx, struct cart_owner *o, struct cart *out)
{
	return by_owner(ctx, o, out, whole);
}

int
cart_head(struct shop_ctx *ctx, struct cart_owner *o, struct cart *out)
{
	return by_owner(ctx, o, out, head);
}

int
cart_get_by_id(struct shop_ctx *ctx, int64_t id, struct cart *out)
{
	struct key	k = { .kind = KEY_ID, .id = id };
	int		rc = whole(ctx, &k, out);

	out->id = id;
	return rc;
}

int
cart_line_read(struct shop_ctx *ctx, int64_t product_id, int64_t variant_id,
    int64_t qty, struct cart_line *out)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_LINE_OF]);
	int		 rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, product_id);
	db_bind_i64(st, 1, variant_id);
	db_bind_i64(st, 2, qty);
	db_bind_cstr(st, 3, ctx->locale);
	db_bind_cstr(st, 4, ctx->default_locale);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		read_line(st, 0, out);
		/* A product with variants is sold by them only. */
		if (variant_id == 0 && db_col_i64(st, 14) != 0)
			out->available = 0;
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	return rc == 1 ? SHOP_OK : SHOP_ENOTFOUND;
}

int
cart_count(struct shop_ctx *ctx, struct cart_owner *o, int64_t *n)
{
	struct db_stmt	*st;
	struct key	 k;
	int		 rc;

	*n = 0;
	if ((rc = key_of(ctx, o, &k)) != SHOP_OK)
		return rc == SHOP_ENOTFOUND ? SHOP_OK : rc;
	if ((st = keyed(ctx, ST_COUNT, &k, 0)) == NULL)
		return SHOP_EDB;
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	return one_id(ctx, st, n);
}

/* What ST_CHECK read about a product, a variant and the cart's line. */
struct check {
	int		 active;
	int64_t		 stock;		/* the product's */
	int64_t		 nvariants;
	int		 variant_ok;	/* the variant is the product's */
	int64_t		 vstock;
	int64_t		 in_cart;	/* of this line */
	int64_t		 lines;		/* of the cart */
	struct str	 name, variant;
};

static int
check(struct shop_ctx *ctx, int64_t cart, int64_t product, int64_t variant,
    struct check *c)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_CHECK]);
	int		 rc;

	memset(c, 0, sizeof(*c));
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, 0, cart);
	db_bind_i64(st, 1, variant);
	db_bind_i64(st, 2, cart);
	db_bind_i64(st, 3, variant);
	db_bind_cstr(st, 4, ctx->locale);
	db_bind_cstr(st, 5, ctx->default_locale);
	db_bind_i64(st, 6, product);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	if ((rc = db_step(st)) == 1) {
		c->active = db_col_i64(st, 0) != 0;
		c->stock = db_col_i64(st, 1);
		c->nvariants = db_col_i64(st, 2);
		c->variant_ok = db_col_i64(st, 3) != 0;
		c->vstock = db_col_i64(st, 4);
		c->in_cart = db_col_i64(st, 5);
		c->lines = db_col_i64(st, 6);
		c->name = db_col_str(st, 7);
		c->variant = db_col_str(st, 8);
	}
	db_done(st);
	if (rc == -1)
		return SHOP_EDB;
	return rc == 1 && c->active ? SHOP_OK : SHOP_ENOTFOUND;
}

/*
 * Checks that the line (product, variant) may hold want units in all:
 * the variant right for the product, want in range and in stock.
 */
static int
check_line(const struct check *c, int64_t variant, int64_t want,
    struct field_errors *errs, struct cart_problem *p)
{
	int64_t stock;

	p->name = c->name;
	p->variant = c->variant;
	p->left = -1;
	if (c->nvariants > 0 && variant == 0) {
		field_errors_add(errs, "variant_id",
		    N_("Choose an option (size, colour...)."));
		return SHOP_EINVAL;
	}
	if ((c->nvariants == 0 && variant != 0) ||
	    (variant != 0 && !c->variant_ok)) {
		field_errors_add(errs, "variant_id",
		    N_("This option does not exist for this product."));
		return SHOP_EINVAL;
	}
	stock = variant ? c->vstock : c->stock;
	if (want > stock) {
		p->left = stock < 0 ? 0 : stock;
		field_errors_add(errs, "qty",
		    N_("Not enough in stock for this quantity."));
		return SHOP_EINVAL;
	}
	if (want > CART_QTY_MAX) {
		field_errors_add(errs, "qty",
		    N_("Enter a quantity from 1 to 999."));
		return SHOP_EINVAL;
	}
	return SHOP_OK;
}

/* A change of a line and the cart's time, in one transaction: one
 * commit (a durable commit is most of what an add costs). */
struct write {
	struct cart_owner	*o;
	int64_t			 id;	/* 0: create the cart first */
	enum stmt		 q;
	size_t			 n;
	int64_t			 v[4];	/* q's ids; v[0] the cart's when 0 */
	int			 cart_first;	/* v[0] is the cart's id */
};

static int
write_tx(struct shop_ctx *ctx, void *arg)
{
	struct write	*wr = arg;
	int64_t		 id = wr->id, v0;
	int		 rc, created = 0;

	if (id == 0) {
		if ((rc = cart_resolve(ctx, wr->o, 1, &id)) != SHOP_OK)
			return rc;
		created = 1;
	}
	v0 = wr->cart_first ? id : wr->v[0];
	if ((rc = exec_ids(ctx, wr->q, wr->n, v0, wr->v[1], wr->v[2],
	    wr->v[3])) != SHOP_OK)
		return rc;
	return created ? SHOP_OK : exec_ids(ctx, ST_TOUCH, 1, id, 0, 0, 0);
}

/* How many times add_checked() runs its statement when the database
 * chose it as a deadlock's victim (it is a transaction of its own). */
#define ADD_TRIES	3

/* An add ST_ADD_BY_* checks, to o's cart by key k (a token or a
 * customer); *done is 1 when the line went in. */
struct add {
	struct key	 k;
	int64_t		 product, variant, qty;
	int		 done;
};

static int
add_exec(struct shop_ctx *ctx, struct add *a)
{
	int		 token = a->k.kind == KEY_TOKEN;
	struct db_stmt	*st = shop_stmt(ctx, &sql[a->variant != 0 ?
			    (token ? ST_ADD_VARIANT_BY_TOKEN :
			    ST_ADD_VARIANT_BY_CUSTOMER) :
			    (token ? ST_ADD_PLAIN_BY_TOKEN :
			    ST_ADD_PLAIN_BY_CUSTOMER)]);
	unsigned	 n = 0;
	int		 rc;

	a->done = 0;
	if (st == NULL)
		return SHOP_EDB;
	db_bind_i64(st, n++, a->qty);
	db_bind_i64(st, n++, a->product);
	bind_key(st, n++, &a->k);
	if (a->variant != 0)
		db_bind_i64(st, n++, a->variant);
	db_bind_i64(st, n, a->qty);
	if ((rc = shop_exec(ctx, st)) != SHOP_OK)
		return rc;
	a->done = db_affected(st) > 0;
	db_done(st);
	return SHOP_OK;
}

/*
 * The add of an existing cart in one statement, when the owner is one
 * cart_resolve() need not change (owner_key()). a->done is 1 when the
 * line went in; 0 sends the caller on (no cart yet, or a rule broken).
 */
static int
add_checked(struct shop_ctx *ctx, struct add *a)
{
	int rc = SHOP_EDB, try;

	for (try = 0; try < ADD_TRIES; try++) {
		if ((rc = add_exec(ctx, a)) == SHOP_OK)
			return SHOP_OK;
		if (db_errclass(ctx->db) != DB_EDEADLOCK)
			break;
	}
	return rc;
}

/*
 * A guest's first add: the cart, then the line (the rules of
 * add_checked() but the cart's, which is empty), in one commit. Rolled back when the token has a cart already
 * (SHOP_ECONFLICT) or a rule fails (a->done 0): the caller says which.
 */
static int
first_add_tx(struct shop_ctx *ctx, void *arg)
{
	struct add	*a = arg;
	struct db_stmt	*st;
	int64_t		 id;
	int		 rc;

	a->done = 0;
	if ((rc = create(ctx, a->k.h, 0, &id)) != SHOP_OK)
		return rc;
	if ((st = run(ctx, ST_ADD_FIRST, &rc, 4, id, a->product, a->variant,
	    a->qty)) == NULL)
		return rc;
	a->done = db_affected(st) > 0;
	db_done(st);
	return a->done ? SHOP_OK : SHOP_EINVAL;
}

int
cart_add(struct shop_ctx *ctx, struct cart_owner *o, int64_t product,
    int64_t variant, int64_t qty, struct field_errors *errs,
    struct cart_problem *p)
{
	struct check	 c;
	struct add	 a;
	int64_t		 id;
	int		 rc;

	memset(p, 0, sizeof(*p));
	p->left = -1;
	if (qty < 1 || qty > CART_QTY_MAX) {
		field_errors_add(errs, "qty",
		    N_("Enter a quantity from 1 to 999."));
		return SHOP_EINVAL;
	}
	if (owner_key(o, &a.k)) {
		a.product = product;
		a.variant = variant;
		a.qty = qty;
		/* A token made for this request has no cart yet. */
		if (!o->token_new && ((rc = add_checked(ctx, &a)) !=
		    SHOP_OK || a.done))
			return rc;
		if (a.k.kind == KEY_TOKEN) {
			rc = shop_tx(ctx, first_add_tx, &a);
			if (rc == SHOP_OK || (rc != SHOP_EINVAL &&
			    rc != SHOP_ECONFLICT))
				return rc;
		}
	}
	/* No cart yet, or a rule broken: which one, for the shopper. */
	if ((rc = cart_resolve(ctx, o, 0, &id)) != SHOP_OK ||
	    (rc = check(ctx, id, product, variant, &c)) != SHOP_OK)
		return rc;
	if ((rc = check_line(&c, variant, c.in_cart + qty, errs, p)) !=
	    SHOP_OK)
		return rc;
	if (c.in_cart == 0 && c.lines >= CART_LINES_MAX) {
		field_errors_add(errs, "qty", N_("Your cart is full: remove "
		    "something before adding more."));
		return SHOP_EINVAL;
	}
	if (id == 0) {
		/* The first add: the cart and its line in one commit. */
		struct write wr = { o, id, ST_ADD_ITEM, 4,
		    { 0, product, variant, qty }, 1 };

		return shop_tx(ctx, write_tx, &wr);
	}
	return exec_ids(ctx, ST_ADD_ITEM, 4, id, product, variant, qty);
}

int
cart_set_qty(struct shop_ctx *ctx, struct cart_owner *o, int64_t product,
    int64_t variant, int64_t qty, struct field_errors *errs,
    struct cart_problem *p)
{
	struct check	 c;
	int64_t		 id;
	int		 rc;

	memset(p, 0, sizeof(*p));
	p->left = -1;
	if (qty == 0)
		return cart_remove(ctx, o, product, variant);
	if (qty < 0 || qty > CART_QTY_MAX) {
		field_errors_add(errs, "qty",
		    N_("Enter a quantity from 1 to 999."));
		return SHOP_EINVAL;
	}
	if ((rc = cart_resolve(ctx, o, 0, &id)) != SHOP_OK)
		return rc;
	if (id == 0)
		return SHOP_ENOTFOUND;
	rc = check(ctx, id, product, variant, &c);
	if (rc == SHOP_OK && c.in_cart == 0)
		rc = SHOP_ENOTFOUND;
	if (rc != SHOP_OK)
		return rc;
	if ((rc = check_line(&c, variant, qty, errs, p)) != SHOP_OK)
		return rc;
	{
		struct write wr = { o, id, ST_SET_QTY, 4,
		    { qty, id, product, variant }, 0 };

		return shop_tx(ctx, write_tx, &wr);
	}
}

int
cart_remove(struct shop_ctx *ctx, struct cart_owner *o, int64_t product,
    int64_t variant)
{
	int64_t	id;
	int	rc;

	if ((rc = cart_resolve(ctx, o, 0, &id)) != SHOP_OK || id == 0)
		return rc;
	{
		struct write wr = { o, id, ST_REMOVE, 3,
		    { id, product, variant, 0 }, 0 };

		return shop_tx(ctx, write_tx, &wr);
	}
}

int
cart_set_coupon(struct shop_ctx *ctx, int64_t cart_id, struct str code)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_COUPON]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_str(st, 0, code);
	db_bind_i64(st, 1, cart_id);
	if ((rc = shop_exec(ctx, st)) == SHOP_OK)
		db_done(st);
	return rc;
}

int
cart_checkout_save(struct shop_ctx *ctx, int64_t cart_id,
    const struct cart_checkout *c)
{
	struct db_stmt	*st = shop_stmt(ctx, &sql[ST_CHECKOUT]);
	int		 rc;

	if (st == NULL)
		return SHOP_EDB;
	db_bind_cstr(st, 0, cart_checkout_json(ctx->a, c));
	db_bind_i64(st, 1, cart_id);
	if ((rc = shop_exec(ctx, st)) == SHOP_OK)
		db_done(st);
	return rc;
}

int
cart_empty(struct shop_ctx *ctx, int64_t cart_id)
{
	return exec_ids(ctx, ST_DROP, 1, cart_id, 0, 0, 0);
}

struct purge {
	int64_t		 days;
	int64_t		 n;
};

static int
purge_tx(struct shop_ctx *ctx, void *arg)
{
	struct purge	*p = arg;
	struct db_stmt	*st;
	int		 rc;

	if ((st = run(ctx, ST_PURGE_CARTS, &rc, 2, p->days, p->days, 0,
	    0)) == NULL)
		return rc;
	p->n = (int64_t)db_affected(st);
	db_done(st);
	return exec_ids(ctx, ST_PURGE_ITEMS, 0, 0, 0, 0, 0);
}

int
cart_purge(struct shop_ctx *ctx, int days, int64_t *n)
{
	struct purge	p = { days > 0 ? days : CART_PURGE_DAYS, 0 };
	int		rc;

	rc = shop_tx(ctx, purge_tx, &p);
	*n = rc == SHOP_OK ? p.n : 0;
	return rc;
}
