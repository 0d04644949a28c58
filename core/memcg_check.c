/*
 * memcg_check.c - root sim.check: recount every charge; see memcg_check.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../allocator/slab.h"
#include "anon.h"
#include "cgroup.h"
#include "filemap.h"
#include "memcg_check.h"
#include "memcg_kmem.h"
#include "memcg_kmem_cache.h"
#include "memcg_pages.h"
#include "memcg_stock.h"
#include "memcg_zombie.h"
#include "obj_cgroup.h"
#include "sim_kmem.h"
#include "smp.h"
#include "super.h"
#include "task.h"


/* What the objects say one memcg holds. */
struct counted {
	struct mem_cgroup *memcg;
	int64_t pages, shmem, mapped, lru[NR_LRU_LISTS];
	int64_t anon, sock;
	int64_t anon_lru[NR_LRU_LISTS];	/* anon pages found on its lists */
	int64_t swapcache_lru;		/* of them, flagged PG_swapcache */
	int64_t swapcached;		/* swap-cache pages charged to it */
	int64_t swap_entries;		/* entries recording it */
	int64_t clone_bytes;		/* kmem=clone-*: its caches' pages */
	/* Live memcgs only: bytes of kmem whose objcg charges it now. */
	int64_t kmem_bytes;
	/* The live memcg its objcgs charge (itself if live). */
	struct counted *family;
	/* Sum over the family of the local kmem the counters hold. */
	int64_t family_kmem_pages;
};

struct check {
	struct counted *c;		/* pre-order */
	struct counted **by_ptr;	/* sorted by memcg address */
	size_t n;
	struct strbuf *sb;
	int64_t nr_pages;		/* descriptors walked */
	int bad;
};

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(struct counted *const *)a)->memcg;
	uintptr_t y = (uintptr_t)(*(struct counted *const *)b)->memcg;

	return x < y ? -1 : x > y;
}

/* The entry of @memcg; every memcg an object names is in the tree. */
static struct counted *find(struct check *ck, const struct mem_cgroup *memcg)
{
	size_t lo = 0, hi = ck->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if ((uintptr_t)ck->by_ptr[mid]->memcg < (uintptr_t)memcg)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ck->n && ck->by_ptr[lo]->memcg == memcg ? ck->by_ptr[lo]
							     : NULL;
}

/* "/a/b", or "/a/b (dying)" (a dying memcg's cgroup keeps its former
 * path); NULL without memory. */
static char *group_name(struct mem_cgroup *memcg)
{
	char *raw = NULL, *path, *s = NULL;

	if (cgroup_path(memcg->cgroup, &raw))
		return NULL;
	/* A user's name: one field, no terminal control (str_escape). */
	path = str_escape(raw);
	free(raw);
	if (!path || memcg->online)
		return path;
	if (asprintf(&s, "%s (dying)", path) < 0)
		s = NULL;
	free(path);
	return s;
}

static void mismatch(struct check *ck, struct mem_cgroup *memcg,
		     const char *what, int64_t counted, int64_t recorded)
{
	char *name;

	if (counted == recorded)
		return;
	name = group_name(memcg);
	sb_printf(ck->sb, "mismatch %s %s counted %lld recorded %lld\n",
		  name ? name : "?", what, (long long)counted,
		  (long long)recorded);
	free(name);
	ck->bad = 1;
}

/* An object named a memcg that is not in the tree: a dangling charge. */
static struct counted *must_find(struct check *ck,
				 const struct mem_cgroup *memcg,
				 const char *what)
{
	struct counted *c = find(ck, memcg);

	if (!c) {
		sb_printf(ck->sb, "mismatch %s names a memcg not in the tree\n",
			  what);
		ck->bad = 1;
	}
	return c;
}

/* --- the walks ------------------------------------------------------ */

static void count_page(struct page *page, void *arg)
{
	struct check *ck = arg;
	struct counted *c = must_find(ck, page_memcg(page), "a page");

	ck->nr_pages++;
	if (!c)
		return;
	c->pages++;
	c->shmem += !!(page->flags & PG_swapbacked);
	c->mapped += page->mapping->map_count > 0;
	c->lru[page->lru_list]++;
}

