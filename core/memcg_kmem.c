/*
 * memcg_kmem.c - the allocation hooks that charge kernel objects to an
 * obj_cgroup: memcg_slab_post_alloc_hook()/memcg_slab_free_hook() for
 * slab objects and pcpu_memcg_post_alloc_hook()/pcpu_memcg_free_hook()
 * for per-CPU areas (mm/memcontrol.c, mm/percpu.c; kernel-model.md §2.2).
 */
#include <errno.h>

#include "../allocator/slab.h"
#include "memcg_kmem_cache.h"
#include "obj_cgroup.h"
#include "policy.h"

size_t obj_full_size(const struct kmem_cache *s)
{
	return kmem_cache_stride(s) + sizeof(struct obj_cgroup *);
}

static enum memcg_stat_item cache_vmstat_idx(const struct kmem_cache *s)
{
	return kmem_cache_flags(s) & SLAB_RECLAIM_ACCOUNT ?
	       NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;
}

/* The object is charged first (memcg_slab_pre_alloc_hook), then tagged. */
void *kmem_cache_alloc_account(struct kmem_cache *s, struct obj_cgroup *objcg,
			       enum gfp_mode gfp)
{
	size_t size = obj_full_size(s);
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

struct obj_cgroup *slab_objcg(const void *obj)
{
	void **slot = slab_obj_ext_peek(obj);

	return slot ? *slot : NULL;
}

void kmem_cache_free_account(void *obj)
{
	struct kmem_cache *s;
	struct obj_cgroup *objcg;
	void **slot;
	size_t size;

	if (!obj)
		return;
	slot = slab_obj_ext_of(obj, &s);
	objcg = slot ? *slot : NULL;
	if (!objcg) {
		if (s && kmem_cache_clone_owner(s))
			memcg_kmem_cache_free(s, obj);
		else
			kmem_cache_free_any(obj);
		return;
	}
	/* memcg_slab_free_hook(): untag, give the bytes back, unref. */
	*slot = NULL;
	size = obj_full_size(s);
	obj_cgroup_uncharge_slab(objcg, size, cache_vmstat_idx(s));
	obj_cgroup_put(objcg);
	kmem_cache_free(s, obj);
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
