/* fetch.c: fetching a URL with scheme, address, size and time limits
 * (see fetch.h). */
#include "core/common.h"
#include "core/config.h"
#include "core/strbuf.h"
#include "platform/fetch.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>

const char *
fetch_strerror(enum fetch_err e)
{
	switch (e) {
	case FETCH_OK:		return "ok";
	case FETCH_EURL:	return "malformed URL";
	case FETCH_ESCHEME:	return "only http and https are allowed";
	case FETCH_EADDR:	return "local or private address refused";
	case FETCH_ETOOBIG:	return "body too large";
	case FETCH_ETIMEOUT:	return "too slow";
	case FETCH_EREDIRECT:	return "too many redirects";
	case FETCH_EHTTP:	return "HTTP error status";
	case FETCH_ENET:	return "network error";
	}
	return "unknown error";
}

void
fetch_limits_default(struct fetch_limits *lim)
{
	memset(lim, 0, sizeof(*lim));
	lim->max_bytes = FETCH_DEFAULT_MAX_BYTES;
	lim->timeout_ms = FETCH_DEFAULT_TIMEOUT_MS;
	lim->connect_ms = FETCH_DEFAULT_CONNECT_MS;
	lim->allow_private = (int)config_int("fetch_allow_private", 0, 0, 1);
}

/* --- The address classifier ------------------------------------------- */

/* a (host order) in net/bits. */
static int
in4(uint32_t a, uint32_t net, int bits)
{
	uint32_t mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);

	return (a & mask) == (net & mask);
}

static int
v4_refused(uint32_t a)
{
	return in4(a, 0x00000000, 8) ||		/* 0/8 "this network" */
	    in4(a, 0x0a000000, 8) ||		/* 10/8 */
	    in4(a, 0x64400000, 10) ||		/* 100.64/10 shared (CGN) */
	    in4(a, 0x7f000000, 8) ||		/* 127/8 loopback */
	    in4(a, 0xa9fe0000, 16) ||		/* 169.254/16 link-local */
	    in4(a, 0xac100000, 12) ||		/* 172.16/12 */
	    in4(a, 0xc0a80000, 16) ||		/* 192.168/16 */
	    in4(a, 0xe0000000, 4) ||		/* 224/4 multicast */
	    in4(a, 0xf0000000, 4);		/* 240/4 reserved, broadcast */
}

static int
v6_refused(const unsigned char *b)
{
	static const unsigned char zero[16];
	uint32_t	v4;

	memcpy(&v4, b + 12, 4);
	v4 = ntohl(v4);
	/* ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, which also
	 * covers :: and ::1 as 0/8): judged as the IPv4 address. */
	if (memcmp(b, zero, 10) == 0 && ((b[10] == 0xff && b[11] == 0xff) ||
	    (b[10] == 0 && b[11] == 0)))
		return v4_refused(v4);
	/* 64:ff9b::/96, NAT64: the IPv4 address behind it. */
	if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
	    memcmp(b + 4, zero, 8) == 0)
		return v4_refused(v4);
	return (b[0] & 0xfe) == 0xfc ||			/* fc00::/7 */
	    (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||	/* fe80::/10 */
	    (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) ||	/* fec0::/10 */
	    b[0] == 0xff;				/* ff00::/8 */
}

int
fetch_addr_refused(const struct sockaddr *sa)
{
	if (sa == NULL)
		return 1;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		return v4_refused(ntohl(s4->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		return v6_refused(s6->sin6_addr.s6_addr);
	}
	return 1;
}

/* --- The transfer ----------------------------------------------------- */

struct job {
	const struct fetch_limits *lim;
	struct strbuf	*body;
	int		 too_big;
	int		 refused;
	char		 addr[INET6_ADDRSTRLEN];
};

static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct job	*j = arg;
	int		 bad;

	(void)purpose;
	if (j->lim->addr_refused != NULL)
		bad = j->lim->addr_refused(&a->addr, j->lim->addr_arg);
	else
		bad = !j->lim->allow_private && fetch_addr_refused(&a->addr);
	if (bad) {
		j->refused = 1;
		if (a->family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)
			    (void *)&a->addr)->sin_addr, j->addr,
			    sizeof(j->addr));
		else if (a->family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)
			    (void *)&a->addr)->sin6_addr, j->addr,
			    sizeof(j->addr));
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static size_t
sink(char *p, size_t size, size_t n, void *arg)
{
	struct job	*j = arg;
	size_t		 len = size * n;

	if (len > j->lim->max_bytes - j->body->len) {
		j->too_big = 1;
		return 0;	/* CURLE_WRITE_ERROR: the transfer stops */
	}
	strbuf_add(j->body, p, len);
	return len;
}

