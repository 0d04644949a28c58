/*
 * page_counter.c - lockless hierarchical page counters, after
 * mm/page_counter.c ("mm: memcontrol: lockless page counters", 3.19).
 *
 * No lock: usage is an atomic and a charge that overshoots a limit is
 * backed out.  Two racing charges can therefore both fail where one alone
 * would have fit; the kernel accepts that ("<2M/4M" lockout) and so do we.
 */
#include <errno.h>

#include "page_counter.h"

static inline int64_t ld(_Atomic int64_t *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

void page_counter_init(struct page_counter *c, struct page_counter *parent)
{
	atomic_init(&c->usage, 0);
	atomic_init(&c->min, 0);
	atomic_init(&c->low, 0);
	atomic_init(&c->high, PAGE_COUNTER_MAX);
	atomic_init(&c->max, PAGE_COUNTER_MAX);
	atomic_init(&c->watermark, 0);
	atomic_init(&c->local_watermark, 0);
	atomic_init(&c->failcnt, 0);
	atomic_init(&c->min_usage, 0);
	atomic_init(&c->low_usage, 0);
	atomic_init(&c->children_min_usage, 0);
	atomic_init(&c->children_low_usage, 0);
	c->parent = parent;
}

/* Report one protected usage to the parent's children_* sum.  The
 * exchange makes concurrent reporters add each delta exactly once. */
static void propagate_one(_Atomic int64_t *mine, _Atomic int64_t *sum,
			  int64_t protected)
{
	int64_t old = ld(mine);

	if (protected == old)
		return;
	old = atomic_exchange(mine, protected);
	if (protected != old)
		atomic_fetch_add(sum, protected - old);
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* propagate_protected_usage(): after every change of usage, min or low. */
static void propagate_protected_usage(struct page_counter *c, int64_t usage)
{
	struct page_counter *p = c->parent;

	if (!p)
		return;
	if (usage < 0)
		usage = 0;
	propagate_one(&c->min_usage, &p->children_min_usage,
		      min64(usage, ld(&c->min)));
	propagate_one(&c->low_usage, &p->children_low_usage,
		      min64(usage, ld(&c->low)));
}

void page_counter_set_min(struct page_counter *c, int64_t nr_pages)
{
	atomic_store(&c->min, nr_pages);
	propagate_protected_usage(c, ld(&c->usage));
}

void page_counter_set_low(struct page_counter *c, int64_t nr_pages)
{
	atomic_store(&c->low, nr_pages);
	propagate_protected_usage(c, ld(&c->usage));
}

void page_counter_detach(struct page_counter *c)
{
	propagate_protected_usage(c, 0);
}

/* Raise a watermark to at least @usage; a lost race means a higher value won. */
static void raise_watermark(_Atomic int64_t *wm, int64_t usage)
{
	int64_t old = ld(wm);

	while (usage > old &&
	       !atomic_compare_exchange_weak_explicit(wm, &old, usage,
			memory_order_relaxed, memory_order_relaxed))
		;
}

static void note_usage(struct page_counter *c, int64_t usage)
{
	raise_watermark(&c->watermark, usage);
	raise_watermark(&c->local_watermark, usage);
}

void page_counter_charge(struct page_counter *c, int64_t nr_pages)
{
	for (; c; c = c->parent) {
		int64_t usage = atomic_fetch_add(&c->usage, nr_pages) + nr_pages;

		propagate_protected_usage(c, usage);
		note_usage(c, usage);
	}
}

/* Undo a charge on the counters from @c up to, not including, @stop. */
static void cancel_upto(struct page_counter *c, struct page_counter *stop,
			int64_t nr_pages)
{
	for (; c != stop; c = c->parent)
		propagate_protected_usage(c,
			atomic_fetch_sub(&c->usage, nr_pages) - nr_pages);
}

bool page_counter_try_charge(struct page_counter *counter, int64_t nr_pages,
			     struct page_counter **fail)
{
	struct page_counter *c;

	for (c = counter; c; c = c->parent) {
		int64_t usage = atomic_fetch_add(&c->usage, nr_pages) + nr_pages;

		if (usage > ld(&c->max)) {
			atomic_fetch_sub(&c->usage, nr_pages);
			/* Racy on purpose, as in the kernel: a statistic. */
			atomic_fetch_add_explicit(&c->failcnt, 1,
						  memory_order_relaxed);
			*fail = c;
			cancel_upto(counter, c, nr_pages);
			return false;
		}
		propagate_protected_usage(c, usage);
		note_usage(c, usage);
	}
	return true;
}

void page_counter_uncharge(struct page_counter *c, int64_t nr_pages)
{
	for (; c; c = c->parent) {
		int64_t usage = atomic_fetch_sub(&c->usage, nr_pages) - nr_pages;

		/* An underflow is our bug, never the user's: clamp like WARN_ON. */
		if (usage < 0)
			atomic_store(&c->usage, 0);
		propagate_protected_usage(c, usage);
	}
}

void page_counter_cancel(struct page_counter *c, int64_t nr_pages)
{
	int64_t usage = atomic_fetch_sub(&c->usage, nr_pages) - nr_pages;

	if (usage < 0)
		atomic_store(&c->usage, 0);
	propagate_protected_usage(c, usage);
}

int page_counter_set_max(struct page_counter *c, int64_t nr_pages)
{
	for (;;) {
		int64_t old, usage = ld(&c->usage);

		if (usage > nr_pages)
			return -EBUSY;
		old = atomic_exchange(&c->max, nr_pages);
		/* A charge may have slipped in between; retry if so. */
		if (ld(&c->usage) <= usage)
			return 0;
		atomic_store(&c->max, old);
	}
}

int64_t page_counter_margin(struct page_counter *c)
{
	int64_t margin = PAGE_COUNTER_MAX;

	for (; c; c = c->parent) {
		int64_t m = ld(&c->max) - ld(&c->usage);

		if (m < margin)
			margin = m < 0 ? 0 : m;
	}
	return margin;
}
