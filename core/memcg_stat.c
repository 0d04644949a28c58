/*
 * memcg_stat.c - memory.stat items and units, and the statistics engines
 * of the kernel's eras (Gushchin's 2019 percpu vmstats flushing fix):
 *
 *   rstat   (>= 5.13) an update is a plain add to this CPU's counter plus
 *           a link into this CPU's updated tree; a reader flushes the
 *           trees, visiting only memcgs that changed, children first, and
 *           reads exact aggregates.
 *   sum     (<= 4.15) an update is a plain add; a reader sums every CPU
 *           of every memcg of the subtree: exact, O(groups x CPUs).
 *   spill   (5.2-5.12) an update adds to this CPU's delta; past 32 pages
 *           the delta spills into the atomics of the memcg and every
 *           ancestor.  Readers read the atomics: off by up to
 *           32 pages x CPUs per memcg of the subtree.  The variants
 *           differ at offline and free, as Gushchin's 2019 percpu vmstats
 * flushing fix tells.
 *
 * Lock order: cgroup_mutex -> cpu_lock -> stats_flush_lock.  Updates run
 * under cgroup_mutex (write) or on the virtual CPU their write owns
 * (core/memcg_lock.h); readers hold cgroup_mutex for reading, own every
 * CPU (so no update is under way) and take stats_flush_lock to flush,
 * since several readers may flush at once.  In rstat an offline memcg has no
 * per-CPU areas: its updates take stats_flush_lock and go straight into
 * its folded items and its ancestors' aggregates (memcg_stat.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../allocator/kmalloc.h"
#include "memcg_stat.h"
#include "memcontrol.h"
#include "smp.h"

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

const char *const memcg_stats_mode_names[NR_STATS_MODES] = {
	[STATS_RSTAT] = "rstat", [STATS_SUM] = "sum", [STATS_SPILL] = "spill",
	[STATS_SPILL_DOUBLEFLUSH] = "spill-doubleflush",
	[STATS_SPILL_FIXED] = "spill-fixed",
};
enum memcg_stats_mode memcg_stats_mode;

static pthread_mutex_t stats_flush_lock = PTHREAD_MUTEX_INITIALIZER;

/* Marks the last memcg of an updated list (NULL means "not on it"). */
#define RSTAT_END ((struct mem_cgroup *)1)

static struct memcg_vmstats_percpu *pcpu(struct mem_cgroup *memcg,
					 unsigned int cpu)
{
	return &memcg->vmstats_percpu[cpu];
}

static bool item_in_bytes(unsigned int item)
{
	return item == NR_SLAB_RECLAIMABLE_B || item == NR_SLAB_UNRECLAIMABLE_B ||
	       item == MEMCG_PERCPU_B || item == MEMCG_ZSWAP_B;
}

/* --- rstat ------------------------------------------------------------ */

/* css_rstat_updated(): link @memcg and its ancestors into @cpu's tree,
 * stopping at the first one already linked. */
static void rstat_updated(struct mem_cgroup *memcg, unsigned int cpu)
{
	for (; memcg; memcg = memcg->parent) {
		struct memcg_vmstats_percpu *rc = pcpu(memcg, cpu), *prc;

		if (rc->updated_next)
			return;
		if (!memcg->parent) {
			rc->updated_next = RSTAT_END;
			return;
		}
		prc = pcpu(memcg->parent, cpu);
		rc->updated_next = prc->updated_children ? prc->updated_children
							 : RSTAT_END;
		prc->updated_children = memcg;
	}
}

/* mem_cgroup_css_rstat_flush(): this CPU's part into the aggregates, the
 * subtree's carry on to the parent. */
static void rstat_flush_one(struct mem_cgroup *memcg, unsigned int cpu)
{
	struct memcg_vmstats_percpu *st = pcpu(memcg, cpu);
	struct memcg_vmstats *v = memcg->vmstats;

	for (unsigned int i = 0; i < NR_MEMCG_STAT; i++) {
		int64_t d = st->state[i] - st->state_prev[i];
		int64_t carry = v->pending[i] + d;

		st->state_prev[i] = st->state[i];
		/* Consumed even when it cancels this CPU's delta exactly. */
		v->pending[i] = 0;
		if (d)
			atomic_fetch_add_explicit(&v->state_local[i], d,
						  memory_order_relaxed);
		if (!carry)
			continue;
		atomic_fetch_add_explicit(&v->state[i], carry,
					  memory_order_relaxed);
		if (memcg->parent)
			memcg->parent->vmstats->pending[i] += carry;
	}
}

/*
 * Pop @cpu's updated tree children first (post-order), iteratively:
 * descend to a memcg with no updated child, flush and unlink it, resume
 * at its parent.  Visits only memcgs that changed and their ancestors.
 */
