/*
 * memcg_kmem_cache.c - per-memcg kmem cache clones and their deaths; see
 * memcg_kmem_cache.h.  What happens at offline, by kmem= policy:
 *
 *   clone-leak      2014: the cache is marked dead and destroyed when its
 *                   page count reaches 0, which never happens, because
 *                   the slab layer keeps empty slabs: it leaks, and so
 *                   does the memcg it pins.
 *   clone-nocache   way 1 of Davydov's 2014 dead-caches thread
 *                   (d6e0b7fa1186, 4.0): a dead cache
 *                   keeps no free slab, so the last free takes the last
 *                   page and destroys the cache.  Frees get slower.
 *   clone-reap      way 2: dead caches are shrunk and the empty ones
 *                   destroyed periodically and under memory pressure.
 *   clone-reparent  way 3, as 5.3 did (fb2f2b0adb98): the cache, its
 *                   pages and their charge move to the parent, so the
 *                   memcg is free at once; the cache dies with its last
 *                   page, as under nocache.
 *   clone-refcount  way 4: a count of objects per cache; the last free
 *                   destroys the cache, with no free-vs-destroy race
 *                   (everything here is under cgroup_mutex).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../allocator/page_alloc.h"
#include "../allocator/slab.h"
#include "cgroup.h"
#include "memcg_kmem.h"
#include "memcg_kmem_cache.h"
#include "memcg_stat.h"
#include "obj_cgroup.h"
#include "sim_kmem.h"
#include "sim_log.h"

const char *const memcg_kmem_policy_names[NR_KMEM_POLICIES] = {
	[KMEM_OBJCG] = "objcg", [KMEM_CLONE_LEAK] = "clone-leak",
	[KMEM_CLONE_NOCACHE] = "clone-nocache", [KMEM_CLONE_REAP] = "clone-reap",
	[KMEM_CLONE_REPARENT] = "clone-reparent",
	[KMEM_CLONE_REFCOUNT] = "clone-refcount",
};
enum memcg_kmem_policy memcg_kmem_policy;
enum memcg_kmem_policy memcg_clone_policy = KMEM_CLONE_LEAK;

/* struct memcg_cache_params, the child side. */
struct memcg_cache {
	struct kmem_cache *cachep;
	struct kmem_cache *root;
	struct mem_cgroup *memcg;	/* charged and pinned (one ref) */
	struct list_head node;		/* on memcg->kmem_caches */
	struct list_head dead_node;	/* on dead_caches once dead */
	int64_t nr_pages;		/* charged to memcg */
	int64_t nr_objs;		/* way 4's count, kept by all */
	unsigned int pages_per_slab;
	unsigned int pass;		/* see visit_caches() */
	bool dead;
};

static struct list_head dead_caches = LIST_HEAD_INIT(dead_caches);
static unsigned int dead_pass;
/* The memcg memcg_deactivate_kmem_caches() is taking offline: still
 * marked online, but its caches must leave it under clone-reparent. */
static struct mem_cgroup *offlining;
/* Bumped by every destroy, so a walk knows when its next entry may be
 * gone (see visit_caches()). */
static unsigned long destroy_gen;

static enum memcg_stat_item slab_item(const struct memcg_cache *mc)
{
	return kmem_cache_stat_item(mc->cachep);
}

/* The slab_* stats were kept in whole pages before 5.9. */
static void account_pages(struct mem_cgroup *memcg, enum memcg_stat_item item,
			  int64_t nr_pages)
{
	mod_memcg_state(memcg, item, nr_pages * (int64_t)PAGE_SIZE);
}

/*
 * 4.x's memcg_kmem_uncharge(): straight to the counters.  Not through
 * the CPU stock as memcg_kmem_uncharge() does now: a stock refilled with
 * a dying memcg would pin it, and the last page of a dead cache is
 * exactly when that memcg should go.
 */
static void uncharge_pages(struct mem_cgroup *memcg, enum memcg_stat_item item,
			   int64_t nr_pages)
{
	page_counter_uncharge(&memcg->kmem, nr_pages);
	page_counter_uncharge(&memcg->memory, nr_pages);
	mod_memcg_state(memcg, MEMCG_KMEM, -nr_pages);
	account_pages(memcg, item, -nr_pages);
}

