/*
 * memcg_pages.c - what happens to a dying memcg's page charges at
 * offline, by pages= policy (policy.h).  pin does nothing: the pages keep
 * the zombie until reclaim takes them, as every kernel from 3.19 to 7.0.
 *
 * A policy acts once, at the group's offline: switching it later changes
 * nothing for zombies already made (their pages stay where their offline
 * left them), only for groups going offline afterwards.  Pages parked by
 * deferred stay movable on touch whatever the policy is now.
 *
 * Locking: cgroup_mutex held for writing; at offline the caller still
 * holds the memcg's online pin, so nothing here can release it.
 */
#include "filemap.h"
#include "lruvec.h"
#include "memcg_pages.h"
#include "obj_cgroup.h"

const char *const memcg_pages_policy_names[NR_PAGES_POLICIES] = {
	[PAGES_PIN] = "pin", [PAGES_REPARENT_WALK] = "reparent-walk",
	[PAGES_REPARENT] = "reparent", [PAGES_RECHARGE] = "recharge",
	[PAGES_DEFERRED] = "deferred", [PAGES_EVICT] = "evict",
};
enum memcg_pages_policy memcg_pages_policy;

static int64_t moved_to_parent, moved_to_groups;
/* Some offline parked pages: until then a touch has nothing to look at. */
static bool any_parked;

void memcg_pages_moved(int64_t *to_parent, int64_t *to_groups)
{
	*to_parent = moved_to_parent;
	*to_groups = moved_to_groups;
}

/* Move @page's charge record and LRU place from its memcg to live @to
 * (the counters are the caller's). */
static void page_move_charge(struct page *page, struct mem_cgroup *to)
{
	enum lru_list lru = (enum lru_list)page->lru_list;
	struct obj_cgroup *old = page->objcg;

	page_account(page, -1);
	lru_del(page);
	page->objcg = to->objcg;
	obj_cgroup_get(to->objcg);
	lru_add(page, lru);
	page_account(page, 1);
	obj_cgroup_put(old);
}

/* The charge of @nr pages moves from @from up to its ancestor @to, whose
 * hierarchical counter holds it already: only the counters below @to
 * drop.  Nothing to fail, nothing reclaimed. */
static void move_charge_up(struct mem_cgroup *from, struct mem_cgroup *to,
			   int64_t nr)
{
	for (struct mem_cgroup *m = from; m != to; m = m->parent)
		page_counter_cancel(&m->memory, nr);
	mem_cgroup_pin(to, nr);
	mem_cgroup_unpin(from, nr);
}

/*
 * Live @to takes @page over: false, and nothing changes, if the charge
 * does not fit.  An ancestor of the page's memcg pays for it already, so
 * the charge just moves up; any other group gets a nowait charge (never
 * reclaim, never OOM on its behalf; its memory.high reclaim runs in its
 * own subtree, which does not hold the page).
 */
static bool recharge_page(struct page *page, struct mem_cgroup *to)
{
	struct mem_cgroup *from = page_memcg(page);

	if (mem_cgroup_is_descendant(from, to)) {
		page_move_charge(page, to);
		move_charge_up(from, to, 1);
	} else {
		if (mem_cgroup_charge(to, 1, GFP_NOWAIT))
			return false;
		page_move_charge(page, to);
		mem_cgroup_uncharge(from, 1);	/* may release a zombie */
	}
	moved_to_groups++;
	return true;
}

/* All @nr pages of dying @memcg are now its parent's. */
static void move_charges_to_parent(struct mem_cgroup *memcg, int64_t nr)
{
	move_charge_up(memcg, memcg->parent, nr);
	moved_to_parent += nr;
}

/*
 * <= 3.18's mem_cgroup_reparent_charges(): every page, one by one (the
 * cost grew with the cache, which is why it went).
 */
static void reparent_walk(struct mem_cgroup *memcg)
{
	int64_t moved = 0;

	for (int l = 0; l < NR_LRU_LISTS; l++)
		while (!list_empty(&memcg->lruvec.lists[l])) {
			page_move_charge(list_entry(memcg->lruvec.lists[l].next,
						    struct page, lru),
					 memcg->parent);
			moved++;
		}
	move_charges_to_parent(memcg, moved);
}

/* The page stats a resident page stands in (page_account()); the LRU
 * ones move with the lists. */
static const enum memcg_stat_item page_items[] = {
	NR_FILE, NR_SHMEM, NR_FILE_MAPPED, NR_ANON,	/* anon.c pages splice too */
	NR_SWAPCACHE,
};

/* The local page stats of @memcg go to its parent (hierarchical ones
 * already include them): one read, whatever the pages. */
