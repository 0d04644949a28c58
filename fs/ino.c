/*
 * ino.c - the mount's inode numbers, as kernfs numbers its nodes.
 *
 * Inode numbers are derived, never stored: a cgroup's directory is
 * serial << 8 and its files serial << 8 | (row + 1); the root is
 * FUSE_ROOT_ID.  Serials are never reused, so a stale inode can only miss
 * (ENOENT), never hit another cgroup; there is no lookup count to keep.
 */
#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>

#include "fs.h"
#include "ino.h"

uint64_t cgroup_ino(const struct cgroup *cg)
{
	return cg->parent ? cg->serial << 8 : FUSE_ROOT_ID;
}

uint64_t file_ino(const struct cgroup *cg, const struct cftype *cft)
{
	return cg->serial << 8 | (uint64_t)(cft - cftypes + 1);
}
