/*
 * test_kmem_cache.c - the pre-5.9 per-memcg cache clones alone (core/ +
 * allocator/, no FUSE), under each kmem=clone-* policy: whole slab pages
 * charged exactly while objects come and go at random, and what becomes
 * of the dead memcg once its group is removed and its objects freed.
 */
#include <stdlib.h>
#include <string.h>

#include "../../allocator/kmalloc.h"
#include "../../allocator/slab.h"
#include "cgroup.h"
#include "fixture.h"
#include "memcg_kmem.h"
#include "memcg_kmem_cache.h"
#include "memcg_stock.h"
#include "memcg_zombie.h"
#include "memcontrol.h"
#include "obj_cgroup.h"
#include "policy.h"
#include "tap.h"

#define NOBJ	2000
#define PAGE	4096

static void *objs[NOBJ];

static void count_zombie(struct mem_cgroup *memcg, void *arg)
{
	(void)memcg;
	++*(int *)arg;
}

static int zombies_under(struct mem_cgroup *m)
{
	int n = 0;

	mem_cgroup_for_each_zombie(m, count_zombie, &n);
	return n;
}

static void add_pages(const struct memcg_cache_info *ci, void *arg)
{
	*(int64_t *)arg += (int64_t)kmem_cache_nr_pages(ci->cachep);
}

/* @c's charge is exactly the pages its clones hold, in every counter
 * (memory also holds what the CPU stocks keep for it). */
static int charged_exactly(struct mem_cgroup *c)
{
	int64_t pages = 0, stock, bytes;

	memcg_kmem_for_each_cache(c, add_pages, &pages);
	memcg_stock_held(c, &stock, &bytes);
	return page_counter_read(&c->kmem) == pages &&
	       page_counter_read(&c->memory) == pages + stock &&
	       memcg_page_state(c, MEMCG_KMEM) == pages &&
	       memcg_page_state(c, NR_SLAB_RECLAIMABLE_B) == pages * PAGE;
}

static void run_policy(struct cgroup *p, const char *policy, int zombies_left)
{
	struct kmem_cache *s = kmem_builtin(KMEM_DENTRY);
	struct cgroup *c = NULL;
	struct mem_cgroup *cm;
	int i, n = 0, exact = 1;

	tap_eq(policy_set("kmem", policy, NULL), 0, "%s: set", policy);
	if (!tap_ok(cgroup_mkdir(p, "c", 0, 0, 0755, &c) == 0, "%s: mkdir",
		    policy))
		return;
	cm = c->memcg;
	srand(7);
	for (int step = 0; step < 20000; step++) {
		i = rand() % NOBJ;
		if (objs[i]) {
			kfree_account(objs[i]);
			objs[i] = NULL;
			n--;
		} else if ((objs[i] = kmem_cache_alloc_account(s, cm->objcg,
							       GFP_KERNEL))) {
			n++;
		}
		if (step % 97 == 0)
			exact &= charged_exactly(cm);
	}
	tap_ok(exact && charged_exactly(cm), "%s: slab pages charged exactly "
	       "through 20000 random steps (%d objects left)", policy, n);
	tap_eq(memcg_kmem_cache_pins(cm), 1, "%s: one clone, one pin", policy);
	tap_eq(cgroup_rmdir(c, NULL), 0, "%s: rmdir", policy);
	tap_eq(zombies_under(p->memcg), !strcmp(policy, "clone-reparent") ? 0 : 1,
	       "%s: dying after rmdir unless reparented", policy);
	for (i = 0; i < NOBJ; i++) {
		kfree_account(objs[i]);
		objs[i] = NULL;
	}
	memcg_kmem_reap_dead_caches();		/* clone-reap only */
	tap_eq(zombies_under(p->memcg), zombies_left,
	       "%s: zombies once every object is freed", policy);
}

int main(void)
{
	struct cgroup *p = fixture_up(2);

	if (!p)
		return tap_done();
	run_policy(p, "clone-nocache", 0);
	run_policy(p, "clone-reap", 0);
	run_policy(p, "clone-reparent", 0);
	run_policy(p, "clone-refcount", 0);
	run_policy(p, "clone-leak", 1);		/* the 2014 leak */
	/* A switch applies to dead caches at once: the leaked one goes. */
	tap_eq(policy_set("kmem", "clone-nocache", NULL), 0, "switch to nocache");
	tap_eq(zombies_under(p->memcg), 0, "the leaked zombie is released");
	tap_eq(policy_set("kmem", "objcg", NULL), 0, "back to objcg");
	return fixture_down(p);
}
