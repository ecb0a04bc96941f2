/* secret.c: texts sealed with the server's key (see secret.h). */
#include "core/common.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/secret.h"

#define PREFIX		"s1:"
#define PREFIX_LEN	3
#define KID_LEN		8	/* hex digits */
#define HEAD_LEN	(PREFIX_LEN + KID_LEN + 1)

/* A key and its id. */
struct skey {
	unsigned char	k[SECRET_KEY_BYTES];
	char		id[KID_LEN + 1];
};

/* The process's key, read once; zeroed when forgotten. */
static struct skey	cur;
static int		have_key;

/* The retired keys (secret_old_key_files), read once when a text
 * sealed under another key is first opened. */
static struct skey	old[SECRET_OLD_KEYS_MAX];
static size_t		nold;
static int		old_loaded;

/* The key's id: a hash of the key under a fixed label, so it reveals
 * nothing of the key and cannot be confused with any other hash of it. */
static void
key_id(struct skey *sk)
{
	unsigned char h[crypto_generichash_BYTES_MIN];

	crypto_generichash(h, sizeof(h), (const unsigned char *)
	    "souk secret key id", 18, sk->k, sizeof(sk->k));
	sodium_bin2hex(sk->id, sizeof(sk->id), h, KID_LEN / 2);
}

void
secret_set_key(const unsigned char *k)
{
	if (sodium_init() < 0)
		return;
	if (k == NULL) {
		sodium_memzero(&cur, sizeof(cur));
		sodium_memzero(old, sizeof(old));
		have_key = old_loaded = 0;
		nold = 0;
		return;
	}
	memcpy(cur.k, k, sizeof(cur.k));
	key_id(&cur);
	have_key = 1;
}

/* Reads the key file at path into *sk. 0, or -1 with a reason. */
static int
read_key(const char *path, struct skey *sk, char *err, size_t errlen)
{
	unsigned char	 buf[SECRET_KEY_BYTES + 1];
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		str_errf(err, errlen, "cannot open secret key file '%s': %s "
		    "(soukctl secret-key create writes one)", path,
		    strerror(errno));
		return -1;
	}
	/* One byte more than a key: a longer file is not ours. */
	while (got < sizeof(buf)) {
		n = read(fd, buf + got, sizeof(buf) - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != SECRET_KEY_BYTES) {
		sodium_memzero(buf, sizeof(buf));
		str_errf(err, errlen, "secret key file '%s' does not hold "
		    "exactly %d bytes", path, SECRET_KEY_BYTES);
		return -1;
	}
	memcpy(sk->k, buf, sizeof(sk->k));
	sodium_memzero(buf, sizeof(buf));
	key_id(sk);
	return 0;
}

static int
load_key(char *err, size_t errlen)
{
	struct skey	sk;

	if (have_key)
		return 0;
	if (sodium_init() < 0) {
		str_errf(err, errlen, "cannot initialise libsodium");
		return -1;
	}
	if (read_key(config_get("secret_key_file", SECRET_KEY_FILE), &sk,
	    err, errlen) == -1)
		return -1;
	secret_set_key(sk.k);
	sodium_memzero(&sk, sizeof(sk));
	return 0;
}

/* Reads the retired keys, once: a file that cannot be read is left out
 * (logged by the caller through err when no key fits). */
static void
load_old_keys(char *err, size_t errlen)
{
	const char	*list = config_get("secret_old_key_files", "");
	char		 path[PATH_MAX];
	size_t		 len;

	if (old_loaded)
		return;
	old_loaded = 1;
	while (*list != '\0' && nold < SECRET_OLD_KEYS_MAX) {
		list += strspn(list, " \t,");
		if ((len = strcspn(list, " \t,")) == 0)
			break;
		if (len < sizeof(path)) {
			memcpy(path, list, len);
			path[len] = '\0';
			if (read_key(path, &old[nold], err, errlen) == 0)
				nold++;
		}
		list += len;
	}
}

/* The key whose id sealed names, or NULL. */
static const struct skey *
key_for(struct str sealed, char *err, size_t errlen)
{
	size_t i;

	if (memcmp(sealed.p + PREFIX_LEN, cur.id, KID_LEN) == 0)
		return &cur;
	load_old_keys(err, errlen);
	for (i = 0; i < nold; i++)
		if (memcmp(sealed.p + PREFIX_LEN, old[i].id, KID_LEN) == 0)
			return &old[i];
	return NULL;
}

int
secret_set_old_keys(const char *list)
{
	char err[256];

	sodium_memzero(old, sizeof(old));
	nold = 0;
	old_loaded = 0;
	config_set("secret_old_key_files", list);
	load_old_keys(err, sizeof(err));
	return (int)nold;
}

char *
secret_seal(struct arena *a, struct str text, char *err, size_t errlen)
{
	unsigned char	*box;
	size_t		 boxlen, b64len;
	char		*out;

	if (text.len > SECRET_TEXT_MAX) {
		str_errf(err, errlen, "text to seal is too long");
		return NULL;
	}
	if (load_key(err, errlen) == -1)
		return NULL;
	boxlen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
	    text.len;
	box = arena_alloc(a, boxlen);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
	    (const unsigned char *)text.p, text.len, box, cur.k);
	b64len = sodium_base64_ENCODED_LEN(boxlen,
	    sodium_base64_VARIANT_ORIGINAL);
	out = arena_alloc(a, HEAD_LEN + b64len);
	memcpy(out, PREFIX, PREFIX_LEN);
	memcpy(out + PREFIX_LEN, cur.id, KID_LEN);
	out[PREFIX_LEN + KID_LEN] = ':';
	sodium_bin2base64(out + HEAD_LEN, b64len, box, boxlen,
	    sodium_base64_VARIANT_ORIGINAL);
	return out;
}

