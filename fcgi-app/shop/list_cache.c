/* search_cache.c: searches' answers in the pool's shared memory (see
 * list_cache.h). */
#include "core/common.h"
#include "core/cache.h"
#include "core/crypto.h"
#include "core/shcache.h"
#include "shop/list_cache.h"

/*
 * "l", the kind, the request's languages and a digest of the params:
 * the words may be longer than a key, and two texts that differ must
 * never share one (SHA-256, 128 bits of it). "" when kind is not two
 * letters.
 */
static void
key_of(const struct shop_ctx *ctx, const char *kind, struct str params,
    char key[CACHE_KEY_MAX])
{
	unsigned char	 d[32];
	char		 hex[33];
	int		 n;

	key[0] = '\0';
	if (strlen(kind) != 2)
		return;
	crypto_sha256(d, params.p, params.len);
	crypto_hex(hex, d, 16);
	n = snprintf(key, CACHE_KEY_MAX, "l%s\x1f%s\x1f%s\x1f%s", kind,
	    ctx->locale ? ctx->locale : "", ctx->default_locale ?
	    ctx->default_locale : "", hex);
	if (n < 0 || n >= CACHE_KEY_MAX)
		key[0] = '\0';
}

uint64_t
list_cache_gen(const struct shop_ctx *ctx)
{
	return cache_gen(ctx->tenant);
}

int
list_cache_get(struct shop_ctx *ctx, const char *kind, struct str params,
    int64_t **v, size_t *n)
{
	struct str	text;
	char		key[CACHE_KEY_MAX];

	*v = NULL;
	*n = 0;
	key_of(ctx, kind, params, key);
	if (key[0] == '\0' || !shcache_get(ctx->a, ctx->tenant, key, &text))
		return 0;
	/* A slot another version of this code wrote, or torn: a miss. */
	if (text.len % sizeof(int64_t) != 0 ||
	    text.len / sizeof(int64_t) > LIST_CACHE_MAX)
		return 0;
	*n = text.len / sizeof(int64_t);
	*v = arena_alloc(ctx->a, text.len ? text.len : sizeof(int64_t));
	memcpy(*v, text.p, text.len);
	return 1;
}

void
list_cache_put(struct shop_ctx *ctx, const char *kind, struct str params,
    uint64_t gen, const int64_t *v, size_t n)
{
	char key[CACHE_KEY_MAX];

	if (n > LIST_CACHE_MAX)
		return;
	key_of(ctx, kind, params, key);
	if (key[0] == '\0')
		return;
	shcache_put_grace(ctx->tenant, key, ctx->tenant, gen,
	    (struct str){ (const char *)v, n * sizeof(*v) },
	    LIST_CACHE_TTL_MS, LIST_CACHE_GRACE_MS);
}
