/*
 * tests/unit/core/cache.c: the per-worker cache: hits, lifetimes, values
 * freed when replaced, and per-shop generations: a bump of shop A, in
 * this process or in another one of the pool, drops A's entries only.
 */
#include "core/common.h"
#include "core/cache.h"
#include "core/shared.h"
#include "test.h"

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int freed;

static void
count_free(void *v)
{
	freed++;
	free(v);
}

static char *
val(const char *s)
{
	return xstrdup(s);
}

int
main(void)
{
	struct cache	*c;
	void		*v;
	pid_t		 pid;
	int		 st;
	char		 longkey[CACHE_KEY_MAX + 8];
	struct timespec	 ts = { 0, 30 * 1000000L };

	TEST_CHECK(shared_init() == 0);
	c = cache_new(64, count_free);
	TEST_CHECK(cache_get(c, 7, "de", &v) == 0 && v == NULL);
	cache_put(c, 7, "de", 7, val("seven-de"), 60000);
	cache_put(c, 8, "de", 8, val("eight-de"), 60000);
	cache_put(c, 7, "en", 7, val("seven-en"), 60000);
	TEST_CHECK(cache_get(c, 7, "de", &v) == 1 &&
	    strcmp(v, "seven-de") == 0);
	TEST_CHECK(cache_get(c, 8, "de", &v) == 1 &&
	    strcmp(v, "eight-de") == 0);
	TEST_CHECK(cache_get(c, 9, "de", &v) == 0);

	/* Shop 7 changed: its entries go, shop 8's stays. */
	cache_bump(7);
	TEST_CHECK(cache_get(c, 7, "de", &v) == 0);
	TEST_CHECK(cache_get(c, 7, "en", &v) == 0);
	TEST_CHECK(cache_get(c, 8, "de", &v) == 1 &&
	    strcmp(v, "eight-de") == 0);
	TEST_CHECK(freed == 2);

	/* A bump from another process of the pool (a sibling worker). */
	cache_put(c, 7, "de", 7, val("seven-de-2"), 60000);
	if ((pid = fork()) == 0) {
		cache_bump(7);
		_exit(0);
	}
	TEST_CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	TEST_CHECK(cache_get(c, 7, "de", &v) == 0);
	TEST_CHECK(cache_get(c, 8, "de", &v) == 1);

	/* A change committed between the miss and the put still drops the
	 * entry: the generation is the one the miss read. */
	TEST_CHECK(cache_get(c, 7, "fr", &v) == 0);
	cache_bump(7);
	cache_put(c, 7, "fr", 7, val("seven-fr-old"), 60000);
	TEST_CHECK(cache_get(c, 7, "fr", &v) == 0);

	/* Owned by another shop than the key's (a host found shop 7). */
	cache_put(c, 0, "shop7.example", 7, val("host"), 60000);
	TEST_CHECK(cache_get(c, 0, "shop7.example", &v) == 1);
	cache_bump(8);
	TEST_CHECK(cache_get(c, 0, "shop7.example", &v) == 1);
	cache_bump(7);
	TEST_CHECK(cache_get(c, 0, "shop7.example", &v) == 0);

	/* The shop changed while the host's row was read (tenant_changed()
	 * bumps the shop and 0): the row read may be the old one, so it
	 * serves that request only, even if expired (cache_stale()). */
	TEST_CHECK(cache_get(c, 0, "shop7.example", &v) == 0);
	cache_bump(7);
	cache_bump(0);
	cache_put(c, 0, "shop7.example", 7, val("host-old"), 60000);
	TEST_CHECK(cache_get(c, 0, "shop7.example", &v) == 0);
	TEST_CHECK(cache_stale(c, 0, "shop7.example", &v) == 0);
	/* Read after the change: kept. */
	TEST_CHECK(cache_get(c, 0, "shop7.example", &v) == 0);
	cache_put(c, 0, "shop7.example", 7, val("host-new"), 60000);
	TEST_CHECK(cache_get(c, 0, "shop7.example", &v) == 1 &&
	    strcmp(v, "host-new") == 0);

	/* A remembered "none", and a lifetime. */
	cache_put(c, 3, "none", 3, NULL, 60000);
	TEST_CHECK(cache_get(c, 3, "none", &v) == 1 && v == NULL);
	cache_put(c, 3, "short", 3, val("short"), 10);
	/* A fixed sleep on purpose: outliving the 10 ms lifetime is the
	 * behaviour under test (no other process is awaited). */
	nanosleep(&ts, NULL);
	TEST_CHECK(cache_get(c, 3, "short", &v) == 0);
	/* Expired, it is still there to serve when a refresh fails... */
	TEST_CHECK(cache_stale(c, 3, "short", &v) == 1 &&
	    strcmp(v, "short") == 0);
	TEST_CHECK(cache_stale(c, 4, "short", &v) == 0);
	/* ... but not once its shop changed. */
	cache_bump(3);
	TEST_CHECK(cache_get(c, 3, "short", &v) == 0);
	TEST_CHECK(cache_stale(c, 3, "short", &v) == 0);

	/* Replacing frees the old value; a key too long is not kept. */
	freed = 0;
	cache_put(c, 8, "de", 8, val("eight-de-2"), 60000);
	TEST_CHECK(freed == 1);
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	cache_put(c, 8, longkey, 8, val("long"), 60000);
	TEST_CHECK(freed == 2 && cache_get(c, 8, longkey, &v) == 0);

	cache_clear(c);
	TEST_CHECK(cache_get(c, 8, "de", &v) == 0);
	cache_free(c);
	return test_done();
}
