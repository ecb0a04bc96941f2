/*
 * media.h: files merchants upload (product images), stored under the
 * configured media_dir in one folder per shop ("s42/<random>.png") and
 * served by nginx at /media/. The type is decided by the file's content
 * (magic bytes), never by its name or the browser's Content-Type, and
 * the name is random, so an upload can never be served as HTML or
 * overwrite another file.
 */
#ifndef SOUK_SHOP_MEDIA_H
#define SOUK_SHOP_MEDIA_H

#include <stddef.h>
#include <stdint.h>
#include "core/str.h"

#define MEDIA_MAX_IMAGE	(5 * 1024 * 1024)

enum media_err {
	MEDIA_ETYPE = -2,	/* not a PNG, JPEG, GIF or WebP image */
	MEDIA_EIO = -1,
};

/*
 * Writes data as a new file of shop tenant; on 0 sets path (relative to
 * media_dir, e.g. "s42/3f9a....png"). Returns 0, MEDIA_ETYPE or
 * MEDIA_EIO (logged).
 */
int	media_save_image(int64_t tenant, struct str data, char *path,
	    size_t pathlen);

/*
 * Writes data, already typed by the caller (type: "png", "jpg", "gif",
 * "webp", a static string of letters), as media_save_image() does.
 * Returns 0 or MEDIA_EIO (logged).
 */
int	media_save_as(int64_t tenant, struct str data, const char *type,
	    char *path, size_t pathlen);

/* Removes a file saved by media_save_image() (errors are logged). */
void	media_remove(const char *path);

#endif
