/*
 * admin_staff.h: the owner's Staff page (/admin/staff: the team, its
 * open invitations, invite, change a role, remove), and the page an
 * invited person opens from the mail (/admin/invite/:token) to choose
 * a password and join (shop/staff_invite.h). What each role may do is
 * shop/perm.h's table, shown on the Staff page.
 */
#ifndef SOUK_WEB_ADMIN_STAFF_H
#define SOUK_WEB_ADMIN_STAFF_H

#include "http/router.h"

extern const struct route	admin_staff_routes[];
extern const size_t		admin_staff_nroutes;

#endif
