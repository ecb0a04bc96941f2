/* tests/unit/core/arena.c: the request arena and the output buffer. */
#include "core/common.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "test.h"

static int cleaned[3], order;

static void
cleanup(void *p)
{
	*(int *)p = ++order;
}

int
main(void)
{
	struct arena	 a;
	struct strbuf	 sb = STRBUF_INIT;
	char		*p, *big;
	size_t		 i, len;
	int		 round;

	arena_init(&a);
	for (round = 0; round < 3; round++) {
		p = arena_alloc(&a, 1);
		TEST_CHECK(((uintptr_t)p % _Alignof(max_align_t)) == 0);
		/* Many small allocations span blocks and stay intact. */
		{
			char *first = arena_printf(&a, "item-%d", 0), *s = NULL;

			for (i = 1; i < 10000; i++)
				s = arena_printf(&a, "item-%zu", i);
			TEST_STREQ(first, "item-0");
			TEST_STREQ(s, "item-9999");
		}
		big = arena_alloc(&a, 1 << 20);	/* larger than a block */
		memset(big, 'x', 1 << 20);
		TEST_STREQ(arena_strndup(&a, "abcdef", 3), "abc");
		TEST_STREQ(arena_strlower(&a, STR("Multipart/Form-DATA")).p,
		    "multipart/form-data");
		TEST_CHECK(arena_str(&a, STR("view")).p[4] == '\0');
		TEST_CHECK(((char *)arena_calloc(&a, 100, 10))[999] == 0);
		order = 0;
		arena_cleanup_add(&a, cleanup, &cleaned[0]);
		arena_cleanup_add(&a, cleanup, &cleaned[1]);
		arena_cleanup_add(&a, cleanup, &cleaned[2]);
		arena_reset(&a);
		/* Last in, first out. */
		TEST_CHECK(cleaned[2] == 1 && cleaned[1] == 2 &&
		    cleaned[0] == 3);
		TEST_CHECK(a.used == 0 && a.cleanups == NULL);
	}
	arena_free(&a);

	TEST_CHECK(sb.len == 0 && sb.buf[0] == '\0');
	strbuf_addstr(&sb, "Preis: ");
	strbuf_addf(&sb, "%d,%02d %s", 4, 20, "€");
	strbuf_addch(&sb, '!');
	TEST_STREQ(sb.buf, "Preis: 4,20 €!");
	strbuf_setlen(&sb, 5);
	TEST_STREQ(sb.buf, "Preis");
	strbuf_reset(&sb);
	TEST_CHECK(sb.len == 0 && sb.alloc > 0);
	for (i = 0; i < 5000; i++)
		strbuf_addf(&sb, "%05zu", i);
	TEST_CHECK(sb.len == 25000 && strlen(sb.buf) == 25000);
	TEST_CHECK(memcmp(sb.buf + 24995, "04999", 5) == 0);
	p = strbuf_detach(&sb, &len);
	TEST_CHECK(len == 25000 && sb.alloc == 0 && sb.len == 0);
	free(p);
	strbuf_release(&sb);
	return test_done();
}
