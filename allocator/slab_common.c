/*
 * slab_common.c - the cache registry and the caches' lifecycle:
 * geometry, create, destroy, shrink and the registry walks (as the
 * kernel's mm/slab_common.c over mm/slub.c).  It sits above both
 * layers it drives: the magazines (magazine.c) that destroy and shrink
 * drain, and the slabs (slab.c) that they free.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "magazine.h"

/* Under slab_mutex. */
static struct kmem_cache *slab_caches[KMEM_MAX_CACHES];
static unsigned long slab_seq;

/*
 * Pick 2^order pages per slab, order 0..3: the smallest order that holds
 * at least 4 objects (fewer slab-layer trips, as SLUB's min_objects)
 * with at most 1/8 of the slab wasted; failing that, the least waste.
 */
static int calculate_order(struct kmem_cache *s)
{
	unsigned int best = 0, best_waste = ~0u;

	for (unsigned int order = 0; order <= 3; order++) {
		unsigned int bytes = PAGE_SIZE << order;
		unsigned int objs = bytes / s->size;
		unsigned int waste = bytes - objs * s->size;

		if (objs == 0)
			continue;
		if (objs >= 4 && waste * 8 <= bytes) {
			best = order;
			break;
		}
		/* Compare waste fractions: waste/bytes. */
		if (best_waste == ~0u ||
		    (unsigned long)waste * (PAGE_SIZE << best) <
		    (unsigned long)best_waste * bytes) {
			best = order;
			best_waste = waste;
		}
	}
	if ((PAGE_SIZE << best) / s->size == 0)
		return -EINVAL;
	s->pagesperslab = 1u << best;
	s->slab_mask = (uint32_t)(PAGE_SIZE << best) - 1;
	s->objperslab = (PAGE_SIZE << best) / s->size;
	return 0;
}

static int calculate_sizes(struct kmem_cache *s, size_t size, size_t align)
{
	size_t sz;

	if (align == 0)
		align = sizeof(void *);
	if (align & (align - 1) || align > PAGE_SIZE)
		return -EINVAL;
	if (align < sizeof(void *))
		align = sizeof(void *);
	if ((s->flags & SLAB_HWCACHE_ALIGN) && size > CACHELINE / 2 &&
	    align < CACHELINE)
		align = CACHELINE;
	s->object_size = size;
	s->align = align;
	sz = (size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
	if (s->ctor) {			/* free pointer after the object */
		s->offset = sz;
		sz += sizeof(void *);
	} else {
		s->offset = 0;
	}
	s->size = (sz + align - 1) & ~(align - 1);
	s->reciprocal_size = (uint32_t)(((1ULL << 32) + s->size - 1) / s->size);
	if (calculate_order(s))
		return -EINVAL;
	/* Bonwick: smaller magazines for bigger objects bound the memory
	 * parked per thread; the depot keeps about 1 MiB of free objects. */
	s->mag_size = s->size <= 256 ? 64 : s->size <= 1024 ? 32 :
		      s->size <= 4096 ? 16 : 8;
	s->mag_max = s->mag_size * 16;
	s->depot_max = (1u << 20) / (s->size * s->mag_size);
	if (s->depot_max < 4)
		s->depot_max = 4;
	s->empty_max = KMEM_EMPTY_MAX;
	return 0;
}

static int valid_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n >= KMEM_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return 0;
	return 1;
}

static struct kmem_cache *find_locked(const char *name)
{
	for (unsigned int i = 0; i < KMEM_MAX_CACHES; i++)
		if (slab_caches[i] && !strcmp(slab_caches[i]->name, name))
			return slab_caches[i];
	return NULL;
}

static int register_cache(struct kmem_cache *s)
{
	if (find_locked(s->name))
		return -EEXIST;
	for (unsigned int i = 0; i < KMEM_MAX_CACHES; i++) {
		if (!slab_caches[i]) {
			s->id = i;
			s->seq = slab_seq++;
			slab_caches[i] = s;
			return 0;
		}
	}
	return -ENOSPC;
}

static struct kmem_cache *create_fail(int err, const char *reason,
				      const char **why)
{
	errno = err;
	if (why)
		*why = reason;
	return NULL;
}

