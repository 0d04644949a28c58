/*
 * test_kmem.c - obj_cgroup accounting alone (core/ + allocator/, no FUSE):
 * random accounted allocations checked against a shadow, reparenting at
 * offline, the stocks, and two threads hammering alloc/free across
 * groups on their own virtual CPUs.  After everything is freed and the
 * stocks drained, every counter, stock, byte and stat must be zero.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../../allocator/kmalloc.h"
#include "cgroup.h"
#include "fixture.h"
#include "memcg_kmem.h"
#include "memcontrol.h"
#include "obj_cgroup.h"
#include "obj_park.h"
#include "sim_kmem.h"
#include "smp.h"
#include "tap.h"

#define NCPU	8
#define NGRP	4
#define NOBJ	20000
#define PAGE	4096

static struct cgroup *mk(struct cgroup *parent, const char *name)
{
	struct cgroup *cg = NULL;

	if (cgroup_mkdir(parent, name, 0, 0, 0755, &cg))
		return NULL;
	return cg;
}

static int64_t stat_of(struct mem_cgroup *m, enum memcg_stat_item item)
{
	return memcg_page_state(m, item);
}

/* The per-CPU half of @objcg's percpu_ref. */
static int64_t pcpu_refs(struct obj_cgroup *objcg)
{
	int64_t sum = 0;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		sum += objcg->pcpu[cpu].count;
	return sum;
}

/* Everything charged to @m's subtree is gone, stocks included. */
static void check_empty(struct mem_cgroup *m, const char *what)
{
	int64_t pages, bytes;

	drain_all_stock(NULL);
	memcg_stock_held(m, &pages, &bytes);
	tap_eq(pages + bytes, 0, "%s: no stock held", what);
	tap_eq(page_counter_read(&m->memory), 0, "%s: memory counter 0", what);
	tap_eq(page_counter_read(&m->kmem), 0, "%s: kmem counter 0", what);
	tap_eq(stat_of(m, MEMCG_KMEM), 0, "%s: kernel 0", what);
	tap_eq(stat_of(m, NR_SLAB_RECLAIMABLE_B) +
	       stat_of(m, NR_SLAB_UNRECLAIMABLE_B), 0, "%s: slab 0", what);
	tap_eq(stat_of(m, MEMCG_PERCPU_B), 0, "%s: percpu 0", what);
	tap_eq(atomic_load(&m->objcg->nr_charged_bytes), 0,
	       "%s: no loose objcg bytes", what);
}

/*
 * Random allocations and frees of two caches in NGRP sibling groups on
 * NCPU virtual CPUs, against a shadow of the bytes each group holds.
 */
