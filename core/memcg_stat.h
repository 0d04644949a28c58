/*
 * memcg_stat.h - the per-memcg statistics behind memory.stat.
 *
 * Items follow mm/memcontrol.c memory_stats[] and memcg_vm_event_stat[]
 * in the order memory.stat prints them (cgroup-interface.md §4.1).  Each
 * item is kept in its kernel unit (pages, bytes, KiB or events); the
 * display table says how to turn it into the printed number.
 *
 * Every value read is hierarchical (the memcg and all its descendants,
 * dying ones included), as v2 memory.stat is.
 */
#ifndef MEMCGFS_MEMCG_STAT_H
#define MEMCGFS_MEMCG_STAT_H

#include <stdatomic.h>
#include <stdint.h>

enum memcg_stat_item {
	/* page state (memory_stats[]) */
	NR_ANON, NR_FILE, MEMCG_KMEM, NR_KERNEL_STACK_KB, NR_PAGETABLE,
	NR_SECONDARY_PAGETABLE, MEMCG_PERCPU_B, MEMCG_SOCK, MEMCG_VMALLOC,
	NR_SHMEM, MEMCG_ZSWAP_B, MEMCG_ZSWAPPED, NR_FILE_MAPPED, NR_FILE_DIRTY,
	NR_WRITEBACK, NR_SWAPCACHE, NR_ANON_THPS, NR_FILE_THPS, NR_SHMEM_THPS,
	NR_INACTIVE_ANON, NR_ACTIVE_ANON, NR_INACTIVE_FILE, NR_ACTIVE_FILE,
	NR_UNEVICTABLE, NR_SLAB_RECLAIMABLE_B, NR_SLAB_UNRECLAIMABLE_B, NR_HUGETLB,
	WORKINGSET_REFAULT_ANON, WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_ANON, WORKINGSET_ACTIVATE_FILE,
	WORKINGSET_RESTORE_ANON, WORKINGSET_RESTORE_FILE,
	WORKINGSET_NODERECLAIM, PGDEMOTE_KSWAPD, PGDEMOTE_DIRECT,
	PGDEMOTE_KHUGEPAGED, PGDEMOTE_PROACTIVE, PGPROMOTE_SUCCESS,
	/* vm events (memcg_vm_event_stat[]) */
	PSWPIN, PSWPOUT, PGSCAN_KSWAPD, PGSCAN_DIRECT, PGSCAN_KHUGEPAGED,
	PGSCAN_PROACTIVE, PGSTEAL_KSWAPD, PGSTEAL_DIRECT, PGSTEAL_KHUGEPAGED,
	PGSTEAL_PROACTIVE, PGFAULT, PGMAJFAULT, PGREFILL, PGACTIVATE,
	PGDEACTIVATE, PGLAZYFREE, PGLAZYFREED, SWPIN_ZERO, SWPOUT_ZERO,
	ZSWPIN, ZSWPOUT, ZSWPWB, THP_FAULT_ALLOC, THP_COLLAPSE_ALLOC,
	THP_SWPOUT, THP_SWPOUT_FALLBACK, NUMA_PAGE_MIGRATE, NUMA_PTE_UPDATES,
	NUMA_HINT_FAULTS,
	NR_MEMCG_STAT
};

/*
 * One printed line of memory.stat: the sum of items first..last (a range
 * only for the synthesized slab, pgscan and pgsteal lines) times unit.
 * numa: also printed in memory.numa_stat (a per-node item).
 * numa_only: printed in memory.numa_stat but not memory.stat (hugetlb,
 * which memory.stat shows only with memory_hugetlb_accounting).
 */
struct memcg_stat_key {
	const char *name;
	unsigned short first, last;
	unsigned int unit;
	unsigned char numa;
	unsigned char numa_only;
};

extern const struct memcg_stat_key memcg_stat_keys[];
extern const unsigned int nr_memcg_stat_keys;

/* Per-memcg storage; the engine behind it is private to memcg_stat.c. */
struct memcg_vmstats {
	_Atomic int64_t state[NR_MEMCG_STAT];		/* subtree */
	_Atomic int64_t state_local[NR_MEMCG_STAT];	/* this memcg only */
};

/*
 * One CPU's share of a memcg's statistics (memcg_vmstats_percpu): the
 * per-CPU deltas and what the last flush took from them.  Allocated per
 * memcg for every virtual CPU and charged to the parent as percpu.
 */
struct memcg_vmstats_percpu {
	int64_t state[NR_MEMCG_STAT];
	int64_t state_prev[NR_MEMCG_STAT];
};

struct mem_cgroup;
/* Add @delta (in the item's unit) at @memcg and every ancestor. */
void mod_memcg_state(struct mem_cgroup *memcg, enum memcg_stat_item item,
		     int64_t delta);
int64_t memcg_page_state(struct mem_cgroup *memcg, enum memcg_stat_item item);
int64_t memcg_page_state_local(struct mem_cgroup *memcg,
			       enum memcg_stat_item item);
/* The printed value of one memory.stat line. */
uint64_t memcg_stat_key_value(struct mem_cgroup *memcg,
			      const struct memcg_stat_key *key);

#endif
