/*
 * admin_import.c: CSV imports in the shop admin (see admin_import.h).
 * The upload refuses at once what cannot be a CSV file (nothing, or
 * binary: a NUL byte or an image's magic); everything else about the
 * file is the preview's to say, on the import's page. Pages are never
 * cached (admin_dispatch() sends Cache-Control: no-store on every
 * answer, errors included, and nginx bypasses its cache for /admin).
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "http/router.h"
#include "platform/image.h"
#include "shop/imports.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_import.h"
#include "web/orders.h"
#include "web/page.h"

/* Seconds between two looks of a page whose import is running. */
#define REFRESH_SECS	2

/* Bytes of the file looked at for a NUL (a text file has none). */
#define SNIFF_BYTES	8192

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This import does not exist."), NULL },
	{ 0 }
};

/* The state as the merchant reads it. */
static const char *const state_labels[IMPORTS__STATES] = {
	[IMPORTS_UPLOADED] = N_("Uploaded"),
	/* TRANSLATORS: the preview of a CSV import is running. */
	[IMPORTS_PREVIEWING] = N_("Checking the file"),
	[IMPORTS_PREVIEWED] = N_("Ready to import"),
	[IMPORTS_IMPORTING] = N_("Importing"),
	[IMPORTS_DONE] = N_("Done"),
	[IMPORTS_FAILED] = N_("Failed"),
	[IMPORTS_CANCELLED] = N_("Discarded"),
};

static int
busy(enum imports_state s)
{
	return s == IMPORTS_UPLOADED || s == IMPORTS_PREVIEWING ||
	    s == IMPORTS_IMPORTING;
}

static int
percent(const struct imports_row *r)
{
	if (r->bytes_total == 0)
		return 0;
	if (r->bytes_done >= r->bytes_total)
		return 100;
	return (int)(r->bytes_done * 100 / r->bytes_total);
}

/* The keys of one import every page shows. */
static void
row_model(struct web *w, json_object *o, const struct imports_row *r)
{
	jset_i64(o, "id", r->id);
	jset_str(o, "file_name", r->file_name);
	jset_str(o, "format", r->format);
	jset_cstr(o, "state", imports_state_name(r->state));
	jset_cstr(o, "state_label", _(state_labels[r->state]));
	jset_cstr(o, "created", orders_date(w, r->created_at));
	jset_str(o, "by", r->staff_email);
	jset_bool(o, "busy", busy(r->state));
	jset_i64(o, "percent", percent(r));
}

/* The upload form and the newest imports; errors: a message or NULL. */
static int
list_page(struct web *w, int status, const char *error)
{
	struct imports_row	*v;
	json_object		*m, *arr;
	size_t			 n, i;

	if (imports_list(&w->shop, &v, &n) != SHOP_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, _("Import products"), "nav_products");
	if (error != NULL)
		json_object_array_add(jset_arr(m, "errors"),
		    json_object_new_string(error));
	arr = jset_arr(m, "imports");
	for (i = 0; i < n; i++)
		row_model(w, jarr_obj(arr), &v[i]);
	return page_render(w, status, "admin/imports");
}

static int
imports_page(struct req *r)
{
	return list_page(web_of(r), 200, NULL);
}

/* Nothing a CSV file can be: a NUL byte near the start, or an image
 * (a merchant choosing the wrong file). */
static int
binary(struct str d)
{
	size_t n = d.len < SNIFF_BYTES ? d.len : SNIFF_BYTES;

	return memchr(d.p, '\0', n) != NULL || image_type(d) != NULL;
}

/* POST /admin/import: the file "file" (multipart). */
static int
upload(struct req *r)
{
	struct web		*w = web_of(r);
	const struct part	*f = req_file(r, "file");
	int64_t			 id;
	int			 rc;

	if (f == NULL || f->data.len == 0)
		return list_page(w, 422, _("Choose a CSV file to upload: "
		    "the file was empty or none was chosen."));
	if (binary(f->data))
		return list_page(w, 415, _("This file is not a CSV file. "
		    "Export your products as CSV from WooCommerce or "
		    "Shopify and upload that file."));
	rc = imports_create(&w->shop, w->staff.id, f->filename, f->data, &id);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, arena_printf(r->arena, "/admin/import/%lld",
	    (long long)id));
}

/* One count line of a report: "products" -> new, updated, same. */
static void
count_row(json_object *rows, json_object *rep, const char *key,
    const char *label)
{
	json_object	*o, *src, *v;
	static const char *const cols[] = { "new", "updated", "same" };
	size_t		 i;

	if (!json_object_object_get_ex(rep, key, &src) ||
	    !json_object_is_type(src, json_type_object))
		return;
	o = jarr_obj(rows);
	jset_cstr(o, "label", label);
	for (i = 0; i < NELEM(cols); i++)
		if (json_object_object_get_ex(src, cols[i], &v))
			jset_i64(o, cols[i], json_object_get_int64(v));
		else	/* categories are only created, images too */
			jset_cstr(o, cols[i], "–");
}

static int64_t
jint(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ?
	    json_object_get_int64(v) : 0;
}

static const char *
jstr(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : NULL;
}

/*
 * A stored report (imports.h) as the model key: counts (label, new,
 * updated, same, failed), rows, refused, errors (line, reason in the
 * reader's language, detail, warning), file_error (translated) and its
 * line. The msgids are the importer's (N_()), found in our catalog.
 */