int
secret_is_sealed(struct str s)
{
	size_t i;

	if (s.len <= HEAD_LEN || memcmp(s.p, PREFIX, PREFIX_LEN) != 0 ||
	    s.p[PREFIX_LEN + KID_LEN] != ':')
		return 0;
	for (i = PREFIX_LEN; i < PREFIX_LEN + KID_LEN; i++)
		if (!((s.p[i] >= '0' && s.p[i] <= '9') ||
		    (s.p[i] >= 'a' && s.p[i] <= 'f')))
			return 0;
	return 1;
}

int
secret_open(struct arena *a, struct str sealed, struct str *out, char *err,
    size_t errlen)
{
	unsigned char	*box;
	char		*text;
	size_t		 boxlen;
	const char	*end;
	const struct skey *sk;

	*out = STR_NULL;
	if (sealed.len > SECRET_SEALED_MAX || !secret_is_sealed(sealed)) {
		str_errf(err, errlen, "not a sealed secret");
		return -1;
	}
	if (load_key(err, errlen) == -1)
		return -1;
	if ((sk = key_for(sealed, err, errlen)) == NULL) {
		str_errf(err, errlen, "secret sealed with another key "
		    "(key id %.*s, ours %s; a retired key goes in "
		    "secret_old_key_files)", KID_LEN, sealed.p + PREFIX_LEN,
		    cur.id);
		return -1;
	}
	box = arena_alloc(a, sealed.len);
	if (sodium_base642bin(box, sealed.len, sealed.p + HEAD_LEN,
	    sealed.len - HEAD_LEN, NULL, &boxlen, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != sealed.p + sealed.len ||
	    boxlen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		str_errf(err, errlen, "sealed secret is malformed");
		return -1;
	}
	text = arena_alloc(a, boxlen - crypto_secretbox_NONCEBYTES -
	    crypto_secretbox_MACBYTES + 1);
	if (crypto_secretbox_open_easy((unsigned char *)text,
	    box + crypto_secretbox_NONCEBYTES,
	    boxlen - crypto_secretbox_NONCEBYTES, box, sk->k) != 0) {
		str_errf(err, errlen, "sealed secret does not open (changed, "
		    "or sealed with another key)");
		return -1;
	}
	out->len = boxlen - crypto_secretbox_NONCEBYTES -
	    crypto_secretbox_MACBYTES;
	text[out->len] = '\0';
	out->p = text;
	return 0;
}

int
secret_is_current(struct str sealed)
{
	char err[256];

	return secret_is_sealed(sealed) && load_key(err, sizeof(err)) == 0 &&
	    memcmp(sealed.p + PREFIX_LEN, cur.id, KID_LEN) == 0;
}

int
secret_mac(const char *label, const void *p, size_t n,
    unsigned char out[SECRET_MAC_BYTES], char *err, size_t errlen)
{
	crypto_generichash_state	st;

	if (load_key(err, errlen) == -1)
		return -1;
	/* The label and its NUL first: no two labels' inputs overlap. */
	crypto_generichash_init(&st, cur.k, sizeof(cur.k), SECRET_MAC_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)label,
	    strlen(label) + 1);
	crypto_generichash_update(&st, p, n);
	crypto_generichash_final(&st, out, SECRET_MAC_BYTES);
	return 0;
}

int
secret_key_create(const char *path, char *err, size_t errlen)
{
	unsigned char	 buf[SECRET_KEY_BYTES];
	ssize_t		 n;
	int		 fd, rc = -1;

	if (path == NULL)
		path = config_get("secret_key_file", SECRET_KEY_FILE);
	if (sodium_init() < 0) {
		str_errf(err, errlen, "cannot initialise libsodium");
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd == -1) {
		str_errf(err, errlen, "cannot create '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	randombytes_buf(buf, sizeof(buf));
	do
		n = write(fd, buf, sizeof(buf));
	while (n == -1 && errno == EINTR);
	sodium_memzero(buf, sizeof(buf));
	if (n != (ssize_t)sizeof(buf)) {
		str_errf(err, errlen, "cannot write '%s': %s", path,
		    n == -1 ? strerror(errno) : "short write");
		goto fail;
	}
	/* The umask may have taken the group's read bit away. */
	if (fchmod(fd, 0640) == -1 || fsync(fd) == -1) {
		str_errf(err, errlen, "cannot finish '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	rc = 0;
fail:
	close(fd);
	if (rc == -1)
		unlink(path);
	return rc;
}

int
secret_derive(const char *purpose, unsigned char out[SECRET_KEY_BYTES],
    char *kid, char *err, size_t errlen)
{
	if (load_key(err, errlen) == -1)
		return -1;
	/* Keyed BLAKE2b of the purpose: another key per purpose, none of
	 * which tells anything of the server's key or of the others. */
	crypto_generichash(out, SECRET_KEY_BYTES, (const unsigned char *)
	    purpose, strlen(purpose), cur.k, sizeof(cur.k));
	if (kid != NULL)
		memcpy(kid, cur.id, KID_LEN + 1);
	return 0;
}
