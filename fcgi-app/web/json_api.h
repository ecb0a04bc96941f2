/*
 * json_api.h: what souk's JSON APIs share: the shop's
 * WooCommerce-compatible API under /wp-json/ and the platform's tenant
 * API under /api/v1/ answer and read JSON the same way.
 *
 * Answers are never stored by the cache in front of souk
 * (Cache-Control: no-store, X-Accel-Expires: 0): what they hold depends
 * on who asks. Errors have WooCommerce's shape, which the tenant API
 * shares:
 *
 *	{"code": "woocommerce_rest_...", "message": "...",
 *	 "data": {"status": 404}}
 *
 * The body a handler gives json_api_send() is the caller's until the
 * call, which releases it (json_object_put) whatever happens.
 */
#ifndef SOUK_WEB_JSON_API_H
#define SOUK_WEB_JSON_API_H

#include <json-c/json.h>

#include "web/page.h"

/* The largest request body read, in bytes (nginx's client_max_body_size
 * is larger: uploads), and the deepest nesting of its arrays and
 * objects. */
#define JSON_API_BODY_MAX	(1024 * 1024)
#define JSON_API_DEPTH_MAX	16

/* Sends body (an object or array) with status; releases body. Returns
 * what resp_send() returns. */
int	json_api_send(struct web *w, int status, json_object *body);

/* Sends text, a JSON value, with status. */
int	json_api_send_text(struct web *w, int status, struct str text);

/* Sends the JSON array of the n texts of items (each a JSON value;
 * NULL ones left out) with status. */
int	json_api_send_array(struct web *w, int status,
	    const struct str *items, size_t n);

/* Sends the error {"code", "message", "data": {"status"}}; message is
 * shown to a developer as is (callers pass it through gettext). */
int	json_api_error(struct web *w, int status, const char *code,
	    const char *message);

/*
 * The request's body as JSON into *out (the caller's, json_object_put()
 * it): 0, or -1 when it answered the error itself: a body that is not
 * JSON, nested deeper than JSON_API_DEPTH_MAX, larger than
 * JSON_API_BODY_MAX (413), or whose top level is not an object when
 * want_object (400, with invalid_code as the code). An empty body is
 * an empty object.
 */
int	json_api_body(struct web *w, int want_object,
	    const char *invalid_code, json_object **out);

#endif