static void rstat_flush_cpu(struct mem_cgroup *root, unsigned int cpu)
{
	struct mem_cgroup *m = root, *c, *next;

	if (!pcpu(root, cpu)->updated_next)
		return;
	for (;;) {
		while ((c = pcpu(m, cpu)->updated_children))
			m = c;
		if (m == root) {
			pcpu(m, cpu)->updated_next = NULL;
			rstat_flush_one(m, cpu);
			return;
		}
		next = pcpu(m, cpu)->updated_next;
		pcpu(m->parent, cpu)->updated_children =
			next == RSTAT_END ? NULL : next;
		pcpu(m, cpu)->updated_next = NULL;
		rstat_flush_one(m, cpu);
		m = m->parent;
	}
}

static void rstat_flush_locked(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		rstat_flush_cpu(root_mem_cgroup(), cpu);
}

void mem_cgroup_flush_stats(void)
{
	if (memcg_stats_mode != STATS_RSTAT)
		return;
	pthread_mutex_lock(&stats_flush_lock);
	rstat_flush_locked();
	pthread_mutex_unlock(&stats_flush_lock);
}

/* --- spill ------------------------------------------------------------- */

/* Add @x to the atomics of @memcg and every ancestor. */
static void spill_up(struct mem_cgroup *memcg, unsigned int item, int64_t x)
{
	for (; memcg; memcg = memcg->parent)
		atomic_fetch_add_explicit(&memcg->vmstats->state[item], x,
					  memory_order_relaxed);
}

/* 5.2's __mod_memcg_state(). */
static void spill_mod(struct mem_cgroup *memcg, unsigned int item,
		      int64_t delta)
{
	struct memcg_vmstats_percpu *st = pcpu(memcg, smp_processor_id());
	int64_t threshold = MEMCG_SPILL_BATCH;
	int64_t x = st->state[item] + delta;

	if (item_in_bytes(item))
		threshold *= PAGE_SIZE;
	st->state_prev[item] += delta;		/* vmstats_local */
	if (x > threshold || x < -threshold) {
		spill_up(memcg, item, x);
		x = 0;
	}
	st->state[item] = x;
}

/* memcg_flush_percpu_vmstats(): the unspilled deltas of every CPU go up,
 * and, as in the kernel, stay where they were. */
static void spill_flush(struct mem_cgroup *memcg, unsigned int first,
			unsigned int last)
{
	unsigned int cpu, i;

	for (i = first; i <= last; i++) {
		int64_t x = 0;

		for_each_possible_cpu(cpu)
			x += pcpu(memcg, cpu)->state[i];
		if (x)
			spill_up(memcg, i, x);
	}
}

/* --- offline memcgs in rstat ------------------------------------------- */

/*
 * Folded arrays come from the slab allocator (unaccounted): a zombie's
 * few bytes sit with objects of their size class, never in the holes
 * live groups' dense areas leave behind in the heap.
 */
static struct memcg_vmstats_folded *folded_alloc(unsigned int cap)
{
	struct memcg_vmstats_folded *f;

	f = kmalloc(sizeof(*f) + cap * sizeof(f->ent[0]));
	if (f)
		*f = (struct memcg_vmstats_folded){ .cap = cap };
	return f;
}

/* The entry of @item in @memcg's folded statistics, added if missing;
 * NULL only when there is no memory for one more. */
static struct memcg_stat_entry *folded_entry(struct mem_cgroup *memcg,
					     unsigned int item)
{
	struct memcg_vmstats_folded *f = memcg->vmstats_folded;
	unsigned int i, cap;

	for (i = 0; f && i < f->nr; i++)
		if (f->ent[i].item == item)
			return &f->ent[i];
	if (!f || f->nr == f->cap) {
		cap = f ? f->cap + 2 : 2;
		f = folded_alloc(cap);
		if (!f)
			return NULL;
		if (memcg->vmstats_folded) {
			f->nr = memcg->vmstats_folded->nr;
			memcpy(f->ent, memcg->vmstats_folded->ent,
			       f->nr * sizeof(f->ent[0]));
			kfree(memcg->vmstats_folded);
		}
		memcg->vmstats_folded = f;
	}
	f->ent[f->nr] = (struct memcg_stat_entry){ .item = item };
	return &f->ent[f->nr++];
}

/* Add to one item's aggregates, dense or folded.  An item back at zero
 * leaves the folded array.  Out of memory for a new item, the update is
 * lost (the one inexact path, and only then). */
