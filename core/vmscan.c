/*
 * vmscan.c - memcg reclaim (mm/vmscan.c shrink_node_memcgs,
 * shrink_lruvec, shrink_inactive_list, shrink_active_list).
 *
 * What is reclaimable: clean page cache of disk filesystems, then unused
 * dentries and inodes through the shrinkers, then anon pages to swap
 * (-o swap=), as far as swap space and memory.swap.max allow.  Pages of
 * mapped files are never evicted (they are rotated to the active list),
 * and shmem stays (tmpfs swap is not modelled).
 * Each pass walks the subtree (dying memcgs included, which is how page
 * cache keeps zombies alive and how reclaim finally frees them) with a
 * scan target of lru_size >> priority, priority going from DEF_PRIORITY
 * down to 0 until enough is reclaimed, as the kernel's reclaim does.
 *
 * Locking: cgroup_mutex held for writing, or for reading with every CPU
 * stopped (STOPPED mode, core/memcg_lock.h: memory.reclaim, memory.high)
 * for a subtree in which no memcg is dying, so no page freed here can
 * release one.  Never in MEMCG mode: a charge that would reclaim asks for
 * the exclusive lock instead.
 */
#include "../allocator/page_alloc.h"
#include "anon.h"
#include "cond_resched.h"
#include "filemap.h"
#include "lruvec.h"
#include "memcg_kmem_cache.h"
#include "memcontrol.h"
#include "obj_park.h"
#include "page.h"
#include "shrinker.h"
#include "swap.h"
#include "vmscan.h"
#include "workingset.h"

#define DEF_PRIORITY		12
#define SWAP_CLUSTER_MAX	32

struct scan_control {
	int64_t nr_to_reclaim;
	int64_t nr_reclaimed;
	bool proactive;			/* memory.reclaim, not a charge */
	bool memcg_low_reclaim;		/* second round: below-low too */
	bool memcg_low_skipped;
	/* A memcg of this pass had pages or shrinkable objects to scan:
	 * if none did, a lower priority cannot find any either. */
	bool scannable;
	int64_t slab_bytes;		/* freed, not yet a whole page */
};

/* --- protection (mem_cgroup_calculate_protection) ---------------------- */

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* What @parent's live and dying children protect of their usage: the
 * sum page_counter.c keeps on every change (children_{min,low}_usage),
 * so visiting a memcg costs O(1), not O(siblings). */
static int64_t children_protected(struct mem_cgroup *parent, bool low)
{
	return atomic_load(low ? &parent->memory.children_low_usage
			       : &parent->memory.children_min_usage);
}

/*
 * effective_protection(): a child keeps what it asks for, up to its
 * usage, unless its siblings together ask for more than the parent
 * itself is granted; then the parent's share is split in proportion.
 */
static int64_t effective_protection(int64_t usage, int64_t setting,
				    int64_t parent_effective,
				    int64_t siblings_protected)
{
	int64_t protected = min64(usage, setting);

	if (siblings_protected > parent_effective)
		return protected * parent_effective / siblings_protected;
	return protected;
}

static void calculate_protection(struct mem_cgroup *root,
				 struct mem_cgroup *memcg)
{
	struct mem_cgroup *parent = memcg->parent;
	int64_t usage = page_counter_read(&memcg->memory);
	int64_t min = atomic_load(&memcg->memory.min);
	int64_t low = atomic_load(&memcg->memory.low);

	if (memcg == root) {		/* the target is never protected */
		memcg->emin = memcg->elow = 0;
		return;
	}
	if (parent == root) {
		memcg->emin = min;
		memcg->elow = low;
		return;
	}
	memcg->emin = effective_protection(usage, min, parent->emin,
					   children_protected(parent, false));
	memcg->elow = effective_protection(usage, low, parent->elow,
					   children_protected(parent, true));
}

static struct page *lru_tail(struct mem_cgroup *memcg, enum lru_list lru)
{
	return list_entry(memcg->lruvec.lists[lru].prev, struct page, lru);
}

/* Move @page to the head of @lru (rotation or (de)activation). */
static void lru_move(struct page *page, enum lru_list lru)
{
	lru_del(page);
	lru_add(page, lru);
}

/*
 * shrink_active_list(): age an active list (file or anon, @base being
 * the inactive one) into its inactive list while that is the smaller
 * (inactive_is_low), giving unevictable pages another round.
 */
static void shrink_active_list(struct mem_cgroup *memcg, enum lru_list base,
			       int64_t nr_to_scan)
{
	struct lruvec *lv = &memcg->lruvec;
	enum lru_list active = base + 1;
	int64_t scanned = 0, deactivated = 0;

	while (scanned < nr_to_scan && lv->nr_pages[active] &&
	       lv->nr_pages[base] < lv->nr_pages[active]) {
		struct page *page = lru_tail(memcg, active);

		scanned++;
		if (base == LRU_INACTIVE_FILE && !page_evictable(page)) {
			lru_move(page, active);
			continue;
		}
		page->flags &= (uint8_t)~(PG_active | PG_referenced);
		page->flags |= PG_workingset;	/* it was active once */
		lru_move(page, base);
		deactivated++;
		cond_resched();
	}
	mod_memcg_state(memcg, PGREFILL, scanned);
	mod_memcg_state(memcg, PGDEACTIVATE, deactivated);
}

