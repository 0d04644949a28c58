/*
 * slab_clone.c - what the pre-5.9 per-memcg cache clones need from the
 * slab layer (see slab.h): a copy of a root cache, and a direct path to
 * its slabs that skips the magazines.
 *
 * Why skip the magazines: a clone's pages are charged to its memcg one
 * slab at a time, and a magazine refill could build several slabs in one
 * go, behind the charge's back.  The direct path costs a lock per object,
 * which the kernel's clones did not pay; their speed is not what the
 * kmem=clone-* policies are there to show, their lifetimes are.
 *
 * Locking: s->lock around every slab-layer call, as magazine.c does.
 */
#include <errno.h>

#include "slab_impl.h"

struct kmem_cache *kmem_cache_create_clone(struct kmem_cache *root,
					   const char *name, void *owner)
{
	struct kmem_cache *s = kmem_cache_create(name, root->object_size,
						 root->align, root->flags,
						 root->ctor);

	if (s)
		s->memcg_params = owner;
	return s;
}

void *kmem_cache_clone_owner(const struct kmem_cache *s)
{
	return s->memcg_params;
}

void *kmem_cache_alloc_direct(struct kmem_cache *s)
{
	void *obj = NULL;

	pthread_mutex_lock(&s->lock);
	slab_alloc_bulk(s, &obj, 1);
	pthread_mutex_unlock(&s->lock);
	if (!obj)
		errno = ENOMEM;
	return obj;
}

void kmem_cache_free_direct(struct kmem_cache *s, void *obj)
{
	pthread_mutex_lock(&s->lock);
	slab_free_one(s, obj);
	pthread_mutex_unlock(&s->lock);
}

int kmem_cache_needs_slab(struct kmem_cache *s)
{
	int needs;

	pthread_mutex_lock(&s->lock);
	needs = !s->nr_slabs[SLAB_PARTIAL] && !s->nr_slabs[SLAB_EMPTY];
	pthread_mutex_unlock(&s->lock);
	return needs;
}

unsigned long kmem_cache_nr_pages(struct kmem_cache *s)
{
	unsigned long slabs = 0;

	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < NR_SLAB_LISTS; i++)
		slabs += s->nr_slabs[i];
	pthread_mutex_unlock(&s->lock);
	return slabs * s->pagesperslab;
}

long kmem_cache_set_empty_max(struct kmem_cache *s, unsigned int n)
{
	long freed;

	pthread_mutex_lock(&s->lock);
	s->empty_max = n;
	freed = discard_empty_slabs(s, n);
	pthread_mutex_unlock(&s->lock);
	return freed;
}
