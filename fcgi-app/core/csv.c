/*
 * csv.c: the streaming CSV reader and the writer (see csv.h).
 *
 * The reader is a byte-at-a-time state machine, so a chunk may end
 * anywhere (inside a quote, between the CR and the LF of a CRLF) and
 * the next one carries on. A row that broke a limit is still parsed to
 * its end, storing nothing, so the reader finds the next row exactly.
 */
#include "core/common.h"

#include <unistd.h>

#include "core/csv.h"
#include "core/i18n.h"

enum state {
	S_START,	/* at the start of a field */
	S_PLAIN,	/* in an unquoted field */
	S_QUOTED,	/* in a quoted field */
	S_QUOTE,	/* a quote in a quoted field: the end, or "" */
};

static const char *const r_cols =
    N_("The row has more than 1,000 columns.");
static const char *const r_field =
    N_("A field of the row is longer than 1 MB.");
static const char *const r_row =
    N_("The row is longer than 4 MB.");
static const char *const r_utf8 =
    N_("The file is not UTF-8 text: save it as CSV UTF-8.");
static const char *const r_nul =
    N_("The file holds a NUL byte: it is not a CSV text file.");
static const char *const r_unclosed =
    N_("A quoted field is not closed before the end of the file.");
static const char *const r_after_quote =
    N_("A closing quote is followed by something other than a comma or "
    "the end of the line.");
static const char *const r_header =
    N_("The first row is not a header of column names.");
static const char *const r_empty =
    N_("The file is empty.");
static const char *const r_read =
    N_("The file could not be read.");

static void
reader_init(struct csv_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->line = 1;
	strbuf_init(&r->row, 0);
}

void
csv_reader_buf(struct csv_reader *r, const char *p, size_t len)
{
	reader_init(r);
	r->in = p;
	r->inlen = len;
	r->eof = 1;
}

void
csv_reader_fd(struct csv_reader *r, int fd)
{
	reader_init(r);
	r->fd = fd;
	r->chunk = xmalloc(CSV_CHUNK);
	r->in = r->chunk;
}

void
csv_row_copy(struct arena *a, const struct csv_row *row,
    struct csv_row *out)
{
	struct str	*v;
	size_t		 i;

	v = arena_alloc(a, xmul(row->n, sizeof(*v)));
	for (i = 0; i < row->n; i++)
		v[i] = arena_str(a, row->v[i]);
	*out = *row;
	out->v = v;
}

void
csv_reader_release(struct csv_reader *r)
{
	strbuf_release(&r->row);
	free(r->chunk);
	free(r->off);
	free(r->fields);
	r->chunk = NULL;
	r->off = NULL;
	r->fields = NULL;
	r->cap = r->nfields = 0;
	r->inlen = 0;
	r->failed = 1;
}

/* Appends what read() gives to in[0..inlen): 0, or -1 on an error.
 * Sets eof at the end of the input. */
static int
refill(struct csv_reader *r)
{
	ssize_t	n;

	if (r->eof)
		return 0;
	if (r->inlen == 0)
		r->in = r->chunk;
	else if (r->in != r->chunk)
		memmove(r->chunk, r->in, r->inlen);
	r->in = r->chunk;
	do
		n = read(r->fd, r->chunk + r->inlen, CSV_CHUNK - r->inlen);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		r->eof = 1;
	r->inlen += (size_t)n;
	return 0;
}

static enum csv_result
fail(struct csv_reader *r, const char *reason, unsigned long line)
{
	r->failed = 1;
	r->reason = reason;
	r->err_line = line;
	return CSV_FAIL;
}

/* The parse of one row in progress. */
struct rowp {
	enum state	 st;
	size_t		 start;		/* the field's offset in row */
	unsigned long	 line;		/* where the row starts */
	unsigned long	 fline;		/* where the field starts */
	int		 any;		/* a byte of the row was read */
	int		 quoted;	/* the field was quoted */
	const char	*bad;		/* the row broke this limit */
};

static int
header(const struct csv_reader *r)
{
	return r->rows == 0;
}

/* Stores byte c of the current field, unless the row is refused. */
static int
put(struct csv_reader *r, struct rowp *p, char c)
{
	if (p->bad)
		return 0;
	if (r->row.len - p->start >= CSV_MAX_FIELD)
		p->bad = r_field;
	else if (r->row.len >= CSV_MAX_ROW)
		p->bad = r_row;
	else if (header(r) && r->row.len >= CSV_MAX_HEADER)
		return -1;
	else
		strbuf_addch(&r->row, c);
	return 0;
}

