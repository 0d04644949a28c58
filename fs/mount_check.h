/*
 * mount_check.h - what the daemon checks before it mounts, and the
 * mount(8) options it takes as every filesystem does.
 */
#ifndef MEMCGFS_MOUNT_CHECK_H
#define MEMCGFS_MOUNT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* What a generic mount option becomes (mount_option_generic()). */
enum mount_opt_kind {
	MOUNT_OPT_OURS,		/* not generic: memcgfs's own parser decides */
	MOUNT_OPT_FUSE,		/* a VFS flag: passed on to libfuse's mount */
	MOUNT_OPT_IGNORE,	/* for mount(8)/fstab only: accepted, no effect */
};

/* Classifies @opt ("noexec", "user=alice", ...) as mount(8) passes it. */
enum mount_opt_kind mount_option_generic(const char *opt);

/*
 * Refuses a mount point that is not a directory, is not empty (unless
 * @nonempty) or is already a memcgfs mount, with one line on stderr.
 * Returns 0 or a negative errno.
 */
int mount_check(const char *dir, bool nonempty);

#endif
