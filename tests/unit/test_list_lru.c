/*
 * test_list_lru.c - list_lru alone, in both designs: adds, counts, walks,
 * reparenting, ID reuse, and the race in Davydov's 2013 per-memcg list_lru
 * patches: list_lrus created and
 * destroyed by two threads while two others bring memcg IDs online and
 * offline; no add may miss its memcg's list, and every item must be on
 * exactly one list.  Then the per-memcg shrinker bitmaps: shrink_slab()
 * calls only the shrinkers with items for the memcg.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "list_lru.h"
#include "memcontrol.h"
#include "shrinker.h"
#include "tap.h"

extern _Atomic long list_lru_misses;

struct item {
	struct list_head lru;
};

static enum lru_status remove_it(struct list_head *item,
				 struct list_lru_one *l, void *arg)
{
	list_lru_isolate(l, item);
	++*(long *)arg;
	return LRU_REMOVED;
}

static long drain_all(struct list_lru *lru, int max_id)
{
	long removed = 0, nr;

	for (int id = 0; id <= max_id; id++) {
		nr = 1 << 30;
		list_lru_walk_one(lru, id, remove_it, &removed, &nr);
	}
	return removed;
}

static void test_basic(enum list_lru_mode mode)
{
	const char *m = mode == LIST_LRU_EAGER ? "eager" : "lazy";
	struct list_lru lru;
	struct item it[10];
	int p1[] = { 1, 0 }, p2[] = { 2, 1, 0 }, p3[] = { 3, 1, 0 };
	long nr;

	list_lru_set_mode(mode);
	for (int i = 0; i < 10; i++)
		INIT_LIST_HEAD(&it[i].lru);
	tap_eq(list_lru_init(&lru, "t"), 0, "%s: init", m);
	for (int id = 1; id <= 3; id++)
		memcg_list_lru_online(id);
	for (int i = 0; i < 4; i++)
		list_lru_add(&lru, &it[i].lru, p2);
	for (int i = 4; i < 6; i++)
		list_lru_add(&lru, &it[i].lru, p3);
	list_lru_add(&lru, &it[6].lru, p1);
	tap_ok(!list_lru_add(&lru, &it[6].lru, p1), "%s: no double add", m);
	tap_eq(list_lru_count_one(&lru, 2), 4, "%s: memcg 2 has 4", m);
	tap_eq(list_lru_count_one(&lru, 1), 1, "%s: memcg 1 has 1", m);
	tap_eq(list_lru_count(&lru), 7, "%s: 7 in all", m);
	memcg_reparent_list_lrus(2, 1);
	tap_eq(list_lru_count_one(&lru, 1), 5, "%s: offline 2 spliced into 1", m);
	tap_eq(list_lru_count_one(&lru, 2), 0, "%s: 2 counts nothing", m);
	tap_ok(list_lru_del(&lru, &it[0].lru, p2), "%s: a del via a dead memcg "
	       "climbs to the list holding it", m);
	tap_eq(list_lru_count_one(&lru, 1), 4, "%s: counted there", m);
	list_lru_add(&lru, &it[7].lru, p2);
	tap_eq(list_lru_count_one(&lru, 1), 5, "%s: an add for a dead memcg "
	       "lands on its parent", m);
	memcg_list_lru_online(2);	/* the ID is reused */
	list_lru_add(&lru, &it[8].lru, p2);
	tap_eq(list_lru_count_one(&lru, 2), 1, "%s: a reused ID starts empty", m);
	nr = 2;
	tap_eq(list_lru_walk_one(&lru, 1, remove_it, &(long){0}, &nr), 2,
	       "%s: a walk stops after nr_to_walk", m);
	/* 9 added, 1 deleted, 2 walked off: 6 left, each on one list. */
	tap_eq(drain_all(&lru, 3), 6, "%s: the rest, each on one list", m);
	tap_eq(list_lru_count(&lru), 0, "%s: empty", m);
	list_lru_destroy(&lru);
}

/* --- the race in Davydov's 2013 per-memcg list_lru patches --------- */

