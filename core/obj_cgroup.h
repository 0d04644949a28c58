/*
 * obj_cgroup.h - byte-precise kernel memory charging (5.9+): the objcg
 * and its charges (obj_cgroup.c).  The per-CPU stocks behind it are
 * memcg_stock.h's, the allocation hooks that use it memcg_kmem.h's.
 *
 * An obj_cgroup stands between a memcg and the kernel objects charged to
 * it: each accounted object (slab object, per-CPU area, kmem page) holds
 * a reference to an objcg, never to the memcg.  When the memcg goes
 * offline its objcg is pointed at the parent (memcg_reparent_objcgs), so
 * objects that outlive a group charge its parent and never pin the dying
 * memcg: that is the whole point of the 5.9 design.
 *
 * Charging goes through two per-CPU stocks (memcg_stock.c), one slot
 * each as in 5.10:
 *   - a page stock: try_charge_memcg() charges MEMCG_CHARGE_BATCH pages
 *     at once and keeps the surplus for the next charges of that memcg;
 *   - a byte stock: obj_cgroup_charge() charges whole pages and keeps the
 *     sub-page remainder for the next objects of that objcg, together
 *     with a cached delta of the slab byte stats.
 * So the hit path of an accounted allocation touches only its CPU's
 * stock: no lock and no atomic read-modify-write (see smp.h for who may
 * touch which CPU's stock).
 *
 * Locking: the daemon calls all of this under cgroup_mutex for writing.
 * The only other callers are benchmarks and unit tests whose threads
 * each run on their own virtual CPU and never offline a memcg.
 */
#ifndef MEMCGFS_OBJ_CGROUP_H
#define MEMCGFS_OBJ_CGROUP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "list.h"
#include "memcontrol.h"

struct kmem_cache;

/* One CPU's share of a percpu_ref, padded so CPUs never share a line. */
struct objcg_pcpu_ref {
	int64_t count;
	char pad[56];
};

struct obj_cgroup {
	/* The memcg charged; the parent once reparented.  Written under
	 * cgroup_mutex (write) only, while no object can be charged. */
	struct mem_cgroup *memcg;
	/* Sub-page bytes charged but in no object and no stock. */
	_Atomic int64_t nr_charged_bytes;
	struct list_head list;		/* on memcg->objcg_list once reparented */
	/*
	 * percpu_ref: per-CPU counts while the memcg is online; at offline
	 * percpu_ref_kill() folds them into count, and from then on every
	 * get/put is an atomic and the last put releases the objcg.  A
	 * byte stock hit counts its CPU's share in the stock instead
	 * (memcg_stock.h: nr_refs), added here at drain or kill.
	 */
	_Atomic bool killed;
	_Atomic int64_t count;
	struct objcg_pcpu_ref *pcpu;
	/* Page descriptors charged through this objcg (page.h) are charged
	 * to lru_memcg: the objcg's own memcg, until its pages move to the
	 * parent at offline under pages=reparent or deferred (memcg_pages.c);
	 * deferred marks them parked.  Written under cgroup_mutex (write). */
	struct mem_cgroup *lru_memcg;
	bool lru_parked;
};

struct obj_cgroup *obj_cgroup_alloc(struct mem_cgroup *memcg);
void obj_cgroup_get(struct obj_cgroup *objcg);
void obj_cgroup_put(struct obj_cgroup *objcg);
/* memcg_reparent_objcgs(): at offline, before the stocks are drained. */
void memcg_reparent_objcgs(struct mem_cgroup *memcg, struct mem_cgroup *parent);

/* Whole kmem pages (memcg_kmem_charge_page and friends). */
int obj_cgroup_charge_pages(struct obj_cgroup *objcg, enum gfp_mode gfp,
			    int64_t nr_pages);
void obj_cgroup_uncharge_pages(struct obj_cgroup *objcg, int64_t nr_pages);
/* Bytes, through this CPU's byte stock. */
int obj_cgroup_charge(struct obj_cgroup *objcg, enum gfp_mode gfp,
		      size_t size);
void obj_cgroup_uncharge(struct obj_cgroup *objcg, size_t size);
/* The same for a slab object, moving slab stat @item by @size too. */
int obj_cgroup_charge_slab(struct obj_cgroup *objcg, enum gfp_mode gfp,
			   size_t size, int item);
void obj_cgroup_uncharge_slab(struct obj_cgroup *objcg, size_t size,
			      int item);

#endif
