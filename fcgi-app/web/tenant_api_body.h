/*
 * tenant_api_body.h: the fields of the tenant API's JSON bodies
 * (web/tenant_api.c), checked by pure functions (no I/O): the
 * handlers and the fuzz target tests/fuzz/tenant_api_body.c call the
 * same code.
 *
 * Each endpoint declares its fields in a table: a member of the body
 * not in the table, of another JSON type, over its length (counted in
 * characters), or not valid UTF-8 text is refused with a code and the
 * field's name. Nothing here allocates; the views returned point into
 * the body's strings and live as long as the body.
 */
#ifndef SOUK_WEB_TENANT_API_BODY_H
#define SOUK_WEB_TENANT_API_BODY_H

#include <stddef.h>
#include <json-c/json.h>

#include "core/str.h"
#include "platform/plan.h"
#include "platform/provision.h"

enum tenant_api_kind {
	TA_TEXT,	/* a string of at most max characters */
	TA_LIST,	/* an array of at most max strings of <= 8 bytes
			 * (language and currency codes) */
	TA_INT,		/* a whole number in [0, max] */
	TA_LIMIT,	/* a whole number in [0, max], or null (no limit) */
};

struct tenant_api_field {
	const char		*name;
	enum tenant_api_kind	 kind;
	size_t			 max;
	int			 required;
};

/*
 * Checks body's members (body is an object) against t[0..n): every
 * member is known, of its kind and within its length; every required
 * one is there. vals[i] is t[i]'s value or NULL (borrowed from body).
 * Returns 0, or -1 with *code ("souk_rest_unknown_field",
 * "souk_rest_invalid_type", "souk_rest_too_long",
 * "souk_rest_invalid_value", "souk_rest_missing_field") and *field the
 * member at fault (a key of body or a name of t).
 */
int	tenant_api_body_fields(json_object *body,
	    const struct tenant_api_field *t, size_t n, json_object **vals,
	    const char **code, const char **field);

/* What tenant_api_body_fields() puts in vals[] for a TA_LIMIT member
 * that is null: not a json-c object (never pass it to json-c). */
extern json_object *const TA_NULL;

/* A TA_INT or TA_LIMIT value: the number, or -1 for TA_NULL (or an
 * absent member). */
int64_t		tenant_api_body_i64(json_object *v);

/* A string value as a view (empty when v is NULL). */
struct str	tenant_api_body_str(json_object *v);

/*
 * The members of a plan's body (POST /api/v1/plans, PATCH
 * /api/v1/plans/:code), TAP_* in this order: code, name, price (minor
 * units), the limits in enum plan_limit's order (null: no limit;
 * media in bytes), trial_days. Code, name and price are required to
 * create; a PATCH changes what it names.
 */
enum { TAP_CODE, TAP_NAME, TAP_PRICE, TAP_LIMITS,
    TAP_TRIAL = TAP_LIMITS + PLAN_LIMIT__MAX, TAP__MAX };
extern const struct tenant_api_field tenant_api_plan_fields[TAP__MAX];

/*
 * Reads the body of POST /api/v1/shops into *out: slug and name
 * (required), owner_email, owner_password, locale, currency, each
 * checked as provision_shop() checks it (slug syntax, name, e-mail,
 * known language and currency); the slug's being free and the owner
 * are the handler's. Returns 0, or -1 with *code and *field ("" for a
 * body that is not an object).
 */
int	tenant_api_body_shop_create(json_object *body,
	    struct provision_req *out, const char **code,
	    const char **field);

#endif
