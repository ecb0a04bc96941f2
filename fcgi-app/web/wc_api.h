/*
 * wc_api.h: the shop's WooCommerce-compatible API under /wp-json/ on
 * the shop's host (issue 12): the indexes, the route tables of its
 * resources, and what every list shares (paging and its headers).
 *
 * wc_api_dispatch() answers /wp-json/ (WordPress's index, naming the
 * wc/v3 namespace only) and /wp-json/wc/v3 (the namespace's index:
 * the routes souk serves, in WordPress's shape), then finds the route
 * of /wp-json/wc/v3/... in the resources' tables (one per web/ module:
 * wc_products.c's first; later modules add theirs to the list in
 * wc_api.c). Credentials, when the request has any, are checked
 * first (wc_auth.h: key, rate limit, permission), as WooCommerce does;
 * then no route for the path or its method is 404 rest_no_route, as
 * WordPress answers both; a request without credentials that found
 * its route gets WordPress's 401. Then the handler, which answers
 * JSON (json_api.h) and returns 0.
 *
 * The ?rest_route=/wc/v3/... form WordPress accepts without pretty
 * links is served too: web.c sends "/" with rest_route here.
 *
 * No session, no CSRF, no cookies: each request carries its key.
 */
#ifndef SOUK_WEB_WC_API_H
#define SOUK_WEB_WC_API_H

#include <stdint.h>
#include "http/router.h"
#include "web/page.h"

#define WC_API_PREFIX		"/wp-json"
#define WC_API_NS		"/wp-json/wc/v3"
#define WC_API_PER_PAGE		10	/* default */
#define WC_API_PER_PAGE_MAX	100

/* Nonzero when the request is the API's (the path, or "/" with a
 * rest_route query parameter). */
int	wc_api_is_path(const struct req *r);

/* Answers the request (see above). Returns what resp_send() returns. */
int	wc_api_dispatch(struct web *w);

struct wc_paging {
	int64_t		page;		/* >= 1 */
	int64_t		per_page;	/* 1..100 */
	int64_t		offset;		/* rows skipped: offset, or
					   (page - 1) * per_page */
};

/*
 * Reads page, per_page and offset from the query into *pg. 0, or -1
 * when it answered 400 rest_invalid_param (WordPress's shape: data
 * holds "params" with a message per parameter).
 */
int	wc_api_paging(struct web *w, struct wc_paging *pg);

/* X-WP-Total, X-WP-TotalPages and Link (rel="prev"/"next", with the
 * request's other parameters kept, credentials left out). */
void	wc_api_page_headers(struct web *w, const struct wc_paging *pg,
	    int64_t total);

/* 400 rest_invalid_param for parameter name with message msg (already
 * translated). Returns -1. */
int	wc_api_invalid_param(struct web *w, const char *name, const char *msg);

/* "scheme://host[:port]" as the client addressed the shop (nginx's
 * SOUK_HOST: the Host header with its port), what links and signed
 * URLs start with; in the request's arena. */
const char *wc_api_origin(struct web *w);

/* A route's :id as a positive integer, or 0 when it is not one. */
int64_t	wc_api_id(struct req *r, const char *name);

/* The key the request being answered came with (its description
 * names who made a change in an order's history); NULL outside a
 * handler. */
struct api_key;
const struct api_key *wc_api_key(void);

/* A batch item's error in WooCommerce's shape ({"id", "error": {"code",
 * "message", "data": {"status"}}}), for the item's place in the
 * answer's create, update or delete array. */
json_object	*wc_api_item_error(int64_t id, int status, const char *code,
		    const char *message);

/* A batch body's arrays, in the order WooCommerce runs them. */
#define WC_API_BATCH_MAX	100	/* items of all three, WooCommerce's */
extern const char *const wc_api_batch_keys[3];	/* create, update, delete */

/*
 * Reads body's create, update and delete arrays into arr and their
 * lengths into n (NULL and 0 when absent). 0, or -1 when it answered
 * (400: one is not an array; 413: more than WC_API_BATCH_MAX items in
 * all) and released body.
 */
int	wc_api_batch_arrays(struct web *w, json_object *body,
	    json_object *arr[3], size_t n[3]);

/* The id of a batch's update or delete item (3, "3" or {"id": 3}): > 0,
 * or 0 when it has none. */
int64_t	wc_api_item_id(json_object *e);

/*
 * One item of a batch answered as its own request, as WordPress runs a
 * batch (rest_do_request() an item): handler fn gets a request made
 * from w's with method m, the route's parameter idname (":id",
 * ":term_id") set to id when > 0, the batch route's own parameters kept
 * (a term's attribute), and the item as its body (NULL: none); its answer is kept, not sent. Returns
 * the answer's JSON for the batch's array (the caller's): the object
 * answered, or for an error {"id", "error": {...}}. at names the item
 * ("create[2]") for wc_api_batch_item() while fn runs.
 */
json_object	*wc_api_batch_run(struct web *w, int (*fn)(struct req *),
		    enum http_method m, const char *idname, int64_t id,
		    json_object *item, const char *at);

/*
 * Answers a batch whose items were all checked: runs each item of arr
 * (from wc_api_batch_arrays()) through wc_api_batch_run() with fns'
 * create (POST), update (PUT) and delete (DELETE), the item's id under
 * idname, and sends {"create": [...], "update": [...], "delete":
 * [...]} (only the arrays the body had).
 */
int	wc_api_batch_send(struct web *w, json_object *const arr[3],
	    const size_t n[3], int (*const fns[3])(struct req *),
	    const char *idname);

/* The batch item being answered ("create[2]"), or NULL outside
 * wc_api_batch_run(): what makes an Idempotency-Key one item's. */
const char	*wc_api_batch_item(void);

/* A resource's table, for the dispatch list in wc_api.c. */
extern const struct route	wc_products_routes[];
extern const size_t		wc_products_nroutes;
/* The other resources' tables. */
extern const struct route	wc_coupons_routes[];
extern const size_t		wc_coupons_nroutes;
extern const struct route	wc_webhooks_routes[];
extern const size_t		wc_webhooks_nroutes;
extern const struct route	wc_reports_routes[];
extern const size_t		wc_reports_nroutes;
extern const struct route	wc_orders_routes[];
extern const size_t		wc_orders_nroutes;
extern const struct route	wc_customers_routes[];
extern const size_t		wc_customers_nroutes;
extern const struct route	wc_variations_routes[];
extern const size_t		wc_variations_nroutes;
extern const struct route	wc_taxonomy_routes[];
extern const size_t		wc_taxonomy_nroutes;

#endif
