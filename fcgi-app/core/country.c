/*
 * country.c: ISO 3166-1 countries from ICU, named in the request's
 * language (country.h).
 */
#include "core/common.h"

#include <unicode/ucol.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include "core/country.h"
#include "core/xalloc.h"

/* ICU's list still has a few codes that are no country today. */
static const char *const withdrawn[] = {
	"AN", "BU", "CS", "DD", "DY", "FX", "HV", "NH", "NT", "RH", "SU",
	"TP", "YD", "YU", "ZR", NULL
};

static const char	*codes[300];
static size_t		 ncodes;

static void
load_codes(void)
{
	const char *const	*all;
	size_t			 i, j;

	if (ncodes > 0)
		return;
	all = uloc_getISOCountries();
	for (i = 0; all[i] != NULL && ncodes < NELEM(codes); i++) {
		for (j = 0; withdrawn[j] != NULL; j++)
			if (strcmp(all[i], withdrawn[j]) == 0)
				break;
		if (withdrawn[j] == NULL)
			codes[ncodes++] = all[i];
	}
}

const char *const *
country_codes(size_t *n)
{
	load_codes();
	*n = ncodes;
	return codes;
}

int
country_valid(struct str code)
{
	size_t	i;

	if (code.len != 2 || code.p[0] < 'A' || code.p[0] > 'Z' ||
	    code.p[1] < 'A' || code.p[1] > 'Z')
		return 0;
	load_codes();
	for (i = 0; i < ncodes; i++)
		if (codes[i][0] == code.p[0] && codes[i][1] == code.p[1])
			return 1;
	return 0;
}

/* The name of code in loc, UTF-8, into out; 0, or -1 (no name). */
static int
name_of(const char *code, const char *loc, char *out, size_t outlen)
{
	UChar		 u[COUNTRY_NAME_MAX];
	char		 tag[8];
	UErrorCode	 ue = U_ZERO_ERROR;
	int32_t		 n;

	if (strlen(code) != 2)
		return -1;
	memcpy(tag, "und_", 4);
	memcpy(tag + 4, code, 3);
	n = uloc_getDisplayCountry(tag, loc, u, (int32_t)NELEM(u), &ue);
	if (U_FAILURE(ue) || ue == U_USING_DEFAULT_WARNING || n <= 0)
		return -1;
	ue = U_ZERO_ERROR;
	u_strToUTF8(out, (int32_t)outlen, NULL, u, n, &ue);
	if (U_FAILURE(ue) || ue == U_STRING_NOT_TERMINATED_WARNING)
		return -1;
	return 0;
}

const char *
country_name(struct arena *a, const char *code, const char *icu_locale)
{
	char	buf[COUNTRY_NAME_MAX * 4];

	if (name_of(code, icu_locale, buf, sizeof(buf)) == -1)
		return arena_strdup(a, code);
	return arena_strdup(a, buf);
}

struct list {
	char		 loc[16];
	struct country	*v;
	size_t		 n;
};

static struct list	lists[COUNTRY_LISTS];
static size_t		nlists;
static UCollator	*sort_coll;

static int
by_name(const void *x, const void *y)
{
	const struct country	*a = x, *b = y;
	UErrorCode		 ue = U_ZERO_ERROR;
	UCollationResult	 r;

	r = ucol_strcollUTF8(sort_coll, a->name, -1, b->name, -1, &ue);
	if (U_FAILURE(ue))
		return strcmp(a->name, b->name);
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

/* Fills v (ncodes entries) with names allocated by dup(ctx, s). */
static void
build(struct country *v, const char *loc, char *(*dup)(void *, const char *),
    void *ctx)
{
	char		 buf[COUNTRY_NAME_MAX * 4];
	UErrorCode	 ue = U_ZERO_ERROR;
	size_t		 i;

	for (i = 0; i < ncodes; i++) {
		v[i].code = codes[i];
		v[i].name = dup(ctx, name_of(codes[i], loc, buf,
		    sizeof(buf)) == 0 ? buf : codes[i]);
	}
	sort_coll = ucol_open(loc, &ue);
	if (U_FAILURE(ue))
		sort_coll = NULL;
	if (sort_coll != NULL) {
		qsort(v, ncodes, sizeof(*v), by_name);
		ucol_close(sort_coll);
		sort_coll = NULL;
	}
}

static char *
heap_dup(void *ctx, const char *s)
{
	(void)ctx;
	return xstrdup(s);
}

static char *
arena_dup(void *ctx, const char *s)
{
	return arena_strdup(ctx, s);
}

const struct country *
country_list(struct arena *a, const char *icu_locale, size_t *n)
{
	struct country	*v;
	size_t		 i;

	load_codes();
	*n = ncodes;
	for (i = 0; i < nlists; i++)
		if (strcmp(lists[i].loc, icu_locale) == 0)
			return lists[i].v;
	if (nlists < NELEM(lists) && strlen(icu_locale) < sizeof(lists[0].loc)) {
		v = xcalloc(ncodes, sizeof(*v));
		build(v, icu_locale, heap_dup, NULL);
		str_copy(lists[nlists].loc, sizeof(lists[0].loc),
		    str_c(icu_locale));
		lists[nlists].v = v;
		lists[nlists].n = ncodes;
		nlists++;
		return v;
	}
	v = arena_calloc(a, ncodes, sizeof(*v));
	build(v, icu_locale, arena_dup, a);
	return v;
}

void
country_free(void)
{
	size_t	i, j;

	for (i = 0; i < nlists; i++) {
		for (j = 0; j < lists[i].n; j++)
			free((char *)lists[i].v[j].name);
		free(lists[i].v);
	}
	nlists = 0;
}
