/*
 * memcg_zombie.h - what keeps a dying memcg alive, and who uses it
 * (what pins a dying memcg: the question no tool answered).
 *
 * A dying memcg is pinned (refs) by: charged pages (page cache and shmem
 * on its LRU lists, anon owned by processes), swap entries, sockets, a CPU stock that
 * still caches it, its dying children, and each file a process mapped
 * in it (until that process unmaps it or exits).  Slab, per-CPU memory and
 * kernel stacks never pin it in the 5.9+ design: their obj_cgroup moved
 * to the parent at offline.  Before 5.9 (kmem=clone-*) each of its slab
 * caches did, until the cache died (memcg_kmem_cache.h).  The walk below
 * finds each pin.
 *
 * Locking: cgroup_mutex held (reading is enough).
 */
#ifndef MEMCGFS_MEMCG_ZOMBIE_H
#define MEMCGFS_MEMCG_ZOMBIE_H

#include <stdint.h>
#include <sys/types.h>

#include "memcontrol.h"

struct sim_inode;

/* One file whose pages are charged to the zombie. */
struct zombie_file {
	struct sim_inode *inode;
	int64_t pages;
};

struct zombie_pins {
	int64_t refs;			/* every pin, as counted */
	int64_t usage_pages;		/* its memory counter */
	int64_t file_pages, shmem_pages;
	int64_t anon_pages;		/* owned by processes (tasks) */
	int64_t swap_pages;		/* swap entries recording it */
	int64_t sock_pages, nr_sockets;
	int64_t stock_pages;		/* CPU stocks caching it */
	int nr_children;		/* dying children (each a pin) */
	int stock_cpus;			/* CPU stocks caching it (a pin each) */
	int nr_caches;			/* kmem=clone-*: its caches (a pin each) */
	int64_t nr_mappings;		/* files mapped in it (a pin each) */
	int64_t unexplained;		/* refs no pin above accounts for */
	struct zombie_file *files;	/* by inode, most pages first */
	size_t nr_files;
};

/* Visit the dying memcgs in @root's subtree, oldest removal first. */
void mem_cgroup_for_each_zombie(struct mem_cgroup *root,
				void (*fn)(struct mem_cgroup *memcg, void *arg),
				void *arg);
/* Fill @p (free p->files with free()); 0 or -ENOMEM. */
int memcg_zombie_pins(struct mem_cgroup *memcg, struct zombie_pins *p);

#endif
