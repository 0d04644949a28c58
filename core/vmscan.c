/*
 * vmscan.c - reclaim (mm/vmscan.c).
 *
 * The model so far charges only anon memory, and anon can be reclaimed
 * only by swapping it out.  Swap-out, page cache, shrinkable slab and the
 * LRU lists arrive with the reclaim issue (#4); until then every reclaim
 * pass finds nothing to scan, which is exactly what the kernel's reclaim
 * finds in a cgroup holding only anon memory and no swap.  The callers
 * (charge, memory.max/high, memory.reclaim) already run the kernel's
 * retry loops around it, so their events and errors are final.
 */
#include "memcontrol.h"

int64_t try_to_free_mem_cgroup_pages(struct mem_cgroup *memcg,
				     int64_t nr_pages)
{
	(void)memcg;
	(void)nr_pages;
	return 0;
}
