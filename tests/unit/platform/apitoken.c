/*
 * tests/unit/platform/apitoken.c: the tenant API's access and refresh
 * tokens (platform/apitoken.h) and operators' keys (platform/opkey.h)
 * against the private MariaDB. Includes the .c for its statics.
 */
#include "core/common.h"

#include <jwt.h>
#include <time.h>

#include "../../../fcgi-app/platform/apitoken.c"
#include "core/secret.h"
#include "platform/account.h"
#include "platform/operator.h"
#include "platform/opkey.h"
#include "test.h"
#include "dbtest.h"

static struct db	*db;

static int64_t
new_account(const char *what)
{
	char	email[128];
	int64_t	id = 0;
	int	n;

	n = snprintf(email, sizeof(email), "%s-%s@example.com", what,
	    dbtest_tag());
	TEST_CHECK(n > 0 && (size_t)n < sizeof(email));
	TEST_CHECK(account_create(db, str_c(email), STR("password1"), &id) ==
	    ACCOUNT_OK);
	return id;
}

/* A token signed with key (32 bytes) and alg, claims as given. */
static char *
forge(jwt_alg_t alg, const unsigned char *key, const char *sub, long iat,
    long exp)
{
	jwt_t	*j;
	char	*s;

	TEST_CHECK(jwt_new(&j) == 0);
	if (sub != NULL)
		TEST_CHECK(jwt_add_grant(j, "sub", sub) == 0);
	TEST_CHECK(jwt_add_grant_int(j, "iat", iat) == 0);
	TEST_CHECK(jwt_add_grant_int(j, "exp", exp) == 0);
	TEST_CHECK(jwt_set_alg(j, alg, alg == JWT_ALG_NONE ? NULL : key,
	    alg == JWT_ALG_NONE ? 0 : 32) == 0);
	s = jwt_encode_str(j);
	jwt_free(j);
	return s;
}

static void
test_access(void)
{
	struct apitoken_pair	 p;
	unsigned char		 key[32], other[32];
	char			 kid[9], sub[24], *s;
	int64_t			 id = new_account("access"), got = 0;
	int64_t			 now = (int64_t)time(NULL);
	jwt_t			*j;

	TEST_CHECK(apitoken_issue(db, id, now, &p) == APITOKEN_OK);
	TEST_CHECK(strlen(p.refresh) == APITOKEN_REFRESH_HEX);
	TEST_CHECK(apitoken_verify(db, str_c(p.access), now, &got) ==
	    APITOKEN_OK && got == id);
	/* Its claims and header. */
	TEST_CHECK(signing_key(key, kid) == 0);
	TEST_CHECK(jwt_decode(&j, p.access, key, sizeof(key)) == 0);
	TEST_CHECK(jwt_get_alg(j) == JWT_ALG_HS256);
	TEST_CHECK(jwt_get_grant_int(j, "exp") - jwt_get_grant_int(j,
	    "iat") == APITOKEN_ACCESS_TTL);
	TEST_CHECK(strlen(jwt_get_grant(j, "jti")) == 32);
	TEST_STREQ(jwt_get_header(j, "kid"), kid);
	jwt_free(j);
	/* Expired: at exp it is refused. */
	TEST_CHECK(apitoken_verify(db, str_c(p.access), now +
	    APITOKEN_ACCESS_TTL - 1, &got) == APITOKEN_OK);
	TEST_CHECK(apitoken_verify(db, str_c(p.access), now +
	    APITOKEN_ACCESS_TTL, &got) == APITOKEN_EINVALID);
	/* Tampered: a changed character of the signature or claims. */
	{
		char	t[APITOKEN_ACCESS_MAX];
		size_t	n = strlen(p.access), dot = strchr(p.access, '.') -
			    p.access;

		memcpy(t, p.access, n + 1);
		t[n - 2] = t[n - 2] == 'A' ? 'B' : 'A';
		TEST_CHECK(apitoken_verify(db, str_c(t), now, &got) ==
		    APITOKEN_EINVALID);
		memcpy(t, p.access, n + 1);
		t[dot + 3] = t[dot + 3] == 'A' ? 'B' : 'A';
		TEST_CHECK(apitoken_verify(db, str_c(t), now, &got) ==
		    APITOKEN_EINVALID);
	}
	TEST_CHECK(apitoken_verify(db, STR(""), now, &got) ==
	    APITOKEN_EINVALID);
	TEST_CHECK(apitoken_verify(db, STR("a.b.c"), now, &got) ==
	    APITOKEN_EINVALID);
	/* Forged: another key, alg none, HS512, no sub, an
	 * account that does not exist. */
	snprintf(sub, sizeof(sub), "%lld", (long long)id);
	memset(other, 7, sizeof(other));
	s = forge(JWT_ALG_HS256, other, sub, (long)now, (long)now + 60);
	TEST_CHECK(apitoken_verify(db, str_c(s), now, &got) ==
	    APITOKEN_EINVALID);
	free(s);
	s = forge(JWT_ALG_NONE, NULL, sub, (long)now, (long)now + 60);
	TEST_CHECK(apitoken_verify(db, str_c(s), now, &got) ==
	    APITOKEN_EINVALID);
	free(s);
	s = forge(JWT_ALG_HS512, key, sub, (long)now, (long)now + 60);
	TEST_CHECK(apitoken_verify(db, str_c(s), now, &got) ==
	    APITOKEN_EINVALID);
	free(s);
	s = forge(JWT_ALG_HS256, key, NULL, (long)now, (long)now + 60);
	TEST_CHECK(apitoken_verify(db, str_c(s), now, &got) ==
	    APITOKEN_EINVALID);
	free(s);
	s = forge(JWT_ALG_HS256, key, "999999999", (long)now, (long)now + 60);
	TEST_CHECK(apitoken_verify(db, str_c(s), now, &got) ==
	    APITOKEN_EINVALID);
	free(s);
	/* Ours, signed right: accepted. */
	s = forge(JWT_ALG_HS256, key, sub, (long)now, (long)now + 60);
	TEST_CHECK(apitoken_verify(db, str_c(s), now, &got) == APITOKEN_OK);
	free(s);
}

