/*
 * kmem_caches.c - the built-in caches: kmalloc-8 ... kmalloc-8k and the
 * named kernel caches memcg workloads are made of.
 *
 * Sizes are the object sizes of an x86_64 6.1 kernel (Debian 12 config)
 * as /proc/slabinfo shows them, flags as the kernel creates them
 * (fs/dcache.c, fs/inode.c, lib/radix-tree.c, kernel/fork.c,
 * net/socket.c).  The ctors stand in for the kernel's (radix_tree_node,
 * inode init_once, sock init_once): the object is zeroed once per slab
 * lifetime, which exercises the constructed-state path; a cache with a
 * ctor carries its free pointer after the object, as in SLUB.
 * kmalloc-N caches are unaccounted: accounted kmalloc is the future
 * kmalloc-cg-N family.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "kmalloc.h"

static void zero_ctor_576(void *obj)	{ memset(obj, 0, 576); }
static void zero_ctor_600(void *obj)	{ memset(obj, 0, 600); }
static void zero_ctor_832(void *obj)	{ memset(obj, 0, 832); }

const struct kmem_builtin_desc kmem_builtin_table[NR_KMEM_BUILTIN] = {
	[KMEM_DENTRY] = { "dentry", 192, 8,
		SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT, NULL },
	[KMEM_INODE_CACHE] = { "inode_cache", 600, 8,
		SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT, zero_ctor_600 },
	/* Charged per allocation with __GFP_ACCOUNT, not SLAB_ACCOUNT. */
	[KMEM_RADIX_TREE_NODE] = { "radix_tree_node", 576, 8,
		SLAB_RECLAIM_ACCOUNT, zero_ctor_576 },
	[KMEM_TASK_STRUCT] = { "task_struct", 9792, 64,
		SLAB_ACCOUNT, NULL },
	[KMEM_MM_STRUCT] = { "mm_struct", 1088, 64,
		SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL },
	[KMEM_SOCK_INODE_CACHE] = { "sock_inode_cache", 832, 64,
		SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
		zero_ctor_832 },
};

const unsigned int kmalloc_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};
const unsigned int nr_kmalloc_sizes =
	sizeof(kmalloc_sizes) / sizeof(kmalloc_sizes[0]);

/* Written once under init_lock, before any kmalloc() can see them. */
struct kmem_cache *kmalloc_caches[sizeof(kmalloc_sizes) /
				  sizeof(kmalloc_sizes[0])];
static struct kmem_cache *builtin_caches[NR_KMEM_BUILTIN];
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int initialized;

static void kmalloc_name(char *buf, size_t len, unsigned int size)
{
	if (size >= 1024)
		snprintf(buf, len, "kmalloc-%uk", size / 1024);
	else
		snprintf(buf, len, "kmalloc-%u", size);
}

static int destroy_all(void)
{
	int ret = 0;

	for (unsigned int i = 0; i < nr_kmalloc_sizes; i++) {
		if (kmalloc_caches[i] && kmem_cache_destroy(kmalloc_caches[i]))
			ret = -EBUSY;
		else
			kmalloc_caches[i] = NULL;
	}
	for (unsigned int i = 0; i < NR_KMEM_BUILTIN; i++) {
		if (builtin_caches[i] && kmem_cache_destroy(builtin_caches[i]))
			ret = -EBUSY;
		else
			builtin_caches[i] = NULL;
	}
	return ret;
}

static int create_all(void)
{
	char name[KMEM_NAME_MAX];

	for (unsigned int i = 0; i < nr_kmalloc_sizes; i++) {
		kmalloc_name(name, sizeof(name), kmalloc_sizes[i]);
		kmalloc_caches[i] = kmem_cache_create(name, kmalloc_sizes[i],
						      0, 0, NULL);
		if (!kmalloc_caches[i])
			return -errno;
	}
	for (unsigned int i = 0; i < NR_KMEM_BUILTIN; i++) {
		const struct kmem_builtin_desc *d = &kmem_builtin_table[i];

		builtin_caches[i] = kmem_cache_create(d->name, d->size,
						      d->align, d->flags,
						      d->ctor);
		if (!builtin_caches[i])
			return -errno;
	}
	return 0;
}

int kmem_caches_init(void)
{
	int err = 0;

	pthread_mutex_lock(&init_lock);
	if (!initialized) {
		err = create_all();
		if (err)
			destroy_all();
		else
			initialized = 1;
	}
	pthread_mutex_unlock(&init_lock);
	return err;
}

int kmem_caches_exit(void)
{
	int err;

	pthread_mutex_lock(&init_lock);
	err = destroy_all();
	if (!err)
		initialized = 0;
	pthread_mutex_unlock(&init_lock);
	return err;
}

struct kmem_cache *kmem_builtin(enum kmem_builtin which)
{
	return (unsigned int)which < NR_KMEM_BUILTIN ? builtin_caches[which]
						     : NULL;
}
