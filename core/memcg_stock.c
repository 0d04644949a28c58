/*
 * memcg_stock.c - the per-CPU charge caches of mm/memcontrol.c: the page
 * stock (memcg_stock_pcp: cached, nr_pages) and the byte stock
 * (obj_stock: cached_objcg, nr_bytes, cached slab stat deltas).  One slot
 * each, as in 5.10 (today's kernels keep 7 and
 * 5 slots, which changes hit rates, not the accounting).
 *
 * Per-CPU rule (smp.h): a CPU's stock is touched by the thread running
 * on that CPU, or by drain_all_stock() under cgroup_mutex (write) or
 * with every CPU stopped (cpus_stop).  The
 * byte stock's hit paths are inline in memcg_stock.h; what is here runs
 * on misses, drains and reads.
 *
 * References: a cached memcg is pinned (refs) and a cached objcg holds a
 * reference, so neither can be released while a stock still owes it
 * pages or bytes.
 */
#include <errno.h>
#include <stdlib.h>

#include "obj_park.h"

/* Static, so that this_stock() is the CPU number and one address, with
 * no pointer to load first: 128 B a possible CPU. */
struct memcg_stock_pcp memcg_stock[NR_CPUS_MAX];
bool memcg_stock_online;
struct obj_cgroup no_live_objcg;

int memcg_stock_init(void)
{
	memcg_stock_online = true;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		memcg_stock[cpu] = (struct memcg_stock_pcp){
			.live_objcg = NO_LIVE_OBJCG,
			.park = obj_park_initial_table()
		};
	return 0;
}

static void drain_stock(struct memcg_stock_pcp *stock);
static void drain_obj_stock(struct memcg_stock_pcp *stock);

static bool any_stock_cached(void)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (memcg_stock[cpu].cached || memcg_stock[cpu].cached_objcg)
			return true;
	return false;
}

void memcg_stock_exit(void)
{
	/* A drain may release a memcg whose frees charge (and park in) a
	 * stock drained a moment before: again, until none caches. */
	while (any_stock_cached())
		drain_all_stock(NULL);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		obj_park_exit(&memcg_stock[cpu]);
	memcg_stock_online = false;
}

/* --- the page stock ------------------------------------------------- */

bool consume_stock(struct mem_cgroup *memcg, int64_t nr_pages)
{
	struct memcg_stock_pcp *stock = this_stock();

	if (nr_pages > MEMCG_CHARGE_BATCH || stock->cached != memcg ||
	    stock->nr_pages < nr_pages)
		return false;
	stock->nr_pages -= nr_pages;
	return true;
}

/* Give the stocked pages back to the counters and drop the pin. */
static void drain_stock(struct memcg_stock_pcp *stock)
{
	struct mem_cgroup *old = stock->cached;

	if (!old)
		return;
	if (stock->nr_pages)
		page_counter_uncharge(&old->memory, stock->nr_pages);
	stock->nr_pages = 0;
	stock->cached = NULL;
	mem_cgroup_unpin(old, 1);	/* last: may release @old */
}

void refill_stock(struct mem_cgroup *memcg, int64_t nr_pages)
{
	struct memcg_stock_pcp *stock = this_stock();

	/* Draining may release the old memcg, whose frees (its struct, its
	 * per-CPU stats) refill this very stock, re-entering here: take the
	 * stock as those left it, until it caches @memcg. */
	while (stock->cached != memcg) {
		drain_stock(stock);
		if (!stock->cached) {
			mem_cgroup_pin(memcg, 1);
			stock->cached = memcg;
		}
	}
	stock->nr_pages += nr_pages;
	if (stock->nr_pages > MEMCG_CHARGE_BATCH)
		drain_stock(stock);
}

/* --- the byte stock ------------------------------------------------- */

__attribute__((noinline))
void obj_stock_flush_stat(struct memcg_stock_pcp *stock, int idx)
{
	if (!stock->nr_slab_b[idx])
		return;
	mod_memcg_state(stock->cached_objcg->memcg, stock_stat_item(idx),
			stock->nr_slab_b[idx]);
	stock->nr_slab_b[idx] = 0;
}

static void flush_slab_stats(struct memcg_stock_pcp *stock)
{
	obj_stock_flush_stat(stock, 0);
	obj_stock_flush_stat(stock, 1);
}

/* The hits' references become this CPU's percpu_ref count (the objcg is
 * live: obj_cgroup_kill() zeroed them otherwise). */
static void flush_refs(struct memcg_stock_pcp *stock)
{
	if (stock->nr_refs)
		stock->cached_objcg->pcpu[stock - memcg_stock].count +=
			stock->nr_refs;
	stock->nr_refs = 0;
}

/*
 * Uncharge the whole pages among the stocked bytes; the sub-page rest
 * goes to objcg->nr_charged_bytes.  Unlike 5.10 we fold the objcg's
 * earlier remainder in first, so remainders left by several CPUs add up
 * to pages that get uncharged instead of lingering until release: after
 * every object is freed and the stocks are drained, nothing is charged.
 */
