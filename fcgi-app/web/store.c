/*
 * store.c: the storefront a shopper sees: home, category pages, product
 * pages and search. Every page works without JavaScript.
 */
#include "core/common.h"
#include "core/cache.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/money.h"
#include "http/router.h"
#include "platform/tenant.h"
#include "shop/also_bought.h"
#include "shop/catalog.h"
#include "shop/gallery.h"
#include "shop/facet.h"
#include "shop/search.h"
#include "web/account.h"
#include "web/cart.h"
#include "web/orders.h"
#include "web/returns.h"
#include "web/page.h"

/* "Customers also bought" cards on a product page: one row of four. */
#define STORE_ALSO_BOUGHT	4

/*
 * The fields of each route (web/form.h). A slug is checked before the
 * database sees it: one that cannot exist (upper case, non-ASCII:
 * slug columns are ASCII) is a 404 at once.
 */
static const char *const sort_names[] = {
	"newest", "price-asc", "price-desc", NULL	/* catalog_sort_name() */
};

static const struct field category_fields[] = {
	{ "slug", FIELD_SLUG, 1, 80, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "after", FIELD_TEXT, 1, 41, FIELD_QUERY | FIELD_ASCII,
	    N_("This page link is not valid."), NULL },
	{ "sort", FIELD_ENUM, 0, 0, FIELD_QUERY,
	    N_("This page link is not valid."), sort_names },
	/* Checked facet values (facet.h); more than FACET_MAX_VALUES are
	 * capped in facet_filter_read(), past FORM_MAX_VALUES a 400. */
	{ "v", FIELD_ID, 0, 0, FIELD_QUERY | FIELD_MULTI,
	    N_("This filter link is not valid."), NULL },
	{ 0 }
};

/* The search form's links: a bad one is a 400 before any work. The
 * fields a shopper types (q, min, max) are checked in search(), which
 * shows their message in the search form itself (a 422), as the
 * contract does only for a body's fields. */
static const struct field search_fields[] = {
	{ "category", FIELD_ID, 0, 0, FIELD_QUERY,
	    N_("This search link is not valid."), NULL },
	{ "page", FIELD_INT, 0, SEARCH_PAGES - 1, FIELD_QUERY,
	    N_("This search link is not valid."), NULL },
	{ "sort", FIELD_ENUM, 0, 0, FIELD_QUERY,
	    N_("This search link is not valid."), sort_names },
	{ "v", FIELD_ID, 0, 0, FIELD_QUERY | FIELD_MULTI,
	    N_("This filter link is not valid."), NULL },
	{ 0 }
};

static const struct field product_fields[] = {
	{ "slug", FIELD_SLUG, 1, 120, FIELD_PARAM | FIELD_REQUIRED, NULL,
	    NULL },
	{ "image", FIELD_INT, 1, GALLERY_MAX, FIELD_QUERY,
	    N_("This image link is not valid."), NULL },
	{ 0 }
};

/* The first character of a name (a whole UTF-8 sequence), for the
 * placeholder of a product without an image. */
static const char *
initial(struct web *w, struct str name)
{
	size_t n = 1;

	if (name.len == 0)
		return "";
	if (((unsigned char)name.p[0] & 0xe0) == 0xc0)
		n = 2;
	else if (((unsigned char)name.p[0] & 0xf0) == 0xe0)
		n = 3;
	else if (((unsigned char)name.p[0] & 0xf8) == 0xf0)
		n = 4;
	if (n > name.len)
		n = name.len;
	return arena_strndup(w->r->arena, name.p, n);
}

static void
product_card(struct web *w, json_object *arr, const struct product *p)
{
	json_object *o = jarr_obj(arr);

	jset_str(o, "slug", p->slug);
	jset_str(o, "name", p->name);
	jset_str(o, "image", p->image);
	jset_cstr(o, "initial", initial(w, p->name));
	jset_cstr(o, "price", page_price(w, p->price_now));
	/* A running sale: the regular price struck through beside it.
	 * Set either way: inside {{#products.0}} a missing name would be
	 * looked up in the first card's context. */
	jset_cstr(o, "price_was", p->price_now < p->price ?
	    page_price(w, p->price) : "");
	jset_bool(o, "in_stock", p->stock > 0);
}

