/*
 * libFuzzer target: the bodies of the WooCommerce API's coupons and
 * webhooks (shop/wc_misc_body.c), from bytes: json-c's parser with the
 * limits json_api_body() sets, then wc_coupon_body() on a coupon as a
 * create starts and as an update of a free-shipping one, and
 * wc_webhook_body(), then coupon_check() on what was accepted.
 *
 * Checked: a refusal names a member and a message; an accepted coupon
 * has a kind souk knows, a code of at most 40 characters, lists that
 * coupon_ids_valid() takes and a percentage's amount within 0..10000;
 * every view is read in full (ASan sees one outside its string).
 */
#include "core/common.h"

#include "../../fcgi-app/core/arena.c"
#include "../../fcgi-app/core/config.c"
#include "../../fcgi-app/core/log.c"
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/strbuf.c"
#include "../../fcgi-app/core/xalloc.c"
#include "../../fcgi-app/core/cache.c"
#include "../../fcgi-app/core/clock.c"
#include "../../fcgi-app/core/metrics.c"
#include "../../fcgi-app/core/crypto.c"
#include "../../fcgi-app/core/i18n.c"
#include "../../fcgi-app/core/money.c"
#include "../../fcgi-app/core/shared.c"
#include "../../fcgi-app/core/tz.c"
#include "../../fcgi-app/db/db.c"
#include "../../fcgi-app/shop/shop.c"
#define sql	coupon_sql
#include "../../fcgi-app/shop/coupon.c"
#undef sql
#include "../../fcgi-app/shop/wc_misc_body.c"

#include "web/json_api.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* wc_webhook.c's, which brings the fetcher and the job queue along. */
int
wc_webhook_status_parse(struct str s, enum wc_webhook_status *out)
{
	static const char *const names[] = { "active", "paused", "disabled" };
	int i = str_index(s, names, 3);

	if (i < 0)
		return -1;
	*out = (enum wc_webhook_status)i;
	return 0;
}

static volatile size_t sink;

static void
touch(struct str s)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		sink += (unsigned char)s.p[i];
}

static void
coupon(json_object *o, struct arena *a, enum coupon_kind kind)
{
	struct coupon		 c;
	struct shop_ctx		 ctx;
	struct field_errors	 errs = { .n = 0 };
	const char		*field = NULL, *msgid = NULL;

	memset(&c, 0, sizeof(c));
	c.kind = kind;
	memset(&ctx, 0, sizeof(ctx));
	ctx.a = a;
	if (wc_coupon_body(o, a, "EUR", &c, &field, &msgid) == -1) {
		if (field == NULL || msgid == NULL || *msgid == '\0')
			abort();
		return;
	}
	touch(c.code);
	touch(c.expires_on);
	touch(c.product_ids);
	touch(c.category_ids);
	if ((unsigned)c.kind >= COUPON__MAX || str_chars(c.code) > 40 ||
	    !coupon_ids_valid(c.product_ids) ||
	    !coupon_ids_valid(c.category_ids) ||
	    (c.kind == COUPON_PERCENT && c.amount > 10000))
		abort();
	(void)coupon_check(&ctx, &c, &errs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener	*tok;
	struct wc_webhook_in	 in;
	struct arena		 ar, *a = &ar;
	json_object		*o;
	const char		*field = NULL, *msgid = NULL;

	if (size > JSON_API_BODY_MAX)
		return 0;
	tok = json_tokener_new_ex(JSON_API_DEPTH_MAX);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (o == NULL)
		return 0;
	arena_init(a);
	coupon(o, a, COUPON_FIXED);
	coupon(o, a, COUPON_FREE_SHIPPING);
	memset(&in, 0, sizeof(in));
	if (wc_webhook_body(o, &in, &field, &msgid) == -1) {
		if (field == NULL || msgid == NULL)
			abort();
	} else {
		touch(in.name);
		touch(in.topic);
		touch(in.delivery_url);
		touch(in.secret);
		if (in.status >= WC_WEBHOOK__MAX)
			abort();
	}
	arena_free(a);
	json_object_put(o);
	return 0;
}
