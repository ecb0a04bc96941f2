/*
 * libFuzzer target: the Accept-Language parser and i18n_negotiate().
 *
 * Input: byte 0 picks which languages the shop enables and its
 * fallback, the rest is the header. Checked: the parser returns at most
 * I18N_ACCEPT_MAX entries, each a non-empty view inside the header
 * with a weight in 0..1000, and negotiation returns one of the enabled
 * languages souk ships (or "en" when none is enabled).
 */
#include "core/common.h"

#include "core/i18n.c"
#include "core/str.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const all[] = { "en", "de", "fr", "es", "ja" };
	struct accept	 a[I18N_ACCEPT_MAX];
	const char	*enabled[NELEM(all)], *got;
	char		*h;
	size_t		 i, n, ne = 0;
	int		 ok;

	if (size < 1)
		return 0;
	for (i = 0; i < NELEM(all); i++)
		if (data[0] & (1u << i))
			enabled[ne++] = all[i];
	/* The header as the FastCGI parameters give it: NUL-terminated,
	 * so an embedded NUL ends it. */
	h = malloc(size);
	if (h == NULL)
		return 0;
	memcpy(h, data + 1, size - 1);
	h[size - 1] = '\0';

	n = accept_parse(str_c(h), a, NELEM(a));
	if (n > NELEM(a))
		abort();
	for (i = 0; i < n; i++)
		if (a[i].range.len == 0 || a[i].range.p < h ||
		    a[i].range.p + a[i].range.len > h + strlen(h) ||
		    a[i].q < 0 || a[i].q > 1000 || !range_valid(a[i].range))
			abort();

	got = i18n_negotiate(NULL, NULL, h, enabled, ne,
	    all[(data[0] >> 5) % NELEM(all)]);
	ok = ne == 0 && strcmp(got, "en") == 0;
	for (i = 0; i < ne; i++)
		if (got == lang_find(str_c(enabled[i]))->code)
			ok = 1;
	if (!ok)
		abort();
	/* all languages enabled, no fallback: always a supported one */
	if (!i18n_supported(i18n_negotiate(NULL, NULL, h, NULL, 0, NULL)))
		abort();
	free(h);
	return 0;
}
