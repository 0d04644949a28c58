/*
 * pagecache.h - memcgfs-run's library: the page cache of the host's files.
 *
 * A regular file the process reads, writes or maps is mirrored as a file
 * of the emulated filesystem "host" named after its real path (so
 * sim.zombies names the real file): "host/work/data/big.log".  Bytes that
 * would not survive sim.ctl's word splitting (blanks, '=', '%') are
 * written %XX.  An O_TMPFILE file (or one unlinked while open) is named
 * as /proc/self/fd shows it, "host/DIR/#INODE", and its page cache goes
 * with the close that sees it unlinked.
 *
 * read/write of a byte range becomes "access NAME OFFSET SIZE": runs of
 * contiguous I/O on one file are batched per thread up to PC_BATCH bytes,
 * and flushed before a close, an unlink, a fork, the exit, or any open of
 * a file of the mount (so memory.current read by the same program after
 * its I/O sees it).  Failed lookups (ENOENT) are negative dentries,
 * batched DENTRY_BATCH at a time into "lookup host COUNT".
 */
#ifndef MEMCGFS_RUN_PAGECACHE_H
#define MEMCGFS_RUN_PAGECACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define PC_BATCH (64 * 4096)
#define DENTRY_BATCH 256
#define PC_MAX_FDS 4096		/* fds whose file is remembered */

/* A new fd: forget what the number meant.  @flags: open(2)'s. */
void pagecache_opened(int fd, int flags);
/* @fd (about to be) closed: flush, and drop an unlinked file's cache. */
void pagecache_closing(int fd);
/* I/O of [@off, @off + @len) went through @fd; @off < 0: the fd's
 * position after the I/O ends the range. */
void pagecache_io(int fd, int64_t off, uint64_t len);
void pagecache_mapped(int fd, uint64_t off, uint64_t len);
/* @fd's position is about to move: the run of I/O on it ends. */
void pagecache_seeking(int fd);
void pagecache_truncated_fd(int fd, uint64_t size);
/* @dirfd/@path is about to be unlinked or renamed over: its name. */
bool pagecache_name_at(int dirfd, const char *path, char *name, size_t size);
/* ... and it was: drop its cache ("unlink NAME"). */
void pagecache_unlinked(const char *name);
void pagecache_truncated(const char *name, uint64_t size);
/* A lookup found nothing. */
void dentry_miss(void);
/* Send what this thread batched. */
void pagecache_flush(void);

#endif
