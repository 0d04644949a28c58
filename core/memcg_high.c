/*
 * memcg_high.c - memory.high and memory.swap.high enforcement; see
 * memcg_high.h.  Follows mm/memcontrol.c of 6.12 line by line where it
 * can: reclaim_high(), calculate_overage(), mem_find_max_overage(),
 * swap_find_max_overage(), calculate_high_delay(),
 * mem_cgroup_handle_over_high() and the over-high part of
 * try_charge_memcg().
 *
 * Locking: cgroup_mutex held for writing, but for the debt a charge in
 * MEMCG mode (memcg_lock.h) records: that one never reclaims at once.
 * The per-writer state is thread-local: one FUSE request thread serves
 * one write at a time.
 */
#include "memcg_high.h"
#include "memcg_lock_mode.h"
#include "psi.h"
#include "vmscan.h"

#define SWAP_CLUSTER_MAX	32

double memcg_high_delay_scale = 1.0;

/* current->memcg_nr_pages_over_high and what the write owes in sleep. */
struct over_high {
	unsigned int nr_pages;		/* debt */
	struct mem_cgroup *memcg;	/* pinned while owed */
	unsigned long penalty;		/* jiffies this write must sleep */
	struct mem_cgroup *throttled;	/* pinned: the group that did it */
	bool by_memory, by_swap;	/* which high limits did */
	bool in_handler;		/* PF_MEMALLOC: no recursion */
};
static _Thread_local struct over_high current_oh;

uint64_t memcg_calculate_overage(uint64_t usage, uint64_t high)
{
	if (usage <= high)
		return 0;
	/* As if the threshold were one page, not to divide by 0. */
	if (!high)
		high = 1;
	return ((usage - high) << MEMCG_DELAY_PRECISION_SHIFT) / high;
}

/*
 * The kernel's arithmetic, overflow included: the square of the
 * overage, scaled to jiffies, times the writer's share of it (four
 * N-page charges throttle about as one 4N-page charge).
 */
unsigned long memcg_calculate_high_delay(unsigned int nr_pages,
					 uint64_t max_overage)
{
	unsigned long penalty_jiffies;

	if (!max_overage)
		return 0;
	penalty_jiffies = max_overage * max_overage * MEMCG_HZ;
	penalty_jiffies >>= MEMCG_DELAY_PRECISION_SHIFT;
	penalty_jiffies >>= MEMCG_DELAY_SCALING_SHIFT;
	return penalty_jiffies * nr_pages / MEMCG_CHARGE_BATCH;
}

static bool is_root(const struct mem_cgroup *memcg)
{
	return memcg == root_mem_cgroup();
}

static uint64_t find_max_overage(struct mem_cgroup *memcg, bool swap)
{
	uint64_t overage, max_overage = 0;

	do {
		struct page_counter *pc = swap ? &memcg->swap : &memcg->memory;

		overage = memcg_calculate_overage(
			(uint64_t)page_counter_read(pc),
			(uint64_t)atomic_load(&pc->high));
		if (overage > max_overage)
			max_overage = overage;
	} while ((memcg = memcg->parent) && !is_root(memcg));
	return max_overage;
}

/* reclaim_high(): every non-root memcg up from @memcg that is over its
 * memory.high counts a high event and reclaims, stalled on memory. */
static int64_t reclaim_high(struct mem_cgroup *memcg, int64_t nr_pages)
{
	int64_t nr_reclaimed = 0;

	do {
		if (page_counter_read(&memcg->memory) <=
		    atomic_load(&memcg->memory.high))
			continue;
		memcg_memory_event(memcg, MEMCG_HIGH);
		psi_memstall_enter();
		nr_reclaimed += try_to_free_mem_cgroup_pages(memcg, nr_pages,
							     false);
		psi_memstall_leave();
	} while ((memcg = memcg->parent) && !is_root(memcg));
	return nr_reclaimed;
}

static void set_pinned(struct mem_cgroup **slot, struct mem_cgroup *memcg)
{
	if (*slot == memcg)
		return;
	if (memcg)
		mem_cgroup_pin(memcg, 1);
	if (*slot)
		mem_cgroup_unpin(*slot, 1);
	*slot = memcg;
}

