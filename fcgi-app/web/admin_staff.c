/* admin_staff.c: /admin/staff and /admin/invite/:token (admin_staff.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "platform/audit.h"
#include "platform/quota.h"
#include "shop/perm.h"
#include "shop/staff.h"
#include "shop/staff_invite.h"
#include "web/admin.h"
#include "web/admin_staff.h"
#include "web/form.h"
#include "web/page.h"

#define STAFF	(ADMIN_AUTH | ADMIN_PERM(PERM_STAFF))

static const char *const roles[] = { "manager", "clerk", NULL };

static const struct field invite_fields[] = {
	{ "email", FIELD_EMAIL, 0, 254, FIELD_REQUIRED,
	    N_("Enter an e-mail address such as name@example.com."), NULL },
	{ "role", FIELD_ENUM, 0, 0, FIELD_REQUIRED,
	    N_("Choose manager or clerk."), roles },
	{ 0 }
};

static const struct field role_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "role", FIELD_ENUM, 0, 0, FIELD_REQUIRED,
	    N_("Choose manager or clerk."), roles },
	{ 0 }
};

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const struct field page_fields[] = {
	{ "done", FIELD_ENUM, 0, 0, FIELD_QUERY, NULL,
	    (const char *const[]){ "invited", "role", "removed", "cancelled",
	    NULL } },
	{ 0 }
};

static const struct field accept_fields[] = {
	{ "token", FIELD_TEXT, 1, 128, FIELD_PARAM | FIELD_ASCII, NULL, NULL },
	{ "password", FIELD_PASSWORD, 0, 1024, 0, NULL, NULL },
	{ "password2", FIELD_PASSWORD, 0, 1024, 0, NULL, NULL },
	{ 0 }
};

static const char *
role_text(struct str role)
{
	int r = role_parse(role);

	return r < 0 ? "" : role_label((enum role)r);
}

static int
staff_page(struct web *w, int status, const struct field_errors *errs,
    const char *error)
{
	struct staff_member	*v;
	struct staff_invitation	*inv;
	size_t			 n, ni, i;
	json_object		*m, *arr, *o, *f;
	int			 p, r;
	static const char *const flashes[] = { N_("The invitation is on its "
	    "way."), N_("The role is changed; it holds from the next page "
	    "they open."), N_("Removed: their sessions have ended."),
	    N_("The invitation is withdrawn: its link no longer works.") };

	if (staff_list(&w->shop, &v, &n) != SHOP_OK ||
	    staff_invitations(&w->shop, &inv, &ni) != SHOP_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, _("Staff"), "nav_staff");
	arr = jset_arr(m, "members");
	for (i = 0; i < n; i++) {
		o = jarr_obj(arr);
		jset_i64(o, "id", v[i].id);
		jset_str(o, "email", v[i].email);
		jset_cstr(o, "role", role_text(v[i].role));
		jset_str(o, "since", v[i].created_at);
		jset_bool(o, "owner", str_eqc(v[i].role, "owner"));
		jset_bool(o, "manager", str_eqc(v[i].role, "manager"));
		jset_bool(o, "me", v[i].id == w->staff.id);
	}
	arr = jset_arr(m, "invites");
	for (i = 0; i < ni; i++) {
		o = jarr_obj(arr);
		jset_i64(o, "id", inv[i].id);
		jset_str(o, "email", inv[i].email);
		jset_cstr(o, "role", role_text(inv[i].role));
		jset_str(o, "expires", inv[i].expires_at);
	}
	/* The permission table, as the roles test checks it. */
	arr = jset_arr(m, "perms");
	for (p = 0; p < PERM__MAX; p++) {
		json_object *cells;

		o = jarr_obj(arr);
		jset_cstr(o, "label", perm_label((enum perm)p));
		cells = jset_arr(o, "roles");
		for (r = 0; r < ROLE__MAX; r++)
			json_object_array_add(cells, json_object_new_boolean(
			    perm_allows(str_c(role_name((enum role)r)),
			    (enum perm)p)));
	}
	arr = jset_arr(m, "role_names");
	for (r = 0; r < ROLE__MAX; r++)
		json_object_array_add(arr, json_object_new_string(
		    role_label((enum role)r)));
	f = jset_obj(m, "f");
	if (errs != NULL || error != NULL)
		jset_str(f, "email", page_field(w, "email"));
	page_form_errors(m, errs, error);
	if (form_has(&w->form, "done"))
		jset_cstr(m, "flash", _(flashes[form_i64(&w->form, "done")]));
	return page_render(w, status, "admin/staff");
}

static int
staff_get(struct req *r)
{
	return staff_page(web_of(r), 200, NULL, NULL);
}

static int
invite(struct req *r)
{
	struct web		*w = web_of(r);
	struct field_errors	 errs = w->form.errs;
	int			 rc;

	if (errs.n > 0)
		return staff_page(w, 422, &errs, NULL);
	rc = staff_invite(&w->shop, form_text(&w->form, "email"),
	    str_c(roles[form_i64(&w->form, "role")]), w->staff.id,
	    page_shop_link(w, "/"), w->lang, &errs);
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT)
		return staff_page(w, 422, &errs, NULL);
	if (rc == SHOP_EQUOTA)
		return staff_page(w, 403, NULL, quota_message(w->db, r->arena,
		    w->shop.tenant, PLAN_STAFF));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("staff %lld invited a %s", (long long)w->staff.id,
	    roles[form_i64(&w->form, "role")]);
	return page_redirect(w, "/admin/staff?done=invited");
}

