/*
 * wc_taxonomy.c: /wp-json/wc/v3/products/categories (list, get,
 * create, update, delete) and products/attributes (list, get) with
 * their terms (products/attributes/{id}/terms, list), in WooCommerce
 * v3's JSON, over shop/category.h and shop/attribute.h.
 *
 * Categories: list is paged, filtered by parent, search (in the name)
 * and hide_empty, ordered by name as WooCommerce's default; count is
 * the category's published products (not its descendants'), as a
 * WordPress term counts them. A category's name is written in the
 * shop's default language; its slug and parent are set when it is
 * created (souk's admin does not move categories either: a change is
 * 400). Delete needs force=true, as WooCommerce's; its products are
 * left without a category, its children move up.
 *
 * Attributes are the shop's variant attributes (Size), their terms the
 * values (M): type "select", order_by "menu_order", no archives; a
 * term's count is the published products offering the value. They are
 * created, renamed and deleted through the admin's functions
 * (attribute_save(), attribute_delete()): a name is written in the
 * shop's default language, the others kept; a term's menu_order is its
 * position; one a variant is made from cannot be deleted (400).
 */
#include "core/common.h"

#include "core/i18n.h"
#include "core/log.h"
#include "shop/attribute.h"
#include "shop/category.h"
#include "shop/product_query.h"
#include "web/json_api.h"
#include "web/wc_api.h"
#include "web/wc_products.h"

static int64_t
count_of(const struct pq_count_row *c, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].id == id)
			return c[i].count;
	return 0;
}

static json_object *
category(const struct category *c, int64_t count)
{
	json_object *o = json_object_new_object();

	jset_i64(o, "id", c->id);
	jset_str(o, "name", c->name);
	jset_str(o, "slug", c->slug);
	jset_i64(o, "parent", c->parent_id);
	jset_cstr(o, "description", "");
	jset_cstr(o, "display", "default");
	json_object_object_add(o, "image", NULL);
	jset_i64(o, "menu_order", c->position);
	jset_i64(o, "count", count);
	return o;
}

static int
cat_not_found(struct web *w)
{
	return json_api_error(w, 404, "woocommerce_rest_term_invalid",
	    _("Resource does not exist."));
}

static int
by_name(const void *a, const void *b)
{
	const struct category *x = a, *y = b;
	size_t n = x->name.len < y->name.len ? x->name.len : y->name.len;
	int c = memcmp(x->name.p, y->name.p, n);

	if (c != 0)
		return c;
	return x->name.len < y->name.len ? -1 : x->name.len > y->name.len;
}

/* Case-insensitive (ASCII) substring. */
static int
contains(struct str hay, struct str needle)
{
	size_t i;

	for (i = 0; needle.len <= hay.len && i <= hay.len - needle.len; i++)
		if (str_casecmp_eq((struct str){ hay.p + i, needle.len },
		    needle))
			return 1;
	return 0;
}

static int
categories_list(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_paging	 pg;
	struct category		*cs, *keep;
	struct pq_count_row	*counts;
	size_t			 n, nc, nk = 0, i;
	const struct str	*s;
	struct str		 search = STR("");
	int64_t			 parent = -1, cnt;
	int			 hide = 0;
	json_object		*a;

	if (wc_api_paging(w, &pg) == -1)
		return 0;
	if ((s = req_query(r, "parent")) != NULL &&
	    str_to_i64(*s, 0, INT64_MAX, &parent) == -1)
		return wc_api_invalid_param(w, "parent", _("parent is not of "
		    "type integer.")), 0;
	if ((s = req_query(r, "hide_empty")) != NULL) {
		if (str_eqc(*s, "true") || str_eqc(*s, "1"))
			hide = 1;
		else if (!str_eqc(*s, "false") && !str_eqc(*s, "0"))
			return wc_api_invalid_param(w, "hide_empty",
			    _("hide_empty is not of type boolean.")), 0;
	}
	if ((s = req_query(r, "search")) != NULL)
		search = *s;
	if (category_list(&w->shop, &cs, &n) != SHOP_OK ||
	    product_query_counts(&w->shop, PQ_COUNT_CATEGORIES, &counts,
	    &nc) != SHOP_OK)
		return wc_products_unavailable(w);
	keep = arena_calloc(r->arena, n + 1, sizeof(*keep));
	for (i = 0; i < n; i++) {
		if ((parent >= 0 && cs[i].parent_id != parent) ||
		    (hide && count_of(counts, nc, cs[i].id) == 0) ||
		    (search.len && !contains(cs[i].name, search)))
			continue;
		keep[nk++] = cs[i];
	}
	qsort(keep, nk, sizeof(*keep), by_name);
	a = json_object_new_array();
	for (i = (size_t)pg.offset; i < nk &&
	    i < (size_t)(pg.offset + pg.per_page); i++) {
		cnt = count_of(counts, nc, keep[i].id);
		json_object_array_add(a, category(&keep[i], cnt));
	}
	wc_api_page_headers(w, &pg, (int64_t)nk);
	return json_api_send(w, 200, a);
}

