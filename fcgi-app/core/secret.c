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

/* The process's key, read once; zeroed when forgotten. */
static unsigned char	key[SECRET_KEY_BYTES];
static char		kid[KID_LEN + 1];
static int		have_key;

/* The key's id: a hash of the key under a fixed label, so it reveals
 * nothing of the key and cannot be confused with any other hash of it. */
static void
key_id(void)
{
	unsigned char h[crypto_generichash_BYTES_MIN];

	crypto_generichash(h, sizeof(h), (const unsigned char *)
	    "souk secret key id", 18, key, sizeof(key));
	sodium_bin2hex(kid, sizeof(kid), h, KID_LEN / 2);
}

void
secret_set_key(const unsigned char *k)
{
	if (sodium_init() < 0)
		return;
	if (k == NULL) {
		sodium_memzero(key, sizeof(key));
		have_key = 0;
		return;
	}
	memcpy(key, k, sizeof(key));
	key_id();
	have_key = 1;
}

static int
load_key(char *err, size_t errlen)
{
	const char	*path;
	unsigned char	 buf[SECRET_KEY_BYTES + 1];
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	if (have_key)
		return 0;
	if (sodium_init() < 0) {
		str_errf(err, errlen, "cannot initialise libsodium");
		return -1;
	}
	path = config_get("secret_key_file", SECRET_KEY_FILE);
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
	secret_set_key(buf);
	sodium_memzero(buf, sizeof(buf));
	return 0;
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
	    (const unsigned char *)text.p, text.len, box, key);
	b64len = sodium_base64_ENCODED_LEN(boxlen,
	    sodium_base64_VARIANT_ORIGINAL);
	out = arena_alloc(a, HEAD_LEN + b64len);
	memcpy(out, PREFIX, PREFIX_LEN);
	memcpy(out + PREFIX_LEN, kid, KID_LEN);
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

	*out = STR_NULL;
	if (sealed.len > SECRET_SEALED_MAX || !secret_is_sealed(sealed)) {
		str_errf(err, errlen, "not a sealed secret");
		return -1;
	}
	if (load_key(err, errlen) == -1)
		return -1;
	if (memcmp(sealed.p + PREFIX_LEN, kid, KID_LEN) != 0) {
		str_errf(err, errlen, "secret sealed with another key "
		    "(key id %.*s, ours %s)", KID_LEN, sealed.p + PREFIX_LEN,
		    kid);
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
	    boxlen - crypto_secretbox_NONCEBYTES, box, key) != 0) {
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
