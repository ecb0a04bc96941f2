/* operator_plans.c: /operator/plans (operator_plans.h). */
#include "core/common.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "platform/plan.h"
#include "platform/tenant.h"
#include "web/form.h"
#include "web/operator_plans.h"
#include "web/plan_view.h"

#define OP	(PLATFORM_AUTH | PLATFORM_OPERATOR)
#define OPFE	(OP | ROUTE_FORM_ERRORS)

/* A limit's field: a whole number, or empty for no limit. */
#define LIMIT(name) { name, FIELD_INT, 0, INT64_C(1000000000000), 0, \
	N_("A limit is a whole number of 0 or more; leave it empty for no " \
	"limit."), NULL }

static const struct field plan_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM, NULL, NULL },
	{ "code", FIELD_SLUG, 1, PLAN_CODE_MAX, FIELD_REQUIRED,
	    N_("A code is 1 to 40 of a-z, 0-9 and '-'."), NULL },
	{ "name", FIELD_TEXT, 1, PLAN_NAME_MAX, FIELD_REQUIRED,
	    N_("Name the plan in at most 100 characters."), NULL },
	{ "price", FIELD_MONEY, 0, 20, FIELD_REQUIRED,
	    N_("Enter the monthly price, e.g. 9.00."), NULL },
	LIMIT("products"), LIMIT("staff"), LIMIT("media_mb"),
	LIMIT("orders_month"), LIMIT("api_15min"), LIMIT("domains"),
	{ "trial_days", FIELD_INT, 0, PLAN_TRIAL_MAX, 0,
	    N_("Trial days are 0 to 365."), NULL },
	{ 0 }
};

/* The form's names of the limits, in enum plan_limit's order. */
static const char *const limit_fields[PLAN_LIMIT__MAX] = {
	"products", "staff", "media_mb", "orders_month", "api_15min",
	"domains"
};

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const struct field assign_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "plan", FIELD_ID, 0, 0, FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

void
operator_plan_options(json_object *arr, const struct plan *ps, size_t n,
    const char *code)
{
	size_t i;

	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "id", ps[i].id);
		jset_cstr(o, "name", ps[i].name);
		jset_bool(o, "selected", strcmp(ps[i].code, code) == 0);
	}
}

/* The list, and the form: of plan p (NULL: a new one), or as posted
 * (posted), with errs or error. */
static int
plans_page(struct web *w, int status, const struct plan *edit, int posted,
    const struct field_errors *errs, const char *error)
{
	struct plan	*ps;
	size_t		 n, i;
	json_object	*m, *arr, *f;
	int		 k;
	char		 price[MONEY_PLAIN_MAX];
	const char	*cur = edit != NULL ? edit->currency :
			    config_get("platform_currency", "EUR");

	if (plan_list(w->db, w->r->arena, &ps, &n) != PLAN_OK)
		return page_error(w, 503, NULL);
	m = platform_model(w, _("Plans"));
	arr = jset_arr(m, "plans");
	for (i = 0; i < n; i++)
		json_object_array_add(arr, plan_view(w, &ps[i]));
	arr = jset_arr(m, "limit_labels");
	for (k = 0; k < PLAN_LIMIT__MAX; k++)
		json_object_array_add(arr, json_object_new_string(
		    plan_view_label((enum plan_limit)k)));
	jset_cstr(m, "currency", cur);
	jset_cstr(m, "action", edit != NULL && edit->id ? arena_printf(
	    w->r->arena, "/operator/plans/%lld", (long long)edit->id) :
	    "/operator/plans");
	if (edit != NULL && edit->id) {
		jset_i64(m, "edit_id", edit->id);
		jset_bool(m, "edit_default", edit->is_default);
	}
	f = jset_obj(m, "f");
	arr = jset_arr(m, "limit_inputs");
	for (k = 0; k < PLAN_LIMIT__MAX; k++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "name", limit_fields[k]);
		jset_cstr(o, "label", plan_view_label((enum plan_limit)k));
		if (posted)
			jset_str(o, "value", page_field(w, limit_fields[k]));
		else if (edit != NULL && edit->limits[k] != PLAN_UNLIMITED)
			jset_cstr(o, "value", arena_printf(w->r->arena, "%lld",
			    (long long)(k == PLAN_MEDIA_BYTES ?
			    edit->limits[k] / 1000000 : edit->limits[k])));
		if (errs != NULL)
			for (i = 0; i < errs->n; i++)
				if (strcmp(errs->v[i].field,
				    limit_fields[k]) == 0)
					jset_cstr(o, "error",
					    _(errs->v[i].msgid));
	}
	if (posted) {
		jset_str(f, "code", page_field(w, "code"));
		jset_str(f, "name", page_field(w, "name"));
		jset_str(f, "price", page_field(w, "price"));
		jset_str(f, "trial_days", page_field(w, "trial_days"));
	} else if (edit != NULL) {
		money_format_plain(edit->price, edit->currency, price,
		    sizeof(price));
		jset_cstr(f, "code", edit->code);
		jset_cstr(f, "name", edit->name);
		jset_cstr(f, "price", price);
		jset_i64(f, "trial_days", edit->trial_days);
	}
	page_form_errors(m, errs, error);
	return page_render(w, status, "platform/plans");
}

static int
plans_get(struct req *r)
{
	return plans_page(web_of(r), 200, NULL, 0, NULL, NULL);
}

