/*
 * workingset.c - shadow entries and refaults; see workingset.h.
 */
#include "lruvec.h"
#include "memcontrol.h"
#include "page.h"
#include "psi.h"
#include "swap.h"
#include "workingset.h"

/* pack_shadow(): 1 (a value, not a page), workingset, eviction, ID. */
#define EVICTION_BITS	40
#define EVICTION_MASK	((1ULL << EVICTION_BITS) - 1)
#define ID_SHIFT	(EVICTION_BITS + 2)

static _Thread_local struct mem_cgroup *reclaim_target;

void workingset_set_reclaim_target(struct mem_cgroup *memcg)
{
	reclaim_target = memcg;
}

/* workingset_age_nonresident(): the clock of evictions and activations,
 * hierarchical. */
static void age_nonresident(struct mem_cgroup *memcg, int64_t nr)
{
	for (; memcg; memcg = memcg->parent)
		memcg->lruvec.nonresident_age += nr;
}

uint64_t workingset_eviction(struct page *page)
{
	struct mem_cgroup *target = reclaim_target ? reclaim_target :
				    page_memcg(page);
	uint64_t eviction = (uint64_t)target->lruvec.nonresident_age &
			    EVICTION_MASK;

	age_nonresident(target, 1);
	return 1 | (page->flags & PG_workingset ? 2 : 0) | eviction << 2 |
	       (uint64_t)(target->id > 0 ? target->id : 0) << ID_SHIFT;
}

/* lruvec_page_state() of @memcg, hierarchical: its subtree's pages. */
static int64_t subtree_lru(struct mem_cgroup *root, enum lru_list lru)
{
	struct mem_cgroup *m;
	int64_t nr = 0;

	for (m = root; m; m = mem_cgroup_next_descendant_pre(m, root))
		nr += m->lruvec.nr_pages[lru];
	return nr;
}

/* workingset_test_recent() for a file page. */
static bool test_recent(uint64_t shadow, bool *workingset)
{
	struct mem_cgroup *memcg = mem_cgroup_from_id((int)(shadow >> ID_SHIFT));
	uint64_t eviction = shadow >> 2 & EVICTION_MASK, distance;
	int64_t size;

	*workingset = shadow & 2;
	if (!memcg)
		return false;	/* the evicting group is gone */
	distance = ((uint64_t)memcg->lruvec.nonresident_age - eviction) &
		   EVICTION_MASK;
	size = subtree_lru(memcg, LRU_ACTIVE_FILE);
	if (mem_cgroup_can_swap(memcg))
		size += subtree_lru(memcg, LRU_ACTIVE_ANON) +
			subtree_lru(memcg, LRU_INACTIVE_ANON);
	return distance <= (uint64_t)size;
}

void workingset_refault(struct page *page, uint64_t shadow)
{
	struct mem_cgroup *memcg = page_memcg(page);
	bool workingset;

	mod_memcg_state(memcg, WORKINGSET_REFAULT_FILE, 1);
	if (!test_recent(shadow, &workingset))
		return;
	lru_del(page);
	page->flags |= PG_active;
	lru_add(page, page->lru_list + 1);
	age_nonresident(memcg, 1);
	mod_memcg_state(memcg, WORKINGSET_ACTIVATE_FILE, 1);
	if (!workingset)
		return;
	page->flags |= PG_workingset;
	mod_memcg_state(memcg, WORKINGSET_RESTORE_FILE, 1);
	/* Thrashing: the read of a workingset page is a memory stall. */
	psi_memstall_enter();
	psi_memstall_read(1);
	psi_memstall_leave();
}

void workingset_activation(struct page *page)
{
	age_nonresident(page_memcg(page), 1);
}