/* Category id of the path into *c with its count: 0, or -1 answered. */
static int
category_of(struct web *w, int64_t id, struct category *c, int64_t *count)
{
	struct category		*cs;
	struct pq_count_row	*counts;
	size_t			 n, nc, i;

	if (category_list(&w->shop, &cs, &n) != SHOP_OK ||
	    product_query_counts(&w->shop, PQ_COUNT_CATEGORIES, &counts,
	    &nc) != SHOP_OK)
		return wc_products_unavailable(w), -1;
	for (i = 0; i < n; i++)
		if (cs[i].id == id && id > 0) {
			*c = cs[i];
			*count = count_of(counts, nc, id);
			return 0;
		}
	return cat_not_found(w), -1;
}

static int
categories_get(struct req *r)
{
	struct web	*w = web_of(r);
	struct category	 c;
	int64_t		 count;

	if (category_of(w, wc_api_id(r, "id"), &c, &count) == -1)
		return 0;
	return json_api_send(w, 200, category(&c, count));
}

/* A text field of o into *out (absent: untouched): 0, or -1 with an
 * error. */
static int
text_field(json_object *o, const char *k, struct str *out, int *has,
    struct field_errors *errs)
{
	json_object *v;

	*has = json_object_object_get_ex(o, k, &v);
	if (!*has)
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		field_errors_add(errs, k, N_("Not of type string."));
		return -1;
	}
	out->p = json_object_get_string(v);
	out->len = (size_t)json_object_get_string_len(v);
	if (!str_valid_text(*out) || str_chars(*out) > 200) {
		field_errors_add(errs, k, N_("At most 200 characters."));
		return -1;
	}
	return 0;
}

/* Answers a body's field errors and releases it: -1. */
static int
body_refused(struct web *w, json_object **o, const struct field_errors *errs)
{
	(void)wc_products_invalid(w, "", errs);
	json_object_put(*o);
	*o = NULL;
	return -1;
}

/* A category's name, slug and parent in o: errs->n stays 0 when they
 * are valid. */
static void
category_fields(json_object *o, struct str *name, struct str *slug,
    int64_t *parent, unsigned *has, struct field_errors *errs)
{
	json_object	*v;
	int		 h;

	*has = 0;
	*parent = 0;
	if (text_field(o, "name", name, &h, errs) == 0 && h)
		*has |= 1;
	if (text_field(o, "slug", slug, &h, errs) == 0 && h)
		*has |= 2;
	if (json_object_object_get_ex(o, "parent", &v)) {
		if (json_object_is_type(v, json_type_int) &&
		    json_object_get_int64(v) >= 0) {
			*parent = json_object_get_int64(v);
			*has |= 4;
		} else
			field_errors_add(errs, "parent",
			    N_("Not of type integer."));
	}
}

/* The body's name, slug and parent: 0, or -1 answered. */
static int
category_body(struct web *w, json_object **o, struct str *name,
    struct str *slug, int64_t *parent, unsigned *has)
{
	struct field_errors errs;

