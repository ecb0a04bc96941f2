/*
 * tests/unit/core/shcache.c: texts shared by the pool's processes: what
 * one process puts another finds; a bump of the owner's generation, the
 * lifetime, another shop or key miss; an entry with grace is served
 * past its lifetime to all but the first who asks; a text too large is
 * not kept; and
 * under four writers and four readers racing on the same keys no reader
 * ever gets a torn text (each text carries its own checksum).
 */
#include "core/common.h"
#include "core/arena.h"
#include "core/cache.h"
#include "core/shared.h"
#include "core/shcache.h"
#include "test.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A text of len bytes for round r of key k, ending in its checksum. */
static size_t
make_text(char *buf, int k, int r, size_t len)
{
	unsigned	sum = 0;
	size_t		i;

	for (i = 0; i + 9 < len; i++) {
		buf[i] = (char)('a' + (k * 7 + r * 13 + (int)i) % 26);
		sum = sum * 31 + (unsigned char)buf[i];
	}
	snprintf(buf + i, 10, "%08x", sum & 0xffffffffu);
	return i + 8;
}

static int
text_ok(struct str s)
{
	unsigned	sum = 0;
	size_t		i;
	char		tail[9];

	if (s.len < 8)
		return 0;
	for (i = 0; i < s.len - 8; i++)
		sum = sum * 31 + (unsigned char)s.p[i];
	snprintf(tail, sizeof(tail), "%08x", sum & 0xffffffffu);
	return memcmp(tail, s.p + s.len - 8, 8) == 0;
}

