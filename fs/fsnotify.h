/*
 * fsnotify.h - IN_MODIFY on interface files, raised through the mount.
 *
 * FUSE has no server-side fsnotify: inotify events on a FUSE file come
 * only from the VFS calls made on it (vfs_write() -> fsnotify_modify()).
 * So the daemon raises IN_MODIFY the way any writer would: one thread of
 * its own opens the file through the mount and writes one byte, which
 * ops.c recognises (fsnotify_is_self()) and drops unread.
 */
#ifndef MEMCGFS_FSNOTIFY_H
#define MEMCGFS_FSNOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Minimum interval between two IN_MODIFY of one file: the kernel's
 * CGROUP_FILE_NOTIFY_MIN_INTV, DIV_ROUND_UP(HZ, 100) jiffies (10 ms). */
#define FSNOTIFY_MIN_INTERVAL_NS 10000000ull

/* Start the kicking thread for the mount at @mountpoint (absolute). */
int fsnotify_start(const char *mountpoint);
void fsnotify_stop(void);

/*
 * Queue IN_MODIFY for the file @path (relative to the mount root) whose
 * key is @key, rate-limited as cgroup_file_notify(): the first event of a
 * burst goes at once, the rest of the burst collapses into one event
 * FSNOTIFY_MIN_INTERVAL_NS after the previous.  Takes only its own lock;
 * never blocks on FUSE.  Takes ownership of @path (malloc'd).
 */
void fsnotify_modify(uint64_t key, char *path);
/*
 * fsnotify_modify() for a file whose kick is still kept (notified within
 * the last interval), or nothing to do while not kicking: true, and no
 * path was needed.  False: the caller names the file, fsnotify_modify().
 * A reclaim raises an event on a parent's memory.events for every child
 * it visits; this spares building and freeing its path each time.
 */
bool fsnotify_modify_known(uint64_t key);

/* Is the FUSE request from thread @pid one of our own kicks? */
bool fsnotify_is_self(pid_t pid);

#endif
