/*
 * Fuzz target: the CSV reader and writer (core/csv.c). Built alone by
 * clang (see GNUmakefile): the sources it needs are included.
 *
 * Input: a file. It is read from an exact-size copy (so ASan sees any
 * read past the end). Checked: every row keeps the limits, every field
 * is NUL-terminated UTF-8 without NUL; after CSV_FAIL the reader stays
 * failed; and each row read, written back with csv_row() under a
 * header, reads back the same (a neutralised field with its
 * apostrophe); the header, copied into an arena, outlives the reader.
 */
#include "../../fcgi-app/core/arena.c"
#include "../../fcgi-app/core/csv.c"
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/strbuf.c"
#include "../../fcgi-app/core/xalloc.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_row(const struct csv_row *row)
{
	size_t	i;

	if (row->n == 0 || row->n > CSV_MAX_COLS || row->line == 0)
		abort();
	for (i = 0; i < row->n; i++) {
		struct str f = row->v[i];

		if (f.len > CSV_MAX_FIELD || f.p[f.len] != '\0' ||
		    memchr(f.p, '\0', f.len) != NULL ||
		    !str_valid_utf8(f))
			abort();
	}
}

/* Writes row under a header and reads it back. */
static void
round_trip(const struct csv_row *row)
{
	static struct strbuf	 sb = STRBUF_INIT;
	struct csv_reader	 r;
	struct csv_row		 back;
	size_t			 i;

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "h\n");
	csv_row(&sb, row->v, row->n);
	csv_reader_buf(&r, sb.buf, sb.len);
	if (csv_read(&r, &back) != CSV_ROW || back.n != 1)
		abort();
	if (csv_read(&r, &back) != CSV_ROW || back.n != row->n ||
	    back.line != 2)
		abort();
	for (i = 0; i < row->n; i++) {
		struct str a = row->v[i], b = back.v[i];

		if (str_eq(a, b))
			continue;
		if (b.len != a.len + 1 || b.p[0] != '\'' ||
		    memcmp(b.p + 1, a.p, a.len) != 0 ||
		    !str_eq(csv_unneutralise(b), a))
			abort();
	}
	if (csv_read(&r, &back) != CSV_END)
		abort();
	csv_reader_release(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	 a;
	struct csv_reader	 r;
	struct csv_row		 row, head = { NULL, 0, 0, 0 };
	enum csv_result		 res;
	unsigned long		 last = 0;
	char			*copy;

	copy = xmalloc(size ? size : 1);
	memcpy(copy, data, size);
	csv_reader_buf(&r, copy, size);
	while ((res = csv_read(&r, &row)) != CSV_END) {
		if (res == CSV_FAIL) {
			if (r.reason == NULL || r.err_line == 0 ||
			    csv_read(&r, &row) != CSV_FAIL)
				abort();
			break;
		}
		if (res == CSV_SKIP) {
			if (r.reason == NULL || r.err_line <= last)
				abort();
			last = r.err_line;
			continue;
		}
		check_row(&row);
		if (row.line <= last && last != 0)
			abort();
		last = row.line;
		round_trip(&row);
		if (row.index == 0)
			csv_row_copy(&a, &row, &head);
	}
	csv_reader_release(&r);
	/* The header's copy outlives the reader. */
	if (head.n > 0 && (head.v[head.n - 1].p[head.v[head.n - 1].len] !=
	    '\0' || !str_valid_utf8(head.v[0])))
		abort();
	arena_reset(&a);
	free(copy);
	return 0;
}
