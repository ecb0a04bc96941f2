/* image.c: typing, checking and resizing images with libvips (image.h). */
#include "core/common.h"
#include "core/log.h"
#include "platform/image.h"

#include <vips/vips.h>
#include <vips/vector.h>	/* not in vips.h: vips_vector_set_enabled() */

/* A file cut short is refused, not padded with grey; the warnings a
 * camera's JPEG often carries (extra bytes) are not. */
#define LOAD_OPTIONS	"fail_on=truncated"

static int	started;

/* libvips' warnings ("not enough data") go to the log, escaped and with
 * the request id, not to the worker's stderr. */
static void
image_vips_log(const char *domain, GLogLevelFlags level, const char *msg,
    void *arg)
{
	(void)domain;
	(void)level;
	(void)arg;
	log_info("libvips: %s", msg);
}

/* Once per process, after the pool forked it (see image.h). */
static void
image_start(void)
{
	if (started)
		return;
	if (VIPS_INIT("souk") != 0)
		fatal("cannot start libvips: %s", vips_error_buffer());
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	vips_block_untrusted_set(TRUE);
	/* No run-time code generation (Orc): souk-fcgi.service has
	 * MemoryDenyWriteExecute=yes, and the C paths are enough for a
	 * few resizes an upload. */
	vips_vector_set_enabled(FALSE);
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, image_vips_log, NULL);
	started = 1;
}

const char *
image_type(struct str d)
{
	const unsigned char *p = (const unsigned char *)d.p;

	if (d.len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "png";
	if (d.len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return "jpg";
	if (d.len >= 6 && (memcmp(p, "GIF87a", 6) == 0 ||
	    memcmp(p, "GIF89a", 6) == 0))
		return "gif";
	if (d.len >= 12 && memcmp(p, "RIFF", 4) == 0 &&
	    memcmp(p + 8, "WEBP", 4) == 0)
		return "webp";
	return NULL;
}

int
image_probe(struct str data, struct image_info *out)
{
	VipsImage	*im;

	memset(out, 0, sizeof(*out));
	if (data.len > IMAGE_MAX_BYTES)
		return IMAGE_EBYTES;
	if ((out->type = image_type(data)) == NULL)
		return IMAGE_ETYPE;
	image_start();
	/* Opening reads the header; pixels wait for the first copy. */
	im = vips_image_new_from_buffer(data.p, data.len, "", "access",
	    VIPS_ACCESS_SEQUENTIAL, NULL);
	if (im == NULL) {
		vips_error_clear();
		return IMAGE_ECORRUPT;
	}
	out->width = vips_image_get_width(im);
	out->height = vips_image_get_height(im);
	g_object_unref(im);
	if (out->width <= 0 || out->height <= 0)
		return IMAGE_ECORRUPT;
	if (out->width > IMAGE_MAX_SIDE || out->height > IMAGE_MAX_SIDE ||
	    (int64_t)out->width * out->height > IMAGE_MAX_PIXELS)
		return IMAGE_EPIXELS;
	return IMAGE_OK;
}

int
image_copy(struct str data, enum image_copy kind, struct strbuf *out,
    int *w, int *h)
{
	VipsImage	*im = NULL;
	void		*buf = NULL;
	size_t		 len = 0;
	int		 rc;

	image_start();
	/* thumbnail shrinks while it loads (JPEG's DCT scaling, one pass
	 * over the rows): memory stays near one copy, not the original. */
	if (kind == IMAGE_COPY_CARD)
		rc = vips_thumbnail_buffer((void *)data.p, data.len, &im,
		    IMAGE_CARD, "height", IMAGE_CARD, "crop",
		    VIPS_INTERESTING_CENTRE, "size", VIPS_SIZE_BOTH,
		    "option_string", LOAD_OPTIONS, NULL);
	else
		rc = vips_thumbnail_buffer((void *)data.p, data.len, &im,
		    IMAGE_PAGE, "height", IMAGE_PAGE, "size", VIPS_SIZE_DOWN,
		    "option_string", LOAD_OPTIONS, NULL);
	if (rc != 0)
		goto fail;
	if (vips_webpsave_buffer(im, &buf, &len, "Q", 82, "strip", TRUE,
	    NULL) != 0)
		goto fail;
	*w = vips_image_get_width(im);
	*h = vips_image_get_height(im);
	strbuf_add(out, buf, len);
	g_free(buf);
	g_object_unref(im);
	return IMAGE_OK;
fail:
	log_info("cannot resize image: %s", vips_error_buffer());
	vips_error_clear();
	if (im != NULL)
		g_object_unref(im);
	return IMAGE_ECORRUPT;
}
