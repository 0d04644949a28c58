/*
 * slab.c - the slab layer: slabs on the partial/full/empty lists,
 * statistics and the obj_exts hook (the cache registry and lifecycle
 * are slab_common.c's).
 *
 * A slab is a run of 2^order pages from page_alloc.c whose head page
 * descriptor holds struct slab.  Free objects in a slab are linked
 * through a free pointer stored inside the object (SLUB style): at
 * offset 0, or, when the cache has a constructor, in a word appended
 * after the object so that the constructed state survives free (as SLUB
 * does for ctor caches).  No bufctl array, so a 64-byte cache packs 64
 * objects in a page with no header on the page: 100% of the slab is
 * objects.
 *
 * Everything here except the lookups runs under the cache lock, on the
 * slow path reached once per magazine (see magazine.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slab_impl.h"


/* --- reporting ------------------------------------------------------- */

static void report_stderr(const char *msg)
{
	fprintf(stderr, "memcgfs: slab: %s\n", msg);
}

static void (*kmem_report_fn)(const char *msg) = report_stderr;

void kmem_set_report(void (*fn)(const char *msg))
{
	__atomic_store_n(&kmem_report_fn, fn ? fn : report_stderr,
			 __ATOMIC_RELAXED);
}

/* Any context, any lock held: the hook must not call the allocator's
 * create/destroy paths. */
void kmem_report(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	__atomic_load_n(&kmem_report_fn, __ATOMIC_RELAXED)(buf);
}

/* --- objects within a slab ------------------------------------------- */

static inline void *get_freeptr(const struct kmem_cache *s, void *obj)
{
	return *(void **)((char *)obj + s->offset);
}

static inline void set_freeptr(const struct kmem_cache *s, void *obj,
			       void *next)
{
	*(void **)((char *)obj + s->offset) = next;
}

static inline struct pa_page *slab_page(struct slab *slab)
{
	return (struct pa_page *)((char *)slab -
				  __builtin_offsetof(struct pa_page, priv));
}

/* --- the slab lists: s->lock held -------------------------------------- */

static void slab_relist(struct kmem_cache *s, struct slab *slab)
{
	enum slab_list_id to = slab->inuse == 0 ? SLAB_EMPTY :
			       slab->inuse == s->objperslab ? SLAB_FULL :
			       SLAB_PARTIAL;

	if (to == slab->list_id)
		return;
	kl_del(&slab->list);
	s->nr_slabs[slab->list_id]--;
	kl_add(&slab->list, &s->slabs[to]);
	s->nr_slabs[to]++;
	slab->list_id = to;
}

/*
 * Build a slab: construct every object now (Bonwick: constructed state
 * is cached, so the ctor cost is paid once per object lifetime of the
 * slab, not per allocation) and link them in address order.
 */
static struct slab *new_slab(struct kmem_cache *s)
{
	struct pa_page *pg;
	struct slab *slab;
	char *base, *obj;

	base = pa_alloc_pages(s->pagesperslab, PA_SLAB, &pg);
	if (!base)
		return NULL;
	slab = page_slab(pg);
	slab->cache = s;
	slab->inuse = 0;
	slab->obj_exts = NULL;
	slab->freelist = base;
	for (unsigned int i = 0; i < s->objperslab; i++) {
		obj = base + (size_t)i * s->size;
		if (s->ctor)
			s->ctor(obj);
		set_freeptr(s, obj, i + 1 < s->objperslab ? obj + s->size
							   : NULL);
	}
	slab->list_id = SLAB_EMPTY;
	kl_add(&slab->list, &s->slabs[SLAB_EMPTY]);
	s->nr_slabs[SLAB_EMPTY]++;
	return slab;
}

static void discard_slab(struct kmem_cache *s, struct slab *slab)
{
	kl_del(&slab->list);
	s->nr_slabs[slab->list_id]--;
	free(__atomic_load_n(&slab->obj_exts, __ATOMIC_ACQUIRE));
	pa_free_pages(slab_page(slab));
}

long discard_empty_slabs(struct kmem_cache *s, unsigned long keep)
{
	long n = 0;

	while (s->nr_slabs[SLAB_EMPTY] > keep) {
		discard_slab(s, (struct slab *)s->slabs[SLAB_EMPTY].next);
		n++;
	}
	return n;
}

/* Partial slabs first (keeps empty ones empty, so they can be freed). */
static struct slab *slab_to_fill(struct kmem_cache *s)
{
	if (!kl_empty(&s->slabs[SLAB_PARTIAL]))
		return (struct slab *)s->slabs[SLAB_PARTIAL].next;
	if (!kl_empty(&s->slabs[SLAB_EMPTY]))
		return (struct slab *)s->slabs[SLAB_EMPTY].next;
	return new_slab(s);
}

