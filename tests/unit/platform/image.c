/* tests/unit/platform/image.c: typing, limits and copies (image.h). */
#include "core/common.h"
#include "core/strbuf.h"
#include "platform/image.h"
#include "test.h"

#include <vips/vips.h>

/* An encoded image of w x h made by libvips (fmt ".png", ".jpg"). */
static void
make(struct strbuf *out, int w, int h, const char *fmt)
{
	VipsImage	*im, *c;
	void		*buf;
	size_t		 len;

	if (vips_xyz(&im, w, h, NULL) != 0 ||
	    vips_cast_uchar(im, &c, NULL) != 0 ||
	    vips_image_write_to_buffer(c, fmt, &buf, &len, NULL) != 0) {
		fprintf(stderr, "vips: %s\n", vips_error_buffer());
		exit(1);
	}
	strbuf_reset(out);
	strbuf_add(out, buf, len);
	g_free(buf);
	g_object_unref(c);
	g_object_unref(im);
}

static uint32_t
crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffff;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
	}
	return ~c;
}

static void
put32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };

	strbuf_add(sb, b, 4);
}

/* A PNG whose header claims w x h, with a few bytes of pixels: what a
 * decompression bomb looks like before it is decoded. */
static void
bomb(struct strbuf *out, uint32_t w, uint32_t h)
{
	unsigned char	ihdr[17] = "IHDR";
	/* zlib of a few zero bytes */
	static const unsigned char idat[] = "IDAT\x78\x9c\x63\x00\x00\x00"
	    "\x01\x00\x01";

	strbuf_reset(out);
	strbuf_add(out, "\x89PNG\r\n\x1a\n", 8);
	ihdr[4] = w >> 24; ihdr[5] = w >> 16; ihdr[6] = w >> 8; ihdr[7] = w;
	ihdr[8] = h >> 24; ihdr[9] = h >> 16; ihdr[10] = h >> 8; ihdr[11] = h;
	ihdr[12] = 8; ihdr[13] = 2; ihdr[14] = ihdr[15] = ihdr[16] = 0;
	put32(out, 13);
	strbuf_add(out, ihdr, 17);
	put32(out, crc32(ihdr, 17));
	put32(out, sizeof(idat) - 1 - 4);
	strbuf_add(out, idat, sizeof(idat) - 1);
	put32(out, crc32(idat, sizeof(idat) - 1));
	put32(out, 0);
	strbuf_add(out, "IEND", 4);
	put32(out, crc32((const unsigned char *)"IEND", 4));
}

static void
copy_size(struct str data, enum image_copy k, int want_w, int want_h)
{
	struct strbuf	out = STRBUF_INIT;
	int		w = 0, h = 0;

	TEST_CHECK(image_copy(data, k, &out, &w, &h) == IMAGE_OK);
	TEST_CHECK(w == want_w && h == want_h);
	TEST_CHECK(out.len > 12 && memcmp(out.buf, "RIFF", 4) == 0 &&
	    memcmp(out.buf + 8, "WEBP", 4) == 0);
	if (w != want_w || h != want_h)
		fprintf(stderr, "copy %d: %dx%d, want %dx%d\n", k, w, h,
		    want_w, want_h);
	strbuf_release(&out);
}

int
main(void)
{
	struct strbuf		 b = STRBUF_INIT, out = STRBUF_INIT;
	struct image_info	 in;
	int			 w, h;

	if (VIPS_INIT("test") != 0)
		return 1;
	/* Typed by magic bytes, never by name. */
	TEST_STREQ(image_type(STR("\x89PNG\r\n\x1a\nxxxx")), "png");
	TEST_STREQ(image_type(STR("\xff\xd8\xff\xe0")), "jpg");
	TEST_STREQ(image_type(STR("GIF89a....")), "gif");
	TEST_STREQ(image_type(STR("RIFF\0\0\0\0WEBPVP8 ")), "webp");
	TEST_CHECK(image_type(STR("<html><script>x</script>")) == NULL);
	TEST_CHECK(image_type(STR("\x89PN")) == NULL);
	TEST_CHECK(image_type(STR("")) == NULL);
	TEST_CHECK(image_probe(STR("<html>.png</html>"), &in) ==
	    IMAGE_ETYPE);

	/* A PNG and a JPEG: their sizes from the header. */
	make(&b, 1600, 900, ".png");
	TEST_CHECK(image_probe(strbuf_str(&b), &in) == IMAGE_OK);
	TEST_STREQ(in.type, "png");
	TEST_CHECK(in.width == 1600 && in.height == 900);
	copy_size(strbuf_str(&b), IMAGE_COPY_CARD, IMAGE_CARD, IMAGE_CARD);
	copy_size(strbuf_str(&b), IMAGE_COPY_PAGE, 1200, 675);
	make(&b, 300, 200, ".jpg");
	TEST_CHECK(image_probe(strbuf_str(&b), &in) == IMAGE_OK);
	TEST_STREQ(in.type, "jpg");
	TEST_CHECK(in.width == 300 && in.height == 200);
	/* Small: the page copy is never enlarged, the card always square. */
	copy_size(strbuf_str(&b), IMAGE_COPY_PAGE, 300, 200);
	copy_size(strbuf_str(&b), IMAGE_COPY_CARD, IMAGE_CARD, IMAGE_CARD);
	make(&b, 900, 1800, ".png");
	copy_size(strbuf_str(&b), IMAGE_COPY_PAGE, 600, 1200);

	/* Bombs: refused from the header, nothing decoded. */
	bomb(&b, 100000, 100000);
	TEST_CHECK(b.len < 100);
	TEST_CHECK(image_probe(strbuf_str(&b), &in) == IMAGE_EPIXELS);
	bomb(&b, IMAGE_MAX_SIDE + 1, 1);
	TEST_CHECK(image_probe(strbuf_str(&b), &in) == IMAGE_EPIXELS);
	bomb(&b, 7000, 7000);			/* 49 megapixels */
	TEST_CHECK(image_probe(strbuf_str(&b), &in) == IMAGE_EPIXELS);
	bomb(&b, 6000, 6000);			/* 36: allowed, yet no pixels */
	TEST_CHECK(image_probe(strbuf_str(&b), &in) == IMAGE_OK);
	strbuf_reset(&out);
	TEST_CHECK(image_copy(strbuf_str(&b), IMAGE_COPY_CARD, &out, &w,
	    &h) == IMAGE_ECORRUPT || out.len > 0);

	/* Too many bytes: refused before anything is read. */
	strbuf_reset(&b);
	strbuf_add(&b, "\x89PNG\r\n\x1a\n", 8);
	strbuf_grow(&b, IMAGE_MAX_BYTES);
	memset(b.buf + 8, 0, IMAGE_MAX_BYTES);
	b.len = IMAGE_MAX_BYTES + 1;
	b.buf[b.len] = '\0';
	TEST_CHECK(image_probe(strbuf_str(&b), &in) == IMAGE_EBYTES);

	/* The right magic and nothing after it. */
	make(&b, 64, 64, ".png");
	TEST_CHECK(image_probe((struct str){ b.buf, 20 }, &in) ==
	    IMAGE_ECORRUPT);
	make(&b, 64, 64, ".jpg");
	strbuf_reset(&out);
	TEST_CHECK(image_probe((struct str){ b.buf, 4 }, &in) ==
	    IMAGE_ECORRUPT);

	strbuf_release(&b);
	strbuf_release(&out);
	return test_done();
}
