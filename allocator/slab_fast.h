/*
 * slab_fast.h - the allocator's hit paths as inline functions, for the
 * hooks that wrap them in another unit (core/memcg_kmem.c): an accounted
 * allocation is then one call with the magazine pop, the obj_exts slot
 * and the charge stock inlined together, as the kernel inlines
 * slab_alloc_node() and memcg_slab_post_alloc_hook() into one function.
 * kmem_cache_alloc()/kmem_cache_free() are these same functions.
 *
 * Like slab_impl.h, not for ordinary users of the allocator: slab.h is.
 * Rules of the hit path (magazine.c): the thread touches only its own
 * kmem_thread, so no lock and no atomic; every miss goes to an
 * out-of-line slow path.
 */
#ifndef MEMCGFS_SLAB_FAST_H
#define MEMCGFS_SLAB_FAST_H

#include "slab_impl.h"

/* A thread's magazines, one kmem_cpu_cache per cache id (magazine.c). */
struct kmem_thread {
	struct kl_node node;		/* on kmem_threads, under slab_mutex */
	int registered;
	struct kmem_cpu_cache cpu[KMEM_MAX_CACHES];
};

extern __thread struct kmem_thread kmem_tl;

/* The misses: loaded empty (alloc) or full (free), or absent. */
void *kmem_cpu_alloc_slow(struct kmem_cache *s, struct kmem_cpu_cache *c);
void kmem_cpu_free_slow(struct kmem_cache *s, struct kmem_cpu_cache *c,
			void *obj);

static inline void *kmem_cache_alloc_inline(struct kmem_cache *s)
{
	struct kmem_cpu_cache *c = &kmem_tl.cpu[s->id];
	struct kmem_magazine *m = c->loaded;

	if (likely(m && m->rounds))
		return m->objs[--m->rounds];
	return kmem_cpu_alloc_slow(s, c);
}

/* @obj is not NULL. */
static inline void kmem_cache_free_inline(struct kmem_cache *s, void *obj)
{
	struct kmem_cpu_cache *c = &kmem_tl.cpu[s->id];
	struct kmem_magazine *m = c->loaded;

	if (likely(m && m->rounds < m->size)) {
		m->objs[m->rounds++] = obj;
		return;
	}
	kmem_cpu_free_slow(s, c, obj);
}

/*
 * For a hook that must check more before it commits to an object: the
 * magazine a hit pops from or pushes to, NULL if absent.  The hook pops
 * with m->objs[--m->rounds] when m->rounds > 0, pushes with
 * m->objs[m->rounds++] = obj when m->rounds < m->size, and otherwise
 * calls kmem_cache_alloc()/kmem_cache_free().
 */
static inline struct kmem_magazine *kmem_cache_loaded(const struct kmem_cache *s)
{
	return kmem_tl.cpu[s->id].loaded;
}

/*
 * obj_to_index() with a multiply, as the kernel's reciprocal_divide():
 * exact because offset * size < 2^32 (slabs are at most 32 KiB).  A
 * slab is aligned to its size (pa_alloc_pages), so the offset is the
 * address masked: no load beyond the cache's mask and reciprocal.
 */
static inline void **obj_ext_slot_of(const struct kmem_cache *s, void **v,
				     const void *obj)
{
	uint64_t off = (uintptr_t)obj & s->slab_mask;

	return &v[(off * s->reciprocal_size) >> 32];
}

/* The obj_exts slot of @obj if it is an object of @s whose slab has an
 * array; NULL if the array is not there yet (slab_obj_ext() allocates
 * one) or @obj is no object of @s (a pre-5.9 clone's, say: a head that
 * is no slab names no cache @s either).  One descriptor load. */
static inline void **slab_obj_ext_fast(const struct kmem_cache *s,
				       const void *obj)
{
	struct pa_page *head = pa_virt_to_head(obj);
	void **v = __atomic_load_n(&page_slab(head)->obj_exts,
				   __ATOMIC_ACQUIRE);

	if (unlikely(page_slab(head)->cache != s || !v))
		return NULL;
	return obj_ext_slot_of(s, v, obj);
}

#endif