static void
test_refresh_and_revoke(void)
{
	struct apitoken_pair	 p, p2, p3;
	int64_t			 id = new_account("refresh"), got = 0;
	int64_t			 now = (int64_t)time(NULL);

	TEST_CHECK(apitoken_issue(db, id, now, &p) == APITOKEN_OK);
	/* Used once: a new pair, the old refresh token spent. */
	TEST_CHECK(apitoken_refresh(db, str_c(p.refresh), now, &got, &p2) ==
	    APITOKEN_OK && got == id);
	TEST_CHECK(strcmp(p2.refresh, p.refresh) != 0);
	TEST_CHECK(apitoken_refresh(db, str_c(p.refresh), now, &got, &p3) ==
	    APITOKEN_EINVALID);
	TEST_CHECK(apitoken_refresh(db, STR("zz"), now, &got, &p3) ==
	    APITOKEN_EINVALID);
	/* Expired after 30 days. */
	TEST_CHECK(apitoken_refresh_owner(db, str_c(p2.refresh), now +
	    APITOKEN_REFRESH_TTL - 5, &got) == APITOKEN_OK);
	TEST_CHECK(apitoken_refresh(db, str_c(p2.refresh), now +
	    APITOKEN_REFRESH_TTL + 5, &got, &p3) == APITOKEN_EINVALID);
	/* Revoke: the refresh token and every access token before it. */
	TEST_CHECK(apitoken_refresh(db, str_c(p2.refresh), now, &got, &p3) ==
	    APITOKEN_OK);
	TEST_CHECK(apitoken_verify(db, str_c(p3.access), now, &got) ==
	    APITOKEN_OK);
	TEST_CHECK(apitoken_revoke(db, id, now) == APITOKEN_OK);
	TEST_CHECK(apitoken_verify(db, str_c(p3.access), now, &got) ==
	    APITOKEN_EINVALID);
	TEST_CHECK(apitoken_verify(db, str_c(p.access), now, &got) ==
	    APITOKEN_EINVALID);
	TEST_CHECK(apitoken_refresh(db, str_c(p3.refresh), now, &got, &p2) ==
	    APITOKEN_EINVALID);
	/* A pair issued in the same second, after the revocation, works;
	 * a second revocation in that second ends it too. */
	TEST_CHECK(apitoken_issue(db, id, now, &p) == APITOKEN_OK);
	TEST_CHECK(apitoken_verify(db, str_c(p.access), now, &got) ==
	    APITOKEN_OK);
	TEST_CHECK(apitoken_revoke(db, id, now) == APITOKEN_OK);
	TEST_CHECK(apitoken_verify(db, str_c(p.access), now, &got) ==
	    APITOKEN_EINVALID);
}