/* The cards of l as the array key of m. */
static void
cards_as(struct web *w, json_object *m, const char *key,
    const struct product_list *l)
{
	json_object	*arr = jset_arr(m, key);
	size_t		 i;

	for (i = 0; i < l->n; i++)
		product_card(w, arr, &l->v[i]);
}

static void
product_cards(struct web *w, json_object *m, const struct product_list *l)
{
	cards_as(w, m, "products", l);
}

/*
 * The model every storefront page starts from: branding, the top-level
 * categories for the navigation (current one marked). Returns NULL when
 * the database failed (an error page has been sent then).
 */
static json_object *
store_model(struct web *w, const char *title, int64_t current,
    struct category **cats, size_t *ncats)
{
	json_object	*m, *arr;
	size_t		 i;

	if (category_list(&w->shop, cats, ncats) != SHOP_OK) {
		page_error(w, 503, NULL);
		return NULL;
	}
	m = page_model(w, title);
	page_currency_model(w, m);
	/* A page view (platform/meter.h): counted by web_serve() when it
	 * is answered, by nginx when its cache answers it (the header
	 * names the shop in nginx's log and is not sent on). */
	w->page_view = 1;
	resp_header(w->r, "X-Souk-Shop", arena_printf(w->r->arena, "%lld",
	    (long long)w->tenant->id));
	arr = jset_arr(m, "categories");
	for (i = 0; i < *ncats; i++) {
		const struct category	*c = &(*cats)[i];
		json_object		*o;

		if (c->parent_id != 0)
			continue;
		o = jarr_obj(arr);
		jset_str(o, "slug", c->slug);
		jset_str(o, "name", c->name);
		jset_bool(o, "current", c->id == current);
	}
	/* Listings change when the merchant saves: a short shared cache
	 * (nginx microcache) is fine for anonymous visitors. A shopper
	 * with a cart or a session gets their own page (the cart link
	 * counts their items): never stored (nginx bypasses the cache
	 * for them too, souk-site.conf). */
	if (!cart_header_model(w, m))
		resp_header(w->r, "Cache-Control", "public, max-age=5");
	return m;
}

static int
home(struct req *r)
{
	struct web		*w = web_of(r);
	struct product_list	 l;
	struct category		*cats;
	size_t			 ncats, i;
	json_object		*m, *arr;

	if ((m = store_model(w, w->tenant->name, 0, &cats, &ncats)) == NULL)
		return 0;
	if (catalog_featured(&w->shop, 12, &l) != SHOP_OK)
		return page_error(w, 503, NULL);
	jset_cstr(m, "title", _("Home"));
	product_cards(w, m, &l);
	/* One statement, no rows until souk-worker's nightly job (or
	 * soukctl shop also-bought) has counted some orders. */
	if (also_bought_best_sellers(&w->shop, ALSO_BOUGHT_MAX, &l) !=
	    SHOP_OK)
		return page_error(w, 503, NULL);
	cards_as(w, m, "best_sellers", &l);
	arr = jset_arr(m, "top_categories");
	for (i = 0; i < ncats; i++) {
		json_object *o;

		if (cats[i].parent_id != 0)
			continue;
		o = jarr_obj(arr);
		jset_str(o, "slug", cats[i].slug);
		jset_str(o, "name", cats[i].name);
	}
	return page_render(w, 200, "home");
}

static void
sort_options(json_object *m, enum catalog_sort cur, int search)
{
	json_object		*arr = jset_arr(m, "sorts");
	enum catalog_sort	 s;

	for (s = 0; s < CATALOG_SORT__MAX; s++) {
		json_object	*o = jarr_obj(arr);
		const char	*label;

		switch (s) {
		case CATALOG_SORT_PRICE_ASC:
			label = _("Price, low to high");
			break;
		case CATALOG_SORT_PRICE_DESC:
			label = _("Price, high to low");
			break;
		default:
			label = search ? _("Relevance") : _("Newest");
			break;
		}
		jset_cstr(o, "value", catalog_sort_name(s));
		jset_cstr(o, "label", label);
		jset_bool(o, "selected", s == cur);
	}
}

/* A price bound typed in the search or filter form: empty is no bound.
 * NEEDSWORK: bounds are read in the shop's base currency even when the
 * shopper sees prices converted (page_price()); convert them back. */