static void direct_add(struct mem_cgroup *memcg, unsigned int item,
		       int64_t state, int64_t local)
{
	struct memcg_vmstats_folded *f;
	struct memcg_stat_entry *e;

	if (memcg->vmstats) {
		atomic_fetch_add_explicit(&memcg->vmstats->state[item], state,
					  memory_order_relaxed);
		atomic_fetch_add_explicit(&memcg->vmstats->state_local[item],
					  local, memory_order_relaxed);
		return;
	}
	e = folded_entry(memcg, item);
	if (!e)
		return;
	e->state += state;
	e->local += local;
	f = memcg->vmstats_folded;
	if (!e->state && !e->local)
		*e = f->ent[--f->nr];
}

/*
 * An update of a memcg without per-CPU areas (offline, rstat): straight
 * into its own figures and every ancestor's aggregate, O(depth).  The
 * live ancestors' aggregates are what a flush adds to, so readers that
 * flush first still read exact sums.
 */
static void direct_mod(struct mem_cgroup *memcg, unsigned int item,
		       int64_t delta)
{
	pthread_mutex_lock(&stats_flush_lock);
	direct_add(memcg, item, delta, delta);
	for (memcg = memcg->parent; memcg; memcg = memcg->parent)
		direct_add(memcg, item, delta, 0);
	pthread_mutex_unlock(&stats_flush_lock);
}

/*
 * At offline, after a flush has brought in every CPU's delta and taken
 * the memcg off every updated tree (its descendants are offline
 * already): keep the nonzero items, free the per-CPU areas and the
 * dense aggregates.  Without memory for the folded array the dense
 * aggregates stay, which direct_mod() updates just as well.
 */
static void rstat_fold(struct mem_cgroup *memcg)
{
	struct memcg_vmstats *v = memcg->vmstats;
	struct memcg_vmstats_folded *f = NULL;
	unsigned int i, nr = 0;

	pthread_mutex_lock(&stats_flush_lock);
	rstat_flush_locked();
	free(memcg->vmstats_percpu);
	memcg->vmstats_percpu = NULL;
	for (i = 0; i < NR_MEMCG_STAT; i++)
		nr += atomic_load(&v->state[i]) || atomic_load(&v->state_local[i]);
	if (nr && !(f = folded_alloc(nr)))
		goto out;
	for (i = 0; f && i < NR_MEMCG_STAT; i++) {
		int64_t st = atomic_load(&v->state[i]);
		int64_t lo = atomic_load(&v->state_local[i]);

		if (st || lo)
			f->ent[f->nr++] = (struct memcg_stat_entry){ st, lo, i };
	}
	memcg->vmstats_folded = f;
	memcg->vmstats = NULL;
	free(v);
out:
	pthread_mutex_unlock(&stats_flush_lock);
}

static void folded_read(struct mem_cgroup *memcg, int64_t *state,
			int64_t *local)
{
	struct memcg_vmstats_folded *f = memcg->vmstats_folded;

	for (unsigned int i = 0; f && i < f->nr; i++) {
		state[f->ent[i].item] = f->ent[i].state;
		if (local)
			local[f->ent[i].item] = f->ent[i].local;
	}
}

/* --- the API ------------------------------------------------------------ */

void mod_memcg_state(struct mem_cgroup *memcg, enum memcg_stat_item item,
		     int64_t delta)
{
	unsigned int cpu = smp_processor_id();

	switch (memcg_stats_mode) {
	case STATS_RSTAT:
		if (!memcg->vmstats_percpu) {
			direct_mod(memcg, item, delta);
			break;
		}
		pcpu(memcg, cpu)->state[item] += delta;
		rstat_updated(memcg, cpu);
		break;
	case STATS_SUM:
		pcpu(memcg, cpu)->state[item] += delta;
		break;
	default:
		spill_mod(memcg, item, delta);
		break;
	}
}

/* Sum mode: every CPU of every memcg of the subtree, dying ones and the
 * totals of released ones (pending) included. */
static void sum_read(struct mem_cgroup *memcg, int64_t *state, int64_t *local)
{
	struct mem_cgroup *m;
	unsigned int cpu, i;

	for (m = memcg; m; m = mem_cgroup_next_descendant_pre(m, memcg)) {
		for (i = 0; i < NR_MEMCG_STAT; i++)
			state[i] += m->vmstats->pending[i];
		for_each_possible_cpu(cpu)
			for (i = 0; i < NR_MEMCG_STAT; i++) {
				int64_t v = pcpu(m, cpu)->state[i];

				state[i] += v;
				if (local && m == memcg)
					local[i] += v;
			}
	}
}

static void atomics_read(_Atomic int64_t *src, int64_t *dst)
{
	for (unsigned int i = 0; i < NR_MEMCG_STAT; i++)
		dst[i] = atomic_load_explicit(&src[i], memory_order_relaxed);
}

