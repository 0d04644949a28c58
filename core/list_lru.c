/*
 * list_lru.c - memcg-aware LRU lists; see list_lru.h for the two designs
 * and the locking.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <urcu/urcu-bp.h>

#include "list_lru.h"
#include "shrinker.h"

#define MEMCG_CACHES_MIN_SIZE 4

/*
 * liburcu is not built with ThreadSanitizer, which therefore cannot see
 * that a grace period orders every earlier read section before the free
 * that follows it.  Tell it: each read section ends with a release and
 * each grace period with an acquire of one token.
 */
#ifdef __SANITIZE_THREAD__
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
static char rcu_tsan_token;
#define rcu_tsan_release() __tsan_release(&rcu_tsan_token)
#define rcu_tsan_acquire() __tsan_acquire(&rcu_tsan_token)
#else
#define rcu_tsan_release() do { } while (0)
#define rcu_tsan_acquire() do { } while (0)
#endif

static void rcu_read_lock(void)
{
	urcu_bp_read_lock();
}

static void rcu_read_unlock(void)
{
	rcu_tsan_release();
	urcu_bp_read_unlock();
}

static void synchronize_rcu(void)
{
	urcu_bp_synchronize_rcu();
	rcu_tsan_acquire();
}

const char *const list_lru_mode_names[NR_LIST_LRU_MODES] = {
	[LIST_LRU_LAZY] = "lazy", [LIST_LRU_EAGER] = "eager",
};
enum list_lru_mode list_lru_mode;
/* The registry and the eager ID range; see the lock order in list_lru.h. */
static pthread_mutex_t list_lrus_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct list_head list_lrus = LIST_HEAD_INIT(list_lrus);
static unsigned int eager_size = MEMCG_CACHES_MIN_SIZE;
/* Which IDs are online: lazy allocation skips dying memcgs (their adds
 * climb to the parent).  Written under list_lrus_mutex. */
static _Atomic unsigned char id_online[LRU_MAX_IDS];
/* Adds that found no list where the design promises one (Davydov's 2013
 * per-memcg list_lru patches'
 * race); tests assert it stays 0. */
_Atomic long list_lru_misses;

void list_lru_set_mode(enum list_lru_mode mode)
{
	list_lru_mode = mode;
}

static void init_one(struct list_lru_one *l)
{
	INIT_LIST_HEAD(&l->list);
	atomic_store(&l->nr_items, 0);
	l->dead = false;
}

static struct list_lru_one *alloc_one(void)
{
	struct list_lru_one *l = malloc(sizeof(*l));

	if (l)
		init_one(l);
	return l;
}

/* --- finding a memcg's list (lru->lock held, or an RCU read section) --- */

static struct list_lru_one *eager_slot(struct list_lru *lru, int id)
{
	struct list_lru_array *a = rcu_dereference(lru->array);

	return a && (unsigned int)id < a->size ? a->lists[id] : NULL;
}

static struct list_lru_one *_Atomic *lazy_slotp(struct list_lru *lru, int id)
{
	struct list_lru_leaf *_Atomic *leaves = rcu_dereference(lru->leaves);
	struct list_lru_leaf *leaf;

	if (!leaves)
		return NULL;
	leaf = rcu_dereference(leaves[id >> LRU_RADIX_SHIFT]);
	return leaf ? &leaf->lists[id & (LRU_RADIX_SIZE - 1)] : NULL;
}

static struct list_lru_one *list_of(struct list_lru *lru, int id)
{
	struct list_lru_one *_Atomic *p;

	if (!id)
		return &lru->root;
	if (list_lru_mode == LIST_LRU_EAGER)
		return eager_slot(lru, id);
	p = lazy_slotp(lru, id);
	return p ? rcu_dereference(*p) : NULL;
}

/* Lazy: the slot of @id, creating the radix levels (lru->lock held). */
static struct list_lru_one *_Atomic *lazy_slot_create(struct list_lru *lru,
						      int id)
{
	struct list_lru_leaf *_Atomic *leaves = lru->leaves;
	struct list_lru_leaf *leaf;

	if (!leaves) {
		leaves = calloc(LRU_MAX_IDS >> LRU_RADIX_SHIFT, sizeof(*leaves));
		if (!leaves)
			return NULL;
		rcu_assign_pointer(lru->leaves, leaves);
	}
	leaf = leaves[id >> LRU_RADIX_SHIFT];
	if (!leaf) {
		leaf = calloc(1, sizeof(*leaf));
		if (!leaf)
			return NULL;
		rcu_assign_pointer(leaves[id >> LRU_RADIX_SHIFT], leaf);
	}
	return &leaf->lists[id & (LRU_RADIX_SIZE - 1)];
}

