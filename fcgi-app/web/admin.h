/*
 * admin.h: what the shop admin's web/ modules share (admin.c owns the
 * login, products, categories and settings; other modules bring their
 * own route tables, listed in admin_dispatch()).
 */
#ifndef SOUK_WEB_ADMIN_H
#define SOUK_WEB_ADMIN_H

#include <json.h>
#include "web/page.h"

/* Route flag of the admin's tables: the page needs a staff session
 * (admin_before() redirects to the login, or 403s a POST). Every POST
 * without ROUTE_ANON is checked against the session's CSRF token. */
#define ADMIN_AUTH	1

/* The view model of an admin page titled title, with the staff member
 * and nav (the navigation entry to highlight: "nav_orders"; NULL:
 * none) set. Owned by w (page_model()). */
json_object	*admin_model(struct web *w, const char *title, const char *nav);

#endif
