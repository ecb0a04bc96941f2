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

	/* Refused addresses leave the buffer alone. */
	strbuf_reset(&sb);
	m.to = "x@y.test\nBcc: z@y.test";
	TEST_CHECK(mail_compose(&sb, &m) == -1 && sb.len == 0);
	strbuf_release(&sb);
	return test_done();
}
