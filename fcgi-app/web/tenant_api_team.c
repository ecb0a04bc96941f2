/*
 * tenant_api_team.c: a shop's custom domains, staff and audit log in
 * the tenant API (README "Tenant API"), the same functions as the
 * admin's pages (platform/domain.h, shop/staff_invite.h,
 * platform/audit.h):
 *
 *	GET    /api/v1/shops/:slug/domains		hosts, checked or not,
 *							with the record to make
 *	POST   /api/v1/shops/:slug/domains		{"host": ...}: waits
 *							for its check
 *	POST   /api/v1/shops/:slug/domains/:host/verify	checks it now
 *	DELETE /api/v1/shops/:slug/domains/:host
 *	GET    /api/v1/shops/:slug/staff		staff and invitations
 *	POST   /api/v1/shops/:slug/staff/invitations	{"email", "role"}
 *	DELETE /api/v1/shops/:slug/staff/invitations/:id
 *	PATCH  /api/v1/shops/:slug/staff/:id		{"role"}
 *	DELETE /api/v1/shops/:slug/staff/:id		ends their sessions
 *	GET    /api/v1/shops/:slug/audit		newest first, 50 a
 *							page (?before=ID)
 *
 * The shop's owner (an account token) or an operator; the plan's
 * limits hold as in the admin (403 souk_plan_limit).
 */
#include "core/common.h"
#include "core/config.h"
#include "core/i18n.h"
#include "platform/audit.h"
#include "platform/domain.h"
#include "platform/quota.h"
#include "shop/shop.h"
#include "shop/staff_invite.h"
#include "web/json_api.h"
#include "web/tenant_api_kit.h"

#define AUTH		TENANT_API_AUTH
#define AUDIT_PAGE	50

static int
limit_error(struct web *w, int64_t tenant, enum plan_limit l)
{
	return json_api_error(w, 403, "souk_plan_limit", quota_message(w->db,
	    w->r->arena, tenant, l));
}

/* --- domains -------------------------------------------------------------- */

static json_object *
domain_json(struct web *w, const struct domain *d)
{
	json_object *o = json_object_new_object();

	jset_cstr(o, "host", d->host);
	jset_bool(o, "verified", d->verified);
	jset_cstr(o, "token", d->token);
	/* What the merchant creates at their DNS provider, and where the
	 * check looks (platform/domain.h). */
	jset_cstr(o, "dns_record", arena_printf(w->r->arena,
	    "%s. CNAME %s.", d->host, config_get("platform_domain",
	    "localhost")));
	jset_cstr(o, "check_url", arena_printf(w->r->arena,
	    "http://%s" DOMAIN_WELL_KNOWN "%s", d->host, d->token));
	if (d->checked_at[0] != '\0')
		jset_cstr(o, "checked_at", d->checked_at);
	else
		json_object_object_add(o, "checked_at", NULL);
	jset_cstr(o, "error", d->error);
	return o;
}

static int
domains_of(struct web *w, const struct tenant *t, int status,
    const char *only)
{
	struct domain	*d;
	size_t		 n, i;
	json_object	*arr;

	if (domain_list(w->db, w->r->arena, t->id, &d, &n) != DOMAIN_OK)
		return tenant_api_unavailable(w);
	if (only != NULL) {
		for (i = 0; i < n; i++)
			if (strcmp(d[i].host, only) == 0)
				return json_api_send(w, status,
				    domain_json(w, &d[i]));
		return tenant_api_unavailable(w);
	}
	arr = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(arr, domain_json(w, &d[i]));
	return json_api_send(w, status, arr);
}

static int
domains_list(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	return domains_of(w, &t, 200, NULL);
}

static const struct tenant_api_field domain_fields[] = {
	{ "host", TA_TEXT, 253, 1 },
};

/* The host as souk keeps it (lower case, no port, no dot at the end),
 * or 0 when it is no host name. */
