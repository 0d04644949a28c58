/*
 * list_lru.h - memcg-aware LRU lists of reclaimable kernel objects
 * (mm/list_lru.c, Davydov's 2013 per-memcg list_lru patches).
 *
 * A list_lru (one per filesystem's dentries, say) keeps one list per
 * memcg, indexed by the memcg's ID (kmemcg_id == memcg ID since 5.18),
 * plus the root list.  Two designs, chosen at mount (-o lru=):
 *
 *   lazy  (>= 5.18) a memcg's list is allocated on first use, in a
 *         two-level radix (our xarray); most (lru, memcg) pairs never
 *         cost anything.
 *   eager (2013-5.17) every list_lru holds an array of lists for every
 *         ID in the current ID range, pre-populated; a memcg whose ID
 *         passes the range grows every list_lru's array: copy, publish,
 *         free the old one after an RCU grace period.
 *
 * Either way a list_lru created while memcgs come and go never misses a
 * memcg's list (the race of Davydov's 2013 per-memcg list_lru patches):
 * registration and growth both run
 * under list_lrus_mutex.
 *
 * Locking (lock order list_lrus_mutex -> lru->lock -> shrinker_info_lock):
 *   list_lrus_mutex  the registry of list_lrus and the eager range;
 *   lru->lock        every list of one list_lru and its array/radix
 *                    updates (the kernel's nlru->lock, one node here);
 *   RCU (liburcu-bp) readers of counts and of the array or radix: count
 *                    takes no lock at all.
 */
#ifndef MEMCGFS_LIST_LRU_H
#define MEMCGFS_LIST_LRU_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "list.h"

enum list_lru_mode { LIST_LRU_LAZY, LIST_LRU_EAGER, NR_LIST_LRU_MODES };
extern const char *const list_lru_mode_names[NR_LIST_LRU_MODES];
extern enum list_lru_mode list_lru_mode;

#define LIST_LRU_NAME_MAX 48
#define LRU_RADIX_SHIFT 8
#define LRU_RADIX_SIZE (1u << LRU_RADIX_SHIFT)
#define LRU_MAX_IDS (LRU_RADIX_SIZE * LRU_RADIX_SIZE * 16)	/* 2^20 */

struct list_lru_one {
	struct list_head list;
	_Atomic long nr_items;		/* read without the lock */
	bool dead;			/* reparented; climbs to the parent */
};

/* Eager: one published array per list_lru, replaced when it grows. */
struct list_lru_array {
	unsigned int size;
	struct list_lru_one *lists[];
};

/* Lazy: a leaf of 256 list pointers, published once, freed with the lru. */
struct list_lru_leaf {
	struct list_lru_one *_Atomic lists[LRU_RADIX_SIZE];
};

struct list_lru {
	char name[LIST_LRU_NAME_MAX];
	pthread_mutex_t lock;
	struct list_lru_one root;	/* memcg ID 0: the root and unaccounted */
	struct list_lru_array *_Atomic array;			/* eager */
	struct list_lru_leaf *_Atomic *leaves;			/* lazy */
	struct list_head node;		/* on the registry */
	int shrinker_id;		/* its shrinker's bit; -1: none */
};

/* Set the design; before any list_lru exists. */
void list_lru_set_mode(enum list_lru_mode mode);

int list_lru_init(struct list_lru *lru, const char *name);
/* The same for a list_lru reclaimed by the shrinker with @shrinker_id:
 * a memcg list going from empty to non-empty sets that memcg's bit
 * (set_shrinker_bit(), shrinker.h). */
int list_lru_init_memcg(struct list_lru *lru, const char *name,
			int shrinker_id);
/* The lru must be empty (callers free their items first). */
void list_lru_destroy(struct list_lru *lru);

/*
 * A memcg got ID @id (eager: grow every array to cover it, then make its
 * slots fresh).  0 or -ENOMEM.  Parents are online before children.
 */
int memcg_list_lru_online(int id);
/* memcg_reparent_list_lrus(): @id goes offline, its items join @parent_id's
 * lists (0: the root list) in every list_lru. */
void memcg_reparent_list_lrus(int id, int parent_id);

/*
 * Add @item (not on any list) to the list of memcg @id, falling back to
 * the nearest ancestor in @path (IDs from @id up to the root, ending in 0)
 * if the list is dead or, lazy, cannot be allocated.  Returns true if it
 * was added.  @path is how callers name ancestry without list_lru knowing
 * memcgs.
 */
bool list_lru_add(struct list_lru *lru, struct list_head *item,
		  const int *path);
/* Remove @item from the list it is on, which is memcg @id's or, after a
 * reparent, an ancestor's (same @path rules). */
bool list_lru_del(struct list_lru *lru, struct list_head *item,
		  const int *path);
/* Items on memcg @id's list (lock-free, under RCU); never negative. */
long list_lru_count_one(struct list_lru *lru, int id);
/* Every list of the lru. */
long list_lru_count(struct list_lru *lru);

enum lru_status { LRU_REMOVED, LRU_ROTATE, LRU_SKIP, LRU_STOP };
/*
 * Walk up to *nr_to_walk items of memcg @id's list from the head (the
 * oldest), calling isolate with the lru lock held; isolate may delete the
 * item (LRU_REMOVED: list_lru_isolate()) or ask to rotate it to the tail.
 * nr_to_walk is decremented before each call (the kernel's livelock
 * guard).  Returns the number removed.
 */
long list_lru_walk_one(struct list_lru *lru, int id,
		       enum lru_status (*isolate)(struct list_head *item,
						  struct list_lru_one *l,
						  void *arg),
		       void *arg, long *nr_to_walk);
void list_lru_isolate(struct list_lru_one *l, struct list_head *item);
/* The same over the root list and every memcg list (list_lru_walk_node). */
long list_lru_walk(struct list_lru *lru,
		   enum lru_status (*isolate)(struct list_head *item,
					      struct list_lru_one *l, void *arg),
		   void *arg, long *nr_to_walk);

/* Visit every list_lru and, for each, every memcg list with items. */
void list_lru_for_each(void (*fn)(struct list_lru *lru, int id, long nr,
				  void *arg), void *arg);

#endif
