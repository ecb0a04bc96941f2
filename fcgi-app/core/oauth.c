/* oauth.c: OAuth 1.0a signatures as WooCommerce checks them (oauth.h). */
#include "core/common.h"

#include <sodium.h>
#include <strings.h>

#include "core/arena.h"
#include "core/oauth.h"

/* --- SHA-1 (FIPS 180-4), for HMAC-SHA1 only ------------------------- */

struct sha1 {
	uint32_t	h[5];
	uint64_t	len;		/* bytes so far */
	unsigned char	buf[64];
	size_t		nbuf;
};

#define ROL(x, n)	(((x) << (n)) | ((x) >> (32 - (n))))

static void
sha1_block(struct sha1 *s, const unsigned char *p)
{
	uint32_t	w[80], a, b, c, d, e, f, k, t;
	int		i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20)
			f = (b & c) | (~b & d), k = 0x5a827999;
		else if (i < 40)
			f = b ^ c ^ d, k = 0x6ed9eba1;
		else if (i < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
		else
			f = b ^ c ^ d, k = 0xca62c1d6;
		t = ROL(a, 5) + f + e + k + w[i];
		e = d, d = c, c = ROL(b, 30), b = a, a = t;
	}
	s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d, s->h[4] += e;
}

static void
sha1_init(struct sha1 *s)
{
	static const uint32_t iv[5] = { 0x67452301, 0xefcdab89, 0x98badcfe,
	    0x10325476, 0xc3d2e1f0 };

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->nbuf = 0;
}

static void
sha1_update(struct sha1 *s, const void *v, size_t n)
{
	const unsigned char	*p = v;
	size_t			 k;

	s->len += n;
	while (n > 0) {
		k = 64 - s->nbuf < n ? 64 - s->nbuf : n;
		memcpy(s->buf + s->nbuf, p, k);
		s->nbuf += k, p += k, n -= k;
		if (s->nbuf == 64) {
			sha1_block(s, s->buf);
			s->nbuf = 0;
		}
	}
}

static void
sha1_final(struct sha1 *s, unsigned char out[20])
{
	uint64_t	bits = s->len * 8;
	unsigned char	pad[72] = { 0x80 };
	size_t		npad = (s->nbuf < 56 ? 56 : 120) - s->nbuf;
	int		i;

	for (i = 0; i < 8; i++)
		pad[npad + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(s, pad, npad + 8);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void
oauth_hmac_sha1(unsigned char out[20], const void *key, size_t klen,
    const void *msg, size_t mlen)
{
	unsigned char	k[64] = { 0 }, pad[64], inner[20];
	struct sha1	s;
	size_t		i;

	if (klen > sizeof(k)) {
		sha1_init(&s);
		sha1_update(&s, key, klen);
		sha1_final(&s, k);
	} else if (klen > 0)
		memcpy(k, key, klen);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sha1_init(&s);
	sha1_update(&s, pad, 64);
	sha1_update(&s, msg, mlen);
	sha1_final(&s, inner);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	sha1_init(&s);
	sha1_update(&s, pad, 64);
	sha1_update(&s, inner, 20);
	sha1_final(&s, out);
}

void
oauth_hmac_sha256(unsigned char out[32], const void *key, size_t klen,
    const void *msg, size_t mlen)
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, klen);
	crypto_auth_hmacsha256_update(&st, msg, mlen);
	crypto_auth_hmacsha256_final(&st, out);
}

/* --- the base string ------------------------------------------------ */

int
oauth_method_parse(struct str s)
{
	if (str_eqc(s, "HMAC-SHA1"))
		return OAUTH_HMAC_SHA1;
	if (str_eqc(s, "HMAC-SHA256"))
		return OAUTH_HMAC_SHA256;
	return -1;
}

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

void
oauth_encode(struct strbuf *sb, struct str s)
{
	static const char	hex[] = "0123456789ABCDEF";
	size_t			i;
	unsigned char		c;

	for (i = 0; i < s.len; i++) {
		c = (unsigned char)s.p[i];
		if (unreserved(c))
			strbuf_addch(sb, c);
		else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[c >> 4]);
			strbuf_addch(sb, hex[c & 15]);
		}
	}
}

/* strcmp order of two views (bytes unsigned; a prefix first). */
static int
key_cmp(struct str a, struct str b)
{
	size_t	n = a.len < b.len ? a.len : b.len;
	int	c = n ? memcmp(a.p, b.p, n) : 0;

	if (c != 0)
		return c;
	return a.len < b.len ? -1 : a.len > b.len;
}

