/* json_api.c: JSON answers and bodies of souk's APIs (json_api.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "web/json_api.h"

static void
headers(struct web *w, int status)
{
	resp_status(w->r, status);
	resp_header(w->r, "Content-Type", "application/json; charset=UTF-8");
	resp_header(w->r, "Cache-Control", "no-store");
	resp_header(w->r, "X-Accel-Expires", "0");
}

int
json_api_send_text(struct web *w, int status, struct str text)
{
	headers(w, status);
	strbuf_add(w->r->out, text.p, text.len);
	return resp_send(w->r);
}

int
json_api_send_array(struct web *w, int status, const struct str *items,
    size_t n)
{
	size_t	i;
	int	first = 1;

	headers(w, status);
	strbuf_addch(w->r->out, '[');
	for (i = 0; i < n; i++) {
		if (items[i].p == NULL)
			continue;
		if (!first)
			strbuf_addch(w->r->out, ',');
		strbuf_add(w->r->out, items[i].p, items[i].len);
		first = 0;
	}
	strbuf_addch(w->r->out, ']');
	return resp_send(w->r);
}

int
json_api_send(struct web *w, int status, json_object *body)
{
	const char	*s;
	size_t		 n;

	headers(w, status);
	s = json_object_to_json_string_length(body, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	strbuf_add(w->r->out, s, n);
	json_object_put(body);
	return resp_send(w->r);
}

int
json_api_error(struct web *w, int status, const char *code,
    const char *message)
{
	json_object *e = json_object_new_object(), *d;

	jset_cstr(e, "code", code);
	jset_cstr(e, "message", message);
	d = jset_obj(e, "data");
	jset_i64(d, "status", status);
	return json_api_send(w, status, e);
}

/* Only white space after the value at offset end. */
static int
trailing_space(struct str b, size_t end)
{
	for (; end < b.len; end++)
		if (b.p[end] != ' ' && b.p[end] != '\t' && b.p[end] != '\r' &&
		    b.p[end] != '\n')
			return 0;
	return 1;
}

int
json_api_body(struct web *w, int want_object, const char *invalid_code,
    json_object **out)
{
	struct json_tokener	*tok;
	struct str		 b = w->r->body;
	json_object		*o;

	*out = NULL;
	if (b.len > JSON_API_BODY_MAX) {
		(void)json_api_error(w, 413, "rest_request_too_large",
		    _("The request body is too large."));
		return -1;
	}
	if (b.len == 0) {
		*out = json_object_new_object();
		return 0;
	}
	tok = json_tokener_new_ex(JSON_API_DEPTH_MAX);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, b.p, (int)b.len);
	if (o != NULL && !trailing_space(b, json_tokener_get_parse_end(tok))) {
		json_object_put(o);
		o = NULL;
	}
	if (o == NULL && json_tokener_get_error(tok) == json_tokener_error_depth) {
		json_tokener_free(tok);
		(void)json_api_error(w, 400, "rest_invalid_json",
		    _("The JSON body is nested too deeply."));
		return -1;
	}
	json_tokener_free(tok);
	if (o == NULL) {
		(void)json_api_error(w, 400, "rest_invalid_json",
		    _("The body is not valid JSON."));
		return -1;
	}
	if (want_object && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		(void)json_api_error(w, 400, invalid_code,
		    _("The body must be a JSON object."));
		return -1;
	}
	*out = o;
	return 0;
}
