/*
 * libFuzzer target: the tenant API's body of POST /api/v1/shops, from
 * bytes to a checked provision request: json-c's parser with the
 * limits json_api_body() sets (depth, strict, UTF-8), then
 * tenant_api_body_shop_create().
 *
 * Checked: an accepted body has a slug of 3 to 40 bytes and a name of
 * 1 to 200 characters, every view lies inside the parsed object's
 * strings (read in full here), and a refusal always names a code.
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
#include "../../fcgi-app/core/color.c"
#include "../../fcgi-app/core/crypto.c"
#include "../../fcgi-app/core/i18n.c"
#include "../../fcgi-app/core/money.c"
#include "../../fcgi-app/core/shared.c"
#include "../../fcgi-app/core/tz.c"
#include "../../fcgi-app/core/weight_bands.c"
#include "../../fcgi-app/db/db.c"
#include "../../fcgi-app/platform/account.c"
#include "../../fcgi-app/platform/audit.c"
/* Each module names its statement table q and its size Q__MAX. */
#define q	lockout_q
#define Q__MAX	LOCKOUT_Q__MAX
#include "../../fcgi-app/platform/lockout.c"
#undef q
#undef Q__MAX
#define q	tenant_q
#define Q__MAX	TENANT_Q__MAX
#include "../../fcgi-app/platform/tenant.c"
#undef q
#undef Q__MAX
#include "../../fcgi-app/platform/slug.c"
#include "../../fcgi-app/web/tenant_api_body.c"

#include "web/json_api.h"

/* The validators tenant_api_body.c calls (account_email_norm(),
 * tenant_name_valid(), ...) live beside the database code of their
 * modules, which comes along (never called). */
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener	*tok;
	struct provision_req	 pr;
	json_object		*o;
	const char		*code, *field;
	size_t			 n;

	if (size > JSON_API_BODY_MAX)
		return 0;
	tok = json_tokener_new_ex(JSON_API_DEPTH_MAX);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (o == NULL)
		return 0;
	if (tenant_api_body_shop_create(o, &pr, &code, &field) == 0) {
		if (pr.slug.len < 3 || pr.slug.len > 40 || pr.name.len == 0 ||
		    str_chars(pr.name) > 200)
			abort();
		n = strlen(pr.slug.p) + strlen(pr.name.p) +
		    pr.owner_email.len + pr.owner_password.len +
		    pr.locale.len + pr.currency.len;
		if (n == 0)
			abort();
	} else if (code == NULL || *code == '\0' || field == NULL)
		abort();
	/* A plan's body: numbers in range, null only where a limit. */
	if (json_object_is_type(o, json_type_object)) {
		json_object	*v[TAP__MAX];
		size_t		 i;

		if (tenant_api_body_fields(o, tenant_api_plan_fields,
		    TAP__MAX, v, &code, &field) == 0) {
			for (i = 0; i < TAP__MAX; i++) {
				int64_t x = tenant_api_body_i64(v[i]);

				if (tenant_api_plan_fields[i].kind == TA_TEXT)
					continue;
				if (v[i] == TA_NULL &&
				    tenant_api_plan_fields[i].kind != TA_LIMIT)
					abort();
				if (v[i] != NULL && v[i] != TA_NULL &&
				    (x < 0 || x > (int64_t)
				    tenant_api_plan_fields[i].max))
					abort();
			}
		} else if (code == NULL || field == NULL)
			abort();
	}
	json_object_put(o);
	return 0;
}
