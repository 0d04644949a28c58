/*
 * page_counter.h - hierarchical page counters (mm/page_counter.c).
 *
 * usage is an atomic; limits are read without locks (READ_ONCE in the
 * kernel).  A charge walks from the counter to the root, so an ancestor's
 * usage always includes every descendant's.  All counts are in 4 KiB pages.
 */
#ifndef MEMCGFS_PAGE_COUNTER_H
#define MEMCGFS_PAGE_COUNTER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../allocator/page_alloc.h"	/* PAGE_SIZE */

/* LONG_MAX / PAGE_SIZE, as include/linux/page_counter.h on 64-bit. */
#define PAGE_COUNTER_MAX (INT64_MAX / PAGE_SIZE)

struct page_counter {
	_Atomic int64_t usage;
	_Atomic int64_t min, low, high, max;
	/* Highest usage since creation, and since the last memory.peak write. */
	_Atomic int64_t watermark, local_watermark;
	_Atomic uint64_t failcnt;
	/*
	 * Protected usage (propagate_protected_usage() in mm/page_counter.c):
	 * min(usage, min) and min(usage, low) as last reported to the parent,
	 * and the sums of the children's, kept on every change so reclaim
	 * reads a sibling total in O(1) instead of walking the siblings.
	 */
	_Atomic int64_t min_usage, low_usage;
	_Atomic int64_t children_min_usage, children_low_usage;
	struct page_counter *parent;
};

void page_counter_init(struct page_counter *c, struct page_counter *parent);
static inline int64_t page_counter_read(struct page_counter *c)
{
	return atomic_load_explicit(&c->usage, memory_order_relaxed);
}
/* Charge without a limit check: the force path (__GFP_NOFAIL etc). */
void page_counter_charge(struct page_counter *c, int64_t nr_pages);
/*
 * Charge within every limit up to the root.  On failure nothing stays
 * charged and *fail names the first counter over its max.
 */
bool page_counter_try_charge(struct page_counter *c, int64_t nr_pages,
			     struct page_counter **fail);
void page_counter_uncharge(struct page_counter *c, int64_t nr_pages);
/* This counter only: a charge moving to the parent, which has it already. */
void page_counter_cancel(struct page_counter *c, int64_t nr_pages);
/* memory.min / memory.low: store and propagate the protected usage. */
void page_counter_set_min(struct page_counter *c, int64_t nr_pages);
void page_counter_set_low(struct page_counter *c, int64_t nr_pages);
/* memory.high, memory.swap.high: a plain store (page_counter_set_high()),
 * the caller takes any synchronous action. */
static inline void page_counter_set_high(struct page_counter *c,
					 int64_t nr_pages)
{
	atomic_store(&c->high, nr_pages);
}
/* memory.swap.max: a plain store, as swap_max_write()'s xchg(); no
 * check against usage (the v1 page_counter_set_max() below has one). */
static inline void page_counter_store_max(struct page_counter *c,
					  int64_t nr_pages)
{
	atomic_store(&c->max, nr_pages);
}
/* The v1 resets (memcg1_reset): max_usage_in_bytes, failcnt. */
static inline void page_counter_reset_watermark(struct page_counter *c)
{
	atomic_store(&c->watermark, page_counter_read(c));
}
static inline void page_counter_reset_failcnt(struct page_counter *c)
{
	atomic_store(&c->failcnt, 0);
}
/* This counter leaves its parent (release): withdraw its protected usage. */
void page_counter_detach(struct page_counter *c);
/* The v1 semantics: -EBUSY when usage is above the new limit. */
int page_counter_set_max(struct page_counter *c, int64_t nr_pages);
/* Pages the counter and all its ancestors can still take. */
int64_t page_counter_margin(struct page_counter *c);

#endif