#define NIDS	48
#define ROUNDS	150
#define ITEMS	200

static pthread_mutex_t ids_lock = PTHREAD_MUTEX_INITIALIZER;
static int online[NIDS];		/* 1: online, IDs 1..NIDS-1 */
static _Atomic int stop;
static _Atomic long bad_lrus;

static int pick_online(unsigned int *seed)
{
	int id = 0;

	pthread_mutex_lock(&ids_lock);
	for (int tries = 0; tries < NIDS; tries++) {
		int c = 1 + (int)(rand_r(seed) % (NIDS - 1));

		if (online[c] == 1) {
			id = c;
			break;
		}
	}
	pthread_mutex_unlock(&ids_lock);
	return id;
}

static void *lru_thread(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	struct item *items = calloc(ITEMS, sizeof(*items));

	for (int r = 0; r < ROUNDS; r++) {
		struct list_lru lru;
		long removed = 0;

		if (list_lru_init(&lru, "stress"))
			continue;
		for (int i = 0; i < ITEMS; i++) {
			int path[2] = { pick_online(&seed), 0 };

			INIT_LIST_HEAD(&items[i].lru);
			list_lru_add(&lru, &items[i].lru, path);
			(void)list_lru_count(&lru);	/* an RCU reader */
		}
		/* Reparenting may move items behind a walk: walk until
		 * every item has been removed exactly once. */
		for (int pass = 0; pass < 100 && removed < ITEMS; pass++)
			removed += drain_all(&lru, NIDS);
		if (removed != ITEMS || list_lru_count(&lru))
			atomic_fetch_add(&bad_lrus, 1);
		list_lru_destroy(&lru);
	}
	free(items);
	return NULL;
}

static void *memcg_thread(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;

	while (!atomic_load(&stop)) {
		int id = 1 + (int)(rand_r(&seed) % (NIDS - 1)), was;

		pthread_mutex_lock(&ids_lock);
		was = online[id];
		online[id] = -1;		/* in transition: not picked */
		pthread_mutex_unlock(&ids_lock);
		if (was < 0)
			continue;
		if (was)
			memcg_reparent_list_lrus(id, 0);
		else
			memcg_list_lru_online(id);
		pthread_mutex_lock(&ids_lock);
		online[id] = !was;
		pthread_mutex_unlock(&ids_lock);
	}
	return NULL;
}

static void test_race(enum list_lru_mode mode)
{
	const char *m = mode == LIST_LRU_EAGER ? "eager" : "lazy";
	pthread_t lt[2], mt[2];

	list_lru_set_mode(mode);
	memset(online, 0, sizeof(online));
	atomic_store(&stop, 0);
	atomic_store(&bad_lrus, 0);
	atomic_store(&list_lru_misses, 0);
	for (int i = 0; i < 2; i++) {
		pthread_create(&mt[i], NULL, memcg_thread, (void *)(uintptr_t)(i + 1));
		pthread_create(&lt[i], NULL, lru_thread, (void *)(uintptr_t)(i + 7));
	}
	for (int i = 0; i < 2; i++)
		pthread_join(lt[i], NULL);
	atomic_store(&stop, 1);
	for (int i = 0; i < 2; i++)
		pthread_join(mt[i], NULL);
	tap_eq(atomic_load(&list_lru_misses), 0, "%s: %d list_lrus made while "
	       "memcgs came and went: no add missed its memcg's list", m,
	       2 * ROUNDS);
	tap_eq(atomic_load(&bad_lrus), 0, "%s: every item on exactly one list, "
	       "counts exact", m);
	for (int id = 1; id < NIDS; id++)
		if (online[id] == 1)
			memcg_reparent_list_lrus(id, 0);
}


/* --- shrinker bitmaps ------------------------------------------------ */

#define NSHRINK 200

struct test_shrinker {
	struct shrinker s;
	struct list_lru lru;
};

static struct test_shrinker shr[NSHRINK];
static long count_calls;

static long t_count(struct shrinker *s, struct shrink_control *sc)
{
	struct test_shrinker *t = s->private_data;
	long n = list_lru_count_one(&t->lru, sc->memcg_id);

	count_calls++;
	return n ? n : SHRINK_EMPTY;
}

