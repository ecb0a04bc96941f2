/*
 * tenant_api_plans.c: plans in the tenant API (README "Tenant API"):
 *
 *	GET    /api/v1/plans			every plan (any caller)
 *	POST   /api/v1/plans			create (operators)
 *	PATCH  /api/v1/plans/:code		change what the body names
 *	DELETE /api/v1/plans/:code		one no shop is on, not the default
 *	POST   /api/v1/plans/:code/default	new shops start on it
 *	PUT    /api/v1/shops/:slug/plan		{"plan": code, "trial_ends_at":
 *						 "YYYY-MM-DD" or ""}
 *
 * A shop's owner may move their shop to another plan (the trial runs
 * on); setting a trial is the operator's. The functions are soukctl's
 * and the consoles' (platform/plan.h).
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "platform/plan.h"
#include "web/json_api.h"
#include "web/tenant_api_kit.h"

#define AUTH	TENANT_API_AUTH
#define OP	(TENANT_API_AUTH | TENANT_API_OPERATOR)

json_object *
tenant_api_plan_json(const struct plan *p)
{
	json_object	*o = json_object_new_object(), *l;
	int		 k;

	jset_cstr(o, "code", p->code);
	jset_cstr(o, "name", p->name);
	jset_i64(o, "price", p->price);
	jset_cstr(o, "currency", p->currency);
	l = jset_obj(o, "limits");
	for (k = 0; k < PLAN_LIMIT__MAX; k++)
		json_object_object_add(l, plan_limit_name((enum plan_limit)k),
		    p->limits[k] == PLAN_UNLIMITED ? NULL :
		    json_object_new_int64(p->limits[k]));
	jset_i64(o, "trial_days", p->trial_days);
	jset_bool(o, "is_default", p->is_default);
	return o;
}

static int
plan_answer(struct web *w, enum plan_err e)
{
	switch (e) {
	case PLAN_ENOTFOUND:
		return json_api_error(w, 404, "souk_rest_not_found",
		    _("This plan does not exist."));
	case PLAN_EINVAL_CODE:
		return tenant_api_field_error(w, "souk_rest_invalid_value",
		    "code");
	case PLAN_EINVAL_NAME:
		return tenant_api_field_error(w, "souk_rest_invalid_value",
		    "name");
	case PLAN_EINVAL_PRICE:
		return tenant_api_field_error(w, "souk_rest_invalid_value",
		    "price");
	case PLAN_EINVAL_LIMIT:
		return tenant_api_field_error(w, "souk_rest_invalid_value",
		    "limits");
	case PLAN_EINVAL_TRIAL:
		return tenant_api_field_error(w, "souk_rest_invalid_value",
		    "trial_days");
	case PLAN_EINVAL_DATE:
		return tenant_api_field_error(w, "souk_rest_invalid_value",
		    "trial_ends_at");
	case PLAN_ECODE_TAKEN:
		return json_api_error(w, 409, "souk_rest_plan_exists",
		    _("Another plan has this code."));
	case PLAN_EIN_USE:
		return json_api_error(w, 409, "souk_rest_plan_in_use",
		    _("This plan is the default, or shops are on it: move "
		    "them first."));
	default:
		return tenant_api_unavailable(w);
	}
}

/* The plan of the route's :code into *p: 0, or -1 answered. */
static int
route_plan(struct web *w, struct plan *p)
{
	const struct str	*code = req_param(w->r, "code");
	enum plan_err		 e;

	e = code == NULL ? PLAN_ENOTFOUND : plan_get_by_code(w->db, *code, p);
	if (e != PLAN_OK)
		return plan_answer(w, e), -1;
	return 0;
}

static int
plans_list(struct req *r)
{
	struct web	*w = web_of(r);
	struct plan	*ps;
	size_t		 n, i;
	json_object	*arr;

	if (plan_list(w->db, r->arena, &ps, &n) != PLAN_OK)
		return tenant_api_unavailable(w);
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object *o = tenant_api_plan_json(&ps[i]);

		if (w->is_operator)
			jset_i64(o, "shops", ps[i].shops);
		json_object_array_add(arr, o);
	}
	return json_api_send(w, 200, arr);
}

/* Create (create) or change plan p from the body; answers. */
static int
plan_write(struct web *w, int create, struct plan *p)
{
	json_object	*body, *v[TAP__MAX];
	enum plan_err	 e;
	int64_t		 id;
	int		 k, rc;

	if (tenant_api_read_body(w, tenant_api_plan_fields, TAP__MAX, v,
	    &body) == -1)
		return 0;
	if (create && (v[TAP_CODE] == NULL || v[TAP_NAME] == NULL ||
	    v[TAP_PRICE] == NULL)) {
		rc = tenant_api_field_error(w, "souk_rest_missing_field",
		    v[TAP_CODE] == NULL ? "code" : v[TAP_NAME] == NULL ?
		    "name" : "price");
		goto done;
	}
	if (v[TAP_CODE] != NULL)
		str_copy(p->code, sizeof(p->code),
		    tenant_api_body_str(v[TAP_CODE]));
	if (v[TAP_NAME] != NULL)
		str_copy(p->name, sizeof(p->name),
		    tenant_api_body_str(v[TAP_NAME]));
	if (v[TAP_PRICE] != NULL)
		p->price = tenant_api_body_i64(v[TAP_PRICE]);
	for (k = 0; k < PLAN_LIMIT__MAX; k++)
		if (v[TAP_LIMITS + k] != NULL)
			p->limits[k] = tenant_api_body_i64(v[TAP_LIMITS + k]);
	if (v[TAP_TRIAL] != NULL)
		p->trial_days = (int)tenant_api_body_i64(v[TAP_TRIAL]);
	e = plan_save(w->db, create ? 0 : p->id, p, &id);
	if (e == PLAN_OK)
		e = plan_get(w->db, id, p);
	if (e != PLAN_OK) {
		rc = plan_answer(w, e);
		goto done;
	}
	log_info("api: plan %s saved by account %lld", p->code,
	    (long long)w->account_id);
	rc = json_api_send(w, create ? 201 : 200, tenant_api_plan_json(p));
done:
	json_object_put(body);
	return rc;
}

