/*
 * wc_webhooks_api.c: /wp-json/wc/v3/webhooks: list, get, create,
 * update, delete and batch, in WooCommerce v3's JSON (its "webhooks"
 * schema), through shop/wc_webhook.h, the admin's own functions: the
 * same topics, the same check of the delivery target (http(s), a
 * public address), the same limit of 100 per shop.
 *
 * The secret: a webhook created without one gets a random one, as
 * WooCommerce makes one. It is never sent back: souk stores it sealed
 * (core/secret.h) and cannot read it for an answer without unsealing
 * it for nothing, and WooCommerce itself leaves it out of the default
 * "view" context; a client keeps the secret it sent, or sends a new
 * one with an update.
 *
 * DELETE without force=true is WooCommerce's 501
 * woocommerce_rest_trash_not_supported (webhooks have no trash there
 * either). hooks is empty (WordPress's action names, which souk has
 * not); api_version is souk's only, wp_api_v3.
 */
#include "core/common.h"

#include <time.h>

#include "core/i18n.h"
#include "core/log.h"
#include "platform/tenant.h"
#include "shop/wc_json.h"
#include "shop/wc_misc_body.h"
#include "shop/wc_webhook.h"
#include "web/json_api.h"
#include "web/wc_api.h"


static const char invalid_id[] = "woocommerce_rest_webhook_invalid_id";

static int
unavailable(struct web *w)
{
	resp_header(w->r, "Retry-After", "60");
	return json_api_error(w, 503, "souk_unavailable", _("The shop cannot "
	    "answer just now. Try again in a minute."));
}

static json_object *
hook_json(struct web *w, const struct wc_webhook *h)
{
	json_object	*o = json_object_new_object(), *l;
	const char	*tz = w->tenant->time_zone[0] ? w->tenant->time_zone :
			    NULL, *dot, *self;

	jset_i64(o, "id", h->id);
	jset_str(o, "name", h->name);
	jset_cstr(o, "status", wc_webhook_status_name(h->status));
	jset_str(o, "topic", h->topic);
	dot = memchr(h->topic.p, '.', h->topic.len);
	jset_str(o, "resource", dot ? (struct str){ h->topic.p,
	    (size_t)(dot - h->topic.p) } : h->topic);
	jset_cstr(o, "event", dot ? arena_strndup(w->r->arena, dot + 1,
	    h->topic.len - (size_t)(dot - h->topic.p) - 1) : "");
	(void)jset_arr(o, "hooks");
	jset_str(o, "delivery_url", h->delivery_url);
	wc_json_date(o, "date_created", h->created_at, tz);
	wc_json_date(o, "date_modified", h->updated_at, tz);
	self = arena_printf(w->r->arena, "%s" WC_API_NS "/webhooks",
	    wc_api_origin(w));
	l = jset_obj(o, "_links");
	jset_cstr(jarr_obj(jset_arr(l, "self")), "href", arena_printf(
	    w->r->arena, "%s/%lld", self, (long long)h->id));
	jset_cstr(jarr_obj(jset_arr(l, "collection")), "href", self);
	return o;
}

static int
list(struct req *r)
{
	static const char *const statuses[] = { "all", "active", "paused",
	    "disabled" };
	struct web		*w = web_of(r);
	struct wc_paging	 pg;
	struct wc_webhook	*v;
	const struct str	*s = req_query(r, "status");
	const struct str	*search = req_query(r, "search");
	json_object		*a;
	size_t			 n, i;
	int64_t			 total = 0;
	int			 st = 0;

	if (wc_api_paging(w, &pg) == -1)
		return 0;
	if (s != NULL && (st = str_index(*s, statuses, NELEM(statuses))) < 0)
		return wc_api_invalid_param(w, "status", _("status is not one "
		    "of all, active, paused, disabled."));
	if (wc_webhook_list(&w->shop, &v, &n) != SHOP_OK)
		return unavailable(w);
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (st > 0 && (int)v[i].status != st - 1)
			continue;
		if (search != NULL && (search->len > v[i].name.len ||
		    memmem(v[i].name.p, v[i].name.len, search->p,
		    search->len) == NULL))
			continue;
		if (total >= pg.offset && total < pg.offset + pg.per_page)
			json_object_array_add(a, hook_json(w, &v[i]));
		total++;
	}
	wc_api_page_headers(w, &pg, total);
	return json_api_send(w, 200, a);
}