/*
 * Stores the ordinary bytes at the head of the input in one go: the
 * bulk of a file, which put() would take one by one. Stops before any
 * byte that means something in the state (and before a NUL) and where
 * a limit would be reached, leaving those to the byte-by-byte path.
 */
static void
put_run(struct csv_reader *r, struct rowp *p)
{
	size_t	room, k, flen = r->row.len - p->start;
	size_t	lim = header(r) ? CSV_MAX_HEADER : CSV_MAX_ROW;

	if (flen >= CSV_MAX_FIELD || r->row.len >= lim)
		return;
	room = CSV_MAX_FIELD - flen;
	if (lim - r->row.len < room)
		room = lim - r->row.len;
	if (room > r->inlen)
		room = r->inlen;
	for (k = 0; k < room; k++) {
		char c = r->in[k];

		if (c == '\n' || c == '\r' || c == '\0' ||
		    c == (p->st == S_QUOTED ? '"' : ','))
			break;
	}
	if (k == 0)
		return;
	strbuf_add(&r->row, r->in, k);
	r->in += k;
	r->inlen -= k;
	r->prev_cr = 0;
}

/* Ends the current field: 0, or -1 when the file is to be refused. */
static int
end_field(struct csv_reader *r, struct rowp *p)
{
	size_t	n;

	if (p->bad)
		return 0;
	if (r->nfields == CSV_MAX_COLS) {
		p->bad = r_cols;
		if (header(r)) {
			fail(r, r_cols, p->line);
			return -1;
		}
		return 0;
	}
	/* Control characters are the importer's to judge, field by
	 * field. */
	if (!str_valid_utf8((struct str){ r->row.buf + p->start,
	    r->row.len - p->start })) {
		fail(r, r_utf8, p->fline);
		return -1;
	}
	if (r->nfields + 1 >= r->cap) {
		n = r->cap ? r->cap * 2 : 32;
		if (n > CSV_MAX_COLS + 1)
			n = CSV_MAX_COLS + 1;
		r->off = xrealloc(r->off, xmul(n, sizeof(*r->off)));
		r->fields = xrealloc(r->fields, xmul(n, sizeof(*r->fields)));
		r->cap = n;
	}
	r->off[r->nfields++] = p->start;
	strbuf_addch(&r->row, '\0');
	p->start = r->row.len;
	return 0;
}

/* Nonzero when the header field s is a plausible column name. */
static int
header_name_ok(struct str s)
{
	size_t	i;

	if (!str_valid_text(s))
		return 0;
	for (i = 0; i < s.len; i++)
		if (s.p[i] == '\t' || s.p[i] == '\n' || s.p[i] == '\r')
			return 0;
	return 1;
}

/* Finishes a row that parsed: CSV_ROW, CSV_SKIP, CSV_FAIL, or CSV_END
 * for a blank line (the caller reads on). */
static enum csv_result
end_row(struct csv_reader *r, struct rowp *p, struct csv_row *row)
{
	size_t	i;

	if (end_field(r, p) == -1)
		return r->failed ? CSV_FAIL : fail(r, r_header, p->line);
	if (p->bad) {
		if (header(r))
			return fail(r, r_header, p->line);
		r->rows++;
		r->reason = p->bad;
		r->err_line = p->line;
		return CSV_SKIP;
	}
	if (r->nfields == 1 && r->row.len == 1 && !p->quoted)
		return CSV_END;
	r->off[r->nfields] = r->row.len;
	for (i = 0; i < r->nfields; i++) {
		r->fields[i].p = r->row.buf + r->off[i];
		r->fields[i].len = r->off[i + 1] - r->off[i] - 1;
		if (header(r) && !header_name_ok(r->fields[i]))
			return fail(r, r_header, p->line);
	}
	row->v = r->fields;
	row->n = r->nfields;
	row->line = p->line;
	row->index = r->rows++;
	return CSV_ROW;
}

static int
skip_bom(struct csv_reader *r)
{
	while (r->fd != -1 && r->inlen < 3 && !r->eof)
		if (refill(r) == -1)
			return -1;
	if (r->inlen >= 3 && memcmp(r->in, CSV_BOM, 3) == 0) {
		r->in += 3;
		r->inlen -= 3;
	}
	return 0;
}