static int
host_of(struct str in, char out[TENANT_HOST_MAX + 1])
{
	size_t n;

	if (tenant_host_norm(in, out) != 0)
		return 0;
	/* "shop.example." is DNS's spelling of "shop.example" */
	if ((n = strlen(out)) > 0 && out[n - 1] == '.')
		out[--n] = '\0';
	return domain_valid(out, n);
}

static int
domain_create(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	json_object	*body, *v[1];
	char		 host[TENANT_HOST_MAX + 1];
	int		 rc;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	if (tenant_api_read_body(w, domain_fields, 1, v, &body) == -1)
		return 0;
	if (!host_of(tenant_api_body_str(v[0]), host)) {
		rc = tenant_api_field_error(w, "souk_rest_invalid_value",
		    "host");
		goto done;
	}
	switch (domain_request(w->db, t.id, str_c(host))) {
	case DOMAIN_OK:
		rc = domains_of(w, &t, 201, host);
		break;
	case DOMAIN_EINVAL_HOST:
		rc = tenant_api_field_error(w, "souk_rest_invalid_value",
		    "host");
		break;
	case DOMAIN_ETAKEN:
		rc = json_api_error(w, 409, "souk_rest_domain_taken",
		    _("This domain is in use already."));
		break;
	case DOMAIN_EQUOTA:
		rc = limit_error(w, t.id, PLAN_DOMAINS);
		break;
	default:
		rc = tenant_api_unavailable(w);
		break;
	}
done:
	json_object_put(body);
	return rc;
}

/* The route's :host (params[1]) normalised; 0 when it is none. */
static int
route_host(struct web *w, char host[TENANT_HOST_MAX + 1])
{
	return w->r->nparams >= 2 && host_of(w->r->params[1].val, host);
}

static int
domain_check(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	char		 host[TENANT_HOST_MAX + 1], why[256];

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	if (!route_host(w, host))
		goto missing;
	switch (domain_verify(w->db, t.id, str_c(host), why, sizeof(why))) {
	case DOMAIN_OK:
		return domains_of(w, &t, 200, host);
	case DOMAIN_EUNVERIFIED:
		return json_api_error(w, 409, "souk_rest_domain_unverified",
		    arena_printf(r->arena, _("The check failed: %s"), why));
	case DOMAIN_ENOTFOUND:
		goto missing;
	default:
		return tenant_api_unavailable(w);
	}
missing:
	return json_api_error(w, 404, "souk_rest_domain_invalid",
	    _("This shop has no such domain."));
}

static int
domain_delete(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	char		 host[TENANT_HOST_MAX + 1];
	json_object	*o;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	if (!route_host(w, host))
		return json_api_error(w, 404, "souk_rest_domain_invalid",
		    _("This shop has no such domain."));
	if (domain_remove(w->db, t.id, str_c(host)) != DOMAIN_OK)
		return tenant_api_unavailable(w);
	o = json_object_new_object();
	jset_cstr(o, "host", host);
	jset_bool(o, "deleted", 1);
	return json_api_send(w, 200, o);
}

/* --- staff ---------------------------------------------------------------- */

static int
staff_get(struct req *r)
{
	struct web		*w = web_of(r);
	struct tenant		 t;
	struct shop_ctx		 ctx;
	struct staff_member	*s;
	struct staff_invitation	*inv;
	size_t			 n, ni, i;
	json_object		*o, *arr, *x;

	if (tenant_api_ready_shop(w, &t, &ctx) == -1)
		return 0;
	if (staff_list(&ctx, &s, &n) != SHOP_OK ||
	    staff_invitations(&ctx, &inv, &ni) != SHOP_OK)
		return tenant_api_unavailable(w);
	o = json_object_new_object();
	arr = jset_arr(o, "staff");
	for (i = 0; i < n; i++) {
		x = jarr_obj(arr);
		jset_i64(x, "id", s[i].id);
		jset_str(x, "email", s[i].email);
		jset_str(x, "role", s[i].role);
		jset_str(x, "created_at", s[i].created_at);
	}
	arr = jset_arr(o, "invitations");
	for (i = 0; i < ni; i++) {
		x = jarr_obj(arr);
		jset_i64(x, "id", inv[i].id);
		jset_str(x, "email", inv[i].email);
		jset_str(x, "role", inv[i].role);
		jset_str(x, "expires_at", inv[i].expires_at);
	}
	return json_api_send(w, 200, o);
}

