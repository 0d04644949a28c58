/*
 * super.h - the emulated filesystems' superblocks (super.c).
 *
 * A filesystem is a named superblock of type disk or tmpfs holding flat
 * paths (its files are filemap.h's inodes), with a dentry and an inode
 * list_lru that its shrinker scans (super_cache_scan), as alloc_super()
 * sets one up for every superblock.
 *
 * Locking: cgroup_mutex held for writing.
 */
#ifndef MEMCGFS_SUPER_H
#define MEMCGFS_SUPER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "hashtable.h"
#include "list.h"
#include "list_lru.h"
#include "shrinker.h"

struct page;

#define SIM_FS_NAME_MAX 32	/* including the NUL */
#define SIM_FS_MAX 100000	/* mounted at once */

struct sim_fs {
	struct hnode hnode;		/* in the mount table, by name */
	char name[SIM_FS_NAME_MAX];
	bool tmpfs;
	struct hashtable files;		/* sim_inode by path */
	struct list_head orphans;	/* unlinked while mapped */
	int nr_mapped;			/* files mapped by some group */
	struct list_lru dentry_lru;	/* unused (negative) dentries */
	struct list_lru inode_lru;	/* unused inodes (s_inode_lru) */
	struct shrinker shrinker;	/* super_cache_count/scan */
};

/* The hash of a filesystem or path name, for the mount table and each
 * filesystem's files. */
static inline uint64_t hash_str(const char *s)
{
	return hash_bytes(s, strlen(s), 0x5eed);
}

int super_init(void);
/* Unmount everything (shutdown): every mapping ended, every page
 * uncharged. */
void sim_fs_umount_all(void);
/* sim.ctl mount/umount; failures say why in *@why (why.h). */
int sim_fs_mount(const char *name, const char *type, const char **why);
int sim_fs_umount(const char *name, const char **why);
/* The mounted filesystem @name, or NULL. */
struct sim_fs *fs_find(const char *name);
/* A mount name: 1..31 of [A-Za-z0-9_.-], not "." or "..". */
int check_fs_name(const char *name, const char **why);
/* Every resident page of every file, unlinked-but-mapped ones included
 * (sim.check's recount); fn must not add or remove pages. */
void filemap_for_each_page(void (*fn)(struct page *page, void *arg),
			   void *arg);

#endif