/* One row, or a blank line (CSV_END with *blank set). */
static enum csv_result
read_row(struct csv_reader *r, struct csv_row *row, int *blank)
{
	struct rowp	p;
	enum csv_result	res;
	char		c;

	memset(&p, 0, sizeof(p));
	strbuf_reset(&r->row);
	r->nfields = 0;
	*blank = 0;
	for (;;) {
		if (r->inlen == 0) {
			if (refill(r) == -1)
				return fail(r, r_read, r->line);
			if (r->inlen == 0)
				break;
		}
		if ((p.st == S_PLAIN || p.st == S_QUOTED) && !p.bad)
			put_run(r, &p);
		if (r->inlen == 0)
			continue;
		c = *r->in++;
		r->inlen--;
		if (r->skip_lf) {
			r->skip_lf = 0;
			r->prev_cr = 0;
			if (c == '\n')
				continue;
		}
		if (!p.any) {
			p.any = 1;
			p.line = r->line;
		}
		if (p.st == S_START)
			p.fline = r->line;
		if (c == '\n') {
			if (!r->prev_cr)
				r->line++;
		} else if (c == '\r')
			r->line++;
		r->prev_cr = c == '\r';
		if (c == '\0')
			return fail(r, r_nul, p.line);

		switch (p.st) {
		case S_START:
		case S_PLAIN:
		case S_QUOTE:
			if (c == '"' && p.st == S_START) {
				p.st = S_QUOTED;
				p.quoted = 1;
				break;
			}
			if (c == '"' && p.st == S_QUOTE) {
				if (put(r, &p, c) == -1)
					return fail(r, r_header, p.line);
				p.st = S_QUOTED;
				break;
			}
			if (c == ',') {
				if (end_field(r, &p) == -1)
					return r->failed ? CSV_FAIL :
					    fail(r, r_header, p.line);
				p.st = S_START;
				p.quoted = 0;
				break;
			}
			if (c == '\r' || c == '\n') {
				r->skip_lf = c == '\r';
				res = end_row(r, &p, row);
				*blank = res == CSV_END;
				return res;
			}
			if (p.st == S_QUOTE)
				return fail(r, r_after_quote, p.line);
			p.st = S_PLAIN;
			if (put(r, &p, c) == -1)
				return fail(r, r_header, p.line);
			break;
		case S_QUOTED:
			if (c == '"')
				p.st = S_QUOTE;
			else if (put(r, &p, c) == -1)
				return fail(r, r_header, p.line);
			break;
		}
	}
	if (!p.any)
		return CSV_END;
	if (p.st == S_QUOTED)
		return fail(r, r_unclosed, p.line);
	res = end_row(r, &p, row);
	*blank = res == CSV_END;
	return res;
}

enum csv_result
csv_read(struct csv_reader *r, struct csv_row *row)
{
	enum csv_result	res;
	int		blank;

	if (r->failed)
		return CSV_FAIL;
	if (!r->started) {
		r->started = 1;
		if (skip_bom(r) == -1)
			return fail(r, r_read, 1);
	}
	r->reason = NULL;
	do
		res = read_row(r, row, &blank);
	while (res == CSV_END && blank);
	if (res == CSV_END && r->rows == 0)
		return fail(r, r_empty, r->line);
	return res;
}

/* Nonzero when v is a plain decimal number: -?digits(.digits)?. */
static int
plain_number(struct str v)
{
	size_t	i = 0, d = 0;

	if (i < v.len && v.p[i] == '-')
		i++;
	for (; i < v.len && v.p[i] >= '0' && v.p[i] <= '9'; i++)
		d++;
	if (d == 0)
		return 0;
	if (i == v.len)
		return 1;
	if (v.p[i++] != '.' || i == v.len)
		return 0;
	for (; i < v.len; i++)
		if (v.p[i] < '0' || v.p[i] > '9')
			return 0;
	return 1;
}

static int
formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	    c == '\r';
}

void
csv_field(struct strbuf *sb, struct str v)
{
	int	neutral, quote;
	size_t	i;

	neutral = v.len > 0 && formula_start(v.p[0]) && !plain_number(v);
	quote = 0;
	for (i = 0; i < v.len && !quote; i++)
		quote = v.p[i] == ',' || v.p[i] == '"' || v.p[i] == '\r' ||
		    v.p[i] == '\n';
	if (quote)
		strbuf_addch(sb, '"');
	if (neutral)
		strbuf_addch(sb, '\'');
	for (i = 0; i < v.len; i++) {
		if (v.p[i] == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, v.p[i]);
	}
	if (quote)
		strbuf_addch(sb, '"');
}

void
csv_row(struct strbuf *sb, const struct str *v, size_t n)
{
	size_t	i;

	if (n == 1 && v[0].len == 0)
		strbuf_addstr(sb, "\"\"");
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_addch(sb, ',');
		csv_field(sb, v[i]);
	}
	strbuf_addstr(sb, "\r\n");
}

struct str
csv_unneutralise(struct str v)
{
	if (v.len >= 2 && v.p[0] == '\'' && formula_start(v.p[1])) {
		v.p++;
		v.len--;
	}
	return v;
}
