/*
 * color.h: sRGB colours and the WCAG 2 contrast ratio.
 *
 * Shops pick their own colours (color_primary, color_accent), which the
 * theme uses both as text on the light page background and as the
 * background of white text. A light colour (a yellow accent) would make
 * either unreadable, so the web layer passes the theme a readable form
 * of each (color_readable()): the colour itself when it reaches the
 * ratio, else the same hue darkened just enough. WCAG 2.1, 1.4.3 asks
 * 4.5:1 for text. Pure functions, no allocation.
 */
#ifndef SOUK_COLOR_H
#define SOUK_COLOR_H

struct color {
	unsigned char	r, g, b;
};

/* The light background every text colour is checked against: the
 * theme's --bg, darker than its white cards. */
#define COLOR_PAGE_BG	((struct color){ 0xf6, 0xf8, 0xfa })
#define COLOR_TEXT_RATIO	4.5

/* Parses "#rrggbb" or "#rgb" (either case). Returns 0, or -1. */
int		color_parse(const char *s, struct color *c);

/* Writes "#rrggbb" (lower case) and a NUL into out. */
void		color_hex(struct color c, char out[8]);

/* The WCAG 2 contrast ratio of two colours, 1 to 21. */
double		color_contrast(struct color a, struct color b);

/* c when its contrast with bg reaches ratio, else c mixed with black
 * in steps of 1/64 until it does (black reaches 4.5 on any light bg). */
struct color	color_readable(struct color c, struct color bg,
		    double ratio);

#endif
