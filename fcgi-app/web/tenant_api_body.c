/* tenant_api_body.c: the tenant API's bodies (tenant_api_body.h). */
#include "core/common.h"

#include "platform/account.h"
#include "platform/plan.h"
#include "platform/slug.h"
#include "platform/tenant.h"
#include "web/tenant_api_body.h"

int
tenant_api_body_fields(json_object *body, const struct tenant_api_field *t,
    size_t n, json_object **vals, const char **code, const char **field)
{
	size_t	i, j;

	for (i = 0; i < n; i++)
		vals[i] = NULL;
	json_object_object_foreach(body, key, v) {
		for (i = 0; i < n && strcmp(t[i].name, key) != 0; i++)
			;
		*field = key;
		if (i == n) {
			*code = "souk_rest_unknown_field";
			return -1;
		}
		if (t[i].kind == TA_TEXT) {
			struct str s;

			if (!json_object_is_type(v, json_type_string)) {
				*code = "souk_rest_invalid_type";
				return -1;
			}
			s = (struct str){ json_object_get_string(v),
			    (size_t)json_object_get_string_len(v) };
			if (!str_valid_text(s)) {
				*code = "souk_rest_invalid_value";
				return -1;
			}
			if (str_chars(s) > t[i].max) {
				*code = "souk_rest_too_long";
				return -1;
			}
		} else if (t[i].kind == TA_INT || t[i].kind == TA_LIMIT) {
			/* json-c keeps a null member as a NULL value. */
			if (v == NULL && t[i].kind == TA_LIMIT) {
				vals[i] = TA_NULL;
				continue;
			}
			if (v == NULL || !json_object_is_type(v,
			    json_type_int)) {
				*code = "souk_rest_invalid_type";
				return -1;
			}
			if (json_object_get_int64(v) < 0 ||
			    json_object_get_int64(v) > (int64_t)t[i].max) {
				*code = "souk_rest_invalid_value";
				return -1;
			}
		} else {
			size_t m;

			if (!json_object_is_type(v, json_type_array)) {
				*code = "souk_rest_invalid_type";
				return -1;
			}
			m = json_object_array_length(v);
			if (m > t[i].max) {
				*code = "souk_rest_too_long";
				return -1;
			}
			for (j = 0; j < m; j++) {
				json_object *e = json_object_array_get_idx(v,
				    j);

				if (!json_object_is_type(e, json_type_string)) {
					*code = "souk_rest_invalid_type";
					return -1;
				}
				if (json_object_get_string_len(e) > 8) {
					*code = "souk_rest_invalid_value";
					return -1;
				}
			}
		}
		vals[i] = v;
	}
	for (i = 0; i < n; i++)
		if (t[i].required && vals[i] == NULL) {
			*field = t[i].name;
			*code = "souk_rest_missing_field";
			return -1;
		}
	*field = "";
	return 0;
}

static char	ta_null_mark;
json_object	*const TA_NULL = (json_object *)&ta_null_mark;

int64_t
tenant_api_body_i64(json_object *v)
{
	if (v == NULL || v == TA_NULL)
		return -1;
	return json_object_get_int64(v);
}

struct str
tenant_api_body_str(json_object *v)
{
	if (v == NULL)
		return STR("");
	return (struct str){ json_object_get_string(v),
	    (size_t)json_object_get_string_len(v) };
}

const struct tenant_api_field tenant_api_plan_fields[TAP__MAX] = {
	[TAP_CODE] = { "code", TA_TEXT, PLAN_CODE_MAX, 0 },
	[TAP_NAME] = { "name", TA_TEXT, PLAN_NAME_MAX, 0 },
	[TAP_PRICE] = { "price", TA_INT, (size_t)PLAN_PRICE_MAX, 0 },
	[TAP_LIMITS + PLAN_PRODUCTS] = { "max_products", TA_LIMIT,
	    (size_t)PLAN_LIMIT_MAX, 0 },
	[TAP_LIMITS + PLAN_STAFF] = { "max_staff", TA_LIMIT,
	    (size_t)PLAN_LIMIT_MAX, 0 },
	[TAP_LIMITS + PLAN_MEDIA_BYTES] = { "max_media_bytes", TA_LIMIT,
	    (size_t)PLAN_LIMIT_MAX, 0 },
	[TAP_LIMITS + PLAN_ORDERS_MONTH] = { "max_orders_month", TA_LIMIT,
	    (size_t)PLAN_LIMIT_MAX, 0 },
	[TAP_LIMITS + PLAN_API_15MIN] = { "max_api_15min", TA_LIMIT,
	    (size_t)PLAN_LIMIT_MAX, 0 },
	[TAP_LIMITS + PLAN_DOMAINS] = { "max_domains", TA_LIMIT,
	    (size_t)PLAN_LIMIT_MAX, 0 },
	[TAP_TRIAL] = { "trial_days", TA_INT, PLAN_TRIAL_MAX, 0 },
};

enum { SC_SLUG, SC_NAME, SC_EMAIL, SC_PASSWORD, SC_LOCALE, SC_CURRENCY,
    SC__MAX };

static const struct tenant_api_field shop_create_fields[SC__MAX] = {
	[SC_SLUG] = { "slug", TA_TEXT, SLUG_MAX, 1 },
	[SC_NAME] = { "name", TA_TEXT, 200, 1 },
	[SC_EMAIL] = { "owner_email", TA_TEXT, ACCOUNT_EMAIL_MAX, 0 },
	[SC_PASSWORD] = { "owner_password", TA_TEXT, ACCOUNT_PW_MAX, 0 },
	[SC_LOCALE] = { "locale", TA_TEXT, 8, 0 },
	[SC_CURRENCY] = { "currency", TA_TEXT, 3, 0 },
};

int
tenant_api_body_shop_create(json_object *body, struct provision_req *out,
    const char **code, const char **field)
{
	json_object	*v[SC__MAX];
	char		 email[ACCOUNT_EMAIL_MAX + 1];

	memset(out, 0, sizeof(*out));
	*field = "";
	if (!json_object_is_type(body, json_type_object)) {
		*code = "souk_rest_invalid_body";
		return -1;
	}
	if (tenant_api_body_fields(body, shop_create_fields, SC__MAX, v, code,
	    field) == -1)
		return -1;
	out->slug = tenant_api_body_str(v[SC_SLUG]);
	out->name = tenant_api_body_str(v[SC_NAME]);
	out->owner_email = tenant_api_body_str(v[SC_EMAIL]);
	out->owner_password = tenant_api_body_str(v[SC_PASSWORD]);
	out->locale = tenant_api_body_str(v[SC_LOCALE]);
	out->currency = tenant_api_body_str(v[SC_CURRENCY]);
	*code = "souk_rest_invalid_value";
	if (slug_check(out->slug) == SLUG_EINVAL) {
		*field = "slug";
		return -1;
	}
	if (!tenant_name_valid(out->name)) {
		*field = "name";
		return -1;
	}
	if (v[SC_EMAIL] != NULL && account_email_norm(out->owner_email, email,
	    sizeof(email)) == -1) {
		*field = "owner_email";
		return -1;
	}
	if (out->locale.len && !tenant_locale_known(out->locale)) {
		*field = "locale";
		return -1;
	}
	if (out->currency.len && !tenant_currency_known(out->currency)) {
		*field = "currency";
		return -1;
	}
	*code = "";
	return 0;
}
