/* Unit test of core/color.c: parsing, WCAG contrast, readable forms. */
#include "core/common.h"
#include "core/color.h"
#include "test.h"

static int
near(double a, double b)
{
	return a > b - 0.01 && a < b + 0.01;
}

int
main(void)
{
	static const char *shop_colours[] = {
		"#f2c14e", "#ffffff", "#ffff00", "#8a4b08", "#1f6feb",
		"#f78166", "#cc9933", "#336633", "#00ff00", "#000000",
		"#777777", "#abc",
	};
	struct color	c, w = { 255, 255, 255 }, k = { 0, 0, 0 };
	char		hex[8];
	size_t		i;

	TEST_CHECK(color_parse("#1F6feb", &c) == 0 && c.r == 0x1f &&
	    c.g == 0x6f && c.b == 0xeb);
	color_hex(c, hex);
	TEST_STREQ(hex, "#1f6feb");
	TEST_CHECK(color_parse("#fff", &c) == 0 && c.r == 255 && c.b == 255);
	TEST_CHECK(color_parse("fff", &c) == -1);
	TEST_CHECK(color_parse("#ffff", &c) == -1);
	TEST_CHECK(color_parse("#gggggg", &c) == -1);
	TEST_CHECK(color_parse(NULL, &c) == -1);

	/* WCAG's own figures: black on white 21, white on white 1. */
	TEST_CHECK(near(color_contrast(k, w), 21.0));
	TEST_CHECK(near(color_contrast(w, w), 1.0));
	/* The old default link colour on the page background: 4.35. */
	color_parse("#1f6feb", &c);
	TEST_CHECK(near(color_contrast(c, COLOR_PAGE_BG), 4.35));

	/* Whatever a merchant picks, the readable form reaches 4.5 on the
	 * page background, so white text on it does too (white is
	 * lighter); a colour that reaches it already is kept. */
	for (i = 0; i < NELEM(shop_colours); i++) {
		struct color r;

		TEST_CHECK(color_parse(shop_colours[i], &c) == 0);
		r = color_readable(c, COLOR_PAGE_BG, COLOR_TEXT_RATIO);
		TEST_CHECK(color_contrast(r, COLOR_PAGE_BG) >= 4.5);
		TEST_CHECK(color_contrast(r, w) >= 4.5);
		if (color_contrast(c, COLOR_PAGE_BG) >= 4.5)
			TEST_CHECK(r.r == c.r && r.g == c.g && r.b == c.b);
	}
	/* Darkened just enough: one step less would not reach it. */
	color_parse("#f2c14e", &c);
	c = color_readable(c, COLOR_PAGE_BG, 4.5);
	TEST_CHECK(color_contrast(c, COLOR_PAGE_BG) < 5.0);
	return test_done();
}