static int
get(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_webhook	 h;
	int64_t			 id = wc_api_id(r, "id");
	int			 rc;

	if (id == 0 || (rc = wc_webhook_get(&w->shop, id, &h)) ==
	    SHOP_ENOTFOUND)
		return json_api_error(w, 404, invalid_id, _("Invalid ID."));
	if (rc != SHOP_OK)
		return unavailable(w);
	return json_api_send(w, 200, hook_json(w, &h));
}

/* The input of an existing webhook (its secret kept: empty). */
static void
in_of(struct wc_webhook_in *in, const struct wc_webhook *h)
{
	memset(in, 0, sizeof(*in));
	in->name = h->name;
	in->status = h->status;
	in->topic = h->topic;
	in->delivery_url = h->delivery_url;
}

/* What a create starts from: active, WooCommerce's name. */
static void
in_new(struct web *w, struct wc_webhook_in *in)
{
	char		buf[32];
	time_t		t = time(NULL);
	struct tm	tm;

	memset(in, 0, sizeof(*in));
	in->status = WC_WEBHOOK_ACTIVE;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm) == 0)
		buf[0] = '\0';
	in->name = str_c(arena_printf(w->r->arena, _("Webhook created on "
	    "%s"), buf));
}

/* body applied to *in and checked: 0, or -1 with *field, *msgid. */
static int
check_body(struct web *w, json_object *body, struct wc_webhook_in *in,
    int create, const char *prefix, const char **field, const char **msgid)
{
	struct field_errors errs = { .n = 0 };

	if (create && (!json_object_object_get_ex(body, "topic", NULL) ||
	    !json_object_object_get_ex(body, "delivery_url", NULL))) {
		*field = json_object_object_get_ex(body, "topic", NULL) ?
		    "delivery_url" : "topic";
		*msgid = N_("This field is required.");
	} else if (wc_webhook_body(body, in, field, msgid) == 0 &&
	    wc_webhook_check(in, &errs) == 0)
		return 0;
	else if (errs.n > 0) {
		*field = errs.v[0].field;
		*msgid = errs.v[0].msgid;
	}
	if (prefix != NULL)
		*field = arena_printf(w->r->arena, "%s[%s]", prefix, *field);
	return -1;
}

static int
invalid(struct web *w, const char *field, const char *msgid)
{
	return wc_api_invalid_param(w, field[0] ? field : "body", _(msgid));
}

/* Copies of the body's views, which outlive it. */
static void
in_copy(struct web *w, struct wc_webhook_in *in)
{
	struct str *s[] = { &in->name, &in->topic, &in->delivery_url,
	    &in->secret };
	size_t i;

	for (i = 0; i < NELEM(s); i++)
		*s[i] = s[i]->len ? str_c(arena_strndup(w->r->arena, s[i]->p,
		    s[i]->len)) : str_c("");
}

static int
save_answer(struct web *w, struct wc_webhook_in *in, int64_t id, int status)
{
	struct field_errors	errs = { .n = 0 };
	struct wc_webhook	h;
	int			rc;

	rc = wc_webhook_save(&w->shop, in, &id, &errs);
	if (rc == SHOP_EINVAL)
		return invalid(w, errs.n ? errs.v[0].field : "body",
		    errs.n ? errs.v[0].msgid : N_("This field is not valid "
		    "text."));
	if (rc == SHOP_ENOTFOUND)
		return json_api_error(w, 404, invalid_id, _("Invalid ID."));
	if (rc != SHOP_OK || wc_webhook_get(&w->shop, id, &h) != SHOP_OK)
		return unavailable(w);
	log_info("webhook %lld saved over the API", (long long)id);
	return json_api_send(w, status, hook_json(w, &h));
}

