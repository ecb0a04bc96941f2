/* form.c: a route's declared fields, checked by pure validators (form.h). */
#include "core/common.h"
#include "core/i18n.h"
#include "http/req.h"
#include "web/form.h"

static int
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* Characters of s in [min, max]; max 0 means no upper bound. */
static enum form_err
length_ok(const struct field *f, struct str s)
{
	size_t n = str_chars(s);

	if ((f->min > 0 && n < (uint64_t)f->min) ||
	    (f->max > 0 && n > (uint64_t)f->max))
		return FORM_ELENGTH;
	return FORM_OK;
}

static enum form_err
check_slug(const struct field *f, struct str s)
{
	size_t i;

	if (s.p[0] == '-')
		return FORM_ESYNTAX;
	for (i = 0; i < s.len; i++)
		if (!is_lower(s.p[i]) && !is_digit(s.p[i]) && s.p[i] != '-')
			return FORM_ESYNTAX;
	return length_ok(f, s);
}

static enum form_err
check_money(const struct field *f, struct str s)
{
	size_t	i, seps = 0, digits = 0;

	for (i = 0; i < s.len; i++) {
		if (is_digit(s.p[i]))
			digits++;
		else if ((s.p[i] == '.' || s.p[i] == ',') && seps++ == 0)
			continue;
		else
			return FORM_ESYNTAX;
	}
	if (digits == 0)
		return FORM_ESYNTAX;
	return length_ok(f, s);
}

static enum form_err
check_email(const struct field *f, struct str s)
{
	const char	*at = memchr(s.p, '@', s.len);
	size_t		 i;

	if (at == NULL || at == s.p || at == s.p + s.len - 1 ||
	    memchr(at + 1, '@', (size_t)(s.p + s.len - at - 1)) != NULL)
		return FORM_ESYNTAX;
	for (i = 0; i < s.len; i++)
		if (is_space(s.p[i]))
			return FORM_ESYNTAX;
	return length_ok(f, s);
}

static enum form_err
check_lang(struct str s)
{
	size_t i;

	if (s.len < 2 || s.len > 8)
		return FORM_ESYNTAX;
	for (i = 0; i < s.len; i++)
		if (!is_lower(s.p[i]) && !(i >= 2 && s.p[i] == '-'))
			return FORM_ESYNTAX;
	return FORM_OK;
}

static enum form_err
check_currency(struct str s)
{
	size_t i;

	if (s.len != 3)
		return FORM_ESYNTAX;
	for (i = 0; i < s.len; i++)
		if (s.p[i] < 'A' || s.p[i] > 'Z')
			return FORM_ESYNTAX;
	return FORM_OK;
}

static enum form_err
check_enum(const struct field *f, struct str s, int64_t *index)
{
	size_t i;

	for (i = 0; f->choices != NULL && f->choices[i] != NULL; i++)
		if (str_eqc(s, f->choices[i])) {
			*index = (int64_t)i;
			return FORM_OK;
		}
	return FORM_ESYNTAX;
}

enum form_err
form_check(const struct field *f, struct str raw, struct form_value *out)
{
	struct str	s = f->type == FIELD_PASSWORD ? raw : str_trim(raw);

	out->f = f;
	out->name = f->name;
	out->s = s;
	out->i = 0;
	if (f->type == FIELD_BOOL) {
		out->i = 1;
		return FORM_OK;
	}
	if (s.len == 0)
		return FORM_EMISSING;
	if (!str_valid_text(s))
		return FORM_ETEXT;
	if ((f->flags & FIELD_ASCII) && !str_is_ascii(s))
		return FORM_EASCII;
	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_PASSWORD:
		return length_ok(f, s);
	case FIELD_INT:
		if (str_to_i64(s, f->min, f->max, &out->i) == 0)
			return FORM_OK;
		return str_to_i64(s, INT64_MIN, INT64_MAX, &out->i) == 0 ?
		    FORM_ERANGE : FORM_ESYNTAX;
	case FIELD_ID:
		/* An id that cannot exist is the same as a malformed one. */
		return str_to_i64(s, 1, INT64_MAX, &out->i) == 0 ? FORM_OK :
		    FORM_ESYNTAX;
	case FIELD_MONEY:
		return check_money(f, s);
	case FIELD_SLUG:
		return check_slug(f, s);
	case FIELD_EMAIL:
		return check_email(f, s);
	case FIELD_LANG:
		return check_lang(s);
	case FIELD_CURRENCY:
		return check_currency(s);
	case FIELD_ENUM:
		return check_enum(f, s, &out->i);
	default:
		return FORM_ESYNTAX;	/* a table with a type we lack */
	}
}

