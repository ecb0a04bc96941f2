/*
 * tests/unit/core/oauth.c: OAuth 1.0a base strings and signatures as
 * WooCommerce makes them. The expected values were computed apart from
 * this code (Python's hmac and urllib.parse.quote(safe="-._~"), which
 * is PHP's rawurlencode), for a request shaped like the official
 * client's; the HMAC-SHA1 vectors are RFC 2202's.
 */
#include "core/common.h"
#include "core/crypto.h"
#include "core/oauth.h"
#include "test.h"

#include <sodium.h>

static void
hmac_vectors(void)
{
	unsigned char	mac[32], key[80];
	char		hex[65];

	/* RFC 2202, test cases 1, 2 and 6 (a key longer than a block). */
	memset(key, 0x0b, 20);
	oauth_hmac_sha1(mac, key, 20, "Hi There", 8);
	crypto_hex(hex, mac, 20);
	TEST_STREQ(hex, "b617318655057264e28bc0b6fb378c8ef146be00");
	oauth_hmac_sha1(mac, "Jefe", 4, "what do ya want for nothing?", 28);
	crypto_hex(hex, mac, 20);
	TEST_STREQ(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	memset(key, 0xaa, 80);
	oauth_hmac_sha1(mac, key, 80,
	    "Test Using Larger Than Block-Size Key - Hash Key First", 54);
	crypto_hex(hex, mac, 20);
	TEST_STREQ(hex, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
	/* RFC 4231, test case 2. */
	oauth_hmac_sha256(mac, "Jefe", 4, "what do ya want for nothing?", 28);
	crypto_hex(hex, mac, 32);
	TEST_STREQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec"
	    "58b964ec3843");
}

#define CK	"ck_0123456789abcdef0123456789abcdef01234567"
#define CS	"cs_fedcba9876543210fedcba9876543210fedcba98"

static void
base_string(void)
{
	/* Unsorted, a value with a space and "&", a key twice (the last
	 * counts), and the signature itself (left out). */
	static const struct oauth_param p[] = {
		{ STR("per_page"), STR("20") },
		{ STR("oauth_consumer_key"), STR(CK) },
		{ STR("oauth_nonce"),
		    STR("kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg") },
		{ STR("oauth_signature_method"), STR("HMAC-SHA1") },
		{ STR("oauth_timestamp"), STR("1318622958") },
		{ STR("search"), STR("blue shirt & tie") },
		{ STR("category"), STR("15") },
		{ STR("oauth_signature"), STR("ignored=") },
		{ STR("oauth_version"), STR("1.0") },
		{ STR("category"), STR("16") },
	};
	struct strbuf	sb;
	char		sig[OAUTH_SIG_LEN];
	struct oauth_param many[OAUTH_PARAMS_MAX + 1];
	size_t		i;

	strbuf_init(&sb, 0);
	TEST_CHECK(oauth_base_string(&sb, STR("GET"),
	    STR("http://shop.example.com:8080/wp-json/wc/v3/products"), p,
	    NELEM(p)) == 0);
	TEST_STREQ(sb.buf, "GET&http%3A%2F%2Fshop.example.com%3A8080"
	    "%2Fwp-json%2Fwc%2Fv3%2Fproducts&category%3D16"
	    "%26oauth_consumer_key%3D" CK
	    "%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
	    "%26oauth_signature_method%3DHMAC-SHA1"
	    "%26oauth_timestamp%3D1318622958%26oauth_version%3D1.0"
	    "%26per_page%3D20%26search%3Dblue%2520shirt%2520%2526%2520tie");
	oauth_sign(sig, OAUTH_HMAC_SHA1, STR(CS), strbuf_str(&sb));
	TEST_STREQ(sig, "TERKn2SEJRPNoghFyJ2oRRk2jJQ=");
	oauth_sign(sig, OAUTH_HMAC_SHA256, STR(CS), strbuf_str(&sb));
	TEST_STREQ(sig, "DGeFBdRnfuwnGaP8pOf03oBEsop9ymqSxShb+ZBUc7s=");
	/* Another secret signs otherwise. */
	oauth_sign(sig, OAUTH_HMAC_SHA1, STR("cs_x"), strbuf_str(&sb));
	TEST_CHECK(strcmp(sig, "TERKn2SEJRPNoghFyJ2oRRk2jJQ=") != 0);

	/* No parameters; UTF-8 and reserved bytes encoded upper-case. */
	strbuf_reset(&sb);
	TEST_CHECK(oauth_base_string(&sb, STR("POST"), STR("https://a.b/x"),
	    NULL, 0) == 0);
	TEST_STREQ(sb.buf, "POST&https%3A%2F%2Fa.b%2Fx&");
	strbuf_reset(&sb);
	oauth_encode(&sb, STR("a b+c~d*\xc3\xa9"));
	TEST_STREQ(sb.buf, "a%20b%2Bc~d%2A%C3%A9");

	/* Too many: refused, nothing written. */
	for (i = 0; i < NELEM(many); i++)
		many[i] = (struct oauth_param){ STR("k"), STR("v") };
	strbuf_reset(&sb);
	TEST_CHECK(oauth_base_string(&sb, STR("GET"), STR("u"), many,
	    NELEM(many)) == -1);
	TEST_CHECK(sb.len == 0);
	strbuf_release(&sb);

	TEST_CHECK(oauth_method_parse(STR("HMAC-SHA1")) == OAUTH_HMAC_SHA1);
	TEST_CHECK(oauth_method_parse(STR("HMAC-SHA256")) ==
	    OAUTH_HMAC_SHA256);
	TEST_CHECK(oauth_method_parse(STR("hmac-sha1")) == -1);
	TEST_CHECK(oauth_method_parse(STR("PLAINTEXT")) == -1);
}

static void
header(void)
{
	struct arena		 a;
	struct oauth_param	*p;

	arena_init(&a);
	TEST_CHECK(oauth_header_parse(&a, STR("OAuth realm=\"x\", "
	    "oauth_consumer_key=\"ck_1\", oauth_signature=\"ab%2Bc%3D\""),
	    &p) == 2);
	TEST_CHECK(str_eqc(p[0].key, "oauth_consumer_key") &&
	    str_eqc(p[0].val, "ck_1"));
	TEST_CHECK(str_eqc(p[1].val, "ab+c="));
	TEST_CHECK(oauth_header_parse(&a, STR("Basic abc"), &p) == 0);
	TEST_CHECK(oauth_header_parse(&a, STR("OAuth oauth_x=\"1"), &p) == -1);
	TEST_CHECK(oauth_header_parse(&a, STR("OAuth oauth_x=1"), &p) == -1);
	TEST_CHECK(oauth_header_parse(&a, STR("OAuth oauth_x=\"%0\""), &p) ==
	    -1);
	TEST_CHECK(oauth_header_parse(&a, STR("OAuth oauth_x=\"%00\""), &p) ==
	    -1);
	TEST_CHECK(oauth_header_parse(&a, STR("OAuth "), &p) == 0);
	arena_free(&a);
}

int
main(void)
{
	TEST_CHECK(crypto_init() == 0);
	hmac_vectors();
	base_string();
	header();
	return test_done();
}
