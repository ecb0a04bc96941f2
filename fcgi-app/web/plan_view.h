/*
 * plan_view.h: a plan as the merchant's Plan page and the operator's
 * plans page show it (platform/plan.h): its price formatted, each
 * limit with its label, "Unlimited" or the number (media in MB), and
 * a shop's use of each beside it.
 */
#ifndef SOUK_WEB_PLAN_VIEW_H
#define SOUK_WEB_PLAN_VIEW_H

#include <json.h>
#include "platform/plan.h"
#include "platform/usage.h"
#include "web/page.h"

/* The plan as a view-model object (freed with its parent). */
json_object	*plan_view(struct web *w, const struct plan *p);

/* The rows "limit, used, allowed, percent, over" of a shop's use u
 * against plan p, into the array arr. */
void	plan_view_usage(struct web *w, json_object *arr, const struct plan *p,
	    const struct usage *u);

/* The translated label of a limit ("Products", "Images"). */
const char	*plan_view_label(enum plan_limit l);

#endif
