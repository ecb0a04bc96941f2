/*
 * webhook.c: the Stripe webhook endpoint (webhook.h).
 */
#include "core/common.h"

#include <time.h>
#include "core/log.h"
#include "platform/stripe.h"
#include "shop/card.h"
#include "web/page.h"
#include "web/webhook.h"

static int
answer(struct web *w, int status, const char *text)
{
	resp_status(w->r, status);
	resp_header(w->r, "Content-Type", "text/plain; charset=utf-8");
	resp_header(w->r, "Cache-Control", "no-store");
	strbuf_addstr(w->r->out, text);
	return resp_send(w->r);
}

int
webhook_stripe(struct web *w)
{
	const char	*sig;

	if (w->r->method != HTTP_POST) {
		resp_header(w->r, "Allow", "POST");
		return answer(w, 405, "POST only\n");
	}
	if (w->r->body.len > STRIPE_EVENT_MAX)
		return answer(w, 413, "too large\n");
	sig = req_header(w->r, "Stripe-Signature");
	if (sig == NULL || w->r->body.len == 0)
		return answer(w, 400, "no signature\n");
	switch (card_webhook(&w->shop, w->r->body, str_c(sig),
	    (int64_t)time(NULL))) {
	case CARD_WH_OK:
		return answer(w, 200, "ok\n");
	case CARD_WH_BAD:
		return answer(w, 400, "refused\n");
	default:
		w->retry_after = 60;
		return answer(w, 503, "try again later\n");
	}
}
