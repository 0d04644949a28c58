/*
 * magazine.c - the per-thread layer and the depot (Bonwick's magazines).
 *
 * Each thread has, for every cache it has used, two magazines: loaded
 * and prev.  Allocation pops from loaded, free pushes onto it; the only
 * memory touched is the thread's own, so the hit path takes no lock and
 * no atomic (and costs a handful of instructions).  When loaded is empty
 * (alloc) or full (free) the thread first swaps it with prev, and only
 * when both are unusable does it go to the cache's depot, under the
 * cache lock, to trade a whole magazine: one lock per mag_size objects.
 *
 * Why per thread and not per virtual CPU: a per-CPU cache without locks
 * needs restartable sequences (rseq), so that a preempted or migrated
 * thread cannot corrupt another's CPU slot; that is kernel-specific,
 * fragile and hard to test under sanitizers.  Threads are what we have
 * in user space, and memcgfs has a bounded pool of them (max_threads),
 * so the cost of per-thread caching - free objects parked in idle
 * threads - is bounded too: at most 2 * mag_size objects per cache per
 * thread.  A thread's magazines are flushed when it exits (pthread key
 * destructor) or calls kmem_cache_drain_local().
 *
 * Destroy rule: kmem_cache_destroy() requires a quiescent cache (as in
 * the kernel).  Under slab_mutex it walks every registered thread and
 * drains that thread's slot for the cache, then clears it, so a
 * recycled cache id can never inherit a stale magazine, and the exit
 * destructor (also under slab_mutex) only ever sees live caches.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "magazine.h"

/* Under slab_mutex (see slab_impl.h). */
pthread_mutex_t slab_mutex = PTHREAD_MUTEX_INITIALIZER;

__thread struct kmem_thread kmem_tl;	/* struct in magazine.h */
static struct kl_node kmem_threads = { &kmem_threads, &kmem_threads };
static pthread_key_t kmem_key;
static pthread_once_t kmem_key_once = PTHREAD_ONCE_INIT;

/* --- magazines and the depot: s->lock held ------------------------- */

/*
 * Take the cache lock for a depot trip.  Bonwick's answer to depot
 * contention is bigger magazines, not more locks.  Contention here is
 * any trip that finds the depot last used by another thread: then the
 * lock, the depot lists and likely the magazines traded come from that
 * thread's CPU cache, which costs as much as waiting (on 2 threads the
 * lock is rarely busy, yet those misses doubled the cost of a depot-bound
 * workload).  Every such trip is counted, and past a threshold the
 * cache's magazine size doubles (up to mag_max), so threads sharing a
 * cache come to the depot less often.  New magazines get the new size;
 * old ones keep theirs (m->size).  A cache only one thread uses never
 * grows.
 */
#define DEPOT_CONTENTION_GROW	8

static void depot_lock(struct kmem_cache *s)
{
	bool contended = pthread_mutex_trylock(&s->lock) != 0;

	if (contended)
		pthread_mutex_lock(&s->lock);
	if (s->depot_user != &kmem_tl) {
		s->depot_user = &kmem_tl;
		contended = true;
	}
	if (contended && ++s->depot_contention >= DEPOT_CONTENTION_GROW &&
	    s->mag_size < s->mag_max) {
		s->mag_size *= 2;
		s->depot_max = s->depot_max / 2 > 4 ? s->depot_max / 2 : 4;
		s->depot_contention = 0;
	}
}

static struct kmem_magazine *mag_new(struct kmem_cache *s)
{
	size_t bytes = sizeof(struct kmem_magazine) +
		       s->mag_size * sizeof(void *);
	struct kmem_magazine *m;

	bytes = (bytes + CACHELINE - 1) & ~(size_t)(CACHELINE - 1);
	if (posix_memalign((void **)&m, CACHELINE, bytes))
		return NULL;
	m->rounds = 0;
	m->size = s->mag_size;
	m->next = NULL;
	return m;
}

static struct kmem_magazine *depot_get_empty(struct kmem_cache *s)
{
	struct kmem_magazine *m = s->depot_empty;

	if (!m)
		return mag_new(s);
	s->depot_empty = m->next;
	s->nr_depot_empty--;
	if (m->size < s->mag_size) {	/* outgrown: replace it */
		free(m);
		return mag_new(s);
	}
	return m;
}

static void depot_put_empty(struct kmem_cache *s, struct kmem_magazine *m)
{
	if (s->nr_depot_empty >= s->depot_max) {
		free(m);
		return;
	}
	m->next = s->depot_empty;
	s->depot_empty = m;
	s->nr_depot_empty++;
}

static struct kmem_magazine *depot_get_full(struct kmem_cache *s)
{
	struct kmem_magazine *m = s->depot_full;

	if (m) {
		s->depot_full = m->next;
		s->nr_depot_full--;
		s->depot_objs -= m->rounds;
	}
	return m;
}

static void mag_flush(struct kmem_cache *s, struct kmem_magazine *m)
{
	while (m->rounds)
		slab_free_one(s, m->objs[--m->rounds]);
}

/* A full magazine goes to the depot, or back to the slabs past the cap. */
static void depot_put_full(struct kmem_cache *s, struct kmem_magazine *m)
{
	if (s->nr_depot_full >= s->depot_max) {
		mag_flush(s, m);
		depot_put_empty(s, m);
		return;
	}
	m->next = s->depot_full;
	s->depot_full = m;
	s->nr_depot_full++;
	s->depot_objs += m->rounds;
}