/* An entry is charged to the swap of the memcg it records; a swap-cache
 * page is resident as well, counted by the memcg it is charged to. */
static void count_swap_entry(struct mem_cgroup *owner, struct page *page,
			     void *arg)
{
	struct check *ck = arg;
	struct counted *c = must_find(ck, owner, "a swap entry");

	if (c)
		c->swap_entries++;
	if (page && (c = must_find(ck, page_memcg(page), "a swap-cache page")))
		c->swapcached++;
}

static void add_anon(pid_t pid, int64_t pages, void *arg)
{
	(void)pid;
	*(int64_t *)arg += pages;
}

/* kmem bytes now charged through @objcg go to its (live) memcg. */
static void add_kmem(struct check *ck, const struct obj_cgroup *objcg,
		     int64_t bytes, const char *what)
{
	struct counted *c = must_find(ck, objcg->memcg, what);

	if (c)
		c->kmem_bytes += bytes;
}

struct slab_walk {
	struct check *ck;
	int64_t size;
};

static void count_slab_obj(void *ext, void *arg)
{
	struct slab_walk *w = arg;

	add_kmem(w->ck, ext, w->size, "a slab object");
}

static int count_cache(struct kmem_cache *s, void *arg)
{
	struct slab_walk w = { arg, (int64_t)obj_full_size(s) };

	kmem_cache_for_each_obj_ext(s, count_slab_obj, &w);
	return 0;
}

static void count_percpu(struct obj_cgroup *objcg, int64_t bytes, void *arg)
{
	add_kmem(arg, objcg, bytes, "a per-CPU area");
}

static void count_kstack(struct obj_cgroup *objcg, int64_t pages, void *arg)
{
	add_kmem(arg, objcg, pages * PAGE_SIZE, "a kernel stack");
}

/* Sub-page remainders of @m's objcgs: its own and those reparented to it. */
static void count_objcgs(struct check *ck, struct mem_cgroup *m)
{
	struct obj_cgroup *objcg;

	if (m->objcg)
		add_kmem(ck, m->objcg, atomic_load(&m->objcg->nr_charged_bytes),
			 "an objcg");
	list_for_each_entry(objcg, &m->objcg_list, list)
		add_kmem(ck, objcg, atomic_load(&objcg->nr_charged_bytes),
			 "an objcg");
}

/* kmem=clone-*: a clone's whole slab pages are charged to its memcg. */
static void count_clone(const struct memcg_cache_info *ci, void *arg)
{
	((struct counted *)arg)->clone_bytes += ci->pages * PAGE_SIZE;
}

static void count_objects(struct check *ck)
{
	filemap_for_each_page(count_page, ck);
	task_for_each_kstack(count_kstack, ck);
	kmem_cache_for_each(count_cache, ck);
	anon_for_each_swap_entry(count_swap_entry, ck);
	for (size_t i = 0; i < ck->n; i++) {
		struct counted *c = &ck->c[i];
		struct mem_cgroup *m = c->memcg;
		int64_t nr;

		task_for_each_owner(m, add_anon, &c->anon);
		memcg_kmem_for_each_cache(m, count_clone, c);
		sim_kmem_sock_of(m, &c->sock, &nr);
		sim_kmem_percpu_of(m, count_percpu, ck);
		if (m->percpu_objcg)	/* its per-CPU stats, paid by the parent */
			add_kmem(ck, m->percpu_objcg, (int64_t)nr_cpu_ids *
				 (int64_t)sizeof(struct memcg_vmstats_percpu),
				 "a memcg's per-CPU stats");
		count_objcgs(ck, m);
	}
}

/* --- the comparisons -------------------------------------------------- */

enum counter { MEMORY, KMEM, SWAP };

static struct page_counter *counter_of(struct mem_cgroup *m, enum counter c)
{
	return c == KMEM ? &m->kmem : c == SWAP ? &m->swap : &m->memory;
}

/* @m's own share of one of its counters: its children's usage, live and
 * dying, is in it too. */
