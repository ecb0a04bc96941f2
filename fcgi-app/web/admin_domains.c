/* admin_domains.c: /admin/domains (admin_domains.h). */
#include "core/common.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "platform/domain.h"
#include "platform/quota.h"
#include "platform/tenant.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_domains.h"
#include "web/form.h"
#include "web/page.h"

#define SETTINGS	(ADMIN_AUTH | ADMIN_PERM(PERM_SETTINGS))

static const struct field host_fields[] = {
	{ "host", FIELD_TEXT, 1, 253, FIELD_REQUIRED | FIELD_ASCII,
	    N_("Enter a domain name such as shop.example.com."), NULL },
	{ 0 }
};

static const struct field page_fields[] = {
	{ "done", FIELD_ENUM, 0, 0, FIELD_QUERY, NULL,
	    (const char *const[]){ "added", "verified", "removed", NULL } },
	{ 0 }
};

/* The record the name needs: a CNAME to the shop's own name; a name
 * of two labels (example.com) cannot have one: an A record. */
static void
dns_record(struct web *w, json_object *o, const char *host)
{
	const char	*ip = config_get("platform_ipv4", "");
	const char	*dot = strchr(host, '.');

	if (dot != NULL && strchr(dot + 1, '.') != NULL) {
		jset_cstr(o, "dns_type", "CNAME");
		jset_cstr(o, "dns_value", arena_printf(w->r->arena, "%s.%s.",
		    w->tenant->slug, config_get("platform_domain",
		    "localhost")));
	} else {
		jset_cstr(o, "dns_type", "A");
		jset_cstr(o, "dns_value", *ip ? ip : _("the platform's address "
		    "(ask its operator)"));
	}
}

static int
domains_page(struct web *w, int status, const char *error)
{
	struct domain	*v;
	size_t		 n, i;
	json_object	*m, *arr;
	static const char *const flashes[] = { N_("The domain is added. "
	    "Create its DNS record, then check it."), N_("Verified: the "
	    "domain now shows your shop."), N_("The domain is removed.") };

	if (domain_list(w->db, w->r->arena, w->shop.tenant, &v, &n) !=
	    DOMAIN_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, _("Domains"), "nav_domains");
	jset_cstr(m, "own_host", arena_printf(w->r->arena, "%s.%s",
	    w->tenant->slug, config_get("platform_domain", "localhost")));
	arr = jset_arr(m, "domains");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "host", v[i].host);
		jset_bool(o, "verified", v[i].verified);
		if (v[i].checked_at[0])
			jset_cstr(o, "checked_at", v[i].checked_at);
		if (v[i].error[0])
			jset_cstr(o, "error", v[i].error);
		jset_cstr(o, "check_url", arena_printf(w->r->arena,
		    "http://%s" DOMAIN_WELL_KNOWN "%s", v[i].host,
		    v[i].token));
		dns_record(w, o, v[i].host);
	}
	if (error != NULL)
		jset_cstr(m, "error", error);
	if (form_has(&w->form, "done"))
		jset_cstr(m, "flash", _(flashes[form_i64(&w->form, "done")]));
	return page_render(w, status, "admin/domains");
}

static int
domains_get(struct req *r)
{
	return domains_page(web_of(r), 200, NULL);
}

static int
domain_add_post(struct req *r)
{
	struct web	*w = web_of(r);
	enum domain_err	 e;

	if (w->form.errs.n)
		return domains_page(w, 422, _(w->form.errs.v[0].msgid));
	e = domain_request(w->db, w->shop.tenant, form_text(&w->form, "host"));
	switch (e) {
	case DOMAIN_OK:
		return page_redirect(w, "/admin/domains?done=added");
	case DOMAIN_EINVAL_HOST:
		return domains_page(w, 422, _("Enter a domain name such as "
		    "shop.example.com: not an address of the platform."));
	case DOMAIN_ETAKEN:
		return domains_page(w, 409, _("This domain is in use already."));
	case DOMAIN_EQUOTA:
		return domains_page(w, 403, quota_message(w->db, r->arena,
		    w->shop.tenant, PLAN_DOMAINS));
	default:
		return page_error(w, 503, NULL);
	}
}

static int
domain_verify_post(struct req *r)
{
	struct web	*w = web_of(r);
	char		 err[256];
	enum domain_err	 e;

	e = domain_verify(w->db, w->shop.tenant, form_text(&w->form, "host"),
	    err, sizeof(err));
	if (e == DOMAIN_OK)
		return page_redirect(w, "/admin/domains?done=verified");
	if (e == DOMAIN_ENOTFOUND)
		return page_error(w, 404, NULL);
	if (e == DOMAIN_EUNVERIFIED)
		return domains_page(w, 422, arena_printf(r->arena, _("The "
		    "check did not reach this shop: %s. Has the DNS record "
		    "been created, and has it spread (this can take an "
		    "hour)?"), err));
	return page_error(w, 503, NULL);
}

static int
domain_remove_post(struct req *r)
{
	struct web *w = web_of(r);

	if (domain_remove(w->db, w->shop.tenant, form_text(&w->form,
	    "host")) != DOMAIN_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/admin/domains?done=removed");
}

const struct route admin_domains_routes[] = {
	{ HTTP_GET, "/admin/domains", domains_get, SETTINGS, page_fields },
	{ HTTP_POST, "/admin/domains", domain_add_post,
	    SETTINGS | ROUTE_FORM_ERRORS, host_fields },
	{ HTTP_POST, "/admin/domains/verify", domain_verify_post, SETTINGS,
	    host_fields },
	{ HTTP_POST, "/admin/domains/remove", domain_remove_post, SETTINGS,
	    host_fields },
};

const size_t admin_domains_nroutes = NELEM(admin_domains_routes);
