/*
 * test_check.c - sim.check (core/memcg_check.c) finds a charge or a stat
 * that its objects do not explain, and pages=reparent moves a dying
 * group's pages without touching a page descriptor.
 */
#include <stdio.h>
#include <string.h>

#include "../../allocator/kmalloc.h"
#include "anon.h"
#include "cgroup.h"
#include "filemap.h"
#include "memcg_check.h"
#include "memcg_kmem.h"
#include "memcg_pages.h"
#include "memcontrol.h"
#include "obj_cgroup.h"
#include "sim_kmem.h"
#include "super.h"
#include "tap.h"

static struct strbuf out;

/* Run the check: 1 if it says ok 1. */
static int check_ok(void)
{
	sb_reset(&out);
	if (memcg_check(&out))
		return -1;
	return out.len >= 5 && !strcmp(out.buf + out.len - 5, "ok 1\n");
}

static struct cgroup *mkdir_memcg(struct cgroup *parent, const char *name)
{
	struct cgroup *cg = NULL;

	cgroup_mkdir(parent, name, 0, 0, 0755, &cg);
	return cg;
}

/* The first page descriptor of the cache (there is one file). */
static void first_page(struct page *page, void *arg)
{
	struct page **p = arg;

	if (!*p)
		*p = page;
}

static void test_detects(struct mem_cgroup *a)
{
	tap_eq(check_ok(), 1, "a file, slab and a socket: the check is clean");
	page_counter_charge(&a->memory, 3);
	tap_eq(check_ok(), 0, "3 pages on a's counter that nothing holds: ok 0");
	{
		const char *m = strstr(out.buf, "mismatch /a kmem_pages counted ");
		long long counted = 0, recorded = 0;

		tap_ok(m && sscanf(m, "mismatch /a kmem_pages counted %lld "
				   "recorded %lld", &counted, &recorded) == 2 &&
		       counted - recorded == 3,
		       "the mismatch names /a, 3 pages off: %s", out.buf);
	}
	page_counter_uncharge(&a->memory, 3);
	mod_memcg_state(a, NR_FILE_MAPPED, 2);
	tap_eq(check_ok(), 0, "a local stat off by 2: ok 0");
	tap_ok(strstr(out.buf, "mismatch /a file_mapped counted 0 recorded 2\n") !=
	       NULL, "named: %s", out.buf);
	mod_memcg_state(a, NR_FILE_MAPPED, -2);
	tap_eq(check_ok(), 1, "undone: clean again");
	page_counter_charge(&a->swap, 2);
	tap_eq(check_ok(), 0, "2 swap pages no entry records: ok 0");
	tap_ok(strstr(out.buf, "mismatch /a swap_usage counted 0 recorded 2\n") !=
	       NULL, "named: %s", out.buf);
	page_counter_uncharge(&a->swap, 2);
	tap_eq(check_ok(), 1, "undone: clean again");
}

static int64_t local_stat(struct mem_cgroup *memcg, enum memcg_stat_item item)
{
	int64_t state[NR_MEMCG_STAT], local[NR_MEMCG_STAT];

	memcg_vmstats_read(memcg, state, local);
	return local[item];
}

/* The swap cache (anon.c): a page read back keeps its entry, dropping it
 * again writes nothing, freeing it frees the entry.  (No process owns
 * this anon_vma, so sim.check, which finds anon through processes, is
 * not asked.) */