/* memcg_list_lru_alloc(), lazy: the list of @id, made on first use. */
static struct list_lru_one *list_of_create(struct list_lru *lru, int id)
{
	struct list_lru_one *_Atomic *p, *l = list_of(lru, id);

	if (l || list_lru_mode == LIST_LRU_EAGER || !atomic_load(&id_online[id]))
		return l;
	p = lazy_slot_create(lru, id);
	if (!p || !(l = alloc_one()))
		return NULL;
	rcu_assign_pointer(*p, l);
	return l;
}

/* --- lifecycle ---------------------------------------------------------- */

static struct list_lru_array *array_alloc(unsigned int size)
{
	struct list_lru_array *a = calloc(1, sizeof(*a) + size * sizeof(a->lists[0]));

	if (a)
		a->size = size;
	return a;
}

/* Pre-populate slots [from, a->size) (eager). */
static int array_fill(struct list_lru_array *a, unsigned int from)
{
	for (unsigned int i = from; i < a->size; i++)
		if (!(a->lists[i] = alloc_one()))
			return -ENOMEM;
	return 0;
}

static void array_free(struct list_lru_array *a, unsigned int from)
{
	for (unsigned int i = from; a && i < a->size; i++)
		free(a->lists[i]);
	free(a);
}

int list_lru_init(struct list_lru *lru, const char *name)
{
	return list_lru_init_memcg(lru, name, -1);
}

int list_lru_init_memcg(struct list_lru *lru, const char *name,
			int shrinker_id)
{
	struct list_lru_array *a = NULL;

	memset(lru, 0, sizeof(*lru));
	lru->shrinker_id = shrinker_id;
	snprintf(lru->name, sizeof(lru->name), "%s", name);
	pthread_mutex_init(&lru->lock, NULL);
	init_one(&lru->root);
	/* Registration and the eager range are read under the same mutex
	 * that memcg_list_lru_online() grows them under: no memcg can come
	 * online between the sizing and the registration (Davydov's 2013
	 * per-memcg list_lru patches). */
	pthread_mutex_lock(&list_lrus_mutex);
	if (list_lru_mode == LIST_LRU_EAGER) {
		a = array_alloc(eager_size);
		if (!a || array_fill(a, 1)) {
			pthread_mutex_unlock(&list_lrus_mutex);
			array_free(a, 1);
			return -ENOMEM;
		}
		rcu_assign_pointer(lru->array, a);
	}
	list_add_tail(&lru->node, &list_lrus);
	pthread_mutex_unlock(&list_lrus_mutex);
	return 0;
}

static void lazy_free(struct list_lru *lru)
{
	struct list_lru_leaf *_Atomic *leaves = lru->leaves;

	for (unsigned int t = 0; leaves && t < LRU_MAX_IDS >> LRU_RADIX_SHIFT; t++) {
		struct list_lru_leaf *leaf = leaves[t];

		for (unsigned int i = 0; leaf && i < LRU_RADIX_SIZE; i++)
			free(leaf->lists[i]);
		free(leaf);
	}
	free(leaves);
}

void list_lru_destroy(struct list_lru *lru)
{
	pthread_mutex_lock(&list_lrus_mutex);
	list_del(&lru->node);
	pthread_mutex_unlock(&list_lrus_mutex);
	/* Lock-free counters may still be looking: wait them out. */
	synchronize_rcu();
	array_free(lru->array, 1);
	lazy_free(lru);
	pthread_mutex_destroy(&lru->lock);
}

/* Eager growth for every list_lru: copy, publish, free after a grace
 * period (memcg_update_all_list_lrus).  list_lrus_mutex held. */
static int grow_all(unsigned int new_size)
{
	struct list_lru *lru;
	struct list_lru_array **old;
	unsigned int n = 0, i;
	int ret = 0;

	list_for_each_entry(lru, &list_lrus, node)
		n++;
	old = calloc(n ? n : 1, sizeof(*old));
	if (!old)
		return -ENOMEM;
	n = 0;
	list_for_each_entry(lru, &list_lrus, node) {
		struct list_lru_array *a = array_alloc(new_size), *cur = lru->array;

		if (!a || array_fill(a, cur->size)) {
			array_free(a, cur->size);
			ret = -ENOMEM;
			break;
		}
		memcpy(a->lists, cur->lists, cur->size * sizeof(a->lists[0]));
		pthread_mutex_lock(&lru->lock);
		rcu_assign_pointer(lru->array, a);
		pthread_mutex_unlock(&lru->lock);
		old[n++] = cur;
	}
	if (!ret)
		eager_size = new_size;
	synchronize_rcu();
	for (i = 0; i < n; i++)
		free(old[i]);	/* the lists moved to the new arrays */
	free(old);
	return ret;
}

