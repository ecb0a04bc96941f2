/*
 * admin_variants.c: attributes and variants in the admin (see
 * admin_variants.h). The domain (shop/attribute.h) checks every id
 * against this shop's tables and every value against its attribute;
 * the field tables here only bound what a form may send.
 */
#include "core/common.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/attribute.h"
#include "shop/catalog.h"
#include "shop/sale.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_variants.h"
#include "web/page.h"

#define AUTH	ADMIN_AUTH

static const struct field attrs_fields[] = {
	{ "saved", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

static const struct field id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This attribute does not exist."), NULL },
	{ 0 }
};

static const struct field attr_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM,
	    N_("This attribute does not exist."), NULL },
	{ "name_", FIELD_TEXT, 0, 200, FIELD_PREFIX,
	    N_("A name has at most 200 characters."), NULL },
	{ "slug", FIELD_SLUG, 1, 120, 0,
	    N_("Use 1 to 120 lower-case letters, digits and hyphens."), NULL },
	{ "position", FIELD_INT, 0, 100000, 0,
	    N_("Enter a position from 0 to 100000."), NULL },
	{ "parent_id", FIELD_ID, 0, 0, 0,
	    N_("Choose an attribute of this shop."), NULL },
	{ 0 }
};

static const struct field product_id_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This product does not exist."), NULL },
	{ "saved", FIELD_INT, 0, 1000, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

static const struct field generate_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This product does not exist."), NULL },
	/* "attribute.value": the attribute the form showed it under. */
	{ "value", FIELD_TEXT, 3, 41, FIELD_MULTI | FIELD_ASCII,
	    N_("Choose values of this shop's attributes."), NULL },
	{ "do", FIELD_TEXT, 0, 16, FIELD_ASCII, NULL, NULL },
	{ 0 }
};

/* Checked by the domain (attribute_variants_save()): here only their
 * length, so a wrong value comes back beside its variant. */
static const struct field variants_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This product does not exist."), NULL },
	{ "variant", FIELD_ID, 0, 0, FIELD_MULTI,
	    N_("This variant does not exist."), NULL },
	{ "sku_", FIELD_TEXT, 0, 64, FIELD_PREFIX,
	    N_("A SKU has at most 64 characters."), NULL },
	{ "price_", FIELD_TEXT, 0, 32, FIELD_PREFIX | FIELD_ASCII,
	    N_("Enter a price such as 12.50."), NULL },
	{ "sale_price_", FIELD_TEXT, 0, 32, FIELD_PREFIX | FIELD_ASCII,
	    N_("Enter a sale price such as 9.90, or nothing."), NULL },
	{ "sale_from_", FIELD_TEXT, 0, 19, FIELD_PREFIX | FIELD_ASCII,
	    N_("Enter a date such as 2026-12-24 or nothing."), NULL },
	{ "sale_to_", FIELD_TEXT, 0, 19, FIELD_PREFIX | FIELD_ASCII,
	    N_("Enter a date such as 2026-12-24 or nothing."), NULL },
	{ "stock_", FIELD_TEXT, 0, 12, FIELD_PREFIX | FIELD_ASCII,
	    N_("Enter a whole number of units, 0 or more."), NULL },
	{ "weight_", FIELD_TEXT, 0, 12, FIELD_PREFIX | FIELD_ASCII,
	    N_("Enter a weight in grams, or nothing for the product's."),
	    NULL },
	{ "image_", FIELD_TEXT, 0, 20, FIELD_PREFIX | FIELD_ASCII,
	    N_("Choose one of this product's images."), NULL },
	{ 0 }
};

static const struct field variant_del_fields[] = {
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This product does not exist."), NULL },
	{ "vid", FIELD_ID, 0, 0, FIELD_PARAM | FIELD_REQUIRED,
	    N_("This variant does not exist."), NULL },
	{ 0 }
};

/* One block per language the shop offers, default first, with the
 * names in texts (or as sent, when posted). */
static void
text_blocks(struct web *w, json_object *m, const struct attribute_text *texts,
    size_t ntexts, int posted)
{
	const struct tenant	*t = w->tenant;
	json_object		*arr = jset_arr(m, "texts");
	size_t			 i, j;

	for (i = 0; i < t->nlocales; i++) {
		json_object	*o = jarr_obj(arr);
		const char	*code = t->locales[i];

		jset_cstr(o, "code", code);
		jset_cstr(o, "label", page_lang_label(code));
		jset_bool(o, "default", strcmp(code, t->default_locale) == 0);
		if (posted)
			jset_str(o, "name", page_field(w, arena_printf(
			    w->r->arena, "name_%s", code)));
		else
			for (j = 0; j < ntexts; j++)
				if (strcmp(texts[j].locale, code) == 0)
					jset_str(o, "name", texts[j].name);
	}
}

