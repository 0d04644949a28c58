/*
 * memcontrol.c - memcg lifecycle, charging, limits and events
 * (mm/memcontrol.c, Documentation/admin-guide/cgroup-v2.rst).
 *
 * Every function expects cgroup_mutex held for writing unless its comment
 * says otherwise: the lifecycle (refs, lists, IDs) is serialised by it, and
 * the counters it updates are atomics so that readers under the read lock
 * never see a torn value.
 */
#include <errno.h>
#include <stdlib.h>

#include <string.h>

#include "../allocator/kmalloc.h"
#include "cgroup.h"
#include "filemap.h"
#include "list_lru.h"
#include "memcg_high.h"
#include "memcg_id.h"
#include "memcg_kmem.h"
#include "memcg_kmem_cache.h"
#include "memcg_lock_mode.h"
#include "memcg_pages.h"
#include "memcg_stock.h"
#include "memcontrol.h"
#include "obj_cgroup.h"
#include "obj_park.h"
#include "psi.h"
#include "sim_kmem.h"
#include "smp.h"
#include "task.h"
#include "vmscan.h"
#include "why.h"

const char *const kmem_limit_mode_names[NR_KMEM_LIMIT_MODES] = {
	[KMEM_LIMIT_ENFORCE] = "enforce", [KMEM_LIMIT_ENOTSUPP] = "enotsupp",
	[KMEM_LIMIT_ABSENT] = "absent", [KMEM_LIMIT_NOOP] = "noop",
};

enum kmem_limit_mode kmem_limit_mode;
static struct memcg_idr memcg_ids;
static struct list_head dying_memcgs = LIST_HEAD_INIT(dying_memcgs);
static uint64_t next_memcg_serial = 1;

static struct mem_cgroup *mem_cgroup_release(struct mem_cgroup *memcg);

unsigned int mem_cgroup_ids_in_use(void)
{
	return memcg_ids.nr_used;
}

unsigned int mem_cgroup_ids_max(void)
{
	return memcg_ids.max;
}

/*
 * mem_cgroup_css_alloc() runs with the parent as the active memcg: the
 * new memcg's own structure (slab) and its per-CPU statistics (percpu)
 * are charged to the parent, so a fresh child reads 0 and its parent
 * does not.  The root's come from nowhere.
 */
static struct mem_cgroup *memcg_struct_alloc(struct mem_cgroup *parent)
{
	struct kmem_cache *s = kmalloc_cache(sizeof(struct mem_cgroup));
	struct mem_cgroup *memcg;
	size_t pcpu = nr_cpu_ids * sizeof(struct memcg_vmstats_percpu);

	memcg = parent ? kmem_cache_alloc_account(s, parent->objcg, GFP_KERNEL)
		       : kmem_cache_alloc(s);
	if (!memcg)
		return NULL;
	memset(memcg, 0, sizeof(*memcg));
	pthread_mutex_init(&memcg->lru_lock, NULL);
	if (memcg_stats_alloc(memcg))
		goto fail;
	if (!parent)
		return memcg;
	if (pcpu_memcg_post_alloc_hook(parent->objcg, GFP_KERNEL, pcpu))
		goto fail;
	memcg->percpu_objcg = parent->objcg;
	return memcg;
fail:
	memcg_stats_free(memcg);
	pthread_mutex_destroy(&memcg->lru_lock);
	kmem_cache_free_account(s, memcg);
	return NULL;
}

static void memcg_struct_free(struct mem_cgroup *memcg)
{
	struct kmem_cache *s = kmalloc_cache(sizeof(*memcg));

	if (memcg->percpu_objcg)
		pcpu_memcg_free_hook(memcg->percpu_objcg, nr_cpu_ids *
				     sizeof(struct memcg_vmstats_percpu));
	memcg_stats_free(memcg);
	pthread_mutex_destroy(&memcg->lru_lock);
	/* The root's came from nowhere, and goes after the stocks. */
	if (memcg->parent)
		kmem_cache_free_account(s, memcg);
	else
		kmem_cache_free(s, memcg);
}

