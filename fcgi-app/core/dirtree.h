/*
 * dirtree.h: copying and removing directory trees (backups: a
 * mariadb-backup folder, the media of each shop).
 *
 * A copy keeps each file's mode and modification time. With link_from,
 * a file that is there too under the same relative path, with the same
 * size and modification time, is hard-linked instead of copied: media
 * files never change once written (their names are random), so nightly
 * copies of the media cost only the new files. Symbolic links and
 * special files are skipped (neither a datadir nor media_dir has any).
 */
#ifndef SOUK_CORE_DIRTREE_H
#define SOUK_CORE_DIRTREE_H

#include <stdint.h>

struct dirtree_stats {
	int64_t	files;		/* copied or linked */
	int64_t	linked;		/* of which hard links */
	int64_t	bytes;		/* of all of them */
};

enum {
	DIRTREE_KEEP = 1,	/* leave files already at dst as they are */
};

/*
 * Copies the tree at src into dst (created; parents must exist). A
 * missing src is an empty tree. Returns 0, or -1 with errno set and
 * the path that failed in err.
 */
int	dirtree_copy(const char *src, const char *dst, const char *link_from,
	    int flags, struct dirtree_stats *st, char *err, size_t errlen);

/* Removes path and everything under it; a missing path is fine.
 * Returns 0 or -1 (errno set). */
int	dirtree_remove(const char *path);

/* The bytes of the regular files under path (0 when missing). */
int64_t	dirtree_bytes(const char *path);

#endif