static void test_random_against_shadow(struct cgroup *p)
{
	struct kmem_cache *caches[2] = { kmem_builtin(KMEM_DENTRY),
					 kmalloc_cache(64) };
	struct mem_cgroup *g[NGRP];
	int64_t shadow[NGRP][2] = { { 0 } };
	static void *objs[NOBJ];
	static int owner[NOBJ];
	char name[16];
	int i, k, bad = 0;

	for (i = 0; i < NGRP; i++) {
		snprintf(name, sizeof(name), "g%d", i);
		g[i] = mk(p, name)->memcg;
	}
	srand(1);
	memset(objs, 0, sizeof(objs));
	for (int step = 0; step < 200000; step++) {
		i = rand() % NOBJ;
		set_this_cpu((unsigned int)(rand() % NCPU));
		if (!objs[i]) {
			owner[i] = rand() % NGRP;
			k = rand() % 2;
			objs[i] = kmem_cache_alloc_account(caches[k],
				g[owner[i]]->objcg, GFP_KERNEL);
			bad += !objs[i] || slab_objcg(objs[i]) != g[owner[i]]->objcg;
			shadow[owner[i]][k] += (int64_t)obj_full_size(caches[k]);
		} else {
			k = kmem_cache_of(objs[i]) == caches[0] ? 0 : 1;
			shadow[owner[i]][k] -= (int64_t)obj_full_size(caches[k]);
			kfree_account(objs[i]);
			objs[i] = NULL;
		}
	}
	tap_eq(bad, 0, "every object is tagged with its group's objcg");
	drain_all_stock(NULL);
	for (i = 0; i < NGRP; i++) {
		int64_t slab = shadow[i][0] + shadow[i][1];

		tap_eq(stat_of(g[i], NR_SLAB_RECLAIMABLE_B), shadow[i][0],
		       "g%d: slab_reclaimable equals the shadow", i);
		tap_eq(stat_of(g[i], NR_SLAB_UNRECLAIMABLE_B), shadow[i][1],
		       "g%d: slab_unreclaimable equals the shadow", i);
		tap_eq(page_counter_read(&g[i]->memory),
		       (slab + PAGE - 1) / PAGE,
		       "g%d: memory.current = round_up(slab) after a drain", i);
		tap_eq(page_counter_read(&g[i]->kmem), (slab + PAGE - 1) / PAGE,
		       "g%d: kmem counter too", i);
		tap_eq(stat_of(g[i], MEMCG_KMEM), (slab + PAGE - 1) / PAGE,
		       "g%d: kernel too", i);
	}
	for (i = 0; i < NOBJ; i++)
		if (objs[i]) {
			set_this_cpu((unsigned int)i);
			kfree_account(objs[i]);
		}
	for (i = 0; i < NGRP; i++) {
		snprintf(name, sizeof(name), "g%d", i);
		check_empty(g[i], name);
		tap_eq(cgroup_rmdir(cgroup_find_child(p, name), NULL), 0, "rmdir %s", name);
	}
}

/* Offline: the objcg moves to the parent; slab never pins the zombie. */
static void test_reparent(struct cgroup *p)
{
	struct cgroup *c = mk(p, "child");
	struct mem_cgroup *pm = p->memcg, *cm = c->memcg;
	struct obj_cgroup *objcg = cm->objcg;
	struct kmem_cache *s = kmem_builtin(KMEM_INODE_CACHE);
	int64_t base, full = (int64_t)obj_full_size(s);
	void *objs[100], *more[20];
	int i;

	drain_all_stock(NULL);
	base = stat_of(pm, NR_SLAB_UNRECLAIMABLE_B);
	tap_ok(base > 0, "the child's memcg structure is slab of the parent");
	tap_eq(stat_of(cm, NR_SLAB_UNRECLAIMABLE_B), 0, "a fresh child has no slab");
	tap_ok(stat_of(pm, MEMCG_PERCPU_B) ==
	       (int64_t)(nr_cpu_ids * sizeof(struct memcg_vmstats_percpu)),
	       "and its per-CPU stats are the parent's percpu");
	set_this_cpu(3);
	for (i = 0; i < 100; i++)
		objs[i] = kmem_cache_alloc_account(s, objcg, GFP_KERNEL);
	drain_all_stock(NULL);
	tap_eq(pcpu_refs(objcg), 100,
	       "a drain moves the hits' references to CPU 3's percpu_ref");
	tap_eq(stat_of(cm, NR_SLAB_RECLAIMABLE_B), 100 * full,
	       "child slab (inode_cache is reclaimable)");
	tap_eq(stat_of(pm, NR_SLAB_RECLAIMABLE_B), 100 * full,
	       "parent slab includes the child's");
	/* On CPU 4, free 10 and take 20 more: its stock holds +10
	 * references that no drain has seen when the objcg is killed. */
	set_this_cpu(4);
	for (i = 0; i < 10; i++)
		kfree_account(objs[i]);
	for (i = 0; i < 20; i++)
		more[i] = kmem_cache_alloc_account(s, objcg, GFP_KERNEL);
	for (i = 0; i < 10; i++)
		objs[i] = more[10 + i];
	tap_eq(cgroup_rmdir(c, NULL), 0, "rmdir the child with objects charged");
	tap_eq(p->nr_dying_descendants, 0, "slab does not keep it dying");
	tap_ok(objcg->memcg == pm, "its objcg now charges the parent");
	tap_eq(atomic_load(&objcg->count), 110,
	       "killed: one reference per live object, stocks' included");
	set_this_cpu(5);
	for (i = 0; i < 10; i++)
		kfree_account(more[i]);
	for (i = 0; i < 99; i++)
		kfree_account(objs[i]);
	tap_eq(atomic_load(&objcg->count), 2,
	       "frees elsewhere drop theirs: one object and CPU 5's stock left");
	objs[0] = objs[99];
	for (i = 1; i < 100; i++)
		objs[i] = NULL;
	for (i = 0; i < 100; i++)
		kfree_account(objs[i]);
	drain_all_stock(NULL);
	tap_eq(stat_of(pm, NR_SLAB_RECLAIMABLE_B), 0,
	       "frees after offline uncharge the parent");
	tap_eq(stat_of(pm, NR_SLAB_UNRECLAIMABLE_B), 0,
	       "the released child's own structure too");
	check_empty(pm, "parent after reparent");
}

