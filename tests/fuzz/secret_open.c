/*
 * libFuzzer target: secret_open(), which reads sealed texts back from
 * the database.
 *
 * Checked: nothing but a text secret_seal() made opens (a random input
 * never passes the MAC), no read past the input, and a sealed text of
 * the input's bytes opens to exactly them.
 */
#include "core/common.h"

#include "core/arena.c"
#include "core/config.c"
#include "core/log.c"
#include "core/secret.c"
#include "core/str.c"
#include "core/strbuf.c"
#include "core/xalloc.c"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char	k[SECRET_KEY_BYTES] = "fuzzing key";
	static struct arena		a;
	static int			once;
	struct str			out;
	char				err[256], *s;

	if (!once) {
		arena_init(&a);
		secret_set_key(k);
		once = 1;
	}
	if (secret_open(&a, (struct str){ (const char *)data, size }, &out,
	    err, sizeof(err)) == 0)
		abort();	/* a forgery */
	if (size <= SECRET_TEXT_MAX) {
		s = secret_seal(&a, (struct str){ (const char *)data, size },
		    err, sizeof(err));
		if (s == NULL || secret_open(&a, str_c(s), &out, err,
		    sizeof(err)) != 0 || out.len != size ||
		    (size > 0 && memcmp(out.p, data, size) != 0))
			abort();
	}
	arena_reset(&a);
	return 0;
}
