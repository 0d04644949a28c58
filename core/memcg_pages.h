/*
 * memcg_pages.h - a dying memcg's page charges under each pages= policy.
 */
#ifndef MEMCGFS_MEMCG_PAGES_H
#define MEMCGFS_MEMCG_PAGES_H

#include "memcontrol.h"

/* What happens to a memcg's page charges at offline (sim.policy pages=). */
enum memcg_pages_policy {
	PAGES_PIN,		/* 3.19-7.0: they stay until reclaimed */
	PAGES_REPARENT_WALK,	/* <= 3.18: every page moved to the parent */
	PAGES_REPARENT,		/* 2026: objcg flip and LRU splice, O(1) */
	PAGES_RECHARGE,		/* 2023 proposal: to a live group mapping it */
	PAGES_DEFERRED,		/* 2023 proposal: parked, then to a toucher */
	PAGES_EVICT,		/* drop unmapped page cache */
	NR_PAGES_POLICIES
};
extern const char *const memcg_pages_policy_names[NR_PAGES_POLICIES];
extern enum memcg_pages_policy memcg_pages_policy;

struct sim_inode;

/* At offline, while @memcg still has its objcg: apply the current pages=
 * policy to its pages.  Zombies made earlier keep what their own offline
 * did: a policy written later applies to groups going offline after. */
void memcg_offline_pages(struct mem_cgroup *memcg);
/* Live @memcg read, wrote or mapped @ino: its pages parked by
 * pages=deferred move to @memcg where a nowait charge fits. */
void memcg_pages_touch(struct mem_cgroup *memcg, struct sim_inode *ino);
/* Pages each policy would take off @memcg if applied now (sim.zombies),
 * by enum memcg_pages_policy; pin's is 0. */
void memcg_pages_would_free(struct mem_cgroup *memcg,
			    int64_t would[NR_PAGES_POLICIES]);
/* Pages moved since mount: to parents (reparent-walk, reparent, parked by
 * deferred) and to other live groups (recharge, deferred). */
void memcg_pages_moved(int64_t *to_parent, int64_t *to_groups);

#endif