static void test_swap_cache(struct mem_cgroup *a)
{
	struct anon_vma *av = anon_vma_alloc();
	int64_t pswpout;

	tap_eq(anon_fault(av, a, 4, GFP_KERNEL, NULL), 0, "4 anon pages");
	while (av->nr_resident && anon_swap_out(av->pages[0]))
		;
	tap_eq(page_counter_read(&a->swap), 4, "all 4 in swap");
	pswpout = local_stat(a, PSWPOUT);
	tap_eq(pswpout, 4, "4 written");
	tap_eq(anon_touch(av, a, 4, GFP_KERNEL, NULL), 0, "read back");
	tap_eq(local_stat(a, NR_SWAPCACHE), 4, "in the swap cache");
	tap_eq(page_counter_read(&a->swap), 4, "their entries kept");
	tap_ok(av->pages[0]->flags & PG_swapcache, "flagged PG_swapcache");
	tap_ok(anon_swap_out(av->pages[0]), "a swap-cache page reclaimed");
	tap_eq(local_stat(a, PSWPOUT), pswpout, "without a write");
	tap_eq(local_stat(a, NR_SWAPCACHE), 3, "3 left in the swap cache");
	tap_eq(page_counter_read(&a->swap), 4, "no new entry");
	anon_zap(av, 4);
	tap_eq(page_counter_read(&a->swap), 0, "freed pages free their entries");
	tap_eq(local_stat(a, NR_SWAPCACHE), 0, "swapcached back to 0");
	anon_vma_free(av);
	tap_eq(check_ok(), 1, "clean: %s", out.buf);
}

static void test_reparent_o1(struct cgroup *a)
{
	struct mem_cgroup *memcg = a->memcg, *root = root_mem_cgroup();
	struct obj_cgroup *objcg = memcg->objcg;
	struct page *page = NULL;

	filemap_for_each_page(first_page, &page);
	tap_ok(page && page->objcg == objcg, "the page records a's objcg");
	memcg_pages_policy = PAGES_REPARENT;
	tap_eq(cgroup_rmdir(a, NULL), 0, "rmdir a");
	/* The page still records the same objcg: only the objcg moved. */
	tap_ok(page->objcg == objcg, "the page descriptor was not touched");
	tap_ok(page_memcg(page) == root, "yet it is the root's now");
	tap_eq(cgroup_root()->nr_dying_descendants, 0, "a released at once");
	tap_eq(root->lruvec.nr_pages[LRU_INACTIVE_ANON], 16,
	       "the 16 tmpfs pages are on the root's lists");
	tap_eq(check_ok(), 1, "and the check is clean: %s", out.buf);
}

int main(void)
{
	struct memcg_config cfg = { .ids = 16, .cpus = 2,
				    .memory_bytes = 1ULL << 30,
				    .swap_bytes = 1ULL << 30 };
	struct cgroup *a;
	void *obj;

	if (!tap_ok(kmem_caches_init() == 0, "kmem_caches_init") ||
	    !tap_ok(cgroup_init(&cfg, 0, 0) == 0, "cgroup_init"))
		return tap_done();
	pthread_rwlock_wrlock(&cgroup_mutex);
	cgroup_subtree_control(cgroup_root(), 1, 0, 0);
	a = mkdir_memcg(cgroup_root(), "a");
	tap_ok(a && a->memcg, "mkdir a");
	tap_eq(sim_fs_mount("shm", "tmpfs", NULL), 0, "mount tmpfs");
	tap_eq(filemap_write(a->memcg, "shm/f", 65536, GFP_KERNEL, NULL), 0,
	       "a writes 64K of tmpfs");
	obj = kmem_cache_alloc_account(kmalloc_cache(100), a->memcg->objcg,
				       GFP_KERNEL);
	tap_ok(obj != NULL, "a slab object charged to a");
	tap_eq(sim_kmem_alloc(a->memcg, SIM_KMEM_SOCK, NULL, 2, GFP_KERNEL, NULL), 0,
	       "a socket of 2 pages");
	test_detects(a->memcg);
	test_swap_cache(a->memcg);
	tap_eq(sim_kmem_free(a->memcg, SIM_KMEM_SOCK, NULL, 2, NULL), 0, "socket freed");
	test_reparent_o1(a);
	kfree_account(obj);
	tap_eq(check_ok(), 1, "the object freed by the root: clean");
	pthread_rwlock_unlock(&cgroup_mutex);
	sb_release(&out);
	cgroup_exit();
	tap_eq(kmem_caches_exit(), 0, "every cache destroyed empty");
	return tap_done();
}
