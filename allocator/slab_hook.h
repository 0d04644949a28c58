/*
 * slab_hook.h - the allocator's interface for the accounting hooks
 * outside allocator/ (core/memcg_kmem.c, core/obj_park.c): the few
 * inline operations an accounted hit path needs, so that it is one call
 * with the magazine and the obj_exts slot inlined into it, as the
 * kernel inlines slab_alloc_node() and memcg_slab_post_alloc_hook()
 * into one function.  The magazines and the slabs themselves stay
 * private to allocator/ (magazine.h, slab_impl.h; make check-layers).
 *
 * Rules of the hit path: these touch only the calling thread's own
 * magazines and one slab descriptor: no lock, no atomic read-modify-
 * write.  When a hit is not possible they say so and the hook takes
 * kmem_cache_alloc()/kmem_cache_free() (slab.h), which handle the miss.
 */
#ifndef MEMCGFS_SLAB_HOOK_H
#define MEMCGFS_SLAB_HOOK_H

#include <stdbool.h>

#include "magazine.h"
#include "slab.h"

/* The cache's index in every per-cache table (< KMEM_MAX_CACHES). */
static inline unsigned int kmem_hook_id(const struct kmem_cache *s)
{
	return s->id;
}

/* The bytes one object takes in its slab (kmem_cache_stride()). */
static inline size_t kmem_hook_stride(const struct kmem_cache *s)
{
	return s->size;
}

static inline unsigned int kmem_hook_flags(const struct kmem_cache *s)
{
	return s->flags;
}

/*
 * A hook that must check more before it commits to an object peeks at
 * the object the next hit allocation would return (NULL: it would
 * miss), and takes it with kmem_hook_take() once it has decided; on a
 * free it asks kmem_hook_free_hits() before it commits, then pushes.
 * Nothing else may use @s on this thread in between.
 */
static inline void *kmem_hook_peek(const struct kmem_cache *s)
{
	struct kmem_magazine *m = kmem_tl.cpu[s->id].loaded;

	return likely(m && m->rounds) ? m->objs[m->rounds - 1] : NULL;
}

static inline void kmem_hook_take(const struct kmem_cache *s)
{
	kmem_tl.cpu[s->id].loaded->rounds--;
}

static inline bool kmem_hook_free_hits(const struct kmem_cache *s)
{
	struct kmem_magazine *m = kmem_tl.cpu[s->id].loaded;

	return likely(m && m->rounds < m->size);
}

static inline void kmem_hook_push(const struct kmem_cache *s, void *obj)
{
	struct kmem_magazine *m = kmem_tl.cpu[s->id].loaded;

	m->objs[m->rounds++] = obj;
}

/* The obj_exts slot of @obj, or NULL if its slab has no array yet (then
 * slab_obj_ext() makes one) or @obj is no object of @s. */
static inline void **kmem_hook_obj_ext(const struct kmem_cache *s,
				       const void *obj)
{
	return slab_obj_ext_fast(s, obj);
}

#endif
