/*
 * memcontrol.h - the emulated memory controller (mm/memcontrol.c).
 *
 * A mem_cgroup is the memory css of one cgroup.  It is created when the
 * parent enables +memory (or at mkdir under such a parent), goes offline
 * at rmdir or -memory, and is released only when nothing is charged to
 * it any more: until then it is a dying ("zombie") memcg, still counted
 * in every ancestor's hierarchical counters.
 *
 * Locking: every function here expects cgroup_mutex (core/cgroup.h) held
 * for writing, except the readers marked "any lock", which only load
 * atomics.
 */
#ifndef MEMCGFS_MEMCONTROL_H
#define MEMCGFS_MEMCONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "list.h"
#include "memcg_stat.h"
#include "lruvec.h"
#include "page_counter.h"

#define MEMCG_CHARGE_BATCH	64U
#define MAX_RECLAIM_RETRIES	16

enum memcg_memory_event {
	MEMCG_LOW, MEMCG_HIGH, MEMCG_MAX, MEMCG_OOM, MEMCG_OOM_KILL,
	MEMCG_OOM_GROUP_KILL, MEMCG_NR_MEMORY_EVENTS
};
enum memcg_swap_event { MEMCG_SWAP_HIGH, MEMCG_SWAP_MAX, MEMCG_SWAP_FAIL,
			MEMCG_NR_SWAP_EVENTS };
extern const char *const memcg_memory_event_names[MEMCG_NR_MEMORY_EVENTS];
extern const char *const memcg_swap_event_names[MEMCG_NR_SWAP_EVENTS];

/* How hard a charge may try, after the gfp flags the seeds discuss. */
enum gfp_mode {
	GFP_KERNEL,	/* may reclaim, then OOM, then fail */
	GFP_NOWAIT,	/* never reclaims: fails fast */
	GFP_ATOMIC,	/* cannot block; __GFP_HIGH lets it exceed the limit */
	GFP_NOFAIL,	/* __GFP_NOFAIL: force-charged past the limit */
	NR_GFP_MODES
};
/* As sim.ctl's gfp= option spells them. */
extern const char *const gfp_mode_names[NR_GFP_MODES];

struct cgroup;
struct obj_cgroup;

/* A per-open memory.peak / memory.swap.peak reset (6.12 semantics). */
struct memcg_peak {
	int64_t value;		/* pages; -1 until this fd writes */
	struct list_head list;	/* on memcg->{memory,swap}_peaks */
};

struct mem_cgroup {
	struct cgroup *cgroup;		/* pinned while this memcg exists */
	struct mem_cgroup *parent;	/* pinned (refs) while we exist */
	int id;				/* memcg ID, 0 once freed */
	int former_id;			/* the ID it had online */
	uint64_t serial;		/* unique for the daemon's lifetime */
	bool online;
	bool oom_group;
	bool zswap_writeback;		/* memory.zswap.writeback */
	_Atomic int64_t zswap_max;	/* bytes, memory.zswap.max */

	/* swap: v2's swap counter; kmem: v1's kmem counter, which v1
	 * kernels charge alongside memory and <= 5.15 could limit. */
	struct page_counter memory, swap, kmem;
	/* Swap entries recording this memcg (swap.c): each pins it and
	 * holds its ID past offline, as the kernel's id.ref does. */
	int64_t nr_swap_entries;
	/*
	 * Pins: one while online, one per live or dying child memcg, one per
	 * anon page charged here, one per socket, one per CPU stock caching
	 * it.  Kernel objects charged through an obj_cgroup do not pin it.
	 * The memcg is released when they reach zero.  Atomic because a
	 * benchmark thread's stock may pin it outside cgroup_mutex.
	 */
	_Atomic int64_t refs;
	int nr_descendants;		/* online descendant memcgs */
	struct list_head children;	/* live and dying child memcgs */
	struct list_head sibling;	/* on parent->children */

	struct obj_cgroup *objcg;	/* NULL once offline */
	struct list_head objcg_list;	/* objcgs reparented to us */
	struct list_head kmem_caches;	/* kmem=clone-*: memcg_kmem_cache.c */
	/*
	 * Statistics (core/memcg_stat.c): dense aggregates and one area per
	 * CPU, the latter charged to the parent as percpu until release.
	 * In rstat both are folded at offline into vmstats_folded and set
	 * to NULL: a zombie keeps only its nonzero items.
	 */
	struct memcg_vmstats *vmstats;
	struct memcg_vmstats_percpu *vmstats_percpu;
	struct memcg_vmstats_folded *vmstats_folded;
	struct obj_cgroup *percpu_objcg;	/* who pays for the per-CPU areas */
	struct list_head sim_kmem;	/* sim.ctl kernel objects, by age */
	struct lruvec lruvec;		/* its pages, on LRU lists */
	/* Effective memory.min/low for the reclaim under way (emin, elow),
	 * computed top-down by vmscan.c. */
	int64_t emin, elow;

	_Atomic uint64_t events[MEMCG_NR_MEMORY_EVENTS];
	_Atomic uint64_t events_local[MEMCG_NR_MEMORY_EVENTS];
	_Atomic uint64_t swap_events[MEMCG_NR_SWAP_EVENTS];

	struct list_head memory_peaks, swap_peaks;
	struct list_head dying_node;	/* on the dying list while offline */
	/* Its former path is its cgroup's: a dying memcg pins its cgroup,
	 * whose name and ancestors stay as they were at rmdir. */
	struct timespec created, offlined;
};

/* memory.oom.group, memory.zswap.writeback: plain flags the OOM killer
 * and reclaim read. */
