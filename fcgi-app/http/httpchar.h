/*
 * httpchar.h: character classes of HTTP syntax, shared by the parsers
 * and the response writers of http/ (internal to http/).
 */
#ifndef SOUK_HTTP_HTTPCHAR_H
#define SOUK_HTTP_HTTPCHAR_H

#include "core/str.h"

/* RFC 9110 tchar: what a header name or cookie name is made of. */
static inline int
http_is_tchar(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Nonzero when s is a non-empty token. */
static inline int
http_is_token(struct str s)
{
	size_t i;

	if (s.len == 0)
		return 0;
	for (i = 0; i < s.len; i++)
		if (!http_is_tchar((unsigned char)s.p[i]))
			return 0;
	return 1;
}

/* RFC 6265 cookie-octet: visible ASCII but '"', ',', ';' and '\\'. */
static inline int
http_is_cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' &&
	    c != ';' && c != '\\';
}

#endif