int memcg_list_lru_online(int id)
{
	struct list_lru *lru;
	int ret = 0;

	if (id <= 0 || id >= (int)LRU_MAX_IDS)
		return id ? -EINVAL : 0;
	shrinker_info_reset(id);
	pthread_mutex_lock(&list_lrus_mutex);
	atomic_store(&id_online[id], 1);
	if (list_lru_mode != LIST_LRU_EAGER) {
		pthread_mutex_unlock(&list_lrus_mutex);
		return 0;
	}
	if ((unsigned int)id >= eager_size) {
		unsigned int size = 2 * ((unsigned int)id + 1);

		ret = grow_all(size < LRU_MAX_IDS ? size : LRU_MAX_IDS);
	}
	/* A recycled ID's slots were marked dead at its last offline. */
	list_for_each_entry(lru, &list_lrus, node) {
		struct list_lru_one *l;

		pthread_mutex_lock(&lru->lock);
		l = eager_slot(lru, id);
		if (l)
			init_one(l);
		pthread_mutex_unlock(&lru->lock);
	}
	pthread_mutex_unlock(&list_lrus_mutex);
	return ret;
}

/* Lazy lists taken out at offline wait here for a grace period. */
struct dead_list {
	struct list_lru_one *l;
	struct dead_list *next;
};

void memcg_reparent_list_lrus(int id, int parent_id)
{
	struct dead_list *dead = NULL, *d;
	struct list_lru *lru;

	pthread_mutex_lock(&list_lrus_mutex);
	atomic_store(&id_online[id], 0);
	list_for_each_entry(lru, &list_lrus, node) {
		struct list_lru_one *src, *dst;
		long moved;

		pthread_mutex_lock(&lru->lock);
		src = list_of(lru, id);
		if (src && !src->dead) {
			dst = list_of_create(lru, parent_id);
			if (!dst)
				dst = &lru->root;
			/* Splice, move the count, mark the source dead. */
			if (!list_empty(&src->list)) {
				src->list.next->prev = dst->list.prev;
				dst->list.prev->next = src->list.next;
				src->list.prev->next = &dst->list;
				dst->list.prev = src->list.prev;
				INIT_LIST_HEAD(&src->list);
			}
			moved = atomic_exchange(&src->nr_items, 0);
			atomic_fetch_add(&dst->nr_items, moved);
			/* The parent has items now: its shrinker bit. */
			if (moved > 0)
				set_shrinker_bit(dst == &lru->root ? 0 : parent_id,
						 lru->shrinker_id);

			src->dead = true;
			if (list_lru_mode == LIST_LRU_LAZY &&
			    (d = malloc(sizeof(*d)))) {
				rcu_assign_pointer(*lazy_slotp(lru, id), NULL);
				d->l = src;
				d->next = dead;
				dead = d;
			}
		}
		pthread_mutex_unlock(&lru->lock);
	}
	pthread_mutex_unlock(&list_lrus_mutex);
	if (!dead)
		return;
	synchronize_rcu();	/* kvfree_rcu() */
	while ((d = dead)) {
		dead = d->next;
		free(d->l);
		free(d);
	}
}

/* --- items ------------------------------------------------------------------ */

/* The first live list along @path (lru->lock held); lazy: made if need
 * be.  *@idp: whose list it is. */
static struct list_lru_one *live_list(struct list_lru *lru, const int *path,
				      bool create, int *idp)
{
	for (;; path++) {
		struct list_lru_one *l = create ? list_of_create(lru, *path)
						: list_of(lru, *path);

		*idp = *path;
		if (l && !l->dead)
			return l;
		if (create && list_lru_mode == LIST_LRU_EAGER && !l && *path)
			atomic_fetch_add(&list_lru_misses, 1);
		if (!*path)
			return &lru->root;
	}
}

bool list_lru_add(struct list_lru *lru, struct list_head *item,
		  const int *path)
{
	struct list_lru_one *l;
	bool added = false;
	int id;

	pthread_mutex_lock(&lru->lock);
	if (list_empty(item)) {
		l = live_list(lru, path, true, &id);
		list_add_tail(item, &l->list);
		/* Empty to non-empty: the memcg's bit for our shrinker. */
		if (!atomic_fetch_add(&l->nr_items, 1))
			set_shrinker_bit(id, lru->shrinker_id);
		added = true;
	}
	pthread_mutex_unlock(&lru->lock);
	return added;
}

bool list_lru_del(struct list_lru *lru, struct list_head *item,
		  const int *path)
{
	struct list_lru_one *l;
	bool deleted = false;
	int id;

	pthread_mutex_lock(&lru->lock);
	if (!list_empty(item)) {
		l = live_list(lru, path, false, &id);
		list_del(item);
		atomic_fetch_sub(&l->nr_items, 1);
		deleted = true;
	}
	pthread_mutex_unlock(&lru->lock);
	return deleted;
}