/*
 * Bring the charge in line with the pages the cache holds now.  Growth
 * was charged by the caller before the allocation made it (see
 * clone_alloc()), so only shrinkage is uncharged here.
 */
static void sync_pages(struct memcg_cache *mc)
{
	int64_t now = (int64_t)kmem_cache_nr_pages(mc->cachep);
	int64_t gone = mc->nr_pages - now;

	if (gone <= 0)
		return;
	uncharge_pages(mc->memcg, slab_item(mc), gone);
	mc->nr_pages = now;
}

/* "dentry(17:a)": root name, memcg serial, group name, as 4.x named
 * them; the serial alone keeps it unique when the name is too long. */
static void clone_name(char *buf, struct kmem_cache *root,
		       struct mem_cgroup *memcg)
{
	unsigned long long serial = (unsigned long long)memcg->serial;
	char *full = NULL;
	char tail[32];
	int room;

	if (asprintf(&full, "%s(%llu:%s)", kmem_cache_name(root), serial,
		     memcg->cgroup->name) > 0 && strlen(full) < KMEM_NAME_MAX) {
		strcpy(buf, full);
		free(full);
		return;
	}
	free(full);
	room = KMEM_NAME_MAX - 1 - snprintf(tail, sizeof(tail), "(%llu)", serial);
	if ((size_t)room > strlen(kmem_cache_name(root)))
		room = (int)strlen(kmem_cache_name(root));
	memcpy(buf, kmem_cache_name(root), (size_t)room);
	strcpy(buf + room, tail);
}

static struct memcg_cache *clone_create(struct kmem_cache *root,
					struct mem_cgroup *memcg)
{
	struct memcg_cache *mc = calloc(1, sizeof(*mc));
	struct kmem_cache_stats st;
	char name[KMEM_NAME_MAX];

	if (!mc)
		return NULL;
	clone_name(name, root, memcg);
	mc->cachep = kmem_cache_create_clone(root, name, mc);
	if (!mc->cachep || kmem_cache_stats(mc->cachep, &st)) {
		sim_log("kmem: no clone of %s for %s (%s); served unaccounted "
			"from the root cache, as memcg_kmem_get_cache() did",
			kmem_cache_name(root), memcg->cgroup->name,
			mc->cachep ? "stats" : "cannot create");
		if (mc->cachep)
			kmem_cache_destroy(mc->cachep);
		free(mc);
		return NULL;
	}
	mc->root = root;
	mc->memcg = memcg;
	mc->pages_per_slab = st.pagesperslab;
	INIT_LIST_HEAD(&mc->dead_node);
	list_add_tail(&mc->node, &memcg->kmem_caches);
	mem_cgroup_pin(memcg, 1);	/* the cache's css reference */
	return mc;
}

/* memcg_kmem_get_cache(): @memcg's live clone of @root, made on first use. */
static struct memcg_cache *memcg_kmem_get_cache(struct kmem_cache *root,
						struct mem_cgroup *memcg)
{
	struct memcg_cache *mc;

	list_for_each_entry(mc, &memcg->kmem_caches, node)
		if (mc->root == root && !mc->dead)
			return mc;
	return clone_create(root, memcg);
}

/* The last reference: the cache is empty, its pages are gone.  True
 * if @mc is freed. */
static bool clone_destroy(struct memcg_cache *mc)
{
	struct mem_cgroup *memcg = mc->memcg;
	enum memcg_stat_item item = slab_item(mc);

	if (kmem_cache_destroy(mc->cachep))
		return false;	/* objects left: reported, kept */
	destroy_gen++;
	if (mc->nr_pages)	/* destroy discarded the empty slabs */
		uncharge_pages(memcg, item, mc->nr_pages);
	list_del(&mc->node);
	list_del(&mc->dead_node);
	free(mc);
	mem_cgroup_unpin(memcg, 1);	/* last: may release memcg */
	return true;
}