const char *
form_msgid(const struct field *f, enum form_err e)
{
	if (f->msgid != NULL)
		return f->msgid;
	switch (e) {
	case FORM_EMISSING:
		return N_("This field is required.");
	case FORM_ETEXT:
		return N_("This text contains characters that are not "
		    "allowed.");
	case FORM_ECOUNT:
		return N_("Too many values were sent.");
	default:
		break;
	}
	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_PASSWORD:
		return N_("This text is too long or too short.");
	case FIELD_INT:
		return N_("Enter a whole number in the range allowed.");
	case FIELD_MONEY:
		return N_("Enter a price such as 12.50.");
	case FIELD_EMAIL:
		return N_("Enter an e-mail address.");
	default:
		return N_("This value is not valid.");
	}
}

/* Where f's values come from, as a bit of struct form's bad. */
static unsigned
source_bit(const struct field *f)
{
	if (f->flags & FIELD_PARAM)
		return FIELD_PARAM;
	if (f->flags & FIELD_QUERY)
		return FIELD_QUERY;
	return FORM_BAD_BODY;
}

static void
fail(struct form *fm, const struct field *f, const char *name,
    enum form_err e)
{
	field_errors_add(&fm->errs, name, form_msgid(f, e));
	fm->bad |= source_bit(f);
}

/* Checks one value sent for f under name; keeps it when it is good. */
static void
add_value(struct form *fm, const struct field *f, const char *name,
    struct str raw)
{
	struct form_value	 v;
	enum form_err		 e;

	e = form_check(f, raw, &v);
	if (e == FORM_EMISSING && !(f->flags & FIELD_REQUIRED))
		return;		/* an empty optional field is absent */
	if (e != FORM_OK) {
		fail(fm, f, name, e);
		return;
	}
	if (fm->n == FORM_MAX_VALUES) {
		fail(fm, f, name, FORM_ECOUNT);
		return;
	}
	v.name = name;
	fm->v[fm->n++] = v;
}

static int
key_matches(const struct field *f, struct str key)
{
	if (f->flags & FIELD_PREFIX)
		return str_starts(key, str_c(f->name)) &&
		    key.len > strlen(f->name);
	return str_eqc(key, f->name);
}

/* Every value of f in list (the query or the form). */
static void
from_list(struct form *fm, const struct field *f, const struct kvlist *l)
{
	size_t	i;
	int	seen = 0;

	for (i = 0; i < l->n; i++) {
		if (!key_matches(f, l->v[i].key))
			continue;
		/* A single field sent twice: the first counts, as
		 * req_form() reads it. */
		if (seen && !(f->flags & (FIELD_MULTI | FIELD_PREFIX)))
			continue;
		seen = 1;
		add_value(fm, f, l->v[i].key.p, l->v[i].val);
	}
	if (!seen && (f->flags & FIELD_REQUIRED))
		fail(fm, f, f->name, FORM_EMISSING);
}

int
form_validate(struct form *fm, const struct field *fields,
    const struct req *r)
{
	static const unsigned	 order[] = { FIELD_PARAM, FIELD_QUERY,
				    FORM_BAD_BODY };
	const struct field	*f;
	size_t			 i;

	fm->fields = fields;
	fm->n = 0;
	fm->errs.n = 0;
	fm->bad = 0;
	/* Parameters, then the query, then the body: the first error is
	 * then one of the source page_route() answers for. */
	for (i = 0; i < NELEM(order); i++)
		for (f = fields; f != NULL && f->name != NULL; f++) {
			if (source_bit(f) != order[i])
				continue;
			if (f->flags & FIELD_PARAM) {
				const struct str *v = req_param(r, f->name);

				if (v != NULL)
					add_value(fm, f, f->name, *v);
				else if (f->flags & FIELD_REQUIRED)
					fail(fm, f, f->name, FORM_EMISSING);
			} else
				from_list(fm, f, (f->flags & FIELD_QUERY) ?
				    &r->query : &r->form);
		}
	return fm->errs.n ? -1 : 0;
}

static const struct form_value *
value_of(const struct form *fm, const char *name)
{
	size_t i;

	for (i = 0; i < fm->n; i++)
		if (strcmp(fm->v[i].name, name) == 0)
			return &fm->v[i];
	return NULL;
}

int
form_has(const struct form *fm, const char *name)
{
	return value_of(fm, name) != NULL;
}

struct str
form_text(const struct form *fm, const char *name)
{
	const struct form_value *v = value_of(fm, name);

	return v != NULL ? v->s : STR("");
}

int64_t
form_i64(const struct form *fm, const char *name)
{
	const struct form_value *v = value_of(fm, name);

	return v != NULL ? v->i : 0;
}

int
form_bool(const struct form *fm, const char *name)
{
	return form_i64(fm, name) != 0;
}

int
form_all(const struct form *fm, const char *name, struct str *out,
    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < fm->n; i++) {
		if (strcmp(fm->v[i].name, name) != 0)
			continue;
		if (n == max)
			return -1;
		out[n++] = fm->v[i].s;
	}
	return (int)n;
}

int
form_failed(const struct form *fm, const char *name)
{
	size_t i;

	for (i = 0; i < fm->errs.n; i++)
		if (strcmp(fm->errs.v[i].field, name) == 0)
			return 1;
	return 0;
}