/* Only "http://" and "https://" reach curl: a clear reason early. */
static int
scheme_ok(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0;
}

static void
copy_ctype(CURL *c, char *ctype, size_t ctlen)
{
	char	*ct = NULL;
	size_t	 i;

	if (ctype == NULL || ctlen == 0)
		return;
	ctype[0] = '\0';
	if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) != CURLE_OK ||
	    ct == NULL)
		return;
	for (i = 0; i + 1 < ctlen && ct[i] != '\0' && ct[i] != ';' &&
	    !isspace((unsigned char)ct[i]); i++)
		ctype[i] = (char)tolower((unsigned char)ct[i]);
	ctype[i] = '\0';
}

/* A POST's part: what is sent, and the status answered. */
struct post {
	const char *const	*headers;
	struct str		 body;
	long			*status;
};

static enum fetch_err
transfer(const char *url, const struct fetch_limits *lim,
    const struct post *post, struct strbuf *body, char *ctype, size_t ctlen,
    char *err, size_t errlen)
{
	struct curl_slist	*hl = NULL, *rl = NULL;
	static int		 inited;
	struct fetch_limits	 def;
	struct job		 j;
	char			 ebuf[CURL_ERROR_SIZE] = "";
	enum fetch_err		 e = FETCH_ENET;
	CURL			*c;
	CURLcode		 rc;
	long			 status = 0;

	strbuf_reset(body);
	if (ctype != NULL && ctlen > 0)
		ctype[0] = '\0';
	if (lim == NULL) {
		fetch_limits_default(&def);
		lim = &def;
	}
	if (url == NULL || url[0] == '\0') {
		str_errf(err, errlen, "empty URL");
		return FETCH_EURL;
	}
	if (!scheme_ok(url)) {
		str_errf(err, errlen, "only http and https URLs are fetched");
		return FETCH_ESCHEME;
	}
	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			str_errf(err, errlen, "cannot initialise libcurl");
			return FETCH_ENET;
		}
		inited = 1;
	}
	if ((c = curl_easy_init()) == NULL) {
		str_errf(err, errlen, "cannot initialise libcurl");
		return FETCH_ENET;
	}
	memset(&j, 0, sizeof(j));
	j.lim = lim;
	j.body = body;
	if (j.lim->max_bytes == 0 || j.lim->timeout_ms <= 0 ||
	    j.lim->connect_ms <= 0) {
		def = *lim;
		if (def.max_bytes == 0)
			def.max_bytes = FETCH_DEFAULT_MAX_BYTES;
		if (def.timeout_ms <= 0)
			def.timeout_ms = FETCH_DEFAULT_TIMEOUT_MS;
		if (def.connect_ms <= 0)
			def.connect_ms = FETCH_DEFAULT_CONNECT_MS;
		j.lim = lim = &def;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRS);
	/* An environment proxy would be the address checked. */
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &j);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)lim->max_bytes);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, lim->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, lim->connect_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "souk-fetch/1");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &j);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	if (lim->resolve != NULL) {
		rl = curl_slist_append(NULL, lim->resolve);
		curl_easy_setopt(c, CURLOPT_RESOLVE, rl);
	}
	if (post != NULL) {
		size_t i;

		/* A webhook's target answers itself: a redirect is its
		 * failure, as WooCommerce's (redirection 0). */
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post->body.p);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)post->body.len);
		for (i = 0; post->headers != NULL &&
		    post->headers[i] != NULL; i++)
			hl = curl_slist_append(hl, post->headers[i]);
		/* No "Expect: 100-continue" round trip. */
		hl = curl_slist_append(hl, "Expect:");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
		for (i = 0; post->headers != NULL &&
		    post->headers[i] != NULL; i++)
			if (strncasecmp(post->headers[i], "User-Agent:",
			    11) == 0)
				curl_easy_setopt(c, CURLOPT_USERAGENT,
				    post->headers[i] + 11 +
				    (post->headers[i][11] == ' '));
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (post != NULL && post->status != NULL)
		*post->status = status;
	/* A name with a refused and an allowed address may still have
	 * been fetched from the allowed one: refused only on failure. */
	if (rc != CURLE_OK && j.refused) {
		str_errf(err, errlen, "address %s refused (fetch_allow_private "
		    "is off)", j.addr[0] ? j.addr : "?");
		e = FETCH_EADDR;
	} else if (j.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		str_errf(err, errlen, "body larger than %zu bytes",
		    lim->max_bytes);
		e = FETCH_ETOOBIG;
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		str_errf(err, errlen, "no complete answer within %ld ms",
		    lim->timeout_ms);
		e = FETCH_ETIMEOUT;
	} else if (rc == CURLE_TOO_MANY_REDIRECTS) {
		str_errf(err, errlen, "more than %d redirects",
		    FETCH_MAX_REDIRS);
		e = FETCH_EREDIRECT;
	} else if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
		str_errf(err, errlen, "redirect to a scheme other than http "
		    "or https");
		e = FETCH_ESCHEME;
	} else if (rc == CURLE_URL_MALFORMAT) {
		str_errf(err, errlen, "malformed URL");
		e = FETCH_EURL;
	} else if (rc != CURLE_OK) {
		str_errf(err, errlen, "%s", ebuf[0] ? ebuf :
		    curl_easy_strerror(rc));
		e = FETCH_ENET;
	} else if (status < 200 || status > 299) {
		str_errf(err, errlen, "HTTP status %ld", status);
		e = FETCH_EHTTP;
	} else {
		copy_ctype(c, ctype, ctlen);
		e = FETCH_OK;
	}
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_cleanup(c);
	curl_slist_free_all(hl);
	curl_slist_free_all(rl);
	if (e != FETCH_OK)
		strbuf_reset(body);
	return e;
}