	if (json_api_body(w, 1, "rest_invalid_json", o) == -1)
		return -1;
	errs.n = 0;
	category_fields(*o, name, slug, parent, has, &errs);
	return errs.n ? body_refused(w, o, &errs) : 0;
}

static int
categories_create(struct req *r)
{
	struct web		*w = web_of(r);
	struct field_errors	 errs;
	struct category		 c;
	json_object		*o;
	struct str		 name = STR(""), slug = STR("");
	int64_t			 parent, id, count;
	unsigned		 has;
	size_t			 i;
	int			 rc;

	if (category_body(w, &o, &name, &slug, &parent, &has) == -1)
		return 0;
	rc = category_add(&w->shop, slug, name, parent, &errs, &id);
	json_object_put(o);
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT) {
		for (i = 0; i < errs.n; i++)
			if (strcmp(errs.v[i].field, "parent_id") == 0)
				errs.v[i].field = "parent";
		return wc_products_invalid(w, "", &errs);
	}
	if (rc != SHOP_OK)
		return wc_products_unavailable(w);
	if (category_of(w, id, &c, &count) == -1)
		return 0;
	log_info("api: category %lld created", (long long)id);
	return json_api_send(w, 201, category(&c, count));
}

static int
categories_update(struct req *r)
{
	struct web		*w = web_of(r);
	struct field_errors	 errs;
	struct category		 c;
	json_object		*o;
	struct str		 name = STR(""), slug = STR("");
	int64_t			 parent, id = wc_api_id(r, "id"), count;
	unsigned		 has;
	int			 rc;

	if (category_of(w, id, &c, &count) == -1 ||
	    category_body(w, &o, &name, &slug, &parent, &has) == -1)
		return 0;
	errs.n = 0;
	if ((has & 2) && !str_eq(slug, c.slug))
		field_errors_add(&errs, "slug", N_("A category's slug is set "
		    "when it is created."));
	if ((has & 4) && parent != c.parent_id)
		field_errors_add(&errs, "parent", N_("A category's parent is "
		    "set when it is created."));
	if ((has & 1) && str_trim(name).len == 0)
		field_errors_add(&errs, "name",
		    N_("A name has 1 to 200 characters."));
	if (errs.n) {
		json_object_put(o);
		return wc_products_invalid(w, "", &errs);
	}
	rc = (has & 1) ? category_set_name(&w->shop, id,
	    w->shop.default_locale, str_trim(name)) : SHOP_OK;
	json_object_put(o);
	if (rc != SHOP_OK)
		return wc_products_unavailable(w);
	if (category_of(w, id, &c, &count) == -1)
		return 0;
	return json_api_send(w, 200, category(&c, count));
}

static int
categories_delete(struct req *r)
{
	struct web	*w = web_of(r);
	struct category	 c;
	int64_t		 id = wc_api_id(r, "id"), count;
	int		 rc;

	if (category_of(w, id, &c, &count) == -1)
		return 0;
	/* WooCommerce's own answer: terms have no trash. */
	if (!wc_products_forced(w))
		return json_api_error(w, 501,
		    "woocommerce_rest_trash_not_supported",
		    _("Resource does not support trashing."));
	rc = category_delete(&w->shop, id);
	if (rc == SHOP_ENOTFOUND)
		return cat_not_found(w);
	if (rc != SHOP_OK)
		return wc_products_unavailable(w);
	log_info("api: category %lld deleted", (long long)id);
	return json_api_send(w, 200, category(&c, count));
}

/* --- attributes ----------------------------------------------------- */

static int
attributes_load(struct web *w, struct attribute **all, size_t *n)
{
	if (attribute_list(&w->shop, all, n) != SHOP_OK)
		return wc_products_unavailable(w), -1;
	return 0;
}

static json_object *
attribute_json(struct web *w, const struct attribute *a)
{
	json_object *o = json_object_new_object();

	jset_i64(o, "id", a->id);
	jset_str(o, "name", a->name);
	/* WooCommerce's slugs of global attributes carry "pa_". */
	jset_cstr(o, "slug", arena_printf(w->r->arena, "pa_%.*s",
	    (int)a->slug.len, a->slug.p));
	jset_cstr(o, "type", "select");
	jset_cstr(o, "order_by", "menu_order");
	jset_bool(o, "has_archives", 0);
	return o;
}