int
oauth_base_string(struct strbuf *sb, struct str method, struct str url,
    const struct oauth_param *p, size_t n)
{
	const struct oauth_param *ord[OAUTH_PARAMS_MAX], *t;
	struct strbuf	pair;
	size_t		i, j, m = 0;
	int		c;

	if (n > OAUTH_PARAMS_MAX)
		return -1;
	/* Insertion sort, at most 64: a later duplicate replaces the
	 * earlier one in place (PHP's $_GET keeps the last). */
	for (i = 0; i < n; i++) {
		if (str_eqc(p[i].key, "oauth_signature"))
			continue;
		for (j = 0; j < m; j++)
			if ((c = key_cmp(p[i].key, ord[j]->key)) <= 0)
				break;
		if (j < m && key_cmp(p[i].key, ord[j]->key) == 0) {
			ord[j] = &p[i];
			continue;
		}
		t = &p[i];
		memmove(&ord[j + 1], &ord[j], (m - j) * sizeof(ord[0]));
		ord[j] = t;
		m++;
	}
	strbuf_add(sb, method.p, method.len);
	strbuf_addch(sb, '&');
	oauth_encode(sb, url);
	strbuf_addch(sb, '&');
	strbuf_init(&pair, 128);
	for (i = 0; i < m; i++) {
		strbuf_reset(&pair);
		oauth_encode(&pair, ord[i]->key);
		strbuf_addch(&pair, '=');
		oauth_encode(&pair, ord[i]->val);
		if (i > 0)
			strbuf_addstr(sb, "%26");
		oauth_encode(sb, strbuf_str(&pair));
	}
	strbuf_release(&pair);
	return 0;
}

void
oauth_sign(char out[OAUTH_SIG_LEN], enum oauth_method m, struct str secret,
    struct str base)
{
	unsigned char	mac[32], key[256];
	size_t		klen = secret.len + 1;

	/* Consumer secrets are 43 bytes; a longer one is not ours and
	 * signs with a key that matches nothing. */
	if (klen > sizeof(key))
		klen = 0;
	else {
		memcpy(key, secret.p, secret.len);
		key[secret.len] = '&';
	}
	if (m == OAUTH_HMAC_SHA1) {
		oauth_hmac_sha1(mac, key, klen, base.p, base.len);
		sodium_bin2base64(out, OAUTH_SIG_LEN, mac, 20,
		    sodium_base64_VARIANT_ORIGINAL);
	} else {
		oauth_hmac_sha256(mac, key, klen, base.p, base.len);
		sodium_bin2base64(out, OAUTH_SIG_LEN, mac, 32,
		    sodium_base64_VARIANT_ORIGINAL);
	}
	sodium_memzero(key, sizeof(key));
}

/* --- the Authorization header --------------------------------------- */

/* Percent-decodes s into a (no '+' rule: OAuth's header values are
 * RFC 3986-encoded). -1 on a bad escape or a NUL. */
static int
pct_decode(struct arena *a, struct str s, struct str *out)
{
	char	*d = arena_alloc(a, s.len + 1);
	size_t	 i, n = 0;
	int	 hi, lo;

	for (i = 0; i < s.len; i++) {
		if (s.p[i] != '%') {
			if (s.p[i] == '\0')
				return -1;
			d[n++] = s.p[i];
			continue;
		}
		if (i + 2 >= s.len)
			return -1;
		hi = str_hexval(s.p[i + 1]);
		lo = str_hexval(s.p[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return -1;
		d[n++] = (char)(hi << 4 | lo);
		i += 2;
	}
	d[n] = '\0';
	*out = (struct str){ d, n };
	return 0;
}

int
oauth_header_parse(struct arena *a, struct str h, struct oauth_param **out)
{
	struct oauth_param	*v;
	struct str		 k, val;
	size_t			 i = 0, ks, vs, n = 0;

	*out = NULL;
	if (h.len < 6 || strncasecmp(h.p, "OAuth ", 6) != 0)
		return 0;
	v = arena_alloc(a, OAUTH_PARAMS_MAX * sizeof(*v));
	i = 6;
	for (;;) {
		while (i < h.len && (h.p[i] == ' ' || h.p[i] == ','))
			i++;
		if (i == h.len)
			break;
		for (ks = i; i < h.len && h.p[i] != '='; i++)
			if (h.p[i] == ',' || h.p[i] == ' ')
				return -1;
		if (i == h.len || i == ks)
			return -1;
		k = (struct str){ h.p + ks, i - ks };
		i++;
		if (i == h.len || h.p[i] != '"')
			return -1;
		for (vs = ++i; i < h.len && h.p[i] != '"'; i++)
			;
		if (i == h.len)
			return -1;
		val = (struct str){ h.p + vs, i - vs };
		i++;
		if (k.len < 6 || memcmp(k.p, "oauth_", 6) != 0)
			continue;	/* realm, and what is not OAuth's */
		if (n == OAUTH_PARAMS_MAX)
			return -1;
		if (pct_decode(a, k, &v[n].key) == -1 ||
		    pct_decode(a, val, &v[n].val) == -1)
			return -1;
		n++;
	}
	*out = v;
	return (int)n;
}
