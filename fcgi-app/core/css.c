/* css.c: a merchant's CSS, checked (css.h). */
#include "core/common.h"
#include "core/css.h"
#include "core/i18n.h"

#include <strings.h>

/* Words that fetch or run, looked for without case, comments or white
 * space ("url (" is caught as url(). */
static const char *const banned[] = {
	"url(", "@import", "image-set(", "expression(", "behavior",
	"-moz-binding", "javascript:", "@namespace", "@font-face",
};

int
css_check(struct str css, const char **why)
{
	/* The squeezed text: the worker's, single-threaded. */
	static char	squeezed[4 * CSS_MAX_CHARS + 1];
	size_t		i, n = 0, k;

	if (!str_valid_utf8(css)) {
		*why = N_("The CSS is not valid UTF-8 text.");
		return -1;
	}
	if (css.len > 4 * CSS_MAX_CHARS || str_chars(css) > CSS_MAX_CHARS) {
		*why = N_("Custom CSS has at most 20,000 characters.");
		return -1;
	}
	/* Every character first, comments included. */
	for (i = 0; i < css.len; i++) {
		unsigned char c = (unsigned char)css.p[i];

		if (c == '<' || c == '\\') {
			*why = N_("Custom CSS may not contain < or a "
			    "backslash.");
			return -1;
		}
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
			*why = N_("The CSS holds a control character.");
			return -1;
		}
	}
	/* Then the words, without comments and white space. */
	for (i = 0; i < css.len; i++) {
		char c = css.p[i];

		if (c == '/' && i + 1 < css.len && css.p[i + 1] == '*') {
			for (i += 2; i + 1 < css.len && !(css.p[i] == '*' &&
			    css.p[i + 1] == '/'); i++)
				;
			i++;
			continue;
		}
		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			squeezed[n++] = c;
	}
	squeezed[n] = '\0';
	for (k = 0; k < NELEM(banned); k++)
		if (strcasestr(squeezed, banned[k]) != NULL) {
			*why = N_("Custom CSS may not load anything: url(), "
			    "@import, @font-face and the like are not "
			    "allowed.");
			return -1;
		}
	*why = NULL;
	return 0;
}