static int
create(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_webhook_in	 in;
	json_object		*body;
	const char		*field, *msgid;

	if (json_api_body(w, 1, "rest_invalid_json", &body) == -1)
		return 0;
	in_new(w, &in);
	if (check_body(w, body, &in, 1, NULL, &field, &msgid) == -1) {
		json_object_put(body);
		return invalid(w, field, msgid);
	}
	in_copy(w, &in);
	json_object_put(body);
	return save_answer(w, &in, 0, 201);
}

static int
update(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_webhook	 h;
	struct wc_webhook_in	 in;
	json_object		*body;
	const char		*field, *msgid;
	int64_t			 id = wc_api_id(r, "id");
	int			 rc;

	if (id == 0 || (rc = wc_webhook_get(&w->shop, id, &h)) ==
	    SHOP_ENOTFOUND)
		return json_api_error(w, 404, invalid_id, _("Invalid ID."));
	if (rc != SHOP_OK)
		return unavailable(w);
	if (json_api_body(w, 1, "rest_invalid_json", &body) == -1)
		return 0;
	in_of(&in, &h);
	if (check_body(w, body, &in, 0, NULL, &field, &msgid) == -1) {
		json_object_put(body);
		return invalid(w, field, msgid);
	}
	in_copy(w, &in);
	json_object_put(body);
	return save_answer(w, &in, id, 200);
}

static int
forced(struct web *w)
{
	const struct str *s = req_query(w->r, "force");

	return s != NULL && (str_eqc(*s, "true") || str_eqc(*s, "1") ||
	    str_eqc(*s, "yes"));
}

static int
del(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_webhook	 h;
	int64_t			 id = wc_api_id(r, "id");
	int			 rc;

	if (id == 0 || (rc = wc_webhook_get(&w->shop, id, &h)) ==
	    SHOP_ENOTFOUND)
		return json_api_error(w, 404, invalid_id, _("Invalid ID."));
	if (rc != SHOP_OK)
		return unavailable(w);
	if (!forced(w))
		return json_api_error(w, 501,
		    "woocommerce_rest_trash_not_supported", _("Webhooks do "
		    "not support trashing."));
	if ((rc = wc_webhook_delete(&w->shop, id)) == SHOP_ENOTFOUND)
		return json_api_error(w, 404, invalid_id, _("Invalid ID."));
	if (rc != SHOP_OK)
		return unavailable(w);
	log_info("webhook %lld deleted over the API", (long long)id);
	return json_api_send(w, 200, hook_json(w, &h));
}

/* --- batch ------------------------------------------------------------- */

enum { B_CREATE, B_UPDATE, B_DELETE, B__MAX };

_Static_assert(B__MAX == 3, "wc_api_batch_keys: create, update, delete");

struct item {
	struct wc_webhook_in	 in;
	int64_t			 id;
	int			 missing;
};

/* Writes the checked items; the answer's object. NULL: the database
 * failed. */
static json_object *
batch_write(struct web *w, json_object **arr, struct item **items,
    const size_t *n)
{
	json_object		*out = json_object_new_object(), *res;
	struct field_errors	 errs;
	struct wc_webhook	 h;
	size_t			 k, i;
	int64_t			 id;
	int			 rc;

	for (k = 0; k < B__MAX; k++) {
		if (arr[k] == NULL)
			continue;
		res = jset_arr(out, wc_api_batch_keys[k]);
		for (i = 0; i < n[k]; i++) {
			struct item *it = &items[k][i];

			errs.n = 0;
			id = it->id;
			rc = it->missing ? SHOP_ENOTFOUND : k == B_DELETE ?
			    wc_webhook_get(&w->shop, id, &h) : SHOP_OK;
			if (rc == SHOP_OK)
				rc = k == B_DELETE ? wc_webhook_delete(
				    &w->shop, id) : wc_webhook_save(&w->shop,
				    &it->in, &id, &errs);
			if (rc == SHOP_ENOTFOUND) {
				json_object_array_add(res, wc_api_item_error(it->id,
				    404, invalid_id, _("Invalid ID.")));
				continue;
			}
			if (rc == SHOP_EINVAL) {
				json_object_array_add(res, wc_api_item_error(it->id,
				    400, "rest_invalid_param", errs.n ?
				    _(errs.v[0].msgid) : _("Invalid ID.")));
				continue;
			}
			if (rc != SHOP_OK || (k != B_DELETE &&
			    wc_webhook_get(&w->shop, id, &h) != SHOP_OK)) {
				json_object_put(out);
				return NULL;
			}
			json_object_array_add(res, hook_json(w, &h));
		}
	}
	return out;
}