static struct mem_cgroup *memcg_alloc(struct cgroup *cg,
				      struct mem_cgroup *parent)
{
	struct mem_cgroup *memcg = memcg_struct_alloc(parent);

	if (!memcg)
		return NULL;
	memcg->objcg = obj_cgroup_alloc(memcg);
	memcg->id = memcg_id_alloc(&memcg_ids);
	/* The root's list_lru lists are the lrus' own root lists. */
	if (!memcg->objcg || memcg->id < 0 ||
	    (parent && memcg_list_lru_online(memcg->id))) {
		if (memcg->id > 0)
			memcg_id_free(&memcg_ids, memcg->id);
		if (memcg->objcg)
			free(memcg->objcg->pcpu);
		free(memcg->objcg);
		memcg_struct_free(memcg);
		return NULL;
	}
	memcg->serial = next_memcg_serial++;
	memcg->cgroup = cg;
	memcg->parent = parent;
	memcg->online = true;
	atomic_init(&memcg->refs, 1);		/* the online pin */
	memcg->zswap_writeback = true;
	atomic_init(&memcg->zswap_max, INT64_MAX);
	page_counter_init(&memcg->memory, parent ? &parent->memory : NULL);
	page_counter_init(&memcg->swap, parent ? &parent->swap : NULL);
	page_counter_init(&memcg->kmem, parent ? &parent->kmem : NULL);
	INIT_LIST_HEAD(&memcg->memory_peaks);
	INIT_LIST_HEAD(&memcg->swap_peaks);
	INIT_LIST_HEAD(&memcg->dying_node);
	INIT_LIST_HEAD(&memcg->children);
	INIT_LIST_HEAD(&memcg->sibling);
	INIT_LIST_HEAD(&memcg->objcg_list);
	INIT_LIST_HEAD(&memcg->kmem_caches);
	INIT_LIST_HEAD(&memcg->sim_kmem);
	lruvec_init(&memcg->lruvec);
	if (parent)
		list_add_tail(&memcg->sibling, &parent->children);
	clock_gettime(CLOCK_REALTIME, &memcg->created);
	cgroup_get(cg);
	cg->nr_css++;
	return memcg;
}

int mem_cgroup_init(const struct memcg_config *cfg, struct cgroup *root_cg)
{
	int ret = memcg_idr_init(&memcg_ids, cfg->ids);

	kmem_limit_mode = cfg->kmem_limit;
	nr_cpu_ids = cfg->cpus ? cfg->cpus : 1;
	set_this_cpu(0);	/* a CPU of this machine, not of a previous one */
	memcg_stats_mode = cfg->stats;
	list_lru_set_mode(cfg->lru);
	sim_kmem_set_ram(cfg->memory_bytes);
	if (ret)
		return ret;
	ret = memcg_stock_init();
	if (ret)
		return ret;
	mem_cgroup_set_css_free(mem_cgroup_release);
	root_memcg = memcg_alloc(root_cg, NULL);
	if (!root_memcg)
		return -ENOMEM;
	/* The emulated machine's RAM and swap bound the whole hierarchy. */
	atomic_store(&root_memcg->memory.max,
		     (int64_t)(cfg->memory_bytes / PAGE_SIZE));
	atomic_store(&root_memcg->swap.max, (int64_t)(cfg->swap_bytes / PAGE_SIZE));
	/* cgroup_init() accounts the root's css itself. */
	root_cg->nr_css--;
	cgroup_put(root_cg);
	return 0;
}

void mem_cgroup_exit(void)
{
	struct obj_cgroup *objcg = root_memcg->objcg;

	memcg_stock_exit();
	/* Every charge is gone by now; the root objcg goes with its ref. */
	root_memcg->objcg = NULL;
	atomic_store(&objcg->killed, true);
	obj_cgroup_put(objcg);
	memcg_struct_free(root_memcg);
	root_memcg = NULL;
	memcg_idr_destroy(&memcg_ids);
}

int mem_cgroup_create(struct cgroup *cg, struct mem_cgroup *parent,
		      struct mem_cgroup **out)
{
	struct mem_cgroup *memcg, *m;

