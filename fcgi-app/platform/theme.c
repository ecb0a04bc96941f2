/* theme.c: themes and their installation (theme.h). */
#include "core/common.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/strbuf.h"
#include "core/tmpl.h"
#include "platform/tenant.h"
#include "platform/theme.h"

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

size_t
theme_list(char names[][THEME_NAME_MAX + 1], size_t max)
{
	DIR		*d = opendir(config_get("themes_dir", "themes"));
	struct dirent	*e;
	size_t		 n = 0;

	if (d == NULL)
		return 0;
	while (n < max && (e = readdir(d)) != NULL)
		if (tenant_theme_valid(str_c(e->d_name)))
			str_copy(names[n++], THEME_NAME_MAX + 1,
			    str_c(e->d_name));
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	return n;
}

static int
ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int
static_ok(const char *name)
{
	static const char *const ok[] = { ".css", ".png", ".jpg", ".jpeg",
	    ".gif", ".webp", ".ico", ".woff", ".woff2" };
	size_t i;

	for (i = 0; i < NELEM(ok); i++)
		if (ends(name, ok[i]))
			return 1;
	return 0;
}

/* A file or folder name nginx's /static/ pattern serves. */
static int
name_ok(const char *s)
{
	size_t i;

	if (s[0] == '\0' || s[0] == '.' || s[0] == '-' || strlen(s) > 100)
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return 0;
	return 1;
}

struct walk {
	long	 total;
	char	*err;
	size_t	 errlen;
};

/* Checks the folder src/sub (kind: 't' templates, 's' static) and
 * copies it to dst/sub; recursive. 0 or -1. */
static int
copy_tree(struct walk *wk, const char *src, const char *dst, int kind,
    int depth)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 sb;
	char		 from[1024], to[1024], buf[65536];
	int		 rc = -1, in, out, n;
	ssize_t		 r;

	if (depth > 4) {
		str_errf(wk->err, wk->errlen, "%s: folders nested too deep",
		    src);
		return -1;
	}
	if (mkdir(dst, 0755) == -1 && errno != EEXIST) {
		str_errf(wk->err, wk->errlen, "cannot make %s: %s", dst,
		    strerror(errno));
		return -1;
	}
	if ((d = opendir(src)) == NULL) {
		str_errf(wk->err, wk->errlen, "cannot open %s: %s", src,
		    strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n = snprintf(from, sizeof(from), "%s/%s", src, e->d_name);
		if (n < 0 || (size_t)n >= sizeof(from) ||
		    (n = snprintf(to, sizeof(to), "%s/%s", dst, e->d_name)) <
		    0 || (size_t)n >= sizeof(to)) {
			str_errf(wk->err, wk->errlen, "%s: path too long", src);
			goto out;
		}
		if (!name_ok(e->d_name)) {
			str_errf(wk->err, wk->errlen, "%s: not a name a theme "
			    "may use", from);
			goto out;
		}
		if (lstat(from, &sb) == -1) {
			str_errf(wk->err, wk->errlen, "%s: %s", from,
			    strerror(errno));
			goto out;
		}
		if (S_ISDIR(sb.st_mode)) {
			if (copy_tree(wk, from, to, kind, depth + 1) == -1)
				goto out;
			continue;
		}
		if (!S_ISREG(sb.st_mode)) {
			str_errf(wk->err, wk->errlen, "%s: not a plain file "
			    "(links are refused)", from);
			goto out;
		}
		if (kind == 't' ? !ends(e->d_name, ".html") :
		    !static_ok(e->d_name)) {
			str_errf(wk->err, wk->errlen, "%s: a theme's %s hold "
			    "%s only", from, kind == 't' ? "templates" :
			    "static files", kind == 't' ? ".html templates" :
			    "stylesheets, images and fonts");
			goto out;
		}
		if (sb.st_size > THEME_FILE_MAX || (wk->total += sb.st_size) >
		    THEME_TOTAL_MAX) {
			str_errf(wk->err, wk->errlen, "%s: the theme is too "
			    "large (%ld bytes a file, %ld in all)", from,
			    THEME_FILE_MAX, THEME_TOTAL_MAX);
			goto out;
		}
		if ((in = open(from, O_RDONLY | O_NOFOLLOW)) == -1) {
			str_errf(wk->err, wk->errlen, "%s: %s", from,
			    strerror(errno));
			goto out;
		}
		if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644)) ==
		    -1) {
			close(in);
			str_errf(wk->err, wk->errlen, "%s: %s", to,
			    strerror(errno));
			goto out;
		}
		while ((r = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)r) != r) {
				r = -1;
				break;
			}
		close(in);
		if (close(out) == -1 || r == -1) {
			str_errf(wk->err, wk->errlen, "cannot copy %s", from);
			goto out;
		}
	}
	rc = 0;
