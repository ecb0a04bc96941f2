/* Unit test of core/csv.c: the reader (quotes, line breaks, BOM, UTF-8,
 * every limit, fds in chunks) and the writer (quoting, formulas). */
#include "core/common.h"

#include <sys/wait.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/strbuf.h"

#include "test.h"

/* Reads all of in and writes each row as "line:f1|f2|...\n", a skipped
 * row as "line:SKIP reason\n", a failure as "line:FAIL reason\n". */
static void
dump(struct csv_reader *r, struct strbuf *out)
{
	struct csv_row	row;
	enum csv_result	res;
	size_t		i;

	while ((res = csv_read(r, &row)) != CSV_END) {
		if (res == CSV_FAIL) {
			strbuf_addf(out, "%lu:FAIL %s\n", r->err_line,
			    r->reason);
			break;
		}
		if (res == CSV_SKIP) {
			strbuf_addf(out, "%lu:SKIP %s\n", r->err_line,
			    r->reason);
			continue;
		}
		strbuf_addf(out, "%lu:", row.line);
		for (i = 0; i < row.n; i++) {
			TEST_CHECK(row.v[i].p[row.v[i].len] == '\0');
			strbuf_addf(out, "%s%.*s", i ? "|" : "",
			    (int)row.v[i].len, row.v[i].p);
		}
		strbuf_addch(out, '\n');
	}
}

static char *
parse_buf(const char *in, size_t len)
{
	struct csv_reader	r;
	struct strbuf		out = STRBUF_INIT;

	csv_reader_buf(&r, in, len);
	dump(&r, &out);
	csv_reader_release(&r);
	return strbuf_detach(&out, NULL);
}

/* The same through a pipe, written by a child in pieces of step bytes,
 * so chunks end anywhere. */
