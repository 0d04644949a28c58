/* ops.h - the FUSE low-level operation table (ops.c). */
#ifndef MEMCGFS_OPS_H
#define MEMCGFS_OPS_H

/* kernfs's atomic_write_len: one write(2) of more is E2BIG. */
#define PAGE_SIZE_BYTES 4096

struct fuse_lowlevel_ops;
extern const struct fuse_lowlevel_ops memcgfs_ops;

/* At exit: tear down the per-open state of files never released (the
 * kernel sends no RELEASE for fds still open when the mount goes). */
void ops_release_open_files(void);

#endif
