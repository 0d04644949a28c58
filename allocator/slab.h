/*
 * slab.h - memcgfs's slab allocator: the public API.
 *
 * A kmem_cache hands out objects of one size.  Objects come from slabs
 * (runs of 1, 2, 4 or 8 pages from page_alloc.h); each thread keeps two
 * magazines of free objects per cache, so kmem_cache_alloc() and
 * kmem_cache_free() normally touch only thread-local memory: no lock and
 * no atomic.  See allocator/README.md for the design and its reasons.
 *
 * Rules for callers (the same ones the kernel has):
 *  - A constructor runs once per object, when its slab is built, under
 *    the cache's lock; it must not allocate from the same cache.  An
 *    object must be back in its constructed state when it is freed.
 *  - kmem_cache_destroy() must not race with alloc/free on the same cache
 *    from any thread: the caller guarantees the cache is quiescent.  It
 *    then reclaims objects parked in every thread's magazines.
 *  - kmem_cache_free(s, obj) with obj not from s is reported and the
 *    object is leaked rather than corrupting another cache.
 *
 * Errors are negative errno values, except where a pointer is returned
 * (then NULL with errno set).
 */
#ifndef MEMCGFS_SLAB_H
#define MEMCGFS_SLAB_H

#include <stddef.h>

/* Cache flags (the subset of SLAB_* that matters to memcg). */
#define SLAB_ACCOUNT		0x1u	/* objects are charged to a memcg */
#define SLAB_RECLAIM_ACCOUNT	0x2u	/* counted as reclaimable slab */
#define SLAB_HWCACHE_ALIGN	0x4u	/* align objects to cache lines */
#define SLAB_FLAGS_MASK		0x7u

#define KMEM_NAME_MAX		32	/* including the NUL */
#define KMEM_MAX_CACHES		1024	/* live caches at once, clones included */
#define KMEM_EMPTY_MAX		4	/* empty slabs a cache keeps */
#define KMEM_MAX_OBJECT		(32u * 1024)	/* bigger: kmalloc_large */

struct kmem_cache;

/*
 * Create a cache.  name: 1..31 printable non-space characters, unique;
 * size: 1..KMEM_MAX_OBJECT; align: 0 or a power of two <= PAGE_SIZE.
 * NULL with errno EINVAL, EEXIST, ENOSPC (too many caches) or ENOMEM.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned int flags,
				     void (*ctor)(void *));
/* The same, and on failure *@why says which rule refused (for sim.log,
 * where the kernel would pr_err()). */
struct kmem_cache *kmem_cache_create_why(const char *name, size_t size,
					 size_t align, unsigned int flags,
					 void (*ctor)(void *),
					 const char **why);

/* NULL (errno ENOMEM) only when the page allocator fails. */
void *kmem_cache_alloc(struct kmem_cache *s);
void kmem_cache_free(struct kmem_cache *s, void *obj);

/* Free an object of any cache (or a large kmalloc); finds it in O(1). */
void kmem_cache_free_any(void *obj);

/* The cache obj belongs to, or NULL for a large kmalloc. */
struct kmem_cache *kmem_cache_of(const void *obj);

/*
 * Give back what the calling thread can safely reach: its own magazines,
 * the cache's depot and every empty slab.  Returns the number of slabs
 * freed.  Other threads' magazines are theirs until they exit.
 */
long kmem_cache_shrink(struct kmem_cache *s);

/*
 * Destroy a quiescent cache.  -EBUSY, reported through the report hook,
 * if objects are still allocated; the cache then stays fully usable so
 * the caller can free them and retry.  Nothing is ever leaked silently.
 */
int kmem_cache_destroy(struct kmem_cache *s);

/* Flush the calling thread's magazines of every cache (thread exit does
 * this by itself). */
void kmem_cache_drain_local(void);

