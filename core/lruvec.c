/*
 * lruvec.c - a memcg's LRU lists (mm/swap.c lru_add, mm_inline.h).
 * The list sizes are also memory.stat's LRU lines.
 */
#include "memcontrol.h"
#include "page.h"

static const enum memcg_stat_item lru_stat[NR_LRU_LISTS] = {
	[LRU_INACTIVE_ANON] = NR_INACTIVE_ANON,
	[LRU_ACTIVE_ANON] = NR_ACTIVE_ANON,
	[LRU_INACTIVE_FILE] = NR_INACTIVE_FILE,
	[LRU_ACTIVE_FILE] = NR_ACTIVE_FILE,
	[LRU_UNEVICTABLE] = NR_UNEVICTABLE,
};

void lruvec_init(struct lruvec *lruvec)
{
	for (int i = 0; i < NR_LRU_LISTS; i++) {
		INIT_LIST_HEAD(&lruvec->lists[i]);
		lruvec->nr_pages[i] = 0;
	}
}

/* At the head: the most recently used end. */
void lru_add(struct page *page, enum lru_list lru)
{
	struct mem_cgroup *memcg = page->memcg;

	page->lru_list = (uint8_t)lru;
	list_add(&page->lru, &memcg->lruvec.lists[lru]);
	memcg->lruvec.nr_pages[lru]++;
	mod_memcg_state(memcg, lru_stat[lru], 1);
}

void lru_del(struct page *page)
{
	struct mem_cgroup *memcg = page->memcg;

	list_del(&page->lru);
	memcg->lruvec.nr_pages[page->lru_list]--;
	mod_memcg_state(memcg, lru_stat[page->lru_list], -1);
}