static void
read_input(struct web *w, struct attribute_input *in)
{
	const struct tenant	*t = w->tenant;
	size_t			 i;

	memset(in, 0, sizeof(*in));
	in->slug = form_text(&w->form, "slug");
	in->position = form_text(&w->form, "position");
	for (i = 0; i < t->nlocales && i < ATTRIBUTE_MAX_LOCALES; i++) {
		str_copy(in->texts[i].locale, sizeof(in->texts[i].locale),
		    str_c(t->locales[i]));
		in->texts[i].name = form_text(&w->form, arena_printf(
		    w->r->arena, "name_%s", t->locales[i]));
	}
	in->ntexts = i;
}

/* --- /admin/attributes ------------------------------------------------ */

static int
attributes_page(struct web *w, int status, const struct field_errors *errs,
    int64_t failed_parent)
{
	struct attribute	*all;
	size_t			 n, i;
	json_object		*m, *arr, *cur = NULL, *vals = NULL, *e;

	if (attribute_list(&w->shop, &all, &n) != SHOP_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, _("Attributes"), "nav_attributes");
	if (form_bool(&w->form, "saved"))
		jset_bool(m, "saved", 1);
	arr = jset_arr(m, "attributes");
	for (i = 0; i < n; i++) {
		json_object *o;

		if (all[i].parent_id == 0) {
			cur = jarr_obj(arr);
			jset_i64(cur, "id", all[i].id);
			jset_str(cur, "name", all[i].name);
			jset_str(cur, "slug", all[i].slug);
			jset_i64(cur, "position", all[i].position);
			vals = jset_arr(cur, "values");
			if (errs != NULL && failed_parent == all[i].id) {
				e = jset_obj(cur, "e");
				page_field_errors(e, NULL, errs);
			}
			continue;
		}
		if (vals == NULL)
			continue;
		o = jarr_obj(vals);
		jset_i64(o, "id", all[i].id);
		jset_str(o, "name", all[i].name);
		jset_str(o, "slug", all[i].slug);
	}
	text_blocks(w, m, NULL, 0, 0);
	e = jset_obj(m, "e");
	if (errs != NULL && failed_parent == 0) {
		page_field_errors(e, jset_arr(m, "errors"), errs);
		text_blocks(w, m, NULL, 0, 1);
		jset_str(jset_obj(m, "f"), "slug", page_field(w, "slug"));
	} else if (errs != NULL)
		page_field_errors(NULL, jset_arr(m, "errors"), errs);
	return page_render(w, status, "admin/attributes");
}

static int
attributes(struct req *r)
{
	return attributes_page(web_of(r), 200, NULL, 0);
}

static int
attribute_create(struct req *r)
{
	struct web		*w = web_of(r);
	struct attribute_input	 in;
	struct field_errors	 errs;
	int64_t			 parent = form_i64(&w->form, "parent_id"), id;
	int			 rc;

	if (w->form.errs.n)
		return attributes_page(w, 422, &w->form.errs, parent);
	read_input(w, &in);
	rc = attribute_save(&w->shop, 0, parent, &in, &errs, &id);
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT)
		return attributes_page(w, rc == SHOP_ECONFLICT ? 409 : 422,
		    &errs, parent);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("attribute %lld created", (long long)id);
	return page_redirect(w, "/admin/attributes?saved=1");
}

static int
edit_page(struct web *w, int status, int64_t id,
    const struct field_errors *errs)
{
	struct attribute	 a, parent;
	struct attribute_text	*texts, *pt;
	size_t			 nt, npt;
	json_object		*m, *f;
	int			 rc;

	rc = attribute_get(&w->shop, id, &a, &texts, &nt);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This attribute does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, a.parent_id ? _("Edit value") : _("Edit attribute"),
	    "nav_attributes");
	jset_i64(m, "id", id);
	jset_str(m, "name", a.name);
	if (a.parent_id && attribute_get(&w->shop, a.parent_id, &parent, &pt,
	    &npt) == SHOP_OK)
		jset_str(m, "parent", parent.name);
	f = jset_obj(m, "f");
	if (errs != NULL) {
		jset_str(f, "slug", page_field(w, "slug"));
		jset_str(f, "position", page_field(w, "position"));
		page_field_errors(jset_obj(m, "e"), jset_arr(m, "errors"), errs);
	} else {
		jset_str(f, "slug", a.slug);
		jset_i64(f, "position", a.position);
	}
	text_blocks(w, m, texts, nt, errs != NULL);
	return page_render(w, status, "admin/attribute");
}

