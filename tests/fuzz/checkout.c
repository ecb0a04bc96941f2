/*
 * Fuzz target: shop/cart_checkout.c, the checkout's progress kept as
 * JSON on the cart (carts.checkout). The input is read as that text:
 * whatever it holds (not JSON, not an object, wrong types, huge or
 * deep), the parse gives a usable struct (bill_same defaulting to on)
 * and never crashes; and what it gives, written back and read again,
 * is the same (the round trip the checkout's steps make).
 */
#include "../../fcgi-app/core/arena.c"
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/strbuf.c"
#include "../../fcgi-app/core/xalloc.c"
#include "../../fcgi-app/shop/cart_checkout.c"

#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
same_address(const struct address *a, const struct address *b)
{
	return str_eq(a->name, b->name) && str_eq(a->company, b->company) &&
	    str_eq(a->line1, b->line1) && str_eq(a->line2, b->line2) &&
	    str_eq(a->city, b->city) && str_eq(a->region, b->region) &&
	    str_eq(a->postcode, b->postcode) &&
	    str_eq(a->country, b->country) && str_eq(a->phone, b->phone);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		 a;
	struct shop_ctx		 ctx;
	struct cart_checkout	 c1, c2;
	char			*text, *json;

	arena_init(&a);
	memset(&ctx, 0, sizeof(ctx));
	ctx.a = &a;
	/* A column's text: NUL-terminated, as db_col_str() gives it. */
	text = arena_strndup(&a, (const char *)data, size);
	cart_checkout_parse(&ctx, (struct str){ text, strlen(text) }, &c1);
	if (c1.bill_same != 0 && c1.bill_same != 1)
		abort();
	json = cart_checkout_json(&a, &c1);
	cart_checkout_parse(&ctx, str_c(json), &c2);
	if (!str_eq(c1.email, c2.email) || !str_eq(c1.payment, c2.payment) ||
	    !same_address(&c1.ship, &c2.ship) ||
	    !same_address(&c1.bill, &c2.bill) ||
	    c1.bill_same != c2.bill_same || c1.method_id != c2.method_id ||
	    c1.has_address != c2.has_address)
		abort();
	arena_free(&a);
	return 0;
}