/*
 * mem_cgroup_handle_over_high(): reclaim the debt, then keep reclaiming
 * a cluster at a time while that makes progress and the penalty is
 * still worth sleeping; a penalty left after that is owed by the write.
 */
static void handle_over_high(void)
{
	struct over_high *oh = &current_oh;
	unsigned int nr_pages = oh->nr_pages;
	int nr_retries = MAX_RECLAIM_RETRIES;
	struct mem_cgroup *memcg = oh->memcg;
	unsigned long penalty, swap_penalty;
	int64_t nr_reclaimed;
	bool in_retry = false;

	if (!nr_pages || !memcg)
		return;
	oh->nr_pages = 0;
	oh->memcg = NULL;		/* its pin is ours until out: */
	oh->in_handler = true;
retry_reclaim:
	nr_reclaimed = reclaim_high(memcg, in_retry ? SWAP_CLUSTER_MAX :
					   nr_pages);
	penalty = memcg_calculate_high_delay(nr_pages,
					     find_max_overage(memcg, false));
	swap_penalty = memcg_calculate_high_delay(nr_pages,
						  find_max_overage(memcg, true));
	penalty += swap_penalty;
	if (penalty > MEMCG_MAX_HIGH_DELAY_JIFFIES)
		penalty = MEMCG_MAX_HIGH_DELAY_JIFFIES;
	/* Too little to be worth a sleep. */
	if (penalty <= MEMCG_HZ / 100)
		goto out;
	/* Reclaim making progress is better than throttling. */
	if (nr_reclaimed || nr_retries--) {
		in_retry = true;
		goto retry_reclaim;
	}
	oh->penalty += penalty;
	oh->by_swap |= swap_penalty > 0;
	oh->by_memory |= penalty > swap_penalty;
	set_pinned(&oh->throttled, memcg);
out:
	oh->in_handler = false;
	mem_cgroup_unpin(memcg, 1);
}

void mem_cgroup_charged_over_high(struct mem_cgroup *memcg, int64_t batch,
				  enum gfp_mode gfp)
{
	struct over_high *oh = &current_oh;
	struct mem_cgroup *m = memcg;

	/* Only a write being served returns to user space and pays its
	 * debt (mkdir's charges, background threads: no "current"). */
	if (!psi_current())
		return;
	do {
		bool mem_high = page_counter_read(&m->memory) >
				atomic_load(&m->memory.high);
		bool swap_high = page_counter_read(&m->swap) >
				 atomic_load(&m->swap.high);

		if (mem_high || swap_high) {
			/* Reclaim and penalties are shared out by how much
			 * each writer charges. */
			oh->nr_pages += (unsigned int)batch;
			set_pinned(&oh->memcg, memcg);
			break;
		}
	} while ((m = m->parent));
	/* Also reclaim at once, not to overrun too far inside one write;
	 * a write in MEMCG mode cannot reclaim, its return to user space
	 * (under cgroup_mutex for writing) will. */
	if (oh->nr_pages > MEMCG_CHARGE_BATCH && !oh->in_handler &&
	    (gfp == GFP_KERNEL || gfp == GFP_NOFAIL) &&
	    memcg_lock_mode() != MEMCG_LOCK_MEMCG)
		handle_over_high();
}

bool mem_cgroup_high_debt(void)
{
	return current_oh.nr_pages && current_oh.memcg;
}

uint64_t mem_cgroup_return_to_user(struct mem_cgroup **memcg,
				   unsigned long *jiffies,
				   const char **limits)
{
	struct over_high *oh = &current_oh;
	double ns;

	handle_over_high();
	*jiffies = oh->penalty;
	*memcg = oh->throttled;		/* the caller takes the pin */
	oh->throttled = NULL;
	*limits = !oh->by_swap ? "memory.high" : !oh->by_memory ?
		  "memory.swap.high" : "memory.high and memory.swap.high";
	oh->by_memory = oh->by_swap = false;
	ns = (double)oh->penalty * (1e9 / MEMCG_HZ) * memcg_high_delay_scale;
	oh->penalty = 0;
	return (uint64_t)ns;
}