static int
attributes_list(struct req *r)
{
	struct web		*w = web_of(r);
	struct attribute	*all;
	size_t			 n, i;
	json_object		*a;

	if (attributes_load(w, &all, &n) == -1)
		return 0;
	a = json_object_new_array();
	for (i = 0; i < n; i++)
		if (all[i].parent_id == 0)
			json_object_array_add(a, attribute_json(w, &all[i]));
	return json_api_send(w, 200, a);
}

static int
attr_not_found(struct web *w)
{
	return json_api_error(w, 404, "woocommerce_rest_taxonomy_invalid",
	    _("Resource does not exist."));
}

static int
attributes_get(struct req *r)
{
	struct web		*w = web_of(r);
	struct attribute	*all;
	int64_t			 id = wc_api_id(r, "id");
	size_t			 n, i;

	if (attributes_load(w, &all, &n) == -1)
		return 0;
	for (i = 0; i < n; i++)
		if (all[i].parent_id == 0 && all[i].id == id)
			return json_api_send(w, 200, attribute_json(w,
			    &all[i]));
	return attr_not_found(w);
}

static json_object *
term_json(const struct attribute *a, int64_t count)
{
	json_object *t = json_object_new_object();

	jset_i64(t, "id", a->id);
	jset_str(t, "name", a->name);
	jset_str(t, "slug", a->slug);
	jset_cstr(t, "description", "");
	jset_i64(t, "menu_order", a->position);
	jset_i64(t, "count", count);
	return t;
}

static int
terms_list(struct req *r)
{
	struct web		*w = web_of(r);
	struct wc_paging	 pg;
	struct attribute	*all;
	struct pq_count_row	*counts;
	int64_t			 id = wc_api_id(r, "id"), total = 0;
	size_t			 n, nc, i;
	int			 found = 0;
	json_object		*a;

	if (wc_api_paging(w, &pg) == -1 || attributes_load(w, &all, &n) == -1)
		return 0;
	for (i = 0; i < n; i++)
		found |= all[i].parent_id == 0 && all[i].id == id;
	if (!found)
		return attr_not_found(w);
	if (product_query_counts(&w->shop, PQ_COUNT_VALUES, &counts, &nc) !=
	    SHOP_OK)
		return wc_products_unavailable(w);
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (all[i].parent_id != id)
			continue;
		if (total >= pg.offset && total < pg.offset + pg.per_page)
			json_object_array_add(a, term_json(&all[i],
			    count_of(counts, nc, all[i].id)));
		total++;
	}
	wc_api_page_headers(w, &pg, total);
	return json_api_send(w, 200, a);
}

/* --- attribute and term writes --------------------------------------- */

static void
body_release(void *o)
{
	json_object_put(o);
}

/* What a body may set of an attribute or term. */
struct attr_body {
	struct str	 name, slug;
	int64_t		 menu_order;
	unsigned	 has;		/* 1 name, 2 slug, 4 menu_order */
};

/* The fields of an attribute (term 0) or a term in o into b: errs->n
 * stays 0 when they are valid. The attribute fields souk has one value
 * of are checked against it. */
static void
attr_fields(json_object *o, int term, struct attr_body *b,
    struct field_errors *errs)
{
	static const struct { const char *k, *only; } fixed[] = {
		{ "type", "select" }, { "order_by", "menu_order" },
	};
	json_object	*v;
	size_t		 i;
	int		 h;