static inline void mem_cgroup_set_oom_group(struct mem_cgroup *memcg, bool on)
{
	memcg->oom_group = on;
}
static inline void mem_cgroup_set_zswap_writeback(struct mem_cgroup *memcg,
						  bool on)
{
	memcg->zswap_writeback = on;
}
/* memory.zswap.max, kept in bytes; PAGE_COUNTER_MAX pages is "max". */
static inline void mem_cgroup_set_zswap_max(struct mem_cgroup *memcg,
					    int64_t nr_pages)
{
	atomic_store(&memcg->zswap_max, nr_pages >= PAGE_COUNTER_MAX ?
		     INT64_MAX : nr_pages * PAGE_SIZE);
}

/* The list_lru ID of @memcg: the root's list is 0.  Each filesystem's
 * shrinker (shrinker.h) frees unused dentries and inodes from its
 * dentry and inode list_lrus, in proportion (super_cache_scan). */
static inline int memcg_lru_id(const struct mem_cgroup *memcg)
{
	return memcg->parent ? memcg->id : 0;
}

/* The kernel era of memory.kmem.limit_in_bytes (-o kmem_limit=). */
enum kmem_limit_mode {
	KMEM_LIMIT_ENFORCE,	/* <= 5.15: a working hard limit */
	KMEM_LIMIT_ENOTSUPP,	/* 5.16-6.0: writes fail with errno 524 */
	KMEM_LIMIT_ABSENT,	/* 6.1-6.5: the file is gone */
	KMEM_LIMIT_NOOP,	/* 6.6+: writes succeed and do nothing */
	NR_KMEM_LIMIT_MODES
};
extern const char *const kmem_limit_mode_names[NR_KMEM_LIMIT_MODES];

/* Configuration of the emulated machine, from the mount options. */
struct memcg_config {
	unsigned int ids;		/* memcg ID space */
	unsigned int cpus;
	uint64_t memory_bytes, swap_bytes;
	enum kmem_limit_mode kmem_limit;
	enum memcg_stats_mode stats;
	int lru;			/* enum list_lru_mode */
};

extern enum kmem_limit_mode kmem_limit_mode;

int mem_cgroup_init(const struct memcg_config *cfg, struct cgroup *root_cg);
void mem_cgroup_exit(void);
struct mem_cgroup *root_mem_cgroup(void);
/* css_alloc + css_online; -ENOSPC when the ID space is full. */
int mem_cgroup_create(struct cgroup *cg, struct mem_cgroup *parent,
		      struct mem_cgroup **out);
/* css_offline: the memcg stops being usable; released when unpinned. */
void mem_cgroup_offline(struct mem_cgroup *memcg);
/* The last swap entry of @memcg went: a dying memcg's held ID is freed
 * (ids=recycle), as mem_cgroup_id_put() does. */
void mem_cgroup_swap_id_put(struct mem_cgroup *memcg);
void mem_cgroup_pin(struct mem_cgroup *memcg, int64_t nr);
void mem_cgroup_unpin(struct mem_cgroup *memcg, int64_t nr);
/* Pre-order walk of @root's subtree, dying memcgs included
 * (css_next_descendant_pre); start with pos = root. */
struct mem_cgroup *mem_cgroup_next_descendant_pre(struct mem_cgroup *pos,
						  struct mem_cgroup *root);
bool mem_cgroup_is_descendant(struct mem_cgroup *memcg,
			      struct mem_cgroup *root);
/* The online memcg with ID @id, or NULL (a walk of the tree). */
struct mem_cgroup *mem_cgroup_from_id(int id);
unsigned int mem_cgroup_ids_in_use(void);
unsigned int mem_cgroup_ids_max(void);

/* try_charge_memcg(): @nr_pages on the memory counters, through this
 * CPU's stock; 0 or -ENOMEM.  Pins nothing. */
int try_charge_memcg(struct mem_cgroup *memcg, int64_t nr_pages,
		     enum gfp_mode gfp);
/* User pages: charged and pinning @memcg one pin per page. */
int mem_cgroup_charge(struct mem_cgroup *memcg, int64_t nr_pages,
		      enum gfp_mode gfp);
void mem_cgroup_uncharge(struct mem_cgroup *memcg, int64_t nr_pages);
/* Kernel pages (obj_cgroup_charge_pages): memory and kmem counters and
 * the kernel stat; the uncharge refills this CPU's stock. */
int memcg_kmem_charge(struct mem_cgroup *memcg, int64_t nr_pages,
		      enum gfp_mode gfp);
void memcg_kmem_uncharge(struct mem_cgroup *memcg, int64_t nr_pages);
/* Raise @event on @memcg and its non-root ancestors, notifying pollers. */
void memcg_memory_event(struct mem_cgroup *memcg,
			enum memcg_memory_event event);

/* memory.kmem.limit_in_bytes: 0 or -EBUSY below usage. */
int memcg_kmem_set_limit(struct mem_cgroup *memcg, int64_t nr_pages);
/* Limit writes, with the kernel's synchronous side effects. */
void memory_max_write(struct mem_cgroup *memcg, int64_t nr_pages,
		      bool nonblock);
void memory_high_write(struct mem_cgroup *memcg, int64_t nr_pages,
		       bool nonblock);
/* memory.reclaim: 0, or -EAGAIN when fewer pages could be reclaimed. */
int memory_reclaim(struct mem_cgroup *memcg, int64_t nr_pages);

/* memory.peak: read (any lock) and per-open reset. */
int64_t memcg_peak_read(struct page_counter *pc, struct memcg_peak *ofp);
void memcg_peak_write(struct page_counter *pc, struct list_head *watchers,
		      struct memcg_peak *ofp);
void memcg_peak_release(struct memcg_peak *ofp);

#endif