/* sim_kmem: newest first across the subtree; more than exists frees none. */
static void test_sim_kmem(struct cgroup *p)
{
	struct cgroup *a = mk(p, "sa");
	struct kmem_cache *s = kmem_builtin(KMEM_DENTRY);
	int64_t full = (int64_t)obj_full_size(s);
	const char *why = NULL;

	tap_eq(cgroup_subtree_control(a, 1, 0, 0), 0, "+memory at sa");
	struct cgroup *b = mk(a, "sb");

	tap_eq(sim_kmem_alloc(a->memcg, SIM_KMEM_SLAB, s, 10, GFP_KERNEL, NULL), 0,
	       "10 dentries in sa");
	tap_eq(sim_kmem_alloc(b->memcg, SIM_KMEM_SLAB, s, 5, GFP_KERNEL, NULL), 0,
	       "then 5 in sb");
	tap_eq(sim_kmem_alloc(b->memcg, SIM_KMEM_PERCPU, NULL, 1000, GFP_KERNEL,
			      NULL), 0, "1000 percpu bytes in sb");
	tap_eq(sim_kmem_free(a->memcg, SIM_KMEM_SLAB, s, 16, &why), -EINVAL,
	       "freeing 16 of 15 is EINVAL");
	tap_ok(why && strstr(why, "fewer exist"), "saying why: %s", why);
	tap_eq(sim_kmem_count(a->memcg, SIM_KMEM_SLAB, s) +
	       sim_kmem_count(b->memcg, SIM_KMEM_SLAB, s), 15, "and frees none");
	tap_eq(cgroup_rmdir(b, NULL), 0, "rmdir sb");
	tap_eq(sim_kmem_free(a->memcg, SIM_KMEM_SLAB, s, 7, NULL), 0, "free 7 from sa");
	tap_eq(sim_kmem_count(a->memcg, SIM_KMEM_SLAB, s), 8,
	       "the dying child's 5 went first, then 2 of sa's (newest first)");
	drain_all_stock(NULL);
	tap_eq(stat_of(a->memcg, NR_SLAB_RECLAIMABLE_B), 8 * full, "slab of 8");
	tap_eq(sim_kmem_free(a->memcg, SIM_KMEM_PERCPU, NULL, 1000, NULL), 0,
	       "sa frees its dead child's percpu");
	tap_eq(sim_kmem_free(a->memcg, SIM_KMEM_SLAB, s, 8, NULL), 0, "free the rest");
	tap_eq(sim_kmem_alloc(a->memcg, SIM_KMEM_SOCK, NULL, 3, GFP_KERNEL, NULL), 0,
	       "3 pages of socket memory");
	tap_eq(stat_of(a->memcg, MEMCG_SOCK), 3, "sock stat");
	tap_eq(sim_kmem_free(a->memcg, SIM_KMEM_SOCK, NULL, 3, NULL), 0, "free sock");
	tap_eq(cgroup_subtree_control(a, -1, 0, 0), 0, "-memory at sa");
	check_empty(a->memcg, "sa");
	tap_eq(cgroup_rmdir(a, NULL), 0, "rmdir sa");
}