	if (memcg_ids.nr_used >= memcg_ids.max)
		return -ENOSPC;
	memcg = memcg_alloc(cg, parent);
	if (!memcg)
		return -ENOMEM;
	mem_cgroup_pin(parent, 1);	/* a child pins its parent */
	for (m = parent; m; m = m->parent)
		m->nr_descendants++;
	*out = memcg;
	return 0;
}

/* Detach per-open peak watchers: their files are gone with the memcg. */
static void detach_peaks(struct list_head *watchers)
{
	while (!list_empty(watchers))
		list_del(watchers->next);
}

void mem_cgroup_offline(struct mem_cgroup *memcg)
{
	struct mem_cgroup *m;
	struct cgroup *cg;

	/* mem_cgroup_css_offline(), in the kernel's order. */
	page_counter_set_min(&memcg->memory, 0);
	page_counter_set_low(&memcg->memory, 0);
	/* list_lrus first: "memcg_reparent_objcgs() must be after
	 * memcg_reparent_list_lrus()" (mm/memcontrol.c).  Then the pages:
	 * pages=reparent flips the objcgs they hold, which
	 * memcg_reparent_objcgs() then moves off this memcg (in 7.1 the LRU
	 * folios move inside memcg_reparent_objcgs() itself). */
	memcg_reparent_list_lrus(memcg->id, memcg_lru_id(memcg->parent));
	memcg_offline_pages(memcg);
	memcg_reparent_objcgs(memcg, memcg->parent);
	memcg_deactivate_kmem_caches(memcg);	/* clone-*: pre-5.9 */
	drain_all_stock(memcg);
	memcg_stats_offline(memcg);
	memcg->online = false;
	for (m = memcg->parent; m; m = m->parent)
		m->nr_descendants--;
	memcg->former_id = memcg->id;
	/* ids=recycle (>= 4.8): the ID is free at once unless swap entries
	 * hold it; ids=hold keeps it until release, so zombies can exhaust
	 * the ID space. */
	if (!memcg->nr_swap_entries)
		mem_cgroup_swap_id_put(memcg);
	detach_peaks(&memcg->memory_peaks);
	detach_peaks(&memcg->swap_peaks);
	clock_gettime(CLOCK_REALTIME, &memcg->offlined);
	list_add_tail(&memcg->dying_node, &dying_memcgs);
	for (cg = memcg->cgroup; cg; cg = cg->parent)
		cg->nr_dying_subsys_memory++;
	mem_cgroup_unpin(memcg, 1);
}

void mem_cgroup_swap_id_put(struct mem_cgroup *memcg)
{
	if (memcg->online || memcg->id <= 0 ||
	    memcg_ids_policy != IDS_RECYCLE)
		return;
	memcg_id_free(&memcg_ids, memcg->id);
	memcg->id = 0;
}

/* css_release + css_free: nothing refers to @memcg any more. */
static struct mem_cgroup *mem_cgroup_release(struct mem_cgroup *memcg)
{
	struct mem_cgroup *parent = memcg->parent;
	struct cgroup *cg;

	list_del(&memcg->dying_node);
	list_del(&memcg->sibling);
	page_counter_detach(&memcg->memory);
	if (memcg->id > 0)		/* held by ids=hold */
		memcg_id_free(&memcg_ids, memcg->id);
	for (cg = memcg->cgroup; cg; cg = cg->parent)
		cg->nr_dying_subsys_memory--;
	/* What this memcg's users made outlives it: its parent owns it now. */
	sim_kmem_reparent(memcg, parent);
	memcg_stats_release(memcg);
	cgroup_css_released(memcg->cgroup);
	cgroup_put(memcg->cgroup);
	memcg_struct_free(memcg);
	return parent;
}

static void notify_events(struct mem_cgroup *memcg,
			  enum cgroup_notify_file file)
{
	/* Only the memcg its cgroup shows has files to wake. */
	if (memcg->cgroup->memcg == memcg)
		cgroup_file_notify(memcg->cgroup, file);
}