/* Spill mode's local values: the CPUs' cumulative vmstats_local. */
static void spill_local(struct mem_cgroup *memcg, int64_t *local)
{
	unsigned int cpu, i;

	for_each_possible_cpu(cpu)
		for (i = 0; i < NR_MEMCG_STAT; i++)
			local[i] += pcpu(memcg, cpu)->state_prev[i];
}

void memcg_vmstats_read(struct mem_cgroup *memcg, int64_t *state,
			int64_t *local)
{
	for (unsigned int i = 0; i < NR_MEMCG_STAT; i++) {
		state[i] = 0;
		if (local)
			local[i] = 0;
	}
	switch (memcg_stats_mode) {
	case STATS_RSTAT:
		pthread_mutex_lock(&stats_flush_lock);
		if (!memcg->vmstats) {
			folded_read(memcg, state, local);
		} else {
			rstat_flush_locked();
			atomics_read(memcg->vmstats->state, state);
			if (local)
				atomics_read(memcg->vmstats->state_local, local);
		}
		pthread_mutex_unlock(&stats_flush_lock);
		break;
	case STATS_SUM:
		sum_read(memcg, state, local);
		break;
	default:
		atomics_read(memcg->vmstats->state, state);
		if (local)
			spill_local(memcg, local);
		break;
	}
}

/* Transiently negative values (spill, reparented charges) read as 0, as
 * the kernel clamps them. */
static int64_t clamp0(int64_t v)
{
	return v < 0 ? 0 : v;
}

int64_t memcg_page_state(struct mem_cgroup *memcg, enum memcg_stat_item item)
{
	int64_t state[NR_MEMCG_STAT];

	memcg_vmstats_read(memcg, state, NULL);
	return clamp0(state[item]);
}

int64_t memcg_page_state_local(struct mem_cgroup *memcg,
			       enum memcg_stat_item item)
{
	int64_t state[NR_MEMCG_STAT], local[NR_MEMCG_STAT];

	memcg_vmstats_read(memcg, state, local);
	return clamp0(local[item]);
}

int memcg_stats_alloc(struct mem_cgroup *memcg)
{
	memcg->vmstats = calloc(1, sizeof(*memcg->vmstats));
	memcg->vmstats_percpu = calloc(nr_cpu_ids,
				       sizeof(*memcg->vmstats_percpu));
	if (memcg->vmstats && memcg->vmstats_percpu)
		return 0;
	memcg_stats_free(memcg);
	return -ENOMEM;
}

void memcg_stats_free(struct mem_cgroup *memcg)
{
	free(memcg->vmstats);
	free(memcg->vmstats_percpu);
	kfree(memcg->vmstats_folded);
	memcg->vmstats = NULL;
	memcg->vmstats_percpu = NULL;
	memcg->vmstats_folded = NULL;
}

void memcg_stats_offline(struct mem_cgroup *memcg)
{
	/* A zombie costs its nonzero items only (see memcg_stat.h). */
	if (memcg_stats_mode == STATS_RSTAT)
		rstat_fold(memcg);
	/* bee07b33db78: slab counters flushed at offline, not zeroed. */
	if (memcg_stats_mode == STATS_SPILL_DOUBLEFLUSH)
		spill_flush(memcg, NR_SLAB_RECLAIMABLE_B, NR_SLAB_UNRECLAIMABLE_B);
}

/* Sum mode: a released memcg's totals live on in its parent. */
static void sum_fold(struct mem_cgroup *memcg)
{
	unsigned int cpu, i;

	for (i = 0; i < NR_MEMCG_STAT; i++) {
		int64_t x = memcg->vmstats->pending[i];

		for_each_possible_cpu(cpu)
			x += pcpu(memcg, cpu)->state[i];
		memcg->parent->vmstats->pending[i] += x;
	}
}

void memcg_stats_release(struct mem_cgroup *memcg)
{
	switch (memcg_stats_mode) {
	case STATS_RSTAT:
		/* css_rstat_exit(): what it still owes reaches the parent,
		 * and it leaves every CPU's tree.  Folded at offline, it
		 * owes nothing and is on no tree. */
		if (memcg->vmstats_percpu)
			mem_cgroup_flush_stats();
		break;
	case STATS_SUM:
		sum_fold(memcg);
		break;
	case STATS_SPILL:
		break;		/* 5.2: the residues are lost */
	default:
		spill_flush(memcg, 0, NR_MEMCG_STAT - 1);
		break;
	}
}

uint64_t memcg_stat_key_value(const int64_t *state,
			      const struct memcg_stat_key *key)
{
	int64_t sum = 0;
	unsigned int i;

	for (i = key->first; i <= key->last; i++)
		sum += clamp0(state[i]);
	return (uint64_t)sum * key->unit;
}