out:
	closedir(d);
	return rc;
}

/* rm -r of a folder this code made (no links inside). */
static void
remove_tree(const char *path)
{
	DIR		*d = opendir(path);
	struct dirent	*e;
	struct stat	 sb;
	char		 p[1024];
	int		 n;

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			n = snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
			if (n < 0 || (size_t)n >= sizeof(p))
				continue;
			if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
				remove_tree(p);
			else
				(void)unlink(p);
		}
		closedir(d);
	}
	(void)rmdir(path);
}

int
theme_install(const char *src, const char *name, char *err, size_t errlen)
{
	const char	*dir = config_get("themes_dir", "themes");
	struct walk	 wk = { 0, err, errlen };
	struct tmpl_set	*set;
	struct stat	 sb;
	char		 tmp[1024], dst[1024], old[1024], sub[1024], sub2[1024];
	char		 base[1024];
	int		 n, rc = -1;
	size_t		 i;

	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' &&
		    name[i] <= '9') || (name[i] == '-' && i > 0)))
			break;
	if (name[i] != '\0' || i == 0 || i > THEME_NAME_MAX ||
	    strcmp(name, "default") == 0) {
		str_errf(err, errlen, "a theme's name is 1 to 40 of a-z, 0-9 "
		    "and '-', and not 'default'");
		return -1;
	}
	n = snprintf(tmp, sizeof(tmp), "%s/.%s.new", dir, name);
	if (n < 0 || (size_t)n >= sizeof(tmp) || (n = snprintf(dst,
	    sizeof(dst), "%s/%s", dir, name)) < 0 || (size_t)n >= sizeof(dst) ||
	    (n = snprintf(old, sizeof(old), "%s/.%s.old", dir, name)) < 0 ||
	    (size_t)n >= sizeof(old) || (n = snprintf(base, sizeof(base),
	    "%s/default/templates", dir)) < 0 || (size_t)n >= sizeof(base)) {
		str_errf(err, errlen, "themes_dir too long");
		return -1;
	}
	remove_tree(tmp);
	if (mkdir(tmp, 0755) == -1) {
		str_errf(err, errlen, "cannot make %s: %s", tmp,
		    strerror(errno));
		return -1;
	}
	/* templates/ (required) and static/ (optional), nothing else. */
	n = snprintf(sub, sizeof(sub), "%s/templates", src);
	if (n < 0 || (size_t)n >= sizeof(sub) || stat(sub, &sb) == -1 ||
	    !S_ISDIR(sb.st_mode)) {
		str_errf(err, errlen, "%s has no templates folder", src);
		goto out;
	}
	n = snprintf(sub2, sizeof(sub2), "%s/templates", tmp);
	if (n < 0 || (size_t)n >= sizeof(sub2) ||
	    copy_tree(&wk, sub, sub2, 't', 0) == -1)
		goto out;
	n = snprintf(sub, sizeof(sub), "%s/static", src);
	if (n > 0 && (size_t)n < sizeof(sub) && stat(sub, &sb) == 0) {
		n = snprintf(sub2, sizeof(sub2), "%s/static", tmp);
		if (n < 0 || (size_t)n >= sizeof(sub2) ||
		    copy_tree(&wk, sub, sub2, 's', 0) == -1)
			goto out;
	}
	{
		DIR		*d = opendir(src);
		struct dirent	*e;

		while (d != NULL && (e = readdir(d)) != NULL)
			if (e->d_name[0] != '.' && strcmp(e->d_name,
			    "templates") != 0 && strcmp(e->d_name, "static") !=
			    0 && strcmp(e->d_name, "README") != 0 &&
			    strcmp(e->d_name, "README.md") != 0) {
				str_errf(err, errlen, "%s/%s: a theme holds "
				    "templates/ and static/ only", src,
				    e->d_name);
				closedir(d);
				goto out;
			}
		if (d != NULL)
			closedir(d);
	}
	/* Every template parses, with the default's for the rest. */
	n = snprintf(sub2, sizeof(sub2), "%s/templates", tmp);
	if (n < 0 || (size_t)n >= sizeof(sub2) ||
	    tmpl_set_load_over(&set, sub2, base, err, errlen) == -1)
		goto out;
	tmpl_set_free(set);
	/* Into place: the old one aside, the new one renamed in. */
	remove_tree(old);
	if (stat(dst, &sb) == 0 && rename(dst, old) == -1) {
		str_errf(err, errlen, "cannot move %s aside: %s", dst,
		    strerror(errno));
		goto out;
	}
	if (rename(tmp, dst) == -1) {
		str_errf(err, errlen, "cannot install %s: %s", dst,
		    strerror(errno));
		(void)rename(old, dst);
		goto out;
	}
	remove_tree(old);
	rc = 0;
out:
	if (rc == -1)
		remove_tree(tmp);
	return rc;
}
