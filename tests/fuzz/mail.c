/*
 * libFuzzer target: mail_compose(), which turns text it is given (a
 * recipient, a subject and a body, as the job queue reads them from a
 * payload) into the headers and body of an RFC 5322 message.
 *
 * Input: recipient, subject and body separated by NUL bytes.
 * Checked: the message is refused exactly when the recipient is not an
 * acceptable addr-spec; an accepted one is 7-bit ASCII without NULs,
 * every line ends in CRLF (no bare CR or LF), header lines are at most
 * 78 characters (encoded subject) or 998 (plain), body lines at most 76,
 * and the header section holds exactly the nine headers mail_compose()
 * writes, each once, plus folded continuations: nothing in the input
 * can add a header or a recipient.
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
	char			 to[300];
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
	m.date = 1796083200;
	strbuf_reset(&sb);
	if (mail_compose(&sb, &m) == -1) {
		if (mail_addr_ok(to))
			abort();
		if (sb.len != 0)
			abort();
		return 0;
	}
	if (!mail_addr_ok(to))
		abort();
	for (i = 0; i < sb.len; i++) {
		unsigned char c = (unsigned char)sb.buf[i];

		if (c == 0 || c >= 0x80)
			abort();
		if (c == '\r' && (i + 1 == sb.len || sb.buf[i + 1] != '\n'))
			abort();
		if (c == '\n' && (i == 0 || sb.buf[i - 1] != '\r'))
			abort();
		if (c != '\n')
			continue;
		/* The line [line, i - 1) without its CRLF. */
		n = i - 1 - line;
		if (hdr && n == 0)
			hdr = 0;
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
	if (hdr || line != sb.len)
		abort();
	for (i = 0; i < NELEM(headers); i++)
		if (seen[i] != 1)
			abort();
	return 0;
}