static int
price_bound(struct web *w, const char *field, int64_t *out, json_object *m)
{
	const struct str *v = req_query(w->r, field);

	*out = -1;
	if (v == NULL || str_trim(*v).len == 0)
		return 0;
	jset_str(m, field, *v);
	if (money_parse(str_trim(*v), w->tenant->currency, out) == -1 ||
	    *out < 0)
		return -1;
	return 0;
}

/* "&name=value" for a search field as it came, escaped again. */
static void
keep_field(struct strbuf *sb, struct req *r, const char *name)
{
	const struct str *v = req_query(r, name);

	if (v == NULL || str_trim(*v).len == 0)
		return;
	strbuf_addf(sb, "&%s=", name);
	url_escape(sb, str_trim(*v));
}

/*
 * The checked values of the query into f. They are ids already
 * (category_fields); past FACET_MAX_VALUES they are capped, so a long
 * link still shows a page, filtered by its first values.
 */
static void
filter_read(struct web *w, struct facet_filter *f)
{
	struct str	 v[FORM_MAX_VALUES];
	int64_t		 id;
	int		 n, i;

	memset(f, 0, sizeof(*f));
	f->min_price = f->max_price = -1;
	n = form_all(&w->form, "v", v, NELEM(v));
	for (i = 0; i < n; i++)
		if (str_to_i64(v[i], 1, INT64_MAX, &id) == 0 &&
		    facet_filter_add(f, id) == -1)
			break;
}

/* "&v=1&v=2&min=..&max=.." of the page's filter (values resolved,
 * bounds as typed, escaped again), in the arena: every link of the
 * page keeps it. "" when nothing is filtered. */
static const char *
filter_query(struct web *w, const struct facet_filter *f)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*out;
	size_t		 i;

	for (i = 0; i < f->nvalues; i++)
		strbuf_addf(&sb, "&v=%lld", (long long)f->values[i]);
	if (f->min_price >= 0)
		keep_field(&sb, w->r, "min");
	if (f->max_price >= 0)
		keep_field(&sb, w->r, "max");
	out = arena_strndup(w->r->arena, sb.buf ? sb.buf : "", sb.len);
	strbuf_release(&sb);
	return out;
}

/*
 * The facets beside the products: each attribute with its values as
 * checkboxes with their counts (a form sent with GET: no JavaScript),
 * and the filter as hidden fields for the other form of the page (the
 * sort), so that changing one keeps the other.
 */
static void
facets_model(struct web *w, json_object *m, const struct facet_set *fs,
    const struct facet_filter *f)
{
	json_object	*arr = jset_arr(m, "facets"), *kept;
	size_t		 i, k;

	for (i = 0; i < fs->n; i++) {
		const struct facet_attr *a = &fs->a[i];
		json_object		*o = jarr_obj(arr), *vs;

		jset_str(o, "name", a->name);
		jset_str(o, "slug", a->slug);
		jset_bool(o, "selected", a->selected);
		vs = jset_arr(o, "values");
		for (k = 0; k < a->n; k++) {
			json_object *v = jarr_obj(vs);

			jset_i64(v, "id", a->v[k].id);
			jset_str(v, "name", a->v[k].name);
			jset_i64(v, "count", a->v[k].count);
			jset_bool(v, "checked", a->v[k].selected);
		}
	}
	kept = jset_arr(m, "kept");
	for (i = 0; i < f->nvalues; i++) {
		json_object *o = jarr_obj(kept);

		jset_cstr(o, "name", "v");
		jset_i64(o, "value", f->values[i]);
	}
	for (i = 0; i < 2; i++) {
		const char		*name = i ? "max" : "min";
		const struct str	*v = req_query(w->r, name);
		json_object		*o;

		if (v == NULL || str_trim(*v).len == 0)
			continue;
		o = jarr_obj(kept);
		jset_cstr(o, "name", name);
		jset_str(o, "value", str_trim(*v));
	}
	jset_bool(m, "filtered", facet_filter_active(f));
}

