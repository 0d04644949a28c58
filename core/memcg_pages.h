/*
 * memcg_pages.h - a dying memcg's page charges under each pages= policy.
 */
#ifndef MEMCGFS_MEMCG_PAGES_H
#define MEMCGFS_MEMCG_PAGES_H

#include "memcontrol.h"
#include "policy.h"

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
