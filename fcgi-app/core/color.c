/* color.c: sRGB colours and the WCAG 2 contrast ratio (see color.h). */
#include "core/common.h"
#include "core/color.h"

#include <math.h>

int
color_parse(const char *s, struct color *c)
{
	int	v[6];
	size_t	i, n;

	if (s == NULL || s[0] != '#')
		return -1;
	n = strlen(s + 1);
	if (n != 3 && n != 6)
		return -1;
	for (i = 0; i < n; i++)
		if ((v[i] = str_hexval(s[1 + i])) < 0)
			return -1;
	if (n == 3) {
		c->r = (unsigned char)(v[0] * 17);
		c->g = (unsigned char)(v[1] * 17);
		c->b = (unsigned char)(v[2] * 17);
	} else {
		c->r = (unsigned char)(v[0] * 16 + v[1]);
		c->g = (unsigned char)(v[2] * 16 + v[3]);
		c->b = (unsigned char)(v[4] * 16 + v[5]);
	}
	return 0;
}

void
color_hex(struct color c, char out[8])
{
	static const char hex[] = "0123456789abcdef";

	out[0] = '#';
	out[1] = hex[c.r >> 4];
	out[2] = hex[c.r & 15];
	out[3] = hex[c.g >> 4];
	out[4] = hex[c.g & 15];
	out[5] = hex[c.b >> 4];
	out[6] = hex[c.b & 15];
	out[7] = '\0';
}

static double
channel(unsigned char v)
{
	double c = v / 255.0;

	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double
luminance(struct color c)
{
	return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) +
	    0.0722 * channel(c.b);
}

double
color_contrast(struct color a, struct color b)
{
	double la = luminance(a), lb = luminance(b);

	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

struct color
color_readable(struct color c, struct color bg, double ratio)
{
	struct color	d = c;
	int		step;

	for (step = 1; step <= 64 && color_contrast(d, bg) < ratio; step++) {
		d.r = (unsigned char)(c.r * (64 - step) / 64);
		d.g = (unsigned char)(c.g * (64 - step) / 64);
		d.b = (unsigned char)(c.b * (64 - step) / 64);
	}
	return d;
}
