/*
 * inotify.h - memcgfs-run's library: IN_MODIFY on the mount's files.
 *
 * A kernel's cgroupfs raises IN_MODIFY when cgroup.events or
 * memory.events changes; a FUSE filesystem cannot make the kernel raise
 * it for a change made on the server side.  So a watch added on a file of
 * the mount is remembered with the file's contents, and poll(2) on the
 * inotify fd rereads those files every INOTIFY_POLL_MS while it waits: a
 * change makes the fd readable-as-reported (POLLIN in revents).  The real
 * watch is added too, so a daemon that can raise the event is heard as
 * well.  A poll of a second or more that times out on such an fd fails
 * with ETIMEDOUT instead of returning 0, so a loop that would wait forever
 * for a change the model never makes fails instead.  Only poll() is covered (not select or epoll), and the emulated
 * event has no record to read(2): the kernel's selftests only poll.
 */
#ifndef MEMCGFS_RUN_INOTIFY_H
#define MEMCGFS_RUN_INOTIFY_H

#define INOTIFY_POLL_MS 50
/* A poll of at least this long that sees no change fails with ETIMEDOUT. */
#define INOTIFY_GIVE_UP_MS 1000
#define INOTIFY_MAX_WATCHES 64
#define INOTIFY_SNAP_MAX 512	/* bytes of a file compared */

/* @fd is being closed: forget its watches. */
void inotify_closing(int fd);

#endif
