/*
 * memcg_stock.h - the per-CPU charge stocks (memcg_stock.c) and the hit
 * paths of the byte stock, inline for the slab hooks (memcg_kmem.c), as
 * the kernel inlines consume_obj_stock() into the slab allocation path.
 *
 * Per-CPU rule (smp.h): a CPU's stock is touched by the thread running
 * on that CPU (owning it, or under cgroup_mutex for writing), or by
 * drain_all_stock() / obj_cgroup_kill() under cgroup_mutex (write) or
 * with every CPU stopped.  So the hit paths are plain loads and stores on
 * one 64-byte line: no lock, no atomic.
 */
#ifndef MEMCGFS_MEMCG_STOCK_H
#define MEMCGFS_MEMCG_STOCK_H

#include "obj_cgroup.h"
#include "smp.h"

struct memcg_stock_pcp;

int memcg_stock_init(void);
void memcg_stock_exit(void);
bool consume_stock(struct mem_cgroup *memcg, int64_t nr_pages);
void refill_stock(struct mem_cgroup *memcg, int64_t nr_pages);
/* Both also move slab stat @item (-1: none) by the bytes, in one pass
 * over the stock as 6.x does: @stat is the refill's delta. */
bool consume_obj_stock(struct obj_cgroup *objcg, size_t nr_bytes, int item);
void refill_obj_stock(struct obj_cgroup *objcg, size_t nr_bytes,
		      bool allow_uncharge, int item, int64_t stat);
/* A slab byte stat, cached in this CPU's stock until it passes a page. */
void mod_objcg_state(struct obj_cgroup *objcg, enum memcg_stat_item item,
		     int64_t nr_bytes);
/* Would draining @stock (refill_stock, an objcg switch) only drop pins
 * that release nothing: is every memcg and objcg it caches alive?  Its
 * drain is then local to its CPU (memcg_lock.h's MEMCG mode relies on
 * that). */
bool memcg_stock_drain_is_local(const struct memcg_stock_pcp *stock);
/* Drain every CPU's stocks that hold @root or a descendant (NULL: all). */
void drain_all_stock(struct mem_cgroup *root);
/* CPU page stocks caching @memcg itself: one pin each. */
int memcg_stock_pins(struct mem_cgroup *memcg);
/* Pages and bytes the stocks hold for @memcg's subtree (introspection). */
void memcg_stock_held(struct mem_cgroup *memcg, int64_t *pages,
		      int64_t *bytes);

/*
 * The fields the hit paths touch come first, on the first 64-byte line:
 * a park hit reads live_objcg and park[], a byte-stock hit also
 * nr_bytes, nr_slab_b and nr_refs.  The page stock and the parks' list
 * (misses, drains) take the second line.
 */
struct memcg_stock_pcp {
	/* cached_objcg while its percpu_ref is in per-CPU mode, else
	 * NO_LIVE_OBJCG: only then may a hit count its references here
	 * (nr_refs) or park its objects (obj_park.h). */
	struct obj_cgroup *live_objcg;
	/* Charged objects of cached_objcg, by cache id (obj_park.h). */
	struct obj_park **park;
	int64_t nr_bytes;
	/* Slab byte stat deltas owed to cached_objcg's memcg: [0] for
	 * NR_SLAB_UNRECLAIMABLE_B, [1] for NR_SLAB_RECLAIMABLE_B
	 * (stock_stat_idx()), so a cache's flag bit indexes it. */
	int64_t nr_slab_b[2];
	/*
	 * References to live_objcg taken (+1) and dropped (-1) by hits: this
	 * CPU's share of its percpu_ref not yet added to objcg->pcpu[].  The
	 * drain adds it there; percpu_ref_kill (obj_cgroup_kill) folds it
	 * with the per-CPU counts, so no reference is ever lost.
	 */
	int64_t nr_refs;
	struct obj_cgroup *cached_objcg;

	struct mem_cgroup *cached;
	int64_t nr_pages;
	struct obj_park *parks;		/* those with a capacity */
} __attribute__((aligned(64)));
_Static_assert(__builtin_offsetof(struct memcg_stock_pcp, cached) <= 64,
	       "a hit path's stock fields span two cache lines");

extern struct memcg_stock_pcp memcg_stock[NR_CPUS_MAX];

/* live_objcg when there is none: not NULL, so that an untagged object
 * (a NULL tag) never matches it and the free hit needs no NULL test. */
extern struct obj_cgroup no_live_objcg;
#define NO_LIVE_OBJCG (&no_live_objcg)
extern bool memcg_stock_online;		/* between init and exit */

/* This CPU's stock: the kernel's this_cpu_ptr(&memcg_stock).  The array
 * is static and a slot 128 B, so this is one TLS load (the CPU number),
 * a shift and an add: no cached pointer for smp.c to keep in step. */
static inline struct memcg_stock_pcp *this_stock(void)
{
	return &memcg_stock[smp_processor_id()];
}

_Static_assert(NR_SLAB_UNRECLAIMABLE_B == NR_SLAB_RECLAIMABLE_B + 1,
	       "the slab items are adjacent");

static inline int stock_stat_idx(int item)
{
	return NR_SLAB_UNRECLAIMABLE_B - item;
}

static inline int stock_stat_item(int idx)
{
	return NR_SLAB_UNRECLAIMABLE_B - idx;
}

/* A slab stat delta passed a page: hand it to the memcg (out of line). */
void obj_stock_flush_stat(struct memcg_stock_pcp *stock, int idx);

static inline void obj_stock_stat(struct memcg_stock_pcp *stock, int item,
				  int64_t nr_bytes)
{
	int idx = stock_stat_idx(item);
	int64_t d = stock->nr_slab_b[idx] + nr_bytes;

	stock->nr_slab_b[idx] = d;
	if (__builtin_expect(d > PAGE_SIZE || d < -PAGE_SIZE, 0))
		obj_stock_flush_stat(stock, idx);
}

/*
 * The hits of the slab hooks: this CPU's stock caches live @objcg, the
 * byte count stays within [0, a page] and the slab stat delta within a
 * page of zero, so there is nothing to uncharge and nothing to flush.
 * Then obj_cgroup_charge_slab() + obj_cgroup_get() (@size > 0) or
 * obj_cgroup_uncharge_slab() + obj_cgroup_put() (@size < 0) come down to
 * three plain adds.  @idx: stock_stat_idx() of the slab stat item.
 * False, changing nothing, otherwise: the caller takes the general path,
 * which does the same with the flushes.
 */
static inline bool obj_stock_slab_hit(struct memcg_stock_pcp *stock,
				      struct obj_cgroup *objcg,
				      int64_t size, int idx)
{
	int64_t *stat = &stock->nr_slab_b[idx];
	int64_t bytes = stock->nr_bytes - size, d = *stat + size;

	if (stock->live_objcg != objcg ||
	    (uint64_t)bytes > PAGE_SIZE ||
	    (uint64_t)(d + PAGE_SIZE) > 2 * PAGE_SIZE)
		return false;
	stock->nr_bytes = bytes;
	*stat = d;
	stock->nr_refs += size > 0 ? 1 : -1;
	return true;
}

/* percpu_ref_kill's fold: the hits' references to @objcg in every
 * stock, zeroed there; its stocks stop counting references. */
int64_t memcg_stock_kill_refs(struct obj_cgroup *objcg);

#endif
