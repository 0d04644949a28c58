/*
 * kmalloc.c - kmalloc()/kfree() over the kmalloc-N caches of
 * kmem_caches.c; sizes above 8 KiB take whole pages from page_alloc.
 *
 * Size to cache in O(1): sizes up to 192 go through a 24-entry table
 * (as the kernel's size_index[], because 96 and 192 break the powers of
 * two); larger sizes by their highest bit.
 */
#include <errno.h>

#include "kmalloc.h"
#include "slab_impl.h"

extern struct kmem_cache *kmalloc_caches[];

/* Index into kmalloc_sizes[] for sizes 1..192, by (size - 1) / 8. */
static const unsigned char size_index[24] = {
	0,		/* 8 */
	1,		/* 16 */
	2, 2,		/* 32 */
	3, 3, 3, 3,	/* 64 */
	4, 4, 4, 4,	/* 96 */
	5, 5, 5, 5,	/* 128 */
	6, 6, 6, 6, 6, 6, 6, 6,	/* 192 */
};

static inline int kmalloc_index(size_t size)
{
	if (size <= 192)
		return size_index[(size - 1) / 8];
	/* 193..256 -> 7 (256), 257..512 -> 8, ..., 4097..8192 -> 12 */
	return 64 - __builtin_clzl(size - 1) - 8 + 7;
}

struct kmem_cache *kmalloc_cache(size_t size)
{
	if (size == 0 || size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	return kmalloc_caches[kmalloc_index(size)];
}

static void *kmalloc_large(size_t size)
{
	struct pa_page *pg;

	return pa_alloc_pages((size + PAGE_SIZE - 1) >> PAGE_SHIFT, PA_LARGE,
			      &pg);
}

void *kmalloc(size_t size)
{
	struct kmem_cache *s;

	if (unlikely(size == 0)) {
		errno = EINVAL;
		return NULL;
	}
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size);
	s = kmalloc_caches[kmalloc_index(size)];
	if (unlikely(!s)) {
		errno = EINVAL;		/* kmem_caches_init() not called */
		return NULL;
	}
	return kmem_cache_alloc(s);
}

void kfree(void *obj)
{
	kmem_cache_free_any(obj);
}

size_t ksize(const void *obj)
{
	struct pa_page *pg;

	if (!obj)
		return 0;
	pg = pa_virt_to_head(obj);
	if (pg->kind == PA_SLAB)
		return page_slab(pg)->cache->object_size;
	if (pg->kind == PA_LARGE)
		return (size_t)pg->npages << PAGE_SHIFT;
	return 0;
}
