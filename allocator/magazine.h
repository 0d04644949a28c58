/*
 * magazine.h - the per-thread magazine layer (magazine.c): a thread's
 * magazines, the hit paths as inline functions and the misses they go
 * to, and the drains that the cache lifecycle (slab_common.c) calls.
 * kmem_cache_alloc()/kmem_cache_free() are the inline hit paths; the
 * accounting hooks outside allocator/ reach them only through
 * slab_hook.h.
 *
 * Like slab_impl.h, internal to allocator/: users include slab.h.
 * Rules of the hit path (magazine.c): the thread touches only its own
 * kmem_thread, so no lock and no atomic; every miss goes to an
 * out-of-line slow path.
 */
#ifndef MEMCGFS_MAGAZINE_H
#define MEMCGFS_MAGAZINE_H

#include "slab_impl.h"

/* A thread's magazines, one kmem_cpu_cache per cache id (magazine.c). */
struct kmem_thread {
	struct kl_node node;		/* on kmem_threads, under slab_mutex */
	int registered;
	struct kmem_cpu_cache cpu[KMEM_MAX_CACHES];
};

extern __thread struct kmem_thread kmem_tl;

/* Under slab_mutex: the cache registry (slab_common.c) and the thread
 * list (see slab_impl.h for the lock order). */
extern pthread_mutex_t slab_mutex;
void magazine_drain_all_threads(struct kmem_cache *s);	/* slab_mutex held */
void magazine_drain_local(struct kmem_cache *s);	/* slab_mutex held */
void depot_drain(struct kmem_cache *s);			/* s->lock held */

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

#endif
