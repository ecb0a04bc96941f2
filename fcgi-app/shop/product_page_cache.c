/* product_page_cache.c: product pages in the pool's shared memory (see
 * product_page_cache.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/shcache.h"
#include "core/strbuf.h"
#include "shop/gallery.h"
#include "shop/product_page_cache.h"

/*
 * The packing: integers as 8 bytes in this machine's order (the entry
 * never leaves the machine), texts as a 4-byte length, the bytes and a
 * NUL (so a text read back is a C string in place); a NULL text has
 * the length NULL_LEN. Counts are integers.
 */
#define NULL_LEN	UINT32_MAX
#define COUNT_MAX	200	/* as catalog_product_page() reads them */

static void
put_i64(struct strbuf *sb, int64_t v)
{
	strbuf_add(sb, &v, sizeof(v));
}

static void
put_str(struct strbuf *sb, struct str s)
{
	uint32_t n = s.p == NULL ? NULL_LEN : (uint32_t)s.len;

	strbuf_add(sb, &n, sizeof(n));
	if (s.p != NULL)
		strbuf_add(sb, s.p, s.len);
	strbuf_add(sb, "", 1);
}

struct reader {
	const char	*p;
	size_t		 left;
	int		 bad;
};

static int64_t
get_i64(struct reader *r)
{
	int64_t v = 0;

	if (r->bad || r->left < sizeof(v)) {
		r->bad = 1;
		return 0;
	}
	memcpy(&v, r->p, sizeof(v));
	r->p += sizeof(v);
	r->left -= sizeof(v);
	return v;
}

/* The text points into the entry's copy (ctx->a), NUL-terminated. */
static struct str
get_str(struct reader *r)
{
	struct str	s = STR_NULL;
	uint32_t	n;

	if (r->bad || r->left < sizeof(n)) {
		r->bad = 1;
		return s;
	}
	memcpy(&n, r->p, sizeof(n));
	r->p += sizeof(n);
	r->left -= sizeof(n);
	if (n == NULL_LEN) {
		if (r->left < 1) {
			r->bad = 1;
			return s;
		}
		r->p++;
		r->left--;
		return s;
	}
	if (r->left < (size_t)n + 1 || r->p[n] != '\0') {
		r->bad = 1;
		return s;
	}
	s.p = r->p;
	s.len = n;
	r->p += (size_t)n + 1;
	r->left -= (size_t)n + 1;
	return s;
}

/* A count of n items of at least min bytes each that the rest can
 * hold. */
