/*
 * image.h: what souk does to an image's bytes, with libvips: tells its
 * type by content, reads its size from the header alone (no pixel is
 * decoded before the size is accepted: a 50 KB PNG may claim
 * 100,000 x 100,000 pixels, 40 GB decoded) and makes the resized copies
 * pages show. No files and no database here: shop/gallery.c stores
 * what this returns, and the importer can hand it bytes fetched from a
 * URL the same way.
 *
 * libvips (Debian libvips-dev) is started lazily by the first call in
 * a process, so the pool's master, which forks the workers, never
 * starts its threads (threads do not survive fork()); each worker
 * starts its own, limited to one worker thread (the pool is the
 * parallelism) and with the operation cache off (no memory kept
 * between requests). Loaders libvips marks untrusted are blocked.
 *
 * Copies are WebP (alpha kept, metadata stripped): the card copy is
 * IMAGE_CARD pixels square, cropped to the centre, so cards carry fixed
 * width and height attributes; the page copy fits in IMAGE_PAGE x
 * IMAGE_PAGE and is never enlarged.
 */
#ifndef SOUK_PLATFORM_IMAGE_H
#define SOUK_PLATFORM_IMAGE_H

#include "core/str.h"
#include "core/strbuf.h"

#define IMAGE_MAX_BYTES		(5 * 1024 * 1024)
#define IMAGE_MAX_SIDE		10000
#define IMAGE_MAX_PIXELS	(40 * 1000 * 1000)
#define IMAGE_CARD		480
#define IMAGE_PAGE		1200

enum image_err {
	IMAGE_OK = 0,
	IMAGE_ETYPE = -1,	/* not a PNG, JPEG, GIF or WebP image */
	IMAGE_EBYTES = -2,	/* more than IMAGE_MAX_BYTES */
	IMAGE_EPIXELS = -3,	/* wider, taller or larger than the limits */
	IMAGE_ECORRUPT = -4,	/* the right magic, but libvips cannot read it */
};

enum image_copy {
	IMAGE_COPY_CARD = 0,
	IMAGE_COPY_PAGE,
	IMAGE_COPY__MAX
};

struct image_info {
	const char	*type;		/* "png", "jpg", "gif", "webp" (static) */
	int		 width, height;
};

/* The image type of data by its magic bytes: "png", "jpg", "gif",
 * "webp" (static strings), or NULL. Pure. */
const char	*image_type(struct str data);

/*
 * Checks data against the limits, reading the header only, and fills
 * out. Returns IMAGE_OK or a negative enum image_err (not logged: the
 * caller's input was wrong).
 */
int	image_probe(struct str data, struct image_info *out);

/*
 * Makes the copy kind of data (checked by image_probe() first) as WebP
 * bytes appended to out (the caller's strbuf), with its size in *w and
 * *h. Returns IMAGE_OK, or IMAGE_ECORRUPT when libvips fails (logged
 * at info: an upload can be truncated).
 */
int	image_copy(struct str data, enum image_copy kind, struct strbuf *out,
	    int *w, int *h);

#endif
