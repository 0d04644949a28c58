/*
 * memcg_stat.c - memory.stat items, units and the (exact, eager) engine.
 *
 * Every update adds to the memcg's local value and to the subtree value of
 * the memcg and each ancestor, with relaxed atomics: readers see an exact
 * total without any flush, at the price of O(depth) atomics per update.
 */
#include "memcg_stat.h"
#include "memcontrol.h"

#define P 4096u		/* page items */
#define B 1u		/* byte items and counts */
#define KB 1024u	/* kernel_stack */

#define ITEM(n, i, u, numa) { n, i, i, u, numa, 0 }
#define SUM(n, a, b, u) { n, a, b, u, 0, 0 }

const struct memcg_stat_key memcg_stat_keys[] = {
	ITEM("anon", NR_ANON, P, 1),
	ITEM("file", NR_FILE, P, 1),
	ITEM("kernel", MEMCG_KMEM, P, 0),
	ITEM("kernel_stack", NR_KERNEL_STACK_KB, KB, 1),
	ITEM("pagetables", NR_PAGETABLE, P, 1),
	ITEM("sec_pagetables", NR_SECONDARY_PAGETABLE, P, 1),
	ITEM("percpu", MEMCG_PERCPU_B, B, 0),
	ITEM("sock", MEMCG_SOCK, P, 0),
	ITEM("vmalloc", MEMCG_VMALLOC, P, 0),
	ITEM("shmem", NR_SHMEM, P, 1),
	ITEM("zswap", MEMCG_ZSWAP_B, B, 0),
	ITEM("zswapped", MEMCG_ZSWAPPED, P, 0),
	ITEM("file_mapped", NR_FILE_MAPPED, P, 1),
	ITEM("file_dirty", NR_FILE_DIRTY, P, 1),
	ITEM("file_writeback", NR_WRITEBACK, P, 1),
	ITEM("swapcached", NR_SWAPCACHE, P, 1),
	ITEM("anon_thp", NR_ANON_THPS, P, 1),
	ITEM("file_thp", NR_FILE_THPS, P, 1),
	ITEM("shmem_thp", NR_SHMEM_THPS, P, 1),
	ITEM("inactive_anon", NR_INACTIVE_ANON, P, 1),
	ITEM("active_anon", NR_ACTIVE_ANON, P, 1),
	ITEM("inactive_file", NR_INACTIVE_FILE, P, 1),
	ITEM("active_file", NR_ACTIVE_FILE, P, 1),
	ITEM("unevictable", NR_UNEVICTABLE, P, 1),
	ITEM("slab_reclaimable", NR_SLAB_RECLAIMABLE_B, B, 1),
	ITEM("slab_unreclaimable", NR_SLAB_UNRECLAIMABLE_B, B, 1),
	SUM("slab", NR_SLAB_RECLAIMABLE_B, NR_SLAB_UNRECLAIMABLE_B, B),
	/* Not in memory.stat without the memory_hugetlb_accounting mount
	 * option; memory.numa_stat prints it regardless (§4.3). */
	{ "hugetlb", NR_HUGETLB, NR_HUGETLB, P, 1, 1 },
	ITEM("workingset_refault_anon", WORKINGSET_REFAULT_ANON, B, 1),
	ITEM("workingset_refault_file", WORKINGSET_REFAULT_FILE, B, 1),
	ITEM("workingset_activate_anon", WORKINGSET_ACTIVATE_ANON, B, 1),
	ITEM("workingset_activate_file", WORKINGSET_ACTIVATE_FILE, B, 1),
	ITEM("workingset_restore_anon", WORKINGSET_RESTORE_ANON, B, 1),
	ITEM("workingset_restore_file", WORKINGSET_RESTORE_FILE, B, 1),
	ITEM("workingset_nodereclaim", WORKINGSET_NODERECLAIM, B, 1),
	ITEM("pgdemote_kswapd", PGDEMOTE_KSWAPD, B, 1),
	ITEM("pgdemote_direct", PGDEMOTE_DIRECT, B, 1),
	ITEM("pgdemote_khugepaged", PGDEMOTE_KHUGEPAGED, B, 1),
	ITEM("pgdemote_proactive", PGDEMOTE_PROACTIVE, B, 1),
	ITEM("pgpromote_success", PGPROMOTE_SUCCESS, B, 1),
	SUM("pgscan", PGSCAN_KSWAPD, PGSCAN_PROACTIVE, B),
	SUM("pgsteal", PGSTEAL_KSWAPD, PGSTEAL_PROACTIVE, B),
	ITEM("pswpin", PSWPIN, B, 0),
	ITEM("pswpout", PSWPOUT, B, 0),
	ITEM("pgscan_kswapd", PGSCAN_KSWAPD, B, 0),
	ITEM("pgscan_direct", PGSCAN_DIRECT, B, 0),
	ITEM("pgscan_khugepaged", PGSCAN_KHUGEPAGED, B, 0),
	ITEM("pgscan_proactive", PGSCAN_PROACTIVE, B, 0),
	ITEM("pgsteal_kswapd", PGSTEAL_KSWAPD, B, 0),
	ITEM("pgsteal_direct", PGSTEAL_DIRECT, B, 0),
	ITEM("pgsteal_khugepaged", PGSTEAL_KHUGEPAGED, B, 0),
	ITEM("pgsteal_proactive", PGSTEAL_PROACTIVE, B, 0),
	ITEM("pgfault", PGFAULT, B, 0),
	ITEM("pgmajfault", PGMAJFAULT, B, 0),
	ITEM("pgrefill", PGREFILL, B, 0),
	ITEM("pgactivate", PGACTIVATE, B, 0),
	ITEM("pgdeactivate", PGDEACTIVATE, B, 0),
	ITEM("pglazyfree", PGLAZYFREE, B, 0),
	ITEM("pglazyfreed", PGLAZYFREED, B, 0),
	ITEM("swpin_zero", SWPIN_ZERO, B, 0),
	ITEM("swpout_zero", SWPOUT_ZERO, B, 0),
	ITEM("zswpin", ZSWPIN, B, 0),
	ITEM("zswpout", ZSWPOUT, B, 0),
	ITEM("zswpwb", ZSWPWB, B, 0),
	ITEM("thp_fault_alloc", THP_FAULT_ALLOC, B, 0),
	ITEM("thp_collapse_alloc", THP_COLLAPSE_ALLOC, B, 0),
	ITEM("thp_swpout", THP_SWPOUT, B, 0),
	ITEM("thp_swpout_fallback", THP_SWPOUT_FALLBACK, B, 0),
	ITEM("numa_pages_migrated", NUMA_PAGE_MIGRATE, B, 0),
	ITEM("numa_pte_updates", NUMA_PTE_UPDATES, B, 0),
	ITEM("numa_hint_faults", NUMA_HINT_FAULTS, B, 0),
};
const unsigned int nr_memcg_stat_keys =
	sizeof(memcg_stat_keys) / sizeof(memcg_stat_keys[0]);

void mod_memcg_state(struct mem_cgroup *memcg, enum memcg_stat_item item,
		     int64_t delta)
{
	atomic_fetch_add_explicit(&memcg->vmstats.state_local[item], delta,
				  memory_order_relaxed);
	for (; memcg; memcg = memcg->parent)
		atomic_fetch_add_explicit(&memcg->vmstats.state[item], delta,
					  memory_order_relaxed);
}

int64_t memcg_page_state(struct mem_cgroup *memcg, enum memcg_stat_item item)
{
	int64_t v = atomic_load_explicit(&memcg->vmstats.state[item],
					 memory_order_relaxed);

	/* Transiently negative under racing updates; the kernel clamps too. */
	return v < 0 ? 0 : v;
}

int64_t memcg_page_state_local(struct mem_cgroup *memcg,
			       enum memcg_stat_item item)
{
	int64_t v = atomic_load_explicit(&memcg->vmstats.state_local[item],
					 memory_order_relaxed);

	return v < 0 ? 0 : v;
}

uint64_t memcg_stat_key_value(struct mem_cgroup *memcg,
			      const struct memcg_stat_key *key)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = key->first; i <= key->last; i++)
		sum += (uint64_t)memcg_page_state(memcg, i);
	return sum * key->unit;
}
