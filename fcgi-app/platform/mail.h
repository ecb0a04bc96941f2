/*
 * mail.h: one e-mail message, composed and sent over SMTP.
 *
 * mail_compose() writes a complete RFC 5322 message: Date (RFC 5322
 * form, UTC, English names whatever the locale), From, To, Subject
 * (plain when it is short printable ASCII, else RFC 2047 encoded-words
 * of UTF-8, cut between characters and folded), a random Message-ID at
 * the sender's domain, MIME-Version, Content-Type text/plain;
 * charset=UTF-8, Content-Transfer-Encoding quoted-printable (readable,
 * 7-bit clean, lines of at most 76 characters, CRLF line ends) and
 * Auto-Submitted: auto-generated (RFC 3834: no auto-replies). The
 * addresses must be bare addr-specs (local@domain, printable ASCII, no
 * specials): nothing a caller passes can add a header or a recipient.
 *
 * mail_send() hands a composed message to the SMTP server at url
 * (smtp://host:port, or smtps:// for TLS from the start; smtp:// uses
 * STARTTLS when the server offers it) with libcurl, which does the
 * dot-stuffing. Timeouts bound it (MAIL_TIMEOUT_SECS). Nothing here
 * retries: the queue does (platform/jobs.h).
 */
#ifndef SOUK_MAIL_H
#define SOUK_MAIL_H

#include <stddef.h>
#include <time.h>
#include "core/str.h"
#include "core/strbuf.h"

#define MAIL_TIMEOUT_SECS	30
#define MAIL_LINE_MAX		76	/* encoded body lines */

struct mail {
	const char	*from;		/* addr-spec: noreply@souk.example */
	const char	*to;		/* addr-spec */
	struct str	 subject;	/* UTF-8 text, no line breaks */
	struct str	 body;		/* UTF-8 text, lines end in \n */
	time_t		 date;		/* 0: now */
};

/* 1 when addr is an addr-spec mail_compose() accepts, else 0. */
int	mail_addr_ok(const char *addr);

/*
 * Appends the message m to out. Returns 0, or -1 when an address is not
 * acceptable (out is then unchanged). Line breaks in the subject become
 * spaces. Reads no configuration.
 */
int	mail_compose(struct strbuf *out, const struct mail *m);

/* The server and credentials mail_send() uses; user NULL: no AUTH. */
struct mail_server {
	const char	*url;		/* smtp://127.0.0.1:2525 */
	const char	*user;
	const char	*password;
};

/*
 * Sends the composed message msg (len bytes) from from to to through
 * srv. Returns 0 when the server accepted it, else -1 with the reason
 * (English, with the server's answer when there is one) in err.
 */
int	mail_send(const struct mail_server *srv, const char *from,
	    const char *to, const char *msg, size_t len, char *err,
	    size_t errlen);

#endif
