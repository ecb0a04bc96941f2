/* meter_hit.c: nginx's line for a page its cache answered (meter.h),
 * apart from the counters so its fuzz target needs nothing else. */
#include "core/common.h"
#include "platform/meter.h"

#define HIT_ID_MAX	(1LL << 40)	/* meter.c's SHOP_BITS */

int64_t
meter_parse_hit(const char *p, size_t n)
{
	const char	*e = p + n;
	int64_t		 id = 0;
	const char	*c;

	/* The id is the line's last word: after the syslog header's
	 * "tag: ", or the whole line. */
	while (e > p && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
		e--;
	for (c = e; c > p && c[-1] >= '0' && c[-1] <= '9'; c--)
		;
	/* 1 to 12 digits, no leading zero, alone or after a space */
	if (c == e || e - c > 12 || (*c == '0') || (c > p && c[-1] != ' '))
		return 0;
	for (; c < e; c++)
		id = id * 10 + (*c - '0');
	return id > 0 && id < HIT_ID_MAX ? id : 0;
}
