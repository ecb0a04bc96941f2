/* plan_view.c: plans on pages (plan_view.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "web/plan_view.h"

const char *
plan_view_label(enum plan_limit l)
{
	switch (l) {
	case PLAN_PRODUCTS:
		return _("Products");
	case PLAN_STAFF:
		return _("Staff accounts");
	case PLAN_MEDIA_BYTES:
		return _("Images (MB)");
	case PLAN_ORDERS_MONTH:
		return _("Orders a month");
	case PLAN_API_15MIN:
		return _("API requests every 15 minutes");
	case PLAN_DOMAINS:
		return _("Custom domains");
	case PLAN_LIMIT__MAX:
		break;
	}
	return "";
}

/* A limit or a use as people read it: media in MB, rounded up, so a
 * few KB never show as 0. */
static const char *
amount(struct web *w, enum plan_limit l, int64_t v)
{
	if (v == PLAN_UNLIMITED)
		return _("Unlimited");
	if (l == PLAN_MEDIA_BYTES)
		v = (v + 999999) / 1000000;
	return page_count(w, v);
}

json_object *
plan_view(struct web *w, const struct plan *p)
{
	json_object	*o = json_object_new_object(), *arr;
	int		 k;

	jset_i64(o, "id", p->id);
	jset_cstr(o, "code", p->code);
	jset_cstr(o, "name", p->name);
	jset_cstr(o, "price", p->price == 0 ? _("Free") :
	    page_money(w, p->price, p->currency));
	jset_i64(o, "trial_days", p->trial_days);
	jset_bool(o, "is_default", p->is_default);
	jset_i64(o, "shops", p->shops);
	arr = jset_arr(o, "limits");
	for (k = 0; k < PLAN_LIMIT__MAX; k++) {
		json_object *l = jarr_obj(arr);

		jset_cstr(l, "key", plan_limit_name((enum plan_limit)k));
		jset_cstr(l, "label", plan_view_label((enum plan_limit)k));
		jset_cstr(l, "value", amount(w, (enum plan_limit)k,
		    p->limits[k]));
	}
	return o;
}

void
plan_view_usage(struct web *w, json_object *arr, const struct plan *p,
    const struct usage *u)
{
	/* What souk counts of each; API requests are metered apart
	 * (per window, in shared memory): shown without a use. */
	const int64_t used[PLAN_LIMIT__MAX] = {
		[PLAN_PRODUCTS] = u->products,
		[PLAN_STAFF] = u->staff,
		[PLAN_MEDIA_BYTES] = u->media_bytes,
		[PLAN_ORDERS_MONTH] = u->orders_month,
		[PLAN_API_15MIN] = -1,
		[PLAN_DOMAINS] = u->domains,
	};
	int k;

	for (k = 0; k < PLAN_LIMIT__MAX; k++) {
		json_object	*o = jarr_obj(arr);
		int64_t		 lim = p->limits[k], pct;

		jset_cstr(o, "label", plan_view_label((enum plan_limit)k));
		jset_cstr(o, "allowed", amount(w, (enum plan_limit)k, lim));
		if (used[k] < 0)
			continue;
		jset_cstr(o, "used", amount(w, (enum plan_limit)k, used[k]));
		if (lim == PLAN_UNLIMITED)
			continue;
		pct = lim == 0 ? (used[k] > 0 ? 100 : 0) :
		    used[k] >= lim ? 100 : used[k] * 100 / lim;
		jset_bool(o, "limited", 1);
		jset_i64(o, "pct", pct);
		jset_bool(o, "full", used[k] >= lim);
	}
}