static int
category(struct req *r)
{
	struct web		*w = web_of(r);
	struct str		 after = form_text(&w->form, "after");
	struct str		 sortname = form_text(&w->form, "sort");
	struct catalog_cursor	 cur = { 0, 0 };
	enum catalog_sort	 sort = catalog_sort_parse(&sortname);
	struct category		 c, *cats;
	struct product_list	 l;
	struct facet_filter	 f;
	struct facet_set	 fs;
	const char		*fq;
	size_t			 ncats, i;
	json_object		*m, *o, *arr;
	int			 rc, status = 200;

	if (after.len && catalog_cursor_parse(after, &cur) == -1)
		return page_error(w, 400, _("This page link is not valid."));
	rc = category_by_slug(&w->shop, form_text(&w->form, "slug"),
	    &c);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This category does not exist."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	if ((m = store_model(w, "", c.parent_id ? c.parent_id : c.id, &cats,
	    &ncats)) == NULL)
		return 0;
	filter_read(w, &f);
	/* Typed by the shopper: the page again, the message beside the
	 * price fields, without the price filter. */
	if (price_bound(w, "min", &f.min_price, m) == -1 ||
	    price_bound(w, "max", &f.max_price, m) == -1) {
		jset_cstr(m, "price_error", _("Enter prices such as 12.50."));
		f.min_price = f.max_price = -1;
		status = 422;
	}
	if (facet_counts(&w->shop, c.id, STR_NULL, &f, &fs) != SHOP_OK)
		return page_error(w, 503, NULL);
	/* The price sorts are by the price now, which no index holds:
	 * facet_list() sorts the category's rows the worker keeps. */
	if (facet_filter_active(&f) || sort != CATALOG_SORT_NEWEST)
		rc = facet_list(&w->shop, c.id, &f, sort, &cur, &l);
	else
		rc = catalog_list(&w->shop, c.id, sort, &cur, &l);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	fq = filter_query(w, &f);
	jset_str(m, "title", c.name);
	o = jset_obj(m, "category");
	jset_str(o, "name", c.name);
	jset_str(o, "slug", c.slug);
	arr = jset_arr(m, "children");
	for (i = 0; i < ncats; i++) {
		if (cats[i].parent_id == c.id) {
			json_object *ch = jarr_obj(arr);

			jset_str(ch, "slug", cats[i].slug);
			jset_str(ch, "name", cats[i].name);
		}
		if (c.parent_id && cats[i].id == c.parent_id) {
			json_object *p = jset_obj(m, "parent");

			jset_str(p, "slug", cats[i].slug);
			jset_str(p, "name", cats[i].name);
		}
	}
	product_cards(w, m, &l);
	sort_options(m, sort, 0);
	jset_cstr(m, "sort", catalog_sort_name(sort));
	facets_model(w, m, &fs, &f);
	/* Every link keeps the filter (fq), the sort and the page. */
	if (l.more)
		jset_cstr(m, "next_url", sort == CATALOG_SORT_NEWEST ?
		    arena_printf(r->arena, "/c/%s?after=%lld%s", c.slug.p,
		    (long long)l.next.id, fq) :
		    arena_printf(r->arena, "/c/%s?sort=%s&after=%lld.%lld%s",
		    c.slug.p, catalog_sort_name(sort),
		    (long long)l.next.price, (long long)l.next.id, fq));
	if (cur.id != 0)
		jset_cstr(m, "first_url", arena_printf(r->arena,
		    "/c/%s?sort=%s%s", c.slug.p, catalog_sort_name(sort), fq));
	jset_cstr(m, "clear_url", sort == CATALOG_SORT_NEWEST ?
	    arena_printf(r->arena, "/c/%s", c.slug.p) :
	    arena_printf(r->arena, "/c/%s?sort=%s", c.slug.p,
	    catalog_sort_name(sort)));
	return page_render(w, status, "category");
}

/* A description as paragraphs: blank lines separate them. */
static void
paragraphs(json_object *o, struct str d)
{
	json_object	*arr = jset_arr(o, "paragraphs");
	size_t		 start = 0, i;

	for (i = 0; i <= d.len; i++) {
		int end = i == d.len ||
		    (d.p[i] == '\n' && i + 1 < d.len && (d.p[i + 1] == '\n' ||
		    (d.p[i + 1] == '\r' && i + 2 < d.len && d.p[i + 2] == '\n')));

		if (!end)
			continue;
		{
			struct str para = str_trim((struct str){ d.p + start,
			    i - start });

			if (para.len)
				json_object_array_add(arr,
				    json_object_new_string_len(para.p,
				    (int)para.len));
		}
		start = i + 1;
	}
}

