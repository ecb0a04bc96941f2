/* tests/unit/core/strbuf.c: growth, NUL termination, reuse, detach. */
#include "core/common.h"
#include "core/strbuf.h"
#include "test.h"

int
main(void)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*p;
	size_t		 len, i, alloc;

	/* An empty buffer is a valid empty string without allocating. */
	TEST_CHECK(sb.len == 0 && sb.alloc == 0 && sb.buf[0] == '\0');
	strbuf_reset(&sb);
	TEST_CHECK(sb.buf[0] == '\0');

	strbuf_addstr(&sb, "abc");
	strbuf_addch(&sb, '-');
	strbuf_add(&sb, "xyz", 2);
	strbuf_addf(&sb, "%d/%s", 42, "q");
	TEST_STREQ(sb.buf, "abc-xy42/q");
	TEST_CHECK(sb.len == strlen(sb.buf));
	strbuf_add(&sb, "ignored", 0);
	TEST_CHECK(sb.len == 10);

	/* Growth past the first allocation keeps every byte. */
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%04zu", i);
	TEST_CHECK(sb.len == 10 + 4000);
	TEST_CHECK(memcmp(sb.buf + 10, "00000001", 8) == 0);
	TEST_CHECK(memcmp(sb.buf + sb.len - 4, "0999", 4) == 0);
	TEST_CHECK(sb.buf[sb.len] == '\0');

	/* A formatted piece larger than the room left. */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%0*d", 5000, 7);
	TEST_CHECK(sb.len == 5000 && sb.buf[4999] == '7' &&
	    sb.buf[5000] == '\0');

	/* Reset keeps the allocation: a reused buffer stops allocating. */
	alloc = sb.alloc;
	strbuf_reset(&sb);
	TEST_CHECK(sb.len == 0 && sb.alloc == alloc && sb.buf[0] == '\0');

	strbuf_addstr(&sb, "hello world");
	strbuf_setlen(&sb, 5);
	TEST_STREQ(sb.buf, "hello");
	strbuf_setlen(&sb, 50);		/* longer: ignored */
	TEST_CHECK(sb.len == 5);
	TEST_CHECK(str_eqc(strbuf_str(&sb), "hello"));

	p = strbuf_detach(&sb, &len);
	TEST_STREQ(p, "hello");
	TEST_CHECK(len == 5);
	TEST_CHECK(sb.len == 0 && sb.alloc == 0);
	free(p);

	/* Detach of a never-grown buffer gives an allocated "". */
	p = strbuf_detach(&sb, &len);
	TEST_STREQ(p, "");
	TEST_CHECK(len == 0);
	free(p);

	strbuf_init(&sb, 100);
	TEST_CHECK(sb.alloc >= 101 && sb.buf[0] == '\0');
	strbuf_release(&sb);
	TEST_CHECK(sb.alloc == 0 && sb.buf[0] == '\0');
	return test_done();
}
