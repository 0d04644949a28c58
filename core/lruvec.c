/*
 * lruvec.c - a memcg's LRU lists (mm/swap.c lru_add, mm_inline.h).
 * The list sizes are also memory.stat's LRU lines.
 */
#include "memcontrol.h"
#include "obj_cgroup.h"
#include "lruvec.h"

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
	lruvec->nonresident_age = 0;
}

struct mem_cgroup *page_memcg(const struct page *page)
{
	return page->objcg->lru_memcg;
}

int64_t lruvec_nr_pages(const struct lruvec *lruvec)
{
	int64_t nr = 0;

	for (int i = 0; i < NR_LRU_LISTS; i++)
		nr += lruvec->nr_pages[i];
	return nr;
}

/* Hierarchical LRU stats of @to already hold these pages: only the local
 * ones move, a cancel on @from and an add on @to. */
void lruvec_reparent(struct mem_cgroup *from, struct mem_cgroup *to)
{
	for (int i = 0; i < NR_LRU_LISTS; i++) {
		int64_t nr = from->lruvec.nr_pages[i];

		if (!nr)
			continue;
		/* After to's tail: the dying group's pages are the coldest,
		 * reclaimed first. */
		list_splice_init(&from->lruvec.lists[i],
				 to->lruvec.lists[i].prev);
		from->lruvec.nr_pages[i] = 0;
		to->lruvec.nr_pages[i] += nr;
		mod_memcg_state(from, lru_stat[i], -nr);
		mod_memcg_state(to, lru_stat[i], nr);
	}
}

/* At the head: the most recently used end. */
void lru_add(struct page *page, enum lru_list lru)
{
	struct mem_cgroup *memcg = page_memcg(page);

	page->lru_list = (uint8_t)lru;
	list_add(&page->lru, &memcg->lruvec.lists[lru]);
	memcg->lruvec.nr_pages[lru]++;
	mod_memcg_state(memcg, lru_stat[lru], 1);
}

void lru_del(struct page *page)
{
	struct mem_cgroup *memcg = page_memcg(page);

	list_del(&page->lru);
	memcg->lruvec.nr_pages[page->lru_list]--;
	mod_memcg_state(memcg, lru_stat[page->lru_list], -1);
}
