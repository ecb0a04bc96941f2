/* admin_plan.c: /admin/plan (admin_plan.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "platform/plan.h"
#include "platform/tenant.h"
#include "platform/usage.h"
#include "shop/staff.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_charts.h"
#include "web/admin_plan.h"
#include "web/form.h"
#include "web/page.h"
#include "web/plan_view.h"

/* The days the Plan page draws. */
#define USAGE_CHART_DAYS	30

static const struct field switch_fields[] = {
	{ "plan", FIELD_ID, 0, 0, FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const struct field page_fields[] = {
	{ "switched", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

static int
plan_page(struct req *r)
{
	struct web	*w = web_of(r);
	struct plan	 cur, *all;
	struct usage	 u;
	struct usage_day *days;
	char		 trial[11], from[11], to[11];
	size_t		 n, i;
	json_object	*m, *o, *arr;

	size_t		 ndays;

	usage_date_ago(USAGE_CHART_DAYS - 1, from);
	usage_date_ago(0, to);
	if (plan_of_tenant(w->db, w->shop.tenant, &cur, trial) != PLAN_OK ||
	    usage_get(w->db, w->shop.tenant, &u) == -1 ||
	    plan_list(w->db, r->arena, &all, &n) != PLAN_OK ||
	    usage_days(w->db, r->arena, w->shop.tenant, from, to, &days,
	    &ndays) == -1)
		return page_error(w, 503, NULL);
	m = admin_model(w, _("Plan"), "nav_plan");
	admin_charts_usage(w, m, days, ndays);
	o = plan_view(w, &cur);
	json_object_object_add(m, "plan", o);
	if (trial[0] != '\0')
		jset_cstr(m, "trial_ends", trial);
	plan_view_usage(w, jset_arr(m, "usage"), &cur, &u);
	arr = jset_arr(m, "plans");
	for (i = 0; i < n; i++) {
		o = plan_view(w, &all[i]);
		jset_bool(o, "current", all[i].id == cur.id);
		/* Moving to a plan smaller than what the shop holds takes
		 * nothing away; it only stops more being added. */
		jset_bool(o, "tight", (all[i].limits[PLAN_PRODUCTS] !=
		    PLAN_UNLIMITED && u.products > all[i].limits[PLAN_PRODUCTS])
		    || (all[i].limits[PLAN_MEDIA_BYTES] != PLAN_UNLIMITED &&
		    u.media_bytes > all[i].limits[PLAN_MEDIA_BYTES]) ||
		    (all[i].limits[PLAN_STAFF] != PLAN_UNLIMITED &&
		    u.staff > all[i].limits[PLAN_STAFF]));
		json_object_array_add(arr, o);
	}
	if (form_bool(&w->form, "switched"))
		jset_cstr(m, "flash", _("Your shop is on its new plan from "
		    "now on."));
	return page_render(w, 200, "admin/plan");
}

static int
plan_switch(struct req *r)
{
	struct web	*w = web_of(r);
	struct plan	 cur;
	char		 trial[11];
	enum plan_err	 e;
	int64_t		 id = form_i64(&w->form, "plan");

	if (plan_of_tenant(w->db, w->shop.tenant, &cur, trial) != PLAN_OK)
		return page_error(w, 503, NULL);
	/* A trial runs on to its end whichever plan the shop moves to. */
	e = plan_assign(w->db, w->shop.tenant, id, trial);
	if (e == PLAN_ENOTFOUND)
		return page_error(w, 404, _("This plan does not exist."));
	if (e != PLAN_OK)
		return page_error(w, 503, NULL);
	log_info("plan: from %lld to %lld by staff %lld", (long long)cur.id,
	    (long long)id, (long long)w->staff.id);
	return page_redirect(w, "/admin/plan?switched=1");
}

const struct route admin_plan_routes[] = {
	{ HTTP_GET, "/admin/plan", plan_page,
	    ADMIN_AUTH | ADMIN_PERM(PERM_PLAN),
	    page_fields },
	{ HTTP_POST, "/admin/plan", plan_switch,
	    ADMIN_AUTH | ADMIN_PERM(PERM_PLAN), switch_fields },
};

const size_t admin_plan_nroutes = NELEM(admin_plan_routes);
