/*
 * wc_webhook.h: a shop's WooCommerce webhooks (issue 12, point 4), rows
 * of {p}wc_webhooks (sql/shop/014): a topic ("order.created") delivered
 * as WooCommerce delivers it to a merchant's URL, by souk-worker. Not
 * web/webhook.h, which is Stripe's webhook coming in.
 *
 * Firing: where an order or a customer is written, the writer calls
 * wc_webhook_fire() inside its transaction: one INSERT queues a job
 * (platform/jobs.h, kind WC_WEBHOOK_JOB_KIND) for every active webhook
 * of the topic, so the jobs commit or roll back with the write. Which
 * topics a shop has active webhooks for is cached per worker (core/
 * cache.h, bumped by every change here): a shop without webhooks pays
 * no round trip on its order path. NEEDSWORK: souk-worker and soukctl
 * (which change orders too: card reconciliation) do not share the
 * pool's generations, so they may miss a webhook added in the last
 * minute (the cache's lifetime); one paused or deleted is never fired,
 * since the INSERT itself asks for active ones.
 *
 * Delivery (wc_webhook_deliver(), souk-worker): the resource's JSON as
 * of delivery (shop/wc_json.h; as WooCommerce builds it when its queue
 * runs), POSTed with WooCommerce's X-WC-Webhook-* headers and its
 * signature, base64(HMAC-SHA256(body, secret)). The target is checked
 * as imported images are (platform/fetch.h) when saved and again when
 * connecting. A 2xx is success and clears the failure count; anything
 * else counts one failure and the job is retried with the queue's
 * growing delay; WC_WEBHOOK_MAX_FAILURES in a row disable the webhook,
 * with a note for the admin. The last WC_WEBHOOK_RECENT outcomes are
 * kept in the row.
 *
 * Secrets are stored sealed (core/secret.h) and never shown again.
 * Everything returned lives in ctx->a.
 */
#ifndef SOUK_SHOP_WC_WEBHOOK_H
#define SOUK_SHOP_WC_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>
#include "core/field.h"
#include "core/str.h"
#include "shop/ctx.h"

#define WC_WEBHOOK_JOB_KIND	"wc.webhook"
#define WC_WEBHOOK_NAME_MAX	200	/* characters */
#define WC_WEBHOOK_URL_MAX	1000	/* bytes, ASCII */
#define WC_WEBHOOK_SECRET_MAX	200	/* bytes */
#define WC_WEBHOOK_MAX_FAILURES	5	/* WooCommerce's */
#define WC_WEBHOOK_RECENT	10
#define WC_WEBHOOK_MAX		100	/* per shop */

enum wc_webhook_status {
	WC_WEBHOOK_ACTIVE = 0,
	WC_WEBHOOK_PAUSED,
	WC_WEBHOOK_DISABLED,
	WC_WEBHOOK__MAX
};

struct wc_webhook {
	int64_t			 id;
	struct str		 name;
	enum wc_webhook_status	 status;
	struct str		 topic;		/* "order.created" */
	struct str		 delivery_url;
	struct str		 api_version;	/* "wp_api_v3" */
	int64_t			 failures;	/* in a row */
	struct str		 note;		/* why disabled; English */
	struct str		 recent;	/* JSON array, newest first:
						 * {"at", "status", "ms",
						 * "error"} */
	struct str		 created_at;	/* UTC */
	struct str		 updated_at;
};

/* What the admin's form sends. secret empty: a new webhook gets a random
 * one, an edited one keeps its own. */
struct wc_webhook_in {
	struct str		 name;
	enum wc_webhook_status	 status;
	struct str		 topic;
	struct str		 delivery_url;
	struct str		 secret;
};

/* "active", ... and back; parse returns -1 for an unknown name. */
const char	*wc_webhook_status_name(enum wc_webhook_status s);
int		 wc_webhook_status_parse(struct str s,
		    enum wc_webhook_status *out);

/* The topics souk fires, in the admin's order; *n gets their count.
 * Static. */
const char *const *wc_webhook_topics(size_t *n);

/* Every webhook of the shop, newest first. SHOP_OK, SHOP_EDB. */
int	wc_webhook_list(struct shop_ctx *ctx, struct wc_webhook **out,
	    size_t *n);

/* One webhook. SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	wc_webhook_get(struct shop_ctx *ctx, int64_t id,
	    struct wc_webhook *out);

/*
 * Validates in and saves it as webhook *id (0: a new one, whose id *id
 * gets). The URL must be http(s) and reach no local or private address
 * (unless fetch_allow_private). Saving an active webhook clears its
 * failures. SHOP_OK; SHOP_EINVAL with errs ("name", "topic",
 * "delivery_url", "secret", "status"); SHOP_ENOTFOUND; SHOP_EDB.
 */
int	wc_webhook_save(struct shop_ctx *ctx, const struct wc_webhook_in *in,
	    int64_t *id, struct field_errors *errs);

/* wc_webhook_save()'s checks of in alone (the target resolved too),
 * adding to errs: the count added. For a batch checked whole first. */
int	wc_webhook_check(const struct wc_webhook_in *in,
	    struct field_errors *errs);

/* Sets the status alone (pause, activate: failures cleared).
 * SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	wc_webhook_set_status(struct shop_ctx *ctx, int64_t id,
	    enum wc_webhook_status s);

/* Deletes it (its queued deliveries are then buried by the worker).
 * SHOP_OK, SHOP_ENOTFOUND, SHOP_EDB. */
int	wc_webhook_delete(struct shop_ctx *ctx, int64_t id);

/*
 * Queues a delivery of resource id for each active webhook of topic
 * ("order.created"), in the caller's transaction: nothing at all when
 * the worker's cache says the shop has none. SHOP_OK, SHOP_EDB.
 */
int	wc_webhook_fire(struct shop_ctx *ctx, const char *topic, int64_t id);

/*
 * Delivers the job job_id's payload (what wc_webhook_fire() queued) for
 * the shop at source_url ("https://shop.example/"): 1 delivered, 0
 * failed (retry later; err says why), -1 never (the webhook is gone,
 * not active, or now disabled; err says why).
 */
int	wc_webhook_deliver(struct shop_ctx *ctx, const char *source_url,
	    int64_t job_id, struct str payload, char *err, size_t errlen);

/* The signature of body under secret: base64 of its HMAC-SHA256,
 * NUL-terminated, into out (at least 45 bytes). */
void	wc_webhook_sign(struct str body, struct str secret, char out[45]);

/* Forgets this worker's cached topics (tests). */
void	wc_webhook_cache_free(void);

#endif
