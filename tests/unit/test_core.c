/*
 * test_core.c - the memcg model alone, no FUSE: page counters, the ID
 * space, hierarchy rules, charging, events, offline and release.
 */
#include <errno.h>
#include <string.h>

#include "../../allocator/kmalloc.h"
#include "cgroup.h"
#include "cgroup_controllers.h"
#include "memcg_id.h"
#include "memcg_stock.h"
#include "memcontrol.h"
#include "obj_cgroup.h"
#include "page_counter.h"
#include "tap.h"

static void test_page_counter(void)
{
	struct page_counter root, child, *fail = NULL;

	page_counter_init(&root, NULL);
	page_counter_init(&child, &root);
	atomic_store(&root.max, 100);
	tap_ok(page_counter_try_charge(&child, 60, &fail), "charge within limit");
	tap_eq(page_counter_read(&root), 60, "parent usage includes child");
	tap_ok(!page_counter_try_charge(&child, 50, &fail), "charge over parent limit fails");
	tap_ok(fail == &root, "fail names the counter over its limit");
	tap_eq(page_counter_read(&child), 60, "failed charge is backed out of child");
	tap_eq(page_counter_read(&root), 60, "failed charge is backed out of parent");
	tap_eq(atomic_load(&root.failcnt), 1, "failcnt counts the failure");
	tap_eq(page_counter_set_max(&child, 10), -EBUSY, "set_max below usage is EBUSY");
	tap_eq(page_counter_set_max(&child, 60), 0, "set_max at usage succeeds");
	page_counter_charge(&child, 50);
	tap_eq(page_counter_read(&root), 110, "forced charge exceeds limits");
	tap_eq(atomic_load(&root.watermark), 110, "watermark follows usage");
	tap_eq(page_counter_margin(&child), 0, "margin is zero when over");
	page_counter_uncharge(&child, 110);
	tap_eq(page_counter_read(&root), 0, "uncharge empties the hierarchy");
	tap_eq(atomic_load(&root.watermark), 110, "watermark stays");
}

static void test_ids(void)
{
	struct memcg_idr idr;

	memcg_idr_init(&idr, 3);
	tap_eq(memcg_id_alloc(&idr), 1, "IDs start at 1");
	tap_eq(memcg_id_alloc(&idr), 2, "lowest free ID");
	tap_eq(memcg_id_alloc(&idr), 3, "third ID");
	tap_eq(memcg_id_alloc(&idr), -ENOSPC, "exhaustion is ENOSPC");
	memcg_id_free(&idr, 2);
	tap_eq(memcg_id_alloc(&idr), 2, "a freed ID is reused");
	memcg_id_free(&idr, 9);
	tap_eq(idr.nr_used, 3, "freeing an invalid ID changes nothing");
	memcg_idr_destroy(&idr);
}

static struct cgroup *mk(struct cgroup *parent, const char *name)
{
	struct cgroup *cg = NULL;
	int ret = cgroup_mkdir(parent, name, 0, 0, 0755, &cg);

	tap_eq(ret, 0, "mkdir %s", name);
	return cg;
}