static void activate(struct mem_cgroup *memcg, struct page *page,
		     enum lru_list base)
{
	page->flags = (uint8_t)((page->flags & ~PG_referenced) | PG_active);
	lru_move(page, base + 1);
	mod_memcg_state(memcg, PGACTIVATE, 1);
}

enum page_verdict { PAGE_KEEP, PAGE_RECLAIMED, PAGE_STOP };

/* shrink_folio_list() for one inactive file page: a mapped one is
 * activated, a referenced one gets a second chance, any other is
 * dropped. */
static enum page_verdict shrink_file_page(struct mem_cgroup *memcg,
					  struct page *page)
{
	if (!page_evictable(page)) {
		activate(memcg, page, LRU_INACTIVE_FILE);
	} else if (page->flags & PG_referenced) {
		page->flags &= (uint8_t)~PG_referenced;
		lru_move(page, LRU_INACTIVE_FILE);
	} else {
		filemap_evict(page);
		return PAGE_RECLAIMED;
	}
	return PAGE_KEEP;
}

/* activate_locked for anon: a swap-cache page gives its entry up if
 * swap is getting full. */
static void activate_anon(struct mem_cgroup *memcg, struct page *page)
{
	activate(memcg, page, LRU_INACTIVE_ANON);
	anon_activate_free_swap(page);
}

/* The same for one inactive anon page: shmem stays (tmpfs swap is not
 * modelled), a referenced page is activated (folio_check_references),
 * any other goes to swap; when swap refuses, the page is activated
 * (activate_locked) and the scan stops. */
static enum page_verdict shrink_anon_page(struct mem_cgroup *memcg,
					  struct page *page)
{
	if (!(page->flags & PG_anon)) {
		lru_move(page, LRU_INACTIVE_ANON);
	} else if (page->flags & PG_referenced) {
		activate_anon(memcg, page);
	} else if (anon_swap_out(page)) {
		return PAGE_RECLAIMED;
	} else {
		activate_anon(memcg, page);
		return PAGE_STOP;
	}
	return PAGE_KEEP;
}

/* shrink_inactive_list(): from the cold end of @base's inactive list. */
static void shrink_inactive_list(struct mem_cgroup *memcg, enum lru_list base,
				 int64_t nr_to_scan, struct scan_control *sc)
{
	struct lruvec *lv = &memcg->lruvec;
	int64_t scanned = 0, reclaimed = 0;
	enum page_verdict v = PAGE_KEEP;

	/* Pinned: evicting its last page must not release it under us. */
	mem_cgroup_pin(memcg, 1);
	while (v != PAGE_STOP && scanned < nr_to_scan && lv->nr_pages[base] &&
	       sc->nr_reclaimed + reclaimed < sc->nr_to_reclaim) {
		struct page *page = lru_tail(memcg, base);

		scanned++;
		v = base == LRU_INACTIVE_FILE ? shrink_file_page(memcg, page)
					      : shrink_anon_page(memcg, page);
		reclaimed += v == PAGE_RECLAIMED;
		cond_resched();
	}
	mod_memcg_state(memcg, sc->proactive ? PGSCAN_PROACTIVE : PGSCAN_DIRECT,
			scanned);
	mod_memcg_state(memcg, sc->proactive ? PGSTEAL_PROACTIVE :
			PGSTEAL_DIRECT, reclaimed);
	sc->nr_reclaimed += reclaimed;
	mem_cgroup_unpin(memcg, 1);
}

/* The scan target of one LRU pair at @priority (get_scan_count). */
static int64_t scan_target(struct mem_cgroup *memcg, enum lru_list base,
			   int priority, struct scan_control *sc)
{
	struct lruvec *lv = &memcg->lruvec;
	int64_t size = lv->nr_pages[base] + lv->nr_pages[base + 1];
	int64_t protection = sc->memcg_low_reclaim ? memcg->emin :
			     (memcg->emin > memcg->elow ? memcg->emin : memcg->elow);
	int64_t scan = size;

	if (!size)
		return 0;
	/* apply_proportional_protection(): the more of its usage is
	 * protected, the less of it is scanned. */
	if (protection) {
		scan -= scan * protection /
			(page_counter_read(&memcg->memory) + 1);
		if (scan < SWAP_CLUSTER_MAX)
			scan = SWAP_CLUSTER_MAX;
	}
	scan >>= priority;
	/* A zombie's last pages are scraped out whatever the priority. */
	if (!scan && !memcg->online)
		scan = min64(size, SWAP_CLUSTER_MAX);
	return scan;
}

