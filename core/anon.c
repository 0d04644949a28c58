/*
 * anon.c - anonymous pages and their swap entries; see anon.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "../allocator/kmalloc.h"
#include "anon.h"
#include "filemap.h"
#include "memcg_lock_mode.h"
#include "lruvec.h"
#include "obj_cgroup.h"
#include "psi.h"
#include "sim_kmem.h"
#include "swap.h"
#include "why.h"

/* Pages charged at once by a first touch: small enough that the
 * reclaim it runs can swap out this process's older pages. */
#define ANON_CHUNK 32

/* filemap.c's struct page cache, found (or made) by the first anon
 * fault, which runs under cgroup_mutex for writing (anon_fault). */
static struct kmem_cache *_Atomic anon_cachep;
/* Every anon_vma, for sim.check's walk of the swap entries.  Writes in
 * MEMCG mode add and remove theirs in parallel: under anon_vmas_lock;
 * the walk owns every CPU, so no such write is under way. */
static struct list_head anon_vmas = LIST_HEAD_INIT(anon_vmas);
static pthread_mutex_t anon_vmas_lock = PTHREAD_MUTEX_INITIALIZER;
/* Resident anon descriptors: never more than the emulated RAM, whatever
 * a forced charge allows. */
static _Atomic uint64_t nr_anon_pages;

static struct kmem_cache *page_cache(void)
{
	struct kmem_cache *c = anon_cachep;

	if (!c && !(c = kmem_cache_find("sim_page")))
		c = kmem_cache_create("sim_page", sizeof(struct page), 0, 0,
				      NULL);
	anon_cachep = c;
	return c;
}

static bool descriptors_exhausted(int64_t nr)
{
	return !page_cache() || nr_anon_pages + (uint64_t)nr > sim_ram_pages();
}

/* Room for @need elements of @size in *@v (capacity *@cap). */
static int reserve(void **v, int64_t *cap, int64_t need, size_t size)
{
	int64_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*v, (size_t)n * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = n;
	return 0;
}

/* Room for @need resident pages: their slots and swap-cache records. */
static int reserve_resident(struct anon_vma *av, int64_t need)
{
	return reserve((void **)&av->cached, &av->cached_cap, need,
		       sizeof(*av->cached)) ||
	       reserve((void **)&av->pages, &av->pages_cap, need,
		       sizeof(*av->pages)) ? -ENOMEM : 0;
}

struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *av = calloc(1, sizeof(struct anon_vma));

	if (av) {
		pthread_mutex_lock(&anon_vmas_lock);
		list_add(&av->node, &anon_vmas);
		pthread_mutex_unlock(&anon_vmas_lock);
	}
	return av;
}

void anon_vma_free(struct anon_vma *av)
{
	if (!av)
		return;
	pthread_mutex_lock(&anon_vmas_lock);
	list_del(&av->node);
	pthread_mutex_unlock(&anon_vmas_lock);
	free(av->pages);
	free(av->cached);
	free(av->swap);
	free(av);
}

/* A resident page of @av charged to @memcg (already charged), inactive. */
static void anon_page_add(struct anon_vma *av, struct mem_cgroup *memcg,
			  struct page *page)
{
	/* A live group: its objcg references the page's owner (page.h). */
	*page = (struct page){ .objcg = memcg->objcg, .anon_vma = av,
			       .index = (uint64_t)av->nr_resident,
			       .flags = PG_anon | PG_swapbacked };
	obj_cgroup_get(page->objcg);
	av->cached[av->nr_resident] = NULL;
	av->pages[av->nr_resident++] = page;
	nr_anon_pages++;
	lru_add(page, LRU_INACTIVE_ANON);
	mod_memcg_state(memcg, NR_ANON, 1);
}

/* add_to_swap_cache() for a page just read from @entry's slot. */
static void swapcache_add(struct page *page, struct mem_cgroup *entry)
{
	page->anon_vma->cached[page->index] = entry;
	page->flags |= PG_swapcache;
	mod_memcg_state(page_memcg(page), NR_SWAPCACHE, 1);
}

/* delete_from_swap_cache(): @page keeps no entry; the entry's record is
 * returned (NULL if it had none) for the caller to keep or free. */
static struct mem_cgroup *swapcache_del(struct page *page)
{
	struct mem_cgroup **slot = &page->anon_vma->cached[page->index];
	struct mem_cgroup *entry = *slot;

