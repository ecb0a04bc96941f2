/*
 * wc_auth.h: who calls the shop's WooCommerce-compatible API, the ways
 * WooCommerce accepts (class-wc-rest-authentication.php):
 *
 *  - HTTP Basic: the consumer key as user, the secret as password (the
 *    Authorization header; FastCGI gives it as HTTP_AUTHORIZATION);
 *  - the query parameters consumer_key and consumer_secret;
 *  - OAuth 1.0a one-legged: oauth_consumer_key, oauth_timestamp,
 *    oauth_nonce, oauth_signature_method (HMAC-SHA1 or HMAC-SHA256) and
 *    oauth_signature in the query or an "Authorization: OAuth" header,
 *    signed over core/oauth.h's base string; the timestamp within
 *    WC_AUTH_WINDOW seconds of ours, the nonce never seen for the key
 *    within that window (shop/api_key.h stores them).
 *
 * WooCommerce takes Basic and query credentials over https only and
 * OAuth over http only; souk takes all three on both, since production
 * runs behind nginx's TLS and the official client signs over http.
 * Secrets are compared in constant time (crypto_eq).
 *
 * Then the key's permission against the method (a read key may only
 * GET), then its rate limit (core/ratelimit.h; souk.conf
 * api_rate_limit requests per api_rate_window seconds, 100 per 900 by
 * default), whose X-RateLimit-* headers go on every answer to a key.
 * Every refusal is WooCommerce's 401 JSON (429 for the limit).
 */
#ifndef SOUK_WEB_WC_AUTH_H
#define SOUK_WEB_WC_AUTH_H

#include "shop/api_key.h"
#include "web/page.h"

#define WC_AUTH_WINDOW		(15 * 60)	/* seconds */

/*
 * Authenticates the request and checks the key's permission and rate
 * limit. 0 with *key set (lives in the request's arena); -1 when it
 * answered (401, 429, 503).
 */
int	wc_auth_check(struct web *w, struct api_key *key);

#endif
