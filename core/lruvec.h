/*
 * lruvec.h - a memcg's LRU lists (struct lruvec, lruvec.c): which list
 * a page is on, and the LRU stats that follow it.
 *
 * Locking: cgroup_mutex held for writing for every change.
 */
#ifndef MEMCGFS_LRUVEC_H
#define MEMCGFS_LRUVEC_H

#include <stdint.h>

#include "page.h"

/* A memcg's LRU lists; sizes in pages. */
struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	int64_t nr_pages[NR_LRU_LISTS];
	int64_t nonresident_age;	/* workingset.c's eviction clock */
};

void lruvec_init(struct lruvec *lruvec);
/* folio_memcg(): the memcg @page is charged to and whose lists hold it. */
struct mem_cgroup *page_memcg(const struct page *page);
/* Pages on all of @lruvec's lists. */
int64_t lruvec_nr_pages(const struct lruvec *lruvec);
/* Every list of @from onto the cold end of @to's, with the LRU stats:
 * O(lists), whatever the pages (the 2026 offline splice).  The caller
 * has already made page_memcg() of those pages @to. */
void lruvec_reparent(struct mem_cgroup *from, struct mem_cgroup *to);
/* Put @page on the right list of its memcg, updating the LRU stats. */
void lru_add(struct page *page, enum lru_list lru);
void lru_del(struct page *page);

#endif