/* The page's meta description: the description's text on one line,
 * cut at 160 characters (search engines show about that many). */
static const char *
meta_description(struct web *w, struct str d)
{
	char	*out = arena_alloc(w->r->arena, d.len + 1);
	size_t	 i = 0, n = 0, chars = 0, len;
	int	 space = 0;

	while (i < d.len) {
		unsigned char c = (unsigned char)d.p[i];

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			space = n > 0;
			i++;
			continue;
		}
		/* Whole characters (the text is valid UTF-8). */
		len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (chars + (size_t)space >= 160 || i + len > d.len)
			break;
		if (space) {
			out[n++] = ' ';
			chars++;
			space = 0;
		}
		memcpy(out + n, d.p + i, len);
		n += len;
		i += len;
		chars++;
	}
	out[n] = '\0';
	return out;
}

/* "In stock", or how many are left when few are. */
static const char *
stock_text(struct web *w, int64_t stock)
{
	if (stock > 10)
		return _("In stock");
	return arena_printf(w->r->arena, ngettext("Only %lld left",
	    "Only %lld left", (unsigned long)stock), (long long)stock);
}

/*
 * The product page's gallery: the chosen image (?image=N, 1-based;
 * else the main one) large, every image as a thumbnail linking to its
 * ?image=N, so it works without JavaScript. Alt texts in the shopper's
 * language, else the shop's default, else the product's name. They
 * come with the page's data (catalog_product_page()).
 */
static int
gallery(struct web *w, json_object *m, const struct product_page *pp)
{
	const struct gallery_image *v = pp->gallery;
	const struct product	*p = &pp->p;
	size_t			 n = pp->ngallery, i, cur;
	json_object		*g, *arr;

	if (n == 0)
		return 0;
	cur = (size_t)form_i64(&w->form, "image");
	cur = cur >= 1 && cur <= n ? cur - 1 : 0;
	g = jset_obj(m, "gallery");
	jset_str(g, "page", v[cur].page_path);
	jset_str(g, "original", v[cur].path);
	if (v[cur].width > 0) {
		jset_i64(g, "width", v[cur].width);
		jset_i64(g, "height", v[cur].height);
	}
	jset_str(g, "alt", v[cur].alt.len ? v[cur].alt : p->name);
	if (n < 2)
		return 0;
	arr = jset_arr(g, "thumbs");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_i64(o, "n", (int64_t)i + 1);
		jset_str(o, "card", v[i].card_path);
		jset_str(o, "alt", v[i].alt.len ? v[i].alt : p->name);
		jset_bool(o, "current", i == cur);
	}
	return 0;
}