static size_t
get_count(struct reader *r, size_t min)
{
	int64_t n = get_i64(r);

	if (n < 0 || n > COUNT_MAX || (size_t)n * min > r->left) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

/* "pp", the languages and the slug; "" when it would not fit a key. */
static void
key_of(const struct shop_ctx *ctx, struct str slug, char key[CACHE_KEY_MAX])
{
	int n = snprintf(key, CACHE_KEY_MAX, "pp\x1f%s\x1f%s\x1f%.*s",
	    ctx->locale ? ctx->locale : "", ctx->default_locale ?
	    ctx->default_locale : "", (int)slug.len, slug.p);

	if (n < 0 || n >= CACHE_KEY_MAX || memchr(slug.p, '\0', slug.len))
		key[0] = '\0';
}

void
product_page_cache_put(struct shop_ctx *ctx, struct str slug,
    const struct product_page *pp, uint64_t gen, int64_t ttl_ms)
{
	struct strbuf	 sb;
	char		 key[CACHE_KEY_MAX];
	size_t		 i;

	key_of(ctx, slug, key);
	if (key[0] == '\0' || ttl_ms <= 0)
		return;
	strbuf_init(&sb, 1024);
	put_i64(&sb, pp->p.id);
	put_str(&sb, pp->p.slug);
	put_str(&sb, pp->p.sku);
	put_i64(&sb, pp->p.category_id);
	put_i64(&sb, pp->p.price);
	put_i64(&sb, pp->p.price_now);
	put_i64(&sb, pp->p.stock);
	put_i64(&sb, pp->p.active);
	put_i64(&sb, pp->p.featured);
	put_str(&sb, pp->p.image);
	put_str(&sb, pp->p.name);
	put_str(&sb, pp->p.description);
	put_i64(&sb, pp->cat.id);
	put_str(&sb, pp->cat.slug);
	put_str(&sb, pp->cat.name);
	put_str(&sb, pp->description_html);
	put_i64(&sb, pp->also_bought);
	put_i64(&sb, (int64_t)pp->nvariants);
	for (i = 0; i < pp->nvariants; i++) {
		const struct variant *v = &pp->variants[i];

		put_i64(&sb, v->id);
		put_str(&sb, v->sku);
		put_str(&sb, v->name);
		put_i64(&sb, v->price);
		put_i64(&sb, v->price_now);
		put_i64(&sb, v->stock);
	}
	put_i64(&sb, (int64_t)pp->nimages);
	for (i = 0; i < pp->nimages; i++)
		put_str(&sb, pp->images[i]);
	put_i64(&sb, (int64_t)pp->ngallery);
	for (i = 0; i < pp->ngallery; i++) {
		const struct gallery_image *g = &pp->gallery[i];

		put_i64(&sb, g->id);
		put_str(&sb, g->path);
		put_str(&sb, g->card_path);
		put_str(&sb, g->page_path);
		put_i64(&sb, g->width);
		put_i64(&sb, g->height);
		put_str(&sb, g->alt);
	}
	/* Too big for a slot: shcache_put() keeps nothing. */
	shcache_put(ctx->tenant, key, cache_sales_owner(ctx->tenant), gen,
	    (struct str){ sb.buf, sb.len }, ttl_ms < PRODUCT_PAGE_TTL_MS ?
	    ttl_ms : PRODUCT_PAGE_TTL_MS);
	strbuf_release(&sb);
}

int
product_page_cache_get(struct shop_ctx *ctx, struct str slug,
    struct product_page *out)
{
	struct reader	 r;
	struct str	 text;
	char		 key[CACHE_KEY_MAX];
	size_t		 i;

	memset(out, 0, sizeof(*out));
	key_of(ctx, slug, key);
	if (key[0] == '\0' || !shcache_get(ctx->a, ctx->tenant, key, &text))
		return 0;
	r.p = text.p;
	r.left = text.len;
	r.bad = 0;
	out->p.id = get_i64(&r);
	out->p.slug = get_str(&r);
	out->p.sku = get_str(&r);
	out->p.category_id = get_i64(&r);
	out->p.price = get_i64(&r);
	out->p.price_now = get_i64(&r);
	out->p.stock = get_i64(&r);
	out->p.active = (int)get_i64(&r);
	out->p.featured = (int)get_i64(&r);
	out->p.image = get_str(&r);
	out->p.name = get_str(&r);
	out->p.description = get_str(&r);
	out->cat.id = get_i64(&r);
	out->cat.slug = get_str(&r);
	out->cat.name = get_str(&r);
	out->description_html = get_str(&r);
	out->also_bought = (int)get_i64(&r);
	out->nvariants = get_count(&r, 3 * 8 + 2 * 5);
	out->variants = arena_calloc(ctx->a, out->nvariants ?
	    out->nvariants : 1, sizeof(*out->variants));
	for (i = 0; i < out->nvariants; i++) {
		struct variant *v = &out->variants[i];

		v->id = get_i64(&r);
		v->sku = get_str(&r);
		v->name = get_str(&r);
		v->price = get_i64(&r);
		v->price_now = get_i64(&r);
		v->stock = get_i64(&r);
	}
	out->nimages = get_count(&r, 5);
	out->images = arena_calloc(ctx->a, out->nimages ? out->nimages : 1,
	    sizeof(*out->images));
	for (i = 0; i < out->nimages; i++)
		out->images[i] = get_str(&r);
	out->ngallery = get_count(&r, 3 * 8 + 4 * 5);
	out->gallery = arena_calloc(ctx->a, out->ngallery ? out->ngallery :
	    1, sizeof(*out->gallery));
	for (i = 0; i < out->ngallery; i++) {
		struct gallery_image *g = &out->gallery[i];

		g->id = get_i64(&r);
		g->path = get_str(&r);
		g->card_path = get_str(&r);
		g->page_path = get_str(&r);
		g->width = (int)get_i64(&r);
		g->height = (int)get_i64(&r);
		g->alt = get_str(&r);
		g->alt_json = STR("");
		g->source_url = STR("");
	}
	if (r.bad || r.left != 0) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	return 1;
}
