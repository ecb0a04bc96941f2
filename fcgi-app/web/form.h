/*
 * form.h: the input contract of a route. A route declares the fields
 * it reads (name, type, bounds, where they come from) in a static table;
 * page_route() checks the request against it before the handler runs,
 * and the handler reads typed values with form_text(), form_i64(), ...
 * from w->form, never the raw request. Models: kcgi's struct kvalid,
 * OpenBSD bgplgd's qsargs[].
 *
 * Lengths are characters (Unicode code points, str_chars()), never
 * bytes: "at most 200 characters" means 200 kanji too. Text is checked
 * to be valid UTF-8 without control characters (str_valid_text()) and
 * trimmed of ASCII white space (but passwords).
 *
 * The validators are pure: they read the request's parsed fields and
 * write struct form, nothing else (no I/O, no allocation), so a unit
 * test and a fuzzer call them alone. Values are views into the request
 * (its arena); names are the table's strings or the request's keys. A
 * struct form owns nothing.
 *
 * What a failed field becomes is page_route()'s choice (page.h): a bad
 * route parameter is a 404 (that page cannot exist), a bad query field
 * a 400, a bad form field a 422 (or the handler's own form again, with
 * the message beside the field, when its route says so).
 */
#ifndef SOUK_WEB_FORM_H
#define SOUK_WEB_FORM_H

#include <stdint.h>

#include "core/field.h"
#include "core/str.h"

struct req;

enum field_type {
	FIELD_TEXT,	/* text, trimmed; min..max characters */
	FIELD_PASSWORD,	/* text as sent (not trimmed); min..max characters */
	FIELD_INT,	/* a decimal integer in [min, max] */
	FIELD_ID,	/* a row id: an integer in [1, INT64_MAX] */
	FIELD_MONEY,	/* an amount as typed ("12.50"): digits and at most one
			   '.' or ','; at most max characters. The domain reads
			   it in the currency's minor unit (money_parse()). */
	FIELD_SLUG,	/* a-z, 0-9 and '-', not first; min..max characters */
	FIELD_BOOL,	/* a checkbox: present or not, any value */
	FIELD_EMAIL,	/* one '@' between non-empty parts, no white space;
			   at most max characters */
	FIELD_LANG,	/* a language code: 2 to 8 of a-z, '-' after two */
	FIELD_CURRENCY,	/* ISO 4217: three letters A-Z */
	FIELD_ENUM,	/* one of choices[]; form_i64() is its index */
	FIELD__MAX
};

enum field_flags {
	FIELD_REQUIRED	= 1 << 0,	/* absent or empty is an error */
	FIELD_QUERY	= 1 << 1,	/* from the query string */
	FIELD_PARAM	= 1 << 2,	/* a route parameter (":slug") */
	FIELD_MULTI	= 1 << 3,	/* sent many times (checkboxes) */
	FIELD_ASCII	= 1 << 4,	/* printable ASCII only: the value is
					   compared with an ASCII column */
	FIELD_PREFIX	= 1 << 5,	/* name is a prefix: every field that
					   starts with it (name_en, name_ja) */
};

/* One declared field. Without FIELD_QUERY or FIELD_PARAM it comes from
 * the form (urlencoded or multipart text). A table ends with an entry
 * whose name is NULL. */
struct field {
	const char		*name;
	enum field_type		 type;
	int64_t			 min, max;	/* characters, or the number */
	unsigned		 flags;		/* enum field_flags */
	const char		*msgid;		/* N_(): shown when it fails;
						   NULL: form_msgid()'s own */
	const char *const	*choices;	/* FIELD_ENUM: NULL-terminated */
};

enum form_err {
	FORM_OK = 0,
	FORM_EMISSING,	/* required, and absent or empty */
	FORM_ETEXT,	/* not UTF-8 text, or a control character */
	FORM_EASCII,	/* not printable ASCII under FIELD_ASCII */
	FORM_ELENGTH,	/* fewer than min or more than max characters */
	FORM_ESYNTAX,	/* not of its type's form */
	FORM_ERANGE,	/* a number outside [min, max] */
	FORM_ECOUNT,	/* more values than the form can hold */
};

struct form_value {
	const struct field	*f;
	const char		*name;	/* as sent: "name_ja" */
	struct str		 s;	/* the text (trimmed, when it is) */
	int64_t			 i;	/* INT, ID: the number; ENUM: the
					   index; BOOL: 1 */
};

#define FORM_MAX_VALUES	512	/* the variant editor: 8 fields a variant */

struct form {
	const struct field	*fields;	/* NULL: no contract */
	struct form_value	 v[FORM_MAX_VALUES];
	size_t			 n;
	struct field_errors	 errs;		/* field: the name as sent */
	unsigned		 bad;		/* FIELD_QUERY, FIELD_PARAM or
						   1 << 31 (form): where errors
						   are */
};

#define FORM_BAD_BODY	(1u << 31)

/*
 * Checks one value raw (as decoded from the request) against f. On
 * FORM_OK fills out (out->s is a view into raw); else out is
 * undefined. An empty value (after trimming) is FORM_EMISSING; whether
 * that matters is form_validate()'s business.
 */
enum form_err	form_check(const struct field *f, struct str raw,
		    struct form_value *out);

/*
 * Checks r's fields against the table fields (NULL: nothing to check)
 * into fm, which it clears first. Fields the table does not declare are
 * ignored (csrf, submit buttons). Returns 0, or -1 when a field failed:
 * fm->errs holds one error per failed field (field: its name as sent,
 * msgid: the table's or form_msgid()'s), route parameters' first, then
 * the query's, then the body's; fm->bad says where.
 */
int	form_validate(struct form *fm, const struct field *fields,
	    const struct req *r);

/* The msgid (N_(), untranslated) for a failure of f: f->msgid when set,
 * else a message for e and the field's type. */
const char	*form_msgid(const struct field *f, enum form_err e);

/*
 * Typed values of a validated form, by the name as sent. A name the
 * table does not declare, an absent field and a field that failed all
 * read as empty, 0 or false: a handler checks form_has() where absence
 * matters.
 */
int		form_has(const struct form *fm, const char *name);
struct str	form_text(const struct form *fm, const char *name);
int64_t		form_i64(const struct form *fm, const char *name);
int		form_bool(const struct form *fm, const char *name);

/* The values of a FIELD_MULTI field, in the order sent, into out (room
 * for max). Returns the count, or -1 when more than max were sent. */
int		form_all(const struct form *fm, const char *name,
		    struct str *out, size_t max);

/* Nonzero when fm has an error on the field name (as sent). */
int		form_failed(const struct form *fm, const char *name);

#endif
