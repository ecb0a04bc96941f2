/*
 * cookie.c: the value of one cookie in a Cookie header line, read
 * exactly as nginx reads $cookie_<name>.
 *
 * Why nginx's rules and not RFC 6265's: the microcache key holds
 * $cookie_lang and $cookie_cur (nginx/souk-locations). When souk read
 * a cookie nginx did not see, or the other way round, one request
 * could store a German page under the key of English visitors (issue
 * 8, defect 10: "LANG=de", "\tlang=de", "a=1,lang=de" were read
 * differently). So there is one reading, nginx's, for every cookie:
 * ngx_http_parse_multi_header_lines() of nginx 1.22 (the same in
 * later versions), src/http/ngx_http_parse.c:
 *
 * - A pair starts at the start of the line, or after the first ';' or
 *   ',' that follows the previous start, and the spaces (only ' ', not
 *   tab) after it (but see the quirk in req_cookie_find()).
 * - The name matches case-insensitively (ASCII), then spaces, then '='
 *   must follow; else on to the next start.
 * - The value starts after the '=' and its spaces and ends at the next
 *   ';' or the end of the line: commas, quotes, tabs and trailing
 *   spaces are part of it.
 * - The first match wins; lines are read in order (req_cookie()).
 *
 * A value is returned as it is: the caller checks it (a language code,
 * a currency, a token), and an odd value makes nginx bypass the cache
 * (nginx/souk-site.conf).
 */
#include "core/common.h"
#include "http/req.h"

static int
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

int
req_cookie_find(struct str line, const char *name, struct str *value)
{
	const char	*start = line.p, *end = line.p + line.len, *last;
	size_t		 n = strlen(name), i;

	if (n == 0 || n > line.len)
		return -1;
	/* Step for step nginx's loop, its quirks included: on a name
	 * that is not followed by '=', the byte after it is consumed
	 * ("*start++ != '='"), so in "lang;lang=fr" that ';' is not a
	 * separator and nginx does not find lang=fr. */
	while (start < end) {
		for (i = 0; i < n && start + i < end; i++)
			if (ascii_lower((unsigned char)start[i]) !=
			    ascii_lower((unsigned char)name[i]))
				break;
		if (i < n)
			goto skip;
		for (start += n; start < end && *start == ' '; start++)
			;
		if (start == end || *start++ != '=')
			goto skip;
		while (start < end && *start == ' ')
			start++;
		for (last = start; last < end && *last != ';'; last++)
			;
		*value = (struct str){ start, (size_t)(last - start) };
		return 0;
skip:
		while (start < end) {
			char c = *start++;

			if (c == ';' || c == ',')
				break;
		}
		while (start < end && *start == ' ')
			start++;
	}
	return -1;
}