/* Destroy a dead cache if its policy says it is done; true if freed. */
static bool dead_cache_settle(struct memcg_cache *mc)
{
	bool empty = mc->nr_objs == 0;

	switch (memcg_clone_policy) {
	case KMEM_CLONE_REFCOUNT:
		break;
	case KMEM_CLONE_REAP:
		return false;		/* the reaper's job */
	default:			/* leak, nocache, reparent: pages */
		empty = mc->nr_pages == 0;
		break;
	}
	return empty && clone_destroy(mc);
}

static void *clone_alloc(struct memcg_cache *mc, enum gfp_mode gfp)
{
	int64_t pages = 0;
	void *obj;

	/* memcg_charge_slab(): charge a new slab before it is built, with
	 * the caller's gfp (reclaim, OOM or force).  Reclaim may free
	 * objects of this very cache, so the need is checked again after. */
	if (kmem_cache_needs_slab(mc->cachep)) {
		pages = mc->pages_per_slab;
		if (ram_exhausted((uint64_t)pages * PAGE_SIZE) ||
		    memcg_kmem_charge(mc->memcg, pages, gfp))
			goto nomem;
		mc->nr_pages += pages;
		account_pages(mc->memcg, slab_item(mc), pages);
	}
	obj = kmem_cache_alloc_direct(mc->cachep);
	sync_pages(mc);		/* gives back a charge reclaim made moot */
	if (!obj)
		goto nomem;
	mc->nr_objs++;
	return obj;
nomem:
	errno = ENOMEM;
	return NULL;
}

void *memcg_kmem_cache_alloc(struct kmem_cache *root, struct mem_cgroup *memcg,
			     enum gfp_mode gfp)
{
	struct memcg_cache *mc = memcg_kmem_get_cache(root, memcg);

	if (!mc)	/* the kernel's unaccounted window, made permanent */
		return kmem_cache_alloc(root);
	return clone_alloc(mc, gfp);
}

void memcg_kmem_cache_free(struct kmem_cache *s, void *obj)
{
	struct memcg_cache *mc = kmem_cache_clone_owner(s);

	kmem_cache_free_direct(s, obj);
	mc->nr_objs--;
	sync_pages(mc);
	if (mc->dead)
		dead_cache_settle(mc);
}

/* --- offline and the policies ------------------------------------------ */

/* 5.3's memcg_reparent_kmem_caches() for one cache, one level: the
 * parent's counters hold the pages already; only @from's own drop. */
static void clone_reparent(struct memcg_cache *mc)
{
	struct mem_cgroup *from = mc->memcg, *to = from->parent;
	int64_t n = mc->nr_pages;

	page_counter_cancel(&from->memory, n);
	page_counter_cancel(&from->kmem, n);
	mod_memcg_state(from, MEMCG_KMEM, -n);
	mod_memcg_state(to, MEMCG_KMEM, n);
	account_pages(from, slab_item(mc), -n);
	account_pages(to, slab_item(mc), n);
	list_del(&mc->node);
	list_add_tail(&mc->node, &to->kmem_caches);
	mc->memcg = to;
	mem_cgroup_pin(to, 1);
	mem_cgroup_unpin(from, 1);	/* may release a dying @from */
}

/* What a dead cache becomes under the current policy; true while @mc
 * still exists. */
static bool dead_cache_apply(struct memcg_cache *mc, void *arg)
{
	enum memcg_kmem_policy p = memcg_clone_policy;
	bool nocache = p == KMEM_CLONE_NOCACHE || p == KMEM_CLONE_REPARENT;

	(void)arg;
	kmem_cache_set_empty_max(mc->cachep, nocache ? 0 : KMEM_EMPTY_MAX);
	sync_pages(mc);
	if (p == KMEM_CLONE_REPARENT)
		while (!mc->memcg->online || mc->memcg == offlining)
			clone_reparent(mc);
	return !dead_cache_settle(mc);
}

static struct memcg_cache *cache_of(struct list_head *n, bool dead_list)
{
	return dead_list ? list_entry(n, struct memcg_cache, dead_node)
			 : list_entry(n, struct memcg_cache, node);
}

/*
 * Visit every cache on @head (the dead list, or one memcg's list) once;
 * @fn may move or destroy the cache it is given and returns whether it
 * still exists.  Destroying one cache can release its memcg, whose own
 * structure lives in another dead clone and may destroy that one too,
 * the walk's next entry perhaps: when a destroy other than the visited
 * cache's own happened, start over, skipping what this pass has seen.
 */
