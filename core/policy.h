/*
 * policy.h - the designs the seeds argue about, switchable where the
 * model implements more than one (root sim.policy, -o policy=K=V:K=V).
 *
 * Locking: cgroup_mutex held for writing to set, for reading to show.
 */
#ifndef MEMCGFS_POLICY_H
#define MEMCGFS_POLICY_H

#include <stdbool.h>

/* What happens to a memcg's ID at offline. */
enum memcg_ids_policy {
	IDS_RECYCLE,	/* >= 4.8: freed at offline */
	IDS_HOLD,	/* kept until release: zombies exhaust the ID space */
};
extern enum memcg_ids_policy memcg_ids_policy;

/* What happens to a memcg's page charges at offline. */
enum memcg_pages_policy {
	PAGES_PIN,		/* 3.19-7.0: they stay until reclaimed */
	PAGES_REPARENT_WALK,	/* <= 3.18: every page moved to the parent */
	PAGES_REPARENT,		/* 2026: objcg flip and LRU splice, O(1) */
	PAGES_RECHARGE,		/* 2023 proposal: to a live group mapping it */
	PAGES_DEFERRED,		/* 2023 proposal: parked, then to a toucher */
	PAGES_EVICT,		/* drop unmapped page cache */
	NR_PAGES_POLICIES
};
extern enum memcg_pages_policy memcg_pages_policy;

/* How slab is charged, and what becomes of a dead memcg's caches. */
enum memcg_kmem_policy {
	KMEM_OBJCG,		/* >= 5.9: shared caches, objcg reparented */
	KMEM_CLONE_LEAK,	/* 2014: dead caches with objects leak */
	KMEM_CLONE_NOCACHE,	/* way 1: dead caches keep no free slabs */
	KMEM_CLONE_REAP,	/* way 2: reaped periodically / on pressure */
	KMEM_CLONE_REPARENT,	/* way 3, 5.3: moved to the parent */
	KMEM_CLONE_REFCOUNT,	/* way 4: destroyed by the last free */
};
extern enum memcg_kmem_policy memcg_kmem_policy;
/* What dead clones follow: the last clone-* chosen (kmem=objcg makes no
 * new clones; those left keep the rules they had). */
extern enum memcg_kmem_policy memcg_clone_policy;

/* The zombie reaper of vendor kernels: reclaim dying memcgs every
 * memcg_reaper_interval seconds (0: off). */
extern unsigned int memcg_reaper_interval;
#define MEMCG_REAPER_DEFAULT_INTERVAL	5
#define MEMCG_REAPER_MAX_INTERVAL	86400

/* Set KEY to VALUE: 0, -EINVAL (unknown key or value, or one the model
 * does not implement yet), -EBUSY (chosen at mount only). */
int policy_set(const char *key, const char *value);
/* Parse "K=V[:K=V...]" (the -o policy= form) in place. */
int policy_set_list(char *list);
/* One line per policy: "KEY=VALUE (era)". */
void policy_show(void (*line)(const char *key, const char *value,
			      const char *era, void *arg), void *arg);

#endif
