/*
 * libFuzzer target: core/oauth.c, what a signed API request meets
 * first: the Authorization header's OAuth parameters, then the base
 * string and signature over them.
 *
 * Input: an "OAuth ..." header; the same bytes also serve as a query
 * of key=value pairs split at '&' and '='. Checked: parsed parameters
 * are oauth_* keys and NUL-free, inside the bounds; the base string
 * starts with the method and URL and has only unreserved bytes, '%'
 * and the two '&' separators; both signatures are base64 of the right
 * length and the same input signs the same twice.
 */
#include "core/common.h"

#include "core/arena.c"
#include "core/oauth.c"
#include "core/str.c"
#include "core/strbuf.c"
#include "core/xalloc.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_base(struct str b)
{
	size_t	i, amp = 0;
	char	c;

	if (b.len < 4 || memcmp(b.p, "GET&", 4) != 0)
		abort();
	for (i = 0; i < b.len; i++) {
		c = b.p[i];
		if (c == '&')
			amp++;
		else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~' || c == '%'))
			abort();
	}
	if (amp != 2)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	 a;
	static int		 once;
	struct str		 in = { (const char *)data, size };
	struct oauth_param	*hp, q[OAUTH_PARAMS_MAX + 1];
	struct strbuf		 sb;
	char			 s1[OAUTH_SIG_LEN], s2[OAUTH_SIG_LEN];
	size_t			 i, n = 0, s = 0, e;
	int			 nh;

	if (!once) {
		arena_init(&a);
		once = 1;
	}
	nh = oauth_header_parse(&a, in, &hp);
	if (nh < -1 || nh > OAUTH_PARAMS_MAX)
		abort();
	for (i = 0; i < (size_t)(nh > 0 ? nh : 0); i++)
		if (hp[i].key.len < 6 || memcmp(hp[i].key.p, "oauth_", 6) ||
		    memchr(hp[i].val.p, '\0', hp[i].val.len) ||
		    memchr(hp[i].key.p, '\0', hp[i].key.len))
			abort();
	/* The input as a query: pairs at '&', key and value at '='. */
	for (i = 0; i <= size && n <= OAUTH_PARAMS_MAX; i++) {
		if (i < size && data[i] != '&')
			continue;
		for (e = s; e < i && data[e] != '='; e++)
			;
		q[n].key = (struct str){ (const char *)data + s, e - s };
		q[n].val = e < i ? (struct str){ (const char *)data + e + 1,
		    i - e - 1 } : STR("");
		n++;
		s = i + 1;
	}
	strbuf_init(&sb, 256);
	if (oauth_base_string(&sb, STR("GET"), STR("http://a.b:8080/x y"),
	    q, n) == 0) {
		check_base(strbuf_str(&sb));
		oauth_sign(s1, OAUTH_HMAC_SHA1, in, strbuf_str(&sb));
		oauth_sign(s2, OAUTH_HMAC_SHA1, in, strbuf_str(&sb));
		if (strlen(s1) != 28 || strcmp(s1, s2) != 0)
			abort();
		oauth_sign(s1, OAUTH_HMAC_SHA256, in, strbuf_str(&sb));
		if (strlen(s1) != 44)
			abort();
	} else if (n <= OAUTH_PARAMS_MAX)
		abort();
	strbuf_release(&sb);
	arena_reset(&a);
	return 0;
}