	memset(b, 0, sizeof(*b));
	if (text_field(o, "name", &b->name, &h, errs) == 0 && h)
		b->has |= 1;
	if (text_field(o, "slug", &b->slug, &h, errs) == 0 && h) {
		/* WooCommerce's global attributes' slugs carry "pa_". */
		if (!term && b->slug.len > 3 && memcmp(b->slug.p, "pa_", 3) ==
		    0) {
			b->slug.p += 3;
			b->slug.len -= 3;
		}
		b->has |= 2;
	}
	if (term && json_object_object_get_ex(o, "menu_order", &v)) {
		if (json_object_is_type(v, json_type_int) &&
		    json_object_get_int64(v) >= 0 &&
		    json_object_get_int64(v) <= 1000000) {
			b->menu_order = json_object_get_int64(v);
			b->has |= 4;
		} else
			field_errors_add(errs, "menu_order",
			    N_("A whole number from 0 to 1000000."));
	}
	for (i = 0; !term && i < NELEM(fixed); i++)
		if (json_object_object_get_ex(o, fixed[i].k, &v) &&
		    (!json_object_is_type(v, json_type_string) ||
		    strcmp(json_object_get_string(v), fixed[i].only) != 0))
			field_errors_add(errs, fixed[i].k, strcmp(fixed[i].k,
			    "type") == 0 ? N_("souk's attributes are of type "
			    "select.") : N_("souk orders an attribute's terms "
			    "by menu_order."));
	if (!term && json_object_object_get_ex(o, "has_archives", &v) &&
	    (!json_object_is_type(v, json_type_boolean) ||
	    json_object_get_boolean(v)))
		field_errors_add(errs, "has_archives", N_("souk has no "
		    "archive pages of attributes: false."));
}

/* The body of an attribute (term 0) or a term: 0, or -1 answered. */
static int
attr_body(struct web *w, int term, json_object **o, struct attr_body *b)
{
	struct field_errors errs;

	if (json_api_body(w, 1, "rest_invalid_json", o) == -1)
		return -1;
	errs.n = 0;
	attr_fields(*o, term, b, &errs);
	return errs.n ? body_refused(w, o, &errs) : 0;
}

/* Attribute or term id (of attribute parent when term) with its names
 * into *a and *texts: 0, or -1 answered 404. */
static int
attr_of(struct web *w, int64_t parent, int64_t id, struct attribute *a,
    struct attribute_text **texts, size_t *ntexts)
{
	int rc = id > 0 ? attribute_get(&w->shop, id, a, texts, ntexts) :
	    SHOP_ENOTFOUND;

	if (rc == SHOP_OK && a->parent_id != parent)
		rc = SHOP_ENOTFOUND;
	if (rc == SHOP_ENOTFOUND)
		return (parent ? json_api_error(w, 404,
		    "woocommerce_rest_term_invalid", _("Resource does not "
		    "exist.")) : attr_not_found(w)), -1;
	if (rc != SHOP_OK)
		return wc_products_unavailable(w), -1;
	return 0;
}

/* What attribute or term id shows now (201 when created). */
static int
attr_send(struct web *w, int64_t parent, int64_t id, int status)
{
	struct attribute	 a;
	struct attribute_text	*texts;
	struct pq_count_row	*counts;
	size_t			 nt, nc;

	if (attr_of(w, parent, id, &a, &texts, &nt) == -1)
		return 0;
	if (parent == 0)
		return json_api_send(w, status, attribute_json(w, &a));
	if (product_query_counts(&w->shop, PQ_COUNT_VALUES, &counts, &nc) !=
	    SHOP_OK)
		return wc_products_unavailable(w);
	return json_api_send(w, status, term_json(&a, count_of(counts, nc,
	    id)));
}

/* Creates (id 0) or changes attribute or term id from body b, its other
 * languages' names kept. */
