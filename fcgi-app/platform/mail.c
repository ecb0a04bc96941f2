/* mail.c: composing and sending e-mail (see mail.h). */
#include "core/common.h"

#include <curl/curl.h>
#include <sodium.h>
#include "core/crypto.h"
#include "platform/mail.h"

/* Encoded-words carry at most this many bytes of text each: 60 base64
 * characters, 72 with "=?UTF-8?B?" and "?=", under RFC 2047's 75. */
#define WORD_BYTES	45

int
mail_addr_ok(const char *addr)
{
	const char	*at = strchr(addr, '@');
	size_t		 i, n = strlen(addr);

	if (at == NULL || at == addr || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || n > 254)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)addr[i];

		if (c <= 0x20 || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return 0;
	}
	return 1;
}

static void
add_date(struct strbuf *out, time_t t)
{
	static const char *const day[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	if (t == 0)
		t = time(NULL);
	gmtime_r(&t, &tm);
	strbuf_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    day[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int
plain_subject(struct str s)
{
	size_t i;

	if (s.len > 900)
		return 0;
	for (i = 0; i < s.len; i++)
		if (s.p[i] < 0x20 || s.p[i] >= 0x7f)
			return 0;
	/* "=?" would read as the start of an encoded-word. */
	return memmem(s.p, s.len, "=?", 2) == NULL;
}

/* The subject as encoded-words, each on its own folded line. */
static void
add_subject(struct strbuf *out, struct str s)
{
	char	 b64[sodium_base64_ENCODED_LEN(WORD_BYTES,
	    sodium_base64_VARIANT_ORIGINAL)];
	char	 chunk[WORD_BYTES];
	size_t	 i, n, k;

	strbuf_addstr(out, "Subject:");
	if (plain_subject(s)) {
		strbuf_addch(out, ' ');
		strbuf_addv(out, s);
		strbuf_addstr(out, "\r\n");
		return;
	}
	i = 0;
	do {
		n = s.len - i < WORD_BYTES ? s.len - i : WORD_BYTES;
		/* Cut between characters: back off over at most three
		 * continuation bytes (more is not UTF-8: cut anyway). */
		for (k = n; i + k < s.len && k > 1 && n - k < 3 &&
		    ((unsigned char)s.p[i + k] & 0xc0) == 0x80; k--)
			;
		if (i + k >= s.len ||
		    ((unsigned char)s.p[i + k] & 0xc0) != 0x80)
			n = k;
		/* Line breaks in the text would end the header. */
		for (k = 0; k < n; k++)
			chunk[k] = s.p[i + k] == '\r' || s.p[i + k] == '\n' ?
			    ' ' : s.p[i + k];
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)
		    chunk, n, sodium_base64_VARIANT_ORIGINAL);
		strbuf_addf(out, "%s=?UTF-8?B?%s?=", i ? "\r\n " : " ", b64);
		i += n;
	} while (i < s.len);
	strbuf_addstr(out, "\r\n");
}

/* Quoted-printable (RFC 2045 6.7) of the body, CRLF line ends. */
static void
add_body(struct strbuf *out, struct str b)
{
	size_t	i, col = 0;

	for (i = 0; i < b.len; i++) {
		unsigned char	c = (unsigned char)b.p[i];
		int		eol = i + 1 == b.len || b.p[i + 1] == '\n' ||
		    (b.p[i + 1] == '\r' && i + 2 < b.len && b.p[i + 2] == '\n');
		size_t		w;

		if (c == '\n') {
			strbuf_addstr(out, "\r\n");
			col = 0;
			continue;
		}
		if (c == '\r' && i + 1 < b.len && b.p[i + 1] == '\n')
			continue;
		/* Literal: printable ASCII but '='; blanks unless last
		 * on a line (transports strip trailing blanks). */
		w = ((c >= 33 && c <= 126 && c != '=') ||
		    ((c == ' ' || c == '\t') && !eol)) ? 1 : 3;
		if (col + w > MAIL_LINE_MAX - 1) {
			strbuf_addstr(out, "=\r\n");
			col = 0;
		}
		if (w == 1)
			strbuf_addch(out, c);
		else
			strbuf_addf(out, "=%02X", c);
		col += w;
	}
	if (col > 0)
		strbuf_addstr(out, "\r\n");
}

/* The headers of a text part (quoted-printable UTF-8 of type). */
static void
add_part_headers(struct strbuf *out, const char *type)
{
	strbuf_addf(out, "Content-Type: text/%s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n", type);
}

/*
 * One part of a multipart body: the delimiter, its headers, the text.
 * The body always ends in CRLF before the next delimiter, whose own
 * CRLF (RFC 2046 5.1.1) is then the empty line after it: an empty
 * body stays a body.
 */
static void
add_part(struct strbuf *out, const char *boundary, const char *type,
    struct str body)
{
	strbuf_addf(out, "--%s\r\n", boundary);
	add_part_headers(out, type);
	strbuf_addstr(out, "\r\n");
	add_body(out, body);
	strbuf_addstr(out, "\r\n");
}

int
mail_compose(struct strbuf *out, const struct mail *m)
{
	char	id[33], boundary[40];
	int	n;

	if (!mail_addr_ok(m->from) || !mail_addr_ok(m->to) ||
	    (m->msgid != NULL && !mail_addr_ok(m->msgid)))
		return -1;
	/* "=_" never occurs in quoted-printable text (an '=' there is
	 * followed by a hex digit or a line end): the parts cannot hold
	 * the boundary. The random rest keeps a forwarded souk message,
	 * nested in another, apart from its wrapper. */
	crypto_random_hex(id, 12);
	n = snprintf(boundary, sizeof(boundary), "=_souk_%s", id);
	if (n < 0 || (size_t)n >= sizeof(boundary))
		return -1;
	add_date(out, m->date);
	strbuf_addf(out, "From: %s\r\nTo: %s\r\n", m->from, m->to);
	add_subject(out, m->subject);
	if (m->msgid != NULL)
		strbuf_addf(out, "Message-ID: <%s>\r\n", m->msgid);
	else {
		crypto_random_hex(id, 16);
		strbuf_addf(out, "Message-ID: <%s@%s>\r\n", id,
		    strchr(m->from, '@') + 1);
	}
	strbuf_addstr(out, "MIME-Version: 1.0\r\n");
	if (m->html.len == 0) {
		add_part_headers(out, "plain");
		strbuf_addstr(out, "Auto-Submitted: auto-generated\r\n\r\n");
		add_body(out, m->body);
		return 0;
	}
	strbuf_addf(out, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"%s\"\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n", boundary);
	add_part(out, boundary, "plain", m->body);
	add_part(out, boundary, "html", m->html);
	strbuf_addf(out, "--%s--\r\n", boundary);
	return 0;
}

int
mail_job_msgid(char *buf, size_t size, int64_t job_id, int64_t tenant,
    const char *from)
{
	int n;

	if (!mail_addr_ok(from))
		return -1;
	n = snprintf(buf, size, "job-%lld.%lld@%s", (long long)job_id,
	    (long long)tenant, strchr(from, '@') + 1);
	if (n < 0 || (size_t)n >= size || !mail_addr_ok(buf))
		return -1;
	return 0;
}

struct source {
	const char	*p;
	size_t		 left;
};

static size_t
source_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct source	*s = arg;
	size_t		 n = size * nitems;

	if (n > s->left)
		n = s->left;
	memcpy(buf, s->p, n);
	s->p += n;
	s->left -= n;
	return n;
}

