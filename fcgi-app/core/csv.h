/*
 * csv.h: a streaming RFC 4180 reader and a writer (the catalog's import
 * and export, shop/catalog_csv.h).
 *
 * Reader. Fields are separated by ',', rows end with CRLF, LF or a lone
 * CR (files saved by old spreadsheets), freely mixed. A field in double
 * quotes may hold commas, line breaks (kept as they are) and "" for one
 * quote; a quote inside an unquoted field is kept as a plain byte, as
 * spreadsheets do; after a closing quote only ',' or a line break may
 * come. A UTF-8 byte order mark at the very start is skipped. Lines with
 * nothing on them are skipped; "" on a line is one empty field.
 *
 * The first row must be a header: column names in printable UTF-8, at
 * most CSV_MAX_HEADER bytes, so that a large file of junk is refused
 * after reading a few kilobytes, not after slurping it.
 *
 * The reader never holds more than one chunk of input and one row: it
 * reads from a buffer the caller keeps, or from an fd in CSV_CHUNK
 * pieces, so a 100 MB file costs the same memory as a small one.
 *
 * Errors come in two kinds:
 * - CSV_SKIP: this row broke a limit of one row (too many columns, a
 *   field or the row too long). The reader has read past it and the
 *   next csv_read() goes on with the next row: one bad row never stops
 *   the others.
 * - CSV_FAIL: the file is not CSV we can read (not UTF-8, a NUL byte,
 *   a quote never closed, junk after a closing quote, no header, an
 *   empty file, a read error). Every later call returns CSV_FAIL too.
 * Either way r->reason is an untranslated msgid (N_(), the caller shows
 * it with _() in the import preview) and r->err_line the physical line
 * (from 1) where the row starts, or where the bad field starts for text
 * that is not UTF-8.
 *
 * Ownership: the reader owns its memory (malloc; an import is one long
 * job, and an arena would keep every row of the file until it is
 * reset). A row's fields are views into the reader's row buffer, each
 * NUL-terminated (a NUL in the input is refused, so they are C strings
 * too), valid until the next csv_read() or csv_reader_release(): copy
 * what you keep (arena_str()). The buffer given to csv_reader_buf()
 * must outlive the reader; an fd stays the caller's to close.
 *
 * Writer. csv_field() and csv_row() append to a strbuf, quoting a
 * field when it holds ',', '"', CR or LF, and ending rows with CRLF.
 * A field that a spreadsheet would run as a formula (it starts with
 * '=', '+', '-', '@', TAB or CR) gets a leading apostrophe, as OWASP's
 * "CSV Injection" page recommends, unless it is a plain number ("-3",
 * "-12.50"), which no spreadsheet runs. csv_unneutralise() takes the
 * apostrophe off again when souk reads its own export back.
 */
#ifndef SOUK_CSV_H
#define SOUK_CSV_H

#include <stddef.h>
#include "core/arena.h"
#include "core/str.h"
#include "core/strbuf.h"

/* Limits. The reasons in csv.c name these numbers: change both. */
#define CSV_MAX_COLS	1000		/* columns in a row */
#define CSV_MAX_FIELD	(1u << 20)	/* bytes in a field: 1 MB */
#define CSV_MAX_ROW	(4u << 20)	/* bytes in a row: 4 MB */
#define CSV_MAX_HEADER	(64u << 10)	/* bytes in the header row */
#define CSV_CHUNK	(64u << 10)	/* bytes read from an fd at once */

/* What precedes the text of a UTF-8 file written for spreadsheets
 * (Excel takes a file without it for the local code page). */
#define CSV_BOM		"\xef\xbb\xbf"

enum csv_result {
	CSV_FAIL = -1,		/* the file is refused; see r->reason */
	CSV_END = 0,		/* no more rows */
	CSV_ROW = 1,		/* a row: see struct csv_row */
	CSV_SKIP = 2,		/* a row refused and passed: reason */
};

struct csv_row {
	const struct str *v;	/* the fields, in the reader */
	size_t		  n;	/* at least 1 */
	unsigned long	  line;	/* the physical line it starts on */
	unsigned long	  index; /* 0: the header, then 1, 2... */
};

/* Treat as opaque but for reason and err_line. */
struct csv_reader {
	const char	*reason;	/* the last error's msgid */
	unsigned long	 err_line;	/* its line, from 1 */

	int		 fd;		/* -1: reading a buffer */
	const char	*in;		/* input not parsed yet */
	size_t		 inlen;
	char		*chunk;		/* fd: CSV_CHUNK bytes */
	int		 eof;		/* no input after in */
	int		 failed;
	int		 started;	/* the BOM was seen to */
	int		 skip_lf;	/* a row ended on a CR */
	int		 prev_cr;	/* the last byte was CR */
	unsigned long	 line;		/* the next byte's line */
	unsigned long	 rows;		/* rows read or skipped */
	struct strbuf	 row;		/* fields, NUL after each */
	size_t		*off;		/* field i: row.buf + off[i] */
	struct str	*fields;
	size_t		 nfields, cap;
};

/* A reader of the len bytes at p (which must outlive it). */
void	csv_reader_buf(struct csv_reader *r, const char *p, size_t len);

/* A reader of fd, read in CSV_CHUNK pieces; fd stays the caller's. */
void	csv_reader_fd(struct csv_reader *r, int fd);

/*
 * Reads the next row into *row (fields valid until the next call).
 * Returns CSV_ROW, CSV_END, CSV_SKIP (the row broke a limit; reason and
 * err_line say which and where; call again for the next row) or
 * CSV_FAIL (the file is refused; reason and err_line say why).
 */
enum csv_result	csv_read(struct csv_reader *r, struct csv_row *row);

/* Copies row into a (the fields NUL-terminated), for a row kept past
 * the next csv_read(): the header, a product's first row. */
void	csv_row_copy(struct arena *a, const struct csv_row *row,
	    struct csv_row *out);

/* Frees the reader's memory (the fields of the last row with it). */
void	csv_reader_release(struct csv_reader *r);

/* Appends v as one field, quoted and neutralised as needed (above). */
void	csv_field(struct strbuf *sb, struct str v);

/* Appends a row of n fields and its CRLF; a row of one empty field is
 * written as "" so that a reader does not take it for a blank line. */
void	csv_row(struct strbuf *sb, const struct str *v, size_t n);

/* v without the apostrophe csv_field() put before a formula's first
 * character ("'=1+2" gives "=1+2"); any other v unchanged. A cell that
 * really starts with an apostrophe and one of those characters loses
 * its apostrophe too: no exporter writes one without meaning this. */
struct str	csv_unneutralise(struct str v);

#endif