static int
attr_save(struct web *w, int64_t parent, int64_t id,
    const struct attribute *cur, const struct attribute_text *texts,
    size_t nt, const struct attr_body *b)
{
	struct attribute_input	 in;
	struct field_errors	 errs;
	int64_t			 out = id;
	size_t			 i;
	int			 rc, put = 0;

	memset(&in, 0, sizeof(in));
	for (i = 0; i < nt && in.ntexts < ATTRIBUTE_MAX_LOCALES; i++)
		in.texts[in.ntexts++] = texts[i];
	for (i = 0; i < in.ntexts && (b->has & 1); i++)
		if (strcmp(in.texts[i].locale, w->shop.default_locale) == 0) {
			in.texts[i].name = str_trim(b->name);
			put = 1;
		}
	if ((b->has & 1) && !put && in.ntexts < ATTRIBUTE_MAX_LOCALES) {
		str_copy(in.texts[in.ntexts].locale,
		    sizeof(in.texts[in.ntexts].locale),
		    str_c(w->shop.default_locale));
		in.texts[in.ntexts++].name = str_trim(b->name);
	}
	in.slug = (b->has & 2) ? b->slug : cur != NULL ? cur->slug : STR("");
	if (b->has & 4)
		in.position = str_c(arena_printf(w->r->arena, "%lld",
		    (long long)b->menu_order));
	errs.n = 0;
	rc = attribute_save(&w->shop, id, parent, &in, &errs, &out);
	if (rc == SHOP_EINVAL || rc == SHOP_ECONFLICT) {
		for (i = 0; i < errs.n; i++)
			if (strcmp(errs.v[i].field, "position") == 0)
				errs.v[i].field = "menu_order";
		return wc_products_invalid(w, "", &errs);
	}
	if (rc == SHOP_ENOTFOUND)
		return parent ? attr_send(w, parent, 0, 404) :
		    attr_not_found(w);
	if (rc != SHOP_OK)
		return wc_products_unavailable(w);
	log_info("api: %s %lld %s", parent ? "term" : "attribute",
	    (long long)out, id ? "changed" : "created");
	return attr_send(w, parent, out, id ? 200 : 201);
}

static int
attributes_create(struct req *r)
{
	struct web		*w = web_of(r);
	struct attr_body	 b;
	json_object		*o;
	int			 rc;

	if (attr_body(w, 0, &o, &b) == -1)
		return 0;
	arena_cleanup_add(r->arena, body_release, o);
	if (!(b.has & 1))
		return wc_api_invalid_param(w, "name",
		    _("Missing parameter(s): name")), 0;
	rc = attr_save(w, 0, 0, NULL, NULL, 0, &b);
	return rc;
}

static int
attributes_update(struct req *r)
{
	struct web		*w = web_of(r);
	struct attribute	 a;
	struct attribute_text	*texts;
	struct attr_body	 b;
	json_object		*o;
	int64_t			 id = wc_api_id(r, "id");
	size_t			 nt;

	if (attr_of(w, 0, id, &a, &texts, &nt) == -1 ||
	    attr_body(w, 0, &o, &b) == -1)
		return 0;
	arena_cleanup_add(r->arena, body_release, o);
	return attr_save(w, 0, id, &a, texts, nt, &b);
}

/* DELETE of an attribute (parent 0) or a term: force=true, as
 * WooCommerce's; refused while a variant is made from it. */
static int
attr_delete(struct web *w, int64_t parent, int64_t id)
{
	struct attribute	 a;
	struct attribute_text	*texts;
	struct pq_count_row	*counts;
	json_object		*before;
	size_t			 nt, nc;
	int			 rc;

	if (attr_of(w, parent, id, &a, &texts, &nt) == -1)
		return 0;
	if (!wc_products_forced(w))
		return json_api_error(w, 501,
		    "woocommerce_rest_trash_not_supported",
		    _("Resource does not support trashing."));
	if (parent == 0)
		before = attribute_json(w, &a);
	else if (product_query_counts(&w->shop, PQ_COUNT_VALUES, &counts,
	    &nc) == SHOP_OK)
		before = term_json(&a, count_of(counts, nc, id));
	else
		return wc_products_unavailable(w);
	rc = attribute_delete(&w->shop, id);
	if (rc == SHOP_ECONFLICT) {
		json_object_put(before);
		return json_api_error(w, 400, "woocommerce_rest_cannot_delete",
		    _("Variants are made from it: delete or change them "
		    "first."));
	}
	if (rc != SHOP_OK) {
		json_object_put(before);
		return rc == SHOP_ENOTFOUND ? attr_not_found(w) :
		    wc_products_unavailable(w);
	}
	log_info("api: %s %lld deleted", parent ? "term" : "attribute",
	    (long long)id);
	return json_api_send(w, 200, before);
}

static int
attributes_delete(struct req *r)
{
	return attr_delete(web_of(r), 0, wc_api_id(r, "id"));
}

