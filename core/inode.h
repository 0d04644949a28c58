/*
 * inode.h - the emulated files' inodes (inode.c).
 *
 * Locking: cgroup_mutex held for writing.
 */
#ifndef MEMCGFS_INODE_H
#define MEMCGFS_INODE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "hashtable.h"
#include "list.h"
#include "list_lru.h"
#include "memcontrol.h"

struct page;
struct sim_fs;

/* A group mapping a file: pinned while it maps. */
struct sim_mapper {
	struct mem_cgroup *memcg;
	int count;
};

struct sim_inode {
	struct hnode hnode;		/* in fs->files, by path */
	struct sim_fs *fs;
	char *path;
	uint64_t size;			/* bytes */
	struct page **pages;		/* by index; NULL: not resident */
	uint64_t nr_slots;
	uint64_t *shadows;		/* by index: evicted pages' shadow
					 * entries (workingset.c), 0: none */
	uint64_t nr_resident;
	/* Accounted slab objects; NULL once the shrinker freed them (the
	 * file stays "on disk" and the next access loads them again). */
	void *dentry, *inode;
	/* On fs->inode_lru while unused: a disk file with no page cache,
	 * not mapped (inodes with page cache are kept off, as since
	 * 5.18's 51b8c1fe250d). */
	struct list_head i_lru;
	int i_count;			/* operations under way (iget) */
	struct sim_mapper *mappers;
	unsigned int nr_mappers;
	int map_count;
	struct list_head mapped;	/* on the mapped list while mapped */
	bool unlinked;			/* gone from fs->files; freed at unmap */
	uid_t uid;			/* owner: the writer that created it */
	struct list_head orphan;	/* on fs->orphans while unlinked */
};

/* The file @path of @fs, or NULL. */
struct sim_inode *inode_find(struct sim_fs *fs, const char *path);
/* A new file @path in @fs with its dentry and inode charged to @memcg;
 * NULL when out of memory or over a limit, saying which in *@why. */
struct sim_inode *inode_create(struct sim_fs *fs, const char *path,
			       struct mem_cgroup *memcg, enum gfp_mode gfp,
			       const char **why);
/* The file's dentry and inode objects, loaded (again) in @memcg. */
int inode_instantiate(struct sim_inode *ino, struct mem_cgroup *memcg,
		      enum gfp_mode gfp, const char **why);
/* iget(): loaded, and held off the inode LRU; inode_put() lets it go. */
int inode_get(struct sim_inode *ino, struct mem_cgroup *memcg,
	      enum gfp_mode gfp, const char **why);
void inode_put(struct sim_inode *ino);
/* On or off the superblock's inode list_lru, as it is now (un)used. */
void inode_lru_update(struct sim_inode *ino);
/* Drop the inode, its pages and its name (evict + unlink). */
void inode_destroy(struct sim_inode *ino);
/* The inode list_lru's isolate callback (super_cache_scan): free an
 * unused inode's objects, adding their bytes to *(int64_t *)@arg. */
enum lru_status free_inode(struct list_head *item, struct list_lru_one *l,
			   void *arg);

#endif
