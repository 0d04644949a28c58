/*
 * notify.h - what other fs/ code calls to tell watchers a file changed
 * (kernel/cgroup/cgroup.c cgroup_file_notify() -> kernfs_notify()).
 *
 * Files whose changes core/ reports through cgroup_file_notify() (a row's
 * notify column: cgroup.events, memory.events, ...) are covered already;
 * these are for files that have no enum cgroup_notify_file of their own.
 */
#ifndef MEMCGFS_NOTIFY_H
#define MEMCGFS_NOTIFY_H

#include "fs.h"

/*
 * Raise IN_MODIFY on @cg's file @cft, rate-limited as the kernel does
 * (fsnotify.h).  Caller holds cgroup_mutex (read or write); never blocks
 * on FUSE, so request handlers may call it.
 */
void notify_file_modified(struct cgroup *cg, const struct cftype *cft);
/* What notify_file_modified() hands fsnotify_modify() (fsnotify.h) for
 * @cft of @cg: the path under the mount (malloc'd; NULL if @cg does not
 * show the file) and its key, for callers that kick later without
 * cgroup_mutex (PSI triggers fire under psi_lock). */
char *notify_file_path(struct cgroup *cg, const struct cftype *cft,
		       uint64_t *key);
/* The same, by file name; a name @cg does not show is ignored. */
void notify_file_modified_name(struct cgroup *cg, const char *name);

#endif
