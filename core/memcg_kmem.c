/*
 * memcg_kmem.c - the allocation hooks that charge kernel objects to an
 * obj_cgroup: memcg_slab_post_alloc_hook()/memcg_slab_free_hook() for
 * slab objects and pcpu_memcg_post_alloc_hook()/pcpu_memcg_free_hook()
 * for per-CPU areas (mm/memcontrol.c, mm/percpu.c).
 */
#include <errno.h>

#include "../allocator/slab_hook.h"
#include "memcg_kmem_cache.h"
#include "obj_park.h"

/*
 * The hit paths below are one function each, with the magazine, the
 * obj_exts slot and this CPU's byte stock inlined (slab_hook.h,
 * memcg_stock.h): plain loads and stores, no lock, no atomic
 * read-modify-write (README "Accounted hit path").  Every miss goes to
 * an out-of-line slow path that is the general code.
 */

/* Inline here for the hit paths; exported for the slabinfo readers. */
static inline size_t full_size(const struct kmem_cache *s)
{
	return kmem_hook_stride(s) + sizeof(struct obj_cgroup *);
}

size_t obj_full_size(const struct kmem_cache *s)
{
	return full_size(s);
}

/* The stock's index of the slab stat of @s: its flag bit, shifted. */
_Static_assert(SLAB_RECLAIM_ACCOUNT == 2, "stock_idx shifts by one");

static inline int stock_idx(const struct kmem_cache *s)
{
	return (int)((kmem_hook_flags(s) & SLAB_RECLAIM_ACCOUNT) >> 1);
}

static inline int cache_vmstat_idx(const struct kmem_cache *s)
{
	return stock_stat_item(stock_idx(s));
}

enum memcg_stat_item kmem_cache_stat_item(const struct kmem_cache *s)
{
	return cache_vmstat_idx(s);
}

/* The general path, for whatever the hit could not do: allocate, charge
 * (maybe from the counters, maybe reclaiming), find or make the slot. */
static __attribute__((noinline)) void *
alloc_account_slow(struct kmem_cache *s, struct obj_cgroup *objcg,
		   enum gfp_mode gfp)
{
	size_t size = full_size(s);
	int item = cache_vmstat_idx(s);
	void *obj, **slot;

	/* Before 5.9 the root got no clones: it keeps the objcg path. */
	if (__builtin_expect(memcg_kmem_policy != KMEM_OBJCG, 0) &&
	    objcg->memcg->parent)
		return memcg_kmem_cache_alloc(s, objcg->memcg, gfp);
	if (obj_cgroup_charge_slab(objcg, gfp, size, item))
		goto nomem;
	obj = kmem_cache_alloc(s);
	slot = obj ? slab_obj_ext(obj) : NULL;
	if (!slot) {
		/* The kernel would leave the object unaccounted; we cannot
		 * free it later without its tag, so the allocation fails. */
		if (obj)
			kmem_cache_free(s, obj);
		obj_cgroup_uncharge_slab(objcg, size, item);
		goto nomem;
	}
	obj_cgroup_get(objcg);
	*slot = objcg;
	return obj;
nomem:
	errno = ENOMEM;
	return NULL;
}

/*
 * The byte-stock hit, when no object is parked: peek at the object the
 * magazine would give, and pop it only once the stock has charged it;
 * any miss leaves everything as it was and takes the general path.
 */
static __attribute__((noinline)) void *
alloc_account_stock(struct kmem_cache *s, struct obj_cgroup *objcg,
		    enum gfp_mode gfp)
{
	void *obj = kmem_hook_peek(s), **slot;

	/* kmem=clone-* (pre-5.9) allocates from per-memcg clones: slow. */
	if (unlikely(!obj || memcg_kmem_policy != KMEM_OBJCG))
		return alloc_account_slow(s, objcg, gfp);
	slot = kmem_hook_obj_ext(s, obj);
	if (unlikely(!slot || !obj_stock_slab_hit(this_stock(), objcg,
						  (int64_t)full_size(s),
						  stock_idx(s))))
		return alloc_account_slow(s, objcg, gfp);
	kmem_hook_take(s);
	*slot = objcg;
	return obj;
}

/*
 * memcg_slab_pre_alloc_hook + slab_alloc + memcg_slab_post_alloc_hook.
 * The hit is a parked object: charged and tagged for @objcg already.
 * Misses are tail calls, so the hit saves no register.
 */
void *kmem_cache_alloc_account(struct kmem_cache *s, struct obj_cgroup *objcg,
			       enum gfp_mode gfp)
{
	struct memcg_stock_pcp *stock = this_stock();

	/* Parks are empty under kmem=clone-* (obj_park_set_enabled). */
	if (likely(stock->live_objcg == objcg)) {
		struct obj_park *p = stock->park[kmem_hook_id(s)];

		if (likely(p->rounds))
			return p->objs[--p->rounds];
	}
	return alloc_account_stock(s, objcg, gfp);
}

struct obj_cgroup *slab_objcg(const void *obj)
{
	void **slot = slab_obj_ext_peek(obj);

