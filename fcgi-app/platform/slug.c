/* slug.c: shop slug validation (see slug.h). */
#include "core/common.h"
#include "platform/slug.h"

/*
 * Names that are, or may become, platform host names or paths; then
 * names a browser, resolver or network treats specially as a label
 * (RFC 2606 and 6761 special-use names, mDNS "local", proxy and tunnel
 * auto-discovery that clients look up under their own domain: a shop
 * called "wpad" could serve every visitor's proxy configuration, one
 * called "localhost" would resolve to the visitor's own machine under
 * some resolvers). Sorted only for the reader; the list is short
 * enough to scan.
 */
static const char *const reserved[] = {
	"about", "account", "accounts", "admin", "administrator", "api",
	"app", "apps", "assets", "auth", "autoconfig", "autodiscover",
	"billing", "blog", "cdn", "checkout", "dashboard", "demo", "dev",
	"docs", "download", "email", "files", "ftp", "git", "help", "imap",
	"img", "internal", "login", "logout", "mail", "media", "mx", "news",
	"ns1", "ns2", "operator", "operators", "pay", "payment", "platform",
	"pop", "pop3", "postmaster", "root", "security", "shop", "shops",
	"signin", "signup", "smtp", "souk", "ssl", "staging", "static",
	"stats", "status", "store", "support", "system", "test", "webmail",
	"webmaster", "www", "www1", "www2",
	/* Special to browsers, resolvers and networks. */
	"alt", "arpa", "broadcasthost", "corp", "example", "home",
	"intranet", "invalid", "ip6-localhost",
	"ip6-loopback", "isatap", "lan", "local", "localdomain",
	"localhost", "loopback", "mta-sts", "onion", "private", "wpad",
};

int
slug_reserved(struct str s)
{
	size_t i;

	for (i = 0; i < NELEM(reserved); i++)
		if (str_casecmp_eq(s, str_c(reserved[i])))
			return 1;
	return 0;
}

enum slug_check
slug_check(struct str s)
{
	size_t i;

	if (s.len < SLUG_MIN || s.len > SLUG_MAX)
		return SLUG_EINVAL;
	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-'))
			return SLUG_EINVAL;
	}
	if (s.p[0] == '-' || s.p[s.len - 1] == '-')
		return SLUG_EINVAL;
	/* IDNA A-labels would display as another name. */
	if (s.len >= 4 && s.p[2] == '-' && s.p[3] == '-')
		return SLUG_EINVAL;
	if (slug_reserved(s))
		return SLUG_ERESERVED;
	return SLUG_OK;
}
