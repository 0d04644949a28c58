/*
 * obj_park.c - the stock's parked objects (obj_park.h): making a CPU's
 * park for a cache, and giving parked objects back on a drain.
 */
#include <stdlib.h>
#include <string.h>

#include "../allocator/slab_hook.h"
#include "memcg_kmem.h"
#include "memcg_stat.h"
#include "obj_park.h"

struct obj_park obj_park_none;
static bool park_enabled = true;

/* The table every CPU starts with: nothing parks until a free makes the
 * CPU its own (obj_park_add). */
static struct obj_park *park_none_table[KMEM_MAX_CACHES] = {
	[0 ... KMEM_MAX_CACHES - 1] = &obj_park_none
};

struct obj_park **obj_park_initial_table(void)
{
	return park_none_table;
}

static bool own_table(struct memcg_stock_pcp *stock)
{
	struct obj_park **t;

	if (stock->park != park_none_table)
		return true;
	t = malloc(sizeof(park_none_table));
	if (!t)
		return false;
	memcpy(t, park_none_table, sizeof(park_none_table));
	stock->park = t;
	return true;
}

bool obj_park_add(struct memcg_stock_pcp *stock, struct obj_cgroup *objcg,
		  const struct kmem_cache *s, void *obj)
{
	unsigned int size = (unsigned int)(OBJ_PARK_BYTES / obj_full_size(s));
	struct obj_park *p;

	if (!park_enabled || stock->live_objcg != objcg || !size ||
	    !own_table(stock) || stock->park[kmem_hook_id(s)] != &obj_park_none)
		return false;
	p = malloc(sizeof(*p) + size * sizeof(void *));
	if (!p)
		return false;
	p->rounds = 0;
	p->size = p->cap = size;
	p->next = stock->parks;
	p->cache = s;
	stock->parks = p;
	stock->park[kmem_hook_id(s)] = p;
	return obj_park_push(stock, objcg, kmem_hook_id(s), obj);
}

/*
 * Each parked object takes the general free path, whose uncharge refills
 * this very stock (it still caches their objcg).  Those frees may
 * release a memcg, whose own frees come back here: parking is off
 * meanwhile (NO_LIVE_OBJCG) so that nothing joins a park being
 * emptied, and each loop re-reads what is left.  Parks stay allocated,
 * empty, for the next time.
 */
bool obj_park_release(struct memcg_stock_pcp *stock)
{
	struct obj_cgroup *cached = stock->cached_objcg;
	struct obj_cgroup *live = stock->live_objcg;
	struct obj_park *p;
	bool any = false;

	stock->live_objcg = NO_LIVE_OBJCG;
	for (p = stock->parks; p; p = p->next)
		while (p->rounds) {
			kmem_cache_free_account_slow(p->objs[--p->rounds]);
			any = true;
		}
	if (stock->cached_objcg == cached)
		stock->live_objcg = live;
	return any;
}

void obj_park_set_enabled(bool on)
{
	unsigned int cpu;

	park_enabled = on;
	if (!memcg_stock_online)
		return;		/* a mount option: no stock yet */
	drain_all_stock(NULL);
	for_each_possible_cpu(cpu)
		for (struct obj_park *p = memcg_stock[cpu].parks; p; p = p->next)
			p->size = on ? p->cap : 0;
}

/* Release the parks of every CPU whose cached objcg @match()es; true
 * if there was anything parked. */
static bool release_where(bool (*match)(struct obj_cgroup *, void *),
			  void *arg)
{
	unsigned int cpu, saved = this_cpu;
	bool any = false;

	for_each_possible_cpu(cpu) {
		struct obj_cgroup *cached = memcg_stock[cpu].cached_objcg;

		if (!cached || !match(cached, arg))
			continue;
		/* The frees charge back to that CPU's stock. */
		set_this_cpu(cpu);
		any |= obj_park_release(&memcg_stock[cpu]);
	}
	set_this_cpu(saved);
	return any;
}

static bool is_objcg(struct obj_cgroup *cached, void *objcg)
{
	return cached == objcg;
}

void obj_park_release_objcg(struct obj_cgroup *objcg)
{
	release_where(is_objcg, objcg);
}

static bool charges_below(struct obj_cgroup *cached, void *root)
{
	return mem_cgroup_is_descendant(cached->memcg, root);
}

bool obj_park_release_below(struct mem_cgroup *root)
{
	return release_where(charges_below, root);
}

void memcg_vmstats_read_shown(struct mem_cgroup *memcg, int64_t *state)
{
	unsigned int cpu;

	memcg_vmstats_read(memcg, state, NULL);
	for_each_possible_cpu(cpu) {
		const struct memcg_stock_pcp *stock = &memcg_stock[cpu];
		const struct obj_park *p;

		if (!stock->cached_objcg ||
		    !mem_cgroup_is_descendant(stock->cached_objcg->memcg, memcg))
			continue;
		for (p = stock->parks; p; p = p->next)
			state[kmem_cache_stat_item(p->cache)] -=
				(int64_t)(p->rounds * obj_full_size(p->cache));
	}
}

unsigned long obj_park_objects(struct mem_cgroup *memcg,
			       const struct kmem_cache *s)
{
	unsigned long n = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		const struct memcg_stock_pcp *stock = &memcg_stock[cpu];

		if (stock->cached_objcg && stock->cached_objcg->memcg == memcg)
			n += stock->park[kmem_hook_id(s)]->rounds;
	}
	return n;
}

void obj_park_exit(struct memcg_stock_pcp *stock)
{
	while (stock->parks) {
		struct obj_park *p = stock->parks;

		stock->parks = p->next;
		free(p);
	}
	if (stock->park != park_none_table)
		free(stock->park);
	stock->park = park_none_table;
}