static char *
parse_fd(const char *in, size_t len, size_t step)
{
	struct csv_reader	r;
	struct strbuf		out = STRBUF_INIT;
	int			fd[2];
	pid_t			pid;

	if (pipe(fd) == -1)
		abort();
	pid = fork();
	if (pid == 0) {
		size_t off = 0;

		close(fd[0]);
		while (off < len) {
			size_t n = len - off < step ? len - off : step;
			ssize_t w = write(fd[1], in + off, n);

			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(fd[1]);
	csv_reader_fd(&r, fd[0]);
	dump(&r, &out);
	csv_reader_release(&r);
	close(fd[0]);
	{
		int st;

		while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
			;
	}
	return strbuf_detach(&out, NULL);
}

/* Checks that in gives want, from a buffer and from a pipe fed one
 * byte and then 7 bytes at a time. */
#define CHECK_CSV(in, want) do {					\
	char *g_;							\
	g_ = parse_buf((in), sizeof(in) - 1);				\
	TEST_STREQ(g_, (want));						\
	free(g_);							\
	g_ = parse_fd((in), sizeof(in) - 1, 1);				\
	TEST_STREQ(g_, (want));						\
	free(g_);							\
	g_ = parse_fd((in), sizeof(in) - 1, 7);				\
	TEST_STREQ(g_, (want));						\
	free(g_);							\
} while (0)

static void
test_basic(void)
{
	CHECK_CSV("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
	CHECK_CSV("a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n");
	/* No final line break; an empty last field. */
	CHECK_CSV("a,b\n1,", "1:a|b\n2:1|\n");
	/* CRLF, LF and lone CR mixed. */
	CHECK_CSV("h\r\nx\ny\rz\r\n", "1:h\n2:x\n3:y\n4:z\n");
	/* Blank lines are skipped but counted. */
	CHECK_CSV("h\n\n\r\nx\n\n", "1:h\n4:x\n");
	/* "" on a line is one empty field. */
	CHECK_CSV("h\n\"\"\n", "1:h\n2:\n");
	/* Spaces are kept. */
	CHECK_CSV("h\n a , b \n", "1:h\n2: a | b \n");
}

static void
test_quotes(void)
{
	CHECK_CSV("h\n\"a,b\",\"say \"\"hi\"\"\"\n",
	    "1:h\n2:a,b|say \"hi\"\n");
	/* Embedded line breaks are kept, and the next row's line counts
	 * them. */
	CHECK_CSV("h\n\"one\r\ntwo\nthree\",x\nnext\n",
	    "1:h\n2:one\r\ntwo\nthree|x\n5:next\n");
	/* A quote inside an unquoted field is a plain byte. */
	CHECK_CSV("h\n5\" nails,x\n", "1:h\n2:5\" nails|x\n");
	CHECK_CSV("h\n\"\",\"\"\"\"\n", "1:h\n2:|\"\n");
	/* A quote never closed, and junk after a closing quote. */
	CHECK_CSV("h\nok\n\"open,x\n\n",
	    "1:h\n2:ok\n3:FAIL A quoted field is not closed before the end "
	    "of the file.\n");
	CHECK_CSV("h\n\"a\"b,c\n",
	    "1:h\n2:FAIL A closing quote is followed by something other "
	    "than a comma or the end of the line.\n");
}

static void
test_bom_utf8(void)
{
	CHECK_CSV("\xef\xbb\xbfName,Pr\xc3\xa9" "c\n\xe8\x8c\xb6,1\n",
	    "1:Name|Pr\xc3\xa9" "c\n2:\xe8\x8c\xb6|1\n");
	/* A BOM only counts at the very start. */
	CHECK_CSV("h\n\xef\xbb\xbfx\n", "1:h\n2:\xef\xbb\xbfx\n");
	/* Latin-1 on line 3 (in a field that starts there). */
	CHECK_CSV("h,i\nok,ok\nx,caf\xe9\n",
	    "1:h|i\n2:ok|ok\n3:FAIL The file is not UTF-8 text: save it as "
	    "CSV UTF-8.\n");
	/* Overlong, surrogate, cut short. */
	CHECK_CSV("h\n\xc0\xaf\n", "1:h\n2:FAIL The file is not UTF-8 "
	    "text: save it as CSV UTF-8.\n");
	CHECK_CSV("h\n\xed\xa0\x80\n", "1:h\n2:FAIL The file is not UTF-8 "
	    "text: save it as CSV UTF-8.\n");
	CHECK_CSV("h\n\"a\nb\xe8\x8c\"\n", "1:h\n2:FAIL The file is not "
	    "UTF-8 text: save it as CSV UTF-8.\n");
	CHECK_CSV("h\nx\x00y\n", "1:h\n2:FAIL The file holds a NUL byte: "
	    "it is not a CSV text file.\n");
	CHECK_CSV("", "1:FAIL The file is empty.\n");
	CHECK_CSV("\xef\xbb\xbf\r\n\n", "3:FAIL The file is empty.\n");
	/* The header must be printable. */
	CHECK_CSV("a\tb,c\n", "1:FAIL The first row is not a header of "
	    "column names.\n");
	CHECK_CSV("\"a\nb\",c\n", "1:FAIL The first row is not a header "
	    "of column names.\n");
}

static void
test_limits(void)
{
	struct strbuf	in = STRBUF_INIT, want = STRBUF_INIT;
	char		*got;
	size_t		i;

	/* CSV_MAX_COLS columns are fine, one more skips the row only. */
	strbuf_addstr(&in, "h\n");
	for (i = 0; i < CSV_MAX_COLS; i++)
		strbuf_addstr(&in, i ? ",x" : "x");
	strbuf_addstr(&in, "\nok\n");
	for (i = 0; i <= CSV_MAX_COLS; i++)
		strbuf_addstr(&in, i ? ",x" : "x");
	strbuf_addstr(&in, "\nlast\n");
	got = parse_buf(in.buf, in.len);
	TEST_CHECK(strstr(got, "3:ok\n4:SKIP The row has more than 1,000 "
	    "columns.\n5:last\n") != NULL);
	free(got);

	/* A header of a million columns is refused after 1,001. */
	strbuf_reset(&in);
	for (i = 0; i < 1000000; i++)
		strbuf_addstr(&in, i ? ",c" : "c");
	strbuf_addstr(&in, "\n1\n");
	got = parse_buf(in.buf, in.len);
	TEST_STREQ(got, "1:FAIL The row has more than 1,000 columns.\n");
	free(got);

	/* A field of exactly 1 MB passes; 10 MB skips its row; the row
	 * after is read. */
	strbuf_reset(&in);
	strbuf_addstr(&in, "h,i\n");
	for (i = 0; i < CSV_MAX_FIELD; i++)
		strbuf_addch(&in, 'a');
	strbuf_addstr(&in, ",1\n\"");
	for (i = 0; i < 10 * CSV_MAX_FIELD; i++)
		strbuf_addch(&in, i % 1000 == 999 ? '\n' : 'b');
	strbuf_addstr(&in, "\",2\nnext,3\n");
	got = parse_buf(in.buf, in.len);
	strbuf_addf(&want, "3:SKIP A field of the row is longer than "
	    "1 MB.\n%u:next|3\n", 4 + 10 * CSV_MAX_FIELD / 1000);
	TEST_CHECK(strncmp(got, "1:h|i\n2:aaaa", 12) == 0);
	TEST_CHECK(strlen(got) > CSV_MAX_FIELD);
	TEST_STREQ(strstr(got, "3:SKIP"), want.buf);
	free(got);

	/* A row of 5 fields of 1 MB - 1 byte is over 4 MB. */
	strbuf_reset(&in);
	strbuf_addstr(&in, "h\n");
	for (i = 0; i < 5 * CSV_MAX_FIELD; i++)
		strbuf_addch(&in, i % CSV_MAX_FIELD == 0 && i ? ',' : 'c');
	strbuf_addstr(&in, "\nafter\n");
	got = parse_buf(in.buf, in.len);
	TEST_STREQ(got, "1:h\n2:SKIP The row is longer than 4 MB.\n"
	    "3:after\n");
	free(got);

	/* Junk: a header that never ends is refused after
	 * CSV_MAX_HEADER bytes, not at the end of the file. */
	strbuf_reset(&in);
	for (i = 0; i < 8 * CSV_MAX_HEADER; i++)
		strbuf_addch(&in, 'A' + (char)(i % 26));
	got = parse_buf(in.buf, in.len);
	TEST_STREQ(got, "1:FAIL The first row is not a header of column "
	    "names.\n");
	free(got);

	strbuf_release(&in);
	strbuf_release(&want);
}

/* 100 MB of junk through a pipe: refused having read little. */
static void
test_junk_fd(void)
{
	struct csv_reader	r;
	struct csv_row		row;
	int			fd[2];
	pid_t			pid;
	int			st;

	if (pipe(fd) == -1)
		abort();
	pid = fork();
	if (pid == 0) {
		char	buf[65536];
		size_t	sent = 0, i;

		close(fd[0]);
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (char)(i * 7 + 1);
		while (sent < 100u << 20) {
			if (write(fd[1], buf, sizeof(buf)) <= 0)
				_exit(0);	/* the reader stopped */
			sent += sizeof(buf);
		}
		_exit(1);
	}
	close(fd[1]);
	csv_reader_fd(&r, fd[0]);
	TEST_CHECK(csv_read(&r, &row) == CSV_FAIL);
	TEST_CHECK(r.reason != NULL);
	TEST_CHECK(csv_read(&r, &row) == CSV_FAIL);
	csv_reader_release(&r);
	close(fd[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	/* The writer met a closed pipe before sending 100 MB. */
	TEST_CHECK(WIFSIGNALED(st) || (WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0));
}

static void
test_writer(void)
{
	struct strbuf	sb = STRBUF_INIT;
	struct str	v[] = {
		STR("plain"), STR("a,b"), STR("say \"hi\""), STR("two\nlines"),
		STR(""), STR("=1+2"), STR("+SUM(A1)"), STR("-2+3"),
		STR("@cmd"), STR("\tx"), STR("\rx"), STR("-3"), STR("-12.50"),
		STR("=cmd|' /C calc'!A0"), STR("a=b"), STR(" =x"),
	};

	csv_row(&sb, v, NELEM(v));
	TEST_STREQ(sb.buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,"
	    "'=1+2,'+SUM(A1),'-2+3,'@cmd,'\tx,\"'\rx\",-3,-12.50,"
	    "'=cmd|' /C calc'!A0,a=b, =x\r\n");
	strbuf_reset(&sb);
	csv_row(&sb, (struct str[]){ STR("") }, 1);
	TEST_STREQ(sb.buf, "\"\"\r\n");
	strbuf_reset(&sb);
	csv_field(&sb, STR("-"));
	TEST_STREQ(sb.buf, "'-");
	strbuf_reset(&sb);
	csv_field(&sb, STR("-1."));
	TEST_STREQ(sb.buf, "'-1.");

	TEST_CHECK(str_eqc(csv_unneutralise(STR("'=1+2")), "=1+2"));
	TEST_CHECK(str_eqc(csv_unneutralise(STR("'-x")), "-x"));
	TEST_CHECK(str_eqc(csv_unneutralise(STR("'quoted'")), "'quoted'"));
	TEST_CHECK(str_eqc(csv_unneutralise(STR("'")), "'"));
	TEST_CHECK(str_eqc(csv_unneutralise(STR("x")), "x"));
	strbuf_release(&sb);
}

/* reader(writer(x)) == x, for fields without a formula's first byte. */
static void
test_round_trip(void)
{
	static const char *const rows[][4] = {
		{ "SKU", "Name", "Description", "Price" },
		{ "a-1", "Caf\xc3\xa9 \"Noir\"", "line 1\r\nline 2\n",
		    "12.50" },
		{ "", "", "", "" },
		{ "b,2", " spaced ", "\xe8\x8c\xb6, \"\" and \r", "-3" },
		{ "x", "'=kept'", "\"", "," },
	};
	struct strbuf		sb = STRBUF_INIT;
	struct csv_reader	r;
	struct csv_row		row, head;
	struct arena		a;
	struct str		v[4];
	size_t			i, j;

	strbuf_addstr(&sb, CSV_BOM);
	for (i = 0; i < NELEM(rows); i++) {
		for (j = 0; j < 4; j++)
			v[j] = str_c(rows[i][j]);
		csv_row(&sb, v, 4);
	}
	csv_row(&sb, (struct str[]){ STR("") }, 1);
	arena_init(&a);
	csv_reader_buf(&r, sb.buf, sb.len);
	for (i = 0; i < NELEM(rows); i++) {
		TEST_CHECK(csv_read(&r, &row) == CSV_ROW);
		TEST_CHECK(row.n == 4 && row.index == i);
		for (j = 0; j < 4 && j < row.n; j++)
			TEST_STREQ(row.v[j].p, rows[i][j]);
		if (i == 0)
			csv_row_copy(&a, &row, &head);
	}
	/* The copy outlives the rows read after it. */
	TEST_CHECK(head.n == 4 && head.line == 1 && head.index == 0);
	for (j = 0; j < 4 && j < head.n; j++)
		TEST_STREQ(head.v[j].p, rows[0][j]);
	arena_free(&a);
	TEST_CHECK(csv_read(&r, &row) == CSV_ROW);
	TEST_CHECK(row.n == 1 && row.v[0].len == 0);
	TEST_CHECK(csv_read(&r, &row) == CSV_END);
	TEST_CHECK(csv_read(&r, &row) == CSV_END);
	csv_reader_release(&r);
	strbuf_release(&sb);
}

int
main(void)
{
	test_basic();
	test_quotes();
	test_bom_utf8();
	test_limits();
	test_junk_fd();
	test_writer();
	test_round_trip();
	return test_done();
}
