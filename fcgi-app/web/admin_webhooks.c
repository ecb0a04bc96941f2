/* admin_webhooks.c: the admin's WooCommerce webhooks pages (see
 * admin_webhooks.h). */
#include "core/common.h"

#include <json.h>
#include "core/i18n.h"
#include "core/log.h"
#include "http/router.h"
#include "shop/wc_webhook.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_webhooks.h"
#include "web/page.h"

#define AUTH		ADMIN_AUTH

/* In enum wc_webhook_status's order: FIELD_ENUM's index is the value
 * (the form sends the names). */
static const char *const statuses[] = { "active", "paused", "disabled",
    NULL };

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM, NULL, NULL },
	{ 0 }
};

static const struct field list_fields[] = {
	{ "saved", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ "deleted", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

static const struct field hook_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM, NULL, NULL },
	{ "name", FIELD_TEXT, 0, WC_WEBHOOK_NAME_MAX, 0,
	    N_("Enter a name of at most 200 characters."), NULL },
	{ "status", FIELD_ENUM, 0, 0, FIELD_REQUIRED,
	    N_("Choose a status from the list."), statuses },
	{ "topic", FIELD_TEXT, 1, 40, FIELD_REQUIRED | FIELD_ASCII,
	    N_("Choose a topic from the list."), NULL },
	{ "delivery_url", FIELD_TEXT, 1, WC_WEBHOOK_URL_MAX,
	    FIELD_REQUIRED | FIELD_ASCII, N_("Enter the URL deliveries are "
	    "sent to: http:// or https://, at most 1000 characters."), NULL },
	{ "secret", FIELD_TEXT, 0, WC_WEBHOOK_SECRET_MAX, 0,
	    N_("Enter a secret of at most 200 characters, or leave it "
	    "empty."), NULL },
	{ 0 }
};

static const struct field status_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM, NULL, NULL },
	{ "status", FIELD_ENUM, 0, 0, FIELD_REQUIRED, NULL, statuses },
	{ 0 }
};

static int
failed(struct web *w, int rc)
{
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This webhook does not exist."));
	return page_error(w, 503, NULL);
}

static const char *
status_label(enum wc_webhook_status s)
{
	switch (s) {
	case WC_WEBHOOK_ACTIVE:		return _("Active");
	case WC_WEBHOOK_PAUSED:		return _("Paused");
	default:			return _("Disabled");
	}
}

/* The last deliveries of a webhook (its recent column) as the pages
 * show them, newest first, at most max. */
static void
recent_model(json_object *o, struct str recent, size_t max)
{
	json_object	*arr = jset_arr(o, "deliveries"), *all, *e, *x;
	char		 buf[8192];
	const char	*err;
	size_t		 i, n;

	if (recent.len == 0 || recent.len >= sizeof(buf))
		return;
	memcpy(buf, recent.p, recent.len);
	buf[recent.len] = '\0';
	if ((all = json_tokener_parse(buf)) == NULL)
		return;
	n = json_object_is_type(all, json_type_array) ?
	    json_object_array_length(all) : 0;
	for (i = 0; i < n && i < max; i++) {
		e = json_object_array_get_idx(all, i);
		x = jarr_obj(arr);
		err = json_object_get_string(json_object_object_get(e,
		    "error"));
		jset_cstr(x, "at", json_object_get_string(
		    json_object_object_get(e, "at")));
		jset_i64(x, "status", json_object_get_int64(
		    json_object_object_get(e, "status")));
		jset_i64(x, "ms", json_object_get_int64(
		    json_object_object_get(e, "ms")));
		jset_cstr(x, "error", err != NULL ? err : "");
		jset_bool(x, "ok", err == NULL || err[0] == '\0');
	}
	json_object_put(all);
}

static void
hook_model(json_object *o, const struct wc_webhook *h, size_t recent)
{
	jset_i64(o, "id", h->id);
	jset_str(o, "name", h->name);
	jset_str(o, "topic", h->topic);
	jset_str(o, "delivery_url", h->delivery_url);
	jset_cstr(o, "status", status_label(h->status));
	jset_bool(o, "active", h->status == WC_WEBHOOK_ACTIVE);
	jset_bool(o, "disabled", h->status == WC_WEBHOOK_DISABLED);
	jset_i64(o, "failures", h->failures);
	/* The note is the worker's English text (the log's too): the
	 * merchant reads a translated sentence, then it. */
	if (h->note.len > 0) {
		jset_cstr(o, "note", _("Disabled after 5 failed deliveries "
		    "in a row."));
		jset_str(o, "note_detail", h->note);
	}
	jset_str(o, "created_at", h->created_at);
	recent_model(o, h->recent, recent);
}

static int
list(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_webhook	*v;
	json_object		*m, *arr;
	size_t			 n, i;
	int			 rc;

	if ((rc = wc_webhook_list(&w->shop, &v, &n)) != SHOP_OK)
		return failed(w, rc);
	m = admin_model(w, _("Webhooks"), "nav_webhooks");
	arr = jset_arr(m, "webhooks");
	for (i = 0; i < n; i++)
		hook_model(jarr_obj(arr), &v[i], 3);
	if (form_bool(&w->form, "saved"))
		jset_cstr(m, "flash", _("Saved."));
	else if (form_bool(&w->form, "deleted"))
		jset_cstr(m, "flash", _("The webhook is deleted."));
	return page_render(w, 200, "admin/webhooks");
}

/* The form: h is the stored webhook (NULL: a new one); with errs, the
 * fields as sent. */
