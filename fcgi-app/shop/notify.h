/*
 * notify.h: a shop's transactional e-mail, the jobs of kind "shop.*"
 * (COMMON.md's contract) rendered into messages for souk-worker.
 *
 * A job names what it is about ({"order": 1001}, {"customer": 12}), not
 * what the mail says: notify_render() reads the order (shop/order.h),
 * the customer row, the shop's settings (bank details, the merchant's
 * address) and the tenant (name, colours, default language) when the
 * mail is sent, and writes it in the recipient's language: the order's
 * locale for the shopper's order mails, the customer's for account
 * mails, the shop's default for the merchant's "new order". Money is
 * core/money's, in the order's currency, for that language.
 *
 * The message is multipart/alternative (platform/mail.h): text and HTML
 * from the theme's templates mail/<kind>.txt and mail/<kind>.html (under
 * themes_dir/<theme>/templates/, the default theme's when the shop's
 * has none), rendered with core/tmpl from one view model; every text
 * string is translated in notify.c (the templates hold no words), the
 * HTML escapes every value ({{x}}), and the text templates print values
 * raw ({{{x}}}: text/plain is no HTML). Its Message-ID is the job's
 * (mail_job_msgid()), so a resent mail is recognisably the same.
 *
 * The templates are the worker's (struct notify), loaded at first use
 * and kept until notify_free(); a render allocates in ctx->a and the
 * caller's buffers only.
 */
#ifndef SOUK_SHOP_NOTIFY_H
#define SOUK_SHOP_NOTIFY_H

#include <stddef.h>
#include "core/strbuf.h"
#include "shop/ctx.h"

struct job;
struct tenant;
struct tmpl_set;

#define NOTIFY_ORDER_RECEIVED	"shop.order_received"
#define NOTIFY_ORDER_NEW	"shop.order_new"
#define NOTIFY_ORDER_PAID	"shop.order_paid"
#define NOTIFY_ORDER_SHIPPED	"shop.order_shipped"
#define NOTIFY_ORDER_CANCELLED	"shop.order_cancelled"
#define NOTIFY_ORDER_REFUNDED	"shop.order_refunded"	/* + "refund": id */
/* Returns (shop/rma.h): + "return": its id; a request's copy to the
 * merchant + "merchant": 1. */
#define NOTIFY_RETURN_REQUESTED	"shop.return_requested"
#define NOTIFY_RETURN_APPROVED	"shop.return_approved"
#define NOTIFY_RETURN_REFUSED	"shop.return_refused"
#define NOTIFY_RETURN_RECEIVED	"shop.return_received"
#define NOTIFY_ACCOUNT_CREATED	"shop.account_created"
#define NOTIFY_PASSWORD_RESET	"shop.password_reset"
#define NOTIFY_EMAIL_CHANGE	"shop.email_change"
/* An invitation to the staff (shop/staff_invite.h): "invite": its id,
 * "url": the link with its token. */
#define NOTIFY_STAFF_INVITE	"shop.staff_invite"

#define NOTIFY_THEMES		4	/* themes whose templates stay */
#define NOTIFY_TO_MAX		254

/* The worker's mail templates, one set per theme used. Zero it (or
 * NOTIFY_INIT) before the first render. */
struct notify {
	char			 theme[NOTIFY_THEMES][41];
	struct tmpl_set		*set[NOTIFY_THEMES];
	size_t			 n;
};
#define NOTIFY_INIT	{ { { 0 } }, { NULL }, 0 }

enum notify_result {
	NOTIFY_RETRY = -2,	/* the database failed: try later */
	NOTIFY_BURY = -1,	/* can never be sent (payload, order gone) */
	NOTIFY_NOT_MINE = 0,	/* not a shop.* kind notify knows */
	NOTIFY_OK = 1,		/* composed */
};

/* 1 when kind is one of the NOTIFY_ kinds above. */
int	notify_kind_known(const char *kind);

/*
 * Renders the mail of job (its tenant t, whose tables ctx names) from
 * from into msg (appended) and its recipient into to (NOTIFY_TO_MAX + 1
 * bytes). Switches the gettext language to the recipient's (the
 * caller's is not restored). NOTIFY_OK; NOTIFY_NOT_MINE; NOTIFY_BURY
 * with the reason (English, for the operator) in err: the payload is
 * unreadable, or names an order or customer this shop does not have,
 * or nobody to send it to; NOTIFY_RETRY with the reason in err.
 */
enum notify_result notify_render(struct notify *n, struct shop_ctx *ctx,
		    const struct tenant *t, const struct job *job,
		    const char *from, struct strbuf *msg, char *to,
		    char *err, size_t errlen);

/*
 * The same view as notify_render() without the message around it: the
 * subject, the text and the HTML of the mail into the caller's
 * buffers, for tests and previews. Same results.
 */
enum notify_result notify_parts(struct notify *n, struct shop_ctx *ctx,
		    const struct tenant *t, const struct job *job,
		    struct strbuf *subject, struct strbuf *text,
		    struct strbuf *html, char *to, char *err, size_t errlen);

/* Frees the templates; n may be used again (they reload). */
void	notify_free(struct notify *n);

#endif