static const struct tenant_api_field invite_fields[] = {
	{ "email", TA_TEXT, 254, 1 },
	{ "role", TA_TEXT, 10, 1 },
};

static int
staff_invite_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct tenant		 t;
	struct shop_ctx		 ctx;
	struct staff_member	*s;
	struct field_errors	 errs;
	json_object		*body, *v[2], *o;
	size_t			 n;
	int			 rc;

	if (tenant_api_ready_shop(w, &t, &ctx) == -1)
		return 0;
	if (tenant_api_read_body(w, invite_fields, 2, v, &body) == -1)
		return 0;
	/* The invitation comes from the owner (staff_list() puts them
	 * first), in the shop's language. */
	if (staff_list(&ctx, &s, &n) != SHOP_OK || n == 0) {
		rc = tenant_api_unavailable(w);
		goto done;
	}
	memset(&errs, 0, sizeof(errs));
	switch (staff_invite(&ctx, tenant_api_body_str(v[0]),
	    tenant_api_body_str(v[1]), s[0].id, tenant_link(r->arena, t.slug,
	    "/"), t.default_locale, &errs)) {
	case SHOP_OK:
		o = json_object_new_object();
		jset_str(o, "email", tenant_api_body_str(v[0]));
		jset_str(o, "role", tenant_api_body_str(v[1]));
		jset_bool(o, "invited", 1);
		rc = json_api_send(w, 201, o);
		break;
	case SHOP_EINVAL:
	case SHOP_ECONFLICT:
		rc = tenant_api_field_error(w, "souk_rest_invalid_value",
		    errs.n > 0 ? errs.v[0].field : "email");
		break;
	case SHOP_EQUOTA:
		rc = limit_error(w, t.id, PLAN_STAFF);
		break;
	default:
		rc = tenant_api_unavailable(w);
		break;
	}
done:
	json_object_put(body);
	return rc;
}

/* The owner's row is as missing as none. */
static int
staff_missing(struct web *w)
{
	return json_api_error(w, 404, "souk_rest_staff_invalid",
	    _("There is no such staff member (the owner's role never "
	    "changes)."));
}

/* The route's second parameter as an id, or 0. */
static int64_t
route_id(struct web *w)
{
	int64_t id;

	if (w->r->nparams < 2 || str_to_i64(w->r->params[1].val, 1,
	    INT64_MAX, &id) != 0)
		return 0;
	return id;
}

static int
staff_invite_delete(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	struct shop_ctx	 ctx;
	json_object	*o;

	if (tenant_api_ready_shop(w, &t, &ctx) == -1)
		return 0;
	if (staff_invite_cancel(&ctx, route_id(w)) != SHOP_OK)
		return tenant_api_unavailable(w);
	o = json_object_new_object();
	jset_bool(o, "deleted", 1);
	return json_api_send(w, 200, o);
}

static const struct tenant_api_field role_fields[] = {
	{ "role", TA_TEXT, 10, 1 },
};

static int
staff_patch(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	struct shop_ctx	 ctx;
	json_object	*body, *v[1], *o;
	struct str	 role;
	int		 rc;

	if (tenant_api_ready_shop(w, &t, &ctx) == -1)
		return 0;
	if (tenant_api_read_body(w, role_fields, 1, v, &body) == -1)
		return 0;
	role = tenant_api_body_str(v[0]);
	if (!str_eqc(role, "manager") && !str_eqc(role, "clerk")) {
		rc = tenant_api_field_error(w, "souk_rest_invalid_value",
		    "role");
		goto done;
	}
	switch (staff_set_role(&ctx, route_id(w), role)) {
	case SHOP_OK:
		o = json_object_new_object();
		jset_i64(o, "id", route_id(w));
		jset_str(o, "role", role);
		rc = json_api_send(w, 200, o);
		break;
	case SHOP_ENOTFOUND:
		rc = staff_missing(w);
		break;
	default:
		rc = tenant_api_unavailable(w);
		break;
	}
done:
	json_object_put(body);
	return rc;
}

