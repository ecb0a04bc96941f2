/* shcache.c: texts shared by the pool's processes (shcache.h). */
#include "core/common.h"
#include "core/clock.h"
#include "core/metrics.h"
#include "core/shared.h"
#include "core/shcache.h"

#include <sys/mman.h>

struct slot {
	uint64_t	seq;		/* odd while a writer writes */
	uint64_t	hash;		/* 0: empty */
	int64_t		shop;
	int64_t		owner;
	uint64_t	gen;
	int64_t		expires_ms;
	int64_t		grace_ms;	/* servable this long past expiry */
	uint32_t	keylen;
	uint32_t	textlen;
	char		data[];		/* the key, then the text */
};

#define ROOM	(SHCACHE_SLOT - sizeof(struct slot))

static unsigned char	*slots;
static size_t		 nslots;	/* even: pairs */

int
shcache_init(size_t bytes)
{
	void *p;

	if (slots != NULL)
		return 0;
	nslots = bytes / SHCACHE_SLOT / 2 * 2;
	if (nslots == 0)
		return 0;
	p = mmap(NULL, nslots * SHCACHE_SLOT, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		nslots = 0;
		return -1;
	}
	slots = p;
	return 0;
}

static struct slot *
slot_at(size_t i)
{
	return (struct slot *)(slots + i * SHCACHE_SLOT);
}

static uint64_t
hash_of(int64_t shop, const char *key, size_t n)
{
	uint64_t	h = 1469598103934665603ULL ^ (uint64_t)shop;	/* FNV-1a */
	size_t		i;

	h *= 1099511628211ULL;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

/*
 * An expired entry with grace left: the first process to find it moves
 * its expiry SHCACHE_REFRESH_MS on (taking the slot as a writer does)
 * and misses, so it alone builds the text again; the others are served
 * the entry meanwhile (1). Without grace, or past it, everyone misses
 * (0).
 */
static int
refresh_by_another(struct slot *s, uint64_t seq, const struct slot *head)
{
	int64_t now = clock_ms(), end = head->expires_ms + head->grace_ms;
	int64_t until = now + SHCACHE_REFRESH_MS;

	if (head->grace_ms <= 0 || now >= end)
		return 0;
	if (!__atomic_compare_exchange_n(&s->seq, &seq, seq + 1, 0,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 1;		/* another process has it */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	/* Never served past the end its grace set. */
	if (until > end)
		until = end;
	s->expires_ms = until;
	s->grace_ms = end - until;
	__atomic_store_n(&s->seq, seq + 2, __ATOMIC_RELEASE);
	return 0;
}

int
shcache_get(struct arena *a, int64_t shop, const char *key, struct str *out)
{
	size_t		 n = strlen(key), i, first;
	uint64_t	 h, seq;
	struct slot	*s, head;
	char		*text;

	*out = STR_NULL;
	if (nslots == 0)
		return 0;
	h = hash_of(shop, key, n);
	first = (size_t)(h % (nslots / 2)) * 2;
	for (i = first; i < first + 2; i++) {
		s = slot_at(i);
		seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
		if (seq & 1)
			continue;
		memcpy(&head, s, sizeof(head));
		if (head.hash != h || head.shop != shop || head.keylen != n ||
		    head.keylen + (size_t)head.textlen > ROOM)
			continue;
		if (memcmp(s->data, key, n) != 0)
			continue;
		text = arena_alloc(a, (size_t)head.textlen + 1);
		memcpy(text, s->data + n, head.textlen);
		text[head.textlen] = '\0';
		/* Nothing written meanwhile: the copy is the entry. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&s->seq, __ATOMIC_RELAXED) != seq)
			continue;
		if (shared_shop_gen(head.owner) != head.gen)
			break;
		if (head.expires_ms <= clock_ms() && !refresh_by_another(s, seq,
		    &head))
			break;
		out->p = text;
		out->len = head.textlen;
		metrics_cache(METRICS_CACHE_SHARED, 1);
		return 1;
	}
	metrics_cache(METRICS_CACHE_SHARED, 0);
	return 0;
}

void
shcache_put(int64_t shop, const char *key, int64_t owner, uint64_t gen,
    struct str text, int64_t ttl_ms)
{
	shcache_put_grace(shop, key, owner, gen, text, ttl_ms, 0);
}

void
shcache_put_grace(int64_t shop, const char *key, int64_t owner,
    uint64_t gen, struct str text, int64_t ttl_ms, int64_t grace_ms)
{
	size_t		 n = strlen(key), i, first, pick;
	uint64_t	 h, seq;
	int64_t		 now = clock_ms(), oldest = INT64_MAX;
	struct slot	*s;

	if (nslots == 0 || n + text.len > ROOM || ttl_ms <= 0)
		return;
	h = hash_of(shop, key, n);
	first = pick = (size_t)(h % (nslots / 2)) * 2;
	/* Its own slot, else an empty or expired one, else the one that
	 * expires first. */
	for (i = first; i < first + 2; i++) {
		s = slot_at(i);
		if (s->hash == h && s->shop == shop) {
			pick = i;
			break;
		}
		if (s->hash == 0 || s->expires_ms <= now) {
			pick = i;
			oldest = INT64_MIN;
		} else if (s->expires_ms < oldest) {
			pick = i;
			oldest = s->expires_ms;
		}
	}
	s = slot_at(pick);
	seq = __atomic_load_n(&s->seq, __ATOMIC_RELAXED);
	if ((seq & 1) || !__atomic_compare_exchange_n(&s->seq, &seq, seq + 1,
	    0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;			/* another writer has it */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	s->hash = h;
	s->shop = shop;
	s->owner = owner;
	s->gen = gen;
	s->expires_ms = now + ttl_ms;
	s->grace_ms = grace_ms > 0 ? grace_ms : 0;
	s->keylen = (uint32_t)n;
	s->textlen = (uint32_t)text.len;
	memcpy(s->data, key, n);
	memcpy(s->data + n, text.p, text.len);
	__atomic_store_n(&s->seq, seq + 2, __ATOMIC_RELEASE);
}
