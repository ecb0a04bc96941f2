/*
 * libFuzzer target: postcode pattern lists (shop/postcode.c), as a
 * merchant types them for a zone or a tax rate, and their matching.
 *
 * Input: up to the first '|' a list, after it a postcode. Checked: a
 * list postcode_list_valid() accepts normalises to a list that is
 * valid too, no longer, and matches exactly what the original matches;
 * matching never reads out of bounds (ASan), valid or not.
 */
#include "core/common.h"

#include "core/arena.c"
#include "core/str.c"
#include "core/xalloc.c"
#include "shop/postcode.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* address_postcode_key()'s rule (shop/address.c needs ICU): upper
 * case, spaces dropped. */
static struct str
key_of(struct arena *a, struct str s)
{
	char	*out = arena_alloc(a, s.len + 1);
	size_t	 i, n = 0;

	for (i = 0; i < s.len; i++)
		if (s.p[i] != ' ')
			out[n++] = s.p[i] >= 'a' && s.p[i] <= 'z' ?
			    (char)(s.p[i] - 32) : s.p[i];
	out[n] = '\0';
	return (struct str){ out, n };
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	 a;
	static int		 init;
	const char		*p = (const char *)data, *bar;
	struct str		 list, code, key, norm;
	int			 m;

	if (!init) {
		arena_init(&a);
		init = 1;
	}
	bar = memchr(p, '|', size);
	list = (struct str){ p, bar ? (size_t)(bar - p) : size };
	code = bar ? (struct str){ bar + 1, size - list.len - 1 } : STR("");
	key = key_of(&a, code);
	m = postcode_match(list, key);
	if (postcode_list_valid(list)) {
		norm = postcode_list_norm(&a, list);
		if (norm.len > list.len || !postcode_list_valid(norm) ||
		    postcode_match(norm, key) != m)
			abort();
	}
	arena_reset(&a);
	return 0;
}
