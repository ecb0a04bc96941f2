/* product_page_cache.c: product pages in the pool's shared memory (see
 * product_page_cache.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/shcache.h"
#include "core/pack.h"
#include "core/strbuf.h"
#include "shop/card_cache.h"
#include "shop/gallery.h"
#include "shop/product_page_cache.h"

/* As catalog_product_page() reads them. */
#define COUNT_MAX	200

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
	card_pack(&sb, &pp->p);
	pack_i64(&sb, pp->cat.id);
	pack_str(&sb, pp->cat.slug);
	pack_str(&sb, pp->cat.name);
	pack_str(&sb, pp->description_html);
	pack_i64(&sb, pp->also_bought);
	pack_i64(&sb, (int64_t)pp->nvariants);
	for (i = 0; i < pp->nvariants; i++) {
		const struct variant *v = &pp->variants[i];

		pack_i64(&sb, v->id);
		pack_str(&sb, v->sku);
		pack_str(&sb, v->name);
		pack_i64(&sb, v->price);
		pack_i64(&sb, v->price_now);
		pack_i64(&sb, v->stock);
	}
	pack_i64(&sb, (int64_t)pp->nimages);
	for (i = 0; i < pp->nimages; i++)
		pack_str(&sb, pp->images[i]);
	pack_i64(&sb, (int64_t)pp->ngallery);
	for (i = 0; i < pp->ngallery; i++) {
		const struct gallery_image *g = &pp->gallery[i];

		pack_i64(&sb, g->id);
		pack_str(&sb, g->path);
		pack_str(&sb, g->card_path);
		pack_str(&sb, g->page_path);
		pack_i64(&sb, g->width);
		pack_i64(&sb, g->height);
		pack_str(&sb, g->alt);
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
	struct unpack	 r;
	struct str	 text;
	char		 key[CACHE_KEY_MAX];
	size_t		 i;

	memset(out, 0, sizeof(*out));
	key_of(ctx, slug, key);
	if (key[0] == '\0' || !shcache_get(ctx->a, ctx->tenant, key, &text))
		return 0;
	unpack_init(&r, text);
	card_unpack(&r, &out->p);
	out->cat.id = unpack_i64(&r);
	out->cat.slug = unpack_str(&r);
	out->cat.name = unpack_str(&r);
	out->description_html = unpack_str(&r);
	out->also_bought = (int)unpack_i64(&r);
	out->nvariants = unpack_count(&r, COUNT_MAX, 3 * 8 + 2 * 5);
	out->variants = arena_calloc(ctx->a, out->nvariants ?
	    out->nvariants : 1, sizeof(*out->variants));
	for (i = 0; i < out->nvariants; i++) {
		struct variant *v = &out->variants[i];

		v->id = unpack_i64(&r);
		v->sku = unpack_str(&r);
		v->name = unpack_str(&r);
		v->price = unpack_i64(&r);
		v->price_now = unpack_i64(&r);
		v->stock = unpack_i64(&r);
	}
	out->nimages = unpack_count(&r, COUNT_MAX, 5);
	out->images = arena_calloc(ctx->a, out->nimages ? out->nimages : 1,
	    sizeof(*out->images));
	for (i = 0; i < out->nimages; i++)
		out->images[i] = unpack_str(&r);
	out->ngallery = unpack_count(&r, COUNT_MAX, 3 * 8 + 4 * 5);
	out->gallery = arena_calloc(ctx->a, out->ngallery ? out->ngallery :
	    1, sizeof(*out->gallery));
	for (i = 0; i < out->ngallery; i++) {
		struct gallery_image *g = &out->gallery[i];

		g->id = unpack_i64(&r);
		g->path = unpack_str(&r);
		g->card_path = unpack_str(&r);
		g->page_path = unpack_str(&r);
		g->width = (int)unpack_i64(&r);
		g->height = (int)unpack_i64(&r);
		g->alt = unpack_str(&r);
		g->alt_json = STR("");
		g->source_url = STR("");
	}
	if (!unpack_done(&r)) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	return 1;
}