	return slot ? *slot : NULL;
}

/* memcg_slab_free_hook() and the free, general path. */
__attribute__((noinline)) void kmem_cache_free_account_slow(void *obj)
{
	struct kmem_cache *s;
	void **slot = slab_obj_ext_of(obj, &s);
	struct obj_cgroup *objcg = slot ? *slot : NULL;

	if (!objcg) {
		if (s && kmem_cache_clone_owner(s))
			memcg_kmem_cache_free(s, obj);
		else
			kmem_cache_free_any(obj);
		return;
	}
	/* Untag, give the bytes back, unref. */
	*slot = NULL;
	obj_cgroup_uncharge_slab(objcg, full_size(s), cache_vmstat_idx(s));
	obj_cgroup_put(objcg);
	kmem_cache_free(s, obj);
}

/* No park to take @obj: make this CPU's park for @s, or give the bytes
 * to the stock and the object to the magazine. */
static __attribute__((noinline)) void
free_account_stock(struct kmem_cache *s, void *obj)
{
	struct memcg_stock_pcp *stock = this_stock();
	void **slot = kmem_hook_obj_ext(s, obj);
	struct obj_cgroup *objcg = slot ? *slot : NULL;

	if (unlikely(!objcg))
		goto slow;
	if (stock->park[kmem_hook_id(s)] == &obj_park_none &&
	    obj_park_add(stock, objcg, s, obj))
		return;
	if (unlikely(!kmem_hook_free_hits(s) ||
		     !obj_stock_slab_hit(stock, objcg, -(int64_t)full_size(s),
					 stock_idx(s))))
		goto slow;
	*slot = NULL;
	kmem_hook_push(s, obj);
	return;
slow:
	kmem_cache_free_account_slow(obj);
}

/*
 * The hit parks @obj, still charged and tagged, for its objcg's next
 * allocation on this CPU.  The park comes from @s, not from @obj, so
 * finding it does not wait on the loads that find @obj's tag; those
 * only decide a (predicted) branch.
 */
void kmem_cache_free_account(struct kmem_cache *s, void *obj)
{
	struct memcg_stock_pcp *stock = this_stock();
	struct obj_park *p = stock->park[kmem_hook_id(s)];
	void **slot = kmem_hook_obj_ext(s, obj);

	if (unlikely(!slot || *slot != stock->live_objcg ||
		     p->rounds >= p->size))
		goto miss;
	p->objs[p->rounds++] = obj;
	return;
miss:
	free_account_stock(s, obj);
}

void kfree_account(void *obj)
{
	struct kmem_cache *s = obj ? kmem_cache_of(obj) : NULL;

	if (s)
		kmem_cache_free_account(s, obj);
	else if (obj)
		kmem_cache_free_account_slow(obj);
}

int pcpu_memcg_post_alloc_hook(struct obj_cgroup *objcg, enum gfp_mode gfp,
			       size_t size)
{
	int ret = obj_cgroup_charge(objcg, gfp, size);

	if (ret)
		return ret;
	obj_cgroup_get(objcg);
	mod_memcg_state(objcg->memcg, MEMCG_PERCPU_B, (int64_t)size);
	return 0;
}

void pcpu_memcg_free_hook(struct obj_cgroup *objcg, size_t size)
{
	obj_cgroup_uncharge(objcg, size);
	mod_memcg_state(objcg->memcg, MEMCG_PERCPU_B, -(int64_t)size);
	obj_cgroup_put(objcg);
}

struct slabinfo_walk {
	struct mem_cgroup *memcg;
	unsigned long count;
};

static void count_objcg(void *ext, void *arg)
{
	struct slabinfo_walk *w = arg;

	if (((struct obj_cgroup *)ext)->memcg == w->memcg)
		w->count++;
}

struct slabinfo_iter {
	struct mem_cgroup *memcg;
	void (*fn)(struct kmem_cache *s, unsigned long nr, void *arg);
	void *arg;
};

static int slabinfo_cache(struct kmem_cache *s, void *arg)
{
	struct slabinfo_iter *it = arg;
	struct slabinfo_walk w = { it->memcg, 0 };

	kmem_cache_for_each_obj_ext(s, count_objcg, &w);
	w.count -= obj_park_objects(it->memcg, s);	/* freed, in a park */
	if (w.count)
		it->fn(s, w.count, it->arg);
	return 0;
}

/* kmem=clone-*: the memcg's own caches (and those reparented to it). */
static void slabinfo_clone(const struct memcg_cache_info *ci, void *arg)
{
	struct slabinfo_iter *it = arg;

	if (ci->objects)
		it->fn(ci->cachep, (unsigned long)ci->objects, it->arg);
}

void memcg_slabinfo(struct mem_cgroup *memcg,
		    void (*fn)(struct kmem_cache *s, unsigned long nr,
			       void *arg), void *arg)
{
	struct slabinfo_iter it = { memcg, fn, arg };

	kmem_cache_for_each(slabinfo_cache, &it);
	memcg_kmem_for_each_cache(memcg, slabinfo_clone, &it);
}
