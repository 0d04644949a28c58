/*
 * mem_cgroup.h - the memcg object (mem_cgroup.c): struct mem_cgroup, the
 * root, the tree and its walks, the pins that keep a memcg, and the
 * names of its enums.  Below the controller (memcontrol.h), which
 * creates, charges, limits, offlines and releases memcgs: what needs a
 * memcg's fields or its place in the tree includes this header alone.
 *
 * Locking: every function here expects cgroup_mutex (core/cgroup.h) held
 * for writing, except the readers marked "any lock", which only load
 * atomics, and the pins, which are atomic: a write in a weaker mode
 * (memcg_lock.h) may pin and unpin, but the last unpin (a release) only
 * ever happens under cgroup_mutex for writing.
 */
#ifndef MEMCGFS_MEM_CGROUP_H
#define MEMCGFS_MEM_CGROUP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "list.h"
#include "lruvec.h"
#include "memcg_stat.h"
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

/* How hard a charge may try, after the gfp flags the kmemcg threads discuss. */
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
	bool release_queued;		/* on the release queue (below) */
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
	struct mem_cgroup *release_next;	/* on the release queue */
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
	/* Held by a write in MEMCG mode on this memcg (memcg_lock.h): its
	 * lruvec and the anon of its task slots change under it (or under
	 * cgroup_mutex for writing, or with every CPU stopped). */
	pthread_mutex_t lru_lock;
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

/* The root memcg (mem_cgroup_init() makes it). */
extern struct mem_cgroup *root_memcg;
struct mem_cgroup *root_mem_cgroup(void);
/* A pin per charged page, user, child and ID: the last unpin releases
 * the memcg through the controller's css_free (mem_cgroup_set_css_free),
 * and with it the pin it held on its parent. */
void mem_cgroup_pin(struct mem_cgroup *memcg, int64_t nr);
void mem_cgroup_unpin(struct mem_cgroup *memcg, int64_t nr);
/* The controller's release of a memcg nothing refers to; returns the
 * parent, whose pin the memcg held. */
void mem_cgroup_set_css_free(struct mem_cgroup *(*fn)(struct mem_cgroup *));
/*
 * A release needs cgroup_mutex for writing (it unlinks the memcg from the
 * tree and frees it); the kernel queues css_release_work_fn(), which takes
 * cgroup_mutex, instead of releasing where the last reference went.  While
 * this thread defers releases (a write in STOPPED mode: a reclaim), the
 * last unpin queues the memcg, which stays in the tree with no pin, and
 * whoever holds cgroup_mutex for writing next runs the queue
 * (mem_cgroup_run_releases).  A memcg queued then pinned and unpinned
 * again under the write lock is released there and leaves the queue.
 * Locking: release_lock (mem_cgroup.c) is a leaf.
 */
void mem_cgroup_defer_releases(bool defer);
bool mem_cgroup_releases_queued(void);
void mem_cgroup_run_releases(void);
/* Pre-order walk of @root's subtree, dying memcgs included
 * (css_next_descendant_pre); start with pos = root. */
struct mem_cgroup *mem_cgroup_next_descendant_pre(struct mem_cgroup *pos,
						  struct mem_cgroup *root);
bool mem_cgroup_is_descendant(struct mem_cgroup *memcg,
			      struct mem_cgroup *root);
/* The online memcg with ID @id, or NULL (a walk of the tree). */
struct mem_cgroup *mem_cgroup_from_id(int id);

#endif
