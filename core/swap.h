/*
 * swap.h - swap space and its memcg accounting (mm/swapfile.c,
 * mm/swap_cgroup.c; mm/memcontrol.c __mem_cgroup_try_charge_swap,
 * __mem_cgroup_uncharge_swap, mem_cgroup_get_nr_swap_pages).
 *
 * The machine's swap (-o swap=SIZE) is the max of the root's swap
 * counter, so a swap charge fails when swap is full (a `fail` event) or
 * when memory.swap.max of the owner or an ancestor is reached (`max` and
 * `fail`).  A swap entry records the memcg it is charged to (the
 * swap_cgroup ID record) and pins that memcg's ID, and the ID pins the
 * memcg: a dying memcg whose only charge is swap stays dying, holding
 * its ID, until its last entry is freed.
 *
 * Locking: cgroup_mutex held for writing.
 */
#ifndef MEMCGFS_SWAP_H
#define MEMCGFS_SWAP_H

#include <stdbool.h>

struct mem_cgroup;

/*
 * mem_cgroup_try_charge_swap() for one page charged to @memcg: the entry
 * goes to the first ancestor whose ID is alive (mem_cgroup_id_get_online),
 * which is returned, pinned; NULL (events counted) if swap is full or a
 * memory.swap.max is reached.
 */
struct mem_cgroup *mem_cgroup_try_charge_swap(struct mem_cgroup *memcg);
/* Free one entry charged to @memcg: its swap charge and its ID pin. */
void mem_cgroup_uncharge_swap(struct mem_cgroup *memcg);
/* Could a page of @memcg go to swap now (get_scan_count's
 * can_reclaim_anon_pages: free swap, and margin under every swap.max)? */
bool mem_cgroup_can_swap(struct mem_cgroup *memcg);
/* mem_cgroup_swap_full(): the machine's swap is over half full
 * (vm_swap_full), or @memcg or an ancestor below the root uses half its
 * memory.swap.high or .max; then the swap cache gives entries up. */
bool mem_cgroup_swap_full(struct mem_cgroup *memcg);

#endif