/* A kmem charge at a full memory.max: each gfp mode as the kernel. */
static void test_gfp_at_limit(struct cgroup *p)
{
	struct cgroup *c = mk(p, "lim");
	struct mem_cgroup *m = c->memcg;
	/* 2048 + 8 bytes: one page each, the rest of it in the stock. */
	struct kmem_cache *s = kmalloc_cache(2048);
	void *o[3];

	memory_max_write(m, 1, false);
	o[0] = kmem_cache_alloc_account(s, m->objcg, GFP_KERNEL);
	tap_ok(o[0] != NULL, "one page fits");
	tap_ok(!kmem_cache_alloc_account(s, m->objcg, GFP_NOWAIT),
	       "nowait fails at the limit");
	tap_eq(atomic_load(&m->events[MEMCG_MAX]), 0, "without a max event");
	tap_ok(!kmem_cache_alloc_account(s, m->objcg, GFP_KERNEL),
	       "kernel fails after reclaim and OOM");
	tap_eq(atomic_load(&m->events[MEMCG_MAX]), 18, "18 max events");
	tap_eq(atomic_load(&m->events[MEMCG_OOM]), 1, "1 oom event");
	o[1] = kmem_cache_alloc_account(s, m->objcg, GFP_ATOMIC);
	o[2] = kmem_cache_alloc_account(s, m->objcg, GFP_NOFAIL);
	tap_ok(o[1] && o[2], "atomic and nofail force the charge");
	tap_ok(page_counter_read(&m->memory) > 1, "past memory.max");
	for (int i = 0; i < 3; i++)
		kfree_account(o[i]);
	check_empty(m, "lim");
	tap_eq(cgroup_rmdir(c, NULL), 0, "rmdir lim");
}

struct hammer {
	unsigned int cpu;
	struct mem_cgroup *g[2];
	long failures;
};

/* Alloc/free pairs alternating between two groups on one's own CPU. */
static void *hammer(void *arg)
{
	struct hammer *h = arg;
	struct kmem_cache *s = kmalloc_cache(64);
	void *batch[64];

	set_this_cpu(h->cpu);
	for (int round = 0; round < 2000; round++) {
		struct mem_cgroup *m = h->g[round & 1];

		for (int i = 0; i < 64; i++) {
			batch[i] = kmem_cache_alloc_account(s, m->objcg,
							    GFP_KERNEL);
			h->failures += !batch[i];
		}
		for (int i = 0; i < 64; i++)
			if (batch[i])
				kfree_account(batch[i]);
	}
	kmem_cache_drain_local();
	return NULL;
}

/* memory.stat's slab, as a reader sees it (parked objects left out). */
static int64_t shown_slab(struct mem_cgroup *m)
{
	int64_t state[NR_MEMCG_STAT];

	memcg_vmstats_read_shown(m, state);
	return state[NR_SLAB_RECLAIMABLE_B] + state[NR_SLAB_UNRECLAIMABLE_B];
}

/*
 * The stock's parks (obj_park.h): a freed object stays charged and
 * tagged on its CPU for the next allocation of its objcg, within one
 * charge batch per cache, and goes back on an objcg switch, a drain,
 * a reclaim or the objcg's kill.
 */