/* The attribute of a terms route: its id, or 0 answered 404. */
static int64_t
terms_attribute(struct web *w)
{
	struct attribute	 a;
	struct attribute_text	*texts;
	size_t			 nt;
	int64_t			 id = wc_api_id(w->r, "id");

	if (attr_of(w, 0, id, &a, &texts, &nt) == -1)
		return 0;
	return id;
}

static int
terms_get(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 parent;

	if ((parent = terms_attribute(w)) == 0)
		return 0;
	return attr_send(w, parent, wc_api_id(r, "term_id"), 200);
}

static int
terms_create(struct req *r)
{
	struct web		*w = web_of(r);
	struct attr_body	 b;
	json_object		*o;
	int64_t			 parent;

	if ((parent = terms_attribute(w)) == 0 ||
	    attr_body(w, 1, &o, &b) == -1)
		return 0;
	arena_cleanup_add(r->arena, body_release, o);
	if (!(b.has & 1))
		return wc_api_invalid_param(w, "name",
		    _("Missing parameter(s): name")), 0;
	return attr_save(w, parent, 0, NULL, NULL, 0, &b);
}

static int
terms_update(struct req *r)
{
	struct web		*w = web_of(r);
	struct attribute	 a;
	struct attribute_text	*texts;
	struct attr_body	 b;
	json_object		*o;
	int64_t			 parent, id = wc_api_id(r, "term_id");
	size_t			 nt;

	if ((parent = terms_attribute(w)) == 0 ||
	    attr_of(w, parent, id, &a, &texts, &nt) == -1 ||
	    attr_body(w, 1, &o, &b) == -1)
		return 0;
	arena_cleanup_add(r->arena, body_release, o);
	return attr_save(w, parent, id, &a, texts, nt, &b);
}

static int
terms_delete(struct req *r)
{
	struct web	*w = web_of(r);
	int64_t		 parent;

	if ((parent = terms_attribute(w)) == 0)
		return 0;
	return attr_delete(w, parent, wc_api_id(r, "term_id"));
}

/* --- batches ------------------------------------------------------- */

enum tax_kind { TAX_CATEGORY, TAX_ATTRIBUTE, TAX_TERM };

/*
 * POST products/categories/batch, products/attributes/batch and
 * products/attributes/{id}/terms/batch: every item's fields are checked
 * first (400 naming "create[1].name", nothing written), then each item
 * runs as its own request (wc_api_batch_run()) and its answer, or its
 * {"id", "error"}, takes its place. A batch's delete is forced, as
 * WooCommerce's batch sets it (wc_products_forced()).
 */
static int
tax_batch(struct req *r, enum tax_kind kind)
{
	static int (*const fns[3][3])(struct req *) = {
		{ categories_create, categories_update, categories_delete },
		{ attributes_create, attributes_update, attributes_delete },
		{ terms_create, terms_update, terms_delete },
	};
	struct web		*w = web_of(r);
	json_object		*body, *arr[3], *e;
	struct field_errors	 errs;
	struct attr_body	 ab;
	struct str		 name, slug;
	const char		*at;
	int64_t			 parent;
	unsigned		 has;
	size_t			 n[3], k, i;

	if (kind == TAX_TERM && terms_attribute(w) == 0)
		return 0;
	if (json_api_body(w, 1, "rest_invalid_json", &body) == -1 ||
	    wc_api_batch_arrays(w, body, arr, n) == -1)
		return 0;
	arena_cleanup_add(r->arena, body_release, body);
	for (k = 0; k < 3; k++)
		for (i = 0; i < n[k]; i++) {
			e = json_object_array_get_idx(arr[k], i);
			at = arena_printf(r->arena, "%s[%zu]",
			    wc_api_batch_keys[k], i);
			if (k > 0 && wc_api_item_id(e) == 0)
				return wc_api_invalid_param(w, at,
				    _("The item needs an id.")), 0;
			if (k == 2)
				continue;
			if (!json_object_is_type(e, json_type_object))
				return wc_api_invalid_param(w, at, _("The item "
				    "must be a JSON object.")), 0;
			errs.n = 0;
			if (kind == TAX_CATEGORY)
				category_fields(e, &name, &slug, &parent, &has,
				    &errs);
			else {
				attr_fields(e, kind == TAX_TERM, &ab, &errs);
				has = ab.has;
			}
			if (k == 0 && errs.n == 0 && !(has & 1))
				field_errors_add(&errs, "name",
				    N_("Missing parameter(s): name"));
			if (errs.n)
				return wc_api_invalid_param(w, arena_printf(
				    r->arena, "%s.%s", at, errs.v[0].field),
				    _(errs.v[0].msgid)), 0;
		}
	return wc_api_batch_send(w, arr, n, fns[kind], kind == TAX_TERM ?
	    "term_id" : "id");
}

