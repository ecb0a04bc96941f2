/* perm.c: the roles' permission table (perm.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "shop/perm.h"

static const char *const role_names[ROLE__MAX] = {
	[ROLE_OWNER] = "owner",
	[ROLE_MANAGER] = "manager",
	[ROLE_CLERK] = "clerk",
};

/* The table: [permission] = { owner, manager, clerk }. */
static const unsigned char table[PERM__MAX][ROLE__MAX] = {
	[PERM_DASHBOARD] =	{ 1, 1, 1 },
	[PERM_ORDERS] =		{ 1, 1, 1 },
	[PERM_REFUNDS] =	{ 1, 1, 0 },
	[PERM_RETURNS] =	{ 1, 1, 1 },
	[PERM_CUSTOMERS] =	{ 1, 1, 1 },
	[PERM_CATALOG] =	{ 1, 1, 0 },
	[PERM_REPORTS] =	{ 1, 1, 0 },
	[PERM_COUPONS] =	{ 1, 1, 0 },
	[PERM_SHIPPING] =	{ 1, 1, 0 },
	[PERM_PAYMENTS] =	{ 1, 1, 0 },
	[PERM_SETTINGS] =	{ 1, 1, 0 },
	[PERM_INTEGRATIONS] =	{ 1, 1, 0 },
	[PERM_AUDIT] =		{ 1, 1, 0 },
	[PERM_STAFF] =		{ 1, 0, 0 },
	[PERM_PLAN] =		{ 1, 0, 0 },
};

static const char *const perm_names[PERM__MAX] = {
	[PERM_DASHBOARD] = "dashboard",
	[PERM_ORDERS] = "orders",
	[PERM_REFUNDS] = "refunds",
	[PERM_RETURNS] = "returns",
	[PERM_CUSTOMERS] = "customers",
	[PERM_CATALOG] = "catalog",
	[PERM_REPORTS] = "reports",
	[PERM_COUPONS] = "coupons",
	[PERM_SHIPPING] = "shipping",
	[PERM_PAYMENTS] = "payments",
	[PERM_SETTINGS] = "settings",
	[PERM_INTEGRATIONS] = "integrations",
	[PERM_AUDIT] = "audit",
	[PERM_STAFF] = "staff",
	[PERM_PLAN] = "plan",
};

int
role_parse(struct str s)
{
	return str_index(s, role_names, ROLE__MAX);
}

const char *
role_name(enum role r)
{
	return (unsigned)r < ROLE__MAX ? role_names[r] : "";
}

int
perm_allows(struct str role, enum perm p)
{
	int r = role_parse(role);

	if (r < 0 || (unsigned)p >= PERM__MAX)
		return 0;
	return table[p][r];
}

const char *
perm_name(enum perm p)
{
	return (unsigned)p < PERM__MAX ? perm_names[p] : "";
}

const char *
role_label(enum role r)
{
	switch (r) {
	case ROLE_OWNER:
		return _("Owner");
	case ROLE_MANAGER:
		return _("Manager");
	case ROLE_CLERK:
		return _("Clerk");
	case ROLE__MAX:
		break;
	}
	return "";
}

const char *
perm_label(enum perm p)
{
	switch (p) {
	case PERM_DASHBOARD:
		return _("Dashboard");
	case PERM_ORDERS:
		return _("Orders, invoices and packing slips");
	case PERM_REFUNDS:
		return _("Refunds");
	case PERM_RETURNS:
		return _("Returns");
	case PERM_CUSTOMERS:
		return _("Customers");
	case PERM_CATALOG:
		return _("Products, categories, attributes, images, import "
		    "and export");
	case PERM_REPORTS:
		return _("Reports");
	case PERM_COUPONS:
		return _("Coupons");
	case PERM_SHIPPING:
		return _("Shipping and taxes");
	case PERM_PAYMENTS:
		return _("Payments");
	case PERM_SETTINGS:
		return _("Shop settings, theme and domains");
	case PERM_INTEGRATIONS:
		return _("API keys and webhooks");
	case PERM_AUDIT:
		return _("Audit log");
	case PERM_STAFF:
		return _("Staff");
	case PERM_PLAN:
		return _("Plan");
	case PERM__MAX:
		break;
	}
	return "";
}
