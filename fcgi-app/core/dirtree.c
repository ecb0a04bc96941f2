/* dirtree.c: see dirtree.h. */
#include "core/common.h"
#include "core/dirtree.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

static int
fail(char *err, size_t errlen, const char *what, const char *path)
{
	int e = errno;

	str_errf(err, errlen, "%s '%s': %s", what, path, strerror(e));
	errno = e;
	return -1;
}

/* Copies the bytes of in to out (copy_file_range: a reflink or an
 * in-kernel copy where the file system can). */
static int
copy_bytes(int in, int out, off_t size)
{
	char	buf[65536];
	ssize_t	n;

	while (size > 0) {
		n = copy_file_range(in, NULL, out, NULL, (size_t)size, 0);
		if (n > 0) {
			size -= n;
			continue;
		}
		if (n == 0)
			return 0;
		if (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
		    errno != EOPNOTSUPP)
			return -1;
		break;		/* read and write, below */
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	return n < 0 ? -1 : 0;
}

static int
copy_file(const char *src, const char *dst, const struct stat *sb,
    char *err, size_t errlen)
{
	struct timespec	times[2] = { sb->st_atim, sb->st_mtim };
	int		in, out, rc;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) == -1)
		return fail(err, errlen, "cannot open", src);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    sb->st_mode & 07777);
	if (out == -1) {
		rc = fail(err, errlen, "cannot create", dst);
		close(in);
		return rc;
	}
	rc = copy_bytes(in, out, sb->st_size);
	if (rc == 0)
		rc = futimens(out, times);
	if (rc == -1)
		fail(err, errlen, "cannot copy to", dst);
	close(in);
	if (close(out) == -1 && rc == 0)
		rc = fail(err, errlen, "cannot write", dst);
	return rc;
}

static int
copy_tree(char *src, char *dst, char *link, int flags,
    struct dirtree_stats *st, char *err, size_t errlen)
{
	struct dirent	*de;
	struct stat	 sb, lb;
	DIR		*d;
	size_t		 ls = strlen(src), ld = strlen(dst);
	size_t		 ll = link ? strlen(link) : 0;
	int		 rc = 0;

	if ((d = opendir(src)) == NULL)
		return errno == ENOENT ? 0 : fail(err, errlen, "cannot read",
		    src);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		size_t nl = strlen(n);

		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		if (ls + nl + 2 > PATH_MAX || ld + nl + 2 > PATH_MAX ||
		    (link && ll + nl + 2 > PATH_MAX)) {
			errno = ENAMETOOLONG;
			rc = fail(err, errlen, "path too long", src);
			break;
		}
		src[ls] = '/';
		memcpy(src + ls + 1, n, nl + 1);
		dst[ld] = '/';
		memcpy(dst + ld + 1, n, nl + 1);
		if (link) {
			link[ll] = '/';
			memcpy(link + ll + 1, n, nl + 1);
		}
		if (lstat(src, &sb) == -1)
			rc = fail(err, errlen, "cannot stat", src);
		else if (S_ISDIR(sb.st_mode)) {
			if (mkdir(dst, sb.st_mode & 07777) == -1 &&
			    errno != EEXIST)
				rc = fail(err, errlen, "cannot create", dst);
			else
				rc = copy_tree(src, dst, link, flags, st, err,
				    errlen);
		} else if (S_ISREG(sb.st_mode)) {
			if ((flags & DIRTREE_KEEP) && lstat(dst, &lb) == 0)
				;	/* there already */
			else if (link && lstat(link, &lb) == 0 &&
			    S_ISREG(lb.st_mode) && lb.st_size == sb.st_size &&
			    lb.st_mtim.tv_sec == sb.st_mtim.tv_sec &&
			    lb.st_mtim.tv_nsec == sb.st_mtim.tv_nsec &&
			    linkat(AT_FDCWD, link, AT_FDCWD, dst, 0) == 0) {
				st->files++;
				st->linked++;
				st->bytes += sb.st_size;
			} else if ((rc = copy_file(src, dst, &sb, err,
			    errlen)) == 0) {
				st->files++;
				st->bytes += sb.st_size;
			}
		}
		src[ls] = '\0';
		dst[ld] = '\0';
		if (link)
			link[ll] = '\0';
	}
	closedir(d);
	return rc;
}

int
dirtree_copy(const char *src, const char *dst, const char *link_from,
    int flags, struct dirtree_stats *st, char *err, size_t errlen)
{
	char		s[PATH_MAX], d[PATH_MAX], l[PATH_MAX];
	struct stat	sb;

	memset(st, 0, sizeof(*st));
	if (strlen(src) >= sizeof(s) || strlen(dst) >= sizeof(d) ||
	    (link_from && strlen(link_from) >= sizeof(l))) {
		errno = ENAMETOOLONG;
		return fail(err, errlen, "path too long", src);
	}
	if (mkdir(dst, stat(src, &sb) == 0 ? sb.st_mode & 07777 : 0755) ==
	    -1 && errno != EEXIST)
		return fail(err, errlen, "cannot create", dst);
	str_copy(s, sizeof(s), str_c(src));
	str_copy(d, sizeof(d), str_c(dst));
	if (link_from)
		str_copy(l, sizeof(l), str_c(link_from));
	return copy_tree(s, d, link_from ? l : NULL, flags, st, err, errlen);
}

static int
rm_one(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	return (type == FTW_DP ? rmdir(path) : unlink(path)) == -1 &&
	    errno != ENOENT ? -1 : 0;
}

int
dirtree_remove(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) == -1)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int64_t	sum_bytes;

static int
add_one(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	if (type == FTW_F && S_ISREG(sb->st_mode))
		sum_bytes += sb->st_size;
	return 0;
}

int64_t
dirtree_bytes(const char *path)
{
	sum_bytes = 0;
	if (nftw(path, add_one, 16, FTW_PHYS) == -1)
		return 0;
	return sum_bytes;
}