static void drain_obj_stock(struct memcg_stock_pcp *stock)
{
	struct obj_cgroup *old = stock->cached_objcg;
	int64_t bytes;

	if (!old)
		return;
	/* First: their uncharges land in this stock, for the rest below. */
	obj_park_release(stock);
	if (stock->cached_objcg != old)
		return;		/* the release drained it already */
	flush_slab_stats(stock);
	flush_refs(stock);
	bytes = stock->nr_bytes + atomic_exchange(&old->nr_charged_bytes, 0);
	/* Detached before the uncharge: it may release a memcg whose frees
	 * refill this very stock, re-entering here. */
	stock->nr_bytes = 0;
	stock->cached_objcg = NULL;
	stock->live_objcg = NO_LIVE_OBJCG;
	if (bytes >= PAGE_SIZE)
		obj_cgroup_uncharge_pages(old, bytes / PAGE_SIZE);
	atomic_fetch_add(&old->nr_charged_bytes, bytes % PAGE_SIZE);
	obj_cgroup_put(old);		/* last: may release @old */
}

/* Make @objcg this CPU's cached objcg, pulling in its loose bytes. */
static struct memcg_stock_pcp *obj_stock_switch(struct obj_cgroup *objcg)
{
	struct memcg_stock_pcp *stock = this_stock();

	/* As refill_stock(): draining may re-enter and leave another objcg
	 * (or this one) cached. */
	while (stock->cached_objcg != objcg) {
		drain_obj_stock(stock);
		if (!stock->cached_objcg) {
			obj_cgroup_get(objcg);
			stock->cached_objcg = objcg;
			stock->live_objcg = atomic_load(&objcg->killed) ?
					    NO_LIVE_OBJCG : objcg;
			stock->nr_bytes =
				atomic_exchange(&objcg->nr_charged_bytes, 0);
		}
	}
	return stock;
}

/* Add a slab stat delta to the stock, which caches @objcg already. */
static void account_obj_stock(struct memcg_stock_pcp *stock, int item,
			      int64_t nr_bytes)
{
	if (item >= 0)
		obj_stock_stat(stock, item, nr_bytes);
}

bool consume_obj_stock(struct obj_cgroup *objcg, size_t nr_bytes, int item)
{
	struct memcg_stock_pcp *stock = this_stock();

	if (stock->cached_objcg != objcg || stock->nr_bytes < (int64_t)nr_bytes)
		return false;
	stock->nr_bytes -= (int64_t)nr_bytes;
	account_obj_stock(stock, item, (int64_t)nr_bytes);
	return true;
}

void refill_obj_stock(struct obj_cgroup *objcg, size_t nr_bytes,
		      bool allow_uncharge, int item, int64_t stat)
{
	struct memcg_stock_pcp *stock = obj_stock_switch(objcg);

	stock->nr_bytes += (int64_t)nr_bytes;
	account_obj_stock(stock, item, stat);
	/* Keep less than a page; a charge path must not uncharge. */
	if (allow_uncharge && stock->nr_bytes > PAGE_SIZE) {
		int64_t nr_pages = stock->nr_bytes / PAGE_SIZE;

		stock->nr_bytes %= PAGE_SIZE;
		obj_cgroup_uncharge_pages(objcg, nr_pages);
	}
}

void mod_objcg_state(struct obj_cgroup *objcg, enum memcg_stat_item item,
		     int64_t nr_bytes)
{
	account_obj_stock(obj_stock_switch(objcg), item, nr_bytes);
}

int64_t memcg_stock_kill_refs(struct obj_cgroup *objcg)
{
	int64_t sum = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct memcg_stock_pcp *stock = &memcg_stock[cpu];

		if (stock->cached_objcg != objcg)
			continue;
		sum += stock->nr_refs;
		stock->nr_refs = 0;
		stock->live_objcg = NO_LIVE_OBJCG;
	}
	return sum;
}

/* --- draining ------------------------------------------------------- */

static bool in_subtree(struct mem_cgroup *memcg, struct mem_cgroup *root)
{
	for (; memcg; memcg = memcg->parent)
		if (memcg == root)
			return true;
	return !root;
}

/* What a stock caches is pinned by it: harmless to unpin while online
 * (its own pin keeps it), a release if it is dying. */
bool memcg_stock_drain_is_local(const struct memcg_stock_pcp *stock)
{
	if (stock->cached && !stock->cached->online)
		return false;
	return !stock->cached_objcg ||
	       (!atomic_load(&stock->cached_objcg->killed) &&
		stock->cached_objcg->memcg->online);
}

void drain_all_stock(struct mem_cgroup *root)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct memcg_stock_pcp *stock = &memcg_stock[cpu];

		if (stock->cached_objcg &&
		    in_subtree(stock->cached_objcg->memcg, root)) {
			/* Its uncharges refill the page stock of this CPU. */
			unsigned int saved = this_cpu;

			set_this_cpu(cpu);
			drain_obj_stock(stock);
			set_this_cpu(saved);
		}
		if (stock->cached && in_subtree(stock->cached, root))
			drain_stock(stock);
	}
}

void memcg_stock_held(struct mem_cgroup *memcg, int64_t *pages,
		      int64_t *bytes)
{
	unsigned int cpu;

	*pages = *bytes = 0;
	for_each_possible_cpu(cpu) {
		struct memcg_stock_pcp *stock = &memcg_stock[cpu];

		if (stock->cached && in_subtree(stock->cached, memcg))
			*pages += stock->nr_pages;
		if (stock->cached_objcg &&
		    in_subtree(stock->cached_objcg->memcg, memcg))
			*bytes += stock->nr_bytes;
	}
}

int memcg_stock_pins(struct mem_cgroup *memcg)
{
	unsigned int cpu;
	int n = 0;

	for_each_possible_cpu(cpu)
		n += memcg_stock[cpu].cached == memcg;
	return n;
}