static void test_hierarchy(void)
{
	struct cgroup *root = cgroup_root(), *a, *b, *cg = NULL;

	tap_eq(cgroup_subtree_control(root, 1, 0, 0), 0, "+memory at root");
	a = mk(root, "a");
	tap_ok(a->memcg != NULL, "a child of +memory gets a memcg");
	tap_eq(cgroup_mkdir(root, "a", 0, 0, 0755, &cg), -EEXIST, "EEXIST");
	tap_eq(cgroup_mkdir(root, "x\ny", 0, 0, 0755, &cg), -EINVAL, "newline is EINVAL");
	b = mk(a, "b");
	tap_ok(b->memcg == NULL, "no memcg until the parent enables memory");
	tap_eq(cgroup_subtree_control(b, 1, 0, 0), -ENOENT,
	       "+memory not in cgroup.controllers is ENOENT");
	tap_eq(cgroup_subtree_control(a, 1, 0, 0), 0, "+memory at a");
	tap_ok(b->memcg && b->memcg->parent == a->memcg, "b's memcg hangs below a's");
	tap_eq(cgroup_subtree_control(root, -1, 0, 0), -EBUSY,
	       "-memory while a child has it is EBUSY");
	tap_eq(root->nr_descendants, 2, "nr_descendants counts all levels");
	tap_eq(cgroup_nr_subsys_memory(root), 3, "nr_subsys_memory");
	a->max_descendants = 1;
	tap_eq(cgroup_mkdir(a, "c", 0, 0, 0755, &cg), -EAGAIN,
	       "max.descendants on the parent is EAGAIN");
	a->max_descendants = CGROUP_MAX_UNLIMITED;
	root->max_depth = 2;
	tap_eq(cgroup_mkdir(b, "c", 0, 0, 0755, &cg), -EAGAIN,
	       "max.depth on a higher ancestor is EAGAIN");
	root->max_depth = CGROUP_MAX_UNLIMITED;
	tap_eq(cgroup_rmdir(a, NULL), -EBUSY, "rmdir with a live child is EBUSY");
	cgroup_update_populated(b, 1);
	tap_ok(cgroup_populated(a), "populated is recursive");
	tap_eq(cgroup_rmdir(b, NULL), -EBUSY, "rmdir of a populated group is EBUSY");
	cgroup_update_populated(b, -1);
	tap_ok(!cgroup_populated(a), "unpopulated again");
	tap_eq(cgroup_subtree_control(a, -1, 0, 0), 0, "-memory at a");
	tap_eq(cgroup_rmdir(b, NULL), 0, "rmdir b");
	tap_eq(cgroup_rmdir(a, NULL), 0, "rmdir a");
	tap_eq(root->nr_descendants, 0, "all gone");
	tap_eq(root->nr_dying_descendants, 0, "nothing charged: nothing dying");
	tap_eq(mem_cgroup_ids_in_use(), 1, "only the root holds an ID");
}

static void test_charge_and_zombie(void)
{
	struct cgroup *root = cgroup_root(), *a, *b;
	struct mem_cgroup *am, *bm;
	int64_t base;

	a = mk(root, "ca");
	tap_eq(cgroup_subtree_control(a, 1, 0, 0), 0, "+memory at ca");
	b = mk(a, "cb");
	am = a->memcg;
	bm = b->memcg;
	/* mem_cgroup_css_alloc() charged cb's own structures to ca. */
	drain_all_stock(NULL);
	base = page_counter_read(&am->memory);
	tap_ok(base > 0, "a child's memcg is charged to its parent");
	tap_eq(page_counter_read(&bm->memory), 0, "and not to itself");
	memory_max_write(am, base + 100, false);
	tap_eq(mem_cgroup_charge(bm, 60, GFP_KERNEL), 0, "charge 60 pages");
	mod_memcg_state(bm, NR_ANON, 60);
	tap_eq(memcg_page_state(am, NR_ANON), 60, "stats are hierarchical");
	tap_eq(memcg_page_state_local(am, NR_ANON), 0, "local stats are local");
	tap_eq(mem_cgroup_charge(bm, 50, GFP_NOWAIT), -ENOMEM, "nowait fails");
	tap_eq(atomic_load(&am->events[MEMCG_MAX]), 0, "nowait raises no max event");
	tap_eq(mem_cgroup_charge(bm, 50, GFP_KERNEL), -ENOMEM, "kernel fails at the limit");
	tap_eq(atomic_load(&am->events[MEMCG_MAX]), 18,
	       "max counted on the limited group, once per kernel pass");
	tap_eq(atomic_load(&am->events[MEMCG_OOM]), 1, "oom counted");
	tap_eq(atomic_load(&bm->events[MEMCG_MAX]), 0, "not on the child");
	tap_eq(atomic_load(&am->events_local[MEMCG_MAX]), 18, "local event");
	tap_eq(mem_cgroup_charge(bm, 50, GFP_ATOMIC), 0, "atomic forces");
	tap_eq(atomic_load(&am->events[MEMCG_MAX]), 19, "a forced charge raises max once");
	mem_cgroup_uncharge(bm, 50);
	tap_eq(mem_cgroup_charge(bm, 50, GFP_NOFAIL), 0, "nofail forces");
	tap_eq(page_counter_read(&am->memory), base + 110, "usage past max");
	mem_cgroup_uncharge(bm, 50);

	/* rmdir with charges: a dying memcg, counted until released. */
	tap_eq(cgroup_rmdir(b, NULL), 0, "rmdir a charged group");
	tap_eq(a->nr_dying_descendants, 1, "nr_dying_descendants");
	tap_eq(a->nr_dying_subsys_memory, 1, "nr_dying_subsys_memory");
	tap_eq(root->nr_dying_descendants, 1, "on every ancestor");
	tap_eq(page_counter_read(&am->memory), base + 60,
	       "parent still includes zombie charges");
	tap_eq(mem_cgroup_ids_in_use(), 2, "the zombie's ID was recycled at offline");
	/* The zombie pins its struct cgroup, and only that: the other
	 * controllers' csses and the pressure went at rmdir, the owners of
	 * the files (fstat of an open fd) stay. */
	tap_ok(bm->cgroup == b && b->removed, "the zombie pins its removed cgroup");
	tap_ok(b->ctl == NULL, "its controllers' csses were freed at rmdir");
	tap_ok(b->psi == NULL, "its psi group was freed at rmdir");
	tap_ok(b->ss_owners != NULL, "the owners of its files stay");
	mod_memcg_state(bm, NR_ANON, -60);
	mem_cgroup_uncharge(bm, 60);
	tap_eq(a->nr_dying_descendants, 0, "released with its last charge");
	tap_eq(root->nr_dying_subsys_memory, 0, "dying memcg count drops");
	drain_all_stock(NULL);
	tap_eq(page_counter_read(&am->memory), 0,
	       "no charge left, the zombie's own structures included");
	tap_eq(memcg_page_state(am, MEMCG_PERCPU_B), 0, "percpu back to 0");
	tap_eq(memcg_page_state(am, NR_SLAB_UNRECLAIMABLE_B), 0, "slab back to 0");
	tap_eq(memcg_page_state(am, MEMCG_KMEM), 0, "kernel back to 0");
	tap_eq(memcg_page_state(root_mem_cgroup(), NR_ANON), 0, "root stats back to 0");
	tap_eq(cgroup_rmdir(a, NULL), 0, "rmdir ca");
}