static void
report_model(struct web *w, json_object *m, const char *key, struct str json)
{
	json_object	*rep, *o, *rows, *errs, *arr, *e, *v;
	const char	*s;
	size_t		 i, n;

	if (json.len == 0 || (rep = json_tokener_parse(json.p)) == NULL)
		return;
	o = jset_obj(m, key);
	if ((s = jstr(rep, "file_error")) != NULL) {
		jset_cstr(o, "file_error", _(s));
		if (jint(rep, "file_error_line") > 0)
			jset_i64(o, "file_error_line",
			    jint(rep, "file_error_line"));
	} else {
		jset_bool(o, "read", 1);
		jset_i64(o, "rows", jint(rep, "rows"));
		jset_i64(o, "refused", jint(rep, "rows_refused"));
		rows = jset_arr(o, "counts");
		count_row(rows, rep, "products", _("Products"));
		count_row(rows, rep, "variants", _("Variants"));
		count_row(rows, rep, "categories", _("Categories"));
		count_row(rows, rep, "images", _("Images"));
		if (json_object_object_get_ex(rep, "images", &v) &&
		    jint(v, "failed") > 0)
			jset_i64(o, "images_failed", jint(v, "failed"));
	}
	arr = jset_arr(o, "errors");
	if (json_object_object_get_ex(rep, "errors", &errs) &&
	    json_object_is_type(errs, json_type_array)) {
		n = json_object_array_length(errs);
		for (i = 0; i < n; i++) {
			json_object *x = jarr_obj(arr);

			e = json_object_array_get_idx(errs, i);
			jset_i64(x, "line", jint(e, "line"));
			s = jstr(e, "reason");
			jset_cstr(x, "reason", s && *s ? _(s) : "");
			jset_cstr(x, "detail", jstr(e, "detail"));
			jset_bool(x, "warning", json_object_object_get_ex(e,
			    "warning", &rows) && json_object_get_boolean(rows));
		}
		jset_i64(o, "nerrors", (int64_t)n);
	}
	json_object_put(rep);
}

/* GET /admin/import/:id */
static int
import_page(struct req *r)
{
	struct web		*w = web_of(r);
	struct imports_row	 row;
	json_object		*m, *o;
	int			 rc;

	rc = imports_get(&w->shop, form_i64(&w->form, "id"), &row);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This import does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, row.file_name.len ? arena_strndup(r->arena,
	    row.file_name.p, row.file_name.len) : _("Import products"),
	    "nav_products");
	o = jset_obj(m, "import");
	row_model(w, o, &row);
	if (busy(row.state))
		jset_i64(m, "refresh", REFRESH_SECS);
	jset_bool(o, "previewing", row.state == IMPORTS_PREVIEWING ||
	    row.state == IMPORTS_UPLOADED);
	jset_bool(o, "importing", row.state == IMPORTS_IMPORTING);
	jset_bool(o, "can_start", row.state == IMPORTS_PREVIEWED);
	jset_bool(o, "can_discard", row.state == IMPORTS_PREVIEWED ||
	    row.state == IMPORTS_FAILED);
	jset_bool(o, "done", row.state == IMPORTS_DONE);
	jset_bool(o, "failed", row.state == IMPORTS_FAILED);
	report_model(w, o, "preview", row.preview);
	report_model(w, o, "report", row.report);
	return page_render(w, 200, "admin/import");
}

/* POST /admin/import/:id/start: a second click (started already) ends
 * on the same page, which shows the import running. */
static int
start(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = form_i64(&w->form, "id");
	int		 rc = imports_start(&w->shop, id);

	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This import does not exist."));
	if (rc != SHOP_OK && rc != SHOP_ECONFLICT)
		return page_error(w, 503, NULL);
	return page_redirect(w, arena_printf(r->arena, "/admin/import/%lld",
	    (long long)id));
}

/* POST /admin/import/:id/discard */
static int
discard(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = form_i64(&w->form, "id");
	int		 rc = imports_cancel(&w->shop, id);

	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This import does not exist."));
	if (rc == SHOP_ECONFLICT)
		return page_error(w, 409, _("This import is running or over "
		    "and can no longer be discarded."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, "/admin/import");
}

/* GET /admin/import/too-large: where nginx sends an upload over its
 * client_max_body_size (error_page 413 in nginx/souk-locations), so
 * the merchant reads souk's page in their language, not nginx's. */
static int
too_large(struct req *r)
{
	return list_page(web_of(r), 413, _("This file is larger than 8 MB. "
	    "Split it into several files and import them one after "
	    "the other."));
}

const struct route admin_import_routes[] = {
	{ HTTP_GET, "/admin/import", imports_page,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG), NULL },
	{ HTTP_POST, "/admin/import", upload,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG), NULL },
	{ HTTP_GET, "/admin/import/too-large", too_large,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG), NULL },
	{ HTTP_GET, "/admin/import/:id", import_page,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG), id_fields },
	{ HTTP_POST, "/admin/import/:id/start", start,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG),
	    id_fields },
	{ HTTP_POST, "/admin/import/:id/discard", discard,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG),
	    id_fields },
};

const size_t admin_import_nroutes = NELEM(admin_import_routes);
