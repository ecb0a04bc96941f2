/*
 * tests/unit/shop/cart.c: a shopper's cart against the real MariaDB:
 * adds checked against the product, its variants and its stock; bad
 * quantities and other shops' ids refused with nothing written; a
 * cookie cart merged into the customer's (quantities added, capped by
 * stock) or taken over; the checkout's progress kept as JSON; old
 * anonymous carts purged; a cart of one shop is nothing in another.
 */
#include "core/common.h"
#include "core/arena.h"
#include "shop/cart.h"
#include "shop/catalog.h"
#include "dbtest.h"
#include "test.h"

static struct arena a;

static int64_t
product(struct shop_ctx *c, const char *slug, const char *name, int64_t stock)
{
	struct product_input	in;
	struct field_errors	errs;
	char			sbuf[24];
	int64_t			id = 0;

	memset(&in, 0, sizeof(in));
	in.slug = str_c(slug);
	in.price = STR("12.50");
	snprintf(sbuf, sizeof(sbuf), "%lld", (long long)stock);
	in.stock = str_c(arena_strdup(&a, sbuf));
	in.active = 1;
	snprintf(in.texts[0].locale, sizeof(in.texts[0].locale), "de");
	in.texts[0].name = str_c(name);
	in.texts[0].description = STR("");
	in.ntexts = 1;
	TEST_CHECK(catalog_product_save(c, 0, &in, &errs, &id) == SHOP_OK);
	return id;
}

/* The id of the newest variant of product (catalog_variant_add() does
 * not return it). */
static int64_t
last_variant(struct shop_ctx *c, int64_t pid)
{
	struct db_stmt	*st = db_prepare(c->db, "SELECT MAX(id) FROM"
			    " {p}variants WHERE product_id = ?", c->tenant);
	int64_t		 id = 0;

	db_bind_i64(st, 0, pid);
	if (db_exec(st, NULL) == 0 && db_step(st) == 1)
		id = db_col_i64(st, 0);
	db_done(st);
	return id;
}

static int64_t
count(struct shop_ctx *c, const char *sql)
{
	struct db_stmt	*st = db_prepare(c->db, sql, c->tenant);
	int64_t		 n = -1;

	if (st != NULL && db_exec(st, NULL) == 0 && db_step(st) == 1)
		n = db_col_i64(st, 0);
	if (st != NULL)
		db_done(st);
	return n;
}

static void
exec_sql(struct shop_ctx *c, const char *sql)
{
	TEST_CHECK(db_exec_ddl(c->db, sql, c->tenant) == 0);
}

static struct cart_owner
anon(const char *token)
{
	struct cart_owner o = { str_c(token), 0, 0, 0 };

	return o;
}

static int
has(const struct field_errors *e, const char *field)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0)
			return 1;
	return 0;
}