static void test_peak(void)
{
	struct cgroup *a = mk(cgroup_root(), "pk");
	struct mem_cgroup *m = a->memcg;
	struct memcg_peak fd1 = { .value = -1 }, fd2 = { .value = -1 };

	INIT_LIST_HEAD(&fd1.list);
	INIT_LIST_HEAD(&fd2.list);
	/* Charges of a batch or more leave nothing in the CPU stock. */
	mem_cgroup_charge(m, 100, GFP_KERNEL);
	mem_cgroup_uncharge(m, 80);
	tap_eq(memcg_peak_read(&m->memory, &fd1), 100, "unset fd sees the global peak");
	memcg_peak_write(&m->memory, &m->memory_peaks, &fd1);
	tap_eq(memcg_peak_read(&m->memory, &fd1), 20, "reset fd sees current usage");
	tap_eq(memcg_peak_read(&m->memory, &fd2), 100, "other fds still see the global peak");
	mem_cgroup_charge(m, 70, GFP_KERNEL);
	tap_eq(memcg_peak_read(&m->memory, &fd1), 90, "reset fd follows new highs");
	memcg_peak_release(&fd1);
	mem_cgroup_uncharge(m, 90);
	tap_eq(cgroup_rmdir(a, NULL), 0, "rmdir pk");
}

int main(void)
{
	struct memcg_config cfg = { .ids = 8, .cpus = 2,
				    .memory_bytes = 1ULL << 30 };

	test_page_counter();
	test_ids();
	if (!tap_ok(kmem_caches_init() == 0, "kmem_caches_init") ||
	    !tap_ok(cgroup_init(&cfg, 0, 0) == 0, "cgroup_init"))
		return tap_done();
	test_hierarchy();
	test_charge_and_zombie();
	test_peak();
	cgroup_exit();
	tap_eq(kmem_caches_exit(), 0, "every cache destroyed empty");
	return tap_done();
}