static int
form_page(struct web *w, int status, const struct wc_webhook *h,
    const struct field_errors *errs)
{
	const char *const	*topics;
	json_object		*m, *f, *arr, *o;
	struct str		 topic, url, name;
	size_t			 n, i;
	int			 st = WC_WEBHOOK_ACTIVE;

	m = admin_model(w, h ? _("Webhook") : _("New webhook"),
	    "nav_webhooks");
	jset_cstr(m, "action", h ? arena_printf(w->r->arena,
	    "/admin/webhooks/%lld", (long long)h->id) : "/admin/webhooks");
	if (h != NULL)
		hook_model(jset_obj(m, "hook"), h, WC_WEBHOOK_RECENT);
	if (errs != NULL) {
		name = page_field(w, "name");
		topic = page_field(w, "topic");
		url = page_field(w, "delivery_url");
		if (form_has(&w->form, "status"))
			st = (int)form_i64(&w->form, "status");
		page_field_errors(jset_obj(m, "e"), jset_arr(m, "errors"),
		    errs);
	} else {
		name = h ? h->name : STR("");
		topic = h ? h->topic : STR("order.created");
		url = h ? h->delivery_url : STR("");
		st = h ? (int)h->status : WC_WEBHOOK_ACTIVE;
		jset_obj(m, "e");
	}
	f = jset_obj(m, "f");
	jset_str(f, "name", name);
	jset_str(f, "delivery_url", url);
	topics = wc_webhook_topics(&n);
	arr = jset_arr(m, "topics");
	for (i = 0; i < n; i++) {
		o = jarr_obj(arr);
		jset_cstr(o, "value", topics[i]);
		jset_bool(o, "selected", str_eqc(topic, topics[i]));
	}
	arr = jset_arr(m, "statuses");
	for (i = 0; i < WC_WEBHOOK__MAX; i++) {
		o = jarr_obj(arr);
		jset_cstr(o, "value", statuses[i]);
		jset_cstr(o, "label", status_label((enum wc_webhook_status)i));
		jset_bool(o, "selected", (int)i == st);
	}
	return page_render(w, status, "admin/webhook");
}

static int
add(struct req *r)
{
	struct web *w = web_of(r);

	return form_page(w, 200, NULL, NULL);
}

static int
edit(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_webhook	 h;
	int			 rc;

	if ((rc = wc_webhook_get(&w->shop, form_i64(&w->form, "id"), &h)) !=
	    SHOP_OK)
		return failed(w, rc);
	return form_page(w, 200, &h, NULL);
}

static int
save(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_webhook	 old;
	struct wc_webhook_in	 in;
	struct field_errors	 errs = w->form.errs;
	int64_t			 id = form_i64(&w->form, "id");
	int			 rc;

	if (id && (rc = wc_webhook_get(&w->shop, id, &old)) != SHOP_OK)
		return failed(w, rc);
	if (errs.n > 0)
		return form_page(w, 422, id ? &old : NULL, &errs);
	memset(&in, 0, sizeof(in));
	in.name = form_text(&w->form, "name");
	in.status = (enum wc_webhook_status)form_i64(&w->form, "status");
	in.topic = form_text(&w->form, "topic");
	in.delivery_url = form_text(&w->form, "delivery_url");
	in.secret = form_text(&w->form, "secret");
	rc = wc_webhook_save(&w->shop, &in, &id, &errs);
	if (rc == SHOP_EINVAL)
		return form_page(w, 422, form_i64(&w->form, "id") ? &old :
		    NULL, &errs);
	if (rc != SHOP_OK)
		return failed(w, rc);
	log_info("webhook %lld saved", (long long)id);
	return page_redirect(w, "/admin/webhooks?saved=1");
}

static int
set_status(struct req *r)
{
	struct web	*w = web_of(r);
	int		 rc;

	if (w->form.errs.n > 0)
		return page_error(w, 400, _("Choose a status from the list."));
	rc = wc_webhook_set_status(&w->shop, form_i64(&w->form, "id"),
	    (enum wc_webhook_status)form_i64(&w->form, "status"));
	if (rc != SHOP_OK)
		return failed(w, rc);
	return page_redirect(w, "/admin/webhooks?saved=1");
}

static int
delete(struct req *r)
{
	struct web	*w = web_of(r);
	int		 rc;

	if ((rc = wc_webhook_delete(&w->shop, form_i64(&w->form, "id"))) !=
	    SHOP_OK)
		return failed(w, rc);
	log_info("webhook %lld deleted", (long long)form_i64(&w->form,
	    "id"));
	return page_redirect(w, "/admin/webhooks?deleted=1");
}

#define FE	(AUTH | ROUTE_FORM_ERRORS)

const struct route admin_webhooks_routes[] = {
	{ HTTP_GET, "/admin/webhooks", list,
	    AUTH | ADMIN_PERM(PERM_INTEGRATIONS), list_fields },
	{ HTTP_GET, "/admin/webhooks/new", add,
	    AUTH | ADMIN_PERM(PERM_INTEGRATIONS), NULL },
	{ HTTP_POST, "/admin/webhooks", save,
	    FE | ADMIN_PERM(PERM_INTEGRATIONS),
	    hook_fields },
	{ HTTP_GET, "/admin/webhooks/:id", edit,
	    AUTH | ADMIN_PERM(PERM_INTEGRATIONS), id_fields },
	{ HTTP_POST, "/admin/webhooks/:id", save,
	    FE | ADMIN_PERM(PERM_INTEGRATIONS), hook_fields },
	{ HTTP_POST, "/admin/webhooks/:id/status", set_status,
	    FE | ADMIN_PERM(PERM_INTEGRATIONS),
	    status_fields },
	{ HTTP_POST, "/admin/webhooks/:id/delete", delete,
	    AUTH | ADMIN_PERM(PERM_INTEGRATIONS), id_fields },
};
const size_t admin_webhooks_nroutes = NELEM(admin_webhooks_routes);
