/*
 * obj_cgroup.c - obj_cgroup lifecycle and charging (mm/memcontrol.c,
 * 5.9+; see obj_cgroup.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "obj_park.h"


struct obj_cgroup *obj_cgroup_alloc(struct mem_cgroup *memcg)
{
	struct obj_cgroup *objcg = calloc(1, sizeof(*objcg));

	if (!objcg)
		return NULL;
	objcg->pcpu = aligned_alloc(64, nr_cpu_ids * sizeof(*objcg->pcpu));
	if (!objcg->pcpu) {
		free(objcg);
		return NULL;
	}
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		objcg->pcpu[cpu].count = 0;
	objcg->memcg = memcg;
	objcg->lru_memcg = memcg;
	atomic_init(&objcg->count, 1);	/* the memcg's own reference */
	INIT_LIST_HEAD(&objcg->list);
	return objcg;
}

/* obj_cgroup_release(): the last object is gone. */
static void obj_cgroup_release(struct obj_cgroup *objcg)
{
	int64_t nr_bytes = atomic_exchange(&objcg->nr_charged_bytes, 0);

	/* Whole pages only: every object's bytes came back already. */
	if (nr_bytes >= PAGE_SIZE)
		obj_cgroup_uncharge_pages(objcg, nr_bytes / PAGE_SIZE);
	list_del(&objcg->list);
	free(objcg->pcpu);
	free(objcg);
}

/*
 * percpu_ref_get/put: while alive, a plain add on this CPU's counter (the
 * hit path); once killed, atomics, and the last put releases.  killed
 * flips under cgroup_mutex (write) while no other CPU is charging.
 */
void obj_cgroup_get(struct obj_cgroup *objcg)
{
	if (!atomic_load_explicit(&objcg->killed, memory_order_relaxed))
		objcg->pcpu[smp_processor_id()].count++;
	else
		atomic_fetch_add(&objcg->count, 1);
}

void obj_cgroup_put(struct obj_cgroup *objcg)
{
	if (!atomic_load_explicit(&objcg->killed, memory_order_relaxed))
		objcg->pcpu[smp_processor_id()].count--;
	else if (atomic_fetch_sub(&objcg->count, 1) == 1)
		obj_cgroup_release(objcg);
}

/* percpu_ref_kill(): fold the per-CPU counts, those the stocks' hits
 * still hold included, and drop the base reference. */
static void obj_cgroup_kill(struct obj_cgroup *objcg)
{
	int64_t sum;
	unsigned int cpu;

	/* Parked objects go back while their references are per-CPU. */
	obj_park_release_objcg(objcg);
	sum = memcg_stock_kill_refs(objcg);
	for_each_possible_cpu(cpu)
		sum += objcg->pcpu[cpu].count;
	atomic_fetch_add(&objcg->count, sum);
	atomic_store(&objcg->killed, true);
	/* From here get/put are atomics: the per-CPU counts would be dead
	 * weight (64 B a CPU) that every zombie's pages keep alive. */
	free(objcg->pcpu);
	objcg->pcpu = NULL;
	obj_cgroup_put(objcg);
}

void memcg_reparent_objcgs(struct mem_cgroup *memcg, struct mem_cgroup *parent)
{
	struct obj_cgroup *objcg = memcg->objcg, *iter;

	memcg->objcg = NULL;
	/* The live objcg joins those reparented here before; all of them
	 * now charge the parent, and the parent will carry them on. */
	list_add(&objcg->list, &memcg->objcg_list);
	list_for_each_entry(iter, &memcg->objcg_list, list)
		iter->memcg = parent;
	list_splice_init(&memcg->objcg_list, &parent->objcg_list);
	obj_cgroup_kill(objcg);
}

int obj_cgroup_charge_pages(struct obj_cgroup *objcg, enum gfp_mode gfp,
			    int64_t nr_pages)
{
	return memcg_kmem_charge(objcg->memcg, nr_pages, gfp);
}

void obj_cgroup_uncharge_pages(struct obj_cgroup *objcg, int64_t nr_pages)
{
	memcg_kmem_uncharge(objcg->memcg, nr_pages);
}

int obj_cgroup_charge_slab(struct obj_cgroup *objcg, enum gfp_mode gfp,
			   size_t size, int item)
{
	int64_t nr_pages;
	size_t nr_bytes;
	int ret;

	if (consume_obj_stock(objcg, size, item))
		return 0;
	/* Whole pages from the counters; the rest of the last one stays
	 * in this CPU's stock for the next objects. */
	nr_pages = (int64_t)(size / PAGE_SIZE);
	nr_bytes = size % PAGE_SIZE;
	if (nr_bytes)
		nr_pages++;
	ret = obj_cgroup_charge_pages(objcg, gfp, nr_pages);
	if (ret)
		return ret;
	if (nr_bytes)
		refill_obj_stock(objcg, PAGE_SIZE - nr_bytes, false, item,
				 (int64_t)size);
	else if (item >= 0)
		mod_objcg_state(objcg, item, (int64_t)size);
	return 0;
}

void obj_cgroup_uncharge_slab(struct obj_cgroup *objcg, size_t size, int item)
{
	refill_obj_stock(objcg, size, true, item, -(int64_t)size);
}

int obj_cgroup_charge(struct obj_cgroup *objcg, enum gfp_mode gfp,
		      size_t size)
{
	return obj_cgroup_charge_slab(objcg, gfp, size, -1);
}

void obj_cgroup_uncharge(struct obj_cgroup *objcg, size_t size)
{
	obj_cgroup_uncharge_slab(objcg, size, -1);
}