static int
plan_create(struct req *r)
{
	struct plan	p;
	int		k;

	memset(&p, 0, sizeof(p));
	for (k = 0; k < PLAN_LIMIT__MAX; k++)
		p.limits[k] = PLAN_UNLIMITED;
	return plan_write(web_of(r), 1, &p);
}

static int
plan_patch(struct req *r)
{
	struct web	*w = web_of(r);
	struct plan	 p;

	if (route_plan(w, &p) == -1)
		return 0;
	return plan_write(w, 0, &p);
}

static int
plan_remove(struct req *r)
{
	struct web	*w = web_of(r);
	struct plan	 p;
	enum plan_err	 e;

	if (route_plan(w, &p) == -1)
		return 0;
	if ((e = plan_delete(w->db, p.id)) != PLAN_OK)
		return plan_answer(w, e);
	return json_api_send(w, 200, tenant_api_plan_json(&p));
}

static int
plan_default(struct req *r)
{
	struct web	*w = web_of(r);
	struct plan	 p;
	enum plan_err	 e;

	if (route_plan(w, &p) == -1)
		return 0;
	if ((e = plan_set_default(w->db, p.id)) != PLAN_OK ||
	    (e = plan_get(w->db, p.id, &p)) != PLAN_OK)
		return plan_answer(w, e);
	return json_api_send(w, 200, tenant_api_plan_json(&p));
}

enum { SPL_PLAN, SPL_TRIAL, SPL__MAX };

static const struct tenant_api_field shop_plan_fields[SPL__MAX] = {
	[SPL_PLAN] = { "plan", TA_TEXT, PLAN_CODE_MAX, 1 },
	[SPL_TRIAL] = { "trial_ends_at", TA_TEXT, 10, 0 },
};

static int
shop_plan(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	struct plan	 p;
	json_object	*body, *v[SPL__MAX], *o;
	enum plan_err	 e;
	char		 trial[11];
	int		 rc;

	if (tenant_api_find_shop(w, &t) == -1)
		return 0;
	if (tenant_api_read_body(w, shop_plan_fields, SPL__MAX, v, &body) ==
	    -1)
		return 0;
	/* A trial is the operator's to give; an owner's move keeps it. */
	if (v[SPL_TRIAL] != NULL && !w->is_operator) {
		rc = json_api_error(w, 403, "souk_rest_forbidden",
		    _("Only the platform's operators may do this."));
		goto done;
	}
	str_copy(trial, sizeof(trial), v[SPL_TRIAL] != NULL ?
	    tenant_api_body_str(v[SPL_TRIAL]) : str_c(t.trial_ends_at));
	e = plan_get_by_code(w->db, tenant_api_body_str(v[SPL_PLAN]), &p);
	if (e == PLAN_ENOTFOUND) {
		rc = tenant_api_field_error(w, "souk_rest_invalid_value",
		    "plan");
		goto done;
	}
	if (e == PLAN_OK)
		e = plan_assign(w->db, t.id, p.id, trial);
	if (e != PLAN_OK) {
		rc = plan_answer(w, e);
		goto done;
	}
	log_info("api: shop %lld on plan %s by account %lld", (long long)t.id,
	    p.code, (long long)w->account_id);
	o = json_object_new_object();
	jset_cstr(o, "slug", t.slug);
	json_object_object_add(o, "plan", tenant_api_plan_json(&p));
	if (trial[0] != '\0')
		jset_cstr(o, "trial_ends_at", trial);
	else
		json_object_object_add(o, "trial_ends_at", NULL);
	rc = json_api_send(w, 200, o);
done:
	json_object_put(body);
	return rc;
}

const struct route tenant_api_plan_routes[] = {
	{ HTTP_GET, "/api/v1/plans", plans_list, AUTH, NULL },
	{ HTTP_POST, "/api/v1/plans", plan_create, OP, NULL },
	{ HTTP_PATCH, "/api/v1/plans/:code", plan_patch, OP, NULL },
	{ HTTP_DELETE, "/api/v1/plans/:code", plan_remove, OP, NULL },
	{ HTTP_POST, "/api/v1/plans/:code/default", plan_default, OP, NULL },
	{ HTTP_PUT, "/api/v1/shops/:slug/plan", shop_plan, AUTH, NULL },
};

const size_t tenant_api_plan_nroutes = NELEM(tenant_api_plan_routes);
