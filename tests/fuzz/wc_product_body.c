/*
 * libFuzzer target: the body of a product or a variation sent to the
 * WooCommerce-compatible API, from bytes to checked fields: json-c's
 * parser with the limits json_api_body() sets (depth, strict, UTF-8),
 * then wc_product_body_parse() as a product and as a variation, in a
 * shop's time zone.
 *
 * Checked: an accepted body's texts are valid text within their limits
 * (characters), its stock and weight are not negative, its prices are
 * digits with one dot at most, its tax class is souk's; a refusal names
 * at least one field with a message.
 */
#include "core/common.h"

#include "../../fcgi-app/core/arena.c"
#include "../../fcgi-app/core/log.c"
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/strbuf.c"
#include "../../fcgi-app/core/xalloc.c"
#include "../../fcgi-app/core/tz.c"
#include "../../fcgi-app/shop/sale.c"
#include "../../fcgi-app/shop/wc_product_body.c"

#include "web/json_api.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_price(struct str s)
{
	size_t i, dots = 0;

	for (i = 0; i < s.len; i++)
		if (s.p[i] == '.')
			dots++;
		else if (s.p[i] < '0' || s.p[i] > '9')
			abort();
	if (dots > 1)
		abort();
}

static void
check(const struct wc_product_body *b, const struct field_errors *errs,
    int rc)
{
	size_t i;

	if (rc == -1) {
		if (errs->n == 0 || errs->v[0].field == NULL ||
		    errs->v[0].msgid == NULL || errs->v[0].msgid[0] == '\0')
			abort();
		return;
	}
	if (errs->n != 0)
		abort();
	if (!str_valid_text(b->name) || str_chars(b->name) > WC_PB_NAME_MAX ||
	    !str_valid_text(b->sku) || str_chars(b->sku) > WC_PB_SKU_MAX ||
	    !str_valid_text(b->description) || b->stock < 0 ||
	    b->stock > 1000000000 || b->weight_g < 0 || b->category_id < 0)
		abort();
	check_price(b->regular_price);
	check_price(b->sale_price);
	if (strcmp(b->tax_class, "standard") != 0 &&
	    strcmp(b->tax_class, "reduced") != 0 &&
	    strcmp(b->tax_class, "zero") != 0)
		abort();
	for (i = 0; i < b->nattrs; i++)
		if (b->attrs[i].id == 0 && b->attrs[i].name.len == 0)
			abort();
	for (i = 0; i < b->nimages; i++)
		if (b->images[i].id == 0 && b->images[i].src.len == 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	 a;
	static int		 ready;
	struct json_tokener	*tok;
	struct wc_product_body	 b;
	struct field_errors	 errs;
	json_object		*o;

	if (size > JSON_API_BODY_MAX)
		return 0;
	if (!ready) {
		arena_init(&a);
		ready = 1;
	}
	tok = json_tokener_new_ex(JSON_API_DEPTH_MAX);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (o == NULL)
		return 0;
	check(&b, &errs, wc_product_body_parse(&a, o, WC_PB_PRODUCT,
	    "Europe/Berlin", &b, &errs));
	check(&b, &errs, wc_product_body_parse(&a, o, WC_PB_VARIATION, NULL,
	    &b, &errs));
	json_object_put(o);
	arena_reset(&a);
	return 0;
}