int
main(void)
{
	struct arena	 arena, *a = &arena;
	struct str	 s;
	uint64_t	*torn, *hits;
	char		 buf[SHCACHE_SLOT * 2], key[32];
	size_t		 n;
	pid_t		 pid;
	int		 i, k, r, st;
	struct timespec	 ts = { 0, 30 * 1000000L };

	arena_init(a);
	/* None before shcache_init(): misses, keeps nothing. */
	shcache_put(1, "k", 1, cache_gen(1), STR("x"), 1000);
	TEST_CHECK(shcache_get(a, 1, "k", &s) == 0 && s.p == NULL);

	TEST_CHECK(shared_init() == 0);
	TEST_CHECK(shcache_init(64 * SHCACHE_SLOT) == 0);
	shcache_put(7, "wcp|1|en", cache_sales_owner(7),
	    cache_gen(cache_sales_owner(7)), STR("{\"id\":1}"), 10000);
	TEST_CHECK(shcache_get(a, 7, "wcp|1|en", &s) == 1);
	TEST_CHECK(s.len == 8 && memcmp(s.p, "{\"id\":1}", 8) == 0);
	TEST_CHECK(shcache_get(a, 8, "wcp|1|en", &s) == 0);
	TEST_CHECK(shcache_get(a, 7, "wcp|1|de", &s) == 0);

	/* Another process sees it, and its bump drops it here. */
	if ((pid = fork()) == 0) {
		struct arena b;

		arena_init(&b);
		if (shcache_get(&b, 7, "wcp|1|en", &s) != 1)
			_exit(1);
		cache_bump_sales(7);
		_exit(0);
	}
	TEST_CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	TEST_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	TEST_CHECK(shcache_get(a, 7, "wcp|1|en", &s) == 0);
	/* A catalog bump moves the sales owner too. */
	shcache_put(7, "wcp|2|en", cache_sales_owner(7),
	    cache_gen(cache_sales_owner(7)), STR("two"), 10000);
	TEST_CHECK(shcache_get(a, 7, "wcp|2|en", &s) == 1);
	cache_bump(7);
	TEST_CHECK(shcache_get(a, 7, "wcp|2|en", &s) == 0);
	/* A generation read before a bump keeps nothing alive. */
	{
		uint64_t old = cache_gen(cache_sales_owner(7));

		cache_bump_sales(7);
		shcache_put(7, "wcp|3|en", cache_sales_owner(7), old,
		    STR("stale"), 10000);
		TEST_CHECK(shcache_get(a, 7, "wcp|3|en", &s) == 0);
	}
	/* Lifetimes. */
	shcache_put(7, "short", 7, cache_gen(7), STR("brief"), 10);
	nanosleep(&ts, NULL);
	TEST_CHECK(shcache_get(a, 7, "short", &s) == 0);
	/* Grace: past its lifetime, the first to ask misses (and builds
	 * it again), the others are served it meanwhile; the new text
	 * replaces it; a bump ends it for all. */
	shcache_put_grace(7, "hot", 7, cache_gen(7), STR("old"), 10, 10000);
	nanosleep(&ts, NULL);
	TEST_CHECK(shcache_get(a, 7, "hot", &s) == 0);
	TEST_CHECK(shcache_get(a, 7, "hot", &s) == 1 && str_eq(s, STR("old")));
	TEST_CHECK(shcache_get(a, 7, "hot", &s) == 1);
	shcache_put_grace(7, "hot", 7, cache_gen(7), STR("new"), 10, 10000);
	TEST_CHECK(shcache_get(a, 7, "hot", &s) == 1 && str_eq(s, STR("new")));
	cache_bump(7);
	TEST_CHECK(shcache_get(a, 7, "hot", &s) == 0);
	TEST_CHECK(shcache_get(a, 7, "hot", &s) == 0);
	/* Past the grace: everyone misses. */
	shcache_put_grace(7, "cold", 7, cache_gen(7), STR("x"), 10, 10);
	nanosleep(&ts, NULL);
	TEST_CHECK(shcache_get(a, 7, "cold", &s) == 0);
	TEST_CHECK(shcache_get(a, 7, "cold", &s) == 0);
	shcache_put(7, "none", 7, cache_gen(7), STR("x"), 0);
	TEST_CHECK(shcache_get(a, 7, "none", &s) == 0);
	/* Too large for a slot: not kept; the largest that fits is. */
	memset(buf, 'z', sizeof(buf));
	shcache_put(7, "big", 7, cache_gen(7), (struct str){ buf,
	    SHCACHE_SLOT }, 10000);
	TEST_CHECK(shcache_get(a, 7, "big", &s) == 0);
	for (n = SHCACHE_SLOT; n > 0; n--) {
		shcache_put(7, "fit", 7, cache_gen(7), (struct str){ buf, n },
		    10000);
		if (shcache_get(a, 7, "fit", &s) == 1)
			break;
	}
	TEST_CHECK(n > SHCACHE_SLOT - 128 && s.len == n);

	/* Four writers and four readers on 2 keys: texts
	 * replace each other all the time; a reader gets a whole one or
	 * none. */
	torn = mmap(NULL, 2 * sizeof(*torn), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TEST_CHECK(torn != MAP_FAILED);
	hits = torn + 1;
	for (i = 0; i < 8; i++) {
		if ((pid = fork()) == 0) {
			struct arena	 ab, *b = &ab;
			static char	 texts[8][SHCACHE_SLOT];
			size_t		 len[8];

			arena_init(b);
			/* Made first: the writers do nothing but write. */
			for (r = 0; r < 8; r++)
				len[r] = make_text(texts[r], i, r, 100 +
				    (size_t)r * 480);
			for (r = 0; r < 200000; r++) {
				k = (r + i) % 2;
				snprintf(key, sizeof(key), "key%d", k);
				if (i < 4)
					shcache_put(9, key, 9, cache_gen(9),
					    (struct str){ texts[r % 8],
					    len[r % 8] }, 60000);
				else if (shcache_get(b, 9, key, &s)) {
					__atomic_add_fetch(hits, 1,
					    __ATOMIC_RELAXED);
					if (!text_ok(s))
						__atomic_add_fetch(torn, 1,
						    __ATOMIC_RELAXED);
				}
				arena_reset(b);
			}
			_exit(0);
		}
		TEST_CHECK(pid > 0);
	}
	while (wait(&st) > 0)
		TEST_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	TEST_CHECK(*torn == 0);
	TEST_CHECK(*hits > 1000);
	arena_free(a);
	return test_done();
}