void list_lru_isolate(struct list_lru_one *l, struct list_head *item)
{
	list_del(item);
	atomic_fetch_sub(&l->nr_items, 1);
}

long list_lru_count_one(struct list_lru *lru, int id)
{
	struct list_lru_one *l;
	long n = 0;

	rcu_read_lock();
	l = list_of(lru, id);
	if (l)
		n = atomic_load(&l->nr_items);
	rcu_read_unlock();
	return n < 0 ? 0 : n;
}

/* Visit memcg lists with items under RCU; fn gets (id, count). */
static void for_each_list(struct list_lru *lru,
			  void (*fn)(struct list_lru *lru, int id, long nr,
				     void *arg), void *arg)
{
	long n;

	rcu_read_lock();
	if ((n = atomic_load(&lru->root.nr_items)) > 0)
		fn(lru, 0, n, arg);
	for (int id = 1; id < (int)LRU_MAX_IDS; id++) {
		struct list_lru_one *l;

		if (list_lru_mode == LIST_LRU_EAGER) {
			struct list_lru_array *a = rcu_dereference(lru->array);

			if (!a || (unsigned int)id >= a->size)
				break;
		} else if (!(id & (LRU_RADIX_SIZE - 1)) && !lazy_slotp(lru, id)) {
			id += LRU_RADIX_SIZE - 1;	/* an absent leaf */
			continue;
		}
		l = list_of(lru, id);
		if (l && (n = atomic_load(&l->nr_items)) > 0)
			fn(lru, id, n, arg);
		if (list_lru_mode == LIST_LRU_LAZY &&
		    !rcu_dereference(lru->leaves))
			break;
	}
	rcu_read_unlock();
}

static void add_count(struct list_lru *lru, int id, long nr, void *arg)
{
	(void)lru;
	(void)id;
	*(long *)arg += nr;
}

long list_lru_count(struct list_lru *lru)
{
	long n = 0;

	for_each_list(lru, add_count, &n);
	return n;
}

long list_lru_walk_one(struct list_lru *lru, int id,
		       enum lru_status (*isolate)(struct list_head *item,
						  struct list_lru_one *l,
						  void *arg),
		       void *arg, long *nr_to_walk)
{
	struct list_head *item, *next;
	struct list_lru_one *l;
	long removed = 0;

	pthread_mutex_lock(&lru->lock);
	l = list_of(lru, id);
	for (item = l ? l->list.next : NULL; l && item != &l->list &&
	     *nr_to_walk > 0; item = next) {
		next = item->next;
		--*nr_to_walk;
		switch (isolate(item, l, arg)) {
		case LRU_REMOVED:
			removed++;
			break;
		case LRU_ROTATE:
			list_del(item);
			list_add_tail(item, &l->list);
			break;
		case LRU_SKIP:
			break;
		case LRU_STOP:
			goto out;
		}
	}
out:
	pthread_mutex_unlock(&lru->lock);
	return removed;
}

void list_lru_for_each(void (*fn)(struct list_lru *lru, int id, long nr,
				  void *arg), void *arg)
{
	struct list_lru *lru;

	pthread_mutex_lock(&list_lrus_mutex);
	list_for_each_entry(lru, &list_lrus, node)
		for_each_list(lru, fn, arg);
	pthread_mutex_unlock(&list_lrus_mutex);
}

struct walk_all {
	enum lru_status (*isolate)(struct list_head *, struct list_lru_one *,
				   void *);
	void *arg;
	long *nr_to_walk;
	long removed;
	int ids[64];
	int nr_ids;
};

static void note_id(struct list_lru *lru, int id, long nr, void *arg)
{
	struct walk_all *w = arg;

	(void)lru;
	(void)nr;
	if (w->nr_ids < 64)
		w->ids[w->nr_ids++] = id;
}

long list_lru_walk(struct list_lru *lru,
		   enum lru_status (*isolate)(struct list_head *item,
					      struct list_lru_one *l, void *arg),
		   void *arg, long *nr_to_walk)
{
	struct walk_all w = { isolate, arg, nr_to_walk, 0, { 0 }, 0 };

	/* The lists with items, up to 64 at a time, then walk each. */
	do {
		w.nr_ids = 0;
		for_each_list(lru, note_id, &w);
		for (int i = 0; i < w.nr_ids && *nr_to_walk > 0; i++)
			w.removed += list_lru_walk_one(lru, w.ids[i], isolate,
						       arg, nr_to_walk);
	} while (w.nr_ids == 64 && *nr_to_walk > 0);
	return w.removed;
}
