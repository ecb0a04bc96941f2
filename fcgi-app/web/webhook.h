/*
 * webhook.h: POST /_stripe/webhook on a shop's host, where the shop's
 * Stripe account sends its events (shop/card.h acts on them).
 *
 * Served before the storefront's routes: no session, no CSRF token
 * (Stripe has neither; the signature is the proof), never cached. The
 * body is read raw and capped at STRIPE_EVENT_MAX (413). Answers, in
 * plain text, are what Stripe acts on: 200 handled or nothing to do;
 * 400 a signature that does not verify, an old timestamp or a body
 * that is no event (nothing changed); 503 the database failed (Stripe
 * delivers it again). An unknown host is web.c's 404.
 */
#ifndef SOUK_WEB_WEBHOOK_H
#define SOUK_WEB_WEBHOOK_H

struct web;

#define WEBHOOK_STRIPE_PATH	"/_stripe/webhook"

/* Answers the request of w (the tenant resolved). Returns 0 once sent,
 * as a handler does. */
int	webhook_stripe(struct web *w);

#endif
