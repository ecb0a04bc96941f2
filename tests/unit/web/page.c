/*
 * tests/unit/web/page.c: the theme slots of a worker (page_theme()).
 *
 * Defect 3 of issue 8: page_theme() called itself for the "default"
 * fallback, so with every slot taken by other themes (and "default"
 * not among them) it recursed until the stack overflowed, and so did a
 * theme that failed to load once the slots were full. Now slot 0 is
 * always "default" and the fallback is a plain return: these checks
 * would crash the old code at the first full-slots request.
 */
#include "core/common.h"

#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/strbuf.h"
#include "core/tmpl.h"
#include "web/page.h"
#include "web/worker.h"

#include "test.h"

static char	dir[] = "/tmp/souk-page-test.XXXXXX";

/* A theme whose template "who" renders its own name. */
static void
make_theme(const char *name)
{
	char	path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/templates", dir, name);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/%s/templates/who.html", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fputs(name, f);
	fclose(f);
}

/* The name the set's "who" template renders, in a static buffer. */
static const char *
who(const struct tmpl_set *set)
{
	static struct strbuf out = STRBUF_INIT;

	strbuf_reset(&out);
	if (set == NULL || tmpl_render(set, "who", NULL, &out) == -1)
		return "(none)";
	return out.buf;
}

int
main(void)
{
	struct worker	 wk;
	struct web	 w;
	char		 name[64], cmd[600], longname[PAGE_THEME_NAME + 2];
	int		 i;

	log_init("test-page", LOG_LVL_ERR);
	TEST_CHECK(mkdtemp(dir) != NULL);
	setenv("SOUK_THEMES_DIR", dir, 1);
	make_theme("default");
	for (i = 1; i <= PAGE_THEME_SLOTS + 2; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		make_theme(name);
	}
	/* A folder without templates: cannot be loaded. */
	snprintf(cmd, sizeof(cmd), "%s/broken", dir);
	mkdir(cmd, 0700);

	memset(&wk, 0, sizeof(wk));
	memset(&w, 0, sizeof(w));
	w.worker = &wk;

	/*
	 * A fresh worker whose shops use more themes than there are
	 * slots, none of them "default": the old code filled every slot,
	 * then recursed for the default forever.
	 */
	TEST_STREQ(who(page_theme(&w, "t1")), "t1");
	for (i = 2; i <= PAGE_THEME_SLOTS + 1; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		(void)page_theme(&w, name);
	}
	TEST_STREQ(who(page_theme(&w, name)), "default");
	TEST_STREQ(who(page_theme(&w, "t1")), "t1");
	TEST_CHECK(wk.themes.n == PAGE_THEME_SLOTS);
	page_themes_free(&wk.themes);

	/* NULL and "" are the default; "default" is slot 0. */
	TEST_STREQ(who(page_theme(&w, NULL)), "default");
	TEST_STREQ(who(page_theme(&w, "")), "default");
	TEST_CHECK(page_theme(&w, "default") == page_theme(&w, NULL));
	TEST_CHECK(wk.themes.n == 1);

	/* A theme that cannot load: the default, and no slot taken. */
	TEST_STREQ(who(page_theme(&w, "broken")), "default");
	TEST_STREQ(who(page_theme(&w, "no-such-theme")), "default");
	TEST_CHECK(wk.themes.n == 1);

	/* Fill every slot; each theme is loaded once and kept. */
	for (i = 1; i < PAGE_THEME_SLOTS; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		TEST_STREQ(who(page_theme(&w, name)), name);
	}
	TEST_CHECK(wk.themes.n == PAGE_THEME_SLOTS);
	TEST_CHECK(page_theme(&w, "t1") == page_theme(&w, "t1"));

	/* Slots full: another theme, twice, gets the default (the old
	 * code recursed here without end). */
	snprintf(name, sizeof(name), "t%d", PAGE_THEME_SLOTS);
	TEST_STREQ(who(page_theme(&w, name)), "default");
	TEST_STREQ(who(page_theme(&w, name)), "default");
	/* And one that fails to load when the slots are full. */
	TEST_STREQ(who(page_theme(&w, "broken")), "default");
	TEST_CHECK(wk.themes.n == PAGE_THEME_SLOTS);
	/* The loaded ones still answer. */
	TEST_STREQ(who(page_theme(&w, "t3")), "t3");

	/* A name longer than a slot holds is never truncated to another. */
	page_themes_free(&wk.themes);
	TEST_CHECK(wk.themes.n == 0);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	TEST_STREQ(who(page_theme(&w, longname)), "default");
	TEST_CHECK(wk.themes.n == 1);
	TEST_STREQ(who(page_theme(&w, "t2")), "t2");
	page_themes_free(&wk.themes);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	TEST_CHECK(system(cmd) == 0);
	return test_done();
}