/* The plan of the route's id into *p: 0, or -1 answered (404, 503). */
static int
route_plan(struct web *w, struct plan *p)
{
	enum plan_err e = plan_get(w->db, form_i64(&w->form, "id"), p);

	if (e == PLAN_ENOTFOUND)
		return page_error(w, 404, _("This plan does not exist.")), -1;
	if (e != PLAN_OK)
		return page_error(w, 503, NULL), -1;
	return 0;
}

static int
plan_edit(struct req *r)
{
	struct web	*w = web_of(r);
	struct plan	 p;

	if (route_plan(w, &p) == -1)
		return 0;
	return plans_page(w, 200, &p, 0, NULL, NULL);
}

/* Create (no :id) or update. */
static int
plan_save_form(struct req *r)
{
	struct web		*w = web_of(r);
	struct field_errors	 errs = w->form.errs;
	struct plan		 p, old;
	int64_t			 id = form_i64(&w->form, "id"), saved;
	enum plan_err		 e;
	int			 k;

	memset(&p, 0, sizeof(p));
	if (id) {
		if (route_plan(w, &old) == -1)
			return 0;
		p = old;
	}
	if (errs.n > 0)
		return plans_page(w, 422, id ? &old : NULL, 1, &errs, NULL);
	str_copy(p.code, sizeof(p.code), form_text(&w->form, "code"));
	str_copy(p.name, sizeof(p.name), form_text(&w->form, "name"));
	if (money_parse(form_text(&w->form, "price"), id ? old.currency :
	    config_get("platform_currency", "EUR"), &p.price) != 0) {
		field_errors_add(&errs, "price", N_("Enter the monthly price, "
		    "e.g. 9.00."));
		return plans_page(w, 422, id ? &old : NULL, 1, &errs, NULL);
	}
	for (k = 0; k < PLAN_LIMIT__MAX; k++) {
		if (!form_has(&w->form, limit_fields[k]))
			p.limits[k] = PLAN_UNLIMITED;
		else
			p.limits[k] = form_i64(&w->form, limit_fields[k]) *
			    (k == PLAN_MEDIA_BYTES ? 1000000 : 1);
	}
	p.trial_days = (int)form_i64(&w->form, "trial_days");
	e = plan_save(w->db, id, &p, &saved);
	if (e == PLAN_ECODE_TAKEN) {
		field_errors_add(&errs, "code", N_("Another plan has this "
		    "code."));
		return plans_page(w, 422, id ? &old : NULL, 1, &errs, NULL);
	}
	if (e == PLAN_ENOTFOUND)
		return page_error(w, 404, _("This plan does not exist."));
	if (e != PLAN_OK)
		return page_error(w, 503, NULL);
	log_info("operator %lld saved plan %lld", (long long)w->account_id,
	    (long long)saved);
	return page_redirect(w, "/operator/plans");
}

static int
plan_delete_form(struct req *r)
{
	struct web	*w = web_of(r);
	struct plan	 p;
	enum plan_err	 e;

	if (route_plan(w, &p) == -1)
		return 0;
	e = plan_delete(w->db, p.id);
	if (e == PLAN_EIN_USE)
		return plans_page(w, 409, NULL, 0, NULL, _("This plan is the "
		    "default, or shops are on it: move them first."));
	if (e != PLAN_OK && e != PLAN_ENOTFOUND)
		return page_error(w, 503, NULL);
	log_info("operator %lld deleted plan %lld", (long long)w->account_id,
	    (long long)p.id);
	return page_redirect(w, "/operator/plans");
}

static int
plan_default_form(struct req *r)
{
	struct web	*w = web_of(r);
	struct plan	 p;

	if (route_plan(w, &p) == -1)
		return 0;
	if (plan_set_default(w->db, p.id) != PLAN_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/operator/plans");
}

/* A shop's plan from the console's list: at once, the trial kept. */
static int
shop_plan_form(struct req *r)
{
	struct web	*w = web_of(r);
	struct tenant	 t;
	enum tenant_err	 te;
	enum plan_err	 e;

	te = tenant_get_by_id(w->db, form_i64(&w->form, "id"), &t);
	if (te == TENANT_ENOTFOUND)
		return page_error(w, 404, NULL);
	if (te != TENANT_OK)
		return page_error(w, 503, NULL);
	e = plan_assign(w->db, t.id, form_i64(&w->form, "plan"),
	    t.trial_ends_at);
	if (e == PLAN_ENOTFOUND)
		return page_error(w, 404, _("This plan does not exist."));
	if (e != PLAN_OK)
		return page_error(w, 503, NULL);
	log_info("operator %lld put shop %lld on plan %lld",
	    (long long)w->account_id, (long long)t.id,
	    (long long)form_i64(&w->form, "plan"));
	return page_redirect(w, "/operator");
}

const struct route operator_plans_routes[] = {
	{ HTTP_GET, "/operator/plans", plans_get, OP, NULL },
	{ HTTP_POST, "/operator/plans", plan_save_form, OPFE, plan_fields },
	{ HTTP_GET, "/operator/plans/:id", plan_edit, OP, id_fields },
	{ HTTP_POST, "/operator/plans/:id", plan_save_form, OPFE,
	    plan_fields },
	{ HTTP_POST, "/operator/plans/:id/delete", plan_delete_form, OP,
	    id_fields },
	{ HTTP_POST, "/operator/plans/:id/default", plan_default_form, OP,
	    id_fields },
	{ HTTP_POST, "/operator/shops/:id/plan", shop_plan_form, OP,
	    assign_fields },
};

const size_t operator_plans_nroutes = NELEM(operator_plans_routes);