static int
attribute_edit(struct req *r)
{
	struct web *w = web_of(r);

	return edit_page(w, 200, form_i64(&w->form, "id"), NULL);
}

static int
attribute_update(struct req *r)
{
	struct web		*w = web_of(r);
	struct attribute_input	 in;
	struct field_errors	 errs;
	int64_t			 id = form_i64(&w->form, "id");
	int			 rc;

	if (w->form.errs.n)
		return edit_page(w, 422, id, &w->form.errs);
	read_input(w, &in);
	rc = attribute_save(&w->shop, id, 0, &in, &errs, NULL);
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT)
		return edit_page(w, rc == SHOP_ECONFLICT ? 409 : 422, id,
		    &errs);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This attribute does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("attribute %lld saved", (long long)id);
	return page_redirect(w, "/admin/attributes?saved=1");
}

static int
attribute_remove(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = form_i64(&w->form, "id");
	int		 rc = attribute_delete(&w->shop, id);

	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This attribute does not exist."));
	if (rc == SHOP_ECONFLICT)
		return page_error(w, 409, _("Variants are made from this; "
		    "delete those variants first."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("attribute %lld deleted", (long long)id);
	return page_redirect(w, "/admin/attributes?saved=1");
}

/* --- /admin/products/:id/variants ---------------------------------- */

static const char *
plain(struct web *w, int64_t minor)
{
	char buf[MONEY_PLAIN_MAX];

	if (minor < 0 ||
	    money_format_plain(minor, w->tenant->currency, buf, sizeof(buf)) ==
	    -1)
		return "";
	return arena_printf(w->r->arena, "%s", buf);
}

static const char *
stamp(struct web *w, int64_t t)
{
	char buf[32];

	sale_format_time((time_t)t, buf, sizeof(buf));
	return arena_printf(w->r->arena, "%s", buf);
}

/* The errors of variant id ("v12_price") as row.e.price. */
static void
row_errors(struct web *w, json_object *row, int64_t id,
    const struct field_errors *errs)
{
	const char	*pre = arena_printf(w->r->arena, "v%lld_",
			    (long long)id);
	/* Always set: the template would find the page's own e and
	 * errors up its context stack. */
	json_object	*e = jset_obj(row, "e"), *list = jset_arr(row, "errors");
	size_t		 i, n = strlen(pre);

	for (i = 0; errs != NULL && i < errs->n; i++) {
		if (strncmp(errs->v[i].field, pre, n) != 0)
			continue;
		jset_cstr(e, errs->v[i].field + n, _(errs->v[i].msgid));
		json_object_array_add(list,
		    json_object_new_string(_(errs->v[i].msgid)));
	}
}

/* A field of variant id as sent ("price_12"). */
static struct str
sent(struct web *w, const char *field, int64_t id)
{
	return page_field(w, arena_printf(w->r->arena, "%s_%lld", field,
	    (long long)id));
}

static int
variants_page(struct web *w, int status, const struct field_errors *errs,
    int posted)
{
	int64_t			 id = form_i64(&w->form, "id"), *pv;
	struct product		 p;
	struct product_text	*texts;
	struct attribute	*all;
	struct attribute_variant *vs;
	struct attribute_image	*img;
	size_t			 nt, n, npv, nv, nimg, i, j;
	json_object		*m, *arr, *cur = NULL, *vals = NULL;
	int			 rc;

	rc = catalog_product_get(&w->shop, id, &p, &texts, &nt);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This product does not exist."));
	if (rc != SHOP_OK ||
	    attribute_list(&w->shop, &all, &n) != SHOP_OK ||
	    attribute_product_values(&w->shop, id, &pv, &npv) != SHOP_OK ||
	    attribute_variants(&w->shop, id, &vs, &nv) != SHOP_OK ||
	    attribute_images(&w->shop, id, &img, &nimg) != SHOP_OK)
		return page_error(w, 503, NULL);
	m = admin_model(w, _("Variants"), "nav_products");
	jset_i64(m, "id", id);
	jset_str(m, "product", p.name);
	jset_cstr(m, "product_price", plain(w, p.price));
	jset_cstr(m, "currency", w->tenant->currency);
	if (form_has(&w->form, "saved"))
		jset_i64(m, "saved", form_i64(&w->form, "saved"));
	if (errs != NULL)
		page_field_errors(jset_obj(m, "e"), jset_arr(m, "errors"), errs);
	arr = jset_arr(m, "attributes");
	for (i = 0; i < n; i++) {
		json_object *o;

		if (all[i].parent_id == 0) {
			cur = jarr_obj(arr);
			jset_i64(cur, "id", all[i].id);
			jset_str(cur, "name", all[i].name);
			vals = jset_arr(cur, "values");
			continue;
		}
		if (cur == NULL)
			continue;
		o = jarr_obj(vals);
		jset_i64(o, "id", all[i].id);
		jset_i64(o, "attribute_id", all[i].parent_id);
		jset_str(o, "name", all[i].name);
		for (j = 0; j < npv; j++)
			if (pv[j] == all[i].id)
				jset_bool(o, "checked", 1);
	}
	jset_bool(m, "has_variants", nv > 0);
	arr = jset_arr(m, "variants");
	for (i = 0; i < nv; i++) {
		const struct attribute_variant	*v = &vs[i];
		json_object			*o = jarr_obj(arr), *io;
		int64_t				 image = v->image_id;

		jset_i64(o, "id", v->id);
		jset_i64(o, "product_id", id);
		jset_cstr(o, "product_price", plain(w, p.price));
		jset_str(o, "name", v->name);
		if (posted) {
			struct str im = sent(w, "image", v->id);

			jset_str(o, "sku", sent(w, "sku", v->id));
			jset_str(o, "price", sent(w, "price", v->id));
			jset_str(o, "sale_price", sent(w, "sale_price", v->id));
			jset_str(o, "sale_from", sent(w, "sale_from", v->id));
			jset_str(o, "sale_to", sent(w, "sale_to", v->id));
			jset_str(o, "stock", sent(w, "stock", v->id));
			jset_str(o, "weight", sent(w, "weight", v->id));
			if (str_to_i64(im, 1, INT64_MAX, &image) == -1)
				image = 0;
		} else {
			jset_str(o, "sku", v->sku);
			jset_cstr(o, "price", plain(w, v->price));
			jset_cstr(o, "sale_price", plain(w, v->sale_price));
			jset_cstr(o, "sale_from", stamp(w, v->sale_from));
			jset_cstr(o, "sale_to", stamp(w, v->sale_to));
			jset_i64(o, "stock", v->stock);
			if (v->weight_g >= 0)
				jset_i64(o, "weight", v->weight_g);
		}
		io = jset_arr(o, "images");
		for (j = 0; j < nimg; j++) {
			json_object *im = jarr_obj(io);

			jset_i64(im, "id", img[j].id);
			jset_cstr(im, "label", arena_printf(w->r->arena,
			    "%zu", j + 1));
			jset_str(im, "path", img[j].path);
			jset_bool(im, "selected", img[j].id == image);
		}
		row_errors(w, o, v->id, errs);
	}
	jset_bool(m, "has_images", nimg > 0);
	return page_render(w, status, "admin/variants");
}

static int
variants(struct req *r)
{
	return variants_page(web_of(r), 200, NULL, 0);
}

static int
variants_generate(struct req *r)
{
	struct web		*w = web_of(r);
	struct str		 sentv[ATTRIBUTE_MAX_PICKS];
	struct attribute_pick	 picks[ATTRIBUTE_MAX_PICKS];
	struct field_errors	 errs;
	int64_t			 id = form_i64(&w->form, "id");
	size_t			 created = 0, i;
	int			 n, rc, own;

	own = str_eqc(form_text(&w->form, "do"), "own");
	if (w->form.errs.n)
		return variants_page(w, 422, &w->form.errs, 0);
	n = form_all(&w->form, "value", sentv, NELEM(sentv));
	if (n == -1) {
		errs.n = 0;
		field_errors_add(&errs, "values",
		    N_("Choose at most 64 values at once."));
		return variants_page(w, 422, &errs, 0);
	}
	for (i = 0; i < (size_t)n; i++) {
		const char *dot = memchr(sentv[i].p, '.', sentv[i].len);

		if (dot == NULL || str_to_i64((struct str){ sentv[i].p,
		    (size_t)(dot - sentv[i].p) }, 1, INT64_MAX,
		    &picks[i].attribute_id) == -1 || str_to_i64((struct str){
		    dot + 1, sentv[i].len - (size_t)(dot - sentv[i].p) - 1 },
		    1, INT64_MAX, &picks[i].value_id) == -1) {
			errs.n = 0;
			field_errors_add(&errs, "values",
			    N_("Choose values of this shop's attributes."));
			return variants_page(w, 422, &errs, 0);
		}
	}
	if (own)
		rc = attribute_set_values(&w->shop, id, picks, (size_t)n,
		    &errs);
	else
		rc = attribute_generate(&w->shop, id, picks, (size_t)n, &errs,
		    &created);
	if (rc == SHOP_EINVAL)
		return variants_page(w, 422, &errs, 0);
	if (rc == SHOP_ECONFLICT) {
		errs.n = 0;
		field_errors_add(&errs, "values", N_("This product has "
		    "variants: its values are theirs."));
		return variants_page(w, 409, &errs, 0);
	}
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This product does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("product %lld: %zu variants generated", (long long)id,
	    created);
	return page_redirect(w, arena_printf(r->arena,
	    "/admin/products/%lld/variants?saved=%zu", (long long)id,
	    created));
}

static int
variants_save(struct req *r)
{
	struct web			*w = web_of(r);
	struct str			 ids[ATTRIBUTE_MAX_VARIANTS];
	struct attribute_variant_input	*in;
	struct field_errors		 errs;
	int64_t				 id = form_i64(&w->form, "id");
	int				 n, i, rc;

	if (w->form.errs.n)
		return variants_page(w, 422, &w->form.errs, 1);
	n = form_all(&w->form, "variant", ids, NELEM(ids));
	if (n == -1)
		return page_error(w, 413, NULL);
	in = arena_calloc(r->arena, n ? (size_t)n : 1, sizeof(*in));
	for (i = 0; i < n; i++) {
		int64_t vid;

		if (str_to_i64(ids[i], 1, INT64_MAX, &vid) == -1)
			return page_error(w, 404,
			    _("This variant does not exist."));
		in[i].id = vid;
		in[i].sku = form_text(&w->form, arena_printf(r->arena,
		    "sku_%lld", (long long)vid));
#define F(field, name) in[i].field = form_text(&w->form, \
		    arena_printf(r->arena, name "_%lld", (long long)vid))
		F(price, "price");
		F(sale_price, "sale_price");
		F(sale_from, "sale_from");
		F(sale_to, "sale_to");
		F(stock, "stock");
		F(weight_g, "weight");
		F(image_id, "image");
#undef F
	}
	rc = attribute_variants_save(&w->shop, id, in, (size_t)n, &errs);
	if (rc == SHOP_EINVAL)
		return variants_page(w, 422, &errs, 1);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This product or one of its "
		    "variants does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	log_info("product %lld: %d variants saved", (long long)id, n);
	return page_redirect(w, arena_printf(r->arena,
	    "/admin/products/%lld/variants?saved=0", (long long)id));
}

static int
variant_remove(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 id = form_i64(&w->form, "id");
	int		 rc;

	rc = attribute_variant_delete(&w->shop, id,
	    form_i64(&w->form, "vid"));
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This variant does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	return page_redirect(w, arena_printf(r->arena,
	    "/admin/products/%lld/variants", (long long)id));
}

const struct route admin_variants_routes[] = {
	{ HTTP_GET, "/admin/attributes", attributes,
	    AUTH | ADMIN_PERM(PERM_CATALOG), attrs_fields },
	{ HTTP_POST, "/admin/attributes", attribute_create,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_CATALOG), attr_fields },
	{ HTTP_GET, "/admin/attributes/:id", attribute_edit,
	    AUTH | ADMIN_PERM(PERM_CATALOG), id_fields },
	{ HTTP_POST, "/admin/attributes/:id", attribute_update,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_CATALOG), attr_fields },
	{ HTTP_POST, "/admin/attributes/:id/delete", attribute_remove,
	    AUTH | ADMIN_PERM(PERM_CATALOG),
	    id_fields },
	{ HTTP_GET, "/admin/products/:id/variants", variants,
	    AUTH | ADMIN_PERM(PERM_CATALOG),
	    product_id_fields },
	{ HTTP_POST, "/admin/products/:id/variants", variants_save,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_CATALOG),
	    variants_fields },
	{ HTTP_POST, "/admin/products/:id/variants/generate",
	    variants_generate,
	    AUTH | ROUTE_FORM_ERRORS | ADMIN_PERM(PERM_CATALOG),
	    generate_fields },
	{ HTTP_POST, "/admin/products/:id/variants/:vid/delete",
	    variant_remove, AUTH | ADMIN_PERM(PERM_CATALOG),
	    variant_del_fields },
};
const size_t admin_variants_nroutes = NELEM(admin_variants_routes);
