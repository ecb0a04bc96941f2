/*
 * libFuzzer target: money_parse_flags(), the parser of what a merchant
 * types as a price, and the formatters fed with what it accepts.
 *
 * Input: byte 0 picks the currency and the flags, the rest is the text.
 * Checked: an accepted amount is in [-INT64_MAX, INT64_MAX], is not
 * negative without MONEY_ALLOW_NEGATIVE, survives a round trip through
 * money_format_plain(), and formats with ICU; a rejected one leaves the
 * output alone.
 */
#include "core/common.h"

#include "core/money.c"
#include "core/str.c"
#include "core/strbuf.c"
#include "core/xalloc.c"

static const char *const locales[] = {
	"en_US", "de_DE", "fr_FR", "es_ES", "ja_JP",
};

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct strbuf	 sb = STRBUF_INIT;
	const struct currency	*c;
	enum money_parse_flags	 flags;
	char			 plain[MONEY_PLAIN_MAX];
	int64_t			 v = 4242, back;
	int			 n;

	if (size < 1)
		return 0;
	c = &currencies[data[0] % NELEM(currencies)];
	flags = (data[0] & 0x80) ? MONEY_ALLOW_NEGATIVE : 0;
	if (money_parse_flags((struct str){ (const char *)data + 1,
	    size - 1 }, c->code, flags, &v) != 0) {
		if (v != 4242)
			abort();
		return 0;
	}
	if (v == INT64_MIN || (v < 0 && !(flags & MONEY_ALLOW_NEGATIVE)))
		abort();
	n = money_format_plain(v, c->code, plain, sizeof(plain));
	if (n <= 0 || (size_t)n != strlen(plain))
		abort();
	if (money_parse_flags(str_c(plain), c->code, MONEY_ALLOW_NEGATIVE,
	    &back) != 0 || back != v)
		abort();
	strbuf_reset(&sb);
	if (money_format(&sb, v, c->code,
	    locales[(size_t)data[0] % NELEM(locales)]) != 0 || sb.len == 0)
		abort();
	return 0;
}
