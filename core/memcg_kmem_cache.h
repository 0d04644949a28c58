/*
 * memcg_kmem_cache.h - the pre-5.9 per-memcg kmem cache clones
 * (memcg_kmem_get_cache(), struct memcg_cache_params, 3.8-5.8) and what
 * became of a dead memcg's clones under each kmem= policy (policy.h;
 * the ways of Davydov's 2014 dead-caches thread).
 *
 * A clone is a cache of its own per (root cache, memcg), made on the
 * memcg's first allocation from the root cache.  Its slab pages, not its
 * objects, are charged to the memcg (memcg_charge_slab(): memory and
 * kmem counters, kernel and slab_* stats in whole pages), and the clone
 * pins its memcg (a css reference) until it is destroyed.  That is what
 * made dead caches keep zombies alive before 5.9.
 *
 * Locking: cgroup_mutex held for writing around every function here; it
 * serialises all use of clones (allocator/slab_clone.c relies on it).
 */
#ifndef MEMCGFS_MEMCG_KMEM_CACHE_H
#define MEMCGFS_MEMCG_KMEM_CACHE_H

#include <stdint.h>

#include "memcontrol.h"

/* How slab is charged, and what becomes of a dead memcg's caches
 * (sim.policy kmem=). */
enum memcg_kmem_policy {
	KMEM_OBJCG,		/* >= 5.9: shared caches, objcg reparented */
	KMEM_CLONE_LEAK,	/* 2014: dead caches with objects leak */
	KMEM_CLONE_NOCACHE,	/* way 1: dead caches keep no free slabs */
	KMEM_CLONE_REAP,	/* way 2: reaped periodically / on pressure */
	KMEM_CLONE_REPARENT,	/* way 3, 5.3: moved to the parent */
	KMEM_CLONE_REFCOUNT,	/* way 4: destroyed by the last free */
	NR_KMEM_POLICIES
};
extern const char *const memcg_kmem_policy_names[NR_KMEM_POLICIES];
extern enum memcg_kmem_policy memcg_kmem_policy;
/* What dead clones follow: the last clone-* chosen (kmem=objcg makes no
 * new clones; those left keep the rules they had). */
extern enum memcg_kmem_policy memcg_clone_policy;

struct kmem_cache;

/* kmem_cache_alloc_account() under kmem=clone-*: an object of @root's
 * clone for @memcg, charged by the page; NULL with errno ENOMEM. */
void *memcg_kmem_cache_alloc(struct kmem_cache *root, struct mem_cgroup *memcg,
			     enum gfp_mode gfp);
/* Free an object of a clone (kmem_cache_clone_owner(s) != NULL). */
void memcg_kmem_cache_free(struct kmem_cache *s, void *obj);

/* memcg_deactivate_kmem_caches(): at offline, after the objcg moved. */
void memcg_deactivate_kmem_caches(struct mem_cgroup *memcg);
/* Apply the current kmem= policy to every dead cache (policy switch). */
void memcg_kmem_policy_changed(void);
/* Way 2: shrink every dead cache and destroy the empty ones.  Returns
 * the pages freed.  Runs periodically and under memory pressure. */
int64_t memcg_kmem_reap_dead_caches(void);
/* The machine stops: every dead cache without objects goes. */
void memcg_kmem_caches_exit(void);

/* One cache on @memcg's list: its own clones and, after clone-reparent,
 * its dead children's. */
struct memcg_cache_info {
	struct kmem_cache *cachep;
	const char *name;
	int64_t pages;		/* charged */
	int64_t objects;	/* allocated */
	int64_t empty_pages;	/* in slabs with no object */
	bool dead;
};
void memcg_kmem_for_each_cache(struct mem_cgroup *memcg,
			       void (*fn)(const struct memcg_cache_info *ci,
					  void *arg), void *arg);
/* Clones pinning @memcg: one reference each. */
int memcg_kmem_cache_pins(struct mem_cgroup *memcg);
/* Pages each kmem= policy would take off @memcg's caches now. */
void memcg_kmem_would_free(struct mem_cgroup *memcg,
			   int64_t would[NR_KMEM_POLICIES]);

#endif