enum fetch_err
fetch_url(const char *url, const struct fetch_limits *lim,
    struct strbuf *body, char *ctype, size_t ctlen, char *err, size_t errlen)
{
	return transfer(url, lim, NULL, body, ctype, ctlen, err, errlen);
}

enum fetch_err
fetch_post(const char *url, const struct fetch_limits *lim,
    const char *const *headers, struct str body, long *status,
    struct strbuf *answer, char *err, size_t errlen)
{
	struct post p = { headers, body, status };

	*status = 0;
	return transfer(url, lim, &p, answer, NULL, 0, err, errlen);
}

enum fetch_err
fetch_target_check(const char *url, const struct fetch_limits *lim,
    char *err, size_t errlen)
{
	struct fetch_limits	 def;
	struct addrinfo		 hints, *res = NULL, *ai;
	CURLU			*u;
	char			*host = NULL, *port = NULL;
	enum fetch_err		 e = FETCH_OK;
	size_t			 hl;
	int			 g;

	if (lim == NULL) {
		fetch_limits_default(&def);
		lim = &def;
	}
	if (url == NULL || !scheme_ok(url)) {
		str_errf(err, errlen, "only http and https URLs are fetched");
		return FETCH_ESCHEME;
	}
	if ((u = curl_url()) == NULL || curl_url_set(u, CURLUPART_URL, url,
	    0) != CURLUE_OK || curl_url_get(u, CURLUPART_HOST, &host, 0) !=
	    CURLUE_OK || host == NULL || host[0] == '\0') {
		str_errf(err, errlen, "malformed URL");
		e = FETCH_EURL;
		goto out;
	}
	if (lim->allow_private && lim->addr_refused == NULL)
		goto out;
	/* An IPv6 literal comes bracketed. */
	hl = strlen(host);
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	(void)curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((g = getaddrinfo(host, port, &hints, &res)) != 0) {
		str_errf(err, errlen, "cannot resolve '%s': %s", host,
		    gai_strerror(g));
		e = FETCH_ENET;
		goto out;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		int bad = lim->addr_refused != NULL ?
		    lim->addr_refused(ai->ai_addr, lim->addr_arg) :
		    fetch_addr_refused(ai->ai_addr);

		if (bad) {
			str_errf(err, errlen, "'%s' has a local or private "
			    "address (fetch_allow_private is off)", host);
			e = FETCH_EADDR;
			break;
		}
	}
	freeaddrinfo(res);
out:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return e;
}
