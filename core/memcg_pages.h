/*
 * memcg_pages.h - a dying memcg's page charges under each pages= policy.
 */
#ifndef MEMCGFS_MEMCG_PAGES_H
#define MEMCGFS_MEMCG_PAGES_H

#include "memcontrol.h"

/* At offline: apply the current pages= policy to @memcg's pages. */
void memcg_offline_pages(struct mem_cgroup *memcg);
/* Pages each policy would take off @memcg if applied now (sim.zombies). */
void memcg_pages_would_free(struct mem_cgroup *memcg, int64_t *reparent,
			    int64_t *recharge, int64_t *evict);

#endif
