/*
 * admin_plan.h: the admin's Plan page (/admin/plan): the shop's plan,
 * its trial, what the shop uses of each limit, and the plans it may
 * switch to (at once; the month's invoice counts the days on each).
 * The owner's alone: a manager does everything but staff and plan.
 */
#ifndef SOUK_WEB_ADMIN_PLAN_H
#define SOUK_WEB_ADMIN_PLAN_H

#include "http/router.h"

extern const struct route	admin_plan_routes[];
extern const size_t		admin_plan_nroutes;

#endif
