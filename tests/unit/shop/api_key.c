/*
 * tests/unit/shop/api_key.c: a shop's API keys. A new key has the
 * shapes ck_/cs_ + 40 hex; the row holds neither (a keyed hash and a
 * salt); api_key_find() gives back the same secret; another shop, a
 * malformed key, a revoked key, or another server key find nothing;
 * validation; nonces are refused the second time, per key.
 */
#include "core/common.h"
#include "core/secret.h"
#include "shop/api_key.h"
#include "shop/shop.h"
#include "test.h"
#include "dbtest.h"

static int
hex40(const char *s, const char *prefix)
{
	size_t i;

	if (strlen(s) != API_KEY_LEN || strncmp(s, prefix, 3) != 0)
		return 0;
	for (i = 3; i < API_KEY_LEN; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

int
main(void)
{
	struct db		*db = dbtest_open("unit/shop/api_key");
	static const unsigned char k[SECRET_KEY_BYTES] = "api key test key";
	struct arena		 a;
	struct field_errors	 errs = { .n = 0 };
	struct api_key_new	 in;
	struct api_key		 key, *list;
	char			 secret[API_KEY_LEN + 1];
	size_t			 n;
	int64_t			 s1, s2;

	arena_init(&a);
	secret_set_key(k);
	s1 = dbtest_shop(db, "ak1", NULL, NULL, "en", "EUR");
	s2 = dbtest_shop(db, "ak2", NULL, NULL, "en", "EUR");
	TEST_CHECK(s1 > 0 && s2 > 0);
	{
		struct shop_ctx c1 = { db, &a, s1, "en", "en", "EUR", NULL,
		    NULL, 0 };
		struct shop_ctx c2 = { db, &a, s2, "en", "en", "EUR", NULL,
		    NULL, 0 };
		struct db_stmt *st;
		struct str	row;

		memset(&in, 0, sizeof(in));
		in.description = STR("  ");
		in.perm = API_KEY__MAX;
		TEST_CHECK(api_key_create(&c1, &in, &errs) == SHOP_EINVAL);
		TEST_CHECK(errs.n == 2);
		errs.n = 0;

		in.description = STR("ERP");
		in.perm = API_KEY_READ;
		TEST_CHECK(api_key_create(&c1, &in, &errs) == SHOP_OK);
		TEST_CHECK(hex40(in.consumer_key, "ck_"));
		TEST_CHECK(hex40(in.consumer_secret, "cs_"));
		TEST_CHECK(in.id > 0);

		/* Neither the key nor the secret is in the row. */
		st = db_prepare(db, "SELECT CONCAT(HEX(key_hash), HEX(salt),"
		    " description, truncated_key) FROM {p}api_keys", s1);
		TEST_CHECK(st != NULL && db_exec(st, &a) == 0 &&
		    db_step(st) == 1);
		row = arena_str(&a, db_col_str(st, 0));
		db_done(st);
		TEST_CHECK(strcasestr(row.p, in.consumer_key + 3) == NULL);
		TEST_CHECK(strcasestr(row.p, in.consumer_secret + 3) == NULL);
		TEST_CHECK(strstr(row.p, in.consumer_key + 36) != NULL);

		TEST_CHECK(api_key_find(&c1, str_c(in.consumer_key), &key,
		    secret) == SHOP_OK);
		TEST_STREQ(secret, in.consumer_secret);
		TEST_CHECK(key.id == in.id && key.perm == API_KEY_READ);
		TEST_CHECK(str_eqc(key.description, "ERP"));
		TEST_CHECK(api_key_find(&c2, str_c(in.consumer_key), &key,
		    secret) == SHOP_ENOTFOUND);
		TEST_CHECK(api_key_find(&c1, STR("ck_x"), &key, secret) ==
		    SHOP_ENOTFOUND);

		TEST_CHECK(api_key_list(&c1, &list, &n) == SHOP_OK && n == 1);
		TEST_CHECK(n == 1 && str_eqc(list[0].truncated,
		    in.consumer_key + API_KEY_LEN - 7));
		TEST_CHECK(n == 1 && list[0].last_access.len == 19);
		TEST_CHECK(api_key_list(&c2, &list, &n) == SHOP_OK && n == 0);

		/* Nonces: once per key. */
		TEST_CHECK(api_key_nonce(&c1, in.id, STR("abc"), 100, 100,
		    900) == SHOP_OK);
		TEST_CHECK(api_key_nonce(&c1, in.id, STR("abc"), 101, 101,
		    900) == SHOP_ECONFLICT);
		TEST_CHECK(api_key_nonce(&c1, in.id + 1, STR("abc"), 100, 100,
		    900) == SHOP_OK);

		/* Another server key: the key is not found any more. */
		secret_set_key((const unsigned char *)
		    "another key, 32 bytes long.....");
		TEST_CHECK(api_key_find(&c1, str_c(in.consumer_key), &key,
		    secret) == SHOP_ENOTFOUND);
		secret_set_key(k);

		TEST_CHECK(api_key_revoke(&c2, in.id) == SHOP_ENOTFOUND);
		TEST_CHECK(api_key_revoke(&c1, in.id) == SHOP_OK);
		TEST_CHECK(api_key_find(&c1, str_c(in.consumer_key), &key,
		    secret) == SHOP_ENOTFOUND);
		TEST_CHECK(api_key_perm_parse(STR("read_write")) ==
		    API_KEY_READ_WRITE);
		TEST_CHECK(api_key_perm_parse(STR("admin")) == -1);
	}
	arena_free(&a);
	db_close(db);
	return test_done();
}
