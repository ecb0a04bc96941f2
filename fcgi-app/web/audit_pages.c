/* audit_pages.c: /admin/audit and /operator/audit (audit_pages.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "platform/audit.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/audit_pages.h"
#include "web/form.h"
#include "web/operator_plans.h"
#include "web/page.h"

#define AUDIT_PAGE	50

static const struct field list_fields[] = {
	{ "before", FIELD_ID, 0, 0, FIELD_QUERY, NULL, NULL },
	{ "shop", FIELD_ID, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

static const char *
actor_label(struct str kind)
{
	if (str_eqc(kind, "staff"))
		return _("Staff");
	if (str_eqc(kind, "account"))
		return _("Account");
	if (str_eqc(kind, "operator"))
		return _("Operator");
	if (str_eqc(kind, "api_key"))
		return _("API key");
	if (str_eqc(kind, "operator_key"))
		return _("Operator's key");
	if (str_eqc(kind, "soukctl"))
		return "soukctl";
	return _("System");
}

/* A JSON value as text: strings as they are, null as "—". */
static const char *
value_text(json_object *v)
{
	if (v == NULL)
		return "—";
	return json_object_get_string(v);
}

/* The fields of an entry: name, before, after (a side "" when the
 * entry has none: made or deleted). */
static void
changes(json_object *arr, struct str before, struct str after)
{
	struct json_tokener	*tok = json_tokener_new();
	json_object		*b = NULL, *a = NULL, *base;

	if (before.len)
		b = json_tokener_parse_ex(tok, before.p, (int)before.len);
	json_tokener_reset(tok);
	if (after.len)
		a = json_tokener_parse_ex(tok, after.p, (int)after.len);
	json_tokener_free(tok);
	base = a != NULL ? a : b;
	if (base != NULL && json_object_is_type(base, json_type_object)) {
		json_object_object_foreach(base, k, v) {
			json_object *o = jarr_obj(arr), *old = NULL;

			(void)v;
			jset_cstr(o, "field", k);
			if (b != NULL && json_object_object_get_ex(b, k, &old))
				jset_cstr(o, "before", value_text(old));
			if (a != NULL && json_object_object_get_ex(a, k, &old))
				jset_cstr(o, "after", value_text(old));
		}
	}
	json_object_put(a);
	json_object_put(b);
}

static int
audit_page(struct web *w, int64_t tenant, const char *tmpl,
    const char *base_url)
{
	struct audit_entry	*v;
	size_t			 n, i;
	json_object		*m, *arr;
	int64_t			 before = form_i64(&w->form, "before");

	if (audit_list(w->db, w->r->arena, tenant, before, AUDIT_PAGE + 1, &v,
	    &n) == -1)
		return page_error(w, 503, NULL);
	m = w->tenant != NULL ? admin_model(w, _("Audit log"), "nav_audit") :
	    platform_model(w, _("Audit log"));
	jset_bool(m, "platform", w->tenant == NULL);
	arr = jset_arr(m, "entries");
	for (i = 0; i < n && i < AUDIT_PAGE; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", v[i].id);
		if (v[i].tenant_id)
			jset_i64(o, "shop", v[i].tenant_id);
		jset_str(o, "at", (struct str){ v[i].at.p, v[i].at.len > 19 ?
		    19 : v[i].at.len });
		jset_cstr(o, "actor", actor_label(v[i].actor));
		jset_str(o, "who", v[i].actor_label);
		jset_str(o, "addr", v[i].addr);
		jset_str(o, "agent", v[i].agent);
		jset_str(o, "action", v[i].action);
		if (v[i].object_id)
			jset_cstr(o, "object", arena_printf(w->r->arena,
			    "%.*s #%lld", (int)v[i].object.len, v[i].object.p,
			    (long long)v[i].object_id));
		changes(jset_arr(o, "changes"), v[i].before, v[i].after);
	}
	if (n > AUDIT_PAGE)
		jset_cstr(m, "older_url", arena_printf(w->r->arena,
		    "%s%sbefore=%lld", base_url, strchr(base_url, '?') ?
		    "&" : "?", (long long)v[AUDIT_PAGE - 1].id));
	return page_render(w, 200, tmpl);
}

static int
admin_audit(struct req *r)
{
	struct web *w = web_of(r);

	return audit_page(w, w->shop.tenant, "admin/audit", "/admin/audit");
}

static int
operator_audit(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 shop = form_i64(&w->form, "shop");

	return audit_page(w, shop ? shop : -1, "platform/audit", shop ?
	    arena_printf(r->arena, "/operator/audit?shop=%lld",
	    (long long)shop) : "/operator/audit");
}

const struct route admin_audit_routes[] = {
	{ HTTP_GET, "/admin/audit", admin_audit,
	    ADMIN_AUTH | ADMIN_PERM(PERM_AUDIT), list_fields },
};
const size_t admin_audit_nroutes = NELEM(admin_audit_routes);

const struct route operator_audit_routes[] = {
	{ HTTP_GET, "/operator/audit", operator_audit,
	    PLATFORM_AUTH | PLATFORM_OPERATOR, list_fields },
};
const size_t operator_audit_nroutes = NELEM(operator_audit_routes);