/* /proc/slabinfo 2.1 fields, plus a few of our own. */
struct kmem_cache_stats {
	char name[KMEM_NAME_MAX];
	unsigned long active_objs;	/* allocated from slabs, not in depot */
	unsigned long num_objs;		/* slabs * objperslab */
	unsigned int objsize;		/* stride in the slab (s->size) */
	unsigned int objperslab;
	unsigned int pagesperslab;
	unsigned long active_slabs;	/* slabs with objects allocated */
	unsigned long num_slabs;
	/* ours */
	unsigned int object_size;	/* as asked at create time */
	unsigned int flags;
	unsigned long depot_objs;	/* free objects in full magazines */
	unsigned long empty_slabs;
};

int kmem_cache_stats(struct kmem_cache *s, struct kmem_cache_stats *st);

/*
 * Call fn on every cache, in creation order, under the global slab mutex:
 * fn must not create or destroy caches.  Stops at and returns the first
 * non-zero value fn returns.
 */
int kmem_cache_for_each(int (*fn)(struct kmem_cache *s, void *arg),
			void *arg);

struct kmem_cache *kmem_cache_find(const char *name);
const char *kmem_cache_name(const struct kmem_cache *s);
size_t kmem_cache_size(const struct kmem_cache *s);	/* object_size */
size_t kmem_cache_stride(const struct kmem_cache *s);	/* s->size */
unsigned int kmem_cache_flags(const struct kmem_cache *s);

/*
 * Per-object metadata hook (future: the obj_cgroup of an accounted
 * object, as slab->obj_exts[] in 5.9+).  Returns the slot of obj in its
 * slab's obj_exts array, allocating the array (zeroed) on first use;
 * NULL if that allocation fails.  The slot is not cleared on free: the
 * free hook that set it must clear it.  Array allocation is lock-free
 * (cmpxchg, loser frees), so any thread may call this on an object it
 * owns; two threads never share one slot.
 */
void **slab_obj_ext(const void *obj);
/* The slot if the slab has an obj_exts array, else NULL; never allocates. */
void **slab_obj_ext_peek(const void *obj);
/* Both lookups of a free in one: the slot (or NULL) and, in *sp, the
 * cache (NULL for a large kmalloc). */
void **slab_obj_ext_of(const void *obj, struct kmem_cache **sp);

/*
 * Call fn on every non-NULL obj_exts slot of @s's slabs, under the cache
 * lock (as tools/cgroup/memcg_slabinfo.py walks slab pages).  Slots of
 * freed objects are NULL: the free hook clears them.
 */
void kmem_cache_for_each_obj_ext(struct kmem_cache *s,
				 void (*fn)(void *ext, void *arg), void *arg);

/*
 * Per-memcg cache clones (the pre-5.9 design; core/memcg_kmem_cache.c).
 * A clone is a cache of its own, with @root's geometry, flags and
 * constructor, whose objects bypass the per-thread magazines: every
 * alloc and free goes straight to the slab layer under the cache lock,
 * so one allocation makes at most one new slab and the owner can charge
 * whole slab pages exactly (memcg_charge_slab()).  The caller serialises
 * all use of a clone (memcgfs: cgroup_mutex held for writing), so the
 * answer of kmem_cache_needs_slab() holds until its next call.
 */
struct kmem_cache *kmem_cache_create_clone(struct kmem_cache *root,
					   const char *name, void *owner);
/* The owner given at creation; NULL for an ordinary cache. */
void *kmem_cache_clone_owner(const struct kmem_cache *s);
void *kmem_cache_alloc_direct(struct kmem_cache *s);
void kmem_cache_free_direct(struct kmem_cache *s, void *obj);
/* True when the next kmem_cache_alloc_direct() must build a slab. */
int kmem_cache_needs_slab(struct kmem_cache *s);
/* Pages in the cache's slabs (empty ones included). */
unsigned long kmem_cache_nr_pages(struct kmem_cache *s);
/* Keep at most @n empty slabs from now on, discarding the surplus now:
 * 0 is SLUB's dead-cache mode (d6e0b7fa1186, "make dead caches discard
 * free slabs immediately").  Returns the slabs discarded. */
long kmem_cache_set_empty_max(struct kmem_cache *s, unsigned int n);

/*
 * How refusals and misuse are reported (default: one line on stderr).
 * The glue can route it to sim.log.
 */
void kmem_set_report(void (*fn)(const char *msg));

#endif