static int
set_role(struct req *r)
{
	struct web	*w = web_of(r);
	int		 rc;

	rc = staff_set_role(&w->shop, form_i64(&w->form, "id"),
	    str_c(roles[form_i64(&w->form, "role")]));
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This person is not on the shop's "
		    "staff, or is its owner."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/admin/staff?done=role");
}

static int
remove_member(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = form_i64(&w->form, "id");
	int		 rc;

	rc = staff_remove(&w->shop, id);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This person is not on the shop's "
		    "staff, or is its owner."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("staff %lld removed staff %lld", (long long)w->staff.id,
	    (long long)id);
	return page_redirect(w, "/admin/staff?done=removed");
}

static int
cancel(struct req *r)
{
	struct web *w = web_of(r);

	if (staff_invite_cancel(&w->shop, form_i64(&w->form, "id")) !=
	    SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/admin/staff?done=cancelled");
}

/* --- the invited person's page ----------------------------------------- */

static int
accept_page(struct web *w, int status, const struct staff_invitation *inv,
    const struct field_errors *errs)
{
	json_object *m;

	page_anon_csrf(w);
	m = admin_model(w, _("Join the team"), NULL);
	jset_str(m, "email", inv->email);
	jset_cstr(m, "role", role_text(inv->role));
	jset_str(m, "token", form_text(&w->form, "token"));
	if (errs != NULL && errs->n > 0)
		page_field_errors(jset_obj(m, "e"), jset_arr(m, "errors"),
		    errs);
	else
		(void)jset_obj(m, "e");
	/* The token is in the URL: no Referer to other sites. */
	resp_header(w->r, "Referrer-Policy", "no-referrer");
	return page_render(w, status, "admin/invite");
}

/* Unknown, used or expired: one answer for all. */
static int
dead_link(struct web *w)
{
	return page_error(w, 410, _("This invitation has expired or has "
	    "been used. Ask the shop's owner for a new one."));
}

static int
accept_get(struct req *r)
{
	struct web		*w = web_of(r);
	struct staff_invitation	 inv;
	int			 rc;

	if (w->form.errs.n)
		return dead_link(w);
	rc = staff_invite_get(&w->shop, form_text(&w->form, "token"), &inv);
	if (rc == SHOP_ENOTFOUND)
		return dead_link(w);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return accept_page(w, 200, &inv, NULL);
}

static int
accept_post(struct req *r)
{
	struct web		*w = web_of(r);
	struct staff_invitation	 inv;
	struct field_errors	 errs = { .n = 0 };
	struct str		 pw = form_text(&w->form, "password");
	int64_t			 id;
	int			 rc;

	page_anon_csrf(w);
	if (w->form.bad & FIELD_PARAM)
		return dead_link(w);
	rc = staff_invite_get(&w->shop, form_text(&w->form, "token"), &inv);
	if (rc == SHOP_ENOTFOUND)
		return dead_link(w);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	if (!page_csrf_ok(w))
		return page_error(w, 403, _("Your form expired. Please try "
		    "again."));
	/* The invited person joins: the audit's actor. */
	page_audit_actor(w, AUDIT_STAFF, 0, inv.email);
	if (!str_eq(pw, form_text(&w->form, "password2"))) {
		field_errors_add(&errs, "password2",
		    N_("The two passwords differ."));
		return accept_page(w, 422, &inv, &errs);
	}
	rc = staff_invite_accept(&w->shop, form_text(&w->form, "token"), pw,
	    &errs, &id);
	if (rc == SHOP_EINVAL)
		return accept_page(w, 422, &inv, &errs);
	if (rc == SHOP_ENOTFOUND || rc == SHOP_ECONFLICT)
		return dead_link(w);
	if (rc != SHOP_OK || admin_session_start(w, id) != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("staff %lld joined", (long long)id);
	return page_redirect(w, "/admin");
}

const struct route admin_staff_routes[] = {
	{ HTTP_GET, "/admin/staff", staff_get, STAFF, page_fields },
	{ HTTP_POST, "/admin/staff/invite", invite,
	    STAFF | ROUTE_FORM_ERRORS, invite_fields },
	{ HTTP_POST, "/admin/staff/:id/role", set_role, STAFF, role_fields },
	{ HTTP_POST, "/admin/staff/:id/remove", remove_member, STAFF,
	    id_fields },
	{ HTTP_POST, "/admin/staff/invites/:id/cancel", cancel, STAFF,
	    id_fields },
	{ HTTP_GET, "/admin/invite/:token", accept_get, ROUTE_ANON,
	    accept_fields },
	{ HTTP_POST, "/admin/invite/:token", accept_post,
	    ROUTE_ANON | ROUTE_FORM_ERRORS, accept_fields },
};

const size_t admin_staff_nroutes = NELEM(admin_staff_routes);
