/* tests/unit/core/pack.c: texts and integers packed and read back; a
 * text cut short, or with a length or count that cannot be, reads as
 * bad, never past its end. */
#include "core/common.h"
#include "core/pack.h"
#include "core/xalloc.h"
#include "test.h"

static void
pack_sample(struct strbuf *sb)
{
	pack_i64(sb, -42);
	pack_str(sb, STR("抹茶 linen"));
	pack_str(sb, STR_NULL);
	pack_str(sb, STR(""));
	pack_i64(sb, 2);	/* a count */
	pack_i64(sb, INT64_MAX);
	pack_i64(sb, INT64_MIN);
}

/* Reads what pack_sample() wrote; returns unpack_done(). */
static int
read_sample(struct str text, int check)
{
	struct unpack	u;
	struct str	s;
	size_t		n;

	unpack_init(&u, text);
	if (unpack_i64(&u) != -42 && check)
		TEST_CHECK(0);
	s = unpack_str(&u);
	if (check) {
		TEST_CHECK(s.len == strlen("抹茶 linen"));
		TEST_STREQ(s.p, "抹茶 linen");
	}
	s = unpack_str(&u);
	if (check)
		TEST_CHECK(s.p == NULL && s.len == 0);
	s = unpack_str(&u);
	if (check)
		TEST_CHECK(s.p != NULL && s.len == 0 && s.p[0] == '\0');
	n = unpack_count(&u, 10, 8);
	if (check)
		TEST_CHECK(n == 2);
	if (unpack_i64(&u) != INT64_MAX && check)
		TEST_CHECK(0);
	if (unpack_i64(&u) != INT64_MIN && check)
		TEST_CHECK(0);
	return unpack_done(&u);
}

int
main(void)
{
	struct strbuf	sb = STRBUF_INIT;
	struct unpack	u;
	size_t		cut;
	char		*bad;

	pack_sample(&sb);
	TEST_CHECK(read_sample((struct str){ sb.buf, sb.len }, 1));

	/* Cut anywhere: bad, and nothing read past the cut (ASan). */
	for (cut = 0; cut < sb.len; cut++) {
		char *copy = xmalloc(cut ? cut : 1);

		memcpy(copy, sb.buf, cut);
		TEST_CHECK(!read_sample((struct str){ copy, cut }, 0));
		free(copy);
	}
	/* A byte more: not done either. */
	strbuf_addch(&sb, 'x');
	TEST_CHECK(!read_sample((struct str){ sb.buf, sb.len }, 0));

	/* A text whose NUL is missing, a length past the end, a count over
	 * its maximum or larger than what is left, a negative count. */
	strbuf_reset(&sb);
	pack_str(&sb, STR("abc"));
	bad = xmalloc(sb.len);
	memcpy(bad, sb.buf, sb.len);
	bad[sb.len - 1] = 'x';
	unpack_init(&u, (struct str){ bad, sb.len });
	TEST_CHECK(unpack_str(&u).p == NULL && !unpack_done(&u));
	free(bad);
	strbuf_reset(&sb);
	pack_i64(&sb, 1000);
	unpack_init(&u, (struct str){ sb.buf, sb.len });
	TEST_CHECK(unpack_str(&u).p == NULL && u.bad);
	unpack_init(&u, (struct str){ sb.buf, sb.len });
	TEST_CHECK(unpack_count(&u, 999, 0) == 0 && u.bad);
	unpack_init(&u, (struct str){ sb.buf, sb.len });
	TEST_CHECK(unpack_count(&u, 1000, 1) == 0 && u.bad);
	unpack_init(&u, (struct str){ sb.buf, sb.len });
	TEST_CHECK(unpack_count(&u, 1000, 0) == 1000 && unpack_done(&u));
	strbuf_reset(&sb);
	pack_i64(&sb, -1);
	unpack_init(&u, (struct str){ sb.buf, sb.len });
	TEST_CHECK(unpack_count(&u, 10, 0) == 0 && u.bad);
	/* Once bad, zeros. */
	TEST_CHECK(unpack_i64(&u) == 0 && unpack_str(&u).p == NULL);

	/* Nothing at all: done; an i64 from it: bad. */
	unpack_init(&u, STR(""));
	TEST_CHECK(unpack_done(&u));
	TEST_CHECK(unpack_i64(&u) == 0 && !unpack_done(&u));
	strbuf_release(&sb);
	return test_done();
}
