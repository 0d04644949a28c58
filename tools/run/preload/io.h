/*
 * io.h - memcgfs-run's library: the libc entry points of file I/O.
 *
 * open/openat (and their _2 and 64 forms), fopen, close, fclose, dup2/3,
 * read/write and their p/v forms, truncate, unlink, rename, stat, access
 * and statfs are wrapped: each calls the system call itself and tells
 * procfs.h and pagecache.h what happened.  glibc's own internal calls
 * (stdio's buffered reads and writes, for one) do not come through here:
 * see docs/memcgfs-run.md for what that leaves out.
 */
#ifndef MEMCGFS_RUN_IO_H
#define MEMCGFS_RUN_IO_H

#endif