/* Take up to n objects; returns how many (fewer only on ENOMEM). */
unsigned int slab_alloc_bulk(struct kmem_cache *s, void **objs,
			     unsigned int n)
{
	unsigned int got = 0;
	struct slab *slab;

	while (got < n && (slab = slab_to_fill(s))) {
		while (got < n && slab->freelist) {
			void *obj = slab->freelist;

			slab->freelist = get_freeptr(s, obj);
			objs[got++] = obj;
			slab->inuse++;
		}
		slab_relist(s, slab);
	}
	s->inuse += got;
	return got;
}

void slab_free_one(struct kmem_cache *s, void *obj)
{
	struct slab *slab = virt_to_slab(obj);

	if (unlikely(!slab || slab->cache != s)) {
		kmem_report("free of %p to %s: object belongs to %s; leaked",
			    obj, s->name, slab ? slab->cache->name : "no cache");
		return;
	}
	set_freeptr(s, obj, slab->freelist);
	slab->freelist = obj;
	slab->inuse--;
	s->inuse--;
	slab_relist(s, slab);
	if (slab->inuse == 0 && s->nr_slabs[SLAB_EMPTY] > s->empty_max)
		discard_slab(s, slab);
}

/* --- lookups and introspection --------------------------------------------- */

struct kmem_cache *kmem_cache_of(const void *obj)
{
	struct slab *slab = virt_to_slab(obj);

	return slab ? slab->cache : NULL;
}

int kmem_cache_stats(struct kmem_cache *s, struct kmem_cache_stats *st)
{
	unsigned long slabs;

	memset(st, 0, sizeof(*st));
	strcpy(st->name, s->name);
	st->objsize = s->size;
	st->object_size = s->object_size;
	st->objperslab = s->objperslab;
	st->pagesperslab = s->pagesperslab;
	st->flags = s->flags;
	pthread_mutex_lock(&s->lock);
	slabs = s->nr_slabs[SLAB_PARTIAL] + s->nr_slabs[SLAB_FULL] +
		s->nr_slabs[SLAB_EMPTY];
	st->num_slabs = slabs;
	st->active_slabs = slabs - s->nr_slabs[SLAB_EMPTY];
	st->empty_slabs = s->nr_slabs[SLAB_EMPTY];
	st->num_objs = slabs * s->objperslab;
	st->active_objs = s->inuse - s->depot_objs;
	st->depot_objs = s->depot_objs;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

size_t kmem_cache_size(const struct kmem_cache *s)
{
	return s->object_size;
}

size_t kmem_cache_stride(const struct kmem_cache *s)
{
	return s->size;
}

unsigned int kmem_cache_flags(const struct kmem_cache *s)
{
	return s->flags;
}

/* --- obj_exts: per-object metadata ------------------------------------------ */

/* obj_to_index(): see obj_ext_slot_of() in slab_impl.h. */
static void **obj_ext_slot(struct slab *slab, void **v, const void *obj)
{
	return obj_ext_slot_of(slab->cache, v, obj);
}

void kmem_cache_for_each_obj_ext(struct kmem_cache *s,
				 void (*fn)(void *ext, void *arg), void *arg)
{
	static const enum slab_list_id lists[] = { SLAB_PARTIAL, SLAB_FULL };
	struct kl_node *n;
	unsigned int i, l;

	pthread_mutex_lock(&s->lock);
	for (l = 0; l < 2; l++)
		for (n = s->slabs[lists[l]].next; n != &s->slabs[lists[l]];
		     n = n->next) {
			struct slab *slab = (struct slab *)n;
			void **v = __atomic_load_n(&slab->obj_exts,
						   __ATOMIC_ACQUIRE);

			for (i = 0; v && i < s->objperslab; i++) {
				void *ext = __atomic_load_n(&v[i],
							    __ATOMIC_RELAXED);

				if (ext)
					fn(ext, arg);
			}
		}
	pthread_mutex_unlock(&s->lock);
}

void **slab_obj_ext_of(const void *obj, struct kmem_cache **sp)
{
	struct slab *slab = virt_to_slab(obj);
	void **v;

	if (!slab) {
		*sp = NULL;
		return NULL;
	}
	*sp = slab->cache;
	v = __atomic_load_n(&slab->obj_exts, __ATOMIC_ACQUIRE);
	return v ? obj_ext_slot(slab, v, obj) : NULL;
}

void **slab_obj_ext_peek(const void *obj)
{
	struct slab *slab = virt_to_slab(obj);
	void **v = slab ? __atomic_load_n(&slab->obj_exts, __ATOMIC_ACQUIRE)
			: NULL;

	return v ? obj_ext_slot(slab, v, obj) : NULL;
}

void **slab_obj_ext(const void *obj)
{
	struct slab *slab = virt_to_slab(obj);
	void **v, **expected = NULL;

	if (!slab)
		return NULL;
	v = __atomic_load_n(&slab->obj_exts, __ATOMIC_ACQUIRE);
	if (!v) {
		v = calloc(slab->cache->objperslab, sizeof(void *));
		if (!v)
			return NULL;
		if (!__atomic_compare_exchange_n(&slab->obj_exts, &expected, v,
						 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE)) {
			free(v);
			v = expected;
		}
	}
	return obj_ext_slot(slab, v, obj);
}