static int
product(struct req *r)
{
	struct web		*w = web_of(r);
	struct product_page	 pp;
	struct category		*cats;
	size_t			 ncats, i;
	json_object		*m, *o, *arr;
	int64_t			 stock;
	int			 rc;

	rc = catalog_product_page(&w->shop, form_text(&w->form, "slug"), &pp);
	if (rc == SHOP_ENOTFOUND)
		return page_error(w, 404, _("This product does not exist or "
		    "is no longer sold."));
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	/* A product with variants has their stock, not its own. */
	stock = pp.nvariants ? 0 : pp.p.stock;
	for (i = 0; i < pp.nvariants; i++)
		stock += pp.variants[i].stock;
	if ((m = store_model(w, "", pp.cat.id, &cats, &ncats)) == NULL)
		return 0;
	jset_str(m, "title", pp.p.name);
	jset_cstr(m, "meta_description", meta_description(w,
	    pp.p.description));
	o = jset_obj(m, "product");
	jset_i64(o, "id", pp.p.id);
	jset_str(o, "name", pp.p.name);
	jset_str(o, "sku", pp.p.sku);
	jset_str(o, "image", pp.p.image);
	jset_cstr(o, "initial", initial(w, pp.p.name));
	jset_cstr(o, "price", page_price(w, pp.p.price_now));
	if (pp.p.price_now < pp.p.price)
		jset_cstr(o, "price_was", page_price(w, pp.p.price));
	if (page_price_converted(w))
		jset_cstr(o, "price_base", page_money(w, pp.p.price_now,
		    w->tenant->currency));
	jset_bool(o, "in_stock", stock > 0);
	jset_cstr(o, "stock_text", stock_text(w, stock));
	/* Sanitised on save (core/richtext.h): shown as is. Plain text,
	 * as every description before rich text, in paragraphs. */
	if (pp.description_html.p != NULL)
		jset_str(o, "description_html", pp.description_html);
	else
		paragraphs(o, pp.p.description);
	if (pp.cat.id) {
		json_object *c = jset_obj(o, "category");

		jset_str(c, "slug", pp.cat.slug);
		jset_str(c, "name", pp.cat.name);
	}
	/* The variant picker: every option with its price and stock; the
	 * ones out of stock shown but not to be chosen. */
	arr = jset_arr(m, "variants");
	for (i = 0; i < pp.nvariants; i++) {
		json_object *v = jarr_obj(arr);

		jset_i64(v, "id", pp.variants[i].id);
		jset_str(v, "name", pp.variants[i].name);
		jset_cstr(v, "price", page_price(w, pp.variants[i].price_now));
		if (pp.variants[i].price_now < pp.variants[i].price)
			jset_cstr(v, "price_was", page_price(w,
			    pp.variants[i].price));
		jset_bool(v, "in_stock", pp.variants[i].stock > 0);
		jset_cstr(v, "stock_text", pp.variants[i].stock > 0 ?
		    stock_text(w, pp.variants[i].stock) : _("Out of stock"));
	}
	if (gallery(w, m, &pp) == -1)
		return page_error(w, 503, NULL);
	/* Asked only when the page's own statement saw rows. */
	if (pp.also_bought) {
		struct product_list l;

		if (also_bought_list(&w->shop, pp.p.id, STORE_ALSO_BOUGHT,
		    &l) != SHOP_OK)
			return page_error(w, 503, NULL);
		cards_as(w, m, "also_bought", &l);
	}
	return page_render(w, 200, "product");
}

/*
 * The search form's categories as options. A big shop's 300 categories
 * were 1,800 allocations of json-c objects a search page, a fifth of the
 * page's CPU: each worker keeps the options per shop and language as
 * long as category.c keeps the list they come from (a change on this VM
 * drops both), and a page holds them by reference, the chosen one a
 * fresh object.
 */
#define OPTS_SLOTS	256
#define OPTS_TTL_MS	30000

static struct cache *opts_cache;

static void
opts_free(void *v)
{
	json_object_put(v);
}

static void
category_options(struct web *w, json_object *m, const struct category *cats,
    size_t ncats, int64_t selected, uint64_t gen)
{
	json_object	*all, *arr, *o;
	void		*v;
	size_t		 i;

	if (opts_cache == NULL)
		opts_cache = cache_new(OPTS_SLOTS, opts_free);
	if (cache_get(opts_cache, w->tenant->id, w->shop.locale, &v) &&
	    v != NULL && json_object_array_length(v) == ncats) {
		all = json_object_get(v);
	} else {
		all = json_object_new_array_ext((int)ncats);
		for (i = 0; i < ncats; i++) {
			o = jarr_obj(all);
			jset_i64(o, "id", cats[i].id);
			jset_str(o, "name", cats[i].name);
			/* Set: a missing name is looked up outside. */
			jset_bool(o, "selected", 0);
		}
		cache_put_at(opts_cache, w->tenant->id, w->shop.locale,
		    w->tenant->id, gen, json_object_get(all), OPTS_TTL_MS);
	}
	arr = jset_arr(m, "category_options");
	for (i = 0; i < ncats; i++) {
		if (cats[i].id != selected) {
			json_object_array_add(arr, json_object_get(
			    json_object_array_get_idx(all, i)));
			continue;
		}
		o = jarr_obj(arr);
		jset_i64(o, "id", cats[i].id);
		jset_str(o, "name", cats[i].name);
		jset_bool(o, "selected", 1);
	}
	json_object_put(all);
}

