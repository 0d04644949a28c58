/*
 * test_page_counter.c - the protected-usage sums page_counter.c keeps
 * incrementally (children_min_usage, children_low_usage, as
 * propagate_protected_usage() in mm/page_counter.c) against a recount
 * over the children after every step of a random sequence of charges,
 * forced charges, failed charges, uncharges, cancels, min/low writes
 * and detaches.
 */
#include <stdlib.h>

#include "page_counter.h"
#include "tap.h"

#define NR_CHILDREN	40
#define NR_STEPS	20000

static struct page_counter root, mid, kids[NR_CHILDREN];
static bool detached[NR_CHILDREN];

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* The sum of min(usage, min|low) over the live children of @mid. */
static void recount(int64_t *min, int64_t *low)
{
	*min = *low = 0;
	for (int i = 0; i < NR_CHILDREN; i++) {
		int64_t u = page_counter_read(&kids[i]);

		if (detached[i])
			continue;
		*min += min64(u, atomic_load(&kids[i].min));
		*low += min64(u, atomic_load(&kids[i].low));
	}
}

static void step(unsigned int r)
{
	int i = (int)(r % NR_CHILDREN);
	struct page_counter *c = &kids[i], *fail;
	int64_t n = (int64_t)(r >> 8) % 50 + 1;

	if (detached[i])
		return;
	switch ((r >> 16) % 7) {
	case 0: page_counter_charge(c, n); break;
	case 1: page_counter_try_charge(c, n, &fail); break;
	case 2: page_counter_uncharge(c, min64(n, page_counter_read(c))); break;
	case 3: page_counter_set_min(c, n * 2); break;
	case 4: page_counter_set_low(c, n * 3); break;
	case 5:	/* a charge moving to the parent (reparenting) */
		page_counter_cancel(c, min64(n, page_counter_read(c)));
		break;
	case 6:	/* released: its share leaves the parent's sum */
		if (n == 1) {
			page_counter_detach(c);
			detached[i] = true;
		}
		break;
	}
}

int main(void)
{
	int64_t min, low;
	int bad = 0;

	srand(12);
	page_counter_init(&root, NULL);
	page_counter_init(&mid, &root);
	atomic_store(&mid.max, 30 * NR_CHILDREN);	/* some charges fail */
	page_counter_set_min(&mid, 100);
	for (int i = 0; i < NR_CHILDREN; i++)
		page_counter_init(&kids[i], &mid);
	for (int s = 0; s < NR_STEPS; s++) {
		step((unsigned int)rand());
		recount(&min, &low);
		if (min != atomic_load(&mid.children_min_usage) ||
		    low != atomic_load(&mid.children_low_usage)) {
			if (!bad++)
				tap_ok(0, "step %d: min %lld/%lld low %lld/%lld",
				       s, (long long)min,
				       (long long)atomic_load(&mid.children_min_usage),
				       (long long)low,
				       (long long)atomic_load(&mid.children_low_usage));
		}
	}
	tap_ok(!bad, "children_{min,low}_usage equal a recount after each of %d steps",
	       NR_STEPS);
	tap_ok(atomic_load(&root.children_min_usage) ==
	       min64(page_counter_read(&mid), 100),
	       "the grandparent sees min(usage, min) of the middle counter");
	recount(&min, &low);
	tap_ok(min > 0 && low > 0, "the sequence left protected usage to sum");
	return tap_done();
}
