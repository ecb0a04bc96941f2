/*
 * libFuzzer target: unpack_*() (core/pack.c), the reader of what the
 * pool's workers keep in their shared memory (a product page, product
 * cards), on any bytes: a slot another version of souk wrote, or one
 * torn by a writer that died, must read as bad, never past its end.
 *
 * The first byte chooses the shape read (each two bits: an integer, a
 * text, a count of up to 200 texts of at least 5 bytes); the rest is the
 * packed text. Checked: no crash or read out of bounds (ASan, UBSan);
 * every text read lies inside the input and is NUL-terminated there;
 * a count never promises more than the rest can hold; what a reader
 * read whole repacks to the same bytes.
 */
#include "core/common.h"

#include "core/pack.c"
#include "core/strbuf.c"
#include "core/xalloc.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
text_ok(struct str s, const char *p, size_t size)
{
	if (s.p == NULL) {
		if (s.len != 0)
			abort();
		return;
	}
	if (s.p < p || s.p + s.len >= p + size || s.p[s.len] != '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf	 again = STRBUF_INIT;
	struct unpack	 u;
	struct str	 in, s;
	unsigned	 shape, i;
	size_t		 n, k;
	char		*copy;

	if (size < 1)
		return 0;
	shape = data[0];
	/* A copy of exactly the rest: ASan sees a read past it. */
	copy = xmalloc(size - 1 ? size - 1 : 1);
	memcpy(copy, data + 1, size - 1);
	in = (struct str){ copy, size - 1 };
	unpack_init(&u, in);
	for (i = 0; i < 4; i++) {
		switch ((shape >> (2 * i)) & 3) {
		case 0:
		case 3:
			pack_i64(&again, unpack_i64(&u));
			break;
		case 1:
			s = unpack_str(&u);
			text_ok(s, copy, in.len);
			pack_str(&again, s);
			break;
		case 2:
			n = unpack_count(&u, 200, 5);
			if (!u.bad && n * 5 > u.left)
				abort();
			pack_i64(&again, (int64_t)n);
			for (k = 0; k < n; k++) {
				s = unpack_str(&u);
				text_ok(s, copy, in.len);
				pack_str(&again, s);
			}
			break;
		}
	}
	/* Read whole: the same bytes again. */
	if (unpack_done(&u) &&
	    (again.len != in.len || memcmp(again.buf, copy, in.len) != 0))
		abort();
	strbuf_release(&again);
	free(copy);
	return 0;
}
