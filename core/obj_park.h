/*
 * obj_park.h - the stock's parked objects: charged slab objects that a
 * CPU keeps, still tagged with their objcg, for the next accounted
 * allocation of the same cache by the same objcg (obj_park.c).
 *
 * The kernel's byte stock keeps the charge of a freed object for the
 * next one (refill_obj_stock); a park keeps the object itself, so an
 * allocation that follows a free on the same CPU and objcg re-uses the
 * charge, the reference, the slab stat and the obj_exts tag at once and
 * touches none of them.  Before 5.9 the per-memcg cache clones gave the
 * same saving: objects on a clone's per-CPU freelist were charged
 * already.  Parked objects are accounted exactly as allocated ones (they
 * are in memory.current, `slab`, memory.kmem.slabinfo and sim.check's
 * recount), like the stock's pages and bytes, and are given back
 * whenever the stock is drained: on an objcg switch, drain_all_stock()
 * (limit writes, reclaim before OOM, offline, `drain`) and
 * obj_cgroup_kill().  README "Accounted hit path" has the figures.
 *
 * Per-CPU rule (smp.h, memcg_stock.h): a CPU's parks are touched by the
 * thread on that CPU, or by a drain under cgroup_mutex (write) or with
 * every CPU stopped (core/memcg_lock.h).  Every
 * parked object belongs to stock->cached_objcg, which is live: a push
 * or a pop requires stock->live_objcg == objcg.
 */
#ifndef MEMCGFS_OBJ_PARK_H
#define MEMCGFS_OBJ_PARK_H

#include "../allocator/slab.h"
#include "memcg_stock.h"

/* A CPU parks at most one charge batch of each cache's objects. */
#define OBJ_PARK_BYTES	((size_t)MEMCG_CHARGE_BATCH * PAGE_SIZE)

struct obj_park {
	unsigned int rounds;		/* objects in objs[] */
	unsigned int size;		/* capacity: cap, or 0 while off */
	unsigned int cap;		/* one charge batch of the cache */
	struct obj_park *next;		/* the stock's parks, for draining */
	const struct kmem_cache *cache;
	void *objs[];
};

/* What every slot of a CPU's table holds until that cache parks there:
 * an empty park of no capacity, so the hit paths need no NULL test. */
extern struct obj_park obj_park_none;

/*
 * Parking is for kmem=objcg: under a pre-5.9 clone-* policy allocations
 * come from clones, so the switch gives every parked object back and
 * sets every park's size to 0 (and back), which keeps the policy test
 * off the hit paths.  Caller holds cgroup_mutex for writing.
 */
void obj_park_set_enabled(bool on);

/* memcg_stock_init(): the table each CPU starts with. */
struct obj_park **obj_park_initial_table(void);

/* Pop a parked object of @s for @objcg, or NULL. */
static inline void *obj_park_pop(struct memcg_stock_pcp *stock,
				 struct obj_cgroup *objcg, unsigned int id)
{
	struct obj_park *p;

	if (stock->live_objcg != objcg)
		return NULL;
	p = stock->park[id];
	return p->rounds ? p->objs[--p->rounds] : NULL;
}

/* Park @obj, an object of cache @id tagged with @objcg; false if this
 * CPU does not cache @objcg live or the park is full (or absent). */
static inline bool obj_park_push(struct memcg_stock_pcp *stock,
				 struct obj_cgroup *objcg, unsigned int id,
				 void *obj)
{
	struct obj_park *p;

	if (stock->live_objcg != objcg)
		return false;
	p = stock->park[id];
	if (p->rounds >= p->size)
		return false;
	p->objs[p->rounds++] = obj;
	return true;
}

/* The slow side of a free: give @s a park on this CPU if it has none,
 * and park @obj there.  False if it could not. */
bool obj_park_add(struct memcg_stock_pcp *stock, struct obj_cgroup *objcg,
		  const struct kmem_cache *s, void *obj);

/* Give back every object parked on @stock (drain_obj_stock); true if
 * there was one. */
bool obj_park_release(struct memcg_stock_pcp *stock);

/* ... on every CPU whose stock caches @objcg (obj_cgroup_kill, and
 * reclaim after the shrinkers). */
void obj_park_release_objcg(struct obj_cgroup *objcg);

/* ... whose objcg charges @root or a descendant (a limit near); true if
 * there was anything parked. */
bool obj_park_release_below(struct mem_cgroup *root);

/*
 * What readers subtract, so that parked objects show as the stock they
 * are and not as slab (memory.stat, memory.kmem.slabinfo), while the
 * counters and sim.check's recount see them charged.  Caller holds
 * cgroup_mutex for reading and owns every CPU (cpus_stop), or holds it
 * for writing: parks change only on their own CPU or under either.
 */
/* memory.stat's view: memcg_vmstats_read() less the parked bytes of
 * @memcg and its descendants. */
void memcg_vmstats_read_shown(struct mem_cgroup *memcg, int64_t *state);
/* Parked objects of @s charged to @memcg itself. */
unsigned long obj_park_objects(struct mem_cgroup *memcg,
			       const struct kmem_cache *s);

/* Free the CPU's tables (memcg_stock_exit, after the drain). */
void obj_park_exit(struct memcg_stock_pcp *stock);

/* Freeing an accounted object the general way (memcg_kmem.c): untag,
 * uncharge into this CPU's stock, unref, free.  Never parks. */
void kmem_cache_free_account_slow(void *obj);

#endif
