/*
 * mail.h: one e-mail message, composed and sent over SMTP.
 *
 * mail_compose() writes a complete RFC 5322 message: Date (RFC 5322
 * form, UTC, English names whatever the locale), From, To, Subject
 * (plain when it is short printable ASCII, else RFC 2047 encoded-words
 * of UTF-8, cut between characters and folded), a Message-ID (the
 * caller's, or a random one at the sender's domain), MIME-Version and
 * Auto-Submitted: auto-generated (RFC 3834: no auto-replies). The body
 * is text/plain; charset=UTF-8, Content-Transfer-Encoding
 * quoted-printable (readable, 7-bit clean, lines of at most 76
 * characters, CRLF line ends); with an HTML version too, the message is
 * multipart/alternative (RFC 2046 5.1.4): the text part first, then the
 * HTML part, both UTF-8 quoted-printable, between a random boundary
 * that starts "=_": quoted-printable never writes '=' followed by '_',
 * so no part can contain the boundary, whatever its text. The
 * addresses must be bare addr-specs (local@domain, printable ASCII, no
 * specials), and so must a Message-ID: nothing a caller passes can add
 * a header, a recipient or a part.
 *
 * A Message-ID chosen by the caller makes a message sent twice
 * recognisable as one (RFC 5322 3.6.4: the same message, the same id):
 * the queue gives each job's mail mail_job_msgid(), so a retry after a
 * lost reply (README, "E-mail") repeats the id, and receivers that
 * drop duplicates by Message-ID drop it.
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
#include <stdint.h>
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
	struct str	 html;		/* UTF-8 HTML; len 0: text */
	const char	*msgid;		/* addr-spec without <>, NULL:
					 * random at from's domain */
	time_t		 date;		/* 0: now */
};

/* 1 when addr is an addr-spec mail_compose() accepts, else 0. */
int	mail_addr_ok(const char *addr);

/*
 * Appends the message m to out. Returns 0, or -1 when an address or the
 * Message-ID is not acceptable (out is then unchanged). Line breaks in
 * the subject become spaces. Reads no configuration.
 */
int	mail_compose(struct strbuf *out, const struct mail *m);

/*
 * Writes the Message-ID of the mail of job job_id of shop tenant (0:
 * the platform) sent from from into buf (size bytes; MAIL_MSGID_MAX is
 * enough): "job-42.7@souk.example". Stable: the same job always gets
 * the same id. Returns 0, or -1 when from is not an addr-spec or buf
 * is too small.
 */
#define MAIL_MSGID_MAX	300
int	mail_job_msgid(char *buf, size_t size, int64_t job_id,
	    int64_t tenant, const char *from);

/* The server and credentials mail_send() uses; user NULL: no AUTH. */
struct mail_server {
	const char	*url;		/* smtp://127.0.0.1:2525 */
	const char	*user;
	const char	*password;
	long		 timeout;	/* seconds; 0: MAIL_TIMEOUT_SECS */
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
