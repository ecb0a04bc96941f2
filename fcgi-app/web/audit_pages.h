/*
 * audit_pages.h: the audit log's pages (platform/audit.h): a shop's
 * entries in its admin (/admin/audit; owners and managers), every
 * entry in the operator console (/operator/audit, ?shop=ID for one
 * shop's). Newest first, 50 a page (?before=ID for older ones); each
 * entry with who, from where, when, what, and each field that changed
 * with its value before and after. Nothing here changes an entry.
 */
#ifndef SOUK_WEB_AUDIT_PAGES_H
#define SOUK_WEB_AUDIT_PAGES_H

#include "http/router.h"

extern const struct route	admin_audit_routes[];
extern const size_t		admin_audit_nroutes;
extern const struct route	operator_audit_routes[];
extern const size_t		operator_audit_nroutes;

#endif