void memcg_memory_event(struct mem_cgroup *memcg,
			enum memcg_memory_event event)
{
	atomic_fetch_add(&memcg->events_local[event], 1);
	notify_events(memcg, CGRP_NOTIFY_MEMORY_EVENTS_LOCAL);
	/* Hierarchical: the memcg and every ancestor below the root. */
	do {
		atomic_fetch_add(&memcg->events[event], 1);
		notify_events(memcg, CGRP_NOTIFY_MEMORY_EVENTS);
	} while ((memcg = memcg->parent) && memcg != root_memcg);
}

/*
 * MEMCG mode (memcg_lock.h) runs only the charge's fast path: @memcg is
 * the one the write holds, there is room for the pages under every
 * memory.max (for the batch, else the batch shrinks to them), and none
 * up the tree ends over its memory.high or is over its swap.high (the
 * debt would call for reclaim).  Racy as the kernel's checks: the
 * counters still decide, and a charge that loses the race asks for the
 * exclusive lock then, before any side effect but a failcnt.
 */
static bool fast_charge_fits(struct mem_cgroup *memcg, int64_t nr_pages,
			     int64_t *batch)
{
	int64_t margin = page_counter_margin(&memcg->memory);
	struct mem_cgroup *m = memcg;

	if (memcg != memcg_locked() || margin < nr_pages)
		return false;
	if (margin < *batch)
		*batch = nr_pages;
	do {
		if (page_counter_read(&m->memory) + *batch >
		    atomic_load(&m->memory.high) ||
		    page_counter_read(&m->swap) > atomic_load(&m->swap.high))
			return false;
	} while ((m = m->parent));
	return true;
}

/*
 * try_charge_memcg(), pass for pass: a hit in this
 * CPU's stock, else MEMCG_CHARGE_BATCH pages (or @nr_pages if more) with
 * the surplus stocked.  Every failed attempt of a charge that may block
 * raises MEMCG_MAX on the group whose limit was hit, reclaims there,
 * retries once after draining the per-CPU stocks, then up to
 * MAX_RECLAIM_RETRIES more times, then invokes the memcg OOM killer.  With
 * nothing reclaimable that is 18 max events and one oom event per failed
 * charge, as on a kernel.
 */
int try_charge_memcg(struct mem_cgroup *memcg, int64_t nr_pages,
		     enum gfp_mode gfp)
{
	int64_t batch = nr_pages > MEMCG_CHARGE_BATCH ? nr_pages :
			MEMCG_CHARGE_BATCH;
	int nr_retries = MAX_RECLAIM_RETRIES;
	bool drained = false, raised_max_event = false;
	struct mem_cgroup *over = NULL;
	struct page_counter *fail;
	int64_t reclaimed;

	if (consume_stock(memcg, nr_pages))
		return 0;
	if (memcg_lock_mode() == MEMCG_LOCK_MEMCG &&
	    !fast_charge_fits(memcg, nr_pages, &batch))
		return MEMCG_RETRY_STOPPED;
	while (!page_counter_try_charge(&memcg->memory, batch, &fail)) {
		/* The surplus is a luxury: retry with just what is needed. */
		if (batch > nr_pages) {
			batch = nr_pages;
			continue;
		}
		/* Lost a race for the margin: anything beyond is slow. */
		if (memcg_lock_mode() == MEMCG_LOCK_MEMCG)
			return MEMCG_RETRY_STOPPED;
		over = container_of(fail, struct mem_cgroup, memory);
		/* GFP_NOWAIT and GFP_ATOMIC cannot block: no reclaim.  But
		 * parked objects are charge the kernel would not hold: they
		 * go back (no blocking in that) before a charge fails. */
		if (gfp == GFP_NOWAIT || gfp == GFP_ATOMIC) {
			if (obj_park_release_below(over))
				continue;
			goto nomem;
		}
		memcg_memory_event(over, MEMCG_MAX);
		raised_max_event = true;
		psi_memstall_enter();	/* direct reclaim is a memory stall */
		reclaimed = try_to_free_mem_cgroup_pages(over, nr_pages, false);
		psi_memstall_leave();
		if (page_counter_margin(&over->memory) >= nr_pages)
			continue;
		if (!drained) {
			drain_all_stock(over);
			drained = true;
			continue;
		}
		/* Small charges keep retrying while reclaim makes progress. */
		if (reclaimed && nr_pages <= 8)
			continue;
		if (nr_retries--)
			continue;
		/* mem_cgroup_oom(): count it, kill the biggest member of
		 * the domain; the charge that called for it fails. */
		memcg_memory_event(over, MEMCG_OOM);
		psi_memstall_enter();	/* waiting on the OOM kill */
		mem_cgroup_out_of_memory(over);
		psi_memstall_leave();
		goto nomem;
	}
	if (batch > nr_pages)
		refill_stock(memcg, batch - nr_pages);
	/* memory.high: the writer's debt, maybe reclaim now (memcg_high.c). */
	mem_cgroup_charged_over_high(memcg, batch, gfp);
	return 0;
nomem:
	/* __GFP_NOFAIL, and __GFP_HIGH within GFP_ATOMIC, force the charge. */
	if (gfp != GFP_NOFAIL && gfp != GFP_ATOMIC)
		return -ENOMEM;
	if (!raised_max_event)
		memcg_memory_event(over, MEMCG_MAX);
	/* Forced charges skip the memory.high check, as the kernel's. */
	page_counter_charge(&memcg->memory, nr_pages);
	return 0;
}

