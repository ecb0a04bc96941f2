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

/* Route flag: the permission (shop/perm.h) an ADMIN_AUTH route needs;
 * admin_before() answers 403 to a role the table does not allow. An
 * authenticated route that names none is the owner's alone. */
#define ADMIN_PERM(p)		(((unsigned)(p) + 1) << 16)
#define ADMIN_PERM_OF(flags)	((int)((flags) >> 16 & 0xff) - 1)

/* 1 when the logged-in staff member's role may use a route of these
 * flags (ADMIN_PERM); what admin_before() asks, and what a page asks
 * to show a link. */
int	admin_allowed(struct web *w, unsigned flags);

/* Starts a session for staff member staff_id and sets its cookie:
 * SHOP_OK or SHOP_EDB. */
int	admin_session_start(struct web *w, int64_t staff_id);

/* The translated name of the logged-in staff member's role. */
const char	*admin_role_label(struct web *w);

/* The view model of an admin page titled title, with the staff member
 * and nav (the navigation entry to highlight: "nav_orders"; NULL:
 * none) set. Owned by w (page_model()). */
json_object	*admin_model(struct web *w, const char *title, const char *nav);

#endif
