/*
 * Fuzz target: css_check() (core/css.h), the merchant's CSS. Checks
 * invariants, not only crashes: an accepted sheet has no '<', no
 * backslash, no control character but tab and line ends, and no
 * "url(" however it is cased or spaced.
 */
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/css.c"

#include <ctype.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str	 in = { (const char *)data, size };
	const char	*why;
	char		 low[64];
	size_t		 i, n;

	if (css_check(in, &why) == -1) {
		if (why == NULL || *why == '\0')
			abort();
		return 0;
	}
	for (i = 0; i < size; i++)
		if (data[i] == '<' || data[i] == '\\' || (data[i] < 0x20 &&
		    data[i] != '\n' && data[i] != '\r' && data[i] != '\t'))
			abort();
	/* "url(" with white space anywhere in it, outside comments. */
	for (i = 0; i < size; i++) {
		for (n = 0; i + n < size && n < 4 && n < sizeof(low) - 1; )
			if (isspace(data[i + n]))
				i++;
			else {
				low[n] = (char)tolower(data[i + n]);
				n++;
			}
		if (n == 4 && memcmp(low, "url(", 4) == 0 && memchr(data,
		    '/', size) == NULL)
			abort();
	}
	return 0;
}
