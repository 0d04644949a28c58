/*
 * memcg_stat.h - the per-memcg statistics behind memory.stat.
 *
 * Items follow mm/memcontrol.c memory_stats[] and memcg_vm_event_stat[]
 * in the order memory.stat prints them
 * (Documentation/admin-guide/cgroup-v2.rst).  Each
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

/*
 * The statistics engine, chosen at mount (-o stats=), each a kernel era
 * (Gushchin's 2019 percpu vmstats flushing fix).
 */
enum memcg_stats_mode {
	STATS_RSTAT,		/* >= 5.13: per-CPU deltas, updated tree, flush */
	STATS_SUM,		/* <= 4.15: sum every CPU of the subtree on read */
	STATS_SPILL,		/* 5.2: spill past a batch; residues lost at free */
	STATS_SPILL_DOUBLEFLUSH, /* bee07b33db78: slab flushed at offline
				  * and again at free, never zeroed */
	STATS_SPILL_FIXED,	/* 5.3-5.12 after the fixes: flush at free */
	NR_STATS_MODES
};
extern const char *const memcg_stats_mode_names[NR_STATS_MODES];
extern enum memcg_stats_mode memcg_stats_mode;

/* The spill threshold of 5.2-5.12: 32 pages (MEMCG_CHARGE_BATCH then). */
#define MEMCG_SPILL_BATCH 32

/*
 * Per-memcg storage.  state and state_local are what readers see: in
 * rstat the flushed aggregates; in spill the spilled atomics (local is
 * summed from the CPUs instead); sum mode reads the CPUs.  pending is
 * rstat's carry from flushed children, and in sum mode the totals of
 * released descendants.  Written under stats_flush_lock (rstat, and
 * release in every mode) or with atomics (spill).  Allocated apart from
 * struct mem_cgroup, as the kernel does since 6.2 (memcg->vmstats).
 */
struct memcg_vmstats {
	_Atomic int64_t state[NR_MEMCG_STAT];		/* subtree */
	_Atomic int64_t state_local[NR_MEMCG_STAT];	/* this memcg only */
	int64_t pending[NR_MEMCG_STAT];
};

/*
 * rstat, once a memcg is offline: its statistics folded into the items
 * that are not zero, subtree and local (a dying memcg has a handful:
 * the pages that pin it).  Its per-CPU areas and dense aggregates are
 * freed at offline; every later update of it goes straight into this
 * and into its ancestors' aggregates, so readers stay exact.  Written
 * and read under stats_flush_lock.
 */
struct memcg_stat_entry {
	int64_t state, local;
	unsigned int item;
};
struct memcg_vmstats_folded {
	unsigned int nr, cap;
	struct memcg_stat_entry ent[];
};

struct mem_cgroup;

/*
 * One CPU's share of a memcg's statistics (memcg_vmstats_percpu),
 * allocated per memcg for every virtual CPU and charged to the parent as
 * percpu.  state: rstat and sum: this CPU's cumulative count; spill: the
 * delta not yet spilled.  state_prev: rstat: state at the last flush;
 * spill: this CPU's cumulative local count (5.2's vmstats_local).
 * updated_*: this CPU's rstat updated tree (css_rstat_cpu).
 */
struct memcg_vmstats_percpu {
	int64_t state[NR_MEMCG_STAT];
	int64_t state_prev[NR_MEMCG_STAT];
	struct mem_cgroup *updated_children;	/* first updated child */
	struct mem_cgroup *updated_next;	/* next sibling; NULL: not on
						 * the tree (the root: itself) */
};

/*
 * Add @delta (in the item's unit) on this CPU (smp.h).  Callers hold
 * cgroup_mutex for writing, or own their virtual CPU (a write in MEMCG
 * or STOPPED mode, core/memcg_lock.h): a reader that flushes owns every
 * CPU.
 */
void mod_memcg_state(struct mem_cgroup *memcg, enum memcg_stat_item item,
		     int64_t delta);
/* Every item of @memcg's subtree (and of @memcg alone if @local is not
 * NULL), as the mode reports them: exact in rstat and sum. */
void memcg_vmstats_read(struct mem_cgroup *memcg, int64_t *state,
			int64_t *local);
/* One item, the same way (tests, introspection). */
int64_t memcg_page_state(struct mem_cgroup *memcg, enum memcg_stat_item item);
int64_t memcg_page_state_local(struct mem_cgroup *memcg,
			       enum memcg_stat_item item);
/* rstat: flush every CPU's updated tree (mem_cgroup_flush_stats). */
void mem_cgroup_flush_stats(void);
/* Lifecycle hooks, cgroup_mutex held for writing.  alloc makes the
 * dense aggregates and per-CPU areas (0 or -ENOMEM), free frees what is
 * left of them; offline folds them in rstat (see above). */
int memcg_stats_alloc(struct mem_cgroup *memcg);
void memcg_stats_free(struct mem_cgroup *memcg);
void memcg_stats_offline(struct mem_cgroup *memcg);
void memcg_stats_release(struct mem_cgroup *memcg);
/* The printed value of one memory.stat line, from memcg_vmstats_read(). */
uint64_t memcg_stat_key_value(const int64_t *state,
			      const struct memcg_stat_key *key);

#endif