struct kmem_cache *kmem_cache_create_why(const char *name, size_t size,
					 size_t align, unsigned int flags,
					 void (*ctor)(void *), const char **why)
{
	struct kmem_cache *s;
	int err;

	if (!valid_name(name))
		return create_fail(EINVAL, "a cache name is 1..31 printable "
				   "characters without spaces", why);
	if (size == 0 || size > KMEM_MAX_OBJECT)
		return create_fail(EINVAL, "an object is 1..32768 bytes", why);
	if (flags & ~SLAB_FLAGS_MASK)
		return create_fail(EINVAL, "unknown cache flags", why);
	if (posix_memalign((void **)&s, CACHELINE, sizeof(*s)))
		return create_fail(ENOMEM, "no memory for the cache", why);
	memset(s, 0, sizeof(*s));
	strcpy(s->name, name);
	s->flags = flags;
	s->ctor = ctor;
	err = calculate_sizes(s, size, align);
	if (err) {
		free(s);
		return create_fail(-err, "bad alignment, or no slab order "
				   "fits the object", why);
	}
	pthread_mutex_lock(&slab_mutex);
	err = register_cache(s);
	pthread_mutex_unlock(&slab_mutex);
	if (err) {
		free(s);
		return create_fail(-err, err == -EEXIST ?
				   "a cache of that name exists" :
				   "no cache slot left (1024 caches, clones "
				   "included)", why);
	}
	{
		/* Adaptive: spin briefly first; depot trips are short. */
		pthread_mutexattr_t attr;

		pthread_mutexattr_init(&attr);
		pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
		pthread_mutex_init(&s->lock, &attr);
		pthread_mutexattr_destroy(&attr);
	}
	for (int i = 0; i < NR_SLAB_LISTS; i++)
		kl_init(&s->slabs[i]);
	return s;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned int flags,
				     void (*ctor)(void *))
{
	return kmem_cache_create_why(name, size, align, flags, ctor, NULL);
}

int kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long busy;

	if (!s)
		return 0;
	pthread_mutex_lock(&slab_mutex);
	magazine_drain_all_threads(s);
	pthread_mutex_lock(&s->lock);
	depot_drain(s);
	busy = s->inuse;
	if (!busy)
		discard_empty_slabs(s, 0);
	pthread_mutex_unlock(&s->lock);
	if (busy) {
		pthread_mutex_unlock(&slab_mutex);
		kmem_report("kmem_cache_destroy %s: %lu objects still allocated; "
			    "cache kept", s->name, busy);
		return -EBUSY;
	}
	slab_caches[s->id] = NULL;
	pthread_mutex_unlock(&slab_mutex);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return 0;
}

long kmem_cache_shrink(struct kmem_cache *s)
{
	long n;

	pthread_mutex_lock(&slab_mutex);
	magazine_drain_local(s);
	pthread_mutex_lock(&s->lock);
	depot_drain(s);
	n = discard_empty_slabs(s, 0);
	pthread_mutex_unlock(&s->lock);
	pthread_mutex_unlock(&slab_mutex);
	return n;
}

void kmem_cache_free_any(void *obj)
{
	struct pa_page *pg;

	if (!obj)
		return;
	pg = pa_virt_to_head(obj);
	if (likely(pg->kind == PA_SLAB))
		kmem_cache_free(page_slab(pg)->cache, obj);
	else if (pg->kind == PA_LARGE && pa_page_address(pg) == obj)
		pa_free_pages(pg);
	else
		kmem_report("free of %p: not an allocated object; ignored", obj);
}

int kmem_cache_for_each(int (*fn)(struct kmem_cache *s, void *arg),
			void *arg)
{
	struct kmem_cache *order[KMEM_MAX_CACHES];
	unsigned int n = 0;
	int ret = 0;

	pthread_mutex_lock(&slab_mutex);
	for (unsigned int i = 0; i < KMEM_MAX_CACHES; i++)
		if (slab_caches[i])
			order[n++] = slab_caches[i];
	/* Insertion sort by creation order: n is small, this is not hot. */
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j && order[j - 1]->seq > order[j]->seq;
		     j--) {
			struct kmem_cache *t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (unsigned int i = 0; i < n && !ret; i++)
		ret = fn(order[i], arg);
	pthread_mutex_unlock(&slab_mutex);
	return ret;
}

struct kmem_cache *kmem_cache_find(const char *name)
{
	struct kmem_cache *s;

	pthread_mutex_lock(&slab_mutex);
	s = find_locked(name);
	pthread_mutex_unlock(&slab_mutex);
	return s;
}