static long t_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct test_shrinker *t = s->private_data;
	long freed = 0, nr = sc->nr_to_scan;

	list_lru_walk_one(&t->lru, sc->memcg_id, remove_it, &freed, &nr);
	sc->freed_bytes += freed;
	return freed;
}

static long shrink_calls(struct mem_cgroup *m, int64_t *freed)
{
	count_calls = 0;
	*freed = shrink_slab(m, 0);
	return count_calls;
}

static void test_shrinker_bitmap(void)
{
	static struct mem_cgroup root, m5;
	struct item it[8];
	int p5[] = { 5, 0 }, p6[] = { 6, 5, 0 };
	int64_t freed;
	int i;

	list_lru_set_mode(LIST_LRU_LAZY);
	for (i = 0; i < NSHRINK; i++) {
		shr[i].s = (struct shrinker){ .count_objects = t_count,
			.scan_objects = t_scan, .seeks = DEFAULT_SEEKS,
			.private_data = &shr[i] };
		shrinker_register(&shr[i].s);
		list_lru_init_memcg(&shr[i].lru, "s", shr[i].s.id);
	}
	tap_eq(shr[NSHRINK - 1].s.id, NSHRINK - 1, "shrinker IDs are dense");
	memcg_list_lru_online(5);
	memcg_list_lru_online(6);
	m5 = (struct mem_cgroup){ .parent = &root, .id = 5, .online = true };
	for (i = 0; i < 8; i++)
		INIT_LIST_HEAD(&it[i].lru);
	tap_eq(shrink_calls(&m5, &freed), 0,
	       "no items: no shrinker called (not %d)", NSHRINK);
	/* A low bit, then one in the third unit: the bitmap grows. */
	list_lru_add(&shr[3].lru, &it[0].lru, p5);
	list_lru_add(&shr[137].lru, &it[1].lru, p5);
	list_lru_add(&shr[137].lru, &it[2].lru, p5);
	tap_eq(shrink_calls(&m5, &freed), 2, "only the 2 shrinkers with items");
	tap_eq(freed, 3, "their items freed");
	tap_eq(shrink_calls(&m5, &freed), 4,
	       "emptied: each says SHRINK_EMPTY, asked again, bit cleared");
	tap_eq(shrink_calls(&m5, &freed), 0, "then never called again");
	/* Reparenting sets the parent's bit for the moved items. */
	list_lru_add(&shr[42].lru, &it[3].lru, p6);
	memcg_reparent_list_lrus(6, 5);
	tap_eq(shrink_calls(&m5, &freed), 1, "reparented items: parent's bit");
	tap_eq(freed, 1, "and they are freed from the parent");
	tap_eq(shrink_calls(&m5, &freed), 2, "its bit is cleared lazily");
	m5.online = false;
	list_lru_add(&shr[7].lru, &it[4].lru, p5);
	tap_eq(shrink_calls(&m5, &freed), 0, "an offline memcg is skipped");
	m5.online = true;
	tap_eq(shrink_calls(&m5, &freed), 1, "online again: its bit is there");
	/* A recycled ID starts with no bit of its former owner. */
	list_lru_add(&shr[9].lru, &it[5].lru, p5);
	memcg_reparent_list_lrus(5, 0);
	memcg_list_lru_online(5);
	tap_eq(shrink_calls(&m5, &freed), 0, "a reused ID has a clean bitmap");
	drain_all(&shr[9].lru, 0);
	memcg_reparent_list_lrus(5, 0);
	for (i = 0; i < NSHRINK; i++) {
		list_lru_destroy(&shr[i].lru);
		shrinker_unregister(&shr[i].s);
	}
	shrinker_exit();
}

int main(void)
{
	test_shrinker_bitmap();
	test_basic(LIST_LRU_LAZY);
	test_basic(LIST_LRU_EAGER);
	test_race(LIST_LRU_LAZY);
	test_race(LIST_LRU_EAGER);
	return tap_done();
}
