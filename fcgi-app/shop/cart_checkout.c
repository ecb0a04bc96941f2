/*
 * cart_checkout.c: the checkout's progress as the JSON text of
 * carts.checkout, both ways (cart.h). Pure: json-c and the arena, no
 * database, so tests/fuzz/checkout.c runs it alone.
 */
#include "core/common.h"
#include "shop/cart.h"

#include <json.h>

static struct str
jstr(struct shop_ctx *ctx, json_object *o, const char *k)
{
	json_object	*v;
	const char	*s;

	if (o == NULL || !json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return STR("");
	s = json_object_get_string(v);
	return arena_str(ctx->a, (struct str){ s, strlen(s) });
}

static int64_t
jint(json_object *o, const char *k)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_int64(v);
}

static const char *const address_keys[] = {
	"name", "company", "line1", "line2", "city", "region", "postcode",
	"country", "phone",
};

static struct str *
address_member(struct address *ad, size_t i)
{
	struct str *m[] = {
		&ad->name, &ad->company, &ad->line1, &ad->line2, &ad->city,
		&ad->region, &ad->postcode, &ad->country, &ad->phone,
	};

	return m[i];
}

static void
address_parse(struct shop_ctx *ctx, json_object *root, const char *k,
    struct address *ad)
{
	json_object	*o = NULL;
	size_t		 i;

	if (root != NULL)
		(void)json_object_object_get_ex(root, k, &o);
	for (i = 0; i < NELEM(address_keys); i++)
		*address_member(ad, i) = jstr(ctx, o, address_keys[i]);
}

void
cart_checkout_parse(struct shop_ctx *ctx, struct str json,
    struct cart_checkout *out)
{
	json_object *root = NULL;

	memset(out, 0, sizeof(*out));
	out->bill_same = 1;
	if (json.len > 0 && json.len < 65536)
		root = json_tokener_parse(json.p);
	if (root != NULL && !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		root = NULL;
	}
	out->email = jstr(ctx, root, "email");
	address_parse(ctx, root, "ship", &out->ship);
	address_parse(ctx, root, "bill", &out->bill);
	out->payment = jstr(ctx, root, "payment");
	if (root != NULL) {
		json_object *v;

		if (json_object_object_get_ex(root, "bill_same", &v))
			out->bill_same = json_object_get_boolean(v);
		out->has_address = jint(root, "step") >= 1;
	}
	out->method_id = jint(root, "method_id");
	if (root != NULL)
		json_object_put(root);
}

static json_object *
jnew_str(struct str s)
{
	return json_object_new_string_len(s.p ? s.p : "", (int)s.len);
}

static json_object *
address_json(const struct address *ad)
{
	json_object	*o = json_object_new_object();
	size_t		 i;

	for (i = 0; i < NELEM(address_keys); i++)
		json_object_object_add(o, address_keys[i],
		    jnew_str(*address_member((struct address *)ad, i)));
	return o;
}

char *
cart_checkout_json(struct arena *a, const struct cart_checkout *c)
{
	json_object	*o = json_object_new_object();
	char		*text;

	json_object_object_add(o, "email", jnew_str(c->email));
	json_object_object_add(o, "ship", address_json(&c->ship));
	json_object_object_add(o, "bill", address_json(&c->bill));
	json_object_object_add(o, "bill_same",
	    json_object_new_boolean(c->bill_same != 0));
	json_object_object_add(o, "method_id",
	    json_object_new_int64(c->method_id));
	json_object_object_add(o, "payment", jnew_str(c->payment));
	json_object_object_add(o, "step",
	    json_object_new_int(c->has_address ? 1 : 0));
	text = arena_strdup(a, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return text;
}