static int64_t local_usage(struct mem_cgroup *m, enum counter c)
{
	struct mem_cgroup *child;
	int64_t v = page_counter_read(counter_of(m, c));

	list_for_each_entry(child, &m->children, sibling)
		v -= page_counter_read(counter_of(child, c));
	return v;
}

/* Pages and bytes the per-CPU stocks hold for @m itself. */
static void local_stock(struct mem_cgroup *m, int64_t *pages, int64_t *bytes)
{
	struct mem_cgroup *child;
	int64_t p, b;

	memcg_stock_held(m, pages, bytes);
	list_for_each_entry(child, &m->children, sibling) {
		memcg_stock_held(child, &p, &b);
		*pages -= p;
		*bytes -= b;
	}
}

/* @m's lists themselves: their lengths, and no page of another memcg or
 * another list on them (a splice that forgot a flip would show here). */
static void check_lists(struct check *ck, struct counted *c)
{
	struct mem_cgroup *m = c->memcg;

	for (int l = 0; l < NR_LRU_LISTS; l++) {
		int64_t len = 0, foreign = 0;
		struct page *page;

		list_for_each_entry(page, &m->lruvec.lists[l], lru) {
			len++;
			foreign += page_memcg(page) != m || page->lru_list != l;
			c->anon_lru[l] += !!(page->flags & PG_anon);
			c->swapcache_lru += !!(page->flags & PG_swapcache);
		}
		mismatch(ck, m, "lru_list_length", len, m->lruvec.nr_pages[l]);
		mismatch(ck, m, "lru_foreign_pages", foreign, 0);
	}
}

static const enum memcg_stat_item lru_items[NR_LRU_LISTS] = {
	NR_INACTIVE_ANON, NR_ACTIVE_ANON, NR_INACTIVE_FILE, NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
};

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* The sums of the children's protected usage that page_counter.c keeps
 * incrementally for reclaim, against a recount over the children. */
static void check_protection(struct check *ck, struct mem_cgroup *m)
{
	int64_t min = 0, low = 0;
	struct mem_cgroup *c;

	list_for_each_entry(c, &m->children, sibling) {
		int64_t usage = page_counter_read(&c->memory);

		min += min64(usage, atomic_load(&c->memory.min));
		low += min64(usage, atomic_load(&c->memory.low));
	}
	mismatch(ck, m, "children_min_usage", min,
		 atomic_load(&m->memory.children_min_usage));
	mismatch(ck, m, "children_low_usage", low,
		 atomic_load(&m->memory.children_low_usage));
}

/* One memcg's non-kmem charges; returns the kmem pages it holds. */
static int64_t check_one(struct check *ck, struct counted *c)
{
	static const char *const lru_names[NR_LRU_LISTS] = {
		"inactive_anon", "active_anon", "inactive_file", "active_file",
		"unevictable",
	};
	int64_t state[NR_MEMCG_STAT], local[NR_MEMCG_STAT];
	struct mem_cgroup *m = c->memcg;
	int64_t stock_pages, stock_bytes, kmem;

	memcg_vmstats_read(m, state, local);
	check_lists(ck, c);
	check_protection(ck, m);
	mismatch(ck, m, "file", c->pages, local[NR_FILE]);
	mismatch(ck, m, "shmem", c->shmem, local[NR_SHMEM]);
	mismatch(ck, m, "file_mapped", c->mapped, local[NR_FILE_MAPPED]);
	mismatch(ck, m, "anon", c->anon, local[NR_ANON]);
	mismatch(ck, m, "sock", c->sock, local[MEMCG_SOCK]);
	/* Anon pages (anon.c) are found through their processes' anon_vmas
	 * and must be on the anon lists, as many as there. */
	mismatch(ck, m, "anon_on_lru", c->anon_lru[LRU_INACTIVE_ANON] +
		 c->anon_lru[LRU_ACTIVE_ANON], c->anon);
	for (int l = 0; l < NR_LRU_LISTS; l++) {
		int64_t n = c->lru[l] + c->anon_lru[l];

		mismatch(ck, m, lru_names[l], n, m->lruvec.nr_pages[l]);
		mismatch(ck, m, lru_names[l], n, local[lru_items[l]]);
	}
	/* Swap entries: as many as the counter and the ID pins say; the
	 * swap-cache pages (resident, so in anon too) flagged as such. */
	mismatch(ck, m, "swap_entries", c->swap_entries, m->nr_swap_entries);
	mismatch(ck, m, "swap_usage", c->swap_entries, local_usage(m, SWAP));
	mismatch(ck, m, "swapcached", c->swapcached, local[NR_SWAPCACHE]);
	mismatch(ck, m, "swapcache_flags", c->swapcache_lru, c->swapcached);
	local_stock(m, &stock_pages, &stock_bytes);
	kmem = local_usage(m, MEMORY) - c->pages -
	       c->anon - c->sock - stock_pages;
	/* What is left is kmem: the kmem counter must say the same. */
	mismatch(ck, m, "kmem_pages", kmem, local_usage(m, KMEM));
	c->kmem_bytes += stock_bytes;
	return kmem;
}

