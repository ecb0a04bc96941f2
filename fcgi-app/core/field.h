/*
 * field.h: errors that concern one field of a form, shared by the
 * layers that find them (web/form.c's validators, shop/ and platform/
 * domain checks) and web/, which shows them translated beside the field
 * (or, for the API, as JSON).
 *
 * An error holds the field's name and an untranslated msgid (marked
 * with N_()). Neither is a copy: msgids are string literals, names are
 * literals, a field table's or the request's keys (in its arena), so a
 * struct field_errors owns nothing, may live on the stack, and is good
 * until the request's arena is reset.
 */
#ifndef SOUK_CORE_FIELD_H
#define SOUK_CORE_FIELD_H

#include <stddef.h>

struct field_error {
	const char	*field;		/* the form field's name: "price" */
	const char	*msgid;		/* untranslated: web/ calls _() */
};

struct field_errors {
	struct field_error v[16];
	size_t		   n;
};

/* Adds an error; past 16 the rest are dropped (one per field is shown,
 * and no form has that many). */
static inline void
field_errors_add(struct field_errors *e, const char *field,
    const char *msgid)
{
	if (e->n < sizeof(e->v) / sizeof(e->v[0])) {
		e->v[e->n].field = field;
		e->v[e->n].msgid = msgid;
		e->n++;
	}
}

#endif