static void reparent_page_stats(struct mem_cgroup *memcg)
{
	int64_t state[NR_MEMCG_STAT], local[NR_MEMCG_STAT];

	memcg_vmstats_read(memcg, state, local);
	for (unsigned int i = 0; i < sizeof(page_items) / sizeof(*page_items);
	     i++) {
		enum memcg_stat_item item = page_items[i];

		mod_memcg_state(memcg, item, -local[item]);
		mod_memcg_state(memcg->parent, item, local[item]);
	}
}

/* The objcg flip: the pages on @memcg's lists are those of its objcg and
 * of the objcgs of dying children whose pages moved here at their own
 * offline; all of them now resolve to the parent. */
static void flip_lru_objcgs(struct mem_cgroup *memcg, bool park)
{
	struct mem_cgroup *parent = memcg->parent;
	struct obj_cgroup *objcg;

	any_parked |= park;
	memcg->objcg->lru_memcg = parent;
	memcg->objcg->lru_parked |= park;
	list_for_each_entry(objcg, &memcg->objcg_list, list)
		if (objcg->lru_memcg == memcg) {
			objcg->lru_memcg = parent;
			objcg->lru_parked |= park;
		}
}

/*
 * The 2026 "Eliminate Dying Memory Cgroup" offline: flip the objcgs, splice
 * the lists, move the local stats and the child's own charge.  O(lists +
 * objcgs), never O(pages).  @park: deferred's parking, the same move with
 * the pages marked for the next group that touches them.
 */
static void reparent_lru(struct mem_cgroup *memcg, bool park)
{
	int64_t nr = lruvec_nr_pages(&memcg->lruvec);

	flip_lru_objcgs(memcg, park);
	if (!nr)
		return;
	reparent_page_stats(memcg);
	lruvec_reparent(memcg, memcg->parent);
	move_charges_to_parent(memcg, nr);
}

/* The first live group mapping @page's file, if any. */
static struct mem_cgroup *live_mapper(const struct page *page)
{
	const struct sim_inode *ino = page->mapping;

	if (page->flags & PG_anon)	/* no file, no mapper to take it */
		return NULL;
	for (unsigned int i = 0; i < ino->nr_mappers; i++)
		if (ino->mappers[i].memcg->online)
			return ino->mappers[i].memcg;
	return NULL;
}

/* The 2023 proposal: recharge to a user, only where it fits. */
static void recharge(struct mem_cgroup *memcg)
{
	struct page *page, *next;

	for (int l = 0; l < NR_LRU_LISTS; l++)
		list_for_each_entry_safe(page, next, &memcg->lruvec.lists[l],
					 lru) {
			struct mem_cgroup *to = live_mapper(page);

			if (to)
				recharge_page(page, to);
		}
}

static void evict(struct mem_cgroup *memcg)
{
	struct page *page, *next;

	for (int l = 0; l < NR_LRU_LISTS; l++)
		list_for_each_entry_safe(page, next, &memcg->lruvec.lists[l],
					 lru)
			if (page_evictable(page))
				filemap_evict(page);
}

void memcg_offline_pages(struct mem_cgroup *memcg)
{
	switch (memcg_pages_policy) {
	case PAGES_REPARENT_WALK:
		reparent_walk(memcg);
		break;
	case PAGES_REPARENT:
		reparent_lru(memcg, false);
		break;
	case PAGES_RECHARGE:
		recharge(memcg);
		break;
	case PAGES_DEFERRED:
		reparent_lru(memcg, true);
		break;
	case PAGES_EVICT:
		evict(memcg);
		break;
	default:
		break;
	}
}

void memcg_pages_touch(struct mem_cgroup *memcg, struct sim_inode *ino)
{
	if (!any_parked)
		return;
	for (uint64_t i = 0; i < ino->nr_slots; i++) {
		struct page *page = ino->pages[i];

		/* The first charge that does not fit ends it: the rest
		 * would not fit either. */
		if (page && page->objcg->lru_parked &&
		    page_memcg(page) != memcg && !recharge_page(page, memcg))
			break;
	}
}

void memcg_pages_would_free(struct mem_cgroup *memcg,
			    int64_t would[NR_PAGES_POLICIES])
{
	struct page *page;
	int64_t all = lruvec_nr_pages(&memcg->lruvec);

	for (int p = 0; p < NR_PAGES_POLICIES; p++)
		would[p] = 0;
	/* Every page moves to the parent: walked, spliced or parked. */
	would[PAGES_REPARENT_WALK] = would[PAGES_REPARENT] =
		would[PAGES_DEFERRED] = all;
	for (int l = 0; l < NR_LRU_LISTS; l++)
		list_for_each_entry(page, &memcg->lruvec.lists[l], lru) {
			would[PAGES_RECHARGE] += live_mapper(page) != NULL;
			would[PAGES_EVICT] += page_evictable(page);
		}
}