int
mail_send(const struct mail_server *srv, const char *from, const char *to,
    const char *msg, size_t len, char *err, size_t errlen)
{
	static int		 inited;
	struct curl_slist	*rcpt = NULL;
	struct source		 src = { msg, len };
	char			 ebuf[CURL_ERROR_SIZE] = "", addr[300];
	CURL			*c;
	CURLcode		 rc;
	long			 code = 0;
	int			 ret = -1, n;

	if (!mail_addr_ok(from) || !mail_addr_ok(to)) {
		str_errf(err, errlen, "invalid address");
		return -1;
	}
	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			str_errf(err, errlen, "curl_global_init failed");
			return -1;
		}
		inited = 1;
	}
	if ((c = curl_easy_init()) == NULL) {
		str_errf(err, errlen, "curl_easy_init failed");
		return -1;
	}
	/* Addresses are checked: no '<', '>' or blanks to break out. */
	n = snprintf(addr, sizeof(addr), "<%s>", to);
	if (n < 0 || (size_t)n >= sizeof(addr) ||
	    (rcpt = curl_slist_append(NULL, addr)) == NULL ||
	    (n = snprintf(addr, sizeof(addr), "<%s>", from)) < 0 ||
	    (size_t)n >= sizeof(addr)) {
		str_errf(err, errlen, "cannot build the envelope");
		goto out;
	}
	curl_easy_setopt(c, CURLOPT_URL, srv->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	if (srv->user != NULL && srv->user[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, srv->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, srv->password ?
		    srv->password : "");
	}
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, source_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &src);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, srv->timeout > 0 ? srv->timeout :
	    (long)MAIL_TIMEOUT_SECS);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK) {
		str_errf(err, errlen, "smtp %s: %s (%ld)", srv->url,
		    ebuf[0] ? ebuf : curl_easy_strerror(rc), code);
		goto out;
	}
	ret = 0;
out:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return ret;
}
