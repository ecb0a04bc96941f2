/* media.c: uploaded images, typed by content (see media.h). */
#include "core/common.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "platform/image.h"
#include "shop/media.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int
media_save_image(int64_t tenant, struct str data, char *path, size_t pathlen)
{
	const char *type = image_type(data);

	if (type == NULL)
		return MEDIA_ETYPE;
	return media_save_as(tenant, data, type, path, pathlen);
}

int
media_save_as(int64_t tenant, struct str data, const char *type, char *path,
    size_t pathlen)
{
	const char	*dir = config_get("media_dir", "var/media");
	char		 name[33], full[1024];
	size_t		 off = 0;
	int		 fd, n;

	crypto_random_hex(name, 16);
	n = snprintf(full, sizeof(full), "%s/s%lld", dir, (long long)tenant);
	if (n < 0 || (size_t)n >= sizeof(full))
		return MEDIA_EIO;
	if (mkdir(full, 0755) == -1 && errno != EEXIST) {
		log_err("cannot create '%s': %s", full, strerror(errno));
		return MEDIA_EIO;
	}
	n = snprintf(path, pathlen, "s%lld/%s.%s", (long long)tenant, name,
	    type);
	if (n < 0 || (size_t)n >= pathlen)
		return MEDIA_EIO;
	n = snprintf(full, sizeof(full), "%s/%s", dir, path);
	if (n < 0 || (size_t)n >= sizeof(full))
		return MEDIA_EIO;
	if ((fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644)) == -1) {
		log_err("cannot create '%s': %s", full, strerror(errno));
		return MEDIA_EIO;
	}
	while (off < data.len) {
		ssize_t w = write(fd, data.p + off, data.len - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_err("cannot write '%s': %s", full,
			    strerror(errno));
			close(fd);
			unlink(full);
			return MEDIA_EIO;
		}
		off += (size_t)w;
	}
	if (close(fd) == -1) {
		log_err("cannot close '%s': %s", full, strerror(errno));
		unlink(full);
		return MEDIA_EIO;
	}
	return 0;
}

void
media_remove(const char *path)
{
	char	full[1024];
	int	n;

	n = snprintf(full, sizeof(full), "%s/%s",
	    config_get("media_dir", "var/media"), path);
	if (n < 0 || (size_t)n >= sizeof(full))
		return;
	if (unlink(full) == -1 && errno != ENOENT)
		log_warn("cannot remove '%s': %s", full, strerror(errno));
}
