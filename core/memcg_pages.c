/*
 * memcg_pages.c - what happens to a dying memcg's page charges at
 * offline, by pages= policy (policy.h).  pin does nothing: the pages keep
 * the zombie until reclaim takes them, as every kernel from 3.19 to 7.0.
 *
 * Locking: cgroup_mutex held for writing; the caller (offline) still
 * holds the memcg's online pin, so nothing here can release it.
 */
#include "filemap.h"
#include "memcg_pages.h"
#include "policy.h"

/* Move @page's charge and LRU place from its memcg to @to. */
static void page_move_charge(struct page *page, struct mem_cgroup *to)
{
	enum lru_list lru = (enum lru_list)page->lru_list;

	page_account(page, -1);
	lru_del(page);
	page->memcg = to;
	lru_add(page, lru);
	page_account(page, 1);
}

/*
 * <= 3.18's mem_cgroup_reparent_charges(): every page, one by one (the
 * cost grew with the cache, which is why it went): the charge moves from
 * the child's counter to the parent's, which holds it already.
 */
static void reparent_walk(struct mem_cgroup *memcg)
{
	struct mem_cgroup *parent = memcg->parent;
	int64_t moved = 0;

	for (int l = 0; l < NR_LRU_LISTS; l++)
		while (!list_empty(&memcg->lruvec.lists[l])) {
			page_move_charge(list_entry(memcg->lruvec.lists[l].next,
						    struct page, lru), parent);
			moved++;
		}
	page_counter_cancel(&memcg->memory, moved);
	mem_cgroup_pin(parent, moved);
	mem_cgroup_unpin(memcg, moved);
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

/* The 2023 proposal: recharge to a user, only where it fits (nowait:
 * never reclaim, never OOM on its behalf). */
static void recharge(struct mem_cgroup *memcg)
{
	struct page *page, *next;

	for (int l = 0; l < NR_LRU_LISTS; l++)
		list_for_each_entry_safe(page, next, &memcg->lruvec.lists[l],
					 lru) {
			struct mem_cgroup *to = live_mapper(page);

			if (!to || mem_cgroup_charge(to, 1, GFP_NOWAIT))
				continue;
			page_move_charge(page, to);
			mem_cgroup_uncharge(memcg, 1);
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
	case PAGES_RECHARGE:
		recharge(memcg);
		break;
	case PAGES_EVICT:
		evict(memcg);
		break;
	default:
		break;
	}
}

void memcg_pages_would_free(struct mem_cgroup *memcg, int64_t *reparent,
			    int64_t *recharge_pages, int64_t *evict_pages)
{
	struct page *page;

	*reparent = *recharge_pages = *evict_pages = 0;
	for (int l = 0; l < NR_LRU_LISTS; l++)
		list_for_each_entry(page, &memcg->lruvec.lists[l], lru) {
			++*reparent;
			*recharge_pages += live_mapper(page) != NULL;
			*evict_pages += page_evictable(page);
		}
}
