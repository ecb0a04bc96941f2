/*
 * libFuzzer target: mail_compose(), which turns text it is given (a
 * recipient, a subject and a body, as the job queue reads them from a
 * payload) into the headers and body of an RFC 5322 message.
 *
 * Input: recipient, subject, body, HTML body and Message-ID separated
 * by NUL bytes (the last two may be missing: no HTML, a random id).
 * Checked: the message is refused exactly when the recipient or the
 * Message-ID is not an acceptable addr-spec; an accepted one is 7-bit
 * ASCII without NULs, every line ends in CRLF (no bare CR or LF), header
 * lines are at most 78 characters (encoded subject, boundary) or 998
 * (plain), body lines at most 76, and the header section holds exactly
 * the headers mail_compose() writes, each once, plus folded
 * continuations: nothing in the input can add a header or a recipient.
 * With HTML the body is two parts: the boundary appears only on the
 * three delimiter lines (two parts, then the close, last), each part
 * opens with exactly its two headers: nothing in the input can add a
 * part or end one early.
 */
#include "core/common.h"

#include "core/crypto.c"
#include "core/log.c"
#include "core/str.c"
#include "core/strbuf.c"
#include "core/xalloc.c"
#include "platform/mail.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const headers[] = {
	"Date:", "From:", "To:", "Subject:", "Message-ID:", "MIME-Version:",
	"Content-Type:", "Content-Transfer-Encoding:", "Auto-Submitted:",
};
#define H_CTE	7	/* not in a multipart message's headers */

/* Checks the lines of a multipart body from line start at off. */
static void
check_parts(const struct strbuf *sb, size_t off, const char *bnd)
{
	char	 open[64], close[64];
	size_t	 i, start = off, n, parts = 0, hdr = 0;
	int	 closed = 0;

	if (snprintf(open, sizeof(open), "--%s", bnd) >= (int)sizeof(open) ||
	    snprintf(close, sizeof(close), "--%s--", bnd) >= (int)sizeof(close))
		abort();
	for (i = off; i < sb->len; i++) {
		const char *l = sb->buf + start;

		if (sb->buf[i] != '\n')
			continue;
		n = i - 1 - start;
		if (closed)
			abort();	/* nothing after the close */
		if (n == strlen(open) && memcmp(l, open, n) == 0) {
			parts++;
			hdr = 1;
		} else if (n == strlen(close) && memcmp(l, close, n) == 0)
			closed = 1;
		else if (memmem(l, n, bnd, strlen(bnd)) != NULL)
			abort();
		else if (hdr == 1 || hdr == 2) {
			if (strncmp(l, hdr == 1 ? "Content-Type: text/" :
			    "Content-Transfer-Encoding: quoted-printable", hdr
			    == 1 ? 19 : 43) != 0)
				abort();
			hdr++;
		} else if (hdr == 3) {
			if (n != 0)
				abort();
			hdr = 0;
		} else if (n > MAIL_LINE_MAX)
			abort();
		start = i + 1;
	}
	if (!closed || parts != 2 || hdr != 0)
		abort();
}

static struct str
next(const uint8_t **p, const uint8_t *end)
{
	const uint8_t	*s = *p, *z = memchr(s, 0, (size_t)(end - s));
	struct str	 r = { (const char *)s, z ? (size_t)(z - s) :
	    (size_t)(end - s) };

	*p = z ? z + 1 : end;
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct strbuf	 sb = STRBUF_INIT;
	static int		 inited;
	const uint8_t		*p = data, *end = data + size;
	struct mail		 m;
	char			 to[300], id[300], bnd[64];
	int			 seen[NELEM(headers)] = { 0 };
	size_t			 i, line = 0, hdr = 1, n = 0;
	struct str		 s;

	if (!inited) {
		if (crypto_init() == -1)
			abort();
		inited = 1;
	}
	s = next(&p, end);
	if (s.len >= sizeof(to))
		return 0;
	memcpy(to, s.p, s.len);
	to[s.len] = '\0';
	memset(&m, 0, sizeof(m));
	m.from = "noreply@souk.example";
	m.to = to;
	m.subject = next(&p, end);
	m.body = next(&p, end);
	m.html = next(&p, end);
	s = next(&p, end);
	if (s.len >= sizeof(id))
		return 0;
	if (s.len > 0) {
		memcpy(id, s.p, s.len);
		id[s.len] = '\0';
		m.msgid = id;
	}
	m.date = 1796083200;
	strbuf_reset(&sb);
	if (mail_compose(&sb, &m) == -1) {
		if (mail_addr_ok(to) && (m.msgid == NULL || mail_addr_ok(id)))
			abort();
		if (sb.len != 0)
			abort();
		return 0;
	}
	if (!mail_addr_ok(to) || (m.msgid != NULL && !mail_addr_ok(id)))
		abort();
	bnd[0] = '\0';
	if (m.html.len > 0) {
		const char *b = strstr(sb.buf, "\r\nContent-Type: "
		    "multipart/alternative;\r\n boundary=\"=_souk_");

		if (b == NULL)
			abort();
		b += strlen("\r\nContent-Type: multipart/alternative;\r\n");
		if (strlen(b + 11) < 32 || b[11 + 31] != '"')
			abort();
		memcpy(bnd, b + 11, 31);
		bnd[31] = '\0';
	}
	for (i = 0; i < sb.len; i++) {
		unsigned char c = (unsigned char)sb.buf[i];

		if (c == 0 || c >= 0x80)
			abort();
		if (c == '\r' && (i + 1 == sb.len || sb.buf[i + 1] != '\n'))
			abort();
		if (c == '\n' && (i == 0 || sb.buf[i - 1] != '\r'))
			abort();
	}
	for (i = 0; i < sb.len; i++) {
		if (sb.buf[i] != '\n')
			continue;
		/* The line [line, i - 1) without its CRLF. */
		n = i - 1 - line;
		if (hdr && n == 0) {
			hdr = 0;
			if (bnd[0] != '\0') {
				check_parts(&sb, i + 1, bnd);
				break;
			}
		}
		else if (hdr && sb.buf[line] == ' ') {
			if (n > 78)
				abort();
		} else if (hdr) {
			size_t k;

			for (k = 0; k < NELEM(headers); k++)
				if (strncmp(sb.buf + line, headers[k],
				    strlen(headers[k])) == 0)
					break;
			if (k == NELEM(headers) || seen[k]++ || n > 998)
				abort();
		} else if (n > MAIL_LINE_MAX)
			abort();
		line = i + 1;
	}
	if (hdr || (bnd[0] == '\0' && line != sb.len))
		abort();
	for (i = 0; i < NELEM(headers); i++)
		if (seen[i] != (i == H_CTE && bnd[0] != '\0' ? 0 : 1))
			abort();
	return 0;
}
