/*
 * Fuzz target: req_parse_urlencoded(), url_decode() and url_escape().
 * Built alone by clang (see GNUmakefile): the sources it needs are
 * included. Checks invariants, not only crashes: at most REQ_MAX_FIELDS
 * fields, NUL-terminated values without NUL inside, and escape then
 * decode giving the input back.
 */
#include "../../fcgi-app/core/arena.c"
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/strbuf.c"
#include "../../fcgi-app/core/xalloc.c"
#include "../../fcgi-app/http/urlenc.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_str(struct str s)
{
	if (s.p == NULL || s.p[s.len] != '\0' || memchr(s.p, '\0', s.len))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	a;
	static struct strbuf	sb = STRBUF_INIT;
	struct str		in = { (const char *)data, size }, back;
	struct kvlist		kv;
	size_t			i;
	int			rc;

	rc = req_parse_urlencoded(&a, in, &kv);
	if (rc != 0 && rc != 400 && rc != 413)
		abort();
	if (rc == 0) {
		if (kv.n > REQ_MAX_FIELDS)
			abort();
		for (i = 0; i < kv.n; i++) {
			check_str(kv.v[i].key);
			check_str(kv.v[i].val);
			if (kv.v[i].key.len == 0)
				abort();
		}
	}

	strbuf_reset(&sb);
	url_escape(&sb, in);
	for (i = 0; i < sb.len; i++)
		if (strchr("&=+?#/ ", sb.buf[i]) != NULL)
			abort();
	rc = url_decode(&a, strbuf_str(&sb), 1, &back);
	if (memchr(data, '\0', size) != NULL) {
		if (rc != -1)
			abort();
	} else if (rc != 0 || !str_eq(back, in))
		abort();

	arena_reset(&a);
	return 0;
}
