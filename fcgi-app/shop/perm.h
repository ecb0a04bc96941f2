/*
 * perm.h: what each staff role may do in a shop's admin, as one table
 * (perm.c) rather than checks scattered through the handlers. Every
 * admin route names the permission it needs (web/admin.h, ADMIN_PERM);
 * the admin's dispatcher asks perm_allows() before the handler runs.
 *
 * Roles: the owner may do everything; a manager everything but staff
 * and plan; a clerk handles orders (and their documents), returns and
 * customers, but not money going back, the catalog, reports, settings,
 * payments, integrations or staff.
 *
 * Pure: no I/O, no allocation.
 */
#ifndef SOUK_SHOP_PERM_H
#define SOUK_SHOP_PERM_H

#include "core/str.h"

enum role {
	ROLE_OWNER,
	ROLE_MANAGER,
	ROLE_CLERK,
	ROLE__MAX
};

enum perm {
	PERM_DASHBOARD,		/* the dashboard */
	PERM_ORDERS,		/* orders: list, handle, documents */
	PERM_REFUNDS,		/* refunds of orders and returns */
	PERM_RETURNS,		/* returns: approve, refuse, receive */
	PERM_CUSTOMERS,		/* customers and their orders */
	PERM_CATALOG,		/* products, categories, attributes, images,
				 * import and export */
	PERM_REPORTS,		/* sales, tax and refund reports */
	PERM_COUPONS,
	PERM_SHIPPING,		/* shipping zones and methods, taxes */
	PERM_PAYMENTS,		/* payment methods, gateway keys */
	PERM_SETTINGS,		/* shop settings, branding, theme, domains,
				 * return rules */
	PERM_INTEGRATIONS,	/* API keys, webhooks */
	PERM_AUDIT,		/* the shop's audit log */
	PERM_STAFF,		/* invite, change and remove staff */
	PERM_PLAN,		/* the shop's plan */
	PERM__MAX
};

/* The role of a staff row's text ("owner", "manager", "clerk"); -1 for
 * anything else (which is allowed nothing). */
int	role_parse(struct str s);
const char	*role_name(enum role r);

/* 1 when role (a staff row's text) may do p. */
int	perm_allows(struct str role, enum perm p);

/* "orders", "refunds", ...: for logs, the roles test and the README. */
const char	*perm_name(enum perm p);

/* The translated label of a role, and of a permission (the staff
 * page's table). */
const char	*role_label(enum role r);
const char	*perm_label(enum perm p);

#endif