static int
staff_delete(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	struct shop_ctx	 ctx;
	json_object	*o;

	if (tenant_api_ready_shop(w, &t, &ctx) == -1)
		return 0;
	switch (staff_remove(&ctx, route_id(w))) {
	case SHOP_OK:
		break;
	case SHOP_ENOTFOUND:
		return staff_missing(w);
	default:
		return tenant_api_unavailable(w);
	}
	o = json_object_new_object();
	jset_i64(o, "id", route_id(w));
	jset_bool(o, "deleted", 1);
	return json_api_send(w, 200, o);
}

/* --- audit ---------------------------------------------------------------- */

/* A JSON text of the log as an object (or null). */
static json_object *
parsed(struct str s)
{
	struct json_tokener	*tok;
	json_object		*o;

	if (s.len == 0)
		return NULL;
	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, s.p, (int)s.len);
	json_tokener_free(tok);
	return o;
}

static int
audit_get(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*q = req_query(r, "before");
	struct tenant		 t;
	struct audit_entry	*v;
	int64_t			 before = 0;
	size_t			 n, i;
	json_object		*arr, *o;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	if (q != NULL && str_to_i64(*q, 1, INT64_MAX, &before) != 0)
		return tenant_api_field_error(w, "souk_rest_invalid_param",
		    "before");
	if (audit_list(w->db, r->arena, t.id, before, AUDIT_PAGE, &v, &n) ==
	    -1)
		return tenant_api_unavailable(w);
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		o = jarr_obj(arr);
		jset_i64(o, "id", v[i].id);
		jset_str(o, "at", v[i].at);
		jset_str(o, "actor", v[i].actor);
		jset_str(o, "who", v[i].actor_label);
		jset_str(o, "address", v[i].addr);
		jset_str(o, "agent", v[i].agent);
		jset_str(o, "action", v[i].action);
		jset_str(o, "object", v[i].object);
		jset_i64(o, "object_id", v[i].object_id);
		json_object_object_add(o, "before", parsed(v[i].before));
		json_object_object_add(o, "after", parsed(v[i].after));
	}
	return json_api_send(w, 200, arr);
}

const struct route tenant_api_team_routes[] = {
	{ HTTP_GET, "/api/v1/shops/:slug/domains", domains_list, AUTH, NULL },
	{ HTTP_POST, "/api/v1/shops/:slug/domains", domain_create, AUTH,
	    NULL },
	{ HTTP_POST, "/api/v1/shops/:slug/domains/:host/verify", domain_check,
	    AUTH, NULL },
	{ HTTP_DELETE, "/api/v1/shops/:slug/domains/:host", domain_delete,
	    AUTH, NULL },
	{ HTTP_GET, "/api/v1/shops/:slug/staff", staff_get, AUTH, NULL },
	{ HTTP_POST, "/api/v1/shops/:slug/staff/invitations",
	    staff_invite_post, AUTH, NULL },
	{ HTTP_DELETE, "/api/v1/shops/:slug/staff/invitations/:id",
	    staff_invite_delete, AUTH, NULL },
	{ HTTP_PATCH, "/api/v1/shops/:slug/staff/:id", staff_patch, AUTH,
	    NULL },
	{ HTTP_DELETE, "/api/v1/shops/:slug/staff/:id", staff_delete, AUTH,
	    NULL },
	{ HTTP_GET, "/api/v1/shops/:slug/audit", audit_get, AUTH, NULL },
};

const size_t tenant_api_team_nroutes = NELEM(tenant_api_team_routes);
