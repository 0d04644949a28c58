/*
 * procfs.h - memcgfs-run's library: the mount seen as the cgroup2 root.
 *
 * Opening /proc/self/mounts, /proc/mounts, /proc/self/mountinfo or
 * /proc/self/cgroup (also as /proc/PID/... for the process's own pid and
 * /proc/thread-self/...) gives a memfd with the real contents rewritten:
 * the memcgfs mount is "cgroup2 ROOT cgroup2 rw,nosuid,nodev,noexec,
 * relatime", other cgroup mounts are left out, and the cgroup file reads
 * "0::/GROUP" from the daemon's view of this process (root sim.self), so
 * it follows moves.  /proc/swaps is the model's swap (root sim.swaps).  statfs/fstatfs of the mount say CGROUP2_SUPER_MAGIC.
 */
#ifndef MEMCGFS_RUN_PROCFS_H
#define MEMCGFS_RUN_PROCFS_H

#include <sys/vfs.h>

#define CGROUP2_SUPER_MAGIC 0x63677270

/* A faked file opened for @path: its fd; -2 if @path is not faked. */
int procfs_open(int dirfd, const char *path, int flags);
/* Make a statfs of the mount look like cgroup2's. */
void procfs_statfs(struct statfs *st);

#endif
