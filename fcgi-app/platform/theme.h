/*
 * theme.h: the storefront themes of themes_dir, and installing one.
 *
 * A theme is a folder: templates/ (logic-less templates, core/tmpl.h:
 * no code runs on the server, and what a theme lacks comes from the
 * default theme) and static/ (stylesheets, images and fonts nginx
 * serves as /static/<theme>/). theme_install() copies a folder in after
 * checking all of it: a name of a-z, 0-9 and '-'; only .html files
 * under templates/, each parsing (with the default theme's for what it
 * lacks); only .css, .png, .jpg, .jpeg, .gif, .webp, .ico, .woff and
 * .woff2 under static/ (no scripts, no SVG: nothing a browser runs);
 * no links, no other files; at most THEME_FILE_MAX bytes a file and
 * THEME_TOTAL_MAX in all. It is copied beside and renamed into place,
 * so workers never see half a theme; they load it when a shop uses it.
 */
#ifndef SOUK_THEME_H
#define SOUK_THEME_H

#include <stddef.h>

#define THEME_NAME_MAX	40
#define THEME_MAX	32		/* themes listed */
#define THEME_FILE_MAX	(2L * 1024 * 1024)
#define THEME_TOTAL_MAX	(20L * 1024 * 1024)

/* The themes of themes_dir (folders with templates), sorted, into
 * names; returns how many (at most max). */
size_t	theme_list(char names[][THEME_NAME_MAX + 1], size_t max);

/* Installs the folder src as theme name (replacing an installed one of
 * that name, never "default"). 0, or -1 with the reason in err. */
int	theme_install(const char *src, const char *name, char *err,
	    size_t errlen);

#endif