void depot_drain(struct kmem_cache *s)
{
	struct kmem_magazine *m;

	while ((m = depot_get_full(s))) {
		mag_flush(s, m);
		free(m);
	}
	while ((m = s->depot_empty)) {
		s->depot_empty = m->next;
		free(m);
	}
	s->nr_depot_empty = 0;
}

/* --- thread registration and exit ------------------------------------ */

static void cpu_drain(struct kmem_cache *s, struct kmem_cpu_cache *c)
{
	pthread_mutex_lock(&s->lock);
	if (c->loaded) {
		mag_flush(s, c->loaded);
		free(c->loaded);
	}
	if (c->prev) {
		mag_flush(s, c->prev);
		free(c->prev);
	}
	pthread_mutex_unlock(&s->lock);
	c->loaded = c->prev = NULL;
	c->owner = NULL;
}

static void thread_exit(void *arg)
{
	struct kmem_thread *t = arg;

	pthread_mutex_lock(&slab_mutex);
	for (unsigned int i = 0; i < KMEM_MAX_CACHES; i++)
		if (t->cpu[i].owner)
			cpu_drain(t->cpu[i].owner, &t->cpu[i]);
	if (t->registered) {
		kl_del(&t->node);
		t->registered = 0;
	}
	pthread_mutex_unlock(&slab_mutex);
}

static void key_init(void)
{
	pthread_key_create(&kmem_key, thread_exit);
}

/* First use of s by this thread: make sure we flush at exit. */
static void cpu_attach(struct kmem_cache *s, struct kmem_cpu_cache *c)
{
	pthread_once(&kmem_key_once, key_init);
	pthread_mutex_lock(&slab_mutex);
	if (!kmem_tl.registered) {
		kl_add(&kmem_tl.node, &kmem_threads);
		kmem_tl.registered = 1;
		pthread_setspecific(kmem_key, &kmem_tl);
	}
	c->owner = s;
	pthread_mutex_unlock(&slab_mutex);
}

void magazine_drain_all_threads(struct kmem_cache *s)
{
	for (struct kl_node *n = kmem_threads.next; n != &kmem_threads;
	     n = n->next) {
		struct kmem_thread *t = (struct kmem_thread *)n;
		struct kmem_cpu_cache *c = &t->cpu[s->id];

		if (c->owner == s)
			cpu_drain(s, c);
	}
}

void magazine_drain_local(struct kmem_cache *s)
{
	struct kmem_cpu_cache *c = &kmem_tl.cpu[s->id];

	if (c->owner == s)
		cpu_drain(s, c);
}

void kmem_cache_drain_local(void)
{
	pthread_mutex_lock(&slab_mutex);
	for (unsigned int i = 0; i < KMEM_MAX_CACHES; i++)
		if (kmem_tl.cpu[i].owner)
			cpu_drain(kmem_tl.cpu[i].owner, &kmem_tl.cpu[i]);
	pthread_mutex_unlock(&slab_mutex);
}

/* --- allocation ------------------------------------------------------ */

static void swap_mags(struct kmem_cpu_cache *c)
{
	struct kmem_magazine *t = c->loaded;

	c->loaded = c->prev;
	c->prev = t;
}

/* loaded is empty or absent. */
__attribute__((noinline)) void *
kmem_cpu_alloc_slow(struct kmem_cache *s, struct kmem_cpu_cache *c)
{
	struct kmem_magazine *m;
	void *obj = NULL;

	if (unlikely(!c->owner))
		cpu_attach(s, c);
	if (c->prev && c->prev->rounds) {
		swap_mags(c);
		return c->loaded->objs[--c->loaded->rounds];
	}
	depot_lock(s);
	m = depot_get_full(s);
	if (m) {
		/* prev and loaded are empty: keep one for frees. */
		if (c->prev)
			depot_put_empty(s, c->prev);
		c->prev = c->loaded;
		c->loaded = m;
	} else {
		if (!c->loaded)
			c->loaded = depot_get_empty(s);
		if (c->loaded)
			c->loaded->rounds = slab_alloc_bulk(s, c->loaded->objs,
							    c->loaded->size);
		else
			slab_alloc_bulk(s, &obj, 1);	/* no magazine: ENOMEM */
	}
	pthread_mutex_unlock(&s->lock);
	m = c->loaded;
	if (m && m->rounds)
		obj = m->objs[--m->rounds];
	if (!obj)
		errno = ENOMEM;
	return obj;
}

void *kmem_cache_alloc(struct kmem_cache *s)
{
	return kmem_cache_alloc_inline(s);
}

/* --- free ------------------------------------------------------------ */

/* loaded is full or absent. */
__attribute__((noinline)) void
kmem_cpu_free_slow(struct kmem_cache *s, struct kmem_cpu_cache *c, void *obj)
{
	struct kmem_magazine *e;

	if (unlikely(!c->owner))
		cpu_attach(s, c);
	if (c->prev && c->prev->rounds < c->prev->size) {
		swap_mags(c);
		c->loaded->objs[c->loaded->rounds++] = obj;
		return;
	}
	depot_lock(s);
	e = depot_get_empty(s);
	if (!e) {
		slab_free_one(s, obj);
		pthread_mutex_unlock(&s->lock);
		return;
	}
	if (c->prev)				/* full, as is loaded */
		depot_put_full(s, c->prev);
	c->prev = c->loaded;
	c->loaded = e;
	pthread_mutex_unlock(&s->lock);
	e->objs[e->rounds++] = obj;
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (likely(obj))
		kmem_cache_free_inline(s, obj);
}