int mem_cgroup_charge(struct mem_cgroup *memcg, int64_t nr_pages,
		      enum gfp_mode gfp)
{
	int ret = try_charge_memcg(memcg, nr_pages, gfp);

	if (!ret)
		mem_cgroup_pin(memcg, nr_pages);
	return ret;
}

void mem_cgroup_uncharge(struct mem_cgroup *memcg, int64_t nr_pages)
{
	page_counter_uncharge(&memcg->memory, nr_pages);
	mem_cgroup_unpin(memcg, nr_pages);
}

/*
 * Reclaim @memcg down to @target pages, giving up after
 * MAX_RECLAIM_RETRIES passes that free nothing (the loops of
 * memory_max_write() and memory_high_write()).  True when it got there.
 */
static bool reclaim_to(struct mem_cgroup *memcg, int64_t target)
{
	int nr_retries = MAX_RECLAIM_RETRIES;
	bool drained = false;

	for (;;) {
		int64_t usage = page_counter_read(&memcg->memory);

		if (usage <= target)
			return true;
		/* First give back what the CPU stocks hold for the subtree. */
		if (!drained) {
			drain_all_stock(memcg);
			drained = true;
			continue;
		}
		if (!try_to_free_mem_cgroup_pages(memcg, usage - target, false) &&
		    !nr_retries--)
			return false;
	}
}

/*
 * obj_cgroup_charge_pages() with the v1 kmem counter of 5.10: charge
 * memory first, then the kmem counter.  Only the 'enforce' era has a kmem
 * limit to fail on; failing it bumps memory.kmem.failcnt and gives the
 * memory charge back, unless __GFP_NOFAIL forces it.
 */
int memcg_kmem_charge(struct mem_cgroup *memcg, int64_t nr_pages,
		      enum gfp_mode gfp)
{
	struct page_counter *fail;
	int ret = try_charge_memcg(memcg, nr_pages, gfp);

	if (ret)
		return ret;
	/* The kernel fails a kmem charge at once, without draining: its
	 * stocks hold no kmem pages.  Parked objects do; give them back
	 * first, so that failcnt and ENOMEM come where the kernel's would. */
	if (kmem_limit_mode == KMEM_LIMIT_ENFORCE &&
	    page_counter_margin(&memcg->kmem) < nr_pages)
		obj_park_release_below(root_mem_cgroup());
	if (kmem_limit_mode != KMEM_LIMIT_ENFORCE) {
		page_counter_charge(&memcg->kmem, nr_pages);
	} else if (!page_counter_try_charge(&memcg->kmem, nr_pages, &fail)) {
		if (gfp != GFP_NOFAIL) {
			/* cancel_charge(): straight back to the counters. */
			page_counter_uncharge(&memcg->memory, nr_pages);
			return -ENOMEM;
		}
		page_counter_charge(&memcg->kmem, nr_pages);
	}
	mod_memcg_state(memcg, MEMCG_KMEM, nr_pages);
	return 0;
}