/* Pages on one inactive/active pair. */
static int64_t lru_pages(struct mem_cgroup *memcg, enum lru_list base)
{
	return memcg->lruvec.nr_pages[base] + memcg->lruvec.nr_pages[base + 1];
}

static void shrink_list_pair(struct mem_cgroup *memcg, enum lru_list base,
			     int priority, struct scan_control *sc)
{
	int64_t scan = scan_target(memcg, base, priority, sc);

	if (!scan)
		return;
	shrink_active_list(memcg, base, scan);
	shrink_inactive_list(memcg, base, scan, sc);
}

/* One memcg of shrink_node_memcgs(): min is a wall, low a fence that
 * only the second round crosses, counting a low event. */
static void shrink_memcg(struct mem_cgroup *root, struct mem_cgroup *memcg,
			 int priority, struct scan_control *sc)
{
	int64_t usage;

	calculate_protection(root, memcg);
	usage = page_counter_read(&memcg->memory);
	if (memcg != root && usage <= memcg->emin)
		return;
	if (memcg != root && usage <= memcg->elow) {
		if (!sc->memcg_low_reclaim) {
			sc->memcg_low_skipped = true;
			return;
		}
		memcg_memory_event(memcg, MEMCG_LOW);
	}
	if (lru_pages(memcg, LRU_INACTIVE_FILE))
		sc->scannable = true;
	shrink_list_pair(memcg, LRU_INACTIVE_FILE, priority, sc);
	/* Then reclaimable slab, through the superblock shrinkers; freed
	 * bytes count as reclaimed pages, as reclaim_state does. */
	sc->slab_bytes += shrink_slab(memcg, priority);
	if (shrinker_has_items(memcg))
		sc->scannable = true;
	/* What the shrinkers freed must leave the counters now, not wait
	 * in a park for the next drain. */
	if (memcg->objcg)
		obj_park_release_objcg(memcg->objcg);
	sc->nr_reclaimed += sc->slab_bytes / PAGE_SIZE;
	sc->slab_bytes %= PAGE_SIZE;
	/* Then anon, at the same priority (so in proportion to its size),
	 * when this memcg may still swap (can_reclaim_anon_pages()). */
	if (sc->nr_reclaimed < sc->nr_to_reclaim && mem_cgroup_can_swap(memcg)) {
		if (lru_pages(memcg, LRU_INACTIVE_ANON))
			sc->scannable = true;
		shrink_list_pair(memcg, LRU_INACTIVE_ANON, priority, sc);
	}
}

/*
 * shrink_node_memcgs() over @root's subtree, priority by priority.  The
 * walk pins the memcg it stands on, so a zombie released by the eviction
 * of its last page cannot be freed before the walk leaves it.
 */
static int64_t do_try_to_free_pages(struct mem_cgroup *root,
				    struct scan_control *sc)
{
	for (int prio = DEF_PRIORITY; prio >= 0; prio--) {
		struct mem_cgroup *m = root, *next;

		sc->scannable = false;
		while (m && sc->nr_reclaimed < sc->nr_to_reclaim) {
			mem_cgroup_pin(m, 1);
			shrink_memcg(root, m, prio, sc);
			/* Never an ancestor of m, so m's release (which
			 * unpins only ancestors) cannot free it. */
			next = mem_cgroup_next_descendant_pre(m, root);
			mem_cgroup_unpin(m, 1);
			m = next;
		}
		/* Nothing on any list nor in any shrinker of the subtree
		 * (what protection did not skip): lower priorities only
		 * scan more of the same nothing.  Without this, a charge
		 * failing over thousands of empty groups walked them 13
		 * times per retry and stalled the mount for seconds. */
		if (sc->nr_reclaimed >= sc->nr_to_reclaim || !sc->scannable)
			break;
	}
	return sc->nr_reclaimed;
}

int64_t try_to_free_mem_cgroup_pages(struct mem_cgroup *memcg,
				     int64_t nr_pages, bool proactive)
{
	struct scan_control sc = {
		.nr_to_reclaim = nr_pages > SWAP_CLUSTER_MAX ? nr_pages
							      : SWAP_CLUSTER_MAX,
		.proactive = proactive,
	};

	/* kmem=clone-reap (way 2 of Davydov's 2014 dead-caches thread): dead
	 * caches go on pressure. */
	memcg_kmem_reap_dead_caches();
	workingset_set_reclaim_target(memcg);	/* shadows record the root */
	pa_batch_begin();	/* one unmap for what the reclaim frees */
	cond_resched_begin();
	do_try_to_free_pages(memcg, &sc);
	/* Nothing found above low: go again, into the protected. */
	if (sc.nr_reclaimed < sc.nr_to_reclaim && sc.memcg_low_skipped) {
		sc.memcg_low_reclaim = true;
		sc.memcg_low_skipped = false;
		do_try_to_free_pages(memcg, &sc);
	}
	pa_batch_end();
	workingset_set_reclaim_target(NULL);
	return sc.nr_reclaimed;
}
