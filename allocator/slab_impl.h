/*
 * slab_impl.h - the slab layer's internals (slab.c): struct kmem_cache,
 * struct slab, the magazine type and the obj_exts slot lookup, for the
 * layers above it in allocator/ (magazine.c, slab_common.c,
 * slab_clone.c, kmalloc.c).  Not for users of the allocator: include
 * slab.h (or slab_hook.h for the accounting hooks).
 *
 * Three layers, after Bonwick & Adams, "Magazines and Vmem" (2001):
 *
 *   thread:  kmem_cpu_cache {loaded, prev}  no lock, no atomic
 *   cache:   depot of full/empty magazines  kmem_cache.lock
 *   cache:   slabs on partial/full/empty    kmem_cache.lock
 *   global:  page_alloc                     pa_lock
 *
 * Lock order: slab_mutex -> kmem_cache.lock -> pa_lock.
 * slab_mutex protects the cache registry, the list of registered
 * threads, and every thread's kmem_cpu_cache.owner fields while they
 * are set or cleared (registration, thread exit, destroy).
 */
#ifndef MEMCGFS_SLAB_IMPL_H
#define MEMCGFS_SLAB_IMPL_H

#include <pthread.h>
#include <stdint.h>

#include "page_alloc.h"
#include "slab.h"

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define CACHELINE	64

/* Minimal intrusive list; allocator/ must not depend on core/list.h. */
struct kl_node {
	struct kl_node *prev, *next;
};

static inline void kl_init(struct kl_node *h)
{
	h->prev = h->next = h;
}

static inline int kl_empty(const struct kl_node *h)
{
	return h->next == h;
}

static inline void kl_del(struct kl_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
}

static inline void kl_add(struct kl_node *n, struct kl_node *h)
{
	n->next = h->next;
	n->prev = h;
	h->next->prev = n;
	h->next = n;
}

/*
 * A magazine: a stack of free, constructed objects.  64-byte aligned and
 * padded so two threads' magazines never share a cache line.
 */
struct kmem_magazine {
	unsigned int rounds;		/* objects in objs[] */
	unsigned int size;		/* capacity */
	struct kmem_magazine *next;	/* depot list linkage */
	void *objs[];
};

/*
 * A thread's view of one cache, indexed by kmem_cache.id in the thread's
 * kmem_thread.  Bonwick keeps two magazines so that a thread alternating
 * alloc and free around a boundary does not bounce to the depot.
 */
struct kmem_cpu_cache {
	struct kmem_magazine *loaded;
	struct kmem_magazine *prev;
	struct kmem_cache *owner;	/* set once the slot is in use */
};

/* Which list a slab is on. */
enum slab_list_id { SLAB_PARTIAL, SLAB_FULL, SLAB_EMPTY, NR_SLAB_LISTS };

/* Overlays pa_page.priv of a slab's head page (as in Linux). */
struct slab {
	struct kl_node list;
	struct kmem_cache *cache;
	void *freelist;			/* free objects, linked at s->offset */
	void **obj_exts;		/* lazily, see slab_obj_ext() */
	uint16_t inuse;			/* objects not on freelist */
	uint8_t list_id;		/* enum slab_list_id */
};

_Static_assert(sizeof(struct slab) <= sizeof(((struct pa_page *)0)->priv),
	       "struct slab must fit in pa_page.priv");

struct kmem_cache {
	/* Read-mostly: the fast path reads id only. */
	unsigned int id;		/* index in slab_caches[] and TLS */
	unsigned int size;		/* stride */
	uint32_t reciprocal_size;	/* ceil(2^32 / size): obj_to_index */
	uint32_t slab_mask;		/* slab bytes - 1 (slabs are aligned) */
	unsigned int object_size;
	unsigned int offset;		/* of the free pointer */
	unsigned int align;
	unsigned int flags;
	unsigned int objperslab;
	unsigned int pagesperslab;
	unsigned int mag_size;		/* objects per new magazine */
	unsigned int mag_max;		/* mag_size may grow up to this */
	unsigned int depot_max;		/* full magazines kept in the depot */
	unsigned int empty_max;		/* empty slabs kept */
	void (*ctor)(void *);
	char name[KMEM_NAME_MAX];
	unsigned long seq;		/* creation order */

	/* Slow path: everything below is under lock. */
	pthread_mutex_t lock __attribute__((aligned(CACHELINE)));
	struct kl_node slabs[NR_SLAB_LISTS];
	unsigned long nr_slabs[NR_SLAB_LISTS];
	unsigned long inuse;		/* objects taken from slabs */
	struct kmem_magazine *depot_full, *depot_empty;
	unsigned long nr_depot_full, nr_depot_empty;
	unsigned long depot_objs;	/* rounds in depot_full */
	unsigned long depot_contention;	/* handoffs, see depot_lock */
	const void *depot_user;		/* thread of the last depot trip */
	void *memcg_params;		/* a per-memcg clone's owner (slab_clone.c) */
};

/* slab.c: the slab layer, called with s->lock held. */
unsigned int slab_alloc_bulk(struct kmem_cache *s, void **objs,
			     unsigned int n);
void slab_free_one(struct kmem_cache *s, void *obj);
long discard_empty_slabs(struct kmem_cache *s, unsigned long keep);
void kmem_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* priv[] is only ever accessed as struct slab (page_alloc memsets it). */
static inline struct slab *page_slab(struct pa_page *pg)
{
	return (struct slab *)(void *)pg->priv;
}

static inline struct slab *virt_to_slab(const void *obj)
{
	struct pa_page *pg = pa_virt_to_head(obj);

	return pg->kind == PA_SLAB ? page_slab(pg) : NULL;
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
