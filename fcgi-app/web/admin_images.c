/*
 * admin_images.c: a product's images in the shop admin (see
 * admin_images.h). Every form posts and redirects back to the
 * product's page at #images; a refused upload answers a page that says
 * why (413, 415 or 422), and the images accepted before it stay.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "http/router.h"
#include "platform/image.h"
#include "platform/quota.h"
#include "platform/tenant.h"
#include "shop/gallery.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_images.h"
#include "web/page.h"

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This product does not exist."), NULL },
	{ 0 }
};

static const struct field image_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This product does not exist."), NULL },
	{ "image", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This image does not exist."), NULL },
	{ 0 }
};

static const struct field alt_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This product does not exist."), NULL },
	{ "image", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This image does not exist."), NULL },
	{ "alt_", FIELD_TEXT, 0, GALLERY_ALT_MAX, FIELD_PREFIX,
	    N_("An alt text has at most 300 characters."), NULL },
	{ 0 }
};

int
admin_images_model(struct web *w, json_object *m, int64_t product_id)
{
	const struct tenant	*t = w->tenant;
	struct gallery_image	*v;
	size_t			 n, i, j;
	json_object		*arr;

	if (gallery_list(&w->shop, product_id, &v, &n) != SHOP_OK)
		return -1;
	jset_i64(m, "nimages", (int64_t)n);
	jset_i64(m, "images_max", GALLERY_MAX);
	arr = jset_arr(m, "images");
	for (i = 0; i < n; i++) {
		json_object	*o = jarr_obj(arr), *alts;

		jset_i64(o, "id", v[i].id);
		jset_i64(o, "pid", product_id);
		jset_i64(o, "n", (int64_t)i + 1);
		jset_str(o, "card", v[i].card_path);
		jset_str(o, "original", v[i].path);
		jset_i64(o, "width", v[i].width);
		jset_i64(o, "height", v[i].height);
		jset_bool(o, "first", i == 0);
		jset_bool(o, "last", i + 1 == n);
		alts = jset_arr(o, "alts");
		for (j = 0; j < t->nlocales; j++) {
			json_object *a = jarr_obj(alts);

			jset_cstr(a, "code", t->locales[j]);
			jset_cstr(a, "label", page_lang_label(t->locales[j]));
			jset_str(a, "text", gallery_alt_of(w->r->arena,
			    v[i].alt_json, t->locales[j]));
		}
	}
	return 0;
}

static int
back(struct web *w)
{
	return page_redirect(w, arena_printf(w->r->arena,
	    "/admin/products/%lld#images",
	    (long long)form_i64(&w->form, "id")));
}

/* The answer to a refused image: status and message. */
static int
refused(struct web *w, int err)
{
	switch (err) {
	case IMAGE_ETYPE:
		return page_error(w, 415, _("Upload a PNG, JPEG, GIF or WebP "
		    "image."));
	case IMAGE_EBYTES:
		return page_error(w, 413, _("An image may have at most 5 MB."));
	case IMAGE_EPIXELS:
		/* TRANSLATORS: a decompression bomb or a giant scan. */
		return page_error(w, 413, _("An image may have at most "
		    "10,000 pixels on a side and 40 megapixels in all."));
	case GALLERY_EFULL:
		return page_error(w, 422, _("A product has at most 20 "
		    "images. Delete one first."));
	default:
		return page_error(w, 422, _("This image is damaged or "
		    "incomplete and cannot be read."));
	}
}

/* POST /admin/products/:id/images: one or several files "image". */
static int
upload(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = form_i64(&w->form, "id");
	size_t		 i, added = 0;
	int		 rc, err;

	for (i = 0; i < r->nparts; i++) {
		const struct part *f = &r->parts[i];

		if (!str_eqc(f->name, "image") || f->data.len == 0)
			continue;
		rc = gallery_add(&w->shop, id, f->data, &err, NULL);
		if (rc == SHOP_EINVAL)
			return refused(w, err);
		if (rc == SHOP_EQUOTA)
			return page_error(w, 403, quota_message(w->db, r->arena,
			    w->shop.tenant, PLAN_MEDIA_BYTES));
		if (rc == SHOP_ENOTFOUND)
			return page_error(w, 404, _("This product does not "
			    "exist."));
		if (rc != SHOP_OK)
			return page_error(w, 503, NULL);
		added++;
	}
	if (added == 0)
		return page_error(w, 422, _("Choose an image file to "
		    "upload."));
	log_info("product %lld: %zu image(s) added", (long long)id, added);
	return back(w);
}

static int
move(struct web *w, int delta)
{
	int rc = gallery_move(&w->shop, form_i64(&w->form, "id"),
	    form_i64(&w->form, "image"), delta);

	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This image does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return back(w);
}

static int
up(struct req *r)
{
	return move(web_of(r), -1);
}

static int
down(struct req *r)
{
	return move(web_of(r), 1);
}

static int
delete(struct req *r)
{
	struct web	*w = web_of(r);
	int		 rc;

	rc = gallery_delete(&w->shop, form_i64(&w->form, "id"),
	    form_i64(&w->form, "image"));
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This image does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return back(w);
}

static int
alt(struct req *r)
{
	struct web		*w = web_of(r);
	const struct tenant	*t = w->tenant;
	struct gallery_alt	 alts[TENANT_MAX_LOCALES];
	size_t			 i;
	int			 rc;

	for (i = 0; i < t->nlocales && i < TENANT_MAX_LOCALES; i++) {
		str_copy(alts[i].locale, sizeof(alts[i].locale),
		    str_c(t->locales[i]));
		alts[i].text = form_text(&w->form, arena_printf(r->arena,
		    "alt_%s", t->locales[i]));
	}
	rc = gallery_set_alt(&w->shop, form_i64(&w->form, "id"),
	    form_i64(&w->form, "image"), alts, i);
	if (rc == SHOP_EINVAL)
		return page_error(w, 422, _("An alt text has at most 300 "
		    "characters."));
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This image does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return back(w);
}

const struct route admin_images_routes[] = {
	{ HTTP_POST, "/admin/products/:id/images", upload,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG),
	    id_fields },
	/* The form of the single image before issue 10. */
	{ HTTP_POST, "/admin/products/:id/image", upload,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG),
	    id_fields },
	{ HTTP_POST, "/admin/products/:id/images/:image/up", up,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG),
	    image_fields },
	{ HTTP_POST, "/admin/products/:id/images/:image/down", down,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG), image_fields },
	{ HTTP_POST, "/admin/products/:id/images/:image/delete", delete,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG), image_fields },
	{ HTTP_POST, "/admin/products/:id/images/:image/alt", alt,
	    ADMIN_AUTH | ADMIN_PERM(PERM_CATALOG),
	    alt_fields },
};

const size_t admin_images_nroutes = NELEM(admin_images_routes);
