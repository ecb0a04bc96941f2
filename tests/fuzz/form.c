/*
 * Fuzz target: web/form.c's validators. The input is checked whole by
 * form_check() against a field of every type, then parsed as an
 * urlencoded form (http/urlenc.c) and validated against a table that
 * reads it as query, form and route parameters. Checks invariants, not
 * only crashes: what passes is valid text within its bounds (counted in
 * characters), numbers within theirs, slugs and codes of their
 * alphabet, ASCII where asked; the counts stay within their limits.
 */
#include "../../fcgi-app/core/arena.c"
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/strbuf.c"
#include "../../fcgi-app/core/xalloc.c"
#include "../../fcgi-app/http/urlenc.c"
#include "../../fcgi-app/web/form.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* http/req.c's, which this target does not link (it needs libfcgi's
 * request and the config). */
const struct str *
req_param(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nparams; i++)
		if (str_eqc(r->params[i].key, name))
			return &r->params[i].val;
	return NULL;
}

static const char *const choices[] = { "newest", "price-asc", NULL };

static const struct field fields[] = {
	{ "t", FIELD_TEXT, 2, 10, FIELD_QUERY | FIELD_MULTI, NULL, NULL },
	{ "a", FIELD_TEXT, 0, 8, FIELD_ASCII | FIELD_MULTI, NULL, NULL },
	{ "pw", FIELD_PASSWORD, 3, 6, FIELD_REQUIRED, NULL, NULL },
	{ "i", FIELD_INT, -5, 500, FIELD_QUERY, NULL, NULL },
	{ "id", FIELD_ID, 0, 0, FIELD_PARAM, NULL, NULL },
	{ "m", FIELD_MONEY, 0, 12, 0, NULL, NULL },
	{ "s", FIELD_SLUG, 1, 20, FIELD_PARAM | FIELD_REQUIRED, NULL, NULL },
	{ "b", FIELD_BOOL, 0, 0, 0, NULL, NULL },
	{ "e", FIELD_EMAIL, 0, 30, 0, NULL, NULL },
	{ "l", FIELD_LANG, 0, 0, FIELD_MULTI, NULL, NULL },
	{ "c", FIELD_CURRENCY, 0, 0, FIELD_QUERY, NULL, NULL },
	{ "o", FIELD_ENUM, 0, 0, 0, NULL, choices },
	{ "n_", FIELD_TEXT, 0, 4, FIELD_PREFIX, NULL, NULL },
	{ 0 }
};

static int
all_of(struct str s, const char *alphabet)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if (s.p[i] == '\0' || strchr(alphabet, s.p[i]) == NULL)
			return 0;
	return 1;
}

/* Aborts unless v is what f may let through. */
static void
check_value(const struct field *f, const struct form_value *v)
{
	size_t n = str_chars(v->s);

	if (f->type == FIELD_BOOL) {
		if (v->i != 1)
			abort();
		return;
	}
	if (v->s.len == 0 || !str_valid_text(v->s))
		abort();
	if ((f->flags & FIELD_ASCII) && !str_is_ascii(v->s))
		abort();
	if (f->type != FIELD_PASSWORD && !str_eq(v->s, str_trim(v->s)))
		abort();
	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_PASSWORD:
	case FIELD_EMAIL:
	case FIELD_MONEY:
		if ((f->min && n < (size_t)f->min) ||
		    (f->max && n > (size_t)f->max))
			abort();
		break;
	case FIELD_INT:
		if (v->i < f->min || v->i > f->max)
			abort();
		break;
	case FIELD_ID:
		if (v->i < 1)
			abort();
		break;
	case FIELD_SLUG:
		if (v->s.p[0] == '-' || n < (size_t)f->min ||
		    n > (size_t)f->max ||
		    !all_of(v->s, "abcdefghijklmnopqrstuvwxyz0123456789-"))
			abort();
		break;
	case FIELD_LANG:
		if (n < 2 || n > 8 || !all_of(v->s, "abcdefghijklmnopqrstuvwxyz-"))
			abort();
		break;
	case FIELD_CURRENCY:
		if (n != 3 || !all_of(v->s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
			abort();
		break;
	case FIELD_ENUM:
		if (v->i < 0 || v->i > 1 || !str_eqc(v->s, choices[v->i]))
			abort();
		break;
	default:
		break;
	}
	if (f->type == FIELD_MONEY && !all_of(v->s, "0123456789.,"))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	 a;
	static struct form	 fm;
	struct str		 in = { (const char *)data, size };
	const struct field	*f;
	struct form_value	 v;
	struct kvlist		 kv;
	struct req		 r;
	size_t			 i;

	for (f = fields; f->name != NULL; f++)
		if (form_check(f, in, &v) == FORM_OK)
			check_value(f, &v);

	memset(&r, 0, sizeof(r));
	if (req_parse_urlencoded(&a, in, &kv) == 0) {
		r.query = kv;
		r.form = kv;
		for (i = 0; i < kv.n && i < REQ_MAX_PARAMS; i++)
			r.params[r.nparams++] = kv.v[i];
		if (form_validate(&fm, fields, &r) == 0 &&
		    (fm.errs.n != 0 || fm.bad != 0))
			abort();
		if (fm.n > FORM_MAX_VALUES || fm.errs.n > 16)
			abort();
		if (fm.errs.n > 0 && fm.bad == 0)
			abort();
		for (i = 0; i < fm.n; i++)
			check_value(fm.v[i].f, &fm.v[i]);
		for (i = 0; i < fm.errs.n; i++)
			if (fm.errs.v[i].msgid == NULL ||
			    fm.errs.v[i].field == NULL)
				abort();
	}
	arena_reset(&a);
	return 0;
}