static void test_park(struct cgroup *p)
{
	struct cgroup *a = mk(p, "pa"), *b = mk(p, "pb");
	struct mem_cgroup *am = a->memcg;
	struct obj_cgroup *objcg = am->objcg;
	struct kmem_cache *s = kmem_builtin(KMEM_DENTRY);
	int64_t full = (int64_t)obj_full_size(s);
	unsigned long cap = OBJ_PARK_BYTES / (size_t)full, i;
	void *o, *o2, *other, **v = calloc(cap + 10, sizeof(void *));

	set_this_cpu(6);
	drain_all_stock(NULL);
	o = kmem_cache_alloc_account(s, objcg, GFP_KERNEL);
	kmem_cache_free_account(s, o);
	tap_eq(obj_park_objects(am, s), 1, "a free parks the object on its CPU");
	tap_ok(slab_objcg(o) == objcg, "still tagged");
	tap_ok(page_counter_read(&am->memory) > 0, "still charged");
	o2 = kmem_cache_alloc_account(s, objcg, GFP_KERNEL);
	tap_ok(o2 == o, "the next allocation of the objcg takes it back");
	tap_eq(obj_park_objects(am, s), 0, "the park is empty again");
	kmem_cache_free_account(s, o2);
	/* Another objcg on this CPU: the switch gives the parked back. */
	other = kmem_cache_alloc_account(s, b->memcg->objcg, GFP_KERNEL);
	tap_eq(obj_park_objects(am, s), 0, "an objcg switch empties the park");
	tap_eq(stat_of(am, NR_SLAB_RECLAIMABLE_B), 0, "and uncharges it");
	kmem_cache_free_account(s, other);
	/* At most one charge batch of a cache; the rest takes the stock. */
	for (i = 0; i < cap + 10; i++)
		v[i] = kmem_cache_alloc_account(s, objcg, GFP_KERNEL);
	for (i = 0; i < cap + 10; i++)
		kmem_cache_free_account(s, v[i]);
	tap_eq(obj_park_objects(am, s), cap, "a park holds %lu dentries", cap);
	/* The stock caches up to a page of slab stat (memcg_stock.h). */
	tap_ok(llabs(stat_of(am, NR_SLAB_RECLAIMABLE_B) - (int64_t)cap * full)
	       < PAGE, "all of them counted, the 10 others not");
	tap_ok(shown_slab(am) < PAGE, "memory.stat leaves them out");
	tap_ok(page_counter_read(&am->memory) >= (int64_t)cap * full / PAGE,
	       "the counters keep them charged");
	/* kmem=clone-*: parks give everything back and take nothing. */
	obj_park_set_enabled(false);
	tap_eq(obj_park_objects(am, s), 0, "parking off: the park is empty");
	o = kmem_cache_alloc_account(s, objcg, GFP_KERNEL);
	kmem_cache_free_account(s, o);
	tap_eq(obj_park_objects(am, s), 0, "parking off: a free parks nothing");
	obj_park_set_enabled(true);
	o = kmem_cache_alloc_account(s, objcg, GFP_KERNEL);
	kmem_cache_free_account(s, o);
	tap_eq(obj_park_objects(am, s), 1, "parking on again");
	/* The kill at rmdir gives them back: nothing keeps the group. */
	tap_eq(cgroup_rmdir(a, NULL), 0, "rmdir with a full park");
	tap_eq(p->nr_dying_descendants, 0, "parked objects pin nothing");
	check_empty(b->memcg, "pb after the parks");
	tap_eq(cgroup_rmdir(b, NULL), 0, "rmdir pb");
	free(v);
}

static void test_two_threads(struct cgroup *p)
{
	struct cgroup *x = mk(p, "hx"), *y = mk(p, "hy");
	struct hammer h[2] = {
		{ 0, { x->memcg, y->memcg }, 0 },
		{ 1, { y->memcg, x->memcg }, 0 },
	};
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, hammer, &h[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	tap_eq(h[0].failures + h[1].failures, 0, "no allocation failed");
	check_empty(x->memcg, "hx after two threads");
	check_empty(y->memcg, "hy after two threads");
	tap_eq(cgroup_rmdir(x, NULL), 0, "rmdir hx");
	tap_eq(cgroup_rmdir(y, NULL), 0, "rmdir hy");
}

int main(void)
{
	struct cgroup *p = fixture_up(NCPU);

	if (!p)
		return tap_done();
	test_random_against_shadow(p);
	test_reparent(p);
	test_sim_kmem(p);
	test_gfp_at_limit(p);
	test_park(p);
	test_two_threads(p);
	return fixture_down(p);
}
