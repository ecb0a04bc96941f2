/* admin_theme.c: /admin/theme (admin_theme.h). */
#include "core/common.h"
#include "core/config.h"
#include "core/css.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "platform/tenant.h"
#include "platform/theme.h"
#include "shop/media.h"
#include "shop/perm.h"
#include "web/admin.h"
#include "web/admin_theme.h"
#include "web/form.h"
#include "web/page.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define SETTINGS	(ADMIN_AUTH | ADMIN_PERM(PERM_SETTINGS))

static const struct field save_fields[] = {
	{ "theme", FIELD_SLUG, 1, THEME_NAME_MAX, FIELD_REQUIRED,
	    N_("Choose a theme."), NULL },
	{ "css", FIELD_TEXT, 0, 4 * CSS_MAX_CHARS, 0,
	    N_("Custom CSS has at most 20,000 characters."), NULL },
	{ 0 }
};

static const struct field page_fields[] = {
	{ "saved", FIELD_BOOL, 0, 0, FIELD_QUERY, NULL, NULL },
	{ 0 }
};

/* What the shipped themes are; an installed one shows its name. */
static const char *
theme_text(const char *name)
{
	if (strcmp(name, "default") == 0)
		return _("Classic: categories across the top, products in a "
		    "grid of cards, filters beside them.");
	if (strcmp(name, "atelier") == 0)
		return _("Atelier: a catalogue with a centred masthead, "
		    "categories in a column beside the products, each product "
		    "a row, filters above the list.");
	return "";
}

/* 1 when the theme shows itself in static/preview.png. */
static int
has_preview(const char *name)
{
	struct stat	sb;
	char		path[1024];
	int		n;

	n = snprintf(path, sizeof(path), "%s/%s/static/preview.png",
	    config_get("themes_dir", "themes"), name);
	return n > 0 && (size_t)n < sizeof(path) && stat(path, &sb) == 0;
}

/* The shop's CSS as stored (path under media_dir), into sb. */
static void
read_css(const char *path, struct strbuf *sb)
{
	char	full[1024], buf[8192];
	int	fd, n;
	ssize_t	r;

	if (*path == '\0')
		return;
	n = snprintf(full, sizeof(full), "%s/%s", config_get("media_dir",
	    "var/media"), path);
	if (n < 0 || (size_t)n >= sizeof(full) ||
	    (fd = open(full, O_RDONLY)) == -1)
		return;
	while ((r = read(fd, buf, sizeof(buf))) > 0 &&
	    sb->len < 4 * CSS_MAX_CHARS)
		strbuf_add(sb, buf, (size_t)r);
	close(fd);
}

static int
theme_page(struct web *w, int status, const char *error)
{
	char		 names[THEME_MAX][THEME_NAME_MAX + 1];
	size_t		 n = theme_list(names, THEME_MAX), i;
	struct strbuf	 css = STRBUF_INIT;
	json_object	*m, *arr;

	m = admin_model(w, _("Theme"), "nav_theme");
	arr = jset_arr(m, "themes");
	for (i = 0; i < n; i++) {
		json_object *o = jarr_obj(arr);

		jset_cstr(o, "name", names[i]);
		jset_cstr(o, "text", theme_text(names[i]));
		if (has_preview(names[i]))
			jset_cstr(o, "preview", arena_printf(w->r->arena,
			    "/static/%s/preview.png", names[i]));
		jset_bool(o, "current", strcmp(names[i], w->tenant->theme) ==
		    0);
	}
	if (error != NULL) {
		jset_cstr(m, "error", error);
		jset_str(m, "css", page_field(w, "css"));
	} else {
		read_css(w->tenant->custom_css, &css);
		jset_str(m, "css", strbuf_str(&css));
	}
	strbuf_release(&css);
	if (form_bool(&w->form, "saved"))
		jset_cstr(m, "flash", _("Saved: the shop shows its new look "
		    "from now on."));
	return page_render(w, status, "admin/theme");
}

static int
theme_get(struct req *r)
{
	return theme_page(web_of(r), 200, NULL);
}

static int
theme_save(struct req *r)
{
	struct web	*w = web_of(r);
	struct str	 theme = form_text(&w->form, "theme");
	struct str	 css = form_text(&w->form, "css");
	const char	*why;
	char		 path[128] = "", old[201];
	enum tenant_err	 e;

	if (w->form.errs.n)
		return theme_page(w, 422, _(w->form.errs.v[0].msgid));
	if (!tenant_theme_valid(theme))
		return theme_page(w, 422, _("Choose a theme."));
	if (css.len > 0 && css_check(css, &why) == -1)
		return theme_page(w, 422, _(why));
	str_copy(old, sizeof(old), str_c(w->tenant->custom_css));
	if (css.len > 0 && media_save_as(w->shop.tenant, css, "css", path,
	    sizeof(path)) != 0)
		return page_error(w, 503, NULL);
	e = tenant_set_theme(w->db, w->shop.tenant, theme);
	if (e == TENANT_OK)
		e = tenant_set_custom_css(w->db, w->shop.tenant, str_c(path));
	if (e != TENANT_OK) {
		if (path[0])
			media_remove(path);
		return page_error(w, 503, NULL);
	}
	/* The old sheet goes once the shop links the new one. */
	if (old[0] != '\0' && strcmp(old, path) != 0)
		media_remove(old);
	log_info("theme %.*s saved, custom CSS %zu bytes", (int)theme.len,
	    theme.p, css.len);
	return page_redirect(w, "/admin/theme?saved=1");
}

const struct route admin_theme_routes[] = {
	{ HTTP_GET, "/admin/theme", theme_get, SETTINGS, page_fields },
	{ HTTP_POST, "/admin/theme", theme_save,
	    SETTINGS | ROUTE_FORM_ERRORS, save_fields },
};

const size_t admin_theme_nroutes = NELEM(admin_theme_routes);
