/*
 * Fuzz target: meter_parse_hit() (platform/meter.h), the syslog line
 * nginx sends souk-worker for each page its cache answered. Anything
 * may arrive on that socket. Checks: a shop id is only ever the line's
 * last word, in decimal, after a space or alone.
 */
#include "../../fcgi-app/platform/meter_hit.c"

#include <stdio.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data;
	int64_t		 id = meter_parse_hit(p, size);
	char		 want[32];
	size_t		 e = size, n;

	if (id == 0)
		return 0;
	if (id < 0)
		abort();
	while (e > 0 && (p[e - 1] == '\n' || p[e - 1] == '\r' ||
	    p[e - 1] == ' '))
		e--;
	n = (size_t)snprintf(want, sizeof(want), "%lld", (long long)id);
	if (n >= sizeof(want) || e < n || memcmp(p + e - n, want, n) != 0)
		abort();
	if (e > n && p[e - n - 1] != ' ')
		abort();
	return 0;
}
