/* card_cache.c: product cards in the pool's shared memory (see
 * card_cache.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/shcache.h"
#include "shop/card_cache.h"

void
card_pack(struct strbuf *sb, const struct product *p)
{
	pack_i64(sb, p->id);
	pack_str(sb, p->slug);
	pack_str(sb, p->sku);
	pack_i64(sb, p->category_id);
	pack_i64(sb, p->price);
	pack_i64(sb, p->price_now);
	pack_i64(sb, p->stock);
	pack_i64(sb, p->active);
	pack_i64(sb, p->featured);
	pack_str(sb, p->image);
	pack_str(sb, p->name);
	pack_str(sb, p->description);
}

void
card_unpack(struct unpack *u, struct product *p)
{
	p->id = unpack_i64(u);
	p->slug = unpack_str(u);
	p->sku = unpack_str(u);
	p->category_id = unpack_i64(u);
	p->price = unpack_i64(u);
	p->price_now = unpack_i64(u);
	p->stock = unpack_i64(u);
	p->active = (int)unpack_i64(u);
	p->featured = (int)unpack_i64(u);
	p->image = unpack_str(u);
	p->name = unpack_str(u);
	p->description = unpack_str(u);
}

/* "cd", the languages and the id; "" when it would not fit a key. */
static void
key_of(const struct shop_ctx *ctx, int64_t id, char key[CACHE_KEY_MAX])
{
	int n = snprintf(key, CACHE_KEY_MAX, "cd\x1f%s\x1f%s\x1f%lld",
	    ctx->locale ? ctx->locale : "", ctx->default_locale ?
	    ctx->default_locale : "", (long long)id);

	if (n < 0 || n >= CACHE_KEY_MAX)
		key[0] = '\0';
}

void
card_cache_put(struct shop_ctx *ctx, const struct product *p, uint64_t gen,
    int64_t ttl_ms)
{
	struct strbuf	 sb;
	struct product	 card = *p;
	char		 key[CACHE_KEY_MAX];

	key_of(ctx, p->id, key);
	if (key[0] == '\0' || ttl_ms <= 0 || !p->active)
		return;
	card.description = STR("");
	strbuf_init(&sb, 256);
	card_pack(&sb, &card);
	shcache_put(ctx->tenant, key, cache_sales_owner(ctx->tenant), gen,
	    (struct str){ sb.buf, sb.len }, ttl_ms < CARD_CACHE_TTL_MS ?
	    ttl_ms : CARD_CACHE_TTL_MS);
	strbuf_release(&sb);
}

int
card_cache_get(struct shop_ctx *ctx, int64_t id, struct product *out)
{
	struct unpack	 u;
	struct str	 text;
	char		 key[CACHE_KEY_MAX];

	memset(out, 0, sizeof(*out));
	key_of(ctx, id, key);
	if (key[0] == '\0' || !shcache_get(ctx->a, ctx->tenant, key, &text))
		return 0;
	unpack_init(&u, text);
	card_unpack(&u, out);
	/* Another version of this code's slot, or torn: a miss. */
	if (!unpack_done(&u) || out->id != id || !out->active) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	return 1;
}
