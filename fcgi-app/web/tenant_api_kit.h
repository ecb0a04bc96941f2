/*
 * tenant_api_kit.h: what the tenant API's modules share (web/tenant_api.c
 * owns them): the route flags, errors in WooCommerce's shape, a body
 * read against a field table, and the shop of the route's slug.
 */
#ifndef SOUK_WEB_TENANT_API_KIT_H
#define SOUK_WEB_TENANT_API_KIT_H

#include <json.h>
#include "http/router.h"
#include "platform/tenant.h"
#include "web/page.h"
#include "web/tenant_api_body.h"

#define TENANT_API_AUTH		1	/* a key or a token */
#define TENANT_API_OPERATOR	2	/* an operator's key */

/* 400 naming field (may be "") with code's message. */
int	tenant_api_field_error(struct web *w, const char *code,
	    const char *field);

/* The request's body and its fields (tenant_api_body_fields()) into
 * *body and v: 0, or -1 when it answered the error (body released). */
int	tenant_api_read_body(struct web *w, const struct tenant_api_field *f,
	    size_t n, json_object **v, json_object **body);

/* 503 with Retry-After. Returns what json_api_error() returns. */
int	tenant_api_unavailable(struct web *w);

/* The shop of the route's :slug into *t when the caller may see it
 * (operators: any; accounts: their own; else a 404). 0, or -1 when it
 * answered. */
int	tenant_api_find_shop(struct web *w, struct tenant *t);

/* The plans' routes (web/tenant_api_plans.c). */
extern const struct route	tenant_api_plan_routes[];
extern const size_t		tenant_api_plan_nroutes;

/* A shop's domains, staff and audit log (web/tenant_api_team.c). */
extern const struct route	tenant_api_team_routes[];
extern const size_t		tenant_api_team_nroutes;

/* The same, when the shop is set up (its tables exist; else a 409),
 * with a context on it in *ctx. */
int	tenant_api_ready_shop(struct web *w, struct tenant *t,
	    struct shop_ctx *ctx);

/* The invoices' routes (web/tenant_api_billing.c). */
extern const struct route	tenant_api_billing_routes[];
extern const size_t		tenant_api_billing_nroutes;

/* A shop's plan and its limits, for the shop's usage. */
json_object	*tenant_api_plan_json(const struct plan *p);

#endif