	if (!entry)
		return NULL;
	*slot = NULL;
	page->flags &= (uint8_t)~PG_swapcache;
	mod_memcg_state(page_memcg(page), NR_SWAPCACHE, -1);
	return entry;
}

/* Take @page (out of the swap cache) off its anon_vma, its LRU and its
 * stats, and free the descriptor; returns the memcg it is charged to,
 * for the caller to uncharge. */
static struct mem_cgroup *anon_page_remove(struct page *page)
{
	struct anon_vma *av = page->anon_vma;
	struct page *last = av->pages[--av->nr_resident];
	struct mem_cgroup *memcg = page_memcg(page);
	struct obj_cgroup *objcg = page->objcg;

	last->index = page->index;
	av->cached[page->index] = av->cached[av->nr_resident];
	av->pages[page->index] = last;
	mod_memcg_state(memcg, NR_ANON, -1);
	lru_del(page);
	nr_anon_pages--;
	kmem_cache_free(page_cache(), page);
	obj_cgroup_put(objcg);
	return memcg;
}

/* Why a fault of @nr pages into @av cannot start (0: it can). */
static int fault_room(struct anon_vma *av, int64_t nr, const char **why)
{
	if (descriptors_exhausted(nr))
		return fail_why(why, -ENOMEM, page_cache() ?
				"the emulated RAM is full" : "out of memory");
	if (reserve_resident(av, av->nr_resident + nr))
		return fail_why(why, -ENOMEM, "out of memory");
	return 0;
}

int anon_fault(struct anon_vma *av, struct mem_cgroup *memcg, int64_t nr,
	       enum gfp_mode gfp, const char **why)
{
	int64_t before = anon_vma_pages(av), done = 0, extra;
	struct page *batch[ANON_CHUNK];
	int ret = 0;

	/* MEMCG mode (memcg_lock.h): one chunk, so that a charge that needs
	 * the exclusive lock asks before it faulted anything in. */
	if (memcg_lock_mode() == MEMCG_LOCK_MEMCG &&
	    (nr > ANON_CHUNK || !anon_cachep))
		return MEMCG_RETRY_STOPPED;
	ret = fault_room(av, nr, why);
	while (done < nr && !ret) {
		int64_t n = nr - done < ANON_CHUNK ? nr - done : ANON_CHUNK, i;

		for (i = 0; i < n; i++)
			if (!(batch[i] = kmem_cache_alloc(page_cache())))
				break;
		/* The charge may reclaim: swap out this anon_vma's own
		 * older pages, or OOM-kill its owner (then it fails). */
		if (i < n || (ret = mem_cgroup_charge(memcg, n, gfp))) {
			while (i--)
				kmem_cache_free(page_cache(), batch[i]);
			if (!memcg_retry(ret))
				ret = fail_why(why, -ENOMEM, ret ?
					"over a memory limit, nothing reclaimable" :
					"out of memory for page descriptors");
			break;
		}
		for (i = 0; i < n; i++)
			anon_page_add(av, memcg, batch[i]);
		mod_memcg_state(memcg, PGFAULT, n);
		done += n;
	}
	/* One transaction: as many pages as this call added go again. */
	extra = anon_vma_pages(av) - before;
	if (ret && extra > 0)
		anon_zap(av, extra);
	return ret;
}

/* Free resident @page and its swap entry, if it is in the swap cache. */
static void anon_page_free(struct page *page)
{
	struct mem_cgroup *entry = swapcache_del(page);

	mem_cgroup_uncharge(anon_page_remove(page), 1);
	if (entry)
		mem_cgroup_uncharge_swap(entry);
}

void anon_zap(struct anon_vma *av, int64_t nr)
{
	for (; nr > 0 && av->nr_resident; nr--)
		anon_page_free(av->pages[av->nr_resident - 1]);
	/* free_swap_and_cache(): an entry is dropped, not read back. */
	for (; nr > 0 && av->nr_swapped; nr--)
		mem_cgroup_uncharge_swap(av->swap[--av->nr_swapped]);
}

/* do_swap_page() for the newest entry; 0 or -ENOMEM. */
static int swap_in_one(struct anon_vma *av, struct mem_cgroup *memcg,
		       enum gfp_mode gfp, const char **why)
{
	struct mem_cgroup *owner = av->swap[av->nr_swapped - 1], *entry;
	/* mem_cgroup_swapin_charge_folio(): the recorded memcg if it is
	 * still online, else the faulting one. */
	struct mem_cgroup *to = owner->online ? owner : memcg;
	struct page *page;