static void visit_caches(struct list_head *head, bool dead_list,
			 bool (*fn)(struct memcg_cache *mc, void *arg),
			 void *arg)
{
	unsigned int pass = ++dead_pass;
	struct list_head *n, *next;

restart:
	for (n = head->next; n != head; n = next) {
		struct memcg_cache *mc = cache_of(n, dead_list);
		unsigned long gen = destroy_gen;

		next = n->next;
		if (mc->pass == pass)
			continue;
		mc->pass = pass;
		if (destroy_gen - gen > (fn(mc, arg) ? 0u : 1u))
			goto restart;
	}
}

void memcg_deactivate_kmem_caches(struct mem_cgroup *memcg)
{
	struct memcg_cache *mc;

	/* Mark first, then apply: applying may move or destroy caches. */
	list_for_each_entry(mc, &memcg->kmem_caches, node)
		if (!mc->dead) {
			mc->dead = true;
			list_add_tail(&mc->dead_node, &dead_caches);
		}
	/* Only this memcg's caches change: its own, and under
	 * clone-reparent those its dead children left it. */
	offlining = memcg;
	visit_caches(&memcg->kmem_caches, false, dead_cache_apply, NULL);
	offlining = NULL;
}

void memcg_kmem_policy_changed(void)
{
	visit_caches(&dead_caches, true, dead_cache_apply, NULL);
}

static bool reap_one(struct memcg_cache *mc, void *arg)
{
	int64_t before = mc->nr_pages;

	kmem_cache_shrink(mc->cachep);
	sync_pages(mc);
	*(int64_t *)arg += before - mc->nr_pages;
	return mc->nr_objs || !clone_destroy(mc);
}

int64_t memcg_kmem_reap_dead_caches(void)
{
	int64_t freed = 0;

	if (memcg_clone_policy == KMEM_CLONE_REAP)
		visit_caches(&dead_caches, true, reap_one, &freed);
	return freed;
}

void memcg_kmem_caches_exit(void)
{
	int64_t freed = 0;

	visit_caches(&dead_caches, true, reap_one, &freed);
}

/* --- introspection ------------------------------------------------------- */

void memcg_kmem_for_each_cache(struct mem_cgroup *memcg,
			       void (*fn)(const struct memcg_cache_info *ci,
					  void *arg), void *arg)
{
	struct memcg_cache *mc;
	struct kmem_cache_stats st;

	list_for_each_entry(mc, &memcg->kmem_caches, node) {
		struct memcg_cache_info ci = {
			.cachep = mc->cachep, .name = kmem_cache_name(mc->cachep),
			.pages = mc->nr_pages, .objects = mc->nr_objs,
			.dead = mc->dead,
		};

		if (!kmem_cache_stats(mc->cachep, &st))
			ci.empty_pages = (int64_t)(st.empty_slabs *
						   st.pagesperslab);
		fn(&ci, arg);
	}
}

int memcg_kmem_cache_pins(struct mem_cgroup *memcg)
{
	struct memcg_cache *mc;
	int n = 0;

	list_for_each_entry(mc, &memcg->kmem_caches, node)
		n++;
	return n;
}

static void add_would_free(const struct memcg_cache_info *ci, void *arg)
{
	int64_t *w = arg;

	/* objcg and reparent take every page off the memcg; the others
	 * free what is empty, or all once no object is left (clone-leak:
	 * nothing). */
	w[KMEM_OBJCG] += ci->pages;
	w[KMEM_CLONE_REPARENT] += ci->pages;
	w[KMEM_CLONE_NOCACHE] += ci->objects ? ci->empty_pages : ci->pages;
	w[KMEM_CLONE_REAP] += ci->objects ? ci->empty_pages : ci->pages;
	w[KMEM_CLONE_REFCOUNT] += ci->objects ? 0 : ci->pages;
}

void memcg_kmem_would_free(struct mem_cgroup *memcg,
			   int64_t would[NR_KMEM_POLICIES])
{
	memset(would, 0, NR_KMEM_POLICIES * sizeof(*would));
	memcg_kmem_for_each_cache(memcg, add_would_free, would);
}
