/*
 * wc_misc_body.h: the JSON bodies of the WooCommerce API's coupons and
 * webhooks (web/wc_coupons.c, web/wc_webhooks_api.c) read into souk's
 * structs by pure functions (no I/O): the handlers and the fuzz target
 * tests/fuzz/wc_misc_body.c run the same code.
 *
 * A member of a type WooCommerce would refuse, a value souk cannot keep
 * (a fixed_product coupon, an excluded product) or too long a text
 * (characters) is refused with the member's name and an untranslated
 * message (N_()); members WooCommerce has and souk ignores (meta_data,
 * description when empty) and unknown ones are passed over, as
 * WordPress passes over unknown members. Views point into the body.
 */
#ifndef SOUK_SHOP_WC_MISC_BODY_H
#define SOUK_SHOP_WC_MISC_BODY_H

#include <json-c/json.h>

#include "core/arena.h"
#include "shop/coupon.h"
#include "shop/wc_webhook.h"

/*
 * Applies body (an object) to *c: on a create c holds souk's defaults,
 * on an update the coupon as it is. currency is the shop's (amounts).
 * Returns 0, or -1 with *field (a member of body) and *msgid.
 */
int	wc_coupon_body(json_object *body, struct arena *a,
	    const char *currency, struct coupon *c, const char **field,
	    const char **msgid);

/* The same for a webhook: name, status (active, paused, disabled),
 * topic, delivery_url, secret. */
int	wc_webhook_body(json_object *body, struct wc_webhook_in *in,
	    const char **field, const char **msgid);

#endif