	if (fault_room(av, 1, why))
		return -ENOMEM;
	if (!(page = kmem_cache_alloc(page_cache())))
		return fail_why(why, -ENOMEM,
				"out of memory for page descriptors");
	if (mem_cgroup_charge(to, 1, gfp)) {
		kmem_cache_free(page_cache(), page);
		return fail_why(why, -ENOMEM,
				"over a memory limit, nothing reclaimable");
	}
	/* The charge's reclaim may have pushed entries (or an OOM kill
	 * zapped them all): the entry read is the newest one now. */
	if (!av->nr_swapped) {
		mem_cgroup_uncharge(to, 1);
		kmem_cache_free(page_cache(), page);
		return fail_why(why, -ENOMEM, "the OOM kill this charge ran "
				"freed the swapped pages");
	}
	entry = av->swap[--av->nr_swapped];
	anon_page_add(av, to, page);
	page->flags |= PG_referenced;	/* the fault touched it */
	mod_memcg_state(to, PSWPIN, 1);
	mod_memcg_state(to, PGMAJFAULT, 1);
	mod_memcg_state(to, PGFAULT, 1);
	/* A read fault: the page stays in the swap cache with its entry
	 * (still charged to swap), unless swap is getting full
	 * (do_swap_page's should_try_to_free_swap). */
	if (mem_cgroup_swap_full(to))
		mem_cgroup_uncharge_swap(entry);
	else
		swapcache_add(page, entry);
	return 0;
}

int anon_touch(struct anon_vma *av, struct mem_cgroup *memcg, int64_t nr,
	       enum gfp_mode gfp, const char **why)
{
	int64_t i, in = 0;
	int ret;

	/* Waiting for a swap-in is a memory stall (swap_read_folio). */
	psi_memstall_enter();
	for (ret = 0; !ret && nr > 0 && av->nr_swapped; nr--, in++)
		ret = swap_in_one(av, memcg, gfp, why);
	psi_memstall_read(in);
	psi_memstall_leave();
	if (ret)
		return ret;
	/* The rest are present (the newest slots hold the pages just read
	 * in): a second touch activates them. */
	for (i = av->nr_resident - 1 - in; nr > 0 && i >= 0; i--, nr--)
		mark_page_accessed(av->pages[i]);
	return 0;
}

int64_t anon_vma_charged_to(const struct anon_vma *av,
			    const struct mem_cgroup *memcg)
{
	int64_t n = 0;

	for (int64_t i = 0; i < av->nr_resident; i++)
		n += page_memcg(av->pages[i]) == memcg;
	return n;
}

bool anon_swap_out(struct page *page)
{
	struct anon_vma *av = page->anon_vma;
	struct mem_cgroup *owner;

	if (reserve((void **)&av->swap, &av->swap_cap, av->nr_swapped + 1,
		    sizeof(*av->swap)))
		return false;
	/* A clean swap-cache page already has its entry: __remove_mapping()
	 * drops it, nothing written, nothing charged. */
	owner = swapcache_del(page);
	if (!owner) {
		owner = mem_cgroup_try_charge_swap(page_memcg(page));
		if (!owner)
			return false;
		mod_memcg_state(page_memcg(page), PSWPOUT, 1);
	}
	av->swap[av->nr_swapped++] = owner;
	mem_cgroup_uncharge(anon_page_remove(page), 1);
	return true;
}

void anon_activate_free_swap(struct page *page)
{
	struct mem_cgroup *entry;

	if (!(page->flags & PG_swapcache) ||
	    !mem_cgroup_swap_full(page_memcg(page)))
		return;
	entry = swapcache_del(page);
	mem_cgroup_uncharge_swap(entry);	/* folio_free_swap() */
}

void anon_for_each_swap_entry(void (*fn)(struct mem_cgroup *owner,
					 struct page *page, void *arg),
			      void *arg)
{
	struct anon_vma *av;

	list_for_each_entry(av, &anon_vmas, node) {
		for (int64_t i = 0; i < av->nr_swapped; i++)
			fn(av->swap[i], NULL, arg);
		for (int64_t i = 0; i < av->nr_resident; i++)
			if (av->cached[i])
				fn(av->cached[i], av->pages[i], arg);
	}
}