void memcg_kmem_uncharge(struct mem_cgroup *memcg, int64_t nr_pages)
{
	page_counter_uncharge(&memcg->kmem, nr_pages);
	mod_memcg_state(memcg, MEMCG_KMEM, -nr_pages);
	refill_stock(memcg, nr_pages);
}

int memory_max_write(struct mem_cgroup *memcg, int64_t nr_pages,
		     bool nonblock)
{
	/* MEMCG mode: a store, unless reclaim (and the OOM killer) must
	 * follow it, in STOPPED mode. */
	if (memcg_lock_mode() == MEMCG_LOCK_MEMCG && !nonblock &&
	    page_counter_read(&memcg->memory) > nr_pages)
		return MEMCG_RETRY_STOPPED;
	atomic_store(&memcg->memory.max, nr_pages);
	/* A charge that raced past the check above stays over the new
	 * limit until its group's next charge reclaims. */
	if (nonblock || memcg_lock_mode() == MEMCG_LOCK_MEMCG)
		return 0;
	/* Reclaim, then OOM-kill until under the new limit or out of
	 * victims; the write succeeds either way. */
	while (!reclaim_to(memcg, nr_pages)) {
		memcg_memory_event(memcg, MEMCG_OOM);
		if (!mem_cgroup_out_of_memory(memcg))
			break;
	}
	return 0;
}

int memory_high_write(struct mem_cgroup *memcg, int64_t nr_pages,
		      bool nonblock)
{
	atomic_store(&memcg->memory.high, nr_pages);
	/* Never OOMs, whatever reclaim achieves. */
	if (!nonblock)
		reclaim_to(memcg, nr_pages);
	return 0;
}

int memory_reclaim(struct mem_cgroup *memcg, int64_t nr_to_reclaim,
		   const char **why)
{
	int64_t nr_reclaimed = 0;
	int nr_retries = MAX_RECLAIM_RETRIES;

	/* user_proactive_reclaim(): batches of a quarter, at least 32. */
	while (nr_reclaimed < nr_to_reclaim) {
		int64_t batch = (nr_to_reclaim - nr_reclaimed) / 4;
		int64_t got;

		if (batch < 32)
			batch = 32;
		got = try_to_free_mem_cgroup_pages(memcg, batch, true);
		if (!got && !nr_retries--)
			return fail_why(why, -EAGAIN,
					"could not reclaim that much");
		nr_reclaimed += got;
	}
	return 0;
}

int64_t memcg_peak_read(struct page_counter *pc, struct memcg_peak *ofp)
{
	int64_t local;

	if (!ofp || ofp->value < 0)
		return atomic_load(&pc->watermark);
	local = atomic_load(&pc->local_watermark);
	return ofp->value > local ? ofp->value : local;
}

void memcg_peak_write(struct page_counter *pc, struct list_head *watchers,
		      struct memcg_peak *ofp)
{
	int64_t usage = page_counter_read(pc);
	struct memcg_peak *peer;

	atomic_store(&pc->local_watermark, usage);
	/* Other fds that reset keep seeing at least today's usage. */
	list_for_each_entry(peer, watchers, list)
		if (usage > peer->value)
			peer->value = usage;
	if (ofp->value < 0)
		list_add(&ofp->list, watchers);
	ofp->value = usage;
}

void memcg_peak_release(struct memcg_peak *ofp)
{
	list_del(&ofp->list);
}

/* v1 kmem limit (<= 5.15): the CPU stocks hold sub-page bytes charged as
 * kmem pages; they go back first, so EBUSY means objects, not stock. */
int memcg_kmem_set_limit(struct mem_cgroup *memcg, int64_t nr_pages,
			 const char **why)
{
	drain_all_stock(memcg);
	return page_counter_set_max(&memcg->kmem, nr_pages) ?
	       fail_why(why, -EBUSY, "below the current kmem usage") : 0;
}
