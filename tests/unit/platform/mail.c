/*
 * tests/unit/platform/mail.c: composing messages (headers, the encoded
 * subject, quoted-printable body) and refusing addresses that could add
 * a header or a recipient. Sending is tested over the whole stack
 * (tests/http/test_signup.py, through tests/smtp_server.py).
 */
#include "core/common.h"
#include "core/crypto.h"
#include "platform/mail.h"
#include "test.h"

static int
has(const struct strbuf *sb, const char *s)
{
	return strstr(sb->buf, s) != NULL;
}

int
main(void)
{
	struct strbuf	sb = STRBUF_INIT;
	struct mail	m;

	TEST_CHECK(crypto_init() == 0);
	TEST_CHECK(mail_addr_ok("anna@bakery.test"));
	TEST_CHECK(mail_addr_ok("noreply@localhost"));
	TEST_CHECK(!mail_addr_ok("anna@bakery.test\r\nBcc: x@y.test"));
	TEST_CHECK(!mail_addr_ok("a b@x.test"));
	TEST_CHECK(!mail_addr_ok("<a@x.test>"));
	TEST_CHECK(!mail_addr_ok("a@x.test,b@y.test"));
	TEST_CHECK(!mail_addr_ok("a@b@c"));
	TEST_CHECK(!mail_addr_ok("@x.test"));
	TEST_CHECK(!mail_addr_ok("caf\xc3\xa9@x.test"));

	memset(&m, 0, sizeof(m));
	m.from = "noreply@souk.example";
	m.to = "anna@bakery.test";
	m.subject = STR("Confirm your e-mail address");
	m.body = STR("Hello,\n\nA=B, trailing \nhttp://x.test/"
	    "signup/confirm/0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef\n");
	m.date = 1796083200;	/* 2026-12-01 00:00:00 UTC, a Tuesday */
	TEST_CHECK(mail_compose(&sb, &m) == 0);
	TEST_CHECK(has(&sb, "Date: Tue, 01 Dec 2026 00:00:00 +0000\r\n"));
	TEST_CHECK(has(&sb, "\r\nFrom: noreply@souk.example\r\n"
	    "To: anna@bakery.test\r\nSubject: Confirm your e-mail address\r\n"
	    "Message-ID: <"));
	TEST_CHECK(has(&sb, "@souk.example>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\nHello,\r\n\r\n"));
	TEST_CHECK(has(&sb, "A=3DB, trailing=20\r\n"));
	/* The 105-character link is cut with a soft line break. */
	TEST_CHECK(has(&sb, "=\r\n"));

	/* Non-ASCII subject: B encoded-words cut between characters. */
	strbuf_reset(&sb);
	m.subject = STR("Bestätigen Sie Ihre E-Mail-Adresse, um Ihren Shop "
	    "zu eröffnen");
	TEST_CHECK(mail_compose(&sb, &m) == 0);
	TEST_CHECK(has(&sb, "Subject: =?UTF-8?B?QmVzdMOkdGlnZW4gU2llIElocm"
	    "UgRS1NYWlsLUFkcmVzc2UsIHVtIElocmVu?=\r\n =?UTF-8?B?IFNob3Ag"
	    "enUgZXLDtmZmbmVu?=\r\n"));
	strbuf_reset(&sb);
	/* 15 three-byte characters: 45 bytes, exactly one word. */
	m.subject = STR("ああああああああああああああああ");
	TEST_CHECK(mail_compose(&sb, &m) == 0);
	TEST_CHECK(has(&sb, "Subject: =?UTF-8?B?"));
	TEST_CHECK(has(&sb, "?=\r\n =?UTF-8?B?44GC?=\r\n"));

	/* A line break in the subject cannot start a header. */
	strbuf_reset(&sb);
	m.subject = STR("Hi\r\nBcc: all@x.test");
	TEST_CHECK(mail_compose(&sb, &m) == 0);
	TEST_CHECK(!has(&sb, "\nBcc:"));

	/* The caller's Message-ID, stable per job. */
	{
		char id[MAIL_MSGID_MAX];

		TEST_CHECK(mail_job_msgid(id, sizeof(id), 42, 7,
		    "noreply@souk.example") == 0);
		TEST_CHECK(strcmp(id, "job-42.7@souk.example") == 0);
		TEST_CHECK(mail_job_msgid(id, 10, 42, 7,
		    "noreply@souk.example") == -1);
		TEST_CHECK(mail_job_msgid(id, sizeof(id), 42, 7, "x") == -1);
		strbuf_reset(&sb);
		m.subject = STR("Hi");
		m.msgid = "job-42.7@souk.example";
		TEST_CHECK(mail_compose(&sb, &m) == 0);
		TEST_CHECK(has(&sb, "\r\nMessage-ID: <job-42.7@souk.example>"
		    "\r\n"));
		strbuf_reset(&sb);
		m.msgid = "x@y>\r\nBcc: z@y.test";
		TEST_CHECK(mail_compose(&sb, &m) == -1 && sb.len == 0);
		m.msgid = NULL;
	}

	/* Text and HTML: multipart/alternative, both quoted-printable,
	 * the boundary in none of the parts. */
	{
		const char	*b, *e;
		char		 bnd[80], delim[90];
		size_t		 n, count = 0;

		strbuf_reset(&sb);
		m.body = STR("Grüße aus Köln\n--=_souk_ in the text\n");
		m.html = STR("<p style=\"color:#123456\">Grüße</p>\n"
		    "<p>=_souk_ --</p>\n");
		TEST_CHECK(mail_compose(&sb, &m) == 0);
		TEST_CHECK(has(&sb, "MIME-Version: 1.0\r\nContent-Type: "
		    "multipart/alternative;\r\n boundary=\"=_souk_"));
		b = strstr(sb.buf, "boundary=\"");
		TEST_CHECK(b != NULL);
		b += strlen("boundary=\"");
		e = strchr(b, '"');
		n = (size_t)(e - b);
		TEST_CHECK(n == 7 + 24);
		memcpy(bnd, b, n);
		bnd[n] = '\0';
		TEST_CHECK(snprintf(delim, sizeof(delim), "\r\n--%s", bnd) > 0);
		for (b = sb.buf; (b = strstr(b, delim)) != NULL; b++)
			count++;
		/* two parts, then the close delimiter */
		TEST_CHECK(count == 3);
		TEST_CHECK(has(&sb, "Content-Type: text/plain; charset=UTF-8"
		    "\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
		    "Gr=C3=BC=C3=9Fe aus K=C3=B6ln\r\n--=3D_souk_ in the "
		    "text\r\n"));
		TEST_CHECK(has(&sb, "Content-Type: text/html; charset=UTF-8"
		    "\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
		    "<p style=3D\"color:#123456\">Gr=C3=BC=C3=9Fe</p>\r\n"));
		TEST_CHECK(snprintf(delim, sizeof(delim), "\r\n--%s--\r\n",
		    bnd) > 0);
		TEST_CHECK(sb.len > strlen(delim) && strcmp(sb.buf + sb.len -
		    strlen(delim), delim) == 0);
		TEST_CHECK(strstr(sb.buf, "Auto-Submitted: auto-generated") !=
		    NULL);
		/* An empty text part is still a part with an empty body. */
		strbuf_reset(&sb);
		m.body = STR("");
		TEST_CHECK(mail_compose(&sb, &m) == 0);
		TEST_CHECK(has(&sb, "quoted-printable\r\n\r\n\r\n--=_souk_"));
		m.html = STR("");
		m.body = STR("x\n");
	}

	/* Refused addresses leave the buffer alone. */
	strbuf_reset(&sb);
	m.to = "x@y.test\nBcc: z@y.test";
	TEST_CHECK(mail_compose(&sb, &m) == -1 && sb.len == 0);
	strbuf_release(&sb);
	return test_done();
}
