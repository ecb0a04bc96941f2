/*
 * fetch.h: fetching one resource given by URL (the catalog import's
 * images, issue 10) without letting the URL reach what it should not.
 *
 * Only http and https, on the first request and on every redirect
 * (at most FETCH_MAX_REDIRS). The address checked is the one curl is
 * about to connect to (its open-socket callback), for every connection
 * of every hop, so a name that resolves differently the second time
 * or a redirect to http://127.0.0.1/ cannot slip past: loopback,
 * private, shared (100.64/10), link-local, unspecified, multicast and
 * reserved addresses, and IPv4-mapped IPv6 forms of them, are refused
 * unless the configuration's fetch_allow_private is 1. Proxies from
 * the environment are ignored (the proxy's address would be checked,
 * not the target's).
 *
 * The body is cut at max_bytes (Content-Length larger: refused before
 * reading; no Content-Length: the transfer is aborted as soon as the
 * limit is passed), and the whole transfer at timeout_ms.
 *
 * Single-threaded, no global state besides curl_global_init() (done
 * once). Errors: an enum the caller turns into a message for the user,
 * and a short English reason in err for the operator's log.
 */
#ifndef SOUK_FETCH_H
#define SOUK_FETCH_H

#include <stddef.h>
#include "core/str.h"

struct sockaddr;
struct strbuf;

#define FETCH_MAX_REDIRS	3
#define FETCH_DEFAULT_MAX_BYTES	(10L * 1024 * 1024)
#define FETCH_DEFAULT_TIMEOUT_MS	30000
#define FETCH_DEFAULT_CONNECT_MS	10000

enum fetch_err {
	FETCH_OK = 0,
	FETCH_EURL,		/* malformed URL */
	FETCH_ESCHEME,		/* not http or https (also a redirect's) */
	FETCH_EADDR,		/* a local or private address, refused */
	FETCH_ETOOBIG,		/* body beyond max_bytes */
	FETCH_ETIMEOUT,		/* connect or whole transfer too slow */
	FETCH_EREDIRECT,	/* more than FETCH_MAX_REDIRS redirects */
	FETCH_EHTTP,		/* a status other than 2xx */
	FETCH_ENET,		/* DNS, connection, TLS, ... */
};

struct fetch_limits {
	size_t	 max_bytes;	/* of the body; 0: FETCH_DEFAULT_MAX_BYTES */
	long	 timeout_ms;	/* whole transfer; 0: default */
	long	 connect_ms;	/* each connection; 0: default */
	int	 allow_private;	/* 1: no address check (fetch_allow_private) */
	/*
	 * NULL in production. Tests set it to decide per address (and
	 * port); it returns 1 for an address to refuse.
	 */
	int	(*addr_refused)(const struct sockaddr *sa, void *arg);
	void	*addr_arg;
	/*
	 * NULL, or a name's address given in place of DNS, as curl's
	 * --resolve takes it ("shop.example:80:203.0.113.7"): what the
	 * domain check does when the configuration names the address
	 * every domain must point at. The address is still checked.
	 */
	const char *resolve;
};

/* Defaults, with allow_private from the configuration. */
void		 fetch_limits_default(struct fetch_limits *lim);

/*
 * GETs url into body (the caller's strbuf, reset first; the caller
 * frees it) and its Content-Type (without parameters, lower case; ""
 * when none) into ctype (ctlen bytes, may be NULL). On an error body is
 * left reset and err holds the reason.
 */
enum fetch_err	 fetch_url(const char *url, const struct fetch_limits *lim,
		    struct strbuf *body, char *ctype, size_t ctlen,
		    char *err, size_t errlen);

/*
 * POSTs body to url with headers (a NULL-terminated array of "Name:
 * value" lines; may be NULL; a "User-Agent:" one replaces curl's),
 * under the same scheme, address, size and time limits as fetch_url(),
 * following no redirect (a 3xx is FETCH_EHTTP). *status gets the HTTP
 * status (0 when none came); the answer's body goes to answer (the
 * caller's strbuf, reset first). FETCH_OK on a 2xx.
 */
enum fetch_err	 fetch_post(const char *url, const struct fetch_limits *lim,
		    const char *const *headers, struct str body, long *status,
		    struct strbuf *answer, char *err, size_t errlen);

/*
 * Checks a target before it is saved (a webhook's delivery URL): http or
 * https, well-formed, and, unless lim allows private addresses, a host
 * whose every address fetch_url() would connect to (FETCH_EADDR when
 * one is local or private; FETCH_ENET when it does not resolve). A name
 * may resolve otherwise later: fetch_url() and fetch_post() check again
 * when they connect. lim NULL: the defaults.
 */
enum fetch_err	 fetch_target_check(const char *url,
		    const struct fetch_limits *lim, char *err, size_t errlen);

/* 1 when sa (AF_INET or AF_INET6) is an address fetch_url() refuses
 * without fetch_allow_private; any other family is refused too. */
int		 fetch_addr_refused(const struct sockaddr *sa);

/* A short English description of e (static). */
const char	*fetch_strerror(enum fetch_err e);

#endif
