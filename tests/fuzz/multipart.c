/*
 * Fuzz target: req_parse_multipart(). The input's first line (up to
 * '\n', at most 80 bytes) is the boundary, the rest the body. Checks
 * the limits and that every file's data lies inside the body.
 */
#include "../../fcgi-app/core/arena.c"
#include "../../fcgi-app/core/str.c"
#include "../../fcgi-app/core/xalloc.c"
#include "../../fcgi-app/http/multipart.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena	a;
	const char		*nl;
	struct str		 boundary, body;
	struct kvlist		 form = { NULL, 0 };
	struct part		*parts = NULL;
	size_t			 nparts = 0, i;
	int			 rc;

	nl = memchr(data, '\n', size < 80 ? size : 80);
	if (nl == NULL)
		return 0;
	boundary = (struct str){ (const char *)data,
	    (size_t)(nl - (const char *)data) };
	body = arena_str(&a, (struct str){ nl + 1,
	    size - boundary.len - 1 });

	rc = req_parse_multipart(&a, body, boundary, &form, &parts, &nparts);
	if (rc != 0 && rc != 400 && rc != 413)
		abort();
	if (rc == 0) {
		if (form.n > REQ_MAX_FIELDS || nparts > REQ_MAX_PARTS)
			abort();
		for (i = 0; i < form.n; i++)
			if (form.v[i].key.len == 0 ||
			    form.v[i].val.p[form.v[i].val.len] != '\0' ||
			    memchr(form.v[i].val.p, '\0', form.v[i].val.len))
				abort();
		for (i = 0; i < nparts; i++)
			if (parts[i].data.p < body.p || parts[i].data.p +
			    parts[i].data.len > body.p + body.len ||
			    parts[i].name.p[parts[i].name.len] != '\0')
				abort();
	}
	arena_reset(&a);
	return 0;
}