static void
test_opkeys(void)
{
	struct arena	 a;
	struct opkey	*ks;
	char		 key[OPKEY_LEN + 1], email[128], desc[1000], was;
	int64_t		 op, plain = new_account("plain"), got = 0, kid;
	size_t		 n, i;
	int		 found = 0;

	snprintf(email, sizeof(email), "opkey-%s@example.com", dbtest_tag());
	TEST_CHECK(operator_add(db, str_c(email), STR("password1"), &op) ==
	    ACCOUNT_OK);
	TEST_CHECK(opkey_create(db, plain, STR(""), key, NULL) ==
	    OPKEY_ENOT_OPERATOR);
	memset(desc, 0, sizeof(desc));
	for (i = 0; i < 201; i++)
		memcpy(desc + 2 * i, "\xc3\xa9", 2);	/* é */
	TEST_CHECK(opkey_create(db, op, str_c(desc), key, NULL) ==
	    OPKEY_EDESC);
	desc[400] = '\0';			/* 200 characters */
	TEST_CHECK(opkey_create(db, op, str_c(desc), key, &kid) == OPKEY_OK);
	TEST_CHECK(strlen(key) == OPKEY_LEN && strncmp(key, OPKEY_PREFIX,
	    OPKEY_PREFIX_LEN) == 0);
	TEST_CHECK(opkey_check(db, str_c(key), &got) == OPKEY_OK &&
	    got == op);
	/* One character changed, a prefix only, upper case: refused. */
	was = key[20];
	key[20] = was == 'a' ? 'b' : 'a';
	TEST_CHECK(opkey_check(db, str_c(key), &got) == OPKEY_EINVALID);
	TEST_CHECK(opkey_check(db, STR(OPKEY_PREFIX), &got) ==
	    OPKEY_EINVALID);
	key[20] = was;
	/* Listed with its last characters and its use. */
	arena_init(&a);
	TEST_CHECK(opkey_list(db, &a, &ks, &n) == OPKEY_OK);
	for (i = 0; i < n; i++)
		if (ks[i].id == kid) {
			found = 1;
			TEST_STREQ(ks[i].last, key + OPKEY_LEN - OPKEY_LAST);
			TEST_CHECK(ks[i].last_used_at[0] != '\0');
			TEST_CHECK(!ks[i].revoked);
		}
	TEST_CHECK(found);
	arena_free(&a);
	/* No longer an operator: the key ends with the rights. */
	TEST_CHECK(operator_remove(db, op) == ACCOUNT_OK);
	TEST_CHECK(opkey_check(db, str_c(key), &got) == OPKEY_EINVALID);
	TEST_CHECK(operator_add(db, str_c(email), STR(""), &op) == ACCOUNT_OK);
	TEST_CHECK(opkey_check(db, str_c(key), &got) == OPKEY_OK);
	/* Revoked: never again. */
	TEST_CHECK(opkey_revoke(db, kid) == OPKEY_OK);
	TEST_CHECK(opkey_revoke(db, kid) == OPKEY_OK);
	TEST_CHECK(opkey_check(db, str_c(key), &got) == OPKEY_EINVALID);
	TEST_CHECK(opkey_revoke(db, INT64_MAX) == OPKEY_ENOTFOUND);
}

int
main(void)
{
	unsigned char k[SECRET_KEY_BYTES];

	db = dbtest_open("test-apitoken");
	memset(k, 0x5a, sizeof(k));
	secret_set_key(k);
	test_access();
	secret_set_key(k);
	test_refresh_and_revoke();
	test_opkeys();
	/* No server key: tokens can be neither made nor checked. */
	secret_set_key(NULL);
	TEST_CHECK(setenv("SOUK_SECRET_KEY_FILE", "/nonexistent/key", 1) ==
	    0);
	{
		struct apitoken_pair	p;
		int64_t			got;

		TEST_CHECK(apitoken_issue(db, new_account("nokey"),
		    (int64_t)time(NULL), &p) == APITOKEN_EKEY);
		TEST_CHECK(apitoken_verify(db, STR("a.b.c"),
		    (int64_t)time(NULL), &got) == APITOKEN_EKEY);
	}
	db_close(db);
	migrate_free();
	config_free();
	return test_done();
}
