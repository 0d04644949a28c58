/*
 * vmscan.h - reclaim from a memcg's LRU lists and shrinkers (vmscan.c).
 */
#ifndef MEMCGFS_VMSCAN_H
#define MEMCGFS_VMSCAN_H

#include <stdbool.h>
#include <stdint.h>

struct mem_cgroup;

/* Pages reclaimed from @memcg's subtree (at least a cluster of
 * 32 is tried); @proactive: memory.reclaim, counted in pg*_proactive. */
int64_t try_to_free_mem_cgroup_pages(struct mem_cgroup *memcg,
				     int64_t nr_pages, bool proactive);

#endif