int
main(void)
{
	struct db		*db = dbtest_open("cart");
	struct field_errors	 errs;
	struct cart_problem	 p;
	struct cart		 cart;
	struct cart_checkout	 ck, back;
	struct cart_owner	 o, o2, cust;
	char			 t1[CART_TOKEN_HEX + 1], t2[CART_TOKEN_HEX + 1];
	char			 t3[CART_TOKEN_HEX + 1], t4[CART_TOKEN_HEX + 1];
	int64_t			 s1, s2, pa, pb, v1, v2, n, id;

	arena_init(&a);
	s1 = dbtest_shop(db, "cart1", NULL, NULL, "de", "EUR");
	s2 = dbtest_shop(db, "cart2", NULL, NULL, "de", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	struct shop_ctx c1 = { db, &a, s1, "en", "de", "EUR", NULL, NULL, 0 };
	struct shop_ctx c2 = { db, &a, s2, "en", "de", "EUR", NULL, NULL, 0 };

	pa = product(&c1, "brot", "Roggenbrot", 5);
	pb = product(&c1, "muetze", "Mütze", 0);
	TEST_CHECK(catalog_variant_add(&c1, pb, "M", 1990, 3) == SHOP_OK);
	v1 = last_variant(&c1, pb);
	TEST_CHECK(catalog_variant_add(&c1, pb, "L", 1990, 0) == SHOP_OK);
	v2 = last_variant(&c1, pb);
	TEST_CHECK(pa > 0 && pb > 0 && v1 > 0 && v2 > v1);

	cart_token_new(t1);
	cart_token_new(t2);
	cart_token_new(t3);
	cart_token_new(t4);
	TEST_CHECK(strlen(t1) == CART_TOKEN_HEX && strcmp(t1, t2) != 0);

	/* Nothing yet: an empty cart, no row. */
	o = anon(t1);
	TEST_CHECK(cart_get(&c1, &o, &cart) == SHOP_OK && cart.id == 0 &&
	    cart.nlines == 0);
	TEST_CHECK(cart_count(&c1, &o, &n) == SHOP_OK && n == 0);

	/* Bad quantities, unknown products and variants: nothing written. */
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o, pa, 0, 0, &errs, &p) == SHOP_EINVAL &&
	    has(&errs, "qty"));
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o, pa, 0, -3, &errs, &p) == SHOP_EINVAL);
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o, pa, 0, 1000, &errs, &p) == SHOP_EINVAL);
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o, 99999999, 0, 1, &errs, &p) ==
	    SHOP_ENOTFOUND);
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o, pb, 0, 1, &errs, &p) == SHOP_EINVAL &&
	    has(&errs, "variant_id"));
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o, pa, v1, 1, &errs, &p) == SHOP_EINVAL &&
	    has(&errs, "variant_id"));
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o, pb, 424242, 1, &errs, &p) ==
	    SHOP_EINVAL && has(&errs, "variant_id"));
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o, pb, v2, 1, &errs, &p) == SHOP_EINVAL &&
	    has(&errs, "qty") && p.left == 0 && str_eqc(p.variant, "L"));
	/* Shop 2 has none of shop 1's products. */
	o2 = anon(t1);
	errs.n = 0;
	TEST_CHECK(cart_add(&c2, &o2, pa, 0, 1, &errs, &p) == SHOP_ENOTFOUND);
	TEST_CHECK(count(&c1, "SELECT COUNT(*) FROM {p}carts") == 0);
	TEST_CHECK(count(&c2, "SELECT COUNT(*) FROM {p}carts") == 0);

	/* Adds, and never more than in stock. */
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o, pa, 0, 2, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_add(&c1, &o, pb, v1, 1, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_add(&c1, &o, pa, 0, 2, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_count(&c1, &o, &n) == SHOP_OK && n == 5);
	/* A token this request made: the first add makes the cart
	 * without looking for one; a rule broken writes nothing. */
	{
		char			tn[CART_TOKEN_HEX + 1];
		struct cart_owner	on;

		cart_token_new(tn);
		on = anon(tn);
		on.token_new = 1;
		errs.n = 0;
		TEST_CHECK(cart_add(&c1, &on, pa, 0, 6, &errs, &p) ==
		    SHOP_EINVAL && p.left == 5);
		TEST_CHECK(cart_get(&c1, &on, &cart) == SHOP_OK &&
		    cart.id == 0);
		TEST_CHECK(cart_add(&c1, &on, pa, 0, 1, &errs, &p) == SHOP_OK);
		on.token_new = 0;
		TEST_CHECK(cart_count(&c1, &on, &n) == SHOP_OK && n == 1);
		TEST_CHECK(cart_get(&c1, &on, &cart) == SHOP_OK &&
		    cart.id > 0 && cart.nlines == 1);
		{
			char q[80];

			(void)snprintf(q, sizeof(q), "DELETE FROM {p}carts"
			    " WHERE id = %lld", (long long)cart.id);
			TEST_CHECK(cart_remove(&c1, &on, pa, 0) == SHOP_OK);
			exec_sql(&c1, q);
		}
	}
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o, pa, 0, 2, &errs, &p) == SHOP_EINVAL &&
	    p.left == 5 && str_eqc(p.name, "Roggenbrot"));
	TEST_CHECK(cart_get(&c1, &o, &cart) == SHOP_OK && cart.id > 0 &&
	    cart.nlines == 2 && cart.items == 5);
	TEST_CHECK(cart.lines[0].product_id == pa && cart.lines[0].qty == 4 &&
	    cart.lines[0].stock == 5 && cart.lines[0].unit_price == 1250 &&
	    cart.lines[0].available);
	/* No English text: the shop's default language's name. */
	TEST_CHECK(str_eqc(cart.lines[0].name, "Roggenbrot"));
	TEST_CHECK(str_eqc(cart.lines[1].variant, "M") &&
	    cart.lines[1].unit_price == 1990 && cart.lines[1].stock == 3);
	/* Shop 2 does not know the cookie. */
	TEST_CHECK(cart_get(&c2, &o2, &cart) == SHOP_OK && cart.id == 0);

	/* Quantities set, checked, removed. */
	errs.n = 0;
	TEST_CHECK(cart_set_qty(&c1, &o, pb, v1, 3, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_set_qty(&c1, &o, pb, v1, 4, &errs, &p) ==
	    SHOP_EINVAL && p.left == 3);
	errs.n = 0;
	TEST_CHECK(cart_set_qty(&c1, &o, pb, v1, -1, &errs, &p) ==
	    SHOP_EINVAL);
	errs.n = 0;
	TEST_CHECK(cart_set_qty(&c1, &o, pb, v2, 1, &errs, &p) ==
	    SHOP_ENOTFOUND);
	TEST_CHECK(cart_count(&c1, &o, &n) == SHOP_OK && n == 7);
	TEST_CHECK(cart_set_qty(&c1, &o, pb, v1, 0, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_count(&c1, &o, &n) == SHOP_OK && n == 4);
	TEST_CHECK(cart_remove(&c1, &o, pa, 0) == SHOP_OK);
	TEST_CHECK(cart_count(&c1, &o, &n) == SHOP_OK && n == 0);
	TEST_CHECK(cart_add(&c1, &o, pa, 0, 3, &errs, &p) == SHOP_OK);

	/* The checkout's progress, kept and read back. */
	TEST_CHECK(cart_get(&c1, &o, &cart) == SHOP_OK);
	cart_checkout_parse(&c1, cart.checkout, &back);
	TEST_CHECK(back.bill_same == 1 && back.has_address == 0 &&
	    back.email.len == 0);
	memset(&ck, 0, sizeof(ck));
	ck.email = STR("käthe@example.com");
	ck.ship.name = STR("Käthe \"K\" Kruse");
	ck.ship.city = STR("Köln");
	ck.ship.country = STR("DE");
	ck.bill_same = 0;
	ck.bill.name = STR("Firma");
	ck.method_id = 7;
	ck.payment = STR("bacs");
	ck.has_address = 1;
	TEST_CHECK(cart_checkout_save(&c1, cart.id, &ck) == SHOP_OK);
	TEST_CHECK(cart_set_coupon(&c1, cart.id, STR("SOMMER10")) == SHOP_OK);
	TEST_CHECK(cart_get(&c1, &o, &cart) == SHOP_OK);
	TEST_CHECK(str_eqc(cart.coupon_code, "SOMMER10"));
	cart_checkout_parse(&c1, cart.checkout, &back);
	TEST_CHECK(str_eqc(back.email, "käthe@example.com") &&
	    str_eqc(back.ship.name, "Käthe \"K\" Kruse") &&
	    str_eqc(back.ship.country, "DE") && back.bill_same == 0 &&
	    str_eqc(back.bill.name, "Firma") && back.method_id == 7 &&
	    str_eqc(back.payment, "bacs") && back.has_address == 1);
	cart_checkout_parse(&c1, STR("{not json"), &back);
	TEST_CHECK(back.has_address == 0 && back.bill_same == 1);

	/* Signed in with a cookie cart and a cart of their own: merged,
	 * quantities added and capped by stock (3 + 4 > 5). */
	cust = (struct cart_owner){ STR(""), 77, 0, 0 };
	TEST_CHECK(cart_add(&c1, &cust, pa, 0, 4, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_add(&c1, &cust, pb, v1, 1, &errs, &p) == SHOP_OK);
	cust.token = str_c(t1);
	TEST_CHECK(cart_get(&c1, &cust, &cart) == SHOP_OK);
	TEST_CHECK(cust.token_spent == 1);
	TEST_CHECK(cart.nlines == 2 && cart.lines[0].qty == 5 &&
	    cart.lines[1].qty == 1);
	/* The coupon came along (the customer's cart had none). */
	TEST_CHECK(str_eqc(cart.coupon_code, "SOMMER10"));
	/* The cookie's cart is gone. */
	o = anon(t1);
	TEST_CHECK(cart_count(&c1, &o, &n) == SHOP_OK && n == 0);
	TEST_CHECK(count(&c1, "SELECT COUNT(*) FROM {p}carts") == 1);

	/* Signed in with a cookie cart and none of their own: theirs. */
	o = anon(t2);
	TEST_CHECK(cart_add(&c1, &o, pa, 0, 2, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_resolve(&c1, &o, 0, &id) == SHOP_OK && id > 0);
	cust = (struct cart_owner){ str_c(t2), 78, 0, 0 };
	TEST_CHECK(cart_count(&c1, &cust, &n) == SHOP_OK && n == 2 &&
	    cust.token_spent == 1);
	cust.token = STR("");
	TEST_CHECK(cart_resolve(&c1, &cust, 0, &n) == SHOP_OK && n == id);

	/* A malformed cookie is no cart, and none is made for it. */
	o = anon("zz");
	TEST_CHECK(cart_count(&c1, &o, &n) == SHOP_OK && n == 0);
	TEST_CHECK(cart_resolve(&c1, &o, 1, &n) != SHOP_OK);

	/* Anonymous carts untouched for 60 days go; customers' stay. */
	o = anon(t3);
	TEST_CHECK(cart_add(&c1, &o, pa, 0, 1, &errs, &p) == SHOP_OK);
	o2 = anon(t4);
	TEST_CHECK(cart_add(&c1, &o2, pa, 0, 1, &errs, &p) == SHOP_OK);
	exec_sql(&c1, "UPDATE {p}carts SET updated_at = NOW() - INTERVAL 61 DAY");
	exec_sql(&c1, "UPDATE {p}cart_items SET added_at = NOW() - INTERVAL 61"
	    " DAY");
	/* An add is a use of the cart (its line's time, not the cart's). */
	TEST_CHECK(cart_add(&c1, &o2, pa, 0, 1, &errs, &p) == SHOP_OK);
	TEST_CHECK(cart_purge(&c1, CART_PURGE_DAYS, &n) == SHOP_OK && n == 1);
	TEST_CHECK(cart_count(&c1, &o, &n) == SHOP_OK && n == 0);
	TEST_CHECK(cart_count(&c1, &o2, &n) == SHOP_OK && n == 2);
	TEST_CHECK(count(&c1, "SELECT COUNT(*) FROM {p}carts") == 3);
	TEST_CHECK(count(&c1, "SELECT COUNT(*) FROM {p}cart_items i LEFT JOIN"
	    " {p}carts c ON c.id = i.cart_id WHERE c.id IS NULL") == 0);

	/* A full cart (CART_LINES_MAX lines) takes no new line, but a line
	 * it has may grow: the one-statement add counts the other lines. */
	{
		char sql[256];

		TEST_CHECK(cart_resolve(&c1, &o2, 0, &id) == SHOP_OK && id > 0);
		snprintf(sql, sizeof(sql), "INSERT INTO {p}cart_items"
		    " (cart_id, product_id, variant_id, qty) SELECT %lld, seq,"
		    " 0, 1 FROM seq_1000001_to_%d", (long long)id,
		    1000000 + CART_LINES_MAX - 1);
		exec_sql(&c1, sql);
	}
	errs.n = 0;
	TEST_CHECK(cart_add(&c1, &o2, pb, v1, 1, &errs, &p) == SHOP_EINVAL &&
	    has(&errs, "qty"));
	TEST_CHECK(cart_add(&c1, &o2, pa, 0, 1, &errs, &p) == SHOP_OK);
	TEST_CHECK(count(&c1, "SELECT COUNT(*) FROM {p}cart_items i JOIN"
	    " {p}carts c ON c.id = i.cart_id WHERE i.product_id > 1000000")
	    == CART_LINES_MAX - 1);
	exec_sql(&c1, "DELETE FROM {p}cart_items WHERE product_id = 1000001");
	TEST_CHECK(cart_add(&c1, &o2, pb, v1, 1, &errs, &p) == SHOP_OK);

	arena_free(&a);
	db_close(db);
	return test_done();
}