static int
search(struct req *r)
{
	struct web		*w = web_of(r);
	const struct str	*q = req_query(r, "q");
	struct str		 sortname = form_text(&w->form, "sort");
	struct search_query	 s;
	struct search_result	 res;
	struct facet_filter	 f;
	struct facet_set	 fs;
	struct category		*cats;
	size_t			 ncats, i;
	uint64_t		 gen;
	json_object		*m;
	int			 rc;

	memset(&s, 0, sizeof(s));
	/* Before the categories are read (category_options()). */
	gen = cache_gen(w->tenant->id);
	s.sort = catalog_sort_parse(&sortname);
	s.category_id = form_i64(&w->form, "category");
	s.page = form_i64(&w->form, "page");
	if ((m = store_model(w, _("Search"), 0, &cats, &ncats)) == NULL)
		return 0;
	sort_options(m, s.sort, 1);
	if (price_bound(w, "min", &s.min_price, m) == -1 ||
	    price_bound(w, "max", &s.max_price, m) == -1) {
		jset_cstr(m, "error", _("Enter prices such as 12.50."));
		return page_render(w, 422, "search");
	}
	category_options(w, m, cats, ncats, s.category_id, gen);
	if (q == NULL || str_trim(*q).len == 0)
		return page_render(w, 200, "search");
	s.q = str_trim(*q);
	if (s.q.len > 200 || !str_valid_text(s.q)) {
		jset_cstr(m, "error", _("Search for at most 200 characters."));
		return page_render(w, 422, "search");
	}
	jset_str(m, "q", s.q);
	/* The facets count over the words, category and price range. */
	filter_read(w, &f);
	f.min_price = s.min_price;
	f.max_price = s.max_price;
	if (facet_counts(&w->shop, s.category_id, s.q, &f, &fs) != SHOP_OK)
		return page_error(w, 503, NULL);
	facets_model(w, m, &fs, &f);
	s.facets = &f;
	rc = search_products(&w->shop, &s, &res);
	if (rc != SHOP_OK)
		return page_error(w, 503, NULL);
	jset_bool(m, "searched", 1);
	product_cards(w, m, &res.list);
	if (res.total_more)
		jset_cstr(m, "result_text", arena_printf(r->arena,
		    ngettext("More than %zu product found",
		    "More than %zu products found", (unsigned long)res.total),
		    (size_t)res.total));
	else
		jset_cstr(m, "result_text", arena_printf(r->arena,
		    ngettext("%zu product found", "%zu products found",
		    (unsigned long)res.total), (size_t)res.total));
	{
		struct strbuf	 base = STRBUF_INIT;

		/* The other fields as they came, escaped again: paging
		 * keeps every filter. */
		strbuf_addstr(&base, "/search?q=");
		url_escape(&base, s.q);
		strbuf_addf(&base, "&sort=%s", catalog_sort_name(s.sort));
		if (s.category_id)
			strbuf_addf(&base, "&category=%lld",
			    (long long)s.category_id);
		keep_field(&base, r, "min");
		keep_field(&base, r, "max");
		for (i = 0; i < f.nvalues; i++)
			strbuf_addf(&base, "&v=%lld", (long long)f.values[i]);
		if (res.list.more && s.page + 1 < SEARCH_PAGES)
			jset_cstr(m, "next_url", arena_printf(r->arena,
			    "%s&page=%lld", base.buf, (long long)s.page + 1));
		if (s.page > 0)
			jset_cstr(m, "prev_url", arena_printf(r->arena,
			    "%s&page=%lld", base.buf, (long long)s.page - 1));
		strbuf_release(&base);
	}
	return page_render(w, 200, "search");
}

static const struct route routes[] = {
	{ HTTP_GET, "/", home, 0, NULL },
	{ HTTP_GET, "/c/:slug", category, 0, category_fields },
	{ HTTP_GET, "/p/:slug", product, 0, product_fields },
	{ HTTP_GET, "/search", search, 0, search_fields },
};

/* The shopper's session and currency, once the route is known (not
 * for 404s). */
static int
store_before(struct web *w, const struct route *rt)
{
	int st;

	(void)rt;
	if ((st = account_load_session(w)) != 0)
		return st;
	page_settle_currency(w);
	return 0;
}

int
store_dispatch(struct web *w)
{
	/* Each web/ module of the storefront brings its table (not
	 * static: their sizes are the modules' variables). */
	const struct route_table tables[] = {
		{ routes, NELEM(routes) },
		{ cart_routes, cart_nroutes },
		{ account_routes, account_nroutes },
		{ orders_routes, orders_nroutes },
		{ returns_routes, returns_nroutes },
	};

	w->before = store_before;
	return page_route_tables(w, tables, NELEM(tables));
}
