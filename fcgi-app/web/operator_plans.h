/*
 * operator_plans.h: the operator console's plans (/operator/plans): the
 * list with the shops on each, a plan's form (create, edit), delete,
 * make default; and a shop's plan, set from the console's shop list
 * (/operator/shops/:id/plan). The same functions as soukctl plan
 * (platform/plan.h).
 */
#ifndef SOUK_WEB_OPERATOR_PLANS_H
#define SOUK_WEB_OPERATOR_PLANS_H

#include <json.h>
#include "http/router.h"
#include "platform/plan.h"
#include "web/page.h"

/* The platform pages' route flags (web/platform.c). */
#define PLATFORM_AUTH		1	/* needs an account session */
#define PLATFORM_OPERATOR	2	/* needs an operator */

extern const struct route	operator_plans_routes[];
extern const size_t		operator_plans_nroutes;

/* The platform pages' model (web/platform.c). */
json_object	*platform_model(struct web *w, const char *title);

/* The plans ps (plan_list()) as <option>s for a shop's row of the
 * console: id, name, selected when it is plan_code. Into arr. */
void	operator_plan_options(json_object *arr, const struct plan *ps,
	    size_t n, const char *plan_code);

#endif