static struct counted *live_family(struct check *ck, struct mem_cgroup *m)
{
	while (!m->online && m->parent)
		m = m->parent;
	return find(ck, m);
}

static void check_all(struct check *ck, int64_t *sum_local)
{
	*sum_local = 0;
	for (size_t i = 0; i < ck->n; i++) {
		struct counted *c = &ck->c[i];

		c->family = live_family(ck, c->memcg);
		c->family->family_kmem_pages += check_one(ck, c);
		c->family->kmem_bytes += c->clone_bytes;
		*sum_local += local_usage(c->memcg, MEMORY);
	}
	/* Kmem per live memcg: objects + stocked bytes + remainders charge
	 * exactly the pages its family's counters hold. */
	for (size_t i = 0; i < ck->n; i++) {
		struct counted *c = &ck->c[i];

		if (c->family == c)
			mismatch(ck, c->memcg, "kmem_bytes", c->kmem_bytes,
				 c->family_kmem_pages * PAGE_SIZE);
	}
}

/* --- entry ------------------------------------------------------------ */

static int collect(struct check *ck)
{
	struct mem_cgroup *root = root_mem_cgroup(), *m;
	size_t i = 0;

	for (m = root; m; m = mem_cgroup_next_descendant_pre(m, root))
		ck->n++;
	ck->c = calloc(ck->n, sizeof(*ck->c));
	ck->by_ptr = calloc(ck->n, sizeof(*ck->by_ptr));
	if (!ck->c || !ck->by_ptr)
		return -ENOMEM;
	for (m = root; m; m = mem_cgroup_next_descendant_pre(m, root)) {
		ck->c[i].memcg = m;
		ck->by_ptr[i] = &ck->c[i];
		i++;
	}
	qsort(ck->by_ptr, ck->n, sizeof(*ck->by_ptr), cmp_ptr);
	return 0;
}

int memcg_check(struct strbuf *sb)
{
	struct check ck = { .sb = sb };
	struct mem_cgroup *root = root_mem_cgroup();
	int64_t sum_local, to_parent, to_groups, dying = 0;
	int ret = collect(&ck);

	if (!ret) {
		count_objects(&ck);
		check_all(&ck, &sum_local);
		for (size_t i = 0; i < ck.n; i++)
			dying += !ck.c[i].memcg->online;
		memcg_pages_moved(&to_parent, &to_groups);
		sb_printf(sb, "memcgs %zu\ndying %lld\npages %lld\n"
			  "root_usage %lld\nsum_local_usage %lld\n"
			  "moved_to_parent %lld\nmoved_to_groups %lld\n",
			  ck.n, (long long)dying, (long long)ck.nr_pages,
			  (long long)(page_counter_read(&root->memory) *
				      PAGE_SIZE),
			  (long long)(sum_local * PAGE_SIZE),
			  (long long)(to_parent * PAGE_SIZE),
			  (long long)(to_groups * PAGE_SIZE));
		mismatch(&ck, root, "root_usage", sum_local,
			 page_counter_read(&root->memory));
		sb_printf(sb, "ok %d\n", !ck.bad);
	}
	free(ck.c);
	free(ck.by_ptr);
	return ret;
}