static int
categories_batch(struct req *r)
{
	return tax_batch(r, TAX_CATEGORY);
}

static int
attributes_batch(struct req *r)
{
	return tax_batch(r, TAX_ATTRIBUTE);
}

static int
terms_batch(struct req *r)
{
	return tax_batch(r, TAX_TERM);
}

const struct route wc_taxonomy_routes[] = {
	{ HTTP_GET, WC_API_NS "/products/categories", categories_list, 0,
	    NULL },
	{ HTTP_POST, WC_API_NS "/products/categories", categories_create, 0,
	    NULL },
	{ HTTP_POST, WC_API_NS "/products/categories/batch", categories_batch,
	    0, NULL },
	{ HTTP_GET, WC_API_NS "/products/categories/:id", categories_get, 0,
	    NULL },
	{ HTTP_PUT, WC_API_NS "/products/categories/:id", categories_update,
	    0, NULL },
	{ HTTP_PATCH, WC_API_NS "/products/categories/:id", categories_update,
	    0, NULL },
	{ HTTP_POST, WC_API_NS "/products/categories/:id", categories_update,
	    0, NULL },
	{ HTTP_DELETE, WC_API_NS "/products/categories/:id",
	    categories_delete, 0, NULL },
	{ HTTP_GET, WC_API_NS "/products/attributes", attributes_list, 0,
	    NULL },
	{ HTTP_GET, WC_API_NS "/products/attributes/:id", attributes_get, 0,
	    NULL },
	{ HTTP_POST, WC_API_NS "/products/attributes", attributes_create, 0,
	    NULL },
	{ HTTP_POST, WC_API_NS "/products/attributes/batch", attributes_batch,
	    0, NULL },
	{ HTTP_PUT, WC_API_NS "/products/attributes/:id", attributes_update,
	    0, NULL },
	{ HTTP_PATCH, WC_API_NS "/products/attributes/:id", attributes_update,
	    0, NULL },
	{ HTTP_POST, WC_API_NS "/products/attributes/:id", attributes_update,
	    0, NULL },
	{ HTTP_DELETE, WC_API_NS "/products/attributes/:id",
	    attributes_delete, 0, NULL },
	{ HTTP_GET, WC_API_NS "/products/attributes/:id/terms", terms_list, 0,
	    NULL },
	{ HTTP_POST, WC_API_NS "/products/attributes/:id/terms", terms_create,
	    0, NULL },
	{ HTTP_POST, WC_API_NS "/products/attributes/:id/terms/batch",
	    terms_batch, 0, NULL },
	{ HTTP_GET, WC_API_NS "/products/attributes/:id/terms/:term_id",
	    terms_get, 0, NULL },
	{ HTTP_PUT, WC_API_NS "/products/attributes/:id/terms/:term_id",
	    terms_update, 0, NULL },
	{ HTTP_PATCH, WC_API_NS "/products/attributes/:id/terms/:term_id",
	    terms_update, 0, NULL },
	{ HTTP_POST, WC_API_NS "/products/attributes/:id/terms/:term_id",
	    terms_update, 0, NULL },
	{ HTTP_DELETE, WC_API_NS "/products/attributes/:id/terms/:term_id",
	    terms_delete, 0, NULL },
};

const size_t wc_taxonomy_nroutes = NELEM(wc_taxonomy_routes);
