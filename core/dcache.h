/*
 * dcache.h - negative dentries (dcache.c).
 */
#ifndef MEMCGFS_DCACHE_H
#define MEMCGFS_DCACHE_H

#include "list_lru.h"
#include "memcontrol.h"

/* lookup FS COUNT: COUNT negative dentries (misses), charged to @memcg and
 * put on the filesystem's dentry list_lru; failures say why in *@why. */
int filemap_lookup(struct mem_cgroup *memcg, const char *fs, long count,
		   enum gfp_mode gfp, const char **why);
/* The dentry list_lru's isolate callback: free one unused dentry,
 * adding its charged bytes to *(int64_t *)@arg (the lru lock is held). */
enum lru_status free_dentry(struct list_head *item, struct list_lru_one *l,
			    void *arg);
/* The list_lru path of @memcg: its ID, its ancestors', then 0 (malloc'd;
 * NULL when out of memory). */
int *lru_path(struct mem_cgroup *memcg);

#endif