static int
batch(struct req *r)
{
	struct web		*w = web_of(r);
	json_object		*body, *arr[B__MAX] = { NULL }, *out, *e;
	struct item		*items[B__MAX] = { NULL };
	struct wc_webhook	 h;
	size_t			 n[B__MAX] = { 0 }, k, i;
	const char		*field, *msgid, *prefix;
	int			 rc;

	if (json_api_body(w, 1, "rest_invalid_json", &body) == -1)
		return 0;
	if (wc_api_batch_arrays(w, body, arr, n) == -1)
		return 0;
	/* Every item is checked before the first write. */
	for (k = 0; k < B__MAX; k++) {
		items[k] = arena_calloc(r->arena, n[k] + 1, sizeof(struct item));
		for (i = 0; i < n[k]; i++) {
			struct item *it = &items[k][i];

			e = json_object_array_get_idx(arr[k], i);
			prefix = arena_printf(r->arena, "%s[%zu]",
			    wc_api_batch_keys[k], i);
			if (k != B_CREATE && (it->id = wc_api_item_id(e)) == 0) {
				json_object_put(body);
				return wc_api_invalid_param(w, prefix,
				    _("The item needs the id of a webhook."));
			}
			if (k == B_DELETE)
				continue;
			if (k == B_CREATE)
				in_new(w, &it->in);
			else if ((rc = wc_webhook_get(&w->shop, it->id, &h)) ==
			    SHOP_ENOTFOUND) {
				it->missing = 1;
				continue;
			} else if (rc != SHOP_OK) {
				json_object_put(body);
				return unavailable(w);
			} else
				in_of(&it->in, &h);
			if (check_body(w, e, &it->in, k == B_CREATE, prefix,
			    &field, &msgid) == -1) {
				json_object_put(body);
				return invalid(w, field, msgid);
			}
			in_copy(w, &it->in);
		}
	}
	json_object_put(body);
	if ((out = batch_write(w, arr, items, n)) == NULL)
		return unavailable(w);
	return json_api_send(w, 200, out);
}

const struct route wc_webhooks_routes[] = {
	{ HTTP_GET, WC_API_NS "/webhooks", list, 0, NULL },
	{ HTTP_POST, WC_API_NS "/webhooks", create, 0, NULL },
	{ HTTP_POST, WC_API_NS "/webhooks/batch", batch, 0, NULL },
	{ HTTP_PUT, WC_API_NS "/webhooks/batch", batch, 0, NULL },
	{ HTTP_PATCH, WC_API_NS "/webhooks/batch", batch, 0, NULL },
	{ HTTP_GET, WC_API_NS "/webhooks/:id", get, 0, NULL },
	{ HTTP_POST, WC_API_NS "/webhooks/:id", update, 0, NULL },
	{ HTTP_PUT, WC_API_NS "/webhooks/:id", update, 0, NULL },
	{ HTTP_PATCH, WC_API_NS "/webhooks/:id", update, 0, NULL },
	{ HTTP_DELETE, WC_API_NS "/webhooks/:id", del, 0, NULL },
};

const size_t wc_webhooks_nroutes = NELEM(wc_webhooks_routes);
