/*
 * swap.c - swap entries charged to memcgs; see swap.h.
 */
#include "cgroup.h"
#include "memcontrol.h"
#include "swap.h"

/* mem_cgroup_id_get_online(): a dying memcg whose ID is gone (freed at
 * offline, ids=recycle) can no longer be recorded; its parent is. */
static struct mem_cgroup *swap_owner(struct mem_cgroup *memcg)
{
	while (memcg->parent && memcg->id <= 0)
		memcg = memcg->parent;
	return memcg;
}

/* memcg_memory_event() for memory.swap.events: hierarchical below the
 * root, no local copy. */
static void memcg_swap_event(struct mem_cgroup *memcg,
			     enum memcg_swap_event event)
{
	for (; memcg && memcg->parent; memcg = memcg->parent) {
		atomic_fetch_add(&memcg->swap_events[event], 1);
		if (memcg->cgroup->memcg == memcg)
			cgroup_file_notify(memcg->cgroup,
					   CGRP_NOTIFY_SWAP_EVENTS);
	}
}

bool mem_cgroup_can_swap(struct mem_cgroup *memcg)
{
	struct mem_cgroup *m;

	for (m = swap_owner(memcg); m; m = m->parent)
		if (page_counter_margin(&m->swap) <= 0)
			return false;
	return true;
}

/* vm_swap_full(): less than half of the machine's swap is free. */
static bool vm_swap_full(void)
{
	struct mem_cgroup *root = root_mem_cgroup();

	return page_counter_read(&root->swap) * 2 >
	       atomic_load(&root->swap.max);
}

bool mem_cgroup_swap_full(struct mem_cgroup *memcg)
{
	if (vm_swap_full())
		return true;
	for (; memcg->parent; memcg = memcg->parent) {
		int64_t usage = page_counter_read(&memcg->swap);

		if (usage * 2 >= atomic_load(&memcg->swap.high) ||
		    usage * 2 >= atomic_load(&memcg->swap.max))
			return true;
	}
	return false;
}

struct mem_cgroup *mem_cgroup_try_charge_swap(struct mem_cgroup *memcg)
{
	struct mem_cgroup *owner = swap_owner(memcg), *m;
	struct page_counter *fail;

	if (!page_counter_try_charge(&owner->swap, 1, &fail)) {
		/* The root's max is the machine's swap: running out of it
		 * is a failure, not a limit. */
		if (fail->parent)
			memcg_swap_event(owner, MEMCG_SWAP_MAX);
		memcg_swap_event(owner, MEMCG_SWAP_FAIL);
		return NULL;
	}
	/* Every group now over its memory.swap.high. */
	for (m = owner; m->parent; m = m->parent)
		if (page_counter_read(&m->swap) > atomic_load(&m->swap.high))
			memcg_swap_event(m, MEMCG_SWAP_HIGH);
	owner->nr_swap_entries++;
	mem_cgroup_pin(owner, 1);
	return owner;
}

void mem_cgroup_uncharge_swap(struct mem_cgroup *memcg)
{
	page_counter_uncharge(&memcg->swap, 1);
	if (!--memcg->nr_swap_entries)
		mem_cgroup_swap_id_put(memcg);
	mem_cgroup_unpin(memcg, 1);	/* last: may release a zombie */
}
