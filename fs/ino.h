/*
 * ino.h - the mount's inode numbers (ino.c).
 */
#ifndef MEMCGFS_INO_H
#define MEMCGFS_INO_H

#include <stdint.h>

struct cgroup;
struct cftype;

/* A cgroup's directory. */
uint64_t cgroup_ino(const struct cgroup *cg);
/* One of its interface files, @cft a row of cftypes[]. */
uint64_t file_ino(const struct cgroup *cg, const struct cftype *cft);

#endif
