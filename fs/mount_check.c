/*
 * mount_check.c - refuse a bad mount point before mounting, and take the
 * generic options mount(8) and fstab hand to a fuse.TYPE helper.
 *
 * libfuse 3 mounts over anything, and the kernel lets a FUSE mount cover
 * a regular file or a non-empty directory, or stack on another memcgfs:
 * each leaves the user with a confusing tree (EIO on stat, hidden files,
 * a daemon that silently shadows another).  libfuse 3 dropped the
 * nonempty option, so the check and its -o nonempty escape live here.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mount_check.h"

/* MS_* flags libfuse's own mount parser turns into mount(2) flags. */
static const char *const fuse_flags[] = {
	"rw", "ro", "suid", "nosuid", "dev", "nodev", "exec", "noexec",
	"async", "sync", "atime", "noatime", "nodiratime", "dirsync",
};

/*
 * What mount(8) or mount.fuse3 may leave in the list for fstab's sake:
 * they mean something to mount(8) (when, who, after the network), not
 * to the filesystem.
 */
static const char *const mount_only[] = {
	"defaults", "auto", "noauto", "nofail", "_netdev", "user", "users",
	"nouser", "owner", "group", "relatime", "norelatime", "strictatime",
	"lazytime", "nolazytime", "silent", "loud",
};

static const char *const mount_only_prefix[] = {
	"user=", "x-", "comment=", "setuid=",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum mount_opt_kind mount_option_generic(const char *opt)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fuse_flags); i++)
		if (!strcmp(opt, fuse_flags[i]))
			return MOUNT_OPT_FUSE;
	for (i = 0; i < ARRAY_SIZE(mount_only); i++)
		if (!strcmp(opt, mount_only[i]))
			return MOUNT_OPT_IGNORE;
	for (i = 0; i < ARRAY_SIZE(mount_only_prefix); i++)
		if (!strncmp(opt, mount_only_prefix[i],
			     strlen(mount_only_prefix[i])))
			return MOUNT_OPT_IGNORE;
	return MOUNT_OPT_OURS;
}

/* Is @path (resolved) the mount point of a fuse.memcgfs mount? */
static bool is_memcgfs_mount(const char *path)
{
	char line[4096], mnt[PATH_MAX], type[256];
	bool found = false;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return false;
	/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS...] - TYPE SRC SUPER" */
	while (!found && fgets(line, sizeof(line), f)) {
		const char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(dash + 3, "%255s", type) != 1)
			continue;
		/* mountinfo escapes spaces as \040; such paths never match
		 * a realpath() with a space, which only costs the check. */
		found = !strcmp(mnt, path) && !strcmp(type, "fuse.memcgfs");
	}
	fclose(f);
	return found;
}

static bool dir_is_empty(const char *dir, int *err)
{
	struct dirent *d;
	bool empty = true;
	DIR *dp = opendir(dir);

	if (!dp) {
		*err = -errno;
		return false;
	}
	while (empty && (d = readdir(dp)))
		empty = !strcmp(d->d_name, ".") || !strcmp(d->d_name, "..");
	closedir(dp);
	*err = 0;
	return empty;
}

int mount_check(const char *dir, bool nonempty)
{
	char real[PATH_MAX];
	struct stat st;
	int err;

	if (stat(dir, &st)) {
		err = -errno;
		fprintf(stderr, "memcgfs: %s: %s%s\n", dir, strerror(-err),
			err == -ENOTCONN ? " (a dead FUSE mount: fusermount3 -u it)"
					 : "");
		return err;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "memcgfs: %s: not a directory\n", dir);
		return -ENOTDIR;
	}
	if (realpath(dir, real) && is_memcgfs_mount(real)) {
		fprintf(stderr, "memcgfs: %s: already a memcgfs mount "
			"(fusermount3 -u %s first)\n", dir, dir);
		return -EBUSY;
	}
	if (nonempty)
		return 0;
	if (!dir_is_empty(dir, &err)) {
		if (err)
			fprintf(stderr, "memcgfs: %s: %s\n", dir, strerror(-err));
		else
			fprintf(stderr, "memcgfs: %s: not empty "
				"(-o nonempty mounts over it anyway)\n", dir);
		return err ? err : -ENOTEMPTY;
	}
	return 0;
}
