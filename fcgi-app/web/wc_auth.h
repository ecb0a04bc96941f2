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
 * As in WooCommerce, credentials are checked before the route is
 * looked up (a wrong key is a 401 on any path under /wp-json/wc/);
 * a request without any gets its 404 for an unknown route first, then
 * WordPress's 401 for the method. Then the key's rate limit, then its
 * permission against the method (a read key may only GET; a write
 * gets woocommerce_rest_cannot_create, _edit or _delete) (core/ratelimit.h; souk.conf
 * api_rate_limit requests per api_rate_window seconds, 100 per 900 by
 * the limit: api_rate_limit requests per api_rate_window seconds in
 * souk.conf, 100 per 900 by default, and its X-RateLimit-* headers go
 * on every answer to a key).
 * Every refusal is WooCommerce's 401 JSON (429 for the limit).
 */
#ifndef SOUK_WEB_WC_AUTH_H
#define SOUK_WEB_WC_AUTH_H

#include "shop/api_key.h"
#include "web/page.h"

#define WC_AUTH_WINDOW		(15 * 60)	/* seconds */

/* Nonzero when the request carries credentials of any kind. */
int	wc_auth_present(struct web *w);

/* WordPress's 401 for a request without credentials, by method
 * (woocommerce_rest_cannot_view, _create, _edit, _delete). Returns
 * what resp_send() returns. */
int	wc_auth_anonymous(struct web *w);

/*
 * Authenticates the request and checks the key's permission and rate
 * limit. 0 with *key set (lives in the request's arena); -1 when it
 * answered (401, 429, 503).
 */
int	wc_auth_check(struct web *w, struct api_key *key);

#endif
