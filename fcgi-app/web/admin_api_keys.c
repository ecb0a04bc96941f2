/* admin_api_keys.c: /admin/api-keys (admin_api_keys.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "shop/api_key.h"
#include "shop/staff.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_api_keys.h"
#include "web/form.h"
#include "web/page.h"

#define AUTH	ADMIN_AUTH
#define FE	(ADMIN_AUTH | ROUTE_FORM_ERRORS)

static const char *const perm_choices[] = { "read", "write", "read_write",
    NULL };

static const struct field create_fields[] = {
	{ "description", FIELD_TEXT, 1, API_KEY_DESC_MAX, FIELD_REQUIRED,
	    N_("Describe what the key is for, in at most 200 characters."),
	    NULL },
	{ "permission", FIELD_ENUM, 0, 0, FIELD_REQUIRED,
	    N_("Choose read, write or read/write."), perm_choices },
	{ 0 }
};

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ 0 }
};

static const struct field list_fields[] = {
	{ "revoked", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

static const char *
key_perm_label(enum api_key_perm p)
{
	switch (p) {
	case API_KEY_WRITE:
		return _("Write");
	case API_KEY_READ_WRITE:
		return _("Read/Write");
	default:
		return _("Read");
	}
}

/* The page; made (not NULL) is the key just made, shown this once. */
static int
keys_page(struct web *w, int status, const struct api_key_new *made,
    const struct field_errors *errs)
{
	json_object	*m, *a, *o, *f;
	struct api_key	*v;
	size_t		 n, i;

	if (api_key_list(&w->shop, &v, &n) != SHOP_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, _("API keys"), "nav_api_keys");
	a = jset_arr(m, "keys");
	for (i = 0; i < n; i++) {
		o = jarr_obj(a);
		jset_i64(o, "id", v[i].id);
		jset_str(o, "description", v[i].description);
		jset_cstr(o, "permission", key_perm_label(v[i].perm));
		jset_str(o, "truncated", v[i].truncated);
		jset_str(o, "created", v[i].created_at);
		if (v[i].last_access.len > 0)
			jset_str(o, "last_access", v[i].last_access);
	}
	if (made != NULL) {
		o = jset_obj(m, "made");
		jset_cstr(o, "consumer_key", made->consumer_key);
		jset_cstr(o, "consumer_secret", made->consumer_secret);
		jset_cstr(o, "permission", key_perm_label(made->perm));
	}
	/* The form again after an error; empty after a key was made. */
	f = jset_obj(m, "f");
	jset_str(f, "description", made != NULL ? STR("") :
	    page_field(w, "description"));
	if (errs != NULL && errs->n > 0)
		page_field_errors(jset_obj(m, "e"), jset_arr(m, "errors"),
		    errs);
	else
		(void)jset_obj(m, "e");
	if (form_bool(&w->form, "revoked"))
		jset_cstr(m, "flash", _("The key is revoked: it opens nothing "
		    "from now on."));
	/* The secret is on this page: never kept by a browser's cache. */
	resp_header(w->r, "Cache-Control", "no-store");
	return page_render(w, status, "admin/api_keys");
}

static int
keys(struct req *r)
{
	struct web *w = web_of(r);

	return keys_page(w, 200, NULL, NULL);
}

static int
key_create(struct req *r)
{
	struct web		*w = web_of(r);
	struct field_errors	 errs = w->form.errs;
	struct api_key_new	 in;
	int			 rc;

	if (errs.n > 0)
		return keys_page(w, 422, NULL, &errs);
	memset(&in, 0, sizeof(in));
	in.description = form_text(&w->form, "description");
	in.perm = (enum api_key_perm)form_i64(&w->form, "permission");
	in.staff_id = w->staff.id;
	rc = api_key_create(&w->shop, &in, &errs);
	if (rc == SHOP_EINVAL)
		return keys_page(w, 422, NULL, &errs);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	/* Answered here, not redirected: the secret exists nowhere else
	 * and must not travel in a URL. */
	return keys_page(w, 201, &in, NULL);
}

static int
key_revoke(struct req *r)
{
	struct web	*w = web_of(r);
	int		 rc;

	rc = api_key_revoke(&w->shop, form_i64(&w->form, "id"));
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, NULL);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/admin/api-keys?revoked=1");
}

const struct route admin_api_keys_routes[] = {
	{ HTTP_GET, "/admin/api-keys", keys,
	    AUTH | ADMIN_PERM(PERM_INTEGRATIONS), list_fields },
	{ HTTP_POST, "/admin/api-keys", key_create,
	    FE | ADMIN_PERM(PERM_INTEGRATIONS), create_fields },
	{ HTTP_POST, "/admin/api-keys/:id/revoke", key_revoke,
	    AUTH | ADMIN_PERM(PERM_INTEGRATIONS),
	    id_fields },
};

const size_t admin_api_keys_nroutes = NELEM(admin_api_keys_routes);
