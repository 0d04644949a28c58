/*
 * kmalloc.h - size-indexed allocation over the kmalloc-* caches, and the
 * table of built-in named caches (kmem_caches.c).
 *
 * kmem_caches_init() must run once before kmalloc() (the daemon calls it
 * at startup; it is idempotent and thread-safe).
 */
#ifndef MEMCGFS_KMALLOC_H
#define MEMCGFS_KMALLOC_H

#include <stddef.h>

#include "slab.h"

#define KMALLOC_MAX_CACHE_SIZE	8192	/* larger: whole pages */

/* The named caches of the built-in table, in table order. */
enum kmem_builtin {
	KMEM_DENTRY,
	KMEM_INODE_CACHE,
	KMEM_RADIX_TREE_NODE,
	KMEM_TASK_STRUCT,
	KMEM_MM_STRUCT,
	KMEM_SOCK_INODE_CACHE,
	NR_KMEM_BUILTIN
};

struct kmem_builtin_desc {
	const char *name;
	unsigned int size;
	unsigned int align;
	unsigned int flags;
	void (*ctor)(void *);
};

extern const struct kmem_builtin_desc kmem_builtin_table[NR_KMEM_BUILTIN];
extern const unsigned int kmalloc_sizes[];
extern const unsigned int nr_kmalloc_sizes;

/* 0, or -errno with nothing left half-created. */
int kmem_caches_init(void);
/* Destroy every built-in cache; -EBUSY (reported) if any still has
 * objects, in which case the others are destroyed anyway. */
int kmem_caches_exit(void);

struct kmem_cache *kmem_builtin(enum kmem_builtin which);
/* The kmalloc-N cache serving size, or NULL (0 or > 8k, or no init). */
struct kmem_cache *kmalloc_cache(size_t size);

/* NULL with errno ENOMEM (or EINVAL for size 0). */
void *kmalloc(size_t size);
void kfree(void *obj);
/* Usable size of an object from kmalloc() or any cache. */
size_t ksize(const void *obj);

#endif
