/*
 * memcg_kmem.h - the allocation hooks that charge kernel objects to an
 * obj_cgroup (memcg_kmem.c): slab objects and per-CPU areas.
 */
#ifndef MEMCGFS_MEMCG_KMEM_H
#define MEMCGFS_MEMCG_KMEM_H

#include <stddef.h>

#include "memcg_stat.h"
#include "obj_cgroup.h"

struct kmem_cache;

/* An object of @s charged to @objcg (kmem_cache_alloc + __GFP_ACCOUNT):
 * NULL with errno ENOMEM when the charge or the allocation fails. */
void *kmem_cache_alloc_account(struct kmem_cache *s, struct obj_cgroup *objcg,
			       enum gfp_mode gfp);
/* Free an object of @s (kmem_cache_free), uncharging whoever its objcg
 * now stands for.  @obj is not NULL (kfree_account() takes NULL); it may
 * be unaccounted, or from a pre-5.9 clone of @s: the general path. */
void kmem_cache_free_account(struct kmem_cache *s, void *obj);
/* The same when the cache is not known (kfree): one lookup more. */
void kfree_account(void *obj);
/* The objcg an accounted object holds, or NULL. */
struct obj_cgroup *slab_objcg(const void *obj);
/* Bytes a slab object of @s is charged: the object plus its pointer. */
size_t obj_full_size(const struct kmem_cache *s);
/* The slab stat its objects count in: NR_SLAB_[UN]RECLAIMABLE_B. */
enum memcg_stat_item kmem_cache_stat_item(const struct kmem_cache *s);
/* Objects per cache now charged to @memcg (memory.kmem.slabinfo): a walk
 * of every slab, as tools/cgroup/memcg_slabinfo.py does; fn is called
 * for each cache with objects, in creation order. */
void memcg_slabinfo(struct mem_cgroup *memcg,
		    void (*fn)(struct kmem_cache *s, unsigned long nr,
			       void *arg), void *arg);
/* Per-CPU areas of @size bytes in all: charged and counted in percpu. */
int pcpu_memcg_post_alloc_hook(struct obj_cgroup *objcg, enum gfp_mode gfp,
			       size_t size);
void pcpu_memcg_free_hook(struct obj_cgroup *objcg, size_t size);

#endif
