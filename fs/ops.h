/* ops.h - the FUSE low-level operation table (ops.c). */
#ifndef MEMCGFS_OPS_H
#define MEMCGFS_OPS_H

struct fuse_lowlevel_ops;
extern const struct fuse_lowlevel_ops memcgfs_ops;

/* At exit: tear down the per-open state of files never released (the
 * kernel sends no RELEASE for fds still open when the mount goes). */
void ops_release_open_files(void);

#endif
